"""Petitions: intake, collective visits, and which ones break 零上访 under the policy."""

from __future__ import annotations

from typing import Any

from tests.helpers import fail, run


def add(*extra: str, village: str = "城庄村") -> dict[str, Any]:
    result: dict[str, Any] = run(
        "petition",
        "add",
        "--village",
        village,
        "--summary",
        "反映土地补偿",
        *extra,
        "--format",
        "json",
    ).json()
    return result


def breaking(*args: str) -> dict[str, bool]:
    return {r["ref"]: r["breaks_zero"] for r in run("petition", "list", *args, "-f", "json").json()}


def test_add_and_show(villages: list[str]) -> None:
    run(
        "dispute add --village 城庄村 --category land --summary x --handler 张三 --found 2026-10-01"
    )
    p = add(
        "--form",
        "visit",
        "--level",
        "town",
        "--date",
        "2026-10-02",
        "--dispute",
        "jf-2026-0001",
        "--subject",
        "城庄中学",
        "--repeated",
        "--handled-at-source",
    )
    expected = {
        "ref": "XF-2026-0001",
        "date": "2026-10-02",
        "village": "城庄村",
        "subject": "城庄中学",
        "form": "visit",
        "level": "town",
        "people": 1,
        "collective": False,
        "repeated": True,
        "abnormal": False,
        "summary": "反映土地补偿",
        "dispute": "JF-2026-0001",
        "handled_at_source": True,
        "breaks_zero": False,
        "petitioner": None,
        "phone": None,
        "handler": None,
        "stage": "received",  # its life: tests/test_petition_life.py
        "accept_due": "2026-10-17",
    }
    assert {k: p[k] for k in expected} == expected
    assert run("petition show XF-2026-0001 -f json").json() == p
    assert "XF-2026-0001" in run("petition show XF-2026-0001").out


def test_what_breaks_zero_petitions(villages: list[str]) -> None:
    add("--form", "visit", "--level", "city")  # 0001 city: breaks
    add("--form", "visit", "--level", "county", "--people", "5")  # 0002 collective at county
    add("--form", "letter", "--level", "county", "--people", "4")  # 0003 four people: no
    add("--form", "online", "--level", "town", "--people", "9")  # 0004 collective at town: no
    add("--form", "visit", "--level", "town", "--abnormal")  # 0005 abnormal: breaks
    add("--form", "hotline", "--level", "province", village="李家湾村")  # 0006 province: breaks
    assert breaking() == {
        "XF-2026-0001": True,
        "XF-2026-0002": True,
        "XF-2026-0003": False,
        "XF-2026-0004": False,
        "XF-2026-0005": True,
        "XF-2026-0006": True,
    }
    rows = {r["ref"]: r for r in run("petition list -f json").json()}
    assert [rows[f"XF-2026-000{i}"]["collective"] for i in range(1, 7)] == [
        False,
        True,
        False,
        True,
        False,
        False,
    ]
    assert sorted(breaking("--breaking")) == [
        "XF-2026-0001",
        "XF-2026-0002",
        "XF-2026-0005",
        "XF-2026-0006",
    ]
    assert sorted(breaking("--village", "李家湾村")) == ["XF-2026-0006"]
    assert sorted(breaking("--level", "county")) == ["XF-2026-0002", "XF-2026-0003"]
    # the rule is the town's policy
    run("config set petition_breaking_level province")
    run("config set petition_abnormal_breaks false")
    run("config set petition_collective_people 4")
    assert breaking() == {
        "XF-2026-0001": False,
        "XF-2026-0002": True,
        "XF-2026-0003": True,
        "XF-2026-0004": False,
        "XF-2026-0005": False,
        "XF-2026-0006": True,
    }
    assert run("petition show XF-2026-0003 -f json").json()["collective"] is True


def test_list_is_newest_first_and_filters_by_date(villages: list[str]) -> None:
    add("--form", "visit", "--level", "town", "--date", "2026-09-01")
    add("--form", "visit", "--level", "town", "--date", "2026-10-01")
    add("--form", "letter", "--level", "town", "--date", "2026-08-01")
    assert list(breaking()) == ["XF-2026-0002", "XF-2026-0001", "XF-2026-0003"]
    assert list(breaking("--from", "2026-08-15", "--to", "2026-09-30")) == ["XF-2026-0001"]
    assert list(breaking("--form", "来信")) == ["XF-2026-0003"]


def test_bad_petitions_are_refused(villages: list[str]) -> None:
    base = ["petition", "add", "--village", "城庄村", "--summary", "x"]
    fail(*base, "--form", "fax", "--level", "town", code=2)
    fail(*base, "--form", "visit", "--level", "galaxy", code=2)
    fail(*base, "--form", "visit", code=2)
    assert "people" in fail(*base, "--form", "visit", "--level", "town", "--people", "0").err
    assert "future" in fail(*base, "--form", "visit", "--level", "town", "--date", "2027-01-01").err
    assert (
        "no record"
        in fail(*base, "--form", "visit", "--level", "town", "--dispute", "JF-2026-0009").err
    )
    fail(
        "petition",
        "add",
        "--village",
        "无此村",
        "--summary",
        "x",
        "--form",
        "visit",
        "--level",
        "town",
    )
    fail("petition", "show", "XF-2026-0001")
