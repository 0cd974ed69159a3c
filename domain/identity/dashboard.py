"""Dashboard sign-in: a one-time link by email, exchanged for an access token.

Asking for a link answers the same whether or not the address belongs to
anyone. A contact whose email matches gets one link per client it belongs to
(while that client's dashboard access is on), at most ``LINKS_PER_WINDOW``
per address in ``RATE_WINDOW``. A link works once, for ``LINK_LIFETIME``.

The email leaves through the outbox, so the answer's timing never depends on
delivery. The link's secret is made only when the worker sends the email
(``issue_link_secret``): the database holds its digest, never the secret.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.delivery.mail import Email
from domain.identity.secrets import digest, new_secret
from domain.identity.tokens import IssuedToken, issue_token
from domain.settings import SETTINGS_BY_KEY, SettingOverride, effective_setting
from persistence.models import (
    Account,
    Client,
    ClientSettingOverride,
    Contact,
    Hold,
    OutboxItem,
    SignInLink,
    TokenKind,
)

logger = logging.getLogger(__name__)

LINK_LIFETIME = timedelta(minutes=30)
RATE_WINDOW = timedelta(minutes=15)
LINKS_PER_WINDOW = 3
DASHBOARD_ACCESS = "dashboard_access"


class LinkProblem(StrEnum):
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    ACCESS_OFF = "access_off"


@dataclass(frozen=True, slots=True)
class DashboardSignIn:
    token: IssuedToken
    client_id: int


@dataclass(frozen=True, slots=True)
class Standing:
    """What every dashboard request checks of its client."""

    has_dashboard_access: bool
    is_on_hold: bool


async def client_standing(session: AsyncSession, client_id: int) -> Standing:
    """Whether the client's dashboard is open (its effective "dashboard access",
    see ``domain.settings``) and whether it is on hold, in one statement."""
    on_hold = (
        select(Hold.id)
        .where(Hold.client_id == Client.id, Hold.released_at.is_(None))
        .exists()
    )
    found = (
        await session.execute(
            select(Account.client_settings, ClientSettingOverride.value, on_hold)
            .join(Client, Client.account_id == Account.id)
            .outerjoin(
                ClientSettingOverride,
                (ClientSettingOverride.client_id == Client.id)
                & (ClientSettingOverride.key == DASHBOARD_ACCESS),
            )
            .where(Client.id == client_id)
        )
    ).first()
    if found is None:
        return Standing(has_dashboard_access=False, is_on_hold=False)
    account_settings, override_value, is_on_hold = found
    override = (
        SettingOverride(DASHBOARD_ACCESS, override_value, changed_at=datetime.min)
        if override_value is not None
        else None
    )
    definition = SETTINGS_BY_KEY[DASHBOARD_ACCESS]
    has_access = bool(effective_setting(definition, account_settings, override).value)
    return Standing(has_dashboard_access=has_access, is_on_hold=bool(is_on_hold))


async def has_dashboard_access(session: AsyncSession, client_id: int) -> bool:
    return (await client_standing(session, client_id)).has_dashboard_access


async def is_on_hold(session: AsyncSession, client_id: int) -> bool:
    return (await client_standing(session, client_id)).is_on_hold


async def request_sign_in_link(
    session: AsyncSession, email: str, now: datetime
) -> None:
    """Queue a sign-in link to every client dashboard this address may open."""
    address = email.strip().lower()
    recent = await session.scalar(
        select(func.count()).where(
            SignInLink.email == address, SignInLink.created_at > now - RATE_WINDOW
        )
    )
    if recent is not None and recent >= LINKS_PER_WINDOW:
        logger.info("Sign-in links for an address are rate-limited")
        return

    contacts = await session.scalars(
        select(Contact)
        .join(Client, Client.id == Contact.client_id)
        .where(func.lower(Contact.email) == address, Client.archived_at.is_(None))
    )
    for contact in list(contacts):
        if not await has_dashboard_access(session, contact.client_id):
            continue
        link = SignInLink(
            account_id=contact.account_id,
            client_id=contact.client_id,
            contact_id=contact.id,
            email=address,
            # A placeholder nobody knows the secret of, until the email is sent.
            token_digest=digest(new_secret("hgl")),
            created_at=now,
            expires_at=now + LINK_LIFETIME,
        )
        session.add(link)
        await session.flush()
        session.add(OutboxItem(account_id=link.account_id, sign_in_link_id=link.id))
    await session.flush()


async def issue_link_secret(
    session: AsyncSession, link: SignInLink, dashboard_url: str, default_sender: str
) -> Email | None:
    """The email for a queued link, with a new secret whose digest replaces the
    link's; None when the link was used meanwhile.

    A retried delivery makes a new secret, so only the last email sent works.
    """
    if link.used_at is not None:
        return None
    found = (
        await session.execute(
            select(Client.display_name, Account.name, Account.email_from)
            .join(Account, Account.id == Client.account_id)
            .where(Client.id == link.client_id)
        )
    ).one()
    client_name, business, sender = found
    token = new_secret("hgl")
    link.token_digest = digest(token)
    return sign_in_email(
        sender or default_sender,
        link.email,
        business,
        client_name,
        dashboard_url,
        token,
    )


def sign_in_email(
    sender: str | None,
    to: str,
    business: str,
    client_name: str,
    dashboard_url: str,
    token: str,
) -> Email:
    # The token travels in the fragment, which browsers never send to servers.
    link = f"{dashboard_url.rstrip('/')}/sign-in#token={token}"
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    return Email(
        sender=sender or "no-reply@haulgraph.local",
        to=to,
        subject=f"Sign in to {business}",
        text=(
            f"Open this link to see {client_name}'s dashboard at {business}:\n\n"
            f"{link}\n\nThe link works once, for {minutes} minutes. If you did "
            "not ask for it, ignore this email."
        ),
    )


async def sign_in_with_link(
    session: AsyncSession, token: str, now: datetime
) -> DashboardSignIn | LinkProblem:
    """Use a link once; its client's dashboard token, or why not."""
    claimed = (
        await session.execute(
            update(SignInLink)
            .where(
                SignInLink.token_digest == digest(token),
                SignInLink.used_at.is_(None),
                SignInLink.expires_at > now,
            )
            .values(used_at=now)
            .returning(
                SignInLink.account_id, SignInLink.client_id, SignInLink.contact_id
            )
        )
    ).first()
    if claimed is None:
        return await why_link_failed(session, token, now)
    if not await has_dashboard_access(session, claimed.client_id):
        return LinkProblem.ACCESS_OFF
    issued = await issue_token(
        session,
        TokenKind.DASHBOARD,
        claimed.account_id,
        now,
        client_id=claimed.client_id,
        contact_id=claimed.contact_id,
    )
    return DashboardSignIn(token=issued, client_id=claimed.client_id)


async def why_link_failed(
    session: AsyncSession, token: str, now: datetime
) -> LinkProblem:
    link = await session.scalar(
        select(SignInLink).where(SignInLink.token_digest == digest(token))
    )
    if link is None:
        return LinkProblem.INVALID
    if link.used_at is not None:
        return LinkProblem.USED
    return LinkProblem.EXPIRED
