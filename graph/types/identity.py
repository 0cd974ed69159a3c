"""Who am I: the viewer of each audience, its account, and API keys."""

from datetime import datetime
from enum import Enum
from typing import Annotated, Any, Self

import strawberry

from graph.context import Info
from graph.fields import DASHBOARD_ONLY, EVERYONE, STAFF_ONLY, field
from graph.ids import encode_global_id
from graph.loaders import row_loader
from graph.permissions import BILLING_READ, DOCUMENTS_READ, WORK_READ
from graph.resolvers.dashboard.lookups import own_document, own_estimate, own_invoice
from graph.types.billing.ledger import Invoice
from graph.types.client import Client
from graph.types.estimates import Estimate
from graph.types.people import Contact
from graph.types.records import Document
from graph.types.shop import (
    RentalOptions,
    RentalQuoteInput,
    RentalQuoteResult,
    load_rental_options,
    load_rental_quote,
)
from persistence.models import Account as AccountRow
from persistence.models import Client as ClientRow
from persistence.models import Contact as ContactRow
from persistence.models import StaffRole, StaffUser

clients_table = ClientRow.__table__
RecordId = Annotated[
    strawberry.ID, strawberry.argument(description="The record's global ID.")
]


@strawberry.enum(description="What kind of caller this is.")
class ViewerKind(Enum):
    STAFF = "staff"
    PARTNER = "partner"
    DASHBOARD = "dashboard"
    STAFF_PREVIEW = "staff_preview"


@strawberry.type(description="The business whose data this is.")
class Account:
    id: strawberry.ID = field(
        description="Global ID of the account.", audiences=EVERYONE
    )
    name: str = field(description="The business's name.", audiences=EVERYONE)
    currency: str = field(
        description="ISO 4217 currency of its prices.", audiences=EVERYONE
    )
    locale: str = field(
        description="BCP 47 locale for money and dates.", audiences=EVERYONE
    )
    time_zone: str = field(
        description="IANA time zone, e.g. America/Denver.", audiences=EVERYONE
    )
    has_payments_addon: bool = field(
        description="Cards and ACH on file and online payments are available.",
        audiences=EVERYONE,
    )
    has_shop_addon: bool = field(
        description="Clients may schedule dumpster rentals from their dashboard.",
        audiences=EVERYONE,
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            id=strawberry.ID(encode_global_id("Account", row.public_id)),
            name=row.name,
            currency=row.currency,
            locale=row.locale,
            time_zone=row.time_zone,
            has_payments_addon=row.has_payments_addon,
            has_shop_addon=row.has_shop_addon,
        )


@strawberry.type(description="A signed-in staff user.")
class StaffUserProfile:
    id: strawberry.ID = field(
        description="Global ID of the staff user.", audiences=STAFF_ONLY
    )
    name: str = field(description="Full name.", audiences=STAFF_ONLY)
    email: str = field(description="Sign-in email.", audiences=STAFF_ONLY)
    role: str = field(description="Name of the user's role.", audiences=STAFF_ONLY)


async def load_account(info: Info) -> Account:
    row = await row_loader(info.context, AccountRow.__table__, "id").load(
        info.context.account_id
    )
    return Account.from_row(row)


@strawberry.type(description="Who is asking: the caller, its account and rights.")
class Viewer:
    kind: ViewerKind = field(description="Staff user or partner key.")
    permissions: list[str] = field(
        description="Permissions this caller holds (a partner key's scopes)."
    )
    staff_user_id: strawberry.Private[int | None]

    @field(description="The account this caller belongs to.")
    async def account(self, info: Info) -> Account:
        return await load_account(info)

    @field(
        description="The signed-in staff user; null for partner keys.",
        audiences=STAFF_ONLY,
    )
    async def staff_user(self, info: Info) -> StaffUserProfile | None:
        if self.staff_user_id is None:
            return None
        user = await row_loader(info.context, StaffUser.__table__, "id").load(
            self.staff_user_id
        )
        if user is None:
            return None
        role = await row_loader(info.context, StaffRole.__table__, "id").load(
            user.role_id
        )
        return StaffUserProfile(
            id=strawberry.ID(encode_global_id("StaffMember", user.public_id)),
            name=user.name,
            email=user.email,
            role=role.name if role is not None else "",
        )


