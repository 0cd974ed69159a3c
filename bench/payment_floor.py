"""The floor of recording a payment: the same reads and writes, by hand.

One transaction: find the client, check the idempotency key, insert the
payment, lock the client's unpaid invoices oldest due first, apply the money,
mark what it paid, append the activity record and queue the receipt.
"""

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Uuid, bindparam, insert, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from persistence.models import (
    ActivityRecord,
    Invoice,
    NotificationLogEntry,
    OutboxItem,
    Payment,
    PaymentApplication,
)

CLIENT = (
    "SELECT * FROM clients WHERE public_id = :client_public AND account_id = :account"
)
KEY = "SELECT * FROM payments WHERE account_id = :account AND idempotency_key = :key"
UNPAID = (
    "SELECT i.id, i.total, i.status, coalesce(sum(a.amount), 0) AS applied "
    "FROM invoices i LEFT JOIN payment_applications a ON a.invoice_id = i.id "
    "WHERE i.client_id = :client AND i.status IN ('open', 'overdue', "
    "'partially_paid') GROUP BY i.id, i.total, i.status, i.due_on "
    "ORDER BY i.due_on, i.id"
)
LOCK = "SELECT id FROM invoices WHERE id IN :ids FOR UPDATE"
CONTACT = "SELECT email FROM contacts WHERE client_id = :client AND is_primary"


async def payment_floor(
    connection: AsyncConnection, parameters: Mapping[str, Any]
) -> bytes:
    """Record ``parameters['amount']`` for the client, as the mutation does."""
    now = datetime.now(UTC)
    async with connection.begin():
        find = text(CLIENT).bindparams(bindparam("client_public", type_=Uuid))
        client = (await connection.execute(find, dict(parameters))).one()
        key = f"floor-{uuid.uuid4()}"
        await connection.execute(text(KEY), {**parameters, "key": key})
        payment = await insert_payment(connection, client, key, parameters, now)
        applied = await apply(connection, client, payment, parameters["amount"], now)
        await append_records(connection, client, payment, applied, parameters, now)
    return orjson.dumps(
        {"payment": {"id": str(payment["public_id"]), "applied": applied}}
    )


async def insert_payment(
    connection: AsyncConnection,
    client: Any,
    key: str,
    parameters: Mapping[str, Any],
    now: datetime,
) -> dict[str, Any]:
    public_id = uuid.uuid4()
    payment_id = await connection.scalar(
        insert(Payment)
        .values(
            public_id=public_id,
            account_id=client.account_id,
            client_id=client.id,
            method="check",
            status="succeeded",
            currency="USD",
            amount=parameters["amount"],
            received_at=now,
            idempotency_key=key,
            recorded_by_id=parameters["staff"],
            created_at=now,
        )
        .returning(Payment.id)
    )
    return {"id": payment_id, "public_id": public_id}


async def apply(
    connection: AsyncConnection,
    client: Any,
    payment: dict[str, Any],
    amount: int,
    now: datetime,
) -> list[dict[str, int]]:
    """Oldest due first until the money runs out."""
    unpaid = (await connection.execute(text(UNPAID), {"client": client.id})).all()
    if unpaid and connection.dialect.name == "postgresql":
        lock = text(LOCK).bindparams(bindparam("ids", expanding=True))
        await connection.execute(lock, {"ids": [row.id for row in unpaid]})
    plan, left = [], amount
    for row in unpaid:
        if left <= 0:
            break
        share = min(left, row.total - row.applied)
        if share > 0:
            plan.append(
                {
                    "invoice": row.id,
                    "amount": share,
                    "paid": share == row.total - row.applied,
                }
            )
            left -= share
    if plan:
        await connection.execute(
            insert(PaymentApplication),
            [
                {
                    "account_id": client.account_id,
                    "payment_id": payment["id"],
                    "invoice_id": item["invoice"],
                    "amount": item["amount"],
                    "created_at": now,
                }
                for item in plan
            ],
        )
        for item in plan:
            status = "paid" if item["paid"] else "partially_paid"
            await connection.execute(
                update(Invoice)
                .where(Invoice.id == item["invoice"])
                .values(status=status, paid_at=now if item["paid"] else None)
            )
    return plan


async def append_records(
    connection: AsyncConnection,
    client: Any,
    payment: dict[str, Any],
    applied: list[dict[str, int]],
    parameters: Mapping[str, Any],
    now: datetime,
) -> None:
    await connection.execute(
        insert(ActivityRecord).values(
            account_id=client.account_id,
            client_id=client.id,
            actor_kind="staff",
            actor_id=parameters["staff"],
            action="payment.recorded",
            subject_type="Payment",
            subject_id=payment["id"],
            detail={"amount": parameters["amount"], "applied": applied},
            occurred_at=now,
        )
    )
    recipient = await connection.scalar(text(CONTACT), {"client": client.id})
    notification_id = await connection.scalar(
        insert(NotificationLogEntry)
        .values(
            public_id=uuid.uuid4(),
            account_id=client.account_id,
            client_id=client.id,
            event="payment_receipt",
            channel="email",
            trigger="automatic",
            status="queued",
            recipient=recipient,
            created_at=now,
        )
        .returning(NotificationLogEntry.id)
    )
    await connection.execute(
        insert(OutboxItem).values(
            account_id=client.account_id,
            notification_id=notification_id,
            available_at=now,
            created_at=now,
        )
    )
