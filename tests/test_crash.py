"""Crash safety: SIGKILL a `sanling import` of a large file and a loop of `sanling dispute add`
at random moments (seeded), many times. Afterwards `sanling db check` passes and the ledger
holds all or none of each command's changes: an import's rows all or none; a dispute add its
record, its audit entry and its counter increment, or none of them.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from sanling import db
from tests.helpers import run

WORKER = Path(__file__).parent / "fixtures" / "worker.py"
ROOT = Path(__file__).parents[1]
ADD_KILLS = 20
IMPORT_KILLS = 10
IMPORT_ROWS = 3000


def query(sql: str, **params: Any) -> Any:
    engine = create_engine(db.resolve_url(None))
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def consistent_disputes() -> int:
    """Records, audit entries and the counter agree: every add is all there or not at all."""
    records = query("SELECT count(*) FROM disputes")
    assert query("SELECT count(*) FROM audit_log WHERE action = 'dispute.add'") == records
    assert (query("SELECT max(last) FROM ref_counters WHERE prefix = 'JF'") or 0) == records
    return int(records)


def kill(proc: subprocess.Popen[Any]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
        cwd=ROOT,
    )


def test_killed_dispute_adds_leave_whole_records(villages: list[str]) -> None:
    rng = random.Random(20261031)
    confirmed = 0  # adds the killed workers reported as done
    rounds = ADD_KILLS // 2
    for round_ in range(rounds):
        # Two loops at once, each killed at its own random moment once it is running.
        procs = [spawn("adder", str(2 * round_ + k), "600") for k in (0, 1)]
        for proc in procs:
            assert proc.stdout is not None
            first = proc.stdout.readline()  # running: one add done
            assert first, proc.stderr.read() if proc.stderr else ""
        delays = sorted((rng.uniform(0.0, 1.0), i) for i in (0, 1))
        slept = 0.0
        for delay, i in delays:
            time.sleep(delay - slept)
            slept = delay
            kill(procs[i])
        for proc in procs:
            assert proc.stdout is not None
            confirmed += 1 + sum(1 for ln in proc.stdout.read().splitlines() if ln.strip())
        count = consistent_disputes()
        # Every add a worker saw finish is kept; besides, at most the one each had in flight.
        assert confirmed <= count <= confirmed + 2 * (round_ + 1)
    run("db check")
    refs = sorted(d["ref"] for d in run("dispute list -f json").json())
    assert refs == [f"JF-2026-{n:04d}" for n in range(1, len(refs) + 1)]
    # The ledger still takes writes after all that.
    run("dispute add --village 城庄村 --category land --summary 之后 --handler 王强")
    consistent_disputes()
    print(
        f"crash: {2 * rounds} dispute-add loops killed; {confirmed} adds confirmed, "
        f"{len(refs)} in the ledger"
    )


def _import_file(path: Path, tag: str) -> None:
    lines = ["village,category,summary,handler,found,people"]
    villages = ["城庄村", "李家湾村", "前进村", "五和居"]
    for i in range(IMPORT_ROWS):
        lines.append(f"{villages[i % 4]},debt,{tag}-{i},李明,2026-10-{1 + i % 28:02d},{2 + i % 5}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _rows(tag: str) -> int:
    return int(query("SELECT count(*) FROM disputes WHERE summary LIKE :p", p=f"{tag}-%"))


def test_killed_imports_are_all_or_nothing(villages: list[str], tmp_path: Path) -> None:
    rng = random.Random(8)
    outcomes = []
    tags = []
    for round_ in range(IMPORT_KILLS // 2):
        # Two imports at once (on SQLite one waits for the other's write lock); each is killed
        # once its progress passes a random row: mid-transaction, often after rows were flushed.
        pair = []
        for k in (0, 1):
            tag = f"r{round_}x{k}"
            _import_file(tmp_path / f"{tag}.csv", tag)
            pair.append(
                (
                    tag,
                    spawn("import", str(tmp_path / f"{tag}.csv")),
                    rng.randrange(500, IMPORT_ROWS + 1),
                )
            )
        for tag, proc, at_row in pair:
            assert proc.stdout is not None
            seen = 0
            while seen < at_row:
                line = proc.stdout.readline()
                if not line or '"code"' in line:
                    break
                seen = json.loads(line)["progress"]
            time.sleep(rng.uniform(0.0, 0.05))
            finished = proc.poll() is not None
            kill(proc)
            rows = _rows(tag)
            assert rows in (0, IMPORT_ROWS), f"{tag}: {rows} of {IMPORT_ROWS} rows"
            outcomes.append(
                f"row {seen}: " + ("finished" if finished else "kept" if rows else "none")
            )
            tags.append(tag)
        consistent_disputes()
    for tag in tags:
        assert _rows(tag) in (0, IMPORT_ROWS)
    run("db check")
    # Importing a killed file again afterwards adds it whole; a finished one adds nothing.
    for tag in tags[:2]:
        run("import", "disputes", str(tmp_path / f"{tag}.csv"))
        assert _rows(tag) == IMPORT_ROWS
    consistent_disputes()
    run("db check")
    assert sum(1 for o in outcomes if o.endswith("none")) >= 1  # some kills landed mid-import
    print(f"crash: {len(outcomes)} imports of {IMPORT_ROWS} rows killed: {outcomes}")
