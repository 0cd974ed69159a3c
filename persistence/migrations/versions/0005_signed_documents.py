"""Signed documents never change; document templates get public IDs.

Revision ID: 0005
Revises: 0004
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Inlined rather than imported: a migration must not change when models do.
SIGNED_COLUMNS = (
    "kind",
    "title",
    "body",
    "requires_signature",
    "signed_at",
    "signer_name",
    "signer_ip",
    "signed_sha256",
)
CHANGED_IN_POSTGRESQL = " OR ".join(
    f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in SIGNED_COLUMNS
)
CHANGED_IN_SQLITE = " OR ".join(
    f"NEW.{column} IS NOT OLD.{column}" for column in SIGNED_COLUMNS
)
SIGNED_DOCUMENT_SQL = {
    "postgresql": [
        f"""
        CREATE FUNCTION documents_signed_immutable() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION 'document % is signed and cannot be deleted', OLD.id;
            END IF;
            IF {CHANGED_IN_POSTGRESQL} THEN
                RAISE EXCEPTION 'document % is signed and cannot change', OLD.id;
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """,
        """
        CREATE TRIGGER documents_signed_immutable
        BEFORE UPDATE OR DELETE ON documents
        FOR EACH ROW WHEN (OLD.signed_at IS NOT NULL)
        EXECUTE FUNCTION documents_signed_immutable()
        """,
    ],
    "sqlite": [
        f"""
        CREATE TRIGGER documents_signed_no_update
        BEFORE UPDATE ON documents
        WHEN OLD.signed_at IS NOT NULL
            AND ({CHANGED_IN_SQLITE})
        BEGIN
            SELECT RAISE(ABORT, 'a signed document cannot change');
        END
        """,
        """
        CREATE TRIGGER documents_signed_no_delete
        BEFORE DELETE ON documents
        WHEN OLD.signed_at IS NOT NULL
        BEGIN
            SELECT RAISE(ABORT, 'a signed document cannot be deleted');
        END
        """,
    ],
}


def upgrade() -> None:
    add_template_public_ids()
    for statement in SIGNED_DOCUMENT_SQL.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def add_template_public_ids() -> None:
    """Existing templates get a random public ID before the column is required."""
    op.add_column(
        "document_templates", sa.Column("public_id", sa.Uuid(), nullable=True)
    )
    templates = sa.table(
        "document_templates",
        sa.column("id", sa.Integer),
        sa.column("public_id", sa.Uuid),
    )
    bind = op.get_bind()
    for (template_id,) in bind.execute(sa.select(templates.c.id)).all():
        bind.execute(
            templates.update()
            .where(templates.c.id == template_id)
            .values(public_id=uuid.uuid4())
        )
    with op.batch_alter_table("document_templates") as batch:
        batch.alter_column("public_id", existing_type=sa.Uuid(), nullable=False)
        batch.create_unique_constraint("uq_document_templates_public_id", ["public_id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER documents_signed_immutable ON documents")
        op.execute("DROP FUNCTION documents_signed_immutable()")
    else:
        op.execute("DROP TRIGGER documents_signed_no_update")
        op.execute("DROP TRIGGER documents_signed_no_delete")
    with op.batch_alter_table("document_templates") as batch:
        batch.drop_constraint("uq_document_templates_public_id", type_="unique")
        batch.drop_column("public_id")
