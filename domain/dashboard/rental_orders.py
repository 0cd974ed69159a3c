"""A client ordering a dumpster rental from the shop.

The order is a pending delivery task: UNSCHEDULED until staff put it on a
route, priced now for the wanted delivery day (the price and its provenance
are snapshotted on the task, as for any task), and tied to a NEW service
request carrying the wanted delivery day, so staff see it beside the
client's other requests. The pickup is not booked yet (a pickup is booked
against a delivered container); its wanted day is on the task's
instructions and decides the rental length.

The client accepts the terms with the order: what was accepted (the order,
its price and the account's terms and conditions) is kept as a signed
TERMS_AND_CONDITIONS document of the task, with the time and the request's
address.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.dashboard.access import client_acting
from domain.dashboard.rentals import (
    RentalProblem,
    RentalQuote,
    RentalWanted,
    quote_rental,
    refuse_unless_open,
    rental_terms,
)
from domain.delivery.dispatch import money
from domain.documents import Signature, primary_contact, sign_document
from domain.identity.viewer import Viewer
from domain.problems import refuse
from domain.work.common import business_today
from domain.work.tasks import TaskBooking, create_task
from persistence.enums import (
    DocumentKind,
    Material,
    ServiceRequestKind,
    ServiceRequestStatus,
    TaskKind,
)
from persistence.models import Client, Contact, Document, ServiceRequest, Task

MAX_NOTES_LENGTH = 2000
TERMS_TITLE = "Rental order terms"


@dataclass(frozen=True, slots=True)
class RentalOrder:
    wanted: RentalWanted
    accepts_terms: bool
    material: Material | None = None
    notes: str | None = None


async def schedule_rental(
    session: AsyncSession,
    viewer: Viewer,
    order: RentalOrder,
    ip_address: str,
    now: datetime,
) -> Task:
    client = await client_acting(session, viewer)
    await refuse_unless_open(session, client)
    if not order.accepts_terms:
        refuse(
            RentalProblem.TERMS_NOT_ACCEPTED,
            "acceptTerms",
            "Read and accept the rental terms to place the order.",
        )
    if order.notes is not None and len(order.notes) > MAX_NOTES_LENGTH:
        refuse(
            RentalProblem.NOTES_TOO_LONG,
            "notes",
            f"Keep the notes to {MAX_NOTES_LENGTH} characters.",
        )
    today = await business_today(session, client.account_id, now)
    quote = await quote_rental(session, client, order.wanted, today)

    # The task, its request and the accepted terms stand or fall together.
    task = await book_delivery(session, viewer, client, order, quote, now)
    await request_for(session, viewer, client, order, task, now)
    signature = Signature(await signer_of(session, viewer, client), now, ip_address)
    terms = await accept_terms(session, viewer, client, order, quote, task, signature)
    await record_activity(
        session, viewer, "rental.ordered", client_id=client.id, subject=task,
        delivery_on=order.wanted.delivery_on.isoformat(),
        pickup_on=order.wanted.pickup_on.isoformat(), price=task.price,
        price_rule=task.price_rule, terms_document_id=terms.id,
    )  # fmt: skip
    return task


def instructions_of(order: RentalOrder) -> str:
    wanted = order.wanted
    lines = [
        f"Ordered online: delivery wanted on {wanted.delivery_on.isoformat()}, "
        f"pickup on {wanted.pickup_on.isoformat()}."
    ]
    if order.notes and order.notes.strip():
        lines.append(order.notes.strip())
    return "\n".join(lines)


async def book_delivery(
    session: AsyncSession,
    viewer: Viewer,
    client: Client,
    order: RentalOrder,
    quote: RentalQuote,
    now: datetime,
) -> Task:
    """The pending delivery, through the one way tasks are booked and priced."""
    booking = TaskBooking(
        client_id=client.public_id,
        service_address_id=quote.address.public_id,
        kind=TaskKind.DELIVERY,
        container_size=order.wanted.container_size,
        material=order.material or Material.GENERAL_DEBRIS,
        rental_days=quote.rate.rental_days,
        instructions=instructions_of(order),
        priced_on=order.wanted.delivery_on,
    )
    return await create_task(session, viewer, booking, now)


async def request_for(
    session: AsyncSession,
    viewer: Viewer,
    client: Client,
    order: RentalOrder,
    task: Task,
    now: datetime,
) -> ServiceRequest:
    # Staff work from requests: the order shows among them, its task attached.
    request = ServiceRequest(
        account_id=client.account_id,
        client_id=client.id,
        contact_id=viewer.contact_id,
        kind=ServiceRequestKind.DELIVERY,
        status=ServiceRequestStatus.NEW,
        service_address_id=task.service_address_id,
        preferred_on=order.wanted.delivery_on,
        notes=instructions_of(order),
        task_id=task.id,
        created_at=now,
    )
    session.add(request)
    return request


async def signer_of(session: AsyncSession, viewer: Viewer, client: Client) -> str:
    """Who accepts: the contact signed in, else the client by name."""
    contact = await primary_contact(session, client)
    if viewer.contact_id is not None:
        signed_in = await session.get(Contact, viewer.contact_id)
        contact = signed_in if signed_in is not None else contact
    if contact is None:
        return client.display_name
    name = " ".join(filter(None, [contact.first_name, contact.last_name]))
    return name or client.display_name


def order_summary(order: RentalOrder, quote: RentalQuote) -> str:
    wanted, rate = order.wanted, quote.rate
    address = quote.address
    return (
        f"Order: a {wanted.container_size} yd container delivered to "
        f"{address.line1}, {address.city} on {wanted.delivery_on.isoformat()} "
        f"and picked up on {wanted.pickup_on.isoformat()}, for "
        f"{money(rate.base_price, rate.currency)} ({quote.priced_by.lower()}), "
        f"including {rate.included_days} days and {rate.included_tons} tons; "
        f"{money(rate.per_extra_day, rate.currency)} per extra day and "
        f"{money(rate.overage_per_ton, rate.currency)} per ton over."
    )


async def accept_terms(
    session: AsyncSession,
    viewer: Viewer,
    client: Client,
    order: RentalOrder,
    quote: RentalQuote,
    task: Task,
    signature: Signature,
) -> Document:
    """Keep exactly what the client accepted, signed, with the order's task."""
    today = await business_today(session, client.account_id, signature.signed_at)
    terms = await rental_terms(session, client, today)
    body = order_summary(order, quote)
    if terms is not None:
        body = f"{body}\n\n{terms.text}"
    document = Document(
        account_id=client.account_id,
        client_id=client.id,
        kind=DocumentKind.TERMS_AND_CONDITIONS,
        title=(terms.title if terms is not None else TERMS_TITLE)[:200],
        body=body,
        task_id=task.id,
        requires_signature=True,
        sent_at=signature.signed_at,
    )
    session.add(document)
    await session.flush()
    return await sign_document(session, viewer, document, signature)
