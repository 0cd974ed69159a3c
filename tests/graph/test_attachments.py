"""addAttachment (GraphQL multipart uploads), removeAttachment, and the
download route."""

import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.identity.viewer import Viewer
from domain.permissions import ALL, Permission
from graph.app import create_app
from graph.ids import encode_global_id
from persistence.config import Config
from persistence.models import Account, ActivityRecord, Attachment, Client, Note
from tests.factories import add_account, add_client
from tests.graph.conftest import GraphClient
from tests.graph.people_helpers import client_with_permissions, services_with_files
from tests.records_factories import add_note

ADD = """
mutation($input: AddAttachmentInput!) {
  addAttachment(input: $input) {
    attachment { id filename contentType sizeBytes sha256 downloadPath }
    userErrors { field code }
  }
}
"""
REMOVE = """
mutation($id: ID!) {
  removeAttachment(input: {attachmentId: $id}) {
    removedAttachmentId userErrors { field code }
  }
}
"""
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)
JPEG = b"\xff\xd8\xff\xe0" + bytes(32)
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(24)
HEIC = b"\x00\x00\x00\x18ftypheic" + bytes(24)
PREFLIGHT = {"GraphQL-Require-Preflight": "1"}
LIMIT = 1024


def gid(row: Client | Note | Attachment) -> str:
    return encode_global_id(type(row).__name__, row.public_id)


def multipart(variables: dict[str, Any], content: bytes, name: str) -> dict[str, Any]:
    """The GraphQL multipart request's parts: operations, map, the file."""
    operations = {"query": ADD, "variables": {"input": variables | {"file": None}}}
    return {
        "data": {
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        "files": {"0": (name, content, "text/plain")},
    }


async def upload(
    graph: GraphClient,
    variables: dict[str, Any],
    content: bytes = PDF,
    name: str = "site plan.pdf",
    headers: dict[str, str] = PREFLIGHT,
    path: str = "/graphql",
) -> httpx.Response:
    return await graph.http.post(
        path, headers=headers, **multipart(variables, content, name)
    )


@pytest.fixture
async def client(session: AsyncSession, account: Account) -> Client:
    client = await add_client(session, account)
    await session.commit()
    return client


@pytest.fixture
def storage(tmp_path: Path) -> Path:
    return tmp_path / "files"


@pytest.fixture
async def staff(
    engine: AsyncEngine, account: Account, storage: Path
) -> AsyncIterator[GraphClient]:
    viewer = Viewer(account_id=account.id, permissions=ALL)
    services = services_with_files(storage, max_upload_bytes=LIMIT)
    async with client_with_permissions(engine, viewer, services) as graph:
        yield graph


def stored_files(storage: Path) -> list[Path]:
    return [path for path in storage.rglob("*") if path.is_file()]


async def rows(session: AsyncSession) -> int:
    await session.commit()
    return await session.scalar(select(func.count(Attachment.id))) or 0


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (WEBP, "image/webp"),
        (HEIC, "image/heic"),
        (b"Gate code: 4411\r\nCall ahead.\n", "text/plain"),
    ],
)
async def test_an_upload_is_kept_by_what_its_bytes_are(
    staff: GraphClient,
    session: AsyncSession,
    client: Client,
    storage: Path,
    content: bytes,
    content_type: str,
) -> None:
    response = await upload(
        staff, {"clientId": gid(client)}, content, name="../../etc/pass:wd"
    )

    payload = response.json()["data"]["addAttachment"]
    files = stored_files(storage)
    actions = await session.scalars(select(ActivityRecord.action))
    assert payload["userErrors"] == []
    assert payload["attachment"]["filename"] == "pass_wd"
    assert payload["attachment"]["contentType"] == content_type
    assert payload["attachment"]["sizeBytes"] == len(content)
    assert payload["attachment"]["sha256"] == hashlib.sha256(content).hexdigest()
    assert len(files) == 1
    assert files[0].read_bytes() == content
    assert "pass" not in str(files[0])
    assert list(actions) == ["attachment.added"]


async def test_a_file_joins_a_note_of_the_same_client_only(
    staff: GraphClient, session: AsyncSession, account: Account, client: Client
) -> None:
    note = await add_note(session, client)
    stranger = await add_note(session, await add_client(session, account))
    await session.commit()

    attached = await upload(staff, {"clientId": gid(client), "noteId": gid(note)})
    refused = await upload(staff, {"clientId": gid(client), "noteId": gid(stranger)})

    assert attached.json()["data"]["addAttachment"]["userErrors"] == []
    assert refused.json()["data"]["addAttachment"]["userErrors"] == [
        {"field": ["input", "noteId"], "code": "NOTE_NOT_FOUND"}
    ]
    await session.commit()
    assert list(await session.scalars(select(Attachment.note_id))) == [note.id]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "EMPTY"),
        (PDF + bytes(LIMIT), "TOO_LARGE"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04", "TYPE_NOT_ALLOWED"),
        (b"<svg onload=alert(1)>\x00", "TYPE_NOT_ALLOWED"),
    ],
)
async def test_a_refused_upload_leaves_nothing_behind(
    staff: GraphClient,
    session: AsyncSession,
    client: Client,
    storage: Path,
    content: bytes,
    code: str,
) -> None:
    response = await upload(staff, {"clientId": gid(client)}, content)

    assert response.json()["data"]["addAttachment"] == {
        "attachment": None,
        "userErrors": [{"field": ["input", "file"], "code": code}],
    }
    assert stored_files(storage) == []
    assert await rows(session) == 0


