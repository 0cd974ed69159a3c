"""Contacts and addresses of a client."""

from datetime import datetime
from typing import Any, Self

import strawberry

from graph.fields import EVERYONE, field
from graph.ids import encode_global_id
from graph.types.scalars import AddressKind


@strawberry.type(description="A person the business talks to about a client.")
class Contact:
    id: strawberry.ID = field(
        description="Global ID of the contact.", audiences=EVERYONE
    )
    first_name: str = field(description="First name.", audiences=EVERYONE)
    last_name: str = field(description="Last name (may be empty).", audiences=EVERYONE)
    title: str | None = field(description='Role at the client, e.g. "Site manager".')
    email: str | None = field(description="Email address.", audiences=EVERYONE)
    phone: str | None = field(description="Phone number, E.164.", audiences=EVERYONE)
    is_primary: bool = field(
        description="The primary contact: default destination of notifications.",
    )
    text_consent_at: datetime | None = field(
        description="When the contact consented to text messages; null: no consent.",
        audiences=EVERYONE,
    )
    created_at: datetime = field(description="When it was added.")
    text_consent: bool = field(
        description="The contact has agreed to text messages (see textConsentAt).",
        audiences=EVERYONE,
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            id=strawberry.ID(encode_global_id("Contact", row.public_id)),
            text_consent=row.text_consent_at is not None,
            first_name=row.first_name,
            last_name=row.last_name,
            title=row.title,
            email=row.email,
            phone=row.phone,
            is_primary=row.is_primary,
            text_consent_at=row.text_consent_at,
            created_at=row.created_at,
        )


@strawberry.type(description="A service or billing address of a client.")
class Address:
    id: strawberry.ID = field(
        description="Global ID of the address.", audiences=EVERYONE
    )
    kind: AddressKind = field(description="SERVICE (containers go here) or BILLING.")
    label: str | None = field(
        description='A short name, e.g. "Yard".', audiences=EVERYONE
    )
    line1: str = field(description="Street address.", audiences=EVERYONE)
    line2: str | None = field(description="Unit, suite.", audiences=EVERYONE)
    city: str = field(description="City.", audiences=EVERYONE)
    region: str = field(description="State or region.", audiences=EVERYONE)
    postal_code: str = field(description="Postal code.", audiences=EVERYONE)
    country: str = field(description="ISO 3166 country code.")
    pricing_zone: str | None = field(
        description="Pricing zone that may select zone prices for tasks here."
    )
    access_notes: str | None = field(
        description="Directions for drivers (gate codes, placement)."
    )
    is_default: bool = field(
        description="The default address of its kind.", audiences=EVERYONE
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            id=strawberry.ID(encode_global_id("Address", row.public_id)),
            kind=AddressKind(row.kind),
            label=row.label,
            line1=row.line1,
            line2=row.line2,
            city=row.city,
            region=row.region,
            postal_code=row.postal_code,
            country=row.country,
            pricing_zone=row.pricing_zone,
            access_notes=row.access_notes,
            is_default=row.is_default,
        )
