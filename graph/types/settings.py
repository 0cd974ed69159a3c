"""The client's own rules: special prices, and each client setting's effective
value and where it comes from."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Self

import strawberry
from strawberry.scalars import JSON

from domain.calendar import local_date
from domain.pricing import is_active_on
from domain.settings import (
    CLIENT_SETTINGS,
    EffectiveSetting,
    SettingDefinition,
    SettingOverride,
    SettingSource,
    account_setting_value,
    effective_client_settings,
)
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.ids import encode_global_id
from graph.loaders import Reference, grouped_loader, row_loader
from graph.nodes import Node
from graph.permissions import PRICING_READ, SETTINGS_READ
from graph.types.scalars import Money
from graph.types.staff import StaffMember
from persistence.enums import SpecialPriceKind
from persistence.models import Account
from persistence.queries.records import setting_overrides_of_clients

strawberry.enum(
    SpecialPriceKind,
    description="CONTAINER (a container size and rental length) or FEE (a named fee).",
)
strawberry.enum(
    SettingSource,
    description="Where an effective value comes from: the account's default or "
    "this client's own override.",
)


def money_or_null(minor_units: int | None, currency: str) -> Money | None:
    return Money.of(minor_units, currency) if minor_units is not None else None


def tons(value: Decimal | None) -> str | None:
    """A tonnage as a two-decimal string, the column's own precision."""
    return f"{Decimal(value):.2f}" if value is not None else None


@strawberry.type(
    description="A negotiated price for this client: a container price or a named "
    "fee. A price field left null keeps the standard price for that field."
)
class SpecialPrice(Node):
    created_by_id: strawberry.Private[int | None]
    id: strawberry.ID = field(
        description="Global ID of the special price.", permission=PRICING_READ
    )
    kind: SpecialPriceKind = field(
        description="CONTAINER or FEE.", permission=PRICING_READ
    )
    container_size: int | None = field(
        description="Container size in cubic yards (10, 15, 20, 30 or 40); CONTAINER "
        "only.",
        permission=PRICING_READ,
    )
    rental_days: int | None = field(
        description="The rental length the price is for; null: any length.",
        permission=PRICING_READ,
    )
    fee_code: str | None = field(
        description='The fee it replaces, e.g. "relocation"; FEE only.',
        permission=PRICING_READ,
    )
    base_price: Money | None = field(
        description="Price of the rental.", permission=PRICING_READ
    )
    overage_per_ton: Money | None = field(
        description="Charge per ton above the included tons.", permission=PRICING_READ
    )
    per_extra_day: Money | None = field(
        description="Charge per day beyond the included days.",
        permission=PRICING_READ,
    )
    fee_amount: Money | None = field(
        description="The fee's amount; FEE only.", permission=PRICING_READ
    )
    included_days: int | None = field(
        description="Rental days included in the base price.",
        permission=PRICING_READ,
    )
    included_tons: str | None = field(
        description='Tons included in the base price, a decimal string ("2.50").',
        permission=PRICING_READ,
    )
    starts_on: date | None = field(
        description="First day it applies; null: since always.",
        permission=PRICING_READ,
    )
    ends_on: date | None = field(
        description="Last day it applies; null: until further notice.",
        permission=PRICING_READ,
    )
    is_active: bool = field(
        description="Today (in the account's time zone) is within its dates.",
        permission=PRICING_READ,
    )
    note: str | None = field(description="Why it was agreed.", permission=PRICING_READ)
    created_at: datetime = field(
        description="When it was added.", permission=PRICING_READ
    )

    @classmethod
    def from_row(cls, row: Any, today: date | None = None) -> Self:
        """``today`` is the account's date; UTC's when not given."""
        day = today or datetime.now(UTC).date()
        currency = row.currency
        return cls(
            created_by_id=row.created_by_id,
            id=strawberry.ID(encode_global_id("SpecialPrice", row.public_id)),
            kind=SpecialPriceKind(row.kind),
            container_size=row.container_size,
            rental_days=row.rental_days,
            fee_code=row.fee_code,
            base_price=money_or_null(row.base_price, currency),
            overage_per_ton=money_or_null(row.overage_per_ton, currency),
            per_extra_day=money_or_null(row.per_extra_day, currency),
            fee_amount=money_or_null(row.fee_amount, currency),
            included_days=row.included_days,
            included_tons=tons(row.included_tons),
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            is_active=is_active_on(row.starts_on, row.ends_on, day),
            note=row.note,
            created_at=row.created_at,
        )

    @field(
        description="The staff user who agreed it.",
        permission=PRICING_READ,
        graphql_type=StaffMember | None,
    )
    def created_by(self, info: Info) -> Reference[StaffMember]:
        return StaffMember.load(info, self.created_by_id)


