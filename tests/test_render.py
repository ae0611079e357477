"""Report renderers: xlsx (a sheet per table, Chinese headers in zh), HTML (self-contained),
csv, markdown."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from sanling.i18n import set_lang
from sanling.render import Column, Listing
from sanling.render.html import to_html
from sanling.render.xlsx import to_xlsx
from sanling.reports.base import BuiltReport
from sanling.reports.figures import CATEGORY_CHART, DISPUTE_TILES
from tests.helpers import fail, run


def setup_month() -> None:
    run(
        "dispute add --village 城庄村 --category land --summary 地界 --handler 王明 --found "
        "2026-10-03"
    )
    run(
        "dispute add --village 城庄村 --category land --summary 地界 --handler 王明 --found "
        "2025-10-03"
    )
    run("case add --kind administrative --village 李家湾村 --summary 打架 --date 2026-10-09")


def test_xlsx_one_sheet_per_table_with_chinese_headers(villages: list[str], tmp_path: Path) -> None:
    setup_month()
    path = tmp_path / "月报.xlsx"
    run("--lang", "zh", "report", "monthly", "--format", "xlsx", "-o", str(path))
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["本月与上月、去年同月", "处置情况"]
    assert len(wb.sheetnames) == 10  # every table, not the terminal chart
    assert [c.value for c in wb["人民调解"][1]] == ["项目", "数值"]  # mediation (issue 16)
    ws = wb["本月与上月、去年同月"]
    assert [c.value for c in ws[1]] == ["项目", "本月", "上月", "去年同月"]
    assert [c.value for c in ws[2]] == ["排查纠纷", 1, 0, 1]  # numbers stay numbers
    villages_sheet = wb["分村纠纷"]
    assert [c.value for c in villages_sheet[1]][:2] == ["所属村", "本月排查"]

    en = tmp_path / "annual.xlsx"
    run("report", "annual", "--format", "xlsx", "-o", str(en))
    wb = load_workbook(en)
    assert "Headline figures" in wb.sheetnames and "三零 by kind" in wb.sheetnames
    assert [c.value for c in wb["三零 by kind"][1]] == [
        "kind",
        "subjects",
        "achieved 三零",
        "rate %",
    ]


def test_xlsx_of_any_report_object() -> None:
    set_lang("zh")
    try:
        report = BuiltReport(
            title="t",
            parts=[
                Listing(
                    [Column("date"), Column("count")],
                    [{"date": dt.date(2028, 2, 29), "count": 3}],
                    title="a/b:c",
                ),
                Listing([Column("count")], [], title="a/b:c"),
            ],
        )
        wb = load_workbook(__import__("io").BytesIO(to_xlsx(report)))
    finally:
        set_lang("en")
    assert wb.sheetnames == ["a b c", "a b c~2"]  # characters Excel refuses, unique names
    assert [c.value for c in wb["a b c"][1]] == ["日期", "条数"]
    assert wb["a b c"]["A2"].value.date() == dt.date(2028, 2, 29)


def test_html_is_self_contained_and_escaped() -> None:
    report = BuiltReport(
        title="<script>alert(1)</script>",
        payload={
            "disputes": {
                "found": 3,
                "resolved": 1,
                "rate": 33.3,
                "by_category": {"land": 2, "contract": 1},
            },
            "findings": [{"rule": "x", "rule_text": "a & b", "text": "<b>3</b> disputes"}],
        },
        parts=[Listing([Column("village")], [{"village": "<img src=x>"}], title="村")],
        tiles=DISPUTE_TILES,
        charts=(CATEGORY_CHART,),
        findings="findings",
    )
    html = to_html(report)
    assert "<script" not in html and "<img" not in html and "&lt;b&gt;3&lt;/b&gt; disputes" in html
    assert "@page { size: A4" in html
    for font in ('"Noto Sans CJK SC"', '"WenQuanYi', '"Microsoft YaHei"', "sans-serif"):
        assert font in html
    assert "<svg" in html and 'class="v">33.3%<' in html
    assert "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_csv_markdown_and_formats(villages: list[str], tmp_path: Path) -> None:
    setup_month()
    md = run("report annual --format markdown").out
    assert md.startswith("# The 2026 三零 account (as of 2026-10-31)")
    assert "| subjects | 6 |" in md
    csv = run("report monthly --format csv").out
    assert "item,this month,last month,same month last year" in csv
    assert "disputes found,1,0,1" in csv
    out = tmp_path / "sweep.html"
    run("report", "sweep", "--format", "html", "-o", str(out))
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    fail("report grading --format xlsx", code=2)  # xlsx needs a file
    fail("report annual --format docx", code=2)


# Any JSON-like value, with the awkward parts: control characters (the C layout uses NUL and SOH
# as markers), brackets inside strings, non-finite floats, big integers, integer keys, empties.
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(alphabet=st.sampled_from('ab城\x00\x01\n\t"\\{}[],: '), max_size=6)
)
_json_like = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=3) | st.integers(-5, 5), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(_json_like)
def test_json_layout_is_json_dumps_indent_2(value: object) -> None:
    """The C-encoder layout of jsonfmt writes exactly what json.dumps(indent=2) writes."""
    from sanling.render import jsonfmt

    expected = json.dumps(value, ensure_ascii=False, indent=2, default=jsonfmt._default)
    assert "".join(jsonfmt._pieces(value, 0)) == expected
