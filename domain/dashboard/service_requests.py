"""A client asking for new service from its dashboard.

The request is NEW until staff book a task for it or decline it; staff find
it on the client's profile (``Client.serviceRequests``), and its creation is
on the client's activity record. The business has no staff inbox yet, so the
profile and the activity record are where staff learn of it.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.dashboard.access import client_acting
from domain.identity.viewer import Viewer
from domain.lookups import service_address_of
from domain.problems import Problem, refuse, refuse_all
from domain.work.common import business_today
from persistence.enums import ServiceRequestKind, ServiceRequestStatus
from persistence.models import Address, Client, ServiceRequest

MAX_NOTES_LENGTH = 2000


class RequestProblem(StrEnum):
    ADDRESS_NOT_FOUND = "address_not_found"
    DATE_IN_PAST = "date_in_past"
    NOTES_TOO_LONG = "notes_too_long"


@dataclass(frozen=True, slots=True)
class ServiceWanted:
    kind: ServiceRequestKind
    address: uuid.UUID | None
    preferred_on: date | None = None
    notes: str | None = None


async def own_service_address(
    session: AsyncSession, client: Client, public_id: uuid.UUID | None
) -> Address:
    address = await service_address_of(session, client, public_id)
    if address is None:
        refuse(
            RequestProblem.ADDRESS_NOT_FOUND,
            "addressId",
            "Choose one of your service addresses.",
        )
    return address


def request_problems(wanted: ServiceWanted, today: date) -> list[Problem]:
    problems = []
    if wanted.preferred_on is not None and wanted.preferred_on < today:
        message = f"Choose a day from {today.isoformat()} on."
        problems.append(Problem(RequestProblem.DATE_IN_PAST, "preferredOn", message))
    if wanted.notes is not None and len(wanted.notes) > MAX_NOTES_LENGTH:
        message = f"Keep the notes to {MAX_NOTES_LENGTH} characters."
        problems.append(Problem(RequestProblem.NOTES_TOO_LONG, "notes", message))
    return problems


async def request_service(
    session: AsyncSession, viewer: Viewer, wanted: ServiceWanted, now: datetime
) -> ServiceRequest:
    client = await client_acting(session, viewer)
    today = await business_today(session, client.account_id, now)
    refuse_all(request_problems(wanted, today))
    address = await own_service_address(session, client, wanted.address)

    request = ServiceRequest(
        account_id=client.account_id,
        client_id=client.id,
        contact_id=viewer.contact_id,
        kind=wanted.kind,
        status=ServiceRequestStatus.NEW,
        service_address_id=address.id,
        preferred_on=wanted.preferred_on,
        notes=(wanted.notes or "").strip() or None,
        created_at=now,
    )
    session.add(request)
    await record_activity(
        session,
        viewer,
        "service_request.created",
        client_id=client.id,
        subject=request,
        kind=request.kind,
        preferred_on=wanted.preferred_on.isoformat() if wanted.preferred_on else None,
    )
    return request
