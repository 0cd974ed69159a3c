"""One record of the signed-in client, by ID: what the dashboard's detail
pages open.

The lookups answer only the viewer's own client's records, and only those a
client sees in its lists (sent estimates while the account shares them;
invoices that are not drafts; sent documents): anything else is NOT_FOUND,
exactly like an ID that never existed.
"""

from typing import Any

from graph.context import Info
from graph.errors import NotFound
from graph.ids import InvalidGlobalId, decode_global_id
from graph.loaders import row_loader
from graph.types.billing.ledger import Invoice
from graph.types.estimates import Estimate
from graph.types.records import Document
from graph.types.settings import client_setting_value
from persistence import enums
from persistence.queries import billing as billing_queries
from persistence.queries import records as records_queries
from persistence.queries import work as work_queries


async def own_row(info: Info, global_id: str, type_name: str, table: Any) -> Any:
    """The row behind ``global_id`` if it is the viewer's client's, else None."""
    try:
        found_type, public_id = decode_global_id(global_id)
    except InvalidGlobalId:
        return None
    if found_type != type_name:
        return None
    row = await row_loader(info.context, table, "public_id").load(public_id)
    viewer = info.context.signed_in_viewer
    if row is None or row.client_id != viewer.client_id:
        return None
    return row


async def own_estimate(info: Info, id: str) -> Estimate:
    row = await own_row(info, id, "Estimate", work_queries.estimates)
    # As in the client's list: sent estimates, while the account shares them.
    if row is None or row.sent_at is None:
        raise NotFound("estimate")
    if not await client_setting_value(info, row.client_id, "estimate_sharing"):
        raise NotFound("estimate")
    return Estimate.from_row(row)


async def own_invoice(info: Info, id: str) -> Invoice:
    row = await own_row(info, id, "Invoice", billing_queries.invoices)
    # A draft is not a bill until it is issued.
    if row is None or row.status == enums.InvoiceStatus.DRAFT:
        raise NotFound("invoice")
    return Invoice.from_row(row)


async def own_document(info: Info, id: str) -> Document:
    row = await own_row(info, id, "Document", records_queries.documents)
    # As in the client's list: what was sent; drafts are the business's own.
    if row is None or row.sent_at is None:
        raise NotFound("document")
    return Document.from_row(row)
