"""What each kind of record looks like in a spreadsheet: the order of its columns, its natural
key (what makes a re-imported row a duplicate), how a row is added (the same ledger operation
as the `add` command, then the resolution or rectification the row records) and exported.

The columns themselves (types, header variants, export titles) are the kind's field
declarations in fields.py. Columns are the option names of the matching `add` command, plus a
few that record what happened later (a dispute's resolution, a hazard's rectification, a
backlog case's closure). Headers are matched after normalising: full-width characters, spaces,
`*` marks and case do not matter.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import import_module
from typing import TYPE_CHECKING, Any

from sanling import schemas
from sanling.codes import (
    DisputeStatus,
    HazardStatus,
)
from sanling.fields import (
    CODE,
    DATE,
    DEADLINE,
    DIGITS,
    FIELDS,
    FLAG,
    FLOAT,
    INT,
    LIST,
    TEXT,
    TIME,
    VOID_KEYS,
    Field,
)
from sanling.i18n import HEADERS, get_lang
from sanling.schemas import Input

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger

__all__ = ["CODE", "DATE", "DEADLINE", "DIGITS", "FLAG", "FLOAT", "INT", "LIST", "TEXT", "TIME"]

Col = Field  # a spreadsheet column is a declared field

# Headers that are never data: row numbers (序号) and sanling's own reference numbers (编号;
# sanling gives every imported record a new one).
IGNORED = ("序号", "序", "no", "no.", "#", "编号", "ref", "案号", "行号")

# Columns that name another record, by the foreign key that holds it: (key, table, column).
RELATIONS: dict[str, tuple[str, str, str]] = {
    "village": ("village_id", "Subject", "name"),
    "subject": ("subject_id", "Subject", "name"),
    "sweep": ("sweep_id", "Sweep", "ref"),
    "dispute": ("dispute_id", "Dispute", "ref"),
    "hotspot": ("hotspot_id", "Hotspot", "ref"),
    "town": ("town_id", "Town", "name"),
}


def norm(text: Any) -> str:
    """A header as compared: NFKC (full-width to half-width), lower case, no spaces, no `*`,
    `-` and spaces in English names as `_`, no trailing colon."""
    value = unicodedata.normalize("NFKC", str(text)).strip().lower()
    value = value.replace("*", "").replace("＊", "").rstrip(":").strip()
    value = "_".join(value.replace("-", " ").split())
    return value


def header_names(col: Col) -> set[str]:
    """Every normalised header accepted for a column."""
    zh, en = HEADERS.get(col.key, (col.key, col.key))
    names = {col.key, col.key.replace("_", "-"), zh, en, *col.synonyms, *col.fallbacks}
    if col.title:
        names.update(col.title)
    return {norm(n) for n in names}


@dataclass
class Row:
    """One spreadsheet row on its way in: the add command's input and the extras."""

    number: int
    data: Input
    extras: dict[str, Any]
    columns: dict[str, str]  # column key -> header as written in the file


ExportRows = Callable[["Ledger", bool], list[dict[str, Any]]]


