"""The limits every request meets, and the validation rules that enforce them.

The rules are classes built once, here, so the validation cache keeps
working: its key is the document and the tuple of rule classes, and a class
made per request would never hit. Each limit refuses with a message naming
the limit and what to change.

| limit | value | why |
|---|---|---|
| depth | 15 fields | the deepest first-party query is 7; twice that, and one more |
| aliases | 30 | aliases multiply work without growing the cost of a field |
| tokens | 5,000 | the full staff profile is about 720; parsing is bounded |
| list items | 250 | in a document literal or in variables |
| variable nesting | 32 | no input of ours nests deeper than 4 |
| body | 1 MiB | per route; a route taking uploads may allow more |
| request time | 10 s | the caller gets an answer; the work is cancelled |
| statement time | 5 s | PostgreSQL cancels a runaway statement itself |
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

MAX_DEPTH = 15
MAX_ALIASES = 30
MAX_TOKENS = 5_000
MAX_LIST_ITEMS = 250
MAX_VARIABLE_DEPTH = 32
MAX_BODY_BYTES = 1_048_576
REQUEST_TIMEOUT_SECONDS = 10.0
STATEMENT_TIMEOUT_MS = 5_000


def limit_error(message: str, code: str, nodes: Any = None) -> GraphQLError:
    return GraphQLError(message, nodes, extensions={"code": code})


class MaxDepth(ValidationRule):
    """Refuse operations nested deeper than ``MAX_DEPTH`` fields.

    Introspection fields (``__schema``, ``__type``) do not count: GraphiQL's
    own introspection query is deep by nature and costs nothing to answer.
    """

    def enter_operation_definition(
        self, node: OperationDefinitionNode, *_: Any
    ) -> None:
        fragments = {
            definition.name.value: definition
            for definition in self.context.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        depth = selection_depth(node.selection_set, fragments, frozenset())
        if depth > MAX_DEPTH:
            self.report_error(
                limit_error(
                    f"The operation is {depth} fields deep; the limit is "
                    f"{MAX_DEPTH}. Split it into several queries.",
                    "MAX_DEPTH_EXCEEDED",
                    [node],
                )
            )


def selection_depth(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    spread: frozenset[str],
) -> int:
    if selection_set is None:
        return 0
    depths = [0]
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if not selection.name.value.startswith("__"):
                depths.append(
                    1 + selection_depth(selection.selection_set, fragments, spread)
                )
        elif isinstance(selection, InlineFragmentNode):
            depths.append(selection_depth(selection.selection_set, fragments, spread))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            # Unknown and cyclic spreads are other rules' errors to report.
            if fragment is not None and name not in spread:
                depths.append(
                    selection_depth(fragment.selection_set, fragments, spread | {name})
                )
    return max(depths)


class MaxAliases(ValidationRule):
    """Refuse documents with more than ``MAX_ALIASES`` aliased fields."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.count = 0

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.alias is None:
            return
        self.count += 1
        if self.count == MAX_ALIASES + 1:
            self.report_error(
                limit_error(
                    f"The document uses more than {MAX_ALIASES} aliases. "
                    "Ask for fewer fields under other names, or page a list.",
                    "MAX_ALIASES_EXCEEDED",
                    [node],
                )
            )


class MaxListItems(ValidationRule):
    """Refuse list literals of more than ``MAX_LIST_ITEMS`` values."""

    def enter_list_value(self, node: ListValueNode, *_: Any) -> None:
        if len(node.values) > MAX_LIST_ITEMS:
            self.report_error(
                limit_error(
                    f"A list holds {len(node.values)} values; the limit is "
                    f"{MAX_LIST_ITEMS}. Send the rest in another request.",
                    "MAX_LIST_ITEMS_EXCEEDED",
                    [node],
                )
            )


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """The limits a route puts on documents: tokens to parse, rules to pass.

    Tools that must select the whole graph at once (tests of authorization)
    run with ``NO_DOCUMENT_LIMITS``; callers never do.
    """

    max_tokens: int | None = MAX_TOKENS
    validation_rules: tuple[type[ValidationRule], ...] = (
        MaxDepth,
        MaxAliases,
        MaxListItems,
    )


DOCUMENT_LIMITS = DocumentLimits()
NO_DOCUMENT_LIMITS = DocumentLimits(max_tokens=None, validation_rules=())


def variables_shape(value: Any) -> tuple[int, int]:
    """How deep a JSON value nests and the most items any of its lists holds.

    Iterative, so a value nested thousands of levels deep is measured, not a
    recursion error.
    """
    deepest, longest = 0, 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        children: Iterable[Any]
        if isinstance(item, list):
            children = item
            longest = max(longest, len(item))
        elif isinstance(item, dict):
            children = item.values()
        else:
            continue
        deepest = max(deepest, depth + 1)
        pending.extend((child, depth + 1) for child in children)
    return deepest, longest
