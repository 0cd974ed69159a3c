"""Row-level security on PostgreSQL: the database's own wall between tenants.

Every account-scoped table has a policy that shows a row only when its
``account_id`` equals the transaction's ``haulgraph.account_id`` setting.
Sessions of signed-in viewers switch to the ``haulgraph_tenant`` role (which
cannot bypass policies) at the start of every transaction, so a query that
forgot its tenant filter still sees only the viewer's account. System work
(migrations, seeding, workers, token lookups) runs as the connecting role.
"""

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

TENANT_ROLE = "haulgraph_tenant"
ACCOUNT_SETTING = "haulgraph.account_id"


def scope_to_account(session: AsyncSession, account_id: int) -> None:
    """Confine every transaction of ``session`` to one account (PostgreSQL only)."""
    if session.bind is None or session.bind.dialect.name != "postgresql":
        return

    def confine(
        sync_session: Session, transaction: SessionTransaction, connection: Any
    ) -> None:
        # Only the outermost transaction: savepoints inherit the setting.
        if transaction.parent is not None:
            return
        # One round trip: set_config('role', …, true) is SET LOCAL ROLE.
        connection.execute(
            text(
                "SELECT set_config('role', :role, true), "
                "set_config(:name, :value, true)"
            ),
            {"role": TENANT_ROLE, "name": ACCOUNT_SETTING, "value": str(account_id)},
        )

    event.listen(session.sync_session, "after_begin", confine)
