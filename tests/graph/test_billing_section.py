"""The billing section: hold, activity feed, invoices, recurring invoices,
charges, payment requests and payment methods."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.requests import Request

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL, Permission
from graph.app import create_app
from graph.ids import decode_global_id, encode_global_id
from graph.types.billing import NODE_TYPES
from persistence.config import Config
from persistence.enums import (
    InvoiceStatus,
    PaymentMethodKind,
    PaymentStatus,
    PriceRule,
    StoredMethodKind,
)
from persistence.models import Account, Client
from tests.billing_factories import (
    add_charge,
    add_credit,
    add_hold,
    add_invoice_line,
    add_payment,
    add_payment_method,
    add_payment_request,
    add_recurring_invoice,
    add_recurring_line,
    add_refund,
    apply_payment,
    moment,
)
from tests.factories import (
    add_account,
    add_address,
    add_client,
    add_invoice,
    add_staff_user,
)
from tests.graph.conftest import GraphClient

PAGED = ", $first: Int, $after: String"


def billing_query(selection: str, variables: str = PAGED) -> str:
    """A query of one client's billing section, by the client's ID."""
    return f"""
query Billing($id: ID!{variables}) {{
  client(id: $id) {{ billing {{ {selection} }} }}
}}
"""


HOLD = billing_query("onHold { reason since rule placedBy { name } }", "")

ACTIVITY = billing_query(
    """
activity(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes {
    kind occurredAt summary amount { amount currency }
    invoice { number }
    credit { reason invoiceNumber createdAt amount { minorUnits } }
    payment {
      method status reference failureReason receivedAt amount { minorUnits }
      appliedTo { invoiceNumber amount { minorUnits } }
    }
    refund { reason createdAt amount { minorUnits } payment { reference } }
  }
}
"""
)

INVOICES = billing_query(
    """
invoices(first: $first, after: $after, status: $status) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes {
    id number status issuedOn dueOn memo sentAt paidAt voidedAt voidReason createdAt
    subtotal { minorUnits } tax { minorUnits } total { minorUnits }
    amountPaid { amount } amountDue { amount }
    serviceAddress { line1 }
    lines {
      description quantity unitPrice { amount } amount { amount } isTaxable
      priceProvenance { rule detail }
    }
  }
}
""",
    PAGED + ", $status: [InvoiceStatus!]",
)

RECURRING = billing_query(
    """
recurringInvoices(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes {
    id name interval intervalCount startsOn endsOn nextRunOn paymentTermsDays
    isActive createdAt totalPerRun { amount }
    lines { description quantity unitPrice { amount } amount { amount } isTaxable }
  }
}
"""
)

CHARGES = billing_query(
    """
charges(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes {
    id description quantity unitPrice { amount } amount { amount } isTaxable
    createdAt priceProvenance { rule detail } serviceAddress { line1 }
  }
}
"""
)

SECTION = """
query Section($id: ID!, $first: Int, $after: String) {
  client(id: $id) { %s }
}
"""

PAYMENT_REQUESTS = (
    SECTION
    % """
paymentRequests(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes {
    id amount { amount } channel sentTo sentAt ledToPayment
    sentBy { name } invoice { number status } payment { amount { amount } }
  }
}
"""
)

PAYMENT_METHODS = (
    SECTION
    % """
