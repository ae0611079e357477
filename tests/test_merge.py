"""`sanling merge` (issue 17 item 5): two towns keep their own SQLite ledgers and the county
merges them, twice, into its ledger (SQLite here, PostgreSQL with SANLING_TEST_DATABASE_URL).

Town A (城庄镇) has a record of every kind; town B (安业乡) numbers its records from 0001 too, so
the county holds JF-2026-0001 of each town.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import fail, ledgers, run

# The tables a merge copies row by row, and how many rows town A's and B's files hold in them.
A_ROWS = {
    "subjects": 4,
    "grade_history": 1,
    "sweeps": 1,
    "disputes": 3,
    "dispute_notes": 3,  # two resolutions and a progress note
    "petitions": 1,
    "backlog_cases": 1,
    "backlog_notes": 1,
    "hazards": 1,
    "hotspots": 1,
    "patrols": 1,
    "patrol_villages": 2,
    "cases": 1,
    "accidents": 1,
    "persons": 1,
    "person_visits": 1,
    "titles": 1,
    "staff": 1,
    "reminders_sent": 1,
    "appraisal_sheets": 1,  # the town's own; the file's sheet without a town is left out
    "appraisal_items": 4,
    "appraisal_scores": 1,
    "supervision": 1,
    "extensions": 1,
}
# What town A's file holds beside: the sheet without a town (the county's, as the town has it).
A_FILE = {**A_ROWS, "appraisal_sheets": 2, "appraisal_items": 8}
SHEET = """\
name = "城庄镇考评表"

[[item]]
key = "org"
title = "组织健全"
points = 60

[[item]]
key = "night"
title = "夜间巡逻"
points = 30
rule = "night_patrol"

[[item]]
key = "crime"
title = "无刑事案件"
points = 10
rule = "no_criminal_case"

[[veto]]
key = "veto.death"
title = "亡人事故"
rule = "accident_death"
"""
B_ROWS = {"subjects": 1, "disputes": 2, "dispute_notes": 1, "hazards": 1, "patrols": 2}
B_ROWS["patrol_villages"] = 2


@contextmanager
def at(path: Path) -> Iterator[Any]:
    """The library writing to a town's own file (as its commands would)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SANLING_DB", str(path))
        with ledgers.writing() as lx:
            yield lx


def town_a(path: Path) -> Path:
    from sanling.codes import Grade
    from sanling.ledger import backlog, dispute, hazard, person, subject

    run("--db", str(path), "init", "--town", "城庄镇", "--county", "临县")
    with at(path) as lx:
        add = lambda noun, **f: ledgers.add(lx, noun, **f)  # noqa: E731
        add("subject", name="城庄村", kind="village", mediation_committee=True)
        add("subject", name="李家湾村", kind="village")
        add("subject", name="五和居", kind="community")
        add("subject", name="城庄中学", kind="unit", village="城庄村")
        subject.grade(lx, "李家湾村", Grade.key, "手工定级")
        add("sweep", subject="城庄村", by="网格员", date="2026-10-01")
        one = ledgers.dispute(lx, "城庄村", "land", "2026-10-03")
        ledgers.resolve(lx, one, "2026-10-05")
        two = ledgers.dispute(lx, "李家湾村", "debt", "2026-10-10")
        dispute.progress(lx, two, "已约谈", date="2026-10-12")
        three = ledgers.dispute(lx, "城庄村", "neighbour", "2026-09-15")
        ledgers.resolve(lx, three, "2026-09-20")
        h = add("hazard", village="城庄村", area="road", description="路口", responsible="赵")
        hazard.rectify(lx, h.ref, "已改", "2026-10-31")
        add("case", village="李家湾村", kind="administrative", summary="打架", date="2026-10-09")
        add(
            "petition",
            village="城庄村",
            form="visit",
            level="city",
            summary="信访",
            date="2026-10-11",
        )
        add(
            "accident",
            village="城庄村",
            kind="road",
            summary="追尾",
            serious_injuries=1,
            date="2026-10-02",
        )
        add("hotspot", village="城庄村", description="网吧", date="2026-10-04")
        add(
            "person",
            category="released",
            name="张三",
            id_number="34052419800101001X",
            village="城庄村",
            listed="2026-01-05",
        )
        person.visit(lx, "ZD-2026-0001", "干部", date="2026-10-20")
        add(
            "patrol",
            village=["城庄村", "李家湾村"],
            team="patrol_team",
            leader="刘",
            people=3,
            date="2026-10-15",
            start="20:00",
            end="22:30",
        )
        pending = {"petitioner": "某", "summary": "积案", "lead": "书记", "plan": "一案一策"}
        add(
            "backlog",
            assigned_by="county",
            village="城庄村",
            deadline="2026-12-30",
            date="2026-10-01",
            **pending,
        )
        backlog.progress(lx, "JA-2026-0001", "已见面", date="2026-10-08")
    return town_a_later(path)


