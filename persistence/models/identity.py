"""Credentials: access tokens, dashboard sign-in links and partner API keys.

Every secret is random, shown once, and stored only as its SHA-256 digest;
each has an expiry or a revocation time, or both.

    StaffUser ─< AccessToken (kind staff)
    Client ──── AccessToken (kind dashboard / staff_preview) ──> Contact
    Client ─< SignInLink ──> Contact        one use, short-lived
    Account ─< ApiKey                       scopes from the permission vocabulary
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from persistence.models.base import (
    AccountScoped,
    Base,
    CreatedAt,
    IdMixin,
    PublicIdMixin,
    one_of,
)


class TokenKind(StrEnum):
    STAFF = "staff"
    DASHBOARD = "dashboard"
    # A staff user looking at a client's dashboard: read-only.
    STAFF_PREVIEW = "staff_preview"


def digest_column() -> Mapped[str]:
    return mapped_column(String(64), unique=True)


class AccessToken(IdMixin, AccountScoped, CreatedAt, Base):
    """A bearer token of a signed-in staff user or dashboard user."""

    __tablename__ = "access_tokens"
    __table_args__ = (
        one_of("kind", TokenKind),
        CheckConstraint(
            "kind <> 'staff' OR staff_user_id IS NOT NULL", name="staff_has_user"
        ),
        CheckConstraint(
            "kind = 'staff' OR client_id IS NOT NULL", name="dashboard_has_client"
        ),
    )

    kind: Mapped[str] = mapped_column(String(20))
    token_digest: Mapped[str] = digest_column()
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE")
    )
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class SignInLink(IdMixin, AccountScoped, CreatedAt, Base):
    """A one-time link emailed to a client's contact to sign in to the dashboard."""

    __tablename__ = "sign_in_links"
    __table_args__ = (
        Index("ix_sign_in_links_email_created_at", "email", "created_at"),
    )

    token_digest: Mapped[str] = digest_column()
    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE")
    )
    email: Mapped[str] = mapped_column(String(320))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class ApiKey(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """A partner's key: a fixed set of scopes, revocable, with last use."""

    __tablename__ = "api_keys"

    name: Mapped[str] = mapped_column(String(100))
    # The first characters of the key, shown so people can tell keys apart.
    prefix: Mapped[str] = mapped_column(String(16))
    key_digest: Mapped[str] = digest_column()
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
