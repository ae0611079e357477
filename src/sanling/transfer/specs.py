"""What each kind of record looks like in a spreadsheet: its columns, their header variants,
how a row is added (the same ledger operation as the `add` command, then the resolution or
rectification the row records), its natural key, and how it is exported.

Columns are the option names of the matching `add` command (schemas.py field names), plus a
few columns that record what happened later (a dispute's resolution, a hazard's rectification,
a backlog case's closure). Headers are matched after normalising: full-width characters,
spaces, `*` marks and case do not matter.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import import_module
from typing import Any

from sanling.codes import (
    BacklogOutcome,
    DisputeStatus,
    HazardStatus,
    ResolutionMethod,
)
from sanling.i18n import HEADERS, get_lang
from sanling.schemas import (
    AccidentIn,
    BacklogIn,
    CaseIn,
    DisputeIn,
    HazardIn,
    HotspotIn,
    Input,
    PatrolIn,
    PersonIn,
    PetitionIn,
    SubjectIn,
    SweepIn,
)

# Value types of a column: how a cell is read and written.
TEXT, DATE, DEADLINE, INT, FLOAT, FLAG, CODE, LIST, TIME, DIGITS = (
    "text",
    "date",
    "deadline",
    "int",
    "float",
    "flag",
    "code",
    "list",
    "time",
    "digits",
)

# Headers that are never data: row numbers (序号) and sanling's own reference numbers (编号;
# sanling gives every imported record a new one).
IGNORED = ("序号", "序", "no", "no.", "#", "编号", "ref", "案号", "行号")


def norm(text: Any) -> str:
    """A header as compared: NFKC (full-width to half-width), lower case, no spaces, no `*`,
    `-` and spaces in English names as `_`, no trailing colon."""
    value = unicodedata.normalize("NFKC", str(text)).strip().lower()
    value = value.replace("*", "").replace("＊", "").rstrip(":").strip()
    value = "_".join(value.replace("-", " ").split())
    return value


@dataclass(frozen=True)
class Col:
    key: str  # schema field, or an extra the row's after-step reads
    vtype: str = TEXT
    aliases: tuple[str, ...] = ()
    title: tuple[str, str] | None = None  # export header (zh, en); default the catalog's
    enum: type[StrEnum] | None = None  # for CODE columns that are extras
    required: bool = False
    extra: bool = False  # not a field of the add command's input
    export_only: bool = False  # written on export (ref), ignored on import

    def heading(self, lang: str | None = None) -> str:
        lang = lang or get_lang()
        zh, en = self.title or HEADERS.get(self.key, (self.key, self.key))
        return zh if lang == "zh" else en

    def names(self) -> set[str]:
        """Every normalised header accepted for this column."""
        zh, en = HEADERS.get(self.key, (self.key, self.key))
        names = {self.key, self.key.replace("_", "-"), zh, en, *self.aliases}
        if self.title:
            names.update(self.title)
        return {norm(n) for n in names}


@dataclass
class Row:
    """One spreadsheet row on its way in: the add command's input and the extras."""

    number: int
    data: Input
    extras: dict[str, Any]
    columns: dict[str, str]  # column key -> header as written in the file


@dataclass
class Spec:
    kind: str
    noun: str  # ledger module: sanling.ledger.<noun>
    schema: type[Input]
    columns: list[Col]
    key: Callable[[Any, Input], tuple[Any, ...]]  # natural key of an input row
    existing: Callable[[Any], set[tuple[Any, ...]]]  # natural keys already in the ledger
    export: Callable[[Any, bool], list[dict[str, Any]]]  # rows to export (lx, reveal)
    after: Callable[[Any, Any, Row], None] | None = None  # resolution, rectification...
    label: tuple[str, str] = ("", "")
    lookup: dict[str, Col] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for col in self.columns:
            if col.export_only:
                continue
            for name in col.names():
                other = self.lookup.get(name)
                if other is not None and other.key != col.key:
                    raise AssertionError(
                        f"{self.kind}: header {name!r} is both {other.key} and {col.key}"
                    )
                self.lookup[name] = col
        fields = self.schema.model_fields
        for col in self.columns:
            if not col.extra and not col.export_only:
                assert col.key in fields, (
                    f"{self.kind}: {col.key} is not a field of {self.schema.__name__}"
                )

    def module(self) -> Any:
        return import_module(f"sanling.ledger.{self.noun}")

    def required(self) -> list[Col]:
        fields = self.schema.model_fields
        return [
            c
            for c in self.columns
            if not c.extra and not c.export_only and fields[c.key].is_required()
        ]

    def column(self, header: Any) -> Col | None:
        return self.lookup.get(norm(header))

    def name(self) -> str:
        return self.label[0] if get_lang() == "zh" else self.label[1]


# ---- shared header variants ------------------------------------------------------------
VILLAGE = (
    "所属村",
    "村名",
    "村(社区)",
    "所属村(社区)",
    "村社区",
    "所在村",
    "行政村",
    "村居",
    "村别",
    "村",
    "社区",
    "所属社区",
    "village_name",
)
SUBJECT = ("创建主体", "主体", "主体名称", "涉及主体")
TOWN = ("所属乡镇", "乡镇", "乡镇名称", "镇")
FOUND = ("排查时间", "发现日期", "发现时间", "排查日期", "登记日期", "受理日期", "受理时间", "date")
SUMMARY = ("简要情况", "基本情况", "主要内容", "事由", "内容", "情况简介", "简要内容")


