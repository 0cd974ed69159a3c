"""Access tokens: issue one at sign-in, resolve it on every request, revoke it.

A token resolves to a ``Viewer`` only while it is unexpired, unrevoked, and
its owner still may sign in (an active staff user; a client whose dashboard
access is on is checked by the dashboard layer).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.secrets import digest, new_secret
from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import permissions_of
from persistence.models import AccessToken, ApiKey, StaffRole, StaffUser, TokenKind

PREFIXES = {
    TokenKind.STAFF: "hgs",
    TokenKind.DASHBOARD: "hgd",
    TokenKind.STAFF_PREVIEW: "hgv",
}
API_KEY_PREFIX = "hgp"
LIFETIMES = {
    TokenKind.STAFF: timedelta(hours=12),
    TokenKind.DASHBOARD: timedelta(days=14),
    TokenKind.STAFF_PREVIEW: timedelta(minutes=15),
}
# Writing last-used on every request would turn reads into writes.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    expires_at: datetime


async def issue_token(
    session: AsyncSession,
    kind: TokenKind,
    account_id: int,
    now: datetime,
    *,
    staff_user_id: int | None = None,
    client_id: int | None = None,
    contact_id: int | None = None,
) -> IssuedToken:
    token = new_secret(PREFIXES[kind])
    expires_at = now + LIFETIMES[kind]
    session.add(
        AccessToken(
            account_id=account_id,
            kind=kind,
            token_digest=digest(token),
            staff_user_id=staff_user_id,
            client_id=client_id,
            contact_id=contact_id,
            expires_at=expires_at,
            created_at=now,
        )
    )
    await session.flush()
    return IssuedToken(token=token, expires_at=expires_at)


async def viewer_for_token(
    session: AsyncSession, token: str, now: datetime
) -> Viewer | None:
    """The viewer a bearer token stands for, or None for any invalid token."""
    if token.startswith(f"{API_KEY_PREFIX}_"):
        return await viewer_for_api_key(session, token, now)

    row = await session.scalar(
        select(AccessToken).where(AccessToken.token_digest == digest(token))
    )
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    await touch(session, AccessToken, row.id, row.last_used_at, now)
    if row.kind == TokenKind.STAFF:
        return await staff_viewer(session, row, now)
    # A preview stops with the staff user who opened it.
    if row.kind == TokenKind.STAFF_PREVIEW and not await is_active_staff(
        session, row.staff_user_id
    ):
        return None
    return Viewer(
        account_id=row.account_id,
        kind=ViewerKind(row.kind),
        client_id=row.client_id,
        contact_id=row.contact_id,
        staff_user_id=row.staff_user_id,
        token_id=row.id,
    )


async def is_active_staff(session: AsyncSession, staff_user_id: int | None) -> bool:
    is_active = await session.scalar(
        select(StaffUser.is_active).where(StaffUser.id == staff_user_id)
    )
    return bool(is_active)


async def staff_viewer(
    session: AsyncSession, token: AccessToken, now: datetime
) -> Viewer | None:
    found = (
        await session.execute(
            select(StaffUser.is_active, StaffRole.permissions)
            .join(StaffRole, StaffRole.id == StaffUser.role_id)
            .where(StaffUser.id == token.staff_user_id)
        )
    ).first()
    if found is None or not found.is_active:
        return None
    return Viewer(
        account_id=token.account_id,
        kind=ViewerKind.STAFF,
        permissions=permissions_of(found.permissions),
        staff_user_id=token.staff_user_id,
        token_id=token.id,
    )


async def viewer_for_api_key(
    session: AsyncSession, key: str, now: datetime
) -> Viewer | None:
    row = await session.scalar(select(ApiKey).where(ApiKey.key_digest == digest(key)))
    if row is None or row.revoked_at is not None:
        return None
    await touch(session, ApiKey, row.id, row.last_used_at, now)
    return Viewer(
        account_id=row.account_id,
        kind=ViewerKind.PARTNER,
        permissions=permissions_of(row.scopes),
        api_key_id=row.id,
    )


async def touch(
    session: AsyncSession,
    model: type[AccessToken] | type[ApiKey],
    row_id: int,
    last_used_at: datetime | None,
    now: datetime,
) -> None:
    if last_used_at is not None and now - last_used_at < LAST_USED_RESOLUTION:
        return
    await session.execute(
        update(model).where(model.id == row_id).values(last_used_at=now)
    )
    await session.commit()


async def revoke_token(session: AsyncSession, token_id: int, now: datetime) -> None:
    await session.execute(
        update(AccessToken)
        .where(AccessToken.id == token_id, AccessToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
