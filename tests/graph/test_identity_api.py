"""Signing in over HTTP on each audience's route, with real tokens."""

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.delivery.dispatch import Transports
from domain.delivery.mail import MemoryMailer
from domain.delivery.outbox import Worker
from domain.delivery.texts import MemoryTexter
from domain.identity.api_keys import create_api_key
from domain.identity.passwords import hash_password
from domain.identity.staff import create_staff_user
from domain.identity.tokens import issue_token
from domain.permissions import Permission
from graph.app import create_app
from graph.context import Services
from persistence.config import Config
from persistence.database import create_session_factory
from persistence.models import (
    Account,
    ClientSettingOverride,
    Hold,
    StaffRole,
    StaffUser,
    TokenKind,
)
from tests import records_factories as records
from tests import work_factories as work
from tests.factories import add, add_account, add_client, add_contact

SIGN_IN = """
mutation SignIn($email: String!, $password: String!) {
  signIn(input: {email: $email, password: $password}) {
    accessToken expiresAt userErrors { field code message }
  }
}
"""
VIEWER = "{ viewer { kind permissions account { name } staffUser { email role } } }"


@pytest.fixture
def mailer() -> MemoryMailer:
    return MemoryMailer()


@pytest.fixture
async def http(
    engine: AsyncEngine, mailer: MemoryMailer
) -> AsyncIterator[httpx.AsyncClient]:
    services = Services(dashboard_url="https://dash.example")
    app = create_app(Config.from_environment(), engine=engine, services=services)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture
async def account(session: AsyncSession) -> Account:
    account = await add_account(session, name="Summit Roll-Off")
    await create_staff_user(
        session, account.id, "office@summit.example", "Olive", "pw-office", "office"
    )
    await session.commit()
    return account


