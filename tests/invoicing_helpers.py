"""Shared pieces of the invoicing tests: a staff viewer, a fixed clock, and
the ledger's balance to compare against."""

from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.viewer import Viewer, ViewerKind
from domain.invoicing.lines import LineInput
from domain.permissions import ALL
from persistence.models import Account, Client
from persistence.queries.ledger import billing_summaries

# Noon in Denver (the accounts' default time zone) on March 10th, 2026.
NOW = datetime(2026, 3, 10, 19, tzinfo=UTC)
TODAY = date(2026, 3, 10)


def staff(account: Account) -> Viewer:
    return Viewer(account_id=account.id, kind=ViewerKind.STAFF, permissions=ALL)


def line(unit_price: int = 10_000, quantity: str = "1", **values: object) -> LineInput:
    description = str(values.get("description", "Mattress disposal"))
    is_taxable = bool(values.get("is_taxable", True))
    return LineInput(description, quantity, unit_price, is_taxable)


async def ledger_balance(session: AsyncSession, client: Client) -> int:
    """The client's balance as the ledger derives it from its rows."""
    summaries = await billing_summaries(session, client.account_id, [client.id], TODAY)
    return summaries[client.id].balance
