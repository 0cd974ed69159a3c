"""Text-message transports: an HTTP provider (Twilio-style), files for
development, memory for tests.

Every transport takes a ``Text`` and returns the provider's message id; one
that cannot deliver raises ``DeliveryError`` so the outbox tries again.
"""

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import httpx

from domain.delivery.mail import DeliveryError

logger = logging.getLogger(__name__)

RETRYABLE = frozenset({408, 429})


@dataclass(frozen=True, slots=True)
class Text:
    sender: str
    to: str
    body: str


class TextSender(Protocol):
    async def send(self, text: Text) -> str: ...


class MemoryTexter:
    """Keeps every text in a list: for tests."""

    def __init__(self) -> None:
        self.sent: list[Text] = []

    async def send(self, text: Text) -> str:
        self.sent.append(text)
        return f"memory-{uuid.uuid4().hex}"


class FileTexter:
    """Writes each text as a small .txt file a person can read."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def send(self, text: Text) -> str:
        message_id = f"file-{uuid.uuid4().hex}"
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        recipient = re.sub(r"[^0-9+]", "_", text.to)
        path = self.folder / f"{stamp}-{recipient}.txt"
        path.write_text(
            f"From: {text.sender}\nTo: {text.to}\nId: {message_id}\n\n{text.body}\n"
        )
        logger.info("Wrote text %s to %s", message_id, path)
        return message_id


class HttpTextProvider:
    """A Twilio-style REST API: a form POST per message, basic auth.

    ``POST {base_url}/Accounts/{account_sid}/Messages.json`` with ``From``,
    ``To``, ``Body`` and, when given, ``StatusCallback`` (where the provider
    reports delivery); the answer's ``sid`` is the message id.
    """

    def __init__(
        self,
        base_url: str,
        account_sid: str,
        auth_token: str,
        *,
        status_callback_url: str | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/Accounts/{account_sid}/Messages.json"
        self.auth = httpx.BasicAuth(account_sid, auth_token)
        self.status_callback_url = status_callback_url
        self.client = client or httpx.AsyncClient(timeout=30)

    async def send(self, text: Text) -> str:
        form = {"From": text.sender, "To": text.to, "Body": text.body}
        if self.status_callback_url:
            form["StatusCallback"] = self.status_callback_url
        try:
            response = await self.client.post(self.url, data=form, auth=self.auth)
        except httpx.HTTPError as error:
            raise DeliveryError(f"The text provider did not answer: {error}") from error
        if response.is_error:
            # A 4xx (a bad number, say) will not change; rate limits and
            # timeouts (429, 408) and 5xx may.
            raise DeliveryError(
                f"The text provider refused the message with HTTP "
                f"{response.status_code}.",
                is_permanent=response.is_client_error
                and response.status_code not in RETRYABLE,
            )
        sid = response.json().get("sid")
        if not isinstance(sid, str):
            raise DeliveryError("The text provider's answer has no message sid.")
        return sid
