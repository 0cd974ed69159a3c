"""Staff mutations of a client's notes and files (``PeopleMutations`` lists
them). Files arrive as GraphQL multipart uploads on the staff route."""

import asyncio
import logging
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.file_uploads import Upload

from domain import attachments, notes
from domain.attachments import AttachmentProblem
from domain.notes import NoteProblem
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.mutations import MutationInput, UserError, perform, user_errors
from graph.resolvers.people_inputs import UNSET, named_id, provided, public_id_of
from graph.types.records import Attachment, Note

logger = logging.getLogger(__name__)

strawberry.enum(
    NoteProblem, name="NoteErrorCode", description="Why a change to a note was refused."
)
strawberry.enum(
    AttachmentProblem,
    name="AttachmentErrorCode",
    description="Why an upload or removal of a file was refused.",
)


@strawberry.type(description="A reason a change to a note was refused.")
class NoteError(UserError):
    code: NoteProblem = field(description="What went wrong.", audiences=STAFF_ONLY)


@strawberry.type(description="A reason a file was refused.")
class AttachmentError(UserError):
    code: AttachmentProblem = field(
        description="What went wrong.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The note after the change.")
class NotePayload:
    note: Note | None = field(
        description="The note; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[NoteError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="Which note was removed.")
class RemoveNotePayload:
    removed_note_id: strawberry.ID | None = field(
        description="The removed note's ID; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[NoteError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The uploaded file's record.")
class AttachmentPayload:
    attachment: Attachment | None = field(
        description="The file; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[AttachmentError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="Which file was removed.")
class RemoveAttachmentPayload:
    removed_attachment_id: strawberry.ID | None = field(
        description="The removed file's ID; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[AttachmentError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.input(description="A new note on file.")
class AddNoteInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    body: str = strawberry.field(
        description="The note's text, up to 10,000 characters."
    )
    is_pinned: bool = strawberry.field(
        default=False, description="Pinned notes are listed first."
    )


@strawberry.input(description="Changes to a note; fields left out stay.")
class UpdateNoteInput:
    note_id: strawberry.ID = strawberry.field(description="The note's ID.")
    body: str | None = strawberry.field(default=UNSET, description="The new text.")
    is_pinned: bool | None = strawberry.field(
        default=UNSET, description="Pin (true) or unpin (false)."
    )


@strawberry.input(description="Which note.")
class NoteIdInput:
    note_id: strawberry.ID = strawberry.field(description="The note's ID.")


@strawberry.input(description="A file for a client, sent as a multipart upload.")
class AddAttachmentInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    file: Upload = strawberry.field(
        description="The file: map it in the multipart request's `map` field."
    )
    note_id: strawberry.ID | None = strawberry.field(
        default=None, description="Attach it to this note of the same client."
    )


@strawberry.input(description="Which file.")
class AttachmentIdInput:
    attachment_id: strawberry.ID = strawberry.field(description="The file's ID.")


async def add_note(info: Info, input: MutationInput[AddNoteInput]) -> NotePayload:
    viewer = info.context.signed_in_viewer
    client_id = public_id_of(input.client_id, "Client")

    async def work(session: AsyncSession) -> Any:
        return await notes.add_note(
            session, viewer, client_id, input.body, is_pinned=input.is_pinned
        )

    return note_payload(await perform(info, work))


async def update_note(info: Info, input: MutationInput[UpdateNoteInput]) -> NotePayload:
    viewer = info.context.signed_in_viewer
    note_id = public_id_of(input.note_id, "Note")
    changes = provided(input, {"body": "body", "is_pinned": "is_pinned"})
    if changes.get("body", "") is None:
        changes["body"] = ""
    if changes.get("is_pinned", False) is None:
        changes.pop("is_pinned")

    async def work(session: AsyncSession) -> Any:
        return await notes.update_note(session, viewer, note_id, changes)

    return note_payload(await perform(info, work))


def note_payload(outcome: Any) -> NotePayload:
    if outcome.problems:
        return NotePayload(
            note=None, user_errors=user_errors(NoteError, outcome.problems)
        )
    return NotePayload(note=Note.from_row(outcome.result), user_errors=[])


async def remove_note(
    info: Info, input: MutationInput[NoteIdInput]
) -> RemoveNotePayload:
    viewer = info.context.signed_in_viewer
    note_id = public_id_of(input.note_id, "Note")

    async def work(session: AsyncSession) -> Any:
        return await notes.remove_note(session, viewer, note_id)

    outcome = await perform(info, work)
    if outcome.problems:
        return RemoveNotePayload(
            removed_note_id=None, user_errors=user_errors(NoteError, outcome.problems)
        )
    return RemoveNotePayload(removed_note_id=input.note_id, user_errors=[])


async def add_attachment(
    info: Info, input: MutationInput[AddAttachmentInput]
) -> AttachmentPayload:
    viewer = info.context.signed_in_viewer
    services = info.context.services
    client_id = public_id_of(input.client_id, "Client")
    note_id = named_id(input.note_id, "Note")
    # One byte past the limit is enough to know the file is too large.
    upload: Any = input.file
    content = await upload.read(services.max_upload_bytes + 1)

    async def work(session: AsyncSession) -> Any:
        return await attachments.add_attachment(
            session,
            viewer,
            services.files,
            client_id,
            getattr(upload, "filename", None),
            content,
            note_id=note_id,
            size_limit=services.max_upload_bytes,
        )

    outcome = await perform(info, work)
    if outcome.problems:
        return AttachmentPayload(
            attachment=None,
            user_errors=user_errors(AttachmentError, outcome.problems),
        )
    return AttachmentPayload(
        attachment=Attachment.from_row(outcome.result), user_errors=[]
    )


async def remove_attachment(
    info: Info, input: MutationInput[AttachmentIdInput]
) -> RemoveAttachmentPayload:
    viewer = info.context.signed_in_viewer
    attachment_id = public_id_of(input.attachment_id, "Attachment")

    async def work(session: AsyncSession) -> Any:
        return await attachments.remove_attachment(session, viewer, attachment_id)

    outcome = await perform(info, work)
    if outcome.problems:
        return RemoveAttachmentPayload(
            removed_attachment_id=None,
            user_errors=user_errors(AttachmentError, outcome.problems),
        )
    # The record is gone for good now; the bytes can follow it.
    removed: Any = outcome.result
    await asyncio.to_thread(info.context.services.files.delete, removed.storage_key)
    logger.info("Removed the stored bytes of an attachment")
    return RemoveAttachmentPayload(
        removed_attachment_id=input.attachment_id, user_errors=[]
    )
