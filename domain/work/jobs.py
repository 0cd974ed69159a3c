"""Project work: junk removal, material delivery and general projects.

The rules:

- A job has a title, optionally one of the client's service addresses, and
  a scheduled window (start, optional end not before it). With a window it
  is SCHEDULED, without one UNSCHEDULED.
- Each line is priced once, when it is written: either a manual unit price
  (non-negative minor units, rule MANUAL) or a fee of the price list by its
  code (``domain.pricing.fee_price``, so the client's special price
  applies), with its provenance. Quantities are positive.
- Moves: update while not completed or cancelled; schedule from unscheduled
  or scheduled; complete from scheduled or in progress; cancel until it
  ends. Completing a job turns each line into an uninvoiced charge.
- The hold rule of ``domain.work.common`` applies to creating a job and to
  scheduling an unscheduled one.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import notify
from domain.activity import record_activity
from domain.identity.viewer import Viewer
from domain.lookups import by_public_id
from domain.pricing import fee_price
from domain.problems import Problem, refuse, refuse_all
from domain.work.common import (
    WorkProblem,
    business_today,
    find_client,
    find_service_address,
    hold_clearance,
    line_amount,
    pricing_refusals,
)
from persistence.enums import JobKind, JobStatus, NotificationEvent, PriceRule
from persistence.models import Account, Charge, Client, Job, JobLine


class JobAction(StrEnum):
    UPDATE = "changed"
    SCHEDULE = "scheduled"
    COMPLETE = "completed"
    CANCEL = "cancelled"


OPEN = frozenset({JobStatus.UNSCHEDULED, JobStatus.SCHEDULED, JobStatus.IN_PROGRESS})
ALLOWED_FROM: dict[JobAction, frozenset[JobStatus]] = {
    JobAction.UPDATE: OPEN,
    JobAction.SCHEDULE: frozenset({JobStatus.UNSCHEDULED, JobStatus.SCHEDULED}),
    JobAction.COMPLETE: frozenset({JobStatus.SCHEDULED, JobStatus.IN_PROGRESS}),
    JobAction.CANCEL: OPEN,
}


@dataclass(frozen=True, slots=True)
class LineInput:
    """A job line: a manual ``unit_price`` or a ``fee_code``, exactly one."""

    description: str
    quantity: Decimal = Decimal(1)
    unit_price: int | None = None
    fee_code: str | None = None


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True, slots=True)
class JobDraft:
    client_id: UUID | None
    kind: JobKind
    title: str
    description: str | None = None
    service_address_id: UUID | None = None
    window: Window = Window()
    lines: Sequence[LineInput] = ()


def check_transition(job: Job, action: JobAction) -> None:
    if job.status not in ALLOWED_FROM[action]:
        refuse(
            WorkProblem.INVALID_TRANSITION,
            "jobId",
            f"A {job.status.replace('_', ' ')} job cannot be {action.value}.",
        )


async def find_job(
    session: AsyncSession, account_id: int, public_id: UUID | None
) -> Job:
    job = await by_public_id(session, Job, account_id, public_id)
    if job is None:
        refuse(WorkProblem.JOB_NOT_FOUND, "jobId", "No job has that ID.")
    return job


def window_problems(window: Window, field: str = "windowEnd") -> list[Problem]:
    if window.end is None:
        return []
    if window.start is None:
        message = "A window with an end needs its start."
        return [Problem(WorkProblem.REQUIRED, "windowStart", message)]
    if window.end < window.start:
        message = "The window ends before it starts."
        return [Problem(WorkProblem.WINDOW_OUT_OF_ORDER, field, message)]
    return []


def line_problems(lines: Sequence[LineInput]) -> list[Problem]:
    problems = []
    for index, line in enumerate(lines):
        at = f"lines.{index}."

        if (line.unit_price is None) == (line.fee_code is None):
            message = "Give the line a unitPrice or a feeCode, exactly one."
            problems.append(Problem(WorkProblem.LINE_PRICE_REQUIRED, at[:-1], message))

        if line.unit_price is not None and line.unit_price < 0:
            message = "unitPrice must be zero or more minor units."
            field = at + "unitPrice"
            problems.append(Problem(WorkProblem.NEGATIVE_AMOUNT, field, message))
        if line.quantity <= 0:
            message = "quantity must be more than zero."
            field = at + "quantity"
            problems.append(Problem(WorkProblem.INVALID_QUANTITY, field, message))
        if not line.description.strip():
            message = "Describe the line."
            field = at + "description"
            problems.append(Problem(WorkProblem.REQUIRED, field, message))
    return problems


def title_problems(title: str) -> list[Problem]:
    if title.strip():
        return []
    return [Problem(WorkProblem.REQUIRED, "title", "Give the job a title.")]


async def priced_lines(
    session: AsyncSession, client: Client, lines: Sequence[LineInput], day: date
) -> list[JobLine]:
    """Price every line; a fee line at the fee's price for the client."""
    rows = []
    for index, line in enumerate(lines):
        unit_price, rule, detail = line.unit_price or 0, PriceRule.MANUAL.value, None

        if line.fee_code is not None:
            with pricing_refusals(field=f"lines.{index}.feeCode"):
                fee = await fee_price(session, client, line.fee_code, day)
            unit_price, rule, detail = fee.amount, fee.rule, fee.detail

        rows.append(
            JobLine(
                account_id=client.account_id,
                position=index + 1,
                description=line.description.strip(),
                quantity=line.quantity,
                unit_price=unit_price,
                amount=line_amount(line.quantity, unit_price),
                price_rule=rule,
                price_detail=detail,
            )
        )
    return rows


