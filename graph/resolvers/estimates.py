"""Staff mutations of estimates: create, update a draft, send, and record the
client's engagement (reviewed, accepted, declined). The rules are in
``domain.estimates``; these resolvers map input and payloads."""

import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain import estimate_drafts as drafts
from domain import estimates as rules
from domain.estimate_drafts import EstimateDraft, LineDraft
from domain.estimates import EstimateProblem
from domain.permissions import Permission
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.ids import InvalidGlobalId, decode_global_id
from graph.mutations import (
    MutationInput,
    Outcome,
    UserError,
    perform,
    user_errors,
)
from graph.types.estimates import Estimate, Job
from persistence.models import Estimate as EstimateRow
from persistence.models import Job as JobRow

NO_ID = uuid.UUID(int=0)

strawberry.enum(
    EstimateProblem,
    name="EstimateErrorCode",
    description="Why an estimate change was refused: a record not found "
    "(CLIENT_NOT_FOUND, ESTIMATE_NOT_FOUND, ADDRESS_NOT_FOUND), an archived "
    "client (CLIENT_ARCHIVED), input at fault "
    "(TITLE_INVALID, NO_LINES, LINE_KIND, DESCRIPTION_INVALID, "
    "RENTAL_DAYS_INVALID, QUANTITY_INVALID, TOTAL_NEGATIVE, VALIDITY_IN_PAST, "
    "SERVICE_ADDRESS_REQUIRED), no price for a line (NO_PRICE, UNKNOWN_FEE), or "
    "a step the estimate's status does not allow (NOT_DRAFT, NOT_SENT, "
    "ALREADY_REVIEWED, ALREADY_DECIDED, EXPIRED, SIGNATURE_REQUIRED), or an "
    "estimate signature template that cannot render (SIGNATURE_TEMPLATE_INVALID).",
)


def public_id_of(global_id: strawberry.ID, type_name: str) -> uuid.UUID:
    """The public UUID inside a global ID of ``type_name``; a malformed ID or
    one of another type finds nothing, exactly like an unknown one."""
    try:
        found_type, public_id = decode_global_id(global_id)
    except InvalidGlobalId:
        return NO_ID
    return public_id if found_type == type_name else NO_ID


