"""The notification log: every email and text a client was (or was not) sent."""

from datetime import datetime, timedelta

from persistence.enums import Channel, NotificationStatus
from persistence.seed.context import SeedContext
from persistence.seed.drafts import ClientDraft, ContactDraft, Notice

ERRORS = {
    Channel.EMAIL: "550 5.1.1 The recipient's mailbox does not exist.",
    Channel.TEXT: "30006 The number is a landline or unreachable.",
}
# Failed messages are usually resent by hand; a few delivered ones too.
RESEND_CHANCE = {NotificationStatus.FAILED: 0.6, NotificationStatus.DELIVERED: 0.01}
SUPPRESSED = NotificationStatus.SUPPRESSED
DELIVERY_STATUSES = [
    NotificationStatus.DELIVERED,
    NotificationStatus.SENT,
    NotificationStatus.FAILED,
]


def write_notifications(ctx: SeedContext, client: ClientDraft) -> None:
    for notice in sorted(client.notices, key=lambda notice: notice.at):
        channels = [notice.channel] if notice.channel else list(Channel)
        for channel in channels:
            outcome = delivery(ctx, client, notice, channel)
            if outcome is None:
                continue
            status, reason = outcome
            entry_id = log_entry(
                ctx, client, notice, channel, status, reason, notice.at
            )
            resend_chance = RESEND_CHANCE.get(status, 0.0)
            if resend_chance and ctx.chance(resend_chance):
                resend(ctx, client, notice, channel, entry_id)


def delivery(
    ctx: SeedContext, client: ClientDraft, notice: Notice, channel: Channel
) -> tuple[NotificationStatus, str | None] | None:
    """What happened on one channel; None when nothing was attempted at all.

    A notice on a channel chosen for it (an invoice sent by text, a payment
    request by email) goes out unless the client turned that channel off;
    other notices follow the account's defaults and the client's overrides.
    """
    contact = client.primary
    is_chosen = notice.channel is not None
    override = client.notification_overrides.get((notice.event.value, channel.value))

    def why(cause: str) -> str:
        return ctx.rules.suppression_reason(cause, notice.event, channel)

    if override is False:
        return SUPPRESSED, why("turned_off")
    is_default_on = ctx.rules.notification_default(notice.event, channel)
    if override is None and not is_chosen and not is_default_on:
        return None

    # Nowhere to send it, or no consent to text: logged as suppressed, in the
    # words the live dispatch uses (``domain.notify.decide``).
    if channel is Channel.EMAIL and not contact.email:
        return SUPPRESSED, why("no_email")
    if channel is Channel.TEXT and not contact.phone:
        if not is_chosen:
            return None
        return SUPPRESSED, why("no_phone")
    if channel is Channel.TEXT and not contact.can_text:
        return SUPPRESSED, why("no_consent")
    if notice.is_queued:
        return NotificationStatus.QUEUED, None
    return ctx.pick("notification-status", DELIVERY_STATUSES, (88, 9, 3)), None


def recipient(contact: ContactDraft, channel: Channel) -> str | None:
    return contact.email if channel is Channel.EMAIL else contact.phone


def log_entry(
    ctx: SeedContext,
    client: ClientDraft,
    notice: Notice,
    channel: Channel,
    status: NotificationStatus,
    reason: str | None,
    created_at: datetime,
    *,
    resend_of_id: int | None = None,
) -> int:
    entry_id = ctx.new_id("notification_log")
    is_out = status not in (NotificationStatus.QUEUED, NotificationStatus.SUPPRESSED)
    sent_at = delivered_at = None
    if is_out:
        sent_at = min(created_at + timedelta(seconds=ctx.rng.randint(2, 40)), ctx.now)
    if sent_at is not None and status is NotificationStatus.DELIVERED:
        delivered_at = min(sent_at + timedelta(seconds=ctx.rng.randint(1, 90)), ctx.now)
    is_manual = notice.is_manual or resend_of_id is not None

    ctx.add(
        "notification_log",
        {
            "id": entry_id,
            "public_id": ctx.uuid(),
            "account_id": ctx.account_id,
            "created_at": created_at,
            "client_id": client.id,
            "contact_id": client.primary.id,
            "event": notice.event.value,
            "channel": channel.value,
            "trigger": "manual" if is_manual else "automatic",
            "status": status.value,
            "recipient": recipient(client.primary, channel),
            "subject": notice.subject if channel is Channel.EMAIL else None,
            "suppression_reason": reason,
            "error": ERRORS[channel] if status is NotificationStatus.FAILED else None,
            "resend_of_id": resend_of_id,
            "triggered_by_id": notice.triggered_by_id,
            "provider_message_id": provider_id(ctx, channel) if is_out else None,
            "sent_at": sent_at,
            "delivered_at": delivered_at,
            "invoice_id": notice.refs.get("invoice_id"),
            "estimate_id": notice.refs.get("estimate_id"),
            "task_id": notice.refs.get("task_id"),
            "job_id": notice.refs.get("job_id"),
            "payment_request_id": notice.refs.get("payment_request_id"),
            "context": notice.context,
        },
    )
    if status is NotificationStatus.QUEUED:
        # Queued means waiting in the outbox, as the domain queues it.
        ctx.add(
            "outbox",
            {
                "id": ctx.new_id("outbox"),
                "account_id": ctx.account_id,
                "created_at": created_at,
                "notification_id": entry_id,
                "message_id": None,
                "sign_in_link_id": None,
                "attempts": 0,
                "available_at": created_at,
                "claimed_until": None,
                "claim_token": None,
                "completed_at": None,
                "last_error": None,
            },
        )
    return entry_id


def provider_id(ctx: SeedContext, channel: Channel) -> str:
    if channel is Channel.EMAIL:
        return f"<{ctx.hex(24)}@mail.haulgraph.test>"
    return "SM" + ctx.hex(32)


def resend(
    ctx: SeedContext,
    client: ClientDraft,
    notice: Notice,
    channel: Channel,
    original_id: int,
) -> None:
    """A person at the desk sends the same message again."""
    at = ctx.later(notice.at, 30, 2 * 24 * 60)
    staff_id = ctx.choice(ctx.staff.desk)
    again = Notice(
        notice.event,
        at,
        notice.subject,
        channel,
        is_manual=True,
        triggered_by_id=staff_id,
        refs=notice.refs,
        context=notice.context,
    )
    log_entry(
        ctx,
        client,
        again,
        channel,
        NotificationStatus.DELIVERED,
        None,
        at,
        resend_of_id=original_id,
    )
