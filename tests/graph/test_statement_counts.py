"""SQL statements per request stay the same whatever the list and page sizes."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.requests import Request

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL
from graph.app import create_app
from graph.ids import encode_global_id
from persistence.config import Config
from persistence.enums import (
    AddressKind,
    Channel,
    NotificationEvent,
    TaskKind,
    TaskStatus,
)
from persistence.models import Account, Client
from tests import billing_factories as billing
from tests import records_factories as records
from tests import work_factories as work
from tests.factories import (
    add_address,
    add_client,
    add_contact,
    add_invoice,
    add_staff_user,
)
from tests.graph.conftest import GraphClient

QUERIES = Path(__file__).resolve().parents[2] / "bench" / "queries"
FULL_PROFILE = (QUERIES / "full_profile.graphql").read_text()
CLIENT_LIST = (QUERIES / "client_list.graphql").read_text()


async def fill_client(session: AsyncSession, client: Client, count: int) -> None:
    """``count`` records in every section of the profile."""
    account = await session.get_one(Account, client.account_id)
    staff = await add_staff_user(session, account)
    address = await add_address(session, client, is_default=True)
    for number in range(count):
        await add_contact(session, client, is_primary=number == 0)
        await add_address(session, client, kind=AddressKind.BILLING)
        invoice = await add_invoice(session, client)
        await billing.add_invoice_line(session, invoice)
        payment = await billing.add_payment(session, client)
        await billing.apply_payment(session, payment, invoice, 1_000)
        await billing.add_credit(session, client)
        await billing.add_refund(session, payment)
        await billing.add_charge(session, client)
        await billing.add_payment_request(session, invoice, sent_by_id=staff.id)
        await billing.add_payment_method(session, client, is_default=number == 0)
        estimate = await work.add_estimate(session, client)
        await work.add_estimate_line(session, estimate)
        await work.add_estimate_event(session, estimate, actor_staff_id=staff.id)
        await work.add_job(session, client)
        delivery = await work.add_completed_task(
            session, client, date(2026, 1, 5), service_address_id=address.id
        )
        pickup = await work.add_completed_task(
            session,
            client,
            date(2026, 1, 12),
            kind=TaskKind.PICKUP,
            related_task_id=delivery.id,
            service_address_id=address.id,
        )
        await work.add_weight_ticket(session, pickup)
        await work.add_task(
            session, client, address, status=TaskStatus.SCHEDULED, driver_id=staff.id
        )
        await work.add_service_request(session, client)
        await records.add_document(session, client, sent_by_id=staff.id)
        await records.add_message(session, client, sent_by_id=staff.id)
        await records.add_note(session, client, author_id=staff.id)
        await records.add_attachment(session, client, uploaded_by_id=staff.id)
        await records.add_special_price(session, client)
        await records.add_notification(session, client, triggered_by_id=staff.id)
    await records.add_notification_override(
        session, client, NotificationEvent.INVOICE_SENT, Channel.EMAIL
    )
    await billing.add_hold(session, client, placed_by_id=staff.id)
    await session.commit()


async def statements_for_profile(
    graph: GraphClient, session: AsyncSession, account: Account, count: int
) -> int:
    client = await add_client(session, account)
    await fill_client(session, client, count)

    data = await graph.data(
        FULL_PROFILE, id=encode_global_id("Client", client.public_id)
    )

    assert data["client"]["billing"]["invoices"]["totalCount"] == count
    assert data["client"]["past"]["totalCount"] == 2 * count
    return len(graph.statements)


async def test_full_profile_costs_the_same_for_1_or_100_records(
    graph: GraphClient, session: AsyncSession, account: Account, engine: AsyncEngine
) -> None:
    light = await statements_for_profile(graph, session, account, 1)
    heavy = await statements_for_profile(graph, session, account, 100)

    # Keys asked for while their loader waits its turn on the database join
    # its batch, so a heavier profile may take a statement fewer, never more:
    # 42 at most on SQLite; PostgreSQL adds the statement that scopes the session.
    assert max(light, heavy) <= 42 + (engine.dialect.name == "postgresql")


async def add_listed_client(session: AsyncSession, account: Account) -> None:
    """A client with what the list shows: people, places, a balance, a hold."""
    client = await add_client(session, account)
    await add_contact(session, client, is_primary=True)
    await add_contact(session, client)
    await add_address(session, client, is_default=True)
    await add_invoice(session, client)
    await billing.add_hold(session, client)
    await session.commit()


async def test_client_list_page_costs_the_same_for_1_or_100_clients(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    await add_listed_client(session, account)
    one = await graph.data(CLIENT_LIST, first=100)
    one_count = len(graph.statements)

    for _ in range(99):
        await add_listed_client(session, account)
    hundred = await graph.data(CLIENT_LIST, first=100)

    assert one["clients"]["totalCount"] == 1
    assert hundred["clients"]["totalCount"] == 100
    assert len(graph.statements) == one_count
    assert one_count <= 11


OVERVIEW = (
    (Path(__file__).resolve().parents[2] / "portal_host" / "operations")
    .joinpath("Overview.graphql")
    .read_text()
)
SEARCH = (QUERIES / "search.graphql").read_text()
PARTNER_PAGE = (QUERIES / "partner_page.graphql").read_text()


@asynccontextmanager
async def routed(
    engine: AsyncEngine, viewer: Viewer, route: str
) -> AsyncIterator[GraphClient]:
    """A client of one route, signed in as ``viewer``."""

    async def authenticate(request: Request) -> Viewer:
        return viewer

    app = create_app(Config.from_environment(), authenticate, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield GraphClient(http, engine, route)


async def fill_overview(session: AsyncSession, client: Client, count: int) -> None:
    """``count`` invoices, estimates and upcoming tasks: what the overview
    counts and lists (the next service of them)."""
    address = await add_address(session, client, is_default=True)
    for number in range(count):
        await add_invoice(session, client)
        await work.add_estimate(session, client)
        await work.add_task(
            session,
            client,
            address,
            scheduled_on=date.today() + timedelta(days=number + 1),
        )
    await session.commit()


async def statements_for_overview(
    engine: AsyncEngine, session: AsyncSession, account: Account, count: int
) -> int:
    client = await add_client(session, account)
    contact = await add_contact(session, client, is_primary=True)
    await fill_overview(session, client, count)
    viewer = Viewer(
        account_id=account.id,
        kind=ViewerKind.DASHBOARD,
        client_id=client.id,
        contact_id=contact.id,
    )

    async with routed(engine, viewer, "/dashboard/graphql") as dashboard:
        data = await dashboard.data(OVERVIEW)

    overview = data["viewer"]["client"]
    assert overview["billing"]["invoices"]["totalCount"] == count
    assert len(overview["tasks"]["nodes"]) == 1
    return len(dashboard.statements)


async def test_dashboard_overview_costs_the_same_for_1_or_20_records(
    engine: AsyncEngine, session: AsyncSession, account: Account
) -> None:
    light = await statements_for_overview(engine, session, account, 1)
    heavy = await statements_for_overview(engine, session, account, 20)

    assert light == heavy
    assert heavy <= 13


async def test_search_costs_the_same_for_1_or_30_hits(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    async def hits() -> tuple[int, int]:
        data = await graph.data(SEARCH, text="Quintero")
        return data["clients"]["totalCount"], len(graph.statements)

    await add_listed_client(session, account)
    client = await add_client(session, account)
    await add_contact(session, client, last_name="Quintero", is_primary=True)
    await session.commit()
    one, one_count = await hits()
    for _ in range(29):
        client = await add_client(session, account)
        await add_contact(session, client, last_name="Quintero", is_primary=True)
        await add_address(session, client)
    await session.commit()
    thirty, thirty_count = await hits()

    assert (one, thirty) == (1, 30)
    assert thirty_count == one_count
    assert one_count <= 7


async def test_partner_pages_cost_the_same_whatever_their_size_or_place(
    engine: AsyncEngine, session: AsyncSession, account: Account
) -> None:
    viewer = Viewer(
        account_id=account.id, kind=ViewerKind.PARTNER, permissions=ALL, api_key_id=1
    )
    await add_listed_client(session, account)

    async with routed(engine, viewer, "/partner/graphql") as partner:
        one = await partner.data(PARTNER_PAGE)
        one_count = len(partner.statements)
        for _ in range(149):
            await add_listed_client(session, account)
        first = await partner.data(PARTNER_PAGE)
        first_count = len(partner.statements)
        cursor = first["clients"]["pageInfo"]["endCursor"]
        second = await partner.data(PARTNER_PAGE, after=cursor)
        second_count = len(partner.statements)

    assert len(one["clients"]["nodes"]) == 1
    assert len(first["clients"]["nodes"]) == 100
    assert len(second["clients"]["nodes"]) == 50
    assert one_count == first_count == second_count
    assert one_count <= 7
