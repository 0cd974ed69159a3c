"""The dashboard's own rules without HTTP: who may act, paying with one
source, rental dates and lengths, consent, and the shop's opening."""

from dataclasses import replace
from datetime import date
from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domain.contacts import set_text_consent
from domain.dashboard.access import AccessProblem, client_acting
from domain.dashboard.payments import InvoicePayment, PayProblem, source_problems
from domain.dashboard.rentals import (
    RentalProblem,
    RentalWanted,
    date_problems,
    length_for,
    unavailable_reason,
)
from domain.dashboard.service_requests import (
    RequestProblem,
    ServiceWanted,
    request_problems,
)
from domain.identity.viewer import ViewerKind
from domain.people import ClientProblem
from domain.problems import Refused
from persistence.enums import ServiceRequestKind, StoredMethodKind
from persistence.models import Account
from tests.billing_factories import add_hold
from tests.estimate_factories import NOW, client_viewer, set_client_setting
from tests.factories import add_account, add_client, add_contact

TODAY = date(2026, 6, 15)


@pytest.fixture
async def account(session: AsyncSession) -> Account:
    return await add_account(session)


def problem_codes(refused: pytest.ExceptionInfo[Refused]) -> list[str]:
    return [problem.code for problem in refused.value.problems]


async def test_a_preview_may_not_act_and_a_held_client_only_where_open(
    session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    await add_hold(session, client)
    viewer = client_viewer(client)

    with pytest.raises(Refused) as preview:
        await client_acting(
            session,
            replace(viewer, kind=ViewerKind.STAFF_PREVIEW),
            is_open_during_hold=True,
        )
    with pytest.raises(Refused) as held:
        await client_acting(session, viewer)
    paying = await client_acting(session, viewer, is_open_during_hold=True)

    assert problem_codes(preview) == [AccessProblem.READ_ONLY]
    assert problem_codes(held) == [AccessProblem.ON_HOLD]
    assert paying.id == client.id


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"payment_method": uuid4()}, []),
        ({"token": "tok_visa", "kind": StoredMethodKind.CARD}, []),
        ({}, [PayProblem.PAYMENT_SOURCE_REQUIRED]),
        (
            {"payment_method": uuid4(), "token": "tok_visa"},
            [PayProblem.PAYMENT_SOURCE_REQUIRED],
        ),
        ({"token": "tok_visa"}, [PayProblem.PAYMENT_SOURCE_REQUIRED]),
    ],
)
def test_an_invoice_is_paid_from_exactly_one_source(
    values: dict[str, object], expected: list[PayProblem]
) -> None:
    entry = InvoicePayment(invoice=uuid4(), idempotency_key="k", **values)  # type: ignore[arg-type]

    assert [problem.code for problem in source_problems(entry)] == expected


@pytest.mark.parametrize(
    ("lengths", "days", "expected"),
    [([3, 7, 14], 5, 7), ([3, 7, 14], 7, 7), ([3, 7, 14], 1, 3), ([3, 7, 14], 30, 14)],
)
def test_a_rental_is_priced_at_the_shortest_length_covering_its_days(
    lengths: list[int], days: int, expected: int
) -> None:
    assert length_for(lengths, days) == expected


@pytest.mark.parametrize(
    ("delivery_on", "pickup_on", "expected"),
    [
        (date(2026, 6, 16), date(2026, 6, 20), []),
        (date(2026, 6, 15), date(2026, 6, 20), [RentalProblem.DATE_IN_PAST]),
        (date(2026, 6, 18), date(2026, 6, 18), [RentalProblem.DATES_OUT_OF_ORDER]),
        (
            date(2026, 6, 10),
            date(2026, 6, 9),
            [RentalProblem.DATE_IN_PAST, RentalProblem.DATES_OUT_OF_ORDER],
        ),
    ],
)
def test_a_rental_is_delivered_from_tomorrow_and_picked_up_after(
    delivery_on: date, pickup_on: date, expected: list[RentalProblem]
) -> None:
    wanted = RentalWanted(20, delivery_on, pickup_on, None)

    assert [problem.code for problem in date_problems(wanted, TODAY)] == expected


def test_a_service_request_is_for_today_or_later_with_short_notes() -> None:
    fine = ServiceWanted(ServiceRequestKind.PICKUP, None, TODAY, "ok")
    late = ServiceWanted(ServiceRequestKind.PICKUP, None, date(2026, 6, 14), "x" * 2001)

    assert request_problems(fine, TODAY) == []
    assert [problem.code for problem in request_problems(late, TODAY)] == [
        RequestProblem.DATE_IN_PAST,
        RequestProblem.NOTES_TOO_LONG,
    ]


async def test_the_shop_opens_with_the_addon_and_the_setting_while_not_held(
    session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    account.has_shop_addon = False
    without_addon = await unavailable_reason(session, client)
    account.has_shop_addon = True
    open_now = await unavailable_reason(session, client)
    await set_client_setting(session, client, "shop_ordering", False)
    setting_off = await unavailable_reason(session, client)

    assert without_addon is not None
    assert open_now is None
    assert setting_off is not None
    assert setting_off != without_addon


async def test_text_consent_is_dated_once_and_needs_a_phone(
    session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    contact = await add_contact(session, client, phone="+13035550100")
    no_phone = await add_contact(session, client)
    viewer = client_viewer(client)

    await set_text_consent(session, viewer, contact, True, NOW)
    await set_text_consent(session, viewer, contact, True, NOW.replace(hour=20))
    given_at = contact.text_consent_at
    with pytest.raises(Refused) as refused:
        await set_text_consent(session, viewer, no_phone, True, NOW)
    await set_text_consent(session, viewer, contact, False, NOW)

    assert given_at == NOW
    assert problem_codes(refused) == [ClientProblem.CONSENT_NEEDS_PHONE]
    assert (contact.text_consent_at, contact.text_consent_source) == (None, None)
