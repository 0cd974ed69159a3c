"""Client setting overrides, account values, notification preferences and
email templates, changed through the staff graph."""

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.permissions import ALL, Permission
from graph.ids import encode_global_id
from persistence.models import (
    Account,
    ActivityRecord,
    ClientSettingOverride,
    EmailTemplate,
    NotificationPreferenceOverride,
    StaffUser,
)
from tests.factories import add_staff_user
from tests.graph.staff_clients import signed_in
from tests.notify_factories import NotifiedClient, add_notified_client

SET_CLIENT_SETTING = """
mutation($client: ID!, $key: String!, $value: JSON) {
  setClientSetting(input: {clientId: $client, key: $key, value: $value}) {
    setting { key value source accountValue changedAt changedBy { name } }
    userErrors { field code }
  }
}
"""
CLEAR_CLIENT_SETTING = """
mutation($client: ID!, $key: String!) {
  clearClientSetting(input: {clientId: $client, key: $key}) {
    setting { key value source changedBy { name } }
    userErrors { field code }
  }
}
"""
SET_ACCOUNT_SETTING = """
mutation($key: String!, $value: JSON) {
  setAccountSetting(input: {key: $key, value: $value}) {
    setting { key value default isDefault }
    userErrors { field code }
  }
}
"""
CLEAR_ACCOUNT_SETTING = """
mutation($key: String!) {
  clearAccountSetting(input: {key: $key}) {
    setting { key value isDefault } userErrors { code }
  }
}
"""
SET_PREFERENCE = """
mutation($client: ID!, $enabled: Boolean!) {
  setNotificationPreference(input: {
    clientId: $client, event: INVOICE_SENT, channel: EMAIL, isEnabled: $enabled
  }) {
    setting { event channel isEnabled source accountDefault suppressionReason
              changedBy { name } }
    userErrors { field code }
  }
}
"""
CLEAR_PREFERENCE = """
mutation($client: ID!) {
  clearNotificationPreference(input: {
    clientId: $client, event: INVOICE_SENT, channel: EMAIL
  }) {
    setting { isEnabled source suppressionReason } userErrors { code }
  }
}
"""
SET_DEFAULT = """
mutation {
  setNotificationDefault(input: {event: INVOICE_SENT, channel: TEXT, isEnabled: true}) {
    default { event channel isEnabled builtIn } userErrors { code }
  }
}
"""
SET_TEMPLATE = """
mutation($subject: String!, $html: String!, $text: String!) {
  setEmailTemplate(input: {
    event: INVOICE_SENT, subject: $subject, html: $html, text: $text
  }) {
    template { event subject isCustomized updatedBy { name } }
    userErrors { field code }
  }
}
"""
RESET_TEMPLATE = """
mutation {
  resetEmailTemplate(input: {event: INVOICE_SENT}) {
    template { isCustomized subject } userErrors { code }
  }
}
"""


@pytest.fixture
async def notified(session: AsyncSession) -> NotifiedClient:
    return await add_notified_client(session)


@pytest.fixture
async def staff_user(session: AsyncSession, notified: NotifiedClient) -> StaffUser:
    user = await add_staff_user(session, notified.account, name="Olive Office")
    await session.commit()
    return user


def client_id(notified: NotifiedClient) -> str:
    return encode_global_id("Client", notified.client.public_id)


async def actions(session: AsyncSession) -> list[str]:
    return list(await session.scalars(select(ActivityRecord.action)))


async def test_a_client_override_wins_and_says_who_set_it(
    engine: AsyncEngine,
    session: AsyncSession,
    notified: NotifiedClient,
    staff_user: StaffUser,
) -> None:
    async with signed_in(engine, staff_user) as graph:
        data = await graph.data(
            SET_CLIENT_SETTING, client=client_id(notified), key="tax_exempt", value=True
        )
        cleared = await graph.data(
            CLEAR_CLIENT_SETTING, client=client_id(notified), key="tax_exempt"
        )

    setting = data["setClientSetting"]["setting"]
    assert data["setClientSetting"]["userErrors"] == []
    assert setting["value"] is True
    assert setting["source"] == "CLIENT_OVERRIDE"
    assert setting["accountValue"] is False
    assert setting["changedAt"] is not None
    assert setting["changedBy"] == {"name": "Olive Office"}
    assert cleared["clearClientSetting"]["setting"] == {
        "key": "tax_exempt",
        "value": False,
        "source": "ACCOUNT_DEFAULT",
        "changedBy": None,
    }
    assert {"client_setting.set", "client_setting.cleared"} <= set(
        await actions(session)
    )


