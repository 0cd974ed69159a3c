"""Drafting an estimate: its lines priced by the one price resolver (with
their provenance), totals and tax from the client's settings, validity, and
numbers sequential per account. Status steps are in ``domain.estimates``."""

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.client_settings import client_setting
from domain.estimates import EstimateProblem, business_day, staff_id
from domain.identity.viewer import Viewer
from domain.lookups import open_client
from domain.pricing import container_rate, fee_price
from domain.problems import Problem, Refused, refuse, refuse_all
from persistence.enums import AddressKind, EstimateStatus, PriceRule
from persistence.models import Account, Address, Client, Estimate, EstimateLine

logger = logging.getLogger(__name__)

# No client setting names a validity; quotes hold for a month unless staff
# choose a date.
DEFAULT_VALID_DAYS = 30
TITLE_LENGTH = 200
DESCRIPTION_LENGTH = 500
LARGEST_QUANTITY = Decimal("99999999.99")


@dataclass(frozen=True, slots=True)
class LineDraft:
    """One line as asked for: exactly one of a container rental
    (``container_size`` and ``rental_days``), a fee (``fee_code``) or a manual
    price (``unit_price`` with a ``description``)."""

    container_size: int | None = None
    rental_days: int | None = None
    fee_code: str | None = None
    unit_price: int | None = None
    description: str | None = None
    quantity: Decimal = Decimal(1)


@dataclass(frozen=True, slots=True)
class EstimateDraft:
    """What staff fill in. On update, None leaves a part as it is and
    ``lines`` replaces all lines."""

    title: str | None = None
    lines: Sequence[LineDraft] | None = None
    valid_until: date | None = None
    service_address_id: uuid.UUID | None = None
    notes: str | None = None


async def find_client(
    session: AsyncSession, account_id: int, public_id: uuid.UUID | None
) -> Client:
    return await open_client(
        session,
        account_id,
        public_id,
        missing=EstimateProblem.CLIENT_NOT_FOUND,
        closed=EstimateProblem.CLIENT_ARCHIVED,
        purpose="quoting",
    )


async def take_estimate_number(session: AsyncSession, account_id: int) -> int:
    """The account's next estimate number, taken in one atomic UPDATE.

    The row stays locked until the transaction ends, so concurrent creators
    queue on PostgreSQL; a rolled-back transaction returns its number with it,
    so no committed estimate ever shares or skips one.
    """
    number = await session.scalar(
        update(Account)
        .where(Account.id == account_id)
        .values(next_estimate_number=Account.next_estimate_number + 1)
        .returning(Account.next_estimate_number - 1)
        .execution_options(synchronize_session=False)
    )
    if number is None:  # pragma: no cover - the viewer's account always exists
        raise LookupError(f"No account {account_id}.")
    return number


async def create_estimate(
    session: AsyncSession,
    viewer: Viewer,
    client: Client,
    draft: EstimateDraft,
    now: datetime,
) -> Estimate:
    """A draft estimate for ``client``, every line priced as of today."""
    today = await business_day(session, client.account_id, now)
    account = await session.get_one(Account, client.account_id)

    estimate = Estimate(
        account_id=client.account_id,
        client_id=client.id,
        title="",
        status=EstimateStatus.DRAFT,
        valid_until=today + timedelta(days=DEFAULT_VALID_DAYS),
        currency=account.currency,
        created_by_id=staff_id(viewer),
    )

    # Taken first: a refusal rolls the whole transaction back, number included.
    estimate.number = await take_estimate_number(session, client.account_id)
    await apply_draft(session, client, estimate, draft, today, is_new=True)

    await record_activity(
        session,
        viewer,
        "estimate.created",
        client_id=client.id,
        subject=estimate,
        number=estimate.number,
    )
    return estimate


async def update_estimate(
    session: AsyncSession,
    viewer: Viewer,
    estimate: Estimate,
    draft: EstimateDraft,
    now: datetime,
) -> Estimate:
    """Change a draft; a sent estimate is what the client saw and stays so."""
    if estimate.status != EstimateStatus.DRAFT:
        refuse(
            EstimateProblem.NOT_DRAFT,
            "estimateId",
            "Only a draft estimate can be changed; this one was sent.",
        )

    client = await session.get_one(Client, estimate.client_id)
    today = await business_day(session, estimate.account_id, now)
    await apply_draft(session, client, estimate, draft, today, is_new=False)

    await record_activity(
        session,
        viewer,
        "estimate.updated",
        client_id=estimate.client_id,
        subject=estimate,
        number=estimate.number,
    )
    return estimate


