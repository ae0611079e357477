"""People's mediation records (人民调解法 Art. 28-33): a dispute's agreement, its judicial
confirmation within 30 days, follow-ups on performance, the two flags, and the statistics of
the monthly and annual reports. Today is 2026-10-31."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import add_dispute, dump, fail, run

N1 = "（2026）城人调字第12号"


def agree(ref: str, number: str, *extra: str) -> dict[str, Any]:
    result: dict[str, Any] = run(
        "dispute",
        "agreement",
        ref,
        "--number",
        number,
        "--content",
        "赔偿并道歉",
        *extra,
        "-f",
        "json",
    ).json()
    return result


@pytest.fixture
def mediated(villages: list[str]) -> list[str]:
    """JF-1 neighbour found 10-02 (prevented a criminal case), agreed 10-05 in writing for
    2000 yuan; JF-2 land found 09-01, agreed 09-10 for 3000; JF-3 labour found 10-08, agreed
    orally 10-12 for 500.50."""
    one = add_dispute("城庄村", "neighbour", "2026-10-02", "--prevented-criminal")
    two = add_dispute("李家湾村", "land", "2026-09-01")
    three = add_dispute("前进村", "labour", "2026-10-08")
    agree(one, N1, "--amount", "2000", "--date", "2026-10-05", "--performance-due", "2026-10-20")
    agree(two, "（2026）城人调字第9号", "--amount", "3000", "--date", "2026-09-10")
    agree(three, "（2026）城人调字第13号", "--amount", "500.5", "--oral", "--date", "2026-10-12")
    return [one, two, three]


def test_an_agreement_resolves_an_open_dispute_by_mediation(mediated: list[str]) -> None:
    one, _two, three = mediated
    d = run("dispute", "show", one, "-f", "json").json()
    assert (d["status"], d["method"], d["resolved_on"]) == ("resolved", "mediation", "2026-10-05")
    assert d["result"] == d["notes"][0]["text"] == f"达成调解协议{N1}：赔偿并道歉"
    assert (d["agreement_no"], d["agreed_on"], d["agreement_oral"]) == (N1, "2026-10-05", False)
    assert (d["agreement_content"], d["agreement_amount"]) == ("赔偿并道歉", 2000.0)
    assert (d["performance_due"], d["followup_due"], d["confirm_by"]) == (
        "2026-10-20",
        "2026-11-04",
        "2026-11-04",
    )
    assert (d["confirm_court"], d["confirmed_on"], d["followups"]) == (None, None, [])
    assert d["prevented_criminal"] is True and d["prevented_group_petition"] is False
    assert [(n["kind"], n["status"], n["date"]) for n in d["notes"]] == [
        ("resolve", "resolved", "2026-10-05")
    ]
    oral = run("dispute", "show", three, "-f", "json").json()
    assert (oral["agreement_oral"], oral["agreement_amount"]) == (True, 500.5)
    plain = run("dispute show " + add_dispute("城庄村", "other", "2026-10-01") + " -f json").json()
    assert "agreement_no" not in plain and "followups" not in plain  # no agreement, no section


def test_the_agreement_date_defaults_to_the_mediated_resolution(villages: list[str]) -> None:
    ref = add_dispute("城庄村", "contract", "2026-10-01")
    run(
        "dispute",
        "resolve",
        ref,
        "--method",
        "mediation",
        "--result",
        "调解成功",
        "--date",
        "2026-10-09",
    )
    d = agree(ref, N1)
    assert (d["agreed_on"], d["resolved_on"], d["result"]) == (
        "2026-10-09",
        "2026-10-09",
        "调解成功",
    )
    assert len(d["notes"]) == 1  # the resolution's own note: no second one
    run("db check")


def test_what_an_agreement_refuses(mediated: list[str]) -> None:
    one, two, _three = mediated
    r = fail("dispute", "agreement", one, "--number", "x", "--content", "y")
    assert "has its agreement already" in r.err
    sued = add_dispute("城庄村", "damage", "2026-10-01")
    run("dispute", "resolve", sued, "--method", "legal", "--result", "判决", "--date", "2026-10-20")
    r = fail("dispute", "agreement", sued, "--number", "x", "--content", "y")
    assert "not resolved by mediation" in r.err
    sent = add_dispute("城庄村", "damage", "2026-10-01")
    run("dispute", "refer", sent, "--to", "派出所", "--date", "2026-10-02")
    fail("dispute", "agreement", sent, "--number", "x", "--content", "y")
    fresh = add_dispute("城庄村", "damage", "2026-10-10")
    r = fail("dispute", "agreement", fresh, "--number", N1, "--content", "y")
    assert f"is used already by {one}" in r.err
    fail("dispute", "agreement", fresh, "--number", "x", "--content", "y", "--date", "2026-10-09")
    fail("dispute", "agreement", fresh, "--number", "x", "--content", " ")
    fail("dispute", "agreement", fresh, "--number", "x", "--content", "y", "--date", "2026-11-01")
    r = fail(
        "dispute", "agreement", fresh, "--number", "x", "--content", "y",
        "--date", "2026-10-12", "--performance-due", "2026-10-11",
    )  # fmt: skip
    assert "before the agreement's date" in r.err
    fail("dispute", "agreement", fresh, "--number", "x", "--content", "y", "--amount", "-1")
    fail("dispute", "confirm", fresh, "--court", "临县人民法院")  # no agreement
    r = fail("dispute", "followup", fresh, "--performed", "yes", "--note", "x")
    assert "has no mediation agreement" in r.err
    assert run("dispute", "show", two, "-f", "json").json()["agreed_on"] == "2026-09-10"


def test_confirmation_within_30_days_or_with_force(mediated: list[str]) -> None:
    one, two, three = mediated
    # JF-2 was agreed on 09-10: confirmation is asked by 10-10; 10-11 is one day late.
    r = fail("dispute", "confirm", two, "--court", "临县人民法院", "--date", "2026-10-11")
    assert "within 30 days of the agreement (by 2026-10-10)" in r.err and "--force" in r.err
    late = run(
        "dispute", "confirm", two, "--court", "临县人民法院", "--date", "2026-10-11", "--force",
        "-f", "json",
    ).json()  # fmt: skip
    assert (late["confirm_court"], late["confirmed_on"]) == ("临县人民法院", "2026-10-11")
    entry = run("log -f json").json()[0]  # newest first
    assert (entry["action"], entry["ref"]) == ("dispute.confirm", two)
    assert "_late" in entry["after"]  # the late request is marked in the audit log
    r = fail("dispute", "confirm", two, "--court", "x", "--date", "2026-10-12")
    assert "already" in r.err
    # JF-1, agreed 10-05: the 30th day (11-04) is still in time; 10-30 is too.
    fail("dispute", "confirm", one, "--court", "x", "--date", "2026-10-04")  # before the agreement
    ok = run(
        "dispute", "confirm", one, "--court", "临县人民法院", "--date", "2026-10-30", "-f", "json"
    )
    assert ok.json()["confirmed_on"] == "2026-10-30"
    r = fail("dispute", "confirm", three, "--court", "临县人民法院", "--date", "2026-10-13")
    assert "oral" in r.err
    run("config set mediation_confirm_days 20")
    assert run("dispute", "show", three, "-f", "json").json()["confirm_by"] == "2026-11-01"
    run("db check")


def test_the_30th_day_is_in_time(villages: list[str]) -> None:
    ref = add_dispute("城庄村", "neighbour", "2026-09-01")
    agree(ref, N1, "--date", "2026-09-10")
    d = run("dispute", "confirm", ref, "--court", "法院", "--date", "2026-10-10", "-f", "json")
    assert d.json()["confirmed_on"] == "2026-10-10"


def test_followups_and_their_due_date(mediated: list[str]) -> None:
    one, _two, three = mediated
    fail("dispute", "followup", one, "--performed", "yes", "--note", "x", "--date", "2026-10-04")
    fail("dispute", "followup", one, "--performed", "maybe", "--note", "x", code=2)
    fail("dispute", "followup", one, "--performed", "yes", "--note", " ")
    run(
        "dispute",
        "followup",
        one,
        "--performed",
        "部分履行",
        "--note",
        "已付一半",
        "--date",
        "2026-10-15",
    )
    d = run(
        "dispute", "followup", one, "--performed", "yes", "--note", "已付清",
        "--date", "2026-10-25", "-f", "json",
    ).json()  # fmt: skip
    assert [(f["date"], f["performed"], f["note"]) for f in d["followups"]] == [
        ("2026-10-15", "partly", "已付一半"),
        ("2026-10-25", "yes", "已付清"),
    ]
    assert len(dump()["dispute_followups"]) == 2
    run("config set mediation_followup_days 15")
    assert run("dispute", "show", three, "-f", "json").json()["followup_due"] == "2026-10-27"
    zh = run("--lang", "zh", "dispute", "show", one).out
    assert "回访记录" in zh and "部分履行" in zh and "调解协议编号" in zh and "回访期限" in zh
    run("db check")


def test_the_two_flags_on_add_and_by_edit(mediated: list[str]) -> None:
    _one, two, _three = mediated
    d = run(
        "dispute", "edit", two, "--prevented-group-petition", "--reason", "补录", "-f", "json"
    ).json()
    assert (d["prevented_criminal"], d["prevented_group_petition"]) == (False, True)
    d = run(
        "dispute", "edit", two, "--no-prevented-group-petition", "--reason", "更正", "-f", "json"
    )
    assert d.json()["prevented_group_petition"] is False
    run("db check")


MEDIATION_KEYS = (
    "cases", "written", "oral", "amount", "performed", "confirmed", "prevented_criminal",
    "prevented_group_petition",
)  # fmt: skip


def figures(data: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(data["mediation"][k] for k in MEDIATION_KEYS)


def test_monthly_and_annual_mediation_statistics(mediated: list[str]) -> None:
    one, two, three = mediated
    run("dispute", "edit", three, "--prevented-group-petition", "--reason", "补录")
    run(
        "dispute", "followup", one, "--performed", "yes", "--note", "已付清", "--date", "2026-10-25"
    )
    run(
        "dispute", "followup", three, "--performed", "partly", "--note", "x", "--date", "2026-10-26"
    )
    run("dispute", "confirm", one, "--court", "临县人民法院", "--date", "2026-10-30")
    run("dispute", "confirm", two, "--court", "临县人民法院", "--date", "2026-10-11", "--force")
    # resolved by mediation without an agreement recorded: not a mediation case of the figures
    other = add_dispute("城庄村", "neighbour", "2026-10-03", "--prevented-criminal")
    run(
        "dispute",
        "resolve",
        other,
        "--method",
        "mediation",
        "--result",
        "x",
        "--date",
        "2026-10-04",
    )

    october = run("report monthly --month 2026-10 -f json").json()
    assert figures(october) == (2, 1, 1, 2500.5, 1, 1, 1, 1)
    by_category = {k: n for k, n in october["mediation"]["by_category"].items() if n}
    assert by_category == {"neighbour": 1, "labour": 1}
    explained = run("report monthly --month 2026-10 --explain mediation.cases -f json").json()
    assert [r["ref"] for r in explained] == [one, three]
    amounts = run("report monthly --month 2026-10 --explain mediation.amount -f json").json()
    assert sorted(r["agreement_amount"] for r in amounts) == [500.5, 2000.0]
    # September is read as of its end: JF-2's confirmation (10-11) had not happened yet.
    september = run("report monthly --month 2026-09 -f json").json()
    assert figures(september) == (1, 1, 0, 3000.0, 0, 0, 0, 0)
    annual = run("report annual --year 2026 -f json").json()
    assert figures(annual) == (3, 2, 1, 5500.5, 1, 2, 1, 1)
    assert run("report annual --year 2025 -f json").json()["mediation"]["cases"] == 0
    zh = run("--lang", "zh", "report", "monthly", "--month", "2026-10").out
    section = zh[zh.index("人民调解") :]
    for label, value in (("调解成功案件", "2"), ("口头协议", "1"), ("协议金额（元）", "2500.5")):
        assert any(ln.split() == [label, value] for ln in section.splitlines()), label
    assert "调解案件类别" in zh and "劳动争议" in zh
    assert "prevented" not in zh and "cases" not in zh


def test_as_recorded_takes_back_a_followup(mediated: list[str]) -> None:
    import time
    from datetime import datetime, timedelta

    one = mediated[0]
    time.sleep(1.1)  # the agreements are recorded a second before the follow-up at least
    run(
        "dispute", "followup", one, "--performed", "yes", "--note", "已付清", "--date", "2026-10-25"
    )
    assert run("report monthly --month 2026-10 -f json").json()["mediation"]["performed"] == 1
    entry = run("log -f json").json()[0]
    assert entry["action"] == "dispute.followup"
    at = datetime.fromisoformat(entry["at"]) - timedelta(seconds=1)
    past = run(
        "report", "monthly", "--month", "2026-10", "--as-recorded", at.isoformat(), "-f", "json"
    ).json()
    assert (past["mediation"]["cases"], past["mediation"]["performed"]) == (2, 0)
