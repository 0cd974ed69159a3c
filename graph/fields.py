"""Field declarations: every field names its audiences and permission here.

``field(...)`` wraps ``strawberry.field`` and records, beside the field's
definition, which audiences see it and which permission it needs. Audience
schemas and authorization read these declarations; nothing else decides.
"""

from collections.abc import Callable
from enum import StrEnum
from typing import Any

import strawberry

AUDIENCES = "haulgraph.audiences"
PERMISSION = "haulgraph.permission"


class Audience(StrEnum):
    STAFF = "staff"
    DASHBOARD = "dashboard"
    PARTNER = "partner"


STAFF_AND_PARTNER = frozenset({Audience.STAFF, Audience.PARTNER})
EVERYONE = frozenset(Audience)


def field(
    resolver: Callable[..., Any] | None = None,
    *,
    description: str,
    audiences: frozenset[Audience] = STAFF_AND_PARTNER,
    permission: str | None = None,
    **options: Any,
) -> Any:
    """A GraphQL field with its description, audiences and permission."""
    metadata = {AUDIENCES: audiences, PERMISSION: permission}
    if resolver is None:
        return strawberry.field(description=description, metadata=metadata, **options)
    return strawberry.field(
        resolver, description=description, metadata=metadata, **options
    )
