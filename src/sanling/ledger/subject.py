"""Creation subjects (创建主体): villages, communities, units and enterprises, and grades."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from sanling.codes import RESIDENTIAL, Grade, SubjectKind
from sanling.collate import name_key
from sanling.errors import Duplicate, InvalidState, InvalidValue
from sanling.i18n import label, tr
from sanling.ledger.base import ROBOT_FIELDS, Ledger, robot_shown, snapshot
from sanling.models import GradeChange, Subject, Town
from sanling.schemas import SubjectIn

FOUNDATIONS = ("mediation_committee", "security_committee", "patrol_team", "video", "police_office")


def add(lx: Ledger, data: SubjectIn) -> Subject:
    town = lx.town(data.town)
    name = lx.text(data.name, "name", required=True, limit=100)
    if lx.exists(Subject, Subject.town_id == town.id, Subject.name == name):
        raise Duplicate(
            tr(
                "{town}已有名为“{name}”的主体",
                "{town} has a subject named '{name}' already",
                town=town.name,
                name=name,
            ),
            tr("名称在一个乡镇内不能重复", "names are unique within a town"),
        )
    parent = None
    if data.kind == SubjectKind.town_office:
        _town_office(lx, town.id, data)
    elif data.kind in RESIDENTIAL:
        if data.village:
            raise InvalidValue(
                tr("行政村和社区没有所属村", "a village or community has no parent village"),
                tr("去掉 --village", "drop --village"),
            )
    else:
        if not data.village:
            raise InvalidValue(
                tr(
                    "单位和企业需要所属村（--village）",
                    "a unit or enterprise needs its village (--village)",
                ),
            )
        parent = lx.village(data.village, town=data.town)
        if parent.town_id != town.id:
            raise InvalidValue(tr("所属村不在本乡镇", "the parent village is in another town"))
        if data.households is not None or data.population is not None:
            raise InvalidValue(
                tr(
                    "户数和人口只登记在村（社区）",
                    "households and population belong to villages only",
                ),
            )
    subject = lx.new(
        Subject,
        town_id=town.id,
        name=name,
        kind=data.kind,
        parent_id=parent.id if parent else None,
        contact=lx.text(data.contact, "contact", limit=100),
        phone=lx.text(data.phone, "phone", limit=40),
        households=data.households,
        population=data.population,
        created_on=lx.today,
        **{f: getattr(data, f) for f in FOUNDATIONS},
    )
    lx.created(subject, "subject.add")
    return subject


def _town_office(lx: Ledger, town_id: int, data: SubjectIn) -> None:
    """The town itself (镇直): one per town, with no village, counts or grade."""
    if data.village or data.households is not None or data.population is not None:
        raise InvalidValue(
            tr(
                "镇直没有所属村、户数和人口",
                "the town itself (镇直) has no village, households or population",
            )
        )
    if lx.exists(Subject, Subject.town_id == town_id, Subject.kind == SubjectKind.town_office):
        raise Duplicate(
            tr("本乡镇已有镇直", "the town has its 镇直 (town_office) already"),
            tr(
                "`sanling subject list --kind town_office`",
                "`sanling subject list --kind town_office`",
            ),
        )


def update(lx: Ledger, name: str, changes: dict[str, Any], *, town: str | None = None) -> Subject:
    """Change contact, counts and foundations; `changes` holds only what was given."""
    subject = lx.subject(name, town=town)
    before = snapshot(subject)
    robot_changed = False
    for key, value in changes.items():
        if key in ("households", "population"):
            if subject.kind not in RESIDENTIAL:
                raise InvalidValue(
                    tr(
                        "户数和人口只登记在村（社区）",
                        "households and population belong to villages only",
                    )
                )
            value = lx.count(value, key)
        elif key in ("contact", "phone"):
            value = lx.text(value, key, limit=100)
        elif key == "new_name":
            new = lx.text(value, "name", required=True, limit=100)
            if new != subject.name and lx.exists(
                Subject, Subject.town_id == subject.town_id, Subject.name == new
            ):
                raise Duplicate(
                    tr(
                        "已有名为“{name}”的主体",
                        "a subject named '{name}' exists already",
                        name=new,
                    )
                )
            key, value = "name", new
        elif key in ROBOT_FIELDS:
            if subject.kind not in RESIDENTIAL:
                raise InvalidValue(
                    tr(
                        "群机器人只设在村（社区）",
                        "a group robot belongs to a village or community",
                    ),
                    tr(
                        "单位和企业的事项在其所属村的通报中",
                        "units and enterprises are in their village's bulletin",
                    ),
                )
            value = robot(lx, key, value)
            robot_changed = robot_changed or value != getattr(subject, key)
        elif key not in FOUNDATIONS:
            raise InvalidValue(f"cannot update {key}")
        setattr(subject, key, value)
    after = snapshot(subject)
    if after != before or robot_changed:  # a new key for the same host looks the same masked
        lx.audit("subject.update", subject.name, before, after)
    return subject


def robot(lx: Ledger, key: str, value: str) -> str | None:
    """A village robot's webhook URL (http or https, with a host) or DingTalk secret; empty
    text removes it."""
    text = lx.text(value, key, limit=2000 if key == "webhook" else 200)
    if not text:
        return None
    if key == "webhook":
        from sanling.config import webhook_refusal

        # The same rule as the town's robots: https, or http to this machine only.
        why = webhook_refusal(text)
        if why:
            raise InvalidValue(
                tr("群机器人地址不可用：{w}", "the robot webhook cannot be used: {w}", w=why),
                tr("空值（--webhook ''）可删除", "--webhook '' removes it"),
            )
    return text


def set_grade(
    lx: Ledger, subject: Subject, grade: Grade, reason: str, *, manual: bool
) -> GradeChange:
    """Record a grade in the village's history (a manual one is kept until changed by hand)."""
    if subject.kind not in RESIDENTIAL:
        raise InvalidValue(
            tr(
                "只有村（社区）定级，“{name}”是{kind}",
                "only villages and communities are graded; '{name}' is a {kind}",
                name=subject.name,
                kind=label(subject.kind),
            ),
        )
    reason_text = lx.text(reason, "reason", required=True, limit=1000) or ""
    before = snapshot(subject)
    change = GradeChange(
        subject_id=subject.id,
        date=lx.today,
        grade=grade,
        previous=subject.grade,
        reason=reason_text,
        manual=manual,
        operator=lx.operator,
    )
    subject.grade = grade
    subject.grade_manual = manual
    lx.session.add(change)
    lx.audit("subject.grade", subject.name, before, snapshot(subject))
    return change


