"""The records of a client as SQL: documents, messages, notes and their files,
special prices, the notification log, and setting overrides."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, FromClause, func, or_
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.models import (
    Attachment,
    ClientSettingOverride,
    Document,
    Message,
    Note,
    NotificationLogEntry,
    NotificationPreferenceOverride,
    SpecialPrice,
)
from persistence.queries.batched import children_of, rows_by_parent
from persistence.queries.pages import SortKey
from persistence.queries.relations import Filters, Relation, newest_first

documents = Document.__table__
messages = Message.__table__
notes = Note.__table__
attachments = Attachment.__table__
special_prices = SpecialPrice.__table__
notification_log = NotificationLogEntry.__table__
notification_overrides = NotificationPreferenceOverride.__table__
setting_overrides = ClientSettingOverride.__table__


def active_on(source: FromClause, day: date) -> ColumnElement[bool]:
    """Rows whose optional start and end dates both include ``day``."""
    return or_(source.c.starts_on.is_(None), source.c.starts_on <= day) & or_(
        source.c.ends_on.is_(None), source.c.ends_on >= day
    )


def special_price_filters(
    source: FromClause, filters: Filters
) -> list[ColumnElement[bool]]:
    values = dict(filters)
    if (day := values.get("active_on")) is not None:
        return [active_on(source, day)]
    return []


def notification_log_filters(
    source: FromClause, filters: Filters
) -> list[ColumnElement[bool]]:
    values = dict(filters)
    where: list[ColumnElement[bool]] = []
    if events := values.get("events"):
        where.append(source.c.event.in_(events))
    if channel := values.get("channel"):
        where.append(source.c.channel == channel)
    if statuses := values.get("statuses"):
        where.append(source.c.status.in_(statuses))
    return where


def document_filters(source: FromClause, filters: Filters) -> list[ColumnElement[bool]]:
    # Clients see what was sent to them; drafts are the business's own work.
    if dict(filters).get("sent_only"):
        return [source.c.sent_at.is_not(None)]
    return []


CLIENT_DOCUMENTS = Relation(
    name="client.documents",
    source=documents,
    parent_column="client_id",
    order=newest_first(documents, "created_at"),
    build_filters=document_filters,
)

CLIENT_MESSAGES = Relation(
    name="client.messages",
    source=messages,
    parent_column="client_id",
    order=newest_first(messages, "created_at"),
)

CLIENT_NOTES = Relation(
    name="client.notes",
    source=notes,
    parent_column="client_id",
    # Pinned notes stay on top; the rest read newest first.
    order=(
        SortKey("is_pinned", notes.c.is_pinned, is_descending=True),
        *newest_first(notes, "created_at"),
    ),
)

CLIENT_ATTACHMENTS = Relation(
    name="client.attachments",
    source=attachments,
    parent_column="client_id",
    order=newest_first(attachments, "created_at"),
)

CLIENT_SPECIAL_PRICES = Relation(
    name="client.special_pricing",
    source=special_prices,
    parent_column="client_id",
    # Container prices by size and rental length, then fees by code; the
    # nullable columns are coalesced so the order is total and comparable.
    order=(
        SortKey("kind", special_prices.c.kind),
        SortKey("container_size", func.coalesce(special_prices.c.container_size, 0)),
        SortKey("rental_days", func.coalesce(special_prices.c.rental_days, 0)),
        SortKey("fee_code", func.coalesce(special_prices.c.fee_code, "")),
        *newest_first(special_prices, "created_at"),
    ),
    build_filters=special_price_filters,
)

CLIENT_NOTIFICATION_LOG = Relation(
    name="client.notification_log",
    source=notification_log,
    parent_column="client_id",
    order=newest_first(notification_log, "created_at"),
    build_filters=notification_log_filters,
)


ATTACHMENTS_OF_NOTES = children_of(
    attachments,
    "note_id",
    attachments.c.created_at.desc(),
    attachments.c.public_id.desc(),
)
OVERRIDES_OF_CLIENTS = children_of(
    notification_overrides, "client_id", notification_overrides.c.id
)
SETTINGS_OF_CLIENTS = children_of(
    setting_overrides, "client_id", setting_overrides.c.id
)


async def attachments_of_notes(
    session: AsyncSession, account_id: int, note_ids: Sequence[int]
) -> dict[int, list[Row[Any]]]:
    """The files attached to each note, newest first."""
    return await rows_by_parent(
        session, ATTACHMENTS_OF_NOTES, "note_id", account_id, note_ids
    )


async def notification_overrides_of_clients(
    session: AsyncSession, account_id: int, client_ids: Sequence[int]
) -> dict[int, list[Row[Any]]]:
    """Each client's own on/off choices per notification event and channel."""
    return await rows_by_parent(
        session, OVERRIDES_OF_CLIENTS, "client_id", account_id, client_ids
    )


async def setting_overrides_of_clients(
    session: AsyncSession, account_id: int, client_ids: Sequence[int]
) -> dict[int, list[Row[Any]]]:
    """Each client's own values for client settings."""
    return await rows_by_parent(
        session, SETTINGS_OF_CLIENTS, "client_id", account_id, client_ids
    )
