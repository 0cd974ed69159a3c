"""The billing section of the profile: balance, hold, invoices, the activity
feed of the ledger, recurring invoices, charges, payment requests and methods."""

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Annotated, Any, Self, TypeVar, cast

import strawberry
from sqlalchemy import FromClause, Table
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from domain import billing as rules
from domain.identity.viewer import ViewerKind
from domain.permissions import Permission
from graph.connections import After, Before, First, Last, load_connection
from graph.context import Info
from graph.fields import EVERYONE, field
from graph.ids import encode_global_id
from graph.loaders import grouped_loader, row_loader
from graph.nodes import Node
from graph.pagination import Connection, build_connection, page_request
from graph.permissions import BILLING_READ, PAYMENT_METHODS_READ, PRICING_READ
from graph.types.people import Address
from graph.types.scalars import Money
from graph.types.staff import StaffMember
from graph.types.tasks import PriceProvenance, decimal_string, load_address
from persistence.enums import (
    Channel,
    HoldRule,
    InvoiceStatus,
    PaymentMethodKind,
    PaymentStatus,
    RecurrenceInterval,
    StoredMethodKind,
)
from persistence.models import Account
from persistence.queries import billing as queries
from persistence.queries.billing import BillingActivityKind, InvoiceSettlement
from persistence.queries.ledger import EMPTY_SUMMARY, BillingSummary, billing_summaries
from persistence.queries.pages import Page
from persistence.queries.relations import Relation

Record = TypeVar("Record")

accounts = Account.__table__

# The stored vocabularies become GraphQL enums: strawberry marks the classes
# themselves, so fields are annotated with them directly.
strawberry.enum(
    InvoiceStatus,
    description="Where an invoice stands: DRAFT, OPEN (sent, not yet due), OVERDUE, "
    "PARTIALLY_PAID, PAID or VOID.",
)
strawberry.enum(PaymentMethodKind, description="How a payment was made.")
strawberry.enum(
    PaymentStatus,
    description="SUCCEEDED, or FAILED (failed payments in a row may place a hold).",
)
strawberry.enum(
    StoredMethodKind, description="A method on file: a CARD or a bank account (ACH)."
)
strawberry.enum(
    RecurrenceInterval, description="The unit of a recurring invoice's period."
)
strawberry.enum(
    HoldRule, description="Who placed a hold: staff (MANUAL) or an automatic rule."
)
strawberry.enum(
    BillingActivityKind, description="What an entry of the billing feed is."
)

CLIENT_VIEWERS = frozenset({ViewerKind.DASHBOARD, ViewerKind.STAFF_PREVIEW})


def client_visible(description: str, permission: Permission = BILLING_READ) -> Any:
    """A field the client's own dashboard shows as well as staff and partners."""
    return field(description=description, permission=permission, audiences=EVERYONE)


def staff_visible(description: str, permission: Permission = BILLING_READ) -> Any:
    """A field for staff and partners only."""
    return field(description=description, permission=permission)


def on_file(description: str) -> Any:
    """A field of a payment method on file, shown to the client too."""
    return client_visible(description, PAYMENT_METHODS_READ)


def global_id(type_name: str, row: Any) -> strawberry.ID:
    return strawberry.ID(encode_global_id(type_name, row.public_id))


async def load_row(info: Info, table: FromClause, row_id: int | None) -> Any:
    """The row of ``table`` with this id in the viewer's account, batched."""
    if row_id is None:
        return None
    return await row_loader(info.context, table, "id").load(row_id)


async def load_record(
    info: Info,
    table: FromClause,
    row_id: int | None,
    from_row: Callable[[Any], Record],
) -> Record | None:
    row = await load_row(info, table, row_id)
    return from_row(row) if row is not None else None


