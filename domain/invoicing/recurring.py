"""Recurring invoices: the schedule staff set up, pause, resume and end.

A schedule is active (it issues an invoice each period), paused (inactive,
may resume) or ended (``ended_at`` set: it never runs again). Resuming does
not bill the periods that passed while paused: the next run moves to the
first period that starts on or after the day it resumes.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.calendar import local_date
from domain.identity.viewer import Viewer
from domain.invoicing.lines import LineInput, lines_problems, priced
from domain.invoicing.periods import first_period_on_or_after
from domain.invoicing.problems import InvoicingProblem
from domain.invoicing.terms import billable_client, billing_terms, service_address_of
from domain.problems import Problem, refuse, refuse_all
from persistence.enums import RecurrenceInterval
from persistence.models import RecurringInvoice, RecurringInvoiceLine
from persistence.queries import invoicing as queries

NAME_LENGTH = 200
MAX_INTERVAL_COUNT = 52
MAX_TERMS_DAYS = 365


class Keep(Enum):
    """Leave a value as it is (unlike None, which clears it)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True, slots=True)
class ScheduleInput:
    client_id: uuid.UUID
    name: str
    interval: RecurrenceInterval
    starts_on: date
    lines: Sequence[LineInput]
    interval_count: int = 1
    ends_on: date | None = None
    payment_terms_days: int | None = None
    service_address_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class ScheduleChanges:
    """Changes to a schedule; None (or ``KEEP``) leaves a part as it is."""

    recurring_invoice_id: uuid.UUID
    name: str | None = None
    lines: Sequence[LineInput] | None = None
    payment_terms_days: int | None = None
    ends_on: date | None | Keep = KEEP


def name_problem(name: str) -> list[Problem]:
    if name.strip() and len(name) <= NAME_LENGTH:
        return []
    message = "Name the schedule in 1 to 200 characters."
    return [Problem(InvoicingProblem.NAME_REQUIRED, "name", message)]


def terms_problem(days: int | None) -> list[Problem]:
    if days is None or 0 <= days <= MAX_TERMS_DAYS:
        return []
    message = f"Payment terms run from 0 to {MAX_TERMS_DAYS} days; {days} is outside."
    return [
        Problem(InvoicingProblem.INVALID_PAYMENT_TERMS, "paymentTermsDays", message)
    ]


def end_problem(ends_on: date | None, starts_on: date) -> list[Problem]:
    if ends_on is None or ends_on >= starts_on:
        return []
    message = (
        f"The end {ends_on.isoformat()} is before the start {starts_on.isoformat()}."
    )
    return [Problem(InvoicingProblem.INVALID_END_DATE, "endsOn", message)]


def lines_required(lines: Sequence[LineInput]) -> list[Problem]:
    if lines:
        return lines_problems(lines, "lines")
    message = "A recurring invoice needs at least one line to bill."
    return [Problem(InvoicingProblem.NOTHING_TO_INVOICE, "lines", message)]


def schedule_problems(schedule: ScheduleInput, today: date) -> list[Problem]:
    problems = name_problem(schedule.name) + lines_required(schedule.lines)
    if not 1 <= schedule.interval_count <= MAX_INTERVAL_COUNT:
        problems.append(
            Problem(
                InvoicingProblem.INVALID_INTERVAL_COUNT,
                "intervalCount",
                f"Repeat every 1 to {MAX_INTERVAL_COUNT} periods.",
            )
        )
    if schedule.starts_on < today:
        problems.append(
            Problem(
                InvoicingProblem.INVALID_START_DATE,
                "startsOn",
                "A schedule starts today or later; past periods are invoiced by hand.",
            )
        )
    problems += end_problem(schedule.ends_on, schedule.starts_on)
    return problems + terms_problem(schedule.payment_terms_days)


async def create_recurring_invoice(
    session: AsyncSession, viewer: Viewer, now: datetime, schedule: ScheduleInput
) -> RecurringInvoice:
    """A schedule that issues its first invoice on ``starts_on``; payment terms
    default to the client's effective payment-terms setting."""
    client = await billable_client(
        session, viewer.account_id, schedule.client_id, "clientId"
    )
    account = await queries.account_of(session, viewer.account_id)
    terms = await billing_terms(session, account, client, now)
    refuse_all(schedule_problems(schedule, terms.today))

    address = await service_address_of(
        session, client, schedule.service_address_id, "serviceAddressId"
    )

    row = RecurringInvoice(
        account_id=client.account_id,
        client_id=client.id,
        name=schedule.name.strip(),
        interval=schedule.interval,
        interval_count=schedule.interval_count,
        starts_on=schedule.starts_on,
        ends_on=schedule.ends_on,
        next_run_on=schedule.starts_on,
        payment_terms_days=(
            terms.payment_terms_days
            if schedule.payment_terms_days is None
            else schedule.payment_terms_days
        ),
        currency=account.currency,
        service_address_id=address.id if address is not None else None,
        is_active=True,
    )
    session.add(row)
    await session.flush()
    write_schedule_lines(session, row, schedule.lines)

    await record_activity(
        session, viewer, "recurring_invoice.created", client_id=client.id, subject=row
    )
    return row


