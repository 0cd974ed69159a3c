"""The shape every mutation shares: one input, a payload, typed user errors.

A payload carries the result and ``userErrors``; each mutation family has its
own error type with a ``code`` enum, so clients branch on codes, not
messages. ``perform`` runs the domain operation in one transaction: when the
rules refuse (``domain.problems.Refused``) nothing it did remains, and the
problems come back as data for ``user_errors`` to type.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.problems import Problem, Refused
from graph.context import Info
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

Result = TypeVar("Result")
Error = TypeVar("Error", bound=UserError)


class Outcome(Generic[Result]):
    """What ``perform`` returns: the result, or the problems that refused it."""

    __slots__ = ("problems", "result")

    def __init__(
        self, result: Result | None = None, problems: tuple[Problem, ...] = ()
    ) -> None:
        self.result = result
        self.problems = problems


async def perform(
    info: Info, work: Callable[[AsyncSession], Awaitable[Result]]
) -> Outcome[Result]:
    """Run ``work`` in the request's transaction and commit, or roll back all
    of it when the rules refuse."""
    try:
        return Outcome(await info.context.db.write(work))
    except Refused as refused:
        return Outcome(problems=refused.problems)


def user_errors(error_type: Callable[..., Error], problems: Any) -> list[Error]:
    """Typed errors for ``problems``: ``error_type`` takes field, code and
    message; its ``code`` enum holds the domain's problem codes."""
    return [
        error_type(
            field=input_path(*problem.field.split(".")) if problem.field else None,
            code=problem.code,
            message=problem.message,
        )
        for problem in problems
    ]