@strawberry.type(description="An account hold: new work waits while it is in force.")
class Hold:
    placed_by_id: strawberry.Private[int | None]
    reason: str = client_visible("Why the client is on hold.")
    since: datetime = client_visible("When the hold was placed.")
    rule: HoldRule = client_visible("MANUAL, or the automatic rule that placed it.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            placed_by_id=row.placed_by_id,
            reason=row.reason,
            since=row.placed_at,
            rule=HoldRule(row.rule),
        )

    @staff_visible("The staff member who placed it; null when a rule did.")
    async def placed_by(self, info: Info) -> StaffMember | None:
        return await StaffMember.load(info, self.placed_by_id)


@strawberry.type(description="A line of an invoice.")
class InvoiceLine:
    description: str = client_visible("What was billed.")
    quantity: str = client_visible('The quantity as a decimal string, e.g. "1.50".')
    unit_price: Money = client_visible("The price of one unit.")
    amount: Money = client_visible("Quantity × unit price, as billed.")
    is_taxable: bool = client_visible("Sales tax applies to this line.")
    price_provenance: PriceProvenance = staff_visible(
        "Why the price is what it is: the rule that produced it.", PRICING_READ
    )

    @classmethod
    def from_row(cls, row: Any, currency: str) -> Self:
        return cls(
            description=row.description,
            quantity=decimal_string(row.quantity),
            unit_price=Money.of(row.unit_price, currency),
            amount=Money.of(row.amount, currency),
            is_taxable=row.is_taxable,
            price_provenance=PriceProvenance.from_row(row),
        )


@strawberry.type(
    description="A bill sent to the client. Numbers are sequential per account "
    "and never reused."
)
class Invoice(Node):
    row_id: strawberry.Private[int]
    service_address_id: strawberry.Private[int | None]
    id: strawberry.ID = client_visible("Global ID of the invoice.")
    number: int = client_visible("The invoice number.")
    status: InvoiceStatus = client_visible("Where the invoice stands.")
    issued_on: date = client_visible("The invoice date.")
    due_on: date = client_visible("When payment is due.")
    subtotal: Money = client_visible("The sum of the lines, before tax.")
    tax: Money = client_visible("Sales tax.")
    total: Money = client_visible("Subtotal + tax.")
    memo: str | None = client_visible("A note printed on the invoice.")
    sent_at: datetime | None = client_visible("When it was sent; null if never.")
    paid_at: datetime | None = client_visible("When it was paid in full.")
    voided_at: datetime | None = client_visible("When it was voided.")
    void_reason: str | None = client_visible("Why it was voided.")
    created_at: datetime = client_visible("When it was created.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            row_id=row.id,
            service_address_id=row.service_address_id,
            id=global_id("Invoice", row),
            number=row.number,
            status=InvoiceStatus(row.status),
            issued_on=row.issued_on,
            due_on=row.due_on,
            subtotal=Money.of(row.subtotal, row.currency),
            tax=Money.of(row.tax, row.currency),
            total=Money.of(row.total, row.currency),
            memo=row.memo,
            sent_at=row.sent_at,
            paid_at=row.paid_at,
            voided_at=row.voided_at,
            void_reason=row.void_reason,
            created_at=row.created_at,
        )

    async def settlement(self, info: Info) -> InvoiceSettlement:
        loader = grouped_loader(
            info.context, queries.invoice_settlements, InvoiceSettlement()
        )
        settlement: InvoiceSettlement = await loader.load(self.row_id)
        return settlement

    @client_visible("What succeeded payments have paid against this invoice.")
    async def amount_paid(self, info: Info) -> Money:
        settlement = await self.settlement(info)
        return Money.of(settlement.paid, self.total.currency)

    @client_visible(
        "What the invoice still asks for: total − paid − credited, never below "
        "zero; zero when void."
    )
    async def amount_due(self, info: Info) -> Money:
        settlement = await self.settlement(info)
        due = rules.amount_due(
            self.status, self.total.minor_units, settlement.paid, settlement.credited
        )
        return Money.of(due, self.total.currency)

    @client_visible("The lines, in their printed order.")
    async def lines(self, info: Info) -> list[InvoiceLine]:
        loader = grouped_loader(info.context, queries.lines_of_invoices, [])
        rows: list[Any] = await loader.load(self.row_id)
        return [InvoiceLine.from_row(row, self.total.currency) for row in rows]

    @client_visible("Where the billed work was done; null when not recorded.")
    async def service_address(self, info: Info) -> Address | None:
        return await load_address(info, self.service_address_id)


