"""The rules of a client's people and files, without HTTP: normalised emails
and phones, one primary contact, one default address per kind, safe files."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import addresses, contacts
from domain.attachments import add_attachment, detected_type, safe_filename
from domain.identity.viewer import Viewer
from domain.people import (
    AddressDetails,
    ContactDetails,
    normalise_email,
    normalise_phone,
)
from domain.permissions import ALL
from domain.problems import Refused
from persistence.enums import AddressKind
from persistence.files import FileStore
from persistence.models import Address, Client, Contact
from tests.factories import add_account, add_client

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "country", "stored"),
    [
        ("(303) 555-0123", "US", "+13035550123"),
        ("1-303-555-0123", "US", "+13035550123"),
        ("303.555.0123", "CA", "+13035550123"),
        ("+44 20 7946 0958", "US", "+442079460958"),
        ("0044 20 7946 0958", "US", "+442079460958"),
        ("020 7946 0958", "GB", None),
        ("555-0123", "US", None),
        ("(103) 555-0123", "US", None),
        ("+0 123 456 789", "US", None),
        ("+1 303 555 01234567890", "US", None),
        ("call me", "US", None),
        ("٣٠٣٥٥٥٠١٢٣", "US", None),
    ],
)
def test_phones_are_stored_in_e164(written: str, country: str, stored: str) -> None:
    assert normalise_phone(written, country) == stored


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        (" Ana.Ortiz+bins@Example.COM ", "ana.ortiz+bins@example.com"),
        ("ana@example", None),
        ("ana@@example.com", None),
        ("ana @example.com", None),
        ("@example.com", None),
        ("ana@-example.com", None),
    ],
)
def test_emails_are_stored_in_lower_case(written: str, stored: str | None) -> None:
    assert normalise_email(written) == stored


@pytest.mark.parametrize(
    ("uploaded", "kept"),
    [
        ("C:\\Users\\ana\\plan.pdf", "plan.pdf"),
        ("../../etc/passwd", "passwd"),
        ('in"voice;.pdf', "in_voice_.pdf"),
        ("line\r\nbreak.txt", "line__break.txt"),
        ("...", "attachment"),
        (None, "attachment"),
    ],
)
def test_file_names_are_cleaned(uploaded: str | None, kept: str) -> None:
    assert safe_filename(uploaded) == kept


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"%PDF-1.4", "application/pdf"),
        (b"GIF89a\x01\x00", None),
        (b"PK\x03\x04", None),
        (b"\xff\xfe\x00\x00", None),
        (b"plain words\n", "text/plain"),
        (b"bell\x07", None),
    ],
)
def test_files_are_judged_by_their_bytes(
    content: bytes, content_type: str | None
) -> None:
    assert detected_type(content) == content_type


async def a_client(session: AsyncSession) -> tuple[Viewer, Client]:
    account = await add_account(session)
    client = await add_client(session, account)
    return Viewer(account_id=account.id, permissions=ALL), client


async def primaries(session: AsyncSession, client: Client) -> list[str]:
    rows = await session.scalars(
        select(Contact.first_name).where(
            Contact.client_id == client.id, Contact.is_primary
        )
    )
    return list(rows)


async def test_there_is_always_exactly_one_primary_contact(
    session: AsyncSession,
) -> None:
    viewer, client = await a_client(session)
    first = await contacts.add_contact(
        session, viewer, client.public_id, ContactDetails("Ana"), NOW, make_primary=True
    )
    second = await contacts.add_contact(
        session, viewer, client.public_id, ContactDetails("Bo"), NOW, make_primary=True
    )
    third = await contacts.add_contact(
        session, viewer, client.public_id, ContactDetails("Cy"), NOW
    )
    await session.flush()

    after_adding = await primaries(session, client)
    await contacts.make_primary_contact(session, viewer, third.public_id)
    after_promoting = await primaries(session, client)
    await contacts.remove_contact(session, viewer, third.public_id, first.public_id)
    after_removing = await primaries(session, client)
    await contacts.remove_contact(session, viewer, first.public_id)
    after_removing_again = await primaries(session, client)
    with pytest.raises(Refused) as last:
        await contacts.remove_contact(session, viewer, second.public_id)

    assert after_adding == ["Bo"]
    assert after_promoting == ["Cy"]
    assert after_removing == ["Ana"]
    assert after_removing_again == ["Bo"]
    assert last.value.problems[0].code == "last_contact"


def yard(line1: str, kind: AddressKind = AddressKind.SERVICE) -> AddressDetails:
    return AddressDetails(kind, line1, "Boulder", "CO", "80302")


async def defaults(session: AsyncSession, client: Client) -> set[tuple[str, str]]:
    rows = await session.execute(
        select(Address.kind, Address.line1).where(
            Address.client_id == client.id, Address.is_default
        )
    )
    return {(kind, line1) for kind, line1 in rows}


async def test_each_kind_of_address_has_exactly_one_default(
    session: AsyncSession,
) -> None:
    viewer, client = await a_client(session)
    a = await addresses.add_address(session, viewer, client.public_id, yard("A"))
    b = await addresses.add_address(session, viewer, client.public_id, yard("B"))
    await addresses.add_address(
        session, viewer, client.public_id, yard("Office", AddressKind.BILLING)
    )

    first = await defaults(session, client)
    await addresses.set_default_address(session, viewer, b.public_id)
    switched = await defaults(session, client)
    await addresses.remove_address(session, viewer, b.public_id, NOW)
    handed_on = await defaults(session, client)
    await addresses.remove_address(session, viewer, a.public_id, NOW)
    none_left = await defaults(session, client)

    assert first == {("service", "A"), ("billing", "Office")}
    assert switched == {("service", "B"), ("billing", "Office")}
    assert handed_on == {("service", "A"), ("billing", "Office")}
    assert none_left == {("billing", "Office")}


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


async def test_an_upload_that_rolls_back_leaves_no_file(
    session: AsyncSession, tmp_path: Path
) -> None:
    viewer, client = await a_client(session)
    client_id = client.public_id
    await session.commit()
    store = FileStore(tmp_path / "files")

    await add_attachment(session, viewer, store, client_id, "a.txt", b"one")
    await session.rollback()
    kept = await add_attachment(session, viewer, store, client_id, "b.txt", b"two")
    key = kept.storage_key
    await session.commit()
    await session.scalar(select(Client.id))
    await session.rollback()

    files = stored_files(tmp_path / "files")
    assert [path.read_bytes() for path in files] == [b"two"]
    assert files[0] == store.path_of(key)
