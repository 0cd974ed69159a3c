"""A client's own rules: setting overrides, notification choices, special
prices, and the payment methods it keeps on file."""

from typing import Any

from persistence.enums import Channel, NotificationEvent, SpecialPriceKind
from persistence.seed.clients import record
from persistence.seed.context import SeedContext
from persistence.seed.drafts import ClientDraft
from persistence.seed.pricing import PriceBook
from persistence.seed.vocabulary import BANKS, CARD_BRANDS, TAX_EXEMPT_KINDS

# (event, channel, enabled): what clients most often change about their messages.
NOTIFICATION_CHOICES = (
    (NotificationEvent.INVOICE_SENT, Channel.EMAIL, False),
    (NotificationEvent.TASK_REMINDER, Channel.TEXT, False),
    (NotificationEvent.TASK_SCHEDULED, Channel.TEXT, False),
    (NotificationEvent.TASK_COMPLETED, Channel.TEXT, True),
    (NotificationEvent.PAYMENT_RECEIPT, Channel.EMAIL, False),
)
PAYMENT_STYLES = {
    "residential": (("card", "check", "cash"), (60, 20, 20)),
    "contractor": (("card", "check", "ach"), (40, 45, 15)),
    "commercial": (("ach", "check", "card"), (35, 50, 15)),
}


def add_rules(ctx: SeedContext, client: ClientDraft, book: PriceBook) -> None:
    # Effective settings: catalogue defaults, the account's values, overrides.
    client.settings = dict(ctx.rules.setting_defaults)
    client.settings.update(ctx.settings)
    for key, value in setting_overrides(ctx, client).items():
        override_setting(ctx, client, key, value)
    add_notification_overrides(ctx, client)
    if client.client_type != "residential" and (client.is_showcase or ctx.chance(0.2)):
        add_special_prices(ctx, client, book)
    add_payment_methods(ctx, client)


def setting_overrides(ctx: SeedContext, client: ClientDraft) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    if client.display_name.endswith(TAX_EXEMPT_KINDS):
        overrides["tax_exempt"] = True
    if client.client_type == "commercial" and ctx.chance(0.4):
        overrides["payment_terms_days"] = ctx.choice((45, 60))
    if client.client_type == "contractor":
        if ctx.chance(0.15):
            overrides["payment_terms_days"] = 15
        if client.is_showcase or ctx.chance(0.1):
            overrides["signature_required"] = True
        if ctx.chance(0.1):
            overrides["agreement_before_delivery"] = True
    if client.client_type == "residential":
        if client.primary.can_text and ctx.chance(0.1):
            overrides["invoice_delivery"] = "text"
        if ctx.chance(0.03):
            overrides["show_weight_ticket_images"] = False
    if ctx.chance(0.02):
        overrides["hold_after_failed_payments"] = 3
    return overrides


def override_setting(
    ctx: SeedContext, client: ClientDraft, key: str, value: Any
) -> None:
    changed_at = ctx.later(client.created_at, 5, 60)
    client.settings[key] = value

    ctx.add(
        "client_setting_overrides",
        {
            "id": ctx.new_id("client_setting_overrides"),
            "account_id": ctx.account_id,
            "client_id": client.id,
            "key": key,
            "value": value,
            "changed_by_id": ctx.staff.admin,
            "changed_at": changed_at,
        },
    )

    record(ctx, client, "client_setting.overridden", changed_at, detail={"key": key})


def add_notification_overrides(ctx: SeedContext, client: ClientDraft) -> None:
    if client.index == 0:
        choices = [NOTIFICATION_CHOICES[0], NOTIFICATION_CHOICES[1]]
    elif ctx.chance(0.12):
        choices = [ctx.choice(NOTIFICATION_CHOICES)]
    else:
        return

    for event, channel, is_enabled in choices:
        # Most changes are made by the client from its dashboard.
        by_client = ctx.chance(0.6)
        changed_at = ctx.moment(ctx.day_between(client.created_on, ctx.yesterday))
        changed_at = max(changed_at, client.created_at)
        client.notification_overrides[(event.value, channel.value)] = is_enabled

        ctx.add(
            "notification_preference_overrides",
            {
                "id": ctx.new_id("notification_preference_overrides"),
                "account_id": ctx.account_id,
                "client_id": client.id,
                "event": event.value,
                "channel": channel.value,
                "is_enabled": is_enabled,
                "changed_by_id": None if by_client else ctx.choice(ctx.staff.desk),
                "changed_at": changed_at,
            },
        )


