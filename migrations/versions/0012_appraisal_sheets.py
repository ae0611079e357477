"""appraisal score sheets: the sheets a town or county imports, their items, and the scores
(issue 17, item 4)

A sheet is versioned by its name (default: its import date); its items carry points, the
body that scores them, the rule the ledger scores them by (night_patrol, creation_ledger,
no_criminal_case) or the veto they are (accident_death, criminal_case). A score is a
subject's points on one item in one quarter; a later one replaces it. New tables only: no
existing row changes.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RULES = ("night_patrol", "creation_ledger", "no_criminal_case")
VETOES = ("accident_death", "criminal_case")


def _code(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def upgrade() -> None:
    op.create_table(
        "appraisal_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("town_id", sa.Integer(), nullable=True),
        sa.Column("imported_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("operator", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["town_id"], ["towns.id"], name=op.f("fk_appraisal_sheets_town_id_towns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_sheets")),
        sa.UniqueConstraint("name", name=op.f("uq_appraisal_sheets_name")),
    )
    op.create_index(
        op.f("ix_appraisal_sheets_town_id"), "appraisal_sheets", ["town_id"], unique=False
    )
    op.create_table(
        "appraisal_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("section", sa.String(length=100), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("points", sa.Numeric(precision=5, scale=1), nullable=True),
        sa.Column("body", sa.String(length=100), nullable=True),
        sa.Column("rule", _code(RULES, "appraisalrule"), nullable=True),
        sa.Column("veto", _code(VETOES, "vetorule"), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["sheet_id"],
            ["appraisal_sheets.id"],
            name=op.f("fk_appraisal_items_sheet_id_appraisal_sheets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_items")),
        sa.UniqueConstraint("sheet_id", "key", name="uq_appraisal_items_sheet_key"),
    )
    op.create_table(
        "appraisal_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("points", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("scored_on", sa.Date(), nullable=False),
        sa.Column("operator", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subjects.id"],
            name=op.f("fk_appraisal_scores_subject_id_subjects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_scores")),
        sa.UniqueConstraint(
            "subject_id", "year", "quarter", "item", name="uq_appraisal_scores_subject_id"
        ),
    )


def downgrade() -> None:
    op.drop_table("appraisal_scores")
    op.drop_table("appraisal_items")
    op.drop_index(op.f("ix_appraisal_sheets_town_id"), table_name="appraisal_sheets")
    op.drop_table("appraisal_sheets")
