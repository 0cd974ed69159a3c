"""Internal notes on file for a client: write, edit, pin, remove.

A removed note's attachments stay on the client's file (they are records of
their own); only the link to the note goes.
"""

import uuid
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.identity.viewer import Viewer
from domain.people import find_in_account
from domain.problems import Problem, refuse, refuse_all
from persistence.models import Client, Note

NOTE_LIMIT = 10_000


class NoteProblem(StrEnum):
    CLIENT_NOT_FOUND = "client_not_found"
    NOTE_NOT_FOUND = "note_not_found"
    CLIENT_MERGED = "client_merged"
    REQUIRED = "required"
    TOO_LONG = "too_long"


async def find_note_client(
    session: AsyncSession, viewer: Viewer, public_id: uuid.UUID | None
) -> Client:
    client = await find_in_account(
        session, viewer, Client, public_id, NoteProblem.CLIENT_NOT_FOUND, "clientId"
    )
    refuse_if_merged(client, "clientId")
    return client


def refuse_if_merged(client: Client, field: str) -> None:
    if client.merged_into_id is not None:
        refuse(
            NoteProblem.CLIENT_MERGED,
            field,
            "This client was merged into another; its notes are there now.",
        )


async def find_note(
    session: AsyncSession, viewer: Viewer, public_id: uuid.UUID | None
) -> Note:
    note = await find_in_account(
        session, viewer, Note, public_id, NoteProblem.NOTE_NOT_FOUND, "noteId"
    )
    refuse_if_merged(await session.get_one(Client, note.client_id), "noteId")
    return note


def checked_body(body: str) -> str:
    """The note's text, trimmed; refuses an empty or overlong one."""
    cleaned = body.strip()
    problems: list[Problem] = []
    if not cleaned:
        problems.append(Problem(NoteProblem.REQUIRED, "body", "Write the note."))
    elif len(cleaned) > NOTE_LIMIT:
        problems.append(
            Problem(
                NoteProblem.TOO_LONG,
                "body",
                f"Notes are limited to {NOTE_LIMIT} characters; split it.",
            )
        )
    refuse_all(problems)
    return cleaned


async def add_note(
    session: AsyncSession,
    viewer: Viewer,
    client_id: uuid.UUID | None,
    body: str,
    *,
    is_pinned: bool = False,
) -> Note:
    client = await find_note_client(session, viewer, client_id)
    note = Note(
        account_id=client.account_id,
        client_id=client.id,
        author_id=viewer.staff_user_id,
        body=checked_body(body),
        is_pinned=is_pinned,
    )
    session.add(note)
    await record_activity(
        session, viewer, "note.added", client_id=client.id, subject=note
    )
    return note


async def update_note(
    session: AsyncSession,
    viewer: Viewer,
    note_id: uuid.UUID | None,
    changes: Mapping[str, Any],
) -> Note:
    """Change ``body`` and/or ``is_pinned``."""
    note = await find_note(session, viewer, note_id)
    if "body" in changes:
        note.body = checked_body(changes["body"])
    if "is_pinned" in changes:
        note.is_pinned = bool(changes["is_pinned"])
    await record_activity(
        session,
        viewer,
        "note.updated",
        client_id=note.client_id,
        subject=note,
        fields=sorted(changes),
    )
    return note


async def remove_note(
    session: AsyncSession, viewer: Viewer, note_id: uuid.UUID | None
) -> Note:
    note = await find_note(session, viewer, note_id)
    await record_activity(
        session, viewer, "note.removed", client_id=note.client_id, subject=note
    )
    await session.delete(note)
    await session.flush()
    return note
