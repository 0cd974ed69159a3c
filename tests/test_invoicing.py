"""Invoicing rules without HTTP: numbers, tax, terms, drafts, void, balance."""

import asyncio
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.invoicing.charges import ChargeInput, add_charge, remove_charge
from domain.invoicing.invoices import (
    InvoiceChanges,
    InvoiceInput,
    create_invoice,
    update_invoice,
)
from domain.invoicing.lifecycle import issue_invoice, send_invoice, void_invoice
from domain.invoicing.lines import tax_on
from domain.invoicing.problems import InvoicingProblem
from domain.problems import Refused
from persistence.database import create_session_factory
from persistence.enums import InvoiceStatus, NotificationEvent
from persistence.models import (
    Account,
    ActivityRecord,
    Charge,
    Client,
    ClientSettingOverride,
    Invoice,
    InvoiceLine,
    NotificationLogEntry,
)
from tests.billing_factories import add_charge as add_charge_row
from tests.billing_factories import add_credit, add_hold, add_payment, apply_payment
from tests.factories import add_account, add_address, add_client
from tests.invoicing_helpers import NOW, TODAY, ledger_balance, line, staff


async def billed(
    session: AsyncSession, account: Account, client: Client, **values: object
) -> Invoice:
    draft = InvoiceInput(client_id=client.public_id, **values)  # type: ignore[arg-type]
    return await create_invoice(session, staff(account), NOW, draft)


def codes(refused: pytest.ExceptionInfo[Refused]) -> list[tuple[str, str]]:
    return [(problem.code, problem.field) for problem in refused.value.problems]


async def test_numbers_are_sequential_per_account_and_survive_a_void(
    session: AsyncSession,
) -> None:
    account = await add_account(session, next_invoice_number=1001)
    other = await add_account(session, next_invoice_number=1001)
    client = await add_client(session, account)

    first = await billed(session, account, client, lines=[line()])
    await void_invoice(session, staff(account), NOW, first.public_id, "Typo")
    second = await billed(session, account, client, lines=[line()])
    elsewhere = await billed(
        session, other, await add_client(session, other), lines=[line()]
    )

    assert (first.number, second.number, elsewhere.number) == (1001, 1002, 1001)
    assert first.status == InvoiceStatus.VOID


async def test_a_rolled_back_creation_gives_its_number_back(
    session: AsyncSession,
) -> None:
    account = await add_account(session, next_invoice_number=7)
    client = await add_client(session, account)
    await session.commit()
    viewer, client_id = staff(account), client.public_id

    undone = await create_invoice(
        session, viewer, NOW, InvoiceInput(client_id, lines=[line()])
    )
    undone_number = undone.number
    await session.rollback()
    kept = await create_invoice(
        session, viewer, NOW, InvoiceInput(client_id, lines=[line()])
    )
    await session.commit()

    assert undone_number == kept.number == 7


@pytest.mark.parametrize(
    ("settings", "override", "tax"),
    [
        ({"tax_rate_bps": 825}, None, 825),
        ({"tax_rate_bps": 825}, ("tax_exempt", True), 0),
        ({"tax_rate_bps": 825, "tax_exempt": True}, None, 0),
        ({"tax_rate_bps": 825}, ("tax_rate_bps", 400), 400),
        ({}, None, 0),
    ],
)
async def test_tax_follows_the_client_s_effective_settings(
    session: AsyncSession,
    settings: dict[str, object],
    override: tuple[str, object] | None,
    tax: int,
) -> None:
    account = await add_account(session, client_settings=settings)
    client = await add_client(session, account)
    if override is not None:
        session.add(
            ClientSettingOverride(
                account_id=account.id,
                client_id=client.id,
                key=override[0],
                value=override[1],
            )
        )

    invoice = await billed(
        session,
        account,
        client,
        lines=[line(10_000), line(5_000, is_taxable=False)],
    )

    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        15_000,
        tax,
        15_000 + tax,
    )


def test_tax_rounds_half_up_once_on_the_taxable_sum() -> None:
    assert tax_on(1_000, 825) == 83
    assert tax_on(333, 825) == 27
    assert tax_on(-500, 825) == 0


