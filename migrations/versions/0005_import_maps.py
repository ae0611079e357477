"""import maps kept by name, and the town itself (镇直) as a kind of subject (issue 13)

`sanling import --save-map NAME` keeps a map in import_maps. A town-level body (某镇人民调解
委员会, 镇司法所) that names no village belongs to the town itself: a subject of kind
town_office, which the CHECK on subjects.kind now allows (the table is copied on SQLite).

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("village", "community", "unit", "enterprise")
CHECK = "ck_subjects_subjectkind"


def _kinds(kinds: tuple[str, ...]) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("subjects", recreate="always" if sqlite else "auto") as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), sa.column("kind").in_(kinds))


def upgrade() -> None:
    op.create_table(
        "import_maps",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("saved_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_import_maps")),
    )
    _kinds((*KINDS, "town_office"))


def downgrade() -> None:
    # A ledger that has a 镇直 subject cannot go back: the CHECK refuses its row.
    _kinds(KINDS)
    op.drop_table("import_maps")
