"""office vocabulary: MoJ dispute categories, petition forms phone and referral, records' extra

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 21:05:00

- disputes.category takes the Ministry of Justice's people's-mediation categories. Old codes
  map as follows: land (土地山林) stays land (山林土地), labour (劳资) stays labour (劳动争议),
  compensation (征地拆迁补偿) stays compensation (征地拆迁), marriage_family, neighbour, contract,
  damage and other stay; debt (债务) becomes contract (民间借贷 is a loan contract).
- petitions.form also takes phone (电话来访) and referral (部门转入).
- every record table gains `extra` (JSON): the columns of an imported file sanling has no field
  for, and notes on values an import inferred.

A record whose code changed gets an audit entry (action `migrate.0002`) with its new snapshot,
so `sanling db check` finds the record and its trail in agreement. Downgrade maps the new
categories to the nearest old one (housing_land to land, the others without an old code to
other) and phone and referral to visit; it drops `extra`.
"""

import datetime as dt
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD_TABLES = (
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
OLD_CATEGORIES = (
    "land",
    "marriage_family",
    "neighbour",
    "debt",
    "labour",
    "compensation",
    "contract",
    "damage",
    "other",
)
NEW_CATEGORIES = (
    "marriage_family",
    "neighbour",
    "housing_land",
    "contract",
    "business",
    "damage",
    "land",
    "compensation",
    "environment",
    "labour",
    "medical",
    "property",
    "traffic",
    "village_affairs",
    "other",
)
OLD_FORMS = ("visit", "letter", "online", "hotline")
NEW_FORMS = (*OLD_FORMS, "phone", "referral")
UP_CATEGORY = {"debt": "contract"}
DOWN_CATEGORY = {
    "housing_land": "land",
    **{c: "other" for c in NEW_CATEGORIES if c not in OLD_CATEGORIES and c != "housing_land"},
}
DOWN_FORM = {"phone": "visit", "referral": "visit"}
GENESIS = "0" * 64


def _check(table: str, name: str, column: str, allowed: Sequence[str]) -> None:
    """Replace the CHECK constraint of a code column (batch mode: SQLite rebuilds the table)."""
    quoted = ", ".join(f"'{v}'" for v in allowed)
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
        batch.create_check_constraint(op.f(f"ck_{table}_{name}"), f"{column} IN ({quoted})")


def _audit(conn: sa.Connection, table: str, column: str, mapping: dict[str, str]) -> None:
    """Map the codes of `column` and log each changed record's new snapshot in the audit chain
    (the same hash as sanling.ledger.base.entry_hash)."""
    from sanling.ledger.base import entry_hash

    rows = conn.execute(
        sa.text(f"SELECT ref, {column} FROM {table} WHERE {column} IN :old ORDER BY id").bindparams(
            sa.bindparam("old", expanding=True)
        ),
        {"old": list(mapping)},
    ).all()
    if not rows:
        return
    conn.execute(
        sa.text(
            f"UPDATE {table} SET {column} = CASE {column} "
            + " ".join(f"WHEN '{a}' THEN '{b}'" for a, b in mapping.items())
            + f" ELSE {column} END WHERE {column} IN :old"
        ).bindparams(sa.bindparam("old", expanding=True)),
        {"old": list(mapping)},
    )
    prev = conn.scalar(sa.text("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")) or GENESIS
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    for ref, old in rows:
        latest = conn.scalar(
            sa.text(
                "SELECT after FROM audit_log WHERE ref = :ref AND after IS NOT NULL "
                "ORDER BY id DESC LIMIT 1"
            ),
            {"ref": ref},
        )
        if latest is None:
            continue
        before = json.loads(latest) if isinstance(latest, str) else latest
        after = {**before, column: mapping[old]}
        digest = entry_hash(prev, at, "sanling", "migrate.0002", ref, before, after)
        conn.execute(
            sa.text(
                "INSERT INTO audit_log (at, operator, action, ref, before, after, prev_hash, hash) "
                "VALUES (:at, 'sanling', 'migrate.0002', :ref, :before, :after, :prev, :hash)"
            ).bindparams(
                sa.bindparam("before", type_=sa.JSON), sa.bindparam("after", type_=sa.JSON)
            ),
            {"at": at, "ref": ref, "before": before, "after": after, "prev": prev, "hash": digest},
        )
        prev = digest


def _foreign_keys_hold(conn: sa.Connection) -> None:
    """SQLite rebuilt tables with foreign keys off (env.py): check them before commit."""
    if conn.dialect.name == "sqlite":
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise RuntimeError(f"foreign keys broken by the rebuild: {broken[:5]}")


def upgrade() -> None:
    conn = op.get_bind()
    for table in RECORD_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("extra", sa.JSON(), nullable=True))
    _check("disputes", "disputecategory", "category", (*OLD_CATEGORIES, *NEW_CATEGORIES))
    _audit(conn, "disputes", "category", UP_CATEGORY)
    _check("disputes", "disputecategory", "category", NEW_CATEGORIES)
    _check("petitions", "petitionform", "form", NEW_FORMS)
    _foreign_keys_hold(conn)


def downgrade() -> None:
    conn = op.get_bind()
    _audit(conn, "petitions", "form", DOWN_FORM)
    _check("petitions", "petitionform", "form", OLD_FORMS)
    _check("disputes", "disputecategory", "category", (*OLD_CATEGORIES, *NEW_CATEGORIES))
    _audit(conn, "disputes", "category", DOWN_CATEGORY)
    _check("disputes", "disputecategory", "category", OLD_CATEGORIES)
    for table in RECORD_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("extra")
    _foreign_keys_hold(conn)