@dataclass
class Spec:
    kind: str
    noun: str  # ledger module: sanling.ledger.<noun>
    model: str  # the models.py class of its records
    layout: tuple[str, ...]  # the columns, in the order a sheet has them
    natural: tuple[str, ...]  # the natural key of a row: columns that make a duplicate
    label: tuple[str, str] = ("", "")
    after: Callable[[Ledger, Any, Row], None] | None = None  # resolution, rectification...
    rename: dict[str, str] = field(default_factory=dict)  # column -> model attribute
    relations: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    exporter: ExportRows | None = None  # when rows are not the table's columns
    # Whether the natural key names one record (a person's ID number, a subject's name): a
    # second row with it is a duplicate even in the same file.
    unique: bool = False
    schema: type[Input] = field(init=False)  # schemas.<Noun>In, its add command's input
    columns: list[Col] = field(init=False)
    lookup: dict[str, Col] = field(init=False, default_factory=dict)
    by_key: dict[str, Col] = field(init=False, default_factory=dict)  # column_of, per row

    def __post_init__(self) -> None:
        self.schema = getattr(schemas, f"{self.noun.capitalize()}In")
        declared = {c.key: c for c in FIELDS[self.kind]}
        # A record's void stamp comes last in every kind that has one.
        stamp = [k for k in VOID_KEYS if k in declared and k not in self.layout]
        self.layout = (*self.layout, *stamp)
        assert set(self.layout) == set(declared), f"{self.kind}: layout is not its fields"
        self.columns = [declared[k] for k in self.layout]
        self.by_key = {c.key: c for c in self.columns}
        self.relations = {**RELATIONS, **self.relations}
        for col in self.columns:
            if col.export_only:
                continue
            for name in header_names(col):
                other = self.lookup.get(name)
                if other is not None and other.key != col.key:
                    raise AssertionError(
                        f"{self.kind}: header {name!r} is both {other.key} and {col.key}"
                    )
                self.lookup[name] = col

    def module(self) -> Any:
        return import_module(f"sanling.ledger.{self.noun}")

    def required(self) -> list[Col]:
        return [c for c in self.columns if c.is_input and c.required]

    def column(self, header: Any) -> Col | None:
        return self.lookup.get(norm(header))

    def name(self) -> str:
        return self.label[0] if get_lang() == "zh" else self.label[1]

    def table(self) -> Any:
        return getattr(import_module("sanling.models"), self.model)

    def attribute(self, key: str) -> str:
        """The model attribute a column reads: its foreign key if it names another record."""
        if key in self.relations and key in self.natural:
            return self.relations[key][0]
        return self.rename.get(key, key)

    def key(self, lx: Ledger, data: Any) -> tuple[Any, ...]:
        """The natural key of an input row, as `existing` gives those already in the ledger."""
        return tuple(_key_part(lx, data, self.column_of(k)) for k in self.natural)

    def column_of(self, key: str) -> Col:
        return self.by_key[key]

    def existing(self, lx: Ledger) -> Counter[tuple[Any, ...]]:
        """How many records of the ledger have each natural key."""
        from sqlalchemy import select

        table = self.table()
        query = select(*(getattr(table, self.attribute(k)) for k in self.natural))
        # A voided record is still in the ledger: a row naming it again is a duplicate.
        query = query.execution_options(include_voided=True)
        return Counter(tuple(_plain(v) for v in r) for r in lx.session.execute(query))

    def export(self, lx: Ledger, reveal: bool) -> list[dict[str, Any]]:
        """Every record, voided ones too with their void stamp (an import voids them again)."""
        from sanling.ledger.corrections import stamps

        with lx.including_voided():
            if self.exporter is not None:
                rows = self.exporter(lx, reveal)
            else:
                rows = [row for _, row in table_rows(lx, self)]
            if "voided" in self.layout:
                found = stamps(lx, self.table(), [r["ref"] for r in rows if r.get("ref")])
                for r in rows:
                    r.update(found.get(str(r.get("ref")), {"voided": False}))
        if not reveal:  # personal data (fields.py `mask`) masked, whatever the kind
            from sanling import privacy

            table = self.table().__tablename__
            rows = [privacy.masked(table, r) for r in rows]
        return rows


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, StrEnum) else value


def _key_part(lx: Ledger, data: Any, col: Col) -> Any:
    value = getattr(data, col.key)
    if col.key == "village":
        return lx.village(value, town=data.town).id
    if col.key == "subject":
        return lx.subject(value, town=data.town).id
    if col.key == "town":
        return lx.town(value).id
    if col.key == "id_number":
        from sanling.privacy import normalise_id

        return normalise_id(value, lx.today)
    if col.vtype == DATE:
        return lx.date(value, col.key)
    if col.vtype == CODE:
        return str(value)
    if col.vtype == TIME:
        return _parse_time(value)
    return (value or "").strip()