@strawberry.type(description="A signed-in client: its own dashboard and nothing else.")
class DashboardViewer:
    client_id: strawberry.Private[int]
    contact_id: strawberry.Private[int | None]
    is_staff_preview: bool = field(
        description="A staff user viewing this dashboard read-only.",
        audiences=DASHBOARD_ONLY,
    )

    @field(description="The business you are a client of.", audiences=DASHBOARD_ONLY)
    async def account(self, info: Info) -> Account:
        return await load_account(info)

    @field(description="Your client profile.", audiences=DASHBOARD_ONLY)
    async def client(self, info: Info) -> Client:
        row = await row_loader(info.context, clients_table, "id").load(self.client_id)
        account = await load_account(info)
        return Client.from_row(row, account.currency)

    @field(
        description="What you can order from the shop (the shop add-on and your "
        "shop ordering setting), and on what terms.",
        audiences=DASHBOARD_ONLY,
    )
    async def rental_options(self, info: Info) -> RentalOptions:
        return await load_rental_options(info, self.client_id)

    @field(
        description="The price of a dumpster rental for you, from the prices that "
        "apply to you (your negotiated prices included). Errors: "
        "SHOP_UNAVAILABLE, DATE_IN_PAST, DATES_OUT_OF_ORDER, ADDRESS_NOT_FOUND, "
        "SIZE_NOT_OFFERED.",
        audiences=DASHBOARD_ONLY,
    )
    async def rental_quote(
        self,
        info: Info,
        input: Annotated[
            RentalQuoteInput, strawberry.argument(description="The rental to price.")
        ],
    ) -> RentalQuoteResult:
        return await load_rental_quote(info, self.client_id, input)

    @field(description="The person signed in.", audiences=DASHBOARD_ONLY)
    async def contact(self, info: Info) -> Contact | None:
        if self.contact_id is None:
            return None
        row = await row_loader(info.context, ContactRow.__table__, "id").load(
            self.contact_id
        )
        return Contact.from_row(row) if row is not None else None

    @field(
        description="One of your estimates, as your estimate list shows it "
        "(sent ones only); NOT_FOUND for any other ID.",
        audiences=DASHBOARD_ONLY,
        permission=WORK_READ,
    )
    async def estimate(self, info: Info, id: RecordId) -> Estimate | None:
        return await own_estimate(info, id)

    @field(
        description="One of your invoices (never a draft); NOT_FOUND for any other ID.",
        audiences=DASHBOARD_ONLY,
        permission=BILLING_READ,
    )
    async def invoice(self, info: Info, id: RecordId) -> Invoice | None:
        return await own_invoice(info, id)

    @field(
        description="One of the documents sent to you, with its text; NOT_FOUND "
        "for any other ID.",
        audiences=DASHBOARD_ONLY,
        permission=DOCUMENTS_READ,
    )
    async def document(self, info: Info, id: RecordId) -> Document | None:
        return await own_document(info, id)


@strawberry.type(description="A partner's API key (its secret is shown only once).")
class ApiKey:
    id: strawberry.ID = field(description="Global ID of the key.", audiences=STAFF_ONLY)
    name: str = field(description="What the key is for.", audiences=STAFF_ONLY)
    prefix: str = field(
        description="The key's first characters, to tell keys apart.",
        audiences=STAFF_ONLY,
    )
    scopes: list[str] = field(
        description="Permissions the key grants.", audiences=STAFF_ONLY
    )
    created_at: datetime = field(
        description="When it was issued.", audiences=STAFF_ONLY
    )
    last_used_at: datetime | None = field(
        description="The latest request made with it.", audiences=STAFF_ONLY
    )
    revoked_at: datetime | None = field(
        description="When it was revoked; it no longer works.", audiences=STAFF_ONLY
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            id=strawberry.ID(encode_global_id("ApiKey", row.public_id)),
            name=row.name,
            prefix=row.prefix,
            scopes=list(row.scopes),
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
        )
