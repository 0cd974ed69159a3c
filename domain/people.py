"""A client's people and places: what a valid contact or address is, and
finding a client's records inside the viewer's account.

Validation collects every fault of an input before refusing, so an office
user fixes a form once. Emails are stored lower-case; phones in E.164.
"""

import re
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.viewer import Viewer
from domain.problems import Problem, refuse
from persistence.enums import AddressKind
from persistence.models import Account, Address, Client, Contact
from persistence.models.base import Base


class ClientProblem(StrEnum):
    """Why a change to a client, its contacts or its addresses was refused."""

    CLIENT_NOT_FOUND = "client_not_found"
    CONTACT_NOT_FOUND = "contact_not_found"
    ADDRESS_NOT_FOUND = "address_not_found"
    CLIENT_MERGED = "client_merged"
    REQUIRED = "required"
    TOO_LONG = "too_long"
    INVALID_EMAIL = "invalid_email"
    INVALID_PHONE = "invalid_phone"
    INVALID_COUNTRY = "invalid_country"
    INVALID_TAG = "invalid_tag"
    CONSENT_NEEDS_PHONE = "consent_needs_phone"
    ALREADY_ARCHIVED = "already_archived"
    NOT_ARCHIVED = "not_archived"
    CLIENT_ARCHIVED = "client_archived"
    SAME_CLIENT = "same_client"
    ADDRESS_ARCHIVED = "address_archived"
    LAST_CONTACT = "last_contact"
    SUCCESSOR_REQUIRED = "successor_required"
    DASHBOARD_ACCESS_OFF = "dashboard_access_off"


Row = TypeVar("Row", bound=Base)

EMAIL = re.compile(
    r"^[^@\s]{1,64}@(?=.{1,255}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$"
)
PHONE_PUNCTUATION = re.compile(r"[\s().\-/]")
# Countries of the North American Numbering Plan dial +1 and ten digits.
NANP_COUNTRIES = frozenset({"US", "CA", "PR"})
COUNTRY = re.compile(r"^[A-Z]{2}$")
TAG = re.compile(r"^[^\s,][^,]{0,58}[^\s,]$|^[^\s,]$")


def normalise_email(value: str) -> str | None:
    """The address in lower case, or None when it cannot be an address."""
    address = value.strip().lower()
    if len(address) > 320 or EMAIL.match(address) is None:
        return None
    return address


def normalise_phone(value: str, country: str) -> str | None:
    """The number in E.164 (``+13035550123``), or None when it is not one.

    A number written with ``+`` (or ``00``) keeps its country code; a
    national number is read in the account's country, which is only possible
    for the North American plan (ten digits, or eleven starting with 1).
    """
    digits = PHONE_PUNCTUATION.sub("", value.strip())
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+"):
        national = digits[1:]
        if national.isdecimal() and national.isascii() and 8 <= len(national) <= 15:
            return digits if national[0] != "0" else None
        return None
    if not (digits.isdecimal() and digits.isascii()) or country not in NANP_COUNTRIES:
        return None
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) == 10 and digits[0] not in "01":
        return "+1" + digits
    return None


def country_of(account: Account) -> str:
    """The account's country, from the region of its locale (``en-US``)."""
    _, _, region = account.locale.partition("-")
    return region.upper() or "US"


