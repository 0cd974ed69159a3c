"""Merging a duplicate client into the one that survives.

Every row that refers to the duplicate moves to the survivor, table by
table, as ``HANDLERS`` says. The list is checked against the model itself
(``columns_referring_to_clients``): a new table that refers to a client is
refused by the tests until it says what a merge does with it.

What moves, and what stays:

- history (invoices, payments, tasks, documents, messages, notes, files…)
  moves as it is;
- contacts and addresses move, but the survivor keeps its own primary
  contact and its own defaults (the duplicate's fill a kind the survivor has
  no default of);
- tags are united; setting and notification overrides move unless the
  survivor has its own for the same key (the survivor's choice wins, the
  duplicate's stays with the archived duplicate);
- a duplicate's active hold is released when the survivor has one already;
  a duplicate's default card stops being the default when the survivor has
  one;
- the duplicate keeps its dashboard identity (its sign-ins are revoked and
  unused links expire) and its activity record, which is append-only; the
  merge is recorded on both clients, each pointing at the other.

The duplicate ends archived, with ``merged_into_id`` set; clients merged into
it earlier now point at the survivor.
"""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, Table, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.clients import revoke_dashboard_tokens
from domain.identity.viewer import Viewer
from domain.people import ClientProblem, find_client
from domain.problems import refuse
from persistence.models import (
    Address,
    Base,
    Client,
    ClientTag,
    Contact,
    Hold,
    PaymentMethod,
    SignInLink,
)


@dataclass(frozen=True, slots=True)
class Merge:
    """The two clients of a merge, and when it happens."""

    survivor: Client
    duplicate: Client
    now: datetime


Handler = Callable[[AsyncSession, Merge, Table], Awaitable[None]]


def columns_referring_to_clients() -> set[tuple[str, str]]:
    """Every (table, column) of the model that holds a client's id."""
    return {
        (table.name, foreign_key.parent.name)
        for table in Base.metadata.sorted_tables
        for foreign_key in table.foreign_keys
        if foreign_key.column.table.name == "clients" and foreign_key.column.key == "id"
    }


async def move_rows(session: AsyncSession, merge: Merge, table: Table) -> None:
    """History moves as it is."""
    await session.execute(
        update(table)
        .where(table.c.client_id == merge.duplicate.id)
        .values(client_id=merge.survivor.id)
    )


async def move_contacts(session: AsyncSession, merge: Merge, table: Table) -> None:
    """The survivor keeps its primary contact; the duplicate's joins as an
    ordinary contact."""
    await session.execute(
        update(Contact)
        .where(Contact.client_id == merge.duplicate.id)
        .values(client_id=merge.survivor.id, is_primary=False)
    )


async def move_addresses(session: AsyncSession, merge: Merge, table: Table) -> None:
    """The survivor keeps its defaults; a duplicate's default fills a kind
    the survivor has none of."""
    survivor_defaults = select(Address.kind).where(
        Address.client_id == merge.survivor.id,
        Address.is_default,
        Address.archived_at.is_(None),
    )
    await session.execute(
        update(Address)
        .where(
            Address.client_id == merge.duplicate.id,
            Address.kind.in_(survivor_defaults.scalar_subquery()),
        )
        .values(is_default=False)
    )
    await move_rows(session, merge, table)


async def unite_tags(session: AsyncSession, merge: Merge, table: Table) -> None:
    survivor_tags = select(ClientTag.tag).where(
        ClientTag.client_id == merge.survivor.id
    )
    await session.execute(
        update(ClientTag)
        .where(
            ClientTag.client_id == merge.duplicate.id,
            ClientTag.tag.not_in(survivor_tags.scalar_subquery()),
        )
        .values(client_id=merge.survivor.id)
    )


def move_unless_survivor_has(*key_names: str) -> Handler:
    """Overrides move unless the survivor has its own for the same key."""

    async def move(session: AsyncSession, merge: Merge, table: Table) -> None:
        theirs = table.alias("survivor_rows")
        same_key = [theirs.c[name] == table.c[name] for name in key_names]
        survivor_has = exists().where(
            theirs.c.client_id == merge.survivor.id, *same_key
        )
        await session.execute(
            update(table)
            .where(table.c.client_id == merge.duplicate.id, ~survivor_has)
            .values(client_id=merge.survivor.id)
        )

    return move


async def move_holds(session: AsyncSession, merge: Merge, table: Table) -> None:
    """One active hold per client: the survivor's stays, the duplicate's is
    released with the reason."""
    survivor_on_hold = await session.scalar(
        select(
            exists().where(
                Hold.client_id == merge.survivor.id, Hold.released_at.is_(None)
            )
        )
    )
    if survivor_on_hold:
        await session.execute(
            update(Hold)
            .where(Hold.client_id == merge.duplicate.id, Hold.released_at.is_(None))
            .values(
                released_at=merge.now,
                release_reason="Merged into a client that is on hold already.",
            )
        )
    await move_rows(session, merge, table)


