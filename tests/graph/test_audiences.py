"""What the dashboard may not see does not exist in its schema."""

import pytest

from graph.schema import SCHEMAS, Audience

STAFF_ONLY_TYPES = ["Note", "NotificationLogEntry", "SpecialPrice", "ClientSetting"]


@pytest.mark.parametrize("type_name", STAFF_ONLY_TYPES)
def test_internal_types_are_absent_from_the_dashboard_sdl(type_name: str) -> None:
    dashboard = SCHEMAS[Audience.DASHBOARD].as_str()

    assert f"type {type_name} " not in dashboard
    assert f"type {type_name} " in SCHEMAS[Audience.STAFF].as_str()


@pytest.mark.parametrize(
    "selection",
    [
        "notes(first: 1) { totalCount }",
        "specialPricing(first: 1) { totalCount }",
        "notificationLog(first: 1) { totalCount }",
        "settings { key }",
    ],
)
async def test_internal_fields_fail_validation_on_the_dashboard(selection: str) -> None:
    query = f"{{ viewer {{ client {{ {selection} }} }} }}"

    result = await SCHEMAS[Audience.DASHBOARD].execute(query)

    assert result.errors is not None
    assert "Cannot query field" in result.errors[0].message


@pytest.mark.parametrize("type_name", STAFF_ONLY_TYPES)
async def test_internal_types_are_absent_from_dashboard_introspection(
    type_name: str,
) -> None:
    query = f'{{ __type(name: "{type_name}") {{ name }} }}'

    result = await SCHEMAS[Audience.DASHBOARD].execute(query)

    assert result.errors is None
    assert result.data == {"__type": None}


def test_staff_notes_are_absent_for_partners() -> None:
    assert "type Note " not in SCHEMAS[Audience.PARTNER].as_str()
