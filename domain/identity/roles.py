"""Custom staff roles: an admin names a set of permissions and assigns it.

Built-in roles keep the grants of ``domain.permissions.BUILTIN_ROLES`` and
cannot be changed; custom roles can, and every change is recorded. Nobody
grants what they do not hold: a role may only contain, and only be assigned
by someone holding, every one of its permissions.
"""

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.viewer import Viewer
from domain.permissions import BUILTIN_ROLES, Permission, permissions_of
from persistence.enums import ActorKind
from persistence.models import ActivityRecord, StaffRole, StaffUser

MAX_NAME_LENGTH = 80


class RoleProblem(StrEnum):
    NAME_INVALID = "name_invalid"
    NAME_TAKEN = "name_taken"
    UNKNOWN_PERMISSION = "unknown_permission"
    ROLE_NOT_FOUND = "role_not_found"
    BUILTIN_ROLE = "builtin_role"
    STAFF_USER_NOT_FOUND = "staff_user_not_found"
    PERMISSION_NOT_HELD = "permission_not_held"


@dataclass(frozen=True, slots=True)
class RoleError:
    problem: RoleProblem
    field: str
    detail: str = ""


def check_grants(viewer: Viewer, name: str, permissions: list[str]) -> list[RoleError]:
    errors = []
    if not 1 <= len(name.strip()) <= MAX_NAME_LENGTH:
        errors.append(RoleError(RoleProblem.NAME_INVALID, "name"))
    elif name.strip().lower() in BUILTIN_ROLES:
        errors.append(RoleError(RoleProblem.NAME_TAKEN, "name", name))
    known = {permission.value for permission in Permission}
    for index, word in enumerate(permissions):
        if word not in known:
            problem = RoleProblem.UNKNOWN_PERMISSION
        elif Permission(word) not in viewer.permissions:
            problem = RoleProblem.PERMISSION_NOT_HELD
        else:
            continue
        errors.append(RoleError(problem, f"permissions.{index}", word))
    return errors


async def role_named(
    session: AsyncSession, account_id: int, name: str
) -> StaffRole | None:
    return await session.scalar(
        select(StaffRole).where(
            StaffRole.account_id == account_id, StaffRole.name == name.strip()
        )
    )


def record(
    viewer: Viewer, action: str, role: StaffRole, **detail: object
) -> ActivityRecord:
    return ActivityRecord(
        account_id=viewer.account_id,
        actor_kind=ActorKind.STAFF,
        actor_id=viewer.staff_user_id,
        action=action,
        subject_type="staff_role",
        subject_id=role.id,
        detail={"name": role.name, **detail},
    )


async def create_role(
    session: AsyncSession, viewer: Viewer, name: str, permissions: list[str]
) -> StaffRole | list[RoleError]:
    errors = check_grants(viewer, name, permissions)
    if not errors and await role_named(session, viewer.account_id, name):
        errors.append(RoleError(RoleProblem.NAME_TAKEN, "name", name))
    if errors:
        return errors

    role = StaffRole(
        account_id=viewer.account_id,
        name=name.strip(),
        permissions=sorted(set(permissions)),
        is_builtin=False,
    )
    session.add(role)
    await session.flush()
    session.add(
        record(viewer, "staff_role.created", role, permissions=role.permissions)
    )
    return role


async def update_role(
    session: AsyncSession, viewer: Viewer, name: str, permissions: list[str]
) -> StaffRole | list[RoleError]:
    """Replace a custom role's permissions; its users hold them at once."""
    role = await role_named(session, viewer.account_id, name)
    if role is None:
        return [RoleError(RoleProblem.ROLE_NOT_FOUND, "name", name)]
    if role.is_builtin:
        return [RoleError(RoleProblem.BUILTIN_ROLE, "name", name)]
    errors = [
        error
        for error in check_grants(viewer, name, permissions)
        if error.field != "name"
    ]
    if errors:
        return errors

    before = list(role.permissions)
    role.permissions = sorted(set(permissions))
    session.add(
        record(
            viewer, "staff_role.updated", role, before=before, after=role.permissions
        )
    )
    return role


async def assign_role(
    session: AsyncSession, viewer: Viewer, staff_user: StaffUser | None, role_name: str
) -> StaffUser | list[RoleError]:
    if staff_user is None or staff_user.account_id != viewer.account_id:
        return [RoleError(RoleProblem.STAFF_USER_NOT_FOUND, "staffUserId")]
    role = await role_named(session, viewer.account_id, role_name)
    if role is None:
        return [RoleError(RoleProblem.ROLE_NOT_FOUND, "roleName", role_name)]
    if not permissions_of(role.permissions) <= viewer.permissions:
        return [RoleError(RoleProblem.PERMISSION_NOT_HELD, "roleName", role_name)]

    staff_user.role_id = role.id
    session.add(record(viewer, "staff_role.assigned", role, staff_user=staff_user.id))
    return staff_user
