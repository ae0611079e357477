"""village bulletins: a robot per village and the record of what was sent

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("webhook", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("dingtalk_secret", sa.String(length=200), nullable=True))
    op.create_table(
        "bulletins_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["village_id"],
            ["subjects.id"],
            name=op.f("fk_bulletins_sent_village_id_subjects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulletins_sent")),
        sa.UniqueConstraint("village_id", "day", name="uq_bulletins_sent_village_day"),
    )


def downgrade() -> None:
    op.drop_table("bulletins_sent")
    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.drop_column("dingtalk_secret")
        batch_op.drop_column("webhook")
