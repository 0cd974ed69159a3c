"""The price list an estimate is quoted from, and the viewers that act on it."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL
from persistence.models import (
    Account,
    Client,
    ClientSettingOverride,
    Fee,
    PriceListItem,
)
from tests.factories import add

# Noon in Denver, the accounts' default time zone: the business day is 15 June.
NOW = datetime(2026, 6, 15, 18, tzinfo=UTC)
STANDARD_20_YD = 47_500
MOUNTAIN_20_YD = 55_000
MATTRESS_FEE = 2_500


async def add_price_list(session: AsyncSession, account: Account) -> None:
    """A 20 yd, 7 day rental (standard and in the mountain zone) and a fee."""
    terms: dict[str, Any] = {
        "account_id": account.id,
        "container_size": 20,
        "rental_days": 7,
        "included_days": 7,
        "included_tons": Decimal("3.00"),
        "overage_per_ton": 9_500,
        "per_extra_day": 1_500,
    }
    await add(session, PriceListItem(**terms, base_price=STANDARD_20_YD))
    await add(
        session,
        PriceListItem(**terms, base_price=MOUNTAIN_20_YD, pricing_zone="mountain"),
    )
    await add(
        session,
        Fee(account_id=account.id, code="mattress", name="Mattress", amount=2_500),
    )


async def set_client_setting(
    session: AsyncSession, client: Client, key: str, value: Any
) -> None:
    await add(
        session,
        ClientSettingOverride(
            account_id=client.account_id, client_id=client.id, key=key, value=value
        ),
    )


def staff_viewer(account: Account, staff_user_id: int | None = None) -> Viewer:
    return Viewer(
        account_id=account.id,
        kind=ViewerKind.STAFF,
        permissions=ALL,
        staff_user_id=staff_user_id,
    )


def client_viewer(client: Client) -> Viewer:
    return Viewer(
        account_id=client.account_id,
        kind=ViewerKind.DASHBOARD,
        client_id=client.id,
        contact_id=None,
    )