def _c(key: str, type_: str = TEXT, *aliases: str, **kw: Any) -> Col:
    return Col(key, type_, tuple(aliases), **kw)


REF = Col("ref", export_only=True)


# ---- helpers for keys and exports ---------------------------------------------------------
def _village_id(lx: Any, name: str, town: str | None) -> int:
    return int(lx.village(name, town=town).id)


def _day(lx: Any, value: Any, field: str) -> dt.date:
    day: dt.date = lx.date(value, field)
    return day


def _text(value: str | None) -> str:
    return (value or "").strip()


def _keys(lx: Any, *columns: Any) -> set[tuple[Any, ...]]:
    from sqlalchemy import select

    return {tuple(r) for r in lx.session.execute(select(*columns))}


def _parse_time(value: Any) -> Any:
    if isinstance(value, dt.time) or value is None:
        return value
    try:
        hh, mm = str(value).strip().replace("：", ":").split(":")[:2]
        return dt.time(int(hh), int(mm))
    except (ValueError, TypeError):
        return value


# ---- subjects ---------------------------------------------------------------------------
def _subject_key(lx: Any, d: Any) -> tuple[Any, ...]:
    return (lx.town(d.town).id, _text(d.name))


def _subject_existing(lx: Any) -> set[tuple[Any, ...]]:
    from sanling.models import Subject

    return _keys(lx, Subject.town_id, Subject.name)


def _subject_export(lx: Any, reveal: bool) -> list[dict[str, Any]]:
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    from sanling.models import Subject, Town

    parent = aliased(Subject)
    query = (
        select(Subject, Town.name, parent.name)
        .join(Town, Town.id == Subject.town_id)
        .outerjoin(parent, parent.id == Subject.parent_id)
        .where(Subject.active.is_(True))
        .order_by(Subject.id)
    )
    flags = ("mediation_committee", "security_committee", "patrol_team", "video", "police_office")
    return [
        {
            "name": s.name,
            "kind": s.kind,
            "village": pname,
            "town": tname,
            "households": s.households,
            "population": s.population,
            "contact": s.contact,
            "phone": s.phone,
            **{f: getattr(s, f) for f in flags},
        }
        for s, tname, pname in lx.session.execute(query)
    ]


SUBJECTS = Spec(
    "subjects",
    "subject",
    SubjectIn,
    [
        _c(
            "name",
            TEXT,
            "名称",
            "主体名称",
            "村(社区)名称",
            "单位名称",
            "企业名称",
            "单位(企业)名称",
        ),
        _c("kind", CODE, "类型", "主体类型", "类别"),
        _c("village", TEXT, "所属村", "所属村(社区)", "上级村", "parent", "parent_village"),
        _c("town", TEXT, *TOWN),
        _c("households", INT, "户数", "总户数"),
        _c("population", INT, "人口", "人口数", "总人口", "人数"),
        _c("contact", TEXT, "负责人", "联系人", "村支书", "主要负责人"),
        _c("phone", DIGITS, "联系电话", "电话", "手机", "手机号", "联系方式"),
        _c("mediation_committee", FLAG, "调委会", "人民调解委员会", "有调委会"),
        _c("security_committee", FLAG, "治保会", "治安保卫委员会", "有治保会"),
        _c("patrol_team", FLAG, "巡逻队", "治安巡逻队", "有巡逻队"),
        _c("video", FLAG, "雪亮工程", "视频监控", "video_coverage"),
        _c("police_office", FLAG, "警务室", "社区警务室", "有警务室"),
    ],
    _subject_key,
    _subject_existing,
    _subject_export,
    label=("创建主体", "subjects"),
)


# ---- sweeps -----------------------------------------------------------------------------
def _sweep_key(lx: Any, d: Any) -> tuple[Any, ...]:
    return (lx.subject(d.subject, town=d.town).id, _day(lx, d.date, "date"), _text(d.by))


def _sweep_existing(lx: Any) -> set[tuple[Any, ...]]:
    from sanling.models import Sweep

    return _keys(lx, Sweep.subject_id, Sweep.date, Sweep.by)


def _sweep_export(lx: Any, reveal: bool) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from sanling.models import Subject, Sweep, Town

    query = (
        select(Sweep, Subject.name, Town.name)
        .join(Subject, Subject.id == Sweep.subject_id)
        .join(Town, Town.id == Sweep.town_id)
        .order_by(Sweep.id)
    )
    return [
        {
            "ref": s.ref,
            "subject": name,
            "date": s.date,
            "by": s.by,
            "scope": s.scope,
            "note": s.note,
            "town": tname,
        }
        for s, name, tname in lx.session.execute(query)
    ]


SWEEPS = Spec(
    "sweeps",
    "sweep",
    SweepIn,
    [
        REF,
        _c("subject", TEXT, *SUBJECT, *VILLAGE, "排查主体", "排查对象", "排查单位"),
        _c("date", DATE, "排查日期", "排查时间", "日期", title=("排查日期", "date")),
        _c("by", TEXT, "排查人", "排查人员", "排查责任人"),
        _c("scope", CODE, "排查范围", "排查内容", "范围"),
        _c("note", TEXT, "备注", "排查情况", "说明"),
        _c("town", TEXT, *TOWN),
    ],
    _sweep_key,
    _sweep_existing,
    _sweep_export,
    label=("排查", "sweeps"),
)


