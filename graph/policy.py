"""What the edge allows one request, and the schema extensions that apply it.

The view decides the policy from the route and the viewer (``RequestPolicy``
travels in the context); the schema applies it: introspection is refused by
a validation rule added for this request only (the validation cache keys on
the rules, so allowed and refused introspection never share an entry), and
the operation's cost is charged before execution and settled after.
"""

import json
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from graphql import ExecutionResult, get_operation_ast
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

from graph.budget import Budget
from graph.cost import QueryCost
from graph.limits import DOCUMENT_LIMITS, DocumentLimits


@dataclass
class RequestPolicy:
    """Limits, introspection and cost for one request."""

    limits: DocumentLimits = DOCUMENT_LIMITS
    allows_introspection: bool = True
    budget: Budget | None = None
    reports_cost: bool = False


def policy_of(extension: SchemaExtension) -> RequestPolicy | None:
    policy = getattr(extension.execution_context.context, "policy", None)
    return policy if isinstance(policy, RequestPolicy) else None


class DocumentPolicy(SchemaExtension):
    """Applies the policy's token limit and validation rules to the document.

    Without a policy (an in-process call) the default limits apply.
    """

    def on_operation(self) -> Iterator[None]:
        policy = policy_of(self) or RequestPolicy()
        context = self.execution_context
        if policy.limits.max_tokens is not None:
            context.parse_options["max_tokens"] = policy.limits.max_tokens
        rules = policy.limits.validation_rules
        if not policy.allows_introspection:
            rules = (*rules, NoSchemaIntrospectionCustomRule)
        context.validation_rules = (*context.validation_rules, *rules)
        yield


# Documents and variables longer than these are priced on every request.
CACHED_QUERY_LENGTH = 20_000
CACHED_VARIABLES_LENGTH = 2_000
REQUESTED_COSTS: OrderedDict[tuple[Any, ...], int] = OrderedDict()
REQUESTED_COSTS_SIZE = 512


def cost_key(
    query: str | None, operation_name: str | None, variables: Any
) -> tuple[str, str | None, str] | None:
    if query is None or len(query) > CACHED_QUERY_LENGTH:
        return None
    try:
        given = json.dumps(variables or {}, sort_keys=True)
    except (TypeError, ValueError):
        return None
    if len(given) > CACHED_VARIABLES_LENGTH:
        return None
    return query, operation_name, given


def requested_cost(
    schema: Any,
    query: str,
    operation_name: str | None,
    variables: str,
    price: Callable[[], QueryCost],
) -> int:
    """The remembered requested cost of a document with its variables."""
    key = (schema, query, operation_name, variables)
    cost = REQUESTED_COSTS.get(key)
    if cost is None:
        cost = price().requested()
        REQUESTED_COSTS[key] = cost
        if len(REQUESTED_COSTS) > REQUESTED_COSTS_SIZE:
            REQUESTED_COSTS.popitem(last=False)
    return cost


class CostLimit(SchemaExtension):
    """Charges an operation's requested cost before it runs; settles after."""

    def __init__(self) -> None:
        self.query_cost: QueryCost | None = None

    async def on_execute(self) -> AsyncIterator[None]:
        policy = policy_of(self)
        budget = policy.budget if policy is not None else None
        if budget is None:
            yield
            return
        refusal = await budget.charge(self.requested())
        if refusal is not None:
            # A result set before execution is returned instead of executing.
            self.execution_context.result = ExecutionResult(None, [refusal])
            yield
            return
        yield
        if not budget.is_throttled and not (policy and policy.reports_cost):
            # Nothing reads the actual cost; walking the response is wasted.
            return
        result = self.execution_context.result
        self.query_cost = self.query_cost or self.price()
        await budget.settle(self.query_cost.actual(getattr(result, "data", None)))

    def requested(self) -> int:
        """The operation's requested cost; the same document and variables
        cost the same, so an app's repeated requests are priced once."""
        context = self.execution_context
        key = cost_key(context.query, context.operation_name, context.variables)
        if key is None:
            self.query_cost = self.price()
            return self.query_cost.requested()
        return requested_cost(context.schema._schema, *key, self.price)

    def price(self) -> QueryCost:
        context = self.execution_context
        document = context.graphql_document
        assert document is not None, "execution runs on a parsed document"
        operation = get_operation_ast(document, context.operation_name)
        assert operation is not None, "validation found the operation"
        return QueryCost(context.schema._schema, document, operation, context.variables)

    async def get_results(self) -> dict[str, Any]:
        policy = policy_of(self)
        if policy is None or policy.budget is None or not policy.reports_cost:
            return {}
        report = await policy.budget.final_report()
        return {"cost": report.as_json()} if report is not None else {}
