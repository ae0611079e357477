"""Issue 15, items 11-15: the edges of dates, files, ledgers and time end in one `error:`
line (or a listed problem), never an internal error."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from sanling import db
from tests.helpers import PG_URL, add_dispute, dump, fail, run

sqlite_only = pytest.mark.skipif(bool(PG_URL), reason="file-level behaviour of SQLite ledgers")


def _execute(sql: str) -> None:
    engine = create_engine(db.resolve_url(None))
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()


# ---- 11: dates at the ends of the calendar -----------------------------------------------
@pytest.mark.parametrize(
    "command",
    [
        "dispute list --as-of 9999-12-31",
        "hazard list --as-of 0001-01-01",
        "report monthly --month 0001-01",
        "report monthly --month 9999-12",
        "report grading --date 0001-01-01",
        "report sweep --date 0001-01-01",
        "log --since 0001-01-01",
        "dispute list --from 1899-12-31",
        "report annual --year 2101",
    ],
)
def test_dates_outside_1900_2100_are_refused_with_the_range(
    villages: list[str], command: str
) -> None:
    r = fail(command)
    assert "1900-2100" in r.err and "internal error" not in r.err


def test_an_event_in_1899_or_2101_is_refused(villages: list[str]) -> None:
    add = "dispute add --village 城庄村 --category land --summary 地界 --handler 王明"
    r = fail(f"{add} --found 1899-12-31")
    assert "the year 1899 is outside 1900-2100" in r.err
    r = fail(f"{add} --deadline 2101-01-01")
    assert "2101" in r.err
    assert add_dispute("城庄村", "land", "1900-01-01").startswith("JF-1900-")


@sqlite_only
def test_check_and_restore_list_unreadable_values(villages: list[str], tmp_path: Path) -> None:
    ref = add_dispute("城庄村", "land", "2026-10-01")
    run(f"db backup {tmp_path / 'good.db'}")
    _execute(f"UPDATE disputes SET found = '2026-13-45' WHERE ref = '{ref}'")
    _execute("UPDATE audit_log SET after = 'not json{' WHERE id = 2")
    r = run("db check -f json", code=1)
    problems = [p["problem"] for p in r.json()]
    assert f"disputes {ref}: found '2026-13-45' is not a date" in problems
    assert "audit_log 2: after 'not json{' is not JSON" in problems
    assert "internal error" not in r.err
    zh = [p["problem"] for p in run("--lang zh db check -f json", code=1).json()]
    assert f"disputes {ref}：排查时间“2026-13-45”不是日期" in zh
    # The broken ledger as a backup: restore lists the same problems and changes nothing.
    broken = tmp_path / "broken.db"
    run(f"db backup {broken}")
    run(f"db restore {tmp_path / 'good.db'} --force")
    r = fail(f"db restore {broken} --force")
    assert "fails the checks" in r.err and "'2026-13-45' is not a date" in r.out


@sqlite_only
@sqlite_only
def test_a_list_over_an_unreadable_value_names_it(villages: list[str]) -> None:
    ref = add_dispute("城庄村", "land", "2026-10-01")
    other = add_dispute("城庄村", "land", "2026-10-02")
    engine = create_engine(db.resolve_url(None))
    with engine.begin() as conn:  # a CHECK switched off: a code no list has gets in
        conn.execute(text("PRAGMA ignore_check_constraints = 1"))
        conn.execute(text(f"UPDATE disputes SET status = 'bogus' WHERE ref = '{ref}'"))
    engine.dispose()
    hint = " (hint: `sanling db check` lists each; correct them or restore a backup)"
    line = f"error: the ledger holds a value that cannot be read: disputes {ref}: status"
    for command in ("dispute list", f"dispute show {ref}", "dispute list -f csv"):
        assert fail(command).err == f"{line} 'bogus' is not one of its codes{hint}\n", command
    _execute(f"UPDATE disputes SET found = '2026-13-45' WHERE ref = '{other}'")
    err = fail("--lang zh dispute list").err
    assert err.startswith("error: 台账中有无法读取的值：disputes") and "另有 1 处" in err
    assert err.count("\n") == 1 and "内部错误" not in err
    _execute("UPDATE audit_log SET at = 'xx' WHERE id = 2")
    assert fail("log").err.startswith(
        "error: the ledger holds a value that cannot be read: audit_log 2: at 'xx' is not a date"
    )
    assert any("'bogus' is not one of its codes" in p["problem"] for p in _problems())


def _problems() -> list[dict[str, str]]:
    found: list[dict[str, str]] = run("db check -f json", code=1).json()
    return found


def test_a_text_file_as_the_ledger(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello\n")
    for command in ("dispute list", "db check", "init", "report monthly"):
        r = run(f"--db {text_file} {command}", code=1)
        assert f"cannot open the ledger {text_file}: file is not a database" in r.err
    assert text_file.read_text() == "hello\n"


@sqlite_only
def test_backup_into_a_folder_that_cannot_hold_it(villages: list[str], tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    r = fail(f"db backup {blocker / 'copy.db'}")
    assert r.err.startswith(f"error: cannot write the backup {blocker / 'copy.db'}")
    assert "internal error" not in r.err


@pytest.mark.parametrize("url", ["mysql://clerk:pw@db.example/ledger", "oracle://x", "nope://"])
def test_a_database_sanling_does_not_keep_its_ledger_in(url: str) -> None:
    r = run(f"--db {url} dispute list", code=1)
    assert "SQLite file or PostgreSQL only" in r.err and "pw" not in r.err


# ---- 12: a pinned today ahead of the clock -------------------------------------------------
def test_sanling_today_ahead_of_the_clock_is_refused(
    villages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANLING_TODAY", "2099-06-01")
    r = fail("dispute add --village 城庄村 --category land --summary 地界 --handler 王明")
    assert "SANLING_TODAY 2099-06-01 is after the real date" in r.err
    assert "--allow-future-today" in r.err
    ref = run(
        "--allow-future-today dispute add --village 城庄村 --category land --summary 地界 "
        "--handler 王明 -f json"
    ).json()["ref"]
    assert ref == "JF-2099-0001"
    # db check (on the real clock) finds the record dated ahead of it, whatever today says.
    problems = [p["problem"] for p in run("db check -f json", code=1).json()]
    assert any(p.startswith("JF-2099-0001: found is after today") for p in problems)


# ---- 13: a busy ledger ----------------------------------------------------------------------
HOLDER = """
import sys, time
import sanling.ledger.dispute as d
add, delay = d.add, float(sys.argv.pop(1))
def slow(*a, **k):
    time.sleep(delay)
    return add(*a, **k)
