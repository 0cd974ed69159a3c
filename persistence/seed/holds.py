"""Holds as the account's rules would have placed them (days past due, failed
payments in a row), a few placed by staff, and some released."""

from datetime import date, datetime, timedelta

from persistence.enums import HoldRule, InvoiceStatus, NotificationEvent
from persistence.seed.clients import record
from persistence.seed.context import SeedContext
from persistence.seed.drafts import Bill, ClientDraft, Notice
from persistence.seed.payments import Cashier, add_payment, payment_history

HOLD_WEIGHTS = {"none": 92, "failed payments": 7, "manual": 1}
MANUAL_REASON = "Disputed a damage charge: the owner calls before any new delivery."
RELEASED_REASON = "Waiting for a signed rental agreement."
FAILURE_WINDOW_DAYS = 20


def add_holds(
    ctx: SeedContext, client: ClientDraft, bills: list[Bill], cashier: Cashier
) -> None:
    if ctx.pick("released-hold", ["none", "released"], (96, 4)) == "released":
        add_released_hold(ctx, client)
    late = [
        bill
        for bill in bills
        if bill.status in (InvoiceStatus.OVERDUE, InvoiceStatus.PARTIALLY_PAID)
        and bill.due_on < ctx.today
    ]
    if not hold_days_past_due(ctx, client, late):
        hold_by_choice(ctx, client, late, cashier)


def add_released_hold(ctx: SeedContext, client: ClientDraft) -> None:
    day = ctx.day_between(client.created_on, ctx.yesterday)
    placed_at = max(ctx.moment(day), client.created_at)
    released_at = ctx.later(placed_at, 60, 14 * 24 * 60)
    rule, reason = HoldRule.MANUAL, RELEASED_REASON
    place_hold(ctx, client, rule, reason, placed_at, released_at)


def hold_days_past_due(ctx: SeedContext, client: ClientDraft, late: list[Bill]) -> bool:
    """The rule's hold, placed the day the oldest late invoice crossed the limit."""
    limit = client.settings["hold_days_past_due"]
    too_late = [bill for bill in late if (ctx.today - bill.due_on).days > limit]
    if not too_late:
        return False
    oldest = too_late[0]
    placed_at = ctx.moment(oldest.due_on + timedelta(days=limit + 1))
    reason = f"Invoice #{oldest.number} is more than {limit} days past due."
    place_hold(ctx, client, HoldRule.DAYS_PAST_DUE, reason, placed_at)
    return True


def hold_by_choice(
    ctx: SeedContext, client: ClientDraft, late: list[Bill], cashier: Cashier
) -> None:
    """Mostly no hold; else a run of failed payments, or a hold placed by hand."""
    # Failed payments count only after the client's last good one.
    first_day = max(ctx.today - timedelta(days=FAILURE_WINDOW_DAYS), client.created_on)
    if cashier.last_success_at is not None:
        first_day = max(first_day, cashier.last_success_at.date() + timedelta(days=1))
    options = ["none", "manual"]
    can_fail = client.payment_style in ("card", "ach") and first_day < ctx.yesterday
    if late and can_fail:
        options.insert(1, "failed payments")

    choice = ctx.pick("hold", options, [HOLD_WEIGHTS[option] for option in options])
    if choice == "manual":
        day = ctx.day_between(ctx.today - timedelta(days=30), ctx.yesterday)
        placed_at = max(ctx.moment(day), client.created_at)
        place_hold(ctx, client, HoldRule.MANUAL, MANUAL_REASON, placed_at)
    elif choice == "failed payments":
        fail_in_a_row(ctx, client, late[-1], cashier, first_day)


def fail_in_a_row(
    ctx: SeedContext,
    client: ClientDraft,
    bill: Bill,
    cashier: Cashier,
    first_day: date,
) -> None:
    attempts = client.settings["hold_after_failed_payments"]
    days = sorted(ctx.day_between(first_day, ctx.yesterday) for _ in range(attempts))
    for day in days:
        method = client.payment_style
        add_payment(
            ctx,
            client,
            cashier,
            bill.total,
            day,
            method,
            client.created_at,
            failed=True,
        )
        payment_history(ctx, client, cashier.payments[-1])

    reason = f"{attempts} payments failed in a row."
    last_failure = cashier.payments[-1]["received_at"]
    place_hold(ctx, client, HoldRule.FAILED_PAYMENTS, reason, last_failure)


def place_hold(
    ctx: SeedContext,
    client: ClientDraft,
    rule: HoldRule,
    reason: str,
    placed_at: datetime,
    released_at: datetime | None = None,
) -> None:
    hold_id = ctx.new_id("holds")
    placed_by = ctx.staff.admin if rule is HoldRule.MANUAL else None
    released_by = ctx.staff.accountant if released_at else None

    ctx.add(
        "holds",
        {
            "id": hold_id,
            "account_id": ctx.account_id,
            "created_at": placed_at,
            "client_id": client.id,
            "reason": reason,
            "rule": rule.value,
            "placed_at": placed_at,
            "placed_by_id": placed_by,
            "released_at": released_at,
            "released_by_id": released_by,
            "release_reason": "Agreement signed." if released_at else None,
        },
    )

    detail = {"rule": rule.value, "reason": reason}
    record(
        ctx,
        client,
        "hold.placed",
        placed_at,
        "hold",
        hold_id,
        by=placed_by or "system",
        detail=detail,
    )
    event, subject = NotificationEvent.HOLD_PLACED, "Your account is on hold"
    client.notices.append(Notice(event, placed_at, subject, context=detail))
    if released_at is not None and released_by is not None:
        record(
            ctx, client, "hold.released", released_at, "hold", hold_id, by=released_by
        )
