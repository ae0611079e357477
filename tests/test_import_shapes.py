"""sanling import of ledgers in the shapes offices keep (issue 13, points 4, 5, 7, 8, 9; issue
15 item 5): every sheet of a workbook, footer lines, two-level headers and merged cells, places
written as bodies or grids, values for the whole file (--village, --subject, --found ...),
TOML maps (kept in the ledger by name) and starter maps, problems as JSON, and bounded reading
of hostile spreadsheets."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import fail, run

HEAD = ["序号", "所属村", "排查时间", "类别", "简要情况", "首办责任人"]


def book(
    path: Path, sheets: dict[str, list[list[Any]]], merge: dict[str, list[str]] | None = None
) -> Path:
    """A workbook with these sheets (rows as given) and merged ranges per sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for cells in (merge or {}).get(name, []):
            ws.merge_cells(cells)
    wb.save(path)
    return path


def row(n: int, village: str | None, summary: str, found: str = "2026-09-01") -> list[Any]:
    return [n, village, found, "邻里", summary, "张三"]


def disputes() -> list[dict[str, Any]]:
    return run("dispute list --format json").json()


def villages_of(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(r["village"] for r in rows)


# ---- shapes: sheets, footers, two-level headers, merged cells ------------------------------
def test_every_sheet_sharing_the_header_is_imported_and_counted(
    villages: list[str], tmp_path: Path
) -> None:
    path = book(
        tmp_path / "months.xlsx",
        {
            "7月": [HEAD, row(1, "城庄村", "七月一"), row(2, "前进村", "七月二")],
            "8月": [["某镇8月矛盾纠纷台账"], HEAD, row(1, "李家湾村", "八月一")],
            "说明": [["本表按月填报"]],
            "Sheet3": [],
        },
    )
    out = run("import", "disputes", str(path))
    assert "imported 3 disputes" in out.out
    assert "2 sheets: 7月 2 rows, 8月 1 rows" in out.out
    assert "sheet '说明' not imported: no header row" in out.err
    assert "sheet 'Sheet3' not imported: empty" in out.err
    assert villages_of(disputes()) == ["前进村", "城庄村", "李家湾村"]
    data = run("import", "disputes", str(path), "--format", "json").json()
    assert data["added"] == 0 and data["skipped"] == 3
    assert data["sheets"] == [{"sheet": "7月", "rows": 2}, {"sheet": "8月", "rows": 1}]
    assert [s["sheet"] for s in data["sheets_left"]] == ["说明", "Sheet3"]


def test_sheet_option_picks_one_and_names_the_others(villages: list[str], tmp_path: Path) -> None:
    path = book(
        tmp_path / "months.xlsx",
        {"7月": [HEAD, row(1, "城庄村", "七月一")], "8月": [HEAD, row(1, "李家湾村", "八月一")]},
    )
    run("import", "disputes", str(path), "--sheet", "8月")
    assert villages_of(disputes()) == ["李家湾村"]
    run("import", "disputes", str(path), "--sheet", "1")
    assert villages_of(disputes()) == ["城庄村", "李家湾村"]
    err = fail("import", "disputes", str(path), "--sheet", "9月").err
    assert "the file has no sheet '9月'" in err and "7月、8月" in err


def test_a_wrong_row_names_its_sheet(villages: list[str], tmp_path: Path) -> None:
    path = book(
        tmp_path / "months.xlsx",
        {"7月": [HEAD, row(1, "城庄村", "七月一")], "8月": [HEAD, row(1, "无此村", "八月一")]},
    )
    err = fail("import", "disputes", str(path)).err
    assert "sheet '8月', row 2, column '所属村': no village or community named '无此村'" in err


def test_footer_lines_are_skipped(villages: list[str], tmp_path: Path) -> None:
    path = book(
        tmp_path / "footer.xlsx",
        {
            "台账": [
                HEAD,
                row(1, "城庄村", "一"),
                row(2, "前进村", "二"),
                ["合计", None, None, None, "2件", None],
                [None, "填表人：李四", None, "审核人：王五", None, None],
                ["说明：本表每半月报送一次"],
                ["制表日期：2026年9月30日"],
            ]
        },
    )
    out = run("import", "disputes", str(path))
    assert "imported 2 disputes" in out.out
    assert len(disputes()) == 2


def test_two_level_header_and_merged_cells(villages: list[str], tmp_path: Path) -> None:
    """整改情况 over 整改措施/整改时限/整改责任人, 序号 and the others merged down over both header
    rows, and one village cell merged over three rows."""
    head1 = ["序号", "所属村", "发现日期", "领域", "隐患描述", "整改情况", None, None]
    head2 = [None, None, None, None, None, "整改措施", "整改时限", "整改责任人"]
    rows: list[list[Any]] = [
        head1,
        head2,
        [1, "李家湾村", "2026-09-01", "消防", "通道堵塞", "清理", "2026-10-10", "甲"],
        [2, None, "2026-09-02", "消防", "灭火器过期", "更换", "2026-10-11", "乙"],
        [3, None, "2026-09-03", "道路交通", "缺减速带", "设置", "2026-10-12", "丙"],
        [4, "前进村", "2026-09-04", "其他", "围墙开裂", "加固", "2026-10-13", "丁"],
    ]
    merges = ["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2", "F1:H1", "B3:B5"]
    path = book(tmp_path / "hazards.xlsx", {"隐患": rows}, {"隐患": merges})
    out = run("import", "hazards", str(path), "--format", "json").json()
    assert out["added"] == 4 and out["header_row"] == 2 and out["ignored_columns"] == []
    got = run("hazard list --format json").json()
    assert sorted((h["village"], h["deadline"]) for h in got) == [
        ("前进村", "2026-10-13"),
        ("李家湾村", "2026-10-10"),
        ("李家湾村", "2026-10-11"),
        ("李家湾村", "2026-10-12"),
    ]
    shown = run("hazard", "show", got[0]["ref"], "--format", "json").json()
    assert shown["measures"] in {"清理", "更换", "设置", "加固"} and shown["responsible"]


def test_a_title_row_is_not_an_upper_header(villages: list[str], tmp_path: Path) -> None:
    """A merged title over the header does not become a column (or an ignored one)."""
    path = book(
        tmp_path / "t.xlsx",
        {"s": [["某镇矛盾纠纷台账"], [*HEAD, None], [*row(1, "城庄村", "一"), "x"]]},
        {"s": ["A1:G1"]},
    )
    out = run("import", "disputes", str(path), "--format", "json").json()
    assert out["added"] == 1 and out["ignored_columns"] == []


# ---- places ----------------------------------------------------------------------------------
def test_places_written_as_bodies_grids_and_groups(villages: list[str], tmp_path: Path) -> None:
    path = book(
        tmp_path / "places.xlsx",
        {
            "s": [
                HEAD,
                row(1, "李家湾村人民调解委员会", "一"),
                row(2, "李家湾村第一网格", "二"),
                row(3, "前进村3组", "三"),
                row(4, "五和居幸福小区5号楼", "四"),
                row(5, "城庄村", "五"),
            ]
        },
    )
    run("import", "disputes", str(path))
    assert villages_of(disputes()) == ["五和居", "前进村", "城庄村", "李家湾村", "李家湾村"]


def test_two_villages_in_one_place_is_refused_naming_both(
    villages: list[str], tmp_path: Path
) -> None:
    path = book(tmp_path / "p.xlsx", {"s": [HEAD, row(1, "李家湾村与前进村交界处", "一")]})
    err = fail("import", "disputes", str(path)).err
    assert (
        "row 2, column '所属村': '李家湾村与前进村交界处' names two villages: 李家湾村 and 前进村"
        in err
    )


def test_a_town_level_body_needs_the_town_itself(villages: list[str], tmp_path: Path) -> None:
    path = book(tmp_path / "p.xlsx", {"s": [HEAD, row(1, "城庄镇人民调解委员会", "一")]})
    err = fail("import", "disputes", str(path)).err
    assert "'城庄镇人民调解委员会' is the town itself (镇直), not a village" in err
    assert "`sanling subject add 镇直 --kind town_office`" in err


def test_town_level_bodies_belong_to_the_town_itself(villages: list[str], tmp_path: Path) -> None:
    """镇直: a row of the bulletin's village table, never graded, swept or assessed for 三零."""
    run("subject add 镇直 --kind town_office")
    path = book(
        tmp_path / "p.xlsx",
        {
            "s": [
                HEAD,
                row(1, "城庄镇人民调解委员会", "一"),
                row(2, "镇司法所", "二"),
                row(3, "李家湾村调委会", "三"),
            ]
        },
    )
    run("import", "disputes", str(path))
    assert villages_of(disputes()) == ["李家湾村", "镇直", "镇直"]
    bulletin = run("report bulletin --date 2026-09-30 --format json").json()
    rows = {v["village"]: v["open"] for v in bulletin["villages"]}
    assert rows == {"城庄村": 0, "李家湾村": 1, "前进村": 0, "五和居": 0, "镇直": 2}
    assert bulletin["villages"][-1]["village"] == "镇直"
    grading = run("report grading --format json").json()
    assert "镇直" not in {v["village"] for v in grading["villages"]}
    annual = run("report annual --format json").json()
    assert "town_office" not in annual["subjects"] and annual["subjects"]["total"] == 6
    assert "镇直" not in {s["name"] for s in annual["sanling"]["subjects"]}
    sweep = run("report sweep --format json").json()
    assert "镇直" not in sweep["coverage"]["unswept"]
    assert sweep["coverage"]["subjects"] == 6
    # a collective petition to the city from the town itself breaks no subject's 零上访
    run(
        "petition add --village 镇直 --date 2026-10-05 --form visit --level city --people 6"
        " --summary 上访"
    )
    monthly = run("report monthly --month 2026-10 --format json").json()
    assert "镇直" not in json.dumps(monthly["findings"], ensure_ascii=False)
    annual = run("report annual --format json").json()
    assert annual["sanling"]["achieved"]["total"] == 6
    err = fail("subject add 乡直 --kind town_office", code=1).err
    assert "the town has its 镇直 (town_office) already" in err
    run("db check")


def test_places_module_longest_match() -> None:
    from sanling.errors import InvalidValue
    from sanling.transfer.places import Places

    places = Places(["东关", "东关社区", "石门村"], ["某镇"])
    assert places.village("东关社区幸福小区") == "东关社区"
    assert places.village("石门村") == "石门村"
    assert places.village("无名之地") is None
    for text in ("镇司法所", "镇直", "某镇综治中心"):
        with pytest.raises(InvalidValue, match="town itself"):
            places.village(text)
    with pytest.raises(InvalidValue, match="东关社区 and 石门村"):
        places.village("东关社区、石门村")


# ---- values for the whole file -----------------------------------------------------------------
def test_options_give_columns_the_file_lacks(villages: list[str], tmp_path: Path) -> None:
    path = book(
        tmp_path / "o.xlsx",
        {"s": [["序号", "简要情况", "首办责任人"], [1, "一", "甲"], [2, "二", "乙"]]},
    )
    err = fail("import", "disputes", str(path)).err
    # the category is inferred from the summary when no column or option gives it
    assert "missing required columns: 所属村 (village)、排查时间 (found) (" in err
    assert "--village ... --found ...;" in err
    run(
        "import",
        "disputes",
        str(path),
        "--village",
        "前进村",
        "--found",
        "2026-09-05",
        "--category",
        "neighbour",
    )
    got = disputes()
    assert [(d["village"], d["found"], d["category"]) for d in got] == [
        ("前进村", "2026-09-05", "neighbour"),
        ("前进村", "2026-09-05", "neighbour"),
    ]


def test_a_file_cell_wins_over_the_option(villages: list[str], tmp_path: Path) -> None:
    path = book(tmp_path / "o.xlsx", {"s": [HEAD, row(1, None, "一"), row(2, "城庄村", "二")]})
    run("import", "disputes", str(path), "--village", "前进村")
    assert villages_of(disputes()) == ["前进村", "城庄村"]


def test_a_bad_option_value_is_reported_against_the_option(
    villages: list[str], tmp_path: Path
) -> None:
    path = book(
        tmp_path / "o.xlsx",
        {"s": [["简要情况", "首办责任人", "类别", "所属村"], ["一", "甲", "邻里", "城庄村"]]},
    )
    err = fail("import", "disputes", str(path), "--found", "2026-02-30").err
    assert err.startswith("error: --found") and "2026-02-30" in err and "row" not in err
    err = fail("import", "disputes", str(path), "--found", "2027-01-01").err
    assert err.strip() == "error: --found 2027-01-01 is in the future (today is 2026-10-31)"
    err = fail("import", "disputes", str(path), "--form", "visit", code=1).err
    assert "--form does not apply to disputes" in err


def test_subject_gives_its_village(villages: list[str], tmp_path: Path) -> None:
    """A school's own hazard ledger: --subject, and the unit's village comes with it."""
    path = book(
        tmp_path / "school.xlsx",
        {
            "s": [
                ["序号", "发现日期", "领域", "隐患描述", "责任人"],
                [1, "2026-09-01", "消防", "通道堵塞", "甲"],
            ]
        },
    )
    run("import", "hazards", str(path), "--subject", "城庄中学")
    [hazard] = run("hazard list --format json").json()
    assert hazard["village"] == "城庄村"
    shown = run("hazard", "show", hazard["ref"], "--format", "json").json()
    assert shown["subject"] == "城庄中学"


def test_subject_column_gives_the_village(villages: list[str], tmp_path: Path) -> None:
    path = book(
        tmp_path / "s.xlsx",
        {
            "s": [
                ["创建主体", "发现日期", "领域", "隐患描述", "责任人"],
                ["兴旺煤业", "2026-09-01", "危化", "储罐", "甲"],
                ["前进村", "2026-09-02", "消防", "堆物", "乙"],
            ]
        },
    )
    run("import", "hazards", str(path))
    assert villages_of(run("hazard list --format json").json()) == ["前进村", "李家湾村"]


def test_town_option_on_a_county_ledger(two_towns: None, tmp_path: Path) -> None:
    """前进村 is in both towns: --town says which, for every row."""
    path = book(tmp_path / "c.xlsx", {"s": [HEAD, row(1, "前进村", "县里导入")]})
    err = fail("import", "disputes", str(path), code=2).err
    assert "the ledger holds several towns: name one with --town" in err
    before = run("dispute list --format json --town 安业乡 --village 前进村").json()
    run("import", "disputes", str(path), "--town", "安业乡")
    after = run("dispute list --format json --town 安业乡 --village 前进村").json()
    assert len(after) == len(before) + 1


# ---- maps ----------------------------------------------------------------------------------------
MAP = """
kind = "disputes"
[columns]
"单位" = "village"
"调解员" = "handler"
"备注栏" = ""
[values.category]
"土地流转" = "land"
[defaults]
category = "other"
found = "2026-09-01"
"""


def mapped_file(tmp_path: Path) -> Path:
    return book(
        tmp_path / "m.xlsx",
        {
            "s": [
                ["序号", "单位", "纠纷情况", "调解员", "类别", "备注栏"],
                [1, "城庄村", "一", "甲", "土地流转", "x"],
                [2, "前进村", "二", "乙", None, "y"],
                [3, "城庄村", "三", "丙", None, "z"],
            ]
        },
    )


def test_a_map_names_headers_values_and_defaults(villages: list[str], tmp_path: Path) -> None:
    text = MAP.replace('"备注栏" = ""', '"备注栏" = ""\n"纠纷情况" = "summary"')
    (tmp_path / "m.toml").write_text(text, encoding="utf-8")
    path = mapped_file(tmp_path)
    out = run(
        "import", "disputes", str(path), "--map", str(tmp_path / "m.toml"), "--format", "json"
    ).json()
    assert out["added"] == 3 and out["ignored_columns"] == []
    got = sorted((d["village"], d["category"], d["handler"], d["found"]) for d in disputes())
    assert got == [
        ("前进村", "other", "乙", "2026-09-01"),
        ("城庄村", "land", "甲", "2026-09-01"),
        ("城庄村", "other", "丙", "2026-09-01"),
    ]


def test_an_option_wins_over_the_maps_default(villages: list[str], tmp_path: Path) -> None:
    text = MAP.replace('"备注栏" = ""', '"备注栏" = ""\n"纠纷情况" = "summary"')
    (tmp_path / "m.toml").write_text(text, encoding="utf-8")
    run(
        "import",
        "disputes",
        str(mapped_file(tmp_path)),
        "--map",
        str(tmp_path / "m.toml"),
        "--category",
        "neighbour",
    )
    assert sorted(d["category"] for d in disputes()) == ["land", "neighbour", "neighbour"]


def test_a_map_is_kept_in_the_ledger_by_name(villages: list[str], tmp_path: Path) -> None:
    text = MAP.replace('"备注栏" = ""', '"备注栏" = ""\n"纠纷情况" = "summary"')
    (tmp_path / "m.toml").write_text(text, encoding="utf-8")
    path = mapped_file(tmp_path)
    fail("import", "disputes", str(path), "--map", "九月台账")
    run(
        "import",
        "disputes",
        str(path),
        "--map",
        str(tmp_path / "m.toml"),
        "--save-map",
        "九月台账",
        "--dry-run",
    )
    err = fail("import", "disputes", str(path), "--map", "九月台账").err
    assert "no map file or saved map named '九月台账'" in err  # a dry run saves nothing
    out = run(
        "import", "disputes", str(path), "--map", str(tmp_path / "m.toml"), "--save-map", "九月台账"
    )
    assert "map saved as '九月台账'" in out.err
    (tmp_path / "m.toml").unlink()
    nxt = book(
        tmp_path / "n.xlsx", {"s": [["单位", "纠纷情况", "调解员"], ["前进村", "十月", "丁"]]}
    )
    run("import", "disputes", str(nxt), "--map", "九月台账")
    assert len(disputes()) == 4
    log = run("log --format json").json()
    assert any(e["action"] == "import.map.save" and e["ref"] == "九月台账" for e in log)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[columns]\n"单位" = "villages"\n', "'villages' is not a field of disputes"),
        ('kind = "hazards"\n', "it is a map for hazards, not disputes"),
        ("[columns\n", "the import map m.toml is wrong"),
        ("[other]\n", "unknown sections: other"),
    ],
)
def test_a_wrong_map_is_refused(villages: list[str], tmp_path: Path, text: str, says: str) -> None:
    (tmp_path / "m.toml").write_text(text, encoding="utf-8")
    err = fail(
        "import", "disputes", str(mapped_file(tmp_path)), "--map", str(tmp_path / "m.toml")
    ).err
    assert says in err