d.add = slow
from sanling.cli import main
sys.argv[0] = "sanling"
main()
"""


@sqlite_only
def test_a_writer_kept_waiting_is_told_who_holds_the_ledger(
    villages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = Path(db.resolve_url(None).removeprefix("sqlite:///"))
    note = db.writer_note(path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            HOLDER,
            "6",
            "dispute",
            "add",
            "--village",
            "城庄村",
            "--category",
            "land",
            "--summary",
            "长导入",
            "--handler",
            "王明",
        ],
        env={**os.environ, "PYTHONPATH": str(Path(db.__file__).parents[1])},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(200):
            if note.exists():
                break
            time.sleep(0.05)
        assert note.exists(), "the holder never noted itself"
        monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)
        r = fail("dispute add --village 城庄村 --category land --summary 地界 --handler 李娜")
        assert "the ledger is busy: `sanling dispute add` (tester, since" in r.err
        assert "retry when it has finished" in r.err
    finally:
        _out, err = holder.communicate(timeout=60)
    assert holder.returncode == 0, err
    assert not note.exists()  # the note goes with the transaction


# ---- 14: init refuses what is not a new ledger ------------------------------------------------
@sqlite_only
def test_init_refuses_another_programs_database(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    engine = create_engine(f"sqlite:///{other}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (n INTEGER)"))
    engine.dispose()
    before = other.read_bytes()
    r = run(f"--db {other} init --town 城庄镇", code=1)
    assert "is not a sanling ledger: it holds other tables (invoices)" in r.err
    assert other.read_bytes() == before


@sqlite_only
def test_init_refuses_a_missing_folder_unless_parents(tmp_path: Path) -> None:
    target = tmp_path / "typo" / "deep" / "ledger.db"
    r = run(f"--db {target} init", code=1)
    assert f"the folder {target.parent} does not exist" in r.err and "--parents" in r.err
    assert not (tmp_path / "typo").exists()
    run(f"--db {target} init --parents --town 城庄镇")
    assert target.exists()


# ---- 15: Ctrl-C ---------------------------------------------------------------------------------
def test_ctrl_c_in_a_write_saves_nothing(
    villages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    import sanling.ledger.dispute as disputes
    from sanling.cli import app

    add = disputes.add

    def add_then_ctrl_c(*args: object, **kwargs: object) -> object:
        add(*args, **kwargs)  # type: ignore[arg-type]
        raise KeyboardInterrupt

    monkeypatch.setattr(disputes, "add", add_then_ctrl_c)
    before = dump()
    argv = [
        "dispute",
        "add",
        "--village",
        "城庄村",
        "--category",
        "land",
        "--summary",
        "地界",
        "--handler",
        "王明",
    ]
    result = CliRunner().invoke(app, argv, catch_exceptions=False)
    assert (result.exit_code, result.stderr, result.stdout) == (
        130,
        "interrupted: nothing was saved\n",
        "",
    )
    assert dump() == before


@sqlite_only
def test_sigint_during_an_import_saves_nothing(villages: list[str], tmp_path: Path) -> None:
    import signal

    rows = ["village,category,summary,handler,found"]
    rows += [f"城庄村,debt,导入{i},李明,2026-10-{1 + i % 28:02d}" for i in range(20_000)]
    csv = tmp_path / "big.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    path = Path(db.resolve_url(None).removeprefix("sqlite:///"))
    before = dump()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sanling", "import", "disputes", str(csv)],
        env={**os.environ, "PYTHONPATH": str(Path(db.__file__).parents[1])},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(400):
        if db.writer_note(path).exists() or proc.poll() is not None:
            break
        time.sleep(0.025)
    time.sleep(0.2)  # well inside the import
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert (proc.returncode, err.strip().splitlines()[-1]) == (
        130,
        "interrupted: nothing was saved",
    )
    assert dump() == before


# ---- 11: hostile import files -------------------------------------------------------------------
def test_hostile_import_files_end_in_one_error_line(villages: list[str], tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    assert "cannot parse the JSON: it is nested too deeply" in fail(f"import disputes {deep}").err
    row = '{"village": "城庄村", "category": "debt", "summary": "x", "handler": "y", '
    number = tmp_path / "number.json"
    number.write_text(f'[{row}"found": "2026-10-01", "people": {"9" * 100_000}}}]')
    r = fail(f"import disputes {number}")
    assert "row 1, column 'people'" in r.out + r.err and "internal error" not in r.err
    for huge in ("1e999", "-1e999", "NaN"):
        number.write_text(f'[{row}"found": "2026-10-01", "people": {huge}}}]')
        r = fail(f"--lang zh import disputes {number}")
        assert "第 1 行，“people”列：应为有限的数字（不能是无穷大或 NaN）" in r.out + r.err, huge
        assert "Input should" not in r.out + r.err
    wide = tmp_path / "wide.csv"
    wide.write_text(
        f"village,category,summary,handler,found\n城庄村,debt,{'x' * 140_000},y,2026-10-01\n"
    )
    r = fail(f"import disputes {wide}")
    assert "row 2 cannot be read: a cell is longer than 131,072 characters" in r.err


# ---- 16: narrow terminals --------------------------------------------------------------------
def _widest(text: str) -> int:
    from rich.cells import cell_len

    return max(cell_len(line) for line in text.splitlines())


@pytest.mark.parametrize("columns", [80, 100, 140, 250])
def test_refs_dates_and_numbers_never_wrap(
    two_towns: None, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    rows = run("dispute list -f json --limit 50").json()
    monkeypatch.setenv("COLUMNS", str(columns))
    out = run("dispute list").out
    assert _widest(out) <= columns
    lines = out.splitlines()
    for row in rows:
        assert any(row["ref"] in line for line in lines), row["ref"]
        assert any(row["found"] in line for line in lines)
    monkeypatch.setenv("COLUMNS", str(columns))
    grading = run("report grading").out
    assert _widest(grading) <= columns
    for heading in ("score", "open disputes", "admin. cases", "foundations", "proposed"):
        assert heading in grading  # no column dropped: a table, or a card per village
    villages = run("report grading -f json").json()["villages"]
    assert villages
    for village in villages:
        assert village["village"] in grading and f"{village['score']:.1f}" in grading


def test_a_wide_terminal_shows_a_table_and_a_narrow_one_cards(
    villages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    add_dispute("城庄村", "land", "2026-10-01")
    monkeypatch.setenv("COLUMNS", "250")
    wide = run("dispute list").out.splitlines()
    assert wide[0].split()[:3] == ["ref", "village", "found"] and wide[1].strip("─ ") == ""
    assert wide[2].split()[:3] == ["JF-2026-0001", "城庄村", "2026-10-01"]
    monkeypatch.setenv("COLUMNS", "60")
    narrow = run("dispute list").out.splitlines()
    assert narrow[0].split() == ["ref", "JF-2026-0001"]
    assert ["found", "2026-10-01"] in [line.split() for line in narrow]
    assert _widest("\n".join(narrow)) <= 60


def test_masked_ids_stay_whole_in_the_person_list(
    two_towns: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [row["id_number"] for row in run("person list -f json").json()]
    assert ids and all("*" in i for i in ids)
    for columns in ("200", "90"):
        monkeypatch.setenv("COLUMNS", columns)
        out = run("person list --limit 0").out
        for number in ids:
            assert number in out


# ---- 17: big lists ------------------------------------------------------------------------------
def test_a_table_on_screen_shows_50_rows_and_says_how_many_more(villages: list[str]) -> None:
    from tests.helpers.ledgers import add, writing

    with writing() as lx:
        for i in range(60):
            add(
                lx,
                "dispute",
                village="城庄村",
                category="debt",
                summary=f"欠款{i}",
                handler="王明",
                found="2026-10-01",
            )
    table = run("dispute list").out
    assert table.count("JF-2026-") == 50
    # the newest 50 (the highest numbers), in the list's own order; the oldest 10 left out
    shown = re.findall(r"JF-2026-\d{4}", table)
    assert shown == [f"JF-2026-{n:04d}" for n in range(11, 61)]
    assert table.rstrip().endswith("… 10 older records not shown; --limit 0 shows all")
    assert re.findall(r"JF-2026-\d{4}", run("dispute list --limit 3 -f csv").out) == [
        "JF-2026-0058",
        "JF-2026-0059",
        "JF-2026-0060",
    ]
    # a list that is not of numbered records keeps its first rows
    subjects = run("subject list --limit 1").out
    first = run("subject list -f json").json()[0]["name"]
    assert first in subjects and subjects.rstrip().endswith(
        "… 5 more not shown (--limit 0 shows all)"
    )
    assert run("dispute list --limit 0").out.count("JF-2026-") == 60
    assert run("dispute list --limit 7").out.count("JF-2026-") == 7
    assert len(run("dispute list -f csv").out.splitlines()) == 61  # no default limit for CSV
    assert len(run("dispute list -f json").json()) == 60
    assert len(run("dispute list -f csv --limit 5").out.splitlines()) == 6
    assert (
        run("--lang zh dispute list --limit 59")
        .out.rstrip()
        .endswith("……另有 1 条较早的记录未显示，用 --limit 0 显示全部")
    )
    for command in (
        "hazard",
        "hotspot",
        "patrol",
        "petition",
        "subject",
        "sweep",
        "backlog",
        "case",
        "accident",
        "person",
        "town",
        "config",
    ):
        run(f"{command} list --limit 1")
    fail("dispute list --limit -1", code=2)


def test_the_table_renderer_is_linear() -> None:
    import datetime as dt
    import time as clock

    from sanling.render import Column, Listing
    from sanling.render.csvfmt import to_csv
    from sanling.render.table import to_table

    rows = [
        {
            "ref": f"JF-2026-{i:05d}",
            "village": "城庄村",
            "found": dt.date(2026, 1, 1) + dt.timedelta(days=i % 300),
            "summary": "邻里排水纠纷" * (1 + i % 3),
            "people": i % 7,
        }
        for i in range(20_000)
    ]
    listing = Listing([Column(key) for key in rows[0]], rows)
    start = clock.perf_counter()
    to_csv(listing)
    csv_time = clock.perf_counter() - start
    start = clock.perf_counter()
    out = to_table(listing)
    table_time = clock.perf_counter() - start
    assert out.count("\n") == 20_002
    # Rich's own table took 90 times as long as CSV here; the fitted layout about five.
    assert table_time < 20 * csv_time + 0.5, (table_time, csv_time)


# ---- 18: Chinese names in pinyin order ----------------------------------------------------------
PINYIN = ["城庄村", "李家湾村", "前进村", "五和居"]  # by code point: 五和居 前进村 城庄村 李家湾村


def test_villages_are_listed_in_pinyin_order(villages: list[str]) -> None:
    from sanling.collate import name_key

    assert sorted(villages, key=name_key) == PINYIN
    subjects = run("subject list -f json").json()
    assert [s["name"] for s in subjects if s["kind"] == "village"] == PINYIN[:3]  # by kind
    monthly = run("report monthly -f json").json()
    assert [v["village"] for v in monthly["disputes"]["by_village"]] == PINYIN
    assert monthly["patrols"]["villages_without_patrol"] == PINYIN
    unswept = run("report sweep -f json").json()["coverage"]["unswept"]  # by kind, then name
    assert [n for n in unswept if n in PINYIN[:3]] == PINYIN[:3]
    grading = run("report grading -f json").json()
    assert [v["village"] for v in grading["villages"]] == PINYIN
    annual = [s["name"] for s in run("report annual -f json").json()["sanling"]["subjects"]]
    assert [n for n in annual if n in PINYIN[:3]] == PINYIN[:3]
    table = run("report grading").out
    assert [table.index(n) for n in PINYIN] == sorted(table.index(n) for n in PINYIN)
    csv = run("subject list -f csv --kind village").out.splitlines()[1:]
    assert [line.split(",")[0] for line in csv] == ["城庄村", "李家湾村", "前进村"]


def test_bulletin_and_exports_in_pinyin_order(villages: list[str], tmp_path: Path) -> None:
    # added last, first in pinyin order: an order by id puts it last
    run("subject add 安家村 --kind village")
    run("subject add 艾家坡小学 --kind unit --village 前进村")
    order = ["安家村", *PINYIN]
    bulletin = run("report bulletin -f json").json()
    assert [v["village"] for v in bulletin["villages"]] == order
    path = tmp_path / "subjects.json"
    run("export", "subjects", "-o", str(path))
    names = [r["name"] for r in json.loads(path.read_text(encoding="utf-8"))["rows"]]
    assert names[: len(order)] == order  # places before the units that name them
    run(
        "patrol add --date 2026-10-30 --start 20:00 --end 21:00 --leader 张 --team volunteer"
        " --people 3 --village 五和居 --village 安家村"
    )
    path = tmp_path / "patrols.json"
    run("export", "patrols", "-o", str(path))
    patrol = json.loads(path.read_text(encoding="utf-8"))[0]
    assert patrol["village"] == ["安家村", "五和居"]


def test_towns_in_pinyin_order(town: str) -> None:
    run("town add 五里镇")
    run("town add 安业乡")
    assert [t["name"] for t in run("town list -f json").json()] == ["安业乡", "城庄镇", "五里镇"]


# ---- 19: every string a zh user sees is Chinese -----------------------------------------------
@pytest.fixture(scope="module")
def demo_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        for var, value in {"SANLING_TODAY": "2026-10-31", "SANLING_LANG": "en"}.items():
            mp.setenv(var, value)
        run("--lang", "zh", "demo", "--db", str(path))
    return path


# What may stay ASCII in Chinese output: reference numbers, option names, paths and hashes,
# and the few codes a user types (table names in db status, the operator of the demo).
_ALLOWED = re.compile(
    r"[A-Z]{2}-\d{4}-\d+|--[a-z][a-z-]*|`[^`]*`|/[\w./-]+|\b[0-9a-f]{16,}\b|\bsanling\b"
    r"|\b(?:error|hint|demo)\b"
)


def _is_code(obj: object) -> bool:
    from enum import StrEnum

    return isinstance(obj, type) and issubclass(obj, StrEnum) and obj is not StrEnum


ZH_COMMANDS = [
    "dispute list",
    "hazard list",
    "person list",
    "subject list",
    "town list",
    "sweep list",
    "patrol list",
    "petition list",
    "case list",
    "accident list",
    "backlog list",
    "hotspot list",
    "db check",
    *[
        f"report {name}{fmt}"
        for name in ("bulletin", "sweep", "monthly", "annual", "grading")
        for fmt in ("", " -f text", " -f markdown", " -f csv")
    ],
    "report monthly --by-town -f text",
    "report annual --by-town",
    # refused requests: Click's, Pydantic's and sanling's own words
    "dispte",
    "dispute lst",
    "dispute list --bogus",
    "dispute list --limit x",
    "dispute list --limit -3",
    "dispute show",
    "dispute show JF-2026-0001 extra",
    "dispute add --village 城庄村",
    "dispute add --village 城庄村 --category land --summary 地界 --handler 王明 --people -1",
    "dispute add --village 城庄村 --category 吵架 --summary 地界 --handler 王明",
    "report annual --year 1800",
    "report monthly --month 0001-01",
    "db status -f text",
]


@pytest.mark.parametrize("command", ZH_COMMANDS)
def test_zh_output_has_no_english_words(
    demo_ledger: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    from sanling import codes
    from sanling.models import Base
    from sanling.render import REPORT_FORMATS

    monkeypatch.setenv("SANLING_LANG", "zh")
    monkeypatch.setenv("SANLING_DB", str(demo_ledger))
    r = run(command, code=None)
    text = _ALLOWED.sub(" ", r.out + r.err)
    # Codes a user types (record kinds, output formats) and table names are not English.
    typed = {m.value for enum in vars(codes).values() if _is_code(enum) for m in enum}
    typed |= set(Base.metadata.tables) | set(REPORT_FORMATS)
    words = {w for w in re.findall(r"[A-Za-z][A-Za-z_']*[A-Za-z]", text) if w not in typed}
    assert not words, f"{command}: {sorted(words)}\n{r.out[:2000]}{r.err}"


def test_zh_text_reports_label_their_figures(
    demo_ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANLING_LANG", "zh")
    monkeypatch.setenv("SANLING_DB", str(demo_ledger))
    sweep = run("report sweep -f text").out
    assert "行政村，主体数：" in sweep and "subjects" not in sweep
    monthly = run("report monthly -f text").out
    assert "今日" not in monthly and "。，" not in monthly
    assert "，本月排查：" in monthly  # a count, not 排查时间
    grading = run("report grading -f text").out
    assert "open_disputes" not in grading and "，未化解纠纷：" in grading
    annual = run("report annual --by-town -f csv").out
    assert "disputes_found" not in annual and "排查纠纷" in annual
    ref = run("dispute list --status resolved -f json --limit 1").json()[0]["ref"]
    r = run(f"dispute resolve {ref} --method mediation --result 再次", code=1)
    assert "已已" not in r.err and f"{ref} 的状态是“已化解”" in r.err


# ---- 20: shared names, an unknown language, a mistyped command ----------------------------------
def test_a_shared_village_name_says_its_town(two_towns: None) -> None:
    rows = run("dispute list -f json --limit 0").json()
    shown = {row["village"] for row in rows}
    assert "前进村（城庄镇）" in shown and "前进村（安业乡）" in shown and "前进村" not in shown
    assert "城庄村" in shown  # a name no other town has stays as it is
    assert "前进村（安业乡）" in run("dispute list --town 安业乡").out
    for command in ("hazard list", "petition list", "case list", "person list"):
        villages = {row["village"] for row in run(f"{command} -f json --limit 0").json()}
        assert "前进村" not in villages, command
    add_dispute("前进村", "debt", "2026-10-16", "--town", "安业乡", "--deadline", "2026-10-20")
    sweep = run("report sweep -f json --date 2026-10-31 --town 安业乡").json()
    named = {r["village"] for r in sweep["overdue_disputes"] + sweep["overdue_hazards"]}
    assert "前进村（安业乡）" in named and "前进村" not in named
    monthly = run("report monthly -f json").json()
    assert "前进村" not in monthly["patrols"]["villages_without_patrol"]
    # a half-month nobody swept: every subject is listed, shared names with their town
    unswept = run("report sweep -f json --date 2025-01-05").json()["coverage"]["unswept"]
    assert "前进村（城庄镇）" in unswept and "前进村（安业乡）" in unswept
    assert "前进村" not in unswept


def test_an_unknown_language_warns_once(
    villages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANLING_LANG", "fr")
    r = run("town list")
    assert r.err.count("warning: SANLING_LANG=fr is not zh or en; using English") == 1
    assert "name" in r.out
    monkeypatch.setenv("SANLING_LANG", "zh_CN.UTF-8")
    assert run("town list").err == ""


def test_a_mistyped_command_is_suggested(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "Did you mean 'dispute'?" in run("dispte", code=2).err
    assert "Did you mean 'report'?" in run("repot monthly", code=2).err
    monkeypatch.setenv("SANLING_LANG", "zh")
    assert "没有命令 `dispte`；是否要用 `dispute`？" in run("dispte", code=2).err
