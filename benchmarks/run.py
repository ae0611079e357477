"""Timed scenarios: whole `sanling` processes against baselines measured in the same run.

    python -m benchmarks.run --size county                  # SQLite
    python -m benchmarks.run --size county --postgres postgresql+psycopg://postgres@127.0.0.1/test

Every scenario runs once to warm up, then --runs times, interleaved with its baseline (A B A B
...) so a neighbour's load hits both alike; the figure is the median wall time, the memory the
peak resident set of the process (wait4). Ratios, not absolute times, are the targets: the
machine is shared. Ledgers are generated once into --workdir and reused.

The baselines (benchmarks/baselines.py): for `dispute add` and the reports, the same SQL written
by hand and sent through SQLAlchemy Core after importing what sanling is built on (SQLAlchemy,
Typer, Pydantic, Rich); for the CSV import, `sqlite-utils insert --csv` of the same file, from a
virtualenv of its own under $SANLING_BENCH_TOOLS (default ~/.cache/sanling-bench), made on
first use. Each also has an informative floor: the same SQL through the bare sqlite3 module
(no imports), and the CSV read by the csv module and inserted with executemany.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.generate import TODAY, generate

PY = sys.executable
SANLING = str(Path(PY).with_name("sanling"))
IMPORT_ROWS = 100_000
# Where the sqlite-utils baseline is installed, apart from sanling's own environment.
TOOLS = Path(os.environ.get("SANLING_BENCH_TOOLS") or Path.home() / ".cache" / "sanling-bench")
ENV = {
    "SANLING_TODAY": TODAY.isoformat(),
    "SANLING_LANG": "en",
    "SANLING_USER": "bench",
    "COLUMNS": "200",
}


@dataclass
class Target:
    """What a scenario must meet: a ratio to its baseline, an absolute time, a memory peak."""

    ratio: float | None = None
    seconds: float | None = None
    mb: float | None = None


@dataclass
class Scenario:
    name: str
    cmd: list[str]
    env: dict[str, str] = field(default_factory=dict)
    baseline: Scenario | None = None
    target: Target = field(default_factory=Target)
    # Before every run, untimed (a fresh copy to import into).
    setup: Callable[[], None] | None = None
    # A second, informative baseline: the same work with nothing imported, the floor.
    floor: Scenario | None = None
    runs: int | None = None  # timed runs, where not --runs (still after a warm-up)


@dataclass
class Result:
    name: str
    seconds: float
    mb: float
    baseline: str | None = None
    baseline_seconds: float | None = None
    ratio: float | None = None
    target: str = ""
    ok: bool | None = None
    runs: list[float] = field(default_factory=list)
    floor: str | None = None
    floor_seconds: float | None = None
    floor_ratio: float | None = None


# Linux carries a process's peak RSS across fork and exec, so a child of this (large) process
# would report at least our own size. Each command is therefore started by a small launcher
# process, which times it and reads its peak with wait4.
LAUNCHER = """
import json, os, sys, time
began = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_pid, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - began
with open(sys.argv[1], "w") as fh:
    json.dump([elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)], fh)