# ---- disputes ---------------------------------------------------------------------------
def _dispute_key(lx: Any, d: Any) -> tuple[Any, ...]:
    return (
        _village_id(lx, d.village, d.town),
        _day(lx, d.found, "found"),
        _text(d.summary),
        _text(d.handler),
    )


def _dispute_existing(lx: Any) -> set[tuple[Any, ...]]:
    from sanling.models import Dispute

    return _keys(lx, Dispute.village_id, Dispute.found, Dispute.summary, Dispute.handler)


def _dispute_export(lx: Any, reveal: bool) -> list[dict[str, Any]]:
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    from sanling.models import Dispute, Subject, Sweep, Town

    village, subject = aliased(Subject), aliased(Subject)
    query = (
        select(Dispute, village.name, subject.name, Sweep.ref, Town.name)
        .join(village, village.id == Dispute.village_id)
        .outerjoin(subject, subject.id == Dispute.subject_id)
        .outerjoin(Sweep, Sweep.id == Dispute.sweep_id)
        .join(Town, Town.id == Dispute.town_id)
        .order_by(Dispute.id)
    )
    rows = []
    for d, vname, sname, sweep_ref, tname in lx.session.execute(query):
        rows.append(
            {
                "ref": d.ref,
                "village": vname,
                "subject": sname,
                "found": d.found,
                "source": d.source,
                "category": d.category,
                "summary": d.summary,
                "parties": d.parties,
                "people": d.people,
                "risk": d.risk,
                "handler": d.handler,
                "lead": d.lead,
                "deadline": d.deadline,
                "sweep": sweep_ref,
                "status": d.status,
                "resolved_on": d.resolved_on,
                "method": d.method,
                "result": d.result,
                "referred_to": d.referred_to,
                "referred_on": d.referred_on,
                "town": tname,
            }
        )
    return rows


def _dispute_after(lx: Any, obj: Any, row: Row) -> None:
    from sanling.errors import InvalidValue
    from sanling.i18n import label, tr

    x = row.extras
    status = x.get("status")
    if status is None and x.get("resolved_on") is not None:
        status = DisputeStatus.resolved
    if status is None and x.get("referred_to"):
        status = DisputeStatus.referred
    if status in (None, DisputeStatus.open):
        return
    ops = row_ops("dispute")
    if status == DisputeStatus.resolved:
        if x.get("resolved_on") is None:
            raise ColumnError(
                "resolved_on",
                InvalidValue(
                    tr("已化解的纠纷需要化解日期", "a resolved dispute needs its resolution date")
                ),
            )
        if x.get("method") is None:
            raise ColumnError(
                "method",
                InvalidValue(
                    tr(
                        "已化解的纠纷需要化解方式（调解/诉讼/行政/信访）",
                        "a resolved dispute needs its method (mediation, legal, administrative, petition)",
                    )
                ),
            )
        ops.resolve(
            lx,
            obj.ref,
            method=x["method"],
            result=x.get("result") or label(status),
            date=x["resolved_on"],
        )
    elif status == DisputeStatus.referred:
        if not x.get("referred_to"):
            raise ColumnError(
                "referred_to",
                InvalidValue(
                    tr("已移交的纠纷需要移交单位", "a referred dispute needs the body it went to")
                ),
            )
        ops.refer(lx, obj.ref, to=x["referred_to"], date=x.get("referred_on"))
    else:  # in_progress, stabilized
        note = tr("导入时状态：{s}", "status on import: {s}", s=label(status))
        ops.progress(lx, obj.ref, note, status=status, date=None)


DISPUTES = Spec(
    "disputes",
    "dispute",
    DisputeIn,
    [
        REF,
        _c("village", TEXT, *VILLAGE),
        _c("subject", TEXT, *SUBJECT),
        _c("found", DATE, *FOUND),
        _c("source", CODE, "来源", "纠纷来源", "线索来源"),
        _c("category", CODE, "类别", "纠纷类别", "纠纷类型", "类型", "矛盾类型"),
        _c("summary", TEXT, *SUMMARY, "纠纷简要情况", "纠纷内容", "矛盾纠纷简要情况", "纠纷事由"),
        _c("parties", TEXT, "当事人", "当事人姓名", "双方当事人", "当事人双方"),
        _c("people", INT, "涉及人数", "人数", "涉及群众人数"),
        _c("risk", CODE, "风险等级", "风险级别", "等级"),
        _c("handler", TEXT, "首办责任人", "责任人", "首办人", "承办人", "化解责任人"),
        _c("lead", TEXT, "包案领导", "包联领导", "包案责任领导"),
        _c("deadline", DEADLINE, "化解时限", "办结时限", "限期", "化解期限"),
        _c("sweep", TEXT, "排查记录", "排查编号"),
        _c(
            "status",
            CODE,
            "状态",
            "化解状态",
            "是否化解",
            "目前状态",
            enum=DisputeStatus,
            extra=True,
        ),
        _c("resolved_on", DATE, "化解日期", "化解时间", "办结日期", "办结时间", extra=True),
        _c("method", CODE, "化解方式", "处理方式", "调处方式", enum=ResolutionMethod, extra=True),
        _c("result", TEXT, "化解情况", "化解结果", "处理结果", "调处结果", extra=True),
        _c("referred_to", TEXT, "移交单位", "移交部门", extra=True),
        _c("referred_on", DATE, "移交日期", "移交时间", extra=True),
        _c("town", TEXT, *TOWN),
    ],
    _dispute_key,
    _dispute_existing,
    _dispute_export,
    _dispute_after,
    label=("矛盾纠纷", "disputes"),
)


