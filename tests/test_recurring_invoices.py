"""Recurring invoices without HTTP: their calendar, and generating each period
exactly once however often (or however concurrently) the run happens."""

import asyncio
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from cli import main
from domain.invoicing.generation import run_recurring
from domain.invoicing.periods import (
    add_months,
    first_period_on_or_after,
    period_after,
    period_label,
)
from domain.invoicing.problems import InvoicingProblem
from domain.invoicing.recurring import (
    ScheduleChanges,
    ScheduleInput,
    create_recurring_invoice,
    end_recurring_invoice,
    pause_recurring_invoice,
    resume_recurring_invoice,
    update_recurring_invoice,
)
from domain.problems import Refused
from persistence.database import create_session_factory
from persistence.enums import (
    InvoiceStatus,
    NotificationEvent,
    NotificationTrigger,
    RecurrenceInterval,
)
from persistence.models import (
    Client,
    Invoice,
    NotificationLogEntry,
    RecurringInvoice,
    RecurringInvoiceLine,
)
from tests.billing_factories import add_recurring_invoice, add_recurring_line
from tests.factories import add_account, add_client, add_invoice
from tests.invoicing_helpers import NOW, TODAY, ledger_balance, line, staff

MONTHLY = RecurrenceInterval.MONTHLY


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 1, 31), 2, date(2026, 3, 31)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
    ],
)
def test_months_are_added_from_the_start_and_clamped(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_periods_count_from_the_start_not_from_the_last_period() -> None:
    after_february = period_after(date(2026, 1, 31), MONTHLY, 1, date(2026, 2, 28))
    fortnightly = first_period_on_or_after(
        date(2026, 3, 2), RecurrenceInterval.WEEKLY, 2, date(2026, 3, 20)
    )

    assert after_february == date(2026, 3, 31)
    assert fortnightly == date(2026, 3, 30)


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (RecurrenceInterval.WEEKLY, "2026-W06"),
        (RecurrenceInterval.MONTHLY, "2026-02"),
        (RecurrenceInterval.QUARTERLY, "2026-Q1"),
        (RecurrenceInterval.YEARLY, "2026"),
    ],
)
def test_each_period_has_a_label(interval: RecurrenceInterval, label: str) -> None:
    assert period_label(date(2026, 2, 3), interval) == label


async def monthly_schedule(
    session: AsyncSession, client: Client, **values: object
) -> RecurringInvoice:
    defaults: dict[str, object] = {
        "starts_on": date(2026, 3, 1),
        "next_run_on": date(2026, 3, 1),
        "payment_terms_days": 10,
    }
    schedule = await add_recurring_invoice(session, client, **(defaults | values))
    await add_recurring_line(session, schedule, unit_price=30_000)
    return schedule


async def invoices_of(session: AsyncSession, schedule: RecurringInvoice) -> list[str]:
    periods = await session.scalars(
        select(Invoice.recurring_period)
        .where(Invoice.recurring_invoice_id == schedule.id)
        .order_by(Invoice.number)
    )
    return [period or "" for period in periods]


