"""Billing rules that are more than fetching: what an invoice still asks for,
what a recurring line costs, and how each ledger entry reads in the feed."""

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from persistence.enums import InvoiceStatus, PaymentMethodKind, PaymentStatus

METHOD_WORDS = {
    PaymentMethodKind.CASH: "cash",
    PaymentMethodKind.CHECK: "check",
    PaymentMethodKind.CARD: "card",
    PaymentMethodKind.ACH: "ACH",
}


def invoice_statuses_shown(
    requested: Sequence[str], *, is_client: bool
) -> tuple[str, ...] | None:
    """The statuses an invoice list keeps; None keeps every one.

    Staff see what they ask for. A client never sees a draft: it is not a bill
    until it is issued.
    """
    if not is_client:
        return tuple(requested) or None
    return tuple(
        status
        for status in (requested or tuple(InvoiceStatus))
        if status != InvoiceStatus.DRAFT
    )


def amount_due(status: str, total: int, paid: int, credited: int) -> int:
    """What an invoice still asks for, never below zero.

    A void invoice asks for nothing. Refunds are given back from a payment,
    not from an invoice, so they show on the balance and leave this alone.
    """
    if status == InvoiceStatus.VOID:
        return 0
    return max(total - paid - credited, 0)


def status_after_settlement(
    status: str, total: int, settled: int, due_on: date, today: date
) -> str:
    """Where an issued invoice stands once ``settled`` (paid + credited) is known.

    Paid in full wins; then past due (the day after ``due_on`` on the
    business's calendar, as the read side counts overdue) wins over a partial
    payment, because a late invoice needs chasing whatever was paid on it.
    Drafts and void invoices keep their status: money does not move them.
    """
    if status in (InvoiceStatus.DRAFT, InvoiceStatus.VOID):
        return status
    if settled >= total:
        return InvoiceStatus.PAID
    if due_on < today:
        return InvoiceStatus.OVERDUE
    if settled > 0:
        return InvoiceStatus.PARTIALLY_PAID
    return InvoiceStatus.OPEN


def line_amount(quantity: Decimal, unit_price: int) -> int:
    """Quantity × unit price in minor units, half a cent rounded away from zero."""
    return int((quantity * unit_price).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def invoice_summary(number: int) -> str:
    return f"Invoice #{number}"


def payment_summary(method: str, status: str) -> str:
    words = METHOD_WORDS[PaymentMethodKind(method)]
    if status == PaymentStatus.FAILED:
        return f"Failed payment by {words}"
    return f"Payment by {words}"


def credit_summary(invoice_number: int | None) -> str:
    if invoice_number is None:
        return "Credit"
    return f"Credit on invoice #{invoice_number}"


def refund_summary(payment_method: str) -> str:
    return f"Refund of payment by {METHOD_WORDS[PaymentMethodKind(payment_method)]}"
