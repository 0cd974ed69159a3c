"""The client's answers to estimates: markEstimateRead, acceptEstimate and
declineEstimate on the dashboard route."""

from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.enums import ActorKind, DocumentKind, EstimateStatus
from persistence.models import (
    Account,
    ActivityRecord,
    Client,
    ClientSettingOverride,
    Contact,
    Document,
    Estimate,
    Job,
)
from tests.billing_factories import add_hold
from tests.estimate_factories import set_client_setting
from tests.factories import add_client
from tests.graph.dashboard.conftest import RouteClient, codes, gid
from tests.records_factories import add_document, add_signed_document
from tests.work_factories import add_estimate

MARK_READ = """
mutation($id: ID!) {
  markEstimateRead(input: {estimateId: $id}) {
    estimate { status } userErrors { field code message }
  }
}
"""
ACCEPT = """
mutation($id: ID!, $signer: String) {
  acceptEstimate(input: {estimateId: $id, signerName: $signer}) {
    estimate { status } userErrors { field code message }
  }
}
"""
DECLINE = """
mutation($id: ID!) {
  declineEstimate(input: {estimateId: $id, reason: "Too dear"}) {
    estimate { status } userErrors { field code message }
  }
}
"""
NEEDS_SIGNATURE = """
query($id: ID!) { viewer { estimate(id: $id) { acceptanceNeedsSignature } } }
"""
STAFF_STATUS = """
query($id: ID!) { node(id: $id) { ... on Estimate { status } } }
"""
VALID = date(2026, 7, 15)


@pytest.fixture
async def estimate(session: AsyncSession, client: Client) -> Estimate:
    estimate = await add_estimate(session, client, valid_until=VALID)
    await session.commit()
    return estimate


async def acceptance_document(
    session: AsyncSession,
    client: Client,
    estimate: Estimate,
    add: Callable[..., Awaitable[Document]],
) -> Document:
    """The estimate's signature document, sent with it; ``add`` says whether
    signed (``add_signed_document``) or not (``add_document``)."""
    return await add(
        session,
        client,
        kind=DocumentKind.ESTIMATE_SIGNATURE,
        estimate_id=estimate.id,
        sent_at=estimate.created_at,
    )


async def stored_status(session: AsyncSession, estimate: Estimate) -> str:
    await session.refresh(estimate)
    return estimate.status


async def test_opening_an_estimate_marks_it_read_for_staff_once(
    dashboard: RouteClient,
    staff: RouteClient,
    session: AsyncSession,
    estimate: Estimate,
    contact: Contact,
) -> None:
    first = await dashboard.data(MARK_READ, id=gid("Estimate", estimate))
    again = await dashboard.data(MARK_READ, id=gid("Estimate", estimate))

    seen_by_staff = await staff.data(STAFF_STATUS, id=gid("Estimate", estimate))
    assert first["markEstimateRead"] == {
        "estimate": {"status": "READ"},
        "userErrors": [],
    }
    assert again["markEstimateRead"]["estimate"] == {"status": "READ"}
    assert seen_by_staff["node"] == {"status": "READ"}
    records = list(
        await session.execute(
            select(
                ActivityRecord.action,
                ActivityRecord.actor_kind,
                ActivityRecord.actor_id,
            )
        )
    )
    assert records == [("estimate.read", ActorKind.CLIENT, contact.id)]


@pytest.mark.parametrize("mutation", [MARK_READ, ACCEPT, DECLINE])
async def test_a_staff_preview_changes_no_estimate(
    preview: RouteClient, session: AsyncSession, estimate: Estimate, mutation: str
) -> None:
    data = await preview.data(mutation, id=gid("Estimate", estimate))

    [payload] = data.values()
    assert payload["estimate"] is None
    assert codes(payload) == ["READ_ONLY"]
    assert await stored_status(session, estimate) == EstimateStatus.NO_RESPONSE


@pytest.mark.parametrize("mutation", [MARK_READ, ACCEPT, DECLINE])
async def test_another_clients_estimate_is_not_found(
    dashboard: RouteClient, session: AsyncSession, account: Account, mutation: str
) -> None:
    other = await add_client(session, account)
    theirs = await add_estimate(session, other, valid_until=VALID)
    await session.commit()

    data = await dashboard.data(mutation, id=gid("Estimate", theirs))

    [payload] = data.values()
    assert [(error["field"], error["code"]) for error in payload["userErrors"]] == [
        (["input", "estimateId"], "NOT_FOUND")
    ]
    assert await stored_status(session, theirs) == EstimateStatus.NO_RESPONSE


