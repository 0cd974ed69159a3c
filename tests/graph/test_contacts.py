"""addContact, updateContact, removeContact, makePrimaryContact."""

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.identity.viewer import Viewer
from domain.permissions import ALL, Permission
from graph.ids import encode_global_id
from persistence.models import Account, ActivityRecord, Client, Contact
from tests.factories import add_account, add_client, add_contact
from tests.graph.conftest import GraphClient
from tests.graph.people_helpers import client_with_permissions

ADD = """
mutation($input: AddContactInput!) {
  addContact(input: $input) {
    contact { firstName email phone isPrimary textConsentAt }
    userErrors { field code }
  }
}
"""
UPDATE = """
mutation($input: UpdateContactInput!) {
  updateContact(input: $input) {
    contact { firstName lastName email phone textConsentAt }
    userErrors { field code }
  }
}
"""
REMOVE = """
mutation($input: RemoveContactInput!) {
  removeContact(input: $input) { removedContactId userErrors { field code } }
}
"""
PRIMARY = """
mutation($id: ID!) {
  makePrimaryContact(input: {contactId: $id}) {
    contact { firstName isPrimary } userErrors { field code }
  }
}
"""


def gid(row: Client | Contact) -> str:
    return encode_global_id(type(row).__name__, row.public_id)


async def primaries(session: AsyncSession, client: Client) -> list[str]:
    # A fresh transaction sees what the API committed.
    await session.commit()
    rows = await session.scalars(
        select(Contact.first_name).where(
            Contact.client_id == client.id, Contact.is_primary
        )
    )
    return list(rows)


async def actions(session: AsyncSession) -> list[str]:
    await session.commit()
    rows = await session.scalars(
        select(ActivityRecord.action).order_by(ActivityRecord.id)
    )
    return list(rows)


@pytest.fixture
async def client(session: AsyncSession, account: Account) -> Client:
    client = await add_client(session, account)
    await add_contact(session, client, first_name="Ana", is_primary=True)
    await session.commit()
    return client


async def test_a_new_primary_contact_replaces_the_old_one(
    graph: GraphClient, session: AsyncSession, client: Client
) -> None:
    contact = {"firstName": "Bo", "email": "BO@x.com", "phone": "+44 20 7946 0958"}

    added = await graph.data(
        ADD, input={"clientId": gid(client), "contact": contact, "makePrimary": True}
    )

    assert added["addContact"]["contact"] == {
        "firstName": "Bo",
        "email": "bo@x.com",
        "phone": "+442079460958",
        "isPrimary": True,
        "textConsentAt": None,
    }
    assert await primaries(session, client) == ["Bo"]
    assert await actions(session) == ["contact.added"]


async def test_an_added_contact_is_not_primary_unless_asked(
    graph: GraphClient, session: AsyncSession, client: Client
) -> None:
    added = await graph.data(
        ADD, input={"clientId": gid(client), "contact": {"firstName": "Cy"}}
    )

    assert added["addContact"]["contact"]["isPrimary"] is False
    assert await primaries(session, client) == ["Ana"]


@pytest.mark.parametrize(
    ("contact", "field", "code"),
    [
        ({"firstName": " "}, "firstName", "REQUIRED"),
        ({"firstName": "A", "lastName": "x" * 101}, "lastName", "TOO_LONG"),
        ({"firstName": "A", "email": "a@b"}, "email", "INVALID_EMAIL"),
        ({"firstName": "A", "phone": "12345"}, "phone", "INVALID_PHONE"),
        (
            {"firstName": "A", "textConsentSource": "web"},
            "textConsentSource",
            "CONSENT_NEEDS_PHONE",
        ),
    ],
)
async def test_a_refused_contact_is_not_added(
    graph: GraphClient,
    session: AsyncSession,
    client: Client,
    contact: dict[str, str],
    field: str,
    code: str,
) -> None:
    data = await graph.data(
        ADD, input={"clientId": gid(client), "contact": contact, "makePrimary": True}
    )

    assert data["addContact"] == {
        "contact": None,
        "userErrors": [{"field": ["input", field], "code": code}],
    }
    assert await primaries(session, client) == ["Ana"]
    assert await actions(session) == []