@strawberry.type(description="The part of a payment applied to one invoice.")
class PaymentApplication:
    invoice_number: int = client_visible("The number of the invoice it paid.")
    amount: Money = client_visible("How much of the payment went to that invoice.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            invoice_number=row.invoice_number,
            amount=Money.of(row.amount, row.currency),
        )


@strawberry.type(description="Money received, or a failed attempt to collect it.")
class Payment(Node):
    row_id: strawberry.Private[int]
    id: strawberry.ID = client_visible("Global ID of the payment.")
    method: PaymentMethodKind = client_visible("Cash, check, card or ACH.")
    status: PaymentStatus = client_visible("Whether the money arrived.")
    amount: Money = client_visible("The amount received or attempted.")
    received_at: datetime = client_visible("When it was received or attempted.")
    reference: str | None = client_visible("Check number or processor reference.")
    failure_reason: str | None = client_visible("Why a failed payment failed.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            row_id=row.id,
            id=global_id("Payment", row),
            method=PaymentMethodKind(row.method),
            status=PaymentStatus(row.status),
            amount=Money.of(row.amount, row.currency),
            received_at=row.received_at,
            reference=row.reference,
            failure_reason=row.failure_reason,
        )

    @client_visible("The invoices it paid and how much each, lowest number first.")
    async def applied_to(self, info: Info) -> list[PaymentApplication]:
        loader = grouped_loader(info.context, queries.applications_of_payments, [])
        rows: list[Any] = await loader.load(self.row_id)
        return [PaymentApplication.from_row(row) for row in rows]


@strawberry.type(description="A credit memo: reduces the balance.")
class Credit(Node):
    invoice_id: strawberry.Private[int | None]
    id: strawberry.ID = client_visible("Global ID of the credit.")
    amount: Money = client_visible("The amount credited.")
    reason: str = client_visible("Why the credit was given.")
    created_at: datetime = client_visible("When it was given.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            invoice_id=row.invoice_id,
            id=global_id("Credit", row),
            amount=Money.of(row.amount, row.currency),
            reason=row.reason,
            created_at=row.created_at,
        )

    @client_visible("The invoice it was applied to; null for a credit on account.")
    async def invoice_number(self, info: Info) -> int | None:
        row = await load_row(info, queries.invoices, self.invoice_id)
        return row.number if row is not None else None


@strawberry.type(description="Money given back from a payment.")
class Refund(Node):
    payment_id: strawberry.Private[int]
    id: strawberry.ID = client_visible("Global ID of the refund.")
    amount: Money = client_visible("The amount given back.")
    reason: str | None = client_visible("Why it was refunded.")
    created_at: datetime = client_visible("When it was refunded.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            payment_id=row.payment_id,
            id=global_id("Refund", row),
            amount=Money.of(row.amount, row.currency),
            reason=row.reason,
            created_at=row.created_at,
        )

    @client_visible("The payment the money came from.")
    async def payment(self, info: Info) -> Payment | None:
        return await load_record(
            info, queries.payments, self.payment_id, Payment.from_row
        )


ACTIVITY_TABLES: dict[BillingActivityKind, FromClause] = {
    BillingActivityKind.INVOICE: queries.invoices,
    BillingActivityKind.CREDIT: queries.credits,
    BillingActivityKind.PAYMENT: queries.payments,
    BillingActivityKind.REFUND: queries.refunds,
}


