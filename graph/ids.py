"""Opaque global IDs: the type name and the row's random public UUID.

Row ids never leave the database; a global ID names a record by its public
UUID, which is random and reveals nothing about how many rows exist.
"""

import base64
import binascii
import uuid


class InvalidGlobalId(ValueError):
    """The string is not a global ID this API issued."""


def encode_global_id(type_name: str, public_id: uuid.UUID) -> str:
    raw = f"{type_name}:{public_id.hex}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_global_id(global_id: str) -> tuple[str, uuid.UUID]:
    """Split a global ID into its type name and public UUID."""
    padded = global_id + "=" * (-len(global_id) % 4)
    try:
        type_name, _, hex_id = base64.urlsafe_b64decode(padded).decode().partition(":")
        return type_name, uuid.UUID(hex=hex_id)
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise InvalidGlobalId(f"{global_id!r} is not a valid ID.") from error


# No record has the nil UUID: an unusable ID given for a record finds nothing.
NO_RECORD = uuid.UUID(int=0)


def public_id_of(global_id: str | None, type_name: str) -> uuid.UUID | None:
    """The public UUID inside a global ID of ``type_name``; ``None`` when no
    ID was given, and ``NO_RECORD`` for an ID of another type or one this
    API never issued, so callers answer "not found" either way."""
    if global_id is None:
        return None
    try:
        found_type, public_id = decode_global_id(global_id)
    except InvalidGlobalId:
        return NO_RECORD
    return public_id if found_type == type_name else NO_RECORD
