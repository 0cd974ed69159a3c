"""Estimates without HTTP: pricing lines, the status transitions, expiry, and
the job an accepted estimate creates."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.documents import Signature, sign_document
from domain.estimate_drafts import (
    EstimateDraft,
    LineDraft,
    create_estimate,
    update_estimate,
)
from domain.estimates import (
    accept_estimate,
    decline_estimate,
    effective_status,
    expire_estimates,
    find_estimate,
    mark_estimate_read,
    mark_estimate_reviewed,
    send_estimate,
)
from domain.problems import Refused
from persistence.database import create_session_factory
from persistence.enums import (
    ActorKind,
    DocumentKind,
    EstimateStatus,
    NotificationEvent,
    PriceRule,
    TaskKind,
    TaskStatus,
)
from persistence.models import (
    Account,
    ActivityRecord,
    Client,
    Document,
    DocumentTemplate,
    Estimate,
    EstimateEvent,
    EstimateLine,
    Job,
    JobLine,
    NotificationLogEntry,
    Task,
)
from tests.estimate_factories import (
    MATTRESS_FEE,
    MOUNTAIN_20_YD,
    NOW,
    STANDARD_20_YD,
    add_price_list,
    client_viewer,
    set_client_setting,
    staff_viewer,
)
from tests.factories import add, add_account, add_address, add_client
from tests.records_factories import add_document
from tests.work_factories import add_estimate, add_estimate_line

TODAY = date(2026, 6, 15)
CONTAINER = LineDraft(container_size=20, rental_days=7, quantity=Decimal(2))
FEE = LineDraft(fee_code="mattress")
MANUAL = LineDraft(
    description="Haul-away labour", unit_price=1_999, quantity=Decimal("1.5")
)


@pytest.fixture
async def account(session: AsyncSession) -> Account:
    account = await add_account(session)
    await add_price_list(session, account)
    return account


@pytest.fixture
async def client(session: AsyncSession, account: Account) -> Client:
    client = await add_client(session, account)
    await add_address(session, client, is_default=True)
    return client


def draft(*lines: LineDraft, **values: Any) -> EstimateDraft:
    return EstimateDraft(title="Roof tear-off", lines=lines, **values)


async def refusal_codes(operation: Awaitable[Any]) -> list[tuple[str, str]]:
    with pytest.raises(Refused) as refused:
        await operation
    return [(problem.code.value, problem.field) for problem in refused.value.problems]


async def test_lines_are_priced_by_the_price_resolver_with_provenance(
    session: AsyncSession, account: Account, client: Client
) -> None:
    await set_client_setting(session, client, "tax_rate_bps", 825)

    estimate = await create_estimate(
        session, staff_viewer(account), client, draft(CONTAINER, FEE, MANUAL), NOW
    )

    lines = list(
        await session.scalars(
            select(EstimateLine)
            .where(EstimateLine.estimate_id == estimate.id)
            .order_by(EstimateLine.position)
        )
    )
    assert [(line.unit_price, line.amount, line.price_rule) for line in lines] == [
        (STANDARD_20_YD, 2 * STANDARD_20_YD, PriceRule.ACCOUNT_STANDARD),
        (MATTRESS_FEE, MATTRESS_FEE, PriceRule.ACCOUNT_STANDARD),
        (1_999, 2_999, PriceRule.MANUAL),
    ]
    assert lines[0].price_detail is not None
    assert lines[0].price_detail["included_days"] == 7
    assert lines[1].price_detail == {"fee_code": "mattress", "special_price_id": None}
    subtotal = 2 * STANDARD_20_YD + MATTRESS_FEE + 2_999
    assert (estimate.subtotal, estimate.tax) == (subtotal, round(subtotal * 0.0825))
    assert estimate.total == estimate.subtotal + estimate.tax
    assert estimate.status == EstimateStatus.DRAFT
    assert estimate.valid_until == TODAY + timedelta(days=30)


async def test_the_service_address_zone_prices_container_lines(
    session: AsyncSession, account: Account, client: Client
) -> None:
    cabin = await add_address(session, client, pricing_zone="mountain")

    estimate = await create_estimate(
        session,
        staff_viewer(account),
        client,
        draft(CONTAINER, service_address_id=cabin.public_id),
        NOW,
    )

    line = await session.scalar(
        select(EstimateLine).where(EstimateLine.estimate_id == estimate.id)
    )
    assert line is not None
    assert (line.unit_price, line.price_rule) == (
        MOUNTAIN_20_YD,
        PriceRule.SERVICE_ADDRESS_PRICING,
    )
    assert estimate.service_address_id == cabin.id


async def test_numbers_are_sequential_per_account_and_creation_is_recorded(
    session: AsyncSession, account: Account, client: Client
) -> None:
    other = await add_client(session, await add_account(session))

    first = await create_estimate(
        session, staff_viewer(account), client, draft(FEE), NOW
    )
    second = await create_estimate(
        session, staff_viewer(account), client, draft(FEE), NOW
    )
    elsewhere = await create_estimate(
        session, staff_viewer(await session.get_one(Account, other.account_id)),
        other, draft(MANUAL), NOW,
    )  # fmt: skip

    assert (first.number, second.number, elsewhere.number) == (501, 502, 501)
    actions = await session.scalars(
        select(ActivityRecord.action).where(ActivityRecord.subject_id == first.id)
    )
    assert list(actions) == ["estimate.created"]


async def test_every_problem_of_the_input_is_reported_at_once(
    session: AsyncSession, account: Account, client: Client
) -> None:
    lines = (
        LineDraft(container_size=20, fee_code="mattress"),
        LineDraft(container_size=30, rental_days=7),
        LineDraft(fee_code="tires"),
        LineDraft(unit_price=100, quantity=Decimal("0.001")),
        LineDraft(container_size=20, rental_days=0, quantity=Decimal("1.5")),
    )
    bad = EstimateDraft(title=" ", lines=lines, valid_until=TODAY - timedelta(days=1))

    codes = await refusal_codes(
        create_estimate(session, staff_viewer(account), client, bad, NOW)
    )

    assert codes == [
        ("title_invalid", "title"),
        ("validity_in_past", "validUntil"),
        ("line_kind", "lines.0"),
        ("no_price", "lines.1.containerSize"),
        ("unknown_fee", "lines.2.feeCode"),
        ("quantity_invalid", "lines.3.quantity"),
        ("description_invalid", "lines.3.description"),
        ("quantity_invalid", "lines.4.quantity"),
        ("rental_days_invalid", "lines.4.rentalDays"),
    ]


async def test_an_estimate_needs_lines_and_containers_need_an_address(
    session: AsyncSession, account: Account
) -> None:
    homeless = await add_client(session, account)

    empty = await refusal_codes(
        create_estimate(session, staff_viewer(account), homeless, draft(), NOW)
    )
    container = await refusal_codes(
        create_estimate(session, staff_viewer(account), homeless, draft(CONTAINER), NOW)
    )

    assert empty == [("no_lines", "lines")]
    assert container == [("service_address_required", "serviceAddressId")]


async def test_a_draft_is_updated_and_a_sent_estimate_is_not(
    session: AsyncSession, account: Account, client: Client
) -> None:
    viewer = staff_viewer(account)
    estimate = await create_estimate(session, viewer, client, draft(FEE), NOW)

    await update_estimate(
        session, viewer, estimate, EstimateDraft(title="Garage", lines=[MANUAL]), NOW
    )
    await send_estimate(session, viewer, estimate, NOW)
    codes = await refusal_codes(
        update_estimate(session, viewer, estimate, EstimateDraft(title="X"), NOW)
    )

    assert (estimate.title, estimate.subtotal) == ("Garage", 2_999)
    line_count = await session.scalar(
        select(func.count()).where(EstimateLine.estimate_id == estimate.id)
    )
    assert line_count == 1
    assert codes == [("not_draft", "estimateId")]


async def test_sending_notifies_the_client_and_starts_the_timeline(
    session: AsyncSession, account: Account, client: Client
) -> None:
    viewer = staff_viewer(account)
    estimate = await create_estimate(session, viewer, client, draft(FEE), NOW)

    await send_estimate(session, viewer, estimate, NOW)

    assert (estimate.status, estimate.sent_at) == (EstimateStatus.NO_RESPONSE, NOW)
    notice = await session.scalar(select(NotificationLogEntry))
    assert notice is not None
    assert (notice.event, notice.estimate_id) == (
        NotificationEvent.ESTIMATE_SENT,
        estimate.id,
    )
    event = await session.scalar(select(EstimateEvent))
    assert event is not None
    assert (event.status, event.actor_kind) == (
        EstimateStatus.NO_RESPONSE,
        ActorKind.STAFF,
    )


Step = Callable[[AsyncSession, Any, Estimate], Awaitable[Estimate]]


def step(operation: Any) -> Step:
    async def run(session: AsyncSession, viewer: Any, estimate: Estimate) -> Estimate:
        result: Estimate = await operation(session, viewer, estimate, NOW)
        return result

    return run


STEPS = {
    "send": step(send_estimate),
    "read": step(mark_estimate_read),
    "review": step(mark_estimate_reviewed),
    "accept": step(accept_estimate),
    "decline": step(decline_estimate),
}
S = EstimateStatus
# (status before, step) -> the status after, or the refusal's code.
TRANSITIONS = {
    "send": [S.NO_RESPONSE, "not_draft", "not_draft", "not_draft", "not_draft",
             "not_draft", "not_draft"],
    "read": ["not_sent", S.READ, S.READ, S.REVIEWED, S.ACCEPTED, S.DECLINED,
             S.EXPIRED],
    "review": ["not_sent", S.REVIEWED, S.REVIEWED, "already_reviewed",
               "already_decided", "already_decided", "expired"],
    "accept": ["not_sent", S.ACCEPTED, S.ACCEPTED, S.ACCEPTED, "already_decided",
               "already_decided", "expired"],
    "decline": ["not_sent", S.DECLINED, S.DECLINED, S.DECLINED, "already_decided",
                "already_decided", "expired"],
}  # fmt: skip
CASES = [
    (before, name, after)
    for name, outcomes in TRANSITIONS.items()
    for before, after in zip(EstimateStatus, outcomes, strict=True)
]


@pytest.mark.parametrize(("before", "name", "after"), CASES)
async def test_estimate_transitions(
    session: AsyncSession,
    account: Account,
    client: Client,
    before: EstimateStatus,
    name: str,
    after: str,
) -> None:
    estimate = await add_estimate(
        session, client, status=before, valid_until=TODAY + timedelta(days=5)
    )

    try:
        await STEPS[name](session, staff_viewer(account), estimate)
        outcome = estimate.status
    except Refused as refused:
        [problem] = refused.problems
        outcome = problem.code.value

    assert outcome == after


async def test_steps_are_timestamped_events_with_their_actor(
    session: AsyncSession, account: Account, client: Client
) -> None:
    estimate = await add_estimate(session, client, valid_until=TODAY)

    await mark_estimate_read(session, client_viewer(client), estimate, NOW)
    await mark_estimate_read(session, client_viewer(client), estimate, NOW)
    await mark_estimate_reviewed(session, staff_viewer(account), estimate, NOW)
    await decline_estimate(
        session, staff_viewer(account), estimate, NOW, note="Too dear."
    )

    events = await session.execute(
        select(EstimateEvent.status, EstimateEvent.actor_kind, EstimateEvent.note)
        .where(EstimateEvent.estimate_id == estimate.id)
        .order_by(EstimateEvent.id)
    )
    assert [tuple(event) for event in events] == [
        (S.READ, ActorKind.CLIENT, None),
        (S.REVIEWED, ActorKind.STAFF, None),
        (S.DECLINED, ActorKind.STAFF, "Too dear."),
    ]


@pytest.mark.parametrize(
    ("status", "valid_until", "expected"),
    [
        (S.NO_RESPONSE, TODAY, S.NO_RESPONSE),
        (S.NO_RESPONSE, TODAY - timedelta(days=1), S.EXPIRED),
        (S.READ, TODAY - timedelta(days=1), S.EXPIRED),
        (S.REVIEWED, TODAY - timedelta(days=1), S.EXPIRED),
        (S.ACCEPTED, TODAY - timedelta(days=1), S.ACCEPTED),
        (S.DRAFT, TODAY - timedelta(days=1), S.DRAFT),
    ],
)
def test_an_open_estimate_past_its_validity_is_expired(
    status: EstimateStatus, valid_until: date, expected: EstimateStatus
) -> None:
    assert effective_status(status, valid_until, TODAY) is expected


async def test_an_answer_after_validity_is_refused_before_expiry_is_stored(
    session: AsyncSession, account: Account, client: Client
) -> None:
    estimate = await add_estimate(
        session, client, status=S.READ, valid_until=TODAY - timedelta(days=1)
    )

    codes = await refusal_codes(
        accept_estimate(session, client_viewer(client), estimate, NOW)
    )

    assert codes == [("expired", "estimateId")]
    assert estimate.status == S.READ


async def test_expire_estimates_stores_expiry_once(
    session: AsyncSession, account: Account, client: Client
) -> None:
    past = TODAY - timedelta(days=1)
    stale = await add_estimate(session, client, status=S.READ, valid_until=past)
    current = await add_estimate(session, client, status=S.READ, valid_until=TODAY)
    decided = await add_estimate(session, client, status=S.ACCEPTED, valid_until=past)

    first = await expire_estimates(session, account.id, TODAY, NOW)
    second = await expire_estimates(session, account.id, TODAY, NOW)

    assert [estimate.id for estimate in first] == [stale.id]
    assert second == []
    assert (stale.status, current.status, decided.status) == (
        S.EXPIRED,
        S.READ,
        S.ACCEPTED,
    )
    event = await session.scalar(
        select(EstimateEvent).where(EstimateEvent.estimate_id == stale.id)
    )
    assert event is not None
    assert (event.status, event.actor_kind) == (S.EXPIRED, ActorKind.SYSTEM)


async def sent_estimate(
    session: AsyncSession, account: Account, client: Client
) -> Estimate:
    viewer = staff_viewer(account)
    estimate = await create_estimate(
        session, viewer, client, draft(CONTAINER, FEE), NOW
    )
    return await send_estimate(session, viewer, estimate, NOW)


async def test_accepting_creates_the_job_and_its_delivery_tasks(
    session: AsyncSession, account: Account, client: Client
) -> None:
    estimate = await sent_estimate(session, account, client)

    await accept_estimate(session, client_viewer(client), estimate, NOW)

    job = await session.get_one(Job, estimate.job_id)
    job_lines = list(await session.scalars(select(JobLine).order_by(JobLine.position)))
    tasks = list(await session.scalars(select(Task).where(Task.job_id == job.id)))
    assert job.title == estimate.title
    assert [(line.amount, line.price_rule) for line in job_lines] == [
        (2 * STANDARD_20_YD, PriceRule.ACCOUNT_STANDARD),
        (MATTRESS_FEE, PriceRule.ACCOUNT_STANDARD),
    ]
    assert [(t.kind, t.status, t.price, t.container_size) for t in tasks] == [
        (TaskKind.DELIVERY, TaskStatus.UNSCHEDULED, STANDARD_20_YD, 20),
    ] * 2
    assert all(task.price_detail == job_lines[0].price_detail for task in tasks)
    assert all(task.service_address_id == estimate.service_address_id for task in tasks)


async def test_accepting_creates_nothing_when_the_setting_is_off(
    session: AsyncSession, account: Account, client: Client
) -> None:
    await set_client_setting(session, client, "create_job_on_accept", False)
    estimate = await sent_estimate(session, account, client)

    await accept_estimate(session, staff_viewer(account), estimate, NOW)

    assert estimate.status == S.ACCEPTED
    assert estimate.job_id is None
    assert await session.scalar(select(func.count()).select_from(Job)) == 0
    assert await session.scalar(select(func.count()).select_from(Task)) == 0


async def test_accepted_deliveries_wait_for_a_signed_agreement_when_required(
    session: AsyncSession, account: Account, client: Client
) -> None:
    await set_client_setting(session, client, "agreement_before_delivery", True)
    estimate = await sent_estimate(session, account, client)

    await accept_estimate(session, staff_viewer(account), estimate, NOW)

    tasks = await session.scalars(select(Task.requires_signed_agreement))
    assert list(tasks) == [True, True]


async def test_a_signed_agreement_lets_accepted_deliveries_go(
    session: AsyncSession, account: Account, client: Client
) -> None:
    await set_client_setting(session, client, "agreement_before_delivery", True)
    await add_document(
        session,
        client,
        kind=DocumentKind.RENTAL_AGREEMENT,
        sent_at=NOW,
        signed_at=NOW,
        signer_name="Pat",
        signed_sha256="0" * 64,
    )
    estimate = await sent_estimate(session, account, client)

    await accept_estimate(session, staff_viewer(account), estimate, NOW)

    tasks = await session.scalars(select(Task.requires_signed_agreement))
    assert list(tasks) == [False, False]


async def test_a_client_finds_only_its_own_estimates(
    session: AsyncSession, account: Account, client: Client
) -> None:
    neighbour = await add_client(session, account)
    estimate = await add_estimate(session, client)
    await add_estimate_line(session, estimate)

    own = await find_estimate(session, client_viewer(client), estimate.public_id)
    codes = await refusal_codes(
        find_estimate(session, client_viewer(neighbour), estimate.public_id)
    )

    assert own.id == estimate.id
    assert codes == [("estimate_not_found", "estimateId")]


async def test_concurrent_creation_never_shares_a_number(
    engine: AsyncEngine, session: AsyncSession, account: Account, client: Client
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serializes writers; the row lock matters on PostgreSQL.")
    await session.commit()
    factory = create_session_factory(engine)

    async def create() -> int:
        async with factory() as own:
            mine = await own.get_one(Client, client.id)
            estimate = await create_estimate(
                own, staff_viewer(account), mine, draft(FEE), NOW
            )
            await own.commit()
            return estimate.number

    numbers = await asyncio.gather(*(create() for _ in range(8)))

    assert sorted(numbers) == list(range(501, 509))


async def test_an_estimate_sent_for_signature_is_accepted_once_signed(
    session: AsyncSession, account: Account, client: Client
) -> None:
    await set_client_setting(session, client, "signature_required", True)
    estimate = await sent_estimate(session, account, client)
    [document] = await session.scalars(
        select(Document).where(Document.estimate_id == estimate.id)
    )

    unsigned = await refusal_codes(
        accept_estimate(session, client_viewer(client), estimate, NOW)
    )
    await sign_document(
        session, client_viewer(client), document, Signature("Pat", NOW, "192.0.2.9")
    )
    await accept_estimate(session, client_viewer(client), estimate, NOW)

    assert document.kind == DocumentKind.ESTIMATE_SIGNATURE
    assert document.body == (
        f"{client.display_name} accepts estimate {estimate.number} (Roof tear-off) "
        f"from {account.name} as quoted."
    )
    assert unsigned == [("signature_required", "estimateId")]
    assert estimate.status == S.ACCEPTED


async def test_the_signature_template_for_the_client_type_wins(
    session: AsyncSession, account: Account, client: Client
) -> None:
    await set_client_setting(session, client, "signature_required", True)
    for client_type, text in ((None, "Any"), (client.client_type, "Own")):
        await add(
            session,
            DocumentTemplate(
                account_id=account.id,
                kind=DocumentKind.ESTIMATE_SIGNATURE,
                client_type=client_type,
                name=text,
                body=text + " {{ estimate.number }}",
            ),
        )

    estimate = await sent_estimate(session, account, client)

    body = await session.scalar(
        select(Document.body).where(Document.estimate_id == estimate.id)
    )
    assert body == f"Own {estimate.number}"


async def test_a_signature_template_that_cannot_render_refuses_sending(
    session: AsyncSession, account: Account, client: Client
) -> None:
    await set_client_setting(session, client, "signature_required", True)
    await add(
        session,
        DocumentTemplate(
            account_id=account.id,
            kind=DocumentKind.ESTIMATE_SIGNATURE,
            name="Broken",
            body="{{ estimate.missing }}",
        ),
    )

    codes = await refusal_codes(sent_estimate(session, account, client))

    assert codes == [("signature_template_invalid", "estimateId")]


@pytest.mark.parametrize(
    ("settings", "tax"),
    [
        ({"tax_rate_bps": 1_000}, 250),
        ({"tax_rate_bps": 1_000, "tax_exempt": True}, 0),
        ({"tax_rate_bps": "10%"}, 0),
    ],
)
async def test_tax_follows_the_clients_settings(
    session: AsyncSession,
    account: Account,
    client: Client,
    settings: dict[str, Any],
    tax: int,
) -> None:
    for key, value in settings.items():
        await set_client_setting(session, client, key, value)

    estimate = await create_estimate(
        session, staff_viewer(account), client, draft(FEE), NOW
    )

    assert (estimate.subtotal, estimate.tax) == (MATTRESS_FEE, tax)
