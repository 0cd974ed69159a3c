"""Telling the office: when a client asks for service from its dashboard (a
request or a rental order), every active staff user who can book work gets an
email.

The notices are queued in the outbox in the client's own transaction, one
per staff user, and written only when the worker sends them, so they say
what the request is then; a user deactivated meanwhile gets nothing.
"""

import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.delivery.mail import Email
from domain.permissions import Permission, permissions_of
from persistence.models import (
    Account,
    Address,
    Client,
    Contact,
    OutboxItem,
    ServiceRequest,
    StaffRole,
    StaffUser,
)

logger = logging.getLogger(__name__)

BOOKS_WORK = Permission.WORK_WRITE
KIND_WORDS = {
    "delivery": "a dumpster delivery",
    "pickup": "a dumpster pickup",
    "exchange": "a dumpster exchange",
    "junk_removal": "junk removal",
    "other": "service",
}


async def staff_who_book_work(session: AsyncSession, account_id: int) -> list[int]:
    """Active staff users of the account whose role may book tasks and jobs."""
    rows = await session.execute(
        select(StaffUser.id, StaffRole.permissions)
        .join(StaffRole, StaffRole.id == StaffUser.role_id)
        .where(StaffUser.account_id == account_id, StaffUser.is_active)
        .order_by(StaffUser.id)
    )
    return [
        user_id
        for user_id, granted in rows
        if BOOKS_WORK in permissions_of(list(granted or []))
    ]


async def notify_staff(session: AsyncSession, request: ServiceRequest) -> int:
    """Queue a notice of ``request`` to each staff user who books work; how many."""
    await session.flush()
    recipients = await staff_who_book_work(session, request.account_id)
    for staff_user_id in recipients:
        session.add(
            OutboxItem(
                account_id=request.account_id,
                service_request_id=request.id,
                staff_user_id=staff_user_id,
            )
        )
    if not recipients:
        logger.warning(
            "No active staff user books work in account %s; service request %s "
            "waits on the profile unannounced",
            request.account_id,
            request.id,
        )
    return len(recipients)


def one_line(text: str) -> str:
    """Client-written words made safe for a header: one line, spaces collapsed."""
    return " ".join(text.split())


def address_text(address: Address) -> str:
    parts = [address.line1, address.line2, address.city, address.region]
    return ", ".join(part for part in parts if part) + f" {address.postal_code}"


async def staff_notice_email(
    session: AsyncSession, item: OutboxItem, default_sender: str
) -> Email | None:
    """The notice ``item`` stands for, written now; None when its recipient
    was deactivated or its request is gone."""
    found = (
        await session.execute(
            select(ServiceRequest, Client, Account, StaffUser)
            .join(Client, Client.id == ServiceRequest.client_id)
            .join(Account, Account.id == ServiceRequest.account_id)
            .join(StaffUser, StaffUser.id == item.staff_user_id)
            .where(ServiceRequest.id == item.service_request_id, StaffUser.is_active)
        )
    ).first()
    if found is None:
        return None
    request, client, account, staff_user = found
    address = await session.get(Address, request.service_address_id)
    contact = (
        await session.get(Contact, request.contact_id) if request.contact_id else None
    )

    wanted = KIND_WORDS.get(request.kind, "service")
    lines = [
        f"{client.display_name} asked for {wanted} from their dashboard.",
        "",
        f"Where: {address_text(address) if address else 'no address given'}",
        f"Preferred day: {request.preferred_on or 'none given'}",
    ]
    if contact is not None:
        reach = ", ".join(filter(None, [contact.email, contact.phone]))
        name = f"{contact.first_name} {contact.last_name}".strip()
        lines.append(f"Asked by: {name}" + (f" ({reach})" if reach else ""))
    if request.notes:
        lines += ["", "Their notes:", request.notes]
    if request.task_id is not None:
        lines += ["", "A pending delivery task was booked with the order."]
    lines += ["", "The request is on the client's profile under service requests."]
    return Email(
        sender=account.email_from or default_sender,
        to=staff_user.email,
        subject=one_line(f"Service request from {client.display_name}: {wanted}"),
        text="\n".join(lines),
    )