@dataclass(frozen=True, slots=True)
class Checker:
    """Collects problems of one input, addressed by dotted paths below
    ``prefix``."""

    prefix: str
    problems: list[Problem]

    def path(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def add(self, code: ClientProblem, name: str, message: str) -> None:
        self.problems.append(Problem(code, self.path(name), message))

    def text(
        self, name: str, value: str | None, limit: int, *, required: bool = False
    ) -> str | None:
        """The trimmed text (None when empty), checked for presence and length."""
        cleaned = (value or "").strip() or None
        if cleaned is None and required:
            self.add(ClientProblem.REQUIRED, name, f"Fill in {name}; it is required.")
        elif cleaned is not None and len(cleaned) > limit:
            self.add(
                ClientProblem.TOO_LONG,
                name,
                f"Shorten {name} to {limit} characters or fewer.",
            )
        return cleaned

    def email(self, name: str, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        address = normalise_email(value)
        if address is None:
            self.add(
                ClientProblem.INVALID_EMAIL,
                name,
                f"{value!r} is not an email address such as name@example.com.",
            )
        return address

    def phone(self, name: str, value: str | None, country: str) -> str | None:
        if value is None or not value.strip():
            return None
        number = normalise_phone(value, country)
        if number is None:
            self.add(
                ClientProblem.INVALID_PHONE,
                name,
                f"{value!r} is not a phone number; write it with its country "
                "code, e.g. +1 303 555 0123.",
            )
        return number

    def country(self, name: str, value: str | None) -> str:
        code = (value or "").strip().upper()
        if COUNTRY.match(code) is None:
            self.add(
                ClientProblem.INVALID_COUNTRY,
                name,
                f"{value!r} is not a two-letter ISO 3166 country code such as US.",
            )
        return code

    def tags(self, name: str, values: list[str]) -> list[str]:
        """Distinct, trimmed tags; each 1 to 60 characters without commas."""
        cleaned: list[str] = []
        for index, value in enumerate(values):
            tag = value.strip()
            if TAG.match(tag) is None:
                self.add(
                    ClientProblem.INVALID_TAG,
                    f"{name}.{index}",
                    f"{value!r} is not a tag: 1 to 60 characters, no commas.",
                )
            elif tag not in cleaned:
                cleaned.append(tag)
        return cleaned


@dataclass(frozen=True, slots=True)
class ContactDetails:
    """A contact as the office typed it; ``text_consent_source`` says how
    consent to texts was given (None: no consent)."""

    first_name: str
    last_name: str = ""
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    text_consent_source: str | None = None


@dataclass(frozen=True, slots=True)
class AddressDetails:
    kind: AddressKind
    line1: str
    city: str
    region: str
    postal_code: str
    country: str = "US"
    label: str | None = None
    line2: str | None = None
    pricing_zone: str | None = None
    access_notes: str | None = None


def checked_contact(
    details: ContactDetails, check: Checker, country: str
) -> dict[str, Any]:
    """Column values of a valid contact (problems go to ``check``)."""
    values = {
        "first_name": check.text("firstName", details.first_name, 100, required=True),
        "last_name": check.text("lastName", details.last_name, 100) or "",
        "title": check.text("title", details.title, 100),
        "email": check.email("email", details.email),
        "phone": check.phone("phone", details.phone, country),
        "text_consent_source": check.text(
            "textConsentSource", details.text_consent_source, 200
        ),
    }
    if values["text_consent_source"] and not (details.phone or "").strip():
        check.add(
            ClientProblem.CONSENT_NEEDS_PHONE,
            "textConsentSource",
            "Consent to texts needs a phone number to text.",
        )
    return values


def checked_address(details: AddressDetails, check: Checker) -> dict[str, Any]:
    """Column values of a valid address (problems go to ``check``)."""
    return {
        "kind": details.kind,
        "label": check.text("label", details.label, 100),
        "line1": check.text("line1", details.line1, 200, required=True),
        "line2": check.text("line2", details.line2, 200),
        "city": check.text("city", details.city, 100, required=True),
        "region": check.text("region", details.region, 100, required=True),
        "postal_code": check.text("postalCode", details.postal_code, 20, required=True),
        "country": check.country("country", details.country),
        "pricing_zone": check.text("pricingZone", details.pricing_zone, 80),
        "access_notes": check.text("accessNotes", details.access_notes, 2000),
    }


async def find_in_account(
    session: AsyncSession,
    viewer: Viewer,
    table: type[Row],
    public_id: uuid.UUID | None,
    problem: StrEnum,
    field: str,
) -> Row:
    """The viewer's row with this public id; another account's is not found."""
    row: Row | None = None
    if public_id is not None:
        statement: Any = select(table).where(
            table.public_id == public_id,  # type: ignore[attr-defined]
            table.account_id == viewer.account_id,  # type: ignore[attr-defined]
        )
        row = await session.scalar(statement)
    if row is None:
        refuse(problem, field, "Your account has no such record.")
    return row


async def find_client(
    session: AsyncSession,
    viewer: Viewer,
    public_id: uuid.UUID | None,
    field: str = "clientId",
) -> Client:
    """The viewer's client; a merged client takes no more changes."""
    client = await find_in_account(
        session, viewer, Client, public_id, ClientProblem.CLIENT_NOT_FOUND, field
    )
    if client.merged_into_id is not None:
        refuse(
            ClientProblem.CLIENT_MERGED,
            field,
            "This client was merged into another; change that one instead.",
        )
    return client


async def client_country(session: AsyncSession, client: Client) -> str:
    account = await session.get_one(Account, client.account_id)
    return country_of(account)


async def contacts_of(session: AsyncSession, client_id: int) -> list[Contact]:
    """The client's contacts, oldest first."""
    rows = await session.scalars(
        select(Contact)
        .where(Contact.client_id == client_id)
        .order_by(Contact.created_at, Contact.id)
    )
    return list(rows)


async def addresses_of(
    session: AsyncSession, client_id: int, kind: str
) -> list[Address]:
    """The client's addresses of one kind that are not archived, oldest first."""
    rows = await session.scalars(
        select(Address)
        .where(
            Address.client_id == client_id,
            Address.kind == kind,
            Address.archived_at.is_(None),
        )
        .order_by(Address.created_at, Address.id)
    )
    return list(rows)
