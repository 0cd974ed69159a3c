"""Estimates: lines quoted at the client's own prices, sending, and the
client's answer, each status change an event of the engagement timeline.

    DRAFT ─send─> NO_RESPONSE ─opened─> READ ─> REVIEWED ─┬─> ACCEPTED
                       └──────────────────┴─────────┴─────┴─> DECLINED
    an open estimate (no response, read, reviewed) past its validity: EXPIRED

An open estimate whose ``valid_until`` has passed is expired whether or not
``expire_estimates`` has stored that yet: ``effective_status`` says so, and
no answer is taken for it. Accepting can create the job and its delivery
tasks, at the prices the estimate quoted (setting ``create_job_on_accept``).
"""

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import actor_of, record_activity
from domain.calendar import local_date
from domain.client_settings import client_setting
from domain.documents import delivery_needs_signature
from domain.identity.viewer import Viewer, ViewerKind
from domain.notify import announce
from domain.pricing import container_rate, fee_price
from domain.problems import Problem, Refused, refuse, refuse_all
from persistence.enums import (
    AddressKind,
    EstimateStatus,
    JobKind,
    Material,
    NotificationEvent,
    PriceRule,
    TaskKind,
    TaskStatus,
)
from persistence.models import (
    Account,
    Address,
    Client,
    Estimate,
    EstimateEvent,
    EstimateLine,
    Job,
    JobLine,
    Task,
)
from persistence.queries.work import OPEN_ESTIMATE_STATUSES

logger = logging.getLogger(__name__)

OPEN_STATUSES = frozenset(OPEN_ESTIMATE_STATUSES)
DECIDED_STATUSES = frozenset({EstimateStatus.ACCEPTED, EstimateStatus.DECLINED})
# The activity record's verb for a step, where it is not the status itself.
ACTIONS = {EstimateStatus.NO_RESPONSE: "sent"}
# No client setting names a validity; quotes hold for a month unless staff
# choose a date.
DEFAULT_VALID_DAYS = 30
TITLE_LENGTH = 200
DESCRIPTION_LENGTH = 500
LARGEST_QUANTITY = Decimal("99999999.99")
# Delivered containers hold a general load unless the task says otherwise.
DEFAULT_MATERIAL = Material.GENERAL_DEBRIS


class EstimateProblem(StrEnum):
    CLIENT_NOT_FOUND = "client_not_found"
    ESTIMATE_NOT_FOUND = "estimate_not_found"
    ADDRESS_NOT_FOUND = "address_not_found"
    SERVICE_ADDRESS_REQUIRED = "service_address_required"
    TITLE_INVALID = "title_invalid"
    NO_LINES = "no_lines"
    LINE_KIND = "line_kind"
    DESCRIPTION_INVALID = "description_invalid"
    RENTAL_DAYS_INVALID = "rental_days_invalid"
    QUANTITY_INVALID = "quantity_invalid"
    TOTAL_NEGATIVE = "total_negative"
    NO_PRICE = "no_price"
    UNKNOWN_FEE = "unknown_fee"
    VALIDITY_IN_PAST = "validity_in_past"
    NOT_DRAFT = "not_draft"
    NOT_SENT = "not_sent"
    ALREADY_REVIEWED = "already_reviewed"
    ALREADY_DECIDED = "already_decided"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class LineDraft:
    """One line as asked for: exactly one of a container rental
    (``container_size`` and ``rental_days``), a fee (``fee_code``) or a manual
    price (``unit_price`` with a ``description``)."""

    container_size: int | None = None
    rental_days: int | None = None
    fee_code: str | None = None
    unit_price: int | None = None
    description: str | None = None
    quantity: Decimal = Decimal(1)


@dataclass(frozen=True, slots=True)
class EstimateDraft:
    """What staff fill in. On update, None leaves a part as it is and
    ``lines`` replaces all lines."""

    title: str | None = None
    lines: Sequence[LineDraft] | None = None
    valid_until: date | None = None
    service_address_id: uuid.UUID | None = None
    notes: str | None = None


def effective_status(status: str, valid_until: date, today: date) -> EstimateStatus:
    """The status as of ``today``: an open estimate past validity is expired."""
    if status in OPEN_STATUSES and valid_until < today:
        return EstimateStatus.EXPIRED
    return EstimateStatus(status)


