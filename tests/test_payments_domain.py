"""Recording payments, refunds and credits as domain operations, without HTTP."""

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.credits import ApplyCreditEntry, CreditEntry, apply_credit, issue_credit
from domain.gateway import SandboxGateway
from domain.payment_checks import (
    Allocation,
    PaymentProblem,
)
from domain.payment_requests import PaymentRequestEntry, create_payment_request
from domain.payments import (
    PaymentEntry,
    record_payment,
)
from domain.problems import Refused
from domain.refunds import RefundEntry, refund_payment
from persistence.enums import (
    Channel,
    InvoiceStatus,
    NotificationEvent,
    PaymentMethodKind,
)
from persistence.models import (
    Account,
    Client,
    Credit,
    NotificationLogEntry,
    Payment,
    PaymentRequest,
)
from tests.billing_factories import add_payment_request
from tests.factories import add_account, add_client, add_contact, add_invoice
from tests.payment_helpers import (
    NOW,
    actions_of,
    assert_ledger_consistent,
    staff_viewer,
    statuses,
)


@pytest.fixture
async def account(session: AsyncSession) -> Account:
    return await add_account(session, time_zone="UTC")


@pytest.fixture
async def client(session: AsyncSession, account: Account) -> Client:
    return await add_client(session, account)


def cash(
    client: Client, amount: int, key: str = "key-1", **values: object
) -> PaymentEntry:
    return PaymentEntry(
        client=client.public_id,
        method=PaymentMethodKind.CASH,
        amount=amount,
        idempotency_key=key,
        **values,  # type: ignore[arg-type]
    )


def codes(refused: pytest.ExceptionInfo[Refused]) -> list[tuple[str, str]]:
    return [(problem.code, problem.field) for problem in refused.value.problems]


async def test_payment_pays_unpaid_invoices_oldest_due_first(
    session: AsyncSession, account: Account, client: Client
) -> None:
    newer = await add_invoice(session, client, due_on=date(2026, 2, 20), total=10_825)
    older = await add_invoice(session, client, due_on=date(2026, 2, 4), total=10_825)

    await record_payment(session, staff_viewer(account), cash(client, 15_000), NOW)

    assert await statuses(session, older, newer) == [
        InvoiceStatus.PAID,
        InvoiceStatus.PARTIALLY_PAID,
    ]
    assert older.paid_at == NOW
    assert await assert_ledger_consistent(session, client) == 21_650 - 15_000
    assert await actions_of(session, client) == ["payment.recorded"]


async def test_overpayment_stays_on_account_as_credit(
    session: AsyncSession, account: Account, client: Client
) -> None:
    invoice = await add_invoice(session, client, total=10_825)

    await record_payment(session, staff_viewer(account), cash(client, 12_000), NOW)

    assert await statuses(session, invoice) == [InvoiceStatus.PAID]
    assert await assert_ledger_consistent(session, client) == -1_175
    credit_memos = await session.scalar(select(func.count()).select_from(Credit))
    assert credit_memos == 0


async def test_payment_on_a_past_due_invoice_leaves_it_overdue(
    session: AsyncSession, account: Account, client: Client
) -> None:
    invoice = await add_invoice(session, client, due_on=date(2026, 1, 19))

    await record_payment(session, staff_viewer(account), cash(client, 1_000), NOW)

    assert await statuses(session, invoice) == [InvoiceStatus.OVERDUE]


async def test_explicit_allocations_pay_the_named_invoices(
    session: AsyncSession, account: Account, client: Client
) -> None:
    first = await add_invoice(session, client, total=10_825)
    second = await add_invoice(session, client, total=10_825)
    allocations = (Allocation(second.public_id, 10_825),)

    await record_payment(
        session,
        staff_viewer(account),
        cash(client, 10_825, allocations=allocations),
        NOW,
    )

    assert await statuses(session, first, second) == [
        InvoiceStatus.OPEN,
        InvoiceStatus.PAID,
    ]
    await assert_ledger_consistent(session, client)


@pytest.mark.parametrize(
    ("amount", "allocated", "expected"),
    [
        (
            0,
            0,
            [
                ("amount_not_positive", "amount"),
                ("amount_not_positive", "allocations.0.amount"),
            ],
        ),
        (
            500,
            -1,
            [("amount_not_positive", "allocations.0.amount")],
        ),
        (500, 600, [("overapplied", "allocations")]),
        (20_000, 11_000, [("overapplied", "allocations.0.amount")]),
    ],
)
async def test_invalid_payments_are_refused(
    session: AsyncSession,
    account: Account,
    client: Client,
    amount: int,
    allocated: int,
    expected: list[tuple[str, str]],
) -> None:
    invoice = await add_invoice(session, client, total=10_825)
    entry = cash(
        client, amount, allocations=(Allocation(invoice.public_id, allocated),)
    )

    with pytest.raises(Refused) as refused:
        await record_payment(session, staff_viewer(account), entry, NOW)

    assert codes(refused) == expected