async def account_today(info: Info) -> date:
    """Today's date where the business is."""
    loader = row_loader(info.context, Account.__table__, "id")
    account = await loader.load(info.context.account_id)
    time_zone = account.time_zone if account is not None else None
    return local_date(info.context.services.clock(), time_zone)


@strawberry.type(
    description="One of the account's client settings as it applies to this "
    "client: the effective value, and whether it is the client's own."
)
class ClientSetting:
    changed_by_id: strawberry.Private[int | None]
    key: str = field(
        description='The setting\'s key, e.g. "payment_terms_days".',
        permission=SETTINGS_READ,
    )
    description: str = field(
        description="What the setting does.", permission=SETTINGS_READ
    )
    value: JSON | None = field(
        description="The effective value: the client's override if it has one "
        "(and the setting may be overridden), else the account's value.",
        permission=SETTINGS_READ,
    )
    source: SettingSource = field(
        description="Where `value` comes from.", permission=SETTINGS_READ
    )
    account_value: JSON | None = field(
        description="The account's value for every client without an override: "
        "its own choice, else the built-in default.",
        permission=SETTINGS_READ,
    )
    is_client_overridable: bool = field(
        description="A client may have its own value for this setting.",
        permission=SETTINGS_READ,
    )
    changed_at: datetime | None = field(
        description="When the client's override was last changed; null without one.",
        permission=SETTINGS_READ,
    )

    @classmethod
    def from_effective(cls, setting: EffectiveSetting) -> Self:
        override = setting.override
        return cls(
            changed_by_id=override.changed_by_id if override else None,
            key=setting.definition.key,
            description=setting.definition.description,
            value=setting.value,
            source=setting.source,
            account_value=setting.account_value,
            is_client_overridable=setting.definition.is_client_overridable,
            changed_at=override.changed_at if override else None,
        )

    @field(
        description="The staff user who set the override; null without one.",
        permission=SETTINGS_READ,
        graphql_type=StaffMember | None,
    )
    def changed_by(self, info: Info) -> Reference[StaffMember]:
        return StaffMember.load(info, self.changed_by_id)


def setting_override(row: Any) -> SettingOverride:
    return SettingOverride(
        key=row.key,
        value=row.value,
        changed_at=row.changed_at,
        changed_by_id=row.changed_by_id,
    )


async def client_setting_value(info: Info, client_id: int, key: str) -> Any:
    """One setting's effective value for a client (batched like the list)."""
    for setting in await client_settings_of(info, client_id):
        if setting.key == key:
            return setting.value
    raise KeyError(f"No client setting is called {key!r}.")


async def client_settings_of(info: Info, client_id: int) -> list[ClientSetting]:
    """Every client setting for one client; batched across clients."""
    account_loader = row_loader(info.context, Account.__table__, "id")
    account = await account_loader.load(info.context.account_id)
    overrides_loader = grouped_loader(info.context, setting_overrides_of_clients, [])
    rows = await overrides_loader.load(client_id)

    account_settings = account.client_settings if account is not None else None
    settings = effective_client_settings(
        account_settings, [setting_override(row) for row in rows]
    )
    return [ClientSetting.from_effective(setting) for setting in settings]


@strawberry.type(
    description="One client setting as the account sets it for every client "
    "without an override."
)
class AccountSetting:
    key: str = field(
        description='The setting\'s key, e.g. "payment_terms_days".',
        audiences=STAFF_ONLY,
    )
    description: str = field(description="What the setting does.", audiences=STAFF_ONLY)
    value: JSON | None = field(
        description="The account's value: its own choice, else the built-in default.",
        audiences=STAFF_ONLY,
    )
    default: JSON | None = field(
        description="The built-in default.", audiences=STAFF_ONLY
    )
    is_default: bool = field(
        description="The account has not chosen a value of its own.",
        audiences=STAFF_ONLY,
    )
    is_client_overridable: bool = field(
        description="A client may have its own value.", audiences=STAFF_ONLY
    )

    @classmethod
    def of(cls, account: Any, definition: SettingDefinition) -> Self:
        chosen = account.client_settings or {}
        return cls(
            key=definition.key,
            description=definition.description,
            value=account_setting_value(chosen, definition),
            default=definition.default,
            is_default=definition.key not in chosen,
            is_client_overridable=definition.is_client_overridable,
        )


def account_settings(account: Any) -> list[AccountSetting]:
    return [AccountSetting.of(account, definition) for definition in CLIENT_SETTINGS]
