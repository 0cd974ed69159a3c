"""Trigram indexes and a search function for the client search on PostgreSQL.

The search matches substrings (``ILIKE '%term%'``) in client names, contact
names, emails and phones, and addresses; without these indexes every search
scans those tables. Under row-level security PostgreSQL will not use them:
``ILIKE`` is not leakproof, so it runs only after the policy, row by row.
``client_search_ids`` therefore runs as the tables' owner and applies the
policy's condition itself (the account of ``haulgraph.account_id``, which
must be the account asked for), so its lookups use the indexes. SQLite gets
neither: it has no such index and scans.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_ROLE = "haulgraph_tenant"
# The account the request runs for; unset outside requests (tools, migrations).
CURRENT_ACCOUNT = "NULLIF(current_setting('haulgraph.account_id', true), '')::bigint"
SEARCH_FUNCTION = "client_search_ids(bigint, text, boolean)"
# The same account as row-level security would allow; none when the request
# runs for another account than the one asked for.
SAME_ACCOUNT = f"account_id = $1 AND $1 = coalesce({CURRENT_ACCOUNT}, $1)"
CREATE_SEARCH_FUNCTION = f"""
CREATE FUNCTION client_search_ids(bigint, text, boolean) RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT id FROM clients WHERE {SAME_ACCOUNT}
    AND (display_name ILIKE $2 OR company_name ILIKE $2 OR account_number ILIKE $2)
  UNION
  SELECT client_id FROM contacts WHERE {SAME_ACCOUNT}
    AND (first_name ILIKE $2 OR last_name ILIKE $2 OR email ILIKE $2
         OR phone ILIKE $2)
  UNION
  SELECT client_id FROM contacts WHERE $3 AND {SAME_ACCOUNT}
    AND (first_name || ' ' || last_name) ILIKE $2
  UNION
  SELECT client_id FROM addresses WHERE {SAME_ACCOUNT}
    AND (line1 ILIKE $2 OR city ILIKE $2 OR postal_code ILIKE $2)
$$
"""

SEARCHED_COLUMNS = {
    "clients": ("display_name", "company_name", "account_number"),
    "contacts": ("first_name", "last_name", "email", "phone"),
    "addresses": ("line1", "city", "postal_code"),
}


def is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not is_postgresql():
        return
    # pg_trgm is a trusted extension: the database's owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, columns in SEARCHED_COLUMNS.items():
        for column in columns:
            op.create_index(
                f"ix_{table}_{column}_trigram",
                table,
                [column],
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            )
    op.execute(CREATE_SEARCH_FUNCTION)
    op.execute(f"REVOKE ALL ON FUNCTION {SEARCH_FUNCTION} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SEARCH_FUNCTION} TO {TENANT_ROLE}")


def downgrade() -> None:
    if not is_postgresql():
        return
    op.execute(f"DROP FUNCTION {SEARCH_FUNCTION}")
    for table, columns in SEARCHED_COLUMNS.items():
        for column in columns:
            op.drop_index(f"ix_{table}_{column}_trigram", table_name=table)
