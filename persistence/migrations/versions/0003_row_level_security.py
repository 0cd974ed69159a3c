"""Row-level security on PostgreSQL: each account sees only its own rows.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_ROLE = "haulgraph_tenant"
CURRENT_ACCOUNT = "NULLIF(current_setting('haulgraph.account_id', true), '')::bigint"


def account_scoped_tables() -> list[tuple[str, str]]:
    """Every table with its tenant column: ``id`` for accounts, else account_id."""
    inspector = sa.inspect(op.get_bind())
    tables = []
    for name in inspector.get_table_names():
        columns = {column["name"] for column in inspector.get_columns(name)}
        if name == "accounts":
            tables.append((name, "id"))
        elif "account_id" in columns:
            tables.append((name, "account_id"))
    return tables


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # Roles belong to the whole server; several databases may share this one.
    op.execute(
        f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{TENANT_ROLE}') THEN
                CREATE ROLE {TENANT_ROLE} NOLOGIN NOBYPASSRLS;
            END IF;
        END $$
        """
    )
    op.execute(f"GRANT {TENANT_ROLE} TO CURRENT_USER")
    op.execute(
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
        f"TO {TENANT_ROLE}"
    )
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {TENANT_ROLE}")
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {TENANT_ROLE}"
    )
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT USAGE ON SEQUENCES TO {TENANT_ROLE}"
    )
    for table, column in account_scoped_tables():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} TO {TENANT_ROLE} "
            f"USING ({column} = {CURRENT_ACCOUNT}) "
            f"WITH CHECK ({column} = {CURRENT_ACCOUNT})"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, _column in account_scoped_tables():
        op.execute(f"DROP POLICY tenant_isolation ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
