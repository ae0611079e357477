"""`export --layout ledger`: the 台账 an office files and prints, which imports back unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sanling.transfer import KINDS
from tests.helpers import dump, fail, run
from tests.test_export import full

__all__ = ["full"]  # the fixture: a ledger with records of every kind, in every state


def _sheet(path: Path) -> Any:
    from openpyxl import load_workbook

    book = load_workbook(path)
    assert len(book.worksheets) == 1
    return book.active


def test_the_dispute_ledger_as_offices_print_it(
    full: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANLING_LANG", "zh")
    out = tmp_path / "纠纷台账.xlsx"
    result = run("export", "disputes", "--layout", "ledger", "-o", str(out))
    assert "已导出 4 条" in result.err
    ws = _sheet(out)
    assert ws["A1"].value == "城庄镇2026年矛盾纠纷排查化解台账"
    assert (ws["A2"].value, ws["J2"].value) == ("填报单位：城庄镇", "填报时间：2026年10月31日")
    assert sorted(str(r) for r in ws.merged_cells.ranges) == ["A1:R1", "A2:I2", "J2:R2"]
    header = [c.value for c in ws[3]]
    assert header == [
        *("序号", "所属村", "排查时间", "纠纷来源", "纠纷类别", "矛盾纠纷简要情况", "当事人"),
        *("涉及人数", "风险等级", "首办责任人", "包案领导", "化解期限", "化解状态", "化解日期"),
        *("化解方式", "化解情况", "移交单位", "移交日期"),
    ]
    assert [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)] == [1, 2, 3, 4]
    first = dict(zip(header, [c.value for c in ws[4]], strict=True))
    assert (first["所属村"], first["纠纷类别"], first["化解状态"], first["化解方式"]) == (
        "城庄村",
        "山林土地",
        "已化解",
        "调解",
    )
    assert first["排查时间"] == dt.datetime(2026, 10, 2)  # a real date
    # every cell of the table boxed and wrapped; the header bold
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row, max_col=len(header)):
        for c in row:
            sides = (c.border.left, c.border.right, c.border.top, c.border.bottom)
            assert [s.style for s in sides] == ["thin"] * 4, c.coordinate
            assert c.alignment.wrap_text, c.coordinate
    assert all(c.font.b for c in ws[3])
    # widths fitted to the text, a Chinese character counted double, long text wrapped
    widths = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[3]}
    assert (widths["序号"], widths["所属村"], widths["矛盾纠纷简要情况"]) == (6, 10, 18)
    assert widths["排查时间"] == 12  # 2026-10-02 is wider than its header (8)
    # the header frozen and printed on every page; A4 landscape, one page wide
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
        "landscape",
        9,
        1,
        0,
    )
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True


def test_every_kind_imports_back_adding_and_changing_nothing(
    full: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANLING_LANG", "zh")
    counts = {}
    for kind in KINDS:
        reveal = ["--reveal"] if kind == "persons" else []
        run("export", kind, "--layout", "ledger", "-o", str(tmp_path / f"{kind}.xlsx"), *reveal)
        counts[kind] = _sheet(tmp_path / f"{kind}.xlsx").max_row - 3
    assert counts == {
        "subjects": 6,
        "sweeps": 2,
        "disputes": 4,
        "petitions": 2,
        "backlog": 3,
        "hazards": 4,
        "hotspots": 2,
        "patrols": 2,
        "cases": 2,
        "accidents": 2,
        "persons": 2,
    }
    before = dump()
    for kind in KINDS:
        result = run("import", kind, str(tmp_path / f"{kind}.xlsx"), "-f", "json")
        got = result.json()
        assert (got["header_row"], got["added"], got["skipped"]) == (3, 0, counts[kind]), kind
        assert got["ignored_columns"] == [], kind  # every office column is known
    assert dump() == before


def test_the_layout_in_english_and_into_an_empty_ledger(
    full: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "hazards.xlsx"
    run("export", "hazards", "--layout", "ledger", "-o", str(out))
    ws = _sheet(out)
    assert ws["A1"].value == "城庄镇 hazard sweep and rectification ledger 2026"
    assert [c.value for c in ws[3]][:4] == ["No.", "village", "subject", "found"]
    # the office's own file starts a new ledger as well: its hazards in the same states
    listing = run("hazard", "list", "-f", "json").json()
    run("export", "subjects", "--layout", "ledger", "-o", str(tmp_path / "s.xlsx"))
    run("export", "sweeps", "--layout", "ledger", "-o", str(tmp_path / "w.xlsx"))
    monkeypatch.setenv("SANLING_DB", str(tmp_path / "new.db"))
    run("init", "--town", "城庄镇")
    run("import", "subjects", str(tmp_path / "s.xlsx"))
    run("import", "sweeps", str(tmp_path / "w.xlsx"))
    assert run("import", "hazards", str(out), "-f", "json").json()["added"] == 4
    again = run("hazard", "list", "-f", "json").json()
    assert sorted(h["status"] for h in again) == sorted(h["status"] for h in listing)
    assert len({h["status"] for h in again}) == 4


def test_cells_are_values_never_formulas(full: list[str], tmp_path: Path) -> None:
    run(
        "dispute add --village 城庄村 --category other --summary =SUM(A1:A9) --handler 王明"
        " --found 2026-10-30"
    )
    run(
        "dispute add --village 城庄村 --category other --handler 王明 --found 2026-10-30 --summary "
        + "长" * 30
    )
    out = tmp_path / "d.xlsx"
    run("export", "disputes", "--layout", "ledger", "-o", str(out))
    ws = _sheet(out)
    at = [c.value for c in ws[3]].index("summary") + 1
    cell = ws.cell(ws.max_row - 1, at)
    assert (cell.value, cell.data_type) == ("=SUM(A1:A9)", "s")
    # 60 wide in print: the column stops at 36 and the text wraps
    assert ws.column_dimensions[cell.column_letter].width == 36


def test_the_layout_is_an_xlsx_file(full: list[str], tmp_path: Path) -> None:
    result = fail("export", "disputes", "--layout", "ledger", "-o", str(tmp_path / "d.csv"), code=2)
    assert "the ledger layout is an .xlsx file, not csv" in result.err
    result = fail("export", "disputes", "--layout", "print", "-o", str(tmp_path / "d.xlsx"), code=2)
    assert "'print' is not a layout; use one of: plain, ledger" in result.err
    assert not (tmp_path / "d.xlsx").exists() and not (tmp_path / "d.csv").exists()
    run("export", "disputes", "--layout", "ledger", "-o", str(tmp_path / "台账"))
    assert (tmp_path / "台账").read_bytes()[:2] == b"PK"  # no suffix: the layout's own xlsx


def test_the_documented_columns_are_the_declared_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    from sanling.transfer.layout import OFFICES, header_names

    monkeypatch.setenv("SANLING_LANG", "zh")
    from sanling.i18n import set_lang

    set_lang("zh")
    try:
        doc = (Path(__file__).resolve().parents[1] / "docs" / "import-export.md").read_text()
        for kind, office in OFFICES.items():
            line = f"| {kind} | {office.title[0]} | " + "、".join(header_names(kind)) + " |"
            assert line in doc, kind
    finally:
        set_lang("en")


def test_a_county_ledger_is_titled_by_its_county_and_says_each_row_s_town(
    two_towns: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANLING_LANG", "zh")
    out = tmp_path / "d.xlsx"
    run("export", "disputes", "--layout", "ledger", "-o", str(out))
    ws = _sheet(out)
    assert (ws["A1"].value, ws["A2"].value) == ("临县2026年矛盾纠纷排查化解台账", "填报单位：临县")
    header = [c.value for c in ws[3]]
    assert header[-1] == "所属乡镇"
    towns = {ws.cell(r, len(header)).value for r in range(4, ws.max_row + 1)}
    assert towns == {"城庄镇", "安业乡"}
    before = dump()
    got = run("import", "disputes", str(out), "-f", "json").json()
    assert (got["added"], got["skipped"]) == (0, ws.max_row - 3)
    assert dump() == before


def test_a_town_named_like_a_formula_stays_text_and_voided_records_are_not_filed(
    tmp_path: Path,
) -> None:
    run("init", "--town", "=1+1镇")
    run("subject add 城庄村 --kind village")
    add = "dispute add --village 城庄村 --category other --handler 王明 --found 2026-10-30"
    run(*f"{add} --summary 地界".split())
    voided = run(*f"{add} --summary 重复".split(), "-f", "json").json()["ref"]
    run("dispute", "void", voided, "--reason", "重复录入")
    out = tmp_path / "d.xlsx"
    result = run("export", "disputes", "--layout", "ledger", "-o", str(out))
    assert "exported 1 records" in result.err
    ws = _sheet(out)
    assert ws["A1"].data_type == "s" and str(ws["A1"].value).startswith("=1+1镇")
    assert ws["A2"].data_type == "s"
    cells = {str(c.value) for row in ws.iter_rows(min_row=4) for c in row}
    assert "地界" in cells and "重复" not in cells