async def business_day(session: AsyncSession, account_id: int, now: datetime) -> date:
    """Today where the business is, which decides validity and prices."""
    account = await session.get_one(Account, account_id)
    return local_date(now, account.time_zone)


async def find_client(
    session: AsyncSession, account_id: int, public_id: uuid.UUID | None
) -> Client:
    client = await session.scalar(
        select(Client).where(
            Client.account_id == account_id, Client.public_id == public_id
        )
    )
    if client is None:
        refuse(
            EstimateProblem.CLIENT_NOT_FOUND,
            "clientId",
            "Your account has no client with that ID.",
        )
    return client


async def find_estimate(
    session: AsyncSession, viewer: Viewer, public_id: uuid.UUID | None
) -> Estimate:
    """The viewer's estimate; a client sees only its own, and never another
    account's (``ESTIMATE_NOT_FOUND`` either way)."""
    statement = select(Estimate).where(
        Estimate.account_id == viewer.account_id, Estimate.public_id == public_id
    )
    if viewer.sees_as_client:
        statement = statement.where(Estimate.client_id == viewer.client_id)
    estimate = await session.scalar(statement.with_for_update())
    if estimate is None:
        refuse(
            EstimateProblem.ESTIMATE_NOT_FOUND,
            "estimateId",
            "Your account has no estimate with that ID.",
        )
    return estimate


async def take_estimate_number(session: AsyncSession, account_id: int) -> int:
    """The account's next estimate number, taken in one atomic UPDATE.

    The row stays locked until the transaction ends, so concurrent creators
    queue on PostgreSQL; a rolled-back transaction returns its number with it,
    so no committed estimate ever shares or skips one.
    """
    number = await session.scalar(
        update(Account)
        .where(Account.id == account_id)
        .values(next_estimate_number=Account.next_estimate_number + 1)
        .returning(Account.next_estimate_number - 1)
        .execution_options(synchronize_session=False)
    )
    if number is None:  # pragma: no cover - the viewer's account always exists
        raise LookupError(f"No account {account_id}.")
    return number


async def create_estimate(
    session: AsyncSession,
    viewer: Viewer,
    client: Client,
    draft: EstimateDraft,
    now: datetime,
) -> Estimate:
    """A draft estimate for ``client``, every line priced as of today."""
    today = await business_day(session, client.account_id, now)
    account = await session.get_one(Account, client.account_id)
    estimate = Estimate(
        account_id=client.account_id,
        client_id=client.id,
        title="",
        status=EstimateStatus.DRAFT,
        valid_until=today + timedelta(days=DEFAULT_VALID_DAYS),
        currency=account.currency,
        created_by_id=staff_id(viewer),
    )
    # Taken first: a refusal rolls the whole transaction back, number included.
    estimate.number = await take_estimate_number(session, client.account_id)
    await apply_draft(session, client, estimate, draft, today, is_new=True)
    await record_activity(
        session,
        viewer,
        "estimate.created",
        client_id=client.id,
        subject=estimate,
        number=estimate.number,
    )
    return estimate


async def update_estimate(
    session: AsyncSession,
    viewer: Viewer,
    estimate: Estimate,
    draft: EstimateDraft,
    now: datetime,
) -> Estimate:
    """Change a draft; a sent estimate is what the client saw and stays so."""
    if estimate.status != EstimateStatus.DRAFT:
        refuse(
            EstimateProblem.NOT_DRAFT,
            "estimateId",
            "Only a draft estimate can be changed; this one was sent.",
        )
    client = await session.get_one(Client, estimate.client_id)
    today = await business_day(session, estimate.account_id, now)
    await apply_draft(session, client, estimate, draft, today, is_new=False)
    await record_activity(
        session,
        viewer,
        "estimate.updated",
        client_id=estimate.client_id,
        subject=estimate,
        number=estimate.number,
    )
    return estimate