async def test_another_accounts_client_gets_no_files(
    staff: GraphClient, session: AsyncSession, storage: Path
) -> None:
    other = await add_client(session, await add_account(session))
    await session.commit()

    response = await upload(staff, {"clientId": gid(other)})

    assert response.json()["data"]["addAttachment"]["userErrors"] == [
        {"field": ["input", "clientId"], "code": "CLIENT_NOT_FOUND"}
    ]
    assert stored_files(storage) == []


async def test_a_merged_clients_files_go_to_the_survivor_instead(
    staff: GraphClient,
    session: AsyncSession,
    account: Account,
    client: Client,
    storage: Path,
) -> None:
    survivor = await add_client(session, account)
    client.merged_into_id = survivor.id
    await session.commit()

    response = await upload(staff, {"clientId": gid(client)})

    assert response.json()["data"]["addAttachment"]["userErrors"] == [
        {"field": ["input", "clientId"], "code": "CLIENT_MERGED"}
    ]
    assert stored_files(storage) == []


async def test_uploading_needs_notes_write(
    engine: AsyncEngine, account: Account, client: Client, storage: Path
) -> None:
    viewer = Viewer(account_id=account.id, permissions=ALL - {Permission.NOTES_WRITE})
    services = services_with_files(storage)

    async with client_with_permissions(engine, viewer, services) as graph:
        response = await upload(graph, {"clientId": gid(client)})

    body = response.json()
    assert body["data"]["addAttachment"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert stored_files(storage) == []


async def test_multipart_needs_a_header_no_cross_site_form_can_send(
    staff: GraphClient, client: Client, storage: Path
) -> None:
    response = await upload(staff, {"clientId": gid(client)}, headers={})
    with_token = await upload(
        staff, {"clientId": gid(client)}, headers={"Authorization": "Bearer x"}
    )

    assert response.status_code == 415
    assert with_token.status_code == 200
    assert len(stored_files(storage)) == 1


async def test_only_the_staff_route_takes_uploads(
    staff: GraphClient, client: Client, storage: Path
) -> None:
    dashboard = await upload(
        staff, {"clientId": gid(client)}, path="/dashboard/graphql"
    )
    partner = await upload(staff, {"clientId": gid(client)}, path="/partner/graphql")

    assert dashboard.status_code == 415
    assert partner.status_code == 415
    assert stored_files(storage) == []


async def test_a_body_over_the_limit_is_refused_before_it_is_read(
    staff: GraphClient, client: Client, storage: Path
) -> None:
    response = await upload(
        staff, {"clientId": gid(client)}, PDF + bytes(LIMIT + 1024 * 1024)
    )

    assert response.status_code == 413
    assert stored_files(storage) == []


async def test_a_removed_attachment_loses_its_bytes_too(
    staff: GraphClient, session: AsyncSession, client: Client, storage: Path
) -> None:
    uploaded = await upload(staff, {"clientId": gid(client)})
    attachment_id = uploaded.json()["data"]["addAttachment"]["attachment"]["id"]

    removed = await staff.data(REMOVE, id=attachment_id)
    again = await staff.data(REMOVE, id=attachment_id)

    assert removed["removeAttachment"] == {
        "removedAttachmentId": attachment_id,
        "userErrors": [],
    }
    assert again["removeAttachment"]["userErrors"] == [
        {"field": ["input", "attachmentId"], "code": "ATTACHMENT_NOT_FOUND"}
    ]
    assert stored_files(storage) == []
    assert await rows(session) == 0
    actions = await session.scalars(
        select(ActivityRecord.action).order_by(ActivityRecord.id)
    )
    assert list(actions) == ["attachment.added", "attachment.removed"]


async def test_a_download_is_an_attachment_never_sniffed(
    staff: GraphClient, client: Client
) -> None:
    uploaded = await upload(staff, {"clientId": gid(client)}, name="Plan «v2».pdf")
    attachment = uploaded.json()["data"]["addAttachment"]["attachment"]

    response = await staff.http.get(attachment["downloadPath"])

    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''Plan%20%C2%ABv2%C2%BB.pdf"
        in (response.headers["content-disposition"])
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "private, no-store"


async def test_downloads_stay_in_the_account_and_need_notes_read(
    staff: GraphClient,
    engine: AsyncEngine,
    session: AsyncSession,
    account: Account,
    client: Client,
    storage: Path,
) -> None:
    uploaded = await upload(staff, {"clientId": gid(client)})
    attachment_id = uploaded.json()["data"]["addAttachment"]["attachment"]["id"]
    other_account = await add_account(session)
    await session.commit()
    outsider = Viewer(account_id=other_account.id, permissions=ALL)
    driver = Viewer(account_id=account.id, permissions=ALL - {Permission.NOTES_READ})
    services = services_with_files(storage)

    async with client_with_permissions(engine, outsider, services) as graph:
        elsewhere = await graph.http.get(f"/attachments/{attachment_id}")
    async with client_with_permissions(engine, driver, services) as graph:
        forbidden = await graph.http.get(f"/attachments/{attachment_id}")
    unknown = await staff.http.get("/attachments/not-an-id")

    assert elsewhere.status_code == 404
    assert forbidden.status_code == 403
    assert forbidden.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert unknown.status_code == 404


async def test_a_download_without_a_token_is_401(engine: AsyncEngine) -> None:
    app = create_app(Config.from_environment(), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        anonymous = await http.get("/attachments/QXR0YWNobWVudDp4")
        wrong = await http.get(
            "/attachments/QXR0YWNobWVudDp4", headers={"Authorization": "Bearer nope"}
        )

    assert anonymous.status_code == 401
    assert wrong.status_code == 401