async def move_payment_methods(
    session: AsyncSession, merge: Merge, table: Table
) -> None:
    """The survivor's default method stays the default."""
    survivor_default = await session.scalar(
        select(
            exists().where(
                PaymentMethod.client_id == merge.survivor.id,
                PaymentMethod.is_default,
                PaymentMethod.removed_at.is_(None),
            )
        )
    )
    if survivor_default:
        await session.execute(
            update(PaymentMethod)
            .where(PaymentMethod.client_id == merge.duplicate.id)
            .values(is_default=False)
        )
    await move_rows(session, merge, table)


async def sign_out_duplicate(session: AsyncSession, merge: Merge, table: Table) -> None:
    """The duplicate's dashboard closes; its people sign in to the survivor's."""
    await revoke_dashboard_tokens(session, merge.duplicate.id, merge.now)


async def expire_sign_in_links(
    session: AsyncSession, merge: Merge, table: Table
) -> None:
    await session.execute(
        update(SignInLink)
        .where(
            SignInLink.client_id == merge.duplicate.id,
            SignInLink.used_at.is_(None),
            SignInLink.expires_at > merge.now,
        )
        .values(expires_at=merge.now)
    )


async def stays_with_duplicate(
    session: AsyncSession, merge: Merge, table: Table
) -> None:
    """The dashboard identity and the append-only activity record stay."""


async def repoint_earlier_merges(
    session: AsyncSession, merge: Merge, table: Table
) -> None:
    await session.execute(
        update(Client)
        .where(Client.merged_into_id == merge.duplicate.id)
        .values(merged_into_id=merge.survivor.id)
    )


HANDLERS: dict[tuple[str, str], Handler] = {
    ("contacts", "client_id"): move_contacts,
    ("addresses", "client_id"): move_addresses,
    ("client_tags", "client_id"): unite_tags,
    ("client_setting_overrides", "client_id"): move_unless_survivor_has("key"),
    ("notification_preference_overrides", "client_id"): move_unless_survivor_has(
        "event", "channel"
    ),
    ("holds", "client_id"): move_holds,
    ("payment_methods", "client_id"): move_payment_methods,
    ("access_tokens", "client_id"): sign_out_duplicate,
    ("sign_in_links", "client_id"): expire_sign_in_links,
    ("client_dashboards", "client_id"): stays_with_duplicate,
    ("activity_records", "client_id"): stays_with_duplicate,
    ("clients", "merged_into_id"): repoint_earlier_merges,
    **{
        (name, "client_id"): move_rows
        for name in (
            "invoices",
            "charges",
            "payments",
            "refunds",
            "credits",
            "recurring_invoices",
            "payment_requests",
            "estimates",
            "jobs",
            "tasks",
            "documents",
            "messages",
            "notes",
            "attachments",
            "service_requests",
            "special_prices",
            "notification_log",
        )
    },
}


def unhandled_columns() -> set[tuple[str, str]]:
    """Columns holding a client's id that no handler covers (should be none)."""
    return columns_referring_to_clients() - set(HANDLERS)


async def move_everything(session: AsyncSession, merge: Merge) -> None:
    """Run each table's handler, in the model's dependency order."""
    missing = unhandled_columns()
    if missing:
        raise RuntimeError(
            f"Merging does not know what to do with {sorted(missing)}; add a "
            "handler to domain.merge.HANDLERS."
        )
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            handler = HANDLERS.get((table.name, column.name))
            if handler is not None and refers_to_clients(column):
                await handler(session, merge, table)


def refers_to_clients(column: Column[object]) -> bool:
    return any(key.column.table.name == "clients" for key in column.foreign_keys)


async def merge_clients(
    session: AsyncSession,
    viewer: Viewer,
    survivor_id: uuid.UUID | None,
    duplicate_id: uuid.UUID | None,
    now: datetime,
) -> Client:
    """Move all of the duplicate into the survivor; returns the survivor."""
    survivor = await find_client(session, viewer, survivor_id, "survivorId")
    duplicate = await find_client(session, viewer, duplicate_id, "duplicateId")
    if survivor.id == duplicate.id:
        refuse(ClientProblem.SAME_CLIENT, "duplicateId", "Name two different clients.")
    if survivor.archived_at is not None:
        refuse(
            ClientProblem.CLIENT_ARCHIVED,
            "survivorId",
            "The client that remains must not be archived; restore it first.",
        )

    await session.flush()
    await move_everything(session, Merge(survivor, duplicate, now))
    duplicate.archived_at = duplicate.archived_at or now
    duplicate.merged_into_id = survivor.id
    survivor.last_activity_at = max(
        survivor.last_activity_at, duplicate.last_activity_at, now
    )
    await record_merge(session, viewer, survivor, duplicate)
    return survivor


async def record_merge(
    session: AsyncSession, viewer: Viewer, survivor: Client, duplicate: Client
) -> None:
    await record_activity(
        session,
        viewer,
        "client.merged",
        client_id=survivor.id,
        subject=survivor,
        duplicate=str(duplicate.public_id),
        duplicate_name=duplicate.display_name,
    )
    await record_activity(
        session,
        viewer,
        "client.merged_into",
        client_id=duplicate.id,
        subject=duplicate,
        survivor=str(survivor.public_id),
        survivor_name=survivor.display_name,
    )
