"""Field declarations: every field names its audiences and permission here.

``field(...)`` wraps ``strawberry.field`` and records, beside the field's
definition, which audiences see it and which permission it needs. Audience
schemas are built from these declarations, and guard each field with its
permission as they are built (``graph.audiences``, ``graph.authorization``).

A field that costs more (or less) than the usual query cost (``graph.cost``)
says so with ``cost=``; partners see it as ``@cost(weight: …)`` in the SDL.

A field without a permission inherits the protection of the field that led
to its object; a root field must name a permission, or say it is for any
signed-in viewer (``signed_in=True``) or for anyone (``public=True``).
"""

from collections.abc import Callable
from enum import StrEnum
from typing import Any

import strawberry
from strawberry.schema_directive import Location

from domain.permissions import Permission

AUDIENCES = "haulgraph.audiences"
PERMISSION = "haulgraph.permission"
ACCESS = "haulgraph.access"
COST = "haulgraph.cost"


class Audience(StrEnum):
    STAFF = "staff"
    DASHBOARD = "dashboard"
    PARTNER = "partner"


STAFF_AND_PARTNER = frozenset({Audience.STAFF, Audience.PARTNER})
STAFF_ONLY = frozenset({Audience.STAFF})
DASHBOARD_ONLY = frozenset({Audience.DASHBOARD})
EVERYONE = frozenset(Audience)


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION],
    description="What the field adds to a query's cost, in place of the usual "
    "1 for an object and 0 for a scalar; inside a connection, per item.",
)
class Cost:
    weight: int


def field(
    resolver: Callable[..., Any] | None = None,
    *,
    description: str,
    audiences: frozenset[Audience] = STAFF_AND_PARTNER,
    permission: Permission | None = None,
    signed_in: bool = False,
    public: bool = False,
    cost: int | None = None,
    **options: Any,
) -> Any:
    """A GraphQL field with its description, audiences and permission."""
    if permission is not None:
        access = "permission"
    elif signed_in:
        access = "signed_in"
    else:
        access = "public" if public else "inherited"
    # The audience schemas guard each field by these (``graph.audiences``).
    metadata = {
        AUDIENCES: audiences,
        PERMISSION: permission,
        ACCESS: access,
        COST: cost,
    }
    if cost is not None:
        options["directives"] = [*options.get("directives", []), Cost(weight=cost)]
    if resolver is not None:
        options["resolver"] = resolver
    return strawberry.field(description=description, metadata=metadata, **options)
