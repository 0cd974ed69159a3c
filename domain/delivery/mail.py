"""Email transports: SMTP for production, files for development, memory for
tests.

Every transport takes an ``Email`` and returns the message id it assigned;
a transport that cannot deliver raises ``DeliveryError`` so the outbox tries
again later.
"""

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Protocol

import aiosmtplib

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


class DeliveryError(Exception):
    """A transport could not hand the message over.

    ``is_permanent`` says trying again cannot help (the server refused the
    recipient outright); otherwise the outbox retries with backoff.
    """

    def __init__(self, message: str, *, is_permanent: bool = False) -> None:
        super().__init__(message)
        self.is_permanent = is_permanent


def is_permanent_refusal(error: Exception) -> bool:
    """An SMTP 5xx answer: the server will say the same next time."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        return all(refusal.code >= 500 for refusal in error.recipients)
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return error.code >= 500
    return False


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


class SmtpMailer:
    """Sends through an SMTP server.

    ``security`` is ``starttls`` (upgrade a plain connection, port 587),
    ``tls`` (TLS from the first byte, port 465) or ``none`` (loopback relays
    and tests only).
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        security: str = "starttls",
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30,
    ) -> None:
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.timeout = timeout

    async def send(self, email: Email) -> str:
        message_id = make_msgid(domain=email.sender.rpartition("@")[2] or None)
        try:
            await aiosmtplib.send(
                email.as_message(message_id),
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                use_tls=self.security == "tls",
                start_tls=self.security == "starttls",
                timeout=self.timeout,
            )
        except (aiosmtplib.SMTPException, OSError) as error:
            raise DeliveryError(
                f"The SMTP server {self.host}:{self.port} did not take the "
                f"message: {error}",
                is_permanent=is_permanent_refusal(error),
            ) from error
        return message_id
