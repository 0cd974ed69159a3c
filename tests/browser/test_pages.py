"""Every read page of the dashboard on the demo data, at 375 and 1280 px:
it shows its heading and data, has no serious or critical axe violations,
logs no errors, and is written to a screenshot."""

import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import (
    Person,
    Watched,
    new_page,
    run_axe,
    screenshot,
    sign_in,
)
from tests.browser.servers import Stack

LISTS = [
    ("overview", "/", None),
    ("estimates", "/estimates", "Estimates"),
    ("invoices", "/invoices", "Invoices"),
    ("services", "/services", "Services"),
    ("documents", "/documents", "Documents"),
    ("payment-methods", "/payment-methods", "Payment methods"),
    ("preferences", "/preferences", "Preferences"),
    ("request-service", "/services/request", "Request a service"),
    ("schedule-rental", "/services/rental", "Schedule a rental"),
]
# Detail pages are opened from the first item of their list.
DETAILS = [
    ("estimate", "/estimates", "Estimate #"),
    ("invoice", "/invoices", "Invoice #"),
]


@pytest.fixture(scope="module", params=["phone", "desktop"])
async def signed_in(
    request: pytest.FixtureRequest,
    browser: Browser,
    stack: Stack,
    people: dict[str, Person],
) -> AsyncIterator[tuple[str, Watched]]:
    """One tab per width, signed in once through the emailed link."""
    watched = await new_page(browser, request.param)
    await sign_in(watched.page, stack, people["client"])
    yield request.param, watched
    await watched.page.context.close()


async def check_page(page: Page, name: str, width: str, axe_script: str) -> None:
    await expect(page.locator("main [data-state=loading]")).to_have_count(0)
    await expect(page.locator("main [data-state=error]")).to_have_count(0)
    await screenshot(page, f"{name}-{width}")
    assert await run_axe(page, axe_script) == []
    # Nothing wider than the window: no sideways scrolling of the page.
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - window.innerWidth"
    )
    assert overflow <= 0


@pytest.mark.parametrize(("name", "path", "title"), LISTS)
async def test_each_list_page_reads_well(
    signed_in: tuple[str, Watched],
    stack: Stack,
    people: dict[str, Person],
    axe_script: str,
    name: str,
    path: str,
    title: str | None,
) -> None:
    width, watched = signed_in
    page = watched.page

    await page.goto(f"{stack.portal_url}{path}")

    heading = title or f"Hello, {people['client'].first_name}"
    await expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    await check_page(page, name, width, axe_script)
    assert watched.problems == []


@pytest.mark.parametrize(("name", "path", "title"), DETAILS)
async def test_each_detail_page_opens_from_its_list(
    signed_in: tuple[str, Watched],
    stack: Stack,
    axe_script: str,
    name: str,
    path: str,
    title: str,
) -> None:
    width, watched = signed_in
    page = watched.page
    await page.goto(f"{stack.portal_url}{path}")

    first = page.locator("main .cards a").first
    await first.click()

    await expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    assert page.url.startswith(f"{stack.portal_url}{path}/")
    await expect(page.locator("main table")).to_have_count(1)
    await check_page(page, name, width, axe_script)
    assert watched.problems == []


async def test_a_document_opens_from_its_list(
    signed_in: tuple[str, Watched], stack: Stack, axe_script: str
) -> None:
    width, watched = signed_in
    page = watched.page
    await page.goto(f"{stack.portal_url}/documents")

    await page.locator("main .cards a").first.click()

    await expect(page.get_by_role("heading", name="The document")).to_be_visible()
    assert page.url.startswith(f"{stack.portal_url}/documents/")
    await check_page(page, "document", width, axe_script)
    assert watched.problems == []


async def test_the_payment_page_opens_from_an_invoice_with_something_to_pay(
    signed_in: tuple[str, Watched], stack: Stack, axe_script: str
) -> None:
    width, watched = signed_in
    page = watched.page
    await page.goto(f"{stack.portal_url}/invoices")
    unpaid = page.locator("main .card").filter(has_text="to pay").first
    await unpaid.get_by_role("link").click()

    await page.get_by_role("link", name=re.compile(r"^Pay ")).click()

    await expect(page.get_by_role("heading", level=1)).to_contain_text("Pay invoice #")
    await expect(page.get_by_label(re.compile("^Amount to pay"))).not_to_have_value("")
    # The demo client has a card on file: it is chosen, no new card is asked for.
    await expect(page.get_by_label(re.compile(r"\(default\)$"))).to_be_checked()
    await expect(
        page.get_by_role("group", name="The new card or account")
    ).to_be_hidden()
    await check_page(page, "pay", width, axe_script)
    assert watched.problems == []


async def test_money_and_dates_follow_the_accounts_locale(
    signed_in: tuple[str, Watched], stack: Stack
) -> None:
    _, watched = signed_in
    page = watched.page
    await page.goto(f"{stack.portal_url}/invoices")

    amount = await page.locator("main .card__amount").first.inner_text()

    # The demo business is in en-US, USD: "$1,234.50".
    assert amount.startswith("$")
    assert amount[-3] == "."
