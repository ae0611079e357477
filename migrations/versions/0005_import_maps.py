"""import maps kept in the ledger under a name (issue 13: `sanling import --save-map NAME`)

Revision ID: 0005
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_maps",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("saved_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_import_maps")),
    )


def downgrade() -> None:
    op.drop_table("import_maps")
