"""Invoice mutations over GraphQL: charges, drafts, issue, send and void."""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL, Permission
from persistence.enums import InvoiceStatus, NotificationEvent
from persistence.models import (
    Account,
    ActivityRecord,
    NotificationLogEntry,
)
from tests.billing_factories import (
    add_charge,
    add_credit,
    add_hold,
    add_payment,
    apply_payment,
)
from tests.factories import add_account, add_address, add_client, add_invoice
from tests.graph.conftest import GraphClient
from tests.graph.invoicing_client import gid, graph_as, snapshot
from tests.invoicing_helpers import NOW as NOW_UTC
from tests.invoicing_helpers import TODAY, ledger_balance

ERRORS = "userErrors { field code message }"
INVOICE = f"""
  invoice {{
    id number status issuedOn dueOn memo sentAt voidReason
    subtotal {{ minorUnits }} tax {{ minorUnits }} total {{ minorUnits }}
    lines {{ description quantity amount {{ minorUnits }} }}
  }}
  {ERRORS}
"""
ADD_CHARGE = f"""
mutation($input: AddChargeInput!) {{
  addCharge(input: $input) {{
    charge {{ id description quantity amount {{ minorUnits }}
      priceProvenance {{ rule }} serviceAddress {{ line1 }} }}
    {ERRORS}
  }}
}}
"""
REMOVE_CHARGE = f"""
mutation($input: RecordInput!) {{
  removeCharge(input: $input) {{ removedChargeId {ERRORS} }}
}}
"""
CREATE = f"""
mutation($input: CreateInvoiceInput!) {{ createInvoice(input: $input) {{ {INVOICE} }} }}
"""
UPDATE = f"""
mutation($input: UpdateInvoiceInput!) {{ updateInvoice(input: $input) {{ {INVOICE} }} }}
"""
ISSUE = f"""
mutation($input: RecordInput!) {{ issueInvoice(input: $input) {{ {INVOICE} }} }}
"""
SEND = f"""
mutation($input: RecordInput!) {{
  sendInvoice(input: $input) {{ isClientOnHold {INVOICE} }}
}}
"""
VOID = f"""
mutation($input: VoidInvoiceInput!) {{ voidInvoice(input: $input) {{ {INVOICE} }} }}
"""
BALANCE = """
query($id: ID!) {
  client(id: $id) {
    billing { balance { minorUnits } charges(first: 10) { nodes { id } } }
  }
}
"""
LINE = {"description": "Mattress disposal", "unitPrice": 5_000}


@pytest.fixture
async def staff_graph(engine: AsyncEngine, account: Account) -> Any:
    viewer = Viewer(account_id=account.id, kind=ViewerKind.STAFF, permissions=ALL)
    async with graph_as(engine, viewer) as graph:
        yield graph


async def payload(graph: GraphClient, query: str, **values: Any) -> dict[str, Any]:
    data = await graph.data(query, input=values)
    return next(iter(data.values()))


def codes(result: dict[str, Any]) -> list[tuple[str, list[str] | None]]:
    return [(error["code"], error["field"]) for error in result["userErrors"]]


async def test_add_charge_records_a_manual_charge(
    staff_graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    address = await add_address(session, client, line1="9 Quarry Rd")
    await session.commit()

    result = await payload(
        staff_graph,
        ADD_CHARGE,
        clientId=gid("Client", client),
        description="Tires (4)",
        quantity="4",
        unitPrice=1_250,
        serviceAddressId=gid("Address", address),
    )

    assert result["userErrors"] == []
    assert result["charge"]["amount"] == {"minorUnits": 5_000}
    assert result["charge"]["quantity"] == "4.00"
    assert result["charge"]["priceProvenance"] == {"rule": "MANUAL"}
    assert result["charge"]["serviceAddress"] == {"line1": "9 Quarry Rd"}
    action = await session.scalar(select(ActivityRecord.action))
    assert action == "charge.added"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"quantity": "-1"}, [("INVALID_QUANTITY", ["input", "quantity"])]),
        ({"quantity": "lots"}, [("INVALID_QUANTITY", ["input", "quantity"])]),
        ({"description": ""}, [("DESCRIPTION_REQUIRED", ["input", "description"])]),
        ({"unitPrice": -200_000_000}, [("INVALID_AMOUNT", ["input", "unitPrice"])]),
        ({"clientId": "bm9wZQ"}, [("CLIENT_NOT_FOUND", ["input", "clientId"])]),
        (
            {"serviceAddressId": "bm9wZQ"},
            [("ADDRESS_NOT_FOUND", ["input", "serviceAddressId"])],
        ),
    ],
)
async def test_add_charge_refuses_bad_input(
    staff_graph: GraphClient,
    session: AsyncSession,
    account: Account,
    values: dict[str, Any],
    expected: list[tuple[str, list[str]]],
) -> None:
    client = await add_client(session, account)
    await session.commit()
    before = await snapshot(session, account)

    result = await payload(
        staff_graph,
        ADD_CHARGE,
        **({"clientId": gid("Client", client), **LINE} | values),
    )

    assert result["charge"] is None
    assert codes(result) == expected
    assert await snapshot(session, account) == before


