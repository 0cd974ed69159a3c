"""payInvoice and the payment-method mutations on the dashboard route."""

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.enums import NotificationEvent, PaymentStatus
from persistence.models import (
    Account,
    ActivityRecord,
    Client,
    Hold,
    Invoice,
    NotificationLogEntry,
    Payment,
    PaymentMethod,
)
from tests.billing_factories import add_hold, add_payment_method
from tests.factories import add_client, add_invoice
from tests.graph.dashboard.conftest import RouteClient, codes, gid

PAY = """
mutation($input: PayInvoiceInput!) {
  payInvoice(input: $input) {
    payment { status amount { amount } }
    invoice { status }
    userErrors { field code message }
  }
}
"""
ADD = """
mutation($input: AddOwnPaymentMethodInput!) {
  addPaymentMethod(input: $input) {
    paymentMethod { id brand lastFour isDefault }
    userErrors { field code message }
  }
}
"""
DEFAULT = """
mutation($id: ID!) {
  setDefaultPaymentMethod(input: {paymentMethodId: $id}) {
    paymentMethod { isDefault } userErrors { field code message }
  }
}
"""
REMOVE = """
mutation($id: ID!) {
  removePaymentMethod(input: {paymentMethodId: $id}) {
    removedPaymentMethodId userErrors { field code message }
  }
}
"""
BALANCE = "query($id: ID!) { client(id: $id) { billing { balance { amount } } } }"


@pytest.fixture
async def invoice(session: AsyncSession, client: Client) -> Invoice:
    invoice = await add_invoice(session, client, due_on=date(2026, 7, 15))
    await session.commit()
    return invoice


@pytest.fixture
async def card(session: AsyncSession, client: Client) -> PaymentMethod:
    method = await add_payment_method(
        session, client, processor="sandbox", processor_token="pm_tok_visa_1"
    )
    await session.commit()
    return method


def paying(invoice: Invoice, key: str = "key-1", **values: Any) -> dict[str, Any]:
    return {"invoiceId": gid("Invoice", invoice), "idempotencyKey": key} | values


async def payments_of(session: AsyncSession) -> list[tuple[str, int]]:
    rows = await session.execute(select(Payment.status, Payment.amount))
    return sorted((status, amount) for status, amount in rows)


async def test_paying_with_a_saved_card_lowers_the_balance_staff_see(
    dashboard: RouteClient,
    staff: RouteClient,
    session: AsyncSession,
    client: Client,
    invoice: Invoice,
    card: PaymentMethod,
) -> None:
    before = await staff.data(BALANCE, id=gid("Client", client))

    data = await dashboard.data(
        PAY, input=paying(invoice, paymentMethodId=gid("PaymentMethod", card))
    )

    after = await staff.data(BALANCE, id=gid("Client", client))
    assert data["payInvoice"] == {
        "payment": {"status": "SUCCEEDED", "amount": {"amount": "108.25"}},
        "invoice": {"status": "PAID"},
        "userErrors": [],
    }
    assert before["client"]["billing"]["balance"]["amount"] == "108.25"
    assert after["client"]["billing"]["balance"]["amount"] == "0.00"
    receipts = await session.scalar(
        select(func.count()).where(
            NotificationLogEntry.event == NotificationEvent.PAYMENT_RECEIPT
        )
    )
    assert receipts == 1


async def test_the_same_key_twice_makes_one_payment(
    dashboard: RouteClient, session: AsyncSession, invoice: Invoice
) -> None:
    first = await dashboard.data(
        PAY, input=paying(invoice, amount=5_000, token="tok_visa", kind="CARD")
    )
    again = await dashboard.data(
        PAY, input=paying(invoice, amount=5_000, token="tok_visa", kind="CARD")
    )
    different = await dashboard.data(
        PAY, input=paying(invoice, amount=6_000, token="tok_visa", kind="CARD")
    )

    assert first["payInvoice"]["invoice"] == {"status": "PARTIALLY_PAID"}
    assert again["payInvoice"]["payment"] == first["payInvoice"]["payment"]
    assert codes(different["payInvoice"]) == ["DUPLICATE_KEY_DIFFERENT_REQUEST"]
    assert await payments_of(session) == [(PaymentStatus.SUCCEEDED, 5_000)]
    # A new card is not kept on file unless the client asks.
    methods = list(await session.scalars(select(PaymentMethod)))
    assert [method.removed_at is not None for method in methods] == [True]
    actions = list(await session.scalars(select(ActivityRecord.action)))
    assert actions.count("payment_method.added") == 1
    assert actions.count("payment_method.removed") == 1


