"""Payment requests: asking a client to pay an invoice, by email or text."""

from datetime import datetime

from persistence.enums import Channel, InvoiceStatus, NotificationEvent
from persistence.seed.clients import record
from persistence.seed.context import SeedContext
from persistence.seed.drafts import Bill, ClientDraft, Notice


def can_request(client: ClientDraft) -> bool:
    return bool(client.primary.email or client.primary.can_text)


def remind(ctx: SeedContext, client: ClientDraft, bill: Bill, balance: int) -> None:
    """Requests for an unpaid balance: more of them once the invoice is overdue."""
    if bill.sent_at is None or not can_request(client) or not ctx.chance(0.5):
        return
    count = ctx.rng.randint(1, 3) if bill.status is InvoiceStatus.OVERDUE else 1
    days = sorted(ctx.day_between(bill.issued_on, ctx.yesterday) for _ in range(count))
    for day in days:
        sent_at = max(ctx.moment(day), bill.sent_at)
        request_payment(ctx, client, bill, balance, sent_at, None)


def request_payment(
    ctx: SeedContext,
    client: ClientDraft,
    bill: Bill,
    amount: int,
    sent_at: datetime,
    payment_id: int | None,
) -> None:
    """One request; ``payment_id`` is the payment it led to, if any."""
    contact = client.primary
    by_text = contact.can_text and (not contact.email or ctx.chance(0.35))
    channel = Channel.TEXT if by_text else Channel.EMAIL
    request_id = ctx.new_id("payment_requests")
    sender = ctx.choice((ctx.staff.accountant, *ctx.staff.office))

    ctx.add(
        "payment_requests",
        {
            "id": request_id,
            "public_id": ctx.uuid(),
            "account_id": ctx.account_id,
            "created_at": sent_at,
            "client_id": client.id,
            "invoice_id": bill.id,
            "currency": "USD",
            "amount": amount,
            "channel": channel.value,
            "sent_to": contact.phone if by_text else contact.email,
            "sent_at": sent_at,
            "sent_by_id": sender,
            "payment_id": payment_id,
        },
    )

    record(
        ctx,
        client,
        "payment_request.sent",
        sent_at,
        "payment_request",
        request_id,
        by=sender,
        detail={"amount": amount},
    )
    client.notices.append(
        Notice(
            NotificationEvent.PAYMENT_REQUEST,
            sent_at,
            f"Payment request for invoice #{bill.number}",
            channel=channel,
            is_manual=True,
            triggered_by_id=sender,
            refs={"invoice_id": bill.id, "payment_request_id": request_id},
            context={"amount": amount},
        )
    )
