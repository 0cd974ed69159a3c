"""Staff mutations of a client and its people: the client itself, contacts,
addresses, notes and files. The rules live in ``domain``; these resolvers
decode IDs, run the operation in one transaction and type the answer."""

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain import addresses, clients, contacts, merge
from domain.identity.viewer import Viewer
from domain.people import ClientProblem
from domain.permissions import Permission
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.mutations import MutationInput, UserError, perform, user_errors
from graph.resolvers import notes
from graph.resolvers.clients import account_currency
from graph.resolvers.people_inputs import (
    ADDRESS_FIELDS,
    CONTACT_FIELDS,
    AddAddressInput,
    AddContactInput,
    AddressIdInput,
    ArchiveClientInput,
    ClientIdInput,
    ContactIdInput,
    CreateClientInput,
    MergeClientsInput,
    RemoveAddressInput,
    RemoveContactInput,
    UpdateAddressInput,
    UpdateClientInput,
    UpdateContactInput,
    named_id,
    provided,
    public_id_of,
)
from graph.types.client import Client
from graph.types.people import Address, Contact

strawberry.enum(
    ClientProblem,
    name="ClientErrorCode",
    description="Why a change to a client, its contacts or addresses was refused.",
)


@strawberry.type(description="A reason a change to a client was refused.")
class ClientError(UserError):
    code: ClientProblem = field(description="What went wrong.", audiences=STAFF_ONLY)


def errors_of(problems: Any) -> list[ClientError]:
    return user_errors(ClientError, problems)


@strawberry.type(description="The client after the change.")
class ClientPayload:
    client: Client | None = field(
        description="The client; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[ClientError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The contact after the change.")
