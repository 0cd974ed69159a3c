"""What the input of a money movement must satisfy, and the problems that
refuse it: one vocabulary for payments, charges, refunds, credits and
payment requests."""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.viewer import Viewer
from domain.problems import Problem, refuse
from persistence.models import Client
from persistence.queries.invoicing import by_public_id

MAX_KEY_LENGTH = 100


class PaymentProblem(StrEnum):
    """Why a payment, refund, credit or payment request was refused."""

    AMOUNT_NOT_POSITIVE = "amount_not_positive"
    IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid"
    DUPLICATE_KEY_DIFFERENT_REQUEST = "duplicate_key_different_request"
    CLIENT_NOT_FOUND = "client_not_found"
    INVOICE_NOT_FOUND = "invoice_not_found"
    INVOICE_LISTED_TWICE = "invoice_listed_twice"
    INVOICE_NOT_OPEN = "invoice_not_open"
    OVERAPPLIED = "overapplied"
    NO_CREDIT_AVAILABLE = "no_credit_available"
    PAYMENT_NOT_FOUND = "payment_not_found"
    PAYMENT_NOT_SUCCEEDED = "payment_not_succeeded"
    REFUND_EXCEEDS_PAYMENT = "refund_exceeds_payment"
    REFUND_FAILED = "refund_failed"
    REASON_REQUIRED = "reason_required"
    REFERENCE_TOO_LONG = "reference_too_long"
    PAYMENT_METHOD_NOT_FOUND = "payment_method_not_found"
    ADDON_REQUIRED = "addon_required"
    CARD_DECLINED = "card_declined"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    RECIPIENT_MISSING = "recipient_missing"


@dataclass(frozen=True, slots=True)
class Allocation:
    """Part of an amount meant for one invoice (``invoice`` None: an ID that
    names no invoice)."""

    invoice: UUID | None
    amount: int


def within(prefix: str, name: str) -> str:
    """The dotted input path of ``name`` inside ``prefix`` (empty: the input)."""
    return f"{prefix}.{name}" if prefix else name


def amount_problems(amount: int, field: str = "amount") -> list[Problem]:
    if amount > 0:
        return []
    return [
        Problem(
            PaymentProblem.AMOUNT_NOT_POSITIVE,
            field,
            f"Amounts are positive minor units; {amount} is not.",
        )
    ]


def key_problems(key: str) -> list[Problem]:
    if key.strip() and len(key) <= MAX_KEY_LENGTH:
        return []
    return [
        Problem(
            PaymentProblem.IDEMPOTENCY_KEY_INVALID,
            "idempotencyKey",
            f"Send an idempotency key of 1 to {MAX_KEY_LENGTH} characters, new "
            "for each distinct request.",
        )
    ]


def allocation_problems(
    allocations: Sequence[Allocation] | None, total: int | None
) -> list[Problem]:
    """Each allocation positive, each invoice once, together within ``total``."""
    if allocations is None:
        return []

    problems = []
    seen: set[UUID | None] = set()
    for index, allocation in enumerate(allocations):
        problems += amount_problems(allocation.amount, f"allocations.{index}.amount")
        if allocation.invoice is not None and allocation.invoice in seen:
            problems.append(
                Problem(
                    PaymentProblem.INVOICE_LISTED_TWICE,
                    f"allocations.{index}.invoiceId",
                    "Name each invoice once, with the whole amount it gets.",
                )
            )
        seen.add(allocation.invoice)

    allocated = sum(allocation.amount for allocation in allocations)
    if total is not None and allocated > total:
        problems.append(
            Problem(
                PaymentProblem.OVERAPPLIED,
                "allocations",
                f"The allocations add up to {allocated}, more than the {total} "
                "available.",
            )
        )
    return problems


def refuse_different_request() -> None:
    refuse(
        PaymentProblem.DUPLICATE_KEY_DIFFERENT_REQUEST,
        "idempotencyKey",
        "This idempotency key was used for a different request; send a new key.",
    )


async def require_client(
    session: AsyncSession, viewer: Viewer, public_id: UUID | None
) -> Client:
    client = await by_public_id(session, Client, viewer.account_id, public_id)
    if client is None:
        refuse(
            PaymentProblem.CLIENT_NOT_FOUND,
            "clientId",
            "Your account has no client with that ID.",
        )
    return client
