"""The shape every mutation shares: one input, a payload, typed user errors.

A payload carries the result and ``userErrors``; each mutation has its own
error type with a ``code`` enum, so clients branch on codes, not messages.
"""

from typing import Annotated, TypeVar

import strawberry

from graph.fields import EVERYONE
from graph.fields import field as declare


@strawberry.interface(description="A problem with a mutation's input.")
class UserError:
    field: list[str] | None = declare(
        description='Path to the input field at fault, e.g. ["input", "email"].',
        audiences=EVERYONE,
    )
    message: str = declare(
        description="What went wrong, for people to read.", audiences=EVERYONE
    )


def input_path(*names: str) -> list[str]:
    return ["input", *names]


Input = TypeVar("Input")
MutationInput = Annotated[
    Input, strawberry.argument(description="The mutation's input object.")
]