async def test_a_key_used_for_another_invoice_or_amount_is_refused(
    dashboard: RouteClient, session: AsyncSession, client: Client, invoice: Invoice
) -> None:
    second = await add_invoice(session, client, due_on=date(2026, 7, 20))
    await session.commit()
    card = {"token": "tok_visa", "kind": "CARD"}

    part = await dashboard.data(PAY, input=paying(invoice, amount=5_000, **card))
    what_is_owed = await dashboard.data(PAY, input=paying(invoice, **card))
    other_invoice = await dashboard.data(
        PAY, input=paying(second, amount=5_000, **card)
    )
    in_full = await dashboard.data(PAY, input=paying(second, key="key-2", **card))
    in_full_again = await dashboard.data(PAY, input=paying(second, key="key-2", **card))

    assert part["payInvoice"]["userErrors"] == []
    assert codes(what_is_owed["payInvoice"]) == ["DUPLICATE_KEY_DIFFERENT_REQUEST"]
    assert codes(other_invoice["payInvoice"]) == ["DUPLICATE_KEY_DIFFERENT_REQUEST"]
    assert in_full_again["payInvoice"]["payment"] == in_full["payInvoice"]["payment"]
    assert in_full_again["payInvoice"]["invoice"] == {"status": "PAID"}
    assert await payments_of(session) == [
        (PaymentStatus.SUCCEEDED, 5_000),
        (PaymentStatus.SUCCEEDED, 10_825),
    ]


async def test_a_new_card_is_kept_when_asked_and_the_charge_succeeded(
    dashboard: RouteClient, session: AsyncSession, invoice: Invoice
) -> None:
    data = await dashboard.data(
        PAY, input=paying(invoice, token="tok_visa", kind="CARD", saveMethod=True)
    )

    assert data["payInvoice"]["userErrors"] == []
    method = await session.scalar(select(PaymentMethod))
    assert method is not None
    assert (method.removed_at, method.is_default, method.brand) == (None, True, "Visa")


@pytest.mark.parametrize(
    ("token", "kind", "code"),
    [
        ("tok_chargeDeclined", "CARD", "CARD_DECLINED"),
        ("btok_insufficientFunds", "ACH", "INSUFFICIENT_FUNDS"),
    ],
)
async def test_a_declined_charge_is_kept_as_a_failed_payment(
    dashboard: RouteClient,
    session: AsyncSession,
    invoice: Invoice,
    token: str,
    kind: str,
    code: str,
) -> None:
    data = await dashboard.data(
        PAY, input=paying(invoice, token=token, kind=kind, saveMethod=True)
    )

    assert data["payInvoice"]["payment"]["status"] == "FAILED"
    assert data["payInvoice"]["invoice"] == {"status": "OPEN"}
    assert codes(data["payInvoice"]) == [code]
    assert await payments_of(session) == [(PaymentStatus.FAILED, 10_825)]
    method = await session.scalar(select(PaymentMethod))
    assert method is not None
    assert method.removed_at is not None


async def test_failed_payments_count_toward_the_hold_rule(
    dashboard: RouteClient, session: AsyncSession, invoice: Invoice
) -> None:
    for attempt in range(5):
        await dashboard.data(
            PAY,
            input=paying(
                invoice, f"key-{attempt}", token="tok_chargeDeclined", kind="CARD"
            ),
        )

    hold = await session.scalar(select(Hold))
    assert hold is not None
    assert hold.released_at is None


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        ({}, "PAYMENT_SOURCE_REQUIRED", "paymentMethodId"),
        ({"token": "tok_visa"}, "PAYMENT_SOURCE_REQUIRED", "kind"),
        ({"token": "tok_nothing", "kind": "CARD"}, "INVALID_TOKEN", "token"),
        (
            {"token": "tok_visa", "kind": "CARD", "amount": 0},
            "AMOUNT_NOT_POSITIVE",
            "amount",
        ),
        (
            {"token": "tok_visa", "kind": "CARD", "amount": 10_826},
            "OVERPAYMENT",
            "amount",
        ),
        (
            {"token": "tok_visa", "kind": "CARD", "idempotencyKey": " "},
            "IDEMPOTENCY_KEY_INVALID",
            "idempotencyKey",
        ),
        ({"paymentMethodId": "bm9wZQ"}, "NOT_FOUND", "paymentMethodId"),
    ],
)
async def test_a_payment_refused_for_its_input_moves_nothing(
    dashboard: RouteClient,
    session: AsyncSession,
    invoice: Invoice,
    values: dict[str, Any],
    code: str,
    field: str,
) -> None:
    data = await dashboard.data(PAY, input=paying(invoice) | values)

    assert data["payInvoice"]["payment"] is None
    assert [(e["field"], e["code"]) for e in data["payInvoice"]["userErrors"]] == [
        (["input", field], code)
    ]
    assert await payments_of(session) == []
    assert list(await session.scalars(select(PaymentMethod))) == []


async def test_another_clients_invoice_and_card_are_not_found(
    dashboard: RouteClient, session: AsyncSession, account: Account, invoice: Invoice
) -> None:
    other = await add_client(session, account)
    their_invoice = await add_invoice(session, other)
    their_card = await add_payment_method(
        session, other, processor="sandbox", processor_token="pm_tok_visa_2"
    )
    await session.commit()

    by_invoice = await dashboard.data(
        PAY, input=paying(their_invoice, token="tok_visa", kind="CARD")
    )
    by_card = await dashboard.data(
        PAY, input=paying(invoice, paymentMethodId=gid("PaymentMethod", their_card))
    )
    made_default = await dashboard.data(DEFAULT, id=gid("PaymentMethod", their_card))
    removed = await dashboard.data(REMOVE, id=gid("PaymentMethod", their_card))

    assert codes(by_invoice["payInvoice"]) == ["NOT_FOUND"]
    assert codes(by_card["payInvoice"]) == ["NOT_FOUND"]
    assert codes(made_default["setDefaultPaymentMethod"]) == ["NOT_FOUND"]
    assert codes(removed["removePaymentMethod"]) == ["NOT_FOUND"]
    await session.refresh(their_card)
    assert their_card.removed_at is None


