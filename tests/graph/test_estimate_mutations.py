"""Estimate mutations over GraphQL: success, every user error code, FORBIDDEN
without work:write, and nothing left behind by a refused mutation."""

import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL, Permission
from graph.ids import encode_global_id
from persistence.enums import DocumentKind, EstimateStatus
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
    NotificationLogEntry,
    Task,
)
from tests.estimate_factories import (
    MATTRESS_FEE,
    MOUNTAIN_20_YD,
    NOW,
    STANDARD_20_YD,
    add_price_list,
    set_client_setting,
)
from tests.factories import add, add_account, add_address, add_client, add_staff_user
from tests.graph.clocked import signed_in
from tests.graph.conftest import GraphClient
from tests.work_factories import add_estimate

TODAY = date(2026, 6, 15)
ERRORS = "userErrors { field code }"
ESTIMATE = "estimate { id number status subtotal { minorUnits } }"
CREATE = f"""
mutation($input: CreateEstimateInput!) {{
  createEstimate(input: $input) {{
    estimate {{
      id number status title validUntil total {{ minorUnits }}
      serviceAddress {{ line1 }}
      lines {{ description quantity unitPrice {{ minorUnits }} amount {{ minorUnits }}
               priceProvenance {{ rule }} }}
    }}
    {ERRORS}
  }}
}}
"""
UPDATE = f"""
mutation($input: UpdateEstimateInput!) {{
  updateEstimate(input: $input) {{ {ESTIMATE} {ERRORS} }}
}}
"""
SEND = f"""
mutation($input: SendEstimateInput!) {{
  sendEstimate(input: $input) {{ {ESTIMATE} {ERRORS} }}
}}
"""
REVIEW = f"""
mutation($input: EstimateStepInput!) {{
  markEstimateReviewed(input: $input) {{ {ESTIMATE} {ERRORS} }}
}}
"""
ACCEPT = f"""
mutation($input: EstimateStepInput!) {{
  acceptEstimate(input: $input) {{
    {ESTIMATE} job {{ title tasks(first: 10) {{ nodes {{ kind }} }} }} {ERRORS}
  }}
}}
"""
DECLINE = f"""
mutation($input: EstimateStepInput!) {{
  declineEstimate(input: $input) {{ {ESTIMATE} {ERRORS} }}
}}
"""
SIGN_DOCUMENT = f"""
mutation($input: SignDocumentInput!) {{
  signDocument(input: $input) {{ document {{ status }} {ERRORS} }}
}}
"""
DOCUMENTS = """
query($id: ID!) { client(id: $id) { documents(first: 5) { nodes { id kind } } } }
"""
MUTATIONS = {
    "createEstimate": CREATE,
    "updateEstimate": UPDATE,
    "sendEstimate": SEND,
    "markEstimateReviewed": REVIEW,
    "acceptEstimate": ACCEPT,
    "declineEstimate": DECLINE,
}


def gid(type_name: str, row: Any) -> str:
    return encode_global_id(type_name, row.public_id)


@pytest.fixture
async def client(session: AsyncSession, account: Account) -> Client:
    await add_price_list(session, account)
    client = await add_client(session, account)
    await add_address(session, client, is_default=True, line1="9 Elm St")
    await session.commit()
    return client


@pytest.fixture
async def api(
    engine: AsyncEngine, session: AsyncSession, account: Account
) -> AsyncIterator[GraphClient]:
    staff = await add_staff_user(session, account)
    await session.commit()
    viewer = Viewer(
        account_id=account.id,
        kind=ViewerKind.STAFF,
        permissions=ALL,
        staff_user_id=staff.id,
    )
    async with signed_in(engine, viewer) as api:
        yield api


async def snapshot(session: AsyncSession) -> dict[str, Any]:
    """Everything an estimate mutation may touch."""
    await session.commit()
    counted = (
        Estimate,
        EstimateLine,
        EstimateEvent,
        Document,
        ActivityRecord,
        NotificationLogEntry,
        Job,
        Task,
    )
    counts = {
        table.__tablename__: await session.scalar(
            select(func.count()).select_from(table)
        )
        for table in counted
    }
    statuses = await session.scalars(select(Estimate.status).order_by(Estimate.id))
    next_number = await session.scalar(select(Account.next_estimate_number))
    return counts | {"statuses": list(statuses), "next_number": next_number}


def line(**values: Any) -> dict[str, Any]:
    return values


CONTAINER = line(containerSize=20, rentalDays=7, quantity="2")
FEE = line(feeCode="mattress")
MANUAL = line(description="Labour", unitPrice=1_999, quantity="1.5")


