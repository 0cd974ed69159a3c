"""The authorization matrix, generated from the schemas themselves.

For every field of every audience's schema and every kind of caller, the
answer is exactly what the declarations beside the fields say: the data, a
``FORBIDDEN`` error at that field, ``UNAUTHENTICATED``, or a 401 for bad
credentials. Queries select every field the schema has, so a new field is
in the matrix the moment it exists.
"""

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
    is_required_input_field,
)
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.identity.api_keys import create_api_key, revoke_api_key
from domain.identity.staff import ensure_builtin_roles
from domain.identity.tokens import issue_token, revoke_token
from domain.permissions import ALL, BUILTIN_ROLES
from graph.app import create_app, unlimited_edges
from graph.authorization import OPEN_DURING_HOLD
from graph.context import Services
from graph.fields import ACCESS, PERMISSION
from graph.ids import encode_global_id
from graph.schema import SCHEMAS, Audience
from graph.types.client import Client as ClientType
from persistence.config import Config
from persistence.models import AccessToken, Hold, StaffUser, TokenKind
from tests.factories import add_account, add_client, add_contact
from tests.graph.test_statement_counts import fill_client

NOW = datetime.now(UTC)
PAGE = 100


@dataclass(frozen=True)
class FieldPath:
    """A field in the generated query: where it answers, and what it needs."""

    path: tuple[str, ...]
    coordinate: str
    permission: str | None
    parent: tuple[str, ...]


@dataclass
class Document:
    text: str
    fields: list[FieldPath] = field(default_factory=list)


def declared_permission(schema: Any, type_name: str, field_name: str) -> str | None:
    """The permission declared beside a field, read from the Strawberry schema."""
    definition = schema.get_type_by_name(type_name)
    for strawberry_field in getattr(definition, "fields", []):
        if strawberry_field.graphql_name == field_name or (
            schema.config.name_converter.get_graphql_name(strawberry_field)
            == field_name
        ):
            permission = (strawberry_field.metadata or {}).get(PERMISSION)
            return str(permission) if permission else None
    return None


def select_all(
    schema: Any,
    graphql_schema: GraphQLSchema,
    named: GraphQLNamedType,
    document: Document,
    path: tuple[str, ...],
    seen: tuple[str, ...],
) -> str:
    """Select every field below ``named``, recording each with its permission."""
    if isinstance(named, GraphQLUnionType):
        parts = [
            f"... on {member.name} "
            + select_all(schema, graphql_schema, member, document, path, seen)
            for member in named.types
        ]
        return "{ __typename " + " ".join(parts) + " }"
    assert isinstance(named, GraphQLObjectType)
    parts = []
    for name, graphql_field in named.fields.items():
        target = get_named_type(graphql_field.type)
        arguments = page_arguments(graphql_field)
        if arguments is None:
            continue
        alias = f"{named.name}_{name}"
        document.fields.append(
            FieldPath(
                path=(*path, alias),
                coordinate=f"{named.name}.{name}",
                permission=declared_permission(schema, named.name, name),
                parent=path,
            )
        )
        if is_leaf_type(target):
            parts.append(f"{alias}: {name}{arguments}")
        elif target.name not in seen:
            below = select_all(
                schema,
                graphql_schema,
                target,
                document,
                (*path, alias),
                (*seen, target.name),
            )
            parts.append(f"{alias}: {name}{arguments} {below}")
        else:
            # A type met again (a client's mergedInto): its fields are
            # already in the document; the field itself still is checked.
            parts.append(f"{alias}: {name}{arguments} {{ __typename }}")
    return "{ __typename " + " ".join(parts) + " }"


