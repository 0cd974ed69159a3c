"""Files on record for a client: what may be uploaded, and keeping them.

A file is accepted by what its bytes are, never by the name or type the
browser claims: PDF, PNG, JPEG, WebP, HEIC (phone photos) and plain text,
up to the configured size. The stored content type is the detected one, so
a download can never be sniffed into something else.
"""

import asyncio
import hashlib
import re
import unicodedata
import uuid
from enum import StrEnum

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from domain.activity import record_activity
from domain.identity.viewer import Viewer
from domain.people import find_in_account
from domain.problems import refuse
from persistence.files import FileStore
from persistence.models import Attachment, Client, Note

DEFAULT_SIZE_LIMIT = 10 * 1024 * 1024
HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1"})
UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]')
TEXT_CONTROLS = frozenset(range(32)) - {9, 10, 12, 13}


class AttachmentProblem(StrEnum):
    CLIENT_NOT_FOUND = "client_not_found"
    NOTE_NOT_FOUND = "note_not_found"
    ATTACHMENT_NOT_FOUND = "attachment_not_found"
    CLIENT_MERGED = "client_merged"
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    TYPE_NOT_ALLOWED = "type_not_allowed"


def is_plain_text(content: bytes) -> bool:
    """UTF-8 without control characters other than tabs and line breaks."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(character) in TEXT_CONTROLS for character in text)


def detected_type(content: bytes) -> str | None:
    """The content type the bytes themselves show, or None when not allowed."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[4:8] == b"ftyp" and content[8:12] in HEIC_BRANDS:
        return "image/heic"
    if is_plain_text(content):
        return "text/plain"
    return None


def safe_filename(name: str | None) -> str:
    """The last part of the name, without controls, quotes or separators."""
    base = re.split(r"[/\\]", name or "")[-1]
    cleaned = UNSAFE_IN_NAMES.sub("_", unicodedata.normalize("NFC", base)).strip(" .")
    return cleaned[-255:] or "attachment"


async def find_target(
    session: AsyncSession,
    viewer: Viewer,
    client_id: uuid.UUID | None,
    note_id: uuid.UUID | None,
) -> tuple[Client, Note | None]:
    """The client the file goes to, and the note it is attached to if any."""
    client = await find_in_account(
        session,
        viewer,
        Client,
        client_id,
        AttachmentProblem.CLIENT_NOT_FOUND,
        "clientId",
    )
    if client.merged_into_id is not None:
        refuse(
            AttachmentProblem.CLIENT_MERGED,
            "clientId",
            "This client was merged into another; attach the file there.",
        )
    if note_id is None:
        return client, None
    note = await find_in_account(
        session, viewer, Note, note_id, AttachmentProblem.NOTE_NOT_FOUND, "noteId"
    )
    if note.client_id != client.id:
        refuse(
            AttachmentProblem.NOTE_NOT_FOUND, "noteId", "The note is not this client's."
        )
    return client, note


def checked_type(content: bytes, size_limit: int) -> str:
    if not content:
        refuse(AttachmentProblem.EMPTY, "file", "The file is empty.")
    if len(content) > size_limit:
        refuse(
            AttachmentProblem.TOO_LARGE,
            "file",
            f"Files are limited to {size_limit} bytes; this one is larger.",
        )
    content_type = detected_type(content)
    if content_type is None:
        refuse(
            AttachmentProblem.TYPE_NOT_ALLOWED,
            "file",
            "Upload a PDF, PNG, JPEG, WebP or HEIC image, or plain text.",
        )
    return content_type


PENDING_FILES = "haulgraph.pending_files"


def delete_if_rolled_back(session: AsyncSession, store: FileStore, key: str) -> None:
    """The bytes go when the transaction that records them rolls back, so a
    failed upload leaves no file behind; once it commits they stay."""
    sync_session = session.sync_session
    pending = sync_session.info.get(PENDING_FILES)
    if pending is None:
        pending = sync_session.info[PENDING_FILES] = []
        event.listen(sync_session, "after_rollback", delete_pending_files)
        event.listen(sync_session, "after_commit", keep_pending_files)
    pending.append((store, key))


def delete_pending_files(session: Session) -> None:
    pending = session.info[PENDING_FILES]
    for store, key in pending:
        store.delete(key)
    pending.clear()


def keep_pending_files(session: Session) -> None:
    session.info[PENDING_FILES].clear()


async def add_attachment(
    session: AsyncSession,
    viewer: Viewer,
    store: FileStore,
    client_id: uuid.UUID | None,
    filename: str | None,
    content: bytes,
    *,
    note_id: uuid.UUID | None = None,
    size_limit: int = DEFAULT_SIZE_LIMIT,
) -> Attachment:
    """Keep the file and its metadata. The bytes are written after every
    check, and deleted again if the transaction rolls back."""
    client, note = await find_target(session, viewer, client_id, note_id)
    content_type = checked_type(content, size_limit)

    attachment = Attachment(
        account_id=client.account_id,
        client_id=client.id,
        note_id=note.id if note is not None else None,
        filename=safe_filename(filename),
        content_type=content_type,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        storage_key=await asyncio.to_thread(store.save, content),
        uploaded_by_id=viewer.staff_user_id,
    )
    delete_if_rolled_back(session, store, attachment.storage_key)
    session.add(attachment)
    await record_activity(
        session,
        viewer,
        "attachment.added",
        client_id=client.id,
        subject=attachment,
        filename=attachment.filename,
    )
    return attachment


async def remove_attachment(
    session: AsyncSession, viewer: Viewer, attachment_id: uuid.UUID | None
) -> Attachment:
    """Delete the record; the caller deletes the bytes once this commits."""
    attachment = await find_in_account(
        session,
        viewer,
        Attachment,
        attachment_id,
        AttachmentProblem.ATTACHMENT_NOT_FOUND,
        "attachmentId",
    )
    await record_activity(
        session,
        viewer,
        "attachment.removed",
        client_id=attachment.client_id,
        subject=attachment,
        filename=attachment.filename,
    )
    await session.delete(attachment)
    await session.flush()
    return attachment