@strawberry.type(
    description="An entry of the ledger's feed: exactly one of `invoice`, "
    "`credit`, `payment` and `refund` is set, as `kind` says."
)
class BillingActivity:
    row_id: strawberry.Private[int]
    kind: BillingActivityKind = client_visible("Which of the four records this is.")
    occurred_at: datetime = client_visible(
        "When it happened. An invoice is dated, not timed: its issue date at 12:00 UTC."
    )
    amount: Money = client_visible(
        "The invoice total, or the amount credited, paid (or attempted) or refunded."
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            row_id=row.row_id,
            kind=BillingActivityKind(row.kind),
            occurred_at=row.occurred_at,
            amount=Money.of(row.amount, row.currency),
        )

    async def record(
        self, info: Info, kind: BillingActivityKind, from_row: Callable[[Any], Record]
    ) -> Record | None:
        if self.kind is not kind:
            return None
        return await load_record(info, ACTIVITY_TABLES[kind], self.row_id, from_row)

    @client_visible('One line to show, e.g. "Invoice #1042", "Payment by check".')
    async def summary(self, info: Info) -> str:
        row = await load_row(info, ACTIVITY_TABLES[self.kind], self.row_id)
        if self.kind is BillingActivityKind.INVOICE:
            return rules.invoice_summary(row.number)
        if self.kind is BillingActivityKind.PAYMENT:
            return rules.payment_summary(row.method, row.status)
        if self.kind is BillingActivityKind.CREDIT:
            invoice = await load_row(info, queries.invoices, row.invoice_id)
            return rules.credit_summary(invoice.number if invoice else None)
        payment = await load_row(info, queries.payments, row.payment_id)
        return rules.refund_summary(payment.method)

    @client_visible("The invoice, when this entry is one.")
    async def invoice(self, info: Info) -> Invoice | None:
        return await self.record(info, BillingActivityKind.INVOICE, Invoice.from_row)

    @client_visible("The credit, when this entry is one.")
    async def credit(self, info: Info) -> Credit | None:
        return await self.record(info, BillingActivityKind.CREDIT, Credit.from_row)

    @client_visible("The payment, when this entry is one.")
    async def payment(self, info: Info) -> Payment | None:
        return await self.record(info, BillingActivityKind.PAYMENT, Payment.from_row)

    @client_visible("The refund, when this entry is one.")
    async def refund(self, info: Info) -> Refund | None:
        return await self.record(info, BillingActivityKind.REFUND, Refund.from_row)


@strawberry.type(description="A line of a recurring invoice, billed every period.")
class RecurringInvoiceLine:
    description: str = staff_visible("What is billed.")
    quantity: str = staff_visible('The quantity as a decimal string, e.g. "1.50".')
    unit_price: Money = staff_visible("The price of one unit.")
    amount: Money = staff_visible("Quantity × unit price, rounded half up.")
    is_taxable: bool = staff_visible("Sales tax applies to this line.")

    @classmethod
    def from_row(cls, row: Any, currency: str) -> Self:
        return cls(
            description=row.description,
            quantity=decimal_string(row.quantity),
            unit_price=Money.of(row.unit_price, currency),
            amount=Money.of(rules.line_amount(row.quantity, row.unit_price), currency),
            is_taxable=row.is_taxable,
        )