paymentMethods(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes {
    id kind brand bankName holderName lastFour expMonth expYear isDefault createdAt
  }
}
"""
)

EVERYTHING = """
query Everything($id: ID!) {
  client(id: $id) {
    billing {
      balance { amount } outstanding { amount } overdue { amount }
      onHold { reason since rule placedBy { name } }
      activity(first: 100) {
        nodes {
          kind summary
          invoice { number amountDue { amount } }
          credit { invoiceNumber }
          payment { appliedTo { invoiceNumber } }
          refund { payment { method } }
        }
      }
      invoices(first: 100) {
        nodes {
          number amountPaid { amount } amountDue { amount }
          serviceAddress { line1 } lines { description priceProvenance { rule } }
        }
      }
      recurringInvoices(first: 100) { nodes { name lines { amount { amount } } } }
      charges(first: 100) { nodes { description serviceAddress { line1 } } }
    }
    paymentRequests(first: 100) {
      nodes { sentBy { name } invoice { number } payment { status } }
    }
    paymentMethods(first: 100) { nodes { lastFour } }
  }
}
"""


def global_id_of(client: Client) -> str:
    return encode_global_id("Client", client.public_id)


async def billing_of(
    graph: GraphClient, query: str, client: Client, **values: Any
) -> Any:
    data = await graph.data(query, id=global_id_of(client), **values)
    return data["client"]["billing"]


def summaries(activity: dict[str, Any]) -> list[str]:
    return [node["summary"] for node in activity["nodes"]]


@asynccontextmanager
async def graph_as(engine: AsyncEngine, viewer: Viewer) -> AsyncIterator[GraphClient]:
    """A graph client signed in as ``viewer`` instead of the all-powerful staff user."""

    async def authenticate(request: Request) -> Viewer:
        return viewer

    app = create_app(Config.from_environment(), authenticate, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield GraphClient(http, engine)


async def test_on_hold_says_why_since_when_by_which_rule_and_who(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    held = await add_client(session, account)
    staff = await add_staff_user(session, account, name="Dana Office")
    await add_hold(
        session,
        held,
        reason="Released hold",
        rule="manual",
        placed_at=moment(2),
        released_at=moment(3),
    )
    await add_hold(
        session,
        held,
        reason="Check bounced",
        rule="manual",
        placed_at=moment(4),
        placed_by_id=staff.id,
    )
    free = await add_client(session, account)
    await session.commit()

    hold = (await billing_of(graph, HOLD, held))["onHold"]
    no_hold = (await billing_of(graph, HOLD, free))["onHold"]

    assert hold == {
        "reason": "Check bounced",
        "since": "2026-01-04T09:00:00+00:00",
        "rule": "MANUAL",
        "placedBy": {"name": "Dana Office"},
    }
    assert no_hold is None


async def test_hold_placed_by_a_rule_has_no_staff_member(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    await add_hold(session, client)
    await session.commit()

    hold = (await billing_of(graph, HOLD, client))["onHold"]

    assert hold["rule"] == "FAILED_PAYMENTS"
    assert hold["placedBy"] is None


async def test_activity_merges_the_ledger_newest_first(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    invoice = await add_invoice(
        session, client, number=1042, issued_on=date(2026, 1, 5)
    )
    await add_invoice(session, client, status=InvoiceStatus.DRAFT)
    await add_credit(
        session, client, invoice_id=invoice.id, amount=500, created_at=moment(6)
    )
    check = await add_payment(
        session, client, amount=5_000, reference="1187", received_at=moment(7)
    )
    await apply_payment(session, check, invoice, 5_000)
    await add_payment(
        session,
        client,
        method=PaymentMethodKind.CARD,
        status=PaymentStatus.FAILED,
        failure_reason="Card declined",
        received_at=moment(8),
    )
    await add_refund(session, check, amount=700, created_at=moment(9))
    await add_credit(session, client, reason="Goodwill", created_at=moment(10))
    await session.commit()

    activity = (await billing_of(graph, ACTIVITY, client, first=10))["activity"]

    assert summaries(activity) == [
        "Credit",
        "Refund of payment by check",
        "Failed payment by card",
        "Payment by check",
        "Credit on invoice #1042",
        "Invoice #1042",
    ]
    assert activity["totalCount"] == 6
    kinds = [node["kind"] for node in activity["nodes"]]
    assert kinds == ["CREDIT", "REFUND", "PAYMENT", "PAYMENT", "CREDIT", "INVOICE"]
    for node in activity["nodes"]:
        records = [node[name] for name in ("invoice", "credit", "payment", "refund")]
        assert sum(record is not None for record in records) == 1
    invoice_entry = activity["nodes"][5]
    assert invoice_entry["occurredAt"] == "2026-01-05T12:00:00+00:00"
    assert invoice_entry["amount"] == {"amount": "108.25", "currency": "USD"}
    assert invoice_entry["invoice"] == {"number": 1042}


async def test_activity_shows_each_record_in_full(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    first = await add_invoice(session, client, number=2001)
    second = await add_invoice(session, client, number=2002)
    check = await add_payment(
        session, client, amount=8_000, reference="1190", received_at=moment(7)
    )
    await apply_payment(session, check, second, 3_000)
    await apply_payment(session, check, first, 5_000)
    await add_payment(
        session,
        client,
        method=PaymentMethodKind.ACH,
        status=PaymentStatus.FAILED,
        amount=2_500,
        failure_reason="Insufficient funds",
        received_at=moment(8),
    )
    await add_refund(
        session, check, amount=700, reason="Overpaid", created_at=moment(9)
    )
    await add_credit(
        session,
        client,
        invoice_id=first.id,
        amount=1_200,
        reason="Late delivery",
        created_at=moment(10),
    )
    await session.commit()

    nodes = (await billing_of(graph, ACTIVITY, client, first=10))["activity"]["nodes"]

    credit, refund, failed, payment = (node for node in nodes[:4])
    assert credit["credit"] == {
        "reason": "Late delivery",
        "invoiceNumber": 2001,
        "createdAt": "2026-01-10T09:00:00+00:00",
        "amount": {"minorUnits": 1200},
    }
    assert refund["refund"] == {
        "reason": "Overpaid",
        "createdAt": "2026-01-09T09:00:00+00:00",
        "amount": {"minorUnits": 700},
        "payment": {"reference": "1190"},
    }
    assert failed["payment"] == {
        "method": "ACH",
        "status": "FAILED",
        "reference": None,
        "failureReason": "Insufficient funds",
        "receivedAt": "2026-01-08T09:00:00+00:00",
        "amount": {"minorUnits": 2500},
        "appliedTo": [],
    }
    assert payment["payment"]["appliedTo"] == [
        {"invoiceNumber": 2001, "amount": {"minorUnits": 5000}},
        {"invoiceNumber": 2002, "amount": {"minorUnits": 3000}},
    ]
    assert failed["summary"] == "Failed payment by ACH"


async def test_activity_pages_forward_without_repeating_entries(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    # An invoice and a payment on the same day, around the invoice's noon.
    await add_invoice(session, client, number=3001, issued_on=date(2026, 1, 5))
    for day, hour in [(5, 8), (5, 12), (5, 15), (6, 9)]:
        await add_payment(session, client, received_at=moment(day, hour))
    await session.commit()

    first = (await billing_of(graph, ACTIVITY, client, first=3))["activity"]
    cursor = first["pageInfo"]["endCursor"]
    second = (await billing_of(graph, ACTIVITY, client, first=3, after=cursor))[
        "activity"
    ]

    seen = [node["occurredAt"] for node in first["nodes"] + second["nodes"]]
    assert len(seen) == 5
    assert seen == sorted(seen, reverse=True)
    assert first["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["hasNextPage"] is False
    assert "Invoice #3001" in summaries(first) + summaries(second)


async def test_invoices_show_amounts_lines_provenance_and_address(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    address = await add_address(session, client, line1="200 Quarry Rd")
    invoice = await add_invoice(
        session,
        client,
        number=1042,
        status=InvoiceStatus.PARTIALLY_PAID,
        issued_on=date(2026, 1, 5),
        due_on=date(2026, 2, 4),
        memo="Thanks for your business",
        sent_at=moment(5),
        service_address_id=address.id,
        subtotal=10_000,
        tax=825,
        total=10_825,
    )
    await add_invoice_line(
        session,
        invoice,
        description="20 yd dumpster, 7 days",
        unit_price=8_000,
        amount=8_000,
        price_rule=PriceRule.CLIENT_SPECIAL_PRICING,
        price_detail={"special_price_id": 7},
    )
    await add_invoice_line(
        session,
        invoice,
        description="Overage",
        quantity=Decimal("1.5"),
        unit_price=1_000,
        amount=1_500,
        is_taxable=False,
        price_rule=PriceRule.MANUAL,
        price_detail=None,
    )
    paid = await add_payment(session, client, amount=4_000)
    await apply_payment(session, paid, invoice, 4_000)
    failed = await add_payment(session, client, status=PaymentStatus.FAILED)
    await apply_payment(session, failed, invoice, 5_000)
    await add_credit(session, client, invoice_id=invoice.id, amount=825)
    await session.commit()

    nodes = (await billing_of(graph, INVOICES, client, first=5))["invoices"]["nodes"]

    shown = nodes[0]
    assert decode_global_id(shown["id"]) == ("Invoice", invoice.public_id)
    assert shown["number"] == 1042
    assert shown["status"] == "PARTIALLY_PAID"
    assert (shown["issuedOn"], shown["dueOn"]) == ("2026-01-05", "2026-02-04")
    assert shown["memo"] == "Thanks for your business"
    assert shown["sentAt"] == "2026-01-05T09:00:00+00:00"
    assert (shown["paidAt"], shown["voidedAt"], shown["voidReason"]) == (None,) * 3
    assert shown["createdAt"] is not None
    assert shown["subtotal"] == {"minorUnits": 10000}
    assert shown["tax"] == {"minorUnits": 825}
    assert shown["total"] == {"minorUnits": 10825}
    assert shown["amountPaid"] == {"amount": "40.00"}
    assert shown["amountDue"] == {"amount": "60.00"}
    assert shown["serviceAddress"] == {"line1": "200 Quarry Rd"}
    assert shown["lines"] == [
        {
            "description": "20 yd dumpster, 7 days",
            "quantity": "1.00",
            "unitPrice": {"amount": "80.00"},
            "amount": {"amount": "80.00"},
            "isTaxable": True,
            "priceProvenance": {
                "rule": "CLIENT_SPECIAL_PRICING",
                "detail": {"special_price_id": 7},
            },
        },
        {
            "description": "Overage",
            "quantity": "1.50",
            "unitPrice": {"amount": "10.00"},
            "amount": {"amount": "15.00"},
            "isTaxable": False,
            "priceProvenance": {"rule": "MANUAL", "detail": None},
        },
    ]


async def test_void_invoice_asks_for_nothing_and_says_why(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    await add_invoice(
        session,
        client,
        status=InvoiceStatus.VOID,
        voided_at=moment(6),
        void_reason="Billed twice",
    )
    await session.commit()

    shown = (await billing_of(graph, INVOICES, client, first=5))["invoices"]["nodes"][0]

    assert shown["amountDue"] == {"amount": "0.00"}
    assert shown["voidedAt"] == "2026-01-06T09:00:00+00:00"
    assert shown["voidReason"] == "Billed twice"
    assert shown["serviceAddress"] is None
    assert shown["lines"] == []


async def test_invoices_are_newest_issued_first_and_page_forward(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    for number, day in [(11, 3), (12, 9), (13, 6)]:
        await add_invoice(session, client, number=number, issued_on=date(2026, 1, day))
    await session.commit()

    first = (await billing_of(graph, INVOICES, client, first=2))["invoices"]
    cursor = first["pageInfo"]["endCursor"]
    second = (await billing_of(graph, INVOICES, client, first=2, after=cursor))[
        "invoices"
    ]

    assert [node["number"] for node in first["nodes"]] == [12, 13]
    assert [node["number"] for node in second["nodes"]] == [11]
    assert first["totalCount"] == 3
    assert first["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["hasNextPage"] is False


async def test_invoices_filter_by_status(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    for number, status in [
        (21, InvoiceStatus.DRAFT),
        (22, InvoiceStatus.OPEN),
        (23, InvoiceStatus.OVERDUE),
        (24, InvoiceStatus.PAID),
    ]:
        await add_invoice(session, client, number=number, status=status)
    await session.commit()

    async def numbers(**values: Any) -> list[int]:
        invoices = (await billing_of(graph, INVOICES, client, first=10, **values))[
            "invoices"
        ]
        return sorted(node["number"] for node in invoices["nodes"])

    assert await numbers() == [21, 22, 23, 24]
    assert await numbers(status=["OPEN", "OVERDUE"]) == [22, 23]
    assert await numbers(status=["DRAFT"]) == [21]


async def test_client_dashboard_never_lists_draft_invoices(
    engine: AsyncEngine, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    await add_invoice(session, client, number=31, status=InvoiceStatus.DRAFT)
    await add_invoice(session, client, number=32, status=InvoiceStatus.OPEN)
    await session.commit()
    viewer = Viewer(
        account_id=account.id, kind=ViewerKind.DASHBOARD, client_id=client.id
    )

    async with graph_as(engine, viewer) as dashboard:
        everything = await billing_of(dashboard, INVOICES, client, first=10)
        drafts = await billing_of(
            dashboard, INVOICES, client, first=10, status=["DRAFT"]
        )

    assert [node["number"] for node in everything["invoices"]["nodes"]] == [32]
    assert drafts["invoices"]["nodes"] == []


async def test_price_provenance_needs_pricing_read(
    engine: AsyncEngine, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    await add_invoice_line(session, await add_invoice(session, client))
    await session.commit()
    viewer = Viewer(
        account_id=account.id,
        kind=ViewerKind.STAFF,
        permissions=ALL - {Permission.PRICING_READ},
    )

    async with graph_as(engine, viewer) as accountant:
        body = await accountant.execute(INVOICES, id=global_id_of(client), first=1)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["errors"][0]["path"][-1] == "priceProvenance"


async def test_recurring_invoices_show_schedule_lines_and_total_per_run(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    recurring = await add_recurring_invoice(
        session,
        client,
        name="Monthly 30 yd swap",
        interval_count=2,
        ends_on=date(2026, 12, 31),
        payment_terms_days=15,
    )
    await add_recurring_line(session, recurring, unit_price=30_000)
    await add_recurring_line(
        session,
        recurring,
        description="Fuel surcharge",
        quantity=Decimal("2.5"),
        unit_price=333,
        is_taxable=False,
    )
    await session.commit()

    nodes = (await billing_of(graph, RECURRING, client, first=5))["recurringInvoices"][
        "nodes"
    ]

    shown = nodes[0]
    assert decode_global_id(shown["id"]) == ("RecurringInvoice", recurring.public_id)
    assert shown["name"] == "Monthly 30 yd swap"
    assert (shown["interval"], shown["intervalCount"]) == ("MONTHLY", 2)
    assert (shown["startsOn"], shown["endsOn"]) == ("2026-01-01", "2026-12-31")
    assert shown["nextRunOn"] == "2026-02-01"
    assert (shown["paymentTermsDays"], shown["isActive"]) == (15, True)
    assert shown["createdAt"] is not None
    # 2.5 × 3.33 = 8.325, rounded half up to 8.33.
    assert shown["lines"][1] == {
        "description": "Fuel surcharge",
        "quantity": "2.50",
        "unitPrice": {"amount": "3.33"},
        "amount": {"amount": "8.33"},
        "isTaxable": False,
    }
    assert shown["totalPerRun"] == {"amount": "308.33"}


async def test_recurring_invoices_list_active_first_and_page_forward(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    await add_recurring_invoice(
        session, client, name="Stopped", is_active=False, next_run_on=date(2026, 1, 2)
    )
    await add_recurring_invoice(
        session, client, name="Later", next_run_on=date(2026, 3, 1)
    )
    await add_recurring_invoice(
        session, client, name="Sooner", next_run_on=date(2026, 2, 1)
    )
    await session.commit()

    first = (await billing_of(graph, RECURRING, client, first=2))["recurringInvoices"]
    cursor = first["pageInfo"]["endCursor"]
    second = (await billing_of(graph, RECURRING, client, first=2, after=cursor))[
        "recurringInvoices"
    ]

    assert [node["name"] for node in first["nodes"]] == ["Sooner", "Later"]
    assert [node["name"] for node in second["nodes"]] == ["Stopped"]
    assert first["totalCount"] == 3


async def test_charges_list_only_uninvoiced_ones_newest_first(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    address = await add_address(session, client, line1="9 Gravel Way")
    invoice = await add_invoice(session, client)
    await add_charge(session, client, description="Billed", invoice_id=invoice.id)
    await add_charge(session, client, description="Older", created_at=moment(3))
    newest = await add_charge(
        session,
        client,
        description="Overage, 1.5 tons",
        created_at=moment(8),
        service_address_id=address.id,
    )
    await session.commit()

    first = (await billing_of(graph, CHARGES, client, first=1))["charges"]
    cursor = first["pageInfo"]["endCursor"]
    second = (await billing_of(graph, CHARGES, client, first=1, after=cursor))[
        "charges"
    ]

    assert first["totalCount"] == 2
    assert first["nodes"] == [
        {
            "id": encode_global_id("Charge", newest.public_id),
            "description": "Overage, 1.5 tons",
            "quantity": "1.50",
            "unitPrice": {"amount": "95.00"},
            "amount": {"amount": "142.50"},
            "isTaxable": True,
            "createdAt": "2026-01-08T09:00:00+00:00",
            "priceProvenance": {
                "rule": "CLIENT_SPECIAL_PRICING",
                "detail": {"overage_per_ton": 9500},
            },
            "serviceAddress": {"line1": "9 Gravel Way"},
        }
    ]
    assert [node["description"] for node in second["nodes"]] == ["Older"]
    assert second["pageInfo"]["hasNextPage"] is False


async def test_payment_requests_keep_the_audit_trail_newest_first(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    staff = await add_staff_user(session, account, name="Sam Billing")
    invoice = await add_invoice(session, client, number=4001, status=InvoiceStatus.PAID)
    payment = await add_payment(session, client, amount=10_825)
    await add_payment_request(
        session, invoice, sent_at=moment(3), channel="text", sent_to="+13035550100"
    )
    answered = await add_payment_request(
        session, invoice, sent_at=moment(5), sent_by_id=staff.id, payment_id=payment.id
    )
    await session.commit()

    data = await graph.data(PAYMENT_REQUESTS, id=global_id_of(client), first=1)
    first = data["client"]["paymentRequests"]
    cursor = first["pageInfo"]["endCursor"]
    data = await graph.data(
        PAYMENT_REQUESTS, id=global_id_of(client), first=1, after=cursor
    )
    second = data["client"]["paymentRequests"]

    assert first["totalCount"] == 2
    assert first["nodes"] == [
        {
            "id": encode_global_id("PaymentRequest", answered.public_id),
            "amount": {"amount": "108.25"},
            "channel": "EMAIL",
            "sentTo": "billing@example.com",
            "sentAt": "2026-01-05T09:00:00+00:00",
            "ledToPayment": True,
            "sentBy": {"name": "Sam Billing"},
            "invoice": {"number": 4001, "status": "PAID"},
            "payment": {"amount": {"amount": "108.25"}},
        }
    ]
    assert second["nodes"][0]["channel"] == "TEXT"
    assert second["nodes"][0]["ledToPayment"] is False
    assert second["nodes"][0]["sentBy"] is None
    assert second["nodes"][0]["payment"] is None


async def test_payment_methods_default_first_without_removed_ones(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    account.has_payments_addon = True
    client = await add_client(session, account)
    await add_payment_method(session, client, last_four="1111", created_at=moment(9))
    default = await add_payment_method(
        session,
        client,
        kind=StoredMethodKind.ACH,
        brand=None,
        bank_name="First Western",
        holder_name="Ridgeline Builders",
        last_four="6789",
        exp_month=None,
        exp_year=None,
        is_default=True,
        created_at=moment(2),
    )
    await add_payment_method(session, client, last_four="0000", removed_at=moment(4))
    await session.commit()

    data = await graph.data(PAYMENT_METHODS, id=global_id_of(client), first=1)
    first = data["client"]["paymentMethods"]
    cursor = first["pageInfo"]["endCursor"]
    data = await graph.data(
        PAYMENT_METHODS, id=global_id_of(client), first=1, after=cursor
    )
    second = data["client"]["paymentMethods"]

    assert first["totalCount"] == 2
    assert first["nodes"] == [
        {
            "id": encode_global_id("PaymentMethod", default.public_id),
            "kind": "ACH",
            "brand": None,
            "bankName": "First Western",
            "holderName": "Ridgeline Builders",
            "lastFour": "6789",
            "expMonth": None,
            "expYear": None,
            "isDefault": True,
            "createdAt": "2026-01-02T09:00:00+00:00",
        }
    ]
    assert [node["lastFour"] for node in second["nodes"]] == ["1111"]
    assert second["nodes"][0]["brand"] == "Visa"
    assert (second["nodes"][0]["expMonth"], second["nodes"][0]["expYear"]) == (
        12,
        2030,
    )
    assert second["pageInfo"]["hasNextPage"] is False


async def test_payment_methods_are_empty_without_the_payments_add_on(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    await add_payment_method(session, client)
    await session.commit()

    data = await graph.data(PAYMENT_METHODS, id=global_id_of(client), first=5)
    invalid = await graph.execute(PAYMENT_METHODS, id=global_id_of(client))

    assert data["client"]["paymentMethods"] == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "nodes": [],
    }
    assert invalid["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_rows_of_another_account_never_appear(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    account.has_payments_addon = True
    client = await add_client(session, account)
    other = await add_account(session)
    # Rows that name our client but belong to another account: a tenant leak
    # would show them, whatever the client id says.
    foreign = {"account_id": other.id}
    invoice = await add_invoice(session, client, **foreign)
    await add_invoice_line(session, invoice, **foreign)
    await add_payment(session, client, **foreign)
    await add_charge(session, client, **foreign)
    await add_recurring_invoice(session, client, **foreign)
    await add_payment_request(session, invoice, **foreign)
    await add_payment_method(session, client, **foreign)
    await add_hold(session, client, **foreign)
    await session.commit()

    billing = (await graph.data(EVERYTHING, id=global_id_of(client)))["client"]

    assert billing["billing"]["onHold"] is None
    assert billing["billing"]["activity"]["nodes"] == []
    assert billing["billing"]["invoices"]["nodes"] == []
    assert billing["billing"]["recurringInvoices"]["nodes"] == []
    assert billing["billing"]["charges"]["nodes"] == []
    assert billing["paymentRequests"]["nodes"] == []
    assert billing["paymentMethods"]["nodes"] == []


async def add_ledger(
    session: AsyncSession, account: Account, client: Client, size: int
) -> None:
    """``size`` records in every list of the billing section, fully linked."""
    staff = await add_staff_user(session, account)
    address = await add_address(session, client)
    await add_hold(session, client, placed_by_id=staff.id)
    for number in range(size):
        invoice = await add_invoice(session, client, service_address_id=address.id)
        await add_invoice_line(session, invoice)
        payment = await add_payment(
            session, client, received_at=moment(number % 28 + 1)
        )
        await apply_payment(session, payment, invoice, 1_000)
        await add_credit(session, client, invoice_id=invoice.id)
        await add_refund(session, payment)
        await add_charge(session, client, service_address_id=address.id)
        recurring = await add_recurring_invoice(session, client)
        await add_recurring_line(session, recurring)
        await add_payment_request(
            session, invoice, sent_by_id=staff.id, payment_id=payment.id
        )
        await add_payment_method(session, client, is_default=number == 0)


async def test_statements_do_not_grow_with_the_number_of_records(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    account.has_payments_addon = True
    small = await add_client(session, account)
    await add_ledger(session, account, small, size=1)
    large = await add_client(session, account)
    await add_ledger(session, account, large, size=30)
    await session.commit()

    await graph.data(EVERYTHING, id=global_id_of(small))
    small_count = len(graph.statements)
    data = await graph.data(EVERYTHING, id=global_id_of(large))
    large_count = len(graph.statements)

    assert len(data["client"]["billing"]["activity"]["nodes"]) == 100
    assert len(data["client"]["paymentMethods"]["nodes"]) == 30
    assert small_count == large_count


async def test_node_types_build_their_objects_from_rows(
    session: AsyncSession, account: Account
) -> None:
    account.has_payments_addon = True
    client = await add_client(session, account)
    await add_ledger(session, account, client, size=1)
    await session.commit()

    built = {}
    for type_name, (table, from_row) in NODE_TYPES.items():
        row = (await session.execute(select(table))).first()
        built[type_name] = from_row(row).id

    for type_name, global_id in built.items():
        assert decode_global_id(global_id)[0] == type_name
    assert set(built) == {
        "Invoice",
        "Payment",
        "Credit",
        "Refund",
        "Charge",
        "RecurringInvoice",
        "PaymentRequest",
        "PaymentMethod",
    }
