"""Estimates and their engagement timeline: draft, sent, read, reviewed, and
then accepted (which creates the job), declined, or expired."""

from datetime import UTC, date, datetime, time, timedelta

from persistence.enums import DocumentKind, EstimateStatus, JobKind, NotificationEvent
from persistence.seed.clients import record
from persistence.seed.context import SeedContext
from persistence.seed.drafts import ClientDraft, Notice
from persistence.seed.jobs import (
    Line,
    add_direct_job,
    add_job,
    job_lines,
    job_title,
    pick_job_kind,
)
from persistence.seed.pricing import PriceBook
from persistence.seed.records import add_document
from persistence.seed.vocabulary import DECLINE_REASONS

Event = tuple[EstimateStatus, datetime, str, str | None]

STATUSES = list(EstimateStatus)
STATUS_WEIGHTS = dict(zip(STATUSES, (8, 12, 10, 8, 40, 12, 10), strict=True))
# Still waiting for the client, so sent within the validity period.
WAITING = (EstimateStatus.NO_RESPONSE, EstimateStatus.READ, EstimateStatus.REVIEWED)
DECIDED = (EstimateStatus.ACCEPTED, EstimateStatus.DECLINED)
# Statuses that say the client has opened the estimate.
OPENED = (EstimateStatus.READ, EstimateStatus.REVIEWED, *DECIDED)
VALID_DAYS = 30
ACTIONS = {
    EstimateStatus.NO_RESPONSE: "estimate.sent",
    EstimateStatus.ACCEPTED: "estimate.accepted",
    EstimateStatus.DECLINED: "estimate.declined",
}
ESTIMATES = {"residential": (0.2, 1), "contractor": (0.4, 2), "commercial": (0.4, 3)}


def add_estimates_and_jobs(
    ctx: SeedContext, client: ClientDraft, book: PriceBook
) -> None:
    share, most = ESTIMATES[client.client_type]
    count = ctx.rng.randint(1, most) if ctx.chance(share) else 0
    if client.is_showcase:
        count = len(STATUSES) if client.index == 0 else 2
    for _ in range(count):
        add_estimate(ctx, client, book)
    if client.is_showcase or ctx.chance(0.15):
        add_direct_job(ctx, client, book)


def estimate_status(ctx: SeedContext, client: ClientDraft) -> EstimateStatus:
    age = (ctx.today - client.created_on).days
    options = [status for status in STATUSES if status not in DECIDED or age > 6]
    if age < VALID_DAYS + 10:
        options.remove(EstimateStatus.EXPIRED)
    weights = [STATUS_WEIGHTS[status] for status in options]
    return ctx.pick("estimate-status", options, weights)


def created_day(ctx: SeedContext, client: ClientDraft, status: EstimateStatus) -> date:
    """A day that fits the status: waiting ones are recent, expired ones old."""
    first = client.created_on + timedelta(days=1)
    if status is EstimateStatus.DRAFT:
        first = max(first, ctx.today - timedelta(days=7))
        return ctx.day_between(first, ctx.yesterday)
    if status in WAITING:
        first = max(first, ctx.today - timedelta(days=VALID_DAYS - 5))
        return ctx.day_between(first, ctx.yesterday)
    if status is EstimateStatus.EXPIRED:
        return ctx.day_between(first, ctx.today - timedelta(days=VALID_DAYS + 5))
    return ctx.day_between(first, ctx.today - timedelta(days=4))


def add_estimate(ctx: SeedContext, client: ClientDraft, book: PriceBook) -> None:
    status = estimate_status(ctx, client)
    day = created_day(ctx, client, status)
    created_at = max(ctx.moment(day), client.created_at)
    sent_at = None if status is EstimateStatus.DRAFT else ctx.later(created_at, 5, 90)
    kind = pick_job_kind(ctx, client)
    lines = job_lines(ctx, client, book, kind)
    estimate_id = ctx.new_id("estimates")
    number = ctx.estimate_numbers.take(day)
    events = estimate_events(ctx, client, status, created_at, sent_at)

    job_id = None
    if status is EstimateStatus.ACCEPTED and client.settings["create_job_on_accept"]:
        accepted_at = events[-1][1]
        job_id = accept(ctx, client, kind, lines, accepted_at)
        if client.settings["signature_required"]:
            add_document(
                ctx,
                client,
                DocumentKind.ESTIMATE_SIGNATURE,
                sent_at,
                title=f"Estimate #{number}",
                reference=f"#{number}",
                signed_at=accepted_at,
                estimate_id=estimate_id,
            )

    subtotal = sum(item["amount"] for item in lines)
    tax = client.sales_tax(subtotal)

    ctx.add(
        "estimates",
        {
            "id": estimate_id,
            "public_id": ctx.uuid(),
            "account_id": ctx.account_id,
            "created_at": created_at,
            "client_id": client.id,
            "number": number,
            "title": job_title(ctx, client, kind),
            "status": status.value,
            "valid_until": (sent_at or created_at).date() + timedelta(days=VALID_DAYS),
            "service_address_id": client.default_address.id,
            "currency": "USD",
            "subtotal": subtotal,
            "tax": tax,
            "total": subtotal + tax,
            "notes": "Price assumes clear truck access." if ctx.chance(0.3) else None,
            "sent_at": sent_at,
            "job_id": job_id,
            "created_by_id": client.created_by_id,
        },
    )

    write_lines(ctx, estimate_id, lines)
    write_events(ctx, client, estimate_id, events)
    if sent_at is not None:
        notify_estimate(ctx, client, estimate_id, number, subtotal + tax, sent_at)


