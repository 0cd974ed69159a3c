"""What the edge allows one request, and the schema extensions that apply it.

The view decides the policy from the route and the viewer (``RequestPolicy``
travels in the context); the schema applies it: introspection is refused by
a validation rule added for this request only (the validation cache keys on
the rules, so allowed and refused introspection never share an entry), and
the operation's cost is charged before execution and settled after.
"""

from collections.abc import AsyncIterator, Iterator
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
        self.query_cost = self.price()
        refusal = await budget.charge(self.query_cost.requested())
        if refusal is not None:
            # A result set before execution is returned instead of executing.
            self.execution_context.result = ExecutionResult(None, [refusal])
            yield
            return
        yield
        result = self.execution_context.result
        await budget.settle(self.query_cost.actual(getattr(result, "data", None)))

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
