"""placeHold, releaseHold and the payment-method mutations through the API."""

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.enums import NotificationEvent
from persistence.models import (
    Account,
    ActivityRecord,
    Client,
    Hold,
    NotificationLogEntry,
    PaymentMethod,
    StaffUser,
)
from tests.billing_factories import add_hold, add_payment_method
from tests.graph.conftest import GraphClient
from tests.payment_helpers import gid

PLACE = """
mutation($input: PlaceHoldInput!) {
  placeHold(input: $input) {
    hold { reason rule placedBy { name } }
    userErrors { field code }
  }
}
"""
RELEASE = PLACE.replace("placeHold", "releaseHold").replace(
    "PlaceHoldInput", "ReleaseHoldInput"
)
ADD = """
mutation($input: AddPaymentMethodInput!) {
  addPaymentMethod(input: $input) {
    paymentMethod { kind brand bankName lastFour expMonth expYear isDefault }
    userErrors { field code }
  }
}
"""
DEFAULT = """
mutation($id: ID!) {
  setDefaultPaymentMethod(input: {paymentMethodId: $id}) {
    paymentMethod { isDefault } userErrors { field code }
  }
}
"""
REMOVE = DEFAULT.replace("setDefaultPaymentMethod", "removePaymentMethod")


def codes(result: dict[str, Any]) -> list[tuple[list[str] | None, str]]:
    return [(error["field"], error["code"]) for error in result["userErrors"]]


async def test_staff_place_a_hold_and_the_client_is_told(
    api: GraphClient, session: AsyncSession, client: Client, staff: StaffUser
) -> None:
    data = await api.data(
        PLACE, input={"clientId": gid("Client", client), "reason": "Bounced check"}
    )

    assert data["placeHold"] == {
        "hold": {
            "reason": "Bounced check",
            "rule": "MANUAL",
            "placedBy": {"name": staff.name},
        },
        "userErrors": [],
    }
    events = await session.scalars(select(NotificationLogEntry.event))
    assert list(events) == [NotificationEvent.HOLD_PLACED]
    actions = await session.scalars(select(ActivityRecord.action))
    assert list(actions) == ["hold.placed"]