@strawberry.type(
    description="A schedule that issues an invoice every period, once per period."
)
class RecurringInvoice(Node):
    row_id: strawberry.Private[int]
    currency: strawberry.Private[str]
    id: strawberry.ID = staff_visible("Global ID of the recurring invoice.")
    name: str = staff_visible("The schedule's name.")
    interval: RecurrenceInterval = staff_visible("The unit of the period.")
    interval_count: int = staff_visible("How many units make one period.")
    starts_on: date = staff_visible("The first period's date.")
    ends_on: date | None = staff_visible("The last date it may run; null: no end.")
    next_run_on: date = staff_visible("When the next invoice is due to be issued.")
    payment_terms_days: int = staff_visible("Days from issue until each is due.")
    is_active: bool = staff_visible("Whether it still issues invoices.")
    created_at: datetime = staff_visible("When the schedule was made.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            row_id=row.id,
            currency=row.currency,
            id=global_id("RecurringInvoice", row),
            name=row.name,
            interval=RecurrenceInterval(row.interval),
            interval_count=row.interval_count,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            next_run_on=row.next_run_on,
            payment_terms_days=row.payment_terms_days,
            is_active=row.is_active,
            created_at=row.created_at,
        )

    @staff_visible("The lines each invoice gets, in order.")
    async def lines(self, info: Info) -> list[RecurringInvoiceLine]:
        loader = grouped_loader(info.context, queries.lines_of_recurring_invoices, [])
        rows: list[Any] = await loader.load(self.row_id)
        return [RecurringInvoiceLine.from_row(row, self.currency) for row in rows]

    @staff_visible("What each invoice comes to before tax: the sum of the lines.")
    async def total_per_run(self, info: Info) -> Money:
        lines = await self.lines(info)
        return Money.of(sum(line.amount.minor_units for line in lines), self.currency)


@strawberry.type(description="A billable amount not yet invoiced (billed in arrears).")
class Charge(Node):
    service_address_id: strawberry.Private[int | None]
    id: strawberry.ID = staff_visible("Global ID of the charge.")
    description: str = staff_visible("What is to be billed.")
    quantity: str = staff_visible('The quantity as a decimal string, e.g. "1.50".')
    unit_price: Money = staff_visible("The price of one unit.")
    amount: Money = staff_visible("Quantity × unit price.")
    is_taxable: bool = staff_visible("Sales tax will apply.")
    price_provenance: PriceProvenance = staff_visible(
        "Why the price is what it is: the rule that produced it.", PRICING_READ
    )
    created_at: datetime = staff_visible("When the charge was recorded.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            service_address_id=row.service_address_id,
            id=global_id("Charge", row),
            description=row.description,
            quantity=decimal_string(row.quantity),
            unit_price=Money.of(row.unit_price, row.currency),
            amount=Money.of(row.amount, row.currency),
            is_taxable=row.is_taxable,
            price_provenance=PriceProvenance.from_row(row),
            created_at=row.created_at,
        )

    @staff_visible("Where the work was done; charges of one address bill together.")
    async def service_address(self, info: Info) -> Address | None:
        return await load_address(info, self.service_address_id)


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

    @staff_visible("Who sent it; null when it went automatically.")
    async def sent_by(self, info: Info) -> StaffMember | None:
        return await StaffMember.load(info, self.sent_by_id)

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


async def summaries_for(
    session: AsyncSession, account_id: int, ids: Sequence[int]
) -> dict[int, BillingSummary]:
    return await billing_summaries(session, account_id, ids, datetime.now(UTC).date())


