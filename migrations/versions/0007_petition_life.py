"""petitions under the 信访工作条例 (issue 16): petitioner, handler, each step's date and deadline

A petition gains its petitioner (name, phone), its first handler, and its life: accepted or
refused (告知 within 15 days of receipt), replied (书面答复 within 60 days of acceptance, one
extension), 复查 and 复核 (requested and decided, each with its deadline).

Existing petitions keep every value. Each gets the deadline of acceptance (its date + 15
days, the default); one handled at source (源头化解) becomes accepted on its date, its reply
due 60 days later; the others stay received only (open, awaiting acceptance). The audit
snapshots of older entries hold none of the new columns, so `db check` compares none of them.
Downgrade drops the columns (and what was recorded in them).

Revision ID: 0007
Revises: 0005
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACCEPT_DAYS = 15  # the defaults of petition_accept_days and petition_reply_days
REPLY_DAYS = 60

DATES = (
    "accept_due",
    "accepted_on",
    "refused_on",
    "reply_due",
    "extended_on",
    "extended_to",
    "replied_on",
    "review_requested",
    "review_due",
    "review_decided",
    "recheck_requested",
    "recheck_due",
    "recheck_decided",
)
TEXTS = ("refuse_reason", "extend_reason", "reply_note", "review_result", "recheck_result")
NAMES = ("petitioner", "handler", "extend_approved_by")  # String(100)


def _columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        *(sa.Column(name, sa.String(length=100), nullable=True) for name in NAMES),
        sa.Column("phone", sa.String(length=40), nullable=True),
        *(sa.Column(name, sa.Date(), nullable=True) for name in DATES),
        *(sa.Column(name, sa.Text(), nullable=True) for name in TEXTS),
    ]


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def upgrade() -> None:
    with op.batch_alter_table("petitions") as batch:
        for column in _columns():
            batch.add_column(column)
        batch.create_index(op.f("ix_petitions_handler"), ["handler"], unique=False)
    conn = op.get_bind()
    table = sa.table(
        "petitions",
        sa.column("id", sa.Integer),
        sa.column("accept_due", sa.Date),
        sa.column("accepted_on", sa.Date),
        sa.column("reply_due", sa.Date),
    )
    rows = conn.execute(sa.text("SELECT id, date, handled_at_source FROM petitions")).all()
    for ident, raw, handled in rows:
        day = _as_date(raw)
        values: dict[str, dt.date | None] = {"accept_due": day + dt.timedelta(days=ACCEPT_DAYS)}
        if handled:
            values |= {"accepted_on": day, "reply_due": day + dt.timedelta(days=REPLY_DAYS)}
        conn.execute(table.update().where(table.c.id == ident).values(**values))


def downgrade() -> None:
    with op.batch_alter_table("petitions") as batch:
        batch.drop_index(op.f("ix_petitions_handler"))
        for column in reversed(_columns()):
            batch.drop_column(column.name)