def page_arguments(graphql_field: GraphQLField) -> str | None:
    """Arguments that make the field selectable: a page size, the first value
    of each required enum; None when a required argument is anything else."""
    if "first" in graphql_field.args:
        return f"(first: {PAGE})"
    required = {
        name: get_named_type(arg.type)
        for name, arg in graphql_field.args.items()
        if is_non_null_type(arg.type)
    }
    if not required:
        return ""
    if not all(isinstance(kind, GraphQLEnumType) for kind in required.values()):
        return None
    chosen = [f"{name}: {next(iter(kind.values))}" for name, kind in required.items()]  # type: ignore[attr-defined]
    return "(" + ", ".join(chosen) + ")"


def everything_below(audience: Audience, root_field: str, type_name: str) -> Document:
    """Everything below a root field of the audience's Query, the root included."""
    schema = SCHEMAS[audience]
    graphql_schema = schema._schema
    root_type = graphql_schema.query_type.name
    document = Document(text="")
    document.fields.append(
        FieldPath(
            path=(root_field,),
            coordinate=f"{root_type}.{root_field}",
            permission=declared_permission(schema, root_type, root_field),
            parent=(),
        )
    )
    selection = select_all(
        schema,
        graphql_schema,
        graphql_schema.type_map[type_name],
        document,
        (root_field,),
        (type_name,),
    )
    document.text = selection
    return document


def stripped(path: list[Any]) -> tuple[str, ...]:
    return tuple(part for part in path if isinstance(part, str))


def instances(data: Any, path: tuple[str, ...]) -> Iterator[Any]:
    """Every object the response holds at ``path`` (through lists)."""
    if isinstance(data, list):
        for item in data:
            yield from instances(item, path)
        return
    if not path:
        yield data
        return
    if isinstance(data, dict) and data.get(path[0]) is not None:
        yield from instances(data[path[0]], path[1:])


@dataclass
class Outcome:
    checked: int = 0
    reached: set[str] = field(default_factory=set)


def check_permissions(
    document: Document,
    body: dict[str, Any],
    granted: frozenset[str],
    outcome: Outcome,
    denial: str = "FORBIDDEN",
) -> None:
    """Errors are exactly the FORBIDDEN of the first denied field on each path.

    A dashboard caller is granted everything its schema has, or, on hold, only
    what lets it pay; its denials are ``ON_HOLD``.
    """
    errors = {stripped(error["path"]): error for error in body.get("errors", [])}
    denied_paths: set[tuple[str, ...]] = set()
    for entry in document.fields:
        if any(entry.path[: len(denied)] == denied for denied in denied_paths):
            continue
        parents = list(instances(body.get("data"), entry.parent))
        parents = [parent for parent in parents if isinstance(parent, dict)]
        is_denied = entry.permission is not None and entry.permission not in granted
        if is_denied:
            denied_paths.add(entry.path)
        if not parents:
            continue
        outcome.checked += 1
        outcome.reached.add(entry.coordinate)
        error = errors.pop(entry.path, None)
        if is_denied:
            assert error is not None, f"{entry.coordinate} should be FORBIDDEN"
            assert error["extensions"]["code"] == denial, error
        else:
            assert error is None, f"{entry.coordinate} should answer: {error}"
    assert errors == {}, f"unexpected errors: {list(errors.values())[:3]}"


@dataclass
class World:
    http: httpx.AsyncClient
    tokens: dict[str, str]
    client_ids: dict[str, str]