def decimal_or_zero(text: str) -> Decimal:
    """A quantity the rules will refuse (zero) when the text is no number."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return Decimal(0)
    return value if value.is_finite() else Decimal(0)


@strawberry.type(description="A reason an estimate change was refused.")
class EstimateError(UserError):
    code: EstimateProblem = field(
        description="What went wrong, to branch on.", audiences=STAFF_ONLY
    )


ERRORS_DESCRIPTION = "Problems with the input; empty on success."


@strawberry.input(
    description="One line: exactly one of a container rental (containerSize and "
    "rentalDays), a fee (feeCode) or a manual price (unitPrice and description)."
)
class EstimateLineInput:
    container_size: int | None = strawberry.field(
        default=None,
        description="Container size in cubic yards (10, 15, 20, 30 or 40); priced "
        "from the client's prices for the estimate's service address.",
    )
    rental_days: int | None = strawberry.field(
        default=None, description="Rental length in days, with containerSize."
    )
    fee_code: str | None = strawberry.field(
        default=None, description='A fee of the price list, e.g. "mattress".'
    )
    unit_price: int | None = strawberry.field(
        default=None,
        description="A manual unit price in the account currency's minor units "
        "(cents); may be negative for a discount.",
    )
    description: str | None = strawberry.field(
        default=None,
        description="What the line is, up to 500 characters; required for manual "
        "lines, named after the container or fee otherwise.",
    )
    quantity: str = strawberry.field(
        default="1",
        description='How many, a decimal string with at most two decimals ("2", '
        '"1.5"); whole for containers (one delivery each).',
    )

    def to_draft(self) -> LineDraft:
        return LineDraft(
            container_size=self.container_size,
            rental_days=self.rental_days,
            fee_code=self.fee_code,
            unit_price=self.unit_price,
            description=self.description,
            quantity=decimal_or_zero(self.quantity),
        )


@strawberry.input(description="A new draft estimate for a client.")
class CreateEstimateInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    title: str = strawberry.field(description="What it is for, 1 to 200 characters.")
    lines: list[EstimateLineInput] = strawberry.field(
        description="The quoted lines, in order; at least one."
    )
    service_address_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Where the work is; its pricing zone prices container lines. "
        "Default: the client's default service address.",
    )
    valid_until: date | None = strawberry.field(
        default=None,
        description="The last day the prices hold; today or later. Default: 30 "
        "days from today.",
    )
    notes: str | None = strawberry.field(
        default=None, description="Notes printed on the estimate for the client."
    )


@strawberry.input(
    description="Changes to a draft estimate; omitted fields stay as they are."
)
class UpdateEstimateInput:
    estimate_id: strawberry.ID = strawberry.field(description="The estimate's ID.")
    title: str | None = strawberry.field(default=None, description="A new title.")
    lines: list[EstimateLineInput] | None = strawberry.field(
        default=None,
        description="Replaces every line, each priced again as of today.",
    )
    service_address_id: strawberry.ID | None = strawberry.field(
        default=None, description="A new service address."
    )
    valid_until: date | None = strawberry.field(
        default=None, description="A new last day the prices hold."
    )
    notes: str | None = strawberry.field(
        default=None, description="New notes; an empty string removes them."
    )


@strawberry.input(description="The estimate to send.")
class SendEstimateInput:
    estimate_id: strawberry.ID = strawberry.field(description="The estimate's ID.")


@strawberry.input(description="A step of the client's engagement, as staff record it.")
class EstimateStepInput:
    estimate_id: strawberry.ID = strawberry.field(description="The estimate's ID.")
    note: str | None = strawberry.field(
        default=None,
        description='What happened, kept on the timeline ("Accepted by phone.").',
    )


@strawberry.type(description="The estimate created.")
class CreateEstimatePayload:
    estimate: Estimate | None = field(
        description="The new draft; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[EstimateError] = field(
        description=ERRORS_DESCRIPTION, audiences=STAFF_ONLY
    )


@strawberry.type(description="The estimate after the change.")
class UpdateEstimatePayload:
    estimate: Estimate | None = field(
        description="The changed draft; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[EstimateError] = field(
        description=ERRORS_DESCRIPTION, audiences=STAFF_ONLY
    )


@strawberry.type(description="The estimate sent.")
class SendEstimatePayload:
    estimate: Estimate | None = field(
        description="The estimate, now awaiting a response; null when refused.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[EstimateError] = field(
        description=ERRORS_DESCRIPTION, audiences=STAFF_ONLY
    )


@strawberry.type(description="The estimate after the step.")
class EstimateStepPayload:
    estimate: Estimate | None = field(
        description="The estimate; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[EstimateError] = field(
        description=ERRORS_DESCRIPTION, audiences=STAFF_ONLY
    )


@strawberry.type(description="The accepted estimate and the job it created.")
class AcceptEstimatePayload:
    estimate: Estimate | None = field(
        description="The accepted estimate; null when refused.", audiences=STAFF_ONLY
    )
    job: Job | None = field(
        description="The job created with its delivery tasks; null when the "
        "client's setting create_job_on_accept is off, or when refused.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[EstimateError] = field(
        description=ERRORS_DESCRIPTION, audiences=STAFF_ONLY
    )


def optional_public_id(
    global_id: strawberry.ID | None, type_name: str
) -> uuid.UUID | None:
    return public_id_of(global_id, type_name) if global_id is not None else None


def draft_of(input: CreateEstimateInput | UpdateEstimateInput) -> EstimateDraft:
    # Null lines on update keep the lines; an empty list is refused (NO_LINES).
    lines = input.lines
    return EstimateDraft(
        title=input.title,
        lines=[line.to_draft() for line in lines] if lines is not None else None,
        valid_until=input.valid_until,
        service_address_id=optional_public_id(input.service_address_id, "Address"),
        notes=input.notes,
    )


async def create_estimate(
    info: Info, input: MutationInput[CreateEstimateInput]
) -> CreateEstimatePayload:
    viewer = info.context.signed_in_viewer
    now = info.context.services.clock()

    async def work(session: AsyncSession) -> Estimate:
        client_id = public_id_of(input.client_id, "Client")
        client = await drafts.find_client(session, viewer.account_id, client_id)
        row = await drafts.create_estimate(
            session, viewer, client, draft_of(input), now
        )
        return Estimate.from_row(row)

    outcome = await perform(info, work)
    errors = user_errors(EstimateError, outcome.problems)
    return CreateEstimatePayload(estimate=outcome.result, user_errors=errors)


Step = Callable[[AsyncSession, Any, EstimateRow], Awaitable[EstimateRow]]


async def estimate_step(
    info: Info, estimate_id: strawberry.ID, step: Step
) -> Outcome[Any]:
    """Find the viewer's estimate and take one step with it, in one transaction."""
    viewer = info.context.signed_in_viewer

    async def work(session: AsyncSession) -> EstimateRow:
        public_id = public_id_of(estimate_id, "Estimate")
        row = await rules.find_estimate(session, viewer, public_id)
        return await step(session, viewer, row)

    return await perform(info, work)


async def update_estimate(
    info: Info, input: MutationInput[UpdateEstimateInput]
) -> UpdateEstimatePayload:
    now = info.context.services.clock()

    async def step(session: AsyncSession, viewer: Any, row: EstimateRow) -> Any:
        return await drafts.update_estimate(session, viewer, row, draft_of(input), now)

    outcome = await estimate_step(info, input.estimate_id, step)
    return UpdateEstimatePayload(
        estimate=estimate_or_null(outcome.result),
        user_errors=user_errors(EstimateError, outcome.problems),
    )