async def post(
    http: httpx.AsyncClient,
    path: str,
    query: str,
    token: str | None = None,
    **variables: object,
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await http.post(
        path, json={"query": query, "variables": variables}, headers=headers
    )


async def staff_token(
    http: httpx.AsyncClient,
    email: str = "office@summit.example",
    password: str = "pw-office",
) -> str:
    response = await post(http, "/graphql", SIGN_IN, email=email, password=password)
    token = response.json()["data"]["signIn"]["accessToken"]
    assert token
    return token


async def test_staff_sign_in_then_viewer(
    http: httpx.AsyncClient, account: Account
) -> None:
    token = await staff_token(http)

    response = await post(http, "/graphql", VIEWER, token)

    viewer = response.json()["data"]["viewer"]
    assert viewer["kind"] == "STAFF"
    assert viewer["account"]["name"] == "Summit Roll-Off"
    assert viewer["staffUser"] == {"email": "office@summit.example", "role": "office"}
    assert "billing:read" in viewer["permissions"]
    assert "staff:manage" not in viewer["permissions"]


async def test_wrong_password_is_a_user_error(
    http: httpx.AsyncClient, account: Account
) -> None:
    response = await post(
        http, "/graphql", SIGN_IN, email="office@summit.example", password="nope"
    )

    payload = response.json()["data"]["signIn"]
    assert payload["accessToken"] is None
    assert payload["userErrors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_signed_out_token_stops_working(
    http: httpx.AsyncClient, account: Account
) -> None:
    token = await staff_token(http)

    signed_out = await post(
        http, "/graphql", "mutation { signOut { isSignedOut } }", token
    )
    after = await post(http, "/graphql", VIEWER, token)

    assert signed_out.json()["data"]["signOut"]["isSignedOut"] is True
    assert after.status_code == 401
    assert after.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_anonymous_callers_get_unauthenticated(http: httpx.AsyncClient) -> None:
    response = await post(http, "/graphql", VIEWER)

    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("path", ["/dashboard/graphql", "/partner/graphql"])
async def test_a_staff_token_works_only_on_the_staff_route(
    http: httpx.AsyncClient, account: Account, path: str
) -> None:
    token = await staff_token(http)

    response = await post(http, path, "{ __typename }", token)

    assert response.status_code == 401


async def test_partner_key_reads_within_its_scopes(
    http: httpx.AsyncClient, session: AsyncSession, account: Account
) -> None:
    issued = await create_api_key(
        session,
        account.id,
        "Planner",
        frozenset({Permission.WORK_READ}),
        now=datetime.now(UTC),
    )
    await session.commit()

    viewer = await post(
        http, "/partner/graphql", "{ viewer { kind permissions } }", issued.key
    )
    clients = await post(
        http, "/partner/graphql", "{ clients(first: 5) { totalCount } }", issued.key
    )
    on_staff_route = await post(http, "/graphql", VIEWER, issued.key)

    assert viewer.json()["data"]["viewer"] == {
        "kind": "PARTNER",
        "permissions": ["work:read"],
    }
    assert clients.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert clients.json()["errors"][0]["path"] == ["clients"]
    assert on_staff_route.status_code == 401


async def deliver_outbox(engine: AsyncEngine, mailer: MemoryMailer) -> None:
    """What the outbox worker does between the request and the email."""
    transports = Transports(
        mailer=mailer, texter=MemoryTexter(), dashboard_url="https://dash.example"
    )
    await Worker(create_session_factory(engine), transports).run_until_idle()


async def test_dashboard_sign_in_link_flow(
    http: httpx.AsyncClient,
    engine: AsyncEngine,
    session: AsyncSession,
    account: Account,
    mailer: MemoryMailer,
) -> None:
    client = await add_client(session, account, display_name="Ridgeline Builders")
    await add_contact(session, client, email="site@ridgeline.example", is_primary=True)
    await session.commit()

    asked = await post(
        http,
        "/dashboard/graphql",
        "mutation($e: String!) "
        "{ requestSignInLink(input: {email: $e}) { isRequested } }",
        e="site@ridgeline.example",
    )
    await deliver_outbox(engine, mailer)
    token = re.search(r"#token=(\S+)", mailer.sent[0].text)
    assert token is not None
    signed_in = await post(
        http,
        "/dashboard/graphql",
        "mutation($t: String!) { signInWithLink(input: {token: $t}) "
        "{ accessToken userErrors { code } } }",
        t=token.group(1),
    )
    access_token = signed_in.json()["data"]["signInWithLink"]["accessToken"]
    me = await post(
        http,
        "/dashboard/graphql",
        "{ viewer { isStaffPreview client { displayName } contact { email } } }",
        access_token,
    )

    assert asked.json()["data"]["requestSignInLink"]["isRequested"] is True
    assert me.json()["data"]["viewer"] == {
        "isStaffPreview": False,
        "client": {"displayName": "Ridgeline Builders"},
        "contact": {"email": "site@ridgeline.example"},
    }


async def test_sign_in_link_request_answers_alike_for_unknown_addresses(
    http: httpx.AsyncClient, engine: AsyncEngine, mailer: MemoryMailer
) -> None:
    response = await post(
        http,
        "/dashboard/graphql",
        'mutation { requestSignInLink(input: {email: "who@nowhere.example"}) '
        "{ isRequested } }",
    )

    await deliver_outbox(engine, mailer)

    assert response.json() == {"data": {"requestSignInLink": {"isRequested": True}}}
    assert mailer.sent == []


async def test_a_client_on_hold_sees_why_and_how_to_pay_only(
    http: httpx.AsyncClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    contact = await add_contact(session, client, email="held@example.com")
    await add(
        session, Hold(account_id=account.id, client_id=client.id, reason="Unpaid")
    )
    issued = await issue_token(
        session,
        TokenKind.DASHBOARD,
        account.id,
        datetime.now(UTC),
        client_id=client.id,
        contact_id=contact.id,
    )
    await session.commit()

    response = await post(
        http,
        "/dashboard/graphql",
        "{ viewer { client { billing { onHold { reason } } "
        "paymentMethods(first: 5) { totalCount } "
        "estimates(first: 5) { totalCount } } } }",
        issued.token,
    )

    body = response.json()
    held_client = body["data"]["viewer"]["client"]
    assert held_client["billing"]["onHold"] == {"reason": "Unpaid"}
    assert held_client["paymentMethods"] == {"totalCount": 0}
    assert held_client["estimates"] is None
    assert body["errors"][0]["extensions"]["code"] == "ON_HOLD"
    assert body["errors"][0]["path"] == ["viewer", "client", "estimates"]


async def test_api_keys_grant_only_known_scopes_the_issuer_holds(
    http: httpx.AsyncClient, session: AsyncSession, account: Account
) -> None:
    role = await add(
        session,
        StaffRole(
            account_id=account.id,
            name="Integrations",
            permissions=["api_keys:manage", "clients:read"],
        ),
    )
    await add(
        session,
        StaffUser(
            account_id=account.id,
            role_id=role.id,
            email="keys@summit.example",
            name="Kay",
            password_hash=hash_password("pw-keys"),
        ),
    )
    await session.commit()
    token = await staff_token(http, "keys@summit.example", "pw-keys")

    response = await post(
        http,
        "/graphql",
        'mutation { createApiKey(input: {name: "", scopes: '
        '["clients:read", "staff:manage", "everything"]}) '
        "{ secret userErrors { field code } } }",
        token,
    )

    payload = response.json()["data"]["createApiKey"]
    assert payload["secret"] is None
    assert payload["userErrors"] == [
        {"field": ["input", "name"], "code": "NAME_INVALID"},
        {"field": ["input", "scopes", "1"], "code": "SCOPE_NOT_HELD"},
        {"field": ["input", "scopes", "2"], "code": "UNKNOWN_SCOPE"},
    ]


async def test_turning_dashboard_access_off_stops_signed_in_clients(
    http: httpx.AsyncClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    contact = await add_contact(session, client, email="on@example.com")
    issued = await issue_token(
        session,
        TokenKind.DASHBOARD,
        account.id,
        datetime.now(UTC),
        client_id=client.id,
        contact_id=contact.id,
    )
    await session.commit()
    query = "{ viewer { isStaffPreview } }"
    before = await post(http, "/dashboard/graphql", query, issued.token)

    session.add(
        ClientSettingOverride(
            account_id=account.id,
            client_id=client.id,
            key="dashboard_access",
            value=False,
        )
    )
    await session.commit()
    after = await post(http, "/dashboard/graphql", query, issued.token)

    assert before.status_code == 200
    assert after.status_code == 401


async def test_the_dashboard_never_lists_draft_documents(
    http: httpx.AsyncClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    contact = await add_contact(session, client, email="docs@example.com")
    await records.add_document(session, client, title="Draft terms")
    await records.add_document(
        session, client, title="Sent agreement", sent_at=datetime.now(UTC)
    )
    issued = await issue_token(
        session,
        TokenKind.DASHBOARD,
        account.id,
        datetime.now(UTC),
        client_id=client.id,
        contact_id=contact.id,
    )
    await session.commit()

    response = await post(
        http,
        "/dashboard/graphql",
        "{ viewer { client { documents(first: 10) { totalCount nodes { title } } } } }",
        issued.token,
    )

    documents = response.json()["data"]["viewer"]["client"]["documents"]
    assert documents == {"totalCount": 1, "nodes": [{"title": "Sent agreement"}]}


@pytest.mark.parametrize(
    ("account_shares", "client_override", "listed"),
    [(True, None, 1), (False, None, 0), (False, True, 1), (True, False, 0)],
)
async def test_estimates_reach_the_dashboard_only_while_sharing_is_on(
    http: httpx.AsyncClient,
    session: AsyncSession,
    account: Account,
    account_shares: bool,
    client_override: bool | None,
    listed: int,
) -> None:
    account.client_settings = {"estimate_sharing": account_shares}
    client = await add_client(session, account)
    contact = await add_contact(session, client, email="est@example.com")
    await work.add_estimate(session, client, sent_at=datetime.now(UTC))
    if client_override is not None:
        session.add(
            ClientSettingOverride(
                account_id=account.id,
                client_id=client.id,
                key="estimate_sharing",
                value=client_override,
            )
        )
    issued = await issue_token(
        session,
        TokenKind.DASHBOARD,
        account.id,
        datetime.now(UTC),
        client_id=client.id,
        contact_id=contact.id,
    )
    await session.commit()

    response = await post(
        http,
        "/dashboard/graphql",
        "{ viewer { client { estimates(first: 5) { totalCount } } } }",
        issued.token,
    )

    estimates = response.json()["data"]["viewer"]["client"]["estimates"]
    assert estimates == {"totalCount": listed}
