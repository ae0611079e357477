"""The demo ledger of 城庄镇: invented records that reproduce the article's figures.

Everything goes through the same ledger operations a clerk's commands call (no direct SQL),
so the demo exercises the real rules, and the figures come out of the real reports: 125
subjects (27 villages, 3 communities, 7 units, 88 enterprises), 84 disputes found in 2026 and
78 resolved, 8 backlog cases, 92 hazards and 89 rectified, 3 hotspots rectified, no criminal
case in 2026, administrative cases 41 against 50 (-18%), video in 4 villages, one police
office, a mediation committee in all 30 villages, and grades 5 key / 7 general / 18 safe
proposed by `report grading` under the default policy. The campaign year is 2026, as of
2026-10-31. Names, people and events are invented; a fixed seed makes every run the same.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sanling import codes, privacy
from sanling.ledger import (
    accident,
    backlog,
    case,
    dispute,
    hazard,
    hotspot,
    patrol,
    person,
    petition,
    subject,
    sweep,
)
from sanling.ledger import town as towns
from sanling.ledger.base import Ledger
from sanling.schemas import (
    AccidentIn,
    BacklogIn,
    CaseIn,
    DisputeIn,
    HazardIn,
    HotspotIn,
    PatrolIn,
    PersonIn,
    PetitionIn,
    SubjectIn,
    SweepIn,
)

AS_OF = dt.date(2026, 10, 31)
YEAR = 2026
SEED = 20261031
TOWN = "城庄镇"
COUNTY = "临县"

# Village roles decide what is still open on 2026-10-31, and so the grade each one earns
# from the grading report: (name, kind, role, households, population, foundations).
VILLAGES: list[tuple[str, str, str]] = [
    ("城庄村", "village", "key1"),
    ("李家湾村", "village", "key2"),
    ("王家庄村", "village", "key3"),
    ("张家塔村", "village", "key4"),
    ("五和居", "community", "key5"),
    ("前进村", "village", "gen1"),
    ("后山村", "village", "gen2"),
    ("枣园村", "village", "gen3"),
    ("柳林沟村", "village", "gen4"),
    ("高家坪村", "village", "gen5"),
    ("刘家峁村", "village", "gen6"),
    ("柏林苑", "community", "gen7"),
    ("马家坡村", "village", "safe"),
    ("白家沟村", "village", "safe"),
    ("贺家塔村", "village", "safe"),
    ("杨家岭村", "village", "safe"),
    ("南沟村", "village", "safe"),
    ("北坡村", "village", "safe"),
    ("东庄村", "village", "safe"),
    ("西庄村", "village", "safe"),
    ("曹家塬村", "village", "safe"),
    ("郭家湾村", "village", "safe"),
    ("石门村", "village", "safe"),
    ("红旗村", "village", "safe"),
    ("胜利村", "village", "safe"),
    ("新民村", "village", "safe"),
    ("杏花村", "village", "safe"),
    ("沙坪村", "village", "safe"),
    ("庙坪村", "village", "safe"),
    ("滨河苑", "community", "safe"),
]
VIDEO = {"城庄村", "五和居", "柏林苑", "前进村"}
POLICE_OFFICE = {"五和居"}
PATROL_TEAM = {
    "城庄村",
    "李家湾村",
    "五和居",
    "柏林苑",
    "前进村",
    "后山村",
    "马家坡村",
    "南沟村",
    "东庄村",
    "滨河苑",
}
# Administrative cases in 2026 per village (41 in all; 50 in 2025): 1 point each in grading.
ADMIN_2026 = {
    "城庄村": 3,
    "李家湾村": 2,
    "王家庄村": 2,
    "张家塔村": 3,
    "五和居": 4,
    "前进村": 3,
    "后山村": 2,
    "枣园村": 3,
    "柳林沟村": 3,
    "高家坪村": 4,
    "刘家峁村": 3,
    "柏林苑": 5,
    "马家坡村": 1,
    "南沟村": 1,
    "东庄村": 1,
    "滨河苑": 1,
}
# Key persons listed per village (0.5 points each).
KEY_PERSONS = {
    "城庄村": 2,
    "张家塔村": 2,
    "五和居": 2,
    "前进村": 2,
    "后山村": 2,
    "枣园村": 2,
    "柳林沟村": 4,
    "高家坪村": 2,
    "刘家峁村": 3,
    "柏林苑": 3,
    "马家坡村": 1,
    "白家沟村": 1,
    "贺家塔村": 1,
    "杨家岭村": 1,
    "南沟村": 1,
    "北坡村": 1,
    "东庄村": 1,
    "西庄村": 1,
    "曹家塬村": 1,
    "郭家湾村": 1,
}
UNITS = [
    "城庄镇中心学校",
    "城庄镇中学",
    "城庄镇卫生院",
    "城庄供电所",
    "城庄信用社",
    "城庄邮政所",
    "城庄镇敬老院",
]
ENTERPRISE_KINDS = [
    "红枣专业合作社",
    "养殖专业合作社",
    "农资经销部",
    "建材有限公司",
    "运输有限公司",
    "砖厂",
    "加油站",
    "小杂粮加工厂",
    "农家乐",
    "超市",
]
CADRES = [
    "王建军",
    "李红梅",
    "张志强",
    "刘海燕",
    "郭文斌",
    "高永平",
    "马晓东",
    "白玉兰",
    "贺志刚",
    "杨秀英",
    "曹国庆",
    "薛保平",
]
LEADERS = ["镇党委书记 刘志远", "镇长 李建平", "政法委员 张海军", "副镇长 高明亮"]
SURNAMES = "张王李刘郭高马白贺杨曹薛任冯康"
GIVEN = [
    "建华",
    "秀兰",
    "志明",
    "海平",
    "小军",
    "玉梅",
    "永生",
    "红霞",
    "国栋",
    "桂英",
    "二虎",
    "三娃",
]

# The demo's nine categories, in the order its random draws pick them (nine, so the draws and
# the figures stay those of the demo before the Ministry of Justice's list came in).
SUMMARIES = {
    codes.DisputeCategory.housing_land: "宅基地界址争议",
    codes.DisputeCategory.marriage_family: "婚姻家庭矛盾",
    codes.DisputeCategory.neighbour: "邻里排水纠纷",
    codes.DisputeCategory.land: "山林地界争议",
    codes.DisputeCategory.labour: "务工工资拖欠",
    codes.DisputeCategory.compensation: "征地补偿分配争议",
    codes.DisputeCategory.contract: "民间借贷纠纷",
    codes.DisputeCategory.damage: "牲畜损坏庄稼赔偿",
    codes.DisputeCategory.other: "其他矛盾",
}
HAZARDS = {
    codes.HazardArea.geological: ("村后山体", "雨季山体滑坡隐患"),
    codes.HazardArea.chemicals: ("加油站储罐区", "危化品储存不规范"),
    codes.HazardArea.road: ("村口急弯", "急弯路段缺少警示标志"),
    codes.HazardArea.forest_fire: ("林区入口", "林区周边堆放柴草"),
    codes.HazardArea.building: ("老旧窑洞", "土窑洞裂缝"),
    codes.HazardArea.fire: ("集贸市场", "私拉乱接电线"),
    codes.HazardArea.other: ("河道", "河道边缺少防护栏"),
}


@dataclass
class Demo:
    lx: Ledger
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    enterprises: dict[str, list[str]] = field(default_factory=dict)
    sweeps: dict[tuple[str, dt.date], str] = field(default_factory=dict)
    person_serial: int = 0

    # ---- helpers ------------------------------------------------------------------------
    def day_in(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def id_number(self, born: dt.date, female: bool) -> str:
        self.person_serial += 1
        seq = (self.person_serial * 2 + (0 if female else 1)) % 1000
        first17 = f"141124{born:%Y%m%d}{seq:03d}"
        return first17 + privacy.check_digit(first17)

    # ---- the build ----------------------------------------------------------------------
    def build(self) -> None:
        towns.add(self.lx, TOWN, COUNTY, area_km2=287, households=10298, population=30173)
        self.subjects()
        self.sweep_rounds()
        self.disputes()
        self.petitions()
        self.backlog()
        self.hazards()
        self.hotspots_and_patrols()
        self.cases_and_accidents()
        self.key_persons()

    def subjects(self) -> None:
        # Households and population of the 30 villages add up to the town's 10,298 and 30,173.
        households = _split(10298, len(VILLAGES), self.rng, low=150)
        population = [round(h * 2.93) for h in households]
        population[-1] += 30173 - sum(population)
        for (name, kind, _role), hh, pop in zip(VILLAGES, households, population, strict=True):
            subject.add(
                self.lx,
                SubjectIn(
                    name=name,
                    kind=codes.SubjectKind(kind),
                    households=hh,
                    population=pop,
                    contact=self.name(),
                    phone=f"139{self.rng.randrange(10**7, 10**8)}",
                    mediation_committee=True,
                    security_committee=self.rng.random() < 0.8,
                    patrol_team=name in PATROL_TEAM,
                    video=name in VIDEO,
                    police_office=name in POLICE_OFFICE,
                ),
            )
        names = [v[0] for v in VILLAGES]
        for i, unit in enumerate(UNITS):
            subject.add(
                self.lx, SubjectIn(name=unit, kind=codes.SubjectKind.unit, village=names[i % 3])
            )
        # 88 enterprises spread over the villages.
        for i in range(88):
            village = names[i % len(names)]
            short = village.removesuffix("村")
            kind = ENTERPRISE_KINDS[(i // len(names) + i) % len(ENTERPRISE_KINDS)]
            name = f"{short}{kind}" if i < len(names) * 2 else f"{short}第{i // len(names)}{kind}"
            subject.add(
                self.lx, SubjectIn(name=name, kind=codes.SubjectKind.enterprise, village=village)
            )
            self.enterprises.setdefault(village, []).append(name)

    def sweep_rounds(self) -> None:
        """Half-monthly sweeps of every subject from July to October, with a few gaps."""
        from sanling.models import Subject

        names = [s.name for s in self.lx.session.query(Subject).order_by(Subject.id)]
        starts = [dt.date(YEAR, m, d) for m in (7, 8, 9, 10) for d in (1, 16)]
        for start in starts:
            for n in names:
                if self.rng.random() < 0.04:
                    continue  # a subject not swept this half-month
                day = start + dt.timedelta(days=self.rng.randrange(0, 10))
                s = sweep.add(
                    self.lx,
                    SweepIn(
                        subject=n, by=self.rng.choice(CADRES), date=day, scope=codes.SweepScope.both
                    ),
                )
                self.sweeps[(n, start)] = s.ref

    def sweep_for(self, village: str, day: dt.date) -> str | None:
        start = day.replace(day=1 if day.day <= 15 else 16)
        ref = self.sweeps.get((village, start))
        if ref is None:
            return None
        from sanling.models import Sweep

        s = self.lx.record(Sweep, ref)
        return ref if s.date <= day else None

    def add_dispute(
        self,
        village: str,
        found: dt.date,
        *,
        resolve_after: int | None,
        risk: codes.Risk = codes.Risk.low,
        deadline: dt.date | None = None,
    ) -> str:
        category = self.rng.choice(list(SUMMARIES))
        sweep_ref = self.sweep_for(village, found)
        d = dispute.add(
            self.lx,
            DisputeIn(
                village=village,
                category=category,
                summary=f"{village}{SUMMARIES[category]}",
                handler=self.rng.choice(CADRES),
                parties=f"{self.name()}、{self.name()}",
                people=self.rng.randint(2, 6),
                risk=risk,
                lead=self.rng.choice(LEADERS) if risk == codes.Risk.high else None,
                source=codes.DisputeSource.sweep
                if sweep_ref
                else self.rng.choice(
                    [
                        codes.DisputeSource.visit,
                        codes.DisputeSource.hotline,
                        codes.DisputeSource.assigned,
                    ]
                ),
                found=found,
                deadline=deadline,
                sweep=sweep_ref,
            ),
        )
        if resolve_after is not None:
            dispute.progress(self.lx, d.ref, "已约谈双方，调查核实情况", date=found)
            dispute.resolve(
                self.lx,
                d.ref,
                method=self.rng.choice(
                    [codes.ResolutionMethod.mediation] * 6
                    + [codes.ResolutionMethod.administrative, codes.ResolutionMethod.legal]
                ),
                result="双方达成调解协议，已履行",
                date=found + dt.timedelta(days=resolve_after),
            )
        return d.ref

    def disputes(self) -> None:
        names = [v[0] for v in VILLAGES]
        # 2025: 71 disputes, all resolved within the year.
        for i in range(71):
            found = self.day_in(dt.date(2025, 1, 5), dt.date(2025, 12, 10))
            self.add_dispute(names[i % len(names)], found, resolve_after=self.rng.randint(2, 14))
        # 2026: the six still open on 2026-10-31, four of them overdue.
        self.add_dispute("城庄村", dt.date(2026, 9, 8), resolve_after=None, risk=codes.Risk.medium)
        self.add_dispute("城庄村", dt.date(2026, 10, 9), resolve_after=None, risk=codes.Risk.high)
        self.add_dispute("李家湾村", dt.date(2026, 9, 21), resolve_after=None)
        self.add_dispute("王家庄村", dt.date(2026, 10, 3), resolve_after=None)
        self.add_dispute("五和居", dt.date(2026, 10, 26), resolve_after=None)
        self.add_dispute("前进村", dt.date(2026, 10, 18), resolve_after=None)
        # ... and 78 resolved: found through the year, resolved by 2026-10-31.
        for i in range(78):
            found = self.day_in(dt.date(2026, 1, 4), dt.date(2026, 10, 20))
            days = min(self.rng.randint(1, 16), (AS_OF - found).days)
            self.add_dispute(names[(i * 7) % len(names)], found, resolve_after=days)

    def petitions(self) -> None:
        names = [v[0] for v in VILLAGES]
        # One petition that reached the city breaks 张家塔村's 零上访; the rest stayed at the
        # town or came to the county with fewer than five people.
        city = petition.add(
            self.lx,
            PetitionIn(
                village="张家塔村",
                form=codes.PetitionForm.visit,
                level=codes.Level.city,
                people=2,
                repeated=True,
                summary="反映土地确权遗留问题，赴市上访",
                date=dt.date(2026, 6, 18),
                handler="周明",
            ),
        )
        self.petition_life(city.ref, city.date, 1)
        lx = self.lx
        petition.review(lx, city.ref, stage="review", requested=dt.date(2026, 8, 10))
        petition.review(lx, city.ref, stage="review", decided=dt.date(2026, 9, 2), result="维持")
        for i in range(17):
            level = codes.Level.town if i % 3 else codes.Level.county
            p = petition.add(
                self.lx,
                PetitionIn(
                    village=names[(i * 5 + 3) % len(names)],
                    form=self.rng.choice(list(codes.PetitionForm)),
                    level=level,
                    people=self.rng.randint(1, 4),
                    summary="反映惠民补贴发放问题",
                    date=self.day_in(dt.date(2026, 1, 10), dt.date(2026, 10, 25)),
                    handled_at_source=level == codes.Level.town,
                    handler=("周明", "吴芳", "郑伟")[i % 3],
                ),
            )
            self.petition_life(p.ref, p.date, i)
        for i in range(12):
            p = petition.add(
                self.lx,
                PetitionIn(
                    village=self.rng.choice(names),
                    form=codes.PetitionForm.letter,
                    level=codes.Level.town,
                    summary="反映道路修缮问题",
                    date=self.day_in(dt.date(2025, 2, 1), dt.date(2025, 12, 20)),
                ),
            )
            self.petition_life(p.ref, p.date, i)

    def petition_life(self, ref: str, received: dt.date, i: int) -> None:
        """A petition's steps by its number `i` (no draw from the seeded generator, so the
        other records stay as they were): most accepted within the 15 days, one in five
        late; replies after 20 to 65 days, the longest after an extension."""
        lx = self.lx
        accepted = received + dt.timedelta(days=(i % 5) * 4 + 2)
        if accepted > AS_OF:
            return
        petition.accept(lx, ref, date=accepted)
        after = 20 + (i % 4) * 15
        if after > 60 and accepted + dt.timedelta(days=50) <= AS_OF:
            petition.extend(
                lx,
                ref,
                days=10,
                reason="涉及多个部门，需会商",
                approved_by="镇长",
                date=accepted + dt.timedelta(days=50),
            )
        replied = accepted + dt.timedelta(days=after)
        if replied <= AS_OF:
            petition.reply(lx, ref, date=replied, note="已书面答复")

    def backlog(self) -> None:
        """Eight backlog cases assigned from above in 2026; five settled, three still open."""
        plan = [
            ("王家庄村", codes.AssignedBy.county, dt.date(2026, 3, 12), None),
            ("张家塔村", codes.AssignedBy.city, dt.date(2026, 4, 2), None),
            (
                "五和居",
                codes.AssignedBy.county,
                dt.date(2026, 5, 20),
                codes.BacklogOutcome.stabilized,
            ),
            (
                "马家坡村",
                codes.AssignedBy.county,
                dt.date(2026, 2, 14),
                codes.BacklogOutcome.settled,
            ),
            ("东庄村", codes.AssignedBy.city, dt.date(2026, 3, 3), codes.BacklogOutcome.settled),
            (
                "红旗村",
                codes.AssignedBy.province,
                dt.date(2026, 4, 16),
                codes.BacklogOutcome.settled,
            ),
            ("石门村", codes.AssignedBy.county, dt.date(2026, 6, 8), codes.BacklogOutcome.settled),
            ("杏花村", codes.AssignedBy.county, dt.date(2026, 7, 1), codes.BacklogOutcome.settled),
        ]
        for village, by, day, outcome in plan:
            c = backlog.add(
                self.lx,
                BacklogIn(
                    assigned_by=by,
                    village=village,
                    petitioner=self.name(),
                    summary="历史遗留的征地补偿信访事项",
                    lead=self.rng.choice(LEADERS),
                    plan="包案领导接访约谈，联合司法所、国土所逐项核查，依法依规答复",
                    deadline=day + dt.timedelta(days=90),
                    date=day,
                    unit="城庄镇人民政府",
                ),
            )
            backlog.progress(
                self.lx, c.ref, "包案领导首次接访，制定一案一策", date=day + dt.timedelta(days=5)
            )
            if outcome is not None:
                backlog.close(self.lx, c.ref, outcome=outcome, date=day + dt.timedelta(days=60))

    def add_hazard(
        self,
        village: str,
        found: dt.date,
        *,
        rectify_after: int | None,
        grade: codes.HazardGrade = codes.HazardGrade.general,
        close: bool = True,
    ) -> None:
        area = self.rng.choice(list(codes.HazardArea))
        location, description = HAZARDS[area]
        owner = self.enterprises.get(village, [])
        h = hazard.add(
            self.lx,
            HazardIn(
                village=village,
                subject=owner[0] if owner and area == codes.HazardArea.chemicals else None,
                area=area,
                description=f"{village}{description}",
                responsible=self.rng.choice(CADRES),
                grade=grade,
                location=location,
                found=found,
                sweep=self.sweep_for(village, found),
            ),
        )
        if rectify_after is None:
            return
        done = found + dt.timedelta(days=rectify_after)
        hazard.rectify(self.lx, h.ref, "已按整改方案完成整改", date=done)
        if close:
            hazard.close(
                self.lx,
                h.ref,
                self.rng.choice(CADRES),
                date=min(done + dt.timedelta(days=3), AS_OF),
            )

    def hazards(self) -> None:
        names = [v[0] for v in VILLAGES]
        for i in range(80):  # 2025, all rectified and closed
            found = self.day_in(dt.date(2025, 1, 10), dt.date(2025, 11, 30))
            self.add_hazard(names[i % len(names)], found, rectify_after=self.rng.randint(3, 25))
        # 2026: three still open on 2026-10-31 (one major, supervised, and overdue) ...
        self.add_hazard(
            "李家湾村", dt.date(2026, 6, 10), rectify_after=None, grade=codes.HazardGrade.major
        )
        self.add_hazard("五和居", dt.date(2026, 10, 12), rectify_after=None)
        self.add_hazard("后山村", dt.date(2026, 9, 14), rectify_after=None)
        # ... and 89 rectified, most of them re-checked and closed.
        for i in range(89):
            found = self.day_in(dt.date(2026, 1, 8), dt.date(2026, 10, 24))
            days = min(self.rng.randint(2, 28), (AS_OF - found).days)
            grade = codes.HazardGrade.major if i % 23 == 0 else codes.HazardGrade.general
            self.add_hazard(
                names[(i * 11) % len(names)],
                found,
                rectify_after=days,
                grade=grade,
                close=i % 5 != 0,
            )

    def hotspots_and_patrols(self) -> None:
        spots = []
        for village, day, text in [
            ("城庄村", dt.date(2026, 3, 5), "集贸市场周边夜间聚集滋事"),
            ("五和居", dt.date(2026, 5, 11), "小区周边网吧未成年人出入"),
            ("李家湾村", dt.date(2026, 7, 22), "煤场附近偷盗多发"),
        ]:
            s = hotspot.add(self.lx, HotspotIn(village=village, description=text, date=day))
            hotspot.rectify(
                self.lx, s.ref, "增设监控探头，加密巡逻", date=day + dt.timedelta(days=40)
            )
            spots.append((s.ref, village, day))
        names = [v[0] for v in VILLAGES]
        quiet = {"庙坪村", "沙坪村"}  # villages no patrol reached this year
        patrolled = [n for n in names if n not in quiet]
        day = dt.date(2026, 1, 3)
        i = 0
        while day <= AS_OF:
            night = i % 3 == 0
            villages = [
                patrolled[(i * 3 + k) % len(patrolled)] for k in range(self.rng.randint(1, 3))
            ]
            spot = next((ref for ref, v, d in spots if v in villages and d <= day), None)
            patrol.add(
                self.lx,
                PatrolIn(
                    village=villages,
                    team=self.rng.choice(list(codes.TeamKind)),
                    leader=self.rng.choice(CADRES),
                    people=self.rng.randint(3, 8),
                    date=day,
                    start="21:00" if night else "09:00",
                    end="01:30" if night else "11:30",
                    kind=codes.PatrolKind.night if night else codes.PatrolKind.routine,
                    findings="未发现异常" if i % 4 else "发现村民酒后争吵，已劝离",
                    action=None if i % 4 else "现场调解",
                    hotspot=spot,
                ),
            )
            day += dt.timedelta(days=self.rng.choice([2, 3, 4]))
            i += 1

    def cases_and_accidents(self) -> None:
        names = [v[0] for v in VILLAGES]
        # Two wordings in turn: two cases of one village on one day are two rows, not one
        # row twice (an import takes a row repeated word for word as the same record).
        said = ("酒后滋事，予以治安处罚", "酒后寻衅滋事，予以治安处罚")
        for village, n in ADMIN_2026.items():
            for k in range(n):
                case.add(
                    self.lx,
                    CaseIn(
                        kind=codes.CaseKind.administrative,
                        village=village,
                        summary=said[k % 2],
                        offence="寻衅滋事",
                        source="城庄派出所",
                        date=self.day_in(dt.date(2026, 1, 2), dt.date(2026, 10, 28)),
                    ),
                )
        for i in range(50):  # 2025, all before November (outside the grading window)
            case.add(
                self.lx,
                CaseIn(
                    kind=codes.CaseKind.administrative,
                    village=names[(i * 7) % len(names)],
                    summary="殴打他人，予以治安处罚",
                    offence="殴打他人",
                    source="城庄派出所",
                    date=self.day_in(dt.date(2025, 1, 2), dt.date(2025, 10, 28)),
                ),
            )
        case.add(
            self.lx,
            CaseIn(
                kind=codes.CaseKind.criminal,
                village="郭家湾村",
                summary="盗窃电缆",
                offence="盗窃",
                source="城庄派出所",
                date=dt.date(2025, 4, 9),
            ),
        )
        for village, day, kind, injuries, loss, text in [
            ("南沟村", dt.date(2026, 3, 18), codes.AccidentKind.road, 2, 3500, "农用三轮车侧翻"),
            ("后山村", dt.date(2026, 6, 2), codes.AccidentKind.fire, 0, 12000, "柴草堆失火"),
            (
                "马家坡村",
                dt.date(2026, 8, 27),
                codes.AccidentKind.production,
                1,
                800,
                "砖厂工人搬运时扭伤",
            ),
        ]:
            accident.add(
                self.lx,
                AccidentIn(
                    village=village, kind=kind, summary=text, injuries=injuries, loss=loss, date=day
                ),
            )

    def key_persons(self) -> None:
        # The five categories the demo was drawn with (issue 16 added correction and youth
        # later): the same people, in the same order, whatever the code list grows to.
        new = (codes.PersonCategory.correction, codes.PersonCategory.youth)
        categories = [c for c in codes.PersonCategory if c not in new]
        for village, n in KEY_PERSONS.items():
            for _ in range(n):
                category = categories[self.person_serial % len(categories)]
                female = self.rng.random() < 0.3
                born = dt.date(
                    self.rng.randint(1958, 2000), self.rng.randint(1, 12), self.rng.randint(1, 28)
                )
                risk = self.rng.randint(1, 4)
                listed = self.day_in(dt.date(2024, 3, 1), dt.date(2026, 6, 30))
                p = person.add(
                    self.lx,
                    PersonIn(
                        category=category,
                        name=self.name(),
                        id_number=self.id_number(born, female),
                        village=village,
                        phone=f"138{self.rng.randrange(10**7, 10**8)}",
                        address=f"{village}{self.rng.randint(1, 99)}号",
                        risk=risk,
                        guardian=self.name() if category == codes.PersonCategory.mental else None,
                        cadre=self.rng.choice(CADRES),
                        listed=listed,
                    ),
                )
                # Visits on schedule, with some lapsing in October (overdue visits to find).
                step = 7 if risk >= 3 else 30
                day = max(listed, dt.date(2026, 7, 1))
                stop = AS_OF - dt.timedelta(days=self.rng.choice([0, 0, 20, 45]))
                while day <= stop:
                    person.visit(
                        self.lx, p.ref, self.rng.choice(CADRES), "走访见面，情况稳定", date=day
                    )
                    day += dt.timedelta(days=step)


def _split(total: int, parts: int, rng: random.Random, *, low: int) -> list[int]:
    """`parts` whole numbers of at least `low` that add up to `total`."""
    weights = [rng.uniform(0.6, 1.6) for _ in range(parts)]
    scale = (total - low * parts) / sum(weights)
    values = [low + int(w * scale) for w in weights]
    values[0] += total - sum(values)
    return values


def build(lx: Ledger) -> None:
    """Fill an empty ledger with the demo town (lx.today should be AS_OF)."""
    Demo(lx).build()
