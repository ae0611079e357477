"""Key persons (重点人员): GB 11643 IDs, duplicates, risk levels, visits due, de-listing."""

from __future__ import annotations

import pytest

from tests.helpers import dump, fail, run

ID_A = "34052419800101001X"  # male
ID_B = "11010519491231002X"  # female
ID_C = "141124198503120034"
ID_D = "141124199007150044"


def person(*args: str) -> dict:
    return run("person", "add", "--village", "城庄村", "--format", "json", *args).json()


def test_add_normalises_and_checks_the_id_number(villages: list[str]) -> None:
    a = person(
        "--category",
        "released",
        "--name",
        "张三丰",
        "--id-number",
        ID_A.lower(),
        "--phone",
        "138 9765 1234",
        "--listed",
        "2026-10-01",
    )
    assert a["ref"] == "ZD-2026-0001" and a["sex"] == "male"
    assert (
        a["id_number"] == "340524********001X"
        and a["name"] == "张**"
        and a["phone"] == "138****1234"
    )
    shown = run("person show ZD-2026-0001 --reveal --format json").json()
    assert (shown["id_number"], shown["phone"], shown["name"]) == (ID_A, "13897651234", "张三丰")
    full_width = "１１０１０５１９４９１２３１００２ｘ"
    b = person("--category", "吸毒", "--name", "李四", "--id-number", full_width)
    assert b["sex"] == "female" and b["listed"] == "2026-10-31"
    r = fail(
        "person",
        "add",
        "--village",
        "李家湾村",
        "--category",
        "drug",
        "--name",
        "李四",
        "--id-number",
        ID_B,
    )
    assert "registered already as ZD-2026-0002" in r.err and ID_B not in r.err
    fail(
        "person",
        "add",
        "--village",
        "城庄村",
        "--category",
        "drug",
        "--name",
        "x",
        "--id-number",
        ID_A,
    )


