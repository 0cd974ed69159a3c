"""What a client does from the dashboard, checked where the business sees it:
through the staff API of the same running stack."""

import asyncio
import re
from datetime import date, timedelta
from typing import Any

from playwright.async_api import Browser, Page, Route, expect

from tests.browser.conftest import Person, Watched, new_page, screenshot, sign_in
from tests.browser.servers import Stack
from tests.browser.staff import StaffApi

BILLING = """
query Billing($id: ID!) {
  client(id: $id) {
    billing {
      balance { minorUnits }
      invoices(first: 50, status: [OPEN, OVERDUE, PARTIALLY_PAID]) {
        nodes { id number amountDue { minorUnits } }
      }
    }
  }
}
"""
ESTIMATES = """
query Estimates($id: ID!) {
  client(id: $id) { estimates(first: 50) { nodes { id number status } } }
}
"""
REQUESTS = """
query Requests($id: ID!) {
  client(id: $id) {
    serviceRequests(first: 10) { nodes { kind status notes preferredOn } }
  }
}
"""
ASK_TO_PAY = """
mutation AskToPay($invoiceId: ID!) {
  createPaymentRequest(input: {invoiceId: $invoiceId, channel: EMAIL}) {
    userErrors { code message }
  }
}
"""
LOG = """
query Log($id: ID!) {
  client(id: $id) {
    notificationLog(first: 5, event: [PAYMENT_REQUEST], channel: EMAIL) {
      nodes { event channel status suppressionReason }
    }
  }
}
"""
CONSENT = """
query Consent($id: ID!) {
  client(id: $id) { primaryContact { textConsent } }
}
"""
METHODS = """
query Methods($id: ID!) {
  client(id: $id) {
    paymentMethods(first: 20) { nodes { brand lastFour isDefault } }
  }
}
"""
PENDING_DELIVERIES = """
query Pending($id: ID!) {
  client(id: $id) {
    tasks(first: 20, kind: [DELIVERY], status: [UNSCHEDULED]) {
      nodes { containerSize status instructions price { amount } }
    }
  }
}
"""
SIGNED_ACCEPTANCE = """
mutation($id: ID!) {
  setClientSetting(input: {clientId: $id, key: "signature_required", value: true}) {
    userErrors { code }
  }
}
"""
SIGNATURES = """
query($id: ID!) { client(id: $id) { documents(first: 50) { nodes {
  kind signerName
} } } }
"""
OPEN_DASHBOARD = """
mutation Open($id: ID!) {
  openClientDashboard(input: {clientId: $id}) { url userErrors { code message } }
}
"""


async def signed_in(
    browser: Browser, stack: Stack, person: Person, width: str = "desktop"
) -> Watched:
    watched = await new_page(browser, width)
    await sign_in(watched.page, stack, person)
    return watched


async def loaded(page: Page) -> None:
    await expect(page.locator("main [data-state=loading]")).to_have_count(0)
    await expect(page.locator("main [data-state=error]")).to_have_count(0)


async def billing_of(staff: StaffApi, client_id: str) -> dict[str, Any]:
    data = await staff.run(BILLING, {"id": client_id})
    return dict(data["client"]["billing"])


async def estimate_status(staff: StaffApi, client_id: str, number: int) -> str:
    data = await staff.run(ESTIMATES, {"id": client_id})
    (found,) = [
        node
        for node in data["client"]["estimates"]["nodes"]
        if node["number"] == number
    ]
    return str(found["status"])


async def delivered(staff: StaffApi, client_id: str) -> dict[str, Any]:
    """The latest emailed payment request, once the outbox worker took it."""
    for _ in range(150):
        log = await staff.run(LOG, {"id": client_id})
        latest = dict(log["client"]["notificationLog"]["nodes"][0])
        if latest["status"] != "QUEUED":
            return latest
        await asyncio.sleep(0.1)
    raise AssertionError("The outbox worker left the payment request queued.")