async def apply_draft(
    session: AsyncSession,
    client: Client,
    estimate: Estimate,
    draft: EstimateDraft,
    today: date,
    *,
    is_new: bool,
) -> None:
    """Validate every part of ``draft`` together, then lay it on ``estimate``."""
    problems = header_problems(draft, today, is_new=is_new)
    address = await chosen_address(session, client, estimate, draft, problems)

    lines: list[EstimateLine] = []
    if draft.lines is not None:
        zone = address.pricing_zone if address is not None else None
        lines = await priced_lines(session, client, draft.lines, zone, today, problems)
        if address is None and any(line.container_size for line in lines):
            problems.append(
                Problem(
                    EstimateProblem.SERVICE_ADDRESS_REQUIRED,
                    "serviceAddressId",
                    "Container rentals need a service address; the client has "
                    "no default one. Name one.",
                )
            )
    refuse_all(problems)

    if draft.title is not None:
        estimate.title = draft.title.strip()
    if draft.valid_until is not None:
        estimate.valid_until = draft.valid_until
    if draft.notes is not None:
        estimate.notes = draft.notes or None

    estimate.service_address_id = address.id if address is not None else None
    if draft.lines is not None:
        await replace_lines(session, client, estimate, lines)


def header_problems(
    draft: EstimateDraft, today: date, *, is_new: bool
) -> list[Problem]:
    problems = []
    title = draft.title.strip() if draft.title is not None else None
    if (is_new or title is not None) and not 1 <= len(title or "") <= TITLE_LENGTH:
        problems.append(
            Problem(
                EstimateProblem.TITLE_INVALID,
                "title",
                f"Give the estimate a title of 1 to {TITLE_LENGTH} characters.",
            )
        )
    if draft.valid_until is not None and draft.valid_until < today:
        problems.append(
            Problem(
                EstimateProblem.VALIDITY_IN_PAST,
                "validUntil",
                f"The validity date {draft.valid_until} has passed; choose today "
                "or later.",
            )
        )
    if (is_new or draft.lines is not None) and not draft.lines:
        problems.append(
            Problem(EstimateProblem.NO_LINES, "lines", "An estimate needs a line.")
        )
    return problems


async def chosen_address(
    session: AsyncSession,
    client: Client,
    estimate: Estimate,
    draft: EstimateDraft,
    problems: list[Problem],
) -> Address | None:
    """The named service address, else the one kept, else the client's default."""
    if draft.service_address_id is not None:
        address = await session.scalar(
            select(Address).where(
                Address.client_id == client.id,
                Address.public_id == draft.service_address_id,
                Address.kind == AddressKind.SERVICE,
            )
        )
        if address is None:
            problems.append(
                Problem(
                    EstimateProblem.ADDRESS_NOT_FOUND,
                    "serviceAddressId",
                    "The client has no service address with that ID.",
                )
            )
        return address
    if estimate.service_address_id is not None:
        return await session.get(Address, estimate.service_address_id)
    return await session.scalar(
        select(Address).where(
            Address.client_id == client.id,
            Address.kind == AddressKind.SERVICE,
            Address.is_default,
        )
    )


async def priced_lines(
    session: AsyncSession,
    client: Client,
    drafts: Sequence[LineDraft],
    zone: str | None,
    today: date,
    problems: list[Problem],
) -> list[EstimateLine]:
    """Each line priced by the one price resolver; problems of all lines at once."""
    lines = []
    for index, draft in enumerate(drafts):
        field = f"lines.{index}"
        shape = line_problems(draft, field)
        if shape:
            problems.extend(shape)
            continue

        try:
            line = await priced_line(session, client, draft, zone, today)
        except Refused as refused:
            # The resolver names its own fields; place them inside this line.
            problems.extend(
                Problem(EstimateProblem(p.code.value), f"{field}.{p.field}", p.message)
                for p in refused.problems
            )
            continue

        line.position = index + 1
        lines.append(line)
    return lines


