"""Changing what things cost: the account's price list and fees (a client's
special prices are ``domain.special_prices``). ``domain.pricing`` reads
what these write.

The rules:

- A price list item is keyed by container size, rental length, and the
  optional client type and pricing zone; setting one with an existing key
  replaces its terms. Sizes are the roll-off sizes of ``ContainerSize``;
  rental and included days are positive; money is non-negative minor units
  in the account's currency; tons are non-negative.
- A fee is keyed by its code (lower-case letters, digits, ``_`` and ``-``).
- Every change is recorded in the activity record.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.identity.viewer import Viewer
from domain.pricing import RATE_FIELDS, PriceProblem
from domain.problems import Problem, refuse, refuse_all
from persistence.enums import ContainerSize
from persistence.models import Account, Fee, PriceListItem

FEE_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
MONEY_FIELDS = ("base_price", "overage_per_ton", "per_extra_day", "fee_amount")
SPECIAL_FIELDS = (*RATE_FIELDS, "fee_amount")


def camel(name: str) -> str:
    """The input field's name as the graph spells it (``base_price`` →
    ``basePrice``), for problem paths."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def size_problems(
    container_size: int | None, field: str = "containerSize"
) -> list[Problem]:
    sizes = {size.value for size in ContainerSize}
    if container_size is None or container_size in sizes:
        return []
    listed = ", ".join(str(size) for size in sorted(sizes))
    message = f"{container_size} yd is not a container size; use one of {listed}."
    return [Problem(PriceProblem.INVALID_CONTAINER_SIZE, field, message)]


def amount_problems(values: Mapping[str, Any]) -> list[Problem]:
    """Money must be non-negative minor units; tons non-negative."""
    problems = []
    for name, value in values.items():
        if name in MONEY_FIELDS and value is not None and value < 0:
            message = f"{camel(name)} must be zero or more minor units, not {value}."
            problems.append(Problem(PriceProblem.NEGATIVE_AMOUNT, camel(name), message))
        if name == "included_tons" and value is not None and value < 0:
            message = f"includedTons must be zero or more, not {value}."
            problems.append(Problem(PriceProblem.NEGATIVE_TONS, camel(name), message))
        if name in ("included_days", "rental_days") and value is not None and value < 1:
            code = (
                PriceProblem.INVALID_INCLUDED_DAYS
                if name == "included_days"
                else PriceProblem.INVALID_RENTAL_DAYS
            )
            message = f"{camel(name)} must be at least 1 day, not {value}."
            problems.append(Problem(code, camel(name), message))
    return problems


def dates_problems(starts_on: date | None, ends_on: date | None) -> list[Problem]:
    if starts_on is None or ends_on is None or ends_on >= starts_on:
        return []
    message = f"endsOn ({ends_on}) is before startsOn ({starts_on})."
    return [Problem(PriceProblem.DATES_OUT_OF_ORDER, "endsOn", message)]


def json_safe(values: Mapping[str, Any]) -> dict[str, Any]:
    """Activity details are JSON: tons and dates become strings."""
    return {
        name: str(value) if isinstance(value, Decimal | date) else value
        for name, value in values.items()
    }


@dataclass(frozen=True, slots=True)
class PriceListKey:
    """What identifies a price list item in its account."""

    container_size: int
    rental_days: int
    client_type: str | None = None
    pricing_zone: str | None = None

    def matches(self) -> list[Any]:
        return [
            PriceListItem.container_size == self.container_size,
            PriceListItem.rental_days == self.rental_days,
            PriceListItem.client_type.is_(None)
            if self.client_type is None
            else PriceListItem.client_type == self.client_type,
            PriceListItem.pricing_zone.is_(None)
            if self.pricing_zone is None
            else PriceListItem.pricing_zone == self.pricing_zone,
        ]


@dataclass(frozen=True, slots=True)
class RateTerms:
    base_price: int
    included_days: int
    included_tons: Decimal
    overage_per_ton: int
    per_extra_day: int

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in RATE_FIELDS}


async def find_item(
    session: AsyncSession, account_id: int, key: PriceListKey
) -> PriceListItem | None:
    return await session.scalar(
        select(PriceListItem).where(
            PriceListItem.account_id == account_id, *key.matches()
        )
    )


