"""addNote, updateNote, removeNote."""

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.identity.viewer import Viewer
from domain.permissions import ALL, Permission
from graph.ids import encode_global_id
from persistence.models import Account, ActivityRecord, Attachment, Client, Note
from tests.factories import add_client
from tests.graph.conftest import GraphClient
from tests.graph.people_helpers import client_with_permissions
from tests.records_factories import add_attachment, add_note

ADD = """
mutation($input: AddNoteInput!) {
  addNote(input: $input) { note { body isPinned } userErrors { field code } }
}
"""
UPDATE = """
mutation($input: UpdateNoteInput!) {
  updateNote(input: $input) { note { body isPinned } userErrors { field code } }
}
"""
REMOVE = """
mutation($id: ID!) {
  removeNote(input: {noteId: $id}) { removedNoteId userErrors { field code } }
}
"""


def gid(row: Client | Note) -> str:
    return encode_global_id(type(row).__name__, row.public_id)


async def actions(session: AsyncSession) -> list[str]:
    await session.commit()
    rows = await session.scalars(
        select(ActivityRecord.action).order_by(ActivityRecord.id)
    )
    return list(rows)


@pytest.fixture
async def client(session: AsyncSession, account: Account) -> Client:
    client = await add_client(session, account)
    await session.commit()
    return client


async def test_a_note_is_written_pinned_and_edited(
    graph: GraphClient, session: AsyncSession, client: Client
) -> None:
    added = await graph.data(
        ADD, input={"clientId": gid(client), "body": " Gate code 4411 "}
    )
    note = await session.scalar(select(Note))
    assert note is not None
    pinned = await graph.data(UPDATE, input={"noteId": gid(note), "isPinned": True})
    edited = await graph.data(UPDATE, input={"noteId": gid(note), "body": "Gate 9"})

    assert added["addNote"] == {
        "note": {"body": "Gate code 4411", "isPinned": False},
        "userErrors": [],
    }
    assert pinned["updateNote"]["note"] == {"body": "Gate code 4411", "isPinned": True}
    assert edited["updateNote"]["note"] == {"body": "Gate 9", "isPinned": True}
    assert await actions(session) == ["note.added", "note.updated", "note.updated"]


@pytest.mark.parametrize(
    ("body", "code"), [("   ", "REQUIRED"), ("x" * 10_001, "TOO_LONG")]
)
async def test_an_empty_or_overlong_note_is_refused(
    graph: GraphClient, session: AsyncSession, client: Client, body: str, code: str
) -> None:
    note = await add_note(session, client, body="Kept")
    await session.commit()

    added = await graph.data(ADD, input={"clientId": gid(client), "body": body})
    edited = await graph.data(UPDATE, input={"noteId": gid(note), "body": body})

    for payload in (added["addNote"], edited["updateNote"]):
        assert payload == {
            "note": None,
            "userErrors": [{"field": ["input", "body"], "code": code}],
        }
    await session.refresh(note)
    assert note.body == "Kept"
    assert await actions(session) == []


async def test_a_removed_notes_files_stay_on_file(
    graph: GraphClient, session: AsyncSession, client: Client
) -> None:
    note = await add_note(session, client)
    await add_attachment(session, client, note_id=note.id)
    await session.commit()

    removed = await graph.data(REMOVE, id=gid(note))
    again = await graph.data(REMOVE, id=gid(note))

    assert removed["removeNote"] == {"removedNoteId": gid(note), "userErrors": []}
    assert again["removeNote"]["userErrors"] == [
        {"field": ["input", "noteId"], "code": "NOTE_NOT_FOUND"}
    ]
    await session.commit()
    kept = await session.scalars(select(Attachment.note_id))
    assert list(kept) == [None]
    assert await actions(session) == ["note.removed"]


async def test_a_merged_clients_notes_are_not_written(
    graph: GraphClient, session: AsyncSession, account: Account, client: Client
) -> None:
    survivor = await add_client(session, account)
    client.merged_into_id = survivor.id
    await session.commit()

    data = await graph.data(ADD, input={"clientId": gid(client), "body": "Hi"})
    unknown = await graph.data(ADD, input={"clientId": "eA", "body": "Hi"})

    assert data["addNote"]["userErrors"] == [
        {"field": ["input", "clientId"], "code": "CLIENT_MERGED"}
    ]
    assert unknown["addNote"]["userErrors"][0]["code"] == "CLIENT_NOT_FOUND"


@pytest.mark.parametrize(
    ("mutation", "variables"),
    [
        (ADD, lambda c, n: {"input": {"clientId": c, "body": "X"}}),
        (UPDATE, lambda c, n: {"input": {"noteId": n, "body": "X"}}),
        (REMOVE, lambda c, n: {"id": n}),
    ],
)
async def test_notes_need_notes_write(
    engine: AsyncEngine,
    session: AsyncSession,
    account: Account,
    client: Client,
    mutation: str,
    variables: object,
) -> None:
    note = await add_note(session, client)
    await session.commit()
    viewer = Viewer(account_id=account.id, permissions=ALL - {Permission.NOTES_WRITE})

    async with client_with_permissions(engine, viewer) as graph:
        body = await graph.execute(mutation, **variables(gid(client), gid(note)))  # type: ignore[operator]

    assert list(body["data"].values()) == [None]
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
