"""A small-scale smoke of the benchmarks, so they cannot rot (no timing assertions).

A tiny generated ledger passes `sanling db check`; generation is deterministic; the baselines
compute the same figures as the reports, through the bare driver and through SQLAlchemy Core
(so a ratio compares the same work); the hand-written `dispute add` leaves a ledger that passes
`db check`; every benchmark scenario runs once (the import's baseline is sqlite-utils, installed
on first use in a virtualenv of its own).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from benchmarks import baselines, generate, run

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("SANLING_TEST_DATABASE_URL")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "tiny-1.db"
    generate.generate("tiny", 1, str(path), quiet=True)
    return path


def sanling(db: Path | str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **run.ENV, "SANLING_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "sanling", *args], env=env, capture_output=True, text=True, cwd=ROOT
    )


def test_generated_ledger_passes_db_check(tiny: Path) -> None:
    done = sanling(tiny, "db", "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no problems" in done.stdout + done.stderr
    conn = sqlite3.connect(tiny)
    counts = {
        t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
        for t in ("towns", "disputes", "hazards", "patrols", "persons", "audit_log")
    }
    # Every record is in the audit log (one add per record), and the sizes are the tiny ones.
    assert counts["towns"] == 2 and counts["disputes"] == 300 and counts["hazards"] == 300
    assert counts["audit_log"] > counts["disputes"] + counts["hazards"] + counts["patrols"]
    # Reference numbers by date, counters at the last one.
    refs = conn.execute(
        "SELECT ref, found FROM disputes WHERE ref LIKE 'JF-2026-%' ORDER BY ref"
    ).fetchall()
    assert [f for _r, f in refs] == sorted(f for _r, f in refs)
    last = conn.execute(
        "SELECT last FROM ref_counters WHERE prefix = 'JF' AND year = 2026"
    ).fetchone()[0]
    assert refs[-1][0] == f"JF-2026-{last:04d}"
    conn.close()


def test_generation_is_deterministic(tiny: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.db"
    generate.generate("tiny", 1, str(again), quiet=True)
    other = tmp_path / "other.db"
    generate.generate("tiny", 2, str(other), quiet=True)
    query = "SELECT ref, village_id, found, status, resolved_on FROM disputes ORDER BY id"

    def rows(p: Path) -> list[Any]:
        conn = sqlite3.connect(p)
        try:
            return conn.execute(query).fetchall()
        finally:
            conn.close()

    assert rows(again) == rows(tiny)
    assert rows(other) != rows(tiny)


def test_generated_ids_are_valid_and_unique(tiny: Path) -> None:
    from sanling.privacy import normalise_id

    conn = sqlite3.connect(tiny)
    ids = [n for (n,) in conn.execute("SELECT id_number FROM persons")]
    conn.close()
    assert len(ids) == len(set(ids)) == 40
    for number in ids:
        assert normalise_id(number, generate.TODAY) == number


def _same(sanling_value: Any, base: Any, path: str = "") -> list[str]:
    """Where the baseline's figures differ from the report's (the baseline's keys only)."""
    if isinstance(base, dict):
        out = []
        for k, v in base.items():
            if k in ("breaking", "broken_by"):
                continue  # the baseline lists the records; the report shows them per subject
            mine = sanling_value.get(k) if isinstance(sanling_value, dict) else None
            if isinstance(mine, dict) and "count" in mine and not isinstance(v, dict):
                mine = mine["count"]  # grading parts: count, weight, points
            out += _same(mine, v, f"{path}.{k}")
        return out
    if isinstance(base, list) and base and isinstance(base[0], dict):
        if not isinstance(sanling_value, list) or len(sanling_value) != len(base):
            return [f"{path}: {len(sanling_value or [])} rows, baseline {len(base)}"]
        return [d for a, b in zip(sanling_value, base, strict=True) for d in _same(a, b, path)]
    if isinstance(base, list) and sanling_value and isinstance(sanling_value[0], dict):
        sanling_value = [row.get("ref") for row in sanling_value]  # overdue lists: their refs
    return [] if str(sanling_value) == str(base) else [f"{path}: {sanling_value} != {base}"]


# Every report of one town, and every one of all towns but the bulletin (always of one town).
SCOPES = [(n, True) for n in run.REPORT_ARGS] + [
    (n, False) for n in run.REPORT_ARGS if n != "bulletin"
]


@pytest.mark.parametrize(("name", "one_town"), SCOPES)
def test_baselines_compute_the_reports_figures(tiny: Path, name: str, one_town: bool) -> None:
    town = run.first_town_village(str(tiny))[0]
    town_args = ["--town", town] if one_town else []
    done = sanling(tiny, "report", name, *run.REPORT_ARGS[name], *town_args, "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    for core in (False, True):
        base = json.loads(
            json.dumps(
                baselines.REPORTS[name](
                    baselines.DB(str(tiny), core=core), generate.TODAY, town if town_args else None
                ),
                default=str,
            )
        )
        assert _same(report, base) == [], f"core={core}"
    # The figures are not all zero: the tiny ledger has something to count.
    assert any(v for v in json.dumps(base) if v.isdigit() and v != "0")


def test_baselines_run_on_the_tests_database() -> None:
    """The same plain SQL runs on this run's database (SQLite, or PostgreSQL in the PG suite)."""
    url = os.environ["SANLING_DB"]
    done = sanling(url, "init", "--town", "城庄镇")
    assert done.returncode == 0, done.stderr
    assert sanling(url, "subject", "add", "东村", "--kind", "village").returncode == 0
    added = sanling(
        url,
        "dispute",
        "add",
        "--village",
        "东村",
        "--category",
        "land",
        "--summary",
        "地界",
        "--handler",
        "王强",
        "--found",
        "2026-10-01",
    )
    assert added.returncode == 0, added.stderr
    out = baselines.bulletin(baselines.DB(url), dt.date(2026, 10, 31), None)
    assert out["totals"]["found_ytd"] == 1 and out["totals"]["overdue"] == 1
    assert out["overdue"][0]["days_overdue"] == 15  # deadline 15 days after 10-01


def test_every_scenario_runs_once(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    (workdir / "tiny-1.db").write_bytes(tiny.read_bytes())
    todo = run.scenarios("tiny", 1, workdir, PG_URL, None, import_rows=50)
    names = [s.name for s in todo]
    assert any("--help" in n for n in names) and any("import disputes xlsx" in n for n in names)
    # Five reports of one town and four of all towns (the bulletin is per town), per database.
    assert sum(n.startswith("report ") for n in names) == (18 if PG_URL else 9)
    for s in todo:
        if s.name.startswith("report "):
            assert ("--town" in s.cmd) == ("one town" in s.name), s.cmd
            assert s.baseline is not None and ("--town" in s.baseline.cmd) == ("--town" in s.cmd)
    try:
        results = [run.measure(s, 1, timing=False) for s in todo]
    finally:
        if PG_URL:
            import sqlalchemy

            engine = sqlalchemy.create_engine(PG_URL)
            with engine.begin() as pg:
                pg.execute(sqlalchemy.text("DROP SCHEMA IF EXISTS bench_tiny_1 CASCADE"))
            engine.dispose()
    assert all(r.seconds > 0 and r.mb > 0 for r in results)
    assert all(r.ratio is not None for r in results if r.baseline)
    text = run.table(results)
    assert "report annual (one town, tiny ledger)" in text and "| scenario |" in text
    # The imports went into a copy: the benchmark ledger itself only gained the added disputes.
    conn = sqlite3.connect(workdir / "tiny-1.db")
    (n,) = conn.execute("SELECT COUNT(*) FROM disputes").fetchone()
    conn.close()
    # sanling twice (against the hand-written add and against itself on an empty ledger), the
    # hand-written add through SQLAlchemy Core and through sqlite3; its audit entries chain on.
    assert n == 300 + 4
    check = sanling(workdir / "tiny-1.db", "db", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    # A sanling import (unlike the baseline's plain inserts) leaves a ledger that passes db check.
    csv_import = next(s for s in todo if s.name.startswith("import disputes CSV"))
    run.run_once(csv_import)
    conn = sqlite3.connect(workdir / "import-target.db")
    (n,) = conn.execute("SELECT COUNT(*) FROM disputes").fetchone()
    conn.close()
    assert n == 300 + 4 + 50
    check = sanling(workdir / "import-target.db", "db", "check")
    assert check.returncode == 0, check.stdout + check.stderr
