"""Row builders for the billing section's tests; each flushes so ids exist."""

from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import count
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from persistence.enums import (
    Channel,
    HoldRule,
    PaymentMethodKind,
    PaymentStatus,
    PriceRule,
    RecurrenceInterval,
    StoredMethodKind,
)
from persistence.models import (
    Charge,
    Client,
    Credit,
    Hold,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentApplication,
    PaymentMethod,
    PaymentRequest,
    RecurringInvoice,
    RecurringInvoiceLine,
    Refund,
)
from tests.factories import add, owned_by

sequence = count(1)


def moment(day: int, hour: int = 9) -> datetime:
    """A time in January 2026, UTC: tests order ledger entries by day."""
    return datetime(2026, 1, day, hour, tzinfo=UTC)


async def add_invoice_line(
    session: AsyncSession, invoice: Invoice, **values: Any
) -> InvoiceLine:
    defaults: dict[str, Any] = {
        "account_id": invoice.account_id,
        "invoice_id": invoice.id,
        "position": next(sequence),
        "description": "20 yd dumpster, 7 days",
        "quantity": Decimal(1),
        "unit_price": 47_500,
        "amount": 47_500,
        "price_rule": PriceRule.ACCOUNT_STANDARD,
        "price_detail": {"container_size": 20, "rental_days": 7},
    }
    return await add(session, InvoiceLine(**(defaults | values)))


async def add_payment(session: AsyncSession, client: Client, **values: Any) -> Payment:
    defaults: dict[str, Any] = {
        "method": PaymentMethodKind.CHECK,
        "status": PaymentStatus.SUCCEEDED,
        "amount": 5_000,
        "received_at": moment(10),
    }
    return await add(session, Payment(**(owned_by(client) | defaults | values)))


async def apply_payment(
    session: AsyncSession, payment: Payment, invoice: Invoice, amount: int
) -> PaymentApplication:
    application = PaymentApplication(
        account_id=payment.account_id,
        payment_id=payment.id,
        invoice_id=invoice.id,
        amount=amount,
    )
    return await add(session, application)


async def add_credit(session: AsyncSession, client: Client, **values: Any) -> Credit:
    defaults: dict[str, Any] = {
        "amount": 1_000,
        "reason": "Late delivery",
        "created_at": moment(10),
    }
    return await add(session, Credit(**(owned_by(client) | defaults | values)))


async def add_refund(session: AsyncSession, payment: Payment, **values: Any) -> Refund:
    defaults: dict[str, Any] = {
        "account_id": payment.account_id,
        "client_id": payment.client_id,
        "payment_id": payment.id,
        "amount": 1_000,
        "reason": "Overpaid",
        "created_at": moment(10),
    }
    return await add(session, Refund(**(defaults | values)))


async def add_charge(session: AsyncSession, client: Client, **values: Any) -> Charge:
    defaults: dict[str, Any] = {
        "description": "Overage, 1.5 tons",
        "quantity": Decimal("1.5"),
        "unit_price": 9_500,
        "amount": 14_250,
        "price_rule": PriceRule.CLIENT_SPECIAL_PRICING,
        "price_detail": {"overage_per_ton": 9_500},
        "created_at": moment(10),
    }
    return await add(session, Charge(**(owned_by(client) | defaults | values)))


async def add_recurring_invoice(
    session: AsyncSession, client: Client, **values: Any
) -> RecurringInvoice:
    defaults: dict[str, Any] = {
        "name": f"Monthly service {next(sequence)}",
        "interval": RecurrenceInterval.MONTHLY,
        "starts_on": date(2026, 1, 1),
        "next_run_on": date(2026, 2, 1),
    }
    recurring = RecurringInvoice(**(owned_by(client) | defaults | values))
    return await add(session, recurring)


async def add_recurring_line(
    session: AsyncSession, recurring: RecurringInvoice, **values: Any
) -> RecurringInvoiceLine:
    defaults: dict[str, Any] = {
        "account_id": recurring.account_id,
        "recurring_invoice_id": recurring.id,
        "position": next(sequence),
        "description": "Container rental",
        "quantity": Decimal(1),
        "unit_price": 30_000,
    }
    return await add(session, RecurringInvoiceLine(**(defaults | values)))


async def add_payment_request(
    session: AsyncSession, invoice: Invoice, **values: Any
) -> PaymentRequest:
    defaults: dict[str, Any] = {
        "account_id": invoice.account_id,
        "client_id": invoice.client_id,
        "invoice_id": invoice.id,
        "amount": invoice.total,
        "channel": Channel.EMAIL,
        "sent_to": "billing@example.com",
        "sent_at": moment(10),
    }
    return await add(session, PaymentRequest(**(defaults | values)))


async def add_payment_method(
    session: AsyncSession, client: Client, **values: Any
) -> PaymentMethod:
    defaults: dict[str, Any] = {
        "kind": StoredMethodKind.CARD,
        "processor": "test",
        "processor_token": f"tok_{next(sequence)}",
        "brand": "Visa",
        "last_four": "4242",
        "exp_month": 12,
        "exp_year": 2030,
        "created_at": moment(10),
    }
    method = PaymentMethod(**(owned_by(client) | defaults | values))
    return await add(session, method)


async def add_hold(session: AsyncSession, client: Client, **values: Any) -> Hold:
    defaults: dict[str, Any] = {
        "reason": "Five failed payments in a row",
        "rule": HoldRule.FAILED_PAYMENTS,
        "placed_at": moment(10),
    }
    return await add(session, Hold(**(owned_by(client) | defaults | values)))
