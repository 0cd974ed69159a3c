"""Recurring invoice mutations over GraphQL: create, update, pause, resume, end."""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL
from persistence.models import Account, ActivityRecord
from tests.factories import add_client
from tests.graph.conftest import GraphClient
from tests.graph.invoicing_client import gid, graph_as, snapshot
from tests.invoicing_helpers import NOW, TODAY

SCHEDULE = """
  recurringInvoice {
    id name interval intervalCount startsOn endsOn nextRunOn paymentTermsDays
    isActive endedAt totalPerRun { minorUnits } lines { description }
  }
  userErrors { field code message }
"""
CREATE = f"""
mutation($input: CreateRecurringInvoiceInput!) {{
  createRecurringInvoice(input: $input) {{ {SCHEDULE} }}
}}
"""
UPDATE = f"""
mutation($input: UpdateRecurringInvoiceInput!) {{
  updateRecurringInvoice(input: $input) {{ {SCHEDULE} }}
}}
"""
PAUSE, RESUME, END = (
    f"mutation($input: RecordInput!) {{ {name}(input: $input) {{ {SCHEDULE} }} }}"
    for name in (
        "pauseRecurringInvoice",
        "resumeRecurringInvoice",
        "endRecurringInvoice",
    )
)
LINE = {"description": "40 yd container, monthly rental", "unitPrice": 35_000}


@pytest.fixture
async def staff_graph(engine: AsyncEngine, account: Account) -> Any:
    viewer = Viewer(account_id=account.id, kind=ViewerKind.STAFF, permissions=ALL)
    async with graph_as(engine, viewer) as graph:
        yield graph


async def payload(graph: GraphClient, query: str, **values: Any) -> dict[str, Any]:
    data = await graph.data(query, input=values)
    return next(iter(data.values()))


def codes(result: dict[str, Any]) -> list[tuple[str, list[str] | None]]:
    return [(error["code"], error["field"]) for error in result["userErrors"]]


async def created(
    graph: GraphClient, session: AsyncSession, account: Account, **values: Any
) -> dict[str, Any]:
    client = await add_client(session, account)
    await session.commit()
    defaults = {
        "clientId": gid("Client", client),
        "name": "Container service",
        "interval": "MONTHLY",
        "startsOn": TODAY.isoformat(),
        "lines": [LINE, LINE | {"description": "Swaps", "quantity": "2"}],
    }
    return await payload(graph, CREATE, **(defaults | values))


async def test_create_recurring_invoice(
    staff_graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    account.client_settings = {"payment_terms_days": 10}

    result = await created(staff_graph, session, account, intervalCount=2)

    schedule = result["recurringInvoice"]
    assert result["userErrors"] == []
    assert schedule["nextRunOn"] == TODAY.isoformat()
    assert (schedule["interval"], schedule["intervalCount"]) == ("MONTHLY", 2)
    assert schedule["paymentTermsDays"] == 10
    assert schedule["totalPerRun"] == {"minorUnits": 105_000}
    assert (schedule["isActive"], schedule["endedAt"]) == (True, None)
    action = await session.scalar(select(ActivityRecord.action))
    assert action == "recurring_invoice.created"


async def test_create_recurring_invoice_refusals(
    staff_graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    before = await snapshot(session, account)

    wrong = await created(
        staff_graph,
        session,
        account,
        name=" ",
        lines=[],
        intervalCount=99,
        startsOn=(TODAY - timedelta(days=1)).isoformat(),
        endsOn=(TODAY - timedelta(days=5)).isoformat(),
        paymentTermsDays=-1,
    )
    bad_line = await created(
        staff_graph, session, account, lines=[LINE | {"quantity": "1/2"}]
    )
    nobody = await created(staff_graph, session, account, clientId="bm9wZQ")

    assert wrong["recurringInvoice"] is None
    assert codes(wrong) == [
        ("NAME_REQUIRED", ["input", "name"]),
        ("NOTHING_TO_INVOICE", ["input", "lines"]),
        ("INVALID_INTERVAL_COUNT", ["input", "intervalCount"]),
        ("INVALID_START_DATE", ["input", "startsOn"]),
        ("INVALID_END_DATE", ["input", "endsOn"]),
        ("INVALID_PAYMENT_TERMS", ["input", "paymentTermsDays"]),
    ]
    assert codes(bad_line) == [
        ("INVALID_QUANTITY", ["input", "lines", "0", "quantity"])
    ]
    assert codes(nobody) == [("CLIENT_NOT_FOUND", ["input", "clientId"])]
    after = await snapshot(session, account)
    assert (
        after["counts"]["recurring_invoices"] == before["counts"]["recurring_invoices"]
    )


async def test_update_recurring_invoice(
    staff_graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    schedule = (
        await created(
            staff_graph,
            session,
            account,
            endsOn=(TODAY + timedelta(days=365)).isoformat(),
        )
    )["recurringInvoice"]

    kept_end = await payload(staff_graph, UPDATE, id=schedule["id"], name="Renamed")
    cleared = await payload(
        staff_graph,
        UPDATE,
        id=schedule["id"],
        endsOn=None,
        lines=[LINE],
        paymentTermsDays=5,
    )
    before = await snapshot(session, account)
    refused = await payload(
        staff_graph, UPDATE, id=schedule["id"], paymentTermsDays=400
    )
    missing = await payload(staff_graph, UPDATE, id="bm9wZQ")

    assert kept_end["recurringInvoice"]["endsOn"] == schedule["endsOn"]
    assert kept_end["recurringInvoice"]["name"] == "Renamed"
    assert cleared["recurringInvoice"]["endsOn"] is None
    assert cleared["recurringInvoice"]["totalPerRun"] == {"minorUnits": 35_000}
    assert cleared["recurringInvoice"]["paymentTermsDays"] == 5
    assert codes(refused) == [("INVALID_PAYMENT_TERMS", ["input", "paymentTermsDays"])]
    assert codes(missing) == [("RECURRING_INVOICE_NOT_FOUND", ["input", "id"])]
    assert await snapshot(session, account) == before


async def test_pause_resume_and_end_recurring_invoice(
    staff_graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    schedule_id = (await created(staff_graph, session, account))["recurringInvoice"][
        "id"
    ]

    paused = await payload(staff_graph, PAUSE, id=schedule_id)
    paused_again = await payload(staff_graph, PAUSE, id=schedule_id)
    resumed = await payload(staff_graph, RESUME, id=schedule_id)
    resumed_again = await payload(staff_graph, RESUME, id=schedule_id)
    ended = await payload(staff_graph, END, id=schedule_id)
    before = await snapshot(session, account)
    ended_again = await payload(staff_graph, END, id=schedule_id)
    changed_after_end = await payload(staff_graph, UPDATE, id=schedule_id, name="x")

    assert paused["recurringInvoice"]["isActive"] is False
    assert codes(paused_again) == [("ALREADY_PAUSED", ["input", "id"])]
    assert resumed["recurringInvoice"]["isActive"] is True
    assert codes(resumed_again) == [("ALREADY_ACTIVE", ["input", "id"])]
    assert ended["recurringInvoice"]["endedAt"] == NOW.isoformat()
    assert codes(ended_again) == [("ALREADY_ENDED", ["input", "id"])]
    assert codes(changed_after_end) == [("ALREADY_ENDED", ["input", "id"])]
    assert await snapshot(session, account) == before
    actions = list(
        await session.scalars(select(ActivityRecord.action).order_by(ActivityRecord.id))
    )
    assert actions[-3:] == [
        "recurring_invoice.paused",
        "recurring_invoice.resumed",
        "recurring_invoice.ended",
    ]