async def apply_draft(
    session: AsyncSession,
    client: Client,
    estimate: Estimate,
    draft: EstimateDraft,
    today: date,
    *,
    is_new: bool,
) -> None:
    """Validate every part of ``draft`` together, then lay it on ``estimate``."""
    problems = header_problems(draft, today, is_new=is_new)
    address = await chosen_address(session, client, estimate, draft, problems)
    lines: list[EstimateLine] = []
    if draft.lines is not None:
        zone = address.pricing_zone if address is not None else None
        lines = await priced_lines(session, client, draft.lines, zone, today, problems)
        if address is None and any(line.container_size for line in lines):
            problems.append(
                Problem(
                    EstimateProblem.SERVICE_ADDRESS_REQUIRED,
                    "serviceAddressId",
                    "Container rentals need a service address; the client has "
                    "no default one. Name one.",
                )
            )
    refuse_all(problems)

    if draft.title is not None:
        estimate.title = draft.title.strip()
    if draft.valid_until is not None:
        estimate.valid_until = draft.valid_until
    if draft.notes is not None:
        estimate.notes = draft.notes or None
    estimate.service_address_id = address.id if address is not None else None
    if draft.lines is not None:
        await replace_lines(session, client, estimate, lines)


def header_problems(
    draft: EstimateDraft, today: date, *, is_new: bool
) -> list[Problem]:
    problems = []
    title = draft.title.strip() if draft.title is not None else None
    if (is_new or title is not None) and not 1 <= len(title or "") <= TITLE_LENGTH:
        problems.append(
            Problem(
                EstimateProblem.TITLE_INVALID,
                "title",
                f"Give the estimate a title of 1 to {TITLE_LENGTH} characters.",
            )
        )
    if draft.valid_until is not None and draft.valid_until < today:
        problems.append(
            Problem(
                EstimateProblem.VALIDITY_IN_PAST,
                "validUntil",
                f"The validity date {draft.valid_until} has passed; choose today "
                "or later.",
            )
        )
    if (is_new or draft.lines is not None) and not draft.lines:
        problems.append(
            Problem(EstimateProblem.NO_LINES, "lines", "An estimate needs a line.")
        )
    return problems


async def chosen_address(
    session: AsyncSession,
    client: Client,
    estimate: Estimate,
    draft: EstimateDraft,
    problems: list[Problem],
) -> Address | None:
    """The named service address, else the one kept, else the client's default."""
    if draft.service_address_id is not None:
        address = await session.scalar(
            select(Address).where(
                Address.client_id == client.id,
                Address.public_id == draft.service_address_id,
                Address.kind == AddressKind.SERVICE,
            )
        )
        if address is None:
            problems.append(
                Problem(
                    EstimateProblem.ADDRESS_NOT_FOUND,
                    "serviceAddressId",
                    "The client has no service address with that ID.",
                )
            )
        return address
    if estimate.service_address_id is not None:
        return await session.get(Address, estimate.service_address_id)
    return await session.scalar(
        select(Address).where(
            Address.client_id == client.id,
            Address.kind == AddressKind.SERVICE,
            Address.is_default,
        )
    )


async def priced_lines(
    session: AsyncSession,
    client: Client,
    drafts: Sequence[LineDraft],
    zone: str | None,
    today: date,
    problems: list[Problem],
) -> list[EstimateLine]:
    """Each line priced by the one price resolver; problems of all lines at once."""
    lines = []
    for index, draft in enumerate(drafts):
        field = f"lines.{index}"
        shape = line_problems(draft, field)
        if shape:
            problems.extend(shape)
            continue
        try:
            line = await priced_line(session, client, draft, zone, today)
        except Refused as refused:
            problems.extend(
                Problem(EstimateProblem(p.code.value), f"{field}.{p.field}", p.message)
                for p in refused.problems
            )
            continue
        line.position = index + 1
        lines.append(line)
    return lines


