"""Documents without HTTP: templates, rendering for a client, viewing,
signing, and a signed text that nothing can change."""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.documents import (
    Signature,
    TemplateDraft,
    create_template,
    delivery_needs_signature,
    is_signed_text_intact,
    mark_document_viewed,
    send_document,
    sha256_of,
    sign_document,
    update_template,
)
from domain.problems import Refused
from persistence.database import create_session_factory
from persistence.enums import Channel, ClientType, DocumentKind, NotificationEvent
from persistence.models import (
    Account,
    ActivityRecord,
    Client,
    Document,
    DocumentTemplate,
    NotificationLogEntry,
)
from persistence.seed.accounts import TEMPLATE_BODIES
from tests.estimate_factories import (
    NOW,
    client_viewer,
    set_client_setting,
    staff_viewer,
)
from tests.factories import add_account, add_address, add_client, add_contact
from tests.records_factories import add_document

AGREEMENT = (
    "<p>{{ business.name }} rents a container to {{ client.name }} at "
    "{{ service_address.line1 }}, {{ service_address.city }} on {{ today }}.</p>"
)
SIGNATURE = Signature("Pat Renter", NOW + timedelta(hours=1), "203.0.113.7")


@pytest.fixture
async def account(session: AsyncSession) -> Account:
    return await add_account(session, name="Rocky Roll-Off")


@pytest.fixture
async def client(session: AsyncSession, account: Account) -> Client:
    client = await add_client(session, account, display_name="Pat Renter")
    await add_address(session, client, is_default=True, line1="9 Elm St")
    await add_contact(
        session, client, is_primary=True, email="pat@example.com", phone="+13035550100"
    )
    return client


async def new_template(
    session: AsyncSession, account: Account, body: str = AGREEMENT
) -> DocumentTemplate:
    draft = TemplateDraft(DocumentKind.RENTAL_AGREEMENT, "Rental agreement", body)
    return await create_template(session, staff_viewer(account), account.id, draft)


async def sent(
    session: AsyncSession, account: Account, client: Client, **values: Any
) -> Document:
    template = await new_template(session, account)
    return await send_document(
        session, staff_viewer(account), client, template, Channel.EMAIL, NOW, **values
    )


async def refusal_codes(operation: Any) -> list[tuple[str, str]]:
    with pytest.raises(Refused) as refused:
        await operation
    return [(problem.code.value, problem.field) for problem in refused.value.problems]


async def test_a_template_is_rendered_for_the_client_and_sent(
    session: AsyncSession, account: Account, client: Client
) -> None:
    document = await sent(session, account, client)

    assert document.body == (
        "<p>Rocky Roll-Off rents a container to Pat Renter at 9 Elm St, Boulder "
        "on 2026-06-15.</p>"
    )
    assert (document.sent_to, document.sent_via, document.kind) == (
        "pat@example.com",
        Channel.EMAIL,
        DocumentKind.RENTAL_AGREEMENT,
    )
    notice = await session.scalar(select(NotificationLogEntry))
    assert notice is not None
    assert notice.event == NotificationEvent.DOCUMENT_TO_SIGN
    assert notice.context == {
        "document_id": str(document.public_id),
        "title": "Rental agreement",
    }
    actions = await session.scalars(select(ActivityRecord.action))
    assert list(actions) == ["document_template.created", "document.sent"]


async def test_client_supplied_text_is_escaped(
    session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account, display_name="<script>x()</script>")
    await add_address(session, client, is_default=True)
    await add_contact(session, client, is_primary=True, email="a@example.com")

    document = await sent(session, account, client)

    assert "<script>" not in document.body
    assert "&lt;script&gt;x()&lt;/script&gt;" in document.body


async def test_templates_cannot_reach_python_internals(
    session: AsyncSession, account: Account, client: Client
) -> None:
    template = await new_template(
        session, account, "{{ client.__class__.__mro__[1].__subclasses__() }}"
    )

    codes = await refusal_codes(
        send_document(
            session, staff_viewer(account), client, template, Channel.EMAIL, NOW
        )
    )

    assert codes == [("template_render", "templateId")]


