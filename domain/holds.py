"""Account holds: placed by staff with a reason, or by the client's hold rules.

The rules are client settings (``domain.settings``): a number of failed
payments in a row, a balance threshold, and days an invoice may stay past
due. They are judged when a payment fails and when invoices age
(``age_invoices``, run daily by ``haulgraph age-invoices``). A rule never
places a second hold and never releases one: releasing is a person's call.
Holds a rule places are recorded as the system's doing, with the rule.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.identity.viewer import Viewer
from domain.notify import announce
from domain.problems import refuse
from domain.settings import SETTINGS_BY_KEY, SettingOverride, effective_setting
from domain.unique import insert_unless_taken
from persistence.enums import HoldRule, InvoiceStatus, NotificationEvent, PaymentStatus
from persistence.models import Account, Client, Hold, Invoice
from persistence.queries import payments as queries
from persistence.queries.invoicing import by_public_id, client_setting_overrides
from persistence.queries.ledger import UNPAID

logger = logging.getLogger(__name__)

MAX_REASON_LENGTH = 2000


class HoldProblem(StrEnum):
    CLIENT_NOT_FOUND = "client_not_found"
    REASON_REQUIRED = "reason_required"
    ALREADY_ON_HOLD = "already_on_hold"
    NOT_ON_HOLD = "not_on_hold"


async def active_hold(
    session: AsyncSession, client: Client, *, lock: bool = False
) -> Hold | None:
    """The hold in force; ``lock`` keeps two releases from both succeeding."""
    statement = select(Hold).where(
        Hold.client_id == client.id, Hold.released_at.is_(None)
    )
    if lock:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def held_client(
    session: AsyncSession, viewer: Viewer, public_id: UUID | None, reason: str
) -> Client:
    if not reason.strip() or len(reason) > MAX_REASON_LENGTH:
        refuse(
            HoldProblem.REASON_REQUIRED,
            "reason",
            f"Say why, in 1 to {MAX_REASON_LENGTH} characters.",
        )

    client = await by_public_id(session, Client, viewer.account_id, public_id)
    if client is None:
        refuse(
            HoldProblem.CLIENT_NOT_FOUND,
            "clientId",
            "Your account has no client with that ID.",
        )
    return client


async def announce_hold(
    session: AsyncSession, viewer: Viewer | None, hold: Hold
) -> None:
    await record_activity(
        session,
        viewer,
        "hold.placed",
        client_id=hold.client_id,
        subject=hold,
        rule=hold.rule,
        reason=hold.reason,
    )
    await announce(
        session,
        viewer,
        NotificationEvent.HOLD_PLACED,
        account_id=hold.account_id,
        client_id=hold.client_id,
        manual=viewer is not None,
        context={"reason": hold.reason},
    )


def refuse_already_on_hold() -> None:
    refuse(
        HoldProblem.ALREADY_ON_HOLD,
        "clientId",
        "The client is on hold already; release that hold first.",
    )


async def place_hold(
    session: AsyncSession,
    viewer: Viewer,
    client_id: UUID | None,
    reason: str,
    now: datetime,
) -> Hold:
    client = await held_client(session, viewer, client_id, reason)
    if await active_hold(session, client) is not None:
        refuse_already_on_hold()

    hold = Hold(
        account_id=client.account_id,
        client_id=client.id,
        reason=reason.strip(),
        rule=HoldRule.MANUAL,
        placed_at=now,
        placed_by_id=viewer.staff_user_id,
    )
    # Another writer may have placed one since the check above.
    if not await insert_unless_taken(session, hold):
        refuse_already_on_hold()
    await announce_hold(session, viewer, hold)
    return hold


async def release_hold(
    session: AsyncSession,
    viewer: Viewer,
    client_id: UUID | None,
    reason: str,
    now: datetime,
) -> Hold:
    client = await held_client(session, viewer, client_id, reason)
    hold = await active_hold(session, client, lock=True)
    if hold is None:
        refuse(HoldProblem.NOT_ON_HOLD, "clientId", "The client is not on hold.")

    hold.released_at = now
    hold.released_by_id = viewer.staff_user_id
    hold.release_reason = reason.strip()
    await record_activity(
        session,
        viewer,
        "hold.released",
        client_id=client.id,
        subject=hold,
        reason=hold.release_reason,
    )
    return hold


async def client_setting(
    session: AsyncSession, account: Account, client: Client, key: str
) -> Any:
    """The setting's effective value for the client (see ``domain.settings``)."""
    overrides = await client_setting_overrides(session, client.id, [key])
    override = None
    if key in overrides:
        override = SettingOverride(key, overrides[key], changed_at=datetime.now(UTC))
    definition = SETTINGS_BY_KEY[key]
    return effective_setting(definition, account.client_settings, override).value


