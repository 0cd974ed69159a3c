"""One schema per audience, built from the same types by filtering fields.

A field exists in an audience's schema only if its declaration names that
audience (``graph.fields.field``); types reachable only through removed
fields disappear with them. So a field the dashboard may not use is not in
its SDL, its introspection or its validation.
"""

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from graph.fields import AUDIENCES, Audience
from graph.masking import MaskUnexpectedErrors

DOCUMENT_CACHE_SIZE = 1024


def is_visible_to(audience: Audience, field: StrawberryField) -> bool:
    audiences = field.metadata.get(AUDIENCES) if field.metadata else None
    return audiences is not None and audience in audiences


class AudienceSchema(strawberry.Schema):
    """A Strawberry schema that keeps only the fields its audience may see."""

    def __init__(self, audience: Audience, **options: Any) -> None:
        self.audience = audience
        # Parse and validate each distinct document once, not on every request.
        extensions = [
            lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
            lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
            MaskUnexpectedErrors,
            *options.pop("extensions", []),
        ]
        super().__init__(extensions=extensions, **options)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: Any = None
    ) -> None:
        """Logging is ``MaskUnexpectedErrors``' job: once, with a request id."""

    def get_fields(
        self, type_definition: StrawberryObjectDefinition
    ) -> list[StrawberryField]:
        # Inputs are shaped by the fields that take them; they filter nothing.
        if type_definition.is_input:
            return type_definition.fields
        return [
            field
            for field in type_definition.fields
            if is_visible_to(self.audience, field)
        ]
