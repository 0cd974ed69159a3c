"""Custom staff roles: define, change, assign."""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.roles import RoleProblem, assign_role, create_role
from domain.identity.staff import ensure_builtin_roles
from domain.identity.tokens import issue_token, viewer_for_token
from domain.identity.viewer import Viewer
from domain.permissions import Permission
from graph.ids import encode_global_id
from persistence.models import Account, ActivityRecord, TokenKind
from tests.factories import add_staff_user
from tests.graph.conftest import GraphClient

CREATE = """
mutation($name: String!, $permissions: [String!]!) {
  createStaffRole(input: {name: $name, permissions: $permissions}) {
    role { name permissions isBuiltin }
    userErrors { field code }
  }
}
"""
UPDATE = CREATE.replace("createStaffRole", "updateStaffRole")
ASSIGN = """
mutation($user: ID!, $role: String!) {
  assignStaffRole(input: {staffUserId: $user, roleName: $role}) {
    role { name } userErrors { field code }
  }
}
"""


async def test_a_custom_role_is_defined_listed_and_recorded(
    graph: GraphClient, session: AsyncSession
) -> None:
    created = await graph.data(
        CREATE, name="Yard crew", permissions=["work:read", "clients:read"]
    )
    listed = await graph.data("{ staffRoles { name isBuiltin } }")

    assert created["createStaffRole"] == {
        "role": {
            "name": "Yard crew",
            "permissions": ["clients:read", "work:read"],
            "isBuiltin": False,
        },
        "userErrors": [],
    }
    assert {"name": "Yard crew", "isBuiltin": False} in listed["staffRoles"]
    actions = await session.scalars(select(ActivityRecord.action))
    assert "staff_role.created" in list(actions)


async def test_role_names_and_permissions_are_checked(graph: GraphClient) -> None:
    await graph.data(CREATE, name="Yard crew", permissions=[])

    taken = await graph.data(CREATE, name="Yard crew", permissions=[])
    builtin = await graph.data(CREATE, name="Admin", permissions=[])
    wrong = await graph.data(CREATE, name="", permissions=["clients:read", "fly"])

    assert taken["createStaffRole"]["userErrors"] == [
        {"field": ["input", "name"], "code": "NAME_TAKEN"}
    ]
    assert builtin["createStaffRole"]["userErrors"][0]["code"] == "NAME_TAKEN"
    assert wrong["createStaffRole"]["userErrors"] == [
        {"field": ["input", "name"], "code": "NAME_INVALID"},
        {"field": ["input", "permissions", "1"], "code": "UNKNOWN_PERMISSION"},
    ]


async def test_built_in_roles_cannot_change_but_custom_ones_can(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    await ensure_builtin_roles(session, account.id)
    await session.commit()
    await graph.data(CREATE, name="Yard crew", permissions=["work:read"])

    changed = await graph.data(UPDATE, name="Yard crew", permissions=["notes:read"])
    builtin = await graph.data(UPDATE, name="driver", permissions=["billing:read"])
    missing = await graph.data(UPDATE, name="Nobody", permissions=[])

    assert changed["updateStaffRole"]["role"]["permissions"] == ["notes:read"]
    assert builtin["updateStaffRole"]["userErrors"][0]["code"] == "BUILTIN_ROLE"
    assert missing["updateStaffRole"]["userErrors"][0]["code"] == "ROLE_NOT_FOUND"


async def test_an_assigned_role_grants_its_permissions_at_once(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    user = await add_staff_user(session, account)
    token = await issue_token(
        session, TokenKind.STAFF, account.id, datetime.now(UTC), staff_user_id=user.id
    )
    await session.commit()
    await graph.data(CREATE, name="Yard crew", permissions=["work:read"])

    assigned = await graph.data(
        ASSIGN, user=encode_global_id("StaffMember", user.public_id), role="Yard crew"
    )
    nobody = await graph.data(ASSIGN, user="bm9ib2R5", role="Yard crew")
    session.expire_all()
    viewer = await viewer_for_token(session, token.token, datetime.now(UTC))

    assert assigned["assignStaffRole"] == {
        "role": {"name": "Yard crew"},
        "userErrors": [],
    }
    assert nobody["assignStaffRole"]["userErrors"][0]["code"] == "STAFF_USER_NOT_FOUND"
    assert viewer is not None
    assert viewer.permissions == {Permission.WORK_READ}


async def test_nobody_grants_or_assigns_what_they_do_not_hold(
    session: AsyncSession, account: Account
) -> None:
    manager = Viewer(
        account_id=account.id,
        permissions=frozenset({Permission.STAFF_MANAGE, Permission.CLIENTS_READ}),
    )
    roles = await ensure_builtin_roles(session, account.id)
    user = await add_staff_user(session, account, role_id=roles["driver"].id)

    grabbing = await create_role(session, manager, "Everything", ["billing:write"])
    promoting = await assign_role(session, manager, user, "admin")

    assert isinstance(grabbing, list)
    assert grabbing[0].problem is RoleProblem.PERMISSION_NOT_HELD
    assert isinstance(promoting, list)
    assert promoting[0].problem is RoleProblem.PERMISSION_NOT_HELD
