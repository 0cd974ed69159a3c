"""The transports configuration asks for (SMTP and an HTTP text provider in
production, files under the data folder by default), and the in-process
worker that ``haulgraph serve`` runs beside the API."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.daily import run_rounds
from domain.delivery.dispatch import Transports
from domain.delivery.mail import FileMailer, Mailer, SmtpMailer
from domain.delivery.outbox import Worker
from domain.delivery.texts import FileTexter, HttpTextProvider, TextSender
from persistence.config import Config


def mailer_from(config: Config) -> Mailer:
    delivery = config.delivery
    if delivery.smtp_host is None:
        return FileMailer(config.data_dir / "outbox" / "email")
    return SmtpMailer(
        delivery.smtp_host,
        delivery.smtp_port,
        security=delivery.smtp_security,
        username=delivery.smtp_username,
        password=delivery.smtp_password,
    )


def texter_from(config: Config) -> TextSender:
    delivery = config.delivery
    if (
        delivery.text_api_url is None
        or delivery.text_account_sid is None
        or delivery.text_auth_token is None
    ):
        return FileTexter(config.data_dir / "outbox" / "texts")
    return HttpTextProvider(
        delivery.text_api_url,
        delivery.text_account_sid,
        delivery.text_auth_token,
        status_callback_url=delivery.text_status_callback_url,
    )


def transports_from(config: Config) -> Transports:
    return Transports(
        mailer=mailer_from(config),
        texter=texter_from(config),
        mail_from=config.delivery.mail_from,
        text_from=config.delivery.text_from,
        dashboard_url=config.dashboard_url,
    )


@asynccontextmanager
async def background_worker(
    session_factory: async_sessionmaker[AsyncSession], config: Config
) -> AsyncIterator[None]:
    """Run the outbox worker and the daily round while the block runs (unless
    configured off)."""
    if not config.delivery.run_worker:
        yield
        return
    stop = asyncio.Event()
    worker = Worker(session_factory, transports_from(config))
    tasks = [
        asyncio.create_task(worker.run(stop)),
        asyncio.create_task(run_rounds(session_factory, stop)),
    ]
    try:
        yield
    finally:
        stop.set()
        await asyncio.gather(*tasks)
