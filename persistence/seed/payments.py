"""Money in and out: payments applied to invoices (in weekly runs for
businesses paying by check or ACH), refunds and credits."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from persistence.enums import Channel, InvoiceStatus, NotificationEvent
from persistence.seed.clients import record
from persistence.seed.context import SeedContext, money_text
from persistence.seed.drafts import Bill, ClientDraft, Notice
from persistence.seed.payment_requests import can_request, remind, request_payment
from persistence.seed.vocabulary import PAYMENT_FAILURES
from persistence.seed.writer import Row

CREDIT_REASONS = (
    "Goodwill credit: the delivery was a day late.",
    "Credit for a scuffed driveway edge.",
    "Price adjustment agreed with the office.",
)
PAYMENT_RUN_WEEKDAY = 4  # Friday
REFERENCES = {"check": "Check #{number}", "cash": "Cash at the office"}


@dataclass
class Cashier:
    """The payments of one client, and its open weekly payment runs."""

    runs: dict[tuple[str, date], Row] = field(default_factory=dict)
    payments: list[Row] = field(default_factory=list)
    last_success_at: datetime | None = None


def settle_all(ctx: SeedContext, client: ClientDraft, bills: list[Bill]) -> Cashier:
    cashier = Cashier()
    for bill in bills:
        settle(ctx, client, bill, cashier)
    for payment in cashier.payments:
        payment_history(ctx, client, payment)
    add_credits(ctx, client, bills)
    return cashier


def settle(ctx: SeedContext, client: ClientDraft, bill: Bill, cashier: Cashier) -> None:
    """Payments that bring the bill to its status; requests for what is unpaid."""
    if bill.status is InvoiceStatus.PAID:
        day = pay_day(ctx, client, bill)
        if can_request(client) and ctx.chance(0.2):
            # Paid online by card, from the link in a payment request.
            sent_at = max(
                ctx.moment(ctx.day_between(bill.issued_on, day)), opened(bill)
            )
            payment = pay(ctx, client, bill, cashier, bill.total, day, "card", sent_at)
            request_payment(ctx, client, bill, bill.total, sent_at, payment["id"])
        else:
            method = client.payment_style
            payment = pay(ctx, client, bill, cashier, bill.total, day, method)
        bill.row["paid_at"] = payment["received_at"]
    elif bill.status is InvoiceStatus.PARTIALLY_PAID:
        amount = max(100, bill.total * ctx.rng.randint(30, 70) // 10_000 * 100)
        amount = min(amount, bill.total - 1)
        day = ctx.day_between(bill.issued_on, ctx.yesterday)
        pay(ctx, client, bill, cashier, amount, day, client.payment_style)
        remind(ctx, client, bill, bill.total - amount)
    elif bill.status in (InvoiceStatus.OPEN, InvoiceStatus.OVERDUE):
        remind(ctx, client, bill, bill.total)


def opened(bill: Bill) -> datetime:
    """When the client could first see the bill."""
    return bill.sent_at or bill.row["created_at"]


def pay_day(ctx: SeedContext, client: ClientDraft, bill: Bill) -> date:
    if bill.due_on >= ctx.today:
        day = ctx.day_between(bill.issued_on, ctx.yesterday)
    else:
        late_days = client.settings["payment_terms_days"] + 20
        day = bill.issued_on + timedelta(days=ctx.rng.randint(0, late_days))
    if client.bills_monthly and client.payment_style in ("check", "ach"):
        day += timedelta(days=(PAYMENT_RUN_WEEKDAY - day.weekday()) % 7)
    return max(min(day, ctx.yesterday), bill.issued_on)


def pay(
    ctx: SeedContext,
    client: ClientDraft,
    bill: Bill,
    cashier: Cashier,
    amount: int,
    day: date,
    method: str,
    not_before: datetime | None = None,
) -> Row:
    """A succeeded payment applied to the bill, maybe after a failed attempt."""
    earliest = max(not_before or opened(bill), opened(bill))
    in_run = client.bills_monthly and method in ("check", "ach") and not not_before
    payment = cashier.runs.get((method, day)) if in_run else None
    if payment is not None:
        payment["amount"] += amount
    else:
        if method in ("card", "ach") and ctx.chance(0.06):
            failed_day = max(
                day - timedelta(days=ctx.rng.randint(1, 3)), bill.issued_on
            )
            add_payment(
                ctx, client, cashier, amount, failed_day, method, earliest, failed=True
            )
        overpaid = 0
        if method == "check" and not in_run and is_overpaid(ctx):
            overpaid = ctx.rng.randint(5, 60) * 100
        payment = add_payment(
            ctx, client, cashier, amount + overpaid, day, method, earliest
        )
        if in_run:
            cashier.runs[(method, day)] = payment
        if overpaid:
            refund(ctx, client, payment, overpaid)

    ctx.add(
        "payment_applications",
        {
            "id": ctx.new_id("payment_applications"),
            "account_id": ctx.account_id,
            "created_at": payment["received_at"],
            "payment_id": payment["id"],
            "invoice_id": bill.id,
            "amount": amount,
        },
    )
    return payment


def is_overpaid(ctx: SeedContext) -> bool:
    """A check written for more than the invoice; the difference is refunded."""
    return ctx.pick("check-amount", ["exact", "overpaid"], (95, 5)) == "overpaid"


def add_payment(
    ctx: SeedContext,
    client: ClientDraft,
    cashier: Cashier,
    amount: int,
    day: date,
    method: str,
    earliest: datetime,
    *,
    failed: bool = False,
) -> Row:
    received_at = max(ctx.moment(day), earliest)
    method_id = None
    if method == "card" and client.card_since and client.card_since <= received_at:
        method_id = client.card_id
    elif method == "ach":
        method_id = client.bank_account_id
    is_online = method in ("card", "ach")
    reference = REFERENCES.get(method, "").format(number=ctx.rng.randint(1_001, 9_999))

    payment = ctx.add(
        "payments",
        {
            "id": ctx.new_id("payments"),
            "public_id": ctx.uuid(),
            "account_id": ctx.account_id,
            "created_at": received_at,
            "client_id": client.id,
            "method": method,
            "status": "failed" if failed else "succeeded",
            "currency": "USD",
            "amount": amount,
            "received_at": received_at,
            "reference": reference or None,
            "failure_reason": ctx.choice(PAYMENT_FAILURES[method]) if failed else None,
            "payment_method_id": method_id,
            "processor_reference": (
                ("ch_" if method == "card" else "py_") + ctx.hex(24)
                if is_online
                else None
            ),
            "idempotency_key": "pay_" + ctx.hex(32) if is_online else None,
            "recorded_by_id": None if is_online else ctx.staff.accountant,
        },
    )

    cashier.payments.append(payment)
    if not failed:
        cashier.last_success_at = max(
            cashier.last_success_at or received_at, received_at
        )
    return payment


def payment_history(ctx: SeedContext, client: ClientDraft, payment: Row) -> None:
    failed = payment["status"] == "failed"
    action = "payment.failed" if failed else "payment.recorded"
    detail = {"amount": payment["amount"], "method": payment["method"]}

    record(
        ctx,
        client,
        action,
        payment["received_at"],
        "payment",
        payment["id"],
        by=payment["recorded_by_id"] or "system",
        detail=detail,
    )

    if not failed:
        subject = f"Receipt for your payment of {money_text(payment['amount'])}"
        event = NotificationEvent.PAYMENT_RECEIPT
        notice = Notice(event, payment["received_at"], subject, channel=Channel.EMAIL)
        notice.context = detail
        client.notices.append(notice)


def refund(ctx: SeedContext, client: ClientDraft, payment: Row, amount: int) -> None:
    created_at = ctx.later(payment["received_at"], 3 * 24 * 60, 10 * 24 * 60)
    refund_id = ctx.new_id("refunds")

    ctx.add(
        "refunds",
        {
            "id": refund_id,
            "public_id": ctx.uuid(),
            "account_id": ctx.account_id,
            "created_at": created_at,
            "client_id": client.id,
            "payment_id": payment["id"],
            "currency": "USD",
            "amount": amount,
            "reason": "Overpayment returned.",
            "idempotency_key": "rf_" + ctx.hex(24),
            "created_by_id": ctx.staff.accountant,
        },
    )

    by = ctx.staff.accountant
    record(ctx, client, "refund.issued", created_at, "refund", refund_id, by=by)


def add_credits(ctx: SeedContext, client: ClientDraft, bills: list[Bill]) -> None:
    """Goodwill credits on a few unpaid invoices, and the odd referral credit."""
    for bill in bills:
        is_unpaid = bill.status in (InvoiceStatus.OPEN, InvoiceStatus.OVERDUE)
        if is_unpaid and bill.sent_at and bill.total >= 1_000 and ctx.chance(0.05):
            amount = min(bill.total // 5, 5_000) // 100 * 100
            at = ctx.later(bill.sent_at, 60, 7 * 24 * 60)
            add_credit(ctx, client, amount, at, bill.id, ctx.choice(CREDIT_REASONS))
    if client.index == 0 or ctx.chance(0.02):
        day = ctx.day_between(client.created_on, ctx.yesterday)
        at = max(ctx.moment(day), client.created_at)
        reason = "Referral credit: thanks for recommending us."
        add_credit(ctx, client, ctx.rng.randint(5, 20) * 500, at, None, reason)


def add_credit(
    ctx: SeedContext,
    client: ClientDraft,
    amount: int,
    at: datetime,
    invoice_id: int | None,
    reason: str,
) -> None:
    credit_id = ctx.new_id("credits")

    ctx.add(
        "credits",
        {
            "id": credit_id,
            "public_id": ctx.uuid(),
            "account_id": ctx.account_id,
            "created_at": at,
            "client_id": client.id,
            "invoice_id": invoice_id,
            "currency": "USD",
            "amount": amount,
            "reason": reason,
            "idempotency_key": None,
            "created_by_id": ctx.staff.accountant,
        },
    )

    record(
        ctx,
        client,
        "credit.issued",
        at,
        "credit",
        credit_id,
        by=ctx.staff.accountant,
        detail={"amount": amount},
    )
