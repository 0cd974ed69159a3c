"""Text conversations between the team and a client's contacts."""

from persistence.seed.clients import record
from persistence.seed.context import SeedContext
from persistence.seed.drafts import ClientDraft, ContactDraft, TaskDraft

OUTBOUND_STATUSES = ["delivered", "sent", "failed"]


def add_messages(ctx: SeedContext, client: ClientDraft) -> None:
    """A short thread about one delivery, with a contact who agreed to texts."""
    texters = [contact for contact in client.contacts if contact.can_text]
    deliveries = [task for task in client.tasks if task.kind == "delivery" and task.day]
    if not texters or not deliveries or not (client.is_showcase or ctx.chance(0.4)):
        return

    contact, task = texters[0], ctx.choice(deliveries)
    sent_at = task.created_at
    for direction, body in thread(ctx, contact, task):
        sent_at = ctx.later(sent_at, 2, 90)
        is_outbound = direction == "outbound"
        status = "received"
        if is_outbound:
            status = ctx.pick("message-status", OUTBOUND_STATUSES, (90, 8, 2))

        ctx.add(
            "messages",
            {
                "id": ctx.new_id("messages"),
                "public_id": ctx.uuid(),
                "account_id": ctx.account_id,
                "created_at": sent_at,
                "client_id": client.id,
                "contact_id": contact.id,
                "direction": direction,
                "status": status,
                "body": body,
                "from_number": ctx.account_phone if is_outbound else contact.phone,
                "to_number": contact.phone if is_outbound else ctx.account_phone,
                "provider_message_id": "SM" + ctx.hex(32),
                "sent_by_id": ctx.choice(ctx.staff.desk) if is_outbound else None,
            },
        )
    record(ctx, client, "message.received", sent_at, by="client")


def thread(
    ctx: SeedContext, contact: ContactDraft, task: TaskDraft
) -> list[tuple[str, str]]:
    day = task.day.strftime("%A, %B %-d") if task.day else "soon"
    greeting = (
        f"Hi {contact.first_name}, this is {ctx.account_name}. Your {task.size} yd "
        f"dumpster is set for {day}. Reply with any placement notes."
    )
    messages = [
        ("outbound", greeting),
        ("inbound", "Thanks! Please put it at the end of the driveway, left side."),
        ("outbound", "Got it, noted for the driver."),
    ]
    # Half the threads go on to move the pickup.
    if ctx.chance(0.5):
        messages.append(("inbound", "Can the pickup be a day later? Still loading."))
        messages.append(("outbound", "No problem, we moved the pickup by a day."))
    return messages