async def set_price_list_item(
    session: AsyncSession, viewer: Viewer, key: PriceListKey, terms: RateTerms
) -> PriceListItem:
    """Create the item with this key, or replace its terms."""
    problems = size_problems(key.container_size)
    problems += amount_problems({"rental_days": key.rental_days, **terms.values()})
    refuse_all(problems)

    item = await find_item(session, viewer.account_id, key)
    if item is None:
        account = await session.get_one(Account, viewer.account_id)
        item = PriceListItem(
            account_id=viewer.account_id,
            container_size=key.container_size,
            rental_days=key.rental_days,
            client_type=key.client_type,
            pricing_zone=key.pricing_zone,
            currency=account.currency,
        )
        session.add(item)

    for name, value in terms.values().items():
        setattr(item, name, value)
    await session.flush()

    await record_activity(
        session,
        viewer,
        "price_list.item_set",
        client_id=None,
        subject=item,
        **key_detail(key),
        **json_safe(terms.values()),
    )
    return item


def key_detail(key: PriceListKey) -> dict[str, Any]:
    return {
        "container_size": key.container_size,
        "rental_days": key.rental_days,
        "client_type": key.client_type,
        "pricing_zone": key.pricing_zone,
    }


async def remove_price_list_item(
    session: AsyncSession, viewer: Viewer, key: PriceListKey
) -> PriceListItem:
    """Delete the item; tasks and lines priced by it keep their snapshots."""
    item = await find_item(session, viewer.account_id, key)
    if item is None:
        refuse(
            PriceProblem.PRICE_LIST_ITEM_NOT_FOUND,
            "",
            f"The price list has no {key.container_size} yd item for "
            f"{key.rental_days} days with that client type and zone.",
        )

    await record_activity(
        session, viewer, "price_list.item_removed", client_id=None, subject=item,
        **key_detail(key),
    )  # fmt: skip
    await session.delete(item)
    await session.flush()
    return item


async def find_fee(session: AsyncSession, account_id: int, code: str) -> Fee | None:
    return await session.scalar(
        select(Fee).where(Fee.account_id == account_id, Fee.code == code)
    )


async def set_fee(
    session: AsyncSession, viewer: Viewer, code: str, name: str, amount: int
) -> Fee:
    """Create the fee with this code, or change its name and amount."""
    problems = []
    if amount < 0:
        message = f"amount must be zero or more minor units, not {amount}."
        problems.append(Problem(PriceProblem.NEGATIVE_AMOUNT, "amount", message))
    if not FEE_CODE.match(code):
        message = (
            f"{code!r} is not a fee code: use lower-case letters, digits, '_' "
            "and '-', up to 60 characters."
        )
        problems.append(Problem(PriceProblem.INVALID_FEE_CODE, "code", message))
    if not name.strip():
        problems.append(Problem(PriceProblem.BLANK, "name", "Give the fee a name."))
    refuse_all(problems)

    fee = await find_fee(session, viewer.account_id, code)
    if fee is None:
        account = await session.get_one(Account, viewer.account_id)
        fee = Fee(account_id=viewer.account_id, code=code, currency=account.currency)
        session.add(fee)
    fee.name, fee.amount = name.strip(), amount
    await session.flush()

    await record_activity(
        session, viewer, "price_list.fee_set", client_id=None, subject=fee,
        code=code, name=fee.name, amount=amount,
    )  # fmt: skip
    return fee


async def remove_fee(session: AsyncSession, viewer: Viewer, code: str) -> Fee:
    """Delete a fee; special prices of its code stop applying with it."""
    fee = await find_fee(session, viewer.account_id, code)
    if fee is None:
        refuse(PriceProblem.UNKNOWN_FEE, "code", f"No fee has the code {code!r}.")

    await record_activity(
        session, viewer, "price_list.fee_removed", client_id=None, subject=fee,
        code=code,
    )  # fmt: skip
    await session.delete(fee)
    await session.flush()
    return fee


def quote_problems(
    container_size: int | None, rental_days: int | None, fee_code: str | None
) -> list[Problem]:
    """A quote is for a fee, or for a container size and rental length."""
    if (container_size is None) == (fee_code is None):
        message = "Quote either a containerSize (with rentalDays) or a feeCode."
        return [Problem(PriceProblem.TARGET_REQUIRED, "", message)]
    if fee_code is not None:
        return []
    if rental_days is None:
        message = "A container quote needs rentalDays."
        return [Problem(PriceProblem.INVALID_RENTAL_DAYS, "rentalDays", message)]
    return size_problems(container_size) + amount_problems({"rental_days": rental_days})
