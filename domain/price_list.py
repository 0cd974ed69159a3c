"""Changing what things cost: the account's price list and fees, and a
client's special prices. ``domain.pricing`` reads what these write.

The rules:

- A price list item is keyed by container size, rental length, and the
  optional client type and pricing zone; setting one with an existing key
  replaces its terms. Sizes are the roll-off sizes of ``ContainerSize``;
  rental and included days are positive; money is non-negative minor units
  in the account's currency; tons are non-negative.
- A fee is keyed by its code (lower-case letters, digits, ``_`` and ``-``).
- A special price names either a container size (with an optional rental
  length; none means any length) or an existing fee code, at least one
  price field, and optional start and end dates in order. Container fields
  do not apply to a fee and the fee amount does not apply to a container.
- Every change is recorded in the activity record.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.identity.viewer import Viewer
from domain.lookups import by_public_id
from domain.pricing import RATE_FIELDS, PriceProblem
from domain.problems import Problem, refuse, refuse_all
from persistence.enums import ContainerSize, SpecialPriceKind
from persistence.models import Account, Client, Fee, PriceListItem, SpecialPrice

FEE_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
MONEY_FIELDS = ("base_price", "overage_per_ton", "per_extra_day", "fee_amount")
CONTAINER_ONLY = frozenset(RATE_FIELDS) | {"rental_days"}
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


@dataclass(frozen=True, slots=True)
class SpecialTarget:
    """What a special price replaces: a container size, or a fee code."""

    container_size: int | None = None
    rental_days: int | None = None
    fee_code: str | None = None


async def find_client(
    session: AsyncSession, account_id: int, public_id: UUID | None
) -> Client:
    """The account's client, or a refusal at ``clientId``."""
    client = await by_public_id(session, Client, account_id, public_id)
    if client is None:
        refuse(PriceProblem.CLIENT_NOT_FOUND, "clientId", "No client has that ID.")
    return client


async def target_problems(
    session: AsyncSession, account_id: int, target: SpecialTarget
) -> list[Problem]:
    names_size = target.container_size is not None
    names_fee = target.fee_code is not None
    if names_size == names_fee:
        message = "Name either a containerSize or a feeCode, not both or neither."
        return [Problem(PriceProblem.TARGET_REQUIRED, "", message)]
    if names_size:
        return size_problems(target.container_size) + amount_problems(
            {"rental_days": target.rental_days}
        )
    problems = []
    if target.rental_days is not None:
        message = "rentalDays applies to container prices, not fees."
        problems.append(Problem(PriceProblem.NOT_APPLICABLE, "rentalDays", message))
    if await find_fee(session, account_id, target.fee_code or "") is None:
        message = f"No fee has the code {target.fee_code!r}."
        problems.append(Problem(PriceProblem.UNKNOWN_FEE, "feeCode", message))
    return problems


def price_field_problems(
    kind: SpecialPriceKind, prices: Mapping[str, Any]
) -> list[Problem]:
    """The named price fields must fit the kind, and there must be one."""
    named = {name for name, value in prices.items() if value is not None}
    allowed = set(RATE_FIELDS) if kind is SpecialPriceKind.CONTAINER else {"fee_amount"}
    problems = [
        Problem(
            PriceProblem.NOT_APPLICABLE,
            camel(name),
            f"{camel(name)} does not apply to a {kind.value} special price.",
        )
        for name in sorted(named - allowed)
    ]
    if not named & allowed:
        message = "Name at least one price field for the special price to change."
        problems.append(Problem(PriceProblem.NO_PRICE_FIELD, "", message))
    return problems + amount_problems(prices)