def line_problems(draft: LineDraft, field: str) -> list[Problem]:
    kinds = [
        draft.container_size is not None,
        draft.fee_code is not None,
        draft.unit_price is not None,
    ]
    if kinds.count(True) != 1:
        return [
            Problem(
                EstimateProblem.LINE_KIND,
                field,
                "A line is exactly one of a container rental (containerSize), a "
                "fee (feeCode) or a manual price (unitPrice).",
            )
        ]
    problems = []
    quantity = draft.quantity
    is_whole = quantity == quantity.to_integral_value()
    if (
        not Decimal(0) < quantity <= LARGEST_QUANTITY
        or quantity != quantity.quantize(Decimal("0.01"))
        or (draft.container_size is not None and not is_whole)
    ):
        problems.append(
            Problem(
                EstimateProblem.QUANTITY_INVALID,
                f"{field}.quantity",
                f"Quantity {quantity} is not allowed: positive, at most two "
                "decimals, and whole for containers.",
            )
        )
    if draft.container_size is not None and not (draft.rental_days or 0) > 0:
        problems.append(
            Problem(
                EstimateProblem.RENTAL_DAYS_INVALID,
                f"{field}.rentalDays",
                "A container rental needs a positive number of rental days.",
            )
        )
    description = (draft.description or "").strip()
    needs_description = draft.unit_price is not None
    if len(description) > DESCRIPTION_LENGTH or (needs_description and not description):
        problems.append(
            Problem(
                EstimateProblem.DESCRIPTION_INVALID,
                f"{field}.description",
                f"Describe the line in 1 to {DESCRIPTION_LENGTH} characters.",
            )
        )
    return problems


async def priced_line(
    session: AsyncSession,
    client: Client,
    draft: LineDraft,
    zone: str | None,
    today: date,
) -> EstimateLine:
    description = (draft.description or "").strip()
    if draft.container_size is not None and draft.rental_days is not None:
        rate = await container_rate(
            session, client, draft.container_size, draft.rental_days, today, zone
        )
        return new_line(
            description
            or f"{draft.container_size} yd dumpster rental, {draft.rental_days} days",
            draft.quantity,
            rate.base_price,
            rate.rule,
            {**rate.detail, "pricing_zone": zone},
            container_size=draft.container_size,
            rental_days=draft.rental_days,
        )
    if draft.fee_code is not None:
        fee = await fee_price(session, client, draft.fee_code, today)
        return new_line(
            description or fee.name, draft.quantity, fee.amount, fee.rule, fee.detail
        )
    unit_price = draft.unit_price if draft.unit_price is not None else 0
    return new_line(description, draft.quantity, unit_price, PriceRule.MANUAL)


def new_line(
    description: str,
    quantity: Decimal,
    unit_price: int,
    rule: PriceRule,
    detail: dict[str, object] | None = None,
    **values: int,
) -> EstimateLine:
    return EstimateLine(
        description=description,
        quantity=quantity,
        unit_price=unit_price,
        amount=line_amount(unit_price, quantity),
        price_rule=rule,
        price_detail=detail,
        **values,
    )


def line_amount(unit_price: int, quantity: Decimal) -> int:
    """Quantity × unit price in whole minor units, halves rounded away from 0."""
    return int((unit_price * quantity).quantize(Decimal(1), ROUND_HALF_UP))


def tax_on(subtotal: int, rate_bps: int) -> int:
    return line_amount(subtotal, Decimal(rate_bps) / 10_000)


async def replace_lines(
    session: AsyncSession,
    client: Client,
    estimate: Estimate,
    lines: list[EstimateLine],
) -> None:
    """Swap in the new lines and recompute the totals from them."""
    subtotal = sum(line.amount for line in lines)
    if subtotal < 0:
        refuse(
            EstimateProblem.TOTAL_NEGATIVE,
            "lines",
            "The lines add up to less than zero; an estimate cannot owe the client.",
        )
    is_exempt = await client_setting(session, client, "tax_exempt")
    rate = (
        0 if is_exempt else int(await client_setting(session, client, "tax_rate_bps"))
    )
    if estimate.id is not None:
        for old in await session.scalars(
            select(EstimateLine).where(EstimateLine.estimate_id == estimate.id)
        ):
            await session.delete(old)
    else:
        session.add(estimate)
        await session.flush()
    for line in lines:
        line.account_id = estimate.account_id
        line.estimate_id = estimate.id
        session.add(line)
    estimate.subtotal = subtotal
    estimate.tax = tax_on(subtotal, rate)
    estimate.total = estimate.subtotal + estimate.tax


def staff_id(viewer: Viewer | None) -> int | None:
    if viewer is not None and viewer.kind is ViewerKind.STAFF:
        return viewer.staff_user_id
    return None