# ---- petitions ----------------------------------------------------------------------------
def _petition_key(lx: Any, d: Any) -> tuple[Any, ...]:
    return (
        _village_id(lx, d.village, d.town),
        _day(lx, d.date, "date"),
        str(d.form),
        _text(d.summary),
    )


def _petition_existing(lx: Any) -> set[tuple[Any, ...]]:
    from sanling.models import Petition

    return {
        (v, day, str(f), s)
        for v, day, f, s in _keys(
            lx, Petition.village_id, Petition.date, Petition.form, Petition.summary
        )
    }


def _petition_export(lx: Any, reveal: bool) -> list[dict[str, Any]]:
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    from sanling.models import Dispute, Petition, Subject, Town

    village, subject = aliased(Subject), aliased(Subject)
    query = (
        select(Petition, village.name, subject.name, Dispute.ref, Town.name)
        .join(village, village.id == Petition.village_id)
        .outerjoin(subject, subject.id == Petition.subject_id)
        .outerjoin(Dispute, Dispute.id == Petition.dispute_id)
        .join(Town, Town.id == Petition.town_id)
        .order_by(Petition.id)
    )
    return [
        {
            "ref": p.ref,
            "village": vname,
            "subject": sname,
            "date": p.date,
            "form": p.form,
            "level": p.level,
            "people": p.people,
            "repeated": p.repeated,
            "abnormal": p.abnormal,
            "summary": p.summary,
            "dispute": dref,
            "handled_at_source": p.handled_at_source,
            "town": tname,
        }
        for p, vname, sname, dref, tname in lx.session.execute(query)
    ]


PETITIONS = Spec(
    "petitions",
    "petition",
    PetitionIn,
    [
        REF,
        _c("village", TEXT, *VILLAGE),
        _c("subject", TEXT, *SUBJECT),
        _c(
            "date",
            DATE,
            "信访日期",
            "信访时间",
            "来访日期",
            "来访时间",
            "登记日期",
            "日期",
            "时间",
            title=("信访日期", "date"),
        ),
        _c("form", CODE, "形式", "信访形式", "来访形式", "方式", "信访方式"),
        _c("level", CODE, "层级", "信访层级", "上访层级", "到访层级", "去向"),
        _c(
            "people",
            INT,
            "人数",
            "信访人数",
            "上访人数",
            "来访人数",
            "涉及人数",
            title=("人数", "people"),
        ),
        _c("repeated", FLAG, "重复访", "是否重复访"),
        _c("abnormal", FLAG, "非正常访", "是否非正常访", "非正常上访"),
        _c("summary", TEXT, *SUMMARY, "信访事项", "主要诉求", "反映问题", "信访内容", "诉求"),
        _c("dispute", TEXT, "关联纠纷", "纠纷编号"),
        _c("handled_at_source", FLAG, "源头化解", "是否源头化解", "就地化解"),
        _c("town", TEXT, *TOWN),
    ],
    _petition_key,
    _petition_existing,
    _petition_export,
    label=("信访", "petitions"),
)


# ---- backlog cases --------------------------------------------------------------------------
def _backlog_key(lx: Any, d: Any) -> tuple[Any, ...]:
    return (
        _village_id(lx, d.village, d.town),
        _day(lx, d.date, "date"),
        _text(d.petitioner),
        _text(d.summary),
    )


def _backlog_existing(lx: Any) -> set[tuple[Any, ...]]:
    from sanling.models import BacklogCase as B

    return _keys(lx, B.village_id, B.assigned_on, B.petitioner, B.summary)


def _backlog_export(lx: Any, reveal: bool) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from sanling.models import BacklogCase, Subject, Town

    query = (
        select(BacklogCase, Subject.name, Town.name)
        .join(Subject, Subject.id == BacklogCase.village_id)
        .join(Town, Town.id == BacklogCase.town_id)
        .order_by(BacklogCase.id)
    )
    return [
        {
            "ref": b.ref,
            "date": b.assigned_on,
            "assigned_by": b.assigned_by,
            "village": vname,
            "petitioner": b.petitioner,
            "summary": b.summary,
            "lead": b.lead,
            "unit": b.unit,
            "plan": b.plan,
            "deadline": b.deadline,
            "closed_on": b.closed_on,
            "outcome": b.outcome,
            "outcome_on": None if b.closed_on else b.outcome_on,
            "town": tname,
        }
        for b, vname, tname in lx.session.execute(query)
    ]


def _backlog_after(lx: Any, obj: Any, row: Row) -> None:
    from sanling.errors import InvalidValue
    from sanling.i18n import tr

    x = row.extras
    ops = row_ops("backlog")
    if x.get("closed_on") is not None:
        if x.get("outcome") is None:
            raise ColumnError(
                "outcome",
                InvalidValue(
                    tr(
                        "已办结的积案需要化解情况（息诉罢访/稳控/未化解）",
                        "a closed case needs its outcome (settled, stabilized, unsettled)",
                    )
                ),
            )
        ops.close(lx, obj.ref, outcome=x["outcome"], date=x["closed_on"])
    elif x.get("outcome") is not None:
        # assessed but not closed yet (backlog settle)
        if x.get("outcome_on") is None:
            raise ColumnError(
                "outcome_on",
                InvalidValue(
                    tr(
                        "未办结积案的化解情况需要日期",
                        "an outcome of a case not closed needs its date",
                    )
                ),
            )
        ops.settle(lx, obj.ref, outcome=x["outcome"], date=x["outcome_on"])