async def test_a_client_pays_an_invoice_and_the_balance_drops_for_the_business(
    browser: Browser, stack: Stack, people: dict[str, Person], staff: StaffApi
) -> None:
    person = people["client"]
    client_id = await staff.client_id(person.email)
    before = await billing_of(staff, client_id)
    invoice = before["invoices"]["nodes"][0]
    due = invoice["amountDue"]["minorUnits"]
    watched = await signed_in(browser, stack, person, "phone")
    page = watched.page
    await page.goto(f"{stack.portal_url}/invoices/{invoice['id']}")
    await page.get_by_role("link", name=re.compile(r"^Pay \$")).click()
    await loaded(page)

    # A declined card first: the client is told, nothing is paid.
    await page.get_by_label("A new card").check()
    await page.get_by_label("Test card or account").select_option("tok_chargeDeclined")
    await page.get_by_role("button", name="Pay now").click()
    await expect(page.get_by_role("alert")).to_be_visible()
    await screenshot(page, "pay-declined-phone")
    declined = await billing_of(staff, client_id)
    await page.get_by_label("Test card or account").select_option("tok_visa")
    await page.get_by_label("Name on the card or account").fill("Test Payer")
    await page.get_by_role("button", name="Pay now").click()

    receipt = page.get_by_role("heading", name="Thank you: your payment was received")
    await expect(receipt).to_be_visible()
    await expect(
        page.get_by_text(f"Invoice #{invoice['number']} is paid in full")
    ).to_be_visible()
    await screenshot(page, "pay-receipt-phone")
    after = await billing_of(staff, client_id)
    assert declined["balance"] == before["balance"]
    assert after["balance"]["minorUnits"] == before["balance"]["minorUnits"] - due
    assert invoice["id"] not in [node["id"] for node in after["invoices"]["nodes"]]
    assert watched.problems == []


async def test_a_client_on_hold_still_pays_part_of_an_invoice(
    browser: Browser, stack: Stack, people: dict[str, Person], staff: StaffApi
) -> None:
    person = people["held"]
    client_id = await staff.client_id(person.email)
    before = await billing_of(staff, client_id)
    invoice = before["invoices"]["nodes"][0]
    watched = await signed_in(browser, stack, person, "phone")
    page = watched.page
    await page.goto(f"{stack.portal_url}/invoices/{invoice['id']}/pay")
    await loaded(page)

    await page.get_by_label(re.compile("^Amount to pay")).fill("1.00")
    await page.get_by_label("A new bank account").check()
    await page.get_by_label("Test card or account").select_option("btok_success")
    await page.get_by_role("button", name="Pay now").click()

    await expect(
        page.get_by_role("heading", name=re.compile("^Thank you"))
    ).to_be_visible()
    await expect(page.get_by_text("is still to pay")).to_be_visible()
    after = await billing_of(staff, client_id)
    assert after["balance"]["minorUnits"] == before["balance"]["minorUnits"] - 100
    assert watched.problems == []


async def test_a_payment_whose_answer_was_lost_is_not_taken_twice(
    browser: Browser, stack: Stack, people: dict[str, Person], staff: StaffApi
) -> None:
    person = people["signer"]
    client_id = await staff.client_id(person.email)
    before = await billing_of(staff, client_id)
    invoice = before["invoices"]["nodes"][-1]
    watched = await signed_in(browser, stack, person)
    page = watched.page
    await page.goto(f"{stack.portal_url}/invoices/{invoice['id']}/pay")
    await loaded(page)
    sent_keys: list[str] = []

    async def lose_the_answer(route: Route) -> None:
        body = route.request.post_data_json
        if body.get("operationName") != "PayInvoice":
            await route.continue_()
            return
        sent_keys.append(body["variables"]["idempotencyKey"])
        if len(sent_keys) == 1:
            # The server takes the payment; the browser never hears back.
            await route.fetch()
            await route.abort()
        else:
            await route.continue_()

    await page.route("**/dashboard/graphql", lose_the_answer)
    await page.get_by_label(re.compile("^Amount to pay")).fill("5.00")
    await page.get_by_label("A new card").check()
    await page.get_by_role("button", name="Pay now").click()
    await expect(page.get_by_role("alert")).to_contain_text("could not reach")
    await page.get_by_role("button", name="Pay now").click()

    await expect(
        page.get_by_role("heading", name=re.compile("^Thank you"))
    ).to_be_visible()
    after = await billing_of(staff, client_id)
    assert len(sent_keys) == 2
    assert sent_keys[0] == sent_keys[1]
    assert after["balance"]["minorUnits"] == before["balance"]["minorUnits"] - 500
    # The lost answer is the browser's own network error, logged as such.
    assert [problem for problem in watched.problems if "error:" in problem] == []