def test_suggest_map_lists_unmatched_headers_and_values(
    villages: list[str], tmp_path: Path
) -> None:
    path = mapped_file(tmp_path)
    text = run("import", "disputes", str(path), "--suggest-map").out
    assert 'kind = "disputes"' in text
    # 单位 and 调解员 are office headers sanling reads (the village, the handler)
    assert '"备注栏" = ""  # 3' in text and '"单位"' not in text and '"调解员"' not in text
    assert "[values.category]" in text and '"土地流转" = ""  # 1' in text
    assert '# village = ""' not in text  # every required field has its column now
    run("import", "disputes", str(path), "--suggest-map", "-o", str(tmp_path / "s.toml"))
    assert (tmp_path / "s.toml").read_text(encoding="utf-8") == text
    import tomllib

    parsed = tomllib.loads(text)  # a starter map is valid TOML as written
    assert parsed["columns"]["备注栏"] == "" and parsed["values"]["category"]["土地流转"] == ""
    assert disputes() == []


# ---- problems as JSON, and bounded ------------------------------------------------------------
def test_problems_as_json(villages: list[str], tmp_path: Path) -> None:
    path = book(
        tmp_path / "j.xlsx",
        {"s": [HEAD, row(1, "无此村", "一"), row(2, "城庄村", "二", "2026-13-01")]},
    )
    out = fail("import", "disputes", str(path), "--format", "json")
    data = json.loads(out.out)
    assert data["more_wrong_rows"] == 0
    assert [(p["row"], p["column"]) for p in data["problems"]] == [(2, "所属村"), (3, "排查时间")]
    assert "no village or community named '无此村'" in data["problems"][0]["reason"]
    missing = fail(
        "import",
        "disputes",
        str(book(tmp_path / "k.xlsx", {"s": [["简要情况"], ["x"]]})),
        "--format",
        "json",
    )
    assert json.loads(missing.out)["error"].startswith("missing required columns")


