"""Input objects of the client, contact and address mutations, and how they
become the domain's values."""

import uuid
from typing import Any

import strawberry
from strawberry.types.unset import UnsetType

from domain.people import AddressDetails, ContactDetails
from graph.ids import InvalidGlobalId, decode_global_id
from graph.types.scalars import AddressKind, ClientType

UNSET: Any = strawberry.UNSET


def public_id_of(global_id: strawberry.ID | None, type_name: str) -> uuid.UUID | None:
    """The public UUID a global ID names, or None when it names no such type
    (the domain then answers "not found", as for a record of another account)."""
    if global_id is None:
        return None
    try:
        found_type, public_id = decode_global_id(global_id)
    except InvalidGlobalId:
        return None
    return public_id if found_type == type_name else None


# A well-formed ID of no record: an unreadable ID that was given stays "given".
NOWHERE = uuid.UUID(int=0)


def named_id(global_id: strawberry.ID | None, type_name: str) -> uuid.UUID | None:
    """Like ``public_id_of`` for optional IDs: None only when none was given."""
    if global_id is None:
        return None
    return public_id_of(global_id, type_name) or NOWHERE


def provided(source: object, names: dict[str, str]) -> dict[str, Any]:
    """The fields the caller sent, renamed to the domain's names; null counts
    as sent (it clears an optional value)."""
    return {
        domain_name: getattr(source, input_name)
        for input_name, domain_name in names.items()
        if not isinstance(getattr(source, input_name), UnsetType)
    }


@strawberry.input(description="A person to talk to about the client.")
class ContactInput:
    first_name: str = strawberry.field(description="First name, 1 to 100 characters.")
    last_name: str = strawberry.field(default="", description="Last name.")
    title: str | None = strawberry.field(
        default=None, description='Role at the client, e.g. "Site manager".'
    )
    email: str | None = strawberry.field(
        default=None, description="Email address; stored in lower case."
    )
    phone: str | None = strawberry.field(
        default=None,
        description="Phone number; stored in E.164. Numbers without a country "
        "code are read in the account's country (North American plan only).",
    )
    text_consent_source: str | None = strawberry.field(
        default=None,
        description='How the contact agreed to receive texts (e.g. "verbal, on '
        'the phone"); null: no consent. Needs a phone number.',
    )

    def details(self) -> ContactDetails:
        return ContactDetails(
            first_name=self.first_name,
            last_name=self.last_name,
            title=self.title,
            email=self.email,
            phone=self.phone,
            text_consent_source=self.text_consent_source,
        )


@strawberry.input(description="A service or billing address.")
class AddressInput:
    kind: AddressKind = strawberry.field(description="SERVICE or BILLING.")
    line1: str = strawberry.field(description="Street address.")
    city: str = strawberry.field(description="City.")
    region: str = strawberry.field(description="State or region.")
    postal_code: str = strawberry.field(description="Postal code.")
    country: str = strawberry.field(
        default="US", description="ISO 3166 two-letter country code."
    )
    label: str | None = strawberry.field(
        default=None, description='A short name, e.g. "Yard".'
    )
    line2: str | None = strawberry.field(default=None, description="Unit, suite.")
    pricing_zone: str | None = strawberry.field(
        default=None, description="Pricing zone that may select zone prices."
    )
    access_notes: str | None = strawberry.field(
        default=None, description="Directions for drivers (gate codes, placement)."
    )

    def details(self) -> AddressDetails:
        return AddressDetails(
            kind=self.kind,
            line1=self.line1,
            city=self.city,
            region=self.region,
            postal_code=self.postal_code,
            country=self.country,
            label=self.label,
            line2=self.line2,
            pricing_zone=self.pricing_zone,
            access_notes=self.access_notes,
        )


@strawberry.input(description="A new client and its first (primary) contact.")
class CreateClientInput:
    display_name: str = strawberry.field(description="The client's name.")
    client_type: ClientType = strawberry.field(
        description="Residential, commercial or contractor."
    )
    primary_contact: ContactInput = strawberry.field(
        description="The first contact; it becomes the primary contact."
    )
    company_name: str | None = strawberry.field(
        default=None, description="Company name, for commercial clients."
    )
    tags: list[str] = strawberry.field(
        default_factory=list, description="Free-form labels, 1 to 60 characters."
    )
    addresses: list[AddressInput] = strawberry.field(
        default_factory=list,
        description="Service and billing addresses; the first of each kind is "
        "its default.",
    )
    invite_to_dashboard: bool = strawberry.field(
        default=False,
        description="Email the primary contact an invitation to the dashboard "
        "at once (see inviteToDashboard).",
    )


