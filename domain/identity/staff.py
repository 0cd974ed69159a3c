"""Staff accounts: create them, and sign them in with email and password."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.passwords import hash_password, is_password_correct
from domain.identity.tokens import IssuedToken, issue_token
from domain.permissions import BUILTIN_ROLES
from persistence.models import StaffRole, StaffUser, TokenKind


async def sign_in_staff(
    session: AsyncSession, email: str, password: str, now: datetime
) -> IssuedToken | None:
    """A new access token, or None when the email or password is wrong.

    An unknown email costs one Argon2 verification too, so response times do
    not reveal which addresses have accounts.
    """
    user = await session.scalar(
        select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower())
    )
    password_hash = user.password_hash if user is not None else None
    if not is_password_correct(password_hash, password):
        return None
    if user is None or not user.is_active:
        return None
    return await issue_token(
        session, TokenKind.STAFF, user.account_id, now, staff_user_id=user.id
    )


async def ensure_builtin_roles(
    session: AsyncSession, account_id: int
) -> dict[str, StaffRole]:
    """The account's built-in roles, created with their grants if missing."""
    existing = {
        role.name: role
        for role in await session.scalars(
            select(StaffRole).where(StaffRole.account_id == account_id)
        )
    }
    for name, grants in BUILTIN_ROLES.items():
        if name not in existing:
            role = StaffRole(
                account_id=account_id,
                name=name,
                permissions=sorted(grants),
                is_builtin=True,
            )
            session.add(role)
            existing[name] = role
    await session.flush()
    return existing


async def create_staff_user(
    session: AsyncSession,
    account_id: int,
    email: str,
    name: str,
    password: str,
    role_name: str,
) -> StaffUser:
    roles = await ensure_builtin_roles(session, account_id)
    user = StaffUser(
        account_id=account_id,
        role_id=roles[role_name].id,
        email=email.strip().lower(),
        name=name,
        password_hash=hash_password(password),
    )
    session.add(user)
    await session.flush()
    return user