async def add_special_price(
    session: AsyncSession,
    viewer: Viewer,
    client_id: UUID | None,
    target: SpecialTarget,
    prices: Mapping[str, Any],
    starts_on: date | None = None,
    ends_on: date | None = None,
    note: str | None = None,
) -> SpecialPrice:
    """A negotiated price for one client; ``prices`` maps price fields
    (``base_price``, ``fee_amount``, ...) to values, ``None`` for "standard"."""
    client = await find_client(session, viewer.account_id, client_id)
    problems = await target_problems(session, viewer.account_id, target)
    # Without one target, which price fields apply cannot be said.
    if any(problem.code is PriceProblem.TARGET_REQUIRED for problem in problems):
        refuse_all(problems)
    kind = (
        SpecialPriceKind.FEE
        if target.fee_code is not None
        else SpecialPriceKind.CONTAINER
    )
    problems += price_field_problems(kind, prices)
    problems += dates_problems(starts_on, ends_on)
    refuse_all(problems)

    account = await session.get_one(Account, viewer.account_id)
    special = SpecialPrice(
        account_id=viewer.account_id,
        client_id=client.id,
        kind=kind,
        container_size=target.container_size,
        rental_days=target.rental_days,
        fee_code=target.fee_code,
        currency=account.currency,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
        created_by_id=viewer.staff_user_id,
        **{name: prices.get(name) for name in SPECIAL_FIELDS},
    )
    session.add(special)
    await session.flush()
    await record_activity(
        session, viewer, "special_price.added", client_id=client.id, subject=special,
        **special_detail(special),
    )  # fmt: skip
    return special


def special_detail(special: SpecialPrice) -> dict[str, Any]:
    fields = ("kind", "container_size", "rental_days", "fee_code", *SPECIAL_FIELDS)
    values = {name: getattr(special, name) for name in fields}
    values |= {"starts_on": special.starts_on, "ends_on": special.ends_on}
    return json_safe(values)


async def find_special(
    session: AsyncSession, account_id: int, public_id: UUID | None
) -> SpecialPrice:
    special = await by_public_id(session, SpecialPrice, account_id, public_id)
    if special is None:
        refuse(
            PriceProblem.SPECIAL_PRICE_NOT_FOUND,
            "specialPriceId",
            "No special price has that ID.",
        )
    return special


UPDATABLE = frozenset({*SPECIAL_FIELDS, "rental_days", "starts_on", "ends_on", "note"})


async def update_special_price(
    session: AsyncSession,
    viewer: Viewer,
    special_price_id: UUID | None,
    changes: Mapping[str, Any],
) -> SpecialPrice:
    """Change the fields named in ``changes`` (``None`` clears one: that
    field goes back to the standard price). Its target stays."""
    special = await find_special(session, viewer.account_id, special_price_id)
    assert set(changes) <= UPDATABLE, "only special price fields can change"
    after = {name: getattr(special, name) for name in UPDATABLE} | dict(changes)
    kind = SpecialPriceKind(special.kind)

    problems = price_field_problems(
        kind, {name: after[name] for name in SPECIAL_FIELDS}
    )
    if kind is SpecialPriceKind.FEE and after["rental_days"] is not None:
        message = "rentalDays applies to container prices, not fees."
        problems.append(Problem(PriceProblem.NOT_APPLICABLE, "rentalDays", message))
    problems += amount_problems({"rental_days": after["rental_days"]})
    problems += dates_problems(after["starts_on"], after["ends_on"])
    refuse_all(problems)

    for name, value in changes.items():
        setattr(special, name, value)
    await session.flush()
    await record_activity(
        session, viewer, "special_price.updated", client_id=special.client_id,
        subject=special, changed=sorted(changes), **special_detail(special),
    )  # fmt: skip
    return special


async def remove_special_price(
    session: AsyncSession, viewer: Viewer, special_price_id: UUID | None
) -> SpecialPrice:
    """Delete it; prices already snapshotted from it stay as they were."""
    special = await find_special(session, viewer.account_id, special_price_id)
    await record_activity(
        session, viewer, "special_price.removed", client_id=special.client_id,
        subject=special, **special_detail(special),
    )  # fmt: skip
    await session.delete(special)
    await session.flush()
    return special


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
