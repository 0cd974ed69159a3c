"""Signing in to the dashboard by emailed link, signing out, and links that
no longer work."""

from datetime import UTC, datetime, timedelta

from playwright.async_api import Browser, expect
from sqlalchemy import select

from domain.identity.secrets import digest
from persistence.database import create_engine, create_session_factory
from persistence.models import Contact, SignInLink
from tests.browser.conftest import Person, new_page, request_link, screenshot
from tests.browser.servers import Stack


async def test_a_client_signs_in_by_link_and_out_again(
    browser: Browser, stack: Stack, people: dict[str, Person]
) -> None:
    watched = await new_page(browser, "desktop")
    page = watched.page
    person = people["client"]

    link = await request_link(page, stack, person.email)
    await screenshot(page, "sign-in-requested-desktop")
    await page.goto(link)

    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Hello, {person.first_name}"
    )
    assert page.url == f"{stack.portal_url}/"
    token = await page.evaluate("sessionStorage.getItem('haulgraph.dashboard.token')")
    assert token is not None
    assert "token" not in page.url
    assert await page.evaluate("localStorage.length") == 0
    await expect(page.get_by_text(person.client_name).first).to_be_visible()

    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_text("You are signed out.")).to_be_visible()
    assert await page.evaluate("sessionStorage.length") == 0
    await page.goto(f"{stack.portal_url}/invoices")
    await expect(page).to_have_url(f"{stack.portal_url}/sign-in")

    await page.goto(link)
    await expect(page.get_by_role("alert")).to_contain_text("used already")
    await expect(page.get_by_label("Email address")).to_be_visible()
    await screenshot(page, "sign-in-used-link-desktop")
    assert watched.problems == []


async def add_expired_link(database_url: str, email: str, token: str) -> None:
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            contact = (
                await session.scalars(select(Contact).where(Contact.email == email))
            ).first()
            assert contact is not None
            created = datetime.now(UTC) - timedelta(hours=2)
            session.add(
                SignInLink(
                    account_id=contact.account_id,
                    client_id=contact.client_id,
                    contact_id=contact.id,
                    email=email,
                    token_digest=digest(token),
                    created_at=created,
                    expires_at=created + timedelta(minutes=30),
                )
            )
            await session.commit()
    finally:
        await engine.dispose()


async def test_an_expired_link_explains_itself_and_offers_a_new_one(
    browser: Browser, stack: Stack, people: dict[str, Person]
) -> None:
    watched = await new_page(browser, "phone")
    page = watched.page
    person = people["held"]
    token = "hgl_expired-link-of-the-browser-test"
    await add_expired_link(stack.database_url, person.email, token)

    await page.goto(f"{stack.portal_url}/sign-in#token={token}")

    await expect(page.get_by_role("alert")).to_contain_text("has expired")
    assert "token" not in page.url
    await page.get_by_label("Email address").fill(person.email)
    await page.get_by_role("button", name="Email me a sign-in link").click()
    await expect(page.get_by_text("a link is on its way")).to_be_visible()
    await screenshot(page, "sign-in-expired-link-phone")
    assert watched.problems == []


async def test_a_visitor_without_a_session_lands_on_sign_in(
    browser: Browser, stack: Stack
) -> None:
    watched = await new_page(browser, "phone")

    await watched.page.goto(f"{stack.portal_url}/estimates")

    await expect(watched.page).to_have_url(f"{stack.portal_url}/sign-in")
    await expect(watched.page.get_by_role("heading", level=1)).to_have_text(
        "Sign in to your dashboard"
    )
    assert watched.problems == []
