"""Cursors: typed round trips, and clear errors when forged or tampered with."""

import base64
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import orjson
import pytest

from graph.pagination import InvalidPageArguments, decode_cursor, encode_cursor

VALUES = (
    datetime(2026, 3, 1, 12, 30, tzinfo=UTC),
    date(2026, 3, 1),
    uuid.UUID("12345678-1234-5678-1234-567812345678"),
    Decimal("125.50"),
    42,
    "Alder",
    True,
)
TYPES = [datetime, date, uuid.UUID, Decimal, int, str, bool]


def forged(order: str, *tagged: list[object]) -> str:
    payload = orjson.dumps([order, list(tagged)])
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def test_cursors_round_trip_every_sort_value_type() -> None:
    cursor = encode_cursor("clients.name.asc", VALUES)

    assert decode_cursor(cursor, "clients.name.asc", TYPES) == VALUES


@pytest.mark.parametrize(
    ("cursor", "order", "types"),
    [
        ("not a cursor!", "clients.name.asc", [str, uuid.UUID]),
        (encode_cursor("a", ["Alder", 1]), "clients.balance.desc", [str, int]),
        (encode_cursor("a", ["Alder"]), "a", [str, uuid.UUID]),
        (forged("a", ["z", 1]), "a", [int]),
        (forged("a", ["t", "2024-01-01T00:00:00"]), "a", [datetime]),
        (forged("a", ["v", "abc"]), "a", [date]),
        (forged("a", ["v", [1, 2]]), "a", [str]),
        (forged("a", ["v", True]), "a", [int]),
    ],
)
def test_foreign_forged_or_tampered_cursors_are_refused_clearly(
    cursor: str, order: str, types: list[type]
) -> None:
    with pytest.raises(InvalidPageArguments) as refused:
        decode_cursor(cursor, order, types)

    assert refused.value.extensions == {"code": "BAD_USER_INPUT"}
