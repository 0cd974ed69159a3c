"""Generated documents against each audience's schema, as a caller of it.

Valid and invalid documents, built from the committed SDL by
hypothesis-graphql: no answer is a 5xx, none shows a traceback, every one
has ``data`` or ``errors``, and the server still answers afterwards. CI runs
a few examples per audience; set ``HAULGRAPH_FUZZ_EXAMPLES`` for more.
"""

import asyncio
import os
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

import httpx
import pytest
from graphql import (
    GraphQLScalarType,
    StringValueNode,
    build_schema,
    specified_scalar_types,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.requests import Request

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL
from graph.app import ROUTES, create_app
from graph.context import Services
from graph.fields import Audience
from graph.schema import SDL_FILES
from graph.throttle import MemoryBuckets
from persistence.config import Config
from persistence.models import Account, Client
from tests.factories import add_client
from tests.graph.conftest import Clock

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("HAULGRAPH_FUZZ_EXAMPLES", "30"))


def text_of(values: st.SearchStrategy[object]) -> st.SearchStrategy[StringValueNode]:
    return values.map(lambda value: StringValueNode(value=str(value)))


SCALARS = {
    "Date": text_of(st.dates()),
    "DateTime": text_of(st.datetimes(timezones=st.just(UTC))),
    "Decimal": text_of(st.decimals(allow_nan=False, allow_infinity=False, places=2)),
}


def scalars_of(sdl: str) -> dict[str, st.SearchStrategy[StringValueNode]]:
    """A strategy for every custom scalar of the schema: known ones well formed,
    the rest (files, JSON) as short text the server must refuse or accept."""
    names = [
        name
        for name, kind in build_schema(sdl).type_map.items()
        if isinstance(kind, GraphQLScalarType) and name not in specified_scalar_types
    ]
    return {name: SCALARS.get(name, text_of(st.text(max_size=20))) for name in names}


@pytest.fixture
async def fuzz_client(session: AsyncSession, account: Account) -> Client:
    client = await add_client(session, account)
    await session.commit()
    return client


def viewer_for(audience: Audience, account: Account, client: Client) -> Viewer:
    if audience is Audience.DASHBOARD:
        return Viewer(
            account_id=account.id, kind=ViewerKind.DASHBOARD, client_id=client.id
        )
    kind = ViewerKind.STAFF if audience is Audience.STAFF else ViewerKind.PARTNER
    return Viewer(account_id=account.id, kind=kind, permissions=ALL, api_key_id=1)


def fuzz(
    post: Callable[[str], httpx.Response],
    documents: st.SearchStrategy[str],
    tick: Callable[[], None],
) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(document=documents)
    def answers_sanely(document: str) -> None:
        tick()
        response = post(document)

        assert response.status_code < 500, response.text
        assert "Traceback" not in response.text
        body = response.json()
        assert "data" in body or "errors" in body

    answers_sanely()


@pytest.mark.slow
@pytest.mark.parametrize("audience", list(Audience))
async def test_generated_documents_get_sane_answers(
    audience: Audience, engine: AsyncEngine, account: Account, fuzz_client: Client
) -> None:
    viewer = viewer_for(audience, account, fuzz_client)

    async def authenticate(request: Request) -> Viewer:
        return viewer

    clock = Clock()
    app = create_app(
        Config.from_environment(),
        authenticate,
        engine=engine,
        services=Services(dashboard_url="https://dash.example"),
        buckets=MemoryBuckets(clock=clock),
    )
    sdl = (ROOT / SDL_FILES[audience]).read_text()
    scalars = scalars_of(sdl)
    documents = st.one_of(
        from_schema(sdl, custom_scalars=scalars),
        from_schema(sdl, custom_scalars=scalars, mode=Mode.NEGATIVE),
    )
    route = ROUTES[audience]
    loop = asyncio.get_running_loop()
    transport = httpx.ASGITransport(app=app)

    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:

        def post(document: str) -> httpx.Response:
            # Hypothesis drives from a thread; the requests run on this loop.
            request = http.post(route, json={"query": document})
            return asyncio.run_coroutine_threadsafe(request, loop).result()

        await asyncio.to_thread(fuzz, post, documents, lambda: clock.advance(60))
        afterwards = await http.post(route, json={"query": "{ __typename }"})

    assert afterwards.status_code == 200
    assert afterwards.json()["data"]["__typename"]
