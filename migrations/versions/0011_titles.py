"""titles: subjects named for a year (命名) and their revocation (摘牌) (issue 17)

`sanling subject name NAME --year Y` adds a row; `subject revoke` stamps it (date, reason,
the record that broke it). One title per subject and year. A new table: nothing to keep on
upgrade; a downgrade drops it (and the titles with it).

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "titles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("town_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=40), nullable=False),
        sa.Column("named_on", sa.Date(), nullable=False),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=True),
        sa.Column("revoke_ref", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_titles_subject_id_subjects")
        ),
        sa.ForeignKeyConstraint(["town_id"], ["towns.id"], name=op.f("fk_titles_town_id_towns")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_titles")),
        sa.UniqueConstraint("subject_id", "year", name="uq_titles_subject_year"),
    )
    op.create_index("ix_titles_town_year", "titles", ["town_id", "year"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_titles_town_year", table_name="titles")
    op.drop_table("titles")
