"""Estimates: sending, and the client's answer, each status change an event
of the engagement timeline. Drafting (lines priced at the client's own
prices) is in ``domain.estimate_drafts``.

    DRAFT ─send─> NO_RESPONSE ─opened─> READ ─> REVIEWED ─┬─> ACCEPTED
                       └──────────────────┴─────────┴─────┴─> DECLINED
    an open estimate (no response, read, reviewed) past its validity: EXPIRED

An open estimate whose ``valid_until`` has passed is expired whether or not
``expire_estimates`` has stored that yet: ``effective_status`` says so, and
no answer is taken for it. Where the client's setting ``signature_required``
is on, sending also sends an estimate signature document, and acceptance waits
for its signature. Accepting can create the job and its delivery tasks, at
the prices the estimate quoted (setting ``create_job_on_accept``).
"""

import logging
import uuid
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import actor_of, record_activity
from domain.calendar import local_date
from domain.client_settings import client_setting
from domain.documents import (
    delivery_needs_signature,
    primary_contact,
    render,
    render_context,
)
from domain.identity.viewer import Viewer, ViewerKind
from domain.notify import announce
from domain.problems import Refused, refuse
from persistence.enums import (
    Channel,
    DocumentKind,
    EstimateStatus,
    JobKind,
    Material,
    NotificationEvent,
    TaskKind,
    TaskStatus,
)
from persistence.models import (
    Account,
    Client,
    Document,
    DocumentTemplate,
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
# What the client signs when the account has no estimate signature template.
SIGNATURE_TEXT = (
    "{{ client_name }} accepts estimate {{ reference }} ({{ estimate.title }}) "
    "from {{ account_name }} as quoted."
)
# Delivered containers hold a general load unless the task says otherwise.
DEFAULT_MATERIAL = Material.GENERAL_DEBRIS


class EstimateProblem(StrEnum):
    CLIENT_NOT_FOUND = "client_not_found"
    CLIENT_ARCHIVED = "client_archived"
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
    SIGNATURE_REQUIRED = "signature_required"
    SIGNATURE_TEMPLATE_INVALID = "signature_template_invalid"


def effective_status(status: str, valid_until: date, today: date) -> EstimateStatus:
    """The status as of ``today``: an open estimate past validity is expired."""
    if status in OPEN_STATUSES and valid_until < today:
        return EstimateStatus.EXPIRED
    return EstimateStatus(status)


async def business_day(session: AsyncSession, account_id: int, now: datetime) -> date:
    """Today where the business is, which decides validity and prices."""
    account = await session.get_one(Account, account_id)
    return local_date(now, account.time_zone)


async def find_estimate(
    session: AsyncSession, viewer: Viewer, public_id: uuid.UUID | None
) -> Estimate:
    """The viewer's estimate; a client sees only its own sent ones, and never
    another account's (``ESTIMATE_NOT_FOUND`` either way)."""
    statement = select(Estimate).where(
        Estimate.account_id == viewer.account_id, Estimate.public_id == public_id
    )

    # A client never learns of drafts: they are not sent to it yet.
    if viewer.sees_as_client:
        statement = statement.where(
            Estimate.client_id == viewer.client_id,
            Estimate.status != EstimateStatus.DRAFT,
        )
    # Locked: two answers to one estimate arriving at once take turns.
    estimate = await session.scalar(statement.with_for_update())
    if estimate is None:
        refuse(
            EstimateProblem.ESTIMATE_NOT_FOUND,
            "estimateId",
            "Your account has no estimate with that ID.",
        )
    return estimate


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

    # The setting at sending decides: acceptance later waits only for a
    # document that was actually sent.
    client = await session.get_one(Client, estimate.client_id)
    if await client_setting(session, client, "signature_required"):
        await send_for_signature(session, viewer, estimate, client, now)
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


async def send_for_signature(
    session: AsyncSession,
    viewer: Viewer,
    estimate: Estimate,
    client: Client,
    now: datetime,
) -> Document:
    """The document the client signs to accept: the account's estimate
    signature template for the client's type (else one for any type, else a
    built-in sentence), rendered with the estimate's number."""
    template = await session.scalar(
        select(DocumentTemplate)
        .where(
            DocumentTemplate.account_id == estimate.account_id,
            DocumentTemplate.kind == DocumentKind.ESTIMATE_SIGNATURE,
            or_(
                DocumentTemplate.client_type == client.client_type,
                DocumentTemplate.client_type.is_(None),
            ),
        )
        .order_by(DocumentTemplate.client_type.is_(None), DocumentTemplate.id.desc())
        .limit(1)
    )

    today = await business_day(session, estimate.account_id, now)
    context = await render_context(session, client, today) | {
        "reference": str(estimate.number),
        "estimate": {
            "number": estimate.number,
            "title": estimate.title,
            "valid_until": estimate.valid_until.isoformat(),
        },
    }

    try:
        body = render(template.body if template else SIGNATURE_TEXT, context)
    except Refused:
        refuse(
            EstimateProblem.SIGNATURE_TEMPLATE_INVALID,
            "estimateId",
            "The estimate signature template cannot be rendered for this client; "
            "fix the template first.",
        )

    contact = await primary_contact(session, client)
    recipient = contact.email if contact is not None else None
    document = Document(
        account_id=estimate.account_id,
        client_id=estimate.client_id,
        kind=DocumentKind.ESTIMATE_SIGNATURE,
        title=f"Estimate {estimate.number}: {estimate.title}"[:200],
        template_id=template.id if template is not None else None,
        body=body,
        estimate_id=estimate.id,
        requires_signature=True,
        sent_at=now,
        sent_to=recipient,
        sent_via=Channel.EMAIL if recipient else None,
        sent_by_id=staff_id(viewer),
    )

    session.add(document)
    return document


async def ensure_signed_if_asked(session: AsyncSession, estimate: Estimate) -> None:
    """An estimate sent for signature is accepted only once it is signed."""
    documents = list(
        await session.execute(
            select(Document.signed_at).where(
                Document.estimate_id == estimate.id,
                Document.kind == DocumentKind.ESTIMATE_SIGNATURE,
                Document.requires_signature,
            )
        )
    )

    if documents and all(signed_at is None for (signed_at,) in documents):
        refuse(
            EstimateProblem.SIGNATURE_REQUIRED,
            "estimateId",
            "The client has not signed this estimate yet; it was sent for signature.",
        )


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
    await ensure_signed_if_asked(session, estimate)

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

    # Decided once for the job: every delivery of it waits, or none does.
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