"""


def run_once(s: Scenario) -> tuple[float, float]:
    """One whole process: (wall seconds, peak RSS in MB)."""
    if s.setup:
        s.setup()
    env = {**os.environ, **ENV, **s.env}
    with tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "result.json"
        subprocess.run(
            [PY, "-c", LAUNCHER, str(result), *s.cmd],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            check=False,
        )
        elapsed, mb, code = json.loads(result.read_text()) if result.exists() else (0, 0, -1)
        if code != 0:
            err.seek(0)
            raise SystemExit(
                f"{s.name} failed ({code}): {' '.join(s.cmd)}\n"
                f"{err.read().decode(errors='replace')[-2000:]}"
            )
    return elapsed, mb


def measure(s: Scenario, runs: int, timing: bool = True) -> Result:
    """Warm up once, then `runs` times interleaved with the baseline; medians and peaks."""
    mine: list[float] = []
    base: list[float] = []
    floor: list[float] = []
    peak = 0.0
    if s.runs is not None:
        runs = s.runs
    if timing:
        for warm in (s, s.baseline, s.floor):
            if warm:
                run_once(warm)
    for _ in range(runs):
        t, mb = run_once(s)
        mine.append(t)
        peak = max(peak, mb)
        if s.baseline:
            base.append(run_once(s.baseline)[0])
        if s.floor:
            floor.append(run_once(s.floor)[0])
    seconds = statistics.median(mine)
    result = Result(s.name, seconds, peak, runs=mine)
    if s.baseline:
        result.baseline = s.baseline.name
        result.baseline_seconds = statistics.median(base)
        result.ratio = seconds / result.baseline_seconds
    if s.floor:
        result.floor = s.floor.name
        result.floor_seconds = statistics.median(floor)
        result.floor_ratio = seconds / result.floor_seconds
    checks: list[bool] = []
    parts: list[str] = []
    want = s.target
    if want.ratio is not None and result.ratio is not None:
        checks.append(result.ratio <= want.ratio)
        parts.append(f"<= {want.ratio:g}x")
    if want.seconds is not None:
        checks.append(seconds < want.seconds)
        parts.append(f"< {want.seconds:g} s")
    if want.mb is not None:
        checks.append(peak < want.mb)
        parts.append(f"< {want.mb:g} MB")
    # Each target with its own verdict: "< 1.5 s yes, <= 2x NO".
    result.target = ", ".join(
        f"{part} {'yes' if ok else 'NO'}" for part, ok in zip(parts, checks, strict=True)
    )
    result.ok = all(checks) if checks else None
    return result


# ---- ledgers and files -------------------------------------------------------------------------
def first_town_village(db: str) -> tuple[str, str]:
    import sqlite3

    conn = sqlite3.connect(db)
    town, village = conn.execute(
        "SELECT t.name, s.name FROM subjects s JOIN towns t ON t.id = s.town_id "
        "WHERE s.kind = 'village' ORDER BY s.id LIMIT 1"
    ).fetchone()
    conn.close()
    return town, village


def empty_ledger(path: Path, town: str, village: str) -> None:
    """A ledger with one town and one village and no records: the dispute-add floor."""
    if path.exists():
        return
    env = {**os.environ, **ENV, "SANLING_DB": str(path)}
    subprocess.run(
        [SANLING, "init", "--town", town], env=env, check=True, stdout=subprocess.DEVNULL
    )
    subprocess.run(
        [SANLING, "subject", "add", village, "--kind", "village", "--town", town],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def import_files(db: str, workdir: Path, rows: int, seed: int) -> tuple[Path, Path]:
    """A disputes spreadsheet as an office writes one (English headers), CSV and xlsx."""
    import sqlite3

    csv_path, xlsx_path = workdir / f"disputes-{rows}.csv", workdir / f"disputes-{rows}.xlsx"
    if csv_path.exists() and xlsx_path.exists():
        return csv_path, xlsx_path
    conn = sqlite3.connect(db)
    places = conn.execute(
        "SELECT t.name, s.name FROM subjects s JOIN towns t ON t.id = s.town_id "
        "WHERE s.kind IN ('village', 'community') ORDER BY s.id"
    ).fetchall()
    conn.close()
    r = random.Random(seed)
    head = [
        "town",
        "village",
        "found",
        "source",
        "category",
        "summary",
        "parties",
        "people",
        "risk",
        "handler",
    ]
    start = dt.date(TODAY.year, 1, 1)
    span = (TODAY - start).days + 1
    data = []
    for i in range(rows):
        town, village = places[r.randrange(len(places))]
        data.append(
            [
                town,
                village,
                (start + dt.timedelta(days=r.randrange(span))).isoformat(),
                r.choice(("visit", "hotline", "assigned")),
                r.choice(("land", "neighbour", "housing_land", "marriage_family", "labour")),
                f"导入测试纠纷第{i + 1}件",
                "甲、乙",
                str(r.choice((2, 2, 3))),
                r.choice(("low", "low", "medium", "high")),
                r.choice(("王强", "李敏", "张伟")),
            ]
        )
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(head)
        w.writerows(data)
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("disputes")
    ws.append(head)
    for row in data:
        ws.append([*row[:7], int(row[7]), *row[8:]])
    wb.save(xlsx_path)
    return csv_path, xlsx_path


def copier(source: Path, target: Path) -> Callable[[], None]:
    def setup() -> None:
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copyfile(source, target)

    return setup


def checkpoint(db: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def pg_schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def pg_ledger(base: str, size: str, seed: int) -> str:
    """The ledger in its own schema of the PostgreSQL database, generated once."""
    from sqlalchemy import create_engine, text

    schema = f"bench_{size}_{seed}"
    engine = create_engine(base)
    with engine.begin() as conn:
        exists = conn.execute(
            text(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = :s "
                "AND table_name = 'ref_counters'"
            ),
            {"s": schema},
        ).first()
        ready = (
            exists and conn.execute(text(f"SELECT COUNT(*) FROM {schema}.ref_counters")).scalar()
        )
        if not ready:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    url = pg_schema_url(base, schema)
    if not ready:
        generate(size, seed, url)
    return url


# ---- the scenarios ------------------------------------------------------------------------------
REPORT_ARGS = {
    "bulletin": ["--date", TODAY.isoformat()],
    "sweep": ["--date", TODAY.isoformat()],
    "monthly": ["--month", f"{TODAY:%Y-%m}"],
    "grading": ["--date", TODAY.isoformat()],
    "annual": ["--year", str(TODAY.year)],
}


def report_scenarios(
    db: str, town: str | None, label: str, *, targets: bool = True, runs: int | None = None
) -> list[Scenario]:
    """The five reports of one town (`town`), or of the whole ledger (`town` None: the bulletin
    still needs a town, so it is left out)."""
    out = []
    for name, args in REPORT_ARGS.items():
        if town is None and name == "bulletin":
            continue
        town_args = ["--town", town] if town else []
        plain = [PY, "-m", "benchmarks.baselines", name, "--db", db, "--date", TODAY.isoformat()]
        base = Scenario(f"SQLAlchemy Core {name}", [*plain, *town_args, "--core"], runs=runs)
        floor = Scenario(f"plain SQL {name}", [*plain, *town_args], runs=runs)
        out.append(
            Scenario(
                f"report {name} ({label})",
                [SANLING, "report", name, *args, *town_args, "--format", "json"],
                env={"SANLING_DB": db},
                baseline=base,
                floor=floor,
                target=Target(ratio=1.5, seconds=1.5, mb=250) if targets else Target(),
                runs=runs,
            )
        )
    return out


def ledger(size: str, seed: int, workdir: Path) -> Path:
    """The generated ledger of `size`, built once and kept in `workdir` with its build time."""
    db = workdir / f"{size}-{seed}.db"
    if not db.exists():
        began = time.perf_counter()
        generate(size, seed, str(db))
        checkpoint(db)
        built = {"seconds": time.perf_counter() - began, "when": dt.datetime.now().isoformat()}
        Path(f"{db}.built.json").write_text(json.dumps(built))
    return db


def build_result(size: str, seed: int, workdir: Path) -> Result | None:
    """The time `benchmarks.generate` took to build the ledger (recorded when it was built)."""
    record = workdir / f"{size}-{seed}.db.built.json"
    if not record.exists():
        return None
    seconds = json.loads(record.read_text())["seconds"]
    result = Result(f"build the {size} ledger (benchmarks.generate)", seconds, 0.0)
    if size == "province":
        result.ok = seconds < 360
        result.target = f"< 360 s {'yes' if result.ok else 'NO'}"
    return result


def sqlite_utils() -> str:
    """The sqlite-utils command, from a virtualenv of its own (made on first use): a baseline,
    not a dependency of sanling."""
    venv = TOOLS / "sqlite-utils"
    command = venv / "bin" / "sqlite-utils"
    if not command.exists():
        subprocess.run([PY, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "sqlite-utils"],
            check=True,
        )
    return str(command)


def add_scenarios(db: Path, workdir: Path, size: str, town: str, village: str) -> list[Scenario]:
    """`dispute add` against the same statements by hand, and against itself on an empty ledger."""
    empty = workdir / f"empty-{size}.db"  # its one town and village are those of `db`
    empty_ledger(empty, town, village)
    fields = ["--village", village, "--town", town, "--category", "neighbour"]
    fields += ["--summary", "邻里宅基地界址纠纷", "--handler", "王强"]
    by_hand = [PY, "-m", "benchmarks.baselines", "add", "--db", str(db), *fields]
    add = ["dispute", "add", *fields, "--found", TODAY.isoformat()]
    on_empty = Scenario(
        "dispute add (empty ledger)", [SANLING, *add], env={"SANLING_DB": str(empty)}
    )
    return [
        Scenario(
            f"dispute add ({size} ledger)",
            [SANLING, *add],
            env={"SANLING_DB": str(db)},
            baseline=Scenario("SQLAlchemy Core dispute add", [*by_hand, "--core"]),
            floor=Scenario("plain SQL dispute add", by_hand),
            target=Target(ratio=1.5),
        ),
        Scenario(
            f"dispute add ({size}) vs empty",
            [SANLING, *add],
            env={"SANLING_DB": str(db)},
            baseline=on_empty,
            target=Target(ratio=1.1),
        ),
    ]


def import_scenarios(home: Path, workdir: Path, rows: int, seed: int) -> list[Scenario]:
    """100,000 disputes into a fresh copy of `home`: sanling from CSV and xlsx, sqlite-utils."""
    csv_file, xlsx_file = import_files(str(home), workdir, rows, seed)
    target = workdir / "import-target.db"
    setup = copier(home, target)
    base = Scenario(
        "sqlite-utils insert --csv",
        [sqlite_utils(), "insert", str(target), "imported", str(csv_file), "--csv"],
        setup=setup,
    )
    floor = Scenario(
        "csv + executemany",
        [PY, "-m", "benchmarks.baselines", "import", "--db", str(target), "--file", str(csv_file)],
        setup=setup,
    )
    return [
        Scenario(
            f"import disputes CSV {rows:,} rows",
            [SANLING, "import", "disputes", str(csv_file)],
            env={"SANLING_DB": str(target)},
            baseline=base,
            floor=floor,
            target=Target(ratio=1.0, mb=150),
            setup=setup,
        ),
        Scenario(
            f"import disputes xlsx {rows:,} rows",
            [SANLING, "import", "disputes", str(xlsx_file)],
            env={"SANLING_DB": str(target)},
            target=Target(seconds=15),  # a time only: no baseline reads xlsx
            setup=setup,
        ),
    ]


def scenarios(
    size: str,
    seed: int,
    workdir: Path,
    postgres: str | None,
    only: set[str] | None,
    import_rows: int,
) -> list[Scenario]:
    workdir.mkdir(parents=True, exist_ok=True)
    db = ledger(size, seed, workdir)
    town, village = first_town_village(str(db))
    want: Callable[[str], bool] = lambda group: only is None or group in only  # noqa: E731
    out: list[Scenario] = []
    if want("startup"):
        typer_only = Scenario("python -c 'import typer'", [PY, "-c", "import typer"])
        for option in ("--help", "--version"):
            out.append(
                Scenario(
                    f"sanling {option}",
                    [SANLING, option],
                    baseline=typer_only,
                    target=Target(ratio=2.5),
                )
            )
    if want("add"):
        out += add_scenarios(db, workdir, size, town, village)
    if want("reports"):
        out += report_scenarios(str(db), town, f"one town, {size} ledger")
    if want("whole"):
        # A whole province in one report is slow: one timed run is enough to tell.
        out += report_scenarios(
            str(db), None, f"all towns, {size} ledger", runs=1 if size == "province" else None
        )
    if want("import"):
        # Into a copy of the county ledger (a province's 5 GB is too much to copy per run).
        home = db if size != "province" else ledger("county", seed, workdir)
        out += import_scenarios(home, workdir, import_rows, seed)
    if postgres and want("postgres"):
        url = pg_ledger(postgres, "county" if size == "province" else size, seed)
        pg_town = first_pg_town(url)
        out += report_scenarios(url, pg_town, "one town, PostgreSQL county ledger")
        out += report_scenarios(url, None, "all towns, PostgreSQL county ledger")
    return out


def first_pg_town(url: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        town = conn.execute(text("SELECT name FROM towns ORDER BY id LIMIT 1")).scalar_one()
    engine.dispose()
    return str(town)


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem / 1024 / 1024:.0f} GB"
    except (OSError, StopIteration):
        memory = "?"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory} memory, load {load:.1f}; "
        f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}"
    )


def table(results: list[Result]) -> str:
    head = [
        "scenario",
        "median s",
        "peak MB",
        "baseline",
        "baseline s",
        "ratio",
        "target",
        "met",
        "floor",
        "floor s",
        "ratio to floor",
    ]

    def figure(value: float | None, form: str) -> str:
        return "" if value is None else form.format(value)

    rows = [
        [
            r.name,
            f"{r.seconds:.2f}",
            f"{r.mb:.0f}" if r.mb else "",
            r.baseline or "",
            figure(r.baseline_seconds, "{:.2f}"),
            figure(r.ratio, "{:.2f}x"),
            r.target,
            "" if r.ok is None else ("yes" if r.ok else "NO"),
            r.floor or "",
            figure(r.floor_seconds, "{:.2f}"),
            figure(r.floor_ratio, "{:.2f}x"),
        ]
        for r in results
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--size", choices=("tiny", "county", "province"), default="county")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--runs", type=int, default=5, help="timed runs per scenario (after a warm-up)"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path("bench-data"),
        help="where ledgers and import files are kept between runs",
    )
    parser.add_argument(
        "--postgres", metavar="URL", help="also time the reports on PostgreSQL (county ledger)"
    )
    parser.add_argument(
        "--only", help="comma-separated groups: build,startup,add,reports,whole,import,postgres"
    )
    parser.add_argument("--import-rows", type=int, default=IMPORT_ROWS)
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    todo = scenarios(args.size, args.seed, args.workdir, args.postgres, only, args.import_rows)
    built = build_result(args.size, args.seed, args.workdir)
    results = [built] if built and (only is None or "build" in only) else []
    for s in todo:
        r = measure(s, args.runs)
        results.append(r)
        print(
            f"{r.name}: {r.seconds:.2f} s, {r.mb:.0f} MB"
            + (f", {r.ratio:.2f}x {r.baseline}" if r.ratio is not None else ""),
            file=sys.stderr,
        )
    print(
        f"\nMachine: {machine()}\nLedger: {args.size}, seed {args.seed}; {args.runs} runs "
        "after a warm-up, "
        "median wall time, peak RSS\n"
    )
    print(table(results))
    if args.json:
        args.json.write_text(
            json.dumps([r.__dict__ for r in results], indent=1, ensure_ascii=False)
        )
    return 0 if all(r.ok is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