async def record_event(
    session: AsyncSession,
    viewer: Viewer | None,
    estimate: Estimate,
    status: EstimateStatus,
    now: datetime,
    note: str | None = None,
) -> None:
    """Move the estimate to ``status`` and add the step to its timeline."""
    estimate.status = status
    actor_kind, _ = actor_of(viewer)
    session.add(
        EstimateEvent(
            account_id=estimate.account_id,
            estimate_id=estimate.id,
            status=status,
            occurred_at=now,
            actor_kind=actor_kind,
            actor_staff_id=staff_id(viewer),
            note=note or None,
        )
    )
    await record_activity(
        session,
        viewer,
        f"estimate.{ACTIONS.get(status, status.value)}",
        client_id=estimate.client_id,
        subject=estimate,
        number=estimate.number,
    )


async def send_estimate(
    session: AsyncSession, viewer: Viewer, estimate: Estimate, now: datetime
) -> Estimate:
    """Send a draft: it awaits the client's response, who is notified."""
    if estimate.status != EstimateStatus.DRAFT:
        refuse(
            EstimateProblem.NOT_DRAFT,
            "estimateId",
            "This estimate was sent already; it is sent once.",
        )
    if estimate.valid_until < await business_day(session, estimate.account_id, now):
        refuse(
            EstimateProblem.EXPIRED,
            "estimateId",
            f"Its validity ended on {estimate.valid_until}; change the date first.",
        )
    estimate.sent_at = now
    await record_event(session, viewer, estimate, EstimateStatus.NO_RESPONSE, now)
    await announce(
        session,
        viewer,
        NotificationEvent.ESTIMATE_SENT,
        account_id=estimate.account_id,
        client_id=estimate.client_id,
        manual=True,
        estimate_id=estimate.id,
    )
    return estimate


async def open_status(
    session: AsyncSession, estimate: Estimate, now: datetime
) -> EstimateStatus:
    """The status as of today; refuses an estimate that cannot take a step."""
    today = await business_day(session, estimate.account_id, now)
    status = effective_status(estimate.status, estimate.valid_until, today)
    if status is EstimateStatus.DRAFT:
        refuse(
            EstimateProblem.NOT_SENT,
            "estimateId",
            "This estimate is a draft; send it first.",
        )
    if status in DECIDED_STATUSES:
        refuse(
            EstimateProblem.ALREADY_DECIDED,
            "estimateId",
            f"The client has {status.value} this estimate already.",
        )
    if status is EstimateStatus.EXPIRED:
        refuse(
            EstimateProblem.EXPIRED,
            "estimateId",
            f"Its validity ended on {estimate.valid_until}.",
        )
    return status


async def mark_estimate_read(
    session: AsyncSession, viewer: Viewer, estimate: Estimate, now: datetime
) -> Estimate:
    """The client opened it. Only the first opening of an unanswered
    estimate is a step; later openings change nothing."""
    if estimate.status == EstimateStatus.DRAFT:
        refuse(
            EstimateProblem.NOT_SENT,
            "estimateId",
            "This estimate is a draft; send it first.",
        )
    today = await business_day(session, estimate.account_id, now)
    status = effective_status(estimate.status, estimate.valid_until, today)
    if status is EstimateStatus.NO_RESPONSE:
        await record_event(session, viewer, estimate, EstimateStatus.READ, now)
    return estimate


async def mark_estimate_reviewed(
    session: AsyncSession,
    viewer: Viewer,
    estimate: Estimate,
    now: datetime,
    note: str | None = None,
) -> Estimate:
    """Staff went over the estimate with the client."""
    status = await open_status(session, estimate, now)
    if status is EstimateStatus.REVIEWED:
        refuse(
            EstimateProblem.ALREADY_REVIEWED,
            "estimateId",
            "This estimate is marked reviewed already.",
        )
    await record_event(session, viewer, estimate, EstimateStatus.REVIEWED, now, note)
    return estimate


async def decline_estimate(
    session: AsyncSession,
    viewer: Viewer,
    estimate: Estimate,
    now: datetime,
    note: str | None = None,
) -> Estimate:
    """The client's no, recorded by staff or given on the dashboard."""
    await open_status(session, estimate, now)
    await record_event(session, viewer, estimate, EstimateStatus.DECLINED, now, note)
    return estimate