def test_only_the_first_wrong_rows_are_listed(villages: list[str], tmp_path: Path) -> None:
    lines = ["所属村,排查时间,类别,简要情况,首办责任人"]
    lines += [f"无此村,2026-09-01,邻里,纠纷{i},张三" for i in range(130)]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    err = fail("import", "disputes", str(path)).err
    assert err.count("no village or community named") == 50
    assert "... and 80 more wrong rows, not listed" in err
    assert "error: 130 rows are wrong; nothing was imported" in err
    data = json.loads(fail("import", "disputes", str(path), "--format", "json").out)
    assert len(data["problems"]) == 50 and data["more_wrong_rows"] == 80


def test_rows_and_columns_beyond_the_limits_are_refused(
    villages: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sanling.transfer import read

    monkeypatch.setattr(read, "MAX_ROWS", 5)
    lines = ["所属村,排查时间,类别,简要情况,首办责任人"] + ["城庄村,2026-09-01,邻里,x,y"] * 5
    (tmp_path / "six.csv").write_text("\n".join(lines), encoding="utf-8")
    err = fail("import", "disputes", str(tmp_path / "six.csv")).err
    assert "six.csv has too many rows: 6 (at most 5)" in err
    wide = [[f"c{i}" for i in range(250)], ["x"] * 250]
    err = fail("import", "disputes", str(book(tmp_path / "w.xlsx", {"s": wide}))).err
    assert "has too many columns: 250 (at most 200)" in err
    monkeypatch.setattr(read, "MAX_ROWS", 200_000)
    monkeypatch.setattr(read, "MAX_SHEET_XML", 4096)
    rows = [HEAD] + [row(i, "城庄村", f"纠纷{i}") for i in range(100)]
    err = fail("import", "disputes", str(book(tmp_path / "big.xlsx", {"s": rows}))).err
    assert "a sheet has too many bytes" in err


def bomb(path: Path, rows: int = 1) -> Path:
    """A tiny xlsx whose sheet reaches XFD1048576 (or one with `rows` plain rows)."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>所属村</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def test_a_cell_at_xfd1048576_is_refused_without_allocating(town: str, tmp_path: Path) -> None:
    """In a child process capped at 400 MB of address space: the reader would ask for 512 GB."""
    path = bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 2000
    code = (
        "import resource,sys;"
        "resource.setrlimit(resource.RLIMIT_AS,(1200*2**20,1200*2**20));"
        "from sanling.cli import main;sys.argv=['sanling','import','disputes',sys.argv[1]];main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines() == [
        "error: a sheet has too many rows: 1,048,576 (at most 200,000) (hint: delete what lies"
        " beyond the table, or split the file, and import again)"
    ]


# ---- the three real layouts (tests/fixtures/realworld, copied from ../shared/realworld) ------
REAL = Path(__file__).parent / "fixtures" / "realworld"


@pytest.fixture
def some_town(ledger_env: str) -> None:
    """The town of the real layouts: 某镇 with its villages, community, school and station."""
    run("init --town 某镇")
    for name in ("李家湾村", "王庄村", "石门村", "河口村"):
        run("subject", "add", name, "--kind", "village")
    run("subject add 东关社区 --kind community")
    run("subject add 某镇中心小学 --kind unit --village 东关社区")
    run("subject add 兴旺加油站 --kind enterprise --village 河口村")


def test_real_school_hazards_with_one_option(some_town: None) -> None:
    """03: a school's own ledger; --subject gives the school and its village (东关社区); its
    office headers (隐患名称, 治理措施), grades (一般隐患) and re-checks (复查结果 整改合格)
    are read as written: four rows rectified and closed, each area inferred from its words."""
    out = run(
        "import",
        "hazards",
        str(REAL / "03_隐患治理信息台账.xlsx"),
        "--subject",
        "某镇中心小学",
        "--format",
        "json",
    ).json()
    assert (out["added"], out["rows"], out["header_row"], out["done"]) == (6, 6, 2, 4)
    assert out["inferred"] == {"area": 6}
    got = run("hazard list --format json").json()
    assert {(h["village"], h["subject"]) for h in got} == {("东关社区", "某镇中心小学")}
    assert sorted(h["grade"] for h in got) == ["general"] * 5 + ["major"]
    assert sorted(h["status"] for h in got) == ["closed"] * 4 + ["open"] * 2
    run("db check")


def test_real_released_persons_with_one_option(some_town: None) -> None:
    """05: 所属网格 `李家湾村第一网格` and the like name the village; one category for the whole
    sheet; the 16 columns sanling has no field for are kept on each record."""
    out = run(
        "import",
        "persons",
        str(REAL / "05_安置帮教人员数据.xlsx"),
        "--category",
        "released",
        "--format",
        "json",
    ).json()
    assert out["added"] == 4 and len(out["kept_columns"]) == 16
    got = run("person list --format json").json()
    assert sorted(p["village"] for p in got) == ["东关社区", "李家湾村", "王庄村", "石门村"]
    assert {p["category"] for p in got} == {"released"}


def test_real_county_disputes_with_one_option(some_town: None) -> None:
    """01: a quarter's ledger without a found-date column: it says --found is needed, and with
    it every row comes in: villages from 单位, handlers from 责任单位⏎责任人, states from the
    sentences of 化解情况/销号情况."""
    path = str(REAL / "01_突出矛盾纠纷台账.xlsx")
    err = fail("import", "disputes", path).err
    assert "排查时间 (found)" in err and "--found" in err
    out = run("import", "disputes", path, "--found", "2026-01-10", "--format", "json").json()
    assert (out["added"], out["done"], out["inferred"]["category"]) == (6, 3, 6)
    got = run("dispute list --format json").json()
    assert sorted(d["village"] for d in got) == sorted(
        ["李家湾村", "河口村", "李家湾村", "东关社区", "石门村", "王庄村"]
    )
    assert sorted(d["status"] for d in got) == sorted(
        ["open", "resolved", "resolved", "resolved", "stabilized", "in_progress"]
    )
    run("db check")


def test_a_merge_claiming_the_whole_sheet_reads_only_the_cells(
    villages: list[str], tmp_path: Path
) -> None:
    """<mergeCell ref="A3:XFD1048576"/> under two rows: read within the sheet's own cells."""
    plain = book(tmp_path / "p.xlsx", {"s": [HEAD, row(1, "城庄村", "一"), row(2, "前进村", "二")]})
    path = tmp_path / "merged.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/worksheets/sheet1.xml":
                merge = b'<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>'
                data = data.replace(b"</sheetData>", b"</sheetData>" + merge)
            out.writestr(name, data)
    err = fail("import", "disputes", str(path)).err
    # the merged row 3 reads as its first cell (序号 2) in every column
    assert "row 3, column '所属村': no village or community named '2'" in err


def test_two_level_header_in_a_csv(villages: list[str], tmp_path: Path) -> None:
    """No merged cells: 整改情况 written once over its three columns, the others only above."""
    text = (
        "序号,所属村,发现日期,领域,隐患描述,整改情况,,\n"
        ",,,,,整改措施,整改时限,整改责任人\n"
        "1,城庄村,2026-09-01,消防,通道堵塞,清理,2026-10-10,甲\n"
        "2,前进村,2026-09-02,其他,围墙开裂,加固,2026-10-20,乙\n"
        "填表人：张三,,,,,,,\n"
    )
    path = tmp_path / "h.csv"
    path.write_bytes(text.encode("gb18030"))
    out = run("import", "hazards", str(path), "--format", "json").json()
    assert (out["added"], out["header_row"], out["ignored_columns"]) == (2, 2, [])
    got = sorted((h["village"], h["deadline"]) for h in run("hazard list --format json").json())
    assert got == [("前进村", "2026-10-20"), ("城庄村", "2026-10-10")]
