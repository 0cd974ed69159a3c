"""Reminders the day before a dumpster task, once per task and day.

The daily round asks for them each hour; a task already reminded for its
date is skipped, so a rescheduled task is reminded again for its new date
and no task twice for the same one. The task rows are locked first, so two
workers running the round at once cannot both remind.
"""

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import notify
from persistence.enums import NotificationEvent, TaskStatus
from persistence.models import NotificationLogEntry, Task


async def remind_tasks(
    session: AsyncSession, account_id: int, today: date, now: datetime
) -> list[Task]:
    """Announce tomorrow's scheduled tasks that have no reminder for that day."""
    tomorrow = today + timedelta(days=1)
    tasks = list(
        await session.scalars(
            select(Task)
            .where(
                Task.account_id == account_id,
                Task.status == TaskStatus.SCHEDULED,
                Task.scheduled_on == tomorrow,
            )
            .order_by(Task.id)
            .with_for_update()
        )
    )
    reminded = await reminded_for(session, [task.id for task in tasks], tomorrow)

    due = [task for task in tasks if task.id not in reminded]
    for task in due:
        await notify.announce(
            session,
            None,
            NotificationEvent.TASK_REMINDER,
            account_id=task.account_id,
            client_id=task.client_id,
            task_id=task.id,
            context={"scheduled_on": tomorrow.isoformat()},
        )
    return due


async def reminded_for(
    session: AsyncSession, task_ids: list[int], day: date
) -> set[int]:
    """Of ``task_ids``, those with a reminder already queued for ``day``."""
    if not task_ids:
        return set()
    rows = await session.execute(
        select(NotificationLogEntry.task_id, NotificationLogEntry.context).where(
            NotificationLogEntry.task_id.in_(task_ids),
            NotificationLogEntry.event == NotificationEvent.TASK_REMINDER,
        )
    )
    return {
        task_id
        for task_id, context in rows
        if (context or {}).get("scheduled_on") == day.isoformat()
    }
