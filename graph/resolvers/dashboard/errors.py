"""The dashboard's one vocabulary of refusals, and words for clients.

The domain refuses with its own codes (``ESTIMATE_NOT_FOUND``,
``OVERAPPLIED``, ...); the dashboard app branches on a single enum, so each
domain code is mapped here, and where the domain's message speaks to staff
the client reads one written for it instead.
"""

from collections.abc import Awaitable, Callable, Iterable
from enum import Enum
from typing import TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.problems import Problem
from graph.context import Info
from graph.fields import DASHBOARD_ONLY, field
from graph.mutations import UserError, input_path, perform

Result = TypeVar("Result")


@strawberry.enum(description="Why a change from the dashboard was refused.")
class DashboardErrorCode(Enum):
    NOT_FOUND = "not_found"
    READ_ONLY = "read_only"
    ON_HOLD = "on_hold"
    ADDON_REQUIRED = "addon_required"
    NOT_ALLOWED_IN_STATUS = "not_allowed_in_status"
    EXPIRED = "expired"
    SIGNATURE_REQUIRED = "signature_required"
    SIGNER_NAME_INVALID = "signer_name_invalid"
    ALREADY_SIGNED = "already_signed"
    ACCEPT_TO_SIGN = "accept_to_sign"
    CARD_DECLINED = "card_declined"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    INVALID_TOKEN = "invalid_token"
    HOLDER_NAME_TOO_LONG = "holder_name_too_long"
    PAYMENT_SOURCE_REQUIRED = "payment_source_required"
    AMOUNT_NOT_POSITIVE = "amount_not_positive"
    OVERPAYMENT = "overpayment"
    IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid"
    DUPLICATE_KEY_DIFFERENT_REQUEST = "duplicate_key_different_request"
    TEXT_CONSENT_REQUIRED = "text_consent_required"
    PHONE_REQUIRED = "phone_required"
    NOTES_TOO_LONG = "notes_too_long"
    SHOP_UNAVAILABLE = "shop_unavailable"
    TERMS_NOT_ACCEPTED = "terms_not_accepted"
    DATE_IN_PAST = "date_in_past"
    DATES_OUT_OF_ORDER = "dates_out_of_order"
    ADDRESS_NOT_FOUND = "address_not_found"
    SIZE_NOT_OFFERED = "size_not_offered"
    INVALID_INPUT = "invalid_input"


Code = DashboardErrorCode
# Domain codes whose dashboard code has another name.
RENAMED = {
    "CLIENT_NOT_FOUND": Code.NOT_FOUND,
    "CONTACT_NOT_FOUND": Code.NOT_FOUND,
    "ESTIMATE_NOT_FOUND": Code.NOT_FOUND,
    "DOCUMENT_NOT_FOUND": Code.NOT_FOUND,
    "INVOICE_NOT_FOUND": Code.NOT_FOUND,
    "PAYMENT_METHOD_NOT_FOUND": Code.NOT_FOUND,
    "OVERAPPLIED": Code.OVERPAYMENT,
    "NOT_SENT": Code.NOT_ALLOWED_IN_STATUS,
    "ALREADY_DECIDED": Code.NOT_ALLOWED_IN_STATUS,
    "INVOICE_NOT_OPEN": Code.NOT_ALLOWED_IN_STATUS,
    "SIGNATURE_NOT_REQUIRED": Code.NOT_ALLOWED_IN_STATUS,
    "CLIENT_ARCHIVED": Code.NOT_ALLOWED_IN_STATUS,
    "CONSENT_NEEDS_PHONE": Code.PHONE_REQUIRED,
    "SERVICE_ADDRESS_REQUIRED": Code.ADDRESS_NOT_FOUND,
    "NO_PRICE": Code.SIZE_NOT_OFFERED,
    "INVALID_CONTAINER_SIZE": Code.SIZE_NOT_OFFERED,
}
# Where the domain's words are meant for staff, what the client reads.
CLIENT_MESSAGES = {
    Code.NOT_FOUND: "We could not find that. It may have been removed, or it "
    "belongs to another account.",
    Code.NOT_ALLOWED_IN_STATUS: "This can no longer be done: it was answered, "
    "paid or closed already.",
    Code.EXPIRED: "This estimate has expired; ask us for a new one.",
    Code.ADDON_REQUIRED: "Online payments are not available from this business.",
    Code.ADDRESS_NOT_FOUND: "Choose one of your service addresses.",
    Code.SIZE_NOT_OFFERED: "We do not offer that container size for those "
    "dates; choose another size or rental length.",
    Code.ALREADY_SIGNED: "This document is signed already.",
    # The processor's own words are for the business, not the client.
    Code.INVALID_TOKEN: "We could not use that card or bank account; check it "
    "or try another.",
    Code.INVALID_INPUT: "Something in the form is not right; check it and try again.",
}


def dashboard_code(problem: Problem) -> DashboardErrorCode:
    name = problem.code.name
    if name in RENAMED:
        return RENAMED[name]
    return DashboardErrorCode.__members__.get(name, Code.INVALID_INPUT)


@strawberry.type(description="A reason a change from the dashboard was refused.")
class DashboardError(UserError):
    code: DashboardErrorCode = field(
        description="What went wrong, to branch on.", audiences=DASHBOARD_ONLY
    )


def dashboard_errors(problems: Iterable[Problem]) -> list[DashboardError]:
    errors = []
    for problem in problems:
        code = dashboard_code(problem)
        errors.append(
            DashboardError(
                field=input_path(*problem.field.split(".")) if problem.field else None,
                code=code,
                message=CLIENT_MESSAGES.get(code, problem.message),
            )
        )
    return errors


async def act(
    info: Info, work: Callable[[AsyncSession], Awaitable[Result]]
) -> tuple[Result | None, list[DashboardError]]:
    """Run a dashboard change in one transaction; its result, or the
    refusals as the dashboard's errors."""
    outcome = await perform(info, work)
    return outcome.result, dashboard_errors(outcome.problems)


ERRORS_DESCRIPTION = "Problems with the request; empty on success."
