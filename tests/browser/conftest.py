"""Browser tests: Debian's Chromium, driven by Playwright, against the API and
the dashboard host on loopback ports with the demo data.

Screenshots go to ``tests/browser/screenshots/`` (ignored by git); axe-core
is installed from npm into ``.cache/axe`` on first use.
"""

import asyncio
import re
import shutil
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, Playwright, async_playwright
from sqlalchemy import func, select

from domain.identity.dashboard import has_dashboard_access
from persistence.database import create_engine, create_session_factory
from persistence.enums import EstimateStatus
from persistence.models import (
    Client,
    Contact,
    Document,
    Estimate,
    Hold,
    Invoice,
    PaymentMethod,
)
from persistence.queries.ledger import UNPAID
from tests.browser.servers import Stack, start_stack, text_of
from tests.browser.staff import StaffApi, staff_api

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_DIR = ROOT / ".cache" / "axe"
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}
SESSION_KEY = "haulgraph.dashboard.token"
LINK = re.compile(r"https?://\S+/sign-in#token=\S+")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@dataclass(frozen=True)
class Person:
    """A contact who may sign in to a client's dashboard."""

    email: str
    first_name: str
    client_name: str


@pytest.fixture(scope="session")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    running = await start_stack(tmp_path_factory.mktemp("browser"))
    yield running
    await running.stop()


async def dashboard_people(database_url: str) -> dict[str, Person]:
    """Contacts who may sign in, by the part they play in the tests: the
    first client without a hold, the first with one, and the first without a
    hold that has a flow of its own: a document to sign, an estimate not yet
    opened, two invoices to pay and a card on file."""
    engine = create_engine(database_url)
    found: dict[str, Person] = {}
    unsigned = (
        select(Document.id)
        .where(
            Document.client_id == Client.id,
            Document.requires_signature.is_(True),
            Document.sent_at.is_not(None),
            Document.signed_at.is_(None),
        )
        .exists()
    )
    unopened = (
        select(Estimate.id)
        .where(
            Estimate.client_id == Client.id,
            Estimate.status == EstimateStatus.NO_RESPONSE,
            Estimate.sent_at.is_not(None),
        )
        .exists()
    )
    unpaid = (
        select(func.count(Invoice.id))
        .where(Invoice.client_id == Client.id, Invoice.status.in_(UNPAID))
        .scalar_subquery()
    )
    on_file = (
        select(PaymentMethod.id)
        .where(PaymentMethod.client_id == Client.id, PaymentMethod.removed_at.is_(None))
        .exists()
    )
    has_own_flow = unsigned & unopened & on_file & (unpaid >= 2)
    try:
        async with create_session_factory(engine)() as session:
            rows = await session.execute(
                select(Contact, Client.display_name, Hold.id, has_own_flow)
                .join(Client, Client.id == Contact.client_id)
                .outerjoin(
                    Hold, (Hold.client_id == Client.id) & Hold.released_at.is_(None)
                )
                .where(Contact.is_primary.is_(True), Contact.email.is_not(None))
                .where(Client.archived_at.is_(None))
                .order_by(Client.id)
            )
            for contact, name, hold_id, has_flow in rows:
                if not await has_dashboard_access(session, contact.client_id):
                    continue
                person = Person(contact.email, contact.first_name, name)
                if hold_id is not None:
                    found.setdefault("held", person)
                elif "client" not in found:
                    found["client"] = person
                elif has_flow:
                    found.setdefault("signer", person)
    finally:
        await engine.dispose()
    return found


@pytest.fixture(scope="session")
async def people(stack: Stack) -> dict[str, Person]:
    found = await dashboard_people(stack.database_url)
    assert {"client", "held", "signer"} <= found.keys(), found
    return found


@pytest.fixture(scope="session")
async def staff(stack: Stack) -> StaffApi:
    return await staff_api(stack)


@pytest.fixture(scope="session")
async def playwright() -> AsyncIterator[Playwright]:
    async with async_playwright() as running:
        yield running


@pytest.fixture(scope="session")
async def browser(playwright: Playwright) -> AsyncIterator[Browser]:
    if shutil.which(CHROMIUM) is None:
        pytest.fail(
            f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`."
        )
    launched = await playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS
    )
    yield launched
    await launched.close()


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's source, installed from npm into an ignored folder once."""
    if not AXE_SCRIPT.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is missing: install it to fetch axe-core.")
        subprocess.run(
            [
                npm,
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(AXE_DIR),
                "axe-core@4",
            ],
            check=True,
            capture_output=True,
        )
    return AXE_SCRIPT.read_text("utf-8")


class Watched:
    """A page and every console error and uncaught exception it had."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.problems.append(f"error: {error}"))

    def on_console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")


async def new_page(browser: Browser, width: str) -> Watched:
    columns, rows = WIDTHS[width]
    context = await browser.new_context(viewport={"width": columns, "height": rows})
    return Watched(await context.new_page())


async def wait_for_email(stack: Stack, address: str, count: int) -> EmailMessage:
    """The ``count``-th email to ``address``, once the outbox worker wrote it."""
    for _ in range(150):
        sent = stack.emails.to(address)
        if len(sent) >= count:
            return sent[count - 1]
        await asyncio.sleep(0.1)
    raise AssertionError(f"Email {count} to {address} was not sent within 15 s.")


async def request_link(page: Page, stack: Stack, email: str) -> str:
    """Ask for a link on the sign-in page; the link the email carries."""
    await page.goto(f"{stack.portal_url}/sign-in")
    await page.get_by_label("Email address").fill(email)
    sent_before = len(stack.emails.to(email))
    await page.get_by_role("button", name="Email me a sign-in link").click()
    await page.get_by_text("a link is on its way").wait_for()
    message = await wait_for_email(stack, email, sent_before + 1)
    found = LINK.search(text_of(message))
    assert found is not None, text_of(message)
    return found.group(0)


async def sign_in(page: Page, stack: Stack, person: Person) -> None:
    """Sign in through the emailed link the first time; later tabs reuse the
    session that sign-in saved, as a reloaded tab would."""
    saved = stack.sessions.get(person.email)
    if saved is None:
        await page.goto(await request_link(page, stack, person.email))
    else:
        await page.goto(f"{stack.portal_url}/sign-in")
        await page.evaluate(
            "([key, value]) => sessionStorage.setItem(key, value)",
            [SESSION_KEY, saved],
        )
        await page.goto(f"{stack.portal_url}/")
    heading = page.get_by_role("heading", level=1, name=f"Hello, {person.first_name}")
    await heading.wait_for()
    stack.sessions[person.email] = await page.evaluate(
        "(key) => sessionStorage.getItem(key)", SESSION_KEY
    )


async def run_axe(page: Page, axe_script: str) -> list[dict[str, Any]]:
    """Serious and critical axe violations of the page as it stands.

    axe is evaluated through the browser's debugging protocol: the page's
    Content-Security-Policy (script-src 'self') would refuse it as a tag.
    """
    await page.evaluate(axe_script)
    results = await page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']}))"
        ".violations"
    )
    return [
        {"id": item["id"], "impact": item["impact"], "nodes": len(item["nodes"])}
        for item in results
        if item["impact"] in ("serious", "critical")
    ]


async def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=path, full_page=True)
    return path
