"""A client ready to be notified, and a worker with in-memory transports."""

from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.delivery.dispatch import Transports
from domain.delivery.mail import Mailer, MemoryMailer
from domain.delivery.outbox import Worker
from domain.delivery.texts import MemoryTexter
from persistence.database import create_session_factory
from persistence.models import Account, Client, Contact, Invoice
from tests.factories import add_account, add_client, add_contact, add_invoice

CONSENTED = datetime(2026, 1, 2, tzinfo=UTC)
numbers = count(2000)


@dataclass
class NotifiedClient:
    account: Account
    client: Client
    contact: Contact
    invoice: Invoice


async def add_notified_client(
    session: AsyncSession, account: Account | None = None, **contact_values: object
) -> NotifiedClient:
    """A client whose primary contact has an email, a phone and text consent
    (unless ``contact_values`` say otherwise), with an open invoice; in a new
    account unless one is given."""
    number = 1042
    if account is None:
        account = await add_account(session, email_from="office@hauling.example")
    else:
        number = next(numbers)
    client = await add_client(session, account, display_name="Rocky Builders")
    values: dict[str, object] = {
        "first_name": "Rita",
        "email": "rita@rocky.example",
        "phone": "(303) 555-0142",
        "is_primary": True,
        "text_consent_at": CONSENTED,
    }
    contact = await add_contact(session, client, **(values | contact_values))
    invoice = await add_invoice(session, client, number=number)
    await session.commit()
    return NotifiedClient(account, client, contact, invoice)


def memory_worker(
    engine: AsyncEngine, mailer: Mailer | None = None, **options: object
) -> tuple[Worker, MemoryMailer, MemoryTexter]:
    memory_mailer = MemoryMailer()
    texter = MemoryTexter()
    transports = Transports(mailer=mailer or memory_mailer, texter=texter)
    worker = Worker(create_session_factory(engine), transports, **options)  # type: ignore[arg-type]
    return worker, memory_mailer, texter
