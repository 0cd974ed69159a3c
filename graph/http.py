"""GraphQL over HTTP: what a request must look like before it is executed.

Following the GraphQL-over-HTTP draft: POST carries JSON only (so no form or
text/plain "simple request" can reach us across sites), GET carries queries
only, and every refusal is a GraphQL-shaped body with the status that says
why. A client that accepts ``application/graphql-response+json`` gets that
media type and 4xx statuses for documents that cannot run; others get the
legacy ``application/json`` and 200.
"""

import json
from dataclasses import dataclass
from typing import Any

from graphql import OperationType, get_operation_ast, parse
from graphql.error import GraphQLSyntaxError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

GRAPHQL_RESPONSE = "application/graphql-response+json"
LEGACY_JSON = "application/json"
MAX_BODY_BYTES = 1_048_576
MULTIPART = "multipart/form-data"
# Room for the operation, the map and the part headers beside the file.
MULTIPART_OVERHEAD_BYTES = 1_048_576
PREFLIGHT_HEADER = "graphql-require-preflight"


class RefusedRequest(Exception):
    """The HTTP request cannot carry a GraphQL operation; answer ``response``."""

    def __init__(self, status: int, message: str, **headers: str) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers


def error_response(
    status: int, message: str, media_type: str, headers: dict[str, str] | None = None
) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}
    return JSONResponse(
        body, status_code=status, media_type=media_type, headers=headers
    )


def accepts_graphql_response(request: Request) -> bool:
    return GRAPHQL_RESPONSE in request.headers.get("accept", "")


@dataclass(frozen=True, slots=True)
class Checked:
    """A request that may go on to execution."""

    is_graphql_ide: bool = False


async def check_request(request: Request, upload_limit: int | None = None) -> Checked:
    """Refuse what the spec refuses, before the schema sees anything.

    With ``upload_limit`` (the staff route), POST may also be a GraphQL
    multipart request carrying files up to that many bytes.
    """
    if request.method == "GET":
        if (
            "text/html" in request.headers.get("accept", "")
            and not request.query_params
        ):
            return Checked(is_graphql_ide=True)
        check_document(
            request.query_params.get("query"),
            is_get=True,
            operation_name=request.query_params.get("operationName"),
        )
        return Checked()
    if request.method != "POST":
        raise RefusedRequest(405, "Use GET for queries or POST.", allow="GET, POST")

    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type.lower() == MULTIPART and upload_limit is not None:
        check_upload_request(request, upload_limit)
        return Checked()
    if content_type.lower() != LEGACY_JSON:
        raise RefusedRequest(415, "Send the request as application/json.")
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise RefusedRequest(413, f"Requests are limited to {MAX_BODY_BYTES} bytes.")
    data = parse_json_body(body)
    check_document(
        data.get("query"), is_get=False, operation_name=data.get("operationName")
    )
    return Checked()


def check_upload_request(request: Request, upload_limit: int) -> None:
    """A multipart request must prove it is no cross-site form post, and say
    its size up front so an oversized upload is refused before it is read.

    Browsers send a form's multipart body across sites without asking; they
    never add an ``Authorization`` or ``GraphQL-Require-Preflight`` header
    without a CORS preflight, so either header shows the request is meant.
    """
    headers = request.headers
    # Without either header it is the "simple request" JSON-only POST refuses.
    if "authorization" not in headers and PREFLIGHT_HEADER not in headers:
        raise RefusedRequest(
            415,
            "Send the request as application/json, or as multipart/form-data "
            "with an Authorization or a GraphQL-Require-Preflight header.",
        )
    length = headers.get("content-length", "")
    if not length.isdecimal():
        raise RefusedRequest(411, "Multipart requests need a Content-Length.")
    limit = upload_limit + MULTIPART_OVERHEAD_BYTES
    if int(length) > limit:
        raise RefusedRequest(413, f"Uploads are limited to {upload_limit} bytes.")


def parse_json_body(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise RefusedRequest(400, "The body is not valid UTF-8 JSON.") from None
    if isinstance(data, list):
        raise RefusedRequest(400, "Batched operations are not accepted; send one.")
    if not isinstance(data, dict):
        raise RefusedRequest(400, "The body must be a JSON object with a `query`.")
    if not isinstance(data.get("variables", {}) or {}, dict):
        raise RefusedRequest(400, "`variables` must be a JSON object.")
    if not isinstance(data.get("operationName") or "", str):
        raise RefusedRequest(400, "`operationName` must be a string.")
    return data


def check_document(query: Any, *, is_get: bool, operation_name: Any) -> None:
    if not isinstance(query, str) or not query.strip():
        raise RefusedRequest(400, "`query` must be a non-empty string.")
    try:
        document = parse(query)
    except GraphQLSyntaxError as error:
        raise RefusedRequest(
            400, f"The query cannot be parsed: {error.message}"
        ) from None
    operation = get_operation_ast(document, operation_name or None)
    if operation is None:
        raise RefusedRequest(
            400, "Name the operation to run with `operationName`; none matches."
        )
    if is_get and operation.operation is not OperationType.QUERY:
        raise RefusedRequest(405, "Mutations are sent with POST.", allow="POST")


def graphql_response_status(body: dict[str, Any]) -> int:
    """Under the new media type, a document that could not run is a 4xx."""
    errors = body.get("errors") or []
    if body.get("data") is None and errors and all("path" not in e for e in errors):
        return 422
    return 200
