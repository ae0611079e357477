"""Supervision (督办) and deadline extensions (延期) of disputes, backlog cases and hazards
(issue 16, item 2): cards given, replaced and lifted, extensions judged for overdue, a major
hazard's limits, the grading's risk points, the monthly findings, show, log and db check."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import pytest

from tests.helpers import PG_URL, add_dispute, dump, fail, run


def show(noun: str, ref: str, *extra: str) -> dict[str, Any]:
    data: dict[str, Any] = run(noun, "show", ref, *extra, "-f", "json").json()
    return data


def hazard(*extra: str) -> str:
    ref: str = run(
        "hazard",
        "add",
        "--village",
        "前进村",
        "--area",
        "geological",
        "--description",
        "滑坡",
        "--responsible",
        "赵",
        *extra,
        "-f",
        "json",
    ).json()["ref"]
    return ref


def extend(noun: str, ref: str, to: str, day: str, reason: str, by: str) -> list[str]:
    """The arguments of `NOUN extend REF` approved on `day`."""
    return [noun, "extend", ref, "--to", to, "--reason", reason, "--approved-by", by, "--date", day]


def backlog(deadline: str) -> str:
    ref: str = run(
        "backlog",
        "add",
        "--assigned-by",
        "county",
        "--village",
        "前进村",
        "--petitioner",
        "王某",
        "--summary",
        "宅基地",
        "--lead",
        "李书记",
        "--plan",
        "包案",
        "--date",
        "2026-09-01",
        "--deadline",
        deadline,
        "-f",
        "json",
    ).json()["ref"]
    return ref


def test_cards_given_replaced_and_lifted(villages: list[str]) -> None:
    ref = add_dispute("城庄村", "neighbour", "2026-10-01", "--deadline", "2026-12-31")
    given = run(
        "dispute",
        "supervise",
        ref,
        *[
            "--level",
            "yellow",
            "--by",
            "县综治中心",
            "--date",
            "2026-10-05",
            "--note",
            "限期",
            "-f",
            "json",
        ],
    ).json()
    assert (given["supervision"], given["supervised_since"], given["supervised_by"]) == (
        "yellow",
        "2026-10-05",
        "县综治中心",
    )
    out = fail(f"dispute supervise {ref} --level 黄牌 --by 县综治中心 --date 2026-10-06")
    assert "has stood under a yellow card since 2026-10-05" in out.err
    out = fail(f"dispute supervise {ref} --level red --by 县委政法委 --date 2026-10-04")
    assert "supervision date 2026-10-04 is before 2026-10-05" in out.err
    run(f"dispute supervise {ref} --level 红牌督办 --by 县委政法委 --date 2026-10-10")
    assert show("dispute", ref)["supervision"] == "red"
    # As of an earlier date the yellow card stood; before it, none.
    assert show("dispute", ref, "--as-of", "2026-10-09")["supervision"] == "yellow"
    assert show("dispute", ref, "--as-of", "2026-10-04")["supervision"] is None
    fail(f"dispute supervise {ref} --lift --level red", code=2)
    assert (
        "a card needs --level and --by" in fail(f"dispute supervise {ref} --level red", code=2).err
    )
    lifted = run(f"dispute supervise {ref} --lift --date 2026-10-20 -f json").json()
    assert lifted["supervision"] is None
    assert [(c["date"], c["card"], c["supervised_by"], c["lifted"]) for c in lifted["cards"]] == [
        ("2026-10-05", "yellow", "县综治中心", False),
        ("2026-10-10", "red", "县委政法委", False),
        ("2026-10-20", "red", "县委政法委", True),
    ]
    assert "stands under no card" in fail(f"dispute supervise {ref} --lift").err
    assert show("dispute", ref, "--as-of", "2026-10-19")["supervision"] == "red"
    # A later card after the lift; the card ends when the dispute is resolved.
    run(f"dispute supervise {ref} --level normal --by 镇综治中心 --date 2026-10-21")
    run(f"dispute resolve {ref} --method mediation --result 和解 --date 2026-10-25")
    assert show("dispute", ref)["supervision"] is None
    assert show("dispute", ref, "--as-of", "2026-10-24")["supervision"] == "normal"
    out = fail(f"dispute supervise {ref} --level red --by 县委政法委")
    assert "was resolved on 2026-10-25" in out.err
    actions = [e["action"] for e in run(f"log --ref {ref} -f json").json()]
    assert actions == [
        "dispute.resolve",
        "dispute.supervise",
        "dispute.lift",
        "dispute.supervise",
        "dispute.supervise",
        "dispute.add",
    ]
    assert "no problems found" in run("db check").out + run("db check").err


def test_extension_moves_overdue_and_keeps_the_original(villages: list[str]) -> None:
    ref = add_dispute("城庄村", "neighbour", "2026-10-01", "--deadline", "2026-10-20")
    before = show("dispute", ref)
    assert (before["overdue"], before["days_overdue"], before["original_deadline"]) == (
        True,
        11,
        None,
    )
    assert [d["ref"] for d in run("dispute list --status overdue -f json").json()] == [ref]
    bulletin = run("report bulletin -f json").json()
    assert bulletin["totals"]["overdue"] == 1
    out = fail(*extend("dispute", ref, "2026-11-15", "2026-10-25", "需鉴定", "李镇长"))
    assert "was due on 2026-10-20, before the approval on 2026-10-25" in out.err
    out = fail(*extend("dispute", ref, "2026-10-19", "2026-10-18", "需鉴定", "李镇长"))
    assert "the new deadline 2026-10-19 is not after the current one, 2026-10-20" in out.err
    out = fail(*extend("dispute", ref, "2026-11-15", "2026-10-18", "需鉴定", " "))
    assert "approved-by must not be empty" in out.err
    after = run(
        *extend("dispute", ref, "2026-11-15", "2026-10-18", "需鉴定", "李镇长"), "-f", "json"
    ).json()
    assert (after["deadline"], after["original_deadline"], after["overdue"]) == (
        "2026-11-15",
        "2026-10-20",
        False,
    )
    assert after["extensions"] == [
        {
            "date": "2026-10-18",
            "from_deadline": "2026-10-20",
            "to_deadline": "2026-11-15",
            "reason": "需鉴定",
            "approved_by": "李镇长",
            "operator": "tester",
        }
    ]
    assert run("dispute list --status overdue -f json").json() == []
    assert run("report bulletin -f json").json()["totals"]["overdue"] == 0
    # A past date reads as before: not overdue on the 19th either way; due soon by the new one.
    assert show("dispute", ref, "--as-of", "2026-10-19")["overdue"] is False
    assert show("dispute", ref, "--as-of", "2026-11-16")["days_overdue"] == 1
    assert [
        d["ref"] for d in run("dispute list --status due-soon --as-of 2026-11-13 -f json").json()
    ] == [ref]
    # A second extension starts from the extended deadline; the original stays.
    run(*extend("dispute", ref, "2026-11-30", "2026-10-30", "再议", "李镇长"))
    again = show("dispute", ref)
    assert (again["deadline"], again["original_deadline"]) == ("2026-11-30", "2026-10-20")
    assert [(x["from_deadline"], x["to_deadline"]) for x in again["extensions"]] == [
        ("2026-10-20", "2026-11-15"),
        ("2026-11-15", "2026-11-30"),
    ]
    # edit keeps the extended deadline; it cannot move it.
    out = fail(f"dispute edit {ref} --deadline 2026-12-31 --reason 录错")
    assert "deadline was extended on 2026-10-30 to 2026-11-30" in out.err
    out = fail(f"dispute edit {ref} --found 2026-10-20 --reason 录错")
    assert "first date 2026-10-20 is after its card or extension of 2026-10-18" in out.err
    edited = run(f"dispute edit {ref} --summary 邻里吵架 --reason 补充 -f json").json()
    assert (edited["summary"], edited["deadline"]) == ("邻里吵架", "2026-11-30")
    assert "no problems found" in run("db check").err + run("db check").out


def test_backlog_extension_and_card_end_when_closed(villages: list[str]) -> None:
    ref = backlog("2026-10-15")
    assert show("backlog", ref)["overdue"] is True
    run(*extend("backlog", ref, "2026-12-31", "2026-10-10", "需听证", "县信访局"))
    shown = show("backlog", ref)
    assert (shown["overdue"], shown["deadline"], shown["original_deadline"]) == (
        False,
        "2026-12-31",
        "2026-10-15",
    )
    assert run("backlog list --overdue -f json").json() == []
    run(f"backlog supervise {ref} --level red --by 县信访局 --date 2026-10-12")
    run(f"backlog close {ref} --outcome settled --date 2026-10-28")
    assert show("backlog", ref)["supervision"] is None
    assert (
        "was closed on 2026-10-28"
        in fail(f"backlog extend {ref} --to 2027-01-31 --reason 再议 --approved-by 县信访局").err
    )


def test_major_hazard_extension_limits(villages: list[str]) -> None:
    # Deadline Friday 2026-11-20: 20 working days before it is Friday 2026-10-23.
    ref = hazard("--grade", "major", "--found", "2026-10-01", "--deadline", "2026-11-20")
    assert show("hazard", ref)["supervision"] == "listed"
    out = fail(*extend("hazard", ref, "2027-03-31", "2026-10-26", "工程量大", "县应急局"))
    assert (
        "major hazard YH-2026-0001: an extension is asked 20 working days before its deadline"
        " 2026-11-20, on or before 2026-10-23; got 2026-10-26" in out.err
    )
    assert "Monday to Friday (no holiday calendar)" in out.err
    out = fail(*extend("hazard", ref, "2027-11-21", "2026-10-23", "工程量大", "县应急局"))
    assert (
        "its deadline moves at most 12 months in all: original 2026-11-20, at the latest"
        " 2027-11-20; got 2027-11-21" in out.err
    )
    run(*extend("hazard", ref, "2027-03-31", "2026-10-23", "工程量大", "县应急局"))
    # The second extension is judged against the extended deadline (20 working days before
    # 2027-03-31 is 2027-03-03) and the original (one year from 2026-11-20).
    out = fail(*extend("hazard", ref, "2027-11-21", "2026-10-30", "再延", "县应急局"))
    assert "original 2026-11-20, at the latest 2027-11-20; got 2027-11-21" in out.err
    run(*extend("hazard", ref, "2027-11-20", "2026-10-30", "再延", "县应急局"))
    shown = show("hazard", ref)
    assert (shown["deadline"], shown["original_deadline"], shown["supervision"]) == (
        "2027-11-20",
        "2026-11-20",
        "listed",
    )
    # The settings move both limits; a general hazard has neither.
    run("config set major_hazard_extension_months 24")
    run(*extend("hazard", ref, "2028-05-20", "2026-10-31", "三延", "县应急局"))
    general = hazard("--found", "2026-10-01", "--deadline", "2026-11-02")
    run(*extend("hazard", general, "2028-12-31", "2026-10-31", "资金", "镇长"))
    assert show("hazard", general)["deadline"] == "2028-12-31"


def test_workdays_and_months() -> None:
    from sanling.ledger.supervision import add_months, workdays_before

    assert workdays_before(dt.date(2026, 11, 20), 20) == dt.date(2026, 10, 23)
    assert workdays_before(dt.date(2026, 11, 22), 1) == dt.date(2026, 11, 20)  # a Sunday
    assert workdays_before(dt.date(2027, 3, 31), 20) == dt.date(2027, 3, 3)
    assert add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)


def _score(day: str | None = None) -> dict[str, Any]:
    args = ["report", "grading", "-f", "json"] + (["--date", day] if day else [])
    rows = run(*args).json()["villages"]
    row: dict[str, Any] = next(r for r in rows if r["village"] == "前进村")
    return row


def test_grading_counts_standing_cards(villages: list[str]) -> None:
    first = add_dispute("前进村", "neighbour", "2026-10-01", "--deadline", "2026-12-31")
    second = add_dispute("前进村", "land", "2026-10-02", "--deadline", "2026-12-31")
    # Two open disputes (2 each), a mediation committee (-1).
    assert _score()["score"] == 3.0
    run(f"dispute supervise {first} --level yellow --by 县综治中心 --date 2026-10-10")
    run(f"dispute supervise {second} --level red --by 县委政法委 --date 2026-10-12")
    row = _score()
    assert row["score"] == 18.0
    assert row["parts"]["yellow_cards"] == {"count": 1, "weight": 5.0, "points": 5.0}
    assert row["parts"]["red_cards"] == {"count": 1, "weight": 10.0, "points": 10.0}
    assert _score("2026-10-11")["score"] == 8.0  # the red card came on the 12th
    assert _score("2026-10-09")["score"] == 3.0
    rows = run("report grading --explain villages.前进村.parts.red_cards.count -f json").json()
    assert [r["ref"] for r in rows] == [second]
    rows = run("report grading --explain villages.前进村.score -f json").json()
    assert sorted((r["ref"], r["what"], r["points"]) for r in rows if "cards" in r["what"]) == [
        (first, "yellow_cards", 5.0),
        (second, "red_cards", 10.0),
    ]
    # The weights are settings; the reason of a grade names the cards.
    run("config set weight_red_card 12")
    assert _score()["score"] == 20.0
    run("report grading --apply")
    history = run("subject show 前进村 -f json").json()["grade_history"]
    assert "yellow cards 1×5" in history[-1]["reason"]
    assert "red cards 1×12" in history[-1]["reason"]
    # A card ends with the record (resolved) or when lifted.
    run(f"dispute resolve {second} --method mediation --result 和解 --date 2026-10-20")
    run(f"dispute supervise {first} --lift --date 2026-10-25")
    assert _score()["score"] == 1.0
    assert _score("2026-10-19")["score"] == 20.0
    assert _score("2026-10-22")["score"] == 6.0  # one open dispute 2, yellow 5, committee -1
    # Cards on a backlog case and a hazard count alike (open backlog 3, open hazard 2).
    case = backlog("2026-12-31")
    spot = hazard("--found", "2026-10-01", "--deadline", "2026-12-31")
    assert _score()["score"] == 6.0
    run(f"hazard supervise {spot} --level yellow --by 镇安委办 --date 2026-10-26")
    run(f"backlog supervise {case} --level red --by 县信访局 --date 2026-10-27")
    row = _score()
    assert (row["score"], row["parts"]["yellow_cards"]["count"]) == (23.0, 1)
    assert row["parts"]["red_cards"] == {"count": 1, "weight": 12.0, "points": 12.0}
    for part, ref in (("yellow_cards", spot), ("red_cards", case)):
        key = f"villages.前进村.parts.{part}.points"
        rows = run("report", "grading", "--explain", key, "-f", "json").json()
        assert [(r["ref"], r["points"]) for r in rows] == [(ref, 5.0 if part[0] == "y" else 12.0)]


def test_monthly_findings_and_figures(villages: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    jf = add_dispute("城庄村", "neighbour", "2026-10-01", "--deadline", "2026-12-31")
    ja = backlog("2026-12-31")
    major = hazard("--grade", "major", "--found", "2026-10-03")
    other = add_dispute("李家湾村", "land", "2026-10-02", "--deadline", "2026-12-31")
    run(f"dispute supervise {jf} --level red --by 县委政法委 --date 2026-10-05")
    run(f"backlog supervise {ja} --level red --by 县信访局 --date 2026-10-06")
    run(f"dispute supervise {other} --level yellow --by 县综治中心 --date 2026-10-07")
    data = run("report monthly --month 2026-10 -f json").json()
    assert data["supervision"] == {
        "disputes": {"normal": 0, "yellow": 1, "red": 1},
        "backlog": {"normal": 0, "yellow": 0, "red": 1},
        "hazards": {"normal": 0, "yellow": 0, "red": 0, "listed": 1},
    }
    found = [f["text"] for f in data["findings"] if f["rule"] == "supervision"]
    assert found == [
        f"2 under a red card: {ja}, {jf}.",
        f"1 under a yellow card: {other}.",
        f"1 major hazards listed for supervision (挂牌督办): {major}.",
    ]
    rows = run("report monthly --month 2026-10 --explain supervision.backlog.red -f json").json()
    assert [r["ref"] for r in rows] == [ja]
    # September: none of them stood yet.
    sept = run("report monthly --month 2026-09 -f json").json()
    assert sept["supervision"]["disputes"] == {"normal": 0, "yellow": 0, "red": 0}
    assert not [f for f in sept["findings"] if f["rule"] == "supervision"]
    monkeypatch.setenv("SANLING_LANG", "zh")
    data = run("report monthly --month 2026-10 -f json").json()
    found = [f["text"] for f in data["findings"] if f["rule"] == "supervision"]
    assert found == [
        f"红牌督办 2 件：{ja}、{jf}。",
        f"黄牌督办 1 件：{other}。",
        f"挂牌督办的重大隐患 1 处：{major}。",
    ]
    text = run("report monthly --month 2026-10 -f text").out
    assert f"红牌督办 2 件：{ja}、{jf}，依据：月末在督办中的记录" in text
    # A major hazard under a card of its own is still listed (挂牌督办), and named so.
    run(f"hazard supervise {major} --level yellow --by 镇安委办 --date 2026-10-08")
    data = run("report monthly --month 2026-10 -f json").json()
    assert data["supervision"]["hazards"] == {"normal": 0, "yellow": 1, "red": 0, "listed": 1}
    found = [f["text"] for f in data["findings"] if f["rule"] == "supervision"]
    assert found == [
        f"红牌督办 2 件：{ja}、{jf}。",
        f"黄牌督办 2 件：{other}、{major}。",
        f"挂牌督办的重大隐患 1 处：{major}。",
    ]


def test_show_in_chinese(villages: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    ref = add_dispute("城庄村", "neighbour", "2026-10-01", "--deadline", "2026-10-20")
    run(f"dispute supervise {ref} --level red --by 县委政法委 --date 2026-10-05 --note 限期化解")
    run(*extend("dispute", ref, "2026-11-15", "2026-10-18", "需鉴定", "李镇长"))
    monkeypatch.setenv("SANLING_LANG", "zh")
    out = run(f"dispute show {ref}").out
    for line in (
        "化解时限     2026-11-15",
        "原定时限     2026-10-20",
        "督办         红牌督办",
        "督办日期     2026-10-05",
        "督办单位     县委政法委",
        "督办记录",
        "2026-10-05   红牌督办   县委政法委   否       限期化解",
        "延期记录",
        "2026-10-18   2026-10-20   2026-11-15   需鉴定   李镇长",
    ):
        # the label column is as wide as the longest label shown: compare words, not spaces
        assert " ".join(line.split()) in " ".join(out.split()), line
    major = hazard("--grade", "major", "--found", "2026-10-03")
    assert "挂牌督办" in run(f"hazard show {major}").out
    refused = fail(f"dispute supervise {ref} --level red --by 县委政法委")
    assert "error: JF-2026-0001 自 2026-10-05 起已是红牌督办" in refused.err
    assert "--lift" in refused.err
    refused = fail(f"dispute supervise {ref} --level yellow --by 县委政法委 --date 2026-10-01")
    assert "error: 督办日期 2026-10-01 早于 2026-10-05（该记录的起始日期或上次督办）" in refused.err
    assert (
        "(hint: --date 写 2026-10-05 当天或之后；`show JF-2026-0001` 查看督办记录)" in refused.err
    )
    refused = fail(f"dispute extend {ref} --to 2026-12-31 --reason '' --approved-by 李镇长")
    assert refused.err.startswith("error: 原因（reason）不能为空")
    run(f"dispute supervise {ref} --lift --date 2026-10-20")
    refused = fail(f"dispute supervise {ref} --lift")
    assert refused.err.startswith("error: JF-2026-0001 没有正在进行的督办")
    run(f"dispute resolve {ref} --method mediation --result 和解 --date 2026-10-25")
    refused = fail(f"dispute supervise {ref} --level red --by 县委政法委")
    assert refused.err.startswith("error: JF-2026-0001 已于 2026-10-25 化解，不能再督办")


@pytest.mark.skipif(bool(PG_URL), reason="tampers with the SQLite file")
def test_db_check_finds_cards_and_extensions_changed_behind_its_back(
    villages: list[str], ledger_env: str
) -> None:
    ref = add_dispute("城庄村", "neighbour", "2026-10-01", "--deadline", "2026-10-20")
    run(f"dispute supervise {ref} --level red --by 县委政法委 --date 2026-10-05")
    run(*extend("dispute", ref, "2026-11-15", "2026-10-18", "需鉴定", "李镇长"))
    conn = sqlite3.connect(ledger_env)
    with conn:
        conn.execute("UPDATE supervision SET level = 'yellow'")
        conn.execute("UPDATE extensions SET to_deadline = '2026-12-15'")
    conn.close()
    out = run("db check", code=1)
    text = out.out + out.err
    assert f"{ref}: supervision row 1 differs from its audit trail" in text
    assert f"{ref}: extension row 1 differs from its audit trail" in text
    assert f"{ref}: its deadline 2026-11-15 disagrees with its extensions (to 2026-12-15)" in text
    conn = sqlite3.connect(ledger_env)
    with conn:
        conn.execute("DELETE FROM supervision")
    conn.close()
    text = run("db check", code=1).err + run("db check", code=1).out
    assert f"{ref}: supervision row 1 is in the audit log but missing from the ledger" in text


def test_as_recorded_takes_cards_and_extensions_back(villages: list[str]) -> None:
    from sanling.db import resolve_url, session_scope
    from sanling.ledger import recorded
    from sanling.ledger.base import Ledger
    from tests.test_as_recorded import next_second

    ref = add_dispute("城庄村", "neighbour", "2026-10-01", "--deadline", "2026-10-20")
    then = dump()
    moment = next_second()
    run(f"dispute supervise {ref} --level red --by 县委政法委 --date 2026-10-05")
    run(*extend("dispute", ref, "2026-11-15", "2026-10-18", "需鉴定", "李镇长"))
    run(f"dispute supervise {ref} --lift --date 2026-10-19")
    with session_scope(resolve_url(None), write=True, commit=False) as session:
        lx = Ledger(session)
        assert recorded.rewind(lx, moment.replace(tzinfo=None)) == 3
        from sqlalchemy import text

        conn = session.connection()
        for table in ("supervision", "extensions", "disputes"):
            rows = sorted(
                map(tuple, conn.execute(text(f'SELECT * FROM "{table}"')).all()), key=repr
            )
            assert rows == then[table], table
    # The bulletin as recorded before the extension: overdue by the original deadline.
    assert run("report bulletin -f json").json()["totals"]["overdue"] == 0
    stamp = moment.astimezone(dt.UTC).isoformat()
    data = run("report", "bulletin", "--as-recorded", stamp, "-f", "json").json()
    assert data["totals"]["overdue"] == 1


def test_deadlines_are_named_by_kind_in_chinese(
    villages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hazard's deadline is 完成时限, a backlog case's 办结时限 (a dispute's 化解时限); a
    listing of several kinds says 时限."""
    spot = hazard("--grade", "major", "--found", "2026-10-01", "--deadline", "2026-12-31")
    case = backlog("2026-12-31")
    jf = add_dispute("前进村", "neighbour", "2026-10-01", "--deadline", "2026-12-31")
    run(f"hazard supervise {spot} --level yellow --by 镇安委办 --date 2026-10-05")
    run(f"dispute supervise {jf} --level yellow --by 镇综治中心 --date 2026-10-05")
    monkeypatch.setenv("SANLING_LANG", "zh")

    def heads(args: str) -> list[str]:
        out = run(args).out
        return next(line.split() for line in out.splitlines() if "编号" in line)

    key = "villages.前进村.parts.yellow_cards.count"
    assert heads(f"report grading --explain {key}") == ["编号", "所属村", "时限"]
    listed = heads("report monthly --month 2026-10 --explain supervision.hazards.listed")
    assert "完成时限" in listed and "化解时限" not in listed
    disputes = heads("report monthly --month 2026-10 --explain supervision.disputes.yellow")
    assert "化解时限" in disputes
    assert "办结时限" in heads("backlog list")
    shown = run(f"backlog show {case}").out
    assert "办结时限" in shown and "化解时限" not in shown
