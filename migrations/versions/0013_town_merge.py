"""towns merged from their own ledgers (issue 17: `sanling merge`)

A county ledger takes each town's SQLite ledger whole: its records (numbered per town, so a
reference number is unique per town, not per ledger), the town's audit log kept as written
(merged_audit_log) and which row here each of the town's rows became (merged_rows).

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
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


def _big() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "merged_towns",
        sa.Column("town_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["town_id"], ["towns.id"], name=op.f("fk_merged_towns_town_id_towns")
        ),
        sa.PrimaryKeyConstraint("town_id", name=op.f("pk_merged_towns")),
    )
    op.create_table(
        "merged_audit_log",
        sa.Column("id", _big(), nullable=False),
        sa.Column("town_id", sa.Integer(), nullable=False),
        sa.Column("seq", _big(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("operator", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("ref", sa.String(length=40), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["town_id"], ["towns.id"], name=op.f("fk_merged_audit_log_town_id_towns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merged_audit_log")),
        sa.UniqueConstraint("town_id", "seq", name="uq_merged_audit_log_town_seq"),
    )
    op.create_index(op.f("ix_merged_audit_log_ref"), "merged_audit_log", ["ref"], unique=False)
    op.create_table(
        "merged_rows",
        sa.Column("town_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["town_id"], ["towns.id"], name=op.f("fk_merged_rows_town_id_towns")
        ),
        sa.PrimaryKeyConstraint("town_id", "table_name", "source_id", name=op.f("pk_merged_rows")),
    )
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"uq_{table}_ref"), type_="unique")
            batch_op.create_index(op.f(f"ix_{table}_ref"), ["ref"], unique=False)
            batch_op.create_unique_constraint(op.f(f"uq_{table}_town_id_ref"), ["town_id", "ref"])


def downgrade() -> None:
    # A ledger that holds one reference number in two towns cannot go back: the unique
    # constraint on ref refuses it.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"uq_{table}_town_id_ref"), type_="unique")
            batch_op.drop_index(op.f(f"ix_{table}_ref"))
            batch_op.create_unique_constraint(op.f(f"uq_{table}_ref"), ["ref"])
    op.drop_table("merged_rows")
    op.drop_index(op.f("ix_merged_audit_log_ref"), table_name="merged_audit_log")
    op.drop_table("merged_audit_log")
    op.drop_table("merged_towns")
