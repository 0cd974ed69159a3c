"""Email and text wording per event: built-in defaults, rendered in a sandbox.

An account may replace an event's email (subject, HTML and plain text) with
its own jinja2 source; otherwise the built-in one below applies. Templates
run in ``SandboxedEnvironment`` because account staff write them: they reach
only the values passed in, never Python internals. HTML is autoescaped, so
client-supplied text (a name, a note) cannot inject markup; the subject and
plain text are not escaped (they are not HTML) but are sandboxed all the same.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import ChainableUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from persistence.enums import NotificationEvent

HTML = SandboxedEnvironment(autoescape=True, undefined=ChainableUndefined)
PLAIN = SandboxedEnvironment(autoescape=False, undefined=ChainableUndefined)


@dataclass(frozen=True, slots=True)
class EmailSource:
    """The jinja2 source of one event's email."""

    subject: str
    html: str
    text: str


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    html: str
    text: str


# What each event's email says, in one line; the layout around it is shared.
HEADLINES: dict[NotificationEvent, tuple[str, str]] = {
    NotificationEvent.ESTIMATE_SENT: (
        "Estimate {{ estimate.number }} from {{ business }}",
        "{{ business }} sent you estimate {{ estimate.number }} for "
        "{{ estimate.total }}.",
    ),
    NotificationEvent.INVOICE_SENT: (
        "Invoice {{ invoice.number }} from {{ business }}",
        "{{ business }} sent you invoice {{ invoice.number }} for "
        "{{ invoice.total }}, due {{ invoice.due_on }}."
        "{% if invoice.amount_due != invoice.total %} {{ invoice.amount_due }} "
        "is still due.{% endif %}",
    ),
    NotificationEvent.PAYMENT_REQUEST: (
        "Payment request from {{ business }}",
        "{{ business }} asks you to pay {{ payment_request.amount }} on invoice "
        "{{ invoice.number }}.",
    ),
    NotificationEvent.PAYMENT_RECEIPT: (
        "Payment received by {{ business }}",
        "{{ business }} received your payment of {{ payment.amount }} by "
        "{{ payment.method }}. Thank you.",
    ),
    NotificationEvent.TASK_SCHEDULED: (
        "Your service is scheduled",
        "{{ business }} scheduled your {{ task.kind }} for {{ task.scheduled_on }}.",
    ),
    NotificationEvent.TASK_REMINDER: (
        "Reminder: service on {{ task.scheduled_on }}",
        "A reminder from {{ business }}: your {{ task.kind }} is on "
        "{{ task.scheduled_on }}.",
    ),
    NotificationEvent.TASK_COMPLETED: (
        "Your service is done",
        "{{ business }} completed your {{ task.kind }}.",
    ),
    NotificationEvent.DOCUMENT_TO_SIGN: (
        "A document to sign from {{ business }}",
        "{{ business }} sent you a document to sign.",
    ),
    NotificationEvent.DASHBOARD_INVITATION: (
        "Your dashboard at {{ business }}",
        "{{ business }} invites you to your client dashboard.",
    ),
    NotificationEvent.HOLD_PLACED: (
        "Your account at {{ business }} is on hold",
        "{{ business }} placed your account on hold. You can still pay from "
        "your dashboard.",
    ),
}

HTML_LAYOUT = """<p>Hello {{ contact_name }},</p>
<p>%s</p>
{%% if detail.note %%}<p>{{ detail.note }}</p>{%% endif %%}
<p><a href="{{ dashboard_url }}">Open your dashboard</a></p>
<p>{{ business }}</p>
"""
TEXT_LAYOUT = """Hello {{ contact_name }},

%s
{%% if detail.note %%}
{{ detail.note }}
{%% endif %%}
Your dashboard: {{ dashboard_url }}

{{ business }}
"""
TEXT_MESSAGE = "%s {{ dashboard_url }}"


def default_email(event: NotificationEvent) -> EmailSource:
    subject, headline = HEADLINES[event]
    return EmailSource(subject, HTML_LAYOUT % headline, TEXT_LAYOUT % headline)


def render_email(source: EmailSource, context: Mapping[str, Any]) -> RenderedEmail:
    """The email for ``context``; raises ``jinja2.TemplateError`` on bad source."""
    subject = PLAIN.from_string(source.subject).render(context)
    return RenderedEmail(
        # A header is one line, whatever the template did.
        subject=" ".join(subject.split())[:300],
        html=HTML.from_string(source.html).render(context),
        text=PLAIN.from_string(source.text).render(context),
    )


def render_text_message(event: NotificationEvent, context: Mapping[str, Any]) -> str:
    """The short text sent for an event: its headline and the dashboard link."""
    body = PLAIN.from_string(TEXT_MESSAGE % HEADLINES[event][1]).render(context)
    return " ".join(body.split())


def template_problems(source: EmailSource) -> dict[str, str]:
    """Which parts of an edited email fail to compile or render, and why.

    Rendering against a sample catches what parsing cannot: a call the
    sandbox forbids, or a filter that does not exist.
    """
    problems = {}
    for part, environment in (
        ("subject", PLAIN),
        ("html", HTML),
        ("text", PLAIN),
    ):
        try:
            environment.from_string(getattr(source, part)).render(SAMPLE_CONTEXT)
        except TemplateError as error:
            problems[part] = f"The template does not render: {error.message}"
    return problems


SAMPLE_CONTEXT: dict[str, Any] = {
    "business": "Example Hauling",
    "client_name": "Sample Client",
    "contact_name": "Sam",
    "dashboard_url": "https://dashboard.example.com",
    "invoice": {
        "number": 1001,
        "total": "$100.00",
        "amount_due": "$40.00",
        "due_on": "2026-01-31",
    },
    "estimate": {"number": 501, "total": "$100.00", "valid_until": "2026-01-31"},
    "task": {"kind": "delivery", "scheduled_on": "2026-01-15"},
    "payment_request": {"amount": "$100.00"},
    "payment": {"amount": "$60.00", "method": "card"},
    "detail": {},
}
