"""How pricing changes and quotes are refused: ``PricingError`` and its codes."""

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.pricing import PriceProblem
from graph.context import Info
from graph.fields import STAFF_AND_PARTNER, field
from graph.mutations import UserError, perform, user_errors

strawberry.enum(
    PriceProblem,
    name="PricingErrorCode",
    description="Why a price could not be quoted or a pricing change was refused.",
)
Result = TypeVar("Result")


@strawberry.type(description="A reason a price could not be quoted or changed.")
class PricingError(UserError):
    code: PriceProblem = field(
        description="What went wrong.", audiences=STAFF_AND_PARTNER
    )


async def pricing_change(
    info: Info, change: Callable[[AsyncSession], Awaitable[Result]]
) -> tuple[Result | None, list[PricingError]]:
    outcome = await perform(info, change)
    return outcome.result, user_errors(PricingError, outcome.problems)
