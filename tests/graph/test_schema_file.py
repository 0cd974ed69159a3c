"""The committed SDLs are the schemas the code builds, and read well."""

from pathlib import Path

import pytest
from graphql import GraphQLSchema

from graph.fields import Audience
from graph.schema import SCHEMAS, SDL_FILES

ROOT = Path(__file__).resolve().parents[2]
BUILT_IN_SCALARS = {"String", "Int", "Boolean", "ID", "Float"}


def graphql_schemas() -> list[tuple[Audience, GraphQLSchema]]:
    return [(audience, schema._schema) for audience, schema in SCHEMAS.items()]


@pytest.mark.parametrize("audience", list(Audience))
def test_committed_sdl_is_up_to_date(audience: Audience) -> None:
    committed = (ROOT / SDL_FILES[audience]).read_text()

    assert committed == SCHEMAS[audience].as_str() + "\n", (
        f"{SDL_FILES[audience]} is out of date: run `haulgraph export-schema`."
    )


@pytest.mark.parametrize(("audience", "schema"), graphql_schemas())
def test_every_type_field_and_argument_has_a_description(
    audience: Audience, schema: GraphQLSchema
) -> None:
    named_types = {
        name: graphql_type
        for name, graphql_type in schema.type_map.items()
        if not name.startswith("__") and name not in BUILT_IN_SCALARS
    }
    undescribed = [name for name, kind in named_types.items() if not kind.description]
    for type_name, graphql_type in named_types.items():
        for field_name, graphql_field in getattr(graphql_type, "fields", {}).items():
            if not graphql_field.description:
                undescribed.append(f"{type_name}.{field_name}")
            for argument_name, argument in getattr(graphql_field, "args", {}).items():
                if not argument.description:
                    undescribed.append(f"{type_name}.{field_name}({argument_name})")

    assert undescribed == []
