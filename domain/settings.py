"""The catalogue of client settings and notification defaults, and the rules
that give one client its effective values.

An account stores its own value for any setting in ``Account.client_settings``
(a missing key means the default below); a client overrides single keys in
``client_setting_overrides``. Notification defaults work the same way per
event and channel. Effective value = the client's override if any (and the
setting is overridable), else the account's value, else the built-in default.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from persistence.enums import Channel, NotificationEvent


class ValueType(StrEnum):
    """The JSON type a setting's value must have."""

    BOOLEAN = "boolean"
    INTEGER = "integer"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class SettingDefinition:
    key: str
    default: Any
    description: str
    is_client_overridable: bool = True
    value_type: ValueType = ValueType.BOOLEAN
    is_nullable: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


def flag(key: str, default: bool, description: str) -> SettingDefinition:
    return SettingDefinition(key, default, description)


def number(
    key: str,
    default: int | None,
    description: str,
    *,
    minimum: int = 0,
    maximum: int | None = None,
) -> SettingDefinition:
    """A whole number; a null default makes null ("none") a valid value too."""
    return SettingDefinition(
        key,
        default,
        description,
        value_type=ValueType.INTEGER,
        is_nullable=default is None,
        minimum=minimum,
        maximum=maximum,
    )


CLIENT_SETTINGS: tuple[SettingDefinition, ...] = (
    flag(
        "dashboard_access", True, "The client's contacts may sign in to its dashboard."
    ),
    flag("shop_ordering", True, "The client may schedule rentals from its dashboard."),
    flag("show_task_images", True, "The dashboard shows photos taken at tasks."),
    flag(
        "show_weight_ticket_images", True, "The dashboard shows weight-ticket images."
    ),
    number("payment_terms_days", 30, "Days from issue until due.", maximum=365),
    SettingDefinition(
        "invoice_delivery",
        "email",
        "How invoices reach the client: email or text.",
        value_type=ValueType.TEXT,
        choices=("email", "text"),
    ),
    flag("signature_required", False, "Estimates need a signature to be accepted."),
    flag("tax_exempt", False, "No sales tax is charged."),
    number(
        "tax_rate_bps", 0, "Sales tax in basis points (825 = 8.25%).", maximum=10_000
    ),
    number(
        "hold_after_failed_payments",
        5,
        "Failed payments in a row that place a hold.",
        minimum=1,
        maximum=100,
    ),
    number(
        "hold_balance_threshold", None, "Balance in minor units that places a hold."
    ),
    number(
        "hold_days_past_due",
        None,
        "Days an invoice may be overdue before a hold.",
        maximum=3650,
    ),
    flag("estimate_sharing", True, "Estimates are shared on the client's dashboard."),
    flag(
        "create_job_on_accept", True, "Accepting an estimate creates its job and tasks."
    ),
    flag(
        "agreement_before_delivery",
        False,
        "A signed rental agreement is required before a delivery.",
    ),
)

SETTINGS_BY_KEY = {definition.key: definition for definition in CLIENT_SETTINGS}


def value_problem(definition: SettingDefinition, value: Any) -> str | None:
    """Why ``value`` cannot be the setting's value, in words; None when it can.

    JSON has one number type, so a boolean is refused where a whole number is
    expected (Python counts ``True`` as an int) and 30.0 is not 30.
    """
    if value is None:
        return None if definition.is_nullable else "This setting needs a value."
    if definition.value_type is ValueType.BOOLEAN:
        return None if isinstance(value, bool) else "Give true or false."
    if definition.value_type is ValueType.TEXT:
        if not isinstance(value, str):
            return "Give a text value."
        if definition.choices and value not in definition.choices:
            return "Give one of: " + ", ".join(definition.choices) + "."
        return None
    return number_problem(definition, value)


