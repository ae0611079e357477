"""Sweeps: add and list; a sweep with no findings is a zero report."""

from __future__ import annotations

from tests.helpers import fail, run


def test_add_list_and_zero_reports(villages: list[str]) -> None:
    a = run(
        "sweep add --subject 城庄村 --by 王强 --date 2026-10-01 --scope disputes -f json"
    ).json()
    b = run(
        "sweep add --subject 兴旺煤业 --by 李明 --date 2026/10/16 --scope 安全隐患 --note "
        "井下通风 -f json"
    ).json()
    c = run("sweep add --subject 五和居 --by 王强 -f json").json()
    assert (a["ref"], b["ref"], c["ref"]) == ("PC-2026-0001", "PC-2026-0002", "PC-2026-0003")
    assert c["date"] == "2026-10-31" and b["scope"] == "hazards"
    rows = run("sweep list -f json").json()
    assert [r["ref"] for r in rows] == ["PC-2026-0003", "PC-2026-0002", "PC-2026-0001"]
    assert all(r["zero_report"] for r in rows)
    assert [
        r["ref"] for r in run("sweep list --from 2026-10-10 --to 2026-10-20 -f json").json()
    ] == ["PC-2026-0002"]
    assert [r["ref"] for r in run("sweep list --subject 城庄村 -f json").json()] == ["PC-2026-0001"]


def test_reference_numbers_follow_the_year(villages: list[str]) -> None:
    run("sweep add --subject 城庄村 --by 王强 --date 2025-12-31")
    run("sweep add --subject 城庄村 --by 王强 --date 2026-01-01")
    run("sweep add --subject 城庄村 --by 王强 --date 2025-06-01")
    refs = sorted(r["ref"] for r in run("sweep list -f json").json())
    assert refs == ["PC-2025-0001", "PC-2025-0002", "PC-2026-0001"]


def test_bad_sweeps(villages: list[str]) -> None:
    assert "future" in fail("sweep add --subject 城庄村 --by 王强 --date 2026-11-01").err
    assert (
        "cannot read the date" in fail("sweep add --subject 城庄村 --by 王强 --date 31/10/2026").err
    )
    assert "no subject named" in fail("sweep add --subject 无名 --by 王强").err
    fail("sweep add --subject 城庄村 --by 王强 --scope everything", code=2)
    fail("sweep add --subject 城庄村", code=2)
    assert "empty" in fail("sweep", "add", "--subject", "城庄村", "--by", " ").err
