"""Cards and bank accounts on file, and charging them through the gateway."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.gateway import SandboxGateway
from domain.payment_checks import (
    PaymentProblem,
)
from domain.payment_methods import (
    ChargeEntry,
    NewPaymentMethod,
    add_payment_method,
    charge_payment_method,
    remove_payment_method,
    set_default_payment_method,
)
from domain.problems import Refused
from persistence.enums import InvoiceStatus, PaymentStatus, StoredMethodKind
from persistence.models import (
    Account,
    Client,
    Payment,
    PaymentApplication,
    PaymentMethod,
)
from tests.factories import add_account, add_client, add_invoice
from tests.payment_helpers import (
    NOW,
    actions_of,
    assert_ledger_consistent,
    staff_viewer,
    statuses,
)

GATEWAY = SandboxGateway()


@pytest.fixture
async def account(session: AsyncSession) -> Account:
    return await add_account(session, time_zone="UTC", has_payments_addon=True)


@pytest.fixture
async def client(session: AsyncSession, account: Account) -> Client:
    return await add_client(session, account)


async def add_card(
    session: AsyncSession, account: Account, client: Client, token: str = "tok_visa"
) -> PaymentMethod:
    entry = NewPaymentMethod(client.public_id, StoredMethodKind.CARD, token)
    return await add_payment_method(session, staff_viewer(account), GATEWAY, entry)


async def test_a_card_is_kept_as_a_token_with_brand_and_last_four(
    session: AsyncSession, account: Account, client: Client
) -> None:
    method = await add_card(session, account, client)

    assert (method.brand, method.last_four, method.is_default) == ("Visa", "4242", True)
    assert method.processor_token.startswith("pm_tok_visa_")
    assert await actions_of(session, client) == ["payment_method.added"]


async def test_a_bank_account_is_kept_with_its_bank(
    session: AsyncSession, account: Account, client: Client
) -> None:
    entry = NewPaymentMethod(client.public_id, StoredMethodKind.ACH, "btok_success")

    method = await add_payment_method(session, staff_viewer(account), GATEWAY, entry)

    assert (method.bank_name, method.last_four, method.exp_year) == (
        "Sandbox Bank",
        "6789",
        None,
    )


async def test_an_unknown_token_is_refused(
    session: AsyncSession, account: Account, client: Client
) -> None:
    with pytest.raises(Refused) as refused:
        await add_card(session, account, client, "4242424242424242")

    assert [(p.code, p.field) for p in refused.value.problems] == [
        ("invalid_token", "token")
    ]


async def test_methods_need_the_payments_addon(
    session: AsyncSession, client: Client
) -> None:
    account = await add_account(session, has_payments_addon=False)
    other = await add_client(session, account)

    with pytest.raises(Refused) as refused:
        await add_card(session, account, other)

    assert [p.code for p in refused.value.problems] == ["addon_required"]
    assert client.id != other.id


async def test_one_default_at_a_time(
    session: AsyncSession, account: Account, client: Client
) -> None:
    first = await add_card(session, account, client)
    second = await add_card(session, account, client, "tok_mastercard")

    await set_default_payment_method(session, staff_viewer(account), second.public_id)

    assert (first.is_default, second.is_default) == (False, True)


async def test_a_removed_method_cannot_be_charged(
    session: AsyncSession, account: Account, client: Client
) -> None:
    method = await add_card(session, account, client)
    viewer = staff_viewer(account)
    await remove_payment_method(session, viewer, method.public_id, NOW)

    with pytest.raises(Refused) as refused:
        await charge_payment_method(
            session,
            viewer,
            GATEWAY,
            ChargeEntry(client.public_id, method.public_id, 1_000, "k"),
            NOW,
        )

    assert [p.code for p in refused.value.problems] == ["payment_method_not_found"]


async def test_a_charge_pays_invoices_and_keeps_the_processor_reference(
    session: AsyncSession, account: Account, client: Client
) -> None:
    invoice = await add_invoice(session, client, total=10_825)
    method = await add_card(session, account, client)
    entry = ChargeEntry(client.public_id, method.public_id, 10_825, "charge-1")

    outcome = await charge_payment_method(
        session, staff_viewer(account), GATEWAY, entry, NOW
    )

    assert outcome.problem is None
    assert (outcome.payment.processor_reference or "").startswith("ch_")
    assert await statuses(session, invoice) == [InvoiceStatus.PAID]
    await assert_ledger_consistent(session, client)


@pytest.mark.parametrize(
    ("token", "code"),
    [
        ("tok_chargeDeclined", PaymentProblem.CARD_DECLINED),
        ("tok_insufficientFunds", PaymentProblem.INSUFFICIENT_FUNDS),
    ],
)
async def test_a_declined_charge_is_kept_as_a_failed_attempt(
    session: AsyncSession,
    account: Account,
    client: Client,
    token: str,
    code: PaymentProblem,
) -> None:
    invoice = await add_invoice(session, client, total=10_825)
    method = await add_card(session, account, client, token)
    entry = ChargeEntry(client.public_id, method.public_id, 10_825, "charge-1")
    viewer = staff_viewer(account)

    outcome = await charge_payment_method(session, viewer, GATEWAY, entry, NOW)
    replay = await charge_payment_method(session, viewer, GATEWAY, entry, NOW)

    assert outcome.payment.status == PaymentStatus.FAILED
    assert outcome.problem is not None
    assert outcome.problem.code == code
    assert replay.payment.id == outcome.payment.id
    assert replay.problem is not None
    assert replay.problem.code == code
    assert await statuses(session, invoice) == [InvoiceStatus.OPEN]
    applications = await session.scalar(
        select(func.count()).select_from(PaymentApplication)
    )
    assert applications == 0
    assert await session.scalar(select(func.count()).select_from(Payment)) == 1
    await assert_ledger_consistent(session, client)