@pytest.mark.parametrize(
    "args,code",
    [
        (["--id-number", "110108196711301866"], 1),  # wrong check character
        (["--id-number", "11010519491231002"], 1),  # 17 characters
        (["--id-number", "110105194902300021"], 1),  # 30 February
        (["--id-number", "110105202712310024"], 1),  # born in the future
        (["--id-number", ID_C, "--sex", "female"], 1),  # the number says male
        (["--id-number", ID_C, "--risk", "0"], 1),  # 0 is for mental disorder only
        (["--id-number", ID_C, "--risk", "6"], 2),
        (["--id-number", ID_C, "--category", "thief"], 2),
        (["--id-number", ID_C, "--village", "没有村"], 1),
        (["--id-number", ID_C, "--listed", "2026-11-01"], 1),
        (["--id-number", ID_C, "--phone", "call me"], 1),
        (["--id-number", ID_C, "--name", " "], 1),
    ],
)
def test_bad_persons_are_refused(villages: list[str], args: list[str], code: int) -> None:
    base = {"--village": "城庄村", "--category": "released", "--name": "王五"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    fail("person", "add", *[x for kv in base.items() for x in kv], code=code)


def overdue(*extra: str) -> dict[str, int | None]:
    rows = run("person", "list", "--visit-overdue", "--format", "json", *extra).json()
    return {r["ref"]: r["days_overdue"] for r in rows}


@pytest.fixture
def listed(villages: list[str]) -> list[str]:
    """A other risk 3 listed 10-01 (weekly), B drug risk 1 listed 09-15 (monthly), C
    petitioner risk 2 listed 10-10 (monthly), D mental risk 0 listed 08-01 (every 90 days) in
    李家湾村."""
    person(
        "--category",
        "other",
        "--name",
        "甲",
        "--id-number",
        ID_A,
        "--risk",
        "3",
        "--listed",
        "2026-10-01",
    )
    person(
        "--category",
        "drug",
        "--name",
        "乙",
        "--id-number",
        ID_B,
        "--risk",
        "1",
        "--listed",
        "2026-09-15",
    )
    person(
        "--category",
        "petitioner",
        "--name",
        "丙",
        "--id-number",
        ID_C,
        "--risk",
        "2",
        "--listed",
        "2026-10-10",
    )
    run(
        "person",
        "add",
        "--village",
        "李家湾村",
        "--category",
        "mental",
        "--name",
        "丁",
        "--id-number",
        ID_D,
        "--risk",
        "0",
        "--listed",
        "2026-08-01",
        "--guardian",
        "丁父",
        "--cadre",
        "包村干部",
    )
    return ["ZD-2026-0001", "ZD-2026-0002", "ZD-2026-0003", "ZD-2026-0004"]


def test_next_visit_and_visit_overdue(listed: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, c, d = listed
    rows = {r["ref"]: r for r in run("person list --format json").json()}
    assert {k: r["next_visit"] for k, r in rows.items()} == {
        a: "2026-10-08",
        b: "2026-10-15",
        c: "2026-11-09",
        d: "2026-10-30",
    }
    assert overdue() == {a: 23, b: 16, d: 1}
    v = run(
        "person",
        "visit",
        a,
        "--by",
        "包干部",
        "--note",
        "情绪稳定",
        "--date",
        "2026-10-28",
        "--format",
        "json",
    ).json()
    assert v["last_visit"] == "2026-10-28" and v["next_visit"] == "2026-11-04"
    assert v["visits"] == [{"date": "2026-10-28", "by": "包干部", "note": "情绪稳定"}]
    # a visit entered late with an earlier date does not move the last visit back
    v = run(
        "person", "visit", a, "--by", "网格员", "--date", "2026-10-20", "--format", "json"
    ).json()
    assert v["last_visit"] == "2026-10-28" and [x["date"] for x in v["visits"]] == [
        "2026-10-20",
        "2026-10-28",
    ]
    assert len(dump()["person_visits"]) == 2
    assert overdue() == {b: 16, d: 1}
    assert overdue("--village", "李家湾村") == {d: 1}
    assert overdue("--category", "drug") == {b: 16}
    table = run("person list").out
    assert next(ln for ln in table.splitlines() if "total 4" in ln).split() == ["total", "4", "2"]
    # ten days later C (due 11-09) and A (due 11-04) are overdue too
    monkeypatch.setenv("SANLING_TODAY", "2026-11-10")
    assert overdue() == {a: 6, b: 26, c: 1, d: 11}
    monkeypatch.setenv("SANLING_TODAY", "2026-10-31")
    # policy: weekly only from risk 4, monthly visits every 60 days (for the categories
    # without a schedule of their own: B, a drug user, stays monthly)
    run("config set visit_high_risk_from 4")
    run("config set visit_days 60")
    assert overdue() == {b: 16, d: 1}
    assert run("person", "show", a, "--format", "json").json()["next_visit"] == "2026-12-27"


def test_visit_and_delist_rules(listed: list[str]) -> None:
    a, b, c, d = listed
    fail("person", "visit", a, "--by", "x", "--date", "2026-09-30")  # before listed
    fail("person", "visit", a, "--by", "x", "--date", "2026-11-01")  # future
    fail("person", "visit", a, "--by", " ")
    fail("person", "visit", "ZD-2026-0099", "--by", "x")
    fail("person", "delist", b, "--reason", "x", "--date", "2026-09-01")  # before listed
    fail("person", "delist", b, "--reason", " ")
    out = run(
        "person",
        "delist",
        b,
        "--reason",
        "解除社区戒毒",
        "--date",
        "2026-10-20",
        "--format",
        "json",
    ).json()
    assert (
        out["delisted"] == "2026-10-20"
        and out["next_visit"] is None
        and out["visit_overdue"] is False
    )
    r = fail("person", "delist", b, "--reason", "again")
    assert "already" in r.err
    fail("person", "visit", b, "--by", "x", "--date", "2026-10-25")  # after de-listing
    run("person", "visit", b, "--by", "x", "--date", "2026-10-19")  # a late entry before it is fine
    assert {r["ref"] for r in run("person list --format json").json()} == {a, c, d}
    assert {r["ref"] for r in run("person list --delisted --format json").json()} == {a, b, c, d}
    assert b not in {
        r["ref"] for r in run("person list --visit-overdue --delisted --format json").json()
    }
    assert {r["ref"] for r in run("person list --category mental --format json").json()} == {d}
    fail("person", "list", "--village", "没有村")
