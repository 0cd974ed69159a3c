"""Query cost: the requested cost of documents, declared costs and actual cost."""

from typing import Any

import pytest
import strawberry
from graphql import get_operation_ast, parse

from graph.audiences import AudienceSchema
from graph.cost import QueryCost
from graph.fields import EVERYONE, Audience, field
from graph.schema import SCHEMAS


def requested(
    query: str, audience: Audience = Audience.PARTNER, **variables: Any
) -> int:
    document = parse(query)
    operation = get_operation_ast(document)
    assert operation is not None
    schema = SCHEMAS[audience]._schema
    return QueryCost(schema, document, operation, variables).requested()


@pytest.mark.parametrize(
    ("query", "cost"),
    [
        # Scalars are free; the object holding them costs 1.
        ("{ viewer { kind } }", 1),
        ("{ __typename }", 0),
        # A connection: 1, plus its page of items times what each item costs.
        ("{ clients(first: 10) { totalCount } }", 1),
        ("{ clients(first: 10) { nodes { displayName } } }", 1 + 10 * 1),
        ("{ clients(last: 5) { edges { cursor node { id } } } }", 1 + 5 * (1 + 1)),
        ("{ clients(first: 10) { pageInfo { hasNextPage } } }", 1 + 1),
        # Objects nested in items count per item.
        (
            "{ clients(first: 20) { nodes { billing { balance { amount } } } } }",
            1 + 20 * (1 + 1 + 1),
        ),
        # Connections inside connections multiply.
        (
            "{ clients(first: 10) { nodes { contacts(first: 10) { nodes { id } } } } }",
            1 + 10 * (1 + 1 + 10 * 1),
        ),
        # Without a readable page size, the largest page is assumed.
        ("{ clients { nodes { id } } }", 1 + 100 * 1),
        ("{ clients(first: 1000) { nodes { id } } }", 1 + 100 * 1),
        # Fragments count like the fields they hold, aliases like fields.
        (
            "query { a: clients(first: 2) { ...F } b: clients(first: 3) { ...F } } "
            "fragment F on ClientConnection { nodes { id } }",
            (1 + 2) + (1 + 3),
        ),
        ('{ node(id: "x") { ... on Client { billing { balance { amount } } } } }', 3),
    ],
)
def test_requested_cost_of_queries(query: str, cost: int) -> None:
    assert requested(query) == cost


def test_page_size_is_read_from_variables() -> None:
    query = "query($n: Int) { clients(first: $n) { nodes { id } } }"

    assert requested(query, n=7) == 1 + 7
    assert requested(query) == 1 + 100


def test_mutations_cost_ten_plus_what_they_return() -> None:
    query = "mutation { signOut { isSignedOut } }"

    assert requested(query, Audience.STAFF) == 10


@strawberry.type(description="A row.")
class Row:
    name: str = field(description="Its name.", audiences=EVERYONE)


@strawberry.type(description="Costs declared beside fields.")
class DeclaredQuery:
    @field(description="An expensive report.", audiences=EVERYONE, public=True, cost=25)
    def report(self) -> Row:
        return Row(name="report")

    @field(description="A computed figure.", audiences=EVERYONE, public=True, cost=3)
    def figure(self) -> int:
        return 7

    @field(description="Some rows.", audiences=EVERYONE, public=True)
    def rows(self) -> list[Row]:
        return [Row(name="a"), Row(name="b")]


DECLARED = AudienceSchema(Audience.PARTNER, query=DeclaredQuery)


def test_declared_costs_replace_the_defaults_and_show_in_the_sdl() -> None:
    document = parse("{ report { name } figure }")
    operation = get_operation_ast(document)
    assert operation is not None

    cost = QueryCost(DECLARED._schema, document, operation).requested()

    assert cost == 25 + 3
    assert "report: Row! @cost(weight: 25)" in DECLARED.as_str()


async def test_actual_cost_counts_what_came_back() -> None:
    query = "{ rows { name } report { name } }"
    document = parse(query)
    operation = get_operation_ast(document)
    assert operation is not None
    pricing = QueryCost(DECLARED._schema, document, operation)

    result = await DECLARED.execute(query)

    assert pricing.requested() == 1 + 25
    assert pricing.actual(result.data) == 2 * 1 + 25
    assert pricing.actual(None) == 0
