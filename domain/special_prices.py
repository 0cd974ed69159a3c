"""A client's special prices: negotiated container or fee prices.

The rules: a special price names either a container size (with an optional
rental length; none means any length) or an existing fee code, at least one
price field, and optional start and end dates in order. Container fields do
not apply to a fee and the fee amount does not apply to a container. Money
and tons are validated as on the price list (``domain.price_list``). Every
change is recorded in the activity record, on the client.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.identity.viewer import Viewer
from domain.lookups import by_public_id
from domain.price_list import (
    SPECIAL_FIELDS,
    amount_problems,
    camel,
    dates_problems,
    find_fee,
    json_safe,
    size_problems,
)
from domain.pricing import RATE_FIELDS, PriceProblem
from domain.problems import Problem, refuse, refuse_all
from persistence.enums import SpecialPriceKind
from persistence.models import Account, Client, SpecialPrice


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
