"""Effective notification and client settings: override, account, default."""

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.settings import (
    CLIENT_SETTINGS,
    SETTINGS_BY_KEY,
    EffectiveNotificationSetting,
    NotificationOverride,
    SettingOverride,
    SettingSource,
    account_notification_default,
    default_notification_setting,
    effective_client_settings,
    effective_notification_settings,
    effective_setting,
)
from persistence.enums import Channel, NotificationEvent

CHANGED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def by_event_and_channel(
    account_defaults: dict[str, Any] | None, overrides: list[NotificationOverride]
) -> dict[tuple[NotificationEvent, Channel], EffectiveNotificationSetting]:
    settings = effective_notification_settings(account_defaults, overrides)
    return {(setting.event, setting.channel): setting for setting in settings}


def test_every_event_and_channel_has_exactly_one_setting() -> None:
    settings = effective_notification_settings({}, [])

    pairs = [(setting.event, setting.channel) for setting in settings]
    assert len(pairs) == len(NotificationEvent) * len(Channel)
    assert len(set(pairs)) == len(pairs)


@pytest.mark.parametrize(
    ("event", "channel", "expected"),
    [
        (NotificationEvent.INVOICE_SENT, Channel.EMAIL, True),
        (NotificationEvent.INVOICE_SENT, Channel.TEXT, False),
        (NotificationEvent.TASK_REMINDER, Channel.TEXT, True),
    ],
)
def test_built_in_default_applies_without_account_or_client_choice(
    event: NotificationEvent, channel: Channel, expected: bool
) -> None:
    settings = by_event_and_channel(None, [])

    setting = settings[event, channel]
    assert setting.is_enabled is expected
    assert setting.account_default is expected
    assert setting.source is SettingSource.ACCOUNT_DEFAULT
    assert setting.override is None


def test_account_default_replaces_built_in_default() -> None:
    account_defaults = {"invoice_sent": {"text": True, "email": False}}

    settings = by_event_and_channel(account_defaults, [])

    assert settings[NotificationEvent.INVOICE_SENT, Channel.TEXT].is_enabled is True
    assert settings[NotificationEvent.INVOICE_SENT, Channel.EMAIL].is_enabled is False
    assert settings[NotificationEvent.ESTIMATE_SENT, Channel.EMAIL].is_enabled is True


def test_client_override_wins_and_keeps_the_account_default_beside_it() -> None:
    override = NotificationOverride("invoice_sent", "email", False, CHANGED_AT, 7)

    settings = by_event_and_channel({"invoice_sent": {"email": True}}, [override])

    setting = settings[NotificationEvent.INVOICE_SENT, Channel.EMAIL]
    assert setting.is_enabled is False
    assert setting.source is SettingSource.CLIENT_OVERRIDE
    assert setting.account_default is True
    assert setting.override == override


@pytest.mark.parametrize(
    "account_defaults",
    [
        {"invoice_sent": {"text": "yes"}},
        {"invoice_sent": True},
        {"invoice_sent": None},
        {"invoice_sent": {"text": None}},
    ],
)
def test_malformed_account_defaults_fall_back_to_built_in(
    account_defaults: dict[str, Any],
) -> None:
    value = account_notification_default(
        account_defaults, NotificationEvent.INVOICE_SENT, Channel.TEXT
    )

    assert value is default_notification_setting(
        NotificationEvent.INVOICE_SENT, Channel.TEXT
    )


def test_overrides_of_unknown_events_are_ignored() -> None:
    stale = NotificationOverride("fax_sent", "email", False, CHANGED_AT)

    settings = effective_notification_settings({}, [stale])

    assert all(setting.override is None for setting in settings)


def test_every_client_setting_is_listed_in_catalogue_order() -> None:
    settings = effective_client_settings(None, [])

    assert [setting.definition.key for setting in settings] == [
        definition.key for definition in CLIENT_SETTINGS
    ]
    assert all(s.value == s.definition.default for s in settings)
    assert all(s.source is SettingSource.ACCOUNT_DEFAULT for s in settings)


def test_account_value_replaces_setting_default_even_when_null() -> None:
    account_settings = {"payment_terms_days": 15, "hold_after_failed_payments": None}

    settings = {
        s.definition.key: s for s in effective_client_settings(account_settings, [])
    }

    assert settings["payment_terms_days"].value == 15
    assert settings["payment_terms_days"].account_value == 15
    assert settings["hold_after_failed_payments"].value is None
    assert settings["tax_exempt"].value is False


def test_client_override_wins_over_account_value() -> None:
    override = SettingOverride("payment_terms_days", 45, CHANGED_AT, 3)

    settings = {
        s.definition.key: s
        for s in effective_client_settings({"payment_terms_days": 15}, [override])
    }

    setting = settings["payment_terms_days"]
    assert setting.value == 45
    assert setting.source is SettingSource.CLIENT_OVERRIDE
    assert setting.account_value == 15
    assert setting.override == override


def test_override_of_a_setting_clients_may_not_override_has_no_effect() -> None:
    locked = replace(SETTINGS_BY_KEY["tax_rate_bps"], is_client_overridable=False)
    override = SettingOverride("tax_rate_bps", 0, CHANGED_AT)

    setting = effective_setting(locked, {"tax_rate_bps": 825}, override)

    assert setting.value == 825
    assert setting.source is SettingSource.ACCOUNT_DEFAULT
    assert setting.override is None


def test_overrides_of_unknown_keys_are_ignored() -> None:
    stale = SettingOverride("fax_invoices", True, CHANGED_AT)

    settings = effective_client_settings({}, [stale])

    assert all(setting.override is None for setting in settings)
