"""Invoices: charges billed per rental or per month, in date order, with a
status that follows from their dates; voided ones are reissued."""

from datetime import date, datetime, timedelta

from persistence.enums import Channel, InvoiceStatus, NotificationEvent
from persistence.seed.clients import record
from persistence.seed.context import SeedContext, add_months, month_start
from persistence.seed.drafts import Bill, ChargeDraft, ClientDraft, InvoiceDraft, Notice
from persistence.seed.recurring import recurring_drafts

VOID_REASONS = (
    "Billed to the wrong service address",
    "Tonnage corrected after the scale ticket was reviewed",
    "The client asked for its PO number on the invoice",
)
RECENT_DAYS = 10
OLD_DAYS = 150


def bill_all(ctx: SeedContext, client: ClientDraft) -> list[Bill]:
    """Write every invoice in date order, then the charges they billed."""
    drafts = recurring_drafts(ctx, client) + charge_drafts(ctx, client)
    drafts.sort(key=lambda draft: draft.issued_on)
    for charge in sorted(client.charges, key=lambda charge: charge.day):
        charge.id = ctx.new_id("charges")

    bills = []
    for draft in drafts:
        status = invoice_status(ctx, client, draft.issued_on, can_void=True)
        number = ctx.invoice_numbers.take(draft.issued_on)
        if status is InvoiceStatus.VOID:
            draft, number = void_and_reissue(ctx, client, draft, number)
            status = invoice_status(ctx, client, draft.issued_on, can_void=False)
        bills.append(write_invoice(ctx, client, draft, status, number))
    write_charges(ctx, client)
    return bills


def charge_drafts(ctx: SeedContext, client: ClientDraft) -> list[InvoiceDraft]:
    """Charges grouped into invoices; the newest stay uninvoiced for now."""
    groups: dict[tuple[object, ...], list[ChargeDraft]] = {}
    for charge in sorted(client.charges, key=lambda charge: charge.day):
        if client.bills_monthly:
            key: tuple[object, ...] = (charge.address_id, month_start(charge.day))
        elif charge.group in client.open_groups:
            continue  # Billed when the rental or job is done.
        else:
            key = (charge.group,)
        groups.setdefault(key, []).append(charge)

    drafts = []
    for charges in groups.values():
        if client.bills_monthly:
            issued_on = add_months(charges[0].day, 1)
        else:
            last_day = max(charge.day for charge in charges)
            issued_on = last_day + timedelta(days=ctx.rng.randint(0, 1))
        if issued_on <= ctx.today:
            drafts.append(InvoiceDraft(issued_on, charges, charges[0].address_id))
    return drafts


def invoice_status(
    ctx: SeedContext, client: ClientDraft, issued_on: date, *, can_void: bool
) -> InvoiceStatus:
    age = (ctx.today - issued_on).days
    # Not yet due: recent ones may still be drafts, a few are paid early.
    if issued_on + client.payment_terms >= ctx.today:
        options = [InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID]
        weights = [65, 10, 25]
        if age <= RECENT_DAYS:
            options.insert(0, InvoiceStatus.DRAFT)
            weights.insert(0, 15)
    # Past due: mostly paid; the late and disputed ones are recent.
    elif age <= OLD_DAYS:
        options = [InvoiceStatus.PAID, InvoiceStatus.OVERDUE]
        options += [InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.VOID]
        weights = [80, 12, 4, 4]
    else:
        options, weights = [InvoiceStatus.PAID, InvoiceStatus.VOID], [98, 2]
    # A voided invoice is reissued a day or two later, before today.
    if InvoiceStatus.VOID in options and (not can_void or age < 3):
        weights.pop(options.index(InvoiceStatus.VOID))
        options.remove(InvoiceStatus.VOID)
    return ctx.pick("invoice-status", options, weights)


def void_and_reissue(
    ctx: SeedContext, client: ClientDraft, draft: InvoiceDraft, number: int
) -> tuple[InvoiceDraft, int]:
    """Void the invoice and reissue its charges a day or two later, as an office
    would after a correction; the reissue's status is drawn afresh."""
    voided_on = draft.issued_on + timedelta(days=ctx.rng.randint(1, 2))
    reissue = InvoiceDraft(voided_on, draft.lines, draft.address_id)
    reissue_number = ctx.invoice_numbers.take(voided_on)

    reason = f"{ctx.choice(VOID_REASONS)}; reissued as invoice #{reissue_number}."
    write_invoice(
        ctx,
        client,
        draft,
        InvoiceStatus.VOID,
        number,
        void_reason=reason,
        voided_on=voided_on,
    )
    return reissue, reissue_number


