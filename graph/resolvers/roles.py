"""Staff roles: list them, define custom ones, and assign them to staff."""

from enum import Enum
from typing import Any, Self

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.roles import (
    RoleError,
    RoleProblem,
    assign_role,
    create_role,
    update_role,
)
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.ids import InvalidGlobalId, decode_global_id
from graph.mutations import MutationInput, UserError, input_path
from persistence.models import StaffRole as StaffRoleRow
from persistence.models import StaffUser

MESSAGES = {
    RoleProblem.NAME_INVALID: "Give the role a name of 1 to 80 characters.",
    RoleProblem.NAME_TAKEN: "A role of that name exists already.",
    RoleProblem.UNKNOWN_PERMISSION: "That is not a permission of the vocabulary.",
    RoleProblem.ROLE_NOT_FOUND: "Your account has no role of that name.",
    RoleProblem.BUILTIN_ROLE: "Built-in roles cannot be changed; define your own.",
    RoleProblem.STAFF_USER_NOT_FOUND: "Your account has no staff user with that ID.",
    RoleProblem.PERMISSION_NOT_HELD: "You cannot grant a permission you do not hold.",
}


@strawberry.type(description="A named set of permissions staff users hold.")
class StaffRole:
    name: str = field(
        description="The role's name, unique in the account.", audiences=STAFF_ONLY
    )
    permissions: list[str] = field(
        description="What it grants (`*` grants everything).", audiences=STAFF_ONLY
    )
    is_builtin: bool = field(
        description="Built in (admin, office, dispatcher, driver, accountant): "
        "cannot be changed.",
        audiences=STAFF_ONLY,
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            name=row.name, permissions=list(row.permissions), is_builtin=row.is_builtin
        )


@strawberry.enum(description="Why a role change was refused.")
class StaffRoleErrorCode(Enum):
    NAME_INVALID = "name_invalid"
    NAME_TAKEN = "name_taken"
    UNKNOWN_PERMISSION = "unknown_permission"
    ROLE_NOT_FOUND = "role_not_found"
    BUILTIN_ROLE = "builtin_role"
    STAFF_USER_NOT_FOUND = "staff_user_not_found"
    PERMISSION_NOT_HELD = "permission_not_held"


@strawberry.type(description="A reason a role change was refused.")
class StaffRoleError(UserError):
    code: StaffRoleErrorCode = field(
        description="What went wrong.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The role after the change.")
class StaffRolePayload:
    role: StaffRole | None = field(
        description="The role; null on failure.", audiences=STAFF_ONLY
    )
    user_errors: list[StaffRoleError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


def failed(errors: list[RoleError]) -> StaffRolePayload:
    return StaffRolePayload(
        role=None,
        user_errors=[
            StaffRoleError(
                field=input_path(*error.field.split(".")),
                code=StaffRoleErrorCode(error.problem.value),
                message=MESSAGES[error.problem],
            )
            for error in errors
        ],
    )


@strawberry.input(description="A custom role: its name and what it grants.")
class StaffRoleInput:
    name: str = strawberry.field(description="The role's name, 1 to 80 characters.")
    permissions: list[str] = strawberry.field(
        description='Permissions it grants, e.g. ["clients:read", "work:read"].'
    )


async def list_roles(info: Info) -> list[StaffRole]:
    account_id = info.context.account_id

    async def fetch(session: AsyncSession) -> list[StaffRole]:
        rows = await session.scalars(
            select(StaffRoleRow)
            .where(StaffRoleRow.account_id == account_id)
            .order_by(StaffRoleRow.is_builtin.desc(), StaffRoleRow.name)
        )
        return [StaffRole.from_row(row) for row in rows]

    return await info.context.db.run(fetch)


async def write_role(info: Info, operation: Any, *arguments: Any) -> StaffRolePayload:
    viewer = info.context.signed_in_viewer

    async def work(session: AsyncSession) -> StaffRolePayload:
        result = await operation(session, viewer, *arguments)
        if isinstance(result, list):
            await session.rollback()
            return failed(result)
        return StaffRolePayload(role=StaffRole.from_row(result), user_errors=[])

    return await info.context.db.write(work)


async def create_staff_role(
    info: Info, input: MutationInput[StaffRoleInput]
) -> StaffRolePayload:
    return await write_role(info, create_role, input.name, input.permissions)


async def update_staff_role(
    info: Info, input: MutationInput[StaffRoleInput]
) -> StaffRolePayload:
    return await write_role(info, update_role, input.name, input.permissions)


@strawberry.input(description="Who gets which role.")
class AssignStaffRoleInput:
    staff_user_id: strawberry.ID = strawberry.field(description="The staff user's ID.")
    role_name: str = strawberry.field(description="The role's name.")


async def assign_staff_role(
    info: Info, input: MutationInput[AssignStaffRoleInput]
) -> StaffRolePayload:
    try:
        type_name, public_id = decode_global_id(input.staff_user_id)
    except InvalidGlobalId:
        type_name, public_id = "", None
    account_id = info.context.account_id

    async def assign(session: AsyncSession, viewer: Any, role_name: str) -> Any:
        staff_user = None
        if type_name == "StaffMember":
            staff_user = await session.scalar(
                select(StaffUser).where(
                    StaffUser.public_id == public_id, StaffUser.account_id == account_id
                )
            )
        result = await assign_role(session, viewer, staff_user, role_name)
        if isinstance(result, list):
            return result
        return await session.get_one(StaffRoleRow, result.role_id)

    return await write_role(info, assign, input.role_name)
