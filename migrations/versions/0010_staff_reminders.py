"""staff roster and the record of reminders sent to handlers

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("town_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=True),
        sa.Column("village_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["town_id"], ["towns.id"], name=op.f("fk_staff_town_id_towns")),
        sa.ForeignKeyConstraint(
            ["village_id"], ["subjects.id"], name=op.f("fk_staff_village_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("town_id", "name", name="uq_staff_town_id_name"),
    )
    op.create_table(
        "reminders_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("town_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("handler", sa.String(length=200), nullable=False),
        sa.Column("ref", sa.String(length=20), nullable=False),
        sa.Column("robot", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["town_id"], ["towns.id"], name=op.f("fk_reminders_sent_town_id_towns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders_sent")),
        sa.UniqueConstraint(
            "town_id",
            "day",
            "handler",
            "ref",
            "robot",
            name="uq_reminders_sent_town_id_day_handler_ref_robot",
        ),
    )


def downgrade() -> None:
    op.drop_table("reminders_sent")
    op.drop_table("staff")