def write_schedule_lines(
    session: AsyncSession, schedule: RecurringInvoice, lines: Sequence[LineInput]
) -> None:
    for position, line in enumerate(map(priced, lines), start=1):
        session.add(
            RecurringInvoiceLine(
                account_id=schedule.account_id,
                recurring_invoice_id=schedule.id,
                position=position,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                is_taxable=line.is_taxable,
            )
        )


async def schedule_for_change(
    session: AsyncSession, viewer: Viewer, public_id: uuid.UUID
) -> RecurringInvoice:
    """The account's schedule, locked; an ended one is refused."""
    schedule = await queries.by_public_id(
        session, RecurringInvoice, viewer.account_id, public_id, for_update=True
    )
    if schedule is None:
        refuse(
            InvoicingProblem.RECURRING_INVOICE_NOT_FOUND,
            "id",
            "Your account has no such recurring invoice.",
        )
    if schedule.ended_at is not None:
        refuse(
            InvoicingProblem.ALREADY_ENDED,
            "id",
            f"{schedule.name!r} has ended; create a new schedule instead.",
        )
    return schedule


async def update_recurring_invoice(
    session: AsyncSession, viewer: Viewer, changes: ScheduleChanges
) -> RecurringInvoice:
    """Change what future periods bill; invoices already issued stay as they are."""
    schedule = await schedule_for_change(session, viewer, changes.recurring_invoice_id)

    problems = terms_problem(changes.payment_terms_days)
    if changes.name is not None:
        problems += name_problem(changes.name)
    if changes.lines is not None:
        problems += lines_required(changes.lines)
    if not isinstance(changes.ends_on, Keep):
        problems += end_problem(changes.ends_on, schedule.starts_on)
    refuse_all(problems)

    if changes.name is not None:
        schedule.name = changes.name.strip()
    if changes.payment_terms_days is not None:
        schedule.payment_terms_days = changes.payment_terms_days
    if not isinstance(changes.ends_on, Keep):
        # An end before the next run ends the schedule when the runner next
        # looks at it; invoices already issued are not touched.
        schedule.ends_on = changes.ends_on
    if changes.lines is not None:
        for row in await queries.lines_of_schedule(session, schedule.id):
            await session.delete(row)
        await session.flush()
        write_schedule_lines(session, schedule, changes.lines)

    await record_activity(
        session,
        viewer,
        "recurring_invoice.updated",
        client_id=schedule.client_id,
        subject=schedule,
    )
    return schedule


async def pause_recurring_invoice(
    session: AsyncSession, viewer: Viewer, public_id: uuid.UUID
) -> RecurringInvoice:
    schedule = await schedule_for_change(session, viewer, public_id)
    if not schedule.is_active:
        refuse(
            InvoicingProblem.ALREADY_PAUSED,
            "id",
            f"{schedule.name!r} is paused already.",
        )

    schedule.is_active = False
    await record_activity(
        session,
        viewer,
        "recurring_invoice.paused",
        client_id=schedule.client_id,
        subject=schedule,
    )
    return schedule


async def resume_recurring_invoice(
    session: AsyncSession, viewer: Viewer, now: datetime, public_id: uuid.UUID
) -> RecurringInvoice:
    """Run again from the first period starting today or later."""
    schedule = await schedule_for_change(session, viewer, public_id)
    if schedule.is_active:
        refuse(
            InvoicingProblem.ALREADY_ACTIVE,
            "id",
            f"{schedule.name!r} is running already.",
        )
    account = await queries.account_of(session, viewer.account_id)
    today = local_date(now, account.time_zone)

    schedule.next_run_on = first_period_on_or_after(
        schedule.starts_on,
        RecurrenceInterval(schedule.interval),
        schedule.interval_count,
        max(schedule.next_run_on, today),
    )
    schedule.is_active = True
    await record_activity(
        session,
        viewer,
        "recurring_invoice.resumed",
        client_id=schedule.client_id,
        subject=schedule,
    )
    return schedule


async def end_recurring_invoice(
    session: AsyncSession, viewer: Viewer, now: datetime, public_id: uuid.UUID
) -> RecurringInvoice:
    """Stop for good: no further invoices; those issued stay."""
    schedule = await schedule_for_change(session, viewer, public_id)
    schedule.is_active = False
    schedule.ended_at = now
    await record_activity(
        session,
        viewer,
        "recurring_invoice.ended",
        client_id=schedule.client_id,
        subject=schedule,
    )
    return schedule