def positive_int(value: Any) -> int | None:
    """A rule's limit, or None when the setting switches the rule off."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return value


async def place_automatic_hold(
    session: AsyncSession, client: Client, rule: HoldRule, reason: str, now: datetime
) -> Hold | None:
    """A hold placed by ``rule``; None when one is in force already."""
    if await active_hold(session, client) is not None:
        return None

    hold = Hold(
        account_id=client.account_id,
        client_id=client.id,
        reason=reason,
        rule=rule,
        placed_at=now,
    )
    if not await insert_unless_taken(session, hold):
        return None

    logger.info("Rule %s placed a hold on client %s.", rule, client.id)
    await announce_hold(session, None, hold)
    return hold


async def judge_failed_payments(
    session: AsyncSession, account: Account, client: Client, now: datetime
) -> Hold | None:
    limit = positive_int(
        await client_setting(session, account, client, "hold_after_failed_payments")
    )
    if limit is None:
        return None

    # "In a row": the latest ``limit`` attempts all failed.
    statuses = await queries.recent_payment_statuses(session, client, limit)
    if len(statuses) < limit or any(s != PaymentStatus.FAILED for s in statuses):
        return None
    return await place_automatic_hold(
        session,
        client,
        HoldRule.FAILED_PAYMENTS,
        f"{limit} failed payments in a row.",
        now,
    )


async def judge_balance(
    session: AsyncSession, account: Account, client: Client, now: datetime
) -> Hold | None:
    threshold = positive_int(
        await client_setting(session, account, client, "hold_balance_threshold")
    )
    if threshold is None:
        return None

    balance = await queries.client_balance(session, client)
    if balance < threshold:
        return None
    return await place_automatic_hold(
        session,
        client,
        HoldRule.BALANCE_THRESHOLD,
        f"The balance of {balance} minor units reached the hold threshold of "
        f"{threshold}.",
        now,
    )


async def judge_days_past_due(
    session: AsyncSession,
    account: Account,
    client: Client,
    today: date,
    now: datetime,
) -> Hold | None:
    allowed = positive_int(
        await client_setting(session, account, client, "hold_days_past_due")
    )
    if allowed is None:
        return None

    oldest_due = await session.scalar(
        select(Invoice.due_on)
        .where(Invoice.client_id == client.id, Invoice.status.in_(UNPAID))
        .order_by(Invoice.due_on)
        .limit(1)
    )
    if oldest_due is None or (today - oldest_due).days <= allowed:
        return None
    return await place_automatic_hold(
        session,
        client,
        HoldRule.DAYS_PAST_DUE,
        f"An invoice is {(today - oldest_due).days} days past due (more than "
        f"{allowed}).",
        now,
    )


async def judge_failed_payment(
    session: AsyncSession, client: Client, now: datetime
) -> Hold | None:
    """The rules a failed payment can trip: failures in a row, then balance."""
    account = await session.get_one(Account, client.account_id)
    hold = await judge_failed_payments(session, account, client, now)
    return hold or await judge_balance(session, account, client, now)


@dataclass(frozen=True, slots=True)
class AgingReport:
    marked_overdue: int
    holds_placed: int


async def mark_overdue(
    session: AsyncSession, account: Account, today: date
) -> list[Invoice]:
    """Open and partially paid invoices past their due date become OVERDUE,
    the same day the read side starts counting them overdue."""
    rows = await session.scalars(
        select(Invoice)
        .where(
            Invoice.account_id == account.id,
            Invoice.status.in_((InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID)),
            Invoice.due_on < today,
        )
        .order_by(Invoice.id)
        .with_for_update()
    )
    invoices = list(rows)

    for invoice in invoices:
        invoice.status = InvoiceStatus.OVERDUE
        await record_activity(
            session,
            None,
            "invoice.overdue",
            client_id=invoice.client_id,
            subject=invoice,
            due_on=invoice.due_on.isoformat(),
        )
    return invoices


async def age_invoices(
    session: AsyncSession,
    account: Account,
    today: date,
    now: datetime | None = None,
) -> AgingReport:
    """Mark overdue invoices and apply the days-past-due and balance rules to
    every client that still owes on an invoice. Running it twice on one day
    changes nothing the second time.

    ``today`` is the business day aged to; ``now`` stamps the holds placed
    (the current time unless given).
    """
    now = now or datetime.now(UTC)
    marked = await mark_overdue(session, account, today)

    owing = await session.scalars(
        select(Client)
        .where(
            Client.account_id == account.id,
            Client.id.in_(
                select(Invoice.client_id).where(
                    Invoice.account_id == account.id, Invoice.status.in_(UNPAID)
                )
            ),
        )
        .order_by(Client.id)
    )

    placed = 0
    for client in list(owing):
        hold = await judge_days_past_due(session, account, client, today, now)
        hold = hold or await judge_balance(session, account, client, now)
        placed += hold is not None
    return AgingReport(marked_overdue=len(marked), holds_placed=placed)
