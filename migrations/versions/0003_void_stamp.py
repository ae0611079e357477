"""the void stamp of every record (issue 14: corrections)

A record entered in error is voided, never deleted: when, by whom and why. Existing records
are not voided (the columns start empty).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 20:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table of numbered records (models.RECORD_MODELS), as this revision has them.
TABLES = (
    "sweeps",
    "disputes",
    "petitions",
    "backlog_cases",
    "hazards",
    "hotspots",
    "patrols",
    "cases",
    "accidents",
    "persons",
)


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("voided_at", sa.DateTime(), nullable=True))
            batch_op.add_column(sa.Column("voided_by", sa.String(length=100), nullable=True))
            batch_op.add_column(sa.Column("void_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("void_reason")
            batch_op.drop_column("voided_by")
            batch_op.drop_column("voided_at")
