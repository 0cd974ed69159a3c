"""Permission checks attached to fields where they are declared.

Staff users need the field's permission in their role; partner keys in their
scopes. Dashboard viewers only ever reach fields of the dashboard schema,
which holds nothing but their own client's data, so fields do not check them.
A denied field answers null with a ``FORBIDDEN`` error at its path.
"""

from collections.abc import Callable
from typing import Any

from graphql import GraphQLFieldResolver, GraphQLResolveInfo

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


def permission_check(permission: Permission) -> Callable[[Viewer | None], None]:
    def check(viewer: Viewer | None) -> None:
        check_permission(viewer, permission)

    return check


def viewer_check(viewer: Viewer | None) -> None:
    """For fields every signed-in caller may use (``viewer``, ``signOut``)."""
    if viewer is None:
        raise Unauthenticated()


def guarded(
    resolve: GraphQLFieldResolver, check: Callable[[Viewer | None], None]
) -> GraphQLFieldResolver:
    """``resolve`` behind ``check``, run on the request's viewer first.

    The check wraps the schema's resolver itself rather than running as a
    Strawberry field extension: an extension sends every field through
    Strawberry's argument and extension machinery, which costs several times
    what a plain attribute does, on every item of every list.
    """

    def resolver(source: Any, info: GraphQLResolveInfo, **arguments: Any) -> Any:
        check(info.context.viewer)
        return resolve(source, info, **arguments)

    return resolver
