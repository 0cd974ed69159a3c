"""Files on record for a client: documents to sign, notes and attachments."""

import hashlib
from datetime import datetime

from markupsafe import escape

from persistence.enums import DocumentKind, NotificationEvent
from persistence.seed.clients import record
from persistence.seed.context import SeedContext
from persistence.seed.drafts import ClientDraft, Notice
from persistence.seed.vocabulary import NOTE_BODIES

NOTE_FILES = (
    ("site-plan.pdf", "application/pdf"),
    ("signed-po.pdf", "application/pdf"),
    ("driveway.jpg", "image/jpeg"),
    ("damage-photo.jpg", "image/jpeg"),
)
AGREEMENT_STATES = ("signed", "viewed", "sent", "unsent")


def add_attachment(
    ctx: SeedContext,
    client: ClientDraft,
    filename: str,
    content_type: str,
    uploaded_at: datetime,
    *,
    uploaded_by_id: int | None,
    task_id: int | None = None,
    note_id: int | None = None,
) -> int:
    """File metadata only; the seed writes no bytes to the storage folder."""
    attachment_id = ctx.new_id("attachments")
    public_id = ctx.uuid()

    ctx.add(
        "attachments",
        {
            "id": attachment_id,
            "public_id": public_id,
            "account_id": ctx.account_id,
            "created_at": uploaded_at,
            "client_id": client.id,
            "note_id": note_id,
            "task_id": task_id,
            "filename": filename,
            "content_type": content_type,
            "size_bytes": ctx.rng.randint(40_000, 4_000_000),
            "sha256": ctx.hex(64),
            "storage_key": f"{ctx.slug}/{client.id}/{public_id.hex}/{filename}",
            "uploaded_by_id": uploaded_by_id,
        },
    )
    return attachment_id


def add_agreements(ctx: SeedContext, client: ClientDraft) -> None:
    """A rental agreement with the first delivery; terms for some businesses."""
    deliveries = [task for task in client.tasks if task.kind == "delivery"]
    if deliveries:
        first = deliveries[0]
        # Sent when the first delivery was booked; most clients sign it.
        state = ctx.pick("agreement", AGREEMENT_STATES, (75, 10, 10, 5))
        sent_at = None if state == "unsent" else ctx.later(first.created_at, 5, 30)
        viewed_at = signed_at = None
        if sent_at is not None and state in ("viewed", "signed"):
            viewed_at = ctx.later(sent_at, 5, 2 * 24 * 60)
        if viewed_at is not None and state == "signed":
            signed_at = ctx.later(viewed_at, 1, 30)

        add_document(
            ctx,
            client,
            DocumentKind.RENTAL_AGREEMENT,
            sent_at,
            title="Roll-off rental agreement",
            viewed_at=viewed_at,
            signed_at=signed_at,
            task_id=first.id,
        )

    # Businesses also get the terms, to read rather than to sign.
    if client.client_type == "commercial" and ctx.chance(0.5):
        sent_at = ctx.later(client.created_at, 60, 24 * 60)
        add_document(
            ctx,
            client,
            DocumentKind.TERMS_AND_CONDITIONS,
            sent_at,
            title="Terms and conditions",
            viewed_at=ctx.later(sent_at, 5, 600),
        )


