"""Sign-in, tokens, dashboard links and API keys, without HTTP."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.delivery.dispatch import Transports
from domain.delivery.mail import MemoryMailer
from domain.delivery.outbox import Worker
from domain.delivery.texts import MemoryTexter
from domain.identity import passwords
from domain.identity.api_keys import create_api_key, revoke_api_key
from domain.identity.dashboard import (
    LINKS_PER_WINDOW,
    DashboardSignIn,
    LinkProblem,
    request_sign_in_link,
    sign_in_with_link,
)
from domain.identity.secrets import digest
from domain.identity.staff import create_staff_user, sign_in_staff
from domain.identity.tokens import revoke_token, viewer_for_token
from domain.identity.viewer import ViewerKind
from domain.permissions import BUILTIN_ROLES, Permission
from persistence.database import create_session_factory
from persistence.models import (
    AccessToken,
    ApiKey,
    Client,
    ClientSettingOverride,
    NotificationLogEntry,
    OutboxItem,
    SignInLink,
)
from tests.factories import add, add_account, add_client, add_contact

NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)
DASHBOARD = "https://dashboard.example"


async def test_staff_sign_in_issues_a_token_with_the_role_permissions(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    await create_staff_user(
        session, account.id, "Dana@Example.com", "Dana", "s3cret-pass", "dispatcher"
    )

    issued = await sign_in_staff(session, "dana@example.com ", "s3cret-pass", NOW)
    assert issued is not None
    viewer = await viewer_for_token(session, issued.token, NOW)

    assert viewer is not None
    assert viewer.kind is ViewerKind.STAFF
    assert viewer.account_id == account.id
    assert viewer.permissions == BUILTIN_ROLES["dispatcher"]


async def test_wrong_password_and_unknown_email_are_refused_alike(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = await add_account(session)
    await create_staff_user(session, account.id, "a@example.com", "A", "right", "admin")
    verifications: list[str] = []
    real_hasher = passwords.hasher

    class CountingHasher:
        def verify(self, password_hash: str, password: str) -> bool:
            verifications.append(password_hash)
            return real_hasher.verify(password_hash, password)

    monkeypatch.setattr(passwords, "hasher", CountingHasher())

    wrong = await sign_in_staff(session, "a@example.com", "wrong", NOW)
    unknown = await sign_in_staff(session, "nobody@example.com", "wrong", NOW)

    assert wrong is None
    assert unknown is None
    # One full Argon2 verification each: the two cost the same time.
    assert len(verifications) == 2
    assert verifications[1] == passwords.DUMMY_HASH


async def test_expired_and_revoked_tokens_resolve_to_nobody(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    await create_staff_user(session, account.id, "b@example.com", "B", "pw", "office")
    first = await sign_in_staff(session, "b@example.com", "pw", NOW)
    second = await sign_in_staff(session, "b@example.com", "pw", NOW)
    assert first is not None
    assert second is not None

    token_id = await session.scalar(select(AccessToken.id).order_by(AccessToken.id))
    assert token_id is not None
    await revoke_token(session, token_id, NOW)

    assert await viewer_for_token(session, first.token, NOW) is None
    assert await viewer_for_token(session, second.token, second.expires_at) is None
    assert await viewer_for_token(session, second.token, NOW) is not None
    assert await viewer_for_token(session, "hgs_made-up", NOW) is None


async def test_tokens_are_stored_only_as_digests(session: AsyncSession) -> None:
    account = await add_account(session)
    await create_staff_user(session, account.id, "c@example.com", "C", "pw", "admin")

    issued = await sign_in_staff(session, "c@example.com", "pw", NOW)

    assert issued is not None
    stored = await session.scalar(select(AccessToken.token_digest))
    assert stored is not None
    assert issued.token not in stored
    assert len(stored) == 64


async def add_dashboard_contact(session: AsyncSession, email: str) -> Client:
    client = await add_client(session, await add_account(session))
    await add_contact(session, client, email=email, is_primary=True)
    return client


async def request_link(session: AsyncSession, mailer: MemoryMailer, email: str) -> None:
    """Ask for a link, then let the outbox worker send what was queued."""
    await request_sign_in_link(session, email, NOW)
    await session.commit()
    assert isinstance(session.bind, AsyncEngine)
    transports = Transports(
        mailer=mailer, texter=MemoryTexter(), dashboard_url=DASHBOARD
    )
    await Worker(create_session_factory(session.bind), transports).run_until_idle()


def token_in(mailer: MemoryMailer) -> str:
    match = re.search(r"#token=(\S+)", mailer.sent[-1].text)
    assert match is not None
    return match.group(1)


async def test_sign_in_link_flow_ends_in_a_dashboard_token(
    session: AsyncSession,
) -> None:
    client = await add_dashboard_contact(session, "pat@example.com")
    mailer = MemoryMailer()

    await request_link(session, mailer, "PAT@example.com")
    signed_in = await sign_in_with_link(session, token_in(mailer), NOW)

    assert mailer.sent[0].to == "pat@example.com"
    assert isinstance(signed_in, DashboardSignIn)
    assert signed_in.client_id == client.id
    viewer = await viewer_for_token(session, signed_in.token.token, NOW)
    assert viewer is not None
    assert viewer.kind is ViewerKind.DASHBOARD
    assert viewer.client_id == client.id


async def test_the_links_secret_is_stored_only_as_a_digest(
    session: AsyncSession,
) -> None:
    await add_dashboard_contact(session, "kim@example.com")
    mailer = MemoryMailer()

    await request_link(session, mailer, "kim@example.com")

    token = token_in(mailer)
    stored = await session.scalar(select(SignInLink.token_digest))
    item = await session.scalar(select(OutboxItem))
    assert stored == digest(token)
    assert item is not None
    assert item.completed_at is not None
    assert token not in repr(vars(item))
    assert list(await session.scalars(select(NotificationLogEntry))) == []


async def test_a_link_works_once_and_expires(session: AsyncSession) -> None:
    await add_dashboard_contact(session, "lee@example.com")
    mailer = MemoryMailer()
    await request_link(session, mailer, "lee@example.com")
    used_token = token_in(mailer)
    await request_link(session, mailer, "lee@example.com")
    stale_token = token_in(mailer)

    first = await sign_in_with_link(session, used_token, NOW)
    again = await sign_in_with_link(session, used_token, NOW)
    late = await sign_in_with_link(session, stale_token, NOW + timedelta(minutes=31))
    made_up = await sign_in_with_link(session, "hgl_nothing", NOW)

    assert isinstance(first, DashboardSignIn)
    assert again is LinkProblem.USED
    assert late is LinkProblem.EXPIRED
    assert made_up is LinkProblem.INVALID


async def test_unknown_addresses_get_nothing_and_no_error(
    session: AsyncSession,
) -> None:
    mailer = MemoryMailer()

    await request_link(session, mailer, "ghost@example.com")

    assert mailer.sent == []


async def test_sign_in_links_are_rate_limited_per_address(
    session: AsyncSession,
) -> None:
    await add_dashboard_contact(session, "busy@example.com")
    mailer = MemoryMailer()

    for _ in range(LINKS_PER_WINDOW + 2):
        await request_link(session, mailer, "busy@example.com")

    assert len(mailer.sent) == LINKS_PER_WINDOW


async def test_no_link_while_dashboard_access_is_off(session: AsyncSession) -> None:
    client = await add_dashboard_contact(session, "off@example.com")
    await add(
        session,
        ClientSettingOverride(
            account_id=client.account_id,
            client_id=client.id,
            key="dashboard_access",
            value=False,
            changed_at=NOW,
        ),
    )
    mailer = MemoryMailer()

    await request_link(session, mailer, "off@example.com")

    assert mailer.sent == []


async def test_api_keys_carry_their_scopes_until_revoked(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    issued = await create_api_key(
        session, account.id, "Route planner", frozenset({Permission.WORK_READ}), NOW
    )

    viewer = await viewer_for_token(session, issued.key, NOW)
    last_used = await session.scalar(select(ApiKey.last_used_at))
    await revoke_api_key(session, account.id, issued.row.id, NOW)

    assert viewer is not None
    assert viewer.kind is ViewerKind.PARTNER
    assert viewer.permissions == {Permission.WORK_READ}
    assert last_used == NOW
    assert await viewer_for_token(session, issued.key, NOW) is None
