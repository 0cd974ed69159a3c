"""Declarative base, column types and mixins shared by every table.

Three storage rules live here so no table can forget them:

- money is an integer count of minor units (cents) beside a currency code;
- timestamps are timezone-aware and stored in UTC on every database;
- every row that belongs to an account carries an indexed ``account_id``.
"""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    TypeDecorator,
    Uuid,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Deterministic constraint names, so migrations can address every constraint.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
Identifier = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp, stored in UTC and always read back aware.

    SQLite keeps no offset, so values are normalised to UTC on the way in and
    marked as UTC on the way out. Naive datetimes are refused: they are bugs.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"Refusing naive datetime {value!r}; attach a tzinfo.")
        return value.astimezone(UTC)

    def process_result_value(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


class MinorUnits(TypeDecorator[int]):
    """An amount of money in integer minor units (cents for USD).

    Floats and Decimals are refused before they reach the database; the
    column's check constraint refuses them again for writers that bypass the
    ORM (SQLite would otherwise store 12.5 in an integer column).
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(
                f"Money is stored in integer minor units; got {value!r} of type "
                f"{type(value).__name__}. Convert with domain.money first."
            )
        return value


def is_whole_number(column: str) -> str:
    """SQL that is true only when the column holds an integer value."""
    return f"{column} = CAST({column} AS BIGINT)"


def money_checks(*columns: str, allow_negative: bool = False) -> list[CheckConstraint]:
    """Check constraints that keep money columns whole (and, usually, >= 0)."""
    checks = [
        CheckConstraint(is_whole_number(column), name=f"{column}_whole")
        for column in columns
    ]
    if not allow_negative:
        checks += [
            CheckConstraint(f"{column} >= 0", name=f"{column}_not_negative")
            for column in columns
        ]
    return checks


def one_of(column: str, values: type[Any]) -> CheckConstraint:
    """A check constraint keeping a string column within an enum's values."""
    allowed = ", ".join(
        str(member.value) if isinstance(member.value, int) else f"'{member.value}'"
        for member in values
    )
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_valid")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime, uuid.UUID: Uuid}


class IdMixin:
    id: Mapped[int] = mapped_column(Identifier, primary_key=True, sort_order=-3)


class PublicIdMixin:
    """A random public identifier: global IDs are built from it, never from ``id``."""

    public_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, unique=True, default=uuid.uuid4, sort_order=-2
    )


class AccountScoped:
    """Marks a row as belonging to one account (tenant)."""

    @declared_attr
    def account_id(cls) -> Mapped[int]:
        return mapped_column(
            ForeignKey("accounts.id", ondelete="CASCADE"), index=True, sort_order=-1
        )


class CreatedAt:
    created_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=func.now()
    )


def currency_column() -> Mapped[str]:
    return mapped_column(String(3), default="USD")


ONLY_ON = "haulgraph.only_on"


def only_on(dialect: str, index: Index) -> Index:
    """An index that exists on one database only; elsewhere it is not created,
    and migrations are not expected to create it."""
    index.info[ONLY_ON] = dialect
    return index.ddl_if(dialect=dialect)


def include_in_comparison(dialect: str) -> Callable[..., bool]:
    """Alembic's ``include_object`` for ``dialect``: models and migrations are
    compared on what exists there."""

    def include_object(
        item: Any, name: str | None, kind: str, reflected: bool, compare_to: Any
    ) -> bool:
        only = getattr(item, "info", {}).get(ONLY_ON) if not reflected else None
        return only is None or only == dialect

    return include_object