BACKLOG = Spec(
    "backlog",
    "backlog",
    BacklogIn,
    [
        REF,
        _c("date", DATE, "交办日期", "交办时间", "日期", title=("交办日期", "assigned on")),
        _c("assigned_by", CODE, "交办层级", "交办单位", "交办级别", "assigned"),
        _c("village", TEXT, *VILLAGE),
        _c("petitioner", TEXT, "信访人", "上访人", "信访人姓名", "当事人"),
        _c("summary", TEXT, *SUMMARY, "信访事项", "主要诉求", "反映问题", "案件简要情况"),
        _c("lead", TEXT, "包案领导", "包联领导", "包案责任领导"),
        _c("unit", TEXT, "责任单位", "承办单位"),
        _c("plan", TEXT, "一案一策措施", "一案一策", "化解措施", "措施", "工作措施"),
        _c("deadline", DEADLINE, "化解时限", "办结时限", "限期"),
        _c("closed_on", DATE, "办结日期", "办结时间", extra=True),
        _c("outcome", CODE, "化解情况", "化解结果", "是否化解", enum=BacklogOutcome, extra=True),
        _c("outcome_on", DATE, "化解认定日期", "化解日期", extra=True),
        _c("town", TEXT, *TOWN),
    ],
    _backlog_key,
    _backlog_existing,
    _backlog_export,
    _backlog_after,
    label=("信访积案", "backlog cases"),
)


# ---- hazards ----------------------------------------------------------------------------------
def _hazard_key(lx: Any, d: Any) -> tuple[Any, ...]:
    return (
        _village_id(lx, d.village, d.town),
        _day(lx, d.found, "found"),
        str(d.area),
        _text(d.description),
    )


def _hazard_existing(lx: Any) -> set[tuple[Any, ...]]:
    from sanling.models import Hazard

    return {
        (v, day, str(a), s)
        for v, day, a, s in _keys(
            lx, Hazard.village_id, Hazard.found, Hazard.area, Hazard.description
        )
    }


def _hazard_export(lx: Any, reveal: bool) -> list[dict[str, Any]]:
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    from sanling.models import Hazard, Subject, Sweep, Town

    village, subject = aliased(Subject), aliased(Subject)
    query = (
        select(Hazard, village.name, subject.name, Sweep.ref, Town.name)
        .join(village, village.id == Hazard.village_id)
        .outerjoin(subject, subject.id == Hazard.subject_id)
        .outerjoin(Sweep, Sweep.id == Hazard.sweep_id)
        .join(Town, Town.id == Hazard.town_id)
        .order_by(Hazard.id)
    )
    return [
        {
            "ref": h.ref,
            "village": vname,
            "subject": sname,
            "found": h.found,
            "area": h.area,
            "grade": h.grade,
            "location": h.location,
            "description": h.description,
            "measures": h.measures,
            "responsible": h.responsible,
            "deadline": h.deadline,
            "sweep": sweep_ref,
            "status": h.status,
            "rectified_on": h.rectified_on,
            "closed_on": h.closed_on,
            "checked_by": h.checked_by,
            "town": tname,
        }
        for h, vname, sname, sweep_ref, tname in lx.session.execute(query)
    ]


def _hazard_after(lx: Any, obj: Any, row: Row) -> None:
    from sanling.errors import InvalidValue
    from sanling.i18n import tr

    x = row.extras
    status = x.get("status")
    if status is None:
        if x.get("closed_on") is not None or x.get("checked_by"):
            status = HazardStatus.closed
        elif x.get("rectified_on") is not None:
            status = HazardStatus.rectified
    if status in (None, HazardStatus.open):
        return
    ops = row_ops("hazard")
    if status == HazardStatus.rectifying:
        ops.start(lx, obj.ref)
        return
    if x.get("rectified_on") is None:
        raise ColumnError(
            "rectified_on",
            InvalidValue(
                tr("已整改的隐患需要整改日期", "a rectified hazard needs its rectification date")
            ),
        )
    measures = getattr(row.data, "measures", None)
    if not measures:
        raise ColumnError(
            "measures",
            InvalidValue(
                tr("已整改的隐患需要整改措施", "a rectified hazard needs the measures taken")
            ),
        )
    ops.rectify(lx, obj.ref, measures=measures, date=x["rectified_on"])
    if status == HazardStatus.closed:
        if not x.get("checked_by"):
            raise ColumnError(
                "checked_by",
                InvalidValue(
                    tr("已销号的隐患需要复查人", "a closed hazard needs who re-checked it")
                ),
            )
        # Without a 销号日期 the re-check is dated by the rectification, never by today.
        ops.close(
            lx, obj.ref, checked_by=x["checked_by"], date=x.get("closed_on") or x["rectified_on"]
        )


