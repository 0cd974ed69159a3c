"""Money in words people read: emails, refusals, hold reasons.

Amounts are integer minor units everywhere else; only text shows them as
an amount of the currency.
"""

from decimal import Decimal


def format_money(minor_units: int, currency: str) -> str:
    """``12550, "USD"`` → ``"$125.50"``; another currency keeps its code."""
    sign = "-" if minor_units < 0 else ""
    amount = Decimal(abs(minor_units)).scaleb(-2)
    if currency == "USD":
        return f"{sign}${amount:,.2f}"
    return f"{sign}{amount:,.2f} {currency}"
