"""How a business rule refuses a change: with problems the caller can act on.

A domain operation that finds its input wrong raises ``Refused`` with one
``Problem`` per fault; the graph layer rolls the transaction back and answers
with typed ``userErrors``. Nothing half-done remains.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import NoReturn


@dataclass(frozen=True, slots=True)
class Problem:
    """One fault: a code to branch on, where in the input, words for people."""

    code: StrEnum
    field: str
    """Dotted path inside the mutation's input (``contacts.0.email``); empty
    when the fault is not one field's."""
    message: str


class Refused(Exception):
    """A change the rules do not allow; the transaction must not commit."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(problem.message for problem in self.problems))


def refuse(code: StrEnum, field: str, message: str) -> NoReturn:
    raise Refused([Problem(code, field, message)])


def refuse_all(problems: list[Problem]) -> None:
    """Raise when any problem was collected; validation reports them together."""
    if problems:
        raise Refused(problems)