async def test_template_problems_are_typed(
    session: AsyncSession, account: Account
) -> None:
    broken = TemplateDraft(DocumentKind.OTHER, "", "{% if client.name %}unclosed")
    empty = TemplateDraft(DocumentKind.OTHER, "Terms", "   ")

    broken_codes = await refusal_codes(
        create_template(session, staff_viewer(account), account.id, broken)
    )
    empty_codes = await refusal_codes(
        create_template(session, staff_viewer(account), account.id, empty)
    )

    assert broken_codes == [("name_invalid", "name"), ("template_syntax", "body")]
    assert empty_codes == [("body_invalid", "body")]


async def test_a_name_missing_from_the_context_refuses_to_render(
    session: AsyncSession, account: Account, client: Client
) -> None:
    template = await new_template(session, account, "Dear {{ client.nickname }}")

    codes = await refusal_codes(
        send_document(
            session, staff_viewer(account), client, template, Channel.EMAIL, NOW
        )
    )

    assert codes == [("template_render", "templateId")]


async def test_updating_a_template_keeps_sent_documents_as_sent(
    session: AsyncSession, account: Account, client: Client
) -> None:
    document = await sent(session, account, client)
    template = await session.get_one(DocumentTemplate, document.template_id)
    before = document.body

    await update_template(
        session,
        staff_viewer(account),
        template,
        TemplateDraft(body="New terms.", client_type=ClientType.CONTRACTOR),
    )

    assert (template.version, template.body, template.client_type) == (
        2,
        "New terms.",
        ClientType.CONTRACTOR,
    )
    assert document.body == before


async def test_sending_needs_a_recipient_on_the_channel(
    session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    await add_contact(session, client, is_primary=True, email="only@example.com")
    template = await new_template(session, account, "Terms for {{ client.name }}.")

    codes = await refusal_codes(
        send_document(
            session, staff_viewer(account), client, template, Channel.TEXT, NOW
        )
    )

    assert codes == [("no_recipient", "via")]


async def test_viewing_keeps_the_first_opening(
    session: AsyncSession, account: Account, client: Client
) -> None:
    document = await sent(session, account, client)
    unsent = await add_document(session, client)

    await mark_document_viewed(session, client_viewer(client), document, NOW)
    await mark_document_viewed(
        session, client_viewer(client), document, NOW + timedelta(days=1)
    )
    codes = await refusal_codes(
        mark_document_viewed(session, staff_viewer(account), unsent, NOW)
    )

    assert document.viewed_at == NOW
    assert codes == [("not_sent", "documentId")]


async def test_a_signature_keeps_the_hash_of_the_exact_text(
    session: AsyncSession, account: Account, client: Client
) -> None:
    document = await sent(session, account, client)

    await sign_document(session, client_viewer(client), document, SIGNATURE)

    assert (document.signer_name, document.signer_ip, document.signed_at) == (
        "Pat Renter",
        "203.0.113.7",
        SIGNATURE.signed_at,
    )
    assert document.signed_sha256 == sha256_of(document.body)
    assert is_signed_text_intact(document)


@pytest.mark.parametrize(
    ("signature", "expected"),
    [
        (
            Signature(" ", NOW, "not-an-ip"),
            [
                ("signer_name_invalid", "signerName"),
                ("ip_address_invalid", "ipAddress"),
            ],
        ),
        (Signature("Pat", NOW, "2001:db8::1"), []),
    ],
)
async def test_signer_name_and_address_are_checked(
    session: AsyncSession,
    account: Account,
    client: Client,
    signature: Signature,
    expected: list[tuple[str, str]],
) -> None:
    document = await sent(session, account, client)

    try:
        await sign_document(session, staff_viewer(account), document, signature)
        codes: list[tuple[str, str]] = []
    except Refused as refused:
        codes = [(p.code.value, p.field) for p in refused.problems]

    assert codes == expected


async def test_a_document_is_signed_once_and_only_when_it_asks_for_it(
    session: AsyncSession, account: Account, client: Client
) -> None:
    document = await sent(session, account, client)
    notice = await sent(session, account, client, requires_signature=False)
    unsent = await add_document(session, client)
    await sign_document(session, staff_viewer(account), document, SIGNATURE)

    again = await refusal_codes(
        sign_document(session, staff_viewer(account), document, SIGNATURE)
    )
    not_asked = await refusal_codes(
        sign_document(session, staff_viewer(account), notice, SIGNATURE)
    )
    not_sent = await refusal_codes(
        sign_document(session, staff_viewer(account), unsent, SIGNATURE)
    )

    assert again == [("already_signed", "documentId")]
    assert not_asked == [("signature_not_required", "documentId")]
    assert not_sent == [("not_sent", "documentId")]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE documents SET body = 'Other terms.' WHERE id = :id",
        "UPDATE documents SET signer_name = 'Someone else' WHERE id = :id",
        "DELETE FROM documents WHERE id = :id",
    ],
)
async def test_the_database_refuses_changing_a_signed_document(
    engine: AsyncEngine,
    session: AsyncSession,
    account: Account,
    client: Client,
    statement: str,
) -> None:
    document = await sent(session, account, client)
    await sign_document(session, staff_viewer(account), document, SIGNATURE)
    await session.commit()

    async with create_session_factory(engine)() as other:
        with pytest.raises(DBAPIError):
            await other.execute(text(statement), {"id": document.id})
        await other.rollback()

    await session.refresh(document)
    assert is_signed_text_intact(document)