async def test_a_client_opens_and_accepts_an_estimate_and_the_business_sees_it(
    browser: Browser, stack: Stack, people: dict[str, Person], staff: StaffApi
) -> None:
    person = people["client"]
    client_id = await staff.client_id(person.email)
    data = await staff.run(ESTIMATES, {"id": client_id})
    unread = [
        node
        for node in data["client"]["estimates"]["nodes"]
        if node["status"] == "NO_RESPONSE"
    ]
    estimate = unread[0]
    # The business has acceptances signed: the page asks for the name.
    setting = await staff.run(SIGNED_ACCEPTANCE, {"id": client_id})
    assert setting["setClientSetting"]["userErrors"] == []
    watched = await signed_in(browser, stack, person)
    page = watched.page

    await page.goto(f"{stack.portal_url}/estimates/{estimate['id']}")
    await loaded(page)

    assert await estimate_status(staff, client_id, estimate["number"]) == "READ"
    await screenshot(page, "estimate-answer-desktop")
    await page.get_by_label("Your full name, as your signature").fill("Megan Client")
    await page.get_by_role("button", name="Accept estimate").click()
    await expect(page.get_by_role("alert")).to_contain_text("Tick the box")
    await page.get_by_label(re.compile(r"^I accept estimate")).check()
    await page.get_by_role("button", name="Accept estimate").click()
    await expect(page.get_by_text("You accepted the estimate")).to_be_visible()
    await expect(page.locator("main .page-heading hg-status")).to_have_text("Accepted")
    assert await estimate_status(staff, client_id, estimate["number"]) == "ACCEPTED"
    documents = await staff.run(SIGNATURES, {"id": client_id})
    assert {
        "kind": "ESTIMATE_SIGNATURE",
        "signerName": "Megan Client",
    } in documents["client"]["documents"]["nodes"]
    assert watched.problems == []


async def test_a_client_declines_an_estimate_with_a_reason(
    browser: Browser, stack: Stack, people: dict[str, Person], staff: StaffApi
) -> None:
    person = people["client"]
    client_id = await staff.client_id(person.email)
    data = await staff.run(ESTIMATES, {"id": client_id})
    estimate = [
        node
        for node in data["client"]["estimates"]["nodes"]
        if node["status"] in ("READ", "REVIEWED")
    ][0]
    watched = await signed_in(browser, stack, person, "phone")
    page = watched.page
    await page.goto(f"{stack.portal_url}/estimates/{estimate['id']}")
    await loaded(page)

    await page.get_by_label("Why not? (optional)").fill("We found a closer yard.")
    await page.get_by_role("button", name="Decline estimate").click()

    await expect(page.get_by_text("You declined the estimate")).to_be_visible()
    await expect(page.locator("main .page-heading hg-status")).to_have_text("Declined")
    assert await estimate_status(staff, client_id, estimate["number"]) == "DECLINED"
    assert watched.problems == []


async def test_a_client_adds_chooses_and_removes_a_payment_method(
    browser: Browser, stack: Stack, people: dict[str, Person], staff: StaffApi
) -> None:
    person = people["signer"]
    client_id = await staff.client_id(person.email)
    watched = await signed_in(browser, stack, person, "phone")
    page = watched.page
    page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    await page.goto(f"{stack.portal_url}/payment-methods")
    await loaded(page)

    await page.get_by_label("Test card or account").select_option("tok_mastercard")
    await page.get_by_label("Name on the card or account").fill("Card Holder")
    await page.get_by_role("button", name="Save payment method").click()
    await expect(page.get_by_text("Mastercard ending 4444 was saved")).to_be_visible()
    added = (await staff.run(METHODS, {"id": client_id}))["client"]["paymentMethods"]
    await page.get_by_role("button", name="Make Mastercard ending 4444").click()
    await expect(page.get_by_text("is now your default")).to_be_visible()
    chosen = (await staff.run(METHODS, {"id": client_id}))["client"]["paymentMethods"]
    await page.get_by_role("button", name="Remove Mastercard ending 4444").click()
    await expect(page.get_by_text("was removed")).to_be_visible()

    left = (await staff.run(METHODS, {"id": client_id}))["client"]["paymentMethods"]
    mastercard = {"brand": "Mastercard", "lastFour": "4444", "isDefault": False}
    assert mastercard in added["nodes"]
    assert {**mastercard, "isDefault": True} in chosen["nodes"]
    assert [node for node in left["nodes"] if node["lastFour"] == "4444"] == []
    assert watched.problems == []