async def test_a_paid_invoice_takes_no_more_money(
    dashboard: RouteClient, session: AsyncSession, client: Client
) -> None:
    paid = await add_invoice(session, client, status="paid")
    await session.commit()

    data = await dashboard.data(PAY, input=paying(paid, token="tok_visa", kind="CARD"))

    assert codes(data["payInvoice"]) == ["NOT_ALLOWED_IN_STATUS"]


async def test_a_client_on_hold_can_pay_and_manage_its_methods(
    dashboard: RouteClient,
    session: AsyncSession,
    client: Client,
    invoice: Invoice,
    card: PaymentMethod,
) -> None:
    await add_hold(session, client)
    await session.commit()

    paid = await dashboard.data(
        PAY, input=paying(invoice, token="tok_visa", kind="CARD")
    )
    added = await dashboard.data(ADD, input={"kind": "CARD", "token": "tok_mastercard"})
    new_id = added["addPaymentMethod"]["paymentMethod"]["id"]
    made_default = await dashboard.data(DEFAULT, id=new_id)
    removed = await dashboard.data(REMOVE, id=gid("PaymentMethod", card))

    assert paid["payInvoice"]["userErrors"] == []
    assert added["addPaymentMethod"]["paymentMethod"]["brand"] == "Mastercard"
    assert made_default["setDefaultPaymentMethod"]["paymentMethod"] == {
        "isDefault": True
    }
    assert removed["removePaymentMethod"] == {
        "removedPaymentMethodId": gid("PaymentMethod", card),
        "userErrors": [],
    }


async def test_an_invalid_token_adds_nothing(
    dashboard: RouteClient, session: AsyncSession
) -> None:
    data = await dashboard.data(ADD, input={"kind": "ACH", "token": "tok_visa"})

    assert codes(data["addPaymentMethod"]) == ["INVALID_TOKEN"]
    # The processor's words stay with the business.
    assert data["addPaymentMethod"]["userErrors"][0]["message"] == (
        "We could not use that card or bank account; check it or try another."
    )
    assert list(await session.scalars(select(PaymentMethod))) == []


async def test_without_the_payments_addon_nothing_is_paid_or_filed(
    dashboard: RouteClient,
    session: AsyncSession,
    account: Account,
    invoice: Invoice,
    card: PaymentMethod,
) -> None:
    account.has_payments_addon = False
    await session.commit()

    paid = await dashboard.data(
        PAY, input=paying(invoice, token="tok_visa", kind="CARD")
    )
    added = await dashboard.data(ADD, input={"kind": "CARD", "token": "tok_visa"})
    made_default = await dashboard.data(DEFAULT, id=gid("PaymentMethod", card))
    removed = await dashboard.data(REMOVE, id=gid("PaymentMethod", card))

    for payload in (paid["payInvoice"], added["addPaymentMethod"]):
        assert codes(payload) == ["ADDON_REQUIRED"]
    assert codes(made_default["setDefaultPaymentMethod"]) == ["ADDON_REQUIRED"]
    assert codes(removed["removePaymentMethod"]) == ["ADDON_REQUIRED"]
    assert await payments_of(session) == []


async def test_a_staff_preview_cannot_pay_or_change_methods(
    preview: RouteClient, session: AsyncSession, invoice: Invoice, card: PaymentMethod
) -> None:
    paid = await preview.data(
        PAY, input=paying(invoice, paymentMethodId=gid("PaymentMethod", card))
    )
    added = await preview.data(ADD, input={"kind": "CARD", "token": "tok_visa"})
    made_default = await preview.data(DEFAULT, id=gid("PaymentMethod", card))
    removed = await preview.data(REMOVE, id=gid("PaymentMethod", card))

    assert codes(paid["payInvoice"]) == ["READ_ONLY"]
    assert codes(added["addPaymentMethod"]) == ["READ_ONLY"]
    assert codes(made_default["setDefaultPaymentMethod"]) == ["READ_ONLY"]
    assert codes(removed["removePaymentMethod"]) == ["READ_ONLY"]
    assert await payments_of(session) == []
    await session.refresh(card)
    assert card.removed_at is None


async def test_paying_too_much_says_what_is_owed_in_money(
    dashboard: RouteClient, invoice: Invoice
) -> None:
    data = await dashboard.data(
        PAY, input=paying(invoice, token="tok_visa", kind="CARD", amount=10_826)
    )

    (error,) = data["payInvoice"]["userErrors"]
    assert f"Invoice #{invoice.number} owes $108.25" in error["message"]