async def test_due_date_follows_the_payment_terms_setting(
    session: AsyncSession,
) -> None:
    account = await add_account(session, client_settings={"payment_terms_days": 15})
    client = await add_client(session, account)
    session.add(
        ClientSettingOverride(
            account_id=account.id,
            client_id=client.id,
            key="payment_terms_days",
            value=45,
        )
    )
    plain = await add_client(session, account)

    overridden = await billed(session, account, client, lines=[line()])
    standard = await billed(session, account, plain, lines=[line()])
    chosen = await billed(
        session, account, plain, lines=[line()], due_on=date(2026, 4, 1)
    )

    assert overridden.issued_on == TODAY
    assert overridden.due_on == TODAY + timedelta(days=45)
    assert standard.due_on == TODAY + timedelta(days=15)
    assert chosen.due_on == date(2026, 4, 1)
    assert overridden.status == InvoiceStatus.DRAFT


async def test_an_invoice_bills_every_uninvoiced_charge_or_the_chosen_ones(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    first = await add_charge_row(
        session, client, amount=1_000, unit_price=1_000, quantity=Decimal(1)
    )
    second = await add_charge_row(
        session, client, amount=2_000, unit_price=2_000, quantity=Decimal(1)
    )
    third = await add_charge_row(
        session, client, amount=4_000, unit_price=4_000, quantity=Decimal(1)
    )

    chosen = await billed(session, account, client, charge_ids=[second.public_id])
    rest = await billed(session, account, client, lines=[line(500)])

    assert chosen.subtotal == 2_000
    assert rest.subtotal == 1_000 + 4_000 + 500
    assert {first.invoice_id, third.invoice_id} == {rest.id}
    assert second.invoice_id == chosen.id
    lines = await session.scalars(
        select(InvoiceLine.description)
        .where(InvoiceLine.invoice_id == rest.id)
        .order_by(InvoiceLine.position)
    )
    assert list(lines)[-1] == "Mattress disposal"


async def test_charges_refuse_to_be_billed_twice_or_for_another_client(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    other = await add_client(session, account)
    taken = await add_charge_row(session, client)
    foreign = await add_charge_row(session, other)
    await billed(session, account, client, charge_ids=[taken.public_id])

    with pytest.raises(Refused) as refused:
        await billed(
            session, account, client, charge_ids=[taken.public_id, foreign.public_id]
        )

    assert codes(refused) == [
        (InvoicingProblem.CHARGE_ALREADY_INVOICED, "chargeIds.0"),
        (InvoicingProblem.CHARGE_OF_OTHER_CLIENT, "chargeIds.1"),
    ]


async def test_charges_of_different_service_addresses_go_on_separate_invoices(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    north = await add_address(session, client)
    south = await add_address(session, client)
    await add_charge_row(session, client, service_address_id=north.id)
    await add_charge_row(session, client, service_address_id=south.id)

    with pytest.raises(Refused) as refused:
        await billed(session, account, client)
    northern = await billed(
        session, account, client, service_address_id=north.public_id
    )

    assert codes(refused) == [(InvoicingProblem.MIXED_SERVICE_ADDRESSES, "chargeIds")]
    assert northern.service_address_id == north.id


async def test_nothing_to_invoice_and_archived_clients_are_refused(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    archived = await add_client(session, account, archived_at=NOW)

    with pytest.raises(Refused) as empty:
        await billed(session, account, client)
    with pytest.raises(Refused) as gone:
        await billed(session, account, archived, lines=[line()])

    assert codes(empty) == [(InvoicingProblem.NOTHING_TO_INVOICE, "")]
    assert codes(gone) == [(InvoicingProblem.CLIENT_ARCHIVED, "clientId")]


async def test_line_and_date_problems_are_reported_together(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)

    with pytest.raises(Refused) as refused:
        await billed(
            session,
            account,
            client,
            lines=[line(quantity="0", description=" "), line(quantity="1.005")],
        )
    with pytest.raises(Refused) as early:
        await billed(
            session, account, client, lines=[line()], due_on=TODAY - timedelta(days=1)
        )

    assert codes(refused) == [
        (InvoicingProblem.DESCRIPTION_REQUIRED, "lines.0.description"),
        (InvoicingProblem.INVALID_QUANTITY, "lines.0.quantity"),
        (InvoicingProblem.INVALID_QUANTITY, "lines.1.quantity"),
    ]
    assert codes(early) == [(InvoicingProblem.INVALID_DUE_DATE, "dueOn")]


async def test_a_draft_changes_and_a_charge_taken_off_it_is_free_again(
    session: AsyncSession,
) -> None:
    account = await add_account(session, client_settings={"tax_rate_bps": 1000})
    client = await add_client(session, account)
    kept = await add_charge_row(
        session, client, amount=1_000, unit_price=1_000, quantity=Decimal(1)
    )
    dropped = await add_charge_row(
        session, client, amount=2_000, unit_price=2_000, quantity=Decimal(1)
    )
    invoice = await billed(session, account, client, lines=[line(500)])

    changes = InvoiceChanges(
        invoice_id=invoice.public_id,
        lines=[line(700), line(300)],
        charge_ids=[kept.public_id],
        due_on=date(2026, 5, 1),
        memo="PO 1234",
    )
    await update_invoice(session, staff(account), NOW, changes)

    assert (invoice.subtotal, invoice.tax, invoice.total) == (2_000, 200, 2_200)
    assert (invoice.due_on, invoice.memo) == (date(2026, 5, 1), "PO 1234")
    assert kept.invoice_id == invoice.id
    assert dropped.invoice_id is None
    count = await session.scalar(
        select(func.count()).where(InvoiceLine.invoice_id == invoice.id)
    )
    assert count == 3


async def test_a_draft_keeps_to_its_service_address(session: AsyncSession) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    north = await add_address(session, client)
    south = await add_address(session, client)
    elsewhere = await add_charge_row(session, client, service_address_id=south.id)
    invoice = await billed(
        session, account, client, lines=[line()], service_address_id=north.public_id
    )

    with pytest.raises(Refused) as refused:
        await update_invoice(
            session,
            staff(account),
            NOW,
            InvoiceChanges(invoice.public_id, charge_ids=[elsewhere.public_id]),
        )

    assert codes(refused) == [(InvoicingProblem.MIXED_SERVICE_ADDRESSES, "chargeIds")]
    assert invoice.service_address_id == north.id


async def test_only_drafts_change_and_void_invoices_stay_void(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    invoice = await billed(session, account, client, lines=[line()])
    await issue_invoice(session, staff(account), NOW, invoice.public_id)
    viewer = staff(account)

    with pytest.raises(Refused) as issued:
        await update_invoice(session, viewer, NOW, InvoiceChanges(invoice.public_id))
    await void_invoice(session, viewer, NOW, invoice.public_id, "Wrong client")
    with pytest.raises(Refused) as again:
        await void_invoice(session, viewer, NOW, invoice.public_id, "Again")

    assert codes(issued) == [(InvoicingProblem.NOT_DRAFT, "id")]
    assert codes(again) == [(InvoicingProblem.ALREADY_VOID, "id")]


async def test_issuing_dates_the_invoice_today_and_keeps_its_terms(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    invoice = await billed(session, account, client, lines=[line()])
    later = NOW + timedelta(days=3)

    await issue_invoice(session, staff(account), later, invoice.public_id)

    assert invoice.status == InvoiceStatus.OPEN
    assert invoice.issued_on == TODAY + timedelta(days=3)
    assert invoice.due_on == TODAY + timedelta(days=33)
    assert invoice.sent_at is None


async def test_sending_issues_a_draft_and_queues_the_notification(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    await add_hold(session, client)
    invoice = await billed(session, account, client, lines=[line()])

    sent = await send_invoice(session, staff(account), NOW, invoice.public_id)

    assert sent.invoice.status == InvoiceStatus.OPEN
    assert sent.invoice.sent_at == NOW
    assert sent.is_client_on_hold is True
    entry = await session.scalar(select(NotificationLogEntry))
    assert entry is not None
    assert (entry.event, entry.invoice_id) == (
        NotificationEvent.INVOICE_SENT,
        invoice.id,
    )


async def test_voiding_needs_a_reason_and_no_money_applied(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    paid = await billed(session, account, client, lines=[line()])
    credited = await billed(session, account, client, lines=[line()])
    await issue_invoice(session, staff(account), NOW, paid.public_id)
    await issue_invoice(session, staff(account), NOW, credited.public_id)
    await apply_payment(session, await add_payment(session, client), paid, 5_000)
    await add_credit(session, client, invoice_id=credited.id)

    with pytest.raises(Refused) as with_payment:
        await void_invoice(session, staff(account), NOW, paid.public_id, " ")
    with pytest.raises(Refused) as with_credit:
        await void_invoice(session, staff(account), NOW, credited.public_id, "Oops")

    assert codes(with_payment) == [
        (InvoicingProblem.REASON_REQUIRED, "reason"),
        (InvoicingProblem.HAS_PAYMENTS, "id"),
    ]
    assert codes(with_credit) == [(InvoicingProblem.HAS_CREDITS, "id")]


async def test_voiding_returns_the_charges_to_the_uninvoiced_list(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    charge = await add_charge_row(session, client)
    invoice = await billed(session, account, client)

    await void_invoice(session, staff(account), NOW, invoice.public_id, "Reissue")
    reissued = await billed(session, account, client)

    assert invoice.void_reason == "Reissue"
    assert invoice.voided_at == NOW
    assert charge.invoice_id == reissued.id
    assert reissued.number == invoice.number + 1


async def test_the_balance_is_what_the_ledger_derives_after_each_step(
    session: AsyncSession,
) -> None:
    account = await add_account(session, client_settings={"tax_rate_bps": 500})
    client = await add_client(session, account)
    viewer = staff(account)
    balances = []

    await add_charge(
        session, viewer, ChargeInput(client.public_id, line(20_000, "1.5"))
    )
    balances.append(await ledger_balance(session, client))
    invoice = await billed(session, account, client)
    balances.append(await ledger_balance(session, client))
    await issue_invoice(session, viewer, NOW, invoice.public_id)
    balances.append(await ledger_balance(session, client))
    await send_invoice(session, viewer, NOW, invoice.public_id)
    balances.append(await ledger_balance(session, client))
    await void_invoice(session, viewer, NOW, invoice.public_id, "Wrong site")
    balances.append(await ledger_balance(session, client))

    assert invoice.total == 31_500
    assert balances == [0, 0, 31_500, 31_500, 0]


async def test_a_charge_is_removed_only_while_uninvoiced(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    viewer = staff(account)
    loose = await add_charge(session, viewer, ChargeInput(client.public_id, line()))
    billed_charge = await add_charge_row(session, client)
    await billed(session, account, client, charge_ids=[billed_charge.public_id])

    await remove_charge(session, viewer, loose.public_id)
    with pytest.raises(Refused) as refused:
        await remove_charge(session, viewer, billed_charge.public_id)

    assert await session.get(Charge, loose.id) is None
    assert codes(refused) == [(InvoicingProblem.CHARGE_ALREADY_INVOICED, "id")]
    actions = list(
        await session.scalars(select(ActivityRecord.action).order_by(ActivityRecord.id))
    )
    assert actions.count("charge.removed") == 1
    assert "charge.added" in actions


async def test_concurrent_invoices_get_distinct_consecutive_numbers(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks between connections are PostgreSQL's")
    account = await add_account(session, next_invoice_number=500)
    client = await add_client(session, account)
    await session.commit()
    factory = create_session_factory(engine)
    holding = asyncio.Event()

    async def first() -> int:
        async with factory() as own:
            invoice = await billed(own, account, client, lines=[line()])
            holding.set()
            # Keep the counter locked while the second creation waits on it.
            await asyncio.sleep(0.2)
            await own.commit()
            return invoice.number

    async def second() -> int:
        await holding.wait()
        async with factory() as own:
            invoice = await billed(own, account, client, lines=[line()])
            await own.commit()
            return invoice.number

    numbers = await asyncio.gather(first(), second())

    assert sorted(numbers) == [500, 501]
    assert numbers[0] == 500
