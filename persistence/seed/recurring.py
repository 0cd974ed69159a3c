"""Recurring invoices: a service schedule and the invoices it has generated."""

from datetime import date, timedelta
from decimal import Decimal

from persistence.enums import RecurrenceInterval
from persistence.seed.clients import record
from persistence.seed.context import SeedContext, add_months, month_start
from persistence.seed.drafts import ChargeDraft, ClientDraft, InvoiceDraft

INTERVALS = [RecurrenceInterval.MONTHLY, RecurrenceInterval.QUARTERLY]
MONTHLY_RENTAL = 35_000
SWAP_PRICE = 29_500


def recurring_drafts(ctx: SeedContext, client: ClientDraft) -> list[InvoiceDraft]:
    """Some commercial clients pay a flat schedule; one invoice per period."""
    if client.client_type != "commercial":
        return []
    if not (client.is_showcase or ctx.chance(0.35)):
        return []
    starts_on = add_months(month_start(client.created_on), 1)
    if starts_on > ctx.today:
        return []

    interval = ctx.pick("recurrence", INTERVALS, (90, 10))
    months = 1 if interval is RecurrenceInterval.MONTHLY else 3
    periods, ends_on = schedule_periods(ctx, client, starts_on, months)
    schedule_id = ctx.new_id("recurring_invoices")
    lines = schedule_lines(ctx, client, months)
    write_schedule(ctx, client, schedule_id, interval, periods, ends_on)
    write_schedule_lines(ctx, schedule_id, lines)

    return [
        InvoiceDraft(
            day, lines, lines[0].address_id, schedule_id, period_label(day, months)
        )
        for day in periods
    ]


def schedule_periods(
    ctx: SeedContext, client: ClientDraft, starts_on: date, months: int
) -> tuple[list[date], date | None]:
    """The first day of every period so far, and the last day if it ended."""
    periods = [starts_on]
    while add_months(periods[-1], months) <= ctx.today:
        periods.append(add_months(periods[-1], months))
    if len(periods) <= 3 or client.is_showcase or not ctx.chance(0.15):
        return periods, None
    # A schedule that ended: the client moved to on-call service.
    periods = periods[: ctx.rng.randint(2, len(periods) - 1)]
    return periods, add_months(periods[-1], months) - timedelta(days=1)


def write_schedule(
    ctx: SeedContext,
    client: ClientDraft,
    schedule_id: int,
    interval: RecurrenceInterval,
    periods: list[date],
    ends_on: date | None,
) -> None:
    months = 1 if interval is RecurrenceInterval.MONTHLY else 3
    created_at = max(ctx.moment(periods[0] - timedelta(days=3)), client.created_at)
    address = client.default_address

    ctx.add(
        "recurring_invoices",
        {
            "id": schedule_id,
            "public_id": ctx.uuid(),
            "account_id": ctx.account_id,
            "created_at": created_at,
            "client_id": client.id,
            "name": f"Container service: {address.line1}",
            "interval": interval.value,
            "interval_count": 1,
            "starts_on": periods[0],
            "ends_on": ends_on,
            "next_run_on": add_months(periods[-1], months),
            "payment_terms_days": client.settings["payment_terms_days"],
            "currency": "USD",
            "service_address_id": address.id,
            "is_active": ends_on is None,
            "ended_at": ctx.moment(ends_on) if ends_on is not None else None,
        },
    )

    action = "recurring_invoice.created"
    record(ctx, client, action, created_at, "recurring_invoice", schedule_id)


def write_schedule_lines(
    ctx: SeedContext, schedule_id: int, lines: list[ChargeDraft]
) -> None:
    for position, line in enumerate(lines, start=1):
        ctx.add(
            "recurring_invoice_lines",
            {
                "id": ctx.new_id("recurring_invoice_lines"),
                "account_id": ctx.account_id,
                "recurring_invoice_id": schedule_id,
                "position": position,
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "is_taxable": line.is_taxable,
            },
        )


def schedule_lines(
    ctx: SeedContext, client: ClientDraft, months: int
) -> list[ChargeDraft]:
    """The schedule's lines, as invoice lines that are not charges."""
    size = ctx.choice((30, 40))
    swaps = Decimal(ctx.rng.randint(2, 4) * months)
    period = "monthly" if months == 1 else "quarterly"
    lines = [
        (f"{size} yd container, {period} rental", Decimal(1), MONTHLY_RENTAL * months),
        ("Scheduled swaps", swaps, SWAP_PRICE),
    ]
    return [
        ChargeDraft(
            day=client.created_on,
            group="",
            description=description,
            quantity=quantity,
            unit_price=unit_price,
            amount=int(quantity) * unit_price,
            rule="manual",
            detail=None,
            address_id=client.default_address.id,
            is_charge=False,
        )
        for description, quantity, unit_price in lines
    ]


def period_label(day: date, months: int) -> str:
    if months == 1:
        return f"{day.year}-{day.month:02d}"
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
