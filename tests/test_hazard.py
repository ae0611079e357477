"""Hazards (安全隐患): deadlines by policy, the rectification cycle, overdue as of any date,
rates."""

from __future__ import annotations

import pytest

from sanling.commands.common import reading
from tests.helpers import fail, ledgers, run

V = "城庄村"


def add(*extra: str) -> dict:
    return run(
        "hazard",
        "add",
        "--village",
        V,
        "--area",
        "road",
        "--description",
        "护栏缺失",
        "--responsible",
        "王五",
        "--format",
        "json",
        *extra,
    ).json()


def test_default_deadlines_follow_policy_and_major_is_supervised(villages: list[str]) -> None:
    general = add("--found", "2026-10-01")
    major = add("--found", "2026-09-01", "--grade", "重大", "--area", "chemicals")
    assert general["ref"] == "YH-2026-0001" and general["status"] == "open"
    assert general["deadline"] == "2026-10-31" and general["supervised"] is False
    assert major["deadline"] == "2026-11-30" and major["supervised"] is True
    given = add("--found", "2026-10-01", "--deadline", "2026-12-31")
    assert given["deadline"] == "2026-12-31"
    run("config set hazard_deadline_days_general 10")
    assert add("--found", "2026-10-01")["deadline"] == "2026-10-11"
    run("config set hazard_deadline_days_major 60")
    assert add("--found", "2026-10-01", "--grade", "major")["deadline"] == "2026-11-30"


def test_found_defaults_to_the_sweeps_date_and_subject_must_be_in_the_village(
    villages: list[str],
) -> None:
    sweep = run("sweep add --subject 城庄村 --by 网格员 --date 2026-10-05 --format json").json()
    h = add("--sweep", sweep["ref"], "--subject", "城庄中学")
    assert h["found"] == "2026-10-05" and h["sweep"] == sweep["ref"] and h["subject"] == "城庄中学"
    fail(
        "hazard",
        "add",
        "--village",
        "李家湾村",
        "--area",
        "road",
        "--description",
        "x",
        "--responsible",
        "y",
        "--sweep",
        sweep["ref"],
    )
    fail(
        "hazard",
        "add",
        "--village",
        V,
        "--area",
        "road",
        "--description",
        "x",
        "--responsible",
        "y",
        "--sweep",
        sweep["ref"],
        "--found",
        "2026-10-01",
    )
    r = fail(
        "hazard",
        "add",
        "--village",
        "李家湾村",
        "--area",
        "road",
        "--description",
        "x",
        "--responsible",
        "y",
        "--subject",
        "城庄中学",
    )
    assert "is not in" in r.err