def town_a_later(path: Path) -> Path:
    """Town A's title, staff, reminder, sheets and score, and a card and extension."""
    from sanling.ledger import remind

    db = ("--db", str(path))
    run(*db, "subject", "name", "五和居", "--year", "2026", "--date", "2026-10-30")
    run(*db, "staff", "add", "刘", "--phone", "13800138000", "--village", "城庄村")
    sheet = path.with_suffix(".toml")
    sheet.write_text(SHEET, encoding="utf-8")
    run(*db, "appraisal", "sheet", "import", str(sheet), "--town", "城庄镇")
    run(*db, "appraisal", "sheet", "import", str(sheet), "--name", "县考评表")  # no town
    score = ("--quarter", "2026Q3", "--item", "org", "--points", "50")
    run(*db, "appraisal", "score", "城庄村", *score)
    card = ("--level", "yellow", "--by", "县信访局", "--date", "2026-10-20")
    run(*db, "backlog", "supervise", "JA-2026-0001", *card)
    extend = ("--to", "2027-01-31", "--reason", "需协调", "--approved-by", "县长")
    run(*db, "backlog", "extend", "JA-2026-0001", *extend, "--date", "2026-10-25")
    with at(path) as lx:
        town = lx.town(None).id
        day = dt.date(2026, 10, 30)
        remind.record_sent(lx, town, day, "刘", ["JA-2026-0001"], "0123456789abcdef", "…")
    return path


def town_b(path: Path) -> Path:
    run("--db", str(path), "init", "--town", "安业乡", "--county", "临县")
    with at(path) as lx:
        ledgers.add(lx, "subject", name="安业村", kind="village")
        ledgers.dispute(lx, "安业村", "debt", "2026-10-04")
        ledgers.resolve(lx, ledgers.dispute(lx, "安业村", "land", "2026-10-06"), "2026-10-07")
        ledgers.add(
            lx, "hazard", village="安业村", area="fire", description="柴堆", responsible="钱"
        )
        for day in ("2026-10-02", "2026-10-16"):
            ledgers.add(
                lx,
                "patrol",
                village=["安业村"],
                team="patrol_team",
                leader="孙",
                people=2,
                date=day,
                start="19:00",
                end="21:00",
            )
    return path


@pytest.fixture
def towns(tmp_path: Path) -> tuple[Path, Path]:
    """Town A's and B's files, and the county's ledger made with `sanling init` (no town)."""
    a = town_a(tmp_path / "chengzhuang.db")
    b = town_b(tmp_path / "anye.db")
    run("init")
    return a, b