def grade(lx: Ledger, name: str, grade: Grade, reason: str, *, town: str | None = None) -> Subject:
    subject = lx.subject(name, town=town)
    set_grade(lx, subject, grade, reason, manual=True)
    return subject


def retire(
    lx: Ledger, name: str, reason: str, *, town: str | None = None, date: Any = None
) -> Subject:
    subject = lx.subject(name, town=town)
    if lx.exists(Subject, Subject.parent_id == subject.id, Subject.active.is_(True)):
        raise InvalidState(
            tr(
                "“{name}”下还有在册的单位或企业",
                "'{name}' still has active units or enterprises",
                name=subject.name,
            ),
            tr("先注销它们", "retire them first"),
        )
    before = snapshot(subject)
    subject.active = False
    subject.retired_on = lx.date(date, "date")
    subject.retire_reason = lx.text(reason, "reason", required=True, limit=1000)
    lx.audit("subject.retire", subject.name, before, snapshot(subject))
    return subject


def listing(
    lx: Ledger,
    *,
    kind: SubjectKind | None = None,
    grade: Grade | None = None,
    town: str | None = None,
    village: str | None = None,
    include_retired: bool = False,
) -> list[dict[str, Any]]:
    parent = aliased(Subject)
    query = (
        select(Subject, Town.name, parent.name)
        .join(Town, Town.id == Subject.town_id)
        .outerjoin(parent, parent.id == Subject.parent_id)
        .order_by(Town.name, Subject.kind, Subject.name)
    )
    if kind:
        query = query.where(Subject.kind == kind)
    if grade:
        query = query.where(Subject.grade == grade)
    if town:
        query = query.where(Subject.town_id == lx.town(town).id)
    if village:
        query = query.where(Subject.parent_id == lx.village(village, town=town).id)
    if not include_retired:
        query = query.where(Subject.active.is_(True))
    found = list(lx.session.execute(query))
    # By town, kind and name, the names in pinyin order (collate.name_key), not code point.
    found.sort(key=lambda r: (name_key(r[1]), r[0].kind, name_key(r[0].name)))
    return [row(s, town_name, parent_name) for s, town_name, parent_name in found]


def row(s: Subject, town_name: str, parent_name: str | None) -> dict[str, Any]:
    return {
        "name": s.name,
        "kind": s.kind,
        "town": town_name,
        "parent": parent_name,
        "contact": s.contact,
        "phone": s.phone,
        "households": s.households,
        "population": s.population,
        **{f: getattr(s, f) for f in FOUNDATIONS},
        "grade": s.grade,
        "grade_manual": s.grade_manual,
        "active": s.active,
        "retired_on": s.retired_on,
        "retire_reason": s.retire_reason,
        "created_on": s.created_on,
        **{key: robot_shown(key, getattr(s, key)) for key in ROBOT_FIELDS},
    }


def detail(
    lx: Ledger, name: str, *, town: str | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A subject's fields and its grade history (a retired subject can still be shown)."""
    subject = lx.subject(name, town=town, include_retired=True)
    history = lx.session.scalars(
        select(GradeChange).where(GradeChange.subject_id == subject.id).order_by(GradeChange.id)
    )
    grades = [
        {
            "date": g.date,
            "grade": g.grade,
            "previous": g.previous,
            "manual": g.manual,
            "reason": g.reason,
            "operator": g.operator,
        }
        for g in history
    ]
    return row(subject, subject.town.name, subject.parent.name if subject.parent else None), grades