async def test_create_estimate_prices_lines_and_records_it(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    cabin = await add_address(
        session, client, line1="1 Peak Rd", pricing_zone="mountain"
    )
    await session.commit()
    variables = {
        "clientId": gid("Client", client),
        "title": "Cabin cleanout",
        "lines": [CONTAINER, FEE, MANUAL],
        "serviceAddressId": gid("Address", cabin),
    }

    data = await api.data(CREATE, input=variables)

    payload = data["createEstimate"]
    estimate = payload["estimate"]
    assert payload["userErrors"] == []
    assert (estimate["number"], estimate["status"], estimate["validUntil"]) == (
        501,
        "DRAFT",
        str(TODAY + timedelta(days=30)),
    )
    assert estimate["serviceAddress"] == {"line1": "1 Peak Rd"}
    assert [
        (item["unitPrice"]["minorUnits"], item["amount"]["minorUnits"],
         item["priceProvenance"]["rule"])
        for item in estimate["lines"]
    ] == [
        (MOUNTAIN_20_YD, 2 * MOUNTAIN_20_YD, "SERVICE_ADDRESS_PRICING"),
        (MATTRESS_FEE, MATTRESS_FEE, "ACCOUNT_STANDARD"),
        (1_999, 2_999, "MANUAL"),
    ]  # fmt: skip
    assert estimate["total"]["minorUnits"] == 2 * MOUNTAIN_20_YD + MATTRESS_FEE + 2_999
    record = await session.scalar(select(ActivityRecord))
    assert record is not None
    assert (record.action, record.client_id, record.actor_kind) == (
        "estimate.created",
        client.id,
        "staff",
    )


CREATE_REFUSALS = [
    ({"clientId": "nonsense"}, [(["input", "clientId"], "CLIENT_NOT_FOUND")]),
    (
        {"serviceAddressId": encode_global_id("Address", uuid.uuid4())},
        [(["input", "serviceAddressId"], "ADDRESS_NOT_FOUND")],
    ),
    ({"title": ""}, [(["input", "title"], "TITLE_INVALID")]),
    ({"lines": []}, [(["input", "lines"], "NO_LINES")]),
    (
        {"lines": [line(feeCode="mattress", unitPrice=5)]},
        [(["input", "lines", "0"], "LINE_KIND")],
    ),
    (
        {"lines": [line(unitPrice=5)]},
        [(["input", "lines", "0", "description"], "DESCRIPTION_INVALID")],
    ),
    (
        {"lines": [line(containerSize=20)]},
        [(["input", "lines", "0", "rentalDays"], "RENTAL_DAYS_INVALID")],
    ),
    (
        {"lines": [line(feeCode="mattress", quantity="lots")]},
        [(["input", "lines", "0", "quantity"], "QUANTITY_INVALID")],
    ),
    (
        {"lines": [line(description="Credit", unitPrice=-100)]},
        [(["input", "lines"], "TOTAL_NEGATIVE")],
    ),
    (
        {"lines": [line(containerSize=40, rentalDays=7)]},
        [(["input", "lines", "0", "containerSize"], "NO_PRICE")],
    ),
    (
        {"lines": [line(feeCode="tires")]},
        [(["input", "lines", "0", "feeCode"], "UNKNOWN_FEE")],
    ),
    ({"validUntil": "2026-06-14"}, [(["input", "validUntil"], "VALIDITY_IN_PAST")]),
    ({"clientId": "archived"}, [(["input", "clientId"], "CLIENT_ARCHIVED")]),
]


@pytest.mark.parametrize(("change", "expected"), CREATE_REFUSALS)
async def test_create_estimate_refusals_change_nothing(
    api: GraphClient,
    session: AsyncSession,
    account: Account,
    client: Client,
    change: dict[str, Any],
    expected: list[tuple[list[str], str]],
) -> None:
    variables = {"clientId": gid("Client", client), "title": "Job", "lines": [FEE]}
    if change.get("clientId") == "archived":
        archived = await add_client(session, account, archived_at=NOW)
        change = {"clientId": gid("Client", archived)}
    before = await snapshot(session)

    data = await api.data(CREATE, input=variables | change)

    errors = data["createEstimate"]["userErrors"]
    assert data["createEstimate"]["estimate"] is None
    assert [(error["field"], error["code"]) for error in errors] == expected
    assert await snapshot(session) == before


async def test_containers_without_any_service_address_are_refused(
    api: GraphClient, session: AsyncSession, account: Account, client: Client
) -> None:
    homeless = await add_client(session, account)
    await session.commit()
    variables = {
        "clientId": gid("Client", homeless),
        "title": "X",
        "lines": [CONTAINER],
    }

    data = await api.data(CREATE, input=variables)

    [error] = data["createEstimate"]["userErrors"]
    assert (error["field"], error["code"]) == (
        ["input", "serviceAddressId"],
        "SERVICE_ADDRESS_REQUIRED",
    )


async def created(api: GraphClient, client: Client, *lines: dict[str, Any]) -> str:
    variables = {"clientId": gid("Client", client), "title": "Job", "lines": lines}
    data = await api.data(CREATE, input=variables)
    estimate_id: str = data["createEstimate"]["estimate"]["id"]
    return estimate_id


async def test_a_draft_is_updated_sent_reviewed_and_accepted(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    estimate_id = await created(api, client, FEE)

    updated = await api.data(
        UPDATE, input={"estimateId": estimate_id, "lines": [CONTAINER]}
    )
    sent = await api.data(SEND, input={"estimateId": estimate_id})
    reviewed = await api.data(REVIEW, input={"estimateId": estimate_id})
    accepted = await api.data(
        ACCEPT, input={"estimateId": estimate_id, "note": "By phone."}
    )

    assert updated["updateEstimate"]["estimate"]["subtotal"] == {
        "minorUnits": 2 * STANDARD_20_YD
    }
    assert sent["sendEstimate"]["estimate"]["status"] == "NO_RESPONSE"
    assert reviewed["markEstimateReviewed"]["estimate"]["status"] == "REVIEWED"
    assert accepted["acceptEstimate"]["estimate"]["status"] == "ACCEPTED"
    assert accepted["acceptEstimate"]["job"] == {
        "title": "Job",
        "tasks": {"nodes": [{"kind": "DELIVERY"}, {"kind": "DELIVERY"}]},
    }
    await session.commit()
    actions = await session.scalars(select(ActivityRecord.action))
    assert list(actions) == [
        "estimate.created",
        "estimate.updated",
        "estimate.sent",
        "estimate.reviewed",
        "estimate.accepted",
        "job.created",
    ]
    notice = await session.scalar(select(NotificationLogEntry.event))
    assert notice == "estimate_sent"


async def test_decline_estimate_records_the_answer(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    estimate = await add_estimate(session, client, valid_until=TODAY)
    await session.commit()

    data = await api.data(
        DECLINE, input={"estimateId": gid("Estimate", estimate), "note": "Too dear."}
    )

    assert data["declineEstimate"]["estimate"]["status"] == "DECLINED"
    event = await session.scalar(select(EstimateEvent))
    assert event is not None
    assert (event.status, event.note) == (EstimateStatus.DECLINED, "Too dear.")


S = EstimateStatus
STEP_REFUSALS = [
    ("updateEstimate", S.NO_RESPONSE, TODAY, "NOT_DRAFT"),
    ("sendEstimate", S.READ, TODAY, "NOT_DRAFT"),
    ("sendEstimate", S.DRAFT, TODAY - timedelta(days=1), "EXPIRED"),
    ("markEstimateReviewed", S.DRAFT, TODAY, "NOT_SENT"),
    ("markEstimateReviewed", S.REVIEWED, TODAY, "ALREADY_REVIEWED"),
    ("markEstimateReviewed", S.DECLINED, TODAY, "ALREADY_DECIDED"),
    ("acceptEstimate", S.DRAFT, TODAY, "NOT_SENT"),
    ("acceptEstimate", S.ACCEPTED, TODAY, "ALREADY_DECIDED"),
    ("acceptEstimate", S.READ, TODAY - timedelta(days=1), "EXPIRED"),
    ("acceptEstimate", S.EXPIRED, TODAY, "EXPIRED"),
    ("declineEstimate", S.DRAFT, TODAY, "NOT_SENT"),
    ("declineEstimate", S.ACCEPTED, TODAY, "ALREADY_DECIDED"),
    ("declineEstimate", S.NO_RESPONSE, TODAY - timedelta(days=1), "EXPIRED"),
]


@pytest.mark.parametrize(("mutation", "status", "valid_until", "code"), STEP_REFUSALS)
async def test_steps_out_of_turn_are_refused_and_change_nothing(
    api: GraphClient,
    session: AsyncSession,
    client: Client,
    mutation: str,
    status: EstimateStatus,
    valid_until: date,
    code: str,
) -> None:
    estimate = await add_estimate(
        session, client, status=status, valid_until=valid_until
    )
    before = await snapshot(session)

    data = await api.data(
        MUTATIONS[mutation], input={"estimateId": gid("Estimate", estimate)}
    )

    assert data[mutation]["estimate"] is None
    assert data[mutation]["userErrors"] == [
        {"field": ["input", "estimateId"], "code": code}
    ]
    assert await snapshot(session) == before


@pytest.mark.parametrize(
    "mutation", [name for name in MUTATIONS if name != "createEstimate"]
)
async def test_another_accounts_estimate_is_not_found(
    api: GraphClient, session: AsyncSession, mutation: str
) -> None:
    stranger = await add_client(session, await add_account(session))
    estimate = await add_estimate(session, stranger, valid_until=TODAY)
    before = await snapshot(session)

    data = await api.data(
        MUTATIONS[mutation], input={"estimateId": gid("Estimate", estimate)}
    )

    assert data[mutation]["userErrors"] == [
        {"field": ["input", "estimateId"], "code": "ESTIMATE_NOT_FOUND"}
    ]
    assert await snapshot(session) == before


@pytest.mark.parametrize("mutation", list(MUTATIONS))
async def test_estimate_mutations_need_work_write(
    engine: AsyncEngine, session: AsyncSession, client: Client, mutation: str
) -> None:
    estimate = await add_estimate(session, client, valid_until=TODAY)
    before = await snapshot(session)
    viewer = Viewer(
        account_id=client.account_id,
        kind=ViewerKind.STAFF,
        permissions=ALL - {Permission.WORK_WRITE},
    )
    variables: dict[str, Any] = {"estimateId": gid("Estimate", estimate)}
    if mutation == "createEstimate":
        variables = {"clientId": gid("Client", client), "title": "X", "lines": [FEE]}

    async with signed_in(engine, viewer) as api:
        body = await api.execute(MUTATIONS[mutation], input=variables)

    assert body["data"][mutation] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await snapshot(session) == before


async def test_an_unanswered_estimate_past_validity_reads_expired(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    await add_estimate(session, client, number=1, valid_until=TODAY)
    await add_estimate(session, client, number=2, valid_until=TODAY - timedelta(days=1))
    await add_estimate(
        session, client, number=3, status=S.ACCEPTED, valid_until=date(2026, 1, 1)
    )
    await session.commit()
    query = """
    query($id: ID!, $status: [EstimateStatus!]) { client(id: $id) {
      estimates(first: 10, status: $status) { nodes { number status } }
    } }
    """

    every = await api.data(query, id=gid("Client", client))
    expired = await api.data(query, id=gid("Client", client), status=["EXPIRED"])
    waiting = await api.data(query, id=gid("Client", client), status=["NO_RESPONSE"])

    statuses = {
        node["number"]: node["status"] for node in every["client"]["estimates"]["nodes"]
    }
    assert statuses == {1: "NO_RESPONSE", 2: "EXPIRED", 3: "ACCEPTED"}
    assert expired["client"]["estimates"]["nodes"] == [
        {"number": 2, "status": "EXPIRED"}
    ]
    assert waiting["client"]["estimates"]["nodes"] == [
        {"number": 1, "status": "NO_RESPONSE"}
    ]


async def test_an_estimate_sent_for_signature_waits_for_it(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    await set_client_setting(session, client, "signature_required", True)
    await session.commit()
    estimate_id = await created(api, client, FEE)
    await api.data(SEND, input={"estimateId": estimate_id})
    documents = await api.data(DOCUMENTS, id=gid("Client", client))
    [document] = documents["client"]["documents"]["nodes"]
    before = await snapshot(session)

    unsigned = await api.data(ACCEPT, input={"estimateId": estimate_id})
    after_refusal = await snapshot(session)
    await api.data(
        SIGN_DOCUMENT,
        input={
            "documentId": document["id"],
            "signerName": "Pat",
            "ipAddress": "192.0.2.3",
        },
    )
    signed = await api.data(ACCEPT, input={"estimateId": estimate_id})

    assert document["kind"] == "ESTIMATE_SIGNATURE"
    assert unsigned["acceptEstimate"]["userErrors"] == [
        {"field": ["input", "estimateId"], "code": "SIGNATURE_REQUIRED"}
    ]
    assert after_refusal == before
    assert signed["acceptEstimate"]["estimate"]["status"] == "ACCEPTED"


async def test_a_signature_template_that_cannot_render_refuses_sending(
    api: GraphClient, session: AsyncSession, account: Account, client: Client
) -> None:
    await set_client_setting(session, client, "signature_required", True)
    await add(
        session,
        DocumentTemplate(
            account_id=account.id,
            kind=DocumentKind.ESTIMATE_SIGNATURE,
            name="Broken",
            body="{{ nothing.here }}",
        ),
    )
    estimate = await add_estimate(session, client, status=S.DRAFT, valid_until=TODAY)
    before = await snapshot(session)

    data = await api.data(SEND, input={"estimateId": gid("Estimate", estimate)})

    assert data["sendEstimate"]["userErrors"] == [
        {"field": ["input", "estimateId"], "code": "SIGNATURE_TEMPLATE_INVALID"}
    ]
    assert await snapshot(session) == before
