"""The committed SDL is the schema the code builds."""

from pathlib import Path

from graph.schema import schema

ROOT = Path(__file__).resolve().parents[2]


def test_schema_graphql_is_up_to_date() -> None:
    committed = (ROOT / "schema.graphql").read_text()

    assert committed == schema.as_str() + "\n", (
        "schema.graphql is out of date: run `haulgraph export-schema`."
    )


def test_every_field_has_a_description() -> None:
    missing = [
        f"{type_name}.{field_name}"
        for type_name, graphql_type in schema._schema.type_map.items()
        if not type_name.startswith("__") and hasattr(graphql_type, "fields")
        for field_name, graphql_field in graphql_type.fields.items()
        if not graphql_field.description
    ]

    assert missing == []


def test_every_type_and_argument_has_a_description() -> None:
    type_map = schema._schema.type_map
    undescribed_types = [
        name
        for name, graphql_type in type_map.items()
        if not name.startswith("__")
        and name not in {"String", "Int", "Boolean", "ID", "Float"}
        and not graphql_type.description
    ]
    undescribed_arguments = [
        f"{type_name}.{field_name}({argument_name})"
        for type_name, graphql_type in type_map.items()
        if not type_name.startswith("__") and hasattr(graphql_type, "fields")
        for field_name, graphql_field in graphql_type.fields.items()
        for argument_name, argument in getattr(graphql_field, "args", {}).items()
        if not argument.description
    ]

    assert undescribed_types == []
    assert undescribed_arguments == []
