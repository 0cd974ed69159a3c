"""What the worker does with one outbox item: decide, render, hand over, record.

A notification-log entry is decided afresh (``domain.notify.decide``) and,
when it may go, rendered from the account's template or the built-in one.
An outbound text message (``sendMessage``) is sent as written. Reading and
recording run in short transactions; the transport call runs between them,
outside any transaction, so a slow SMTP server never holds a lock.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.calendar import local_date
from domain.delivery.mail import Email, Mailer
from domain.delivery.templates import (
    EmailSource,
    default_email,
    render_email,
    render_text_message,
)
from domain.delivery.texts import Text, TextSender
from domain.identity.dashboard import issue_link_secret
from domain.notify import client_facts
from persistence.enums import (
    Channel,
    MessageStatus,
    NotificationEvent,
    NotificationStatus,
)
from persistence.models import (
    Account,
    Client,
    EmailTemplate,
    Estimate,
    Invoice,
    Job,
    Message,
    NotificationLogEntry,
    OutboxItem,
    Payment,
    PaymentRequest,
    SignInLink,
    Task,
)
from persistence.queries.payments import settled_amounts


@dataclass(frozen=True, slots=True)
class Transports:
    """Where messages leave, and the defaults they leave with."""

    mailer: Mailer
    texter: TextSender
    mail_from: str = "no-reply@haulgraph.local"
    text_from: str | None = None
    dashboard_url: str = "http://127.0.0.1:8001"


@dataclass(frozen=True, slots=True)
class Prepared:
    """One delivery, ready for its transport; or the reason there is none."""

    email: Email | None = None
    text: Text | None = None
    suppression_reason: str | None = None
    contact_id: int | None = None

    @property
    def has_delivery(self) -> bool:
        return self.email is not None or self.text is not None


NOTHING = Prepared()


def money(minor_units: int | None, currency: str) -> str:
    if minor_units is None:
        return ""
    amount = Decimal(minor_units).scaleb(-2)
    return f"${amount:,.2f}" if currency == "USD" else f"{amount:,.2f} {currency}"


async def subject_context(
    session: AsyncSession, entry: NotificationLogEntry
) -> dict[str, Any]:
    """The record the notification is about, as plain values for templates."""
    context: dict[str, Any] = {}
    if entry.invoice_id is not None:
        invoice = await session.get(Invoice, entry.invoice_id)
        if invoice is not None:
            # A reminder for a part-paid invoice asks for what is still due.
            settled = await settled_amounts(session, [invoice.id])
            context["invoice"] = {
                "number": invoice.number,
                "total": money(invoice.total, invoice.currency),
                "amount_due": money(
                    max(invoice.total - settled[invoice.id], 0), invoice.currency
                ),
                "due_on": invoice.due_on.isoformat(),
                "memo": invoice.memo,
            }
    if entry.estimate_id is not None:
        estimate = await session.get(Estimate, entry.estimate_id)
        if estimate is not None:
            context["estimate"] = {
                "number": estimate.number,
                "title": estimate.title,
                "total": money(estimate.total, estimate.currency),
                "valid_until": estimate.valid_until.isoformat(),
            }
    if entry.task_id is not None:
        task = await session.get(Task, entry.task_id)
        if task is not None:
            context["task"] = {
                "kind": task.kind.replace("_", " "),
                "scheduled_on": task.scheduled_on.isoformat()
                if task.scheduled_on
                else "",
            }
    if entry.job_id is not None:
        context["task"] = await job_context(session, entry.job_id)
    if entry.payment_request_id is not None:
        request = await session.get(PaymentRequest, entry.payment_request_id)
        if request is not None:
            context["payment_request"] = {
                "amount": money(request.amount, request.currency)
            }
    payment_id = (entry.context or {}).get("payment")
    if payment_id is not None:
        payment = await session.scalar(
            select(Payment).where(
                Payment.account_id == entry.account_id,
                Payment.public_id == UUID(payment_id),
            )
        )
        if payment is not None:
            context["payment"] = {
                "amount": money(payment.amount, payment.currency),
                "method": payment.method.replace("_", " "),
            }
    return context


async def job_context(session: AsyncSession, job_id: int) -> dict[str, str]:
    """A job in the words of a task's messages: what it is and its day."""
    job = await session.get_one(Job, job_id)
    account = await session.get_one(Account, job.account_id)
    day = ""
    if job.window_start is not None:
        day = local_date(job.window_start, account.time_zone).isoformat()
    return {"kind": job.kind.replace("_", " "), "scheduled_on": day}


async def message_context(
    session: AsyncSession,
    entry: NotificationLogEntry,
    contact_name: str,
    dashboard_url: str,
) -> dict[str, Any]:
    account = await session.get_one(Account, entry.account_id)
    client = await session.get_one(Client, entry.client_id)
    return {
        "business": account.name,
        "client_name": client.display_name,
        "contact_name": contact_name,
        "dashboard_url": dashboard_url,
        "detail": entry.context or {},
        **await subject_context(session, entry),
    }


