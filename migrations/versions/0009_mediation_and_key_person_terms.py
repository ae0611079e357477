"""mediation agreements and follow-ups; key persons' categories and listing terms (issue 16)

- disputes gain the mediation agreement (人民调解法 Art. 28-29: number, content, amount, oral or
  written, date, performance due), its judicial confirmation (Art. 33: court, date) and two
  flags of the 司法所's statistics, prevented a criminal case (防止民转刑) and a group petition
  (防止群体性上访); every existing dispute keeps its data and has both flags false.
- dispute_followups: follow-up visits (回访) on whether an agreement was carried out.
- persons.category also takes correction (社区矫正) and youth (重点青少年); persons gain the
  listing term: term_from (release, or the start of 社区戒毒 / 社区矫正) and term_end.

Downgrade drops the new columns and table; a ledger holding a key person of a new category
cannot go back (the old CHECK refuses the row), as 0005 does for 镇直 subjects.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_CATEGORIES = ("released", "drug", "mental", "petitioner", "other")
NEW_CATEGORIES = (*OLD_CATEGORIES, "correction", "youth")
CATEGORY_CHECK = "ck_persons_personcategory"
FLAGS = ("prevented_criminal", "prevented_group_petition")
AGREEMENT = (
    ("agreement_no", sa.String(length=100)),
    ("agreement_content", sa.Text()),
    ("agreement_amount", sa.Numeric(precision=14, scale=2)),
    ("agreement_oral", sa.Boolean()),
    ("agreed_on", sa.Date()),
    ("performance_due", sa.Date()),
    ("confirm_court", sa.String(length=200)),
    ("confirmed_on", sa.Date()),
)
TERMS = ("term_from", "term_end")


def _categories(allowed: Sequence[str]) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("persons", recreate="always" if sqlite else "auto") as batch:
        batch.drop_constraint(op.f(CATEGORY_CHECK), type_="check")
        batch.create_check_constraint(op.f(CATEGORY_CHECK), sa.column("category").in_(allowed))


def _foreign_keys_hold() -> None:
    """SQLite rebuilt tables with foreign keys off (env.py): check them before commit."""
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise RuntimeError(f"foreign keys broken by the rebuild: {broken[:5]}")


def upgrade() -> None:
    with op.batch_alter_table("disputes") as batch:
        for flag in FLAGS:
            # Existing disputes, and rows written by plain SQL: false.
            batch.add_column(
                sa.Column(flag, sa.Boolean(), nullable=False, server_default=sa.false())
            )
        for name, type_ in AGREEMENT:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.create_index(batch.f("ix_disputes_agreed_on"), ["agreed_on"], unique=False)
    op.create_table(
        "dispute_followups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column(
            "performed",
            sa.Enum(
                "yes",
                "partly",
                "no",
                name="performance",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("operator", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["disputes.id"],
            name=op.f("fk_dispute_followups_dispute_id_disputes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_followups")),
    )
    with op.batch_alter_table("dispute_followups") as batch:
        batch.create_index(batch.f("ix_dispute_followups_dispute_id"), ["dispute_id"], unique=False)
    with op.batch_alter_table("persons") as batch:
        for term in TERMS:
            batch.add_column(sa.Column(term, sa.Date(), nullable=True))
    _categories(NEW_CATEGORIES)
    _foreign_keys_hold()


def downgrade() -> None:
    conn = op.get_bind()
    new = conn.scalar(
        sa.text("SELECT count(*) FROM persons WHERE category IN ('correction', 'youth')")
    )
    if new:
        raise RuntimeError(
            f"{new} key persons are of category correction or youth, which revision 0005 "
            "does not know: change their category first"
        )
    _categories(OLD_CATEGORIES)
    with op.batch_alter_table("persons") as batch:
        for term in TERMS:
            batch.drop_column(term)
    with op.batch_alter_table("dispute_followups") as batch:
        batch.drop_index(batch.f("ix_dispute_followups_dispute_id"))
    op.drop_table("dispute_followups")
    with op.batch_alter_table("disputes") as batch:
        batch.drop_index(batch.f("ix_disputes_agreed_on"))
        for name, _type in reversed(AGREEMENT):
            batch.drop_column(name)
        for flag in reversed(FLAGS):
            batch.drop_column(flag)
    _foreign_keys_hold()
