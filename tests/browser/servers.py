"""The API and the dashboard host on loopback ports, each in its own thread,
over one SQLite file seeded with the demo data.

The API runs its outbox worker in-process, as ``haulgraph serve`` does, with
the file transport: each email it sends is an ``.eml`` file under the run's
folder, where the tests read sign-in links from.
"""

import asyncio
import email
import socket
import threading
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp

from domain.identity.passwords import hash_password
from domain.seeding import seed_rules
from graph.app import create_app
from graph.context import Services
from persistence.config import Config, sqlite_url
from persistence.database import create_engine
from persistence.files import FileStore
from persistence.migrate import upgrade
from persistence.seed import seed_demo
from portal_host import PortalConfig, create_portal_app


def loopback_socket() -> socket.socket:
    """A listening socket on a free loopback port, handed to uvicorn as is."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    return listener


class ServerThread:
    """One uvicorn server in a thread of its own, until ``stop``."""

    def __init__(self, app: ASGIApp, listener: socket.socket) -> None:
        self.listener = listener
        config = uvicorn.Config(app, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.run, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.listener.getsockname()
        return f"http://{host}:{port}"

    def run(self) -> None:
        asyncio.run(self.server.serve(sockets=[self.listener]))

    def start(self) -> None:
        self.thread.start()
        for _ in range(300):
            if self.server.started:
                return
            self.thread.join(0.05)
        raise RuntimeError(f"The server at {self.url} did not start in 15 s.")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.listener.close()


@dataclass(frozen=True)
class SentEmails:
    """The emails the file transport wrote, oldest first."""

    folder: Path

    def to(self, address: str) -> list[EmailMessage]:
        if not self.folder.exists():
            return []
        messages = [
            email.message_from_bytes(path.read_bytes(), policy=default_policy)
            for path in sorted(self.folder.glob("*.eml"))
        ]
        return [
            message
            for message in messages
            if isinstance(message, EmailMessage) and message["To"] == address
        ]


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, message
    return str(body.get_content())


@dataclass
class Stack:
    api: ServerThread
    portal: ServerThread
    emails: SentEmails
    database_url: str
    # Each person's saved session, so that tests sign in through the emailed
    # link once per person (links are rate-limited per address).
    sessions: dict[str, str] = field(default_factory=dict)

    @property
    def portal_url(self) -> str:
        return self.portal.url

    async def stop(self) -> None:
        await asyncio.to_thread(self.portal.stop)
        await asyncio.to_thread(self.api.stop)


async def seed(database_url: str) -> None:
    # Alembic runs its own event loop: off this one.
    await asyncio.to_thread(upgrade, database_url)
    engine = create_engine(database_url)
    try:
        await seed_demo(
            engine,
            seed=1,
            today=date.today(),
            staff_password_hash=hash_password("haulgraph-demo"),
            rules=seed_rules(),
        )
    finally:
        await engine.dispose()


async def start_stack(folder: Path) -> Stack:
    """Seed, then serve the API in production mode (trusted documents only)
    and the dashboard host that calls it."""
    database_url = sqlite_url(folder / "haulgraph.sqlite3")
    await seed(database_url)
    api_listener, portal_listener = loopback_socket(), loopback_socket()
    host, port = portal_listener.getsockname()
    portal_url = f"http://{host}:{port}"
    config = Config(
        database_url=database_url,
        data_dir=folder,
        dashboard_url=portal_url,
        cors_origins=(portal_url,),
        environment="production",
    )
    services = Services(dashboard_url=portal_url, files=FileStore(folder / "files"))
    api = ServerThread(create_app(config, services=services), api_listener)
    portal = ServerThread(
        create_portal_app(PortalConfig(api_url=api.url)), portal_listener
    )
    await asyncio.to_thread(api.start)
    await asyncio.to_thread(portal.start)
    return Stack(
        api=api,
        portal=portal,
        emails=SentEmails(folder / "outbox" / "email"),
        database_url=database_url,
    )