async def test_clients_of_other_accounts_and_archived_ones_take_no_charges(
    staff_graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    other_account = await add_account(session)
    foreign = await add_client(session, other_account)
    archived = await add_client(session, account, archived_at=NOW_UTC)
    await session.commit()

    elsewhere = await payload(
        staff_graph, ADD_CHARGE, clientId=gid("Client", foreign), **LINE
    )
    gone = await payload(
        staff_graph, ADD_CHARGE, clientId=gid("Client", archived), **LINE
    )

    assert codes(elsewhere) == [("CLIENT_NOT_FOUND", ["input", "clientId"])]
    assert codes(gone) == [("CLIENT_ARCHIVED", ["input", "clientId"])]


async def test_remove_charge_only_while_uninvoiced(
    staff_graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    loose = await add_charge(session, client)
    invoice = await add_invoice(session, client)
    billed = await add_charge(session, client, invoice_id=invoice.id)
    await session.commit()

    removed = await payload(staff_graph, REMOVE_CHARGE, id=gid("Charge", loose))
    before = await snapshot(session, account)
    refused = await payload(staff_graph, REMOVE_CHARGE, id=gid("Charge", billed))
    missing = await payload(staff_graph, REMOVE_CHARGE, id=gid("Invoice", invoice))

    assert removed == {"removedChargeId": gid("Charge", loose), "userErrors": []}
    assert codes(refused) == [("CHARGE_ALREADY_INVOICED", ["input", "id"])]
    assert codes(missing) == [("CHARGE_NOT_FOUND", ["input", "id"])]
    assert await snapshot(session, account) == before


async def test_create_invoice_bills_charges_and_lines_with_tax_and_terms(
    staff_graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    account.client_settings = {"tax_rate_bps": 825, "payment_terms_days": 15}
    account.next_invoice_number = 2001
    client = await add_client(session, account)
    await add_charge(session, client)
    await session.commit()

    result = await payload(
        staff_graph,
        CREATE,
        clientId=gid("Client", client),
        lines=[LINE | {"isTaxable": False}],
        memo="PO 77",
    )

    invoice = result["invoice"]
    assert result["userErrors"] == []
    assert (invoice["number"], invoice["status"]) == (2001, "DRAFT")
    assert invoice["issuedOn"] == TODAY.isoformat()
    assert invoice["dueOn"] == (TODAY + timedelta(days=15)).isoformat()
    assert invoice["subtotal"] == {"minorUnits": 14_250 + 5_000}
    assert invoice["tax"] == {"minorUnits": 1_176}
    assert [line["description"] for line in invoice["lines"]] == [
        "Overage, 1.5 tons",
        "Mattress disposal",
    ]
    billing = (await staff_graph.data(BALANCE, id=gid("Client", client)))["client"]
    assert billing["billing"]["charges"]["nodes"] == []
    assert billing["billing"]["balance"] == {"minorUnits": 0}
    actions = list(
        await session.scalars(select(ActivityRecord.action).order_by(ActivityRecord.id))
    )
    assert actions == ["invoice.created"]


async def test_create_invoice_refusals(
    staff_graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    other = await add_client(session, account)
    north, south = (
        await add_address(session, client),
        await add_address(session, client),
    )
    on_invoice = await add_charge(
        session, client, invoice_id=(await add_invoice(session, client)).id
    )
    foreign = await add_charge(session, other)
    await add_charge(session, client, service_address_id=north.id)
    await add_charge(session, client, service_address_id=south.id)
    await session.commit()
    client_id = gid("Client", client)
    before = await snapshot(session, account)

    charges = await payload(
        staff_graph,
        CREATE,
        clientId=client_id,
        chargeIds=[gid("Charge", on_invoice), gid("Charge", foreign), "bm9wZQ"],
    )
    mixed = await payload(staff_graph, CREATE, clientId=client_id)
    nothing = await payload(staff_graph, CREATE, clientId=client_id, chargeIds=[])
    negative = await payload(
        staff_graph,
        CREATE,
        clientId=client_id,
        chargeIds=[],
        lines=[LINE | {"unitPrice": -100}],
    )
    early = await payload(
        staff_graph,
        CREATE,
        clientId=client_id,
        lines=[LINE],
        chargeIds=[],
        dueOn=(TODAY - timedelta(days=1)).isoformat(),
    )

    assert codes(charges) == [
        ("CHARGE_ALREADY_INVOICED", ["input", "chargeIds", "0"]),
        ("CHARGE_OF_OTHER_CLIENT", ["input", "chargeIds", "1"]),
        ("CHARGE_NOT_FOUND", ["input", "chargeIds", "2"]),
    ]
    assert codes(mixed) == [("MIXED_SERVICE_ADDRESSES", ["input", "chargeIds"])]
    assert codes(nothing) == [("NOTHING_TO_INVOICE", None)]
    assert codes(negative) == [("NEGATIVE_TOTAL", ["input", "lines"])]
    assert codes(early) == [("INVALID_DUE_DATE", ["input", "dueOn"])]
    assert await snapshot(session, account) == before


async def test_update_invoice_changes_a_draft_only(
    staff_graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    charge = await add_charge(session, client)
    await session.commit()
    created = await payload(
        staff_graph, CREATE, clientId=gid("Client", client), lines=[LINE]
    )
    invoice_id = created["invoice"]["id"]

    updated = await payload(
        staff_graph,
        UPDATE,
        id=invoice_id,
        chargeIds=[],
        lines=[LINE, LINE | {"quantity": "2"}],
        memo="Second try",
    )
    await payload(staff_graph, ISSUE, id=invoice_id)
    before = await snapshot(session, account)
    issued = await payload(staff_graph, UPDATE, id=invoice_id, memo="Late")
    missing = await payload(staff_graph, UPDATE, id=gid("Charge", charge))

    assert updated["invoice"]["subtotal"] == {"minorUnits": 15_000}
    assert updated["invoice"]["memo"] == "Second try"
    assert codes(issued) == [("NOT_DRAFT", ["input", "id"])]
    assert codes(missing) == [("INVOICE_NOT_FOUND", ["input", "id"])]
    assert await snapshot(session, account) == before
    await session.refresh(charge)
    assert charge.invoice_id is None


async def test_issue_send_and_void_move_the_balance_as_the_ledger_does(
    staff_graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    await add_hold(session, client)
    await session.commit()
    created = await payload(
        staff_graph, CREATE, clientId=gid("Client", client), lines=[LINE]
    )
    invoice_id = created["invoice"]["id"]
    balances = []

    async def balance() -> int:
        data = await staff_graph.data(BALANCE, id=gid("Client", client))
        shown = data["client"]["billing"]["balance"]["minorUnits"]
        assert shown == await ledger_balance(session, client)
        return int(shown)

    balances.append(await balance())
    issued = await payload(staff_graph, ISSUE, id=invoice_id)
    balances.append(await balance())
    sent = await payload(staff_graph, SEND, id=invoice_id)
    balances.append(await balance())
    voided = await payload(staff_graph, VOID, id=invoice_id, reason="Duplicate")
    balances.append(await balance())

    assert issued["invoice"]["status"] == "OPEN"
    assert sent["invoice"]["sentAt"] is not None
    assert sent["isClientOnHold"] is True
    assert voided["invoice"]["status"] == "VOID"
    assert voided["invoice"]["voidReason"] == "Duplicate"
    assert balances == [0, 5_000, 5_000, 0]
    entry = await session.scalar(select(NotificationLogEntry))
    assert entry is not None
    assert entry.event == NotificationEvent.INVOICE_SENT
    actions = list(
        await session.scalars(select(ActivityRecord.action).order_by(ActivityRecord.id))
    )
    assert actions == [
        "invoice.created",
        "invoice.issued",
        "invoice.sent",
        "invoice.voided",
    ]


async def test_send_issues_a_draft_on_the_way(
    staff_graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    await session.commit()
    created = await payload(
        staff_graph, CREATE, clientId=gid("Client", client), lines=[LINE]
    )

    sent = await payload(staff_graph, SEND, id=created["invoice"]["id"])
    again = await payload(staff_graph, ISSUE, id=created["invoice"]["id"])

    assert sent["invoice"]["status"] == "OPEN"
    assert sent["isClientOnHold"] is False
    assert codes(again) == [("NOT_DRAFT", ["input", "id"])]


async def test_void_refusals(
    staff_graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    paid = await add_invoice(session, client)
    await apply_payment(session, await add_payment(session, client), paid, 1_000)
    credited = await add_invoice(session, client)
    await add_credit(session, client, invoice_id=credited.id)
    void = await add_invoice(session, client, status=InvoiceStatus.VOID)
    await session.commit()
    before = await snapshot(session, account)

    with_payment = await payload(staff_graph, VOID, id=gid("Invoice", paid), reason="")
    with_credit = await payload(
        staff_graph, VOID, id=gid("Invoice", credited), reason="x"
    )
    twice = await payload(staff_graph, VOID, id=gid("Invoice", void), reason="x")
    send_void = await payload(staff_graph, SEND, id=gid("Invoice", void))

    assert codes(with_payment) == [
        ("REASON_REQUIRED", ["input", "reason"]),
        ("HAS_PAYMENTS", ["input", "id"]),
    ]
    assert codes(with_credit) == [("HAS_CREDITS", ["input", "id"])]
    assert codes(twice) == [("ALREADY_VOID", ["input", "id"])]
    assert codes(send_void) == [("ALREADY_VOID", ["input", "id"])]
    assert await snapshot(session, account) == before


async def test_invoices_of_other_accounts_are_not_found(
    staff_graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    other = await add_client(session, await add_account(session))
    foreign = await add_invoice(session, other, status=InvoiceStatus.DRAFT)
    await session.commit()
    before = await snapshot(session, account)

    results = [
        await payload(staff_graph, query, **values)
        for query, values in [
            (UPDATE, {"id": gid("Invoice", foreign), "memo": "x"}),
            (ISSUE, {"id": gid("Invoice", foreign)}),
            (SEND, {"id": gid("Invoice", foreign)}),
            (VOID, {"id": gid("Invoice", foreign), "reason": "x"}),
        ]
    ]

    for result in results:
        assert codes(result) == [("INVOICE_NOT_FOUND", ["input", "id"])]
    assert await snapshot(session, account) == before


async def test_issuing_for_an_archived_client_is_refused(
    staff_graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    draft = await add_invoice(session, client, status=InvoiceStatus.DRAFT)
    client.archived_at = NOW_UTC
    await session.commit()

    result = await payload(staff_graph, ISSUE, id=gid("Invoice", draft))

    assert codes(result) == [("CLIENT_ARCHIVED", ["input", "id"])]


MUTATIONS = {
    "addCharge": 'addCharge(input: {clientId: "x", description: "x", unitPrice: 1})',
    "removeCharge": 'removeCharge(input: {id: "x"})',
    "createInvoice": 'createInvoice(input: {clientId: "x"})',
    "updateInvoice": 'updateInvoice(input: {id: "x"})',
    "issueInvoice": 'issueInvoice(input: {id: "x"})',
    "sendInvoice": 'sendInvoice(input: {id: "x"})',
    "voidInvoice": 'voidInvoice(input: {id: "x", reason: "x"})',
    "createRecurringInvoice": 'createRecurringInvoice(input: {clientId: "x", '
    'name: "x", interval: MONTHLY, startsOn: "2030-01-01", lines: []})',
    "updateRecurringInvoice": 'updateRecurringInvoice(input: {id: "x"})',
    "pauseRecurringInvoice": 'pauseRecurringInvoice(input: {id: "x"})',
    "resumeRecurringInvoice": 'resumeRecurringInvoice(input: {id: "x"})',
    "endRecurringInvoice": 'endRecurringInvoice(input: {id: "x"})',
}


@pytest.mark.parametrize("name", list(MUTATIONS))
async def test_every_invoicing_mutation_needs_billing_write(
    engine: AsyncEngine, session: AsyncSession, account: Account, name: str
) -> None:
    reader = Viewer(
        account_id=account.id,
        kind=ViewerKind.STAFF,
        permissions=ALL - {Permission.BILLING_WRITE},
    )
    before = await snapshot(session, account)

    async with graph_as(engine, reader) as graph:
        body = await graph.execute(
            f"mutation {{ {MUTATIONS[name]} {{ userErrors {{ code }} }} }}"
        )

    assert body["data"] == {name: None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await snapshot(session, account) == before
