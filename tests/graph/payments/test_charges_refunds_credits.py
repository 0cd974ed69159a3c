"""chargePaymentMethod, refundPayment, issueCredit, applyCredit and
createPaymentRequest through the API."""

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.gateway import GatewayFailure, GatewayResult, SandboxGateway
from persistence.enums import NotificationEvent, PaymentStatus
from persistence.models import (
    Account,
    ActivityRecord,
    Client,
    Credit,
    Hold,
    NotificationLogEntry,
    Payment,
    PaymentApplication,
    PaymentRequest,
    Refund,
)
from tests.billing_factories import add_payment, add_payment_method
from tests.factories import add_contact, add_invoice
from tests.graph.conftest import GraphClient
from tests.graph.payments.conftest import MakeGraph
from tests.payment_helpers import gid

CHARGE = """
mutation($input: ChargePaymentMethodInput!) {
  chargePaymentMethod(input: $input) {
    payment { status failureReason amount { minorUnits } }
    userErrors { field code }
  }
}
"""
REFUND = """
mutation($input: RefundPaymentInput!) {
  refundPayment(input: $input) {
    refund { amount { minorUnits } payment { id } }
    userErrors { field code }
  }
}
"""
ISSUE = """
mutation($input: IssueCreditInput!) {
  issueCredit(input: $input) {
    credit { amount { minorUnits } invoiceNumber }
    userErrors { field code }
  }
}
"""
APPLY = """
mutation($input: ApplyCreditInput!) {
  applyCredit(input: $input) {
    invoices { number status }
    userErrors { field code }
  }
}
"""
REQUEST = """
mutation($input: CreatePaymentRequestInput!) {
  createPaymentRequest(input: $input) {
    paymentRequest { amount { minorUnits } channel sentTo ledToPayment }
    userErrors { field code }
  }
}
"""


def codes(result: dict[str, Any]) -> list[tuple[list[str] | None, str]]:
    return [(error["field"], error["code"]) for error in result["userErrors"]]


async def count(session: AsyncSession, model: Any) -> int:
    await session.commit()
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def sandbox_card(
    session: AsyncSession, client: Client, token: str = "tok_visa"
) -> Any:
    method = await add_payment_method(
        session,
        client,
        processor="sandbox",
        processor_token=f"pm_{token}_{client.id}",
    )
    await session.commit()
    return method


def charge_input(client: Client, method: Any, amount: int = 5_000) -> dict[str, Any]:
    return {
        "clientId": gid("Client", client),
        "paymentMethodId": gid("PaymentMethod", method),
        "amount": amount,
        "idempotencyKey": "charge-1",
    }