async def test_an_email_turned_off_is_suppressed_with_that_reason(
    browser: Browser, stack: Stack, people: dict[str, Person], staff: StaffApi
) -> None:
    person = people["signer"]
    client_id = await staff.client_id(person.email)
    invoice = (await billing_of(staff, client_id))["invoices"]["nodes"][0]
    watched = await signed_in(browser, stack, person)
    page = watched.page
    await page.goto(f"{stack.portal_url}/preferences")
    toggle = page.get_by_role("checkbox", name="Requests to pay by email")
    await expect(toggle).to_be_checked()

    await toggle.uncheck()
    await expect(page.get_by_text("Requests to pay by email: off")).to_be_visible()
    asked = await staff.run(ASK_TO_PAY, {"invoiceId": invoice["id"]})

    assert asked["createPaymentRequest"]["userErrors"] == []
    latest = await delivered(staff, client_id)
    assert latest["status"] == "SUPPRESSED"
    assert latest["suppressionReason"] == "client turned off payment request emails"
    await page.reload()
    await expect(toggle).not_to_be_checked()
    assert watched.problems == []


async def test_text_consent_is_withdrawn_and_given_again(
    browser: Browser, stack: Stack, people: dict[str, Person], staff: StaffApi
) -> None:
    person = people["client"]
    client_id = await staff.client_id(person.email)
    watched = await signed_in(browser, stack, person, "phone")
    page = watched.page
    await page.goto(f"{stack.portal_url}/preferences")
    consent = page.get_by_label(re.compile("^I agree to get text messages"))
    waiting = page.get_by_text("Texts go out only once you agree")
    agreed = page.locator("main [data-consent-at]")
    await expect(consent).to_be_checked()
    await expect(waiting).to_be_hidden()
    await expect(agreed).to_contain_text("You agreed on")

    await consent.uncheck()
    await expect(page.get_by_text("You will get no more text messages")).to_be_visible()
    await expect(agreed).to_be_hidden()
    withdrawn = await staff.run(CONSENT, {"id": client_id})
    await expect(waiting).to_be_visible()
    await screenshot(page, "preferences-no-texts-phone")
    await consent.check()
    await expect(page.get_by_text("You will get the text messages")).to_be_visible()
    await expect(agreed).to_contain_text("You agreed on")

    given = await staff.run(CONSENT, {"id": client_id})
    assert withdrawn["client"]["primaryContact"]["textConsent"] is False
    assert given["client"]["primaryContact"]["textConsent"] is True
    await expect(waiting).to_be_hidden()
    assert watched.problems == []


async def test_a_client_requests_a_service_and_the_business_sees_it(
    browser: Browser, stack: Stack, people: dict[str, Person], staff: StaffApi
) -> None:
    person = people["client"]
    client_id = await staff.client_id(person.email)
    wanted = (date.today() + timedelta(days=5)).isoformat()
    watched = await signed_in(browser, stack, person, "phone")
    page = watched.page
    await page.goto(f"{stack.portal_url}/services")
    await page.get_by_role("link", name="Request a service").click()
    await loaded(page)

    await page.get_by_label("What do you need?").select_option("PICKUP")
    await page.get_by_label("Preferred day (optional)").fill(wanted)
    await page.get_by_label("Anything we should know?").fill("Gate code 2468.")
    await screenshot(page, "request-service-filled-phone")
    await page.get_by_role("button", name="Send request").click()

    await expect(page.get_by_text("Your request was sent")).to_be_visible()
    await expect(page).to_have_url(f"{stack.portal_url}/services")
    await expect(page.get_by_role("heading", name="Your requests")).to_be_visible()
    data = await staff.run(REQUESTS, {"id": client_id})
    assert {
        "kind": "PICKUP",
        "status": "NEW",
        "notes": "Gate code 2468.",
        "preferredOn": wanted,
    } in data["client"]["serviceRequests"]["nodes"]
    assert watched.problems == []


