"""What the money mutations share: reading IDs of the input and the clock."""

from datetime import datetime
from uuid import UUID

from graph.context import Info
from graph.ids import InvalidGlobalId, decode_global_id


def public_id_of(global_id: str | None, type_name: str) -> UUID | None:
    """The public UUID a global ID names when it names a ``type_name``; None
    otherwise, which the domain reports as not found, like another
    account's record."""
    if global_id is None:
        return None
    try:
        name, public_id = decode_global_id(global_id)
    except InvalidGlobalId:
        return None
    return public_id if name == type_name else None


def now(info: Info) -> datetime:
    return info.context.services.clock()