def entries(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def rows(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def merge(path: Path) -> dict[str, Any]:
    result: dict[str, Any] = run("merge", str(path), "--format", "json").json()
    return result


def by_town(*db: str) -> dict[str, dict[str, Any]]:
    args = [*db, "report", "monthly", "--month", "2026-10", "--by-town", "--format", "json"]
    return {row["town"]: row for row in run(*args).json()["by_town"]}


def test_every_table_is_merged_or_left_out_for_a_reason() -> None:
    from sanling.ledger.merge import MERGED, NOT_MERGED, unnamed_tables
    from sanling.models import Base

    assert unnamed_tables() == []  # a new table: name it in codes.MergedTable or merge.NOT_MERGED
    assert not set(MERGED) & set(NOT_MERGED)
    assert set(MERGED) | set(NOT_MERGED) == set(Base.metadata.tables)
    assert set(A_ROWS) | {"towns"} <= set(MERGED)


def test_two_towns_merged_twice(towns: tuple[Path, Path]) -> None:
    a, b = towns
    for path, table in ((a, A_FILE), (b, B_ROWS)):
        assert {t: rows(path, t) for t in table} == table  # the files are as built
    first = merge(a)
    assert first["town"] == "城庄镇"
    assert first["entries_added"] == first["entries"] == entries(a) == 32
    assert first["rows_added"] == sum(A_ROWS.values()) == 35
    assert {t["table"]: t["added"] for t in first["tables"]} == A_ROWS
    second = merge(b)
    assert (second["entries_added"], second["rows_added"]) == (entries(b), 9) == (8, 9)
    for path in (a, b):  # the same files again: nothing new
        again = merge(path)
        assert (again["entries_added"], again["rows_added"], again["rows_changed"]) == (0, 0, 0)
        assert again["tables"] == []
    assert run("db check").err.strip() == "check passed: no problems found"
    listed = {
        town: sorted(d["ref"] for d in run(f"dispute list --town {town} --format json").json())
        for town in ("城庄镇", "安业乡")
    }
    assert listed == {
        "城庄镇": ["JF-2026-0001", "JF-2026-0002", "JF-2026-0003"],
        "安业乡": ["JF-2026-0001", "JF-2026-0002"],
    }
    county = by_town()
    assert set(county) == {"城庄镇", "安业乡"}
    # Each town's row is what the town's own ledger reports for itself, to the figure.
    assert county["城庄镇"] == by_town("--db", str(a))["城庄镇"]
    assert county["安业乡"] == by_town("--db", str(b))["安业乡"]
    figures = ["disputes_found", "disputes_resolved", "hazards_found", "hazards_rectified"]
    figures += ["patrols", "cases_administrative", "petitions_breaking", "accidents_breaking"]
    assert [county["城庄镇"][k] for k in figures] == [2, 1, 1, 1, 1, 1, 1, 1]
    assert [county["安业乡"][k] for k in figures] == [2, 1, 1, 0, 2, 0, 0, 0]
    assert county["城庄镇"]["disputes_rate"] == 50.0


def test_a_later_copy_adds_only_what_is_new(towns: tuple[Path, Path]) -> None:
    a, b = towns
    merge(a)
    merge(b)
    with at(b) as lx:
        ledgers.resolve(lx, "JF-2026-0001", "2026-10-20")
        ledgers.add(
            lx,
            "patrol",
            village=["安业村"],
            team="patrol_team",
            leader="孙",
            people=2,
            date="2026-10-30",
            start="19:00",
            end="21:00",
        )
    run("--db", str(b), "patrol", "void", "XL-2026-0001", "--reason", "重复登记")
    later = merge(b)
    assert (later["entries_added"], later["entries"]) == (3, 11)
    assert (later["rows_added"], later["rows_changed"], later["rows_removed"]) == (3, 2, 0)
    assert {t["table"]: (t["added"], t["changed"]) for t in later["tables"]} == {
        "disputes": (0, 1),
        "dispute_notes": (1, 0),
        "patrols": (1, 1),
        "patrol_villages": (1, 0),
    }
    voided = run("patrol list --voided --town 安业乡 --format json").json()
    assert [(p["ref"], p["void_reason"]) for p in voided] == [("XL-2026-0001", "重复登记")]
    assert run("db check").err.strip() == "check passed: no problems found"
    county = by_town()["安业乡"]
    assert (county["disputes_resolved"], county["patrols"]) == (2, 2)  # one voided
    assert by_town()["城庄镇"]["disputes_resolved"] == 1
    log = run("log --ref 安业乡 --format json").json()
    assert [e["action"] for e in log] == ["merge", "merge"]


def _rewrite(path: Path, ref: str, summary: str, *, rehash: bool) -> int:
    """Change the summary in the add entry of `ref` in a town's file; with `rehash`, every
    later hash recomputed, so the file's own chain verifies. The entry's number."""
    import json

    from sanling.ledger.base import GENESIS, entry_hash

    conn = sqlite3.connect(path)
    rows_ = conn.execute(
        "SELECT id, at, operator, action, ref, before, after, hash FROM audit_log ORDER BY id"
    ).fetchall()
    target = next(r[0] for r in rows_ if r[4] == ref and r[3].endswith(".add"))
    prev = GENESIS
    for ident, at_, operator, action, ref_, before, after, digest in rows_:
        if ident == target:
            changed = json.loads(after)
            changed["summary"] = summary
            after = json.dumps(changed, ensure_ascii=False)
            conn.execute("UPDATE audit_log SET after = ? WHERE id = ?", (after, ident))
        if rehash:
            load = lambda v: None if v is None else json.loads(v)  # noqa: E731
            when = dt.datetime.fromisoformat(at_)
            digest = entry_hash(prev, when, operator, action, ref_, load(before), load(after))
            conn.execute(
                "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, ident)
            )
        prev = digest
    conn.commit()
    conn.close()
    return int(target)


@pytest.mark.parametrize("rehash", [True, False], ids=["rewritten chain", "edited entry"])
def test_a_conflicting_copy_is_refused(
    towns: tuple[Path, Path], tmp_path: Path, rehash: bool
) -> None:
    a, _b = towns
    merge(a)
    third = tmp_path / "third.db"
    shutil.copy(a, third)
    number = _rewrite(third, "JF-2026-0001", "改过的纠纷", rehash=rehash)
    err = fail("merge", str(third)).err
    assert (
        "error: the ledger of 城庄镇 conflicts with the history merged before: the first record "
        f"that differs is JF-2026-0001 (audit entry {number}, dispute.add JF-2026-0001)"
    ) in err
    assert "nothing was merged" in err
    assert run("db check").err.strip() == "check passed: no problems found"


def test_an_older_copy_is_refused(towns: tuple[Path, Path], tmp_path: Path) -> None:
    a, _b = towns
    older = tmp_path / "older.db"
    shutil.copy(a, older)
    with at(a) as lx:
        ledgers.resolve(lx, "JF-2026-0002", "2026-10-25")
    merge(a)
    err = fail("merge", str(older)).err
    assert "error: the ledger of 城庄镇 is behind what was merged: audit entry 33 " in err
    assert "merge the town's latest ledger" in err


def _set_revision(path: Path, revision: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))


def test_files_that_cannot_be_merged(towns: tuple[Path, Path], tmp_path: Path) -> None:
    from sanling.db import HEAD

    a, b = towns
    junk = tmp_path / "notes.db"
    junk.write_text("not a ledger", encoding="utf-8")
    err = fail("merge", str(junk)).err
    assert f"error: {junk} is not a sanling ledger" in err
    assert "there is no file" in fail("merge", str(tmp_path / "missing.db")).err
    old = tmp_path / "old.db"
    shutil.copy(a, old)
    _set_revision(old, "0004")
    err = fail("merge", str(old)).err
    assert f"the town ledger's schema 0004 is behind this sanling ({HEAD})" in err
    assert f"upgrade it first: `sanling --db {old} db upgrade`" in err
    _set_revision(old, "9999")
    assert (
        f"schema 9999 is newer than this sanling ({HEAD}) (hint: upgrade sanling)"
        in fail("merge", str(old)).err
    )
    run("--db", str(b), "town", "add", "东关镇")
    assert "holds 2 towns; only a town's own ledger" in fail("merge", str(b)).err


def test_settings_stay_the_countys(towns: tuple[Path, Path]) -> None:
    a, b = towns
    run("--db", str(a), "config", "set", "petition_breaking_level", "province")
    result = run("merge", str(a))
    assert (
        "note: the ledger of 城庄镇 sets these otherwise than this one: petition_breaking_level;"
        in result.err
    )
    # Its city-level petition breaks 零上访 under the county's setting, not the town's own.
    assert by_town()["城庄镇"]["petitions_breaking"] == 1
    assert by_town("--db", str(a))["城庄镇"]["petitions_breaking"] == 0
    assert run("config get petition_breaking_level").out.strip() == "city"
    assert (
        "sets these otherwise than this one: petition_breaking_level;" in run("merge", str(a)).err
    )
    assert "sets these otherwise" not in run("merge", str(b)).err


def test_a_town_of_the_county_itself_is_not_merged_over(towns: tuple[Path, Path]) -> None:
    a, _b = towns
    run("town", "add", "城庄镇")
    err = fail("merge", str(a)).err
    assert "this ledger has a town '城庄镇' of its own (not merged)" in err


def test_a_ledger_is_not_merged_into_itself(tmp_path: Path) -> None:
    a = town_a(tmp_path / "a.db")
    err = fail("--db", str(a), "merge", str(a)).err
    assert "cannot merge the ledger" in err


def test_merged_records_change_in_their_town_only(towns: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = towns
    merge(a)
    merge(b)
    rows_ = tmp_path / "disputes.csv"
    rows_.write_text("village,category,summary,handler,found\n城庄村,land,地界,王,2026-10-09\n")
    err = fail("import", "disputes", str(rows_), "--town", "城庄镇").err
    assert "row 2: the records of 城庄镇 are merged from its own ledger" in err
    err = fail("person", "visit", "ZD-2026-0001", "--by", "县里").err
    assert "the records of 城庄镇 are merged from its own ledger" in err
    assert (
        "several towns have a record JF-2026-0001" in fail("dispute show JF-2026-0001", code=2).err
    )
    assert (
        "merged from its own ledger" in fail("subject", "update", "安业村", "--households", "5").err
    )


def test_db_check_reads_each_merged_towns_trail(towns: tuple[Path, Path]) -> None:
    from sqlalchemy import create_engine, text

    from sanling.db import resolve_url

    a, b = towns
    merge(a)
    merge(b)
    engine = create_engine(resolve_url(None))
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE disputes SET summary = '改' WHERE ref = 'JF-2026-0002' AND town_id = "
                "(SELECT id FROM towns WHERE name = '安业乡')"
            )
        )
        conn.execute(
            text(
                "UPDATE merged_audit_log SET operator = 'x' WHERE seq = 5 AND town_id = "
                "(SELECT id FROM towns WHERE name = '城庄镇')"
            )
        )
    engine.dispose()
    found = run("db check --format json", code=1).json()
    problems = [p["problem"] for p in found]
    assert "城庄镇: audit log entry 5 (subject.add 城庄中学): its content was edited" in problems
    assert (
        "安业乡 JF-2026-0002: differs from its audit trail in summary (changed behind sanling's "
        "back)"
    ) in problems
    assert len(problems) == 2


