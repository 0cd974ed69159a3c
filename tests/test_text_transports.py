"""Text transports: the Twilio-style HTTP provider (in-process transport, no
network) and the file transport of development."""

import asyncio
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from domain.delivery.mail import DeliveryError
from domain.delivery.texts import FileTexter, HttpTextProvider, Text
from domain.messages import normalise_phone

TEXT = Text(sender="+13035550999", to="+13035550142", body="Your dumpster is here.")


def provider(handler: httpx.MockTransport) -> HttpTextProvider:
    return HttpTextProvider(
        "https://texts.example/2010-04-01",
        "AC123",
        "token-456",
        status_callback_url="https://api.example/webhooks/texts/status",
        client=httpx.AsyncClient(transport=handler),
    )


async def test_the_provider_gets_a_signed_in_form_post_and_returns_its_sid() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"sid": "SM42", "status": "queued"})

    sid = await provider(httpx.MockTransport(answer)).send(TEXT)

    request = seen[0]
    form = {
        key: values[0] for key, values in parse_qs(request.content.decode()).items()
    }
    assert sid == "SM42"
    assert (
        request.url == "https://texts.example/2010-04-01/Accounts/AC123/Messages.json"
    )
    assert request.headers["Authorization"].startswith("Basic ")
    assert form == {
        "From": "+13035550999",
        "To": "+13035550142",
        "Body": "Your dumpster is here.",
        "StatusCallback": "https://api.example/webhooks/texts/status",
    }


@pytest.mark.parametrize(
    ("answer", "is_permanent"),
    [
        (httpx.Response(400, json={"message": "The number is not valid."}), True),
        (httpx.Response(429), False),
        (httpx.Response(503), False),
        (httpx.Response(201, json={"status": "queued"}), False),
    ],
)
async def test_refusals_and_odd_answers_are_delivery_errors(
    answer: httpx.Response, is_permanent: bool
) -> None:
    transport = httpx.MockTransport(lambda request: answer)

    with pytest.raises(DeliveryError) as raised:
        await provider(transport).send(TEXT)

    assert raised.value.is_permanent is is_permanent


async def test_an_unreachable_provider_is_a_delivery_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(DeliveryError):
        await provider(httpx.MockTransport(refuse)).send(TEXT)


async def test_the_file_transport_writes_a_readable_text(tmp_path: Path) -> None:
    message_id = await FileTexter(tmp_path).send(TEXT)

    [content] = await asyncio.to_thread(
        lambda: [path.read_text() for path in tmp_path.iterdir()]
    )
    assert message_id in content
    assert "To: +13035550142" in content
    assert content.endswith("Your dumpster is here.\n")


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("(303) 555-0142", "+13035550142"),
        ("+1 303 555 0142", "+13035550142"),
        ("+44 20 7946 0958", "+442079460958"),
        ("303-555", None),
        ("", None),
        (None, None),
    ],
)
def test_phone_numbers_compare_in_one_normal_form(
    raw: str | None, normal: str | None
) -> None:
    assert normalise_phone(raw) == normal