async def email_source(
    session: AsyncSession, account_id: int, event: NotificationEvent
) -> EmailSource:
    """The account's own wording of the event's email, else the built-in."""
    edited = await session.scalar(
        select(EmailTemplate).where(
            EmailTemplate.account_id == account_id, EmailTemplate.event == event
        )
    )
    if edited is None:
        return default_email(event)
    return EmailSource(edited.subject, edited.html, edited.text)


async def prepare_notification(
    session: AsyncSession, entry: NotificationLogEntry, transports: Transports
) -> Prepared:
    facts = await client_facts(session, entry.account_id, entry.client_id)
    if facts is None:
        return Prepared(suppression_reason="the client no longer exists")
    event, channel = NotificationEvent(entry.event), Channel(entry.channel)
    decision = facts.decide(event, channel)
    if not decision.is_sent or decision.recipient is None or facts.contact is None:
        return Prepared(
            suppression_reason=decision.reason, contact_id=decision.contact_id
        )

    context = await message_context(
        session, entry, facts.contact.name, transports.dashboard_url
    )
    account = await session.get_one(Account, entry.account_id)
    if channel is Channel.TEXT:
        sender = transports.text_from or account.phone or ""
        body = render_text_message(event, context)
        return Prepared(
            text=Text(sender, decision.recipient, body),
            contact_id=decision.contact_id,
        )
    rendered = render_email(
        await email_source(session, entry.account_id, event), context
    )
    email = Email(
        sender=account.email_from or transports.mail_from,
        to=decision.recipient,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
    )
    return Prepared(email=email, contact_id=decision.contact_id)


async def prepare_message(
    session: AsyncSession, message: Message, transports: Transports
) -> Prepared:
    sender = message.from_number or transports.text_from or ""
    if not message.from_number and sender:
        message.from_number = sender
    return Prepared(
        text=Text(sender, message.to_number, message.body),
        contact_id=message.contact_id,
    )


async def prepare(
    session: AsyncSession, item: OutboxItem, transports: Transports
) -> Prepared:
    """What delivering ``item`` means now; suppressions are recorded here."""
    if item.notification_id is not None:
        entry = await session.get(NotificationLogEntry, item.notification_id)
        if entry is None:
            return NOTHING
        prepared = await prepare_notification(session, entry, transports)
        if not prepared.has_delivery:
            entry.status = NotificationStatus.SUPPRESSED
            entry.suppression_reason = prepared.suppression_reason
            entry.contact_id = prepared.contact_id
        return prepared
    if item.message_id is not None:
        message = await session.get(Message, item.message_id)
        if message is not None:
            return await prepare_message(session, message, transports)
    if item.sign_in_link_id is not None:
        link = await session.get(SignInLink, item.sign_in_link_id)
        if link is not None:
            return await prepare_sign_in(session, link, transports)
    return NOTHING


async def prepare_sign_in(
    session: AsyncSession, link: SignInLink, transports: Transports
) -> Prepared:
    email = await issue_link_secret(
        session, link, transports.dashboard_url, transports.mail_from
    )
    return Prepared(email=email, contact_id=link.contact_id) if email else NOTHING


async def send(prepared: Prepared, transports: Transports) -> str:
    """Hand the delivery to its transport; the provider's message id."""
    if prepared.email is not None:
        return await transports.mailer.send(prepared.email)
    assert prepared.text is not None, "send() needs a prepared delivery"
    return await transports.texter.send(prepared.text)


async def record_sent(
    session: AsyncSession,
    item: OutboxItem,
    prepared: Prepared,
    provider_message_id: str,
    now: datetime,
) -> None:
    if item.notification_id is not None:
        entry = await session.get_one(NotificationLogEntry, item.notification_id)
        entry.status = NotificationStatus.SENT
        entry.sent_at = now
        entry.provider_message_id = provider_message_id[:100]
        entry.contact_id = prepared.contact_id
        entry.error = None
        if prepared.email is not None:
            entry.recipient = prepared.email.to
            entry.subject = prepared.email.subject
        elif prepared.text is not None:
            entry.recipient = prepared.text.to
            entry.subject = prepared.text.body[:80]
        return
    if item.message_id is not None:
        message = await session.get_one(Message, item.message_id)
        message.status = MessageStatus.SENT
        message.provider_message_id = provider_message_id[:100]


async def record_failure(
    session: AsyncSession, item: OutboxItem, error: str, *, is_final: bool
) -> None:
    """Note the error; a final failure marks the entry or message FAILED."""
    if item.notification_id is not None:
        entry = await session.get(NotificationLogEntry, item.notification_id)
        if entry is not None:
            entry.error = error[:500]
            if is_final:
                entry.status = NotificationStatus.FAILED
    elif item.message_id is not None and is_final:
        message = await session.get(Message, item.message_id)
        if message is not None:
            message.status = MessageStatus.FAILED
