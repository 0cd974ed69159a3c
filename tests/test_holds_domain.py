"""Holds placed by staff and by the client's hold rules, and invoice aging."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.gateway import SandboxGateway
from domain.holds import age_invoices, place_hold, release_hold
from domain.payment_methods import ChargeEntry, charge_payment_method
from domain.problems import Refused
from persistence.enums import (
    ActorKind,
    HoldRule,
    InvoiceStatus,
    NotificationEvent,
    PaymentStatus,
)
from persistence.models import (
    Account,
    ActivityRecord,
    Client,
    ClientSettingOverride,
    Hold,
    Invoice,
    NotificationLogEntry,
)
from tests.billing_factories import add_hold, add_payment, add_payment_method
from tests.factories import add_account, add_client, add_invoice
from tests.payment_helpers import NOW, TODAY, staff_viewer, statuses


@pytest.fixture
async def account(session: AsyncSession) -> Account:
    return await add_account(session, time_zone="UTC", has_payments_addon=True)


@pytest.fixture
async def client(session: AsyncSession, account: Account) -> Client:
    return await add_client(session, account)


async def invoice_due(
    session: AsyncSession, client: Client, due_on: date, **values: object
) -> Invoice:
    """An invoice issued a week before it falls due."""
    return await add_invoice(
        session, client, due_on=due_on, issued_on=due_on - timedelta(days=7), **values
    )


async def holds_of(session: AsyncSession, client: Client) -> list[Hold]:
    await session.flush()
    rows = await session.scalars(
        select(Hold).where(Hold.client_id == client.id).order_by(Hold.id)
    )
    return list(rows)


async def test_staff_place_and_release_a_hold(
    session: AsyncSession, account: Account, client: Client
) -> None:
    viewer = staff_viewer(account)

    placed = await place_hold(session, viewer, client.public_id, "Bounced check", NOW)
    released = await release_hold(session, viewer, client.public_id, "Paid up", NOW)

    assert placed is released
    assert (released.rule, released.released_at) == (HoldRule.MANUAL, NOW)
    events = await session.scalars(select(NotificationLogEntry.event))
    assert list(events) == [NotificationEvent.HOLD_PLACED]


@pytest.mark.parametrize(
    ("on_hold", "operation", "reason", "expected"),
    [
        (True, place_hold, "Again", "already_on_hold"),
        (False, release_hold, "Done", "not_on_hold"),
        (False, place_hold, "  ", "reason_required"),
    ],
)
async def test_hold_changes_that_make_no_sense_are_refused(
    session: AsyncSession,
    account: Account,
    client: Client,
    on_hold: bool,
    operation: object,
    reason: str,
    expected: str,
) -> None:
    if on_hold:
        await add_hold(session, client)

    with pytest.raises(Refused) as refused:
        await operation(session, staff_viewer(account), client.public_id, reason, NOW)  # type: ignore[operator]

    assert [problem.code for problem in refused.value.problems] == [expected]


async def charge_declined(
    session: AsyncSession, account: Account, client: Client, key: str
) -> None:
    method = await add_payment_method(
        session,
        client,
        processor="sandbox",
        processor_token=f"pm_tok_chargeDeclined_{key}",
    )
    entry = ChargeEntry(client.public_id, method.public_id, 5_000, key)
    outcome = await charge_payment_method(
        session, staff_viewer(account), SandboxGateway(), entry, NOW
    )
    assert outcome.payment.status == PaymentStatus.FAILED


async def test_failed_payments_in_a_row_place_a_hold_as_the_system(
    session: AsyncSession, account: Account, client: Client
) -> None:
    session.add(
        ClientSettingOverride(
            account_id=account.id,
            client_id=client.id,
            key="hold_after_failed_payments",
            value=2,
        )
    )
    await charge_declined(session, account, client, "one")
    assert await holds_of(session, client) == []

    await charge_declined(session, account, client, "two")

    (hold,) = await holds_of(session, client)
    assert (hold.rule, hold.placed_by_id) == (HoldRule.FAILED_PAYMENTS, None)
    actor = await session.scalar(
        select(ActivityRecord.actor_kind).where(ActivityRecord.action == "hold.placed")
    )
    assert actor == ActorKind.SYSTEM


async def test_a_success_between_failures_breaks_the_run(
    session: AsyncSession, account: Account, client: Client
) -> None:
    account.client_settings = {"hold_after_failed_payments": 2}
    await charge_declined(session, account, client, "one")
    await add_payment(session, client, received_at=NOW)

    await charge_declined(session, account, client, "two")

    assert await holds_of(session, client) == []


async def test_aging_marks_overdue_invoices_on_the_business_day(
    session: AsyncSession, account: Account, client: Client
) -> None:
    due_yesterday = await invoice_due(session, client, date(2026, 1, 19))
    due_today = await invoice_due(session, client, TODAY)
    paid = await invoice_due(
        session, client, date(2026, 1, 1), status=InvoiceStatus.PAID
    )

    report = await age_invoices(session, account, TODAY, NOW)

    assert report.marked_overdue == 1
    assert await statuses(session, due_yesterday, due_today, paid) == [
        InvoiceStatus.OVERDUE,
        InvoiceStatus.OPEN,
        InvoiceStatus.PAID,
    ]


async def test_aging_twice_changes_nothing_more(
    session: AsyncSession, account: Account, client: Client
) -> None:
    account.client_settings = {"hold_days_past_due": 10}
    await invoice_due(session, client, date(2026, 1, 1))
    first = await age_invoices(session, account, TODAY, NOW)

    second = await age_invoices(session, account, TODAY, NOW)

    assert (first.marked_overdue, first.holds_placed) == (1, 1)
    assert (second.marked_overdue, second.holds_placed) == (0, 0)


@pytest.mark.parametrize(
    ("settings", "due_on", "rule"),
    [
        ({"hold_days_past_due": 10}, date(2026, 1, 9), HoldRule.DAYS_PAST_DUE),
        ({"hold_days_past_due": 10}, date(2026, 1, 10), None),
        ({"hold_balance_threshold": 10_825}, TODAY, HoldRule.BALANCE_THRESHOLD),
        ({"hold_balance_threshold": 10_826}, TODAY, None),
        ({}, date(2025, 1, 1), None),
    ],
)
async def test_aging_applies_the_hold_rules(
    session: AsyncSession,
    account: Account,
    client: Client,
    settings: dict[str, int],
    due_on: date,
    rule: HoldRule | None,
) -> None:
    account.client_settings = settings
    await invoice_due(session, client, due_on, total=10_825)

    await age_invoices(session, account, TODAY, NOW)

    assert [hold.rule for hold in await holds_of(session, client)] == (
        [rule] if rule else []
    )


async def test_a_client_override_switches_a_rule_off(
    session: AsyncSession, account: Account, client: Client
) -> None:
    account.client_settings = {"hold_days_past_due": 10}
    session.add(
        ClientSettingOverride(
            account_id=account.id,
            client_id=client.id,
            key="hold_days_past_due",
            value=None,
        )
    )
    await invoice_due(session, client, date(2025, 6, 1))

    await age_invoices(session, account, TODAY, NOW)

    assert await holds_of(session, client) == []
