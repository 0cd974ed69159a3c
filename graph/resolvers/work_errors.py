"""How task and job changes are refused: ``WorkError`` and its codes."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.work.common import WorkProblem
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.mutations import UserError, perform, user_errors

strawberry.enum(
    WorkProblem,
    name="WorkErrorCode",
    description="Why a change to a task or job was refused.",
)
Result = TypeVar("Result")


@strawberry.type(description="A reason a change to a task or job was refused.")
class WorkError(UserError):
    code: WorkProblem = field(description="What went wrong.", audiences=STAFF_ONLY)


async def work_change(
    info: Info, change: Callable[[AsyncSession], Awaitable[Result]]
) -> tuple[Result | None, list[WorkError]]:
    outcome = await perform(info, change)
    return outcome.result, user_errors(WorkError, outcome.problems)


def now(info: Info) -> datetime:
    return info.context.services.clock()
