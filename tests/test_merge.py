"""Merging clients: every record of the duplicate moves, nothing is forgotten."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import merge
from domain.identity.secrets import digest
from domain.identity.viewer import Viewer
from domain.merge import HANDLERS, merge_clients, unhandled_columns
from domain.permissions import ALL
from domain.problems import Refused
from persistence.enums import AddressKind, Channel, NotificationEvent
from persistence.models import (
    AccessToken,
    Account,
    ActivityRecord,
    Address,
    Base,
    Client,
    ClientDashboard,
    ClientSettingOverride,
    ClientTag,
    Contact,
    Hold,
    NotificationPreferenceOverride,
    PaymentMethod,
    SignInLink,
    TokenKind,
)
from tests import billing_factories as billing
from tests import records_factories as records
from tests.factories import add, add_account, add_address, add_client, add_contact
from tests.graph.test_statement_counts import fill_client

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
# Handlers after which the duplicate keeps none of the table's rows.
MOVES_ALL = {
    merge.move_rows,
    merge.move_contacts,
    merge.move_addresses,
    merge.move_holds,
    merge.move_payment_methods,
}


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def test_every_column_that_refers_to_a_client_has_a_merge_rule() -> None:
    columns = {
        (found.name, column.name)
        for found in Base.metadata.sorted_tables
        for column in found.columns
        if any(key.column.table.name == "clients" for key in column.foreign_keys)
    }

    assert unhandled_columns() == set()
    assert set(HANDLERS) == columns


async def counts_by_client(session: AsyncSession, client_id: int) -> dict[str, int]:
    """Rows per table that moves entirely, for one client."""
    counts = {}
    for (name, column), handler in HANDLERS.items():
        if handler in MOVES_ALL:
            found = table(name)
            counts[name] = await session.scalar(
                select(func.count())
                .select_from(found)
                .where(found.c[column] == client_id)
            )
    return counts


async def two_clients(session: AsyncSession) -> tuple[Viewer, Client, Client]:
    """A survivor with its own primary, defaults, hold and card, and a
    duplicate with a record in every section of the profile."""
    account = await add_account(session)
    survivor = await add_client(session, account, display_name="Survivor")
    duplicate = await add_client(session, account, display_name="Duplicate")
    await add_contact(session, survivor, is_primary=True, first_name="Keep")
    await add_address(session, survivor, is_default=True, line1="Survivor yard")
    await billing.add_hold(session, survivor)
    await billing.add_payment_method(session, survivor, is_default=True)
    await records.add_setting_override(session, survivor, "tax_exempt", True)
    await records.add_notification_override(
        session, survivor, NotificationEvent.INVOICE_SENT, Channel.EMAIL
    )
    for client in (survivor, duplicate):
        await add(session, ClientDashboard(account_id=account.id, client_id=client.id))
        await add(
            session, ClientTag(account_id=account.id, client_id=client.id, tag="vip")
        )
    await fill_client(session, duplicate, 2)
    await billing.add_recurring_invoice(session, duplicate)
    await records.add_setting_override(session, duplicate, "tax_exempt", False)
    await records.add_setting_override(session, duplicate, "shop_ordering", False)
    await add(
        session, ClientTag(account_id=account.id, client_id=duplicate.id, tag="x")
    )
    return Viewer(account_id=account.id, permissions=ALL), survivor, duplicate


async def test_merging_moves_every_record_of_the_duplicate(
    session: AsyncSession,
) -> None:
    viewer, survivor, duplicate = await two_clients(session)
    before = await counts_by_client(session, duplicate.id)
    survivor_before = await counts_by_client(session, survivor.id)

    await merge_clients(session, viewer, survivor.public_id, duplicate.public_id, NOW)
    await session.commit()

    after = await counts_by_client(session, duplicate.id)
    survivor_after = await counts_by_client(session, survivor.id)
    assert all(before.values()), "every table of history has a row to move"
    assert set(after.values()) == {0}
    assert survivor_after == {
        name: survivor_before[name] + before[name] for name in before
    }
    assert duplicate.merged_into_id == survivor.id
    assert duplicate.archived_at == NOW


async def test_the_survivor_keeps_one_primary_and_its_defaults(
    session: AsyncSession,
) -> None:
    viewer, survivor, duplicate = await two_clients(session)

    await merge_clients(session, viewer, survivor.public_id, duplicate.public_id, NOW)
    await session.commit()

    contacts = list(
        await session.scalars(select(Contact).where(Contact.client_id == survivor.id))
    )
    defaults = {
        (address.kind, address.line1)
        for address in await session.scalars(
            select(Address).where(Address.client_id == survivor.id, Address.is_default)
        )
    }
    cards = await session.scalars(
        select(PaymentMethod.client_id).where(PaymentMethod.is_default)
    )
    assert [contact.first_name for contact in contacts if contact.is_primary] == [
        "Keep"
    ]
    assert len(contacts) == 3
    assert defaults == {(AddressKind.SERVICE, "Survivor yard")}
    assert list(cards) == [survivor.id]


async def test_holds_overrides_and_tags_follow_the_survivors_choices(
    session: AsyncSession,
) -> None:
    viewer, survivor, duplicate = await two_clients(session)

    await merge_clients(session, viewer, survivor.public_id, duplicate.public_id, NOW)
    await session.commit()

    active_holds = await session.scalar(
        select(func.count()).where(
            Hold.client_id == survivor.id, Hold.released_at.is_(None)
        )
    )
    overrides = dict(
        (
            await session.execute(
                select(ClientSettingOverride.key, ClientSettingOverride.value).where(
                    ClientSettingOverride.client_id == survivor.id
                )
            )
        ).all()
    )
    preferences = await session.scalar(
        select(func.count()).where(
            NotificationPreferenceOverride.client_id == survivor.id
        )
    )
    tags = await session.scalars(
        select(ClientTag.tag).where(ClientTag.client_id == survivor.id)
    )
    assert active_holds == 1
    assert overrides == {"tax_exempt": True, "shop_ordering": False}
    assert preferences == 1
    assert sorted(tags) == ["vip", "x"]


async def test_the_duplicates_dashboard_closes_and_both_records_say_why(
    session: AsyncSession,
) -> None:
    viewer, survivor, duplicate = await two_clients(session)
    contact = await add_contact(session, duplicate, first_name="Signed in")
    await add(
        session,
        AccessToken(
            account_id=duplicate.account_id,
            kind=TokenKind.DASHBOARD,
            token_digest=digest("token"),
            client_id=duplicate.id,
            contact_id=contact.id,
            expires_at=NOW + timedelta(days=1),
        ),
    )
    await add(
        session,
        SignInLink(
            account_id=duplicate.account_id,
            token_digest=digest("link"),
            client_id=duplicate.id,
            contact_id=contact.id,
            email="a@example.com",
            expires_at=NOW + timedelta(minutes=10),
        ),
    )
    account = await session.get_one(Account, survivor.account_id)
    earlier = await add_client(session, account, merged_into_id=duplicate.id)

    await merge_clients(session, viewer, survivor.public_id, duplicate.public_id, NOW)
    await session.commit()

    token = await session.scalar(select(AccessToken))
    link = await session.scalar(select(SignInLink))
    records_of = dict(
        (
            await session.execute(
                select(ActivityRecord.action, ActivityRecord.client_id)
            )
        ).all()
    )
    await session.refresh(earlier)
    assert token is not None
    assert token.revoked_at == NOW
    assert link is not None
    assert link.expires_at == NOW
    assert records_of == {
        "client.merged": survivor.id,
        "client.merged_into": duplicate.id,
    }
    assert earlier.merged_into_id == survivor.id


@pytest.mark.parametrize("case", ["same", "archived_survivor", "merged_duplicate"])
async def test_a_refused_merge_names_why(session: AsyncSession, case: str) -> None:
    viewer, survivor, duplicate = await two_clients(session)
    if case == "same":
        duplicate = survivor
    elif case == "archived_survivor":
        survivor.archived_at = NOW
    else:
        duplicate.merged_into_id = survivor.id
    await session.flush()

    with pytest.raises(Refused) as refused:
        await merge_clients(
            session, viewer, survivor.public_id, duplicate.public_id, NOW
        )

    expected = {
        "same": "same_client",
        "archived_survivor": "client_archived",
        "merged_duplicate": "client_merged",
    }[case]
    assert [problem.code for problem in refused.value.problems] == [expected]
