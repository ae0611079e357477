"""Cases (案件): which ones break 零案件, at each edge of the policy."""

from __future__ import annotations

import pytest

from tests.helpers import fail, run


def case(*args: str) -> dict:
    return run(
        "case", "add", "--village", "城庄村", "--summary", "案情", "--format", "json", *args
    ).json()


def test_breaking_flags_at_each_policy_edge(villages: list[str]) -> None:
    criminal = case("--kind", "criminal", "--offence", "盗窃", "--date", "2026-03-01")
    major = case(
        "--kind", "administrative", "--major", "--offence", "聚众斗殴", "--date", "2026-04-01"
    )
    ordinary = case("--kind", "行政/治安", "--offence", "赌博", "--subject", "城庄中学")
    assert criminal["ref"] == "AJ-2026-0001" and criminal["breaks_zero"] is True
    assert major["breaks_zero"] is True
    assert ordinary["breaks_zero"] is False and ordinary["subject"] == "城庄中学"

    def flags() -> dict[str, bool]:
        return {r["ref"]: r["breaks_zero"] for r in run("case list --format json").json()}

    assert flags() == {"AJ-2026-0001": True, "AJ-2026-0002": True, "AJ-2026-0003": False}
    run("config set case_major_administrative_breaks false")
    assert flags() == {"AJ-2026-0001": True, "AJ-2026-0002": False, "AJ-2026-0003": False}
    run("config set case_criminal_breaks false")
    assert flags() == {"AJ-2026-0001": False, "AJ-2026-0002": False, "AJ-2026-0003": False}
    assert run("case list --breaking --format json").json() == []
    run("config set case_major_administrative_breaks true")
    assert [r["ref"] for r in run("case list --breaking --format json").json()] == ["AJ-2026-0002"]


def test_list_filters_and_totals(villages: list[str]) -> None:
    case("--kind", "criminal", "--date", "2026-03-01")
    case("--kind", "administrative", "--major", "--date", "2025-04-01")
    case("--kind", "administrative", "--date", "2026-10-01")
    run("case add --kind administrative --village 李家湾村 --summary 打架 --source 派出所")
    out = run("case list").out
    total = next(line for line in out.splitlines() if "total 4" in line)
    assert "criminal 1 / administrative 3" in total and total.split()[-2:] == ["1", "2"]
    assert len(run("case list --kind administrative --format json").json()) == 3
    assert len(run("case list --village 李家湾村 --format json").json()) == 1
    assert [
        r["ref"] for r in run("case list --from 2026-01-01 --to 2026-09-30 --format json").json()
    ] == ["AJ-2026-0001"]
    assert (
        run("case list --from 2025-01-01 --to 2025-12-31 --format json").json()[0]["ref"]
        == "AJ-2025-0001"
    )


@pytest.mark.parametrize(
    "args,code",
    [
        (["--kind", "murder"], 2),
        (["--kind", "criminal", "--date", "2026-11-01"], 1),
        (["--kind", "criminal", "--village", "没有村"], 1),
        (["--kind", "criminal", "--subject", "兴旺煤业"], 1),  # not in 城庄村
        (["--kind", "criminal", "--summary", ""], 1),
    ],
)
def test_bad_cases_are_refused(villages: list[str], args: list[str], code: int) -> None:
    base = {"--village": "城庄村", "--summary": "案情"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    fail("case", "add", *[x for kv in base.items() for x in kv], code=code)
