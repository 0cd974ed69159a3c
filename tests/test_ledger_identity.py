"""After every kind of money movement the balance is what the ledger derives.

Each row of the table runs a sequence of movements; after each step the
balance reported by the read side, the ledger's rows summed here, and what
the unpaid invoices owe less the client's credit must agree.
"""

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domain.credits import ApplyCreditEntry, CreditEntry, apply_credit, issue_credit
from domain.gateway import SandboxGateway
from domain.payment_checks import (
    Allocation,
)
from domain.payment_methods import (
    ChargeEntry,
    NewPaymentMethod,
    add_payment_method,
    charge_payment_method,
)
from domain.payments import (
    PaymentEntry,
    record_payment,
)
from domain.refunds import RefundEntry, refund_payment
from persistence.enums import PaymentMethodKind, StoredMethodKind
from persistence.models import Account, Client, Invoice, Payment
from tests.factories import add_account, add_client, add_invoice
from tests.payment_helpers import NOW, assert_ledger_consistent, staff_viewer

GATEWAY = SandboxGateway()


class Book:
    """One client's ledger being moved step by step."""

    def __init__(self, session: AsyncSession, account: Account, client: Client):
        self.session = session
        self.viewer = staff_viewer(account)
        self.client = client
        self.invoices: list[Invoice] = []
        self.payments: list[Payment] = []
        self.keys = iter(range(1_000))

    def key(self) -> str:
        return f"key-{next(self.keys)}"

    async def invoice(self, total: int) -> None:
        row = await add_invoice(
            self.session, self.client, subtotal=total, tax=0, total=total
        )
        self.invoices.append(row)

    async def pay(self, amount: int, invoice: int | None = None) -> None:
        allocations = None
        if invoice is not None:
            allocations = (Allocation(self.invoices[invoice].public_id, amount),)
        entry = PaymentEntry(
            self.client.public_id,
            PaymentMethodKind.CHECK,
            amount,
            self.key(),
            allocations,
        )
        self.payments.append(
            await record_payment(self.session, self.viewer, entry, NOW)
        )

    async def charge(self, amount: int, token: str = "tok_visa") -> None:
        method = await add_payment_method(
            self.session,
            self.viewer,
            GATEWAY,
            NewPaymentMethod(self.client.public_id, StoredMethodKind.CARD, token),
        )
        entry = ChargeEntry(self.client.public_id, method.public_id, amount, self.key())
        outcome = await charge_payment_method(
            self.session, self.viewer, GATEWAY, entry, NOW
        )
        self.payments.append(outcome.payment)

    async def refund(self, payment: int, amount: int) -> None:
        entry = RefundEntry(self.payments[payment].public_id, amount, self.key())
        await refund_payment(self.session, self.viewer, GATEWAY, entry, NOW)

    async def credit(self, amount: int, invoice: int | None = None) -> None:
        target = self.invoices[invoice].public_id if invoice is not None else None
        entry = CreditEntry(
            self.client.public_id,
            amount,
            "Adjustment",
            self.key(),
            target,
            names_invoice=invoice is not None,
        )
        await issue_credit(self.session, self.viewer, entry, NOW)

    async def apply(self) -> None:
        entry = ApplyCreditEntry(self.client.public_id)
        await apply_credit(self.session, self.viewer, entry, NOW)


Step = Callable[[Book], Awaitable[None]]

SCENARIOS: dict[str, list[Step]] = {
    "partial payment": [
        lambda book: book.invoice(10_000),
        lambda book: book.pay(4_000),
    ],
    "payment across invoices": [
        lambda book: book.invoice(10_000),
        lambda book: book.invoice(5_000),
        lambda book: book.pay(12_000),
    ],
    "overpayment then new invoice and apply": [
        lambda book: book.invoice(10_000),
        lambda book: book.pay(13_000),
        lambda book: book.invoice(2_000),
        lambda book: book.apply(),
    ],
    "allocated payment": [
        lambda book: book.invoice(10_000),
        lambda book: book.invoice(10_000),
        lambda book: book.pay(3_000, invoice=1),
    ],
    "refund of unapplied money": [
        lambda book: book.invoice(5_000),
        lambda book: book.pay(8_000),
        lambda book: book.refund(0, 3_000),
    ],
    "refund that reopens invoices": [
        lambda book: book.invoice(5_000),
        lambda book: book.invoice(5_000),
        lambda book: book.pay(10_000),
        lambda book: book.refund(0, 7_000),
        lambda book: book.refund(0, 3_000),
    ],
    "credit against an invoice": [
        lambda book: book.invoice(5_000),
        lambda book: book.credit(2_000, invoice=0),
        lambda book: book.pay(3_000),
    ],
    "credit on account split across invoices": [
        lambda book: book.credit(7_000),
        lambda book: book.invoice(3_000),
        lambda book: book.invoice(3_000),
        lambda book: book.apply(),
    ],
    "card charge, declined charge, refund": [
        lambda book: book.invoice(6_000),
        lambda book: book.charge(6_000),
        lambda book: book.charge(2_000, "tok_chargeDeclined"),
        lambda book: book.refund(0, 1_000),
    ],
}


FINAL_BALANCES = {
    "partial payment": 6_000,
    "payment across invoices": 3_000,
    "overpayment then new invoice and apply": -1_000,
    "allocated payment": 17_000,
    "refund of unapplied money": 0,
    "refund that reopens invoices": 10_000,
    "credit against an invoice": 0,
    "credit on account split across invoices": -1_000,
    "card charge, declined charge, refund": 1_000,
}


@pytest.mark.parametrize("name", SCENARIOS.keys())
async def test_balance_equals_the_ledger_after_every_movement(
    session: AsyncSession, name: str
) -> None:
    steps = SCENARIOS[name]
    account = await add_account(session, time_zone="UTC", has_payments_addon=True)
    book = Book(session, account, await add_client(session, account))

    balances = []
    for step in steps:
        await step(book)
        balances.append(await assert_ledger_consistent(session, book.client))

    assert balances[-1] == FINAL_BALANCES[name]