@pytest.mark.parametrize(
    "args,code",
    [
        (["--village", "没有村"], 1),
        (["--village", "城庄中学"], 1),  # a unit is not a village
        (["--village", V, "--found", "2026-11-01"], 1),  # future
        (["--village", V, "--found", "2026-13-01"], 1),  # malformed
        (["--village", V, "--found", "2026-10-01", "--deadline", "2026-09-30"], 1),
        (["--village", V, "--grade", "huge"], 2),
        (["--village", V, "--description", "  "], 1),
    ],
)
def test_bad_input_is_refused(villages: list[str], args: list[str], code: int) -> None:
    base = {"--area": "road", "--description": "护栏", "--responsible": "王五"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    argv = [x for kv in base.items() for x in kv]
    fail("hazard", "add", *argv, code=code)
    fail(
        "hazard",
        "add",
        "--village",
        V,
        "--area",
        "volcano",
        "--description",
        "x",
        "--responsible",
        "y",
        code=2,
    )


def test_cycle_and_impossible_transitions(villages: list[str]) -> None:
    ref = add("--found", "2026-10-01")["ref"]
    r = fail("hazard", "close", ref, "--checked-by", "赵六")
    assert "cannot be closed" in r.err
    started = run("hazard", "start", ref, "--measures", "设置警示牌", "--format", "json").json()
    assert started["status"] == "rectifying" and started["measures"] == "设置警示牌"
    fail("hazard", "start", ref)
    fail("hazard", "rectify", ref, "--measures", "x", "--date", "2026-09-30")  # before found
    fail("hazard", "rectify", ref, "--measures", "x", "--date", "2026-11-01")  # future
    done = run(
        "hazard",
        "rectify",
        ref,
        "--measures",
        "安装护栏",
        "--date",
        "2026-10-20",
        "--format",
        "json",
    ).json()
    assert done["status"] == "rectified" and done["rectified_on"] == "2026-10-20"
    fail("hazard", "rectify", ref, "--measures", "again")
    fail("hazard", "start", ref)
    fail("hazard", "close", ref, "--checked-by", "赵六", "--date", "2026-10-19")  # before rectified
    fail("hazard", "close", ref, "--checked-by", " ")
    closed = run(
        "hazard", "close", ref, "--checked-by", "赵六", "--date", "2026-10-25", "--format", "json"
    ).json()
    assert closed["status"] == "closed" and closed["checked_by"] == "赵六"
    assert closed["closed_on"] == "2026-10-25"
    assert [h["action"] for h in closed["history"]] == [
        "hazard.add",
        "hazard.start",
        "hazard.rectify",
        "hazard.close",
    ]
    for args in (["start"], ["rectify", "--measures", "x"], ["close", "--checked-by", "y"]):
        r = fail("hazard", args[0], ref, *args[1:])
        assert "closed" in r.err
    fail("hazard", "show", "YH-2026-0099")
    # open -> rectified directly (fixed on the spot) is allowed
    quick = add("--found", "2026-10-02")["ref"]
    assert (
        run("hazard", "rectify", quick, "--measures", "当场整改", "--format", "json").json()[
            "status"
        ]
        == "rectified"
    )


# The ledger fixture's hazards by letter (checked when it is built).
REFS = {
    "E": "YH-2025-0001",
    "D": "YH-2026-0001",
    "C": "YH-2026-0002",
    "A": "YH-2026-0003",
    "B": "YH-2026-0004",
}


@pytest.fixture
def ledger(villages: list[str], templates: ledgers.Templates) -> dict[str, str]:
    """A: general, found 09-01 (deadline 10-01), open. B: found 10-01 (deadline 10-31), rectifying.
    C: major, found 08-01 (deadline 10-30), open, 李家湾村. D: found 07-01 (deadline 07-31),
    rectified 08-15 and closed. E: found 2025-12-01, rectified 2025-12-20."""
    templates.apply(f"{__name__}.ledger", build)
    return REFS


def build() -> None:
    """Through the library, built once (adding and the cycle are tested above)."""
    from sanling.ledger import hazard

    with ledgers.writing() as lx:

        def add(found: str, **fields: str) -> str:
            made = ledgers.add(
                lx,
                "hazard",
                **{"village": V, "area": "road", "description": "护栏缺失", "responsible": "王五"}
                | fields,
                found=found,
            )
            return str(made.ref)

        refs = {"E": add("2025-12-01", area="fire")}
        hazard.rectify(lx, refs["E"], "x", "2025-12-20")
        refs["D"] = add("2026-07-01", area="fire")
        hazard.rectify(lx, refs["D"], "x", "2026-08-15")
        hazard.close(lx, refs["D"], "赵六", "2026-08-20")
        refs["C"] = add(
            "2026-08-01",
            village="李家湾村",
            area="geological",
            grade="major",
            description="滑坡",
            responsible="村委",
        )
        refs["A"] = add("2026-09-01")
        refs["B"] = add("2026-10-01")
        hazard.start(lx, refs["B"])
    assert refs == REFS


def refs_of(*args: str) -> set[str]:
    return {r["ref"] for r in run("hazard", "list", "--format", "json", *args).json()}


def test_overdue_and_due_soon_on_chosen_dates(ledger: dict[str, str]) -> None:
    a, b, c, d = ledger["A"], ledger["B"], ledger["C"], ledger["D"]
    # today 2026-10-31: A 30 days over, C 1 day over; B due today (due soon)
    assert refs_of("--status", "overdue") == {a, c}
    assert refs_of("--status", "due-soon") == {b}
    rows = {r["ref"]: r for r in run("hazard list --format json").json()}
    assert rows[a]["days_overdue"] == 30 and rows[c]["days_overdue"] == 1
    assert rows[b]["overdue"] is False and rows[b]["due_soon"] is True
    # 2026-10-28: A over by 27; B (10-31) and C (10-30) due within 3 days
    assert refs_of("--status", "overdue", "--as-of", "2026-10-28") == {a}
    assert refs_of("--status", "临期", "--as-of", "2026-10-28") == {b, c}
    # 2026-08-10: only C and D were found; D not rectified until 08-15 and due 07-31
    assert refs_of("--status", "overdue", "--as-of", "2026-08-10") == {d}
    assert refs_of("--as-of", "2026-08-10", "--from", "2026-01-01") == {c, d}
    assert (
        run("hazard", "show", d, "--as-of", "2026-08-10", "--format", "json").json()["days_overdue"]
        == 10
    )
    assert run("hazard", "show", d, "--format", "json").json()["overdue"] is False
    # a future date is allowed for planning: 2026-12-01 everything unrectified is overdue
    assert refs_of("--status", "overdue", "--as-of", "2026-12-01") == {a, b, c}
    fail("hazard", "list", "--as-of", "someday")
    fail("hazard", "list", "--status", "late", code=2)


def test_rectification_rates_and_totals(ledger: dict[str, str]) -> None:
    from sanling.ledger import hazard

    with reading() as lx:
        year = hazard.summary(lx, start=lx.date("2026-01-01", "from"))
        assert {
            k: year[k]
            for k in ("found", "rectified", "rate", "open", "overdue", "due_soon", "major")
        } == {
            "found": 4,
            "rectified": 1,
            "rate": 25.0,
            "open": 3,
            "overdue": 2,
            "due_soon": 1,
            "major": 1,
        }
        everything = hazard.summary(lx)
        assert (everything["found"], everything["rectified"], everything["rate"]) == (5, 2, 40.0)
        # as of 2026-08-10: E (rectified 2025) of E, D, C -> 1 of 3
        past = hazard.summary(lx, as_of=lx.date("2026-08-10", "as-of"))
        assert (past["found"], past["rectified"], past["rate"], past["overdue"]) == (3, 1, 33.3, 1)
    run("hazard", "rectify", ledger["A"], "--measures", "x", "--date", "2026-10-30")
    out = run("hazard list --from 2026-01-01").out
    assert "total 4" in out and "rectified 2 (50.0%)" in out
    out = run("hazard list --village 城庄村").out
    assert "total 4" in out and "rectified 3 (75.0%)" in out
    assert "rectified 0 (-)" in run("hazard list --village 前进村").out


def test_list_filters(ledger: dict[str, str]) -> None:
    assert refs_of("--village", "李家湾村") == {ledger["C"]}
    assert refs_of("--grade", "major") == {ledger["C"]}
    assert refs_of("--area", "消防") == {ledger["D"], ledger["E"]}
    assert refs_of("--status", "closed") == {ledger["D"]}
    assert refs_of("--status", "rectifying") == {ledger["B"]}
    assert refs_of("--status", "未整改") == {ledger["A"], ledger["C"]}
    assert refs_of("--from", "2026-08-01", "--to", "2026-09-30") == {ledger["A"], ledger["C"]}
    assert [r["ref"] for r in run("hazard list --format json").json()][:2] == [
        ledger["B"],
        ledger["A"],
    ]
    fail("hazard", "list", "--village", "没有村")
    csv = run("hazard list --format csv").out
    assert csv.splitlines()[0].startswith("ref,village,subject,found,area,grade,supervised")
    md = run("hazard list --format markdown --status overdue").out
    assert ledger["A"] in md and ledger["B"] not in md