async def test_payment_to_a_paid_or_foreign_invoice_is_refused(
    session: AsyncSession, account: Account, client: Client
) -> None:
    paid = await add_invoice(session, client, status=InvoiceStatus.PAID)
    other_client = await add_client(session, account)
    foreign = await add_invoice(session, other_client)
    allocations = (Allocation(paid.public_id, 100), Allocation(foreign.public_id, 100))

    with pytest.raises(Refused) as refused:
        await record_payment(
            session,
            staff_viewer(account),
            cash(client, 200, allocations=allocations),
            NOW,
        )

    assert codes(refused) == [("invoice_not_found", "allocations.1.invoiceId")]


async def test_payment_to_a_void_invoice_is_refused(
    session: AsyncSession, account: Account, client: Client
) -> None:
    void = await add_invoice(session, client, status=InvoiceStatus.VOID)
    entry = cash(client, 100, allocations=(Allocation(void.public_id, 100),))

    with pytest.raises(Refused) as refused:
        await record_payment(session, staff_viewer(account), entry, NOW)

    assert codes(refused) == [("invoice_not_open", "allocations.0.invoiceId")]


async def test_same_key_records_one_payment_and_answers_with_it(
    session: AsyncSession, account: Account, client: Client
) -> None:
    await add_invoice(session, client)
    viewer = staff_viewer(account)

    first = await record_payment(session, viewer, cash(client, 5_000), NOW)
    again = await record_payment(session, viewer, cash(client, 5_000), NOW)

    assert again.id == first.id
    assert await session.scalar(select(func.count()).select_from(Payment)) == 1
    await assert_ledger_consistent(session, client)


async def test_same_key_with_another_amount_is_refused(
    session: AsyncSession, account: Account, client: Client
) -> None:
    viewer = staff_viewer(account)
    await record_payment(session, viewer, cash(client, 5_000), NOW)

    with pytest.raises(Refused) as refused:
        await record_payment(session, viewer, cash(client, 6_000), NOW)

    assert codes(refused) == [("duplicate_key_different_request", "idempotencyKey")]


async def test_payment_sends_a_receipt(
    session: AsyncSession, account: Account, client: Client
) -> None:
    await record_payment(session, staff_viewer(account), cash(client, 5_000), NOW)

    events = await session.scalars(select(NotificationLogEntry.event))
    assert list(events) == [NotificationEvent.PAYMENT_RECEIPT]


async def test_refund_of_unapplied_money_leaves_invoices_paid(
    session: AsyncSession, account: Account, client: Client
) -> None:
    invoice = await add_invoice(session, client, total=10_000, subtotal=10_000, tax=0)
    viewer = staff_viewer(account)
    payment = await record_payment(session, viewer, cash(client, 12_000), NOW)

    await refund_payment(
        session,
        viewer,
        SandboxGateway(),
        RefundEntry(payment.public_id, 2_000, "r-1"),
        NOW,
    )

    assert await statuses(session, invoice) == [InvoiceStatus.PAID]
    assert await assert_ledger_consistent(session, client) == 0
    assert await actions_of(session, client) == ["payment.recorded", "payment.refunded"]


async def test_refund_beyond_unapplied_money_reopens_the_invoice(
    session: AsyncSession, account: Account, client: Client
) -> None:
    invoice = await add_invoice(session, client, total=10_000, subtotal=10_000, tax=0)
    viewer = staff_viewer(account)
    payment = await record_payment(session, viewer, cash(client, 10_000), NOW)

    await refund_payment(
        session,
        viewer,
        SandboxGateway(),
        RefundEntry(payment.public_id, 4_000, "r-1"),
        NOW,
    )

    assert await statuses(session, invoice) == [InvoiceStatus.PARTIALLY_PAID]
    assert invoice.paid_at is None
    assert await assert_ledger_consistent(session, client) == 4_000


async def test_refund_never_exceeds_what_is_left_of_the_payment(
    session: AsyncSession, account: Account, client: Client
) -> None:
    viewer = staff_viewer(account)
    payment = await record_payment(session, viewer, cash(client, 5_000), NOW)
    gateway = SandboxGateway()
    await refund_payment(
        session, viewer, gateway, RefundEntry(payment.public_id, 3_000, "r-1"), NOW
    )

    with pytest.raises(Refused) as refused:
        await refund_payment(
            session, viewer, gateway, RefundEntry(payment.public_id, 2_001, "r-2"), NOW
        )

    assert codes(refused) == [("refund_exceeds_payment", "amount")]


async def test_credit_against_an_invoice_settles_it(
    session: AsyncSession, account: Account, client: Client
) -> None:
    invoice = await add_invoice(session, client, total=10_000, subtotal=10_000, tax=0)
    entry = CreditEntry(
        client.public_id, 10_000, "Damaged lawn", "c-1", invoice.public_id, True
    )

    await issue_credit(session, staff_viewer(account), entry, NOW)

    assert await statuses(session, invoice) == [InvoiceStatus.PAID]
    assert await assert_ledger_consistent(session, client) == 0


