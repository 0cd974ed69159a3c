"""GraphQL over HTTP: what a request must look like before it is executed.

Following the GraphQL-over-HTTP draft: POST carries JSON only (so no form or
text/plain "simple request" can reach us across sites), GET carries queries
only, and every refusal is a GraphQL-shaped body with the status that says
why. A client that accepts ``application/graphql-response+json`` gets that
media type and 4xx statuses for documents that cannot run; others get the
legacy ``application/json`` and 200.
"""

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from graphql import OperationType, get_operation_ast, parse
from graphql.error import GraphQLSyntaxError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from graph.limits import (
    MAX_BODY_BYTES,
    MAX_LIST_ITEMS,
    MAX_TOKENS,
    MAX_VARIABLE_DEPTH,
    variables_shape,
)
from graph.trusted import TrustedDocuments

GRAPHQL_RESPONSE = "application/graphql-response+json"
LEGACY_JSON = "application/json"
MULTIPART = "multipart/form-data"
# Room for the operation, the map and the part headers beside the file.
MULTIPART_OVERHEAD_BYTES = 1_048_576
PREFLIGHT_HEADER = "graphql-require-preflight"


class RefusedRequest(Exception):
    """The HTTP request cannot carry a GraphQL operation; answer ``response``."""

    def __init__(
        self, status: int, message: str, code: str = "BAD_REQUEST", **headers: str
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.headers = headers


def error_response(
    status: int,
    message: str,
    media_type: str,
    headers: dict[str, str] | None = None,
    code: str = "BAD_REQUEST",
) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(
        body, status_code=status, media_type=media_type, headers=headers
    )


def accepts_graphql_response(request: Request) -> bool:
    return GRAPHQL_RESPONSE in request.headers.get("accept", "")


@dataclass(frozen=True, slots=True)
class RequestRules:
    """What a route accepts besides the GraphQL-over-HTTP basics."""

    max_body_bytes: int = MAX_BODY_BYTES
    # The route's registered documents, sent as ``documentId`` (or Apollo's
    # persisted-query extension); with ``is_trusted_only`` nothing else runs.
    documents: TrustedDocuments | None = None
    is_trusted_only: bool = False


@dataclass(frozen=True, slots=True)
class Checked:
    """A request that may go on to execution, and the operation it carries."""

    is_graphql_ide: bool = False
    is_multipart: bool = False
    query: str = ""
    variables: dict[str, Any] | None = None
    operation_name: str | None = None
    extensions: dict[str, Any] | None = field(default=None)


async def check_request(
    request: Request,
    rules: RequestRules,
    max_tokens: int | None = MAX_TOKENS,
    upload_limit: int | None = None,
) -> Checked:
    """Refuse what the spec refuses, before the schema sees anything.

    With ``upload_limit`` (the staff route), POST may also be a GraphQL
    multipart request carrying files up to that many bytes; its operation is
    read by the view, and limited by the schema's document rules.
    """
    if request.method == "GET":
        if (
            "text/html" in request.headers.get("accept", "")
            and not request.query_params
        ):
            return Checked(is_graphql_ide=True)
        return checked_operation(
            query_parameters(request), rules, max_tokens, is_get=True
        )
    if request.method != "POST":
        raise RefusedRequest(405, "Use GET for queries or POST.", allow="GET, POST")

    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type.lower() == MULTIPART and upload_limit is not None:
        check_upload_request(request, upload_limit)
        return Checked(is_multipart=True)
    if content_type.lower() != LEGACY_JSON:
        raise RefusedRequest(415, "Send the request as application/json.")
    body = await read_body(request, rules.max_body_bytes)
    return checked_operation(parse_json_body(body), rules, max_tokens, is_get=False)


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused as soon as it is known to exceed ``limit`` bytes."""
    too_large = RefusedRequest(413, f"Requests are limited to {limit} bytes.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def query_parameters(request: Request) -> dict[str, Any]:
    """A GET request's parameters, with its JSON ones decoded."""
    data: dict[str, Any] = dict(request.query_params)
    for name in ("variables", "extensions"):
        if name in data:
            try:
                data[name] = json.loads(data[name])
            except (ValueError, RecursionError):
                raise RefusedRequest(400, f"`{name}` is not valid JSON.") from None
    return data


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
    return data


def checked_operation(
    data: dict[str, Any], rules: RequestRules, max_tokens: int | None, *, is_get: bool
) -> Checked:
    for name in ("variables", "extensions"):
        if not isinstance(data.get(name) or {}, dict):
            raise RefusedRequest(400, f"`{name}` must be a JSON object.")
    operation_name = data.get("operationName") or None
    if not isinstance(operation_name, str | None):
        raise RefusedRequest(400, "`operationName` must be a string.")
    check_variables(data.get("variables") or {})
    query = registered_document(data, rules)
    check_document(
        query, is_get=is_get, operation_name=operation_name, max_tokens=max_tokens
    )
    return Checked(
        query=query,
        variables=data.get("variables") or None,
        operation_name=operation_name,
        extensions=data.get("extensions") or None,
    )


def check_variables(variables: dict[str, Any]) -> None:
    depth, longest = variables_shape(variables)
    if depth > MAX_VARIABLE_DEPTH:
        raise RefusedRequest(
            400,
            f"`variables` nest {depth} levels deep; the limit is {MAX_VARIABLE_DEPTH}.",
        )
    if longest > MAX_LIST_ITEMS:
        raise RefusedRequest(
            400,
            f"A list in `variables` holds {longest} items; the limit is "
            f"{MAX_LIST_ITEMS}. Send the rest in another request.",
            code="MAX_LIST_ITEMS_EXCEEDED",
        )


def requested_document_id(data: dict[str, Any]) -> Any:
    """``documentId``, or the hash of Apollo's persisted-query extension."""
    if "documentId" in data:
        return data["documentId"]
    persisted = (data.get("extensions") or {}).get("persistedQuery")
    return persisted.get("sha256Hash") if isinstance(persisted, dict) else None


def registered_document(data: dict[str, Any], rules: RequestRules) -> Any:
    """The document to run: the registered one a request names, or its query."""
    query = data.get("query")
    identifier = requested_document_id(data)
    if rules.documents is None or identifier is None:
        if rules.is_trusted_only:
            raise RefusedRequest(
                400,
                "This route runs only registered operations: send "
                '`documentId` ("sha256:<hex>") instead of `query`.',
                code="TRUSTED_DOCUMENT_REQUIRED",
            )
        return query
    if not isinstance(identifier, str):
        raise RefusedRequest(400, "`documentId` must be a string.")
    document = rules.documents.find(identifier)
    if document is None:
        raise RefusedRequest(
            400,
            f"No registered operation has the id {identifier!r}; build the app "
            "against the current operations manifest.",
            code="UNKNOWN_DOCUMENT",
        )
    if query is not None and query != document:
        raise RefusedRequest(400, "`query` differs from the document of its id.")
    return document


# Documents up to this length have their shape remembered: an app sends the
# same few documents over and over, and parsing a profile query costs
# milliseconds. Longer ones are parsed each time so the cache stays small.
CACHED_DOCUMENT_LENGTH = 20_000


@dataclass(frozen=True, slots=True)
class DocumentShape:
    """What checking a document found: its operation's type, or why it fails."""

    operation: OperationType | None = None
    refusal: str | None = None


def document_shape(
    query: str, operation_name: str | None, max_tokens: int | None
) -> DocumentShape:
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLSyntaxError as error:
        return DocumentShape(refusal=f"The query cannot be parsed: {error.message}")
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return DocumentShape(
            refusal="Name the operation to run with `operationName`; none matches."
        )
    return DocumentShape(operation=operation.operation)


cached_document_shape = lru_cache(maxsize=256)(document_shape)


def check_document(
    query: Any, *, is_get: bool, operation_name: str | None, max_tokens: int | None
) -> None:
    if not isinstance(query, str) or not query.strip():
        raise RefusedRequest(400, "`query` must be a non-empty string.")
    shape = (
        cached_document_shape(query, operation_name, max_tokens)
        if len(query) <= CACHED_DOCUMENT_LENGTH
        else document_shape(query, operation_name, max_tokens)
    )
    if shape.refusal is not None:
        raise RefusedRequest(400, shape.refusal)
    if is_get and shape.operation is not OperationType.QUERY:
        raise RefusedRequest(405, "Mutations are sent with POST.", allow="POST")


def graphql_response_status(body: dict[str, Any]) -> int:
    """Under the new media type, a document that could not run is a 4xx."""
    errors = body.get("errors") or []
    if body.get("data") is None and errors and all("path" not in e for e in errors):
        return 422
    return 200