class ContactPayload:
    contact: Contact | None = field(
        description="The contact; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[ClientError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="Which contact was removed.")
class RemoveContactPayload:
    removed_contact_id: strawberry.ID | None = field(
        description="The removed contact's ID; null when refused.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[ClientError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The address after the change.")
class AddressPayload:
    address: Address | None = field(
        description="The address; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[ClientError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="Which address was removed, and how.")
class RemoveAddressPayload:
    removed_address_id: strawberry.ID | None = field(
        description="The address's ID; null when refused.", audiences=STAFF_ONLY
    )
    is_archived: bool | None = field(
        description="True: history refers to it, so it was archived (kept for "
        "that history, gone from the lists); false: deleted.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[ClientError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


Work = Callable[[AsyncSession, Viewer], Awaitable[Any]]


async def run(info: Info, work: Work) -> Any:
    """Run ``work`` for the signed-in viewer in one all-or-nothing write."""
    viewer = info.context.signed_in_viewer

    async def with_viewer(session: AsyncSession) -> Any:
        return await work(session, viewer)

    return await perform(info, with_viewer)


async def client_payload(info: Info, work: Work) -> ClientPayload:
    outcome = await run(info, work)
    if outcome.problems:
        return ClientPayload(client=None, user_errors=errors_of(outcome.problems))
    currency = await account_currency(info)
    return ClientPayload(
        client=Client.from_row(outcome.result, currency), user_errors=[]
    )


async def contact_payload(info: Info, work: Work) -> ContactPayload:
    outcome = await run(info, work)
    if outcome.problems:
        return ContactPayload(contact=None, user_errors=errors_of(outcome.problems))
    return ContactPayload(contact=Contact.from_row(outcome.result), user_errors=[])


async def address_payload(info: Info, work: Work) -> AddressPayload:
    outcome = await run(info, work)
    if outcome.problems:
        return AddressPayload(address=None, user_errors=errors_of(outcome.problems))
    return AddressPayload(address=Address.from_row(outcome.result), user_errors=[])


def now(info: Info) -> Any:
    return info.context.services.clock()


async def create_client(
    info: Info, input: MutationInput[CreateClientInput]
) -> ClientPayload:
    new = clients.NewClient(
        display_name=input.display_name,
        client_type=input.client_type,
        primary_contact=input.primary_contact.details(),
        company_name=input.company_name,
        tags=list(input.tags),
        addresses=[address.details() for address in input.addresses],
        is_invited=input.invite_to_dashboard,
    )
    return await client_payload(
        info,
        lambda session, viewer: clients.create_client(session, viewer, new, now(info)),
    )


async def update_client(
    info: Info, input: MutationInput[UpdateClientInput]
) -> ClientPayload:
    changes = provided(
        input,
        {
            "display_name": "display_name",
            "company_name": "company_name",
            "client_type": "client_type",
            "tags": "tags",
        },
    )
    if changes.get("tags", []) is None:
        changes["tags"] = []
    client_id = public_id_of(input.client_id, "Client")
    return await client_payload(
        info,
        lambda session, viewer: clients.update_client(
            session, viewer, client_id, changes
        ),
    )


async def archive_client(
    info: Info, input: MutationInput[ArchiveClientInput]
) -> ClientPayload:
    client_id = public_id_of(input.client_id, "Client")
    return await client_payload(
        info,
        lambda session, viewer: clients.archive_client(
            session, viewer, client_id, now(info), input.reason
        ),
    )


async def invite_to_dashboard(
    info: Info, input: MutationInput[ClientIdInput]
) -> ClientPayload:
    client_id = public_id_of(input.client_id, "Client")
    return await client_payload(
        info,
        lambda session, viewer: clients.invite_to_dashboard(session, viewer, client_id),
    )


async def restore_client(
    info: Info, input: MutationInput[ClientIdInput]
) -> ClientPayload:
    client_id = public_id_of(input.client_id, "Client")
    return await client_payload(
        info,
        lambda session, viewer: clients.restore_client(session, viewer, client_id),
    )


async def merge_clients(
    info: Info, input: MutationInput[MergeClientsInput]
) -> ClientPayload:
    survivor_id = public_id_of(input.survivor_id, "Client")
    duplicate_id = public_id_of(input.duplicate_id, "Client")
    return await client_payload(
        info,
        lambda session, viewer: merge.merge_clients(
            session, viewer, survivor_id, duplicate_id, now(info)
        ),
    )


async def add_contact(
    info: Info, input: MutationInput[AddContactInput]
) -> ContactPayload:
    client_id = public_id_of(input.client_id, "Client")
    details = input.contact.details()
    return await contact_payload(
        info,
        lambda session, viewer: contacts.add_contact(
            session,
            viewer,
            client_id,
            details,
            now(info),
            make_primary=input.make_primary,
        ),
    )


async def update_contact(
    info: Info, input: MutationInput[UpdateContactInput]
) -> ContactPayload:
    contact_id = public_id_of(input.contact_id, "Contact")
    changes = provided(input, CONTACT_FIELDS)
    return await contact_payload(
        info,
        lambda session, viewer: contacts.update_contact(
            session, viewer, contact_id, changes, now(info)
        ),
    )


async def make_primary_contact(
    info: Info, input: MutationInput[ContactIdInput]
) -> ContactPayload:
    contact_id = public_id_of(input.contact_id, "Contact")
    return await contact_payload(
        info,
        lambda session, viewer: contacts.make_primary_contact(
            session, viewer, contact_id
        ),
    )


async def remove_contact(
    info: Info, input: MutationInput[RemoveContactInput]
) -> RemoveContactPayload:
    contact_id = public_id_of(input.contact_id, "Contact")
    successor_id = named_id(input.new_primary_contact_id, "Contact")
    outcome = await run(
        info,
        lambda session, viewer: contacts.remove_contact(
            session, viewer, contact_id, successor_id
        ),
    )
    if outcome.problems:
        return RemoveContactPayload(
            removed_contact_id=None, user_errors=errors_of(outcome.problems)
        )
    return RemoveContactPayload(removed_contact_id=input.contact_id, user_errors=[])


async def add_address(
    info: Info, input: MutationInput[AddAddressInput]
) -> AddressPayload:
    client_id = public_id_of(input.client_id, "Client")
    details = input.address.details()
    return await address_payload(
        info,
        lambda session, viewer: addresses.add_address(
            session, viewer, client_id, details, make_default=input.make_default
        ),
    )


async def update_address(
    info: Info, input: MutationInput[UpdateAddressInput]
) -> AddressPayload:
    address_id = public_id_of(input.address_id, "Address")
    changes = provided(input, ADDRESS_FIELDS)
    return await address_payload(
        info,
        lambda session, viewer: addresses.update_address(
            session, viewer, address_id, changes
        ),
    )


async def set_default_address(
    info: Info, input: MutationInput[AddressIdInput]
) -> AddressPayload:
    address_id = public_id_of(input.address_id, "Address")
    return await address_payload(
        info,
        lambda session, viewer: addresses.set_default_address(
            session, viewer, address_id
        ),
    )


async def remove_address(
    info: Info, input: MutationInput[RemoveAddressInput]
) -> RemoveAddressPayload:
    address_id = public_id_of(input.address_id, "Address")
    successor_id = named_id(input.new_default_address_id, "Address")
    outcome = await run(
        info,
        lambda session, viewer: addresses.remove_address(
            session, viewer, address_id, now(info), successor_id
        ),
    )
    if outcome.problems:
        return RemoveAddressPayload(
            removed_address_id=None,
            is_archived=None,
            user_errors=errors_of(outcome.problems),
        )
    _, is_archived = outcome.result
    return RemoveAddressPayload(
        removed_address_id=input.address_id, is_archived=is_archived, user_errors=[]
    )


def staff_write(
    resolver: Callable[..., Any], description: str, permission: Permission
) -> Any:
    return field(
        resolver, description=description, audiences=STAFF_ONLY, permission=permission
    )


CLIENTS_WRITE = Permission.CLIENTS_WRITE
NOTES_WRITE = Permission.NOTES_WRITE


@strawberry.type(description="Changing clients, their people, places, notes and files.")
class PeopleMutations:
    create_client: ClientPayload | None = staff_write(
        create_client,
        "Add a client with its primary contact and any addresses; its dashboard "
        "identity and account number exist at once, its settings are the "
        "account's. Needs clients:write.",
        CLIENTS_WRITE,
    )
    update_client: ClientPayload | None = staff_write(
        update_client,
        "Change a client's name, company, type or tags. Needs clients:write.",
        CLIENTS_WRITE,
    )
    archive_client: ClientPayload | None = staff_write(
        archive_client,
        "Archive a client: it leaves the default client list and its dashboard "
        "closes; all history stays and it remains readable. Needs clients:write.",
        CLIENTS_WRITE,
    )
    invite_to_dashboard: ClientPayload | None = staff_write(
        invite_to_dashboard,
        "Email the client's primary contact an invitation to its dashboard. "
        "The notification log shows whether it went and, if not, why (the "
        "client turned invitations off, the contact has no email). Errors: "
        "CLIENT_NOT_FOUND, CLIENT_MERGED, CLIENT_ARCHIVED, DASHBOARD_ACCESS_OFF. "
        "Needs clients:write.",
        CLIENTS_WRITE,
    )
    restore_client: ClientPayload | None = staff_write(
        restore_client,
        "Bring an archived client back. Needs clients:write.",
        CLIENTS_WRITE,
    )
    merge_clients: ClientPayload | None = staff_write(
        merge_clients,
        "Move every record of a duplicate client to the survivor; the duplicate "
        "ends archived and marked merged, the survivor keeps its primary contact "
        "and defaults. Returns the survivor. Needs clients:write.",
        CLIENTS_WRITE,
    )
    add_contact: ContactPayload | None = staff_write(
        add_contact,
        "Add a contact to a client, optionally as its primary contact. Needs "
        "clients:write.",
        CLIENTS_WRITE,
    )
    update_contact: ContactPayload | None = staff_write(
        update_contact,
        "Change a contact's name, title, email, phone or consent to texts. Needs "
        "clients:write.",
        CLIENTS_WRITE,
    )
    remove_contact: RemoveContactPayload | None = staff_write(
        remove_contact,
        "Remove a contact. A client keeps at least one; removing the primary "
        "passes the role to the only other contact, or to the one named. Needs "
        "clients:write.",
        CLIENTS_WRITE,
    )
    make_primary_contact: ContactPayload | None = staff_write(
        make_primary_contact,
        "Make a contact the client's primary contact (the only one). Needs "
        "clients:write.",
        CLIENTS_WRITE,
    )
    add_address: AddressPayload | None = staff_write(
        add_address,
        "Add a service or billing address to a client. Needs clients:write.",
        CLIENTS_WRITE,
    )
    update_address: AddressPayload | None = staff_write(
        update_address,
        "Change an address (not its kind). Needs clients:write.",
        CLIENTS_WRITE,
    )
    remove_address: RemoveAddressPayload | None = staff_write(
        remove_address,
        "Remove an address; one that tasks or other history refer to is archived "
        "instead. Removing a default passes it on like removeContact. Needs "
        "clients:write.",
        CLIENTS_WRITE,
    )
    set_default_address: AddressPayload | None = staff_write(
        set_default_address,
        "Make an address the default of its kind. Needs clients:write.",
        CLIENTS_WRITE,
    )
    add_note: notes.NotePayload | None = staff_write(
        notes.add_note,
        "Write a note on file for a client (staff only). Needs notes:write.",
        NOTES_WRITE,
    )
    update_note: notes.NotePayload | None = staff_write(
        notes.update_note,
        "Edit or pin a note. Needs notes:write.",
        NOTES_WRITE,
    )
    remove_note: notes.RemoveNotePayload | None = staff_write(
        notes.remove_note,
        "Remove a note; its files stay on the client's file. Needs notes:write.",
        NOTES_WRITE,
    )
    add_attachment: notes.AttachmentPayload | None = staff_write(
        notes.add_attachment,
        "Upload a file for a client (GraphQL multipart request): PDF, PNG, JPEG, "
        "WebP, HEIC or plain text, judged by its content, up to the configured "
        "size (10 MiB by default). Needs notes:write.",
        NOTES_WRITE,
    )
    remove_attachment: notes.RemoveAttachmentPayload | None = staff_write(
        notes.remove_attachment,
        "Remove a file and its bytes. Needs notes:write.",
        NOTES_WRITE,
    )