def _tamper(sql: str) -> None:
    from sqlalchemy import create_engine, text

    from sanling.db import resolve_url

    engine = create_engine(resolve_url(None))
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()


def _county_case() -> None:
    """A town of the county's own with a backlog case, a card and an extension, so a merged
    town's rows get other ids here than in its file (their ids are translated)."""
    run("town add 东关镇")
    run("subject add 东关村 --kind village --town 东关镇")
    case = "--assigned-by county --village 东关村 --petitioner 某 --summary 积案 --lead 书记"
    run(f"backlog add {case} --plan 包案 --deadline 2025-12-30 --date 2025-10-01")
    run("backlog supervise JA-2025-0001 --level red --by 县委 --date 2025-11-01")
    extend = "--to 2026-03-01 --reason 协调 --approved-by 县长 --date 2025-12-01"
    run(f"backlog extend JA-2025-0001 {extend}")


def test_titles_staff_scores_and_cards_are_merged(towns: tuple[Path, Path]) -> None:
    a, b = towns
    _county_case()
    merge(a)
    merge(b)
    assert run("db check").err.strip() == "check passed: no problems found"
    titles = run("subject titles --town 城庄镇 -f json").json()
    assert [(t["subject"], t["year"], t["title"]) for t in titles] == [("五和居", 2026, "三零社区")]
    compliance = "report compliance --month 2026-10 --by-town -f json"
    county = run(compliance).json()
    assert {r["name"]: r["title"] for r in county["results"]}["五和居"] == "三零社区 2026"
    own = run(f"--db {a} {compliance}").json()
    assert [r for r in county["by_town"] if r["town"] == "城庄镇"] == own["by_town"]
    appraisal = "report appraisal --year 2026 --subject 城庄村 -f json"
    here = run(f"{appraisal} --town 城庄镇").json()
    there = run(f"--db {a} {appraisal}").json()
    assert here["sheets"] == there["sheets"]  # the town's own sheet, merged
    assert [s["name"] for s in here["sheets"]] == ["城庄镇考评表 2026-10-31"]
    assert (here["subjects"], here["items"]) == (there["subjects"], there["items"])
    assert [(i["key"], i["Q3"]) for i in here["items"]] == [
        ("org", 50.0),
        ("night", 0.0),
        ("crime", 10.0),
    ]
    # The sheet without a town in the town's file is not the county's: the county has none.
    assert "shipped with sanling" in run("appraisal sheet show -f json").json()["name"]
    shown = run("backlog show JA-2026-0001 -f json").json()
    assert shown == run(f"--db {a} backlog show JA-2026-0001 -f json").json()
    assert (shown["supervision"], shown["deadline"], shown["original_deadline"]) == (
        "yellow",
        "2027-01-31",
        "2026-12-30",
    )
    staff = run("staff list --town 城庄镇 -f json").json()
    assert [(m["name"], m["phone"]) for m in staff] == [("刘", "138****8000")]
    with sqlite3.connect(a) as conn:  # the phone stays as stored
        assert conn.execute("SELECT phone FROM staff").fetchone()[0] == "13800138000"
    assert run("staff show 刘 --town 城庄镇 --reveal -f json").json()["phone"] == "13800138000"
    again = merge(a)
    assert (again["entries_added"], again["rows_added"], again["rows_changed"]) == (0, 0, 0)
    # The town lifts its card and takes the member off: the next merge brings both.
    run("--db", str(a), "backlog", "supervise", "JA-2026-0001", "--lift", "--date", "2026-10-28")
    run("--db", str(a), "staff", "remove", "刘")
    later = merge(a)
    assert {t["table"]: (t["added"], t["changed"]) for t in later["tables"]} == {
        "staff": (0, 1),
        "supervision": (1, 0),
    }
    assert run("backlog show JA-2026-0001 -f json").json()["supervision"] is None
    assert run("db check").err.strip() == "check passed: no problems found"


