"""A realistic ledger of a chosen size, built quickly and deterministically from a seed.

    python -m benchmarks.generate --size county --seed 1 --db bench-county.db
    python -m benchmarks.generate --size county --db postgresql+psycopg://postgres@127.0.0.1/bench

The schema comes from `sanling init` (Alembic, never create_all); the records are bulk
inserted with SQLAlchemy Core (executemany), year by year, so memory stays flat even for the
province. What `sanling db check` verifies holds: reference numbers PREFIX-YYYY-NNNN by date
with ref_counters at the last number, a record's town is its village's town, deadlines after
found dates, statuses that agree with their dates, and the audit hash chain (one "generate"
entry per table, chained with ledger.base.entry_hash). Key persons carry unique, valid
GB 11643 ID numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 10, 31)
BATCH = 20_000


@dataclass(frozen=True)
class Size:
    towns: int
    villages: int
    years: int
    disputes: int
    hazards: int
    patrols: int
    sweeps: int
    petitions: int
    backlog: int
    hotspots: int
    cases: int
    accidents: int
    persons: int
    visit_window_days: int  # key persons are visited over this many last days


SIZES = {
    "tiny": Size(
        towns=2,
        villages=12,
        years=2,
        disputes=300,
        hazards=300,
        patrols=600,
        sweeps=300,
        petitions=80,
        backlog=10,
        hotspots=12,
        cases=60,
        accidents=30,
        persons=40,
        visit_window_days=120,
    ),
    "county": Size(
        towns=23,
        villages=700,
        years=5,
        disputes=50_000,
        hazards=50_000,
        patrols=200_000,
        sweeps=30_000,
        petitions=5_000,
        backlog=500,
        hotspots=1_000,
        cases=5_000,
        accidents=2_000,
        persons=10_000,
        visit_window_days=180,
    ),
    "province": Size(
        towns=1_200,
        villages=20_000,
        years=10,
        disputes=1_000_000,
        hazards=1_000_000,
        patrols=2_000_000,
        sweeps=300_000,
        petitions=100_000,
        backlog=10_000,
        hotspots=20_000,
        cases=100_000,
        accidents=50_000,
        persons=200_000,
        visit_window_days=90,
    ),
}

# ---- names ---------------------------------------------------------------------------------
PLACE = (
    "城庄东西南北上下前后大小新旧安平和兴隆盛丰富康宁泰清河山川林石岭沟坡湾峪坪塬"
    "王李张刘陈杨赵黄周吴高马郭罗梁宋郑谢韩唐冯董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
    "柏杏桃柳槐榆松桑枣梨花园田井泉桥庙堡寨营店集铺屯台峰湖溪滩"
)
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文海燕春林云峰成辉鹏"
    "飞宇浩俊晨亮雪梅丹凤玲萍"
)
CATEGORIES = (
    "land",
    "marriage_family",
    "neighbour",
    "housing_land",
    "labour",
    "compensation",
    "contract",
    "damage",
    "other",
)
CATEGORY_W = (18, 16, 22, 10, 8, 6, 6, 8, 6)
CATEGORY_ZH = {
    "land": "山林土地",
    "marriage_family": "婚姻家庭",
    "neighbour": "邻里",
    "housing_land": "房屋宅基地",
    "labour": "劳动争议",
    "compensation": "征地拆迁",
    "contract": "合同",
    "damage": "损害赔偿",
    "other": "其他",
}
SOURCES = ("sweep", "visit", "hotline", "assigned", "referral")
SOURCE_W = (40, 30, 15, 10, 5)
# A dispute's mediation columns (migration 0009) as the generator leaves them: none recorded.
NO_AGREEMENT = {
    "prevented_criminal": False,
    "prevented_group_petition": False,
    **dict.fromkeys(
        (
            "agreement_no",
            "agreement_content",
            "agreement_amount",
            "agreement_oral",
            "agreed_on",
            "performance_due",
            "confirm_court",
            "confirmed_on",
        )
    ),
}

METHODS = ("mediation", "legal", "administrative", "petition")
METHOD_W = (80, 8, 10, 2)
AREAS = ("geological", "chemicals", "road", "forest_fire", "building", "fire", "other")
AREA_W = (10, 5, 25, 15, 20, 20, 5)
AREA_ZH = {
    "geological": "地质灾害",
    "chemicals": "危化品",
    "road": "道路交通",
    "forest_fire": "森林防火",
    "building": "房屋安全",
    "fire": "消防",
    "other": "其他",
}
TEAMS = ("patrol_team", "grid_worker", "volunteer", "building_head", "police")
TEAM_W = (35, 30, 20, 5, 10)
PATROL_KINDS = ("routine", "night", "holiday", "special")
PATROL_KIND_W = (70, 20, 5, 5)
FORMS = ("visit", "letter", "online", "hotline")
FORM_W = (40, 15, 25, 20)
LEVELS = ("town", "county", "city", "province", "national")
LEVEL_W = (60, 30, 7, 2, 1)
CASE_OFFENCES = ("盗窃", "诈骗", "故意伤害", "寻衅滋事", "赌博", "殴打他人", "毁坏财物")
ACCIDENT_KINDS = ("production", "road", "fire", "drowning", "geological", "other")
ACCIDENT_W = (20, 45, 15, 8, 4, 8)
PERSON_CATS = ("released", "drug", "mental", "petitioner", "other")
PERSON_W = (35, 20, 25, 15, 5)


class Gen:
    """The generator: one random stream, the ledger's towns and villages, and the inserts."""

    def __init__(self, size: Size, seed: int, conn: Any, today: dt.date) -> None:
        self.size = size
        self.rnd = random.Random(seed)
        self.seed = seed
        self.conn = conn
        self.today = today
        self.start = dt.date(today.year - size.years + 1, 1, 1)
        self.counts: dict[str, int] = {}
        self.counters: list[dict[str, Any]] = []
        self._ids_used: set[str] = set()
        self.at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        self.prev_hash = ""
        self.audit_id = 0

    # ---- helpers -----------------------------------------------------------------------
    def name(self) -> str:
        r = self.rnd
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))

    def place(self, taken: set[str], suffix: str, length: int = 2) -> str:
        while True:
            n = "".join(self.rnd.choice(PLACE) for _ in range(length)) + suffix
            if n not in taken:
                taken.add(n)
                return n

    def days(self, a: dt.date, b: dt.date) -> int:
        return (b - a).days

    def insert(self, table: Any, rows: Iterable[dict[str, Any]], action: str | None = None) -> int:
        """Insert in batches; with `action`, also one audit entry per record holding its
        snapshot (what `lx.created` writes), chained by hash, so `db check` finds every record
        in the audit log as it is stored."""
        from sqlalchemy import insert

        from sanling.models import VOID_COLUMNS, AuditEntry

        n = 0
        stmt = insert(table)
        columns = set(table.columns.keys())
        if "extra" in columns:  # what an import kept on a record: nothing, for these
            rows = ({**row, "extra": None} for row in rows)
        unvoided = {k: None for k in VOID_COLUMNS if k in columns}  # no record is voided
        for batch in chunks(({**unvoided, **r} for r in rows), BATCH):
            if n == 0 and set(batch[0]) != columns:
                raise AssertionError(f"{table.name}: {sorted(columns ^ set(batch[0]))}")
            self.conn.execute(stmt, batch)
            if action:
                self.conn.execute(
                    insert(AuditEntry.__table__), self.audited(table.name, action, batch)
                )
            n += len(batch)
        self.counts[table.name] = self.counts.get(table.name, 0) + n
        return n

    def audited(self, table: str, action: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        from sanling.ledger.base import entry_hash, jsonable
        from sanling.privacy import MASKERS

        at, operator, prev = self.at, "benchmark", self.prev_hash
        named = table in ("towns", "subjects")
        personal = MASKERS.get(table, {})  # masked in the log as snapshot() masks them
        entries = []
        for row in rows:
            after = {k: jsonable(v) for k, v in row.items()}
            for key, masker in personal.items():
                if isinstance(after.get(key), str):
                    after[key] = masker(after[key])
            ref = row["name"] if named else row["ref"]
            h = entry_hash(prev, at, operator, action, ref, None, after)
            self.audit_id += 1
            entries.append(
                {
                    "id": self.audit_id,
                    "at": at,
                    "operator": operator,
                    "action": action,
                    "ref": ref,
                    "before": None,
                    "after": after,
                    "prev_hash": prev,
                    "hash": h,
                }
            )
            prev = h
        self.prev_hash = prev
        return entries

    def years(self) -> Iterator[tuple[int, dt.date, dt.date, float]]:
        """Each year of the span: (year, first day, last day, share of the span's days)."""
        total = self.days(self.start, self.today) + 1
        for y in range(self.start.year, self.today.year + 1):
            first, last = dt.date(y, 1, 1), min(dt.date(y, 12, 31), self.today)
            yield y, first, last, (self.days(first, last) + 1) / total

    def dates(self, n: int, first: dt.date, last: dt.date) -> list[dt.date]:
        span = self.days(first, last) + 1
        return sorted(first + dt.timedelta(days=self.rnd.randrange(span)) for _ in range(n))

    def refs(self, prefix: str, year: int, n: int) -> list[str]:
        if n:
            self.counters.append({"prefix": prefix, "year": year, "last": n})
        return [f"{prefix}-{year}-{i:04d}" for i in range(1, n + 1)]

    def pick_villages(self, n: int) -> list[int]:
        """n village indexes, busier villages more often."""
        return self.rnd.choices(range(len(self.v_ids)), cum_weights=self.v_cum, k=n)

    # ---- towns, subjects, grades -------------------------------------------------------
    def places(self) -> None:
        from sanling.models import GradeChange, Subject, Town

        r, size = self.rnd, self.size
        taken: set[str] = set()
        towns = []
        for i in range(size.towns):
            towns.append(
                {
                    "id": i + 1,
                    "name": self.place(taken, "镇" if i % 4 else "乡"),
                    "county": "临县" if size.towns < 50 else f"县{i // 15 + 1:03d}",
                    "area_km2": round(r.uniform(80, 400), 2),
                    "households": r.randint(5_000, 20_000),
                    "population": r.randint(15_000, 60_000),
                }
            )
        self.insert(Town.__table__, towns, "town.add")
        self.town_names = [t["name"] for t in towns]

        subjects: list[dict[str, Any]] = []
        grades: list[dict[str, Any]] = []
        self.v_ids, self.v_town, v_weight = [], [], []
        self.town_villages: list[list[int]] = [[] for _ in towns]
        self.v_enterprises: dict[int, list[int]] = {}
        vnames: set[str] = set()
        sid = 0
        base = self.size.villages // size.towns
        extra = self.size.villages - base * size.towns
        for ti in range(size.towns):
            for k in range(base + (1 if ti < extra else 0)):
                sid += 1
                community = k % 10 == 9
                grade = r.choices(("key", "general", "safe"), (10, 30, 60))[0]
                subjects.append(
                    {
                        "id": sid,
                        "town_id": ti + 1,
                        "kind": "community" if community else "village",
                        "name": self.place(
                            vnames, "社区" if community else "村", 3 if size.villages > 3000 else 2
                        ),
                        "parent_id": None,
                        "contact": self.name(),
                        "phone": f"13{r.randrange(10**9):09d}",
                        "households": r.randint(150, 1500),
                        "population": r.randint(500, 5000),
                        "mediation_committee": r.random() < 0.97,
                        "security_committee": r.random() < 0.8,
                        "patrol_team": r.random() < 0.6,
                        "video": r.random() < 0.4,
                        "police_office": r.random() < 0.15,
                        "grade": grade,
                        "grade_manual": False,
                        "active": True,
                        "retired_on": None,
                        "retire_reason": None,
                        "created_on": self.start,
                        "webhook": None,
                        "dingtalk_secret": None,
                    }
                )
                grades.append(
                    {
                        "id": len(grades) + 1,
                        "subject_id": sid,
                        "date": self.start,
                        "grade": grade,
                        "previous": None,
                        "reason": "initial grade (generated)",
                        "manual": False,
                        "operator": "benchmark",
                    }
                )
                self.v_ids.append(sid)
                self.v_town.append(ti + 1)
                self.town_villages[ti].append(len(self.v_ids) - 1)
                v_weight.append(r.lognormvariate(0, 0.7) * (3 if grade == "key" else 1))
        self.v_cum = list(itertools.accumulate(v_weight))
        self.v_index = {v: i for i, v in enumerate(self.v_ids)}
        # Units and enterprises, located in villages (about one for every two villages).
        self.s_all: list[tuple[int, int, int]] = [
            (s, self.v_town[i], s) for i, s in enumerate(self.v_ids)
        ]
        enames: set[str] = set()
        for vi, vid in enumerate(self.v_ids):
            for _ in range(r.choice((0, 0, 0, 1, 1, 2))):
                sid += 1
                unit = r.random() < 0.15
                subjects.append(
                    {
                        "id": sid,
                        "town_id": self.v_town[vi],
                        "kind": "unit" if unit else "enterprise",
                        "name": self.place(enames, "学校" if unit else "有限公司", 3),
                        "parent_id": vid,
                        "contact": self.name(),
                        "phone": None,
                        "households": None,
                        "population": None,
                        "mediation_committee": False,
                        "security_committee": False,
                        "patrol_team": False,
                        "video": r.random() < 0.5,
                        "police_office": False,
                        "grade": None,
                        "grade_manual": False,
                        "active": True,
                        "retired_on": None,
                        "retire_reason": None,
                        "created_on": self.start,
                        "webhook": None,
                        "dingtalk_secret": None,
                    }
                )
                self.v_enterprises.setdefault(vi, []).append(sid)
                self.s_all.append((sid, self.v_town[vi], vid))
        self.insert(Subject.__table__, subjects, "subject.add")
        self.insert(GradeChange.__table__, grades)
        self.handlers = [[self.name() for _ in range(8)] for _ in towns]
        self.leads = [[self.name() for _ in range(3)] for _ in towns]

    # ---- records, year by year ------------------------------------------------------------
    def records(self) -> None:
        ids = {
            k: 0
            for k in (
                "sweeps",
                "disputes",
                "hazards",
                "patrols",
                "petitions",
                "backlog",
                "hotspots",
                "cases",
                "accidents",
                "persons",
                "visits",
            )
        }
        for year, first, last, share in self.years():

            def n(total: int, share: float = share) -> int:
                return round(total * share)

            sweeps = self.sweeps(year, first, last, n(self.size.sweeps), ids)
            disputes = self.disputes(year, first, last, n(self.size.disputes), ids, sweeps)
            self.hazards(year, first, last, n(self.size.hazards), ids, sweeps)
            self.patrols(year, first, last, n(self.size.patrols), ids)
            self.petitions(year, first, last, n(self.size.petitions), ids, disputes)
            self.backlog(year, first, last, n(self.size.backlog), ids)
            self.hotspots(year, first, last, n(self.size.hotspots), ids)
            self.cases(year, first, last, n(self.size.cases), ids)
            self.accidents(year, first, last, n(self.size.accidents), ids)
            self.persons(year, first, last, n(self.size.persons), ids)

    def sweeps(
        self, year: int, first: dt.date, last: dt.date, n: int, ids: dict[str, int]
    ) -> list[tuple[int, int, dt.date]]:
        """Sweeps spread over the year; in the current half-month most subjects are swept."""
        from sanling.models import Sweep

        r = self.rnd
        picks = [self.s_all[r.randrange(len(self.s_all))] for _ in range(n)]
        dates = [
            first + dt.timedelta(days=r.randrange(self.days(first, last) + 1)) for _ in range(n)
        ]
        if last == self.today:
            half = self.today.replace(day=1 if self.today.day <= 15 else 16)
            for s in self.s_all:
                if r.random() < 0.85:
                    picks.append(s)
                    dates.append(
                        half + dt.timedelta(days=r.randrange(self.days(half, self.today) + 1))
                    )
        order = sorted(range(len(picks)), key=lambda i: dates[i])
        refs = self.refs("PC", year, len(order))
        out: list[tuple[int, int, dt.date]] = []  # (sweep id, village index, date)
        rows = []
        v_index = self.v_index
        for ref, i in zip(refs, order, strict=True):
            sid, town, village = picks[i]
            ids["sweeps"] += 1
            rows.append(
                {
                    "id": ids["sweeps"],
                    "ref": ref,
                    "town_id": town,
                    "subject_id": sid,
                    "date": dates[i],
                    "by": self.handlers[town - 1][r.randrange(8)],
                    "scope": r.choices(("both", "disputes", "hazards"), (80, 10, 10))[0],
                    "note": None,
                }
            )
            if sid == village:
                out.append((ids["sweeps"], v_index[village], dates[i]))
        self.insert(Sweep.__table__, rows, "sweep.add")
        return out

    def disputes(
        self,
        year: int,
        first: dt.date,
        last: dt.date,
        n: int,
        ids: dict[str, int],
        sweeps: Sequence[tuple[int, int, dt.date]],
    ) -> list[tuple[int, int, dt.date]]:
        from sanling.models import Dispute

        r = self.rnd
        plan: list[tuple[dt.date, int, int | None]] = []  # (found, village index, sweep id)
        villages = self.pick_villages(n)
        for k in range(n):
            if sweeps and r.random() < 0.35:
                sw, vi, day = sweeps[r.randrange(len(sweeps))]
                plan.append((day, vi, sw))
            else:
                plan.append(
                    (
                        first + dt.timedelta(days=r.randrange(self.days(first, last) + 1)),
                        villages[k],
                        None,
                    )
                )
        plan.sort(key=lambda p: p[0])
        refs = self.refs("JF", year, n)
        rows, made = [], []
        for ref, (found, vi, sweep_id) in zip(refs, plan, strict=True):
            ids["disputes"] += 1
            town = self.v_town[vi]
            cat = r.choices(CATEGORIES, CATEGORY_W)[0]
            risk = r.choices(("low", "medium", "high"), (70, 22, 8))[0]
            deadline = found + dt.timedelta(days=7 if risk == "high" else 15)
            age = self.days(found, self.today)
            took = int(r.expovariate(1 / 9))
            stuck = r.random() < 0.015
            status, resolved_on, method, result, referred_to, referred_on = (
                r.choice(("open", "in_progress", "in_progress")),
                None,
                None,
                None,
                None,
                None,
            )
            if not stuck and took <= age:
                done = found + dt.timedelta(days=took)
                roll = r.random()
                if roll < 0.95:
                    status, resolved_on = "resolved", done
                    method = r.choices(METHODS, METHOD_W)[0]
                    result = "经调解双方达成协议，已履行" if method == "mediation" else "已依法处理"
                elif roll < 0.98:
                    status, referred_to, referred_on = "referred", "县人民法院", done
                else:
                    status = "stabilized"
            handlers = self.handlers[town - 1]
            ents = self.v_enterprises.get(vi)
            parties = f"{self.name()}、{self.name()}"
            rows.append(
                {
                    "id": ids["disputes"],
                    "ref": ref,
                    "town_id": town,
                    "village_id": self.v_ids[vi],
                    "subject_id": ents[0] if ents and r.random() < 0.05 else None,
                    "sweep_id": sweep_id,
                    "found": found,
                    "source": "sweep" if sweep_id else r.choices(SOURCES[1:], SOURCE_W[1:])[0],
                    "category": cat,
                    "summary": f"{parties}{CATEGORY_ZH[cat]}纠纷",
                    "parties": parties,
                    "people": 2 if r.random() < 0.8 else r.randint(3, 12),
                    "risk": risk,
                    "handler": handlers[r.randrange(len(handlers))],
                    "lead": self.leads[town - 1][r.randrange(3)] if risk != "low" else None,
                    "deadline": deadline,
                    "status": status,
                    "resolved_on": resolved_on,
                    "method": method,
                    "result": result,
                    "referred_to": referred_to,
                    "referred_on": referred_on,
                    "reviewed": risk == "high",
                    # no mediation agreements (issue 16): the figures stay as generated
                    **NO_AGREEMENT,
                }
            )
            made.append((ids["disputes"], vi, found))
        self.insert(Dispute.__table__, rows, "dispute.add")
        return made

    def hazards(
        self,
        year: int,
        first: dt.date,
        last: dt.date,
        n: int,
        ids: dict[str, int],
        sweeps: Sequence[tuple[int, int, dt.date]],
    ) -> None:
        from sanling.models import Hazard

        r = self.rnd
        villages = self.pick_villages(n)
        plan: list[tuple[dt.date, int, int | None]] = []
        for k in range(n):
            if sweeps and r.random() < 0.3:
                sw, vi, day = sweeps[r.randrange(len(sweeps))]
                plan.append((day, vi, sw))
            else:
                plan.append(
                    (
                        first + dt.timedelta(days=r.randrange(self.days(first, last) + 1)),
                        villages[k],
                        None,
                    )
                )
        plan.sort(key=lambda p: p[0])
        refs = self.refs("YH", year, n)
        rows = []
        for ref, (found, vi, sweep_id) in zip(refs, plan, strict=True):
            ids["hazards"] += 1
            town = self.v_town[vi]
            area = r.choices(AREAS, AREA_W)[0]
            grade = "major" if r.random() < 0.05 else "general"
            deadline = found + dt.timedelta(days=90 if grade == "major" else 30)
            age = self.days(found, self.today)
            took = int(r.expovariate(1 / 18))
            status, measures, rectified_on, closed_on, checked_by = "open", None, None, None, None
            if r.random() >= 0.02 and took <= age:
                status, rectified_on, measures = (
                    "rectified",
                    found + dt.timedelta(days=took),
                    "已落实整改措施",
                )
                check = rectified_on + dt.timedelta(days=r.randint(0, 10))
                if r.random() < 0.7 and check <= self.today:
                    status, closed_on, checked_by = "closed", check, self.name()
            elif r.random() < 0.5:
                status, measures = "rectifying", "正在整改"
            rows.append(
                {
                    "id": ids["hazards"],
                    "ref": ref,
                    "town_id": town,
                    "village_id": self.v_ids[vi],
                    "subject_id": None,
                    "sweep_id": sweep_id,
                    "found": found,
                    "area": area,
                    "grade": grade,
                    "location": f"{r.randint(1, 12)}组",
                    "description": f"{AREA_ZH[area]}隐患",
                    "measures": measures,
                    "responsible": self.handlers[town - 1][r.randrange(8)],
                    "deadline": deadline,
                    "status": status,
                    "rectified_on": rectified_on,
                    "closed_on": closed_on,
                    "checked_by": checked_by,
                }
            )
        self.insert(Hazard.__table__, rows, "hazard.add")

    def patrols(
        self, year: int, first: dt.date, last: dt.date, n: int, ids: dict[str, int]
    ) -> None:
        from sanling.models import Patrol, PatrolVillage

        r = self.rnd
        dates = self.dates(n, first, last)
        villages = self.pick_villages(n)
        refs = self.refs("XL", year, n)
        rows, links = [], []
        for ref, day, vi in zip(refs, dates, villages, strict=True):
            ids["patrols"] += 1
            town = self.v_town[vi]
            kind = r.choices(PATROL_KINDS, PATROL_KIND_W)[0]
            if kind == "night":
                start, end, minutes = (
                    dt.time(r.choice((20, 21, 22)), 0),
                    dt.time(r.choice((0, 1, 2)), 30),
                    0,
                )
            else:
                start, end = dt.time(r.choice((8, 9, 14, 15)), r.choice((0, 30))), None
            if kind == "night":
                minutes = (24 * 60 - start.hour * 60) + end.hour * 60 + end.minute
            else:
                length = r.choice((60, 90, 120, 180))
                minutes = length
                end = (dt.datetime.combine(day, start) + dt.timedelta(minutes=length)).time()
            rows.append(
                {
                    "id": ids["patrols"],
                    "ref": ref,
                    "town_id": town,
                    "date": day,
                    "start": start,
                    "end": end,
                    "minutes": minutes,
                    "kind": kind,
                    "team": r.choices(TEAMS, TEAM_W)[0],
                    "leader": self.handlers[town - 1][r.randrange(8)],
                    "people": r.randint(2, 8),
                    "route": None,
                    "findings": "发现可疑情况" if r.random() < 0.03 else None,
                    "action": None,
                    "to_police": r.random() < 0.01,
                    "hotspot_id": None,
                    "dispute_id": None,
                    "hazard_id": None,
                }
            )
            links.append({"patrol_id": ids["patrols"], "village_id": self.v_ids[vi]})
            others = self.town_villages[town - 1]
            if len(others) > 1 and r.random() < 0.3:
                other = others[r.randrange(len(others))]
                if other != vi:
                    links.append({"patrol_id": ids["patrols"], "village_id": self.v_ids[other]})
            if len(rows) >= BATCH:
                self.insert(Patrol.__table__, rows, "patrol.add")
                self.insert(PatrolVillage.__table__, links)
                rows, links = [], []
        self.insert(Patrol.__table__, rows, "patrol.add")
        self.insert(PatrolVillage.__table__, links)

    def petitions(
        self,
        year: int,
        first: dt.date,
        last: dt.date,
        n: int,
        ids: dict[str, int],
        disputes: Sequence[tuple[int, int, dt.date]],
    ) -> None:
        from sanling.models import Petition

        r = self.rnd
        plan: list[tuple[dt.date, int, int | None]] = []
        villages = self.pick_villages(n)
        for k in range(n):
            if disputes and r.random() < 0.2:
                did, vi, found = disputes[r.randrange(len(disputes))]
                day = min(found + dt.timedelta(days=r.randint(0, 20)), last)
                plan.append((day, vi, did))
            else:
                plan.append(
                    (
                        first + dt.timedelta(days=r.randrange(self.days(first, last) + 1)),
                        villages[k],
                        None,
                    )
                )
        plan.sort(key=lambda p: p[0])
        rows = []
        for ref, (day, vi, did) in zip(self.refs("XF", year, n), plan, strict=True):
            ids["petitions"] += 1
            level = r.choices(LEVELS, LEVEL_W)[0]
            rows.append(
                {
                    "id": ids["petitions"],
                    "ref": ref,
                    "town_id": self.v_town[vi],
                    "village_id": self.v_ids[vi],
                    "subject_id": None,
                    "date": day,
                    "form": r.choices(FORMS, FORM_W)[0],
                    "level": level,
                    "people": 1 if r.random() < 0.85 else r.choice((2, 3, 4, 5, 6, 8, 12)),
                    "repeated": r.random() < 0.1,
                    "abnormal": r.random() < 0.005,
                    "summary": "反映" + r.choice(tuple(CATEGORY_ZH.values())) + "问题",
                    "dispute_id": did,
                    "handled_at_source": level == "town" and r.random() < 0.8,
                    **self.petition_life(day, last),
                }
            )
        self.insert(Petition.__table__, rows, "petition.add")

    def petition_life(self, day: dt.date, last: dt.date) -> dict[str, Any]:
        """A petition's steps (issue 16): most accepted within the 15 days, most of those
        replied within the 60; the rest open (some overdue by the last day)."""
        from sanling.ledger.petition import STEP_KEYS

        r = self.rnd
        life: dict[str, Any] = dict.fromkeys(("petitioner", "phone", "handler", *STEP_KEYS))
        life["accept_due"] = day + dt.timedelta(days=15)
        accepted = day + dt.timedelta(days=r.choice((1, 3, 7, 12, 14, 20)))
        if r.random() < 0.1 or accepted > last:
            return life
        life["accepted_on"] = accepted
        life["reply_due"] = accepted + dt.timedelta(days=60)
        replied = accepted + dt.timedelta(days=r.choice((10, 25, 40, 55, 58, 70)))
        if r.random() < 0.85 and replied <= last:
            life["replied_on"] = replied
        return life

    def backlog(
        self, year: int, first: dt.date, last: dt.date, n: int, ids: dict[str, int]
    ) -> None:
        from sanling.models import BacklogCase

        r = self.rnd
        dates = self.dates(n, first, last)
        villages = self.pick_villages(n)
        rows = []
        for ref, day, vi in zip(self.refs("JA", year, n), dates, villages, strict=True):
            ids["backlog"] += 1
            town = self.v_town[vi]
            took = int(r.expovariate(1 / 120))
            closed_on = outcome = outcome_on = None
            if self.days(day, self.today) >= took:
                closed_on = outcome_on = day + dt.timedelta(days=took)
                outcome = r.choices(("settled", "stabilized", "unsettled"), (60, 25, 15))[0]
            rows.append(
                {
                    "id": ids["backlog"],
                    "ref": ref,
                    "town_id": town,
                    "village_id": self.v_ids[vi],
                    "assigned_by": r.choices(("county", "city", "province"), (70, 25, 5))[0],
                    "assigned_on": day,
                    "petitioner": self.name(),
                    "summary": "历史遗留信访问题",
                    "lead": self.leads[town - 1][r.randrange(3)],
                    "unit": "司法所",
                    "plan": "一案一策，包案化解",
                    "deadline": day + dt.timedelta(days=r.choice((90, 180, 365))),
                    "closed_on": closed_on,
                    "outcome": outcome,
                    "outcome_on": outcome_on,
                }
            )
        self.insert(BacklogCase.__table__, rows, "backlog.add")

    def hotspots(
        self, year: int, first: dt.date, last: dt.date, n: int, ids: dict[str, int]
    ) -> None:
        from sanling.models import Hotspot

        r = self.rnd
        dates = self.dates(n, first, last)
        villages = self.pick_villages(n)
        rows = []
        for ref, day, vi in zip(self.refs("LD", year, n), dates, villages, strict=True):
            ids["hotspots"] += 1
            took = int(r.expovariate(1 / 45))
            done = day + dt.timedelta(days=took) if self.days(day, self.today) >= took else None
            rows.append(
                {
                    "id": ids["hotspots"],
                    "ref": ref,
                    "town_id": self.v_town[vi],
                    "village_id": self.v_ids[vi],
                    "found": day,
                    "description": "夜间聚集滋事",
                    "measures": "加强巡逻" if done else None,
                    "rectified_on": done,
                }
            )
        self.insert(Hotspot.__table__, rows, "hotspot.add")

    def cases(self, year: int, first: dt.date, last: dt.date, n: int, ids: dict[str, int]) -> None:
        from sanling.models import Case

        r = self.rnd
        dates = self.dates(n, first, last)
        villages = self.pick_villages(n)
        rows = []
        for ref, day, vi in zip(self.refs("AJ", year, n), dates, villages, strict=True):
            ids["cases"] += 1
            criminal = r.random() < 0.15
            rows.append(
                {
                    "id": ids["cases"],
                    "ref": ref,
                    "town_id": self.v_town[vi],
                    "village_id": self.v_ids[vi],
                    "subject_id": None,
                    "date": day,
                    "kind": "criminal" if criminal else "administrative",
                    "offence": r.choice(CASE_OFFENCES),
                    "major": not criminal and r.random() < 0.02,
                    "summary": "案件",
                    "source": "派出所",
                }
            )
        self.insert(Case.__table__, rows, "case.add")

    def accidents(
        self, year: int, first: dt.date, last: dt.date, n: int, ids: dict[str, int]
    ) -> None:
        from sanling.models import Accident

        r = self.rnd
        dates = self.dates(n, first, last)
        villages = self.pick_villages(n)
        rows = []
        for ref, day, vi in zip(self.refs("SG", year, n), dates, villages, strict=True):
            ids["accidents"] += 1
            rows.append(
                {
                    "id": ids["accidents"],
                    "ref": ref,
                    "town_id": self.v_town[vi],
                    "village_id": self.v_ids[vi],
                    "subject_id": None,
                    "date": day,
                    "kind": r.choices(ACCIDENT_KINDS, ACCIDENT_W)[0],
                    "deaths": 1 if r.random() < 0.03 else 0,
                    "serious_injuries": 1 if r.random() < 0.05 else 0,
                    "injuries": r.randint(0, 3),
                    "loss": round(r.uniform(0, 50_000), 2),
                    "summary": "事故",
                }
            )
        self.insert(Accident.__table__, rows, "accident.add")

    def persons(
        self, year: int, first: dt.date, last: dt.date, n: int, ids: dict[str, int]
    ) -> None:
        from sanling.models import Person, Visit
        from sanling.privacy import check_digit

        r = self.rnd
        dates = self.dates(n, first, last)
        villages = self.pick_villages(n)
        window = self.today - dt.timedelta(days=self.size.visit_window_days)
        rows, visits = [], []
        for ref, day, vi in zip(self.refs("ZD", year, n), dates, villages, strict=True):
            ids["persons"] += 1
            town = self.v_town[vi]
            while True:
                born = dt.date(1950, 1, 1) + dt.timedelta(days=r.randrange(20_000))
                area = f"14{town % 100:02d}{(town // 100) % 100:02d}"
                first17 = f"{area}{born:%Y%m%d}{r.randrange(1000):03d}"
                number = first17 + check_digit(first17)
                if number not in self._ids_used:
                    self._ids_used.add(number)
                    break
            cat = r.choices(PERSON_CATS, PERSON_W)[0]
            risk = (
                r.randint(0, 5)
                if cat == "mental"
                else r.choices((1, 2, 3, 4, 5), (40, 30, 15, 10, 5))[0]
            )
            delisted = None
            if r.random() < 0.1:
                gone = day + dt.timedelta(days=r.randint(30, 700))
                delisted = gone if gone <= self.today else None
            interval = 7 if risk >= 3 else 30
            last_visit = None
            visit_day = max(day, window) + dt.timedelta(days=r.randint(0, interval))
            end = delisted or self.today
            lapse = r.random() < 0.08  # some are not visited on time
            while visit_day <= end and not (
                lapse and visit_day > end - dt.timedelta(days=2 * interval)
            ):
                ids["visits"] += 1
                visits.append(
                    {
                        "id": ids["visits"],
                        "person_id": ids["persons"],
                        "date": visit_day,
                        "by": self.handlers[town - 1][r.randrange(8)],
                        "note": "情况稳定",
                    }
                )
                last_visit = visit_day
                visit_day += dt.timedelta(days=max(1, interval - r.randint(0, 3)))
            rows.append(
                {
                    "id": ids["persons"],
                    "ref": ref,
                    "town_id": town,
                    "village_id": self.v_ids[vi],
                    "category": cat,
                    "name": self.name(),
                    "sex": "male" if int(number[16]) % 2 else "female",
                    "id_number": number,
                    "phone": f"13{r.randrange(10**9):09d}",
                    "address": None,
                    "risk": risk,
                    "guardian": self.name(),
                    "cadre": self.handlers[town - 1][r.randrange(8)],
                    "listed": day,
                    "delisted": delisted,
                    "delist_reason": "解除列管" if delisted else None,
                    "last_visit": last_visit,
                    "term_from": None,
                    "term_end": None,
                }
            )
        self.insert(Person.__table__, rows, "person.add")
        self.insert(Visit.__table__, visits)

    # ---- counters ---------------------------------------------------------------------------
    def finish(self) -> None:
        from sanling.models import RefCounter

        self.insert(RefCounter.__table__, self.counters)


def chunks(rows: Iterable[dict[str, Any]], n: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while batch := list(itertools.islice(it, n)):
        yield batch


def sanling_init(db: str, env: dict[str, str] | None = None) -> None:
    """The schema, as a user gets it: `sanling init` (Alembic migrations)."""
    subprocess.run(
        [sys.executable, "-m", "sanling", "--db", db, "init"],
        check=True,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
    )


def generate(
    size_name: str,
    seed: int,
    db: str,
    *,
    today: dt.date = TODAY,
    force: bool = False,
    quiet: bool = False,
) -> dict[str, int]:
    """Build the ledger at `db` (a path or an SQLAlchemy URL); returns rows per table."""
    from sqlalchemy import create_engine, func, select, text

    from sanling.db import resolve_url, sqlite_path
    from sanling.ledger.base import GENESIS
    from sanling.models import AuditEntry, Dispute, Town

    url = resolve_url(db)
    path = sqlite_path(url)
    if path is not None and path.exists():
        if not force:
            raise SystemExit(f"{path} exists; use --force to replace it")
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    began = time.perf_counter()
    sanling_init(db, {"SANLING_TODAY": today.isoformat()})
    engine = create_engine(url)
    if path is not None:
        from sqlalchemy import event

        @event.listens_for(engine, "connect")
        def _fast(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("PRAGMA cache_size=-200000")
            cur.close()

    with engine.begin() as conn:
        if (
            conn.execute(select(func.count()).select_from(Town)).scalar()
            or conn.execute(select(func.count()).select_from(Dispute)).scalar()
        ):
            raise SystemExit(f"{db} already holds records; generate into an empty ledger")
        gen = Gen(SIZES[size_name], seed, conn, today)
        last = conn.execute(
            select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
        ).first()
        gen.audit_id, gen.prev_hash = (last[0], last[1]) if last else (0, GENESIS)
        gen.places()
        gen.records()
        gen.finish()
        if engine.dialect.name == "postgresql":
            for table in [*gen.counts, "audit_log"]:
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    )
                    if table not in ("patrol_villages", "ref_counters")
                    else text("SELECT 1")
                )
    if path is not None:
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    if not quiet:
        total = sum(gen.counts.values())
        print(
            f"{size_name} ledger at {db}: {total:,} rows in {time.perf_counter() - began:.1f} s",
            file=sys.stderr,
        )
        for table, n in gen.counts.items():
            print(f"  {table:16} {n:>10,}", file=sys.stderr)
    return gen.counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="county")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", required=True, help="ledger path or SQLAlchemy URL")
    parser.add_argument("--today", default=TODAY.isoformat(), help="the last day of the ledger")
    parser.add_argument("--force", action="store_true", help="replace an existing SQLite file")
    args = parser.parse_args(argv)
    generate(
        args.size, args.seed, args.db, today=dt.date.fromisoformat(args.today), force=args.force
    )


if __name__ == "__main__":
    main()