@strawberry.input(description="Changes to a client; fields left out stay as they are.")
class UpdateClientInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    display_name: str | None = strawberry.field(
        default=UNSET, description="The client's name."
    )
    company_name: str | None = strawberry.field(
        default=UNSET, description="Company name; null clears it."
    )
    client_type: ClientType | None = strawberry.field(
        default=UNSET, description="Residential, commercial or contractor."
    )
    tags: list[str] | None = strawberry.field(
        default=UNSET, description="The whole new list of tags; null or [] clears."
    )


@strawberry.input(description="Which client to archive, and why.")
class ArchiveClientInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    reason: str | None = strawberry.field(
        default=None, description="Why, for the activity record."
    )


@strawberry.input(description="Which client.")
class ClientIdInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")


@strawberry.input(description="Two records of the same client: one stays.")
class MergeClientsInput:
    survivor_id: strawberry.ID = strawberry.field(
        description="The client that remains and receives everything."
    )
    duplicate_id: strawberry.ID = strawberry.field(
        description="The client whose records move; it ends archived and merged."
    )


@strawberry.input(description="A new contact of a client.")
class AddContactInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    contact: ContactInput = strawberry.field(description="The person.")
    make_primary: bool = strawberry.field(
        default=False, description="Make it the primary contact at once."
    )


@strawberry.input(description="Changes to a contact; fields left out stay.")
class UpdateContactInput:
    contact_id: strawberry.ID = strawberry.field(description="The contact's ID.")
    first_name: str | None = strawberry.field(default=UNSET, description="First name.")
    last_name: str | None = strawberry.field(default=UNSET, description="Last name.")
    title: str | None = strawberry.field(
        default=UNSET, description="Role; null clears."
    )
    email: str | None = strawberry.field(
        default=UNSET, description="Email; null clears."
    )
    phone: str | None = strawberry.field(
        default=UNSET, description="Phone; null clears."
    )
    text_consent_source: str | None = strawberry.field(
        default=UNSET,
        description="How consent to texts was given; null withdraws consent.",
    )


CONTACT_FIELDS = {
    name: name
    for name in (
        "first_name",
        "last_name",
        "title",
        "email",
        "phone",
        "text_consent_source",
    )
}


@strawberry.input(description="A contact to remove.")
class RemoveContactInput:
    contact_id: strawberry.ID = strawberry.field(description="The contact's ID.")
    new_primary_contact_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="When removing the primary contact of a client with several "
        "other contacts: who becomes primary. With exactly one other contact, "
        "that one does.",
    )


@strawberry.input(description="Which contact.")
class ContactIdInput:
    contact_id: strawberry.ID = strawberry.field(description="The contact's ID.")


@strawberry.input(description="A new address of a client.")
class AddAddressInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    address: AddressInput = strawberry.field(description="The address.")
    make_default: bool = strawberry.field(
        default=False,
        description="Make it the default of its kind (the first of a kind always is).",
    )


@strawberry.input(description="Changes to an address; fields left out stay.")
class UpdateAddressInput:
    address_id: strawberry.ID = strawberry.field(description="The address's ID.")
    line1: str | None = strawberry.field(default=UNSET, description="Street address.")
    line2: str | None = strawberry.field(default=UNSET, description="Unit, suite.")
    city: str | None = strawberry.field(default=UNSET, description="City.")
    region: str | None = strawberry.field(default=UNSET, description="State or region.")
    postal_code: str | None = strawberry.field(
        default=UNSET, description="Postal code."
    )
    country: str | None = strawberry.field(default=UNSET, description="Country code.")
    label: str | None = strawberry.field(default=UNSET, description="A short name.")
    pricing_zone: str | None = strawberry.field(
        default=UNSET, description="Pricing zone."
    )
    access_notes: str | None = strawberry.field(
        default=UNSET, description="Directions for drivers."
    )


ADDRESS_FIELDS = {
    name: name
    for name in (
        "line1",
        "line2",
        "city",
        "region",
        "postal_code",
        "country",
        "label",
        "pricing_zone",
        "access_notes",
    )
}


@strawberry.input(description="An address to remove (or archive, if used).")
class RemoveAddressInput:
    address_id: strawberry.ID = strawberry.field(description="The address's ID.")
    new_default_address_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="When removing the default of a kind with several other "
        "addresses of that kind: which becomes the default.",
    )


@strawberry.input(description="Which address.")
class AddressIdInput:
    address_id: strawberry.ID = strawberry.field(description="The address's ID.")