@strawberry.type(description="The money side of a client: balance and what is owed.")
class Billing:
    client_id: strawberry.Private[int]
    currency: strawberry.Private[str]

    async def summary(self, info: Info) -> BillingSummary:
        loader = grouped_loader(info.context, summaries_for, EMPTY_SUMMARY)
        summary: BillingSummary = await loader.load(self.client_id)
        return summary

    @client_visible("Invoiced − paid − credited + refunded.")
    async def balance(self, info: Info) -> Money:
        return Money.of((await self.summary(info)).balance, self.currency)

    @client_visible("What unpaid invoices still ask for.")
    async def outstanding(self, info: Info) -> Money:
        return Money.of((await self.summary(info)).outstanding, self.currency)

    @client_visible("The outstanding part of invoices past their due date.")
    async def overdue(self, info: Info) -> Money:
        return Money.of((await self.summary(info)).overdue, self.currency)

    @client_visible("The hold in force and why; null when the client is not on hold.")
    async def on_hold(self, info: Info) -> Hold | None:
        loader = grouped_loader(info.context, queries.active_holds)
        row = await loader.load(self.client_id)
        return Hold.from_row(row) if row is not None else None

    @client_visible(
        "Invoices (not drafts), credits, payments (failed ones too) and refunds "
        "in one feed, newest first."
    )
    async def activity(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[BillingActivity]:
        return await load_connection(
            info,
            queries.CLIENT_BILLING_ACTIVITY,
            self.client_id,
            BillingActivity.from_row,
            (first, after, last, before),
        )

    @client_visible(
        "The client's invoices, newest issued first. The client's own dashboard "
        "never lists drafts."
    )
    async def invoices(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        status: InvoiceStatuses = None,
    ) -> Connection[Invoice]:
        shown = rules.invoice_statuses_shown(
            [item.value for item in status or ()],
            is_client=info.context.signed_in_viewer.kind in CLIENT_VIEWERS,
        )
        filters = (("statuses", shown),) if shown is not None else ()
        return await load_connection(
            info,
            queries.CLIENT_INVOICES,
            self.client_id,
            Invoice.from_row,
            (first, after, last, before),
            filters,
        )

    @staff_visible("Recurring invoice schedules: active first, the next to run first.")
    async def recurring_invoices(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[RecurringInvoice]:
        return await load_connection(
            info,
            queries.CLIENT_RECURRING_INVOICES,
            self.client_id,
            RecurringInvoice.from_row,
            (first, after, last, before),
        )

    @staff_visible("Charges not yet invoiced, newest first.")
    async def charges(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Charge]:
        return await load_connection(
            info,
            queries.CLIENT_UNINVOICED_CHARGES,
            self.client_id,
            Charge.from_row,
            (first, after, last, before),
        )


@strawberry.type(description="Client fields: payment requests and methods on file.")
class BillingSection:
    row_id: strawberry.Private[int]

    @staff_visible("Requests to pay sent to the client, newest first.")
    async def payment_requests(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[PaymentRequest] | None:
        return await load_connection(
            info,
            queries.CLIENT_PAYMENT_REQUESTS,
            self.row_id,
            PaymentRequest.from_row,
            (first, after, last, before),
        )

    @client_visible(
        "Cards and bank accounts on file, the default first; removed ones are "
        "left out. Empty unless the account has the payments add-on.",
        PAYMENT_METHODS_READ,
    )
    async def payment_methods(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[PaymentMethod] | None:
        paging = (first, after, last, before)
        if not await has_payments_addon(info):
            return empty_connection(queries.CLIENT_PAYMENT_METHODS, paging)
        return await load_connection(
            info,
            queries.CLIENT_PAYMENT_METHODS,
            self.row_id,
            PaymentMethod.from_row,
            paging,
        )


async def has_payments_addon(info: Info) -> bool:
    account = await load_row(info, accounts, info.context.account_id)
    return account is not None and account.has_payments_addon


def empty_connection(relation: Relation, paging: tuple[Any, ...]) -> Connection[Any]:
    """No items, after checking the paging arguments like any other list."""
    request = page_request(relation.name, relation.order, *paging)
    return build_connection(Page(), request, relation.name, relation.order, str)


NodeType = tuple[Table, Callable[[Row[Any]], object]]


def node_type(table: FromClause, from_row: Callable[[Row[Any]], object]) -> NodeType:
    return cast(Table, table), from_row


NODE_TYPES: dict[str, NodeType] = {
    "Invoice": node_type(queries.invoices, Invoice.from_row),
    "Payment": node_type(queries.payments, Payment.from_row),
    "Credit": node_type(queries.credits, Credit.from_row),
    "Refund": node_type(queries.refunds, Refund.from_row),
    "Charge": node_type(queries.charges, Charge.from_row),
    "RecurringInvoice": node_type(
        queries.recurring_invoices, RecurringInvoice.from_row
    ),
    "PaymentRequest": node_type(queries.payment_requests, PaymentRequest.from_row),
    "PaymentMethod": node_type(queries.payment_methods, PaymentMethod.from_row),
}