def table_rows(lx: Ledger, spec: Spec, *, where: Any = None) -> list[tuple[Any, dict[str, Any]]]:
    """Each record of a kind with its columns, other records named (oldest first)."""
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    from sanling import models

    table = spec.table()
    names: list[Any] = []
    query = select(table)
    linked = [
        k for k in spec.layout if k in spec.relations and hasattr(table, spec.relations[k][0])
    ]
    for key in linked:
        fk, target, attribute = spec.relations[key]
        other = aliased(getattr(models, target))
        query = query.outerjoin(other, other.id == getattr(table, fk))
        names.append(getattr(other, attribute))
    query = query.add_columns(*names).order_by(table.id)
    if where is not None:
        query = query.where(where)
    # A column the table has no attribute for (a patrol's villages) is the exporter's to fill.
    attributes = [(k, spec.rename.get(k, k)) for k in spec.layout if k not in linked]
    plain = [(k, a if hasattr(table, a) else None) for k, a in attributes]
    out = []
    for obj, *found in lx.session.execute(query):
        row = {k: getattr(obj, a) if a else None for k, a in plain}
        row.update(zip(linked, found, strict=True))
        out.append((obj, row))
    return out


def _parse_time(value: Any) -> Any:
    if isinstance(value, dt.time) or value is None:
        return value
    try:
        hh, mm = str(value).strip().replace("：", ":").split(":")[:2]
        return dt.time(int(hh), int(mm))
    except (ValueError, TypeError):
        return value


# ---- exports that are not just the table's columns --------------------------------------------
def _subject_export(lx: Ledger, reveal: bool) -> list[dict[str, Any]]:
    """Active subjects as `subject list` orders them (town, then the places before the units
    and enterprises that may name them, each in pinyin order: collate.name_key)."""
    from sanling.codes import PLACES
    from sanling.collate import name_key
    from sanling.models import Subject

    found = table_rows(lx, SUBJECTS, where=Subject.active.is_(True))
    found.sort(key=lambda r: (name_key(r[1]["town"]), r[0].kind not in PLACES, name_key(r[0].name)))
    return [row for _, row in found]


def _backlog_export(lx: Ledger, reveal: bool) -> list[dict[str, Any]]:
    rows = []
    for b, row in table_rows(lx, BACKLOG):
        row["outcome_on"] = None if b.closed_on else b.outcome_on
        rows.append(row)
    return rows


def _patrol_export(lx: Ledger, reveal: bool) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from sanling.collate import name_key
    from sanling.models import PatrolVillage, Subject

    names: dict[int, list[str]] = {}
    pv = (
        select(PatrolVillage.patrol_id, Subject.name)
        .join(Subject, Subject.id == PatrolVillage.village_id)
        .order_by(PatrolVillage.patrol_id, Subject.id)
    )
    for pid, vname in lx.session.execute(pv):
        names.setdefault(pid, []).append(vname)
    for villages in names.values():
        villages.sort(key=name_key)  # as `patrol show` lists them
    rows = []
    for p, row in table_rows(lx, PATROLS):
        row["village"] = names.get(p.id, [])
        rows.append(row)
    return rows


def _person_export(lx: Ledger, reveal: bool) -> list[dict[str, Any]]:
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


# ---- what a row records beyond the add: resolutions, rectifications, closures ---------------
def _dispute_after(lx: Ledger, obj: Any, row: Row) -> None:
    from sanling.errors import InvalidValue
    from sanling.i18n import label, tr

    x = row.extras
    status = x.get("status")
    if status is None and x.get("resolved_on") is not None:
        status = DisputeStatus.resolved
    if status is None and x.get("referred_to"):
        status = DisputeStatus.referred
    if status in (None, DisputeStatus.open):
        if status is not None and x.get("result"):  # 未化解，已提请…: kept as a progress note
            row_ops("dispute").progress(lx, obj.ref, x["result"], date=x.get("noted_on"))
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
                        "a resolved dispute needs its method"
                        " (mediation, legal, administrative, petition)",
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
    else:  # in_progress, stabilized: the row's sentence is the progress note
        note = x.get("result") or tr("导入时状态：{s}", "status on import: {s}", s=label(status))
        ops.progress(lx, obj.ref, note, status=status, date=x.get("noted_on"))