HAZARDS = Spec(
    "hazards",
    "hazard",
    HazardIn,
    [
        REF,
        _c("village", TEXT, *VILLAGE),
        _c("subject", TEXT, *SUBJECT),
        _c("found", DATE, *FOUND),
        _c("area", CODE, "领域", "隐患领域", "隐患类别", "隐患类型", "类别", "类型", "行业领域"),
        _c("grade", CODE, "隐患等级", "等级", "级别", "隐患级别"),
        _c("location", TEXT, "隐患部位", "部位", "地点", "隐患地点", "位置"),
        _c(
            "description",
            TEXT,
            "隐患描述",
            "隐患情况",
            "存在问题",
            "隐患内容",
            "主要隐患",
            "隐患简要情况",
            "简要情况",
        ),
        _c("measures", TEXT, "整改措施", "措施", "整改情况"),
        _c("responsible", TEXT, "责任人", "整改责任人", "责任单位", "整改责任单位"),
        _c("deadline", DEADLINE, "完成时限", "整改时限", "整改期限", "限期", "化解时限"),
        _c("sweep", TEXT, "排查记录", "排查编号"),
        _c("status", CODE, "状态", "整改状态", "是否整改", enum=HazardStatus, extra=True),
        _c("rectified_on", DATE, "整改日期", "整改完成日期", "完成日期", "整改时间", extra=True),
        _c("closed_on", DATE, "销号日期", "销号时间", "复查日期", extra=True),
        _c("checked_by", TEXT, "复查人", "销号人", "复查销号人", extra=True),
        _c("town", TEXT, *TOWN),
    ],
    _hazard_key,
    _hazard_existing,
    _hazard_export,
    _hazard_after,
    label=("安全隐患", "hazards"),
)


# ---- hotspots -----------------------------------------------------------------------------------
def _hotspot_key(lx: Any, d: Any) -> tuple[Any, ...]:
    return (_village_id(lx, d.village, d.town), _day(lx, d.date, "date"), _text(d.description))


def _hotspot_existing(lx: Any) -> set[tuple[Any, ...]]:
    from sanling.models import Hotspot

    return _keys(lx, Hotspot.village_id, Hotspot.found, Hotspot.description)


def _hotspot_export(lx: Any, reveal: bool) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from sanling.models import Hotspot, Subject, Town

    query = (
        select(Hotspot, Subject.name, Town.name)
        .join(Subject, Subject.id == Hotspot.village_id)
        .join(Town, Town.id == Hotspot.town_id)
        .order_by(Hotspot.id)
    )
    return [
        {
            "ref": h.ref,
            "village": vname,
            "date": h.found,
            "description": h.description,
            "measures": h.measures,
            "rectified_on": h.rectified_on,
            "town": tname,
        }
        for h, vname, tname in lx.session.execute(query)
    ]


def _hotspot_after(lx: Any, obj: Any, row: Row) -> None:
    from sanling.errors import InvalidValue
    from sanling.i18n import tr

    x = row.extras
    if x.get("rectified_on") is None:
        return
    if not x.get("measures"):
        raise ColumnError(
            "measures",
            InvalidValue(
                tr("已整治的乱点需要整治措施", "a rectified hotspot needs the measures taken")
            ),
        )
    row_ops("hotspot").rectify(lx, obj.ref, measures=x["measures"], date=x["rectified_on"])


HOTSPOTS = Spec(
    "hotspots",
    "hotspot",
    HotspotIn,
    [
        REF,
        _c("village", TEXT, *VILLAGE),
        _c("date", DATE, *FOUND[:-1], "日期", title=("发现日期", "date")),
        _c(
            "description",
            TEXT,
            "乱点描述",
            "乱点情况",
            "存在问题",
            "主要问题",
            "描述",
            "简要情况",
            "治安乱点",
            title=("乱点情况", "description"),
        ),
        _c(
            "measures",
            TEXT,
            "整治措施",
            "整改措施",
            "措施",
            extra=True,
            title=("整治措施", "measures"),
        ),
        _c(
            "rectified_on",
            DATE,
            "整治日期",
            "整改日期",
            "整治完成日期",
            "完成日期",
            extra=True,
            title=("整治日期", "rectified on"),
        ),
        _c("town", TEXT, *TOWN),
    ],
    _hotspot_key,
    _hotspot_existing,
    _hotspot_export,
    _hotspot_after,
    label=("治安乱点", "hotspots"),
)


# ---- patrols --------------------------------------------------------------------------------------
def _patrol_key(lx: Any, d: Any) -> tuple[Any, ...]:
    return (
        lx.town(d.town).id,
        _day(lx, d.date, "date"),
        _text(d.leader),
        str(d.team),
        _parse_time(d.start),
    )


def _patrol_existing(lx: Any) -> set[tuple[Any, ...]]:
    from sanling.models import Patrol

    return {
        (t, day, leader, str(team), start)
        for t, day, leader, team, start in _keys(
            lx, Patrol.town_id, Patrol.date, Patrol.leader, Patrol.team, Patrol.start
        )
    }