async def test_a_client_schedules_a_rental_and_the_business_has_a_pending_delivery(
    browser: Browser, stack: Stack, people: dict[str, Person], staff: StaffApi
) -> None:
    person = people["client"]
    client_id = await staff.client_id(person.email)
    watched = await signed_in(browser, stack, person)
    page = watched.page
    await page.goto(f"{stack.portal_url}/services")
    await page.get_by_role("link", name="Schedule a rental").click()
    await loaded(page)
    price = page.locator("main [data-quote]")
    await expect(price).to_have_count(1)
    quoted = await price.get_attribute("data-quote")
    size = await page.get_by_label("Dumpster size").input_value()
    # The terms are rendered with escaped values; the client reads plain text.
    terms = page.locator("main .terms")
    await expect(terms).to_contain_text("Summit Roll-Off & Junk Removal")
    await expect(terms).not_to_contain_text("&amp;")

    await page.get_by_role("button", name="Order this dumpster").click()
    await expect(page.get_by_role("alert")).to_be_visible()
    await screenshot(page, "rental-terms-refused-desktop")
    await page.get_by_label(re.compile("^I accept")).check()
    await page.get_by_label("Anything we should know?").fill("Driveway, left side.")
    await page.get_by_role("button", name="Order this dumpster").click()

    await expect(page.get_by_text("The delivery is pending")).to_be_visible()
    data = await staff.run(PENDING_DELIVERIES, {"id": client_id})
    ordered = [
        task
        for task in data["client"]["tasks"]["nodes"]
        if "Driveway, left side." in (task["instructions"] or "")
    ]
    assert len(ordered) == 1
    assert ordered[0]["containerSize"] == int(size)
    assert ordered[0]["price"]["amount"] == quoted
    assert watched.problems == []


async def test_a_client_reads_and_signs_a_document(
    browser: Browser, stack: Stack, people: dict[str, Person]
) -> None:
    watched = await signed_in(browser, stack, people["signer"], "phone")
    page = watched.page
    await page.goto(f"{stack.portal_url}/documents")
    card = page.locator("main .card").filter(has_text="open it to sign").first
    await card.get_by_role("link").click()
    await loaded(page)
    await expect(page.locator("main .page-heading hg-status")).to_have_text("Viewed")
    text = page.locator("main .document-text")
    await expect(text).to_contain_text("Summit Roll-Off & Junk Removal")
    await expect(text).not_to_contain_text("&amp;")

    await page.get_by_label("Your full name, as your signature").fill("Pat Signer")
    await page.get_by_label("I have read this document").check()
    await screenshot(page, "document-sign-phone")
    await page.get_by_role("button", name="Sign document").click()

    await expect(page.get_by_text("the document is signed")).to_be_visible()
    await expect(page.locator("main .page-heading hg-status")).to_have_text("Signed")
    await expect(page.get_by_text("by Pat Signer")).to_be_visible()
    assert watched.problems == []