async def accept_estimate(
    session: AsyncSession,
    viewer: Viewer,
    estimate: Estimate,
    now: datetime,
    note: str | None = None,
) -> Estimate:
    """The client's yes; creates the job and its tasks when the setting says so."""
    await open_status(session, estimate, now)
    await record_event(session, viewer, estimate, EstimateStatus.ACCEPTED, now, note)
    client = await session.get_one(Client, estimate.client_id)
    if await client_setting(session, client, "create_job_on_accept"):
        job = await create_job_from_estimate(session, viewer, estimate, client)
        estimate.job_id = job.id
    return estimate


async def create_job_from_estimate(
    session: AsyncSession, viewer: Viewer | None, estimate: Estimate, client: Client
) -> Job:
    """The accepted estimate as a job: its lines at the quoted prices, and an
    unscheduled delivery task per quoted container.

    Task and job creation proper belongs with the rest of the work rules;
    this builds only what an accepted estimate implies.
    """
    job = Job(
        account_id=estimate.account_id,
        client_id=estimate.client_id,
        kind=JobKind.PROJECT,
        title=estimate.title,
        description=estimate.notes,
        service_address_id=estimate.service_address_id,
        created_by_id=staff_id(viewer),
    )
    session.add(job)
    await session.flush()
    lines = await session.scalars(
        select(EstimateLine)
        .where(EstimateLine.estimate_id == estimate.id)
        .order_by(EstimateLine.position, EstimateLine.id)
    )
    needs_signature = await delivery_needs_signature(session, client)
    task_count = 0
    for line in lines:
        session.add(job_line_of(job, line))
        for task in delivery_tasks_of(job, estimate, line, needs_signature):
            session.add(task)
            task_count += 1
    await record_activity(
        session,
        viewer,
        "job.created",
        client_id=estimate.client_id,
        subject=job,
        estimate_number=estimate.number,
        task_count=task_count,
    )
    logger.info("Estimate %s accepted: job %s created", estimate.id, job.id)
    return job


def job_line_of(job: Job, line: EstimateLine) -> JobLine:
    return JobLine(
        account_id=job.account_id,
        job_id=job.id,
        position=line.position,
        description=line.description,
        quantity=line.quantity,
        unit_price=line.unit_price,
        amount=line.amount,
        price_rule=line.price_rule,
        price_detail=line.price_detail,
    )


def delivery_tasks_of(
    job: Job, estimate: Estimate, line: EstimateLine, needs_signature: bool
) -> list[Task]:
    """One delivery per container the line quotes, with its price snapshot."""
    if line.container_size is None or estimate.service_address_id is None:
        return []
    return [
        Task(
            account_id=job.account_id,
            client_id=job.client_id,
            job_id=job.id,
            kind=TaskKind.DELIVERY,
            status=TaskStatus.UNSCHEDULED,
            service_address_id=estimate.service_address_id,
            container_size=line.container_size,
            material=DEFAULT_MATERIAL,
            rental_days=line.rental_days,
            currency=estimate.currency,
            price=line.unit_price,
            price_rule=line.price_rule,
            price_detail=line.price_detail,
            requires_signed_agreement=needs_signature,
            created_by_id=job.created_by_id,
        )
        for _ in range(int(line.quantity))
    ]


async def expire_estimates(
    session: AsyncSession,
    account_id: int,
    today: date,
    now: datetime | None = None,
) -> list[Estimate]:
    """Store EXPIRED on the account's open estimates whose validity has passed,
    each with its event; running it again finds nothing more to do."""
    moment = now or datetime.now(UTC)
    estimates = list(
        await session.scalars(
            select(Estimate)
            .where(
                Estimate.account_id == account_id,
                Estimate.status.in_(OPEN_STATUSES),
                Estimate.valid_until < today,
            )
            .order_by(Estimate.id)
            .with_for_update()
        )
    )
    for estimate in estimates:
        await record_event(session, None, estimate, EstimateStatus.EXPIRED, moment)
    if estimates:
        logger.info("Expired %d estimates of account %s", len(estimates), account_id)
    return estimates