def _patrol_export(lx: Any, reveal: bool) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from sanling.models import Hotspot, Patrol, PatrolVillage, Subject, Town

    names: dict[int, list[str]] = {}
    pv = (
        select(PatrolVillage.patrol_id, Subject.name)
        .join(Subject, Subject.id == PatrolVillage.village_id)
        .order_by(PatrolVillage.patrol_id, Subject.id)
    )
    for pid, vname in lx.session.execute(pv):
        names.setdefault(pid, []).append(vname)
    query = (
        select(Patrol, Hotspot.ref, Town.name)
        .outerjoin(Hotspot, Hotspot.id == Patrol.hotspot_id)
        .join(Town, Town.id == Patrol.town_id)
        .order_by(Patrol.id)
    )
    return [
        {
            "ref": p.ref,
            "date": p.date,
            "start": p.start,
            "end": p.end,
            "village": names.get(p.id, []),
            "kind": p.kind,
            "team": p.team,
            "leader": p.leader,
            "people": p.people,
            "route": p.route,
            "findings": p.findings,
            "action": p.action,
            "to_police": p.to_police,
            "hotspot": href,
            "town": tname,
        }
        for p, href, tname in lx.session.execute(query)
    ]


PATROLS = Spec(
    "patrols",
    "patrol",
    PatrolIn,
    [
        REF,
        _c("date", DATE, "巡逻日期", "日期", "巡逻时间", title=("巡逻日期", "date")),
        _c("start", TIME, "开始时间", "起始时间", "出发时间"),
        _c("end", TIME, "结束时间", "返回时间"),
        _c(
            "village",
            LIST,
            "巡逻村",
            "巡逻区域",
            "巡逻范围",
            *VILLAGE,
            "villages",
            title=("巡逻村", "village"),
        ),
        _c("kind", CODE, "巡逻类型", "类型", "巡逻方式"),
        _c("team", CODE, "队伍", "巡逻队伍", "队伍类型", "巡逻力量"),
        _c("leader", TEXT, "带队人", "带队领导", "负责人", "带班领导"),
        _c("people", INT, "人数", "巡逻人数", "参与人数", "出动人数", title=("巡逻人数", "people")),
        _c("route", TEXT, "路线", "巡逻路线"),
        _c("findings", TEXT, "发现问题", "巡逻情况"),
        _c("action", TEXT, "处置情况", "处理情况"),
        _c("to_police", FLAG, "移交公安", "是否移交公安", "移交派出所"),
        _c("hotspot", TEXT, "关联乱点", "乱点编号"),
        _c("town", TEXT, *TOWN),
    ],
    _patrol_key,
    _patrol_existing,
    _patrol_export,
    label=("治安巡逻", "patrols"),
)


# ---- cases ------------------------------------------------------------------------------------------
def _case_key(lx: Any, d: Any) -> tuple[Any, ...]:
    return (
        _village_id(lx, d.village, d.town),
        _day(lx, d.date, "date"),
        str(d.kind),
        _text(d.summary),
    )


def _case_existing(lx: Any) -> set[tuple[Any, ...]]:
    from sanling.models import Case

    return {
        (v, day, str(k), s)
        for v, day, k, s in _keys(lx, Case.village_id, Case.date, Case.kind, Case.summary)
    }


def _case_export(lx: Any, reveal: bool) -> list[dict[str, Any]]:
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    from sanling.models import Case, Subject, Town

    village, subject = aliased(Subject), aliased(Subject)
    query = (
        select(Case, village.name, subject.name, Town.name)
        .join(village, village.id == Case.village_id)
        .outerjoin(subject, subject.id == Case.subject_id)
        .join(Town, Town.id == Case.town_id)
        .order_by(Case.id)
    )
    return [
        {
            "ref": c.ref,
            "kind": c.kind,
            "village": vname,
            "subject": sname,
            "date": c.date,
            "offence": c.offence,
            "major": c.major,
            "summary": c.summary,
            "source": c.source,
            "town": tname,
        }
        for c, vname, sname, tname in lx.session.execute(query)
    ]


CASES = Spec(
    "cases",
    "case",
    CaseIn,
    [
        REF,
        _c("kind", CODE, "案件类型", "案件性质", "类型", "性质", title=("案件类型", "kind")),
        _c("village", TEXT, *VILLAGE, "发案地点"),
        _c("subject", TEXT, *SUBJECT),
        _c(
            "date",
            DATE,
            "发案日期",
            "发案时间",
            "立案日期",
            "受理日期",
            "日期",
            title=("发案日期", "date"),
        ),
        _c("offence", TEXT, "案由", "案件类别", "罪名", "违法行为"),
        _c("major", FLAG, "重大影响", "有重大影响", "是否有重大影响", "是否重大"),
        _c("summary", TEXT, *SUMMARY, "简要案情", "案情"),
        _c("source", TEXT, "来源", "办案单位", "受理单位", "报案来源"),
        _c("town", TEXT, *TOWN),
    ],
    _case_key,
    _case_existing,
    _case_export,
    label=("案件", "cases"),
)


# ---- accidents --------------------------------------------------------------------------------------
def _accident_key(lx: Any, d: Any) -> tuple[Any, ...]:
    return (
        _village_id(lx, d.village, d.town),
        _day(lx, d.date, "date"),
        str(d.kind),
        _text(d.summary),
    )


def _accident_existing(lx: Any) -> set[tuple[Any, ...]]:
    from sanling.models import Accident

    return {
        (v, day, str(k), s)
        for v, day, k, s in _keys(
            lx, Accident.village_id, Accident.date, Accident.kind, Accident.summary
        )
    }


