"""A generated two-town ledger (seeded, so it is the same every time) for the tests that walk
every figure of every report: test_report_explain and test_report_scale (the `two_towns`
fixture)."""

from __future__ import annotations

import datetime as dt
import random
from functools import partial
from typing import Any

from tests.helpers import ledgers

VILLAGES = {"城庄镇": ["城庄村", "李家湾村", "前进村", "五和居"], "安业乡": ["安业村", "前进村"]}


def generate(seed: int = 7) -> None:
    """Two towns (安业乡 shares a village name with 城庄镇), a year and ten months of records,
    added through the library in one transaction to the `town` fixture's ledger (城庄镇)."""
    from sanling.codes import BacklogOutcome, Grade
    from sanling.ledger import backlog, hazard, person, subject
    from sanling.ledger import town as towns

    rnd = random.Random(seed)
    with ledgers.writing() as lx:
        add = partial(ledgers.add, lx)
        towns.add(lx, "安业乡", "临县")
        for town, names in VILLAGES.items():
            for i, name in enumerate(names):
                kind = "community" if name == "五和居" else "village"
                flags = {"video": True, "patrol_team": True} if i == 0 else {}
                add("subject", name=name, kind=kind, town=town, mediation_committee=True, **flags)
        add("subject", name="城庄中学", kind="unit", village="城庄村", town="城庄镇")
        add("subject", name="兴旺煤业", kind="enterprise", village="李家湾村", town="城庄镇")
        subject.grade(lx, "李家湾村", Grade.key, "手工定级", town="城庄镇")
        start = dt.date(2025, 1, 1)
        days = (dt.date(2026, 10, 31) - start).days
        cats = ["land", "neighbour", "debt", "labour", "marriage_family"]
        areas = ["road", "fire", "geological", "building"]
        # The random draws are made in the order the command lines of the first version made
        # them, so the seed gives the same ledger.
        for n in range(56):
            town = rnd.choice(list(VILLAGES))
            village = rnd.choice(VILLAGES[town])
            found = start + dt.timedelta(days=rnd.randrange(days))
            where = {"village": village, "town": town}
            step = n % 7
            if step in (0, 1, 2):
                category = rnd.choice(cats)
                handler = rnd.choice(["王", "李", "张"])
                d = add(
                    "dispute",
                    category=category,
                    summary=f"纠纷{n}",
                    handler=handler,
                    found=found.isoformat(),
                    **where,
                )
                end = found + dt.timedelta(days=rnd.randrange(40))
                if end <= dt.date(2026, 10, 31) and rnd.random() < 0.7:
                    ledgers.resolve(lx, d.ref, end.isoformat(), result="好")
            elif step == 3:
                area = rnd.choice(areas)
                grade = {"grade": "major"} if rnd.random() < 0.3 else {}
                h = add(
                    "hazard",
                    area=area,
                    description=f"隐患{n}",
                    responsible="赵",
                    found=found.isoformat(),
                    **grade,
                    **where,
                )
                end = found + dt.timedelta(days=rnd.randrange(60))
                if end <= dt.date(2026, 10, 31) and rnd.random() < 0.7:
                    hazard.rectify(lx, h.ref, "已改", end.isoformat())
            elif step == 4:
                case_kind = rnd.choice(["criminal", "administrative", "administrative"])
                major = rnd.random() < 0.3
                add(
                    "case",
                    kind=case_kind,
                    summary=f"案件{n}",
                    date=found.isoformat(),
                    major=major,
                    **where,
                )
                level = rnd.choice(["town", "county", "city"])
                people = rnd.choice([1, 2, 6])
                p = add(
                    "petition",
                    form="visit",
                    level=level,
                    summary=f"信访{n}",
                    people=people,
                    date=found.isoformat(),
                    **where,
                )
                _petition_life(lx, p.ref, found, n)
            elif step == 5:
                deaths = rnd.choice([0, 0, 1])
                add(
                    "accident",
                    kind="road",
                    summary=f"事故{n}",
                    deaths=deaths,
                    injuries=1,
                    date=found.isoformat(),
                    **where,
                )
                add("hotspot", description=f"乱点{n}", date=found.isoformat(), **where)
            else:
                add(
                    "patrol",
                    village=[village],
                    town=town,
                    team="patrol_team",
                    leader="刘",
                    people=3,
                    date=found.isoformat(),
                    start="20:00",
                    end="22:30",
                )
                add("sweep", subject=village, town=town, by="网格员", date=found.isoformat())
        pending = {"petitioner": "某", "summary": "积案", "lead": "书记", "plan": "一案一策"}
        add(
            "backlog",
            assigned_by="county",
            village="城庄村",
            town="城庄镇",
            deadline="2026-06-30",
            date="2026-02-01",
            **pending,
        )
        backlog.close(lx, "JA-2026-0001", outcome=BacklogOutcome.settled, date="2026-05-01")
        add(
            "backlog",
            assigned_by="city",
            village="安业村",
            town="安业乡",
            deadline="2026-03-30",
            date="2026-01-10",
            **pending,
        )
        add(
            "person",
            category="released",
            name="张三",
            id_number="34052419800101001X",
            village="城庄村",
            town="城庄镇",
            risk=3,
            listed="2026-01-05",
        )
        add(
            "person",
            category="drug",
            name="李四",
            id_number="11010519491231002X",
            village="安业村",
            town="安业乡",
            listed="2025-06-01",
        )
        person.visit(lx, "ZD-2026-0001", "干部", date="2026-10-20")


def _petition_life(lx: Any, ref: str, received: dt.date, n: int) -> None:
    """A petition's steps by its number (no draw from the seeded generator, so the rest of
    the ledger is as it was): accepted after 1 to 21 days (some late), replied after 10 to 85
    days (some late), as far as 2026-10-31 reaches."""
    from sanling.ledger import petition

    last = dt.date(2026, 10, 31)
    accepted = received + dt.timedelta(days=(n % 6) * 4 + 1)
    if n % 5 == 0 or accepted > last:  # one in five never accepted
        return
    petition.accept(lx, ref, date=accepted)
    replied = accepted + dt.timedelta(days=(n % 4) * 25 + 10)
    if replied <= last:
        petition.reply(lx, ref, date=replied)
