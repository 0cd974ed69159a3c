"""Scheduling a dumpster rental from the shop."""

from datetime import date

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.dashboard.rental_orders import RentalOrder, schedule_rental
from domain.dashboard.rentals import RentalWanted
from graph.context import Info
from graph.fields import DASHBOARD_ONLY, field
from graph.mutations import MutationInput
from graph.resolvers.dashboard.errors import ERRORS_DESCRIPTION, DashboardError, act
from graph.resolvers.invoice_inputs import public_id_of
from graph.types.tasks import Material, Task
from persistence.models import Task as TaskRow


@strawberry.input(description="A dumpster rental to order, with its terms accepted.")
class ScheduleRentalInput:
    container_size: int = strawberry.field(
        description="Size in cubic yards (one of rentalOptions.sizes)."
    )
    delivery_on: date = strawberry.field(
        description="The day to deliver it; rentalOptions.earliestDeliveryOn or later."
    )
    pickup_on: date = strawberry.field(
        description="The day to pick it up; after the delivery day."
    )
    address_id: strawberry.ID = strawberry.field(
        description="One of your service addresses."
    )
    accept_terms: bool = strawberry.field(
        description="You read and accept the order and rentalOptions.termsText."
    )
    material: Material | None = strawberry.field(
        default=None, description="What goes in it; general debris by default."
    )
    notes: str | None = strawberry.field(
        default=None,
        description="Where to put it, gate codes; up to 2000 characters.",
    )


@strawberry.type(description="Your order, as the business now sees it.")
class ScheduleRentalPayload:
    task: Task | None = field(
        description="The delivery, UNSCHEDULED until the business confirms the "
        "day; null when refused.",
        audiences=DASHBOARD_ONLY,
    )
    user_errors: list[DashboardError] = field(
        description=ERRORS_DESCRIPTION, audiences=DASHBOARD_ONLY
    )


async def resolve_schedule_rental(
    info: Info, input: MutationInput[ScheduleRentalInput]
) -> ScheduleRentalPayload:
    viewer, now = info.context.signed_in_viewer, info.context.services.clock()
    order = RentalOrder(
        wanted=RentalWanted(
            container_size=input.container_size,
            delivery_on=input.delivery_on,
            pickup_on=input.pickup_on,
            address=public_id_of(input.address_id, "Address"),
        ),
        accepts_terms=input.accept_terms,
        material=input.material,
        notes=input.notes,
    )
    address = info.context.client_ip

    async def work(session: AsyncSession) -> TaskRow:
        return await schedule_rental(session, viewer, order, address, now)

    row, errors = await act(info, work)
    task = Task.from_row(row) if row is not None else None
    return ScheduleRentalPayload(task=task, user_errors=errors)


@strawberry.type(description="The shop.")
class DashboardRentalMutations:
    schedule_rental: ScheduleRentalPayload = field(
        resolve_schedule_rental,
        description="Order a dumpster rental at the price that applies to you "
        "(see rentalQuote), accepting the terms: a delivery waiting for the "
        "business to confirm its day. Errors: SHOP_UNAVAILABLE, "
        "TERMS_NOT_ACCEPTED, DATE_IN_PAST, DATES_OUT_OF_ORDER, ADDRESS_NOT_FOUND, "
        "SIZE_NOT_OFFERED, NOTES_TOO_LONG, READ_ONLY, ON_HOLD.",
        audiences=DASHBOARD_ONLY,
        signed_in=True,
    )
