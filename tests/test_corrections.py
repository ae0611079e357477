"""Corrections (issue 14): every kind of record can be edited, voided and taken back, with a
reason, audited; figures follow the corrected facts; `db check` knows corrections from SQL."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from sanling import db
from tests.helpers import PG_URL, fail, run

ID = "34052419800101001X"  # male
ID_FEMALE = "11010519491231002X"

# One record of each kind, dated in October 2026 (the as-of month).
ADDS = {
    "dispute": "dispute add --village 城庄村 --category land --summary 地界纠纷 --handler 王强"
    " --found 2026-10-01",
    "petition": "petition add --village 李家湾村 --form visit --level city --summary 上访诉求"
    " --date 2026-10-02",
    "backlog": "backlog add --assigned-by county --village 城庄村 --petitioner 王某 --summary 积案"
    " --lead 李镇长 --plan 一案一策 --deadline 2026-12-31 --date 2026-10-03",
    "hazard": "hazard add --village 城庄村 --area fire --description 电线老化 --responsible 张三"
    " --found 2026-10-04",
    "patrol": "patrol add --village 城庄村 --team patrol_team --leader 赵六 --people 4"
    " --date 2026-10-05",
    "hotspot": "hotspot add --village 城庄村 --description 网吧聚集 --date 2026-10-06",
    "case": "case add --kind criminal --village 前进村 --summary 盗窃 --date 2026-10-07",
    "accident": "accident add --village 李家湾村 --subject 兴旺煤业 --kind production"
    " --summary 机械伤人 --deaths 1 --date 2026-10-08",
    "person": f"person add --category released --name 张三丰 --id-number {ID} --village 城庄村"
    " --listed 2026-10-09",
    "sweep": "sweep add --subject 城庄村 --by 王强 --date 2026-10-10",
}
# An edit of each kind: its options, then the field of `show` and the value it then has.
EDITS: dict[str, tuple[str, str, Any]] = {
    "dispute": ("--category neighbour", "category", "neighbour"),
    "petition": ("--people 3", "people", 3),
    "backlog": ("--lead 刘书记", "lead", "刘书记"),
    "hazard": ("--grade major", "grade", "major"),
    "patrol": ("--people 6", "people", 6),
    "hotspot": ("--description 台球室聚集", "description", "台球室聚集"),
    "case": ("--village 城庄村", "village", "城庄村"),
    "accident": ("--deaths 0", "deaths", 0),
    "person": ("--risk 3", "risk", 3),
    "sweep": ("--by 李四", "by", "李四"),
}
# Each kind's first date: an edit to a future day is refused as add refuses it.
FIRST_DATE = {
    "dispute": "--found",
    "petition": "--date",
    "backlog": "--date",
    "hazard": "--found",
    "patrol": "--date",
    "hotspot": "--date",
    "case": "--date",
    "accident": "--date",
    "person": "--listed",
    "sweep": "--date",
}


def add(noun: str) -> str:
    ref: str = run(*shlex.split(ADDS[noun]), "-f", "json").json()["ref"]
    return ref


def show(noun: str, ref: str) -> dict[str, Any]:
    data: dict[str, Any] = run(noun, "show", ref, "-f", "json").json()
    return data


def listed(noun: str, *args: str) -> list[str]:
    return [r["ref"] for r in run(noun, "list", *args, "-f", "json").json()]


@pytest.mark.parametrize("noun", list(ADDS))
def test_edit_void_and_unvoid_every_kind(villages: list[str], noun: str) -> None:
    ref = add(noun)
    options, key, value = EDITS[noun]
    assert show(noun, ref)[key] != value

    edited = run(noun, "edit", ref, *shlex.split(options), "--reason", "录入有误", "-f", "json")
    assert edited.json()["ref"] == ref and edited.json()[key] == value
    shown = show(noun, ref)
    assert shown[key] == value
    assert [(c["correction"], c["reason"]) for c in shown["corrections"]] == [("edit", "录入有误")]
    entry = run("log", "--ref", ref, "-f", "json").json()[0]
    assert entry["action"] == f"{noun}.edit" and "_reason=录入有误" in entry["after"]
    run("db check")

    # Refused, the ledger unchanged: no reason, an empty one, an unknown field, a bad value.
    fail(noun, "edit", ref, *shlex.split(options), code=2)
    fail(noun, "edit", ref, *shlex.split(options), "--reason", "  ")
    fail(noun, "edit", ref, "--colour", "red", "--reason", "x", code=2)
    fail(noun, "edit", ref, FIRST_DATE[noun], "2026-11-30", "--reason", "x")
    fail(noun, "edit", ref, "--reason", "nothing given", code=2)
    fail(noun, "edit", "XX-2026-0099", *shlex.split(options), "--reason", "x")

    run(noun, "void", ref, "--reason", "重复录入")
    assert ref not in listed(noun)
    voided = run(noun, "list", "--voided", "-f", "json").json()
    assert [r["ref"] for r in voided] == [ref]
    assert voided[0]["void_reason"] == "重复录入" and voided[0]["voided_by"] == "tester"
    stamp = show(noun, ref)
    assert stamp["voided"] is True and stamp["void_reason"] == "重复录入"
    assert [c["correction"] for c in stamp["corrections"]] == ["edit", "void"]
    # A voided record takes no edit and no second void; nothing is deleted.
    err = fail(noun, "edit", ref, *shlex.split(options), "--reason", "x").err
    assert f"{ref} is voided" in err and f"{noun} unvoid {ref}" in err
    fail(noun, "void", ref, "--reason", "again")
    run("db check")

    run(noun, "unvoid", ref, "--reason", "误作废")
    assert ref in listed(noun) and run(noun, "list", "--voided", "-f", "json").json() == []
    assert "voided" not in show(noun, ref)
    fail(noun, "unvoid", ref, "--reason", "not voided")
    actions = [e["action"] for e in run("log", "--ref", ref, "-f", "json").json()]
    assert actions == [f"{noun}.unvoid", f"{noun}.void", f"{noun}.edit", f"{noun}.add"]
    run("db check")


def test_an_edit_is_checked_as_an_add_is(villages: list[str]) -> None:
    ref = add("dispute")
    err = fail(
        "dispute", "edit", ref, "--deadline", "2026-09-01", "--reason", "x"
    ).err  # before the found date
    assert "deadline 2026-09-01 is before the found date 2026-10-01" in err
    fail("dispute", "edit", ref, "--village", "没有村", "--reason", "x")
    fail("dispute", "edit", ref, "--subject", "兴旺煤业", "--reason", "x")  # not in 城庄村
    fail("dispute", "edit", ref, "--category", "nonsense", "--reason", "x", code=2)
    fail("dispute", "edit", ref, "--people", "-1", "--reason", "x", code=2)
    # A step recorded later still follows the first date: resolved on 10-05, found not after.
    run(f"dispute resolve {ref} --method mediation --result 调解 --date 2026-10-05")
    err = fail("dispute", "edit", ref, "--found", "2026-10-06", "--reason", "x").err
    assert "2026-10-05" in err
    # The edit keeps what steps recorded: still resolved, same resolution date.
    run("dispute", "edit", ref, "--found", "2026-09-30", "--reason", "日期录错")
    after = show("dispute", ref)
    assert (after["found"], after["status"], after["resolved_on"]) == (
        "2026-09-30",
        "resolved",
        "2026-10-05",
    )
    assert after["ref"] == ref


def test_a_person_edit_follows_the_id_number(villages: list[str]) -> None:
    ref = add("person")
    assert show("person", ref)["sex"] == "male"
    run("person", "edit", ref, "--id-number", ID_FEMALE, "--reason", "号码录错")
    assert show("person", ref)["sex"] == "female"
    # Its own number is no duplicate; another person's is.
    run("person", "edit", ref, "--name", "张三", "--reason", "姓名录错")
    other = run(
        "person add --category drug --name 李四 --id-number 141124198503120034 --village 城庄村"
        " -f json"
    ).json()["ref"]
    fail("person", "edit", other, "--id-number", ID_FEMALE, "--reason", "x")
    fail("person", "edit", ref, "--id-number", ID_FEMALE, "--sex", "male", "--reason", "x")
    # A phone that differs only where it is masked is still a change.
    run("person", "edit", ref, "--phone", "13812345678", "--reason", "补录电话")
    run("person", "edit", ref, "--phone", "13899995678", "--reason", "电话录错")
    revealed = run("person", "show", ref, "--reveal", "-f", "json").json()
    assert revealed["phone"] == "13899995678"
    run("db check")


def test_a_patrol_edit_changes_its_villages(villages: list[str]) -> None:
    ref = add("patrol")
    run("patrol", "edit", ref, "--village", "李家湾村", "--village", "前进村", "--reason", "村录错")
    assert sorted(show("patrol", ref)["villages"]) == ["前进村", "李家湾村"]
    run("db check")


def test_log_entries_are_corrected_with_a_reason(villages: list[str]) -> None:
    ref = add("dispute")
    run("dispute", "progress", ref, "约谈双方", "--date", "2026-10-02")
    run("dispute", "progress", ref, "再次调解", "--date", "2026-10-03")
    run("dispute", "edit-note", ref, "2", "--text", "再次调解，双方同意", "--reason", "记录不全")
    notes = show("dispute", ref)["notes"]
    assert [n["text"] for n in notes] == ["约谈双方", "再次调解，双方同意"]
    fail("dispute", "edit-note", ref, "3", "--text", "x", "--reason", "y")
    fail("dispute", "edit-note", ref, "1", "--date", "2026-09-01", "--reason", "y")
    fail("dispute", "edit-note", ref, "1", "--text", "x", code=2)
    entry = run("log", "--ref", ref, "-f", "json").json()[0]
    assert entry["action"] == "dispute.edit-note"
    # A dispute's first date cannot move past its log.
    fail("dispute", "edit", ref, "--found", "2026-10-03", "--reason", "x")

    case = add("backlog")
    run("backlog", "progress", case, "走访信访人", "--date", "2026-10-04")
    run("backlog", "edit-note", case, "1", "--text", "走访信访人并答复", "--reason", "补充")
    assert show("backlog", case)["notes"][0]["text"] == "走访信访人并答复"

    person = add("person")
    run("person", "visit", person, "--by", "刘海燕", "--date", "2026-10-20")
    run("person", "edit-visit", person, "1", "--date", "2026-10-15", "--reason", "日期录错")
    shown = show("person", person)
    assert shown["visits"][0]["date"] == "2026-10-15" and shown["last_visit"] == "2026-10-15"
    run("db check")


def _zeros(name: str) -> dict[str, Any]:
    data = run("report annual --year 2026 -f json").json()
    (subject,) = [s for s in data["sanling"]["subjects"] if s["name"] == name]
    return {"achieved": subject["achieved"], "broken_by": subject["broken_by"]}


def test_figures_follow_the_corrected_facts(villages: list[str]) -> None:
    case = add("case")  # a criminal case in 前进村 breaks its 零案件
    accident = add("accident")  # a death at 兴旺煤业 breaks its 零事故
    annual = run("report annual --year 2026 -f json").json()
    assert annual["sanling"]["achieved"]["total"] == 4
    assert _zeros("前进村")["broken_by"] == [{"zero": "zero_case", "refs": [case]}]
    assert _zeros("城庄村")["achieved"] is True
    assert annual["accidents"] == {"total": 1, "breaking": 1}

    # The case was in 城庄村: the broken 零案件 moves with it.
    run("case", "edit", case, "--village", "城庄村", "--reason", "发案地录错")
    assert _zeros("前进村") == {"achieved": True, "broken_by": []}
    assert _zeros("城庄村")["broken_by"] == [{"zero": "zero_case", "refs": [case]}]

    # The accident's death was mistyped: voiding it restores 兴旺煤业's 零事故.
    assert _zeros("兴旺煤业")["achieved"] is False
    run("accident", "void", accident, "--reason", "误录")
    assert _zeros("兴旺煤业") == {"achieved": True, "broken_by": []}
    annual = run("report annual --year 2026 -f json").json()
    assert annual["accidents"] == {"total": 0, "breaking": 0}
    assert annual["sanling"]["achieved"]["total"] == 5
    monthly = run("report monthly --month 2026-10 -f json").json()
    assert (monthly["accidents"]["total"], monthly["cases"]["criminal"]) == (0, 1)
    run("accident", "unvoid", accident, "--reason", "确有此事")
    assert _zeros("兴旺煤业")["achieved"] is False


def test_a_corrected_date_moves_a_record_to_its_month(villages: list[str]) -> None:
    ref = run(*shlex.split(ADDS["dispute"].replace("2026-10-01", "2026-09-20")), "-f", "json")
    found = [
        run(f"report monthly --month {m} -f json").json()["disputes"]["found"]
        for m in ("2026-09", "2026-10")
    ]
    assert found == [1, 0]
    run("dispute", "edit", ref.json()["ref"], "--found", "2026-10-02", "--reason", "月份录错")
    found = [
        run(f"report monthly --month {m} -f json").json()["disputes"]["found"]
        for m in ("2026-09", "2026-10")
    ]
    assert found == [0, 1]


REPORTS = [
    "report bulletin",
    "report sweep --date 2026-10-10",
    "report monthly --month 2026-10",
    "report grading",
    "report annual --year 2026",
    "report annual --year 2026 --explain accidents.total",
    "report monthly --month 2026-10 --explain cases.criminal",
    *(f"{noun} list" for noun in ADDS),
]
EXPORTS = ["sweeps", "disputes", "petitions", "backlog", "hazards", "hotspots", "patrols"]
EXPORTS += ["cases", "accidents", "persons"]


def _outputs(folder: Path) -> dict[str, str]:
    out = {cmd: run(*shlex.split(cmd), "-f", "json").out for cmd in REPORTS}
    for kind in EXPORTS:
        path = folder / f"{kind}.json"
        run("export", kind, "-o", str(path))
        out[f"export {kind}"] = path.read_text(encoding="utf-8")
    return out


def _rows(exported: str) -> list[dict[str, Any]]:
    """An export's records: a JSON list, or its "rows" beside a kind's history."""
    data = json.loads(exported)
    return data["rows"] if isinstance(data, dict) else data


def test_a_voided_record_counts_in_no_report(villages: list[str], tmp_path: Path) -> None:
    # A ledger with one record of each kind ...
    for noun in ADDS:
        add(noun)
    before = _outputs(tmp_path)
    # ... then one more of each kind (a second person needs another ID number), each of
    # which changes what some report says ...
    extra = {
        noun: run(
            *shlex.split(ADDS[noun].replace(ID, ID_FEMALE).replace("张三丰", "王芳")),
            "-f",
            "json",
        ).json()["ref"]
        for noun in ADDS
    }
    changed = _outputs(tmp_path)
    assert [cmd for cmd in changed if changed[cmd] == before[cmd]] == []
    # ... voided: every report, list and explanation reads as before; an export has them
    # too, stamped voided, and the records in force as before.
    for noun, ref in extra.items():
        run(noun, "void", ref, "--reason", "重复录入")
    after = _outputs(tmp_path)
    assert [cmd for cmd in REPORTS if after[cmd] != before[cmd]] == []
    for kind in EXPORTS:
        rows = _rows(after[f"export {kind}"])
        in_force = [r for r in rows if not r["voided"]]
        assert in_force == _rows(before[f"export {kind}"]), kind
        stamped = [(r["ref"], r["void_reason"]) for r in rows if r["voided"]]
        assert stamped == [(extra[kind.removesuffix("s")], "重复录入")], kind
    run("db check")


def test_export_and_import_keep_the_void_stamp(villages: list[str], tmp_path: Path) -> None:
    first, second = add("case"), add("case")
    run("case", "edit", second, "--summary", "盗窃电动车", "--reason", "补充")
    run("case", "void", first, "--reason", "重复录入")
    for fmt in ("csv", "xlsx", "json"):
        path = tmp_path / f"cases.{fmt}"
        run("export", "cases", "-o", str(path))
        # Into a ledger with the same subjects and no cases: the same file comes out again.
        copy = tmp_path / f"copy-{fmt}.db"
        run("--db", str(copy), "init", "--town", "城庄镇")
        run("export", "subjects", "-o", str(tmp_path / "subjects.csv"))
        run("--db", str(copy), "import", "subjects", str(tmp_path / "subjects.csv"))
        run("--db", str(copy), "import", "cases", str(path))
        voided = run("--db", str(copy), "case", "list", "--voided", "-f", "json").json()
        assert [(r["ref"], r["void_reason"], r["voided_by"]) for r in voided] == [
            (first, "重复录入", "tester")
        ]
        cases = run("--db", str(copy), "case", "list", "-f", "json").json()
        assert [(r["ref"], r["summary"]) for r in cases] == [(second, "盗窃电动车")]
        again = tmp_path / f"again.{fmt}"
        run("--db", str(copy), "export", "cases", "-o", str(again))
        if fmt != "xlsx":
            assert again.read_bytes() == path.read_bytes()
        run("--db", str(copy), "db", "check")
        # Importing the file again adds nothing: the voided record is still there.
        again_import = run("--db", str(copy), "import", "cases", str(path))
        assert "2 already in the ledger" in again_import.out + again_import.err


def _sql(statement: str) -> None:
    engine = create_engine(db.resolve_url(None))
    try:
        with engine.begin() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


def test_db_check_knows_a_correction_from_sql(villages: list[str]) -> None:
    accident = add("accident")
    case = add("case")
    run("accident", "edit", accident, "--deaths", "0", "--injuries", "2", "--reason", "误录")
    run("case", "void", case, "--reason", "重复")
    run("db check")
    # A change behind sanling's back, on top of an edit, is still caught ...
    _sql(f"UPDATE accidents SET deaths = 3 WHERE ref = '{accident}'")
    err = run("db check", code=1).out
    assert f"{accident}: differs from its audit trail in deaths" in err
    _sql(f"UPDATE accidents SET deaths = 0 WHERE ref = '{accident}'")
    run("db check")
    # ... and so is a void taken back (or made) with SQL.
    unstamp = "voided_at = NULL, voided_by = NULL, void_reason = NULL"
    _sql(f"UPDATE cases SET {unstamp} WHERE ref = '{case}'")
    out = run("db check", code=1).out
    assert f"{case}: differs from its audit trail in void_reason, voided_at, voided_by" in out


def test_an_old_ledger_upgrades_and_takes_corrections(tmp_path: Path, ledger_env: str) -> None:
    from tests.test_upgrade_fixture import FIXTURES, copy_to_postgresql, revision_of, table_rows

    fixture = FIXTURES[0]
    if PG_URL:
        copy_to_postgresql(fixture, ledger_env, revision_of(fixture))
    else:
        shutil.copy(fixture, ledger_env)
    before = table_rows(db.resolve_url(None))["disputes"]
    run("db upgrade")
    after = table_rows(db.resolve_url(None))["disputes"]
    # Every record is kept as it was, none voided.
    assert [{k: r[k] for k in before[0]} for r in after] == before
    assert {(r["voided_at"], r["voided_by"], r["void_reason"]) for r in after} == {(None,) * 3}
    assert run("dispute list --town 城庄镇 --voided -f json").json() == []
    run("dispute void JF-2026-0001 --reason 升级后作废")
    run("dispute edit JF-2026-0002 --summary 升级后更正 --reason 更正")
    refs = [d["ref"] for d in run("dispute list --town 城庄镇 -f json").json()]
    assert sorted(refs) == ["JF-2026-0002", "JF-2026-0003"]
    run("db check")