def test_a_merged_towns_cards_staff_and_scores_change_there(towns: tuple[Path, Path]) -> None:
    a, b = towns
    merge(a)
    merge(b)
    refused = "the records of 城庄镇 are merged from its own ledger"
    assert refused in fail("backlog supervise JA-2026-0001 --level red --by 县").err
    err = fail("backlog extend JA-2026-0001 --to 2027-03-01 --reason x --approved-by 县长").err
    assert refused in err
    assert refused in fail("staff add 王 --phone 13900139000 --town 城庄镇").err
    assert refused in fail("staff remove 刘 --town 城庄镇").err
    score = "--quarter 2026Q3 --item org --points 40 --town 城庄镇"
    assert refused in fail(f"appraisal score 城庄村 {score}").err
    assert refused in fail("subject name 李家湾村 --year 2026 --town 城庄镇").err
    assert refused in fail("subject revoke 五和居 --reason x --town 城庄镇").err
    sheet = a.with_suffix(".toml")
    assert refused in fail(f"appraisal sheet import {sheet} --town 城庄镇 --name 新表").err
    assert refused in fail("staff edit 刘 --role 书记 --town 城庄镇").err
    assert run("db check").err.strip() == "check passed: no problems found"
    # A merged card, extension or member changed behind sanling's back is found.
    _tamper("UPDATE supervision SET by = '乡里'")
    _tamper("UPDATE extensions SET approved_by = '镇长'")
    _tamper("UPDATE staff SET role = '书记'")
    problems = sorted(p["problem"] for p in run("db check --format json", code=1).json())
    assert problems == [
        "JA-2026-0001: extension row 1 differs from its audit trail (changed behind sanling's"
        " back)",
        "JA-2026-0001: supervision row 1 differs from its audit trail (changed behind sanling's"
        " back)",
        "staff 刘: differs from its audit trail in role (changed behind sanling's back)",
    ]


