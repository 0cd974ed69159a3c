"""Clients and what belongs to them: dashboard, tags, contacts and addresses."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from persistence.enums import AddressKind, ClientType, NotificationEvent
from persistence.seed.context import SeedContext
from persistence.seed.drafts import AddressDraft, ClientDraft, ContactDraft, Notice
from persistence.seed.vocabulary import (
    ACCESS_NOTES,
    CITIES,
    COMMERCIAL_KINDS,
    COMPANY_STEMS,
    CONTACT_TITLES,
    CONTRACTOR_TRADES,
    FIRST_NAMES,
    LAST_NAMES,
    STREET_SUFFIXES,
    STREETS,
    TAGS,
)

CLIENT_TYPES = [ClientType.RESIDENTIAL, ClientType.CONTRACTOR, ClientType.COMMERCIAL]
# Three years of customers; the showcase clients have been around the longest.
OLDEST_CLIENT_DAYS = 1_095
CONSENT_SOURCES = (
    "Verbal consent recorded by office staff",
    "Opted in on the client dashboard",
    "Replied YES to the opt-in text",
)
MAIL_DOMAINS = ("example.com", "example.net", "example.org")
# Billing goes to an office in town, never to a mountain job site.
METRO_CITIES = tuple(city for city in CITIES if city[2] is None)


def new_client(ctx: SeedContext, index: int, *, is_showcase: bool) -> ClientDraft:
    if is_showcase:
        client_type = CLIENT_TYPES[index % 3]
        days_ago = OLDEST_CLIENT_DAYS - 20 * index
    else:
        client_type = ctx.pick("client_type", CLIENT_TYPES, (45, 35, 20))
        days_ago = ctx.rng.randint(3, OLDEST_CLIENT_DAYS)
    created_at = ctx.moment(ctx.today - timedelta(days=days_ago))
    first, last = ctx.choice(FIRST_NAMES), ctx.choice(LAST_NAMES)
    company = company_name(ctx, client_type, last)

    client = ClientDraft(
        id=ctx.new_id("clients"),
        index=index,
        client_type=client_type.value,
        display_name=company or f"{first} {last}",
        created_at=created_at,
        created_by_id=ctx.choice(ctx.staff.desk),
        is_showcase=is_showcase,
    )
    client.row = {
        "id": client.id,
        "public_id": ctx.uuid(),
        "account_id": ctx.account_id,
        "created_at": created_at,
        "display_name": client.display_name,
        "company_name": company,
        "client_type": client.client_type,
        "account_number": f"C{10_001 + index}",
        "merged_into_id": None,
    }
    record(ctx, client, "client.created", created_at, "client", client.id)
    add_contacts(ctx, client, first, last, company)
    add_addresses(ctx, client)
    add_tags(ctx, client)
    add_dashboard(ctx, client)
    return client


def company_name(ctx: SeedContext, client_type: ClientType, last: str) -> str | None:
    if client_type is ClientType.CONTRACTOR:
        stem = last if ctx.chance(0.3) else ctx.choice(COMPANY_STEMS)
        return f"{stem} {ctx.choice(CONTRACTOR_TRADES)}"
    if client_type is ClientType.COMMERCIAL:
        return f"{ctx.choice(COMPANY_STEMS)} {ctx.choice(COMMERCIAL_KINDS)}"
    return None


def record(
    ctx: SeedContext,
    client: ClientDraft,
    action: str,
    occurred_at: datetime,
    subject_type: str | None = None,
    subject_id: int | None = None,
    *,
    by: int | str = "desk",
    detail: Mapping[str, object] | None = None,
) -> None:
    """Note an activity record; ids are given in time order when the client ends.

    ``by`` is a staff user's id, or "desk" (the client's usual office person),
    "client" (its primary contact) or "system".
    """
    actor_kind, actor_id = actor(client, by)
    client.activity.append(
        {
            "account_id": ctx.account_id,
            "client_id": client.id,
            "actor_kind": actor_kind,
            "actor_id": actor_id,
            "action": action,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "detail": dict(detail or {}),
            "occurred_at": occurred_at,
        }
    )


def actor(client: ClientDraft, by: int | str) -> tuple[str, int | None]:
    if by == "client":
        return "client", client.primary.id
    if by == "system":
        return "system", None
    if by == "desk":
        return "staff", client.created_by_id
    return "staff", int(by)


def add_contacts(
    ctx: SeedContext, client: ClientDraft, first: str, last: str, company: str | None
) -> None:
    most = {"residential": 2, "contractor": 3, "commercial": 4}[client.client_type]
    count = most if client.is_showcase else ctx.rng.randint(1, most)
    domain = (
        "".join(ch for ch in company.lower() if ch.isalnum())[:24] + ".example"
        if company
        else ctx.choice(MAIL_DOMAINS)
    )
    for position in range(count):
        if position:
            first, last = ctx.choice(FIRST_NAMES), ctx.choice(LAST_NAMES)

        is_primary = position == 0
        email = None
        if is_primary or ctx.chance(0.8):
            email = f"{first}.{last}{ctx.rng.randint(1, 99)}@{domain}".lower()
        phone = None
        if (is_primary and client.is_showcase) or ctx.chance(0.8):
            phone = f"+1{ctx.choice(('303', '720', '970'))}555{ctx.digits(4)}"
        # Texts need recorded consent; not everyone with a phone gave it.
        consented = phone is not None and (client.is_showcase or ctx.chance(0.6))

        created_at = client.created_at + timedelta(days=position * 30)
        created_at = min(created_at, ctx.now - timedelta(days=1))
        contact = ContactDraft(
            ctx.new_id("contacts"), first, last, email, phone, consented
        )
        client.contacts.append(contact)

        ctx.add(
            "contacts",
            {
                "id": contact.id,
                "public_id": ctx.uuid(),
                "account_id": ctx.account_id,
                "created_at": created_at,
                "client_id": client.id,
                "first_name": first,
                "last_name": last,
                "title": ctx.choice(CONTACT_TITLES[client.client_type]),
                "email": email,
                "phone": phone,
                "is_primary": is_primary,
                "text_consent_at": created_at if consented else None,
                "text_consent_source": (
                    ctx.choice(CONSENT_SOURCES) if consented else None
                ),
            },
        )


def add_addresses(ctx: SeedContext, client: ClientDraft) -> None:
    most = 1 if client.client_type == "residential" else 3
    count = most if client.is_showcase else ctx.rng.randint(1, most)
    if client.client_type == "residential" and ctx.chance(0.1):
        count = 2
    for position in range(count):
        city, postal_code, zone = ctx.choice(CITIES)
        line1 = (
            f"{ctx.rng.randint(100, 19_999)} {ctx.choice(STREETS)} "
            f"{ctx.choice(STREET_SUFFIXES)}"
        )
        label = address_label(client, position, line1)
        draft = AddressDraft(ctx.new_id("addresses"), line1, city, zone)
        client.addresses.append(draft)
        add_address_row(ctx, client, draft, AddressKind.SERVICE, label, postal_code)

    billing_share = {"residential": 0.05, "contractor": 0.45, "commercial": 0.7}
    if client.is_showcase or ctx.chance(billing_share[client.client_type]):
        city, postal_code, _ = ctx.choice(METRO_CITIES)
        line1 = f"PO Box {ctx.rng.randint(100, 9_999)}"
        draft = AddressDraft(ctx.new_id("addresses"), line1, city, None)
        client.billing_address_id = draft.id
        add_address_row(
            ctx, client, draft, AddressKind.BILLING, "Accounts payable", postal_code
        )


def address_label(client: ClientDraft, position: int, line1: str) -> str:
    if client.client_type == "residential":
        return "Home" if position == 0 else "Rental property"
    if client.client_type == "commercial":
        return ("Main building", "Warehouse", "Store #2")[position]
    return "Yard" if position == 0 else f"Job site: {line1.split(' ', 1)[1]}"


def add_address_row(
    ctx: SeedContext,
    client: ClientDraft,
    draft: AddressDraft,
    kind: AddressKind,
    label: str,
    postal_code: str,
) -> None:
    is_default = kind is AddressKind.BILLING or draft is client.addresses[0]

    ctx.add(
        "addresses",
        {
            "id": draft.id,
            "public_id": ctx.uuid(),
            "account_id": ctx.account_id,
            "created_at": client.created_at,
            "client_id": client.id,
            "kind": kind.value,
            "label": label,
            "line1": draft.line1,
            "line2": f"Unit {ctx.rng.randint(1, 40)}" if ctx.chance(0.08) else None,
            "city": draft.city,
            "region": "CO",
            "postal_code": postal_code,
            "country": "US",
            "pricing_zone": draft.zone,
            "access_notes": ctx.choice(ACCESS_NOTES) if ctx.chance(0.3) else None,
            "is_default": is_default,
            "archived_at": None,
        },
    )


def add_tags(ctx: SeedContext, client: ClientDraft) -> None:
    if not (client.is_showcase or ctx.chance(0.35)):
        return
    for tag in ctx.rng.sample(TAGS[client.client_type], ctx.rng.randint(1, 2)):
        ctx.add(
            "client_tags",
            {"account_id": ctx.account_id, "client_id": client.id, "tag": tag},
        )


def add_dashboard(ctx: SeedContext, client: ClientDraft) -> None:
    invited_at = last_sign_in_at = None
    if client.is_showcase or ctx.chance(0.7):
        invited_at = ctx.later(client.created_at, 30, 3 * 24 * 60)
        client.notices.append(
            Notice(
                NotificationEvent.DASHBOARD_INVITATION,
                invited_at,
                f"Your {ctx.account_name} client dashboard",
            )
        )
        if ctx.chance(0.6):
            last_sign_in_at = ctx.moment(
                ctx.day_between(invited_at.date(), ctx.yesterday)
            )
            last_sign_in_at = max(last_sign_in_at, invited_at)

    ctx.add(
        "client_dashboards",
        {
            "id": ctx.new_id("client_dashboards"),
            "account_id": ctx.account_id,
            "created_at": client.created_at,
            "client_id": client.id,
            "invited_at": invited_at,
            "last_sign_in_at": last_sign_in_at,
        },
    )


def finish_client(ctx: SeedContext, client: ClientDraft) -> None:
    """Write the client row and its activity, now that its history is known."""
    client.activity.sort(key=lambda row: row["occurred_at"])
    for row in client.activity:
        ctx.add("activity_records", {"id": ctx.new_id("activity_records"), **row})
    last_activity_at = max(
        [client.created_at, *(row["occurred_at"] for row in client.activity)]
    )
    is_archived = (
        client.client_type == "residential"
        and not client.open_groups
        and ctx.today - last_activity_at.date() > timedelta(days=400)
        and ctx.chance(0.3)
    )

    ctx.add(
        "clients",
        {
            **client.row,
            "updated_at": last_activity_at,
            "last_activity_at": last_activity_at,
            "archived_at": last_activity_at + timedelta(days=90)
            if is_archived
            else None,
        },
    )
