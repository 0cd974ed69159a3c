"""The catalogue of client settings and notification defaults.

An account stores its own value for any setting in ``Account.client_settings``
(a missing key means the default below); a client overrides single keys in
``client_setting_overrides``. Notification defaults work the same way per
event and channel.
"""

from dataclasses import dataclass
from typing import Any

from persistence.enums import Channel, NotificationEvent


@dataclass(frozen=True, slots=True)
class SettingDefinition:
    key: str
    default: Any
    description: str
    is_client_overridable: bool = True


CLIENT_SETTINGS: tuple[SettingDefinition, ...] = (
    SettingDefinition(
        "dashboard_access", True, "The client's contacts may sign in to its dashboard."
    ),
    SettingDefinition(
        "shop_ordering", True, "The client may schedule rentals from its dashboard."
    ),
    SettingDefinition(
        "show_task_images", True, "The dashboard shows photos taken at tasks."
    ),
    SettingDefinition(
        "show_weight_ticket_images", True, "The dashboard shows weight-ticket images."
    ),
    SettingDefinition("payment_terms_days", 30, "Days from issue until due."),
    SettingDefinition(
        "invoice_delivery", "email", "How invoices reach the client: email or text."
    ),
    SettingDefinition(
        "signature_required", False, "Estimates need a signature to be accepted."
    ),
    SettingDefinition("tax_exempt", False, "No sales tax is charged."),
    SettingDefinition("tax_rate_bps", 0, "Sales tax in basis points (825 = 8.25%)."),
    SettingDefinition(
        "hold_after_failed_payments", 5, "Failed payments in a row that place a hold."
    ),
    SettingDefinition(
        "hold_balance_threshold", None, "Balance in minor units that places a hold."
    ),
    SettingDefinition(
        "hold_days_past_due", None, "Days an invoice may be overdue before a hold."
    ),
    SettingDefinition(
        "estimate_sharing", True, "Estimates are shared on the client's dashboard."
    ),
    SettingDefinition(
        "create_job_on_accept", True, "Accepting an estimate creates its job and tasks."
    ),
    SettingDefinition(
        "agreement_before_delivery",
        False,
        "A signed rental agreement is required before a delivery.",
    ),
)

SETTINGS_BY_KEY = {definition.key: definition for definition in CLIENT_SETTINGS}

# Texts start off for events that are noisy by nature; email is on for all.
TEXT_ON_BY_DEFAULT = frozenset(
    {
        NotificationEvent.TASK_SCHEDULED,
        NotificationEvent.TASK_REMINDER,
        NotificationEvent.PAYMENT_REQUEST,
    }
)


def default_notification_setting(event: NotificationEvent, channel: Channel) -> bool:
    if channel is Channel.EMAIL:
        return True
    return event in TEXT_ON_BY_DEFAULT
