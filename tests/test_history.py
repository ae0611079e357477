"""History survives a round trip: a ledger exported and imported into an empty one shows every
record as it was, progress notes, 集体研判, visits, backlog notes and grade history included."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from sanling.transfer import KINDS
from tests.helpers import dump, fail, run
from tests.helpers.env import ENV

# What `show` has, per command; the kinds without `show` are compared by their listing.
SHOWN = {
    "dispute": "ref",
    "petition": "ref",
    "backlog": "ref",
    "hazard": "ref",
    "person": "ref",
    "subject": "name",
}
LISTED = ("hotspot", "patrol", "case", "accident", "sweep")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo ledger with what the demo itself does not do: a collective review, a status
    change, a backlog note, a manual grade and a visit with no note."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = ["--db", str(path)]
    with pytest.MonkeyPatch.context() as env:  # before the per-test environment is set
        for var, value in ENV.items():
            env.setenv(var, value)
        run("--lang", "zh", "demo", *db)
        open_ones = run(*db, "dispute", "list", "--status", "open", "-f", "json").json()
        first, second = open_ones[0]["ref"], open_ones[1]["ref"]
        run(*db, "dispute", "review", first, "--note", "集体研判：由司法所牵头调处")
        run(*db, "dispute", "progress", second, "双方情绪稳定", "--status", "stabilized")
        case = run(*db, "backlog", "list", "-f", "json").json()[0]["ref"]
        run(*db, "backlog", "progress", case, "再次约访信访人")
        run(*db, "subject", "grade", "前进村", "--grade", "safe", "--reason", "人工复核")
        person = run(*db, "person", "list", "-f", "json").json()[0]["ref"]
        run(*db, "person", "visit", person, "--by", "王建军")
    return path


def _copy(demo: Path, tmp_path: Path) -> list[str]:
    path = tmp_path / "copy.db"
    shutil.copy(demo, path)
    return ["--db", str(path)]


def _empty(tmp_path: Path, name: str) -> list[str]:
    db = ["--db", str(tmp_path / f"{name}.db")]
    run(*db, "init", "--town", "城庄镇", "--county", "临县")
    return db


def shows(db: list[str], nouns: tuple[str, ...] = (*SHOWN, *LISTED)) -> dict[str, Any]:
    """`show -f json` of every record (key persons revealed), and the listings of the kinds
    without `show`. A hazard's `history` is the audit log's (who changed it when, in this
    ledger), which a new ledger writes anew, so it is left out."""
    out: dict[str, Any] = {}
    for noun, key in SHOWN.items():
        if noun not in nouns:
            continue
        reveal = ["--reveal"] if noun == "person" else []
        rows = run(*db, noun, "list", "-f", "json", *reveal).json()
        out[f"{noun} list"] = rows
        for row in rows:
            shown = run(*db, noun, "show", row[key], "-f", "json", *reveal).json()
            if noun == "hazard":
                shown.pop("history")
            out[f"{noun} {row[key]}"] = shown
    for noun in (n for n in LISTED if n in nouns):
        out[f"{noun} list"] = run(*db, noun, "list", "-f", "json").json()
    return out


def export_all(db: list[str], folder: Path, fmt: str) -> None:
    folder.mkdir()
    for kind in KINDS:
        run(*db, "export", kind, "-o", str(folder / f"{kind}.{fmt}"), "--reveal")


def import_all(db: list[str], folder: Path, fmt: str) -> dict[str, tuple[int, int]]:
    out = {}
    for kind in KINDS:
        got = run(*db, "import", kind, str(folder / f"{kind}.{fmt}"), "-f", "json").json()
        out[kind] = (got["added"], got["skipped"])
    return out


COUNTS = {
    "subjects": (125, 0),
    "sweeps": (970, 0),
    "disputes": (155, 0),
    "petitions": (30, 0),
    "backlog": (8, 0),
    "hazards": (172, 0),
    "hotspots": (3, 0),
    "patrols": (99, 0),
    "cases": (92, 0),
    "accidents": (3, 0),
    "persons": (34, 0),
}


def test_every_record_shows_the_same_after_an_xlsx_round_trip(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = shows(["--db", str(demo)])
    export_all(["--db", str(demo)], tmp_path / "out", "xlsx")
    new = _empty(tmp_path, "new")
    assert import_all(new, tmp_path / "out", "xlsx") == COUNTS
    after = shows(new)
    assert after.keys() == before.keys()
    assert [k for k in before if before[k] != after[k]] == []
    assert len(before) == 155 + 30 + 8 + 172 + 34 + 125 + 6 + 5
    # what the comparison covers, counted
    shown = {k: v for k, v in after.items() if not k.endswith(" list")}
    notes = sum(len(v["notes"]) for k, v in shown.items() if k.startswith("dispute "))
    visits = sum(len(v["visits"]) for k, v in shown.items() if k.startswith("person "))
    grades = sum(len(v["grade_history"]) for k, v in shown.items() if k.startswith("subject "))
    backlog = sum(len(v["notes"]) for k, v in shown.items() if k.startswith("backlog "))
    assert (notes, visits, grades, backlog) == (300, 344, 31, 15)
    reviewed = [k for k, v in shown.items() if k.startswith("dispute ") and v["reviewed"]]
    assert len(reviewed) == 1
    # one audit entry per record given a history, none for a record without one
    log = run(*new, "log", "--limit", "100000", "-f", "json").json()
    written = [e["ref"] for e in log if e["action"].endswith(".history")]
    with_history = [
        k.split(" ", 1)[1]
        for k, v in shown.items()
        if v.get("notes") or v.get("visits") or v.get("grade_history")
    ]
    assert sorted(written) == sorted(with_history)
    assert len(written) == 151 + 8 + 34 + 30
    run(*new, "db", "check")

    # the same files again add nothing and change nothing, history included
    monkeypatch.setenv("SANLING_DB", new[1])
    unchanged = dump()
    again = import_all(new, tmp_path / "out", "xlsx")
    assert again == {k: (0, n) for k, (n, _) in COUNTS.items()}
    assert dump() == unchanged


def test_history_goes_through_json_too(demo: Path, tmp_path: Path) -> None:
    source = ["--db", str(demo)]
    export_all(source, tmp_path / "out", "json")
    data = json.loads((tmp_path / "out" / "disputes.json").read_text("utf-8"))
    assert (len(data["rows"]), len(data["history"])) == (155, 300)
    review = [h for h in data["history"] if h["kind"] == "review"]
    assert review == [
        {
            "ref": review[0]["ref"],
            "date": "2026-10-31",
            "kind": "review",
            "status": None,
            "text": "集体研判：由司法所牵头调处",
            "operator": "tester",
        }
    ]
    new = _empty(tmp_path, "new")
    assert import_all(new, tmp_path / "out", "json") == COUNTS
    # the kinds with a history (the xlsx test above compares every kind)
    kinds = ("dispute", "backlog", "person", "subject")
    before, after = shows(source, kinds), shows(new, kinds)
    assert len(before) == 4 + 155 + 8 + 34 + 125
    assert [k for k in before if before[k] != after[k]] == []


def test_csv_holds_the_records_only_and_says_so(demo: Path, tmp_path: Path) -> None:
    db = _copy(demo, tmp_path)
    result = run(*db, "export", "disputes", "-o", str(tmp_path / "d.csv"))
    assert "CSV holds the records only, not their 300 history entries" in result.err
    result = run(*db, "export", "cases", "-o", str(tmp_path / "c.csv"))
    assert "history" not in result.err  # cases have none


def test_the_history_sheet_names_persons_by_number_only(demo: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    db = _copy(demo, tmp_path)
    run(*db, "--lang", "zh", "export", "persons", "-o", str(tmp_path / "p.xlsx"))
    book = load_workbook(tmp_path / "p.xlsx")
    assert book.sheetnames == ["重点人员", "历史记录"]
    sheet = book["历史记录"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("编号", "日期", "走访人", "走访情况")
    assert len(rows) == 1 + 344
    people = run(*db, "person", "list", "--reveal", "-f", "json").json()
    text = "\n".join(str(c) for r in rows for c in r if c is not None)
    for p in people:  # no name, ID number or phone, masked or not
        assert p["id_number"] not in text and p["id_number"][-4:] not in text
        assert p["name"] not in text
        assert p["phone"] is None or p["phone"][-4:] not in text
    records = list(book["重点人员"].iter_rows(values_only=True))
    at = records[0].index("公民身份号码")
    assert [r[at][6:14] for r in records[1:]] == ["********"] * 34  # masked there too


def _history_sheet(path: Path, change: Any) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path)
    change(book["history"])
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())


def test_a_bad_history_cell_is_reported_and_nothing_comes_in(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = ["--db", str(demo)]
    export_all(source, tmp_path / "out", "xlsx")
    new = _empty(tmp_path, "new")
    for kind in ("subjects", "sweeps"):
        run(*new, "import", kind, str(tmp_path / "out" / f"{kind}.xlsx"))
    disputes = tmp_path / "out" / "disputes.xlsx"

    def spoil(sheet: Any) -> None:
        sheet["B2"] = "2026-02-30"  # date
        sheet["C3"] = "闲聊"  # entry kind
        sheet["A4"] = "JF-2099-0001"  # a record the file does not have

    _history_sheet(disputes, spoil)
    monkeypatch.setenv("SANLING_DB", new[1])
    result = fail("import", "disputes", str(disputes))
    lines = [ln.strip() for ln in result.err.splitlines()]
    assert lines[0].startswith("row 2, column 'history!date': date: '2026-02-30' is not")
    assert lines[1].startswith("row 3, column 'history!entry': '闲聊' is not one of: progress")
    assert lines[2] == "row 4, column 'history!ref': 'JF-2099-0001' is not in the records' sheet"
    assert lines[-1].startswith("error: 3 rows are wrong; nothing was imported")
    assert run("dispute", "list", "-f", "json").json() == []


def test_grade_history_follows_each_town_s_village_of_one_name(
    two_towns: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("subject", "grade", "前进村", "--town", "安业乡", "--grade", "general", "--reason", "复核")
    out = tmp_path / "subjects.xlsx"
    run("export", "subjects", "-o", str(out))

    def shown() -> list[Any]:
        return [
            run("subject", "show", "前进村", "--town", t, "-f", "json").json()
            for t in ("城庄镇", "安业乡")
        ]

    before = shown()
    assert [len(s["grade_history"]) for s in before] == [0, 1]
    monkeypatch.setenv("SANLING_DB", str(tmp_path / "new.db"))
    run("init", "--town", "城庄镇", "--county", "临县")
    run("town", "add", "安业乡", "--county", "临县")
    run("import", "subjects", str(out))
    assert shown() == before