async def test_accepting_changes_the_status_staff_see_and_creates_the_job(
    dashboard: RouteClient,
    staff: RouteClient,
    session: AsyncSession,
    client: Client,
    estimate: Estimate,
) -> None:
    await set_client_setting(session, client, "create_job_on_accept", True)
    await session.commit()

    data = await dashboard.data(ACCEPT, id=gid("Estimate", estimate))

    assert data["acceptEstimate"] == {
        "estimate": {"status": "ACCEPTED"},
        "userErrors": [],
    }
    seen_by_staff = await staff.data(STAFF_STATUS, id=gid("Estimate", estimate))
    assert seen_by_staff["node"] == {"status": "ACCEPTED"}
    jobs = list(await session.scalars(select(Job.client_id)))
    assert jobs == [client.id]


async def test_a_signature_is_needed_where_the_setting_asks_for_one(
    dashboard: RouteClient, session: AsyncSession, client: Client, estimate: Estimate
) -> None:
    await set_client_setting(session, client, "signature_required", True)
    await session.commit()

    unsigned = await dashboard.data(ACCEPT, id=gid("Estimate", estimate))
    signed = await dashboard.data(
        ACCEPT, id=gid("Estimate", estimate), signer="Ana Ortiz"
    )

    assert [
        (e["field"], e["code"]) for e in unsigned["acceptEstimate"]["userErrors"]
    ] == [(["input", "signerName"], "SIGNATURE_REQUIRED")]
    assert signed["acceptEstimate"]["estimate"] == {"status": "ACCEPTED"}
    document = await session.scalar(select(Document))
    assert document is not None
    assert document.kind == DocumentKind.ESTIMATE_SIGNATURE
    assert (document.signer_name, document.signer_ip) == ("Ana Ortiz", "127.0.0.1")
    assert document.signed_at is not None
    # Signed where it was shown: nothing was emailed.
    assert (document.sent_to, document.sent_via) == (None, None)


async def test_an_estimate_sent_for_signature_is_signed_on_acceptance(
    dashboard: RouteClient, session: AsyncSession, client: Client, estimate: Estimate
) -> None:
    sent = await acceptance_document(session, client, estimate, add_document)
    await session.commit()

    refused = await dashboard.data(ACCEPT, id=gid("Estimate", estimate))
    accepted = await dashboard.data(ACCEPT, id=gid("Estimate", estimate), signer="Ana")

    assert codes(refused["acceptEstimate"]) == ["SIGNATURE_REQUIRED"]
    assert accepted["acceptEstimate"]["userErrors"] == []
    await session.refresh(sent)
    assert sent.signer_name == "Ana"


async def test_the_estimate_says_when_accepting_asks_for_a_signature(
    dashboard: RouteClient, session: AsyncSession, client: Client, estimate: Estimate
) -> None:
    async def needs_signature() -> bool:
        data = await dashboard.data(NEEDS_SIGNATURE, id=gid("Estimate", estimate))
        return bool(data["viewer"]["estimate"]["acceptanceNeedsSignature"])

    estimate.sent_at = estimate.created_at
    await session.commit()
    plain = await needs_signature()
    await set_client_setting(session, client, "signature_required", True)
    await session.commit()
    by_setting = await needs_signature()
    await acceptance_document(session, client, estimate, add_signed_document)
    await session.commit()
    signed_already = await needs_signature()
    await session.execute(delete(ClientSettingOverride))
    await acceptance_document(session, client, estimate, add_document)
    await session.commit()
    sent_for_signature = await needs_signature()

    assert (plain, by_setting, signed_already, sent_for_signature) == (
        False,
        True,
        False,
        True,
    )


async def test_listing_whether_signatures_are_needed_costs_the_same_for_any_count(
    dashboard: RouteClient, session: AsyncSession, client: Client, estimate: Estimate
) -> None:
    listed = """{ viewer { client { estimates(first: 20) {
      nodes { acceptanceNeedsSignature }
    } } } }"""
    await set_client_setting(session, client, "signature_required", True)
    estimate.sent_at = estimate.created_at
    await session.commit()

    one = await dashboard.data(listed)
    one_count = len(dashboard.statements)
    for _ in range(9):
        await add_estimate(session, client, valid_until=VALID, sent_at=estimate.sent_at)
    await session.commit()
    ten = await dashboard.data(listed)

    assert len(one["viewer"]["client"]["estimates"]["nodes"]) == 1
    assert (
        ten["viewer"]["client"]["estimates"]["nodes"]
        == [{"acceptanceNeedsSignature": True}] * 10
    )
    assert len(dashboard.statements) == one_count


