"""Clients: create one with its first contact, change, archive and restore.

Creating a client creates its whole profile at once: the client, its primary
contact, any addresses (the first of each kind is the default), its dashboard
identity and its account number. Its settings need no rows: a client without
overrides inherits every setting from the account (``domain.settings``).

Archiving keeps everything: an archived client leaves the default client list
and its dashboard, but stays readable and can be restored.
"""

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.client_settings import client_setting
from domain.contacts import contact_row
from domain.identity.viewer import Viewer
from domain.notify import announce
from domain.people import (
    AddressDetails,
    Checker,
    ClientProblem,
    ContactDetails,
    checked_address,
    checked_contact,
    country_of,
    find_client,
)
from domain.problems import Problem, refuse, refuse_all
from persistence.enums import ClientType, NotificationEvent
from persistence.models import (
    AccessToken,
    Account,
    Address,
    Client,
    ClientDashboard,
    ClientTag,
)

ACCOUNT_NUMBER_PREFIX = "C"
FIRST_ACCOUNT_NUMBER = 10_001
ACCOUNT_NUMBER = re.compile(rf"^{ACCOUNT_NUMBER_PREFIX}(\d{{1,18}})$")


@dataclass(frozen=True, slots=True)
class NewClient:
    display_name: str
    client_type: ClientType
    primary_contact: ContactDetails
    company_name: str | None = None
    tags: list[str] = field(default_factory=list)
    addresses: list[AddressDetails] = field(default_factory=list)
    is_invited: bool = False