def _accident_export(lx: Any, reveal: bool) -> list[dict[str, Any]]:
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    from sanling.models import Accident, Subject, Town

    village, subject = aliased(Subject), aliased(Subject)
    query = (
        select(Accident, village.name, subject.name, Town.name)
        .join(village, village.id == Accident.village_id)
        .outerjoin(subject, subject.id == Accident.subject_id)
        .join(Town, Town.id == Accident.town_id)
        .order_by(Accident.id)
    )
    return [
        {
            "ref": a.ref,
            "village": vname,
            "subject": sname,
            "date": a.date,
            "kind": a.kind,
            "deaths": a.deaths,
            "serious_injuries": a.serious_injuries,
            "injuries": a.injuries,
            "loss": a.loss,
            "summary": a.summary,
            "town": tname,
        }
        for a, vname, sname, tname in lx.session.execute(query)
    ]


ACCIDENTS = Spec(
    "accidents",
    "accident",
    AccidentIn,
    [
        REF,
        _c("village", TEXT, *VILLAGE, "事故地点"),
        _c("subject", TEXT, *SUBJECT),
        _c(
            "date",
            DATE,
            "事故日期",
            "发生日期",
            "发生时间",
            "事故时间",
            "日期",
            title=("事故日期", "date"),
        ),
        _c("kind", CODE, "事故类型", "类型", "事故类别"),
        _c("deaths", INT, "死亡", "死亡人数"),
        _c("serious_injuries", INT, "重伤", "重伤人数"),
        _c("injuries", INT, "轻伤", "轻伤人数", "受伤人数", "受伤"),
        _c("loss", FLOAT, "直接经济损失(元)", "直接经济损失", "经济损失", "经济损失(元)", "损失"),
        _c("summary", TEXT, *SUMMARY, "事故简要情况", "事故经过", "简要经过"),
        _c("town", TEXT, *TOWN),
    ],
    _accident_key,
    _accident_existing,
    _accident_export,
    label=("事故", "accidents"),
)


# ---- key persons ----------------------------------------------------------------------------------
def _person_key(lx: Any, d: Any) -> tuple[Any, ...]:
    from sanling.privacy import normalise_id

    return (normalise_id(d.id_number, lx.today),)


def _person_existing(lx: Any) -> set[tuple[Any, ...]]:
    from sanling.models import Person

    return _keys(lx, Person.id_number)


def _person_export(lx: Any, reveal: bool) -> list[dict[str, Any]]:
    """Through the ledger's own row function, which masks unless `reveal`."""
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    from sanling.models import Person, Town

    person = row_ops("person")
    towns = {tid: name for tid, name in lx.session.execute(select(Town.id, Town.name))}
    query = select(Person).options(joinedload(Person.village)).order_by(Person.id)
    rows = []
    for p in lx.session.scalars(query).unique():
        r = person.row(p, lx.policy, lx.today, reveal=reveal)
        r["town"] = towns.get(p.town_id)
        rows.append(r)
    return rows


def _person_after(lx: Any, obj: Any, row: Row) -> None:
    from sanling.errors import InvalidValue
    from sanling.i18n import tr

    x = row.extras
    if x.get("delisted") is None:
        return
    if not x.get("delist_reason"):
        raise ColumnError(
            "delist_reason", InvalidValue(tr("撤管需要原因", "a de-listed person needs the reason"))
        )
    row_ops("person").delist(lx, obj.ref, reason=x["delist_reason"], date=x["delisted"])


PERSONS = Spec(
    "persons",
    "person",
    PersonIn,
    [
        REF,
        _c("category", CODE, "人员类别", "类别", "类型", "人员类型"),
        _c("name", TEXT, "姓名", "名字"),
        _c("sex", CODE, "性别"),
        _c(
            "id_number",
            DIGITS,
            "公民身份号码",
            "身份证号",
            "身份证号码",
            "身份证",
            "证件号码",
            "id",
        ),
        _c("phone", DIGITS, "联系电话", "电话", "手机", "手机号", "联系方式"),
        _c("village", TEXT, *VILLAGE),
        _c("address", TEXT, "住址", "现住址", "家庭住址", "居住地址", "地址"),
        _c("risk", INT, "风险等级", "风险级别", "危险性评估等级", "危险等级", "评估等级"),
        _c("guardian", TEXT, "监护人/帮教人", "监护人", "帮教人", "帮教责任人", "监护人/帮扶人"),
        _c("cadre", TEXT, "包联干部", "包联责任人", "管控责任人", "责任人"),
        _c("listed", DATE, "列管日期", "列管时间", "建档日期", "登记日期"),
        _c("delisted", DATE, "撤管日期", "撤管时间", "撤销列管日期", extra=True),
        _c(
            "delist_reason",
            TEXT,
            "撤管原因",
            "撤销原因",
            extra=True,
            title=("撤管原因", "delist reason"),
        ),
        _c("town", TEXT, *TOWN),
    ],
    _person_key,
    _person_existing,
    _person_export,
    _person_after,
    label=("重点人员", "key persons"),
)


SPECS: dict[str, Spec] = {
    s.kind: s
    for s in (
        SUBJECTS,
        SWEEPS,
        DISPUTES,
        PETITIONS,
        BACKLOG,
        HAZARDS,
        HOTSPOTS,
        PATROLS,
        CASES,
        ACCIDENTS,
        PERSONS,
    )
}


class ColumnError(Exception):
    """A ledger error that belongs to one column of the row."""

    def __init__(self, key: str, error: Exception) -> None:
        super().__init__(str(error))
        self.key = key
        self.error = error


def row_ops(noun: str) -> Any:
    """The ledger module of a noun (imported when first needed: some land later than others)."""
    return import_module(f"sanling.ledger.{noun}")
