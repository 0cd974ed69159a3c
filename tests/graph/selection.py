"""Selection sets that ask for every field of a type, from the schema itself.

Used to build queries that touch the whole graph (the authorization matrix,
statement counts): every scalar, every object field once per path, every
connection with a page size, never revisiting a type already on the path.
"""

from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
)


def arguments_for(field: GraphQLField, page_size: int) -> str:
    if "first" in field.args:
        return f"(first: {page_size})"
    required = [name for name, arg in field.args.items() if is_non_null_type(arg.type)]
    if required:
        raise ValueError(f"Cannot fill required arguments {required}.")
    return ""


def selection(
    schema: GraphQLSchema,
    named: GraphQLNamedType,
    page_size: int = 3,
    depth: int = 8,
    path: tuple[str, ...] = (),
) -> str:
    """``{ … }`` selecting everything below ``named`` (an object, interface or union)."""
    if isinstance(named, GraphQLUnionType):
        parts = [
            f"... on {member.name} {selection(schema, member, page_size, depth, path)}"
            for member in named.types
        ]
        return "{ __typename " + " ".join(parts) + " }"
    assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType)
    parts = ["__typename"]
    for name, field in named.fields.items():
        target = get_named_type(field.type)
        try:
            arguments = arguments_for(field, page_size)
        except ValueError:
            continue
        if is_leaf_type(target):
            parts.append(f"{name}{arguments}")
        elif target.name not in path and depth > 0:
            below = selection(schema, target, page_size, depth - 1, (*path, named.name))
            parts.append(f"{name}{arguments} {below}")
    return "{ " + " ".join(parts) + " }"
