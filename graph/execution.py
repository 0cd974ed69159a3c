"""Execution that spends as little as it can on each field.

Most of a large answer is scalars read straight off an object: an invoice's
number, a task's date, an amount. graphql-core gives each one a resolve-info
object, a resolver call, two awaitable checks and a completion dispatch,
which costs more than reading the attribute does. A field Strawberry would
resolve by reading an attribute (no resolver, no extension, no arguments)
whose type is a scalar or an enum is answered here by reading the attribute
and coercing it, after the field's permission check if it has one.

Whatever does not go smoothly (a check that refuses, a null where the type
forbids one, a value the scalar rejects) goes the ordinary way instead, which
raises and locates the error exactly as it always has. An object's fields are
taken in one pass, in the order asked for: plain leaves answered here, the
others through graphql-core's ``execute_field``, the pending ones awaited
together as graphql-core would.

A field with a resolver (a reference, a computed amount, a connection) calls
its function directly, with the object, its arguments and, if it asks, an
``Info``, when it has no extension and only arguments Strawberry would pass
unchanged (numbers, strings, IDs, enums): Strawberry's general path converts
arguments and chains extensions that such a field does not have.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLFieldResolver,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    Undefined,
    get_nullable_type,
)
from graphql.execution.collect_fields import GroupedFieldSet
from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.arguments import StrawberryArgument
from strawberry.types.base import StrawberryOptional
from strawberry.types.enum import StrawberryEnumDefinition
from strawberry.types.field import StrawberryField

from domain.identity.viewer import Viewer

# Where an object type keeps its plain leaf fields, by field name.
PLAIN_LEAVES = "haulgraph-plain-leaves"


@dataclass(frozen=True, slots=True)
class PlainLeaf:
    """A scalar or enum field answered by reading ``attribute``."""

    attribute: str
    coerce: Callable[[Any], Any]
    is_nullable: bool
    check: Callable[[Viewer | None], None] | None

    def answer(self, source: Any, viewer: Viewer | None) -> Any:
        """The field's value, or ``Undefined`` to send it the ordinary way."""
        try:
            if self.check is not None:
                self.check(viewer)
            value = getattr(source, self.attribute)
            if value is None:
                return None if self.is_nullable else Undefined
            coerced = self.coerce(value)
        except Exception:
            return Undefined
        return Undefined if coerced is None else coerced


def plain_leaf(
    graphql_field: GraphQLField,
    field: StrawberryField,
    check: Callable[[Viewer | None], None] | None,
) -> PlainLeaf | None:
    """How to answer the field directly, if it is a plain leaf."""
    if not field.is_basic_field or graphql_field.args:
        return None
    is_nullable = not isinstance(graphql_field.type, GraphQLNonNull)
    leaf_type = get_nullable_type(graphql_field.type)
    if not isinstance(leaf_type, GraphQLScalarType | GraphQLEnumType):
        return None
    return PlainLeaf(
        field.python_name, leaf_type.coerce_output_value, is_nullable, check
    )


# Scalars Strawberry hands to resolvers exactly as graphql-core gives them
# (enums too); input objects, lists and other scalars it converts.
UNCONVERTED = (int, float, str, bool, strawberry.ID)


def is_unconverted(argument: StrawberryArgument) -> bool:
    argument_type = argument.type
    if isinstance(argument_type, StrawberryOptional):
        argument_type = argument_type.of_type
    return argument_type in UNCONVERTED or isinstance(
        argument_type, StrawberryEnumDefinition
    )


def direct_resolver(
    field: StrawberryField, config: StrawberryConfig
) -> GraphQLFieldResolver | None:
    """The field's function called as Strawberry would, when nothing has to
    run around it: no extension, and no argument that needs converting."""
    resolver = field.base_resolver
    function = resolver.wrapped_func if resolver is not None else None
    if resolver is None or not callable(function) or field.extensions:
        return None
    if not all(is_unconverted(argument) for argument in resolver.arguments):
        return None
    python_names = {
        config.name_converter.from_argument(argument): argument.python_name
        for argument in resolver.arguments
    }
    takes_self = resolver.self_parameter is not None
    source_names = [
        parameter.name
        for parameter in (resolver.root_parameter, resolver.parent_parameter)
        if parameter is not None
    ]
    info_name = resolver.info_parameter.name if resolver.info_parameter else None
    info_class = config.info_class

    def resolve(source: Any, info: GraphQLResolveInfo, **arguments: Any) -> Any:
        options = {python_names[name]: value for name, value in arguments.items()}
        for name in source_names:
            options[name] = source
        if info_name is not None:
            options[info_name] = info_class(_raw_info=info, _field=field)
        return function(source, **options) if takes_self else function(**options)

    return resolve


class PlainLeafExecution(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution, with plain leaf fields answered directly."""

    def __init__(self, *arguments: Any, **options: Any) -> None:
        super().__init__(*arguments, **options)
        # An extension that wraps every resolver must see every field.
        manager = self.middleware_manager
        self.answers_leaves = manager is None or not manager.middlewares

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        leaves: dict[str, PlainLeaf] = (
            parent_type.extensions.get(PLAIN_LEAVES) or {}
            if self.answers_leaves
            else {}
        )
        # Schemas executed without a request (tests, tools) have no viewer.
        viewer = getattr(self.context_value, "viewer", None)
        results: dict[str, Any] = {}
        pending: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                leaf = leaves.get(field_details_list[0].node.name.value)
                value = Undefined if leaf is None else leaf.answer(source_value, viewer)
                if value is Undefined:
                    value = self.execute_field(
                        parent_type,
                        source_value,
                        field_details_list,
                        Path(path, response_name, parent_type.name),
                        position_context,
                    )
                    if value is Undefined:
                        continue
                    if self.is_awaitable(value):
                        pending.append(response_name)
                results[response_name] = value
        except Exception:
            # What other fields started may fail too: let it end unobserved.
            if pending:
                self.settle_in_background([results[name] for name in pending])
            raise
        if not pending:
            return results
        return completed(results, pending)


async def completed(results: dict[str, Any], pending: list[str]) -> dict[str, Any]:
    """``results`` with each pending field replaced by its value."""
    if len(pending) == 1:
        results[pending[0]] = await results[pending[0]]
        return results
    values = await gather_with_cancel(*(results[name] for name in pending))
    results.update(zip(pending, values, strict=True))
    return results
