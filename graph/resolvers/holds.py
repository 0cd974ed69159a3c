"""Placing and releasing account holds by hand (the rules place their own)."""

from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain import holds
from domain.holds import HoldProblem
from domain.permissions import Permission
from domain.problems import Problem
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.mutations import MutationInput, UserError, perform, user_errors
from graph.resolvers.invoice_inputs import public_id_of
from graph.resolvers.invoices import clock
from graph.types.billing.ledger import Hold
from persistence.models import Hold as HoldRow

strawberry.enum(
    HoldProblem, name="HoldErrorCode", description="Why a hold change was refused."
)


@strawberry.type(description="A reason a hold change was refused.")
class HoldError(UserError):
    code: HoldProblem = field(description="What went wrong.", audiences=STAFF_ONLY)


@strawberry.input(description="Put a client on hold, saying why.")
class PlaceHoldInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    reason: str = strawberry.field(
        description="Why, in 1 to 2000 characters; the client is told."
    )


@strawberry.input(description="Lift a client's hold, saying why.")
class ReleaseHoldInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    reason: str = strawberry.field(description="Why, in 1 to 2000 characters.")


@strawberry.type(description="The hold after the change.")
class HoldPayload:
    """The shape of both hold payloads; each mutation names its own."""

    hold: Hold | None = field(
        description="The hold placed or released; null on failure.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[HoldError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The hold placed.")
class PlaceHoldPayload(HoldPayload):
    pass


@strawberry.type(description="The hold released.")
class ReleaseHoldPayload(HoldPayload):
    pass


def payload(
    kind: type[HoldPayload], hold: HoldRow | None, problems: tuple[Problem, ...]
) -> Any:
    return kind(
        hold=Hold.from_row(hold) if hold is not None else None,
        user_errors=user_errors(HoldError, problems),
    )


async def place_hold(
    info: Info, input: MutationInput[PlaceHoldInput]
) -> PlaceHoldPayload:
    viewer = info.context.signed_in_viewer
    client_id = public_id_of(input.client_id, "Client")
    moment = clock(info)

    async def work(session: AsyncSession) -> HoldRow:
        return await holds.place_hold(session, viewer, client_id, input.reason, moment)

    outcome = await perform(info, work)
    return payload(PlaceHoldPayload, outcome.result, outcome.problems)


async def release_hold(
    info: Info, input: MutationInput[ReleaseHoldInput]
) -> ReleaseHoldPayload:
    viewer = info.context.signed_in_viewer
    client_id = public_id_of(input.client_id, "Client")
    moment = clock(info)

    async def work(session: AsyncSession) -> HoldRow:
        return await holds.release_hold(
            session, viewer, client_id, input.reason, moment
        )

    outcome = await perform(info, work)
    return payload(ReleaseHoldPayload, outcome.result, outcome.problems)


@strawberry.type(description="Account holds.")
class HoldMutations:
    place_hold: PlaceHoldPayload | None = field(
        place_hold,
        description="Put the client on hold with a reason: new tasks wait and "
        "sending invoices warns until it is released. The client is told. "
        "Needs billing:write. Errors: CLIENT_NOT_FOUND, REASON_REQUIRED, "
        "ALREADY_ON_HOLD.",
        audiences=STAFF_ONLY,
        permission=Permission.BILLING_WRITE,
    )
    release_hold: ReleaseHoldPayload | None = field(
        release_hold,
        description="Release the client's hold, whoever or whatever placed it. "
        "Needs billing:write. Errors: CLIENT_NOT_FOUND, REASON_REQUIRED, "
        "NOT_ON_HOLD.",
        audiences=STAFF_ONLY,
        permission=Permission.BILLING_WRITE,
    )
