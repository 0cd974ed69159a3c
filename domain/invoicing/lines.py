"""Billable lines as people type them, checked and priced; totals and tax.

Quantities arrive as decimal strings ("1.5") and prices as integer minor
units, so nothing passes through a float. A line's amount is quantity ×
unit price rounded half away from zero (``domain.billing.line_amount``);
tax is the rate applied once to the sum of the taxable amounts, rounded
the same way, so splitting a line never changes the tax by a cent.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.billing import line_amount
from domain.invoicing.problems import InvoicingProblem
from domain.problems import Problem

# The columns hold Numeric(10, 2): eight digits before the point, two after.
MAX_QUANTITY = Decimal("99999999.99")
# A unit price beyond a million (in minor units: 100,000,000 cents) is a typo.
MAX_UNIT_PRICE = 100_000_000
DESCRIPTION_LENGTH = 500
BASIS_POINTS = 10_000


@dataclass(frozen=True, slots=True)
class LineInput:
    """A line as the caller gave it."""

    description: str
    quantity: str
    unit_price: int
    is_taxable: bool = True


@dataclass(frozen=True, slots=True)
class PricedLine:
    """A checked line with its amount."""

    description: str
    quantity: Decimal
    unit_price: int
    amount: int
    is_taxable: bool


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: int
    tax: int

    @property
    def total(self) -> int:
        return self.subtotal + self.tax


def parse_quantity(text: str) -> Decimal | None:
    """The quantity, or None unless it is positive, finite and in cents."""
    try:
        quantity = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not quantity.is_finite() or quantity <= 0 or quantity > MAX_QUANTITY:
        return None
    if quantity != quantity.quantize(Decimal("0.01")):
        return None
    return quantity


def line_problems(line: LineInput, at: str) -> list[Problem]:
    """What is wrong with one line; ``at`` is its path in the input."""
    prefix = f"{at}." if at else ""
    problems = []
    if not line.description.strip() or len(line.description) > DESCRIPTION_LENGTH:
        problems.append(
            Problem(
                InvoicingProblem.DESCRIPTION_REQUIRED,
                f"{prefix}description",
                "Describe what is billed in 1 to 500 characters.",
            )
        )
    if parse_quantity(line.quantity) is None:
        problems.append(
            Problem(
                InvoicingProblem.INVALID_QUANTITY,
                f"{prefix}quantity",
                f"The quantity {line.quantity!r} is not a positive number with at "
                'most two decimals (e.g. "1.5").',
            )
        )
    if abs(line.unit_price) > MAX_UNIT_PRICE:
        problems.append(
            Problem(
                InvoicingProblem.INVALID_AMOUNT,
                f"{prefix}unitPrice",
                "The unit price is out of range; give it in minor units (cents).",
            )
        )
    return problems


def lines_problems(lines: Sequence[LineInput], at: str) -> list[Problem]:
    problems = []
    for index, line in enumerate(lines):
        problems += line_problems(line, f"{at}.{index}")
    return problems


def priced(line: LineInput) -> PricedLine:
    """The line with its amount; call only after ``line_problems`` found none."""
    quantity = parse_quantity(line.quantity)
    if quantity is None:
        raise ValueError(f"Unchecked quantity {line.quantity!r}.")
    return PricedLine(
        description=line.description.strip(),
        quantity=quantity,
        unit_price=line.unit_price,
        amount=line_amount(quantity, line.unit_price),
        is_taxable=line.is_taxable,
    )


def tax_on(taxable: int, rate_bps: int) -> int:
    """Sales tax on ``taxable`` minor units at ``rate_bps`` basis points.

    Nothing is taxed below zero: a discount larger than the taxable lines
    does not become a tax refund.
    """
    if taxable <= 0 or rate_bps <= 0:
        return 0
    tax = Decimal(taxable) * rate_bps / BASIS_POINTS
    return int(tax.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def totals_of(
    amounts: Sequence[tuple[int, bool]], rate_bps: int, is_tax_exempt: bool
) -> Totals:
    """Subtotal and tax of lines given as (amount, is_taxable)."""
    subtotal = sum(amount for amount, _ in amounts)
    taxable = sum(amount for amount, is_taxable in amounts if is_taxable)
    tax = 0 if is_tax_exempt else tax_on(taxable, rate_bps)
    return Totals(subtotal=subtotal, tax=tax)