@pytest.fixture
async def world(
    engine: AsyncEngine, session: AsyncSession, request: pytest.FixtureRequest
) -> AsyncIterator[World]:
    """Two accounts, three clients, and a token of every kind of caller.

    Tests marked ``with_records`` get a record in every section of each client.
    """
    account, other = await add_account(session), await add_account(session)
    clients = {
        "A1": await add_client(session, account, display_name="A1"),
        "A2": await add_client(session, account, display_name="A2"),
        "B1": await add_client(session, other, display_name="B1"),
    }
    if request.node.get_closest_marker("with_records"):
        for client in clients.values():
            await fill_client(session, client, 1)
        # Only A2 stays on hold.
        await session.execute(
            update(Hold)
            .where(Hold.client_id != clients["A2"].id)
            .values(released_at=NOW)
        )
    tokens = {}
    roles = await ensure_builtin_roles(session, account.id)
    for role in BUILTIN_ROLES:
        # No password: these users get tokens directly, without Argon2's cost.
        user = StaffUser(
            account_id=account.id,
            role_id=roles[role].id,
            email=f"{role}@a.example",
            name=role,
        )
        session.add(user)
        await session.flush()
        issued = await issue_token(
            session, TokenKind.STAFF, account.id, NOW, staff_user_id=user.id
        )
        tokens[f"staff:{role}"] = issued.token
    for name, scopes in {"all": ALL, "none": frozenset()}.items():
        issued_key = await create_api_key(session, account.id, name, scopes, NOW)
        tokens[f"partner:{name}"] = issued_key.key
    revoked_key = await create_api_key(session, account.id, "gone", ALL, NOW)
    await revoke_api_key(session, account.id, revoked_key.row.id, NOW)
    tokens["partner:revoked"] = revoked_key.key
    for name, client in clients.items():
        contact = await add_contact(session, client, email=f"{name}@c.example")
        issued = await issue_token(
            session,
            TokenKind.DASHBOARD,
            client.account_id,
            NOW,
            client_id=client.id,
            contact_id=contact.id,
        )
        tokens[f"dashboard:{name}"] = issued.token
    expired = await issue_token(
        session,
        TokenKind.STAFF,
        account.id,
        NOW - timedelta(days=2),
        staff_user_id=user.id,
    )
    tokens["staff:expired"] = expired.token
    revoked = await issue_token(
        session, TokenKind.DASHBOARD, account.id, NOW, client_id=clients["A1"].id
    )
    revoked_id = await session.scalar(select(func.max(AccessToken.id)))
    await revoke_token(session, revoked_id, NOW)
    tokens["dashboard:revoked"] = revoked.token
    await session.commit()

    services = Services(dashboard_url="https://dash.example")
    app = create_app(
        Config.from_environment(),
        engine=engine,
        services=services,
        edges=unlimited_edges(),
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield World(
            http=http,
            tokens=tokens,
            client_ids={
                name: encode_global_id("Client", client.public_id)
                for name, client in clients.items()
            },
        )


async def ask(
    world: World, route: str, query: str, token: str | None, **variables: Any
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await world.http.post(
        route, json={"query": query, "variables": variables}, headers=headers
    )


STAFF_CALLERS = [f"staff:{role}" for role in BUILTIN_ROLES]


@pytest.mark.with_records
async def test_staff_and_partner_fields_answer_by_declared_permission(
    world: World,
) -> None:
    outcome = Outcome()
    routes = {Audience.STAFF: "/graphql", Audience.PARTNER: "/partner/graphql"}
    callers = {
        Audience.STAFF: {
            name: BUILTIN_ROLES[name.split(":")[1]] for name in STAFF_CALLERS
        },
        Audience.PARTNER: {"partner:all": ALL, "partner:none": frozenset()},
    }
    for audience, route in routes.items():
        document = everything_below(audience, "client", "Client")
        query = f"query($id: ID!) {{ client(id: $id) {document.text} }}"
        for caller, granted in callers[audience].items():
            response = await ask(
                world, route, query, world.tokens[caller], id=world.client_ids["A1"]
            )
            body = response.json()
            try:
                check_permissions(document, body, frozenset(granted), outcome)
            except AssertionError as error:
                raise AssertionError(f"{caller}: {error}") from None

    every_client_field = {
        f"{type_name}.{name}"
        for type_name in ("Client",)
        for name in SCHEMAS[Audience.STAFF]._schema.type_map[type_name].fields
    }
    assert every_client_field <= outcome.reached
    assert outcome.checked > 1000


@pytest.mark.with_records
async def test_the_dashboard_sees_its_own_client_only(world: World) -> None:
    outcome = Outcome()
    document = everything_below(Audience.DASHBOARD, "viewer", "DashboardViewer")
    query = f"{{ viewer {document.text} }}"
    seen_ids: dict[str, set[str]] = {}

    for name in ("A1", "A2", "B1"):
        response = await ask(
            world, "/dashboard/graphql", query, world.tokens[f"dashboard:{name}"]
        )
        body = response.json()
        # A2 is on hold (see the world); the others are not.
        granted = OPEN_DURING_HOLD if name == "A2" else ALL
        check_permissions(document, body, frozenset(granted), outcome, "ON_HOLD")
        assert (
            body["data"]["viewer"]["DashboardViewer_client"]["Client_id"]
            == world.client_ids[name]
        )
        seen_ids[name] = set(ids_in(body["data"]))

    assert seen_ids["A1"]
    assert not seen_ids["A1"] & seen_ids["A2"]
    assert not seen_ids["A1"] & seen_ids["B1"]
    assert outcome.checked > 200


def ids_in(data: Any) -> Iterator[str]:
    """Global IDs of the client's records (the shared account's excluded)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "Account_id":
                continue
            if key.endswith("_id") and isinstance(value, str):
                yield value
            else:
                yield from ids_in(value)
    elif isinstance(data, list):
        for item in data:
            yield from ids_in(item)


@pytest.mark.parametrize(
    ("route", "token_name"),
    [
        ("/graphql", "staff:expired"),
        ("/partner/graphql", "partner:revoked"),
        ("/dashboard/graphql", "dashboard:revoked"),
        ("/graphql", "partner:all"),
        ("/partner/graphql", "staff:admin"),
        ("/dashboard/graphql", "staff:admin"),
        ("/graphql", "dashboard:A1"),
    ],
)
async def test_bad_or_foreign_credentials_get_401(
    world: World, route: str, token_name: str
) -> None:
    response = await ask(world, route, "{ __typename }", world.tokens[token_name])

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("route", "query"),
    [
        ("/graphql", "{ viewer { kind } }"),
        ("/graphql", "{ clients(first: 1) { totalCount } }"),
        ("/partner/graphql", "{ clients(first: 1) { totalCount } }"),
        ("/dashboard/graphql", "{ viewer { isStaffPreview } }"),
    ],
)
async def test_no_token_means_unauthenticated(
    world: World, route: str, query: str
) -> None:
    response = await ask(world, route, query, None)

    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# Literals that any input field of these scalar types accepts.
PLACEHOLDERS = {
    "ID": '"eA"',
    "String": '""',
    "Int": "0",
    "Float": "0",
    "Boolean": "false",
    "Date": '"2000-01-01"',
    "DateTime": '"2000-01-01T00:00:00+00:00"',
    "Decimal": '"0"',
    "JSON": "0",
}
# Files arrive as multipart parts, never as literals; tested beside uploads.
NEEDS_A_FILE = {"addAttachment"}


def placeholder(kind: GraphQLInputType) -> str | None:
    """A literal for ``kind`` with only its required fields, or None for files."""
    if is_non_null_type(kind):
        return placeholder(kind.of_type)  # type: ignore[union-attr]
    if isinstance(kind, GraphQLList):
        return "[]"
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLInputObjectType):
        parts = []
        for name, input_field in kind.fields.items():
            if is_required_input_field(input_field):
                value = placeholder(input_field.type)
                if value is None:
                    return None
                parts.append(f"{name}: {value}")
        return "{" + ", ".join(parts) + "}"
    return PLACEHOLDERS.get(get_named_type(kind).name)


def staff_mutations() -> dict[str, tuple[str, str]]:
    """Each staff mutation guarded by a permission: the permission, and a call
    with placeholder input that reaches the resolver."""
    schema = SCHEMAS[Audience.STAFF]
    mutations = {}
    for strawberry_field in schema.mutation.__strawberry_definition__.fields:
        permission = (strawberry_field.metadata or {}).get(PERMISSION)
        name = schema.config.name_converter.get_graphql_name(strawberry_field)
        if permission is None or name in NEEDS_A_FILE:
            continue
        graphql_field = schema._schema.mutation_type.fields[name]
        arguments = [
            f"{argument}: {placeholder(spec.type)}"
            for argument, spec in graphql_field.args.items()
            if is_non_null_type(spec.type)
        ]
        call = f"{name}({', '.join(arguments)})" if arguments else name
        mutations[name] = (str(permission), f"mutation {{ {call} {{ __typename }} }}")
    return mutations


def test_only_uploads_are_left_out_of_the_mutation_matrix() -> None:
    schema = SCHEMAS[Audience.STAFF]
    guarded = {
        schema.config.name_converter.get_graphql_name(strawberry_field)
        for strawberry_field in schema.mutation.__strawberry_definition__.fields
        if (strawberry_field.metadata or {}).get(PERMISSION)
    }

    assert guarded - set(staff_mutations()) == NEEDS_A_FILE
    assert len(guarded) > 80


async def test_staff_mutations_need_their_permission(world: World) -> None:
    """Every caller, every mutation: refused exactly when its role lacks the
    permission declared beside the mutation; otherwise the resolver answers."""
    for name, (permission, document) in staff_mutations().items():
        for caller in STAFF_CALLERS:
            response = await ask(world, "/graphql", document, world.tokens[caller])

            body = response.json()
            codes = [error["extensions"]["code"] for error in body.get("errors", [])]
            if permission in BUILTIN_ROLES[caller.split(":")[1]]:
                assert "FORBIDDEN" not in codes, (name, caller, body)
                assert body["data"][name] is not None, (name, caller, body)
            else:
                assert body["data"] == {name: None}, (name, caller)
                assert codes == ["FORBIDDEN"], (name, caller)


@pytest.mark.parametrize("audience", list(Audience))
def test_every_root_field_declares_who_may_use_it(audience: Audience) -> None:
    schema = SCHEMAS[audience]
    for root in (schema.query, schema.mutation):
        if root is None:
            continue
        for strawberry_field in root.__strawberry_definition__.fields:
            access = (strawberry_field.metadata or {}).get(ACCESS)
            assert access in {"permission", "signed_in", "public"}, (
                strawberry_field.name
            )


def test_every_section_of_the_client_declares_its_permission() -> None:
    """Relations of Client (its sections) each name a permission; its plain
    attributes are covered by the permission of the field that found it."""
    sections = [
        strawberry_field
        for strawberry_field in ClientType.__strawberry_definition__.fields
        if strawberry_field.base_resolver is not None
    ]

    assert len(sections) >= 18
    for section in sections:
        assert (section.metadata or {}).get(PERMISSION), section.name


@pytest.mark.with_records
@pytest.mark.parametrize(
    ("caller", "code"),
    [
        ("staff:driver", "FORBIDDEN"),
        ("staff:accountant", None),
        ("partner:none", "FORBIDDEN"),
    ],
)
async def test_node_reads_a_record_only_with_its_types_permission(
    world: World, caller: str, code: str | None
) -> None:
    found = await ask(
        world,
        "/graphql",
        "query($id: ID!) { client(id: $id) { billing { invoices(first: 1) "
        "{ nodes { id } } } } }",
        world.tokens["staff:admin"],
        id=world.client_ids["A1"],
    )
    invoice_id = found.json()["data"]["client"]["billing"]["invoices"]["nodes"][0]["id"]
    route = "/partner/graphql" if caller.startswith("partner") else "/graphql"

    response = await ask(
        world,
        route,
        "query($id: ID!) { node(id: $id) { ... on Invoice { total { amount } } } }",
        world.tokens[caller],
        id=invoice_id,
    )

    body = response.json()
    if code is None:
        assert body["data"]["node"]["total"]["amount"]
    else:
        assert body["data"] == {"node": None}
        assert body["errors"][0]["extensions"]["code"] == code
