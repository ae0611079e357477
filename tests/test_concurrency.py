"""Concurrency: several processes add and change disputes and hazards while cron-style
reports run, for a bounded time, on SQLite and (with SANLING_TEST_DATABASE_URL) PostgreSQL.

No command may fail (no lock error, no busy ledger), no write may be lost (the ledger holds
exactly what the successful commands did, counted per kind of change in the records and in
the audit log), and reference numbers stay unique and dense.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from sanling import db
from tests.helpers import run
from tests.helpers.env import PG_URL

WORKER = Path(__file__).parent / "fixtures" / "worker.py"
WRITERS = 3
READERS = 1
SECONDS = 10.0


def start(role: str, seed: int, seconds: float, limit: int | None = None) -> subprocess.Popen[str]:
    args = [sys.executable, str(WORKER), role, str(seed), str(seconds)]
    if limit is not None:
        args.append(str(limit))
    return subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
        cwd=Path(__file__).parents[1],
    )


def outcomes(proc: subprocess.Popen[str], timeout: float) -> list[dict[str, Any]]:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    return [json.loads(line) for line in out.splitlines()]


def scalar(sql: str) -> Any:
    engine = create_engine(db.resolve_url(None))
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def test_writers_and_reports_at_once_lose_nothing(villages: list[str]) -> None:
    procs = [start("writer", seed, SECONDS) for seed in range(1, WRITERS + 1)]
    procs += [start("reader", 100 + seed, SECONDS) for seed in range(READERS)]
    results = [r for p in procs for r in outcomes(p, timeout=SECONDS + 180)]

    failed = [r for r in results if r["code"] != 0]
    assert failed == [], failed  # no lock error, no busy ledger, nothing refused
    done = Counter(" ".join(r["cmd"]) for r in results)
    assert done["dispute add"] >= WRITERS and done["hazard add"] >= WRITERS
    assert sum(n for cmd, n in done.items() if cmd.startswith("report")) >= READERS

    # Every successful command's change is there, once.
    refs = [r["ref"] for r in results if r["cmd"][1] == "add"]
    assert len(refs) == len(set(refs)) == done["dispute add"] + done["hazard add"]
    disputes = [d["ref"] for d in run("dispute list -f json").json()]
    hazards = [h["ref"] for h in run("hazard list -f json").json()]
    assert sorted(disputes) == sorted(r for r in refs if r.startswith("JF"))
    assert sorted(hazards) == sorted(r for r in refs if r.startswith("YH"))
    assert sorted(disputes) == [f"JF-2026-{n:04d}" for n in range(1, len(disputes) + 1)]
    assert sorted(hazards) == [f"YH-2026-{n:04d}" for n in range(1, len(hazards) + 1)]
    assert (
        scalar("SELECT count(*) FROM disputes WHERE status = 'resolved'") == done["dispute resolve"]
    )
    assert scalar("SELECT count(*) FROM hazards WHERE status = 'closed'") == done["hazard close"]
    assert (
        scalar("SELECT count(*) FROM hazards WHERE status IN ('rectified', 'closed')")
        == done["hazard rectify"]
    )
    for action in (
        "dispute.add",
        "dispute.progress",
        "dispute.resolve",
        "hazard.add",
        "hazard.rectify",
        "hazard.close",
    ):
        cmd = action.replace(".", " ")
        assert scalar(f"SELECT count(*) FROM audit_log WHERE action = '{action}'") == done[cmd], (
            action
        )
    assert (
        scalar("SELECT count(*) FROM dispute_notes WHERE kind = 'progress'")
        == done["dispute progress"]
    )
    run("db check")
    print(
        f"concurrency on {db.resolve_url(None).split(':')[0]}: {WRITERS + READERS} processes, "
        f"{SECONDS:.0f} s, {len(results)} commands, all succeeded: {dict(done)}"
    )


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's writer lock")
def test_a_writer_waits_only_in_its_own_transaction(
    villages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind a long import, a writer's schema check reads without the writer's lock (it
    does not wait the busy timeout there); only its own transaction waits, as configured."""
    import sqlite3
    import threading
    import time

    from sqlalchemy import event

    begins: list[str] = []
    real = db.make_engine

    def counting(url: str, **options: Any) -> Any:
        engine = real(url, **options)
        event.listen(
            engine,
            "before_cursor_execute",
            lambda _c, _cur, statement, *_a: (
                begins.append(statement) if statement.startswith("BEGIN") else None
            ),
        )
        return engine

    monkeypatch.setattr(db, "make_engine", counting)
    add = "dispute add --village 城庄村 --category land --summary 地界 --handler 李娜"
    run(add)
    assert begins.count("BEGIN IMMEDIATE") == 1  # the command's own transaction only

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 3_000)
    path = db.resolve_url(None).removeprefix("sqlite:///")
    holder = sqlite3.connect(path, timeout=5, check_same_thread=False)
    holder.isolation_level = None
    holder.execute("BEGIN IMMEDIATE")  # a long import holds the ledger
    try:
        started = time.monotonic()
        assert len(run("dispute list -f json").json()) == 1  # a reader never waits
        assert time.monotonic() - started < 1.5
        threading.Timer(0.5, holder.execute, ["COMMIT"]).start()
        begins.clear()
        started = time.monotonic()
        run(add)  # waits in its transaction until the import is done, then writes
        assert 0.4 < time.monotonic() - started < 2.5
        assert begins.count("BEGIN IMMEDIATE") == 1
    finally:
        time.sleep(0.6)
        holder.close()
    assert len(run("dispute list -f json").json()) == 2