async def test_an_expired_estimate_takes_no_answer(
    dashboard: RouteClient, session: AsyncSession, client: Client
) -> None:
    expired = await add_estimate(session, client, valid_until=date(2026, 6, 1))
    await session.commit()

    data = await dashboard.data(ACCEPT, id=gid("Estimate", expired))

    assert codes(data["acceptEstimate"]) == ["EXPIRED"]
    assert "expired" in data["acceptEstimate"]["userErrors"][0]["message"]


async def test_declining_is_recorded_and_a_decided_estimate_is_not_answered_again(
    dashboard: RouteClient, session: AsyncSession, estimate: Estimate
) -> None:
    declined = await dashboard.data(DECLINE, id=gid("Estimate", estimate))
    again = await dashboard.data(ACCEPT, id=gid("Estimate", estimate))

    assert declined["declineEstimate"] == {
        "estimate": {"status": "DECLINED"},
        "userErrors": [],
    }
    assert codes(again["acceptEstimate"]) == ["NOT_ALLOWED_IN_STATUS"]
    assert await stored_status(session, estimate) == EstimateStatus.DECLINED


@pytest.mark.parametrize("mutation", [MARK_READ, ACCEPT, DECLINE])
async def test_a_client_on_hold_cannot_answer_estimates(
    dashboard: RouteClient,
    session: AsyncSession,
    client: Client,
    estimate: Estimate,
    mutation: str,
) -> None:
    await add_hold(session, client)
    await session.commit()

    data = await dashboard.data(mutation, id=gid("Estimate", estimate))

    [payload] = data.values()
    assert codes(payload) == ["ON_HOLD"]
    assert await stored_status(session, estimate) == EstimateStatus.NO_RESPONSE


async def test_an_estimate_signed_already_is_accepted_without_signing_again(
    dashboard: RouteClient, session: AsyncSession, client: Client, estimate: Estimate
) -> None:
    await set_client_setting(session, client, "signature_required", True)
    await acceptance_document(session, client, estimate, add_signed_document)
    await session.commit()

    data = await dashboard.data(ACCEPT, id=gid("Estimate", estimate))

    assert data["acceptEstimate"]["estimate"] == {"status": "ACCEPTED"}
    assert len(list(await session.scalars(select(Document)))) == 1


@pytest.mark.parametrize("mutation", [MARK_READ, ACCEPT, DECLINE])
async def test_a_draft_is_not_found_by_the_client(
    dashboard: RouteClient, session: AsyncSession, client: Client, mutation: str
) -> None:
    draft = await add_estimate(
        session, client, status=EstimateStatus.DRAFT, valid_until=VALID
    )
    await session.commit()

    data = await dashboard.data(mutation, id=gid("Estimate", draft))

    [payload] = data.values()
    assert codes(payload) == ["NOT_FOUND"]
    assert await stored_status(session, draft) == EstimateStatus.DRAFT


async def test_a_signature_too_long_is_refused(
    dashboard: RouteClient, session: AsyncSession, client: Client, estimate: Estimate
) -> None:
    await set_client_setting(session, client, "signature_required", True)
    await session.commit()

    data = await dashboard.data(ACCEPT, id=gid("Estimate", estimate), signer="A" * 201)

    assert codes(data["acceptEstimate"]) == ["SIGNER_NAME_INVALID"]
    assert await stored_status(session, estimate) == EstimateStatus.NO_RESPONSE
    assert list(await session.scalars(select(Document))) == []


@pytest.mark.parametrize("mutation", [MARK_READ, ACCEPT, DECLINE])
async def test_an_estimate_not_shared_on_the_dashboard_is_not_found(
    dashboard: RouteClient,
    session: AsyncSession,
    client: Client,
    estimate: Estimate,
    mutation: str,
) -> None:
    await set_client_setting(session, client, "estimate_sharing", False)
    await session.commit()

    data = await dashboard.data(mutation, id=gid("Estimate", estimate))

    [payload] = data.values()
    assert codes(payload) == ["NOT_FOUND"]
    assert await stored_status(session, estimate) == EstimateStatus.NO_RESPONSE
