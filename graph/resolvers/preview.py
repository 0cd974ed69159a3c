"""Staff open a client's dashboard read-only (``openClientDashboard``)."""

from datetime import datetime

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.dashboard.preview import open_client_dashboard, preview_url
from domain.identity.tokens import IssuedToken
from domain.permissions import Permission
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.mutations import MutationInput, perform
from graph.resolvers.invoice_inputs import public_id_of
from graph.resolvers.people import ClientError, errors_of
from graph.resolvers.people_inputs import ClientIdInput


@strawberry.type(description="A read-only link to a client's dashboard.")
class OpenClientDashboardPayload:
    url: str | None = field(
        description="Open it in a browser within 15 minutes: the client's "
        "dashboard, marked as a staff view, where nothing can be paid, signed or "
        "changed. Null when refused. Treat it as a secret.",
        audiences=STAFF_ONLY,
    )
    expires_at: datetime | None = field(
        description="When the link stops working.", audiences=STAFF_ONLY
    )
    user_errors: list[ClientError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


async def resolve_open_client_dashboard(
    info: Info, input: MutationInput[ClientIdInput]
) -> OpenClientDashboardPayload:
    viewer, services = info.context.signed_in_viewer, info.context.services
    client_id = public_id_of(input.client_id, "Client")

    async def work(session: AsyncSession) -> IssuedToken:
        return await open_client_dashboard(session, viewer, client_id, services.clock())

    outcome = await perform(info, work)
    if outcome.result is None:
        return OpenClientDashboardPayload(
            url=None, expires_at=None, user_errors=errors_of(outcome.problems)
        )
    return OpenClientDashboardPayload(
        url=preview_url(services.dashboard_url, outcome.result.token),
        expires_at=outcome.result.expires_at,
        user_errors=[],
    )


@strawberry.type(description="Opening a client's dashboard.")
class PreviewMutations:
    open_client_dashboard: OpenClientDashboardPayload | None = field(
        resolve_open_client_dashboard,
        description="A 15-minute, read-only link to the client's dashboard as the "
        "client sees it, recorded on the client's activity. Errors: "
        "CLIENT_NOT_FOUND, CLIENT_MERGED, CLIENT_ARCHIVED, DASHBOARD_ACCESS_OFF. "
        "Needs dashboard:open.",
        audiences=STAFF_ONLY,
        permission=Permission.DASHBOARD_OPEN,
    )
