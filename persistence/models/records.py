"""What is kept on file about a client: documents, messages, notes, files,
service requests, and the append-only activity record.

    Client ─┬─< Document ──> DocumentTemplate
            ├─< Message     (text thread, both directions)
            ├─< Note ─< Attachment (bytes live in the storage folder)
            ├─< ServiceRequest   (from the dashboard)
            └─< ActivityRecord   (who did what; never updated or deleted)
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from persistence.enums import (
    ActorKind,
    ClientType,
    DocumentKind,
    MessageDirection,
    MessageStatus,
    ServiceRequestKind,
    ServiceRequestStatus,
)
from persistence.models.base import (
    AccountScoped,
    Base,
    CreatedAt,
    IdMixin,
    PublicIdMixin,
    one_of,
    utcnow,
)
from persistence.models.billing import optional_fk, staff_fk
from persistence.models.people import client_fk


class DocumentTemplate(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """A jinja2 template of a document the account sends (per client type)."""

    __tablename__ = "document_templates"
    __table_args__ = (one_of("kind", DocumentKind), one_of("client_type", ClientType))

    kind: Mapped[str] = mapped_column(String(30))
    client_type: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Document(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """A document sent to a client, and whether it was viewed and signed.

    ``body`` is the exact rendered text; once signed it never changes and its
    SHA-256 is kept beside the signature. Database triggers refuse changing
    a signed document's text or signature, and deleting it.
    """

    __tablename__ = "documents"
    __table_args__ = (
        one_of("kind", DocumentKind),
        CheckConstraint(
            "signed_at IS NULL"
            " OR (signer_name IS NOT NULL AND signed_sha256 IS NOT NULL)",
            name="signature_complete",
        ),
    )

    client_id: Mapped[int] = client_fk()
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    template_id: Mapped[int | None] = optional_fk("document_templates.id")
    body: Mapped[str] = mapped_column(Text)
    estimate_id: Mapped[int | None] = optional_fk("estimates.id")
    invoice_id: Mapped[int | None] = optional_fk("invoices.id")
    task_id: Mapped[int | None] = optional_fk("tasks.id")
    requires_signature: Mapped[bool] = mapped_column(Boolean, default=True)
    sent_at: Mapped[datetime | None]
    sent_to: Mapped[str | None] = mapped_column(String(320))
    sent_via: Mapped[str | None] = mapped_column(String(10))
    sent_by_id: Mapped[int | None] = staff_fk()
    viewed_at: Mapped[datetime | None]
    signed_at: Mapped[datetime | None]
    signer_name: Mapped[str | None] = mapped_column(String(200))
    signer_ip: Mapped[str | None] = mapped_column(String(45))
    signed_sha256: Mapped[str | None] = mapped_column(String(64))


class Message(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """One text message between the team and a client's contact."""

    __tablename__ = "messages"
    __table_args__ = (
        one_of("direction", MessageDirection),
        one_of("status", MessageStatus),
        Index("ix_messages_client_id_created_at", "client_id", "created_at"),
    )

    client_id: Mapped[int] = client_fk()
    contact_id: Mapped[int | None] = optional_fk("contacts.id")
    direction: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)
    from_number: Mapped[str] = mapped_column(String(32))
    to_number: Mapped[str] = mapped_column(String(32))
    provider_message_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    sent_by_id: Mapped[int | None] = staff_fk()