def _petition_after(lx: Ledger, obj: Any, row: Row) -> None:
    """An office ledger's (or an export's) steps of a petition: accepted or refused, the
    extension, the reply, the 复查 and the 复核. A later step with no acceptance date was
    accepted on the day it was received (the earliest it can have been); a 复查 or 复核 asked
    late is recorded as the file has it."""
    from sanling.errors import InvalidValue
    from sanling.i18n import tr

    x = row.extras
    ops = row_ops("petition")
    if x.get("refused_on") is not None:
        ops.refuse(lx, obj.ref, reason=_needed(x, "refuse_reason"), date=x["refused_on"])
        return
    later = ("extended_on", "replied_on", "review_requested", "recheck_requested")
    if x.get("accepted_on") is None and all(x.get(k) is None for k in later):
        return
    ops.accept(lx, obj.ref, date=x.get("accepted_on") or obj.date)
    if x.get("extended_on") is not None:
        to = _needed(x, "extended_to")
        if not isinstance(to, dt.date):  # 月底, 长期 ...: not a day an extension runs to
            raise ColumnError(
                "extended_to", InvalidValue(tr("延期至须是日期", "extended to must be a date"))
            )
        days = (to - obj.reply_due).days
        ops.extend(
            lx,
            obj.ref,
            days=days,
            reason=_needed(x, "extend_reason"),
            approved_by=_needed(x, "extend_approved_by"),
            date=x["extended_on"],
        )
    if x.get("replied_on") is not None:
        ops.reply(lx, obj.ref, date=x["replied_on"], note=x.get("reply_note"))
    for stage in ("review", "recheck"):
        if x.get(f"{stage}_requested") is not None:
            ops.review(
                lx,
                obj.ref,
                stage=stage,
                requested=x[f"{stage}_requested"],
                decided=x.get(f"{stage}_decided"),
                result=x.get(f"{stage}_result"),
                force=True,
            )


def _needed(x: dict[str, Any], key: str) -> Any:
    """A cell a step of the row needs (a reason, who approved it, where it extends to)."""
    from sanling.errors import InvalidValue
    from sanling.i18n import header, tr

    if x.get(key) in (None, ""):
        raise ColumnError(
            key,
            InvalidValue(tr("需要{h}", "{h} is needed", h=header(key))),
        )
    return x[key]


def _petition_export(lx: Ledger, reveal: bool) -> list[dict[str, Any]]:
    """Every petition's columns, its petitioner masked unless `reveal` (privacy.masked)."""
    from sanling import privacy

    return [privacy.masked("petitions", row, reveal) for _, row in table_rows(lx, PETITIONS)]


def _backlog_after(lx: Ledger, obj: Any, row: Row) -> None:
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


def _hazard_after(lx: Ledger, obj: Any, row: Row) -> None:
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


def _hotspot_after(lx: Ledger, obj: Any, row: Row) -> None:
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


def _person_after(lx: Ledger, obj: Any, row: Row) -> None:
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


