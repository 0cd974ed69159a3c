"""The seeded account: its settings, staff, price list, fees and templates."""

from datetime import timedelta
from typing import Any

from persistence.enums import (
    Channel,
    ClientType,
    DocumentKind,
    NotificationEvent,
)
from persistence.seed.context import SeedContext
from persistence.seed.pricing import FEES, PriceBook, price_list_rows
from persistence.seed.vocabulary import FIRST_NAMES, LAST_NAMES

ACCOUNT_SETTINGS: dict[str, Any] = {
    "payment_terms_days": 30,
    "tax_rate_bps": 825,
    "invoice_delivery": "email",
    "hold_after_failed_payments": 5,
    "hold_days_past_due": 60,
    "signature_required": False,
    "agreement_before_delivery": False,
}


TEMPLATE_BODIES = {
    DocumentKind.RENTAL_AGREEMENT: (
        "Roll-off rental agreement between {{ account_name }} and "
        "{{ client_name }}.\n\n"
        "Service address: {{ address }}.\n"
        "{{ clause }}\n"
        "Prohibited: paint, tires, batteries, hazardous waste.\n"
        "The container may not be loaded above its rim. Weight above the\n"
        "included tonnage is billed per ton from the disposal facility's ticket."
    ),
    DocumentKind.TERMS_AND_CONDITIONS: (
        "Terms and conditions of {{ account_name }} for {{ client_name }}.\n\n"
        "Invoices are due within the agreed payment terms. Accounts more than\n"
        "60 days past due are placed on hold until paid."
    ),
    DocumentKind.ESTIMATE_SIGNATURE: (
        "{{ client_name }} accepts estimate {{ reference }} from "
        "{{ account_name }} as quoted."
    ),
}
RENTAL_CLAUSES = {
    ClientType.RESIDENTIAL: "Please keep the container off lawns and sidewalks.",
    ClientType.COMMERCIAL: "Recurring service follows the schedule on file.",
    ClientType.CONTRACTOR: "The contractor is responsible for right-of-way permits.",
}


def seed_account(
    ctx: SeedContext, *, name: str, clients: int, staff_password_hash: str
) -> PriceBook:
    created_at = ctx.moment(ctx.today - timedelta(days=1_200))
    ctx.account_name = name
    ctx.account_phone = "+1303555" + ctx.digits(4)
    ctx.settings = dict(ACCOUNT_SETTINGS)

    ctx.add(
        "accounts",
        {
            "id": ctx.account_id,
            "public_id": ctx.uuid(),
            "created_at": created_at,
            "name": name,
            "slug": ctx.slug,
            "currency": "USD",
            "locale": "en-US",
            "time_zone": "America/Denver",
            "email_from": f"billing@{ctx.slug}.haulgraph.test",
            "phone": ctx.account_phone,
            "has_payments_addon": True,
            "has_shop_addon": True,
            "next_invoice_number": ctx.invoice_numbers.next_free,
            "next_estimate_number": ctx.estimate_numbers.next_free,
            "client_settings": dict(ACCOUNT_SETTINGS),
            "notification_defaults": notification_defaults(ctx),
        },
    )

    seed_staff(ctx, clients=clients, password_hash=staff_password_hash)
    seed_templates(ctx)
    return seed_price_list(ctx)


def notification_defaults(ctx: SeedContext) -> dict[str, dict[str, bool]]:
    return {
        event.value: {
            channel.value: ctx.rules.notification_default(event, channel)
            for channel in Channel
        }
        for event in NotificationEvent
    }


