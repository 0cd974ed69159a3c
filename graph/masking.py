"""Unexpected errors reach callers as a reference, never as their details.

An error that carries an ``extensions.code`` (FORBIDDEN, NOT_FOUND,
BAD_USER_INPUT…) or that graphql-core raised for the document itself is an
answer for the caller and passes through. Anything else is a failure of the
server: it is logged once, with its traceback and a request id, and the
caller gets ``INTERNAL_SERVER_ERROR`` with that id to quote.
"""

import logging
import uuid

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

logger = logging.getLogger(__name__)

MESSAGE = "Something went wrong on our side. Quote request id {request_id} to support."


def is_unexpected(error: GraphQLError) -> bool:
    # graphql-core wraps its own refusals (a variable of the wrong type) in
    # another GraphQLError: those answer the caller's mistake.
    original = error.original_error
    return (
        original is not None
        and not isinstance(original, GraphQLError)
        and "code" not in (error.extensions or {})
    )


class MaskUnexpectedErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = uuid.uuid4().hex[:16]
        original = error.original_error
        logger.error(
            "Unexpected error at %s (request id %s)",
            ".".join(str(part) for part in error.path or ()),
            request_id,
            exc_info=(type(original), original, original.__traceback__)
            if original is not None
            else None,
        )
        return GraphQLError(
            MESSAGE.format(request_id=request_id),
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )


def masked(errors: list[GraphQLError]) -> list[GraphQLError]:
    """The errors as callers may see them, for errors that escaped the schema's
    own masking (raised around execution rather than inside it)."""
    masking = MaskUnexpectedErrors()
    return [
        masking.anonymise_error(error) if is_unexpected(error) else error
        for error in errors
    ]
