"""Accidents (事故): which ones break 零事故, at each edge of the policy."""

from __future__ import annotations

import pytest

from tests.helpers import fail, run


def accident(*args: str) -> dict:
    return run(
        "accident",
        "add",
        "--village",
        "城庄村",
        "--kind",
        "road",
        "--summary",
        "事故",
        "--format",
        "json",
        *args,
    ).json()


def test_breaking_flags_at_each_policy_edge(villages: list[str]) -> None:
    death = accident("--deaths", "1", "--injuries", "2", "--loss", "150000", "--date", "2026-02-01")
    serious = accident("--serious-injuries", "1", "--kind", "生产安全", "--subject", "城庄中学")
    minor = accident("--injuries", "3", "--loss", "2000.5")
    nothing = accident("--kind", "fire", "--loss", "800")
    assert death["ref"] == "SG-2026-0001" and death["breaks_zero"] is True
    assert serious["breaks_zero"] is True and serious["kind"] == "production"
    assert minor["breaks_zero"] is False and minor["loss"] == 2000.5
    assert nothing["breaks_zero"] is False

    def flags() -> list[bool]:
        return [
            r["breaks_zero"]
            for r in sorted(run("accident list --format json").json(), key=lambda r: r["ref"])
        ]

    assert flags() == [True, True, False, False]
    run("config set accident_serious_injury_breaks false")
    assert flags() == [True, False, False, False]
    run("config set accident_death_breaks false")
    assert flags() == [False, False, False, False]
    assert run("accident list --breaking --format json").json() == []
    run("config set accident_serious_injury_breaks true")
    assert [r["ref"] for r in run("accident list --breaking --format json").json()] == [
        serious["ref"]
    ]


def test_totals_and_filters(villages: list[str]) -> None:
    accident("--deaths", "1", "--injuries", "2", "--loss", "150000", "--date", "2026-02-01")
    accident("--serious-injuries", "2", "--kind", "drowning", "--loss", "0.25")
    accident("--injuries", "3", "--loss", "2000.5", "--date", "2025-06-01")
    run("accident add --village 李家湾村 --kind geological --summary 塌方 --injuries 1")
    out = run("accident list").out
    total = next(line for line in out.splitlines() if "total 4" in line).split()
    assert total == ["total", "4", "1", "2", "6", "152000.75", "2"]
    assert len(run("accident list --kind drowning --format json").json()) == 1
    assert len(run("accident list --village 李家湾村 --format json").json()) == 1
    assert len(run("accident list --from 2026-01-01 --format json").json()) == 3


@pytest.mark.parametrize(
    "args,code",
    [
        (["--deaths", "-1"], 2),
        (["--serious-injuries", "-2"], 2),
        (["--loss", "-5"], 2),
        (["--kind", "meteor"], 2),
        (["--date", "tomorrow"], 1),
        (["--date", "2026-11-01"], 1),
        (["--village", "兴旺煤业"], 1),
    ],
)
def test_bad_accidents_are_refused(villages: list[str], args: list[str], code: int) -> None:
    base = {"--village": "城庄村", "--kind": "road", "--summary": "事故"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    fail("accident", "add", *[x for kv in base.items() for x in kv], code=code)
