"""supervision (督办) and deadline extensions (延期) of disputes, backlog cases and hazards

Two new tables (issue 16, item 2): `supervision` holds every card given or lifted (交办, 黄牌督办,
红牌督办), `extensions` every extension of a deadline with its original. A record's own
`deadline` column stays the effective deadline every rule reads; nothing else changes, so no
data moves on upgrade. A downgrade drops both tables (the extended deadlines stay as they are).

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("dispute", "backlog", "hazard")
LEVELS = ("normal", "yellow", "red")


def _kind() -> sa.Column:  # type: ignore[type-arg]
    kind = sa.Enum(*KINDS, name="supervised", native_enum=False, create_constraint=True, length=20)
    return sa.Column("kind", kind, nullable=False)


def upgrade() -> None:
    op.create_table(
        "supervision",
        sa.Column("id", sa.Integer(), nullable=False),
        _kind(),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                *LEVELS, name="cardlevel", native_enum=False, create_constraint=True, length=20
            ),
            nullable=False,
        ),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("lifted", sa.Boolean(), nullable=False),
        sa.Column("operator", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision")),
    )
    op.create_index(
        "ix_supervision_kind_record", "supervision", ["kind", "record_id", "date"], unique=False
    )
    op.create_table(
        "extensions",
        sa.Column("id", sa.Integer(), nullable=False),
        _kind(),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("from_deadline", sa.Date(), nullable=False),
        sa.Column("to_deadline", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.String(length=100), nullable=False),
        sa.Column("operator", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extensions")),
    )
    op.create_index("ix_extensions_kind_record", "extensions", ["kind", "record_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_extensions_kind_record", table_name="extensions")
    op.drop_table("extensions")
    op.drop_index("ix_supervision_kind_record", table_name="supervision")
    op.drop_table("supervision")
