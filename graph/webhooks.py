"""Callbacks from the text provider: delivery reports and inbound texts.

Each request must carry a valid signature of its body
(``domain.delivery.signatures``); anything else is refused with 403 before
the body is read as data. Answers never say whether a number or message id
is known: an unmatched inbound text gets the same empty 200 as a matched one.
"""

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from urllib.parse import parse_qs

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from domain.delivery.signatures import SIGNATURE_HEADER, is_signed
from domain.messages import receive_text, record_delivery_status

logger = logging.getLogger(__name__)

LARGEST_BODY = 64 * 1024
EMPTY_REPLY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'

Form = dict[str, str]
Handler = Callable[[AsyncSession, Form], Awaitable[None]]


def form_of(body: bytes) -> Form:
    """A form-encoded body as single values (the first of repeated keys)."""
    parsed = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {key: values[0] for key, values in parsed.items()}


class SignedWebhook:
    """A POST endpoint that verifies the signature, then runs ``handle`` in
    one transaction."""

    def __init__(
        self, secret: str | None, handle: Handler, reply: Callable[[], Response]
    ) -> None:
        self.secret = secret
        self.handle = handle
        self.reply = reply

    async def respond(self, request: Request) -> Response:
        body = await request.body()
        if len(body) > LARGEST_BODY:
            return JSONResponse({"error": "The body is too large."}, status_code=413)
        if not is_signed(body, request.headers.get(SIGNATURE_HEADER), self.secret):
            if not self.secret:
                logger.warning("A webhook was called but no webhook secret is set")
            return JSONResponse(
                {"error": "The request's signature is missing or wrong."},
                status_code=403,
            )
        async with request.app.state.session_factory() as session, session.begin():
            await self.handle(session, form_of(body))
        return self.reply()


async def handle_status(session: AsyncSession, form: Form) -> None:
    message_id = form.get("MessageSid", "")
    status = form.get("MessageStatus", "")
    if not message_id or not status:
        return
    if not await record_delivery_status(session, message_id, status, datetime.now(UTC)):
        logger.info("A delivery report named an unknown message")


async def handle_inbound(session: AsyncSession, form: Form) -> None:
    await receive_text(
        session,
        form.get("From", ""),
        form.get("To", ""),
        form.get("Body", ""),
        form.get("MessageSid") or None,
    )


def no_content() -> Response:
    return Response(status_code=204)


def empty_reply() -> Response:
    """What a Twilio-style provider expects: a reply that sends nothing back."""
    return Response(EMPTY_REPLY, media_type="application/xml")


def webhook_routes(secret: str | None) -> list[Route]:
    return [
        Route(
            "/webhooks/texts/status",
            SignedWebhook(secret, handle_status, no_content).respond,
            methods=["POST"],
        ),
        Route(
            "/webhooks/texts/inbound",
            SignedWebhook(
                secret,
                handle_inbound,
                empty_reply,
            ).respond,
            methods=["POST"],
        ),
    ]
