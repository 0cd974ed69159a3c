"""Permission checks attached to fields where they are declared.

Staff users need the field's permission in their role; partner keys in their
scopes. Dashboard viewers only ever reach fields of the dashboard schema,
which holds nothing but their own client's data, so fields do not check them.
A denied field answers null with a ``FORBIDDEN`` error at its path.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.extensions import FieldExtension

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import Permission
from graph.errors import Forbidden, OnHold, Unauthenticated

CHECKED_KINDS = frozenset({ViewerKind.STAFF, ViewerKind.PARTNER})
# What a client on hold still sees on its dashboard: why, what it owes, how to
# pay, and its communication preferences (which it may still change).
OPEN_DURING_HOLD = frozenset(
    {
        Permission.CLIENTS_READ,
        Permission.BILLING_READ,
        Permission.PAYMENT_METHODS_READ,
        Permission.NOTIFICATIONS_READ,
    }
)


def check_permission(viewer: Viewer | None, permission: Permission) -> None:
    if viewer is None:
        raise Unauthenticated()
    if viewer.kind in CHECKED_KINDS:
        if permission not in viewer.permissions:
            raise Forbidden(permission)
    elif viewer.is_on_hold and permission not in OPEN_DURING_HOLD:
        raise OnHold()


class RequirePermission(FieldExtension):
    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    def resolve(
        self, next_: Callable[..., Any], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        check_permission(info.context.viewer, self.permission)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self,
        next_: Callable[..., Awaitable[Any]],
        source: Any,
        info: Any,
        **kwargs: Any,
    ) -> Any:
        check_permission(info.context.viewer, self.permission)
        return await next_(source, info, **kwargs)


class RequireViewer(FieldExtension):
    """For fields every signed-in caller may use (``viewer``, ``signOut``)."""

    def resolve(
        self, next_: Callable[..., Any], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        if info.context.viewer is None:
            raise Unauthenticated()
        return next_(source, info, **kwargs)

    async def resolve_async(
        self,
        next_: Callable[..., Awaitable[Any]],
        source: Any,
        info: Any,
        **kwargs: Any,
    ) -> Any:
        if info.context.viewer is None:
            raise Unauthenticated()
        return await next_(source, info, **kwargs)
