"""The daily bulletin (一日一通报): exact figures on a hand-built ledger, as of any date,
--explain, the WeChat text, and what cron needs (atomic, repeatable, read-only, bare env)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import dump, fail, ledgers, run

DISPUTE = ["dispute", "add", "--category", "land", "--summary", "纠纷"]


@pytest.fixture
def ledger(villages: list[str], templates: ledgers.Templates) -> None:
    """As of 2026-10-31 (today):
    JF-2025-0001 李家湾村 found 2025-12-20, deadline 2026-01-10, resolved today;
    JF-2026-0001 城庄村 found today and resolved today;
    JF-2026-0002 城庄村 deadline 2026-10-28: overdue by 3 days (handler 王五);
    JF-2026-0003 李家湾村 deadline 2026-11-02: due in 2 days;
    JF-2026-0004..0019 前进村, 16 found 2026-03-01, one resolved 03-20 and one referred 10-15;
    五和居 has nothing."""
    templates.apply(f"{__name__}.ledger", build)


def build() -> None:
    """Through the library in one transaction, built once (the CLI adds are tested elsewhere)."""
    from sanling.codes import ResolutionMethod
    from sanling.ledger import dispute

    with ledgers.writing() as lx:
        add = partial(ledgers.add, lx, "dispute", category="land", summary="纠纷")
        add(village="李家湾村", handler="赵六", found="2025-12-20", deadline="2026-01-10")
        add(village="城庄村", handler="张三")
        dispute.resolve(lx, "JF-2026-0001", method=ResolutionMethod.mediation, result="当日调解")
        dispute.resolve(lx, "JF-2025-0001", method=ResolutionMethod.legal, result="判决履行")
        add(village="城庄村", handler="王五", found="2026-10-10", deadline="2026-10-28")
        add(village="李家湾村", handler="李四", found="2026-10-25", deadline="2026-11-02")
        for _ in range(16):
            ledgers.add(
                lx,
                "dispute",
                village="前进村",
                category="土地山林",
                summary="纠纷",
                handler="孙七",
                found="2026-03-01",
                deadline="2026-12-31",
            )
        ledgers.resolve(lx, "JF-2026-0004", "2026-03-20", result="x")
        dispute.refer(lx, "JF-2026-0005", to="县法院", date="2026-10-15")


def village(name: str, *figures: Any) -> dict[str, Any]:
    keys = ("new", "resolved", "open", "overdue", "found_ytd", "resolved_ytd", "rate_ytd")
    return {"village": name, **dict(zip(keys, figures, strict=True))}


def totals(*figures: Any) -> dict[str, Any]:
    row = village("", *figures)
    del row["village"]
    return row


def bulletin(*args: str) -> dict[str, Any]:
    result: dict[str, Any] = run("report", "bulletin", *args, "--format", "json").json()
    return result


def test_figures_today(ledger: None) -> None:
    b = bulletin()
    assert b["date"] == "2026-10-31"
    assert b["villages"] == [
        village("城庄村", 1, 1, 1, 1, 2, 1, 50.0),
        # the dispute found last year and resolved today is resolved today, not found this year
        village("李家湾村", 0, 1, 1, 0, 1, 0, 0.0),
        # 1 of 16 resolved: 6.25 rounds half up to 6.3; the referred one is done, not resolved
        village("前进村", 0, 0, 14, 0, 16, 1, 6.3),
        village("五和居", 0, 0, 0, 0, 0, 0, None),  # nothing found: the rate is null
    ]
    assert b["totals"] == totals(1, 2, 16, 1, 19, 2, 10.5)
    assert b["overdue"] == [
        {
            "ref": "JF-2026-0002",
            "village": "城庄村",
            "handler": "王五",
            "deadline": "2026-10-28",
            "days_overdue": 3,
        }
    ]


def test_a_past_date_is_computed_as_of_that_date(ledger: None) -> None:
    b = bulletin("--date", "2026-10-30")
    assert b["villages"] == [
        village("城庄村", 0, 0, 1, 1, 1, 0, 0.0),
        village("李家湾村", 0, 0, 2, 1, 1, 0, 0.0),  # last year's dispute was still open
        village("前进村", 0, 0, 14, 0, 16, 1, 6.3),
        village("五和居", 0, 0, 0, 0, 0, 0, None),
    ]
    assert b["totals"] == totals(0, 0, 17, 2, 18, 1, 5.6)
    assert b["overdue"] == [
        {
            "ref": "JF-2025-0001",
            "village": "李家湾村",
            "handler": "赵六",
            "deadline": "2026-01-10",
            "days_overdue": 293,
        },
        {
            "ref": "JF-2026-0002",
            "village": "城庄村",
            "handler": "王五",
            "deadline": "2026-10-28",
            "days_overdue": 2,
        },
    ]
    # before the referral on 10-15 the referred dispute was open; on 03-20 one was resolved
    assert bulletin("--date", "2026-10-14")["villages"][2] == village(
        "前进村", 0, 0, 15, 0, 16, 1, 6.3
    )
    assert bulletin("--date", "2026-03-20")["villages"][2] == village(
        "前进村", 0, 1, 15, 0, 16, 1, 6.3
    )
    assert bulletin("--date", "2026-03-01")["totals"] == totals(16, 0, 17, 1, 16, 0, 0.0)
    # last year's bulletin counts last year's disputes
    last_year = bulletin("--date", "2025-12-31")
    assert last_year["totals"] == totals(0, 0, 1, 0, 1, 0, 0.0)
    assert last_year["villages"][1] == village("李家湾村", 0, 0, 1, 0, 1, 0, 0.0)


def test_explain_lists_the_records_behind_each_figure(ledger: None) -> None:
    rows = run("report bulletin --explain totals.overdue --format json").json()
    assert [r["ref"] for r in rows] == ["JF-2026-0002"]
    assert rows[0]["days_overdue"] == 3
    refs = [r["ref"] for r in run("report bulletin --explain totals.resolved -f json").json()]
    assert refs == ["JF-2025-0001", "JF-2026-0001"]  # by deadline
    past = run(
        "report",
        "bulletin",
        "--date",
        "2026-10-14",
        "--explain",
        "villages.前进村.open",
        "-f",
        "json",
    )
    assert len(past.json()) == 15
    assert "JF-2026-0002" in run("report bulletin --explain villages.城庄村.overdue").out
    assert "available" in fail("report", "bulletin", "--explain", "totals.nothing").err

    # every explainable figure: the listing's rows count to the figure
    from sanling.db import resolve_url, session_scope
    from sanling.ledger.base import Ledger
    from sanling.reports import bulletin as report

    for day in (dt.date(2026, 10, 31), dt.date(2026, 10, 30)):
        with session_scope(resolve_url(None), write=False) as session:
            built = report.build(Ledger(session, today=dt.date(2026, 10, 31)), day)
            data = built.data()
            by_village = {v["village"]: v for v in data["villages"]}
            # six figures in total and per village; eight of the petitions' time limits
            assert len(built.explainers) == 6 * (1 + 4) + 8
            rated = {"accept_rate": "accept_due", "reply_rate": "reply_due"}  # rows: the base
            for key in built.explainers:
                parts = key.split(".")
                if parts[0] == "petitions":
                    figure = data["petitions"][rated.get(parts[1], parts[1])]
                elif parts[0] == "totals":
                    figure = data["totals"][parts[1]]
                else:
                    figure = by_village[parts[1]][parts[2]]
                assert len(built.explain(key).rows) == figure, (day, key)


def test_text_for_the_wechat_group(ledger: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANLING_LANG", "zh")
    assert run("report bulletin --format text").out == (
        "【城庄镇矛盾纠纷一日一通报】2026年10月31日\n"
        "今日新增1件，化解2件；在办16件，其中逾期1件。\n"
        "今年以来排查19件，化解2件，化解率10.5%。\n"
        "城庄村：新增1，化解1，在办1，逾期1\n"
        "李家湾村：化解1，在办1\n"
        "前进村：在办14\n"
        "五和居：无在办纠纷\n"
        "逾期纠纷：\n"
        "JF-2026-0002 城庄村 首办王五 逾期3天（时限10月28日）\n"
    )
    monkeypatch.setenv("SANLING_LANG", "en")
    text = run("report bulletin --format text --date 2025-12-31").out
    assert text == (
        "城庄镇 dispute bulletin, 2025-12-31\n"
        "Today: 0 new, 0 resolved; 1 open, 0 overdue.\n"
        "This year: 1 found, 0 resolved, rate 0.0%.\n"
        "李家湾村: open 1\n"
        "Nothing open: 城庄村, 前进村, 五和居\n"
    )


def test_empty_ledger_rate_is_null_everywhere(villages: list[str]) -> None:
    b = bulletin()
    assert b["totals"] == totals(0, 0, 0, 0, 0, 0, None)
    assert b["overdue"] == []
    assert "rate —" in run("report bulletin -f text").out


def test_other_formats_carry_the_same_figures(ledger: None) -> None:
    csv = run("report bulletin --format csv").out.splitlines()
    assert csv[0] == (
        "village,new today,resolved today,open,overdue,found this year,"
        "resolved this year,resolution rate"
    )
    assert csv[1:6] == [
        "城庄村,1,1,1,1,2,1,50.0",
        "李家湾村,0,1,1,0,1,0,0.0",
        "前进村,0,0,14,0,16,1,6.3",
        "五和居,0,0,0,0,0,0,",
        "total,1,2,16,1,19,2,10.5",
    ]
    assert "JF-2026-0002,城庄村,王五,2026-10-28,3" in csv
    md = run("report bulletin --format markdown").out
    assert "| 前进村 | 0 | 0 | 14 | 0 | 16 | 1 | 6.3 |" in md
    table = run("report bulletin").out
    assert "10.5" in table and "JF-2026-0002" in table


def test_bad_options(ledger: None) -> None:
    assert "future" in fail("report bulletin --date 2026-11-01").err
    fail("report bulletin --date notadate")
    fail("report bulletin --town 无此镇")
    fail("report bulletin --format pdf", code=2)


# ---- built for cron -------------------------------------------------------------------------
def test_output_file_is_repeatable_and_the_ledger_untouched(ledger: None, tmp_path: Path) -> None:
    before = dump()
    first, second = tmp_path / "b1.txt", tmp_path / "out" / "b2.txt"
    second.parent.mkdir()  # -o makes no folder
    run("report", "bulletin", "--date", "2026-10-30", "-f", "text", "-o", str(first))
    run("report", "bulletin", "--date", "2026-10-30", "-f", "json", "-o", str(tmp_path / "b.json"))
    assert dump() == before
    # records added today do not change yesterday's bulletin
    run(*DISPUTE, "--village", "五和居", "--handler", "周八")
    run("report", "bulletin", "--date", "2026-10-30", "-f", "text", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert [p.name for p in second.parent.iterdir()] == ["b2.txt"]  # no temporary file left


def test_runs_in_a_bare_environment_without_a_tty(ledger: None, ledger_env: str) -> None:
    expected = run("report bulletin --format text").out
    env = {"SANLING_DB": ledger_env, "SANLING_TODAY": "2026-10-31", "SANLING_LANG": "en"}
    if "SYSTEMROOT" in os.environ:  # pragma: no cover - Windows needs it
        env["SYSTEMROOT"] = os.environ["SYSTEMROOT"]
    done = subprocess.run(
        [sys.executable, "-m", "sanling", "report", "bulletin", "--format", "text"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == expected


def test_runs_while_someone_else_is_writing(ledger: None, ledger_env: str) -> None:
    from sqlalchemy import text

    from sanling.db import resolve_url, session_scope

    with session_scope(resolve_url(None), write=True) as session:
        session.execute(text("INSERT INTO settings (key, value) VALUES ('due_soon_days', '3')"))
        session.flush()
        # the writer holds its transaction open; the bulletin reads the committed ledger
        assert bulletin()["totals"] == totals(1, 2, 16, 1, 19, 2, 10.5)


def test_text_falls_back_to_plain_lines_for_any_report() -> None:
    from sanling.i18n import set_lang
    from sanling.render import Detail, Listing
    from sanling.render.text import to_text
    from sanling.reports.base import BuiltReport

    report = BuiltReport(
        title="月度研判",
        parts=[
            Listing.of(
                ["village", "open", "rate_ytd"],
                [
                    {"village": "城庄村", "open": 2, "rate_ytd": 50.0},
                    {"village": "五和居", "open": 0, "rate_ytd": None},
                ],
                title="villages",
            ),
            Detail({"ref": "JF-2026-0001", "reviewed": True, "lead": None}),
            Listing.of(["ref"], [], title="overdue disputes"),
        ],
    )
    set_lang("en")
    assert to_text(report) == (
        "月度研判\n\nvillages\n城庄村, open: 2, resolution rate: 50.0\n五和居, open: 0\n\n"
        "ref: JF-2026-0001\nreviewed: yes\n\noverdue disputes\n(none)\n"
    )
    set_lang("zh")
    assert to_text(report).splitlines()[3:5] == [
        "城庄村，未化解：2，化解率：50.0",
        "五和居，未化解：0",
    ]