# ---- the kinds ----------------------------------------------------------------------------------
SUBJECTS = Spec(
    "subjects",
    "subject",
    "Subject",
    tuple(c.key for c in FIELDS["subjects"]),
    ("town", "name"),
    ("创建主体", "subjects"),
    relations={"village": ("parent_id", "Subject", "name")},
    exporter=_subject_export,
    unique=True,
)
SWEEPS = Spec(
    "sweeps",
    "sweep",
    "Sweep",
    ("ref", "subject", "date", "by", "scope", "note", "town"),
    ("subject", "date", "by"),
    ("排查", "sweeps"),
    unique=True,
)
DISPUTES = Spec(
    "disputes",
    "dispute",
    "Dispute",
    (
        *("ref", "village", "subject", "found", "source", "category", "summary", "parties"),
        *("people", "risk", "handler", "lead", "deadline", "sweep", "status", "resolved_on"),
        *("method", "result", "referred_to", "referred_on", "prevented_criminal"),
        *("prevented_group_petition", "town"),
    ),
    ("village", "found", "summary", "handler"),
    ("矛盾纠纷", "disputes"),
    _dispute_after,
)
PETITIONS = Spec(
    "petitions",
    "petition",
    "Petition",
    (
        *("ref", "village", "subject", "date", "form", "level", "people", "repeated"),
        *("abnormal", "summary", "petitioner", "phone", "handler", "dispute"),
        *("handled_at_source", "accepted_on", "refused_on", "refuse_reason", "extended_on"),
        *("extended_to", "extend_reason", "extend_approved_by", "replied_on", "reply_note"),
        *("review_requested", "review_decided", "review_result", "recheck_requested"),
        *("recheck_decided", "recheck_result", "town"),
    ),
    ("village", "date", "form", "summary"),
    ("信访", "petitions"),
    _petition_after,
    exporter=_petition_export,
)
BACKLOG = Spec(
    "backlog",
    "backlog",
    "BacklogCase",
    (
        *("ref", "date", "assigned_by", "village", "petitioner", "summary", "lead", "unit"),
        *("plan", "deadline", "closed_on", "outcome", "outcome_on", "town"),
    ),
    # Not the petitioner: a masked export (王**) imported again names the same cases.
    ("village", "date", "summary"),
    ("信访积案", "backlog cases"),
    _backlog_after,
    rename={"date": "assigned_on"},
    exporter=_backlog_export,
)
HAZARDS = Spec(
    "hazards",
    "hazard",
    "Hazard",
    (
        *("ref", "village", "subject", "found", "area", "grade", "location", "description"),
        *("measures", "responsible", "deadline", "sweep", "status", "rectified_on"),
        *("closed_on", "checked_by", "town"),
    ),
    ("village", "found", "area", "description"),
    ("安全隐患", "hazards"),
    _hazard_after,
)
HOTSPOTS = Spec(
    "hotspots",
    "hotspot",
    "Hotspot",
    ("ref", "village", "date", "description", "measures", "rectified_on", "town"),
    ("village", "date", "description"),
    ("治安乱点", "hotspots"),
    _hotspot_after,
    rename={"date": "found"},
)
PATROLS = Spec(
    "patrols",
    "patrol",
    "Patrol",
    (
        *("ref", "date", "start", "end", "village", "kind", "team", "leader", "people"),
        *("route", "findings", "action", "to_police", "hotspot", "town"),
    ),
    ("town", "date", "leader", "team", "start"),
    ("治安巡逻", "patrols"),
    exporter=_patrol_export,
)
CASES = Spec(
    "cases",
    "case",
    "Case",
    (
        *("ref", "kind", "village", "subject", "date", "offence", "major", "summary"),
        *("source", "town"),
    ),
    ("village", "date", "kind", "summary"),
    ("案件", "cases"),
)
ACCIDENTS = Spec(
    "accidents",
    "accident",
    "Accident",
    (
        *("ref", "village", "subject", "date", "kind", "deaths", "serious_injuries"),
        *("injuries", "loss", "summary", "town"),
    ),
    ("village", "date", "kind", "summary"),
    ("事故", "accidents"),
)
PERSONS = Spec(
    "persons",
    "person",
    "Person",
    (
        *("ref", "category", "name", "sex", "id_number", "phone", "village", "address"),
        *("risk", "guardian", "cadre", "listed", "term_from", "term_end", "delisted"),
        *("delist_reason", "town"),
    ),
    ("id_number",),
    ("重点人员", "key persons"),
    _person_after,
    exporter=_person_export,
    unique=True,
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
