"""Hand-written baselines: the reports' figures with plain SQL, `dispute add`, a plain CSV import.

    python -m benchmarks.baselines REPORT --db PATH_OR_URL [--date D] [--town T] [--core]
    python -m benchmarks.baselines add --db PATH_OR_URL --village V --town T ... --core
    python -m benchmarks.baselines import --db PATH --file disputes.csv

Each report baseline computes the figures of the matching `sanling report` (JSON keys as in
docs/cli.md, the same as-of rules as sanling/reports/queries.py and the default policy)
with plain SQL and prints them as JSON: no ORM, no explainers, no rendering. The smoke test
checks that its figures equal sanling's, so the two do the same work.

`--core` is the baseline the targets are measured against: the script first imports what
sanling is built on (SQLAlchemy, Typer, Pydantic, Rich) and sends the same SQL through an
SQLAlchemy Core connection; without it the SQL goes through the bare `sqlite3` module (or
psycopg for a PostgreSQL URL), the floor of the work itself. `add` is `sanling dispute add`
written by hand: the same statements (schema revision, town and village, settings, reference
counter, the insert, the hash-chained audit entry, the record read back), printed with Rich.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sanling.collate import name_key

TODAY = dt.date(2026, 10, 31)
LEVELS = ("town", "county", "city", "province", "national")
KINDS = ("village", "community", "unit", "enterprise")
CATEGORIES = (  # the Ministry of Justice's people's-mediation categories (migration 0002)
    "marriage_family",
    "neighbour",
    "housing_land",
    "contract",
    "business",
    "damage",
    "land",
    "compensation",
    "environment",
    "labour",
    "medical",
    "property",
    "traffic",
    "village_affairs",
    "other",
)
AREAS = ("geological", "chemicals", "road", "forest_fire", "building", "fire", "other")
PERSON_CATEGORIES = ("released", "drug", "mental", "petitioner", "other")
# The default policy (config.Policy).
WEIGHTS = {
    "open_disputes": 2.0,
    "overdue_disputes": 3.0,
    "open_hazards": 2.0,
    "open_major_hazards": 5.0,
    "criminal_cases": 5.0,
    "administrative_cases": 1.0,
    "breaking_petitions": 4.0,
    "open_backlog": 3.0,
    "key_persons": 0.5,
    "open_hotspots": 3.0,
}
CREDITS = {"mediation_committee": 1.0, "patrol_team": 1.0, "video": 1.0, "police_office": 1.0}
THRESHOLD_KEY, THRESHOLD_GENERAL = 8.0, 3.0


class DB:
    """A connection taking `?` parameters on SQLite and PostgreSQL: DB-API, or SQLAlchemy Core."""

    def __init__(self, url: str, *, core: bool = False, autocommit: bool = False) -> None:
        self.pg = "://" in url and not url.startswith("sqlite")
        self.core = core
        if core:
            from sqlalchemy import create_engine

            engine = create_engine(
                url if "://" in url else f"sqlite:///{url}",
                # `add` says BEGIN IMMEDIATE and COMMIT itself, as sanling's writers do.
                isolation_level="AUTOCOMMIT" if autocommit else None,
            )
            self.conn: Any = engine.connect()
        elif self.pg:
            import psycopg

            self.conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        else:
            import sqlite3

            self.conn = sqlite3.connect(url.split("sqlite:///", 1)[-1])
            if autocommit:
                self.conn.isolation_level = None

    def all(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        if self.pg:
            sql = sql.replace("?", "%s")
        values = tuple(p.isoformat() if isinstance(p, dt.date) else p for p in params)
        if self.core:
            result = self.conn.exec_driver_sql(sql, values)
            return [tuple(row) for row in result] if result.returns_rows else []
        cur = self.conn.cursor()
        cur.execute(sql, values)
        return list(cur.fetchall())

    def one(self, sql: str, *params: Any) -> tuple[Any, ...]:
        return self.all(sql, *params)[0]


# ---- as-of rules (reports/queries.py), as SQL text with ? for the date ----------------------
D_RESOLVED = "(d.resolved_on IS NOT NULL AND d.resolved_on <= ?)"
D_OPEN = (
    "(d.found <= ? AND (d.resolved_on IS NULL OR d.resolved_on > ?) "
    "AND (d.referred_on IS NULL OR d.referred_on > ?))"
)
D_OVERDUE = f"({D_OPEN} AND d.deadline < ?)"
H_DONE = "COALESCE(h.rectified_on, h.closed_on)"
H_RECTIFIED = f"({H_DONE} IS NOT NULL AND {H_DONE} <= ?)"
H_OPEN = f"(h.found <= ? AND ({H_DONE} IS NULL OR {H_DONE} > ?))"
H_OVERDUE = f"({H_OPEN} AND h.deadline < ?)"
ACTIVE = "(s.active OR (s.retired_on IS NOT NULL AND s.retired_on > ?))"
LISTED = "(p.listed <= ? AND (p.delisted IS NULL OR p.delisted > ?))"
PET_BREAKS = (
    "(pe.level IN ('city','province','national') OR (pe.people >= 5 AND pe.level IN "
    "('county','city','province','national')) OR pe.abnormal)"
)
ACC_BREAKS = "(a.deaths > 0 OR a.serious_injuries > 0)"
CASE_BREAKS = "(c.kind = 'criminal' OR (c.kind = 'administrative' AND c.major))"


def sums(conds: dict[str, tuple[str, list[Any]]]) -> tuple[str, list[Any]]:
    """SUM(CASE ...) columns and their parameters, in order."""
    cols, params = [], []
    for cond, ps in conds.values():
        cols.append(f"COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0)")
        params += ps
    return ", ".join(cols), params


def rate(part: int, whole: int) -> float | None:
    if not whole:
        return None
    return float(
        (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    )


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    first = dt.date(index // 12, index % 12 + 1, 1)
    return first.replace(day=min(day.day, month_end(first).day))


def last_year(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    def back(d: dt.date) -> dt.date:
        return d.replace(
            year=d.year - 1, day=min(d.day, month_end(d.replace(day=1, year=d.year - 1)).day)
        )

    s, e = back(start), back(end)
    return s, month_end(e) if end == month_end(end) else e


def town_scope(db: DB, town: str | None, alias: str) -> tuple[str, list[Any]]:
    if not town:
        return "", []
    (tid,) = db.one("SELECT id FROM towns WHERE name = ?", town)
    return f" AND {alias}.town_id = ?", [tid]


def village_labels(db: DB) -> dict[int, str]:
    """Every village's name as sanling's lists show it: `name（town）` where two towns share it."""
    rows = db.all(
        "SELECT s.id, s.name, t.name FROM subjects s JOIN towns t ON t.id = s.town_id "
        "WHERE s.kind IN ('village','community')"
    )
    seen: dict[str, int] = {}
    for _i, n, _t in rows:
        seen[n] = seen.get(n, 0) + 1
    return {i: f"{n}（{t}）" if seen[n] > 1 else n for i, n, t in rows}


def villages(db: DB, town: str | None, as_of: dt.date) -> list[tuple[int, str]]:
    scope, ps = town_scope(db, town, "s")
    rows = db.all(
        "SELECT s.id, s.name, t.name FROM subjects s JOIN towns t ON t.id = s.town_id "
        f"WHERE s.kind IN ('village','community') AND {ACTIVE}{scope} ORDER BY t.name, s.name",
        as_of,
        *ps,
    )
    # Towns, then names, in pinyin order (sanling.collate: what every report lists by).
    rows = sorted(rows, key=lambda r: (name_key(r[2]), name_key(r[1])))
    seen: dict[str, int] = {}
    for _i, n, _t in rows:
        seen[n] = seen.get(n, 0) + 1
    return [(i, f"{n}（{t}）" if seen[n] > 1 else n) for i, n, t in rows]


# ---- bulletin ------------------------------------------------------------------------------
def bulletin(db: DB, day: dt.date, town: str | None) -> dict[str, Any]:
    if town:
        (tid,) = db.one("SELECT id FROM towns WHERE name = ?", town)
    else:
        (tid,) = db.one("SELECT MIN(id) FROM towns")
    ytd = day.replace(month=1, day=1)
    conds = {
        "new": ("d.found = ?", [day]),
        "resolved": ("d.resolved_on = ?", [day]),
        "open": (D_OPEN, [day] * 3),
        "overdue": (D_OVERDUE, [day] * 4),
        "found_ytd": ("(d.found >= ? AND d.found <= ?)", [ytd, day]),
        "resolved_ytd": (f"(d.found >= ? AND d.found <= ? AND {D_RESOLVED})", [ytd, day, day]),
    }
    cols, ps = sums(conds)
    counted = {
        r[0]: dict(zip(conds, (int(x) for x in r[1:]), strict=True))
        for r in db.all(
            f"SELECT d.village_id, {cols} FROM disputes d WHERE d.town_id = ? AND d.found <= ? "
            "GROUP BY d.village_id",
            *ps,
            tid,
            day,
        )
    }
    rows = []
    for vid, name, active in db.all(
        "SELECT id, name, active FROM subjects WHERE town_id = ? "
        "AND kind IN ('village','community') ORDER BY id",
        tid,
    ):
        c = counted.get(vid, dict.fromkeys(conds, 0))
        if not active and not any(c.values()):
            continue
        rows.append({"village": name, **c, "rate_ytd": rate(c["resolved_ytd"], c["found_ytd"])})
    rows.sort(key=lambda r: name_key(r["village"]))  # pinyin order, as the bulletin lists them
    totals: dict[str, Any] = {k: sum(r[k] for r in rows) for k in conds}
    totals["rate_ytd"] = rate(totals["resolved_ytd"], totals["found_ytd"])
    overdue = [
        {
            "ref": ref,
            "village": v,
            "handler": h,
            "deadline": dl,
            "days_overdue": (day - dt.date.fromisoformat(str(dl))).days,
        }
        for ref, v, h, dl in db.all(
            "SELECT d.ref, s.name, d.handler, d.deadline FROM disputes d JOIN subjects s "
            f"ON s.id = d.village_id WHERE d.town_id = ? AND d.found <= ? AND {D_OVERDUE} "
            "ORDER BY d.deadline, d.ref",
            tid,
            day,
            *[day] * 4,
        )
    ]
    return {"date": day, "villages": rows, "totals": totals, "overdue": overdue}


# ---- sweep ---------------------------------------------------------------------------------
def sweep(db: DB, day: dt.date, town: str | None) -> dict[str, Any]:
    start = day.replace(day=1) if day.day <= 15 else day.replace(day=16)
    end = day.replace(day=15) if day.day <= 15 else month_end(day)
    as_of = min(end, TODAY)
    span_end = min(end, as_of)
    ss, sps = town_scope(db, town, "s")
    swept = (
        "EXISTS (SELECT 1 FROM sweeps w WHERE w.subject_id = s.id AND w.date >= ? AND w.date <= ?)"
    )
    by_kind: dict[str, Any] = {}
    for kind, n, k in db.all(
        f"SELECT s.kind, COUNT(*), COALESCE(SUM(CASE WHEN {swept} THEN 1 ELSE 0 END), 0) "
        f"FROM subjects s WHERE {ACTIVE}{ss} GROUP BY s.kind",
        start,
        span_end,
        as_of,
        *sps,
    ):
        by_kind[kind] = {"subjects": int(n), "swept": int(k), "rate": rate(int(k), int(n))}
    for kind in KINDS:
        by_kind.setdefault(kind, {"subjects": 0, "swept": 0, "rate": None})
    total = sum(v["subjects"] for v in by_kind.values())
    done = sum(v["swept"] for v in by_kind.values())
    unswept = [
        n
        for n, _kind in sorted(
            db.all(
                f"SELECT s.name, s.kind FROM subjects s WHERE {ACTIVE}{ss} AND NOT {swept}",
                as_of,
                *sps,
                start,
                span_end,
            ),
            key=lambda r: (r[1], name_key(r[0])),
        )
    ]
    ws, wps = town_scope(db, town, "w")
    sweeps, zero = db.one(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM disputes d WHERE "
        "d.sweep_id = w.id) "
        "AND NOT EXISTS (SELECT 1 FROM hazards h WHERE h.sweep_id = w.id) THEN 1 ELSE 0 END), 0) "
        f"FROM sweeps w WHERE w.date >= ? AND w.date <= ?{ws}",
        start,
        span_end,
        *wps,
    )
    ds, dps = town_scope(db, town, "d")
    d_conds = {
        "found": ("1=1", []),
        "resolved": (D_RESOLVED, [as_of]),
        "open": (D_OPEN, [as_of] * 3),
        "overdue": (D_OVERDUE, [as_of] * 4),
    }
    cols, ps = sums(d_conds)
    disputes: dict[str, Any] = dict(
        zip(
            d_conds,
            map(
                int,
                db.one(
                    f"SELECT {cols} FROM disputes d WHERE d.found >= ? AND d.found <= ?{ds}",
                    *ps,
                    start,
                    span_end,
                    *dps,
                ),
            ),
            strict=True,
        )
    )
    disputes["rate"] = rate(disputes["resolved"], disputes["found"])
    cats = dict(
        db.all(
            f"SELECT d.category, COUNT(*) FROM disputes d WHERE d.found >= ? AND d.found <= ?{ds} "
            "GROUP BY d.category",
            start,
            span_end,
            *dps,
        )
    )
    disputes["by_category"] = {c: int(cats.get(c, 0)) for c in CATEGORIES}
    hs, hps = town_scope(db, town, "h")
    h_conds = {
        "found": ("1=1", []),
        "rectified": (H_RECTIFIED, [as_of]),
        "open": (H_OPEN, [as_of] * 2),
        "overdue": (H_OVERDUE, [as_of] * 3),
    }
    hcols, hps2 = sums(h_conds)
    hazards: dict[str, Any] = dict(
        zip(
            h_conds,
            map(
                int,
                db.one(
                    f"SELECT {hcols} FROM hazards h WHERE h.found >= ? AND h.found <= ?{hs}",
                    *hps2,
                    start,
                    span_end,
                    *hps,
                ),
            ),
            strict=True,
        )
    )
    hazards["rate"] = rate(hazards["rectified"], hazards["found"])
    areas = dict(
        db.all(
            f"SELECT h.area, COUNT(*) FROM hazards h WHERE h.found >= ? AND h.found <= ?{hs} "
            "GROUP BY h.area",
            start,
            span_end,
            *hps,
        )
    )
    hazards["by_area"] = {a: int(areas.get(a, 0)) for a in AREAS}
    d_by = {
        r[0]: r[1:]
        for r in db.all(
            f"SELECT d.village_id, {cols} FROM disputes d WHERE d.found >= ? "
            f"AND d.found <= ?{ds} GROUP BY d.village_id",
            *ps,
            start,
            span_end,
            *dps,
        )
    }
    h_by = {
        r[0]: r[1:]
        for r in db.all(
            f"SELECT h.village_id, {hcols} FROM hazards h WHERE h.found >= ? "
            f"AND h.found <= ?{hs} GROUP BY h.village_id",
            *hps2,
            start,
            span_end,
            *hps,
        )
    }
    by_village = []
    for vid, name in villages(db, town, as_of):
        d = d_by.get(vid, (0,) * 4)
        h = h_by.get(vid, (0,) * 4)
        by_village.append(
            {
                "village": name,
                **{f"disputes_{k}": int(v) for k, v in zip(d_conds, d, strict=True)},
                **{f"hazards_{k}": int(v) for k, v in zip(h_conds, h, strict=True)},
            }
        )
    overdue_d = db.all(
        "SELECT d.ref, s.name, d.handler, d.deadline FROM disputes d JOIN subjects s ON "
        f"s.id = d.village_id WHERE d.found >= ? AND d.found <= ? AND {D_OVERDUE}{ds} "
        "ORDER BY d.deadline, d.ref",
        start,
        span_end,
        *[as_of] * 4,
        *dps,
    )
    overdue_h = db.all(
        "SELECT h.ref, s.name, h.responsible, h.deadline FROM hazards h JOIN subjects s ON "
        f"s.id = h.village_id WHERE h.found >= ? AND h.found <= ? AND {H_OVERDUE}{hs} "
        "ORDER BY h.deadline, h.ref",
        start,
        span_end,
        *[as_of] * 3,
        *hps,
    )
    return {
        "period": {"start": start, "end": end},
        "as_of": as_of,
        "coverage": {
            "subjects": total,
            "swept": done,
            "rate": rate(done, total),
            "by_kind": by_kind,
            "unswept": unswept,
        },
        "sweeps": int(sweeps),
        "zero_reports": int(zero),
        "disputes": disputes,
        "hazards": hazards,
        "by_village": by_village,
        "overdue_disputes": [r[0] for r in overdue_d],
        "overdue_hazards": [r[0] for r in overdue_h],
    }


# ---- grading -------------------------------------------------------------------------------
def grading(db: DB, day: dt.date, town: str | None) -> dict[str, Any]:
    win_start = shift_months(day, -12) + dt.timedelta(days=1)
    parts = {
        "open_disputes": ("disputes d", "d", D_OPEN, [day] * 3),
        "overdue_disputes": ("disputes d", "d", D_OVERDUE, [day] * 4),
        "open_hazards": ("hazards h", "h", f"{H_OPEN} AND h.grade = 'general'", [day] * 2),
        "open_major_hazards": ("hazards h", "h", f"{H_OPEN} AND h.grade = 'major'", [day] * 2),
        "criminal_cases": (
            "cases c",
            "c",
            "c.date >= ? AND c.date <= ? AND c.kind = 'criminal'",
            [win_start, day],
        ),
        "administrative_cases": (
            "cases c",
            "c",
            "c.date >= ? AND c.date <= ? AND c.kind = 'administrative'",
            [win_start, day],
        ),
        "breaking_petitions": (
            "petitions pe",
            "pe",
            f"pe.date >= ? AND pe.date <= ? AND {PET_BREAKS}",
            [win_start, day],
        ),
        "open_backlog": (
            "backlog_cases b",
            "b",
            "b.assigned_on <= ? AND (b.outcome != 'settled' OR b.outcome IS NULL OR "
            "COALESCE(b.outcome_on, b.closed_on) > ?)",
            [day, day],
        ),
        "key_persons": ("persons p", "p", LISTED, [day, day]),
        "open_hotspots": (
            "hotspots o",
            "o",
            "o.found <= ? AND (o.rectified_on IS NULL OR o.rectified_on > ?)",
            [day, day],
        ),
    }
    counts: dict[str, dict[int, int]] = {}
    for key, (table, alias, cond, ps) in parts.items():
        scope, sps = town_scope(db, town, alias)
        counts[key] = {
            v: int(n)
            for v, n in db.all(
                f"SELECT {alias}.village_id, COUNT(*) FROM {table} WHERE {cond}{scope} GROUP "
                f"BY {alias}.village_id",
                *ps,
                *sps,
            )
        }
    vills = villages(db, town, day)
    found = {
        r[0]: r[1:]
        for r in db.all(
            "SELECT s.id, s.mediation_committee, s.patrol_team, s.video, s.police_office FROM "
            "subjects s "
            "WHERE s.kind IN ('village','community')"
        )
    }
    current = {
        sid: (g, bool(m))
        for sid, g, m in db.all(
            "SELECT g.subject_id, g.grade, g.manual FROM grade_history g JOIN (SELECT "
            "subject_id, MAX(id) AS gid "
            "FROM grade_history WHERE date <= ? GROUP BY subject_id) l ON l.gid = g.id",
            day,
        )
    }
    rows = []
    for vid, name in vills:
        points = Decimal(0)
        part_counts = {}
        for key in parts:
            n = counts[key].get(vid, 0)
            part_counts[key] = n
            points += (Decimal(str(WEIGHTS[key])) * n).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
        for f, has in zip(CREDITS, found.get(vid, (0, 0, 0, 0)), strict=True):
            if has:
                points -= Decimal(str(CREDITS[f]))
        score = float(points)
        by_score = (
            "key" if score >= THRESHOLD_KEY else "general" if score >= THRESHOLD_GENERAL else "safe"
        )
        grade, manual = current.get(vid, (None, False))
        rows.append(
            {
                "village": name,
                "score": score,
                "parts": part_counts,
                "current": grade,
                "proposed": grade if manual and grade is not None else by_score,
                "manual": manual,
            }
        )
    dist = {
        w: {g: sum(1 for r in rows if r[w] == g) for g in ("key", "general", "safe")}
        for w in ("current", "proposed")
    }
    changes = [
        {
            "village": r["village"],
            "current": r["current"],
            "proposed": r["proposed"],
            "score": r["score"],
        }
        for r in rows
        if r["proposed"] != r["current"]
    ]
    return {"as_of": day, "villages": rows, "distribution": dist, "proposed_changes": changes}


# ---- monthly -------------------------------------------------------------------------------
def monthly(db: DB, day: dt.date, town: str | None) -> dict[str, Any]:
    first, last_day = day.replace(day=1), month_end(day)
    as_of = min(last_day, TODAY)
    span = (first, as_of)
    prev_first = (first - dt.timedelta(days=1)).replace(day=1)
    if as_of == last_day:
        prev = (prev_first, month_end(prev_first))
        ly = last_year(first, last_day)
    else:
        prev = (prev_first, min(month_end(prev_first), prev_first + (as_of - first)))
        ly = last_year(*span)
    ds, dps = town_scope(db, town, "d")
    d = {}
    d["found"], d["resolved"] = map(
        int,
        db.one(
            f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {D_RESOLVED} THEN 1 ELSE 0 END), 0) FROM "
            "disputes d "
            f"WHERE d.found >= ? AND d.found <= ?{ds}",
            as_of,
            *span,
            *dps,
        ),
    )
    d["rate"] = rate(d["resolved"], d["found"])
    d["open_at_end"], d["overdue"] = map(
        int,
        db.one(
            f"SELECT COALESCE(SUM(CASE WHEN {D_OPEN} THEN 1 ELSE 0 END), 0), "
            f"COALESCE(SUM(CASE WHEN {D_OVERDUE} THEN 1 ELSE 0 END), 0) FROM disputes d WHERE "
            f"1=1{ds}",
            *[as_of] * 7,
            *dps,
        ),
    )
    for key, (a, b) in (("found_prev_month", prev), ("found_last_year", ly)):
        (d[key],) = db.one(
            f"SELECT COUNT(*) FROM disputes d WHERE d.found >= ? AND d.found <= ?{ds}", a, b, *dps
        )
    for key, (a, b) in (("by_category", span), ("by_category_prev_month", prev)):
        got = dict(
            db.all(
                "SELECT d.category, COUNT(*) FROM disputes d WHERE d.found >= ? AND d.found "
                f"<= ?{ds} "
                "GROUP BY d.category",
                a,
                b,
                *dps,
            )
        )
        d[key] = {c: int(got.get(c, 0)) for c in CATEGORIES}
    v_conds = {
        "found": ("(d.found >= ? AND d.found <= ?)", [*span]),
        "resolved": (f"(d.found >= ? AND d.found <= ? AND {D_RESOLVED})", [*span, as_of]),
        "open": (D_OPEN, [as_of] * 3),
        "overdue": (D_OVERDUE, [as_of] * 4),
    }
    cols, ps = sums(v_conds)
    per = {
        r[0]: r[1:]
        for r in db.all(
            f"SELECT d.village_id, {cols} FROM disputes d WHERE 1=1{ds} GROUP BY d.village_id",
            *ps,
            *dps,
        )
    }
    vills = villages(db, town, as_of)
    d["by_village"] = [
        {"village": n, **dict(zip(v_conds, map(int, per.get(v, (0,) * 4)), strict=True))}
        for v, n in vills
    ]
    hs, hps = town_scope(db, town, "h")
    h = {}
    h["found"], h["rectified"] = map(
        int,
        db.one(
            f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {H_RECTIFIED} THEN 1 ELSE 0 END), 0) "
            "FROM hazards h "
            f"WHERE h.found >= ? AND h.found <= ?{hs}",
            as_of,
            *span,
            *hps,
        ),
    )
    h["rate"] = rate(h["rectified"], h["found"])
    long_day = as_of - dt.timedelta(days=30)
    h["open_at_end"], h["overdue"], h["overdue_long"] = map(
        int,
        db.one(
            f"SELECT COALESCE(SUM(CASE WHEN {H_OPEN} THEN 1 ELSE 0 END), 0), "
            f"COALESCE(SUM(CASE WHEN {H_OVERDUE} THEN 1 ELSE 0 END), 0), "
            f"COALESCE(SUM(CASE WHEN {H_OPEN} AND h.deadline < ? THEN 1 ELSE 0 END), 0) FROM "
            f"hazards h WHERE 1=1{hs}",
            *[as_of] * 7,
            long_day,
            *hps,
        ),
    )
    for key, (a, b) in (("found_prev_month", prev), ("found_last_year", ly)):
        (h[key],) = db.one(
            f"SELECT COUNT(*) FROM hazards h WHERE h.found >= ? AND h.found <= ?{hs}", a, b, *hps
        )
    got = dict(
        db.all(
            f"SELECT h.area, COUNT(*) FROM hazards h WHERE h.found >= ? AND h.found <= ?{hs} "
            "GROUP BY h.area",
            *span,
            *hps,
        )
    )
    h["by_area"] = {a: int(got.get(a, 0)) for a in AREAS}
    pa_s, pa_ps = town_scope(db, town, "pa")
    patrols: dict[str, Any] = {}
    for key, (a, b) in (("count", span), ("count_prev_month", prev), ("count_last_year", ly)):
        (patrols[key],) = db.one(
            f"SELECT COUNT(*) FROM patrols pa WHERE pa.date >= ? AND pa.date <= ?{pa_s}",
            a,
            b,
            *pa_ps,
        )
    (minutes,) = db.one(
        f"SELECT COALESCE(SUM(pa.minutes), 0) FROM patrols pa WHERE pa.date >= ? "
        f"AND pa.date <= ?{pa_s}",
        *span,
        *pa_ps,
    )
    patrols["hours"] = float(
        (Decimal(int(minutes)) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    )
    ss, sps = town_scope(db, town, "s")
    labels = village_labels(db)  # a name two towns share says its town
    patrols["villages_without_patrol"] = sorted(
        (
            labels[i]
            for (i,) in db.all(
                "SELECT s.id FROM subjects s WHERE s.kind IN ('village','community') AND "
                f"{ACTIVE}{ss} AND s.id NOT IN "
                "(SELECT pv.village_id FROM patrol_villages pv JOIN patrols pa "
                "ON pa.id = pv.patrol_id WHERE pa.date >= ? AND pa.date <= ?)",
                as_of,
                *sps,
                *span,
            )
        ),
        key=name_key,
    )
    cases: dict[str, Any] = {}
    petitions: dict[str, Any] = {}
    accidents: dict[str, Any] = {}
    cs, cps = town_scope(db, town, "c")
    pes, peps = town_scope(db, town, "pe")
    acs, acps = town_scope(db, town, "a")
    for suffix, (a, b) in (("", span), ("_prev_month", prev), ("_last_year", ly)):
        cases[f"criminal{suffix}"], cases[f"administrative{suffix}"] = map(
            int,
            db.one(
                "SELECT COALESCE(SUM(CASE WHEN c.kind = 'criminal' THEN 1 ELSE 0 END), 0), "
                "COALESCE(SUM(CASE WHEN c.kind = 'administrative' THEN 1 ELSE 0 END), 0) FROM "
                "cases c "
                f"WHERE c.date >= ? AND c.date <= ?{cs}",
                a,
                b,
                *cps,
            ),
        )
        petitions[f"total{suffix}"], petitions[f"breaking{suffix}"] = map(
            int,
            db.one(
                f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {PET_BREAKS} THEN 1 ELSE 0 END), 0) "
                "FROM petitions pe "
                f"WHERE pe.date >= ? AND pe.date <= ?{pes}",
                a,
                b,
                *peps,
            ),
        )
        accidents[f"total{suffix}"], accidents[f"breaking{suffix}"] = map(
            int,
            db.one(
                f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {ACC_BREAKS} THEN 1 ELSE 0 END), 0) "
                "FROM accidents a "
                f"WHERE a.date >= ? AND a.date <= ?{acs}",
                a,
                b,
                *acps,
            ),
        )
    ps_, pps = town_scope(db, town, "p")
    since = (
        "COALESCE((SELECT MAX(v.date) FROM person_visits v WHERE v.person_id = p.id AND v.date "
        "<= ?), "
        "p.listed)"
    )
    total, overdue = map(
        int,
        db.one(
            f"SELECT COALESCE(SUM(CASE WHEN {LISTED} THEN 1 ELSE 0 END), 0), "
            f"COALESCE(SUM(CASE WHEN {LISTED} AND (CASE WHEN p.risk >= 3 THEN {since} < ? ELSE "
            f"{since} < ? END) "
            f"THEN 1 ELSE 0 END), 0) FROM persons p WHERE 1=1{ps_}",
            as_of,
            as_of,
            as_of,
            as_of,
            as_of,
            as_of - dt.timedelta(days=7),
            as_of,
            as_of - dt.timedelta(days=30),
            *pps,
        ),
    )
    graded = grading(db, as_of, town)
    trend = []
    for i in range(11, -1, -1):
        m = shift_months(first, -i)
        a, b = m, min(month_end(m), as_of)
        found, resolved = map(
            int,
            db.one(
                "SELECT (SELECT COUNT(*) FROM disputes d WHERE d.found >= ? AND d.found <= "
                f"?{ds}), "
                "(SELECT COUNT(*) FROM disputes d WHERE d.resolved_on >= ? AND d.resolved_on "
                f"<= ?{ds})",
                a,
                b,
                *dps,
                a,
                b,
                *dps,
            ),
        )
        trend.append({"month": f"{m:%Y-%m}", "found": found, "resolved": resolved})
    return {
        "month": f"{first:%Y-%m}",
        "as_of": as_of,
        "disputes": d,
        "hazards": h,
        "patrols": patrols,
        "cases": cases,
        "petitions": petitions,
        "accidents": accidents,
        "key_persons": {"total": total, "visits_overdue": overdue},
        "grading": {
            "current": graded["distribution"]["current"],
            "proposed_changes": graded["proposed_changes"],
        },
        "trend": trend,
        "breaking": breaking(db, town, *span),
    }


def breaking(db: DB, town: str | None, a: dt.date, b: dt.date) -> list[str]:
    out = []
    for table, alias, cond in (
        ("petitions pe", "pe", PET_BREAKS),
        ("accidents a", "a", ACC_BREAKS),
        ("cases c", "c", CASE_BREAKS),
    ):
        scope, ps = town_scope(db, town, alias)
        out += db.all(
            f"SELECT {alias}.ref, COALESCE({alias}.subject_id, {alias}.village_id), {alias}.date "
            f"FROM {table} WHERE {cond} AND {alias}.date >= ? AND {alias}.date <= ?{scope}",
            a,
            b,
            *ps,
        )
    return [r[0] for r in sorted(out, key=lambda r: (str(r[2]), r[0]))]


# ---- annual --------------------------------------------------------------------------------
def annual(db: DB, day: dt.date, town: str | None) -> dict[str, Any]:
    year = day.year
    as_of = min(dt.date(year, 12, 31), TODAY)
    span = (dt.date(year, 1, 1), as_of)
    ly = last_year(*span)
    ss, sps = town_scope(db, town, "s")
    broken_any = (
        "s.id IN ("
        + " UNION ALL ".join(
            f"SELECT COALESCE({al}.subject_id, {al}.village_id) FROM {table} WHERE {cond} "
            f"AND {al}.date >= ? AND {al}.date <= ?"
            for table, al, cond in (
                ("petitions pe", "pe", PET_BREAKS),
                ("accidents a", "a", ACC_BREAKS),
                ("cases c", "c", CASE_BREAKS),
            )
        )
        + ")"
    )
    subjects = dict.fromkeys(KINDS, 0)
    achieved = dict.fromkeys(KINDS, 0)
    for kind, n, k in db.all(
        f"SELECT s.kind, COUNT(*), COALESCE(SUM(CASE WHEN NOT ({broken_any}) THEN 1 ELSE 0 "
        "END), 0) "
        f"FROM subjects s WHERE {ACTIVE}{ss} GROUP BY s.kind",
        *[*span] * 3,
        as_of,
        *sps,
    ):
        subjects[kind], achieved[kind] = int(n), int(k)
    subjects["total"] = sum(subjects[k] for k in KINDS)
    achieved["total"] = sum(achieved[k] for k in KINDS)
    ds, dps = town_scope(db, town, "d")
    d_conds = {
        "found": ("1=1", []),
        "resolved": (D_RESOLVED, [as_of]),
        "open": (D_OPEN, [as_of] * 3),
        "overdue": (D_OVERDUE, [as_of] * 4),
    }
    cols, ps = sums(d_conds)
    disputes: dict[str, Any] = dict(
        zip(
            d_conds,
            map(
                int,
                db.one(
                    f"SELECT {cols} FROM disputes d WHERE d.found >= ? AND d.found <= ?{ds}",
                    *ps,
                    *span,
                    *dps,
                ),
            ),
            strict=True,
        )
    )
    disputes["rate"] = rate(disputes["resolved"], disputes["found"])
    bs, bps = town_scope(db, town, "b")
    assigned, closed, settled = map(
        int,
        db.one(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN b.closed_on IS NOT NULL AND b.closed_on "
            "<= ? THEN 1 ELSE 0 END), 0), "
            "COALESCE(SUM(CASE WHEN b.outcome = 'settled' AND COALESCE(b.outcome_on, "
            "b.closed_on) <= ? THEN 1 ELSE 0 END), 0) "
            f"FROM backlog_cases b WHERE b.assigned_on >= ? AND b.assigned_on <= ?{bs}",
            as_of,
            as_of,
            *span,
            *bps,
        ),
    )
    hs, hps = town_scope(db, town, "h")
    h_conds = {
        "found": ("1=1", []),
        "rectified": (H_RECTIFIED, [as_of]),
        "open": (H_OPEN, [as_of] * 2),
        "overdue": (H_OVERDUE, [as_of] * 3),
    }
    hcols, hps2 = sums(h_conds)
    hazards: dict[str, Any] = dict(
        zip(
            h_conds,
            map(
                int,
                db.one(
                    f"SELECT {hcols} FROM hazards h WHERE h.found >= ? AND h.found <= ?{hs}",
                    *hps2,
                    *span,
                    *hps,
                ),
            ),
            strict=True,
        )
    )
    hazards["rate"] = rate(hazards["rectified"], hazards["found"])
    areas = dict(
        db.all(
            f"SELECT h.area, COUNT(*) FROM hazards h WHERE h.found >= ? AND h.found <= ?{hs} "
            "GROUP BY h.area",
            *span,
            *hps,
        )
    )
    hazards["by_area"] = {a: int(areas.get(a, 0)) for a in AREAS}
    os_, ops = town_scope(db, town, "o")
    hot_found, hot_rect = map(
        int,
        db.one(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN o.rectified_on IS NOT NULL AND "
            "o.rectified_on <= ? THEN 1 ELSE 0 END), 0) "
            f"FROM hotspots o WHERE o.found >= ? AND o.found <= ?{os_}",
            as_of,
            *span,
            *ops,
        ),
    )
    cs, cps = town_scope(db, town, "c")
    cases: dict[str, Any] = {}
    for suffix, (a, b) in (("", span), ("_last_year", ly)):
        cases[f"criminal{suffix}"], cases[f"administrative{suffix}"] = map(
            int,
            db.one(
                "SELECT COALESCE(SUM(CASE WHEN c.kind = 'criminal' THEN 1 ELSE 0 END), 0), "
                "COALESCE(SUM(CASE WHEN c.kind = 'administrative' THEN 1 ELSE 0 END), 0) FROM "
                "cases c "
                f"WHERE c.date >= ? AND c.date <= ?{cs}",
                a,
                b,
                *cps,
            ),
        )
    pes, peps = town_scope(db, town, "pe")
    acs, acps = town_scope(db, town, "a")
    pet = dict(
        zip(
            ("total", "breaking"),
            map(
                int,
                db.one(
                    f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {PET_BREAKS} THEN 1 ELSE 0 END), "
                    "0) FROM petitions pe "
                    f"WHERE pe.date >= ? AND pe.date <= ?{pes}",
                    *span,
                    *peps,
                ),
            ),
            strict=True,
        )
    )
    acc = dict(
        zip(
            ("total", "breaking"),
            map(
                int,
                db.one(
                    f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {ACC_BREAKS} THEN 1 ELSE 0 END), "
                    "0) FROM accidents a "
                    f"WHERE a.date >= ? AND a.date <= ?{acs}",
                    *span,
                    *acps,
                ),
            ),
            strict=True,
        )
    )
    pa_s, pa_ps = town_scope(db, town, "pa")
    count, minutes = db.one(
        f"SELECT COUNT(*), COALESCE(SUM(pa.minutes), 0) FROM patrols pa WHERE pa.date >= ? "
        f"AND pa.date <= ?{pa_s}",
        *span,
        *pa_ps,
    )
    ps_, pps = town_scope(db, town, "p")
    got = dict(
        db.all(
            f"SELECT p.category, COUNT(*) FROM persons p WHERE {LISTED}{ps_} GROUP BY p.category",
            as_of,
            as_of,
            *pps,
        )
    )
    key_persons: dict[str, int] = {c: int(got.get(c, 0)) for c in PERSON_CATEGORIES}
    key_persons["total"] = sum(key_persons.values())
    vids = {v for v, _n in villages(db, town, as_of)}
    grades = dict.fromkeys(("key", "general", "safe"), 0)
    for sid, g in db.all(
        "SELECT g.subject_id, g.grade FROM grade_history g JOIN (SELECT subject_id, MAX(id) AS gid "
        "FROM grade_history WHERE date <= ? GROUP BY subject_id) l ON l.gid = g.id",
        as_of,
    ):
        if sid in vids:
            grades[g] += 1
    video, police, mediation, vcount = map(
        int,
        db.one(
            "SELECT COALESCE(SUM(CASE WHEN s.video THEN 1 ELSE 0 END), 0), "
            "COALESCE(SUM(CASE WHEN s.police_office THEN 1 ELSE 0 END), 0), "
            "COALESCE(SUM(CASE WHEN s.mediation_committee THEN 1 ELSE 0 END), 0), COUNT(*) "
            f"FROM subjects s WHERE s.kind IN ('village','community') AND {ACTIVE}{ss}",
            as_of,
            *sps,
        ),
    )
    return {
        "year": year,
        "as_of": as_of,
        "subjects": subjects,
        "sanling": {
            "achieved": achieved,
            "rate": {k: rate(achieved[k], subjects[k]) for k in subjects},
            "broken_by": breaking(db, town, *span),
        },
        "disputes": disputes,
        "backlog": {"assigned": assigned, "closed": closed, "settled": settled},
        "hazards": hazards,
        "hotspots": {"found": hot_found, "rectified": hot_rect, "rate": rate(hot_rect, hot_found)},
        "cases": cases,
        "petitions": pet,
        "accidents": acc,
        "patrols": {
            "count": int(count),
            "hours": float(
                (Decimal(int(minutes)) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            ),
        },
        "key_persons": key_persons,
        "grades": grades,
        "foundations": {
            "video_coverage": video,
            "police_office": police,
            "mediation_committee": mediation,
            "villages": vcount,
        },
    }


# ---- import --------------------------------------------------------------------------------
def import_csv(path: str, file: str) -> int:
    """The CSV read with the csv module and inserted with executemany: the import's floor."""
    import sqlite3

    conn = sqlite3.connect(path)
    villages = {
        (t, v): (sid, tid)
        for sid, tid, v, t in conn.execute(
            "SELECT s.id, s.town_id, s.name, t.name FROM subjects s JOIN towns t ON t.id = "
            "s.town_id"
        )
    }
    counters = dict(
        ((p, y), n) for p, y, n in conn.execute("SELECT prefix, year, last FROM ref_counters")
    )
    rows = []
    with open(file, encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            sid, tid = villages[(r["town"], r["village"])]
            found = dt.date.fromisoformat(r["found"])
            days = 7 if r["risk"] == "high" else 15
            n = counters.get(("JF", found.year), 0) + 1
            counters[("JF", found.year)] = n
            rows.append(
                (
                    f"JF-{found.year}-{n:04d}",
                    tid,
                    sid,
                    found.isoformat(),
                    r["source"] or "visit",
                    r["category"],
                    r["summary"],
                    r["parties"] or None,
                    int(r["people"] or 2),
                    r["risk"],
                    r["handler"],
                    (found + dt.timedelta(days=days)).isoformat(),
                    "open",
                )
            )
    conn.executemany(
        "INSERT INTO disputes (ref, town_id, village_id, found, source, category, summary, "
        "parties, people, "
        "risk, handler, deadline, status, reviewed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0)",
        rows,
    )
    conn.executemany(
        "INSERT OR REPLACE INTO ref_counters (prefix, year, last) VALUES (?,?,?)",
        [(p, y, n) for (p, y), n in counters.items()],
    )
    conn.commit()
    conn.close()
    return len(rows)


# ---- dispute add ---------------------------------------------------------------------------
DISPUTE_COLUMNS = (
    "ref, town_id, village_id, found, source, category, summary, parties, people, risk, handler, "
    "deadline, status, reviewed"
)


def add_dispute(db: DB, args: argparse.Namespace) -> dict[str, Any]:
    """`sanling dispute add` by hand: its statements, in one BEGIN IMMEDIATE transaction."""
    import hashlib
    import os

    for pragma in ("foreign_keys=ON", "busy_timeout=30000", "journal_mode=WAL"):
        db.all(f"PRAGMA {pragma}")
    db.all("BEGIN IMMEDIATE")
    db.one("SELECT version_num FROM alembic_version")
    (tid,) = db.one("SELECT id FROM towns WHERE name = ?", args.town)
    (vid,) = db.one(
        "SELECT id FROM subjects WHERE name = ? AND town_id = ? AND kind IN "
        "('village','community')",
        args.village,
        tid,
    )
    settings = dict(db.all("SELECT key, value FROM settings"))
    key = "dispute_deadline_days_high" if args.risk == "high" else "dispute_deadline_days"
    days = int(settings.get(key) or (7 if args.risk == "high" else 15))
    found = dt.date.fromisoformat(args.date)
    (number,) = db.one(
        "INSERT INTO ref_counters (prefix, year, last) VALUES ('JF', ?, 1) ON CONFLICT "
        "(prefix, year) DO UPDATE SET last = ref_counters.last + 1 RETURNING last",
        found.year,
    )
    ref = f"JF-{found.year}-{number:04d}"
    deadline = found + dt.timedelta(days=days)
    values = (ref, tid, vid, found, "visit", args.category, args.summary, None, 2, args.risk)
    db.all(
        f"INSERT INTO disputes ({DISPUTE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'open',0)",
        *values,
        args.handler,
        deadline,
    )
    cur = db.all("SELECT * FROM disputes WHERE ref = ?", ref)
    names = [c.strip() for c in DISPUTE_COLUMNS.split(",")]
    after = {"id": cur[0][0], **dict(zip(names, values, strict=False))}
    after = json.loads(json.dumps(after, default=str))
    prev = db.all("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    operator = os.environ.get("SANLING_USER", "bench")
    body = json.dumps(
        [
            prev[0][0] if prev else "0" * 64,
            at.isoformat(),
            operator,
            "dispute.add",
            ref,
            None,
            after,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    db.all(
        'INSERT INTO audit_log (at, operator, action, ref, "before", "after", prev_hash, hash) '
        "VALUES (?,?,?,?,?,?,?,?)",
        at.isoformat(sep=" "),
        operator,
        "dispute.add",
        ref,
        "null",
        json.dumps(after),
        prev[0][0] if prev else "0" * 64,
        hashlib.sha256(body.encode()).hexdigest(),
    )
    record = db.one("SELECT * FROM disputes WHERE ref = ?", ref)
    db.all("SELECT * FROM dispute_notes WHERE dispute_id = ? ORDER BY date, id", record[0])
    db.all("SELECT * FROM subjects WHERE id = ?", vid)
    db.all("COMMIT")
    return {"ref": ref, "village": args.village, "found": found, "deadline": deadline}


def show_record(record: dict[str, Any]) -> None:
    """The record as a two-column table, printed by Rich as sanling prints it."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_header=False, box=None)
    for key, value in record.items():
        table.add_row(key, str(value))
    Console().print(table)


REPORTS = {
    "bulletin": bulletin,
    "sweep": sweep,
    "monthly": monthly,
    "grading": grading,
    "annual": annual,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.baselines",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("what", choices=[*REPORTS, "add", "import"])
    parser.add_argument("--db", required=True)
    parser.add_argument("--date", default=TODAY.isoformat())
    parser.add_argument("--town")
    parser.add_argument("--file")
    for name in ("village", "category", "summary", "handler"):
        parser.add_argument(f"--{name}")
    parser.add_argument("--risk", default="low")
    parser.add_argument(
        "--core",
        action="store_true",
        help="import SQLAlchemy, Typer, Pydantic and Rich first; SQL through SQLAlchemy Core",
    )
    args = parser.parse_args(argv)
    if args.core:
        import pydantic  # noqa: F401
        import rich  # noqa: F401
        import sqlalchemy  # noqa: F401
        import typer  # noqa: F401
    if args.what == "import":
        print(import_csv(args.db, args.file))
        return
    if args.what == "add":
        engine_db = DB(args.db, core=args.core, autocommit=True)
        show_record(add_dispute(engine_db, args))
        return
    db = DB(args.db, core=args.core)
    out = REPORTS[args.what](db, dt.date.fromisoformat(args.date), args.town)
    json.dump(out, sys.stdout, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
