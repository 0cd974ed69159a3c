"""recordPayment: money received, applied, idempotent, all or nothing."""

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.models import (
    Account,
    ActivityRecord,
    Client,
    Invoice,
    Payment,
    PaymentApplication,
)
from tests.billing_factories import add_payment
from tests.factories import add_account, add_client, add_invoice
from tests.graph.conftest import GraphClient
from tests.payment_helpers import gid

RECORD = """
mutation($input: RecordPaymentInput!) {
  recordPayment(input: $input) {
    payment {
      id method status amount { minorUnits }
      appliedTo { invoiceNumber amount { minorUnits } }
    }
    userErrors { __typename field code }
  }
}
"""


def payment_input(client: Client, amount: int, key: str = "k-1", **extra: Any) -> dict:
    return {
        "clientId": gid("Client", client),
        "method": "CHECK",
        "amount": amount,
        "idempotencyKey": key,
        **extra,
    }


async def ledger_rows(session: AsyncSession) -> list[tuple[Any, ...]]:
    """Everything a payment could have changed, read in a fresh transaction."""
    await session.commit()
    invoices = await session.execute(
        select(Invoice.id, Invoice.status, Invoice.paid_at)
    )
    payments = await session.execute(select(Payment.id, Payment.amount))
    applications = await session.execute(select(PaymentApplication.amount))
    activity = await session.execute(select(ActivityRecord.action))
    return [
        *invoices.all(),
        *payments.all(),
        *applications.all(),
        *activity.all(),
    ]


async def test_a_check_pays_the_oldest_invoice_and_is_recorded(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    invoice = await add_invoice(session, client, total=10_825)
    await session.commit()

    data = await api.data(RECORD, input=payment_input(client, 10_825))

    result = data["recordPayment"]
    assert result["userErrors"] == []
    assert result["payment"]["status"] == "SUCCEEDED"
    assert result["payment"]["appliedTo"] == [
        {"invoiceNumber": invoice.number, "amount": {"minorUnits": 10_825}}
    ]
    await session.refresh(invoice)
    assert invoice.status == "paid"
    actions = await session.scalars(select(ActivityRecord.action))
    assert list(actions) == ["payment.recorded"]


async def test_the_same_key_answers_with_the_first_payment(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    first = await api.data(RECORD, input=payment_input(client, 5_000))
    second = await api.data(RECORD, input=payment_input(client, 5_000))

    assert (
        second["recordPayment"]["payment"]["id"]
        == (first["recordPayment"]["payment"]["id"])
    )
    assert len((await session.scalars(select(Payment))).all()) == 1


async def test_a_different_request_with_a_used_key_is_refused(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    await api.data(RECORD, input=payment_input(client, 5_000))

    data = await api.data(RECORD, input=payment_input(client, 5_001))

    assert data["recordPayment"] == {
        "payment": None,
        "userErrors": [
            {
                "__typename": "PaymentError",
                "field": ["input", "idempotencyKey"],
                "code": "DUPLICATE_KEY_DIFFERENT_REQUEST",
            }
        ],
    }


CASES = {
    "amount not positive": (
        {"amount": -5},
        [(["input", "amount"], "AMOUNT_NOT_POSITIVE")],
    ),
    "empty key": (
        {"idempotencyKey": " "},
        [(["input", "idempotencyKey"], "IDEMPOTENCY_KEY_INVALID")],
    ),
    "long reference": (
        {"reference": "x" * 101},
        [(["input", "reference"], "REFERENCE_TOO_LONG")],
    ),
    "unknown client": (
        {"clientId": "not-an-id"},
        [(["input", "clientId"], "CLIENT_NOT_FOUND")],
    ),
    "more than owed": (
        {"amount": 20_000, "allocations": [{"invoice": "open", "amount": 20_000}]},
        [(["input", "allocations", "0", "amount"], "OVERAPPLIED")],
    ),
    "more than the payment": (
        {"amount": 100, "allocations": [{"invoice": "open", "amount": 200}]},
        [(["input", "allocations"], "OVERAPPLIED")],
    ),
    "paid invoice": (
        {"allocations": [{"invoice": "paid", "amount": 100}]},
        [(["input", "allocations", "0", "invoiceId"], "INVOICE_NOT_OPEN")],
    ),
    "another client's invoice": (
        {"allocations": [{"invoice": "foreign", "amount": 100}]},
        [(["input", "allocations", "0", "invoiceId"], "INVOICE_NOT_FOUND")],
    ),
    "invoice twice": (
        {
            "allocations": [
                {"invoice": "open", "amount": 100},
                {"invoice": "open", "amount": 100},
            ]
        },
        [(["input", "allocations", "1", "invoiceId"], "INVOICE_LISTED_TWICE")],
    ),
}


@pytest.mark.parametrize("case", CASES.keys())
async def test_a_refused_payment_changes_nothing(
    api: GraphClient,
    session: AsyncSession,
    account: Account,
    client: Client,
    case: str,
) -> None:
    changes, expected = CASES[case]
    invoices = {
        "open": await add_invoice(session, client, total=10_825),
        "paid": await add_invoice(session, client, status="paid"),
        "foreign": await add_invoice(session, await add_client(session, account)),
    }
    await add_payment(session, client, amount=700)
    await session.commit()
    allocations = [
        {
            "invoiceId": gid("Invoice", invoices[item["invoice"]]),
            "amount": item["amount"],
        }
        for item in changes.get("allocations", [])
    ]
    values = {key: value for key, value in changes.items() if key != "allocations"}
    if allocations:
        values["allocations"] = allocations
    before = await ledger_rows(session)

    data = await api.data(RECORD, input=payment_input(client, 1_000) | values)

    errors = data["recordPayment"]["userErrors"]
    assert [(error["field"], error["code"]) for error in errors] == expected
    assert data["recordPayment"]["payment"] is None
    assert await ledger_rows(session) == before


async def test_another_accounts_client_is_not_found(
    api: GraphClient, session: AsyncSession
) -> None:
    other_account = await add_account(session)
    stranger = await add_client(session, other_account)
    await session.commit()

    data = await api.data(RECORD, input=payment_input(stranger, 1_000))

    assert data["recordPayment"]["userErrors"] == [
        {
            "__typename": "PaymentError",
            "field": ["input", "clientId"],
            "code": "CLIENT_NOT_FOUND",
        }
    ]
    assert (await session.scalars(select(Payment))).all() == []
