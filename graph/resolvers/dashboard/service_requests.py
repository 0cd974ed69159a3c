"""Asking for new service from the dashboard."""

from datetime import date

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.dashboard import service_requests
from domain.dashboard.service_requests import ServiceWanted
from graph.context import Info
from graph.fields import DASHBOARD_ONLY, field
from graph.mutations import MutationInput
from graph.resolvers.dashboard.errors import ERRORS_DESCRIPTION, DashboardError, act
from graph.resolvers.estimates import public_id_of
from graph.types.work import ServiceRequest, ServiceRequestKind
from persistence.models import ServiceRequest as ServiceRequestRow


@strawberry.input(description="The service you would like.")
class RequestServiceInput:
    kind: ServiceRequestKind = strawberry.field(description="What you would like.")
    address_id: strawberry.ID = strawberry.field(
        description="One of your service addresses (Client.addresses, kind SERVICE)."
    )
    preferred_on: date | None = strawberry.field(
        default=None, description="The day you would like it; today or later."
    )
    notes: str | None = strawberry.field(
        default=None, description="Anything we should know, up to 2000 characters."
    )


@strawberry.type(description="Your request, as the business now sees it.")
class RequestServicePayload:
    service_request: ServiceRequest | None = field(
        description="The request, NEW until the business books or declines it; "
        "null when refused.",
        audiences=DASHBOARD_ONLY,
    )
    user_errors: list[DashboardError] = field(
        description=ERRORS_DESCRIPTION, audiences=DASHBOARD_ONLY
    )


async def request_service(
    info: Info, input: MutationInput[RequestServiceInput]
) -> RequestServicePayload:
    viewer, now = info.context.signed_in_viewer, info.context.services.clock()
    wanted = ServiceWanted(
        kind=input.kind,
        address=public_id_of(input.address_id, "Address"),
        preferred_on=input.preferred_on,
        notes=input.notes,
    )

    async def work(session: AsyncSession) -> ServiceRequestRow:
        return await service_requests.request_service(session, viewer, wanted, now)

    row, errors = await act(info, work)
    request = ServiceRequest.from_row(row) if row is not None else None
    return RequestServicePayload(service_request=request, user_errors=errors)


@strawberry.type(description="Asking for service.")
class DashboardServiceRequestMutations:
    request_service: RequestServicePayload = field(
        request_service,
        description="Ask the business for new service at one of your service "
        "addresses; it appears on your profile for the business to book. "
        "Errors: ADDRESS_NOT_FOUND, DATE_IN_PAST, NOTES_TOO_LONG, READ_ONLY, "
        "ON_HOLD.",
        audiences=DASHBOARD_ONLY,
        signed_in=True,
    )