async def test_a_run_issues_each_due_period_once(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    account = await add_account(session, client_settings={"tax_rate_bps": 1000})
    client = await add_client(session, account)
    schedule = await monthly_schedule(session, client)
    await session.commit()
    factory = create_session_factory(engine)

    first = await run_recurring(factory, NOW, TODAY)
    again = await run_recurring(factory, NOW, TODAY)
    caught_up = await run_recurring(factory, NOW, date(2026, 5, 15))

    assert [generated.period for generated in first] == ["2026-03"]
    assert again == []
    assert [generated.period for generated in caught_up] == ["2026-04", "2026-05"]
    assert await invoices_of(session, schedule) == ["2026-03", "2026-04", "2026-05"]
    invoice = await session.scalar(
        select(Invoice).where(Invoice.recurring_period == "2026-03")
    )
    assert invoice is not None
    assert (invoice.status, invoice.total) == (InvoiceStatus.OPEN, 33_000)
    assert invoice.due_on == invoice.issued_on + timedelta(days=10)
    await session.refresh(schedule)
    assert schedule.next_run_on == date(2026, 6, 1)
    assert await ledger_balance(session, client) == 3 * 33_000


async def test_generated_invoices_are_sent_automatically(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    await monthly_schedule(session, client)
    await session.commit()

    await run_recurring(create_session_factory(engine), NOW, TODAY)

    entry = await session.scalar(select(NotificationLogEntry))
    assert entry is not None
    assert entry.event == NotificationEvent.INVOICE_SENT
    assert entry.trigger == NotificationTrigger.AUTOMATIC


async def test_a_period_already_invoiced_is_not_invoiced_again(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    schedule = await monthly_schedule(session, client)
    await add_invoice(
        session,
        client,
        recurring_invoice_id=schedule.id,
        recurring_period="2026-03",
        number=1,
    )
    await session.commit()

    generated = await run_recurring(create_session_factory(engine), NOW, TODAY)

    assert generated == []
    assert await invoices_of(session, schedule) == ["2026-03"]


async def test_two_runs_at_once_issue_one_invoice_per_period(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers are PostgreSQL's; SQLite has one at a time")
    account = await add_account(session)
    clients = [await add_client(session, account) for _ in range(3)]
    schedules = [await monthly_schedule(session, client) for client in clients]
    await session.commit()
    factory = create_session_factory(engine)

    runs = await asyncio.gather(
        run_recurring(factory, NOW, date(2026, 4, 2)),
        run_recurring(factory, NOW, date(2026, 4, 2)),
    )

    assert sum(len(generated) for generated in runs) == 6
    for schedule in schedules:
        assert await invoices_of(session, schedule) == ["2026-03", "2026-04"]


async def test_schedules_that_end_pause_or_lose_their_client_stop(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    ending = await monthly_schedule(session, client, ends_on=date(2026, 3, 31))
    paused = await monthly_schedule(session, client, is_active=False)
    archived = await add_client(session, account, archived_at=NOW)
    orphaned = await monthly_schedule(session, archived)
    await session.commit()

    generated = await run_recurring(create_session_factory(engine), NOW, TODAY)

    assert [item.schedule_name for item in generated] == [ending.name]
    await session.refresh(ending)
    await session.refresh(orphaned)
    assert ending.ended_at == NOW
    assert await invoices_of(session, paused) == []
    assert orphaned.is_active is False


async def test_a_schedule_that_cannot_bill_is_skipped_and_the_run_goes_on(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    account = await add_account(session)
    broken = await monthly_schedule(session, await add_client(session, account))
    await add_recurring_line(session, broken, unit_price=-90_000)
    healthy = await monthly_schedule(session, await add_client(session, account))
    await session.commit()

    generated = await run_recurring(create_session_factory(engine), NOW, TODAY)

    assert [item.schedule_name for item in generated] == [healthy.name]
    assert await invoices_of(session, broken) == []


def schedule_input(client: Client, **values: object) -> ScheduleInput:
    defaults: dict[str, object] = {
        "client_id": client.public_id,
        "name": "Monthly container",
        "interval": MONTHLY,
        "starts_on": TODAY,
        "lines": [line(35_000)],
    }
    return ScheduleInput(**(defaults | values))  # type: ignore[arg-type]


async def test_a_schedule_takes_the_client_s_payment_terms_by_default(
    session: AsyncSession,
) -> None:
    account = await add_account(session, client_settings={"payment_terms_days": 20})
    client = await add_client(session, account)

    schedule = await create_recurring_invoice(
        session, staff(account), NOW, schedule_input(client)
    )

    assert (schedule.payment_terms_days, schedule.next_run_on) == (20, TODAY)
    assert schedule.is_active is True


async def test_a_schedule_s_input_is_checked_all_at_once(session: AsyncSession) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    wrong = schedule_input(
        client,
        name="",
        lines=[],
        interval_count=0,
        starts_on=TODAY - timedelta(days=1),
        ends_on=TODAY - timedelta(days=2),
        payment_terms_days=400,
    )

    with pytest.raises(Refused) as refused:
        await create_recurring_invoice(session, staff(account), NOW, wrong)

    assert [problem.code for problem in refused.value.problems] == [
        InvoicingProblem.NAME_REQUIRED,
        InvoicingProblem.NOTHING_TO_INVOICE,
        InvoicingProblem.INVALID_INTERVAL_COUNT,
        InvoicingProblem.INVALID_START_DATE,
        InvoicingProblem.INVALID_END_DATE,
        InvoicingProblem.INVALID_PAYMENT_TERMS,
    ]


async def test_pause_resume_and_end(session: AsyncSession) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    viewer = staff(account)
    schedule = await create_recurring_invoice(
        session, viewer, NOW, schedule_input(client, starts_on=date(2026, 3, 10))
    )
    three_months_later = NOW + timedelta(days=92)

    await pause_recurring_invoice(session, viewer, schedule.public_id)
    with pytest.raises(Refused) as paused_twice:
        await pause_recurring_invoice(session, viewer, schedule.public_id)
    await resume_recurring_invoice(
        session, viewer, three_months_later, schedule.public_id
    )
    with pytest.raises(Refused) as running:
        await resume_recurring_invoice(session, viewer, NOW, schedule.public_id)
    await end_recurring_invoice(session, viewer, NOW, schedule.public_id)
    with pytest.raises(Refused) as ended:
        await resume_recurring_invoice(session, viewer, NOW, schedule.public_id)

    assert schedule.next_run_on == date(2026, 6, 10)
    assert paused_twice.value.problems[0].code == InvoicingProblem.ALREADY_PAUSED
    assert running.value.problems[0].code == InvoicingProblem.ALREADY_ACTIVE
    assert ended.value.problems[0].code == InvoicingProblem.ALREADY_ENDED
    assert (schedule.is_active, schedule.ended_at) == (False, NOW)


async def test_an_update_changes_future_lines_and_may_clear_the_end(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    viewer = staff(account)
    schedule = await create_recurring_invoice(
        session, viewer, NOW, schedule_input(client, ends_on=date(2026, 12, 31))
    )

    changes = ScheduleChanges(
        schedule.public_id,
        name="Weekly swap",
        lines=[line(1_000), line(2_000)],
        ends_on=None,
    )
    await update_recurring_invoice(session, viewer, changes)

    assert (schedule.name, schedule.ends_on) == ("Weekly swap", None)
    lines = await session.scalar(
        select(func.count()).where(
            RecurringInvoiceLine.recurring_invoice_id == schedule.id
        )
    )
    assert lines == 2


async def test_the_command_prints_what_it_generated(
    engine: AsyncEngine,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    account = await add_account(session)
    client = await add_client(session, account, display_name="Acme Roofing")
    await monthly_schedule(session, client)
    await session.commit()
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))

    await asyncio.to_thread(main, ["run-recurring", "--today", "2026-03-10"])
    await asyncio.to_thread(main, ["run-recurring", "--today", "2026-03-10"])

    output = capsys.readouterr().out
    assert "for Acme Roofing" in output
    assert "period 2026-03, 300.00 USD" in output
    assert "Generated 1 recurring invoice(s)." in output
    assert "Generated 0 recurring invoice(s)." in output