async def test_an_unsigned_document_and_a_signed_ones_links_may_change(
    engine: AsyncEngine, session: AsyncSession, account: Account, client: Client
) -> None:
    signed = await sent(session, account, client)
    await sign_document(session, staff_viewer(account), signed, SIGNATURE)
    draft = await add_document(session, client, body="Draft terms.")
    await session.commit()

    async with create_session_factory(engine)() as other:
        await other.execute(
            text("UPDATE documents SET body = 'Better terms.' WHERE id = :id"),
            {"id": draft.id},
        )
        await other.execute(
            text(
                "UPDATE documents SET viewed_at = signed_at, template_id = NULL "
                "WHERE id = :id"
            ),
            {"id": signed.id},
        )
        await other.commit()

    await session.refresh(draft)
    await session.refresh(signed)
    assert draft.body == "Better terms."
    assert signed.template_id is None


@pytest.mark.parametrize(
    ("setting", "signed_kind", "expected"),
    [
        (False, None, False),
        (True, None, True),
        (True, DocumentKind.TERMS_AND_CONDITIONS, True),
        (True, DocumentKind.RENTAL_AGREEMENT, False),
    ],
)
async def test_delivery_needs_a_signed_agreement_per_the_settings(
    session: AsyncSession,
    account: Account,
    client: Client,
    setting: bool,
    signed_kind: DocumentKind | None,
    expected: bool,
) -> None:
    await set_client_setting(session, client, "agreement_before_delivery", setting)
    if signed_kind is not None:
        document = await sent(session, account, client)
        document.kind = signed_kind
        await sign_document(session, staff_viewer(account), document, SIGNATURE)

    assert await delivery_needs_signature(session, client) is expected


@pytest.mark.parametrize("kind", list(TEMPLATE_BODIES))
async def test_the_demo_templates_render(
    session: AsyncSession, account: Account, client: Client, kind: DocumentKind
) -> None:
    body = TEMPLATE_BODIES[kind].replace("{{ clause }}", "")
    template = await new_template(session, account, body)

    document = await send_document(
        session, staff_viewer(account), client, template, Channel.EMAIL, NOW
    )

    assert "Pat Renter" in document.body
    assert "{{" not in document.body
