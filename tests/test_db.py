"""sanling init and sanling db: idempotent init, status, upgrade, backup, check, old schemas."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from sanling import db
from tests.helpers import PG_URL, dump, fail, run

sqlite_only = pytest.mark.skipif(bool(PG_URL), reason="file-level behaviour of SQLite ledgers")


def test_init_twice_is_safe() -> None:
    run("init --town 城庄镇 --county 临县")
    before = dump()
    r = run("init --town 城庄镇 --county 临县")
    assert "up to date" in r.err
    assert dump() == before


def test_init_stores_timezone_and_refuses_a_bad_one() -> None:
    run("init --town 城庄镇 --timezone Asia/Urumqi")
    assert run("config get timezone").out.strip() == "Asia/Urumqi"
    r = run("init --timezone Mars/Olympus", code=1)
    assert "unknown time zone" in r.err


def test_status_counts_records(villages: list[str]) -> None:
    data = run("db status -f json").json()
    assert data["revision"] == db.HEAD and data["state"] == "ok"
    counts = {c["table"]: c["count"] for c in data["counts"]}
    assert counts["subjects"] == 6 and counts["towns"] == 1
    assert counts["audit_log"] == 7  # one town and six subjects


def test_check_passes_on_a_clean_ledger(villages: list[str]) -> None:
    r = run("db check")
    assert "no problems" in r.err


def _execute(sql: str) -> None:
    engine = create_engine(db.resolve_url(None))
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()


def test_check_lists_every_problem(villages: list[str]) -> None:
    run("sweep add --subject 城庄村 --by 王强 --date 2026-10-20")
    _execute("UPDATE audit_log SET operator = 'mallory' WHERE id = 2")
    _execute("UPDATE ref_counters SET last = 0")
    _execute("UPDATE subjects SET parent_id = NULL WHERE name = '城庄中学'")
    r = run("db check -f json", code=1)
    problems = [p["problem"] for p in r.json()]
    assert any("audit log entry 2" in p and "edited" in p for p in problems)
    assert any(p.startswith("PC-2026: numbers up to 1 used") for p in problems)
    assert any("城庄中学" in p for p in problems)
    assert r.err.strip() == f"error: {len(problems)} problems found"


def test_check_finds_a_deleted_audit_entry(villages: list[str]) -> None:
    _execute("DELETE FROM audit_log WHERE id = 3")
    problems = [p["problem"] for p in run("db check -f json", code=1).json()]
    assert problems == [
        "audit log entry 4: does not follow the entry before it (an entry was deleted or inserted)",
        "subject 李家湾村: not in the audit log (added behind sanling's back)",
    ]


def test_schema_behind_says_upgrade(town: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "REVISIONS", [*db.REVISIONS, "9999"])
    monkeypatch.setattr(db, "HEAD", "9999")
    r = fail("subject list", code=1)
    assert "run `sanling db upgrade`" in r.err


def test_schema_ahead_says_upgrade_sanling(town: str) -> None:
    _execute("UPDATE alembic_version SET version_num = 'zzzz'")
    r = fail("subject list", code=1)
    assert "newer than this sanling" in r.err


def test_not_a_ledger(town: str) -> None:
    _execute("DROP TABLE alembic_version")
    r = run("subject list", code=1)
    assert "sanling init" in r.err


@sqlite_only
def test_ledger_file_is_private() -> None:
    run("init --town 城庄镇 --county 临县")
    path = Path(os.environ["SANLING_DB"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@sqlite_only
def test_backup_is_a_working_ledger(villages: list[str], tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    run("db", "backup", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    names = [s["name"] for s in run("--db", str(target), "subject", "list", "-f", "json").json()]
    assert "城庄村" in names
    run("--db", str(target), "db", "check")
    r = run("db", "backup", str(target), code=1)
    assert "--force" in r.err
    run("db", "backup", str(target), "--force")


@sqlite_only
def test_upgrade_backs_up_first(town: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Pretend the ledger is one revision behind: upgrade must copy it aside before migrating.
    from sanling import migrate

    calls: list[str] = []
    monkeypatch.setattr(db, "REVISIONS", [*db.REVISIONS, "9999"])
    monkeypatch.setattr(db, "HEAD", "9999")
    monkeypatch.setattr(migrate, "upgrade", lambda engine, revision="head": calls.append(revision))
    r = run("db upgrade")
    assert calls == ["head"]
    path = Path(os.environ["SANLING_DB"])
    backups = list(path.parent.glob("ledger.before-9999-*.db"))
    assert len(backups) == 1 and "backed up to" in r.err


@sqlite_only
def test_wal_and_foreign_keys() -> None:
    run("init --town 城庄镇 --county 临县")
    engine = db.make_engine(db.resolve_url(None), write=True)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.BUSY_TIMEOUT_MS
    engine.dispose()
