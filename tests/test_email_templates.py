"""Email templates: built-in wording per event, escaping, and the sandbox."""

import pytest

from domain.delivery.templates import (
    SAMPLE_CONTEXT,
    EmailSource,
    default_email,
    render_email,
    render_text_message,
    template_problems,
)
from persistence.enums import NotificationEvent

HOSTILE = '<script>alert("x")</script> & Sons'


@pytest.mark.parametrize("event", list(NotificationEvent))
def test_every_event_has_a_built_in_email_that_renders(
    event: NotificationEvent,
) -> None:
    rendered = render_email(default_email(event), SAMPLE_CONTEXT)

    assert rendered.subject
    assert "Example Hauling" in rendered.text
    assert "https://dashboard.example.com" in rendered.html
    assert template_problems(default_email(event)) == {}


def test_client_supplied_text_is_escaped_in_html_only() -> None:
    context = SAMPLE_CONTEXT | {"contact_name": HOSTILE, "detail": {"note": HOSTILE}}

    rendered = render_email(default_email(NotificationEvent.INVOICE_SENT), context)

    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Sons" in (
        rendered.html
    )
    assert HOSTILE in rendered.text


def test_an_account_template_renders_with_the_events_values() -> None:
    source = EmailSource(
        subject="Bill #{{ invoice.number }}\nfor {{ client_name }}",
        html="<b>{{ invoice.total }}</b>",
        text="Pay {{ invoice.total }} by {{ invoice.due_on }}",
    )

    rendered = render_email(source, SAMPLE_CONTEXT)

    assert rendered.subject == "Bill #1001 for Sample Client"
    assert rendered.html == "<b>$100.00</b>"
    assert rendered.text == "Pay $100.00 by 2026-01-31"


def test_missing_values_render_empty_rather_than_fail() -> None:
    source = EmailSource("{{ estimate.number }}", "{{ task.kind }}", "x")

    rendered = render_email(source, {})

    assert (rendered.subject, rendered.html) == ("", "")


def test_the_sandbox_refuses_python_internals() -> None:
    source = EmailSource(
        subject="ok",
        html="{{ ''.__class__.__mro__[1].__subclasses__() }}",
        text="{{ invoice.number | no_such_filter }}",
    )

    problems = template_problems(source)

    assert set(problems) == {"html", "text"}


def test_a_text_message_is_one_short_line_with_the_link() -> None:
    body = render_text_message(NotificationEvent.TASK_SCHEDULED, SAMPLE_CONTEXT)

    assert "\n" not in body
    assert body.endswith("https://dashboard.example.com")