def add_document(
    ctx: SeedContext,
    client: ClientDraft,
    kind: DocumentKind,
    sent_at: datetime | None,
    *,
    title: str,
    viewed_at: datetime | None = None,
    signed_at: datetime | None = None,
    reference: str = "",
    task_id: int | None = None,
    estimate_id: int | None = None,
) -> None:
    """A document rendered from the account's template, as sent and signed."""
    template_type = (
        client.client_type if kind is DocumentKind.RENTAL_AGREEMENT else None
    )
    template_id, template = ctx.templates[(kind.value, template_type)]
    body = render(ctx, template, client, reference)
    requires_signature = kind is not DocumentKind.TERMS_AND_CONDITIONS
    if signed_at is not None:
        viewed_at = min(viewed_at or signed_at, signed_at)
    document_id = ctx.new_id("documents")

    ctx.add(
        "documents",
        {
            "id": document_id,
            "public_id": ctx.uuid(),
            "account_id": ctx.account_id,
            "created_at": sent_at or ctx.moment(ctx.yesterday),
            "client_id": client.id,
            "kind": kind.value,
            "title": title,
            "template_id": template_id,
            "body": body,
            "estimate_id": estimate_id,
            "invoice_id": None,
            "task_id": task_id,
            "requires_signature": requires_signature,
            "viewed_at": viewed_at,
            **sending(client, sent_at),
            **signature(ctx, client, body, signed_at),
        },
    )

    if sent_at is not None and requires_signature:
        subject = f"Please sign: {title}"
        notice = Notice(NotificationEvent.DOCUMENT_TO_SIGN, sent_at, subject)
        client.notices.append(notice)
        record(ctx, client, "document.sent", sent_at, "document", document_id)
    if signed_at is not None:
        action = "document.signed"
        record(ctx, client, action, signed_at, "document", document_id, by="client")


def sending(client: ClientDraft, sent_at: datetime | None) -> dict[str, object]:
    contact = client.primary
    if sent_at is None:
        return dict.fromkeys(("sent_at", "sent_to", "sent_via", "sent_by_id"))
    return {
        "sent_at": sent_at,
        "sent_to": contact.email or contact.phone,
        "sent_via": "email" if contact.email else "text",
        "sent_by_id": client.created_by_id,
    }


def signature(
    ctx: SeedContext, client: ClientDraft, body: str, signed_at: datetime | None
) -> dict[str, object]:
    """Who signed, from where, and the SHA-256 of exactly what they signed."""
    if signed_at is None:
        keys = ("signed_at", "signer_name", "signer_ip", "signed_sha256")
        return dict.fromkeys(keys)
    return {
        "signed_at": signed_at,
        "signer_name": client.primary.name,
        "signer_ip": documentation_ip(ctx),
        "signed_sha256": hashlib.sha256(body.encode()).hexdigest(),
    }


def render(ctx: SeedContext, template: str, client: ClientDraft, reference: str) -> str:
    """The template with its values HTML-escaped, as documents are rendered."""
    address = client.default_address
    values = {
        "{{ account_name }}": ctx.account_name,
        "{{ client_name }}": client.display_name,
        "{{ address }}": f"{address.line1}, {address.city}",
        "{{ reference }}": reference,
    }
    for placeholder, value in values.items():
        template = template.replace(placeholder, str(escape(value)))
    return template


def documentation_ip(ctx: SeedContext) -> str:
    """An address from the ranges reserved for documentation (RFC 5737)."""
    network = ctx.choice(("192.0.2", "198.51.100", "203.0.113"))
    return f"{network}.{ctx.rng.randint(1, 254)}"


def add_notes(ctx: SeedContext, client: ClientDraft) -> None:
    count = ctx.rng.choices((0, 1, 2, 3), (45, 30, 15, 10))[0]
    for _ in range(3 if client.is_showcase else count):
        note_id = ctx.new_id("notes")
        author_id = ctx.choice(ctx.staff.desk)
        day = ctx.day_between(client.created_on, ctx.yesterday)
        created_at = max(ctx.moment(day), client.created_at)
        is_edited = ctx.chance(0.2)

        ctx.add(
            "notes",
            {
                "id": note_id,
                "public_id": ctx.uuid(),
                "account_id": ctx.account_id,
                "created_at": created_at,
                "client_id": client.id,
                "author_id": author_id,
                "body": ctx.choice(NOTE_BODIES),
                "is_pinned": ctx.chance(0.15),
                "updated_at": ctx.later(created_at, 5, 600)
                if is_edited
                else created_at,
            },
        )
        record(ctx, client, "note.added", created_at, "note", note_id, by=author_id)

        if ctx.chance(0.25):
            filename, content_type = ctx.choice(NOTE_FILES)
            add_attachment(
                ctx,
                client,
                filename,
                content_type,
                created_at,
                uploaded_by_id=author_id,
                note_id=note_id,
            )