def number_problem(definition: SettingDefinition, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return "Give a whole number."
    if definition.minimum is not None and value < definition.minimum:
        return f"Give a number of at least {definition.minimum}."
    if definition.maximum is not None and value > definition.maximum:
        return f"Give a number of at most {definition.maximum}."
    return None


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


class SettingSource(StrEnum):
    """Where an effective value comes from."""

    ACCOUNT_DEFAULT = "account_default"
    CLIENT_OVERRIDE = "client_override"


@dataclass(frozen=True, slots=True)
class NotificationOverride:
    """A client's own on/off for one event on one channel."""

    event: str
    channel: str
    is_enabled: bool
    changed_at: datetime
    changed_by_id: int | None = None


@dataclass(frozen=True, slots=True)
class EffectiveNotificationSetting:
    event: NotificationEvent
    channel: Channel
    is_enabled: bool
    source: SettingSource
    account_default: bool
    override: NotificationOverride | None


def account_notification_default(
    account_defaults: Mapping[str, Any] | None,
    event: NotificationEvent,
    channel: Channel,
) -> bool:
    """The account's own on/off, else the built-in default.

    Only a boolean at ``account_defaults[event][channel]`` counts; anything
    else (a missing key, a malformed document) falls back to the built-in.
    """
    per_channel = (account_defaults or {}).get(event.value)
    value = per_channel.get(channel.value) if isinstance(per_channel, dict) else None
    if isinstance(value, bool):
        return value
    return default_notification_setting(event, channel)


def effective_notification_settings(
    account_defaults: Mapping[str, Any] | None,
    overrides: Iterable[NotificationOverride],
) -> list[EffectiveNotificationSetting]:
    """One effective setting per event and channel, in declaration order.

    A client override wins; otherwise the account default applies. Overrides
    of events or channels that no longer exist are ignored.
    """
    by_key = {(override.event, override.channel): override for override in overrides}
    settings = []
    for event in NotificationEvent:
        for channel in Channel:
            account_default = account_notification_default(
                account_defaults, event, channel
            )
            override = by_key.get((event.value, channel.value))
            settings.append(
                EffectiveNotificationSetting(
                    event=event,
                    channel=channel,
                    is_enabled=override.is_enabled if override else account_default,
                    source=SettingSource.CLIENT_OVERRIDE
                    if override
                    else SettingSource.ACCOUNT_DEFAULT,
                    account_default=account_default,
                    override=override,
                )
            )
    return settings


@dataclass(frozen=True, slots=True)
class SettingOverride:
    """A client's own value for one client setting."""

    key: str
    value: Any
    changed_at: datetime
    changed_by_id: int | None = None


@dataclass(frozen=True, slots=True)
class EffectiveSetting:
    definition: SettingDefinition
    value: Any
    source: SettingSource
    account_value: Any
    override: SettingOverride | None


def account_setting_value(
    account_settings: Mapping[str, Any] | None, definition: SettingDefinition
) -> Any:
    """The account's value for a setting, else the setting's default.

    A key present with a null value is the account's choice ("no threshold"),
    not a missing key.
    """
    settings = account_settings or {}
    if definition.key in settings:
        return settings[definition.key]
    return definition.default


def effective_setting(
    definition: SettingDefinition,
    account_settings: Mapping[str, Any] | None,
    override: SettingOverride | None,
) -> EffectiveSetting:
    """The value that applies to one client, and where it comes from.

    An override of a setting the client may not override is kept in the
    table but has no effect.
    """
    account_value = account_setting_value(account_settings, definition)
    if override is None or not definition.is_client_overridable:
        return EffectiveSetting(
            definition,
            account_value,
            SettingSource.ACCOUNT_DEFAULT,
            account_value,
            None,
        )
    return EffectiveSetting(
        definition,
        override.value,
        SettingSource.CLIENT_OVERRIDE,
        account_value,
        override,
    )


def effective_client_settings(
    account_settings: Mapping[str, Any] | None,
    overrides: Iterable[SettingOverride],
) -> list[EffectiveSetting]:
    """Every client setting's effective value, in catalogue order.

    Overrides of keys that are not in the catalogue are ignored.
    """
    by_key = {override.key: override for override in overrides}
    return [
        effective_setting(definition, account_settings, by_key.get(definition.key))
        for definition in CLIENT_SETTINGS
    ]
