"""Fields answered outside the per-field machinery (``graph.execution``)
answer exactly as the ordinary path would: same values, same order, same
errors at the same paths."""

from enum import Enum
from typing import Any

import pytest
import strawberry

from graph.audiences import AudienceSchema
from graph.fields import EVERYONE, Audience, field


@strawberry.enum(description="How loud.")
class Volume(Enum):
    QUIET = "quiet"
    LOUD = "loud"


@strawberry.type(description="Something listed.")
class Item:
    name: str = field(description="Never null.", audiences=EVERYONE)
    count: int = field(description="A whole number.", audiences=EVERYONE)
    volume: Volume = field(
        description="An enum read off the object.", audiences=EVERYONE
    )

    @field(description="Computed from the object alone.", audiences=EVERYONE)
    def doubled(self) -> int:
        return self.count * 2

    @field(description="Takes arguments by their Python names.", audiences=EVERYONE)
    def greeting(self, word_count: int, volume: Volume | None = None) -> str:
        words = " ".join([self.name] * word_count)
        return words.upper() if volume is Volume.LOUD else words


@strawberry.type(description="Roots for these tests.")
class ExecutionQuery:
    @field(description="Two well-formed items.", audiences=EVERYONE)
    def items(self) -> list[Item]:
        return [
            Item(name="bin", count=2, volume=Volume.QUIET),
            Item(name="can", count=3, volume=Volume.LOUD),
        ]

    @field(description="An item whose name is missing.", audiences=EVERYONE)
    def nameless(self) -> Item | None:
        return Item(name=None, count=1, volume=Volume.QUIET)  # type: ignore[arg-type]

    @field(description="An item whose count is not a number.", audiences=EVERYONE)
    def miscounted(self) -> Item | None:
        return Item(name="bin", count="many", volume=Volume.QUIET)  # type: ignore[arg-type]


SCHEMA = AudienceSchema(Audience.STAFF, query=ExecutionQuery)


async def execute(query: str) -> tuple[Any, list[Any]]:
    result = await SCHEMA.execute(query)
    return result.data, [error.formatted for error in result.errors or []]


async def test_answers_keep_the_order_of_the_selection_with_aliases() -> None:
    data, errors = await execute(
        "{ items { doubled name n: count volume greeting(wordCount: 2) } }"
    )

    assert errors == []
    assert [list(item) for item in data["items"]] == [
        ["doubled", "name", "n", "volume", "greeting"]
    ] * 2
    assert data["items"][0] == {
        "doubled": 4,
        "name": "bin",
        "n": 2,
        "volume": "QUIET",
        "greeting": "bin bin",
    }


async def test_resolvers_get_their_arguments_by_python_name_and_enums_as_members() -> (
    None
):
    data, errors = await execute("{ items { greeting(wordCount: 1, volume: LOUD) } }")

    assert errors == []
    assert data == {"items": [{"greeting": "BIN"}, {"greeting": "CAN"}]}


async def test_a_null_in_a_non_null_field_is_an_error_at_its_path(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data, errors = await execute("{ nameless { count name } }")

    assert data == {"nameless": None}
    assert [error["path"] for error in errors] == [["nameless", "name"]]
    # Our fault, not the caller's: masked for them, logged for us.
    assert errors[0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "Cannot return null for non-nullable field Item.name" in caplog.text


async def test_a_value_its_scalar_rejects_is_an_error_at_its_path() -> None:
    data, errors = await execute("{ miscounted { name count } }")

    assert data == {"miscounted": None}
    assert [error["path"] for error in errors] == [["miscounted", "count"]]
    assert "Int cannot represent non-integer value" in errors[0]["message"]