async def test_staff_release_a_hold_a_rule_placed(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    hold = await add_hold(session, client)
    await session.commit()

    data = await api.data(
        RELEASE, input={"clientId": gid("Client", client), "reason": "Card updated"}
    )

    assert data["releaseHold"]["userErrors"] == []
    assert data["releaseHold"]["hold"]["rule"] == "FAILED_PAYMENTS"
    await session.refresh(hold)
    assert hold.release_reason == "Card updated"
    assert hold.released_at is not None
    actions = await session.scalars(select(ActivityRecord.action))
    assert list(actions) == ["hold.released"]


@pytest.mark.parametrize(
    ("mutation", "name", "on_hold", "values", "expected"),
    [
        (PLACE, "placeHold", True, {}, (["input", "clientId"], "ALREADY_ON_HOLD")),
        (RELEASE, "releaseHold", False, {}, (["input", "clientId"], "NOT_ON_HOLD")),
        (
            PLACE,
            "placeHold",
            False,
            {"reason": ""},
            (["input", "reason"], "REASON_REQUIRED"),
        ),
        (
            PLACE,
            "placeHold",
            False,
            {"clientId": "nope"},
            (["input", "clientId"], "CLIENT_NOT_FOUND"),
        ),
    ],
)
async def test_a_refused_hold_change_changes_nothing(
    api: GraphClient,
    session: AsyncSession,
    client: Client,
    mutation: str,
    name: str,
    on_hold: bool,
    values: dict[str, str],
    expected: tuple[list[str], str],
) -> None:
    if on_hold:
        await add_hold(session, client)
    await session.commit()
    before = [(row.id, row.released_at) for row in await session.scalars(select(Hold))]

    data = await api.data(
        mutation, input={"clientId": gid("Client", client), "reason": "Why"} | values
    )

    assert codes(data[name]) == [expected]
    await session.commit()
    after = [(row.id, row.released_at) for row in await session.scalars(select(Hold))]
    assert after == before
    assert (await session.scalars(select(ActivityRecord))).all() == []


async def test_a_card_and_a_bank_account_are_added(
    api: GraphClient, client: Client
) -> None:
    card = await api.data(
        ADD,
        input={"clientId": gid("Client", client), "kind": "CARD", "token": "tok_visa"},
    )
    bank = await api.data(
        ADD,
        input={
            "clientId": gid("Client", client),
            "kind": "ACH",
            "token": "btok_success",
        },
    )

    assert card["addPaymentMethod"]["paymentMethod"] == {
        "kind": "CARD",
        "brand": "Visa",
        "bankName": None,
        "lastFour": "4242",
        "expMonth": 12,
        "expYear": 2034,
        "isDefault": True,
    }
    assert bank["addPaymentMethod"]["paymentMethod"]["isDefault"] is False
    assert bank["addPaymentMethod"]["paymentMethod"]["bankName"] == "Sandbox Bank"


@pytest.mark.parametrize(
    ("kind", "token", "addon", "expected"),
    [
        ("CARD", "4242424242424242", True, (["input", "token"], "INVALID_TOKEN")),
        ("ACH", "tok_visa", True, (["input", "token"], "INVALID_TOKEN")),
        ("CARD", "tok_visa", False, (None, "ADDON_REQUIRED")),
        ("CARD", "tok_visa", True, (["input", "clientId"], "CLIENT_NOT_FOUND")),
    ],
)
async def test_a_refused_method_is_not_kept(
    api: GraphClient,
    session: AsyncSession,
    account: Account,
    client: Client,
    kind: str,
    token: str,
    addon: bool,
    expected: tuple[list[str] | None, str],
) -> None:
    account.has_payments_addon = addon
    await session.commit()

    # The last case names the account instead of a client.
    target = account if expected[1] == "CLIENT_NOT_FOUND" else client
    data = await api.data(
        ADD, input={"clientId": gid("Client", target), "kind": kind, "token": token}
    )

    assert codes(data["addPaymentMethod"]) == [expected]
    await session.commit()
    assert (await session.scalars(select(PaymentMethod))).all() == []


async def test_a_holder_name_too_long_is_refused_before_the_processor(
    api: GraphClient, session: AsyncSession, account: Account, client: Client
) -> None:
    account.has_payments_addon = True
    await session.commit()

    data = await api.data(
        ADD,
        input={
            "clientId": gid("Client", client),
            "kind": "CARD",
            "token": "tok_visa",
            "holderName": "N" * 201,
        },
    )

    assert codes(data["addPaymentMethod"]) == [
        (["input", "holderName"], "HOLDER_NAME_TOO_LONG")
    ]
    assert (await session.scalars(select(PaymentMethod))).all() == []


async def test_default_moves_and_removed_methods_are_gone(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    first = await add_payment_method(session, client, is_default=True)
    second = await add_payment_method(session, client)
    await session.commit()

    made_default = await api.data(DEFAULT, id=gid("PaymentMethod", second))
    removed = await api.data(REMOVE, id=gid("PaymentMethod", second))
    again = await api.data(REMOVE, id=gid("PaymentMethod", second))

    assert made_default["setDefaultPaymentMethod"] == {
        "paymentMethod": {"isDefault": True},
        "userErrors": [],
    }
    assert removed["removePaymentMethod"]["paymentMethod"] == {"isDefault": False}
    assert codes(again["removePaymentMethod"]) == [
        (["input", "paymentMethodId"], "PAYMENT_METHOD_NOT_FOUND")
    ]
    await session.refresh(first)
    assert first.is_default is False
    actions = await session.scalars(select(ActivityRecord.action))
    assert list(actions) == ["payment_method.made_default", "payment_method.removed"]


async def test_setting_an_unknown_default_is_refused(
    api: GraphClient, client: Client
) -> None:
    data = await api.data(DEFAULT, id=gid("PaymentMethod", client))

    assert codes(data["setDefaultPaymentMethod"]) == [
        (["input", "paymentMethodId"], "PAYMENT_METHOD_NOT_FOUND")
    ]
