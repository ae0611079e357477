"""The demo ledger reproduces the article's figures through the real reports, every run alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.helpers import run


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = run("--lang", "zh", "demo", "--db", str(path))
    assert "三零" in result.out and "演示台账已写入" in result.err
    return path


def _report(db: Path, *args: str) -> Any:
    return run("--db", str(db), "report", *args, "-f", "json").json()


def test_annual_reproduces_the_article(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANLING_TODAY", "2026-11-27")  # a later day: 2026 is still read as of today
    a = _report(demo_db, "annual", "--year", "2026")
    assert a["subjects"] == {
        "village": 27,
        "community": 3,
        "unit": 7,
        "enterprise": 88,
        "total": 125,
    }
    assert (a["disputes"]["found"], a["disputes"]["resolved"], a["disputes"]["rate"]) == (
        84,
        78,
        92.9,
    )
    assert a["backlog"]["assigned"] == 8
    assert (a["hazards"]["found"], a["hazards"]["rectified"], a["hazards"]["rate"]) == (
        92,
        89,
        96.7,
    )
    assert (a["hotspots"]["found"], a["hotspots"]["rectified"]) == (3, 3)
    assert a["cases"]["criminal"] == 0
    assert (a["cases"]["administrative"], a["cases"]["administrative_last_year"]) == (41, 50)
    assert a["cases"]["administrative_change"] == -18.0
    assert a["foundations"]["video_coverage"] == 4
    assert a["foundations"]["police_office"] == 1
    assert a["foundations"]["mediation_committee"] == 30
    assert a["grades"] == {"key": 5, "general": 7, "safe": 18}


def test_grades_come_from_the_grading_report(demo_db: Path) -> None:
    g = _report(demo_db, "grading", "--date", "2026-10-31")
    assert g["distribution"]["proposed"] == {"key": 5, "general": 7, "safe": 18}
    assert g["distribution"]["current"] == {"key": 5, "general": 7, "safe": 18}
    assert not any(v["manual"] for v in g["villages"])
    communities = {v["village"] for v in g["villages"]} & {"五和居", "柏林苑"}
    assert communities == {"五和居", "柏林苑"}


def test_demo_ledger_is_consistent_and_has_a_real_town(demo_db: Path) -> None:
    run("--db", str(demo_db), "db", "check")
    towns = run("--db", str(demo_db), "town", "list", "-f", "json").json()
    assert towns == [{"name": "城庄镇", "county": "临县", "households": 10298, "population": 30173}]
    villages = run(
        "--db", str(demo_db), "subject", "list", "--kind", "village", "-f", "json"
    ).json()
    villages += run(
        "--db", str(demo_db), "subject", "list", "--kind", "community", "-f", "json"
    ).json()
    assert sum(v["households"] for v in villages) == 10298
    assert sum(v["population"] for v in villages) == 30173
    assert all(v["mediation_committee"] for v in villages)


def test_demo_refuses_to_overwrite_without_force(demo_db: Path) -> None:
    r = run("demo", "--db", str(demo_db), code=1)
    assert "--force" in r.err


def _records(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table but the audit log's times and hashes (which record when it ran)."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        out = {}
        for table in inspect(conn).get_table_names():
            cols = "operator, action, ref, before, after" if table == "audit_log" else "*"
            out[table] = [tuple(r) for r in conn.execute(text(f"SELECT {cols} FROM {table}"))]
    engine.dispose()
    return out


def test_demo_is_the_same_on_every_run(demo_db: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.db"
    run("--lang", "zh", "demo", "--db", str(again))
    first, second = _records(demo_db), _records(again)
    assert first.keys() == second.keys()
    for table in first:
        assert first[table] == second[table], table
    run("--lang", "zh", "demo", "--db", str(again), "--force")
    assert _records(again)["disputes"] == first["disputes"]


def test_village_bulletin_examples_in_the_docs(demo_db: Path) -> None:
    """docs/bulletins.md shows what two villages' groups get from the demo: exactly that."""
    doc = (Path(__file__).parents[1] / "docs" / "bulletins.md").read_text(encoding="utf-8")
    shown = ["【" + b.split("```", 1)[0] for b in doc.split("```\n【")[1:]]
    assert len(shown) == 2
    for example in shown:
        village = example[1 : example.index("平安通报")]
        text = run(
            "--db",
            str(demo_db),
            "--lang",
            "zh",
            "report",
            "bulletin",
            "--village",
            village,
            "--date",
            "2026-10-30",
            "-f",
            "text",
        ).out
        assert text == example
    sent = run(
        "--db",
        str(demo_db),
        "--lang",
        "zh",
        "report",
        "bulletin",
        "--each-village",
        "--date",
        "2026-10-30",
    ).out
    assert sent.count("平安通报】") == 18  # the docs' count of villages with something to say