def write_invoice(
    ctx: SeedContext,
    client: ClientDraft,
    draft: InvoiceDraft,
    status: InvoiceStatus,
    number: int,
    *,
    void_reason: str | None = None,
    voided_on: date | None = None,
) -> Bill:
    created_at = max(ctx.moment(draft.issued_on), client.created_at)
    sent_at = None
    if status is not InvoiceStatus.DRAFT:
        sent_at = ctx.later(created_at, 5, 240)
    voided_at = None
    if voided_on is not None and sent_at is not None:
        voided_at = max(ctx.moment(voided_on), sent_at)
    subtotal = sum(line.amount for line in draft.lines)
    tax = client.sales_tax(sum(line.amount for line in draft.lines if line.is_taxable))
    memo = None
    if client.bills_monthly and ctx.chance(0.3):
        memo = f"PO {ctx.digits(4)}"

    row = ctx.add(
        "invoices",
        {
            "id": ctx.new_id("invoices"),
            "public_id": ctx.uuid(),
            "account_id": ctx.account_id,
            "created_at": created_at,
            "client_id": client.id,
            "number": number,
            "status": status.value,
            "issued_on": draft.issued_on,
            "due_on": draft.issued_on + client.payment_terms,
            "currency": "USD",
            "subtotal": subtotal,
            "tax": tax,
            "total": subtotal + tax,
            "memo": memo,
            "billing_address_id": client.billing_address_id,
            "service_address_id": draft.address_id,
            "recurring_invoice_id": draft.recurring_id,
            "recurring_period": draft.period,
            "sent_at": sent_at,
            "paid_at": None,
            "voided_at": voided_at,
            "void_reason": void_reason,
            "created_by_id": None if draft.recurring_id else ctx.staff.accountant,
        },
    )

    bill = Bill(
        row["id"],
        number,
        status,
        draft.issued_on,
        row["due_on"],
        row["total"],
        sent_at,
        row,
    )
    write_lines(ctx, bill, draft)
    invoice_history(ctx, client, bill, voided_at)
    return bill


def write_lines(ctx: SeedContext, bill: Bill, draft: InvoiceDraft) -> None:
    for position, line in enumerate(draft.lines, start=1):
        # A voided invoice keeps its lines; the charges go to the reissue.
        if line.is_charge and bill.status is not InvoiceStatus.VOID:
            line.invoice_id = bill.id
        ctx.add(
            "invoice_lines",
            {
                "id": ctx.new_id("invoice_lines"),
                "account_id": ctx.account_id,
                "price_rule": line.rule,
                "price_detail": line.detail,
                "invoice_id": bill.id,
                "position": position,
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "amount": line.amount,
                "is_taxable": line.is_taxable,
                "charge_id": line.id if line.is_charge else None,
                "task_id": line.task_id,
                "job_id": line.job_id,
            },
        )


def invoice_history(
    ctx: SeedContext, client: ClientDraft, bill: Bill, voided_at: datetime | None
) -> None:
    by = "system" if bill.row["recurring_invoice_id"] else ctx.staff.accountant
    detail = {"number": bill.number, "total": bill.total}
    created_at = bill.row["created_at"]
    record(ctx, client, "invoice.created", created_at, "invoice", bill.id, by=by)
    if bill.sent_at is None:
        return

    record(
        ctx,
        client,
        "invoice.sent",
        bill.sent_at,
        "invoice",
        bill.id,
        by=by,
        detail=detail,
    )
    client.notices.append(
        Notice(
            NotificationEvent.INVOICE_SENT,
            bill.sent_at,
            f"Invoice #{bill.number} from {ctx.account_name}",
            channel=Channel(client.settings["invoice_delivery"]),
            refs={"invoice_id": bill.id},
            context=detail,
        )
    )

    if voided_at is not None:
        by = ctx.staff.accountant
        record(ctx, client, "invoice.voided", voided_at, "invoice", bill.id, by=by)


def write_charges(ctx: SeedContext, client: ClientDraft) -> None:
    for charge in sorted(client.charges, key=lambda charge: charge.id):
        ctx.add(
            "charges",
            {
                "id": charge.id,
                "public_id": ctx.uuid(),
                "account_id": ctx.account_id,
                "created_at": max(ctx.moment(charge.day), client.created_at),
                "price_rule": charge.rule,
                "price_detail": charge.detail,
                "client_id": client.id,
                "service_address_id": charge.address_id,
                "invoice_id": charge.invoice_id,
                "task_id": charge.task_id,
                "job_id": charge.job_id,
                "description": charge.description,
                "quantity": charge.quantity,
                "currency": "USD",
                "unit_price": charge.unit_price,
                "amount": charge.amount,
                "is_taxable": charge.is_taxable,
            },
        )
