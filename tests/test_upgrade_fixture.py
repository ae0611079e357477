"""Upgrades keep data: every committed fixture ledger (tests/fixtures/ledger-<revision>.db, made
by tests/fixtures/build_ledger.py with the sanling of that revision) opens, upgrades to the
newest schema with `sanling db upgrade`, and keeps every row of every table it had, column
for column; afterwards it passes `sanling db check` and takes new records.

On PostgreSQL (SANLING_TEST_DATABASE_URL) the fixture's rows are first copied into a schema
migrated to the fixture's revision, then upgraded the same way.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, select, text

from sanling import db
from tests.helpers import PG_URL, run

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("ledger-*.db"))
# Tables the fixture must fill (every table a command writes; inspections have no command).
EMPTY_ALLOWED = {"inspections"}


def table_rows(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table as dicts (alembic_version aside), in primary-key order."""
    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        out = {}
        with engine.connect() as conn:
            for name, table in sorted(meta.tables.items()):
                if name == "alembic_version":
                    continue
                rows = (
                    conn.execute(select(table).order_by(*table.primary_key.columns))
                    .mappings()
                    .all()
                )
                out[name] = [dict(r) for r in rows]
        return out
    finally:
        engine.dispose()


def revision_of(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def copy_to_postgresql(source: Path, url: str, revision: str) -> None:
    """The fixture's rows into the test's PostgreSQL schema, migrated to the same revision."""
    from sanling import migrate

    target = create_engine(url)
    try:
        migrate.upgrade(target, revision)
        rows = table_rows("sqlite:///" + str(source))
        meta = MetaData()
        meta.reflect(target)
        with target.begin() as conn:
            for table in meta.sorted_tables:
                if table.name != "alembic_version" and rows.get(table.name):
                    conn.execute(table.insert(), rows[table.name])
            for table in meta.sorted_tables:
                if "id" in table.c and table.c.id.primary_key and rows.get(table.name):
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"(SELECT max(id) FROM {table.name}))"
                        )
                    )
    finally:
        target.dispose()


def test_there_is_a_fixture_for_the_first_revision() -> None:
    assert [f.name for f in FIXTURES][:1] == [f"ledger-{db.REVISIONS[0]}.db"]
    for fixture in FIXTURES:
        assert revision_of(fixture) in db.REVISIONS


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_fixture_upgrades_to_the_newest_with_every_row_intact(
    fixture: Path, tmp_path: Path, ledger_env: str
) -> None:
    revision = revision_of(fixture)
    if PG_URL:
        copy_to_postgresql(fixture, ledger_env, revision)
    else:
        shutil.copy(fixture, ledger_env)
    url = db.resolve_url(None)
    before = table_rows(url)
    empty = sorted(t for t, rows in before.items() if not rows and t not in EMPTY_ALLOWED)
    assert empty == [], "the fixture should fill every table"

    status = run("db status -f json").json()
    assert status["revision"] == revision
    run("db upgrade")
    status = run("db status -f json").json()
    assert status["revision"] == status["head"] == db.HEAD and status["state"] == "ok"

    after = table_rows(url)
    for table, rows in before.items():
        assert table in after, f"table {table} was dropped"
        kept = [{k: row.get(k) for k in rows[0]} for row in after[table]] if rows else after[table]
        assert kept == rows, f"table {table} changed on upgrade"
    run("db check")

    # The upgraded ledger reads and takes records as a new one does.
    refs = sorted(d["ref"] for d in run("dispute list --town 城庄镇 -f json").json())
    assert refs == ["JF-2026-0001", "JF-2026-0002", "JF-2026-0003"]
    new = run(
        "dispute add --town 城庄镇 --village 城庄村 --category land --summary 升级后 --handler "
        "王强 -f json"
    )
    assert new.json()["ref"] == "JF-2026-0004"
    run("report annual --year 2026 --town 城庄镇 -f json")
    run("db check")
