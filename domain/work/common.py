"""What tasks and jobs share: problem codes, lookups, the hold rule, amounts.

The hold rule: while a client has an active hold, no new task or job may be
booked or scheduled for it, unless the staff user holds ``holds:override``;
an override is written into the activity record of the change it allowed.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.calendar import local_date
from domain.identity.viewer import Viewer
from domain.lookups import open_client, service_address_of
from domain.permissions import Permission
from domain.problems import Problem, Refused, refuse
from persistence.enums import ContainerSize
from persistence.models import (
    Account,
    Address,
    Charge,
    Client,
    Hold,
    Task,
)

logger = logging.getLogger(__name__)


class WorkProblem(StrEnum):
    """Why a change to a task or job was refused."""

    CLIENT_NOT_FOUND = "client_not_found"
    CLIENT_ARCHIVED = "client_archived"
    ADDRESS_NOT_FOUND = "address_not_found"
    TASK_NOT_FOUND = "task_not_found"
    JOB_NOT_FOUND = "job_not_found"
    DRIVER_NOT_FOUND = "driver_not_found"
    REQUIRED = "required"
    INVALID_CONTAINER_SIZE = "invalid_container_size"
    INVALID_RENTAL_DAYS = "invalid_rental_days"
    DATE_IN_PAST = "date_in_past"
    DELIVERY_REQUIRED = "delivery_required"
    DELIVERY_NOT_FOUND = "delivery_not_found"
    DELIVERY_NOT_ON_SITE = "delivery_not_on_site"
    NOT_APPLICABLE = "not_applicable"
    CONTAINER_SIZE_MISMATCH = "container_size_mismatch"
    ON_HOLD = "on_hold"
    INVALID_TRANSITION = "invalid_transition"
    INVALID_TONS = "invalid_tons"
    INVALID_QUANTITY = "invalid_quantity"
    NEGATIVE_AMOUNT = "negative_amount"
    LINE_PRICE_REQUIRED = "line_price_required"
    WINDOW_OUT_OF_ORDER = "window_out_of_order"
    NO_PRICE = "no_price"
    UNKNOWN_FEE = "unknown_fee"


def line_amount(quantity: Decimal, unit_price: int) -> int:
    """Quantity × unit price in minor units, rounded half up."""
    return int((quantity * unit_price).quantize(Decimal(1), ROUND_HALF_UP))


def size_problems(size: int | None, field: str = "containerSize") -> list[Problem]:
    sizes = sorted(size.value for size in ContainerSize)
    if size is None or size in sizes:
        return []
    listed = ", ".join(str(each) for each in sizes)
    message = f"{size} yd is not a container size; use one of {listed}."
    return [Problem(WorkProblem.INVALID_CONTAINER_SIZE, field, message)]


def day_problems(day: date | None, today: date, field: str) -> list[Problem]:
    if day is None or day >= today:
        return []
    message = f"{day} is in the past; the business's today is {today}."
    return [Problem(WorkProblem.DATE_IN_PAST, field, message)]


@contextmanager
def pricing_refusals(prefix: str = "", field: str | None = None) -> Iterator[None]:
    """Pricing refuses with its own codes; say them as work problems, at the
    input field they came from: ``prefix`` places a line's fields, ``field``
    names the one input that asked for the price."""
    try:
        yield
    except Refused as refused:
        raise Refused(
            Problem(
                WorkProblem(problem.code.value),
                field if field is not None else prefix + problem.field,
                problem.message,
            )
            for problem in refused.problems
        ) from None


def task_charge(
    task: Task,
    description: str,
    unit_price: int,
    rule: str,
    detail: dict[str, Any] | None,
    quantity: Decimal = Decimal(1),
) -> Charge:
    """An uninvoiced charge for work done on ``task``, priced as it says."""
    return Charge(
        account_id=task.account_id,
        client_id=task.client_id,
        service_address_id=task.service_address_id,
        task_id=task.id,
        job_id=task.job_id,
        description=description,
        quantity=quantity,
        currency=task.currency,
        unit_price=unit_price,
        amount=line_amount(quantity, unit_price),
        price_rule=rule,
        price_detail=detail,
    )


async def business_today(session: AsyncSession, account_id: int, now: datetime) -> date:
    account = await session.get_one(Account, account_id)
    return local_date(now, account.time_zone)


async def find_client(
    session: AsyncSession, account_id: int, public_id: UUID | None
) -> Client:
    """The client new work is for; archived and merged clients get none."""
    return await open_client(
        session,
        account_id,
        public_id,
        missing=WorkProblem.CLIENT_NOT_FOUND,
        closed=WorkProblem.CLIENT_ARCHIVED,
        purpose="booking work",
    )


async def find_service_address(
    session: AsyncSession, client: Client, public_id: UUID | None
) -> Address:
    address = await service_address_of(session, client, public_id)
    if address is None:
        refuse(
            WorkProblem.ADDRESS_NOT_FOUND,
            "serviceAddressId",
            "The client has no current service address with that ID.",
        )
    return address


async def active_hold(session: AsyncSession, client_id: int) -> Hold | None:
    return await session.scalar(
        select(Hold).where(Hold.client_id == client_id, Hold.released_at.is_(None))
    )


async def hold_clearance(
    session: AsyncSession, viewer: Viewer, client_id: int
) -> dict[str, Any]:
    """Refuse new work for a held client, unless the viewer may override the
    hold; the override's activity detail (empty without a hold)."""
    hold = await active_hold(session, client_id)
    if hold is None:
        return {}

    if not viewer.can(Permission.HOLDS_OVERRIDE):
        refuse(
            WorkProblem.ON_HOLD,
            "",
            f"The client is on hold ({hold.reason}); new work needs the "
            "holds:override permission.",
        )

    logger.info("Hold %s overridden by staff user %s", hold.id, viewer.staff_user_id)
    return {"hold_overridden": True, "hold_id": hold.id, "hold_reason": hold.reason}