def test_a_sheet_without_a_town_stays_in_the_towns_ledger(
    towns: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = towns
    sheet = tmp_path / "sheet.toml"
    sheet.write_text(SHEET, encoding="utf-8")
    run("--db", str(b), "appraisal", "sheet", "import", str(sheet))  # no --town: "the county's"
    note = "note: the ledger of 安业乡 appraises the town by the sheet '城庄镇考评表 2026-10-31'"
    assert note in run("merge", str(b)).err
    assert "appraises the town by" not in run("merge", str(a)).err  # its own sheet, merged
    assert rows(b, "appraisal_sheets") == 1
    listed = run("report appraisal --year 2026 --town 安业乡 -f json").json()["sheets"]
    assert "shipped with sanling" in listed[0]["name"]
    run("appraisal", "sheet", "import", str(sheet), "--name", "县考评表")  # the same items
    assert "appraises the town by" not in run("merge", str(b)).err
    assert run("db check").err.strip() == "check passed: no problems found"


def test_mediation_and_petition_steps_are_merged(towns: tuple[Path, Path]) -> None:
    """A town's mediation agreement, its follow-up (a table of its own) and a petition's
    steps come across; the county's `db check` reads them against the town's trail."""
    a, _b = towns
    town = ("--db", str(a))
    agreement = ("--number", "（2026）城人调字第1号", "--content", "赔偿", "--amount", "800")
    run(*town, "dispute", "agreement", "JF-2026-0001", *agreement)
    run(*town, "dispute", "followup", "JF-2026-0001", "--performed", "yes", "--note", "已付")
    run(*town, "petition", "accept", "XF-2026-0001", "--date", "2026-10-12")
    run(*town, "petition", "reply", "XF-2026-0001", "--date", "2026-10-30")
    merge(a)
    assert run("db check").err.strip() == "check passed: no problems found"
    for show in ("dispute show JF-2026-0001 -f json", "petition show XF-2026-0001 -f json"):
        assert run(show).json() == run(f"--db {a} {show}").json()
    assert run("dispute show JF-2026-0001 -f json").json()["followups"][0]["performed"] == "yes"
    month = "report monthly --month 2026-10 --town 城庄镇 -f json"
    here, there = run(month).json(), run(f"--db {a} {month}").json()
    assert here["mediation"] == there["mediation"]
    assert here["mediation"]["cases"] == 1
    assert here["petition_limits"] == there["petition_limits"]
    again = merge(a)
    assert (again["entries_added"], again["rows_added"], again["rows_changed"]) == (0, 0, 0)
