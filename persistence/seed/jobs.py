"""Jobs (junk removal, material delivery, projects) and their lines; a
project's containers become rentals of the job."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from persistence.enums import JobKind, JobStatus, PriceRule
from persistence.seed.clients import record
from persistence.seed.context import SeedContext, line_amount
from persistence.seed.drafts import ChargeDraft, ClientDraft
from persistence.seed.pricing import Price, PriceBook
from persistence.seed.rentals import new_plan

Line = dict[str, Any]

JOB_KINDS = list(JobKind)
JOB_KIND_WEIGHTS = {
    "residential": (70, 5, 25),
    "contractor": (10, 45, 45),
    "commercial": (30, 10, 60),
}
JUNK_LOADS = (("quarter", 17_500), ("half", 32_500), ("three-quarter", 45_000))
PRODUCTS = (
    ("Class 6 road base", 3_400),
    ("Washed 3/4-inch gravel", 4_200),
    ("Screened topsoil", 3_800),
    ("Fill dirt", 1_800),
)
TITLES = {
    JobKind.JUNK_REMOVAL: ("Garage cleanout", "Basement cleanout", "Hot tub removal"),
    JobKind.MATERIAL_DELIVERY: ("Material delivery",),
    JobKind.PROJECT: ("Roof tear-off", "Kitchen remodel", "Warehouse cleanout"),
}
LABOR_RATE = 8_500
JOB_LINE_KEYS = frozenset(
    ("description", "quantity", "unit_price", "amount", "price_rule", "price_detail")
)
PROJECT_DAYS = 14


def pick_job_kind(ctx: SeedContext, client: ClientDraft) -> JobKind:
    return ctx.pick("job-kind", JOB_KINDS, JOB_KIND_WEIGHTS[client.client_type])


def job_title(ctx: SeedContext, client: ClientDraft, kind: JobKind) -> str:
    return f"{ctx.choice(TITLES[kind])}: {client.default_address.line1}"


def line(description: str, quantity: int, price: Price) -> Line:
    """An estimate or job line; container lines also name a size and length."""
    return {
        "description": description,
        "quantity": Decimal(quantity),
        "unit_price": price.amount,
        "amount": line_amount(Decimal(quantity), price.amount),
        "price_rule": price.rule,
        "price_detail": price.detail or None,
        "container_size": None,
        "rental_days": None,
    }


def manual(amount: int) -> Price:
    return Price(amount, PriceRule.MANUAL.value, {})


def job_lines(
    ctx: SeedContext, client: ClientDraft, book: PriceBook, kind: JobKind
) -> list[Line]:
    if kind is JobKind.JUNK_REMOVAL:
        load, price = ctx.choice(JUNK_LOADS)
        lines = [line(f"Junk removal: {load} truckload", 1, manual(price))]
        if ctx.chance(0.4):
            mattress = book.fee(client, "mattress")
            lines.append(line("Mattress disposal", ctx.rng.randint(1, 2), mattress))
        hours = ctx.rng.randint(1, 2)
        lines.append(line("Additional labor (per hour)", hours, manual(LABOR_RATE)))
        return lines
    if kind is JobKind.MATERIAL_DELIVERY:
        product, price = ctx.choice(PRODUCTS)
        tons = ctx.rng.randint(8, 20)
        return [
            line(f"{product} (per ton)", tons, manual(price)),
            line("Delivery fee", 1, manual(12_500)),
        ]
    size = ctx.choice((20, 30, 40))
    rate = book.rate(client, client.default_address.zone, size, PROJECT_DAYS)
    container = line(f"{size} yd dumpster, {PROJECT_DAYS} days", 1, rate.price)
    lines = [container | {"container_size": size, "rental_days": PROJECT_DAYS}]
    lines.append(line("Plywood ground protection", 1, manual(4_000)))
    if ctx.chance(0.5):
        lines.append(line("Right-of-way permit", 1, manual(7_500)))
    return lines


def job_status(ctx: SeedContext, start: date, end: date) -> JobStatus:
    if start > ctx.today:
        options = [JobStatus.SCHEDULED, JobStatus.UNSCHEDULED]
        return ctx.pick("future-job", options, (75, 25))
    if end >= ctx.today:
        return JobStatus.IN_PROGRESS
    return ctx.pick("past-job", [JobStatus.COMPLETED, JobStatus.CANCELLED], (95, 5))


def add_job(
    ctx: SeedContext,
    client: ClientDraft,
    kind: JobKind,
    lines: list[Line],
    start: date,
    created_at: datetime,
) -> int:
    job_id = ctx.new_id("jobs")
    end = start + timedelta(days=PROJECT_DAYS if kind is JobKind.PROJECT else 0)
    status = job_status(ctx, start, end)
    # The crew's window: from 8 in the morning to noon, Denver time.
    has_window = status is not JobStatus.UNSCHEDULED
    window_start = datetime.combine(start, time(14, 0), UTC) if has_window else None
    window_end = datetime.combine(end, time(18, 0), UTC) if has_window else None
    completed_at = window_end if status is JobStatus.COMPLETED else None

    ctx.add(
        "jobs",
        {
            "id": job_id,
            "public_id": ctx.uuid(),
            "account_id": ctx.account_id,
            "created_at": created_at,
            "client_id": client.id,
            "kind": kind.value,
            "status": status.value,
            "title": job_title(ctx, client, kind),
            "description": None,
            "service_address_id": client.default_address.id,
            "window_start": window_start,
            "window_end": window_end,
            "completed_at": completed_at,
            "created_by_id": client.created_by_id,
        },
    )

    record(ctx, client, "job.created", created_at, "job", job_id)
    # Containers are not job lines: they become the job's rentals and tasks.
    services = [item for item in lines if item["container_size"] is None]
    write_job_lines(ctx, job_id, services)

    if has_window and status is not JobStatus.CANCELLED:
        plan_containers(ctx, client, job_id, lines, start)
    if completed_at is not None:
        record(ctx, client, "job.completed", completed_at, "job", job_id)
        bill_services(client, job_id, services, end)
    elif status is not JobStatus.CANCELLED:
        client.open_groups.add(f"job-{job_id}")
    return job_id


def write_job_lines(ctx: SeedContext, job_id: int, services: list[Line]) -> None:
    for position, item in enumerate(services, start=1):
        row = {key: value for key, value in item.items() if key in JOB_LINE_KEYS}
        ctx.add(
            "job_lines",
            {
                "id": ctx.new_id("job_lines"),
                "account_id": ctx.account_id,
                "job_id": job_id,
                "position": position,
                **row,
            },
        )


def plan_containers(
    ctx: SeedContext, client: ClientDraft, job_id: int, lines: list[Line], start: date
) -> None:
    """Each container line becomes a rental of the job, from its first day."""
    for item in lines:
        if item["container_size"] is not None:
            plan = new_plan(ctx, client, start, job_id=job_id)
            plan.address = client.default_address
            plan.size, plan.rental_days = item["container_size"], item["rental_days"]
            plan.extra_days = 0
            client.rentals.append(plan)


def bill_services(
    client: ClientDraft, job_id: int, services: list[Line], day: date
) -> None:
    for item in services:
        client.charges.append(
            ChargeDraft(
                day=day,
                group=f"job-{job_id}",
                description=item["description"],
                quantity=item["quantity"],
                unit_price=item["unit_price"],
                amount=item["amount"],
                rule=item["price_rule"],
                detail=item["price_detail"],
                address_id=client.default_address.id,
                job_id=job_id,
                # Labor is a service and not taxed; goods and disposal are.
                is_taxable="labor" not in item["description"],
            )
        )


def add_direct_job(ctx: SeedContext, client: ClientDraft, book: PriceBook) -> None:
    """A job booked by phone, without an estimate."""
    kind = pick_job_kind(ctx, client)
    lines = job_lines(ctx, client, book, kind)
    first_day = client.created_on + timedelta(days=2)
    start = ctx.day_between(first_day, ctx.today + timedelta(days=20))
    booked_day = min(start, ctx.today) - timedelta(days=5)
    created_at = max(ctx.moment(booked_day), client.created_at)
    add_job(ctx, client, kind, lines, start, created_at)
