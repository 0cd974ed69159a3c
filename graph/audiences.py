"""One schema per audience, built from the same types by filtering fields.

A field exists in an audience's schema only if its declaration names that
audience (``graph.fields.field``); types reachable only through removed
fields disappear with them. So a field the dashboard may not use is not in
its SDL, its introspection or its validation.
"""

from collections.abc import Callable, Mapping
from typing import Any

import strawberry
from graphql import (
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    default_field_resolver,
)
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from domain.identity.viewer import Viewer
from domain.permissions import Permission
from graph.authorization import guarded, permission_check, viewer_check
from graph.execution import (
    PLAIN_LEAVES,
    PlainLeafExecution,
    direct_resolver,
    plain_leaf,
)
from graph.fields import ACCESS, AUDIENCES, PERMISSION, Audience
from graph.masking import MaskUnexpectedErrors
from graph.policy import CostLimit, DocumentPolicy

DOCUMENT_CACHE_SIZE = 1024
# Where Strawberry keeps a GraphQL type's or field's own definition.
DEFINITION = "strawberry-definition"
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
        super().__init__(
            extensions=extensions, execution_context_class=PlainLeafExecution, **options
        )
        if self.exception_handlers:
            # ``graph.execution`` calls resolvers directly, past the handlers.
            raise ValueError("Audience schemas do not take exception handlers.")
        guard_fields(self._schema, self.config)

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


def field_check(
    type_definition: StrawberryObjectDefinition, field: StrawberryField
) -> Callable[[Viewer | None], None] | None:
    """What the field checks before it resolves, if anything.

    A type's permission is checked once per object, on ``id``, not on every
    field: a plain attribute that needs the same permission as its type's
    ``id`` is guarded already, since every way to the object checks it (the
    relation that returns it, ``node`` and ``id`` itself). Fields that need
    another permission, and fields with resolvers, keep their own check.
    """
    metadata: Mapping[str, Any] = field.metadata or {}
    if metadata.get(ACCESS) == "signed_in":
        return viewer_check
    permission = declared_permission(field)
    if permission is None:
        return None
    is_repeated = (
        field.python_name != "id"
        and field.base_resolver is None
        and type_permission(type_definition) == permission
    )
    return None if is_repeated else permission_check(permission)


def guard_fields(schema: GraphQLSchema, config: StrawberryConfig) -> None:
    """Put each field's check in front of its resolver, in this schema, and
    note which fields are plain leaves (``graph.execution``)."""
    for graphql_type in schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType):
            continue
        type_definition = (graphql_type.extensions or {}).get(DEFINITION)
        if not isinstance(type_definition, StrawberryObjectDefinition):
            continue
        leaves = {}
        for name, graphql_field in graphql_type.fields.items():
            field = (graphql_field.extensions or {}).get(DEFINITION)
            if not isinstance(field, StrawberryField):
                continue
            check = field_check(type_definition, field)
            if (leaf := plain_leaf(graphql_field, field, check)) is not None:
                leaves[name] = leaf
            if (direct := direct_resolver(field, config)) is not None:
                graphql_field.resolve = direct
            if check is not None:
                resolve = graphql_field.resolve or default_field_resolver
                graphql_field.resolve = guarded(resolve, check)
        graphql_type.extensions = {**graphql_type.extensions, PLAIN_LEAVES: leaves}