async def lock_account(session: AsyncSession, account_id: int) -> Account:
    """The account row, locked until commit: numbers are handed out one at a
    time (SQLite serialises writers anyway)."""
    account = await session.scalar(
        select(Account)
        .where(Account.id == account_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if account is None:  # pragma: no cover - a viewer's account always exists
        raise LookupError(f"Account {account_id} does not exist.")
    return account


async def next_account_number(session: AsyncSession, account_id: int) -> str:
    """``C`` and one more than the highest number of that shape in the account.

    Numbers typed by people in other shapes are left alone; the longest, then
    highest, string is the highest number, so the search stops early.
    """
    candidates = await session.scalars(
        select(Client.account_number)
        .where(
            Client.account_id == account_id,
            Client.account_number.like(f"{ACCOUNT_NUMBER_PREFIX}%"),
        )
        .order_by(
            func.length(Client.account_number).desc(), Client.account_number.desc()
        )
    )
    for candidate in candidates:
        found = ACCOUNT_NUMBER.match(candidate or "")
        if found is not None:
            return f"{ACCOUNT_NUMBER_PREFIX}{int(found.group(1)) + 1}"
    return f"{ACCOUNT_NUMBER_PREFIX}{FIRST_ACCOUNT_NUMBER}"


def checked_new_client(new: NewClient, country: str) -> dict[str, Any]:
    """Every value of the new profile, checked together; refuses on any fault."""
    problems: list[Problem] = []
    check = Checker("", problems)
    values = {
        "display_name": check.text("displayName", new.display_name, 200, required=True),
        "company_name": check.text("companyName", new.company_name, 200),
        "tags": check.tags("tags", new.tags),
        "contact": checked_contact(
            new.primary_contact, Checker("primaryContact", problems), country
        ),
        "addresses": [
            checked_address(details, Checker(f"addresses.{index}", problems))
            for index, details in enumerate(new.addresses)
        ],
    }
    refuse_all(problems)
    return values


async def create_client(
    session: AsyncSession, viewer: Viewer, new: NewClient, now: datetime
) -> Client:
    """A client with its primary contact, addresses, tags and dashboard."""
    account = await lock_account(session, viewer.account_id)
    values = checked_new_client(new, country_of(account))

    client = Client(
        account_id=account.id,
        display_name=values["display_name"],
        company_name=values["company_name"],
        client_type=new.client_type,
        account_number=await next_account_number(session, account.id),
        last_activity_at=now,
    )
    session.add(client)
    await session.flush()
    session.add(ClientDashboard(account_id=account.id, client_id=client.id))
    session.add(contact_row(client, values["contact"], now, is_primary=True))
    add_addresses(session, client, values["addresses"])
    add_tags(session, client, values["tags"])
    await record_activity(
        session, viewer, "client.created", client_id=client.id, subject=client
    )
    if new.is_invited:
        await session.flush()
        await invite(session, viewer, client)
    return client


async def invite_to_dashboard(
    session: AsyncSession, viewer: Viewer, client_id: uuid.UUID | None
) -> Client:
    """Send the primary contact an invitation to the client's dashboard.

    Whether it went, and if not why (the client turned invitations off, the
    contact has no email), is the notification log's to say, as for any
    message; a client that cannot use its dashboard is refused here.
    """
    client = await find_client(session, viewer, client_id)
    if client.archived_at is not None:
        refuse(
            ClientProblem.CLIENT_ARCHIVED,
            "clientId",
            "This client is archived; restore it before inviting it.",
        )
    if not await client_setting(session, client, "dashboard_access"):
        refuse(
            ClientProblem.DASHBOARD_ACCESS_OFF,
            "clientId",
            "Dashboard access is off for this client; turn the dashboard_access "
            "setting on first.",
        )

    await invite(session, viewer, client)
    return client


async def invite(session: AsyncSession, viewer: Viewer, client: Client) -> None:
    await announce(
        session,
        viewer,
        NotificationEvent.DASHBOARD_INVITATION,
        account_id=client.account_id,
        client_id=client.id,
        manual=True,
    )
    await record_activity(
        session, viewer, "client.invited", client_id=client.id, subject=client
    )


def add_addresses(
    session: AsyncSession, client: Client, addresses: list[dict[str, Any]]
) -> None:
    """The first address of each kind is that kind's default."""
    kinds_seen: set[str] = set()
    for values in addresses:
        is_default = values["kind"] not in kinds_seen
        kinds_seen.add(values["kind"])
        session.add(
            Address(
                account_id=client.account_id,
                client_id=client.id,
                is_default=is_default,
                **values,
            )
        )


def add_tags(session: AsyncSession, client: Client, tags: list[str]) -> None:
    for tag in tags:
        session.add(
            ClientTag(account_id=client.account_id, client_id=client.id, tag=tag)
        )


async def update_client(
    session: AsyncSession,
    viewer: Viewer,
    client_id: uuid.UUID | None,
    changes: Mapping[str, Any],
) -> Client:
    """Change the given fields: ``display_name``, ``company_name``,
    ``client_type``, ``tags`` (the whole list)."""
    client = await find_client(session, viewer, client_id)
    check = Checker("", [])
    values: dict[str, Any] = {}
    if "display_name" in changes:
        values["display_name"] = check.text(
            "displayName", changes["display_name"], 200, required=True
        )
    if "company_name" in changes:
        values["company_name"] = check.text("companyName", changes["company_name"], 200)
    if "client_type" in changes and changes["client_type"] is None:
        check.add(ClientProblem.REQUIRED, "clientType", "Choose a client type.")
    elif "client_type" in changes:
        values["client_type"] = ClientType(changes["client_type"])
    tags = check.tags("tags", changes["tags"]) if "tags" in changes else None
    refuse_all(check.problems)

    for name, value in values.items():
        setattr(client, name, value)
    if tags is not None:
        await replace_tags(session, client, tags)
    await record_activity(
        session,
        viewer,
        "client.updated",
        client_id=client.id,
        subject=client,
        fields=sorted(changes),
    )
    return client


async def replace_tags(session: AsyncSession, client: Client, tags: list[str]) -> None:
    await session.execute(delete(ClientTag).where(ClientTag.client_id == client.id))
    add_tags(session, client, tags)
    await session.flush()


async def revoke_dashboard_tokens(
    session: AsyncSession, client_id: int, now: datetime
) -> None:
    """Signed-in dashboard users of the client are signed out."""
    await session.execute(
        update(AccessToken)
        .where(AccessToken.client_id == client_id, AccessToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def archive_client(
    session: AsyncSession,
    viewer: Viewer,
    client_id: uuid.UUID | None,
    now: datetime,
    reason: str | None = None,
) -> Client:
    """Take the client off the lists and its dashboard; keep all its history."""
    client = await find_client(session, viewer, client_id)
    check = Checker("", [])
    reason = check.text("reason", reason, 500)
    refuse_all(check.problems)
    if client.archived_at is not None:
        refuse(ClientProblem.ALREADY_ARCHIVED, "clientId", "It is archived already.")

    client.archived_at = now
    await revoke_dashboard_tokens(session, client.id, now)
    await record_activity(
        session,
        viewer,
        "client.archived",
        client_id=client.id,
        subject=client,
        reason=reason,
    )
    return client


async def restore_client(
    session: AsyncSession, viewer: Viewer, client_id: uuid.UUID | None
) -> Client:
    """Bring an archived client back; a merged one stays merged."""
    client = await find_client(session, viewer, client_id)
    if client.archived_at is None:
        refuse(ClientProblem.NOT_ARCHIVED, "clientId", "The client is not archived.")

    client.archived_at = None
    await record_activity(
        session, viewer, "client.restored", client_id=client.id, subject=client
    )
    return client