async def test_a_staff_preview_is_read_only(
    browser: Browser, stack: Stack, people: dict[str, Person], staff: StaffApi
) -> None:
    person = people["signer"]
    client_id = await staff.client_id(person.email)
    opened = await staff.run(OPEN_DASHBOARD, {"id": client_id})
    url = opened["openClientDashboard"]["url"]
    assert url.startswith(f"{stack.portal_url}/preview#token=")
    estimates = await staff.run(ESTIMATES, {"id": client_id})
    unread = [
        node
        for node in estimates["client"]["estimates"]["nodes"]
        if node["status"] == "NO_RESPONSE"
    ][0]
    watched = await new_page(browser, "phone")
    page = watched.page

    await page.goto(url)

    banner = page.get_by_role("note")
    await expect(banner).to_contain_text("Staff view — read only")
    assert "token" not in page.url
    await loaded(page)
    await expect(page.get_by_role("link", name="Request a service")).to_have_count(0)
    await screenshot(page, "preview-overview-phone")
    await page.goto(f"{stack.portal_url}/estimates/{unread['id']}")
    await loaded(page)
    await expect(page.get_by_text("Staff view — read only: accepting")).to_be_visible()
    await expect(page.get_by_role("button", name="Accept estimate")).to_have_count(0)
    await screenshot(page, "preview-estimate-phone")
    # A preview opening an estimate does not tell the business it was read.
    assert await estimate_status(staff, client_id, unread["number"]) == "NO_RESPONSE"
    invoice = (await billing_of(staff, client_id))["invoices"]["nodes"][0]
    await page.goto(f"{stack.portal_url}/invoices/{invoice['id']}")
    await loaded(page)
    await expect(page.get_by_text("Staff view — read only: paying")).to_be_visible()
    await expect(page.get_by_role("link", name=re.compile("^Pay "))).to_have_count(0)
    await page.goto(f"{stack.portal_url}/preferences")
    await loaded(page)
    boxes = page.locator("main input[type=checkbox]")
    assert await boxes.count() > 0
    assert all([await box.is_disabled() for box in await boxes.all()])
    await page.goto(f"{stack.portal_url}/services/request")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Staff view — read only"
    )
    await page.goto(f"{stack.portal_url}/payment-methods")
    await loaded(page)
    await expect(
        page.get_by_role("button", name=re.compile("Remove|Save"))
    ).to_have_count(0)
    # Even a request sent by hand is refused by the API.
    refused = await page.evaluate(
        """async () => {
          const { ApiClient } = await import('/static/lib/api.js');
          const { Session } = await import('/static/lib/session.js');
          const shell = document.getElementById('dashboard-config');
          const config = JSON.parse(shell.textContent);
          const api = new ApiClient({
            url: config.graphqlUrl,
            operations: config.operations,
            session: new Session(),
          });
          const payload = await api.mutate(
            'SetTextConsent', 'setTextConsent', { consent: true });
          return payload.userErrors.map((error) => error.code);
        }"""
    )
    assert refused == ["READ_ONLY"]
    assert watched.problems == []

    # When the link's token runs out, the page says so in staff's terms.
    await page.route(
        "**/dashboard/graphql",
        lambda route: route.fulfill(status=401, json={"errors": []}),
    )
    await page.get_by_role("link", name="Invoices").first.click()
    await expect(page.get_by_role("status")).to_contain_text(
        "This staff view of the dashboard has expired"
    )


async def test_a_page_that_cannot_reach_the_api_says_so_and_tries_again(
    browser: Browser, stack: Stack, people: dict[str, Person]
) -> None:
    watched = await signed_in(browser, stack, people["client"], "phone")
    page = watched.page
    await page.route("**/dashboard/graphql", lambda route: route.abort())

    await page.goto(f"{stack.portal_url}/invoices")

    failure = page.locator("main [data-state=error]")
    await expect(failure).to_contain_text("could not reach the server")
    await screenshot(page, "error-state-phone")
    await page.unroute("**/dashboard/graphql")
    await failure.get_by_role("button", name="Try again").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Invoices")
    # The browser logs the refused requests; the page itself raised nothing.
    assert [problem for problem in watched.problems if "error:" in problem] == []


async def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element is focused (a date field takes several)."""
    for _ in range(10):
        await page.keyboard.press("Tab")
        if await page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}.")


async def test_a_service_request_can_be_sent_from_the_keyboard(
    browser: Browser, stack: Stack, people: dict[str, Person], staff: StaffApi
) -> None:
    person = people["signer"]
    client_id = await staff.client_id(person.email)
    watched = await signed_in(browser, stack, person)
    page = watched.page
    await page.goto(f"{stack.portal_url}/services/request")
    await loaded(page)
    await page.get_by_label("What do you need?").focus()

    await page.keyboard.press("ArrowDown")  # Pick up my dumpster
    await tab_to(page, "textarea[name=notes]")
    await page.keyboard.type("Typed without a mouse.")
    await tab_to(page, "button[type=submit]")
    await page.keyboard.press("Enter")

    await expect(page.get_by_text("Your request was sent")).to_be_visible()
    data = await staff.run(REQUESTS, {"id": client_id})
    notes = [node["notes"] for node in data["client"]["serviceRequests"]["nodes"]]
    assert "Typed without a mouse." in notes
    assert watched.problems == []
