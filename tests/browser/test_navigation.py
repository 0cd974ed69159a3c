"""The frame of the dashboard: keyboard use of the main menu, a client on
hold, and the extension points the action pages will use."""

from playwright.async_api import Browser, expect

from tests.browser.conftest import (
    Person,
    new_page,
    run_axe,
    screenshot,
    sign_in,
)
from tests.browser.servers import Stack

MENU = [
    "Overview",
    "Estimates",
    "Invoices",
    "Services",
    "Documents",
    "Payment methods",
    "Preferences",
]


async def test_the_main_menu_works_from_the_keyboard(
    browser: Browser, stack: Stack, people: dict[str, Person]
) -> None:
    watched = await new_page(browser, "desktop")
    page = watched.page
    await sign_in(page, stack, people["client"])
    menu = page.get_by_role("navigation", name="Main")
    await expect(menu.get_by_role("link")).to_have_text(MENU)

    # From the top of a freshly loaded page: the skip link, "Sign out", then
    # the menu's first entry.
    await page.goto(f"{stack.portal_url}/")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    for _ in range(3):
        await page.keyboard.press("Tab")
        focused = await page.evaluate("document.activeElement.textContent")
        if focused == "Overview":
            break
    assert focused == "Overview"
    outline = await page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle"
    )
    assert outline != "none"
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")

    await expect(page).to_have_url(f"{stack.portal_url}/estimates")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Estimates")
    await expect(page.get_by_role("heading", level=1)).to_be_focused()
    current = menu.locator("[aria-current=page]")
    await expect(current).to_have_text("Estimates")
    await page.go_back()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    assert watched.problems == []


async def test_a_client_on_hold_sees_why_and_what_to_do(
    browser: Browser, stack: Stack, people: dict[str, Person], axe_script: str
) -> None:
    watched = await new_page(browser, "phone")
    page = watched.page

    await sign_in(page, stack, people["held"])

    notice = page.get_by_role("region", name="Your account is on hold")
    await expect(notice).to_contain_text("Why:")
    await expect(notice).to_contain_text("What to do:")
    # Estimates and services wait while on hold; billing stays open.
    await expect(
        page.get_by_text("hidden while your account is on hold")
    ).to_have_count(2)
    await expect(page.get_by_role("heading", name="Balance due")).to_be_visible()
    await expect(page.get_by_role("link", name="Request a service")).to_have_count(0)
    await screenshot(page, "overview-on-hold-phone")
    assert await run_axe(page, axe_script) == []
    await page.get_by_role("link", name="Services").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Services")
    await expect(page.get_by_role("link", name="Request a service")).to_have_count(0)
    assert watched.problems == []


async def test_unregistered_operations_never_leave_the_browser(
    browser: Browser, stack: Stack
) -> None:
    watched = await new_page(browser, "desktop")
    page = watched.page
    await page.goto(f"{stack.portal_url}/sign-in")

    answer = await page.evaluate(
        """async () => {
          const { ApiClient } = await import('/static/lib/api.js');
          let requests = 0;
          const client = new ApiClient({
            url: 'http://api.invalid/dashboard/graphql',
            operations: { Viewer: 'sha256:00' },
            session: { token: null },
            fetch: async () => { requests += 1; throw new Error('offline'); },
          });
          const kinds = [];
          for (const name of ['AcceptEstimate', 'Viewer']) {
            try { await client.run(name); } catch (error) { kinds.push(error.kind); }
          }
          return { kinds, requests };
        }"""
    )

    assert answer == {"kinds": ["unregistered", "network"], "requests": 1}


async def test_the_routes_leave_room_for_the_action_pages(
    browser: Browser, stack: Stack
) -> None:
    watched = await new_page(browser, "desktop")
    page = watched.page
    await page.goto(f"{stack.portal_url}/sign-in")

    found = await page.evaluate(
        """async () => {
          const { routes } = await import('/static/routes.js');
          const { Router } = await import('/static/lib/router.js');
          const router = new Router(
            [...routes, { path: '/estimates/:id/accept', isAction: true }], () => {});
          const match = (path) => {
            const found = router.match(path);
            return found && { path: found.route.path, params: found.params };
          };
          return {
            menu: routes.filter((route) => route.nav).map((route) => route.path),
            detail: match('/estimates/RXN0aW1hdGU6YWJj'),
            action: match('/estimates/RXN0aW1hdGU6YWJj/accept'),
            missing: match('/nowhere'),
          };
        }"""
    )

    assert found == {
        "menu": [
            "/",
            "/estimates",
            "/invoices",
            "/services",
            "/documents",
            "/payment-methods",
            "/preferences",
        ],
        "detail": {"path": "/estimates/:id", "params": {"id": "RXN0aW1hdGU6YWJj"}},
        "action": {
            "path": "/estimates/:id/accept",
            "params": {"id": "RXN0aW1hdGU6YWJj"},
        },
        "missing": None,
    }
    assert watched.problems == []


async def test_typed_amounts_become_exact_minor_units(
    browser: Browser, stack: Stack
) -> None:
    watched = await new_page(browser, "phone")
    page = watched.page
    await page.goto(f"{stack.portal_url}/sign-in")

    found = await page.evaluate(
        """async () => {
          const { Formats } = await import('/static/lib/format.js');
          const us = new Formats({ locale: 'en-US', currency: 'USD' });
          const de = new Formats({ locale: 'de-DE', currency: 'EUR' });
          const jp = new Formats({ locale: 'ja-JP', currency: 'JPY' });
          return {
            us: ['1,234.50', '$20', '0.1', '19.99', '1.005', 'abc', ''].map(
              (text) => us.toMinorUnits(text)),
            de: de.toMinorUnits('1.234,50'),
            jp: [jp.toMinorUnits('500'), jp.toMinorUnits('5.5')],
            input: de.moneyInput({ amount: '12.30', currency: 'EUR' }),
            today: new Formats({ timeZone: 'Pacific/Kiritimati' }).today(
              new Date('2026-12-04T12:00:00Z')),
          };
        }"""
    )

    assert found == {
        "us": [123450, 2000, 10, 1999, None, None, None],
        "de": 123450,
        "jp": [500, None],
        "input": "12,30",
        "today": "2026-12-05",
    }
    assert watched.problems == []
