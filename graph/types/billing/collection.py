"""Payment requests and payment methods on file."""

from datetime import datetime
from typing import Annotated, Any, Self

import strawberry

from graph.context import Info
from graph.loaders import Reference
from graph.nodes import Node
from graph.types.billing.common import (
    global_id,
    load_record,
    on_file,
    staff_visible,
)
from graph.types.billing.ledger import (
    Invoice,
    Payment,
)
from graph.types.scalars import Money
from graph.types.staff import StaffMember
from persistence.enums import (
    Channel,
    InvoiceStatus,
    StoredMethodKind,
)
from persistence.queries import billing as queries


@strawberry.type(
    description="A request to pay an open invoice, kept after payment as an audit "
    "trail."
)
class PaymentRequest(Node):
    sent_by_id: strawberry.Private[int | None]
    invoice_id: strawberry.Private[int]
    payment_id: strawberry.Private[int | None]
    id: strawberry.ID = staff_visible("Global ID of the payment request.")
    amount: Money = staff_visible("The amount requested.")
    channel: Channel = staff_visible("How it was sent.")
    sent_to: str = staff_visible("The email address or phone number it went to.")
    sent_at: datetime = staff_visible("When it was sent.")
    led_to_payment: bool = staff_visible("Whether the client paid through it.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            sent_by_id=row.sent_by_id,
            invoice_id=row.invoice_id,
            payment_id=row.payment_id,
            id=global_id("PaymentRequest", row),
            amount=Money.of(row.amount, row.currency),
            channel=Channel(row.channel),
            sent_to=row.sent_to,
            sent_at=row.sent_at,
            led_to_payment=row.payment_id is not None,
        )

    @staff_visible(
        "Who sent it; null when it went automatically.", graphql_type=StaffMember | None
    )
    def sent_by(self, info: Info) -> Reference[StaffMember]:
        return StaffMember.load(info, self.sent_by_id)

    @staff_visible("The invoice it asks to be paid.")
    async def invoice(self, info: Info) -> Invoice | None:
        return await load_record(
            info, queries.invoices, self.invoice_id, Invoice.from_row
        )

    @staff_visible("The payment it led to; null until paid through it.")
    async def payment(self, info: Info) -> Payment | None:
        return await load_record(
            info, queries.payments, self.payment_id, Payment.from_row
        )


@strawberry.type(
    description="A card or bank account on file. The processor holds the number; "
    "only the brand or bank and the last four digits are kept."
)
class PaymentMethod(Node):
    id: strawberry.ID = on_file("Global ID of the payment method.")
    kind: StoredMethodKind = on_file("CARD or ACH.")
    brand: str | None = on_file('The card brand, e.g. "Visa"; null for ACH.')
    bank_name: str | None = on_file("The bank, for ACH; null for cards.")
    holder_name: str | None = on_file("The name on the card or account.")
    last_four: str = on_file("The last four digits of the number.")
    exp_month: int | None = on_file("Expiry month (1–12), cards only.")
    exp_year: int | None = on_file("Expiry year, four digits, cards only.")
    is_default: bool = on_file("The method payments use unless another is chosen.")
    created_at: datetime = on_file("When it was added.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            id=global_id("PaymentMethod", row),
            kind=StoredMethodKind(row.kind),
            brand=row.brand,
            bank_name=row.bank_name,
            holder_name=row.holder_name,
            last_four=row.last_four,
            exp_month=row.exp_month,
            exp_year=row.exp_year,
            is_default=row.is_default,
            created_at=row.created_at,
        )


InvoiceStatuses = Annotated[
    list[InvoiceStatus] | None,
    strawberry.argument(description="Only invoices in one of these statuses."),
]
