"""The structural rules of the data model, enforced by the database itself."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, inspect, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.enums import (
    ActorKind,
    AddressKind,
    ContainerSize,
    HoldRule,
    Material,
    NotificationEvent,
    NotificationStatus,
    NotificationTrigger,
    PaymentMethodKind,
    StoredMethodKind,
    TaskKind,
)
from persistence.models import (
    Account,
    ActivityRecord,
    Client,
    Contact,
    Hold,
    Invoice,
    NotificationLogEntry,
    Payment,
    PaymentMethod,
    Task,
)
from persistence.models.base import Base
from tests.factories import (
    add,
    add_account,
    add_address,
    add_client,
    add_contact,
    add_invoice,
)

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


async def test_second_primary_contact_is_refused(session: AsyncSession) -> None:
    client = await add_client(session, await add_account(session))
    await add_contact(session, client, is_primary=True)
    await add_contact(session, client, is_primary=False)

    with pytest.raises(IntegrityError):
        await add_contact(session, client, is_primary=True)


async def test_each_client_has_its_own_primary_contact(session: AsyncSession) -> None:
    account = await add_account(session)
    first, second = (
        await add_client(session, account),
        await add_client(session, account),
    )

    await add_contact(session, first, is_primary=True)
    await add_contact(session, second, is_primary=True)

    primaries = await session.scalars(select(Contact).where(Contact.is_primary))
    assert {contact.client_id for contact in primaries} == {first.id, second.id}


async def test_invoice_number_cannot_repeat_within_an_account(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    await add_invoice(session, await add_client(session, account), number=1001)

    with pytest.raises(IntegrityError):
        await add_invoice(session, await add_client(session, account), number=1001)


async def test_invoice_number_can_repeat_across_accounts(session: AsyncSession) -> None:
    first = await add_client(session, await add_account(session))
    second = await add_client(session, await add_account(session))

    await add_invoice(session, first, number=1001)
    await add_invoice(session, second, number=1001)

    numbers = await session.scalars(select(Invoice.number))
    assert list(numbers) == [1001, 1001]


@pytest.mark.parametrize("amount", [12.5, 10.0, "100"])
async def test_money_columns_refuse_non_integers_from_python(
    session: AsyncSession, amount: object
) -> None:
    client = await add_client(session, await add_account(session))

    with pytest.raises(StatementError, match="integer minor units"):
        await add_invoice(session, client, subtotal=amount, tax=0, total=amount)


async def test_money_columns_refuse_fractions_written_in_sql(
    session: AsyncSession,
) -> None:
    invoice = await add_invoice(
        session, await add_client(session, await add_account(session))
    )

    with pytest.raises(DBAPIError):
        await session.execute(
            text("UPDATE invoices SET subtotal = :subtotal WHERE id = :id"),
            {"subtotal": 12.5, "id": invoice.id},
        )


async def test_invoice_total_must_equal_subtotal_plus_tax(
    session: AsyncSession,
) -> None:
    client = await add_client(session, await add_account(session))

    with pytest.raises(IntegrityError):
        await add_invoice(session, client, subtotal=1000, tax=80, total=1000)


async def test_payment_amount_must_be_positive(session: AsyncSession) -> None:
    client = await add_client(session, await add_account(session))

    with pytest.raises(IntegrityError):
        await add(
            session,
            Payment(
                account_id=client.account_id,
                client_id=client.id,
                method=PaymentMethodKind.CASH,
                amount=0,
                received_at=NOW,
            ),
        )


async def test_idempotency_key_records_one_payment(session: AsyncSession) -> None:
    client = await add_client(session, await add_account(session))
    values = {
        "account_id": client.account_id,
        "client_id": client.id,
        "method": PaymentMethodKind.CHECK,
        "amount": 5000,
        "received_at": NOW,
        "idempotency_key": "pay-1",
    }
    await add(session, Payment(**values))

    with pytest.raises(IntegrityError):
        await add(session, Payment(**values))


async def test_one_default_address_of_each_kind(session: AsyncSession) -> None:
    client = await add_client(session, await add_account(session))
    await add_address(session, client, kind=AddressKind.SERVICE, is_default=True)
    await add_address(session, client, kind=AddressKind.BILLING, is_default=True)

    with pytest.raises(IntegrityError):
        await add_address(session, client, kind=AddressKind.SERVICE, is_default=True)


async def test_only_one_active_hold_per_client(session: AsyncSession) -> None:
    client = await add_client(session, await add_account(session))
    hold = {"account_id": client.account_id, "client_id": client.id}
    await add(session, Hold(**hold, reason="Paid late", released_at=NOW))
    await add(session, Hold(**hold, reason="Five failed payments"))

    with pytest.raises(IntegrityError):
        await add(session, Hold(**hold, reason="Over limit", rule=HoldRule.MANUAL))


async def test_exchange_must_link_its_delivery(session: AsyncSession) -> None:
    client = await add_client(session, await add_account(session))
    address = await add_address(session, client)

    with pytest.raises(IntegrityError):
        await add(
            session,
            Task(
                account_id=client.account_id,
                client_id=client.id,
                kind=TaskKind.EXCHANGE,
                service_address_id=address.id,
                container_size=ContainerSize.YD20,
                material=Material.CONSTRUCTION,
            ),
        )


async def test_container_size_must_be_a_known_size(session: AsyncSession) -> None:
    client = await add_client(session, await add_account(session))
    address = await add_address(session, client)

    with pytest.raises(IntegrityError):
        await add(
            session,
            Task(
                account_id=client.account_id,
                client_id=client.id,
                kind=TaskKind.DELIVERY,
                service_address_id=address.id,
                container_size=25,
                material=Material.CONSTRUCTION,
            ),
        )


async def test_suppressed_notification_needs_a_reason(session: AsyncSession) -> None:
    client = await add_client(session, await add_account(session))

    with pytest.raises(IntegrityError):
        await add(
            session,
            NotificationLogEntry(
                account_id=client.account_id,
                client_id=client.id,
                event=NotificationEvent.INVOICE_SENT,
                channel="email",
                trigger=NotificationTrigger.AUTOMATIC,
                status=NotificationStatus.SUPPRESSED,
            ),
        )


async def test_payment_methods_have_no_column_for_full_numbers(
    session: AsyncSession,
) -> None:
    columns = await session.run_sync(
        lambda sync: {
            column["name"]
            for column in inspect(sync.connection()).get_columns("payment_methods")
        }
    )

    assert "processor_token" in columns
    assert "last_four" in columns
    assert not {
        name for name in columns if "number" in name or name in {"pan", "cvv", "cvc"}
    }


async def test_card_on_file_needs_an_expiry(session: AsyncSession) -> None:
    client = await add_client(session, await add_account(session))

    with pytest.raises(IntegrityError):
        await add(
            session,
            PaymentMethod(
                account_id=client.account_id,
                client_id=client.id,
                kind=StoredMethodKind.CARD,
                processor="sandbox",
                processor_token="tok_visa",
                last_four="4242",
            ),
        )


async def test_naive_timestamps_are_refused(session: AsyncSession) -> None:
    client = await add_client(session, await add_account(session))
    client.archived_at = datetime(2026, 3, 1, 12)

    with pytest.raises(StatementError, match="naive datetime"):
        await session.flush()


async def test_timestamps_come_back_in_utc(session: AsyncSession) -> None:
    client = await add_client(session, await add_account(session))
    client_id = client.id
    client.archived_at = datetime.fromisoformat("2026-03-01T05:00:00-07:00")
    await session.commit()

    session.expire_all()
    archived_at = await session.scalar(
        select(Client.archived_at).where(Client.id == client_id)
    )

    assert archived_at == datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert archived_at is not None
    assert archived_at.utcoffset() is not None


async def test_client_with_financial_history_cannot_be_deleted(
    session: AsyncSession,
) -> None:
    client = await add_client(session, await add_account(session))
    await add_invoice(session, client)

    with pytest.raises(IntegrityError):
        await session.execute(delete(Client).where(Client.id == client.id))


async def test_archiving_a_client_keeps_its_history(session: AsyncSession) -> None:
    client = await add_client(session, await add_account(session))
    await add_contact(session, client, is_primary=True)
    invoice = await add_invoice(session, client)

    client.archived_at = NOW
    await session.commit()

    assert await session.get(Invoice, invoice.id) is not None
    assert await session.scalar(select(Contact.client_id)) == client.id


async def test_client_without_history_takes_its_details_along(
    session: AsyncSession,
) -> None:
    client = await add_client(session, await add_account(session))
    await add_contact(session, client, is_primary=True)
    await add_address(session, client)

    await session.execute(delete(Client).where(Client.id == client.id))

    assert await session.scalar(select(Contact.id)) is None


async def test_activity_records_are_append_only(session: AsyncSession) -> None:
    account = await add_account(session)
    record = await add(
        session,
        ActivityRecord(
            account_id=account.id,
            actor_kind=ActorKind.SYSTEM,
            action="client.created",
        ),
    )
    await session.commit()

    with pytest.raises(DBAPIError, match="append-only"):
        await session.execute(
            update(ActivityRecord)
            .where(ActivityRecord.id == record.id)
            .values(action="client.deleted")
        )
    await session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        await session.execute(delete(ActivityRecord))


def test_every_table_but_accounts_carries_an_indexed_account_id() -> None:
    for table in Base.metadata.sorted_tables:
        if table.name == "accounts":
            continue
        assert "account_id" in table.columns, table.name
        leading_columns = {index.columns.keys()[0] for index in table.indexes}
        assert "account_id" in leading_columns, table.name


async def test_an_account_with_history_cannot_be_deleted(session: AsyncSession) -> None:
    account = await add_account(session)
    await add(
        session,
        ActivityRecord(
            account_id=account.id, actor_kind=ActorKind.SYSTEM, action="account.created"
        ),
    )
    await session.commit()

    with pytest.raises(DBAPIError, match="append-only"):
        await session.execute(delete(Account).where(Account.id == account.id))
