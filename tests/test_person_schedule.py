"""Key persons by category (issue 16): visit intervals per category and risk level, listing
terms and their end (安置帮教 5 years, 社区戒毒 3 years, a 社区矫正 term's end), the statuses
of `person list`, de-listing, and migration 0009 on a ledger of the revision before it.
Today is 2026-10-31."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, inspect

from sanling import db, migrate
from tests.helpers import fail, run

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(n: int) -> str:
    """A valid GB 11643 number (born 1985-03-12 in 临县), the n-th of the test."""
    body = f"14112419850312{n:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def person(n: int, category: str, *extra: str, risk: int = 1, listed: str = "2026-10-01") -> str:
    args = ["--category", category, "--name", f"人{n}", "--id-number", id_number(n)]
    args += ["--risk", str(risk), "--listed", listed, *extra]
    ref: str = run("person", "add", "--village", "城庄村", *args, "-f", "json").json()["ref"]
    return ref


def rows(*args: str) -> dict[str, dict[str, Any]]:
    return {r["ref"]: r for r in run("person", "list", *args, "-f", "json").json()}


def test_id_numbers_of_the_tests_are_valid(villages: list[str]) -> None:
    assert id_number(1)[-1] in "0123456789X" and len(id_number(1)) == 18
    person(1, "other")  # the ledger's own GB 11643 check accepts it


def test_visits_by_category_and_risk(villages: list[str]) -> None:
    m0 = person(1, "mental", risk=0, listed="2026-08-01")
    m1 = person(2, "mental", risk=1)
    m2 = person(3, "mental", risk=2)
    m3 = person(4, "mental", risk=3)
    m5 = person(5, "mental", risk=5)
    rel = person(6, "released", risk=5)
    drug = person(7, "drug", listed="2026-10-05")
    corr = person(8, "社区矫正", risk=3)
    youth = person(9, "重点青少年", listed="2026-10-10")
    pet = person(10, "petitioner", risk=2)
    due = {ref: r["next_visit"] for ref, r in rows().items()}
    assert due == {
        m0: "2026-10-30",  # 0 级: every 90 days
        m1: "2026-11-30",  # 1-2 级: every 60 days
        m2: "2026-11-30",
        m3: "2026-10-15",  # 3-5 级: every 14 days
        m5: "2026-10-15",
        rel: "2026-10-31",  # released prisoners: monthly, whatever the risk
        drug: "2026-11-04",  # drug users: monthly
        corr: "2026-10-08",  # other categories: the general rule, risk 3 weekly
        youth: "2026-11-09",  # risk 1: monthly
        pet: "2026-10-31",
    }
    overdue = {ref: r["days_overdue"] for ref, r in rows("--status", "visit-overdue").items()}
    assert overdue == {m0: 1, m3: 16, m5: 16, corr: 23}
    assert set(rows("--visit-overdue")) == set(overdue)
    assert set(rows("--status", "visit-due")) == {rel, drug, pet}  # within 7 days (setting)
    assert set(rows("--status", "走访临期", "--days", "9")) == {rel, drug, pet, youth}
    assert set(rows("--status", "visit-due", "--days", "0")) == {rel, pet}
    assert set(rows("--status", "visit-overdue", "--category", "mental")) == {m0, m3, m5}
    # a visit moves the next one on by the person's own interval
    out = run("person", "visit", m3, "--by", "医生", "--date", "2026-10-30", "-f", "json").json()
    assert out["next_visit"] == "2026-11-13"
    # the intervals are settings
    run("config set visit_days_mental_0 100")
    run("config set visit_days_released 15")
    run("config set visit_days_drug 20")
    due = {ref: r["next_visit"] for ref, r in rows().items()}
    assert (due[m0], due[rel], due[drug]) == ("2026-11-09", "2026-10-16", "2026-10-25")
    overdue = {ref: r["days_overdue"] for ref, r in rows("--status", "visit-overdue").items()}
    assert overdue == {rel: 15, drug: 6, m5: 16, corr: 23}
    # the monthly report counts the same rule
    assert run("report monthly -f json").json()["key_persons"] == {"total": 10, "visits_overdue": 4}


def test_listing_terms_and_their_end(villages: list[str]) -> None:
    soon = person(1, "released", "--term-from", "2021-11-15")
    later = person(2, "released", "--term-from", "2021-12-15")
    ended = person(3, "刑满释放", listed="2021-10-20")  # no release date: from the listed date
    drug = person(4, "drug", "--term-from", "2023-11-20")
    leap = person(5, "drug", "--term-from", "2024-02-29")
    corr = person(6, "correction", "--term-from", "2026-05-11", "--term-end", "2026-11-10")
    open_ended = person(7, "correction")
    youth = person(8, "youth")
    gone = person(9, "released", "--term-from", "2021-10-01")
    run("person", "delist", gone, "--reason", "帮教期满", "--date", "2026-10-02")
    ends = {ref: r["listing_ends"] for ref, r in rows().items()}
    assert ends == {
        soon: "2026-11-15",  # 安置帮教: 5 years from release
        later: "2026-12-15",
        ended: "2026-10-20",
        drug: "2026-11-20",  # 社区戒毒: 3 years from its start
        leap: "2027-02-28",  # 29 February: the term ends on 28 February
        corr: "2026-11-10",  # 社区矫正: the term's given end
        open_ended: None,
        youth: None,
    }
    # listing-ends: ends within 30 days (setting), or has ended and the person is still listed
    assert set(rows("--status", "listing-ends")) == {soon, ended, drug, corr}
    assert set(rows("--status", "listing-ends", "--days", "45")) == {soon, later, ended, drug, corr}
    assert leap in rows("--status", "listing-ends", "--days", "120")  # 10-31 + 120 = 02-28
    assert leap not in rows("--status", "listing-ends", "--days", "119")
    assert set(rows("--status", "listing-ends", "--days", "0")) == {ended}
    run("config set listing_ends_days 15")
    assert set(rows("--status", "listing-ends")) == {soon, ended, corr}
    run("config set listing_years_released 4")
    assert rows()[later]["listing_ends"] == "2025-12-15"
    assert later in rows("--status", "listing-ends")
    # de-listing takes a person off every list of status
    out = run(
        "person", "delist", ended, "--reason", "帮教期满", "--date", "2026-10-21", "-f", "json"
    )
    assert (out.json()["delisted"], out.json()["listing_ends"]) == ("2026-10-21", "2025-10-20")
    assert ended not in rows("--status", "listing-ends") and ended in rows("--delisted")
    assert gone not in rows("--status", "listing-ends", "--delisted")
    run("db check")


def test_terms_and_categories_refused_or_corrected(villages: list[str]) -> None:
    base = ["person", "add", "--village", "城庄村", "--name", "甲", "--id-number", id_number(1)]
    fail(*base, "--category", "released", "--term-from", "2026-11-01")  # a release ahead
    r = fail(
        *base, "--category", "correction", "--term-from", "2026-05-11", "--term-end", "2026-05-10"
    )
    assert "before the term's start" in r.err
    fail(*base, "--category", "released", "--term-from", "2026-13-01")
    r = fail("person", "list", "--status", "overdue", code=2)
    assert "visit-overdue, visit-due, listing-ends" in r.err
    fail("person", "list", "--status", "listing-ends", "--days", "-1", code=2)
    r = fail("person", "list", "--days", "10", code=2)
    assert "--days goes with --status" in r.err
    ref = person(1, "youth")
    zh = run("--lang", "zh", "person", "show", ref).out
    assert "重点青少年" in zh and "列管期满" in zh
    fixed = run(
        "person", "edit", ref, "--category", "released", "--term-from", "2022-01-05",
        "--reason", "类别登记有误", "-f", "json",
    ).json()  # fmt: skip
    assert (fixed["category"], fixed["listing_ends"]) == ("released", "2027-01-05")
    run("db check")


def test_0009_keeps_the_records_of_an_older_ledger(villages: list[str]) -> None:
    """Migration 0009 on a ledger of the revision before it: disputes and key persons stay,
    the flags are false, the terms empty."""
    dispute = run(
        "dispute add --village 城庄村 --category neighbour --summary 纠纷 --handler 张三 -f json"
    ).json()["ref"]
    ref = person(1, "released", listed="2026-09-01")
    revisions = migrate.history()
    below = revisions[revisions.index("0009") - 1]
    engine = create_engine(db.resolve_url(None))
    try:
        migrate.downgrade(engine, below)
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
            columns = {c["name"] for c in inspect(conn).get_columns("persons")}
        assert "dispute_followups" not in tables and "term_from" not in columns
    finally:
        engine.dispose()
    run("db upgrade")
    d = run("dispute", "show", dispute, "-f", "json").json()
    assert (d["prevented_criminal"], d["prevented_group_petition"], d["status"]) == (
        False,
        False,
        "open",
    )
    p = run("person", "show", ref, "-f", "json").json()
    assert (p["listed"], p["term_from"], p["listing_ends"]) == ("2026-09-01", None, "2031-09-01")
    run("db check")