async def test_a_charge_on_file_records_a_payment(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    method = await sandbox_card(session, client)

    data = await api.data(CHARGE, input=charge_input(client, method))

    assert data["chargePaymentMethod"] == {
        "payment": {
            "status": "SUCCEEDED",
            "failureReason": None,
            "amount": {"minorUnits": 5_000},
        },
        "userErrors": [],
    }
    actions = await session.scalars(select(ActivityRecord.action))
    assert list(actions) == ["payment.recorded"]


@pytest.mark.parametrize(
    ("token", "code"),
    [
        ("tok_chargeDeclined", "CARD_DECLINED"),
        ("tok_insufficientFunds", "INSUFFICIENT_FUNDS"),
        ("btok_accountClosed", "CARD_DECLINED"),
    ],
)
async def test_a_declined_charge_keeps_the_attempt_and_reports_it(
    api: GraphClient, session: AsyncSession, client: Client, token: str, code: str
) -> None:
    method = await sandbox_card(session, client, token)

    data = await api.data(CHARGE, input=charge_input(client, method))

    result = data["chargePaymentMethod"]
    assert result["payment"]["status"] == "FAILED"
    assert codes(result) == [(["input", "paymentMethodId"], code)]
    statuses = await session.scalars(select(Payment.status))
    assert list(statuses) == [PaymentStatus.FAILED]
    actions = await session.scalars(select(ActivityRecord.action))
    assert list(actions) == ["payment.failed"]


async def test_charging_needs_the_payments_addon(
    api: GraphClient, session: AsyncSession, account: Account, client: Client
) -> None:
    method = await sandbox_card(session, client)
    account.has_payments_addon = False
    await session.commit()

    data = await api.data(CHARGE, input=charge_input(client, method))

    assert codes(data["chargePaymentMethod"]) == [(None, "ADDON_REQUIRED")]
    assert await count(session, Payment) == 0


async def test_charging_a_removed_method_is_refused(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    method = await sandbox_card(session, client)
    method.removed_at = method.created_at
    await session.commit()

    data = await api.data(CHARGE, input=charge_input(client, method))

    assert codes(data["chargePaymentMethod"]) == [
        (["input", "paymentMethodId"], "PAYMENT_METHOD_NOT_FOUND")
    ]


def refund_input(payment: Any, amount: int, key: str = "refund-1") -> dict[str, Any]:
    return {
        "paymentId": gid("Payment", payment),
        "amount": amount,
        "idempotencyKey": key,
        "reason": "Container never delivered",
    }


async def test_a_partial_refund_is_recorded(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    payment = await add_payment(session, client, amount=5_000)
    await session.commit()

    data = await api.data(REFUND, input=refund_input(payment, 2_000))

    assert data["refundPayment"] == {
        "refund": {
            "amount": {"minorUnits": 2_000},
            "payment": {"id": gid("Payment", payment)},
        },
        "userErrors": [],
    }
    actions = await session.scalars(select(ActivityRecord.action))
    assert list(actions) == ["payment.refunded"]


class RefusingGateway(SandboxGateway):
    async def refund(
        self, reference: str, amount: int, currency: str, idempotency_key: str
    ) -> GatewayResult:
        return GatewayResult(None, GatewayFailure.DECLINED, "Refund window closed.")


@pytest.mark.parametrize(
    ("status", "amount", "reference", "expected"),
    [
        ("succeeded", 5_001, None, (["input", "amount"], "REFUND_EXCEEDS_PAYMENT")),
        ("succeeded", 0, None, (["input", "amount"], "AMOUNT_NOT_POSITIVE")),
        ("failed", 100, None, (["input", "paymentId"], "PAYMENT_NOT_SUCCEEDED")),
        ("succeeded", 100, "ch_1", (None, "REFUND_FAILED")),
    ],
)
async def test_a_refused_refund_records_nothing(
    make_graph: MakeGraph,
    session: AsyncSession,
    client: Client,
    status: str,
    amount: int,
    reference: str | None,
    expected: tuple[list[str] | None, str],
) -> None:
    payment = await add_payment(
        session, client, amount=5_000, status=status, processor_reference=reference
    )
    await session.commit()
    api = await make_graph(gateway=RefusingGateway())

    data = await api.data(REFUND, input=refund_input(payment, amount))

    assert codes(data["refundPayment"]) == [expected]
    assert await count(session, Refund) == 0
    assert await count(session, ActivityRecord) == 0


async def test_refunding_an_unknown_payment_is_refused(
    api: GraphClient, client: Client
) -> None:
    data = await api.data(REFUND, input=refund_input(client, 100))

    assert codes(data["refundPayment"]) == [
        (["input", "paymentId"], "PAYMENT_NOT_FOUND")
    ]


def credit_input(client: Client, **values: Any) -> dict[str, Any]:
    return {
        "clientId": gid("Client", client),
        "amount": 1_000,
        "reason": "Late delivery",
        "idempotencyKey": "credit-1",
    } | values


async def test_a_credit_against_an_invoice_is_issued(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    invoice = await add_invoice(session, client)
    await session.commit()

    data = await api.data(
        ISSUE, input=credit_input(client, invoiceId=gid("Invoice", invoice))
    )

    assert data["issueCredit"] == {
        "credit": {"amount": {"minorUnits": 1_000}, "invoiceNumber": invoice.number},
        "userErrors": [],
    }
    actions = await session.scalars(select(ActivityRecord.action))
    assert list(actions) == ["credit.issued"]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"reason": ""}, (["input", "reason"], "REASON_REQUIRED")),
        ({"invoice": "paid"}, (["input", "invoiceId"], "INVOICE_NOT_OPEN")),
        (
            {"invoice": "open", "amount": 10_826},
            (["input", "amount"], "OVERAPPLIED"),
        ),
        ({"invoiceId": "bogus"}, (["input", "invoiceId"], "INVOICE_NOT_FOUND")),
    ],
)
async def test_a_refused_credit_is_not_issued(
    api: GraphClient,
    session: AsyncSession,
    client: Client,
    values: dict[str, Any],
    expected: tuple[list[str], str],
) -> None:
    invoices = {
        "open": await add_invoice(session, client, total=10_825),
        "paid": await add_invoice(session, client, status="paid"),
    }
    await session.commit()
    if "invoice" in values:
        values = values | {"invoiceId": gid("Invoice", invoices[values["invoice"]])}
        del values["invoice"]

    data = await api.data(ISSUE, input=credit_input(client, **values))

    assert codes(data["issueCredit"]) == [expected]
    assert await count(session, Credit) == 0


