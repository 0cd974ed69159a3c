"""What the generators remember about one client while they write its rows."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from persistence.enums import Channel, InvoiceStatus, NotificationEvent
from persistence.seed.context import tax_on
from persistence.seed.writer import Row


@dataclass
class ContactDraft:
    id: int
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    can_text: bool

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class AddressDraft:
    id: int
    line1: str
    city: str
    zone: str | None


@dataclass
class ChargeDraft:
    """An invoice line to be: a charge (billed in arrears) or a schedule's line."""

    day: date
    group: str
    description: str
    quantity: Decimal
    unit_price: int
    amount: int
    rule: str
    detail: dict[str, Any] | None
    address_id: int | None
    task_id: int | None = None
    job_id: int | None = None
    is_taxable: bool = True
    is_charge: bool = True
    id: int = 0
    invoice_id: int | None = None


@dataclass
class TaskDraft:
    id: int
    kind: str
    status: str
    day: date | None
    size: int
    address_id: int
    created_at: datetime
    completed_at: datetime | None


@dataclass
class RentalPlan:
    """One container's stay at an address, from delivery to final pickup."""

    start: date
    address: AddressDraft
    size: int
    material: str
    rental_days: int
    extra_days: int
    job_id: int | None = None
    # Showcase rentals always happen, so every run has their recent states.
    can_be_cancelled: bool = True

    @property
    def group(self) -> str:
        return f"rental-{self.start.isoformat()}-{self.address.id}-{self.size}"


@dataclass
class Notice:
    """Something the client is told about; becomes notification log entries."""

    event: NotificationEvent
    at: datetime
    subject: str | None
    channel: Channel | None = None
    recipient: str | None = None
    is_manual: bool = False
    triggered_by_id: int | None = None
    refs: dict[str, int | None] = field(default_factory=dict)
    context: dict[str, Any] | None = None
    is_queued: bool = False


@dataclass
class ClientDraft:
    id: int
    index: int
    client_type: str
    display_name: str
    created_at: datetime
    created_by_id: int
    row: Row = field(default_factory=dict)
    contacts: list[ContactDraft] = field(default_factory=list)
    addresses: list[AddressDraft] = field(default_factory=list)
    billing_address_id: int | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    notification_overrides: dict[tuple[str, str], bool] = field(default_factory=dict)
    special_containers: dict[tuple[int, int], Row] = field(default_factory=dict)
    special_fees: dict[str, Row] = field(default_factory=dict)
    payment_style: str = "card"
    card_id: int | None = None
    card_since: datetime | None = None
    bank_account_id: int | None = None
    rentals: list[RentalPlan] = field(default_factory=list)
    tasks: list[TaskDraft] = field(default_factory=list)
    charges: list[ChargeDraft] = field(default_factory=list)
    open_groups: set[str] = field(default_factory=set)
    notices: list[Notice] = field(default_factory=list)
    activity: list[Row] = field(default_factory=list)
    last_activity_at: datetime | None = None
    is_showcase: bool = False

    @property
    def primary(self) -> ContactDraft:
        return self.contacts[0]

    @property
    def created_on(self) -> date:
        return self.created_at.date()

    @property
    def default_address(self) -> AddressDraft:
        return self.addresses[0]

    @property
    def bills_monthly(self) -> bool:
        """Businesses get one invoice per address and month; homeowners per job."""
        return self.client_type != "residential"

    @property
    def payment_terms(self) -> timedelta:
        return timedelta(days=self.settings["payment_terms_days"])

    def sales_tax(self, taxable: int) -> int:
        if self.settings["tax_exempt"]:
            return 0
        return tax_on(taxable, self.settings["tax_rate_bps"])


@dataclass
class InvoiceDraft:
    """What one invoice will bill: charge lines, or a recurring schedule's lines."""

    issued_on: date
    lines: list[ChargeDraft]
    address_id: int | None
    recurring_id: int | None = None
    period: str | None = None


@dataclass
class Bill:
    """A written invoice, as payments, requests and holds need it."""

    id: int
    number: int
    status: InvoiceStatus
    issued_on: date
    due_on: date
    total: int
    sent_at: datetime | None
    row: Row = field(repr=False)