def accept(
    ctx: SeedContext,
    client: ClientDraft,
    kind: JobKind,
    lines: list[Line],
    accepted_at: datetime,
) -> int:
    """The job an accepted estimate creates, starting within two weeks."""
    start = accepted_at.date() + timedelta(days=ctx.rng.randint(2, 14))
    return add_job(ctx, client, kind, lines, start, accepted_at)


def notify_estimate(
    ctx: SeedContext,
    client: ClientDraft,
    estimate_id: int,
    number: int,
    total: int,
    sent_at: datetime,
) -> None:
    subject = f"Estimate #{number} from {ctx.account_name}"
    notice = Notice(NotificationEvent.ESTIMATE_SENT, sent_at, subject)
    notice.refs = {"estimate_id": estimate_id}
    notice.context = {"number": number, "total": total}
    client.notices.append(notice)


def estimate_events(
    ctx: SeedContext,
    client: ClientDraft,
    status: EstimateStatus,
    created_at: datetime,
    sent_at: datetime | None,
) -> list[Event]:
    """The timeline as (status, when, actor kind, note), oldest first."""
    events: list[Event] = [(EstimateStatus.DRAFT, created_at, "staff", None)]
    if sent_at is None:
        return events
    sent_to = client.primary.email or client.primary.phone
    events.append((EstimateStatus.NO_RESPONSE, sent_at, "staff", f"Sent to {sent_to}."))
    # One still waiting with no response was never opened; an expired one may
    # have been read before it lapsed.
    if status in OPENED or (status is EstimateStatus.EXPIRED and ctx.chance(0.4)):
        read_at = ctx.later(sent_at, 30, 2 * 24 * 60)
        events.append((EstimateStatus.READ, read_at, "client", None))
    if status is EstimateStatus.REVIEWED or (status in DECIDED and ctx.chance(0.5)):
        reviewed_at = ctx.later(events[-1][1], 10, 24 * 60)
        events.append((EstimateStatus.REVIEWED, reviewed_at, "client", None))
    outcome = estimate_outcome(ctx, client, status, events[-1][1], sent_at)
    return events + outcome


def estimate_outcome(
    ctx: SeedContext,
    client: ClientDraft,
    status: EstimateStatus,
    last_seen_at: datetime,
    sent_at: datetime,
) -> list[Event]:
    decided_at = ctx.later(last_seen_at, 30, 5 * 24 * 60)
    if status is EstimateStatus.ACCEPTED:
        by_phone = not client.settings["signature_required"] and ctx.chance(0.2)
        if by_phone:
            return [(status, decided_at, "staff", "Accepted by phone.")]
        return [(status, decided_at, "client", None)]
    if status is EstimateStatus.DECLINED:
        return [(status, decided_at, "client", ctx.choice(DECLINE_REASONS))]
    if status is EstimateStatus.EXPIRED:
        expired_on = sent_at.date() + timedelta(days=VALID_DAYS + 1)
        expired_at = datetime.combine(expired_on, time(7, 0), UTC)
        return [(status, expired_at, "system", "Passed its valid-until date.")]
    return []


def write_lines(ctx: SeedContext, estimate_id: int, lines: list[Line]) -> None:
    for position, item in enumerate(lines, start=1):
        ctx.add(
            "estimate_lines",
            {
                "id": ctx.new_id("estimate_lines"),
                "account_id": ctx.account_id,
                "estimate_id": estimate_id,
                "position": position,
                **item,
            },
        )


def write_events(
    ctx: SeedContext, client: ClientDraft, estimate_id: int, events: list[Event]
) -> None:
    for status, occurred_at, actor_kind, note in events:
        staff_id = client.created_by_id if actor_kind == "staff" else None
        ctx.add(
            "estimate_events",
            {
                "id": ctx.new_id("estimate_events"),
                "account_id": ctx.account_id,
                "estimate_id": estimate_id,
                "status": status.value,
                "occurred_at": occurred_at,
                "actor_kind": actor_kind,
                "actor_staff_id": staff_id,
                "note": note,
            },
        )
        # The activity record keeps the steps someone took: sending, deciding.
        action = ACTIONS.get(status)
        if action is not None:
            by = "desk" if actor_kind == "staff" else "client"
            record(ctx, client, action, occurred_at, "estimate", estimate_id, by=by)