@pytest.mark.parametrize(
    ("key", "value", "code", "field"),
    [
        ("no_such_setting", True, "UNKNOWN_SETTING", ["input", "key"]),
        ("tax_exempt", "yes", "INVALID_VALUE", ["input", "value"]),
        ("payment_terms_days", True, "INVALID_VALUE", ["input", "value"]),
        ("payment_terms_days", -1, "INVALID_VALUE", ["input", "value"]),
        ("payment_terms_days", None, "INVALID_VALUE", ["input", "value"]),
        ("invoice_delivery", "pigeon", "INVALID_VALUE", ["input", "value"]),
    ],
)
async def test_values_are_checked_against_the_catalogue(
    engine: AsyncEngine,
    session: AsyncSession,
    notified: NotifiedClient,
    staff_user: StaffUser,
    key: str,
    value: Any,
    code: str,
    field: list[str],
) -> None:
    async with signed_in(engine, staff_user) as graph:
        data = await graph.data(
            SET_CLIENT_SETTING, client=client_id(notified), key=key, value=value
        )

    assert data["setClientSetting"] == {
        "setting": None,
        "userErrors": [{"field": field, "code": code}],
    }
    assert list(await session.scalars(select(ClientSettingOverride))) == []
    assert await actions(session) == []


async def test_a_null_is_a_value_where_the_setting_allows_none(
    engine: AsyncEngine, notified: NotifiedClient, staff_user: StaffUser
) -> None:
    async with signed_in(engine, staff_user) as graph:
        data = await graph.data(
            SET_CLIENT_SETTING,
            client=client_id(notified),
            key="hold_balance_threshold",
            value=None,
        )

    assert data["setClientSetting"]["setting"]["source"] == "CLIENT_OVERRIDE"
    assert data["setClientSetting"]["setting"]["value"] is None


async def test_another_accounts_client_is_not_found(
    engine: AsyncEngine, session: AsyncSession, staff_user: StaffUser
) -> None:
    theirs = await add_notified_client(session)

    async with signed_in(engine, staff_user) as graph:
        data = await graph.data(
            SET_CLIENT_SETTING, client=client_id(theirs), key="tax_exempt", value=True
        )

    assert data["setClientSetting"]["userErrors"] == [
        {"field": ["input", "clientId"], "code": "CLIENT_NOT_FOUND"}
    ]
    assert list(await session.scalars(select(ClientSettingOverride))) == []


async def test_account_values_apply_until_cleared(
    engine: AsyncEngine,
    session: AsyncSession,
    notified: NotifiedClient,
    staff_user: StaffUser,
) -> None:
    async with signed_in(engine, staff_user) as graph:
        chosen = await graph.data(
            SET_ACCOUNT_SETTING, key="payment_terms_days", value=15
        )
        refused = await graph.data(
            SET_ACCOUNT_SETTING, key="payment_terms_days", value=1000
        )
        stored = await session.scalar(
            select(Account.client_settings).where(Account.id == notified.account.id)
        )
        cleared = await graph.data(CLEAR_ACCOUNT_SETTING, key="payment_terms_days")

    assert chosen["setAccountSetting"]["setting"] == {
        "key": "payment_terms_days",
        "value": 15,
        "default": 30,
        "isDefault": False,
    }
    assert refused["setAccountSetting"]["userErrors"] == [
        {"field": ["input", "value"], "code": "INVALID_VALUE"}
    ]
    assert stored == {"payment_terms_days": 15}
    assert cleared["clearAccountSetting"]["setting"] == {
        "key": "payment_terms_days",
        "value": 30,
        "isDefault": True,
    }


async def test_a_notification_preference_overrides_the_account_default(
    engine: AsyncEngine,
    session: AsyncSession,
    notified: NotifiedClient,
    staff_user: StaffUser,
) -> None:
    async with signed_in(engine, staff_user) as graph:
        turned_off = await graph.data(
            SET_PREFERENCE, client=client_id(notified), enabled=False
        )
        cleared = await graph.data(CLEAR_PREFERENCE, client=client_id(notified))

    assert turned_off["setNotificationPreference"]["setting"] == {
        "event": "INVOICE_SENT",
        "channel": "EMAIL",
        "isEnabled": False,
        "source": "CLIENT_OVERRIDE",
        "accountDefault": True,
        "suppressionReason": "client turned off invoice emails",
        "changedBy": {"name": "Olive Office"},
    }
    assert cleared["clearNotificationPreference"]["setting"] == {
        "isEnabled": True,
        "source": "ACCOUNT_DEFAULT",
        "suppressionReason": None,
    }
    assert list(await session.scalars(select(NotificationPreferenceOverride))) == []
    assert {"notification_preference.set", "notification_preference.cleared"} <= set(
        await actions(session)
    )