async def pricing_day(session: AsyncSession, job: Job, now: datetime) -> date:
    """The business's day of the window's start, else its today."""
    return await business_today(session, job.account_id, job.window_start or now)


async def create_job(
    session: AsyncSession, viewer: Viewer, draft: JobDraft, now: datetime
) -> Job:
    client = await find_client(session, viewer.account_id, draft.client_id)
    address_id = None
    if draft.service_address_id is not None:
        address = await find_service_address(session, client, draft.service_address_id)
        address_id = address.id
    problems = title_problems(draft.title) + window_problems(draft.window)
    refuse_all(problems + line_problems(draft.lines))

    clearance = await hold_clearance(session, viewer, client.id)

    job = Job(
        account_id=client.account_id,
        client_id=client.id,
        kind=draft.kind,
        status=JobStatus.SCHEDULED if draft.window.start else JobStatus.UNSCHEDULED,
        title=draft.title.strip(),
        description=draft.description,
        service_address_id=address_id,
        window_start=draft.window.start,
        window_end=draft.window.end,
        created_by_id=viewer.staff_user_id,
    )
    session.add(job)
    await session.flush()
    await replace_lines(session, client, job, draft.lines, now)

    await record_activity(
        session, viewer, "job.created", client_id=client.id, subject=job,
        kind=job.kind, lines=len(draft.lines), **clearance,
    )  # fmt: skip
    if job.window_start is not None:
        await announce_job(session, viewer, job, NotificationEvent.TASK_SCHEDULED)
    return job


async def announce_job(
    session: AsyncSession, viewer: Viewer, job: Job, event: NotificationEvent
) -> None:
    """Jobs tell the client what tasks do, under the task events' settings."""
    await notify.announce(
        session, viewer, event,
        account_id=job.account_id, client_id=job.client_id, job_id=job.id,
    )  # fmt: skip


async def replace_lines(
    session: AsyncSession,
    client: Client,
    job: Job,
    lines: Sequence[LineInput],
    now: datetime,
) -> None:
    await session.execute(delete(JobLine).where(JobLine.job_id == job.id))
    rows = await priced_lines(
        session, client, lines, await pricing_day(session, job, now)
    )
    for row in rows:
        row.job_id = job.id
    session.add_all(rows)
    await session.flush()


UPDATABLE = frozenset({"title", "description", "service_address_id"})


