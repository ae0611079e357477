"""Backups and restore: `db backup` taken while writers run restores (`db restore`) to a ledger
that passes `db check`; restore refuses to overwrite without --force, refuses a file that is
not a sanling ledger or fails the checks (leaving the ledger as it was); files are 0600.

Backup and restore are SQLite features (PostgreSQL has pg_dump/pg_restore): these tests use
SQLite files of their own, so they run the same whatever database the suite runs on.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ledgers, run

WORKER = Path(__file__).parent / "fixtures" / "worker.py"


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, templates: ledgers.Templates) -> Path:
    """An office's SQLite ledger, whatever database the suite runs on."""
    path = tmp_path / "office" / "sanling.db"
    path.parent.mkdir()
    monkeypatch.setenv("SANLING_DB", str(path))
    templates.apply(f"{__name__}.ledger", build)
    return path


def build() -> None:
    """Built once through the library (init and the adds are tested elsewhere)."""
    ledgers.init("城庄镇", None)
    with ledgers.writing() as lx:
        for name in ("城庄村", "李家湾村", "前进村"):
            ledgers.add(lx, "subject", name=name, kind="village")
        ledgers.add(lx, "subject", name="五和居", kind="community")
        ledgers.add(
            lx,
            "dispute",
            village="城庄村",
            category="land",
            summary="地界",
            handler="王强",
            found="2026-10-01",
        )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def refs(db: Path) -> list[str]:
    return [d["ref"] for d in run("--db", str(db), "dispute", "list", "-f", "json").json()]


def test_backup_while_writers_run_restores_to_a_checked_ledger(
    ledger: Path, tmp_path: Path
) -> None:
    writers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "writer", str(seed), "5"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
            cwd=Path(__file__).parents[1],
        )
        for seed in (1, 2)
    ]
    backups = []
    try:
        for writer in writers:  # both are writing
            assert writer.stdout is not None and writer.stdout.readline()
        for i in range(3):
            target = tmp_path / "backups" / f"b{i}.db"
            run("db", "backup", str(target))
            backups.append(target)
    finally:
        for writer in writers:
            _out, err = writer.communicate(timeout=180)
            assert writer.returncode == 0, err
    assert len(refs(ledger)) > 1
    for target in backups:
        assert mode(target) == 0o600
        run("--db", str(target), "db", "check")
        restored = tmp_path / f"restored-{target.stem}" / "sanling.db"
        run("--db", str(restored), "db", "restore", str(target))
        assert mode(restored) == 0o600
        run("--db", str(restored), "db", "check")
        assert refs(restored) == refs(target)
    # A backup taken now holds everything the writers did.
    run("db", "backup", str(tmp_path / "last.db"))
    assert refs(tmp_path / "last.db") == refs(ledger)


def test_restore_refuses_to_overwrite_without_force(ledger: Path, tmp_path: Path) -> None:
    backup = tmp_path / "b.db"
    run("db", "backup", str(backup))
    run(
        "dispute add --village 前进村 --category debt --summary 欠款 --handler 李明 --found "
        "2026-10-02"
    )
    before = ledger.read_bytes()
    r = run("db", "restore", str(backup), code=1)
    assert "--force" in r.err and "exists already" in r.err
    assert ledger.read_bytes() == before
    assert refs(ledger) == ["JF-2026-0001", "JF-2026-0002"]
    r = run("db", "restore", str(backup), "--force")
    assert "restored the ledger" in r.err
    assert refs(ledger) == ["JF-2026-0001"]
    assert mode(ledger) == 0o600
    run("db check")
    # The ledger takes writes again, numbering on from the backup.
    out = run(
        "dispute add --village 前进村 --category debt --summary 欠款 --handler 李明 -f json"
    ).json()
    assert out["ref"] == "JF-2026-0002"
    assert not list(ledger.parent.glob(".*restore*"))  # no temporary file left behind


@pytest.mark.parametrize(
    "content", [b"", b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 200]
)
def test_restore_refuses_what_is_not_a_ledger(ledger: Path, tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    before = ledger.read_bytes()
    r = run("db", "restore", str(bad), "--force", code=1)
    assert "backup" in r.err
    assert ledger.read_bytes() == before
    assert not list(ledger.parent.glob(".*restore*"))


def test_restore_refuses_a_truncated_backup(ledger: Path, tmp_path: Path) -> None:
    backup = tmp_path / "b.db"
    run("db", "backup", str(backup))
    cut = tmp_path / "cut.db"
    cut.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    run("db", "restore", str(cut), "--force", code=1)
    run("db check")


def test_restore_refuses_an_sqlite_file_that_is_not_sanling(ledger: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    r = run("db", "restore", str(other), "--force", code=1)
    assert "not a sanling ledger backup" in r.err


def test_restore_refuses_a_backup_that_fails_the_checks(ledger: Path, tmp_path: Path) -> None:
    backup = tmp_path / "b.db"
    run("db", "backup", str(backup))
    with sqlite3.connect(backup) as conn:
        conn.execute("UPDATE disputes SET handler = '赵六'")
    before = ledger.read_bytes()
    r = run("db", "restore", str(backup), "--force", "-f", "json", code=1)
    assert r.json() == [
        {
            "problem": "JF-2026-0001: differs from its audit trail in handler "
            "(changed behind sanling's back)"
        }
    ]
    assert "fails the checks" in r.err and "unchanged" in r.err
    assert ledger.read_bytes() == before


def test_restore_refuses_a_newer_schema(ledger: Path, tmp_path: Path) -> None:
    backup = tmp_path / "b.db"
    run("db", "backup", str(backup))
    with sqlite3.connect(backup) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    r = run("db", "restore", str(backup), "--force", code=1)
    assert "newer than this sanling" in r.err


def test_restore_of_a_missing_file_and_onto_postgresql(
    ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = run("db", "restore", str(tmp_path / "nope.db"), code=1)
    assert "no backup file" in r.err
    monkeypatch.setenv("SANLING_DB", "postgresql+psycopg://postgres@127.0.0.1:1/none")
    r = run("db", "restore", str(tmp_path / "nope.db"), code=1)
    assert "pg_restore" in r.err
