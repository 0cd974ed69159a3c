"""The outbox that delivery workers drain, and the account's email templates.

    NotificationLogEntry ─< OutboxItem >─ Message    one item per delivery
                            OutboxItem >─ SignInLink
    Account ─< EmailTemplate                         one per event, if edited

An ``OutboxItem`` is the work of delivering one notification-log entry, one
outbound text message or one dashboard sign-in link. It is written in the
transaction of the change that caused it, claimed by one worker at a time
(``claimed_until`` is the claim's lease), retried after failures
(``available_at``) and finished once (``completed_at``). What the client
sees stays on the entry, the message or the link.
"""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from persistence.enums import NotificationEvent
from persistence.models.base import (
    AccountScoped,
    Base,
    CreatedAt,
    IdMixin,
    one_of,
    utcnow,
)
from persistence.models.billing import optional_fk, staff_fk
from persistence.models.people import only_where


class OutboxItem(IdMixin, AccountScoped, CreatedAt, Base):
    """One delivery to make: a notification-log entry or an outbound text."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN notification_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN message_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN sign_in_link_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="delivers_one_thing",
        ),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index(
            "ix_outbox_pending_available_at",
            "available_at",
            **only_where("completed_at IS NULL"),
        ),
    )

    notification_id: Mapped[int | None] = optional_fk("notification_log.id")
    message_id: Mapped[int | None] = optional_fk("messages.id")
    sign_in_link_id: Mapped[int | None] = mapped_column(
        ForeignKey("sign_in_links.id", ondelete="CASCADE"), index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    available_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(32))
    completed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))


class EmailTemplate(IdMixin, AccountScoped, Base):
    """An account's own wording of one event's email (jinja2 source)."""

    __tablename__ = "email_templates"
    __table_args__ = (
        UniqueConstraint("account_id", "event"),
        one_of("event", NotificationEvent),
    )

    event: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(500))
    html: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = staff_fk()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
