"""The client's answers to estimates: opened, accepted (signed where asked),
declined."""

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.dashboard import estimates as answers
from graph.context import Info
from graph.fields import DASHBOARD_ONLY, field
from graph.mutations import MutationInput
from graph.resolvers.dashboard.errors import (
    ERRORS_DESCRIPTION,
    DashboardError,
    act,
)
from graph.resolvers.estimates import public_id_of
from graph.types.estimates import Estimate
from persistence.models import Estimate as EstimateRow


@strawberry.input(description="The estimate you opened.")
class MarkEstimateReadInput:
    estimate_id: strawberry.ID = strawberry.field(description="The estimate's ID.")


@strawberry.input(description="The estimate you accept.")
class AcceptEstimateInput:
    estimate_id: strawberry.ID = strawberry.field(description="The estimate's ID.")
    signer_name: str | None = strawberry.field(
        default=None,
        description="Your name, typed as your signature; required when the "
        "business asks for estimates to be signed.",
    )


@strawberry.input(description="The estimate you decline.")
class DeclineEstimateInput:
    estimate_id: strawberry.ID = strawberry.field(description="The estimate's ID.")
    reason: str | None = strawberry.field(
        default=None, description="Why, if you want to tell us."
    )


@strawberry.type(description="The estimate after your answer.")
class DashboardEstimatePayload:
    estimate: Estimate | None = field(
        description="The estimate; null when refused.", audiences=DASHBOARD_ONLY
    )
    user_errors: list[DashboardError] = field(
        description=ERRORS_DESCRIPTION, audiences=DASHBOARD_ONLY
    )


def estimate_payload(
    row: EstimateRow | None, errors: list[DashboardError]
) -> DashboardEstimatePayload:
    estimate = Estimate.from_row(row) if row is not None else None
    return DashboardEstimatePayload(estimate=estimate, user_errors=errors)


async def mark_estimate_read(
    info: Info, input: MutationInput[MarkEstimateReadInput]
) -> DashboardEstimatePayload:
    viewer, now = info.context.signed_in_viewer, info.context.services.clock()
    public_id = public_id_of(input.estimate_id, "Estimate")

    async def work(session: AsyncSession) -> EstimateRow:
        return await answers.mark_read(session, viewer, public_id, now)

    return estimate_payload(*await act(info, work))


async def accept_estimate(
    info: Info, input: MutationInput[AcceptEstimateInput]
) -> DashboardEstimatePayload:
    viewer, now = info.context.signed_in_viewer, info.context.services.clock()
    public_id = public_id_of(input.estimate_id, "Estimate")
    address = info.context.client_ip

    async def work(session: AsyncSession) -> EstimateRow:
        return await answers.accept(
            session, viewer, public_id, input.signer_name, address, now
        )

    return estimate_payload(*await act(info, work))


async def decline_estimate(
    info: Info, input: MutationInput[DeclineEstimateInput]
) -> DashboardEstimatePayload:
    viewer, now = info.context.signed_in_viewer, info.context.services.clock()
    public_id = public_id_of(input.estimate_id, "Estimate")

    async def work(session: AsyncSession) -> EstimateRow:
        return await answers.decline(session, viewer, public_id, input.reason, now)

    return estimate_payload(*await act(info, work))


@strawberry.type(description="Answering estimates.")
class DashboardEstimateMutations:
    mark_estimate_read: DashboardEstimatePayload = field(
        mark_estimate_read,
        description="Call when you open an estimate: an unanswered one shows as "
        "READ to the business. Opening it again changes nothing. Errors: "
        "NOT_FOUND, NOT_ALLOWED_IN_STATUS, READ_ONLY, ON_HOLD.",
        audiences=DASHBOARD_ONLY,
        signed_in=True,
    )
    accept_estimate: DashboardEstimatePayload = field(
        accept_estimate,
        description="Accept a sent estimate that has not expired. Where the "
        "business asks for signatures, signerName is your signature (kept with "
        "the time and your network address). The business's job may be created "
        "at once. Errors: NOT_FOUND, SIGNATURE_REQUIRED, SIGNER_NAME_INVALID, "
        "EXPIRED, NOT_ALLOWED_IN_STATUS, READ_ONLY, ON_HOLD.",
        audiences=DASHBOARD_ONLY,
        signed_in=True,
    )
    decline_estimate: DashboardEstimatePayload = field(
        decline_estimate,
        description="Decline a sent estimate that has not expired. Errors: "
        "NOT_FOUND, EXPIRED, NOT_ALLOWED_IN_STATUS, READ_ONLY, ON_HOLD.",
        audiences=DASHBOARD_ONLY,
        signed_in=True,
    )