async def test_credit_on_account_is_applied_to_open_invoices(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    invoice = await add_invoice(session, client, subtotal=1_000, tax=0, total=1_000)
    await session.commit()
    await api.data(ISSUE, input=credit_input(client))

    data = await api.data(APPLY, input={"clientId": gid("Client", client)})

    assert data["applyCredit"] == {
        "invoices": [{"number": invoice.number, "status": "PAID"}],
        "userErrors": [],
    }
    actions = await session.scalars(select(ActivityRecord.action))
    assert list(actions) == ["credit.issued", "credit.applied"]


async def test_a_refused_application_of_credit_applies_nothing(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    fits = await add_invoice(session, client, subtotal=500, tax=0, total=500)
    paid = await add_invoice(session, client, status="paid")
    await add_payment(session, client, amount=3_000)
    await session.commit()
    allocations = [
        {"invoiceId": gid("Invoice", fits), "amount": 500},
        {"invoiceId": gid("Invoice", paid), "amount": 500},
    ]

    data = await api.data(
        APPLY, input={"clientId": gid("Client", client), "allocations": allocations}
    )

    assert codes(data["applyCredit"]) == [
        (["input", "allocations", "1", "invoiceId"], "INVOICE_NOT_OPEN")
    ]
    assert await count(session, PaymentApplication) == 0
    await session.refresh(fits)
    assert fits.status == "open"


async def test_applying_credit_a_client_does_not_have_is_refused(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    await add_invoice(session, client)
    await session.commit()

    data = await api.data(APPLY, input={"clientId": gid("Client", client)})

    assert codes(data["applyCredit"]) == [
        (["input", "clientId"], "NO_CREDIT_AVAILABLE")
    ]


async def test_a_payment_request_is_sent_to_the_primary_contact(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    await add_contact(session, client, phone="+13035550100", is_primary=True)
    invoice = await add_invoice(session, client, total=10_825)
    await session.commit()

    data = await api.data(
        REQUEST, input={"invoiceId": gid("Invoice", invoice), "channel": "TEXT"}
    )

    assert data["createPaymentRequest"] == {
        "paymentRequest": {
            "amount": {"minorUnits": 10_825},
            "channel": "TEXT",
            "sentTo": "+13035550100",
            "ledToPayment": False,
        },
        "userErrors": [],
    }
    events = await session.scalars(select(NotificationLogEntry.event))
    assert list(events) == [NotificationEvent.PAYMENT_REQUEST]
    actions = await session.scalars(select(ActivityRecord.action))
    assert list(actions) == ["payment_request.sent"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", (["input", "sentTo"], "RECIPIENT_MISSING")),
        ("paid", (["input", "invoiceId"], "INVOICE_NOT_OPEN")),
        ("draft", (["input", "invoiceId"], "INVOICE_NOT_OPEN")),
    ],
)
async def test_a_refused_payment_request_is_not_kept(
    api: GraphClient,
    session: AsyncSession,
    client: Client,
    status: str,
    expected: tuple[list[str], str],
) -> None:
    invoice = await add_invoice(session, client, status=status)
    await session.commit()

    data = await api.data(
        REQUEST, input={"invoiceId": gid("Invoice", invoice), "channel": "EMAIL"}
    )

    assert codes(data["createPaymentRequest"]) == [expected]
    assert await count(session, PaymentRequest) == 0
    assert await count(session, NotificationLogEntry) == 0


async def test_a_payment_request_for_an_unknown_invoice_is_refused(
    api: GraphClient, client: Client
) -> None:
    data = await api.data(
        REQUEST, input={"invoiceId": gid("Client", client), "channel": "EMAIL"}
    )

    assert codes(data["createPaymentRequest"]) == [
        (["input", "invoiceId"], "INVOICE_NOT_FOUND")
    ]


async def test_five_declines_in_a_row_put_the_client_on_hold(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    method = await sandbox_card(session, client, "tok_chargeDeclined")

    for attempt in range(5):
        values = charge_input(client, method) | {"idempotencyKey": f"try-{attempt}"}
        await api.data(CHARGE, input=values)

    hold = await session.scalar(select(Hold).where(Hold.client_id == client.id))
    assert hold is not None
    assert (hold.rule, hold.placed_by_id) == ("failed_payments", None)
    events = await session.scalars(select(NotificationLogEntry.event))
    assert list(events) == [NotificationEvent.HOLD_PLACED]
