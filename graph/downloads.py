"""``GET /attachments/{id}``: a client's file, for staff of its account.

The same bearer token as the staff graph, and the permission that reads
attachments there (notes:read). Another account's file is a 404, exactly
like one that does not exist. The file is always a download (never shown
inline) under a cleaned name, with the content type detected at upload.
"""

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import Permission
from graph.context import Services
from graph.ids import InvalidGlobalId, decode_global_id
from graph.view import Authenticate, InvalidCredentials, unauthenticated_response
from persistence.models import Attachment
from persistence.tenancy import scope_to_account

logger = logging.getLogger(__name__)

Endpoint = Callable[[Request], Awaitable[Response]]
BuildAuthenticate = Callable[[Request], Authenticate]


def error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
    )


def not_found() -> JSONResponse:
    return error(404, "NOT_FOUND", "No file with that ID exists.")


async def find_attachment(
    request: Request, viewer: Viewer, global_id: str
) -> Attachment | None:
    try:
        type_name, public_id = decode_global_id(global_id)
    except InvalidGlobalId:
        return None
    if type_name != "Attachment":
        return None
    async with request.app.state.session_factory() as session:
        scope_to_account(session, viewer.account_id)
        attachment: Attachment | None = await session.scalar(
            select(Attachment).where(
                Attachment.public_id == public_id,
                Attachment.account_id == viewer.account_id,
            )
        )
        return attachment


def attachment_download(authenticate_for: BuildAuthenticate) -> Endpoint:
    """The endpoint; ``authenticate_for`` gives the staff authenticator."""

    async def download(request: Request) -> Response:
        try:
            viewer = await authenticate_for(request)(request)
        except InvalidCredentials:
            return unauthenticated_response()
        if viewer is None or viewer.kind is not ViewerKind.STAFF:
            return unauthenticated_response()
        if not viewer.can(Permission.NOTES_READ):
            return error(
                403, "FORBIDDEN", "You need the `notes:read` permission for files."
            )

        attachment = await find_attachment(
            request, viewer, request.path_params["attachment_id"]
        )
        if attachment is None:
            return not_found()
        services: Services = request.app.state.services
        path = services.files.path_of(attachment.storage_key)
        if not path.is_file():
            logger.warning("The stored bytes of an attachment are missing")
            return not_found()
        return FileResponse(
            path,
            media_type=attachment.content_type,
            filename=attachment.filename,
            content_disposition_type="attachment",
            headers={"Cache-Control": "private, no-store"},
        )

    return download