async def test_a_client_without_a_primary_gets_its_first_contact_as_primary(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    bare = await add_client(session, account)
    await session.commit()

    added = await graph.data(
        ADD, input={"clientId": gid(bare), "contact": {"firstName": "Jo"}}
    )

    assert added["addContact"]["contact"]["isPrimary"] is True
    assert await primaries(session, bare) == ["Jo"]


async def test_adding_to_an_unknown_client_is_refused(graph: GraphClient) -> None:
    data = await graph.data(
        ADD, input={"clientId": "bm9wZQ", "contact": {"firstName": "A"}}
    )

    assert data["addContact"]["userErrors"] == [
        {"field": ["input", "clientId"], "code": "CLIENT_NOT_FOUND"}
    ]


async def test_a_contact_changes_only_what_is_sent_and_consent_is_dated(
    graph: GraphClient, session: AsyncSession, client: Client
) -> None:
    contact = await add_contact(session, client, first_name="Di", email="di@x.com")
    await session.commit()

    changed = await graph.data(
        UPDATE,
        input={
            "contactId": gid(contact),
            "lastName": "Lee",
            "phone": "303.555.0199",
            "textConsentSource": "signed form",
        },
    )
    withdrawn = await graph.data(
        UPDATE, input={"contactId": gid(contact), "textConsentSource": None}
    )
    refused = await graph.data(
        UPDATE, input={"contactId": gid(contact), "email": "nope"}
    )

    assert changed["updateContact"]["contact"]["email"] == "di@x.com"
    assert changed["updateContact"]["contact"]["lastName"] == "Lee"
    assert changed["updateContact"]["contact"]["phone"] == "+13035550199"
    assert changed["updateContact"]["contact"]["textConsentAt"] is not None
    assert withdrawn["updateContact"]["contact"]["textConsentAt"] is None
    assert refused["updateContact"]["userErrors"] == [
        {"field": ["input", "email"], "code": "INVALID_EMAIL"}
    ]
    await session.refresh(contact)
    assert contact.email == "di@x.com"
    assert await actions(session) == ["contact.updated", "contact.updated"]


async def test_making_a_contact_primary_leaves_exactly_one(
    graph: GraphClient, session: AsyncSession, client: Client
) -> None:
    contact = await add_contact(session, client, first_name="Ed")
    await session.commit()

    data = await graph.data(PRIMARY, id=gid(contact))

    assert data["makePrimaryContact"]["contact"] == {
        "firstName": "Ed",
        "isPrimary": True,
    }
    assert await primaries(session, client) == ["Ed"]
    assert await actions(session) == ["contact.made_primary"]


async def test_removing_the_primary_with_one_other_contact_promotes_it(
    graph: GraphClient, session: AsyncSession, client: Client
) -> None:
    primary = await session.scalar(select(Contact).where(Contact.is_primary))
    assert primary is not None
    await add_contact(session, client, first_name="Fay")
    await session.commit()

    data = await graph.data(REMOVE, input={"contactId": gid(primary)})

    assert data["removeContact"] == {
        "removedContactId": gid(primary),
        "userErrors": [],
    }
    assert await primaries(session, client) == ["Fay"]
    assert await actions(session) == ["contact.removed", "contact.made_primary"]


async def test_removing_the_primary_among_several_needs_a_successor(
    graph: GraphClient, session: AsyncSession, client: Client
) -> None:
    primary = await session.scalar(select(Contact).where(Contact.is_primary))
    assert primary is not None
    await add_contact(session, client, first_name="Gus")
    hal = await add_contact(session, client, first_name="Hal")
    stranger = await add_contact(
        session, await add_client(session, await add_account(session))
    )
    await session.commit()

    unnamed = await graph.data(REMOVE, input={"contactId": gid(primary)})
    wrong = await graph.data(
        REMOVE, input={"contactId": gid(primary), "newPrimaryContactId": gid(stranger)}
    )
    named = await graph.data(
        REMOVE, input={"contactId": gid(primary), "newPrimaryContactId": gid(hal)}
    )

    assert unnamed["removeContact"]["userErrors"] == [
        {"field": ["input", "newPrimaryContactId"], "code": "SUCCESSOR_REQUIRED"}
    ]
    assert wrong["removeContact"]["userErrors"] == [
        {"field": ["input", "newPrimaryContactId"], "code": "CONTACT_NOT_FOUND"}
    ]
    assert named["removeContact"]["userErrors"] == []
    assert await primaries(session, client) == ["Hal"]


async def test_the_last_contact_stays(
    graph: GraphClient, session: AsyncSession, client: Client
) -> None:
    primary = await session.scalar(select(Contact).where(Contact.is_primary))
    assert primary is not None

    data = await graph.data(REMOVE, input={"contactId": gid(primary)})

    assert data["removeContact"]["userErrors"] == [
        {"field": ["input", "contactId"], "code": "LAST_CONTACT"}
    ]
    assert await primaries(session, client) == ["Ana"]
    assert await actions(session) == []


@pytest.mark.parametrize(
    ("mutation", "variables"),
    [
        (ADD, lambda c, p: {"input": {"clientId": c, "contact": {"firstName": "X"}}}),
        (UPDATE, lambda c, p: {"input": {"contactId": p, "firstName": "X"}}),
        (REMOVE, lambda c, p: {"input": {"contactId": p}}),
        (PRIMARY, lambda c, p: {"id": p}),
    ],
)
async def test_changing_contacts_needs_clients_write(
    engine: AsyncEngine,
    session: AsyncSession,
    account: Account,
    client: Client,
    mutation: str,
    variables: object,
) -> None:
    contact = await session.scalar(select(Contact))
    assert contact is not None
    viewer = Viewer(account_id=account.id, permissions=ALL - {Permission.CLIENTS_WRITE})

    async with client_with_permissions(engine, viewer) as graph:
        body = await graph.execute(mutation, **variables(gid(client), gid(contact)))  # type: ignore[operator]

    assert list(body["data"].values()) == [None]
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
