"""petitions under the 信访工作条例 (issue 16): petitioner, handler, each step's date and deadline

A petition gains its petitioner (name, phone), its first handler, and its life: accepted or
refused (告知 within 15 days of receipt), replied (书面答复 within 60 days of acceptance, one
extension), 复查 and 复核 (requested and decided, each with its deadline).

Existing petitions keep every value. Each gets the deadline of acceptance (its date + 15
days, the default); one handled at source (源头化解) becomes accepted on its date, its reply
due 60 days later; the others stay received only (open, awaiting acceptance). `db check`
compares a record with the columns its latest audit snapshot names: an older ledger's name none
of the new ones; a snapshot that does and now disagrees gets an entry `migrate.0007`. Downgrade
drops the columns (and what was recorded in them); the audit log keeps its entries.

Revision ID: 0007
Revises: 0005
"""

import datetime as dt
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACCEPT_DAYS = 15  # the defaults of petition_accept_days and petition_reply_days
REPLY_DAYS = 60
GENESIS = "0" * 64

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
    rows = conn.execute(
        sa.text("SELECT id, ref, date, handled_at_source FROM petitions ORDER BY id")
    ).all()
    changed = []
    for ident, ref, raw, handled in rows:
        day = _as_date(raw)
        values: dict[str, dt.date | None] = {"accept_due": day + dt.timedelta(days=ACCEPT_DAYS)}
        if handled:
            values |= {"accepted_on": day, "reply_due": day + dt.timedelta(days=REPLY_DAYS)}
        conn.execute(table.update().where(table.c.id == ident).values(**values))
        changed.append((ref, {k: v.isoformat() if v else None for k, v in values.items()}))
    _audit(conn, changed)


def _audit(conn: sa.Connection, changed: list[tuple[str, dict[str, str | None]]]) -> None:
    """A petition's new state in the audit chain (action `migrate.0007`, the same hash as
    sanling.ledger.base.entry_hash) where its latest snapshot already names a changed column
    otherwise (a ledger taken down to 0005 and up again), so `db check` finds the record and
    its trail agreeing. An older ledger's snapshots name none of them: nothing to write."""
    from sanling.ledger.base import entry_hash

    prev = conn.scalar(sa.text("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")) or GENESIS
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    for ref, values in changed:
        latest = conn.scalar(
            sa.text(
                "SELECT after FROM audit_log WHERE ref = :ref AND after IS NOT NULL "
                "AND action NOT LIKE '%.reveal' ORDER BY id DESC LIMIT 1"
            ),
            {"ref": ref},
        )
        if latest is None:
            continue
        before = json.loads(latest) if isinstance(latest, str) else latest
        if all(before.get(k, v) == v for k, v in values.items()):
            continue  # its trail holds none of the new columns (an older ledger), or agrees
        after = {**before, **values}
        digest = entry_hash(prev, at, "sanling", "migrate.0007", ref, before, after)
        conn.execute(
            sa.text(
                "INSERT INTO audit_log (at, operator, action, ref, before, after, prev_hash, hash) "
                "VALUES (:at, 'sanling', 'migrate.0007', :ref, :before, :after, :prev, :hash)"
            ).bindparams(
                sa.bindparam("before", type_=sa.JSON), sa.bindparam("after", type_=sa.JSON)
            ),
            {"at": at, "ref": ref, "before": before, "after": after, "prev": prev, "hash": digest},
        )
        prev = digest


def downgrade() -> None:
    with op.batch_alter_table("petitions") as batch:
        batch.drop_index(op.f("ix_petitions_handler"))
        for column in reversed(_columns()):
            batch.drop_column(column.name)
