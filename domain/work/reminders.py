"""Reminders the day before a dumpster task or a job, once per day it is on.

The daily round asks for them each hour; work already reminded for its date
is skipped, so rescheduled work is reminded again for its new date and never
twice for the same one. The rows are locked first, so two workers running
the round at once cannot both remind.
"""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import notify
from domain.calendar import day_bounds
from persistence.enums import JobStatus, NotificationEvent, TaskStatus
from persistence.models import Account, Job, NotificationLogEntry, Task


async def remind_tasks(
    session: AsyncSession, account_id: int, today: date
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
    reminded = await reminded_for(
        session, NotificationLogEntry.task_id, [task.id for task in tasks], tomorrow
    )

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


async def remind_jobs(
    session: AsyncSession, account: Account, today: date
) -> list[Job]:
    """Announce the jobs whose window opens tomorrow, where the business is."""
    tomorrow = today + timedelta(days=1)
    start, end = day_bounds(tomorrow, account.time_zone)
    jobs = list(
        await session.scalars(
            select(Job)
            .where(
                Job.account_id == account.id,
                Job.status == JobStatus.SCHEDULED,
                Job.window_start >= start,
                Job.window_start < end,
            )
            .order_by(Job.id)
            .with_for_update()
        )
    )
    reminded = await reminded_for(
        session, NotificationLogEntry.job_id, [job.id for job in jobs], tomorrow
    )

    due = [job for job in jobs if job.id not in reminded]
    for job in due:
        await notify.announce(
            session,
            None,
            NotificationEvent.TASK_REMINDER,
            account_id=job.account_id,
            client_id=job.client_id,
            job_id=job.id,
            context={"scheduled_on": tomorrow.isoformat()},
        )
    return due


async def reminded_for(
    session: AsyncSession, subject: Any, ids: list[int], day: date
) -> set[int]:
    """Of ``ids`` (in the log's ``subject`` column), those with a reminder
    already queued for ``day``."""
    if not ids:
        return set()
    rows = await session.execute(
        select(subject, NotificationLogEntry.context).where(
            subject.in_(ids),
            NotificationLogEntry.event == NotificationEvent.TASK_REMINDER,
        )
    )
    return {
        subject_id
        for subject_id, context in rows
        if (context or {}).get("scheduled_on") == day.isoformat()
    }