async def test_an_account_default_turns_invoice_texts_on(
    engine: AsyncEngine, notified: NotifiedClient, staff_user: StaffUser
) -> None:
    async with signed_in(engine, staff_user) as graph:
        data = await graph.data(SET_DEFAULT)
        listed = await graph.data(
            "{ notificationDefaults { event channel isEnabled } }"
        )

    assert data["setNotificationDefault"]["default"] == {
        "event": "INVOICE_SENT",
        "channel": "TEXT",
        "isEnabled": True,
        "builtIn": False,
    }
    assert {"event": "INVOICE_SENT", "channel": "TEXT", "isEnabled": True} in listed[
        "notificationDefaults"
    ]


async def test_text_consent_shows_in_the_effective_text_settings(
    engine: AsyncEngine,
    session: AsyncSession,
    notified: NotifiedClient,
    staff_user: StaffUser,
) -> None:
    without_consent = await add_notified_client(
        session, notified.account, text_consent_at=None
    )
    query = """query($id: ID!) { client(id: $id) { notificationSettings {
        event channel isEnabled suppressionReason } } }"""

    async with signed_in(engine, staff_user) as graph:
        data = await graph.data(query, id=client_id(without_consent))

    by_key = {
        (setting["event"], setting["channel"]): setting
        for setting in data["client"]["notificationSettings"]
    }
    assert by_key["TASK_SCHEDULED", "TEXT"]["isEnabled"] is True
    assert by_key["TASK_SCHEDULED", "TEXT"]["suppressionReason"] == "no text consent"
    assert by_key["TASK_SCHEDULED", "EMAIL"]["suppressionReason"] is None


async def test_an_email_template_is_saved_checked_and_reset(
    engine: AsyncEngine,
    session: AsyncSession,
    notified: NotifiedClient,
    staff_user: StaffUser,
) -> None:
    async with signed_in(engine, staff_user) as graph:
        saved = await graph.data(
            SET_TEMPLATE,
            subject="Bill {{ invoice.number }}",
            html="<p>{{ contact_name }}</p>",
            text="{{ contact_name }}",
        )
        refused = await graph.data(
            SET_TEMPLATE,
            subject="",
            html="{{ ''.__class__.__mro__[1].__subclasses__() }}",
            text="{% if %}",
        )
        stored = await session.scalar(select(EmailTemplate.subject))
        reset = await graph.data(RESET_TEMPLATE)

    assert saved["setEmailTemplate"] == {
        "template": {
            "event": "INVOICE_SENT",
            "subject": "Bill {{ invoice.number }}",
            "isCustomized": True,
            "updatedBy": {"name": "Olive Office"},
        },
        "userErrors": [],
    }
    assert sorted(
        error["field"][1] for error in refused["setEmailTemplate"]["userErrors"]
    ) == [
        "html",
        "subject",
        "text",
    ]
    assert {error["code"] for error in refused["setEmailTemplate"]["userErrors"]} == {
        "TEMPLATE_INVALID"
    }
    assert stored == "Bill {{ invoice.number }}"
    assert reset["resetEmailTemplate"]["template"]["isCustomized"] is False


MUTATIONS = {
    SET_CLIENT_SETTING: {"key": "tax_exempt", "value": True},
    CLEAR_CLIENT_SETTING: {"key": "tax_exempt"},
    SET_PREFERENCE: {"enabled": False},
    CLEAR_PREFERENCE: {},
}


@pytest.mark.parametrize("mutation", [*MUTATIONS, SET_ACCOUNT_SETTING, SET_DEFAULT])
async def test_settings_changes_need_settings_write(
    engine: AsyncEngine,
    session: AsyncSession,
    notified: NotifiedClient,
    staff_user: StaffUser,
    mutation: str,
) -> None:
    variables: dict[str, Any] = {"client": client_id(notified)}
    variables |= MUTATIONS.get(mutation, {"key": "tax_exempt", "value": True})
    if mutation is SET_DEFAULT:
        variables = {}
    lacking = ALL - {Permission.SETTINGS_WRITE}

    async with signed_in(engine, staff_user, lacking) as graph:
        body = await graph.execute(mutation, **variables)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert list(await session.scalars(select(ClientSettingOverride))) == []
    assert await actions(session) == []