def line_problems(draft: LineDraft, field: str) -> list[Problem]:
    kinds = [
        draft.container_size is not None,
        draft.fee_code is not None,
        draft.unit_price is not None,
    ]
    if kinds.count(True) != 1:
        return [
            Problem(
                EstimateProblem.LINE_KIND,
                field,
                "A line is exactly one of a container rental (containerSize), a "
                "fee (feeCode) or a manual price (unitPrice).",
            )
        ]
    problems = []
    quantity = draft.quantity
    is_whole = quantity == quantity.to_integral_value()
    if (
        not Decimal(0) < quantity <= LARGEST_QUANTITY
        or quantity != quantity.quantize(Decimal("0.01"))
        or (draft.container_size is not None and not is_whole)
    ):
        problems.append(
            Problem(
                EstimateProblem.QUANTITY_INVALID,
                f"{field}.quantity",
                f"Quantity {quantity} is not allowed: positive, at most two "
                "decimals, and whole for containers.",
            )
        )
    if draft.container_size is not None and not (draft.rental_days or 0) > 0:
        problems.append(
            Problem(
                EstimateProblem.RENTAL_DAYS_INVALID,
                f"{field}.rentalDays",
                "A container rental needs a positive number of rental days.",
            )
        )
    description = (draft.description or "").strip()
    needs_description = draft.unit_price is not None
    if len(description) > DESCRIPTION_LENGTH or (needs_description and not description):
        problems.append(
            Problem(
                EstimateProblem.DESCRIPTION_INVALID,
                f"{field}.description",
                f"Describe the line in 1 to {DESCRIPTION_LENGTH} characters.",
            )
        )
    return problems


async def priced_line(
    session: AsyncSession,
    client: Client,
    draft: LineDraft,
    zone: str | None,
    today: date,
) -> EstimateLine:
    description = (draft.description or "").strip()
    if draft.container_size is not None and draft.rental_days is not None:
        rate = await container_rate(
            session, client, draft.container_size, draft.rental_days, today, zone
        )
        return new_line(
            description
            or f"{draft.container_size} yd dumpster rental, {draft.rental_days} days",
            draft.quantity,
            rate.base_price,
            rate.rule,
            {**rate.detail, "pricing_zone": zone},
            container_size=draft.container_size,
            rental_days=draft.rental_days,
        )
    if draft.fee_code is not None:
        fee = await fee_price(session, client, draft.fee_code, today)
        return new_line(
            description or fee.name, draft.quantity, fee.amount, fee.rule, fee.detail
        )
    unit_price = draft.unit_price if draft.unit_price is not None else 0
    return new_line(description, draft.quantity, unit_price, PriceRule.MANUAL)


def new_line(
    description: str,
    quantity: Decimal,
    unit_price: int,
    rule: PriceRule,
    detail: dict[str, object] | None = None,
    **values: int,
) -> EstimateLine:
    return EstimateLine(
        description=description,
        quantity=quantity,
        unit_price=unit_price,
        amount=line_amount(unit_price, quantity),
        price_rule=rule,
        price_detail=detail,
        **values,
    )


def line_amount(unit_price: int, quantity: Decimal) -> int:
    """Quantity × unit price in whole minor units, halves rounded away from 0."""
    return int((unit_price * quantity).quantize(Decimal(1), ROUND_HALF_UP))


async def tax_rate_bps(session: AsyncSession, client: Client) -> int:
    """The client's sales tax in basis points; none when exempt. A malformed
    setting counts as no tax rather than failing every estimate."""
    if await client_setting(session, client, "tax_exempt"):
        return 0
    rate = await client_setting(session, client, "tax_rate_bps")
    if isinstance(rate, int) and not isinstance(rate, bool) and rate >= 0:
        return rate
    logger.warning("Client %s has the unusable tax rate %r; using 0", client.id, rate)
    return 0


def tax_on(subtotal: int, rate_bps: int) -> int:
    return line_amount(subtotal, Decimal(rate_bps) / 10_000)


async def replace_lines(
    session: AsyncSession,
    client: Client,
    estimate: Estimate,
    lines: list[EstimateLine],
) -> None:
    """Swap in the new lines and recompute the totals from them."""
    subtotal = sum(line.amount for line in lines)
    if subtotal < 0:
        refuse(
            EstimateProblem.TOTAL_NEGATIVE,
            "lines",
            "The lines add up to less than zero; an estimate cannot owe the client.",
        )

    rate = await tax_rate_bps(session, client)

    # A new estimate gets its id here, once everything about it was accepted.
    if estimate.id is not None:
        for old in await session.scalars(
            select(EstimateLine).where(EstimateLine.estimate_id == estimate.id)
        ):
            await session.delete(old)
    else:
        session.add(estimate)
        await session.flush()

    for line in lines:
        line.account_id = estimate.account_id
        line.estimate_id = estimate.id
        session.add(line)
    estimate.subtotal = subtotal
    estimate.tax = tax_on(subtotal, rate)
    estimate.total = estimate.subtotal + estimate.tax
