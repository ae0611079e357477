"""report grading (分级): scores with their parts, thresholds from policy, manual grades,
--apply."""

from __future__ import annotations

from functools import partial

import pytest

from tests.helpers import dump, fail, ledgers, run


@pytest.fixture
def graded(villages: list[str], templates: ledgers.Templates) -> None:
    templates.apply(f"{__name__}.graded", build)


def build() -> None:
    """Each village's records, built once per session (the CLI adds are tested elsewhere)."""
    from sanling.codes import Grade
    from sanling.ledger import subject

    with ledgers.writing() as lx:
        add = partial(ledgers.add, lx)
        # 李家湾村: two open disputes (one overdue), a criminal case, a key person; mediation
        # committee.
        for found in ("2026-10-01", "2026-10-25"):
            add(
                "dispute",
                village="李家湾村",
                category="land",
                summary="地界",
                handler="王",
                found=found,
            )
        add("case", kind="criminal", village="李家湾村", summary="盗窃", date="2026-03-01")
        add(
            "person",
            category="released",
            name="张三",
            id_number="34052419800101001X",
            village="李家湾村",
            listed="2026-10-01",
        )
        # 前进村: an open major hazard, one administrative case in the window and one just
        # before it.
        add(
            "hazard",
            village="前进村",
            area="geological",
            grade="major",
            description="滑坡",
            responsible="赵",
            found="2026-09-01",
        )
        for day in ("2025-11-01", "2025-10-31"):
            add("case", kind="administrative", village="前进村", summary="打架", date=day)
        # 城庄村: a petition breaking 零上访, every foundation, and a manual grade.
        add(
            "petition",
            village="城庄村",
            form="visit",
            level="city",
            summary="上访",
            date="2026-05-01",
        )
        subject.grade(lx, "城庄村", Grade.key, "镇党委研究决定")


def test_scores_and_parts(graded: None) -> None:
    data = run("report grading --format json").json()
    assert data["as_of"] == "2026-10-31"
    assert data["window"] == {"start": "2025-11-01", "end": "2026-10-31"}
    assert data["thresholds"] == {"key": 8.0, "general": 3.0}
    rows = {r["village"]: r for r in data["villages"]}
    li = rows["李家湾村"]
    assert li["score"] == 11.5
    assert {k: (v["count"], v["points"]) for k, v in li["parts"].items() if v["count"]} == {
        "open_disputes": (2, 4.0),
        "overdue_disputes": (1, 3.0),
        "criminal_cases": (1, 5.0),
        "key_persons": (1, 0.5),
        "mediation_committee": (1, -1.0),
    }
    assert (li["current"], li["proposed"], li["manual"]) == (None, "key", False)
    qj = rows["前进村"]
    assert qj["score"] == 5.0 and qj["parts"]["open_major_hazards"]["count"] == 1
    assert qj["parts"]["administrative_cases"]["count"] == 1  # 2025-10-31 is outside the window
    assert qj["proposed"] == "general"
    cz = rows["城庄村"]
    assert cz["score"] == 0.0 and cz["parts"]["breaking_petitions"]["points"] == 4.0
    assert (cz["current"], cz["by_score"], cz["proposed"], cz["manual"]) == (
        "key",
        "safe",
        "key",
        True,
    )
    assert rows["五和居"]["score"] == -1.0 and rows["五和居"]["proposed"] == "safe"
    assert data["distribution"] == {
        "current": {"key": 1, "general": 0, "safe": 0},
        "proposed": {"key": 2, "general": 1, "safe": 1},
    }
    assert {c["village"] for c in data["proposed_changes"]} == {"李家湾村", "前进村", "五和居"}
    rows = run("report grading --explain villages.李家湾村.score --format json").json()
    assert sum(r["points"] for r in rows) == 11.5
    assert run("report grading").out.count("李家湾村") >= 2


def test_thresholds_and_weights_come_from_policy(graded: None) -> None:
    run("config set threshold_key 12")
    run("config set weight_criminal_case 10")
    data = run("report grading --format json").json()
    li = next(r for r in data["villages"] if r["village"] == "李家湾村")
    assert li["score"] == 16.5 and li["proposed"] == "key"
    run("config set weight_criminal_case 5")
    li = next(
        r
        for r in run("report grading --format json").json()["villages"]
        if r["village"] == "李家湾村"
    )
    assert li["proposed"] == "general"


def test_apply_records_changes_and_keeps_manual_grades(graded: None) -> None:
    out = run("report grading --apply --format json")
    assert "recorded the grade of 3 villages" in out.err
    after = {r["village"]: r for r in out.json()["villages"]}
    assert after["李家湾村"]["current"] == "key" and after["前进村"]["current"] == "general"
    assert after["城庄村"]["current"] == "key" and after["城庄村"]["manual"] is True
    shown = run("subject show 李家湾村 --format json").json()
    assert shown["grade"] == "key" and shown["grade_manual"] is False
    history = shown["grade_history"]
    assert any(
        "score 11.5" in h["reason"] and "open disputes 2×2" in h["reason"] for h in history
    ), shown
    # A foundation is named by its heading, never its key (mediation_committee).
    assert "mediation committee 1×-1" in history[-1]["reason"]
    # Nothing changes a second time, and the manual grade was never touched.
    before = dump()
    assert "recorded the grade of 0 villages" in run("report grading --apply").err
    assert dump() == before
    assert run("subject show 城庄村 --format json").json()["grade_manual"] is True


def test_past_date_and_bad_input(graded: None) -> None:
    data = run("report grading --date 2026-09-30 --format json").json()
    li = next(r for r in data["villages"] if r["village"] == "李家湾村")
    assert li["score"] == 4.0 and li["proposed"] == "general"  # only the case; disputes came later
    cz = next(r for r in data["villages"] if r["village"] == "城庄村")
    assert cz["current"] is None  # the manual grade was given on 2026-10-31
    fail("report grading --apply --date 2026-09-30")
    fail("report grading --date 2026-11-01")
    fail("report grading --apply --explain distribution.current.key", code=2)
    fail("report grading --town 无此镇")


def test_a_reason_in_chinese_names_every_part(graded: None) -> None:
    run("--lang", "zh", "report", "grading", "--apply")
    history = run("subject show 李家湾村 --format json").json()["grade_history"]
    assert history[-1]["reason"].startswith("评分 11.5（未化解纠纷 2×2；逾期纠纷 1×3；")
    assert history[-1]["reason"].endswith("；调委会 1×-1）")
