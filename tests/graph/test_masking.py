"""Failures of the server reach callers as a request id, never as details."""

import logging

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.models import Account
from persistence.queries import clients as client_queries
from tests.factories import add_client
from tests.graph.conftest import GraphClient


async def test_unexpected_errors_are_masked_and_logged_once(
    graph: GraphClient,
    session: AsyncSession,
    account: Account,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await add_client(session, account, display_name="Alder")
    await session.commit()

    async def broken(*arguments: object) -> None:
        raise RuntimeError("SELECT secret FROM internals at /srv/app.py")

    monkeypatch.setattr(client_queries, "tags_of_clients", broken)
    with caplog.at_level(logging.ERROR):
        body = await graph.execute(
            "{ clients(first: 1) { nodes { displayName tags } } }"
        )

    error = body["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["extensions"]["requestId"] in error["message"]
    assert "secret" not in str(body)
    assert "/srv" not in str(body)
    assert body["data"]["clients"]["nodes"][0]["displayName"] == "Alder"
    logged = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(logged) == 1
    assert error["extensions"]["requestId"] in logged[0].getMessage()


async def test_errors_callers_can_act_on_keep_their_code(graph: GraphClient) -> None:
    body = await graph.execute("{ clients { totalCount } }")

    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "first" in body["errors"][0]["message"]