class Note(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """An internal note on file for a client; staff only."""

    __tablename__ = "notes"

    client_id: Mapped[int] = client_fk(keep_history=False)
    author_id: Mapped[int | None] = staff_fk()
    body: Mapped[str] = mapped_column(Text)
    is_pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Attachment(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """Metadata of an uploaded file; its bytes sit in the storage folder."""

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint("size_bytes >= 0", name="size_not_negative"),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
    )

    client_id: Mapped[int] = client_fk(keep_history=False)
    note_id: Mapped[int | None] = optional_fk("notes.id")
    task_id: Mapped[int | None] = optional_fk("tasks.id")
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    uploaded_by_id: Mapped[int | None] = staff_fk()


class ServiceRequest(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """A client's request for new service, made from its dashboard."""

    __tablename__ = "service_requests"
    __table_args__ = (
        one_of("kind", ServiceRequestKind),
        one_of("status", ServiceRequestStatus),
    )

    client_id: Mapped[int] = client_fk()
    contact_id: Mapped[int | None] = optional_fk("contacts.id")
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default=ServiceRequestStatus.NEW)
    service_address_id: Mapped[int | None] = optional_fk("addresses.id")
    preferred_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    task_id: Mapped[int | None] = optional_fk("tasks.id")
    handled_by_id: Mapped[int | None] = staff_fk()
    handled_at: Mapped[datetime | None]


class ActivityRecord(IdMixin, AccountScoped, Base):
    """Who did what, when: appended by every operation, never changed."""

    __tablename__ = "activity_records"
    __table_args__ = (
        one_of("actor_kind", ActorKind),
        Index("ix_activity_records_client_id_occurred_at", "client_id", "occurred_at"),
    )

    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="RESTRICT")
    )
    actor_kind: Mapped[str] = mapped_column(String(10))
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(80))
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(BigInteger)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)


# The activity record is append-only in the database itself, not by courtesy.
APPEND_ONLY_TRIGGERS = {
    "postgresql": [
        """
        CREATE FUNCTION activity_records_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'activity_records is append-only';
        END;
        $$ LANGUAGE plpgsql
        """,
        """
        CREATE TRIGGER activity_records_append_only
        BEFORE UPDATE OR DELETE ON activity_records
        FOR EACH ROW EXECUTE FUNCTION activity_records_append_only()
        """,
    ],
    "sqlite": [
        f"""
        CREATE TRIGGER activity_records_no_{verb.lower()}
        BEFORE {verb} ON activity_records
        BEGIN
            SELECT RAISE(ABORT, 'activity_records is append-only');
        END
        """
        for verb in ("UPDATE", "DELETE")
    ],
}

for dialect_name, statements in APPEND_ONLY_TRIGGERS.items():
    for statement in statements:
        event.listen(
            ActivityRecord.__table__,
            "after_create",
            DDL(statement).execute_if(dialect=dialect_name),
        )


# What a signature covers; links that foreign keys may set null, and the
# client (which a merge moves), stay changeable.
SIGNED_COLUMNS = (
    "kind",
    "title",
    "body",
    "requires_signature",
    "signed_at",
    "signer_name",
    "signer_ip",
    "signed_sha256",
)
CHANGED_IN_POSTGRESQL = " OR ".join(
    f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in SIGNED_COLUMNS
)
CHANGED_IN_SQLITE = " OR ".join(
    f"NEW.{column} IS NOT OLD.{column}" for column in SIGNED_COLUMNS
)
SIGNED_DOCUMENT_TRIGGERS = {
    "postgresql": [
        f"""
        CREATE FUNCTION documents_signed_immutable() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION 'document % is signed and cannot be deleted', OLD.id;
            END IF;
            IF {CHANGED_IN_POSTGRESQL} THEN
                RAISE EXCEPTION 'document % is signed and cannot change', OLD.id;
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """,
        """
        CREATE TRIGGER documents_signed_immutable
        BEFORE UPDATE OR DELETE ON documents
        FOR EACH ROW WHEN (OLD.signed_at IS NOT NULL)
        EXECUTE FUNCTION documents_signed_immutable()
        """,
    ],
    "sqlite": [
        f"""
        CREATE TRIGGER documents_signed_no_update
        BEFORE UPDATE ON documents
        WHEN OLD.signed_at IS NOT NULL
            AND ({CHANGED_IN_SQLITE})
        BEGIN
            SELECT RAISE(ABORT, 'a signed document cannot change');
        END
        """,
        """
        CREATE TRIGGER documents_signed_no_delete
        BEFORE DELETE ON documents
        WHEN OLD.signed_at IS NOT NULL
        BEGIN
            SELECT RAISE(ABORT, 'a signed document cannot be deleted');
        END
        """,
    ],
}

for dialect_name, statements in SIGNED_DOCUMENT_TRIGGERS.items():
    for statement in statements:
        event.listen(
            Document.__table__,
            "after_create",
            DDL(statement).execute_if(dialect=dialect_name),
        )
