"""Which client's thread an inbound text joins when numbers are shared."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.messages import receive_text
from persistence.enums import MessageDirection, MessageStatus
from persistence.models import Message
from tests.factories import add
from tests.notify_factories import NotifiedClient, add_notified_client

SHARED = "(303) 555-0142"


async def two_businesses_share_a_contact(
    session: AsyncSession,
) -> tuple[NotifiedClient, NotifiedClient]:
    first = await add_notified_client(session, phone=SHARED)
    second = await add_notified_client(session, phone=SHARED)
    return first, second


async def test_the_account_texted_decides_when_its_number_is_known(
    session: AsyncSession,
) -> None:
    first, second = await two_businesses_share_a_contact(session)
    second.account.phone = "+1 720 555 0199"
    await session.flush()

    message = await receive_text(session, "+13035550142", "+17205550199", "Hi", None)

    assert message is not None
    assert message.client_id == second.client.id


async def test_the_conversation_last_texted_gets_the_reply(
    session: AsyncSession,
) -> None:
    first, _ = await two_businesses_share_a_contact(session)
    await add(
        session,
        Message(
            account_id=first.account.id,
            client_id=first.client.id,
            contact_id=first.contact.id,
            direction=MessageDirection.OUTBOUND,
            status=MessageStatus.SENT,
            body="Pickup tomorrow?",
            from_number="+17205550100",
            to_number="+13035550142",
        ),
    )

    message = await receive_text(session, "+13035550142", "+17205550100", "Yes", None)

    assert message is not None
    assert message.client_id == first.client.id


async def test_an_ambiguous_number_across_businesses_is_not_guessed(
    session: AsyncSession,
) -> None:
    await two_businesses_share_a_contact(session)

    message = await receive_text(session, "+13035550142", "+17205550100", "Hi", None)

    assert message is None
    assert list(await session.scalars(select(Message))) == []