async def test_credit_larger_than_the_invoice_owes_is_refused(
    session: AsyncSession, account: Account, client: Client
) -> None:
    invoice = await add_invoice(session, client, total=10_000, subtotal=10_000, tax=0)
    entry = CreditEntry(
        client.public_id, 10_001, "Too much", "c-1", invoice.public_id, True
    )

    with pytest.raises(Refused) as refused:
        await issue_credit(session, staff_viewer(account), entry, NOW)

    assert codes(refused) == [("overapplied", "amount")]


async def test_applying_credit_spends_overpayments_then_memos(
    session: AsyncSession, account: Account, client: Client
) -> None:
    viewer = staff_viewer(account)
    await record_payment(session, viewer, cash(client, 3_000), NOW)
    await issue_credit(
        session, viewer, CreditEntry(client.public_id, 5_000, "Goodwill", "c-1"), NOW
    )
    invoice = await add_invoice(session, client, total=6_000, subtotal=6_000, tax=0)

    paid = await apply_credit(session, viewer, ApplyCreditEntry(client.public_id), NOW)

    assert [row.id for row in paid] == [invoice.id]
    assert await statuses(session, invoice) == [InvoiceStatus.PAID]
    memos = await session.scalars(select(Credit).order_by(Credit.id))
    assert [(row.amount, row.invoice_id) for row in memos] == [
        (3_000, invoice.id),
        (2_000, None),
    ]
    assert await assert_ledger_consistent(session, client) == -2_000


async def test_applying_credit_without_any_is_refused(
    session: AsyncSession, account: Account, client: Client
) -> None:
    await add_invoice(session, client)

    with pytest.raises(Refused) as refused:
        await apply_credit(
            session, staff_viewer(account), ApplyCreditEntry(client.public_id), NOW
        )

    assert codes(refused) == [(PaymentProblem.NO_CREDIT_AVAILABLE, "clientId")]


async def test_payment_request_is_marked_when_a_payment_settles_its_invoice(
    session: AsyncSession, account: Account, client: Client
) -> None:
    await add_contact(session, client, email="ap@example.com", is_primary=True)
    invoice = await add_invoice(session, client, total=10_000, subtotal=10_000, tax=0)
    viewer = staff_viewer(account)
    request = await create_payment_request(
        session, viewer, PaymentRequestEntry(invoice.public_id, Channel.EMAIL), NOW
    )

    payment = await record_payment(session, viewer, cash(client, 10_000), NOW)

    await session.refresh(request)
    assert request.sent_to == "ap@example.com"
    assert request.amount == 10_000
    assert request.payment_id == payment.id


async def test_partial_payment_does_not_mark_the_request(
    session: AsyncSession, account: Account, client: Client
) -> None:
    invoice = await add_invoice(session, client, total=10_000, subtotal=10_000, tax=0)
    request = await add_payment_request(session, invoice)

    await record_payment(session, staff_viewer(account), cash(client, 9_999), NOW)

    assert (await session.get_one(PaymentRequest, request.id)).payment_id is None


async def test_the_same_refund_key_gives_back_money_once(
    session: AsyncSession, account: Account, client: Client
) -> None:
    viewer = staff_viewer(account)
    payment = await record_payment(session, viewer, cash(client, 5_000), NOW)
    entry = RefundEntry(payment.public_id, 1_000, "r-1")

    first = await refund_payment(session, viewer, SandboxGateway(), entry, NOW)
    again = await refund_payment(session, viewer, SandboxGateway(), entry, NOW)

    assert again.id == first.id
    assert await assert_ledger_consistent(session, client) == -4_000


async def test_a_refund_key_reused_for_another_amount_is_refused(
    session: AsyncSession, account: Account, client: Client
) -> None:
    viewer = staff_viewer(account)
    payment = await record_payment(session, viewer, cash(client, 5_000), NOW)
    gateway = SandboxGateway()
    await refund_payment(
        session, viewer, gateway, RefundEntry(payment.public_id, 1_000, "r-1"), NOW
    )

    with pytest.raises(Refused) as refused:
        await refund_payment(
            session, viewer, gateway, RefundEntry(payment.public_id, 900, "r-1"), NOW
        )

    assert codes(refused) == [("duplicate_key_different_request", "idempotencyKey")]


async def test_the_same_credit_key_issues_one_credit(
    session: AsyncSession, account: Account, client: Client
) -> None:
    viewer = staff_viewer(account)
    entry = CreditEntry(client.public_id, 1_000, "Goodwill", "c-1")

    first = await issue_credit(session, viewer, entry, NOW)
    again = await issue_credit(session, viewer, entry, NOW)

    assert again.id == first.id
    assert await session.scalar(select(func.count()).select_from(Credit)) == 1


async def test_a_credit_key_reused_for_another_client_is_refused(
    session: AsyncSession, account: Account, client: Client
) -> None:
    viewer = staff_viewer(account)
    other = await add_client(session, account)
    await issue_credit(
        session, viewer, CreditEntry(client.public_id, 1_000, "Goodwill", "c-1"), NOW
    )

    with pytest.raises(Refused) as refused:
        await issue_credit(
            session, viewer, CreditEntry(other.public_id, 1_000, "Goodwill", "c-1"), NOW
        )

    assert codes(refused) == [("duplicate_key_different_request", "idempotencyKey")]
