"""What the settings say about billing one client: its tax, its payment
terms, and the business day an invoice is dated."""

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.calendar import local_date
from domain.invoicing.problems import InvoicingProblem
from domain.problems import refuse
from domain.settings import SETTINGS_BY_KEY, SettingOverride, effective_setting
from persistence.models import Account, Address, Client
from persistence.queries import invoicing as queries

logger = logging.getLogger(__name__)

TAX_EXEMPT = "tax_exempt"
TAX_RATE = "tax_rate_bps"
PAYMENT_TERMS = "payment_terms_days"
BILLING_KEYS = (TAX_EXEMPT, TAX_RATE, PAYMENT_TERMS)


@dataclass(frozen=True, slots=True)
class BillingTerms:
    """The effective billing settings of one client on one business day."""

    today: date
    currency: str
    tax_rate_bps: int
    is_tax_exempt: bool
    payment_terms_days: int


def whole_number(key: str, value: Any, fallback: int) -> int:
    """A setting that must be a whole number ≥ 0; a malformed one falls back."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    logger.warning(
        "Setting %s has the unusable value %r; using %s", key, value, fallback
    )
    return fallback


async def billing_terms(
    session: AsyncSession, account: Account, client: Client, now: datetime
) -> BillingTerms:
    """The client's tax and terms: its override where it has one, else the
    account's value, else the catalogue default (``domain.settings``)."""
    overrides = await queries.client_setting_overrides(session, client.id, BILLING_KEYS)

    def value_of(key: str) -> Any:
        override = (
            SettingOverride(key, overrides[key], changed_at=now)
            if key in overrides
            else None
        )
        definition = SETTINGS_BY_KEY[key]
        return effective_setting(definition, account.client_settings, override).value

    return BillingTerms(
        today=local_date(now, account.time_zone),
        currency=account.currency,
        tax_rate_bps=whole_number(TAX_RATE, value_of(TAX_RATE), 0),
        is_tax_exempt=bool(value_of(TAX_EXEMPT)),
        payment_terms_days=whole_number(PAYMENT_TERMS, value_of(PAYMENT_TERMS), 30),
    )


async def billable_client(
    session: AsyncSession, account_id: int, public_id: uuid.UUID | None, at: str
) -> Client:
    """The account's client that can be billed, or a refusal saying why not.

    An archived (or merged) client keeps its history but takes no new bills.
    """
    client = await queries.by_public_id(session, Client, account_id, public_id)
    if client is None:
        refuse(
            InvoicingProblem.CLIENT_NOT_FOUND, at, "Your account has no such client."
        )
    refuse_if_archived(client, at)
    return client


def refuse_if_archived(client: Client, at: str) -> None:
    if client.archived_at is not None or client.merged_into_id is not None:
        refuse(
            InvoicingProblem.CLIENT_ARCHIVED,
            at,
            f"{client.display_name} is archived; restore the client to bill it.",
        )


async def service_address_of(
    session: AsyncSession, client: Client, public_id: uuid.UUID | None, at: str
) -> Address | None:
    """The client's own address with this id; None when none was given."""
    if public_id is None:
        return None
    address = await queries.by_public_id(session, Address, client.account_id, public_id)
    if address is None or address.client_id != client.id:
        refuse(
            InvoicingProblem.ADDRESS_NOT_FOUND,
            at,
            "That address is not one of this client's addresses.",
        )
    return address
