"""Query cost: a price in points for an operation, known before it runs.

The rules, for every field a document selects:

- an object (or interface, or union) costs 1, a scalar or enum costs 0;
- a top-level mutation field costs 10;
- a field declared with ``cost=`` (``graph.fields.field``) costs that instead;
- a list inside a connection costs its items times the page asked for
  (``first`` or ``last``; the largest page when neither is readable), so
  ``clients(first: 50) { nodes { id } }`` costs 1 + 50 × 1 = 51.

The requested cost is an upper bound: fragments on different types all
count, and ``@skip``/``@include`` are ignored. The actual cost walks the
response with the same rules, counting the items that came back.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
)
from graphql.type import SchemaMetaFieldDef, TypeMetaFieldDef

from graph.fields import COST
from graph.pagination import MAX_PAGE_SIZE

OBJECT_COST = 1
SCALAR_COST = 0
MUTATION_COST = 10
PAGE_ARGUMENTS = ("first", "last")
DEFINITION = "strawberry-definition"


def declared_cost(definition: GraphQLField) -> int | None:
    """The cost a field's declaration names, if it names one."""
    strawberry_field = (definition.extensions or {}).get(DEFINITION)
    metadata = getattr(strawberry_field, "metadata", None) or {}
    cost = metadata.get(COST)
    return cost if isinstance(cost, int) else None


@dataclass(frozen=True, slots=True)
class Selected:
    """A field of a selection set, with the type it was selected on."""

    node: FieldNode
    parent_type: GraphQLNamedType

    @property
    def response_key(self) -> str:
        return self.node.alias.value if self.node.alias else self.node.name.value


class QueryCost:
    """Prices one operation of a validated document."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any] | None = None,
    ) -> None:
        self.schema = schema
        self.operation = operation
        self.variables = variables or {}
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        root_type = schema.get_root_type(operation.operation)
        if root_type is None:
            raise ValueError(f"The schema has no {operation.operation.value} type.")
        self.root_type: GraphQLNamedType = root_type

    def requested(self) -> int:
        """The most the operation can cost, from the document alone."""
        return self.selection_cost(self.operation.selection_set, self.root_type, None)

    def actual(self, data: Mapping[str, Any] | None) -> int:
        """What the operation cost, counting the items that came back."""
        if data is None:
            return 0
        return self.value_cost([self.operation.selection_set], self.root_type, data)

    def selection_cost(
        self,
        selection_set: SelectionSetNode,
        parent_type: GraphQLNamedType,
        page_size: int | None,
    ) -> int:
        return sum(
            self.field_cost(selected, page_size)
            for selected in self.fields_of([selection_set], parent_type)
        )

    def field_cost(self, selected: Selected, page_size: int | None) -> int:
        definition = self.definition_of(selected)
        if definition is None:
            return 0
        named = get_named_type(definition.type)
        children = 0
        if selected.node.selection_set is not None:
            children = self.selection_cost(
                selected.node.selection_set, named, self.page_size_of(selected)
            )
        cost = self.own_cost(selected, definition) + children
        if is_list_type(get_nullable_type(definition.type)) and page_size is not None:
            return cost * page_size
        return cost

    def value_cost(
        self,
        selection_sets: list[SelectionSetNode],
        parent_type: GraphQLNamedType,
        value: Mapping[str, Any],
    ) -> int:
        """The cost of one object of the response, field by field."""
        by_key: dict[str, list[Selected]] = {}
        for selected in self.fields_of(selection_sets, parent_type):
            if selected.response_key in value:
                by_key.setdefault(selected.response_key, []).append(selected)
        return sum(
            self.returned_cost(selections, value[key])
            for key, selections in by_key.items()
        )

    def returned_cost(self, selections: list[Selected], value: Any) -> int:
        definition = self.definition_of(selections[0])
        if definition is None or value is None:
            return 0
        if isinstance(value, list):
            return sum(self.returned_cost(selections, item) for item in value)
        own = self.own_cost(selections[0], definition)
        if not isinstance(value, Mapping):
            return own
        children = [
            selected.node.selection_set
            for selected in selections
            if selected.node.selection_set is not None
        ]
        return own + self.value_cost(children, get_named_type(definition.type), value)

    def own_cost(self, selected: Selected, definition: GraphQLField) -> int:
        declared = declared_cost(definition)
        if declared is not None:
            return declared
        if (
            self.operation.operation is OperationType.MUTATION
            and selected.parent_type is self.root_type
        ):
            return MUTATION_COST
        if is_composite_type(get_named_type(definition.type)):
            return OBJECT_COST
        return SCALAR_COST

    def definition_of(self, selected: Selected) -> GraphQLField | None:
        name = selected.node.name.value
        if name == "__schema":
            return SchemaMetaFieldDef
        if name == "__type":
            return TypeMetaFieldDef
        fields = getattr(selected.parent_type, "fields", None) or {}
        return fields.get(name)

    def page_size_of(self, selected: Selected) -> int | None:
        """The page a connection field asks for; None when it is no connection."""
        definition = self.definition_of(selected)
        if definition is None or not any(a in definition.args for a in PAGE_ARGUMENTS):
            return None
        sizes = [
            self.argument_value(argument.value)
            for argument in selected.node.arguments or ()
            if argument.name.value in PAGE_ARGUMENTS
        ]
        known = [size for size in sizes if size is not None]
        size = max(known) if known else MAX_PAGE_SIZE
        return min(max(size, 0), MAX_PAGE_SIZE)

    def argument_value(self, value: Any) -> int | None:
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            given = self.variables.get(value.name.value)
            return given if type(given) is int else None
        return None

    def fields_of(
        self, selection_sets: list[SelectionSetNode], parent_type: GraphQLNamedType
    ) -> Iterator[Selected]:
        """Every field selected, fragments flattened (each fragment once)."""
        pending = [(selection_set, parent_type) for selection_set in selection_sets]
        spread: set[str] = set()
        while pending:
            selection_set, on_type = pending.pop(0)
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    yield Selected(selection, on_type)
                elif isinstance(selection, InlineFragmentNode):
                    pending.append(
                        (
                            selection.selection_set,
                            self.condition_type(selection, on_type),
                        )
                    )
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.fragments.get(name)
                    if fragment is None or name in spread:
                        continue
                    spread.add(name)
                    pending.append(
                        (fragment.selection_set, self.condition_type(fragment, on_type))
                    )

    def condition_type(
        self,
        fragment: InlineFragmentNode | FragmentDefinitionNode,
        otherwise: GraphQLNamedType,
    ) -> GraphQLNamedType:
        if fragment.type_condition is None:
            return otherwise
        return self.schema.get_type(fragment.type_condition.name.value) or otherwise
