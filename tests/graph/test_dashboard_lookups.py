"""The dashboard's detail lookups: ``viewer { estimate(id:) invoice(id:)
document(id:) }`` answer the signed-in client's own records, as its lists
show them."""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.identity.viewer import Viewer, ViewerKind
from graph.ids import encode_global_id
from persistence.enums import InvoiceStatus
from persistence.models import Account, Client
from tests.factories import add_client, add_invoice
from tests.graph.test_work_section import execute_as
from tests.records_factories import add_document
from tests.work_factories import add_estimate

SENT = datetime(2026, 1, 10, 15, tzinfo=UTC)
# Far enough ahead that the estimate never reads as expired.
VALID_UNTIL = date(2100, 1, 1)
ESTIMATE = """query Estimate($id: ID!) {
  viewer { estimate(id: $id) { id number title status } }
}"""
INVOICE = """query Invoice($id: ID!) {
  viewer { invoice(id: $id) { id number status amountDue { amount } } }
}"""

DOCUMENT = """query Document($id: ID!) {
  viewer { document(id: $id) { title status body } }
}"""


async def as_client(
    engine: AsyncEngine, client: Client, query: str, **variables: Any
) -> dict[str, Any]:
    viewer = Viewer(
        account_id=client.account_id, kind=ViewerKind.DASHBOARD, client_id=client.id
    )
    return await execute_as(engine, viewer, "/dashboard/graphql", query, **variables)


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def test_a_client_opens_its_own_sent_estimate(
    engine: AsyncEngine, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    estimate = await add_estimate(
        session, client, sent_at=SENT, valid_until=VALID_UNTIL, title="Roof tear-off"
    )
    await session.commit()
    global_id = encode_global_id("Estimate", estimate.public_id)

    body = await as_client(engine, client, ESTIMATE, id=global_id)

    assert body["data"]["viewer"]["estimate"] == {
        "id": global_id,
        "number": estimate.number,
        "title": "Roof tear-off",
        "status": "NO_RESPONSE",
    }


async def test_a_draft_or_another_clients_estimate_is_not_found(
    engine: AsyncEngine, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    neighbour = await add_client(session, account)
    draft = await add_estimate(session, client, status="draft", sent_at=None)
    theirs = await add_estimate(session, neighbour, sent_at=SENT)
    await session.commit()

    for estimate in (draft, theirs):
        global_id = encode_global_id("Estimate", estimate.public_id)
        body = await as_client(engine, client, ESTIMATE, id=global_id)

        assert body["data"]["viewer"]["estimate"] is None
        assert error_codes(body) == ["NOT_FOUND"]


async def test_an_estimate_id_of_another_type_is_not_found(
    engine: AsyncEngine, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    invoice = await add_invoice(session, client)
    await session.commit()

    global_id = encode_global_id("Invoice", invoice.public_id)
    for query in (ESTIMATE, 'query { viewer { estimate(id: "not-an-id") { id } } }'):
        body = await as_client(engine, client, query, id=global_id)

        assert error_codes(body) == ["NOT_FOUND"]


async def test_a_client_opens_its_own_invoice_but_no_draft(
    engine: AsyncEngine, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    issued = await add_invoice(session, client)
    draft = await add_invoice(session, client, status=InvoiceStatus.DRAFT)
    await session.commit()

    found = await as_client(
        engine, client, INVOICE, id=encode_global_id("Invoice", issued.public_id)
    )
    hidden = await as_client(
        engine, client, INVOICE, id=encode_global_id("Invoice", draft.public_id)
    )

    assert found["data"]["viewer"]["invoice"]["number"] == issued.number
    assert found["data"]["viewer"]["invoice"]["amountDue"] == {"amount": "108.25"}
    assert hidden["data"]["viewer"]["invoice"] is None
    assert error_codes(hidden) == ["NOT_FOUND"]


async def test_another_clients_invoice_is_not_found(
    engine: AsyncEngine, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    neighbour = await add_client(session, account)
    theirs = await add_invoice(session, neighbour)
    await session.commit()

    body = await as_client(
        engine, client, INVOICE, id=encode_global_id("Invoice", theirs.public_id)
    )

    assert body["data"]["viewer"]["invoice"] is None
    assert error_codes(body) == ["NOT_FOUND"]


async def test_a_client_opens_a_document_sent_to_it_and_nothing_else(
    engine: AsyncEngine, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    neighbour = await add_client(session, account)
    sent = await add_document(session, client, title="Rental agreement", sent_at=SENT)
    draft = await add_document(session, client, sent_at=None)
    theirs = await add_document(session, neighbour, sent_at=SENT)
    await session.commit()

    def opened(document: Any) -> dict[str, Any]:
        return {"id": encode_global_id("Document", document.public_id)}

    found = await as_client(engine, client, DOCUMENT, **opened(sent))
    hidden = [
        await as_client(engine, client, DOCUMENT, **opened(document))
        for document in (draft, theirs)
    ]

    assert found["data"]["viewer"]["document"] == {
        "title": "Rental agreement",
        "status": "SENT",
        "body": sent.body,
    }
    for body in hidden:
        assert body["data"]["viewer"]["document"] is None
        assert error_codes(body) == ["NOT_FOUND"]


async def test_the_lookups_are_not_on_the_staff_schema() -> None:
    from graph.fields import Audience
    from graph.schema import SCHEMAS

    staff_viewer = SCHEMAS[Audience.STAFF].get_type_by_name("DashboardViewer")

    assert staff_viewer is None
