"""Each money mutation needs its permission; without it, FORBIDDEN and no change."""

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.permissions import ALL, Permission
from persistence.models import ActivityRecord
from tests.graph.payments.conftest import MakeGraph

ID = "Q2xpZW50OjAwMDA"
MUTATIONS = {
    "recordPayment": (
        Permission.PAYMENTS_COLLECT,
        "RecordPaymentInput",
        {"clientId": ID, "method": "CASH", "amount": 1, "idempotencyKey": "k"},
    ),
    "chargePaymentMethod": (
        Permission.PAYMENTS_COLLECT,
        "ChargePaymentMethodInput",
        {"clientId": ID, "paymentMethodId": ID, "amount": 1, "idempotencyKey": "k"},
    ),
    "createPaymentRequest": (
        Permission.PAYMENTS_COLLECT,
        "CreatePaymentRequestInput",
        {"invoiceId": ID, "channel": "EMAIL"},
    ),
    "refundPayment": (
        Permission.BILLING_WRITE,
        "RefundPaymentInput",
        {"paymentId": ID, "amount": 1, "idempotencyKey": "k"},
    ),
    "issueCredit": (
        Permission.BILLING_WRITE,
        "IssueCreditInput",
        {"clientId": ID, "amount": 1, "reason": "r", "idempotencyKey": "k"},
    ),
    "applyCredit": (Permission.BILLING_WRITE, "ApplyCreditInput", {"clientId": ID}),
    "placeHold": (
        Permission.BILLING_WRITE,
        "PlaceHoldInput",
        {"clientId": ID, "reason": "r"},
    ),
    "releaseHold": (
        Permission.BILLING_WRITE,
        "ReleaseHoldInput",
        {"clientId": ID, "reason": "r"},
    ),
    "addPaymentMethod": (
        Permission.PAYMENT_METHODS_WRITE,
        "AddPaymentMethodInput",
        {"clientId": ID, "kind": "CARD", "token": "tok_visa"},
    ),
    "setDefaultPaymentMethod": (
        Permission.PAYMENT_METHODS_WRITE,
        "SetDefaultPaymentMethodInput",
        {"paymentMethodId": ID},
    ),
    "removePaymentMethod": (
        Permission.PAYMENT_METHODS_WRITE,
        "RemovePaymentMethodInput",
        {"paymentMethodId": ID},
    ),
}


@pytest.mark.parametrize("name", MUTATIONS.keys())
async def test_staff_without_the_permission_are_forbidden(
    make_graph: MakeGraph, session: AsyncSession, name: str
) -> None:
    permission, input_type, values = MUTATIONS[name]
    api = await make_graph(ALL - {permission})
    document = (
        f"mutation($input: {input_type}!) {{ {name}(input: $input) "
        "{ userErrors { code } } }"
    )

    body = await api.execute(document, input=values)

    assert body["data"] == {name: None}
    assert [error["extensions"]["code"] for error in body["errors"]] == ["FORBIDDEN"]
    assert (await session.scalars(select(ActivityRecord))).all() == []


@pytest.mark.parametrize("name", MUTATIONS.keys())
async def test_staff_with_only_that_permission_get_past_the_check(
    make_graph: MakeGraph, name: str
) -> None:
    permission, input_type, values = MUTATIONS[name]
    api = await make_graph(frozenset({permission}))
    document = (
        f"mutation($input: {input_type}!) {{ {name}(input: $input) "
        "{ userErrors { code } } }"
    )

    data = await api.data(document, input=values)

    assert data[name]["userErrors"] != []
