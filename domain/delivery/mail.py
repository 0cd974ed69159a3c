"""Email transports: a file transport for development, memory for tests.

Every transport takes an ``Email`` and returns the message id it assigned.
"""

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Protocol

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Email:
    sender: str
    to: str
    subject: str
    text: str
    html: str | None = None

    def as_message(self, message_id: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = self.to
        message["Subject"] = self.subject
        message["Message-ID"] = message_id
        message.set_content(self.text)
        if self.html is not None:
            message.add_alternative(self.html, subtype="html")
        return message


class Mailer(Protocol):
    async def send(self, email: Email) -> str: ...


class MemoryMailer:
    """Keeps every email in a list: for tests."""

    def __init__(self) -> None:
        self.sent: list[Email] = []

    async def send(self, email: Email) -> str:
        self.sent.append(email)
        return make_msgid(domain="haulgraph.test")


class FileMailer:
    """Writes each email as an .eml file a person can open."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def send(self, email: Email) -> str:
        message_id = make_msgid(domain="haulgraph.local")
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        recipient = re.sub(r"[^A-Za-z0-9@._-]", "_", email.to)
        path = self.folder / f"{stamp}-{recipient}.eml"
        path.write_bytes(email.as_message(message_id).as_bytes())
        logger.info("Wrote email %s to %s", message_id, path)
        return message_id
