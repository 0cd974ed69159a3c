"""Shared pieces of the billing types: field shorthands, row lookups and
the GraphQL enums of the ledger."""

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry
from sqlalchemy import FromClause

from domain.permissions import Permission
from graph.context import Info
from graph.fields import EVERYONE, field
from graph.ids import encode_global_id
from graph.loaders import row_loader
from graph.permissions import BILLING_READ, PAYMENT_METHODS_READ
from persistence.enums import (
    HoldRule,
    InvoiceStatus,
    PaymentMethodKind,
    PaymentStatus,
    RecurrenceInterval,
    StoredMethodKind,
)
from persistence.models import Account
from persistence.queries.billing import BillingActivityKind

Record = TypeVar("Record")

accounts = Account.__table__

# The stored vocabularies become GraphQL enums: strawberry marks the classes
# themselves, so fields are annotated with them directly.
strawberry.enum(
    InvoiceStatus,
    description="Where an invoice stands: DRAFT, OPEN (sent, not yet due), OVERDUE, "
    "PARTIALLY_PAID, PAID or VOID.",
)
strawberry.enum(PaymentMethodKind, description="How a payment was made.")
strawberry.enum(
    PaymentStatus,
    description="SUCCEEDED, or FAILED (failed payments in a row may place a hold).",
)
strawberry.enum(
    StoredMethodKind, description="A method on file: a CARD or a bank account (ACH)."
)
strawberry.enum(
    RecurrenceInterval, description="The unit of a recurring invoice's period."
)
strawberry.enum(
    HoldRule, description="Who placed a hold: staff (MANUAL) or an automatic rule."
)
strawberry.enum(
    BillingActivityKind, description="What an entry of the billing feed is."
)


def client_visible(
    description: str, permission: Permission = BILLING_READ, **options: Any
) -> Any:
    """A field the client's own dashboard shows as well as staff and partners."""
    return field(
        description=description, permission=permission, audiences=EVERYONE, **options
    )


def staff_visible(
    description: str, permission: Permission = BILLING_READ, **options: Any
) -> Any:
    """A field for staff and partners only."""
    return field(description=description, permission=permission, **options)


def on_file(description: str) -> Any:
    """A field of a payment method on file, shown to the client too."""
    return client_visible(description, PAYMENT_METHODS_READ)


def global_id(type_name: str, row: Any) -> strawberry.ID:
    return strawberry.ID(encode_global_id(type_name, row.public_id))


async def load_row(info: Info, table: FromClause, row_id: int | None) -> Any:
    """The row of ``table`` with this id in the viewer's account, batched."""
    if row_id is None:
        return None
    return await row_loader(info.context, table, "id").load(row_id)


async def load_record(
    info: Info,
    table: FromClause,
    row_id: int | None,
    from_row: Callable[[Any], Record],
) -> Record | None:
    row = await load_row(info, table, row_id)
    return from_row(row) if row is not None else None
