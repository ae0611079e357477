"""What keeps reports lean on a whole province, checked against the plain way of counting.

--by-town counts every town at once (q.per_town) instead of building each town's report; the
grades of the monthly report come from grading.summary; per-village explainers are built when
asked for (Explainers families). Each must give exactly what the plain way gives.
"""

from __future__ import annotations

import datetime as dt

from sanling import periods
from sanling.models import Dispute
from sanling.reports import queries as q


def test_lean_paths_give_the_plain_figures(two_towns: None) -> None:
    from sanling.commands.common import reading
    from sanling.reports import annual, by_town, grading, monthly, sweep

    with reading() as lx:
        # --by-town: each row is that town's own report.
        builds = [
            *[(monthly, periods.parse_month(m)) for m in ("2026-10", "2026-01", "2025-03")],
            *[(annual, y) for y in (2026, 2025)],
        ]
        for report, period in builds:
            built = report.build(lx, period, by_town=True)
            for row in built.payload["by_town"]:
                one = report.build(lx, period, town=row["town"]).payload
                assert row == {
                    "town": row["town"],
                    **{k: by_town.pick(one, path) for k, path in report.BY_TOWN.items()},
                }, (period, row["town"])
                assert f"by_town.{row['town']}.disputes_rate" in built.explainers

        # The monthly report's grades: the grading report's.
        for day in (dt.date(2026, 10, 31), dt.date(2025, 12, 31)):
            for t in (None, "城庄镇"):
                full = grading.build(lx, day, town=t)
                short = grading.summary(lx, day, town=t)
                assert short.payload["proposed_changes"] == full.payload["proposed_changes"]
                current = full.payload["distribution"]["current"]
                assert short.payload["distribution"]["current"] == current
                scoring = grading.Scoring(lx, q.Figures(lx, q.town_id(lx, t)), day)
                ids = {n: i for i, n, _t in q.villages(lx, q.town_id(lx, t), day)}
                for v in full.payload["villages"]:
                    assert scoring.score(ids[v["village"]]) == v["score"], v["village"]

        # Disjoint spans in one GROUP BY: the same as one count per span.
        fig = q.Figures(lx, None)
        spans = {
            m: periods.month(dt.date.fromisoformat(f"{m}-01"))
            for m in ("2025-11", "2025-12", "2026-01")
        }
        grouped = fig.spans("x", Dispute, Dispute.found, spans)
        for m, span in spans.items():
            alone = fig.counts("y", Dispute, [q.between(Dispute.found, span)], {"n": []})
            assert grouped[m] == alone["n"]

        # Explainer families: every key listed resolves, unknown ones do not.
        half = sweep.build(lx, dt.date(2026, 10, 31))
        keys = list(half.explainers)
        assert len(keys) == len(set(keys)) == len(half.explainers)
        names = [v["village"] for v in half.payload["by_village"]]
        for name in names:
            for k in ("disputes_found", "hazards_overdue"):
                assert f"by_village.{name}.{k}" in keys
                assert half.explain(f"by_village.{name}.{k}").rows is not None
        assert "前进村（安业乡）" in names  # a shared name is one village per key
        assert "by_village.nowhere.disputes_found" not in half.explainers
        assert f"by_village.{names[0]}.nothing" not in half.explainers
