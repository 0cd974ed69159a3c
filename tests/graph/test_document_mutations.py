"""Document mutations over GraphQL: success, every user error code, FORBIDDEN
without documents:write, and nothing left behind by a refused mutation."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.documents import sha256_of
from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL, Permission
from graph.ids import encode_global_id
from persistence.enums import DocumentKind
from persistence.models import (
    Account,
    ActivityRecord,
    Client,
    Document,
    DocumentTemplate,
    NotificationLogEntry,
)
from tests.estimate_factories import NOW
from tests.factories import add, add_account, add_address, add_client, add_contact
from tests.graph.clocked import signed_in
from tests.graph.conftest import GraphClient
from tests.records_factories import add_document

ERRORS = "userErrors { field code }"
TEMPLATE = "template { id kind name clientType body version }"
DOCUMENT = "document { id status body sentTo sentVia signerName signerIp viewedAt }"
CREATE_TEMPLATE = f"""
mutation($input: CreateDocumentTemplateInput!) {{
  createDocumentTemplate(input: $input) {{ {TEMPLATE} {ERRORS} }}
}}
"""
UPDATE_TEMPLATE = f"""
mutation($input: UpdateDocumentTemplateInput!) {{
  updateDocumentTemplate(input: $input) {{ {TEMPLATE} {ERRORS} }}
}}
"""
SEND = f"""
mutation($input: SendDocumentInput!) {{
  sendDocument(input: $input) {{ {DOCUMENT} {ERRORS} }}
}}
"""
VIEWED = f"""
mutation($input: MarkDocumentViewedInput!) {{
  markDocumentViewed(input: $input) {{ {DOCUMENT} {ERRORS} }}
}}
"""
SIGN = f"""
mutation($input: SignDocumentInput!) {{
  signDocument(input: $input) {{ {DOCUMENT} {ERRORS} }}
}}
"""
AGREEMENT = "<p>{{ business.name }} and {{ client.name }}, {{ today }}</p>"


def gid(type_name: str, row: Any) -> str:
    return encode_global_id(type_name, row.public_id)


@pytest.fixture
async def client(session: AsyncSession, account: Account) -> Client:
    client = await add_client(session, account, display_name="<b>Pat</b>")
    await add_address(session, client, is_default=True)
    await add_contact(session, client, is_primary=True, email="pat@example.com")
    await session.commit()
    return client


@pytest.fixture
async def template(session: AsyncSession, account: Account) -> DocumentTemplate:
    template = await add(
        session,
        DocumentTemplate(
            account_id=account.id,
            kind=DocumentKind.RENTAL_AGREEMENT,
            name="Rental agreement",
            body=AGREEMENT,
        ),
    )
    await session.commit()
    return template


@pytest.fixture
async def api(engine: AsyncEngine, account: Account) -> AsyncIterator[GraphClient]:
    viewer = Viewer(account_id=account.id, kind=ViewerKind.STAFF, permissions=ALL)
    async with signed_in(engine, viewer) as api:
        yield api


async def snapshot(session: AsyncSession) -> dict[str, Any]:
    await session.commit()
    counts = {
        table.__tablename__: await session.scalar(
            select(func.count()).select_from(table)
        )
        for table in (DocumentTemplate, Document, ActivityRecord, NotificationLogEntry)
    }
    templates = await session.execute(
        select(DocumentTemplate.name, DocumentTemplate.body, DocumentTemplate.version)
    )
    documents = await session.execute(
        select(Document.viewed_at, Document.signed_at, Document.signer_name)
    )
    return counts | {
        "templates": [tuple(row) for row in templates],
        "documents": [tuple(row) for row in documents],
    }


def codes_of(payload: dict[str, Any]) -> list[tuple[list[str] | None, str]]:
    return [(error["field"], error["code"]) for error in payload["userErrors"]]


async def test_create_and_update_a_template(
    api: GraphClient, session: AsyncSession
) -> None:
    created = await api.data(
        CREATE_TEMPLATE,
        input={
            "kind": "TERMS_AND_CONDITIONS",
            "name": "Terms",
            "body": "Terms for {{ client.name }}.",
            "clientType": "CONTRACTOR",
        },
    )
    template_id = created["createDocumentTemplate"]["template"]["id"]

    updated = await api.data(
        UPDATE_TEMPLATE,
        input={
            "templateId": template_id,
            "name": "Terms 2027",
            "forAnyClientType": True,
        },
    )

    assert created["createDocumentTemplate"]["template"] | {"id": None} == {
        "id": None,
        "kind": "TERMS_AND_CONDITIONS",
        "name": "Terms",
        "clientType": "CONTRACTOR",
        "body": "Terms for {{ client.name }}.",
        "version": 1,
    }
    assert updated["updateDocumentTemplate"]["template"] | {"id": None} == {
        "id": None,
        "kind": "TERMS_AND_CONDITIONS",
        "name": "Terms 2027",
        "clientType": None,
        "body": "Terms for {{ client.name }}.",
        "version": 2,
    }
    actions = await session.scalars(select(ActivityRecord.action))
    assert list(actions) == ["document_template.created", "document_template.updated"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"name": " "}, [(["input", "name"], "NAME_INVALID")]),
        ({"body": ""}, [(["input", "body"], "BODY_INVALID")]),
        ({"body": "{{ client.name "}, [(["input", "body"], "TEMPLATE_SYNTAX")]),
    ],
)
async def test_template_refusals_change_nothing(
    api: GraphClient,
    session: AsyncSession,
    template: DocumentTemplate,
    change: dict[str, Any],
    expected: list[tuple[list[str], str]],
) -> None:
    new = {"kind": "OTHER", "name": "Letter", "body": "Hello."} | change
    before = await snapshot(session)

    created = await api.data(CREATE_TEMPLATE, input=new)
    updated = await api.data(
        UPDATE_TEMPLATE,
        input={"templateId": gid("DocumentTemplate", template)} | change,
    )

    assert created["createDocumentTemplate"]["template"] is None
    assert codes_of(created["createDocumentTemplate"]) == expected
    assert codes_of(updated["updateDocumentTemplate"]) == expected
    assert await snapshot(session) == before


async def test_an_unknown_template_is_not_found(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    other = await add(
        session,
        DocumentTemplate(
            account_id=(await add_account(session)).id,
            kind=DocumentKind.OTHER,
            name="Theirs",
            body="x",
        ),
    )
    await session.commit()

    updated = await api.data(
        UPDATE_TEMPLATE, input={"templateId": gid("DocumentTemplate", other)}
    )
    sent = await api.data(
        SEND,
        input={
            "clientId": gid("Client", client),
            "templateId": gid("DocumentTemplate", other),
        },
    )

    assert codes_of(updated["updateDocumentTemplate"]) == [
        (["input", "templateId"], "TEMPLATE_NOT_FOUND")
    ]
    assert codes_of(sent["sendDocument"]) == [
        (["input", "templateId"], "TEMPLATE_NOT_FOUND")
    ]


async def test_send_view_and_sign_a_document(
    api: GraphClient, session: AsyncSession, client: Client, template: DocumentTemplate
) -> None:
    sent = await api.data(
        SEND,
        input={
            "clientId": gid("Client", client),
            "templateId": gid("DocumentTemplate", template),
        },
    )
    document_id = sent["sendDocument"]["document"]["id"]

    viewed = await api.data(VIEWED, input={"documentId": document_id})
    signed = await api.data(
        SIGN,
        input={
            "documentId": document_id,
            "signerName": "Pat Renter",
            "ipAddress": "198.51.100.4",
        },
    )

    account = await session.get_one(Account, client.account_id)
    body = f"<p>{account.name} and &lt;b&gt;Pat&lt;/b&gt;, 2026-06-15</p>"
    assert sent["sendDocument"]["document"] | {"id": None} == {
        "id": None,
        "status": "SENT",
        "body": body,
        "sentTo": "pat@example.com",
        "sentVia": "EMAIL",
        "signerName": None,
        "signerIp": None,
        "viewedAt": None,
    }
    assert viewed["markDocumentViewed"]["document"]["status"] == "VIEWED"
    signature = signed["signDocument"]["document"]
    assert (signature["status"], signature["signerName"], signature["signerIp"]) == (
        "SIGNED",
        "Pat Renter",
        "198.51.100.4",
    )
    await session.commit()
    document = await session.scalar(select(Document))
    assert document is not None
    assert (document.signed_at, document.signed_sha256) == (NOW, sha256_of(body))
    notice = await session.scalar(select(NotificationLogEntry.event))
    assert notice == "document_to_sign"
    actions = await session.scalars(
        select(ActivityRecord.action).order_by(ActivityRecord.id)
    )
    assert list(actions) == ["document.sent", "document.viewed", "document.signed"]


async def test_send_refusals_change_nothing(
    api: GraphClient,
    session: AsyncSession,
    account: Account,
    client: Client,
    template: DocumentTemplate,
) -> None:
    silent = await add_client(session, account)
    archived = await add_client(session, account, archived_at=NOW)
    broken = await add(
        session,
        DocumentTemplate(
            account_id=account.id,
            kind=DocumentKind.OTHER,
            name="Broken",
            body="{{ client.missing }}",
        ),
    )
    before = await snapshot(session)

    def send(client_id: str, template_row: DocumentTemplate) -> Any:
        variables = {
            "clientId": client_id,
            "templateId": gid("DocumentTemplate", template_row),
        }
        return api.data(SEND, input=variables)

    unknown = await send(encode_global_id("Client", uuid.uuid4()), template)
    no_contact = await send(gid("Client", silent), template)
    unrenderable = await send(gid("Client", client), broken)
    archive = await send(gid("Client", archived), template)

    assert codes_of(unknown["sendDocument"]) == [
        (["input", "clientId"], "CLIENT_NOT_FOUND")
    ]
    assert codes_of(no_contact["sendDocument"]) == [(["input", "via"], "NO_RECIPIENT")]
    assert codes_of(unrenderable["sendDocument"]) == [
        (["input", "templateId"], "TEMPLATE_RENDER")
    ]
    assert codes_of(archive["sendDocument"]) == [
        (["input", "clientId"], "CLIENT_ARCHIVED")
    ]
    assert await snapshot(session) == before


async def test_view_and_sign_refusals_change_nothing(
    api: GraphClient, session: AsyncSession, client: Client
) -> None:
    unsent = await add_document(session, client)
    notice = await add_document(session, client, sent_at=NOW, requires_signature=False)
    signed = await add_document(
        session,
        client,
        sent_at=NOW,
        signed_at=NOW,
        signer_name="Pat",
        signed_sha256="0" * 64,
    )
    pending = await add_document(session, client, sent_at=NOW)
    before = await snapshot(session)

    async def sign(document: Document, **values: str) -> list[Any]:
        variables = {
            "documentId": gid("Document", document),
            "signerName": "Pat",
            "ipAddress": "192.0.2.1",
        }
        data = await api.data(SIGN, input=variables | values)
        return codes_of(data["signDocument"])

    viewed = await api.data(VIEWED, input={"documentId": gid("Document", unsent)})
    missing = await api.data(
        VIEWED, input={"documentId": encode_global_id("Document", uuid.uuid4())}
    )

    assert codes_of(viewed["markDocumentViewed"]) == [
        (["input", "documentId"], "NOT_SENT")
    ]
    assert codes_of(missing["markDocumentViewed"]) == [
        (["input", "documentId"], "DOCUMENT_NOT_FOUND")
    ]
    assert await sign(unsent) == [(["input", "documentId"], "NOT_SENT")]
    assert await sign(notice) == [(["input", "documentId"], "SIGNATURE_NOT_REQUIRED")]
    assert await sign(signed) == [(["input", "documentId"], "ALREADY_SIGNED")]
    assert await sign(pending, signerName="", ipAddress="localhost") == [
        (["input", "signerName"], "SIGNER_NAME_INVALID"),
        (["input", "ipAddress"], "IP_ADDRESS_INVALID"),
    ]
    assert await snapshot(session) == before


@pytest.mark.parametrize(
    ("mutation", "query", "variables"),
    [
        (
            "createDocumentTemplate",
            CREATE_TEMPLATE,
            {"kind": "OTHER", "name": "X", "body": "Y"},
        ),
        ("updateDocumentTemplate", UPDATE_TEMPLATE, {"templateId": "T"}),
        ("sendDocument", SEND, {"clientId": "C", "templateId": "T"}),
        ("markDocumentViewed", VIEWED, {"documentId": "D"}),
        (
            "signDocument",
            SIGN,
            {"documentId": "D", "signerName": "Pat", "ipAddress": "192.0.2.1"},
        ),
    ],
)
async def test_document_mutations_need_documents_write(
    engine: AsyncEngine,
    session: AsyncSession,
    account: Account,
    mutation: str,
    query: str,
    variables: dict[str, Any],
) -> None:
    before = await snapshot(session)
    viewer = Viewer(
        account_id=account.id,
        kind=ViewerKind.STAFF,
        permissions=ALL - {Permission.DOCUMENTS_WRITE},
    )

    async with signed_in(engine, viewer) as api:
        body = await api.execute(query, input=variables)

    assert body["data"][mutation] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await snapshot(session) == before
