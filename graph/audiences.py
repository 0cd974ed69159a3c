"""One schema per audience, built from the same types by filtering fields.

A field exists in an audience's schema only if its declaration names that
audience (``graph.fields.field``); types reachable only through removed
fields disappear with them. So a field the dashboard may not use is not in
its SDL, its introspection or its validation.
"""

from collections.abc import Mapping
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from domain.permissions import Permission
from graph.authorization import RequirePermission
from graph.fields import AUDIENCES, PERMISSION, Audience
from graph.masking import MaskUnexpectedErrors
from graph.policy import CostLimit, DocumentPolicy

DOCUMENT_CACHE_SIZE = 1024
SUGGESTION = " Did you mean"


def is_visible_to(audience: Audience, field: StrawberryField) -> bool:
    audiences = field.metadata.get(AUDIENCES) if field.metadata else None
    return audiences is not None and audience in audiences


class AudienceSchema(strawberry.Schema):
    """A Strawberry schema that keeps only the fields its audience may see."""

    def __init__(self, audience: Audience, **options: Any) -> None:
        self.audience = audience
        # Parse and validate each distinct document once, not on every request.
        # The request's limits and rules (``DocumentPolicy``) are part of the
        # caches' keys; they are classes built once, so the keys stay few.
        extensions = [
            DocumentPolicy,
            lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
            lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
            CostLimit,
            MaskUnexpectedErrors,
            *options.pop("extensions", []),
        ]
        super().__init__(extensions=extensions, **options)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: Any = None
    ) -> None:
        """Drop suggestions; logging is ``MaskUnexpectedErrors``' job (once,
        with a request id).

        A "Did you mean" names types, arguments and values of the schema, which
        would let a caller refused introspection map it by trial and error.
        """
        for error in errors:
            error.message = error.message.split(SUGGESTION)[0]

    def get_fields(
        self, type_definition: StrawberryObjectDefinition
    ) -> list[StrawberryField]:
        # Inputs are shaped by the fields that take them; they filter nothing.
        if type_definition.is_input:
            return type_definition.fields
        drop_repeated_checks(type_definition)
        return [
            field
            for field in type_definition.fields
            if is_visible_to(self.audience, field)
        ]


def declared_permission(field: StrawberryField) -> Permission | None:
    metadata: Mapping[str, Any] = field.metadata or {}
    permission = metadata.get(PERMISSION)
    return Permission(permission) if permission else None


def type_permission(type_definition: StrawberryObjectDefinition) -> Permission | None:
    """The permission a record type is read with: the one on its ``id``."""
    for field in type_definition.fields:
        if field.python_name == "id":
            return declared_permission(field)
    return None


def drop_repeated_checks(type_definition: StrawberryObjectDefinition) -> None:
    """Check a type's permission once per object, on ``id``, not on every field.

    A plain attribute that needs the same permission as its type's ``id`` is
    guarded already: every way to the object checks it (the relation that
    returns it, ``node`` and ``id`` itself). Fields that need another
    permission, and fields with resolvers, keep their own check.
    """
    permission = type_permission(type_definition)
    if permission is None:
        return
    for field in type_definition.fields:
        if field.python_name == "id" or field.base_resolver is not None:
            continue
        if declared_permission(field) == permission:
            field.extensions = [
                extension
                for extension in field.extensions
                if not isinstance(extension, RequirePermission)
            ]