async def update_job(
    session: AsyncSession,
    viewer: Viewer,
    job_id: UUID | None,
    changes: Mapping[str, Any],
    lines: Sequence[LineInput] | None,
    now: datetime,
) -> Job:
    """Change the fields in ``changes``; ``lines`` (when given) replace the
    job's lines, priced anew."""
    job = await find_job(session, viewer.account_id, job_id)
    check_transition(job, JobAction.UPDATE)
    assert set(changes) <= UPDATABLE, "only a job's own fields can change"
    client = await session.get_one(Client, job.client_id)
    problems = title_problems(changes["title"]) if "title" in changes else []
    refuse_all(problems + line_problems(lines or ()))

    # The address is looked up (and may be refused) before anything changes.
    if "service_address_id" in changes:
        address_id = changes["service_address_id"]
        job.service_address_id = None
        if address_id is not None:
            address = await find_service_address(session, client, address_id)
            job.service_address_id = address.id

    if "title" in changes:
        job.title = changes["title"].strip()
    if "description" in changes:
        job.description = changes["description"]
    if lines is not None:
        await replace_lines(session, client, job, lines, now)
    await session.flush()

    changed = sorted(changes) + (["lines"] if lines is not None else [])
    await record_activity(
        session, viewer, "job.updated", client_id=job.client_id, subject=job,
        changed=changed,
    )  # fmt: skip
    return job


async def schedule_job(
    session: AsyncSession, viewer: Viewer, job_id: UUID | None, window: Window
) -> Job:
    job = await find_job(session, viewer.account_id, job_id)
    check_transition(job, JobAction.SCHEDULE)
    if window.start is None:
        message = "Give the window's start."
        refuse(WorkProblem.REQUIRED, "windowStart", message)
    refuse_all(window_problems(window))
    clearance: dict[str, Any] = {}
    if job.status == JobStatus.UNSCHEDULED:
        clearance = await hold_clearance(session, viewer, job.client_id)

    job.window_start, job.window_end = window.start, window.end
    job.status = JobStatus.SCHEDULED
    await session.flush()

    await record_activity(
        session, viewer, "job.scheduled", client_id=job.client_id, subject=job,
        window_start=window.start.isoformat(),
        window_end=window.end.isoformat() if window.end else None, **clearance,
    )  # fmt: skip
    await announce_job(session, viewer, job, NotificationEvent.TASK_SCHEDULED)
    return job


async def complete_job(
    session: AsyncSession, viewer: Viewer, job_id: UUID | None, now: datetime
) -> tuple[Job, list[Charge]]:
    """Complete the job; each of its lines becomes an uninvoiced charge."""
    job = await find_job(session, viewer.account_id, job_id)
    check_transition(job, JobAction.COMPLETE)
    job.status, job.completed_at = JobStatus.COMPLETED, now

    client = await session.get_one(Client, job.client_id)
    lines = await session.scalars(
        select(JobLine).where(JobLine.job_id == job.id).order_by(JobLine.position)
    )
    charges = [await line_charge(session, client, job, line) for line in lines]
    session.add_all(charges)
    await session.flush()

    await record_activity(
        session, viewer, "job.completed", client_id=job.client_id, subject=job,
        charges=len(charges), charged=sum(charge.amount for charge in charges),
    )  # fmt: skip
    await announce_job(session, viewer, job, NotificationEvent.TASK_COMPLETED)
    return job, charges


async def line_charge(
    session: AsyncSession, client: Client, job: Job, line: JobLine
) -> Charge:
    account = await session.get_one(Account, client.account_id)
    return Charge(
        account_id=job.account_id,
        client_id=job.client_id,
        service_address_id=job.service_address_id,
        job_id=job.id,
        description=line.description,
        quantity=line.quantity,
        currency=account.currency,
        unit_price=line.unit_price,
        amount=line.amount,
        price_rule=line.price_rule,
        price_detail=line.price_detail,
    )


async def cancel_job(
    session: AsyncSession, viewer: Viewer, job_id: UUID | None, reason: str | None
) -> Job:
    job = await find_job(session, viewer.account_id, job_id)
    check_transition(job, JobAction.CANCEL)
    job.status = JobStatus.CANCELLED
    await session.flush()

    await record_activity(
        session, viewer, "job.cancelled", client_id=job.client_id, subject=job,
        reason=reason,
    )  # fmt: skip
    return job