def add_special_prices(ctx: SeedContext, client: ClientDraft, book: PriceBook) -> None:
    sizes = ctx.rng.sample((20, 30, 40), ctx.rng.randint(1, 2))
    for size in sizes:
        rental_days = ctx.choice((7, 14))
        standard = book.rate(client, None, size, rental_days)
        discount = ctx.rng.randint(5, 15) * 500
        row = special_price_row(ctx, client, SpecialPriceKind.CONTAINER)
        row |= {
            "container_size": size,
            "rental_days": rental_days,
            "base_price": standard.base_price - discount,
            "included_tons": (standard.included_tons + 1 if ctx.chance(0.4) else None),
            "note": "Volume pricing agreed with the owner.",
        }
        client.special_containers[(size, rental_days)] = ctx.add("special_prices", row)

    if client.is_showcase or ctx.chance(0.4):
        code = ctx.choice(("trip_charge", "relocation"))
        row = special_price_row(ctx, client, SpecialPriceKind.FEE)
        row |= {
            "fee_code": code,
            "fee_amount": 0 if code == "trip_charge" else 5_000,
            "note": "Waived for this client." if code == "trip_charge" else None,
        }
        client.special_fees[code] = ctx.add("special_prices", row)


def special_price_row(
    ctx: SeedContext, client: ClientDraft, kind: SpecialPriceKind
) -> dict[str, Any]:
    ends_on = None
    if ctx.chance(0.3):
        ends_on = ctx.today.replace(month=12, day=31)
    created_at = ctx.later(client.created_at, 10, 120)
    record(ctx, client, "special_price.created", created_at, by=ctx.staff.admin)
    return {
        "id": ctx.new_id("special_prices"),
        "public_id": ctx.uuid(),
        "account_id": ctx.account_id,
        "created_at": created_at,
        "client_id": client.id,
        "kind": kind.value,
        "container_size": None,
        "rental_days": None,
        "fee_code": None,
        "currency": "USD",
        "base_price": None,
        "included_days": None,
        "included_tons": None,
        "overage_per_ton": None,
        "per_extra_day": None,
        "fee_amount": None,
        "starts_on": client.created_on,
        "ends_on": ends_on,
        "note": None,
        "created_by_id": ctx.staff.admin,
    }


def add_payment_methods(ctx: SeedContext, client: ClientDraft) -> None:
    styles, weights = PAYMENT_STYLES[client.client_type]
    client.payment_style = ctx.pick(f"pay-{client.client_type}", styles, weights)
    if client.payment_style == "ach":
        client.bank_account_id = add_method(ctx, client, "ach", is_default=True)
        return
    if client.payment_style != "card" or not (client.is_showcase or ctx.chance(0.85)):
        return
    if ctx.chance(0.15):
        # An old card, replaced: kept for the history of the payments it made.
        add_method(ctx, client, "card", is_default=False, is_removed=True)
    client.card_id = add_method(ctx, client, "card", is_default=True)


def add_method(
    ctx: SeedContext,
    client: ClientDraft,
    kind: str,
    *,
    is_default: bool,
    is_removed: bool = False,
) -> int:
    method_id = ctx.new_id("payment_methods")
    created_at = client.card_since or ctx.later(client.created_at, 5, 3 * 24 * 60)
    removed_at = None
    if is_removed:
        removed_day = ctx.day_between(created_at.date(), ctx.yesterday)
        removed_at = max(ctx.moment(removed_day), created_at)
        client.card_since = removed_at
    elif kind == "card":
        client.card_since = created_at
    is_card = kind == "card"
    expires = ctx.today.year + ctx.rng.randint(-1 if is_removed else 1, 4)

    ctx.add(
        "payment_methods",
        {
            "id": method_id,
            "public_id": ctx.uuid(),
            "account_id": ctx.account_id,
            "created_at": created_at,
            "client_id": client.id,
            "kind": kind,
            "processor": "sandbox",
            "processor_token": ("tok_" if is_card else "btok_") + ctx.hex(24),
            "brand": ctx.choice(CARD_BRANDS) if is_card else None,
            "bank_name": None if is_card else ctx.choice(BANKS),
            "holder_name": client.primary.name if is_card else client.display_name,
            "last_four": ctx.digits(4),
            "exp_month": ctx.rng.randint(1, 12) if is_card else None,
            "exp_year": expires if is_card else None,
            "is_default": is_default,
            "removed_at": removed_at,
        },
    )

    record(ctx, client, "payment_method.added", created_at, "payment_method", method_id)
    if removed_at is not None:
        record(
            ctx,
            client,
            "payment_method.removed",
            removed_at,
            "payment_method",
            method_id,
        )
    return method_id
