"""The worker that ``haulgraph serve`` runs in-process, with the development
file transports."""

import asyncio
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.delivery.transports import background_worker
from domain.notify import announce
from persistence.config import Config, DeliveryConfig
from persistence.database import create_session_factory
from persistence.enums import NotificationEvent, NotificationStatus
from persistence.models import NotificationLogEntry
from tests.notify_factories import add_notified_client


def config_for(engine: AsyncEngine, data_dir: Path, *, run_worker: bool) -> Config:
    url = engine.url.render_as_string(hide_password=False)
    return Config(
        database_url=url,
        data_dir=data_dir,
        delivery=replace(DeliveryConfig(), run_worker=run_worker),
    )


def written_emails(folder: Path) -> list[str]:
    return [path.read_text() for path in folder.glob("*.eml")]


async def announce_task(session: AsyncSession) -> None:
    notified = await add_notified_client(session)
    await announce(
        session,
        None,
        NotificationEvent.TASK_COMPLETED,
        account_id=notified.account.id,
        client_id=notified.client.id,
    )
    await session.commit()


async def email_status(session: AsyncSession) -> str | None:
    return await session.scalar(
        select(NotificationLogEntry.status).where(
            NotificationLogEntry.channel == "email"
        )
    )


async def test_the_in_process_worker_writes_emails_into_the_data_folder(
    engine: AsyncEngine, session: AsyncSession, tmp_path: Path
) -> None:
    await announce_task(session)
    config = config_for(engine, tmp_path, run_worker=True)

    async with background_worker(create_session_factory(engine), config):
        for _ in range(100):
            if await email_status(session) == NotificationStatus.SENT:
                break
            await session.rollback()
            await asyncio.sleep(0.05)

    emails = await asyncio.to_thread(written_emails, tmp_path / "outbox" / "email")
    assert await email_status(session) == NotificationStatus.SENT
    assert len(emails) == 1
    assert "To: rita@rocky.example" in emails[0]


async def test_a_worker_configured_off_delivers_nothing(
    engine: AsyncEngine, session: AsyncSession, tmp_path: Path
) -> None:
    await announce_task(session)
    config = config_for(engine, tmp_path, run_worker=False)

    async with background_worker(create_session_factory(engine), config):
        await asyncio.sleep(0)

    assert await email_status(session) == NotificationStatus.QUEUED
    assert not (tmp_path / "outbox").exists()