def seed_staff(ctx: SeedContext, *, clients: int, password_hash: str) -> None:
    role_ids = {}
    for role, permissions in ctx.rules.role_grants.items():
        role_ids[role] = ctx.new_id("staff_roles")
        ctx.add(
            "staff_roles",
            {
                "id": role_ids[role],
                "account_id": ctx.account_id,
                "created_at": ctx.moment(ctx.today - timedelta(days=1_200)),
                "name": role,
                "permissions": sorted(permissions),
                "is_builtin": True,
            },
        )

    # Bigger businesses run more trucks and more people at the desk.
    drivers = min(2 + clients // 1_500, 8)
    office = min(1 + clients // 4_000, 3)
    people = [
        ("admin", "admin"),
        ("accounts", "accountant"),
        ("dispatch", "dispatcher"),
    ]
    people += [
        ("office" if n == 1 else f"office{n}", "office") for n in range(1, office + 1)
    ]
    people += [(f"driver{n}", "driver") for n in range(1, drivers + 1)]

    for mailbox, role in people:
        staff_id = ctx.new_id("staff_users")
        name = f"{ctx.choice(FIRST_NAMES)} {ctx.choice(LAST_NAMES)}"
        ctx.staff.names[staff_id] = name
        register_staff(ctx, role, staff_id)
        ctx.add(
            "staff_users",
            {
                "id": staff_id,
                "public_id": ctx.uuid(),
                "account_id": ctx.account_id,
                "created_at": ctx.moment(ctx.today - timedelta(days=1_190)),
                "role_id": role_ids[role],
                "email": f"{mailbox}@{ctx.slug}.haulgraph.test",
                "name": name,
                "phone": "+1720555" + ctx.digits(4),
                "password_hash": password_hash,
                "is_active": True,
                "deactivated_at": None,
            },
        )


def register_staff(ctx: SeedContext, role: str, staff_id: int) -> None:
    match role:
        case "admin":
            ctx.staff.admin = staff_id
        case "accountant":
            ctx.staff.accountant = staff_id
        case "dispatcher":
            ctx.staff.dispatcher = staff_id
        case "office":
            ctx.staff.office.append(staff_id)
        case _:
            ctx.staff.drivers.append(staff_id)


def seed_templates(ctx: SeedContext) -> None:
    created_at = ctx.moment(ctx.today - timedelta(days=1_180))
    templates: list[tuple[DocumentKind, ClientType | None, str]] = [
        (DocumentKind.RENTAL_AGREEMENT, client_type, f"Rental agreement ({label})")
        for client_type, label in zip(
            ClientType, ("residential", "commercial", "contractor"), strict=True
        )
    ]
    templates.append((DocumentKind.TERMS_AND_CONDITIONS, None, "Terms and conditions"))
    templates.append((DocumentKind.ESTIMATE_SIGNATURE, None, "Estimate acceptance"))

    for kind, client_type, name in templates:
        body = TEMPLATE_BODIES[kind]
        if client_type is not None:
            body = body.replace("{{ clause }}", RENTAL_CLAUSES[client_type])
        template_id = ctx.new_id("document_templates")
        ctx.templates[(kind.value, client_type and client_type.value)] = (
            template_id,
            body,
        )
        ctx.add(
            "document_templates",
            {
                "id": template_id,
                "public_id": ctx.uuid(),
                "account_id": ctx.account_id,
                "created_at": created_at,
                "kind": kind.value,
                "client_type": client_type and client_type.value,
                "name": name,
                "body": body,
                "version": 2 if kind is DocumentKind.RENTAL_AGREEMENT else 1,
            },
        )


def seed_price_list(ctx: SeedContext) -> PriceBook:
    book = PriceBook()
    created_at = ctx.moment(ctx.today - timedelta(days=1_180))
    for key, values in price_list_rows():
        size, days, client_type, zone = key
        book.items[key] = ctx.add(
            "price_list_items",
            {
                "id": ctx.new_id("price_list_items"),
                "account_id": ctx.account_id,
                "created_at": created_at,
                "container_size": size,
                "rental_days": days,
                "client_type": client_type,
                "pricing_zone": zone,
                "currency": "USD",
                **values,
            },
        )

    for code, (name, amount) in FEES.items():
        book.fee_amounts[code] = amount
        ctx.add(
            "fees",
            {
                "id": ctx.new_id("fees"),
                "account_id": ctx.account_id,
                "created_at": created_at,
                "code": code,
                "name": name,
                "currency": "USD",
                "amount": amount,
            },
        )
    return book