async def send_estimate(
    info: Info, input: MutationInput[SendEstimateInput]
) -> SendEstimatePayload:
    now = info.context.services.clock()

    async def step(session: AsyncSession, viewer: Any, row: EstimateRow) -> Any:
        return await rules.send_estimate(session, viewer, row, now)

    outcome = await estimate_step(info, input.estimate_id, step)
    return SendEstimatePayload(
        estimate=estimate_or_null(outcome.result),
        user_errors=user_errors(EstimateError, outcome.problems),
    )


def noted_step(operation: Any, info: Info, note: str | None) -> Step:
    """A step that takes the clock and the staff user's note."""
    now = info.context.services.clock()

    async def step(session: AsyncSession, viewer: Any, row: EstimateRow) -> Any:
        return await operation(session, viewer, row, now, note)

    return step


async def mark_estimate_reviewed(
    info: Info, input: MutationInput[EstimateStepInput]
) -> EstimateStepPayload:
    step = noted_step(rules.mark_estimate_reviewed, info, input.note)
    outcome = await estimate_step(info, input.estimate_id, step)
    return EstimateStepPayload(
        estimate=estimate_or_null(outcome.result),
        user_errors=user_errors(EstimateError, outcome.problems),
    )


async def decline_estimate(
    info: Info, input: MutationInput[EstimateStepInput]
) -> EstimateStepPayload:
    step = noted_step(rules.decline_estimate, info, input.note)
    outcome = await estimate_step(info, input.estimate_id, step)
    return EstimateStepPayload(
        estimate=estimate_or_null(outcome.result),
        user_errors=user_errors(EstimateError, outcome.problems),
    )


async def accept_estimate(
    info: Info, input: MutationInput[EstimateStepInput]
) -> AcceptEstimatePayload:
    accept = noted_step(rules.accept_estimate, info, input.note)

    async def step(session: AsyncSession, viewer: Any, row: EstimateRow) -> Any:
        accepted = await accept(session, viewer, row)
        job = await session.get(JobRow, accepted.job_id) if accepted.job_id else None
        return accepted, job

    outcome = await estimate_step(info, input.estimate_id, step)
    # A refused acceptance has no result: neither estimate nor job to show.
    accepted, job = outcome.result or (None, None)
    return AcceptEstimatePayload(
        estimate=estimate_or_null(accepted),
        job=Job.from_row(job) if job is not None else None,
        user_errors=user_errors(EstimateError, outcome.problems),
    )


def estimate_or_null(row: EstimateRow | None) -> Estimate | None:
    return Estimate.from_row(row) if row is not None else None


@strawberry.type(description="Estimate mutations.")
class EstimateMutations:
    create_estimate: CreateEstimatePayload | None = field(
        create_estimate,
        description="Create a draft estimate for a client; each line is priced by "
        "the client's prices as of today, with its provenance kept. Numbers are "
        "sequential per account and never reused. Needs work:write.",
        audiences=STAFF_ONLY,
        permission=Permission.WORK_WRITE,
    )
    update_estimate: UpdateEstimatePayload | None = field(
        update_estimate,
        description="Change a draft estimate (NOT_DRAFT once sent). Needs work:write.",
        audiences=STAFF_ONLY,
        permission=Permission.WORK_WRITE,
    )
    send_estimate: SendEstimatePayload | None = field(
        send_estimate,
        description="Send a draft estimate to the client: it becomes NO_RESPONSE, "
        "and an estimate-sent notification is queued. Where the client's setting "
        "signature_required is on, an estimate signature document goes with it "
        "and acceptance waits for its signature. Needs work:write.",
        audiences=STAFF_ONLY,
        permission=Permission.WORK_WRITE,
    )
    mark_estimate_reviewed: EstimateStepPayload | None = field(
        mark_estimate_reviewed,
        description="Record that the estimate was reviewed with the client. Needs "
        "work:write.",
        audiences=STAFF_ONLY,
        permission=Permission.WORK_WRITE,
    )
    accept_estimate: AcceptEstimatePayload | None = field(
        accept_estimate,
        description="Record the client's acceptance of a sent, unexpired "
        "estimate (signed first, if it was sent for signature). When the "
        "client's setting create_job_on_accept is on, the job and an unscheduled "
        "delivery per quoted container are created at the quoted prices. Needs "
        "work:write.",
        audiences=STAFF_ONLY,
        permission=Permission.WORK_WRITE,
    )
    decline_estimate: EstimateStepPayload | None = field(
        decline_estimate,
        description="Record that the client declined a sent, unexpired estimate. "
        "Needs work:write.",
        audiences=STAFF_ONLY,
        permission=Permission.WORK_WRITE,
    )
