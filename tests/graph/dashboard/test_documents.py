"""markDocumentViewed and signDocument on the dashboard route."""

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.enums import DocumentKind
from persistence.models import Account, ActivityRecord, Client, Document
from tests.billing_factories import add_hold
from tests.factories import add_client
from tests.graph.dashboard.conftest import NOW, RouteClient, codes, gid
from tests.records_factories import add_document, add_signed_document, minutes_later
from tests.work_factories import add_estimate

VIEWED = """
mutation($id: ID!) {
  markDocumentViewed(input: {documentId: $id}) {
    document { status viewedAt body } userErrors { field code message }
  }
}
"""
SIGN = """
mutation($id: ID!, $name: String!) {
  signDocument(input: {documentId: $id, signerName: $name}) {
    document { status signedAt signerName } userErrors { field code message }
  }
}
"""


@pytest.fixture
async def document(session: AsyncSession, client: Client) -> Document:
    document = await add_document(session, client, sent_at=minutes_later(0))
    await session.commit()
    return document


async def test_opening_a_document_is_kept_once_and_its_text_is_readable(
    dashboard: RouteClient, session: AsyncSession, document: Document
) -> None:
    first = await dashboard.data(VIEWED, id=gid("Document", document))
    again = await dashboard.data(VIEWED, id=gid("Document", document))

    assert first["markDocumentViewed"]["document"] == {
        "status": "VIEWED",
        "viewedAt": NOW.isoformat(),
        "body": document.body,
    }
    assert again["markDocumentViewed"]["userErrors"] == []
    actions = list(await session.scalars(select(ActivityRecord.action)))
    assert actions == ["document.viewed"]


async def test_signing_keeps_the_name_time_and_address(
    dashboard: RouteClient, session: AsyncSession, document: Document
) -> None:
    data = await dashboard.data(SIGN, id=gid("Document", document), name="Ana Ortiz")
    again = await dashboard.data(SIGN, id=gid("Document", document), name="Ana")

    assert data["signDocument"] == {
        "document": {
            "status": "SIGNED",
            "signedAt": NOW.isoformat(),
            "signerName": "Ana Ortiz",
        },
        "userErrors": [],
    }
    assert codes(again["signDocument"]) == ["ALREADY_SIGNED"]
    await session.refresh(document)
    assert document.signer_ip == "127.0.0.1"
    assert document.signed_sha256 is not None


@pytest.mark.parametrize(
    ("name", "requires_signature", "code"),
    [
        (" ", True, "SIGNER_NAME_INVALID"),
        ("Ana", False, "NOT_ALLOWED_IN_STATUS"),
    ],
)
async def test_a_signature_refused_leaves_the_document_unsigned(
    dashboard: RouteClient,
    session: AsyncSession,
    client: Client,
    name: str,
    requires_signature: bool,
    code: str,
) -> None:
    document = await add_document(
        session,
        client,
        sent_at=minutes_later(0),
        requires_signature=requires_signature,
    )
    await session.commit()

    data = await dashboard.data(SIGN, id=gid("Document", document), name=name)

    assert codes(data["signDocument"]) == [code]
    await session.refresh(document)
    assert document.signed_at is None


async def test_an_estimates_acceptance_is_signed_only_by_accepting_it(
    dashboard: RouteClient, session: AsyncSession, client: Client
) -> None:
    estimate = await add_estimate(session, client)
    acceptance = await add_document(
        session,
        client,
        kind=DocumentKind.ESTIMATE_SIGNATURE,
        estimate_id=estimate.id,
        sent_at=minutes_later(0),
    )
    await session.commit()

    data = await dashboard.data(SIGN, id=gid("Document", acceptance), name="Ana")

    assert codes(data["signDocument"]) == ["ACCEPT_TO_SIGN"]
    await session.refresh(acceptance)
    assert acceptance.signed_at is None


@pytest.mark.parametrize("mutation", [VIEWED, SIGN])
async def test_other_clients_and_unsent_documents_are_not_found(
    dashboard: RouteClient,
    session: AsyncSession,
    account: Account,
    client: Client,
    mutation: str,
) -> None:
    other = await add_client(session, account)
    theirs = await add_document(session, other, sent_at=minutes_later(0))
    unsent = await add_document(session, client)
    await session.commit()

    for document in (theirs, unsent):
        data = await dashboard.data(mutation, id=gid("Document", document), name="A")

        [payload] = data.values()
        assert codes(payload) == ["NOT_FOUND"]


@pytest.mark.parametrize("mutation", [VIEWED, SIGN])
async def test_a_preview_or_a_held_client_changes_no_document(
    preview: RouteClient,
    dashboard: RouteClient,
    session: AsyncSession,
    client: Client,
    document: Document,
    mutation: str,
) -> None:
    from_preview = await preview.data(mutation, id=gid("Document", document), name="A")
    await add_hold(session, client)
    await session.commit()
    while_held = await dashboard.data(mutation, id=gid("Document", document), name="A")

    assert codes(next(iter(from_preview.values()))) == ["READ_ONLY"]
    assert codes(next(iter(while_held.values()))) == ["ON_HOLD"]
    await session.refresh(document)
    assert (document.viewed_at, document.signed_at) == (None, None)


async def test_a_signed_document_reads_as_signed(
    dashboard: RouteClient, session: AsyncSession, client: Client
) -> None:
    signed = await add_signed_document(session, client, sent_at=minutes_later(0))
    await session.commit()

    data = await dashboard.data(SIGN, id=gid("Document", signed), name="Ana")

    assert codes(data["signDocument"]) == ["ALREADY_SIGNED"]
