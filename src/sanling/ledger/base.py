"""The Ledger: one transaction's view of the ledger, shared by every operation.

It carries the session, the operator written to the audit log, the as-of date and the
policy, and offers what every noun needs: reference numbers, lookups by name or reference,
date parsing against today, and the audit log (a hash chain, written in the same
transaction as the change).
"""

from __future__ import annotations

import datetime as dt
import decimal
import getpass
import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from functools import cached_property
from typing import Any, TypeVar

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from sanling import config, periods, safetext
from sanling.codes import PLACES, RESIDENTIAL, RefPrefix, SubjectKind
from sanling.errors import InvalidState, InvalidValue, NotFound, UsageError
from sanling.i18n import header, label, tr
from sanling.models import (
    INCLUDE_VOIDED,
    RECORD_MODELS,
    AuditEntry,
    Base,
    RefCounter,
    Setting,
    Subject,
    Town,
)

T = TypeVar("T", bound=Base)
State = dict[str, Any] | None  # a record as the audit log holds it (snapshot), or none

GENESIS = "0" * 64
# The command group of each reference prefix (the hint of a refused voided record).
_SHOWING = "showing_voided"  # Session.info key: `record` may hand out a voided record
NOUNS = {prefix.value: prefix.name for prefix in RefPrefix}


def _prefix_of(model: type) -> str:
    """The reference prefix of a kind's records (Petition -> XF), for a hint."""
    return next((p for p, m in RECORD_MODELS.items() if m is model), "JF")


# A village robot's address and signing secret are credentials: shown (and audited) masked
# exactly as the town's robot settings are.
ROBOT_FIELDS = {"webhook": "bulletin_webhooks", "dingtalk_secret": "bulletin_dingtalk_secret"}


def robot_shown(key: str, value: str | None) -> str | None:
    """A village robot's webhook or secret as it may be printed."""
    if not value:
        return value
    return config.shown(ROBOT_FIELDS[key], [value] if key == "webhook" else value)


def operator_name() -> str:
    """SANLING_USER, else the login name."""
    user = os.environ.get("SANLING_USER")
    if user:
        return user
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


def jsonable(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


# A kept column whose header names personal data (a petitioner's name or phone, an address,
# an ID number): its values are masked in `show` and the audit log, whatever the record's kind.
_PERSONAL_HEADER = re.compile(r"姓名|名字|电话|手机|联系方式|身份证|身份号码|住址|地址|详址|监护人")


def personal_header(header: str) -> bool:
    return bool(_PERSONAL_HEADER.search(header))


def logged_extra(extra: Any, *, person: bool) -> Any:
    """What the audit log keeps of a record's kept columns: a key person's (户籍地址, 原罪名 ...)
    and any kind's personal ones (信访人姓名, 联系电话 ...) by their header only."""
    if not extra or not extra.get("columns"):
        return extra
    columns = {k: "***" if person or personal_header(k) else v for k, v in extra["columns"].items()}
    return {**extra, "columns": columns}


def imported(obj: Any, *, hide: bool = False) -> dict[str, Any]:
    """What an import kept on a record (its `extra`) as `show` lists it: the file's columns
    with no field (`header：value` lines; values hidden when `hide`, a key person's unless
    revealed) and the import's notes (inferred values, dates by rule). Empty if none."""
    extra = getattr(obj, "extra", None) or {}
    out: dict[str, Any] = {}
    columns = extra.get("columns") or {}
    if columns:
        out["kept"] = "\n".join(
            f"{k}：{'***' if hide or personal_header(k) else v}" for k, v in columns.items()
        )
    if extra.get("notes"):
        out["import_notes"] = "\n".join(extra["notes"])
    return out


def snapshot(obj: Base) -> dict[str, Any]:
    """The columns of a record as JSON values, personal data masked."""
    from sanling import privacy

    data: dict[str, Any] = {}
    table = getattr(obj, "__tablename__", "")
    personal = privacy.MASKERS.get(table, {})  # masked there like everywhere else
    for column in obj.__table__.columns:
        value = jsonable(getattr(obj, column.key))
        if column.key in personal:
            value = personal[column.key](value)
        elif column.key == "extra":
            value = logged_extra(value, person=table == "persons")
        elif column.key in ROBOT_FIELDS and table == "subjects":
            value = robot_shown(column.key, value)
        elif column.key == "phone" and getattr(obj, "__tablename__", "") == "staff":
            value = privacy.mask_phone(value)  # a staff member's phone, as a key person's
        data[column.key] = value
    return data


# The text an audit hash covers: sorted keys, no spaces, characters as they are. One encoder
# for every entry (json.dumps with these options builds a new one each call: an import hashes
# a hundred thousand entries).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(
    prev: str, at: dt.datetime, operator: str, action: str, ref: str | None, before: Any, after: Any
) -> str:
    body = _CANONICAL.encode([prev, at.isoformat(), operator, action, ref, before, after])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class Ledger:
    def __init__(
        self, session: Session, *, operator: str | None = None, today: dt.date | None = None
    ) -> None:
        self.session = session
        self.operator = operator or operator_name()
        self._today = today

    # ---- policy and dates -------------------------------------------------------------
    @cached_property
    def policy(self) -> config.Policy:
        rows = {k: v for k, v in self.session.execute(select(Setting.key, Setting.value))}
        return config.decode_all(rows)

    @property
    def today(self) -> dt.date:
        if self._today is None:
            self._today = periods.today(self.policy.timezone)
        return self._today

    def date(
        self,
        value: str | dt.date | None,
        field: str,
        *,
        default: dt.date | None = None,
        allow_future: bool = False,
    ) -> dt.date:
        """A date option: parsed against today; a future date refused unless allowed."""
        if value is None or value == "":
            return default if default is not None else self.today
        return periods.parse_date(value, self.today, field=field, allow_future=allow_future)

    def optional_date(
        self, value: str | dt.date | None, field: str, *, allow_future: bool = False
    ) -> dt.date | None:
        if value is None or value == "":
            return None
        return periods.parse_date(value, self.today, field=field, allow_future=allow_future)

    # ---- checks shared by every noun --------------------------------------------------
    @staticmethod
    def count(
        value: int | None, field: str, *, minimum: int = 0, maximum: int = 10_000_000
    ) -> int | None:
        if value is None:
            return None
        if value < minimum or value > maximum:
            raise InvalidValue(
                tr(
                    "{field} 必须在 {lo} 到 {hi} 之间，收到 {v}",
                    "{field} must be between {lo} and {hi}, got {v}",
                    field=field,
                    lo=minimum,
                    hi=maximum,
                    v=value,
                ),
                field=field,
            )
        return value

    @staticmethod
    def _named(field: str) -> str:
        """A text field in a message: its heading in the ledger's language and the name the
        user typed (`原因（reason）`, as schemas.validate names a field); the name alone when
        it has no heading."""
        key = field.strip("-").replace("-", "_")
        name = header(key)
        return name if name in (key, field) else tr("{h}（{f}）", "{h} ({f})", h=name, f=field)

    @staticmethod
    def _empty(field: str) -> InvalidValue:
        """A required text left empty, named by its heading in the ledger's language."""
        name = Ledger._named(field)
        return InvalidValue(
            tr("{h}不能为空", "{field} must not be empty", h=name, field=field),
            tr("写上内容：不能留空，也不能只有空格", "write some text: not empty, not only spaces"),
            field=field,
        )

    @staticmethod
    def text(
        value: str | None, field: str, *, required: bool = False, limit: int = 4000
    ) -> str | None:
        """Trim text; refuse empty required text, control characters (tab and line break
        allowed in safetext.MULTILINE texts) and text past `limit` characters."""
        if value is None:
            if required:
                raise Ledger._empty(field)
            return None
        cleaned = value.strip()
        bad = safetext.refusal(cleaned, lines=field.replace("-", "_") in safetext.MULTILINE)
        if bad is not None:
            raise InvalidValue(
                tr(
                    "{h}含有控制字符 {c}",
                    "{field} contains the control character {c}",
                    h=Ledger._named(field),
                    field=field,
                    c=bad,
                ),
                tr(
                    "删去它（常见于从 Word 或网页粘贴的文字）",
                    "remove it (text pasted from Word or a web page often carries one)",
                ),
                field=field,
            )
        if required and not cleaned:
            raise Ledger._empty(field)
        if len(cleaned) > limit:
            raise InvalidValue(
                tr(
                    "{h}过长（{n} 字，最多 {limit}）",
                    "{field} is too long ({n} characters, at most {limit})",
                    h=Ledger._named(field),
                    field=field,
                    n=len(cleaned),
                    limit=limit,
                ),
                field=field,
            )
        return cleaned or None

    # ---- lookups ----------------------------------------------------------------------
    def town(self, name: str | None = None) -> Town:
        """The named town, or the ledger's only town when none is named."""
        if name:
            town = self.session.scalar(select(Town).where(Town.name == name.strip()))
            if town is None:
                raise NotFound(
                    tr("没有乡镇“{name}”", "no town named '{name}'", name=name),
                    tr("`sanling town add NAME` 添加乡镇", "add it with `sanling town add NAME`"),
                )
            return town
        towns = self.session.scalars(select(Town).order_by(Town.id).limit(2)).all()
        if not towns:
            raise NotFound(
                tr("台账中还没有乡镇", "the ledger has no town yet"),
                tr(
                    "`sanling init --town NAME` 或 `sanling town add NAME`",
                    "`sanling init --town NAME` or `sanling town add NAME`",
                ),
            )
        if len(towns) > 1:
            raise UsageError(
                tr(
                    "台账中有多个乡镇，请用 --town 指明",
                    "the ledger holds several towns: name one with --town",
                ),
            )
        return towns[0]

    def subject(
        self,
        name: str,
        *,
        town: str | None = None,
        kinds: tuple[SubjectKind, ...] | None = None,
        field: str = "subject",
        include_retired: bool = False,
    ) -> Subject:
        """A subject by name (qualified by --town when two towns share the name)."""
        query = select(Subject).where(Subject.name == name.strip())
        if town:
            query = query.where(Subject.town_id == self.town(town).id)
        found = self.session.scalars(query.limit(2)).all()
        if not found:
            what = (
                tr("村（社区）", "village or community")
                if kinds in (RESIDENTIAL, PLACES)
                else tr("创建主体", "subject")
            )
            raise NotFound(
                tr("没有{what}“{name}”", "no {what} named '{name}'", what=what, name=name),
                tr(
                    "`sanling subject list` 查看已登记的主体",
                    "`sanling subject list` shows the registered ones",
                ),
            )
        if len(found) > 1:
            raise UsageError(
                tr(
                    "多个乡镇都有“{name}”，请用 --town 指明",
                    "several towns have a '{name}': name one with --town",
                    name=name,
                ),
            )
        subject = found[0]
        if kinds and subject.kind not in kinds:
            raise InvalidValue(
                tr(
                    "{field}“{name}”是{kind}，这里需要{want}",
                    "{field} '{name}' is a {kind}; {want} expected",
                    field=field,
                    name=name,
                    kind=label(subject.kind),
                    # the town itself (镇直) is not offered where a village is asked for
                    want="/".join(label(k) for k in kinds if k != SubjectKind.town_office),
                ),
            )
        if not subject.active and not include_retired:
            raise InvalidValue(
                tr("“{name}”已注销", "'{name}' is retired", name=name),
                tr("已注销的主体不能再登记新记录", "a retired subject takes no new records"),
            )
        return subject

    def village(self, name: str, *, town: str | None = None) -> Subject:
        return self.subject(name, town=town, kinds=PLACES, field="village")

    def record(self, model: type[T], ref: str) -> T:
        """A record by its reference number (PREFIX-YYYY-NNNN). A voided one is refused (no
        step, link or edit takes it) unless this transaction sees voided records (a show)."""
        clean = ref.strip().upper()
        ref_col: Any = model.__table__.c.ref
        found = self.session.scalars(
            select(model)
            .where(ref_col == clean)
            .execution_options(**{INCLUDE_VOIDED: True})
            .limit(2)
        ).all()
        if len(found) > 1:  # a county ledger holds each merged town's numbers
            raise UsageError(
                tr(
                    "多个乡镇都有编号 {ref}（县台账合并了各乡镇的台账）",
                    "several towns have a record {ref} (the county ledger merged their ledgers)",
                    ref=clean,
                ),
                tr(
                    "在该乡镇自己的台账中查看或更改它",
                    "see or change it in that town's own ledger",
                ),
            )
        obj: T | None = found[0] if found else None
        if obj is not None and getattr(obj, "voided_at", None) and not self.sees_voided:
            noun = NOUNS.get(clean[:2], "KIND")
            raise InvalidState(
                tr("{ref} 已作废", "{ref} is voided", ref=clean),
                tr(
                    "作废的记录不能再变更；`sanling {n} unvoid {ref} --reason ...` 可撤销作废",
                    "a voided record takes no changes; `sanling {n} unvoid {ref} --reason ...`"
                    " takes it back",
                    n=noun,
                    ref=clean,
                ),
            )
        if obj is None:
            raise NotFound(
                tr("没有编号为 {ref} 的记录", "no record {ref}", ref=clean),
                tr(
                    "编号形如 {e}；用 list 命令查找",
                    "references look like {e}; use a list command",
                    e=f"{_prefix_of(model)}-{self.today.year}-0007",
                ),
            )
        return obj

    # ---- voided records and corrections (issue 14) ------------------------------------------
    @property
    def sees_voided(self) -> bool:
        """Whether `record` hands out a voided record: in a show, a check or an export."""
        return bool(self.session.info.get(INCLUDE_VOIDED) or self.session.info.get(_SHOWING))

    @contextmanager
    def including_voided(self) -> Iterator[None]:
        """Every query inside the block sees voided records too (check, export)."""
        with self._flag(INCLUDE_VOIDED):
            yield

    @contextmanager
    def showing(self) -> Iterator[None]:
        """Inside the block `record` finds a voided record (to show it); every figure and
        count still leaves voided records out."""
        with self._flag(_SHOWING):
            yield

    @contextmanager
    def _flag(self, key: str) -> Iterator[None]:
        before = self.session.info.get(key)
        self.session.info[key] = True
        try:
            yield
        finally:
            self.session.info[key] = before

    # The reference of the record an edit rebuilds (see ledger/corrections.Draft), else None.
    editing: str | None = None

    def others(self, model: Any) -> list[Any]:
        """The condition that leaves out the record being rebuilt by an edit (a uniqueness
        check must not find the record itself); none outside an edit."""
        return [] if self.editing is None else [model.ref != self.editing]

    # ---- reference numbers ------------------------------------------------------------
    def next_ref(self, prefix: RefPrefix, year: int) -> str:
        """PREFIX-YYYY-NNNN, unique: one atomic upsert, safe when two processes add at once."""
        # Import only the dialect in use: the PostgreSQL one costs an SQLite clerk 40 ms.
        insert: Any
        if self.session.get_bind().dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = (
            insert(RefCounter)
            .values(prefix=prefix.value, year=year, last=1)
            .on_conflict_do_update(
                index_elements=[RefCounter.prefix, RefCounter.year],
                set_={"last": RefCounter.last + 1},
            )
            .returning(RefCounter.last)
        )
        number = self.session.execute(stmt).scalar_one()
        return f"{prefix.value}-{year:04d}-{number:04d}"

    # ---- audit log --------------------------------------------------------------------
    def audit(self, action: str, ref: str | None, before: State, after: State) -> AuditEntry:
        """Append one entry to the hash-chained audit log, in this transaction."""
        self.session.flush()
        self.not_merged(action, before, after)
        if self.session.get_bind().dialect.name == "postgresql":
            # Serialise writers of the chain (SQLite's BEGIN IMMEDIATE already does).
            self.session.execute(text("SELECT pg_advisory_xact_lock(730100)"))
        prev = self.session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
        prev = prev or GENESIS
        at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        entry = AuditEntry(
            at=at,
            operator=self.operator,
            action=action,
            ref=ref,
            before=before,
            after=after,
            prev_hash=prev,
            hash=entry_hash(prev, at, self.operator, action, ref, before, after),
        )
        self.session.add(entry)
        self.session.flush()
        return entry

    @cached_property
    def merged_towns(self) -> frozenset[int]:
        """The towns merged from their own ledgers (`sanling merge`): changed there only."""
        from sanling.models import MergedTown

        return frozenset(self.session.scalars(select(MergedTown.town_id)))

    def not_merged(self, action: str, before: State, after: State) -> None:
        """Refuse a change (logged as `action`) to a record, subject or town of a merged town:
        its own ledger is where it changes, and the next merge brings the change here."""
        if not self.merged_towns or action.endswith(".reveal"):
            return
        key = "id" if action.startswith("town.") else "town_id"
        towns = {self._town_of(key, x) for x in (before, after) if isinstance(x, dict)}
        towns &= self.merged_towns
        if towns:
            name = self.session.get(Town, next(iter(towns)))
            raise InvalidState(
                tr(
                    "{t} 的记录由该乡镇自己的台账合并而来，不能在这里更改",
                    "the records of {t} are merged from its own ledger: they are not changed here",
                    t=name.name if name else "?",
                ),
                tr(
                    "在乡镇台账里更改，再 `sanling merge` 一次",
                    "change them in the town's ledger and `sanling merge` it again",
                ),
            )

    def revealed(self, noun: str, refs: list[str], via: str) -> None:
        """Write the audit entry `<noun>.reveal` of an unmasked read of personal data: who
        (the operator), which records, how (the command, the file). Nothing when none."""
        if not refs:
            return
        self.audit(
            f"{noun}.reveal",
            refs[0] if len(refs) == 1 else None,
            None,
            {"refs": list(refs), "count": len(refs), "via": via},
        )

    def _town_of(self, key: str, state: dict[str, Any]) -> Any:
        """The town of a logged row: its own, else its subject's (an appraisal score)."""
        subject = state.get("subject_id")
        if key in state or not isinstance(subject, int):
            return state.get(key)
        return self.session.scalar(select(Subject.town_id).where(Subject.id == subject))

    def date_since(self, value: str | dt.date | None, since: dt.date, zh: str, en: str) -> dt.date:
        """The --date of a step in a record's life: not in the future, not before `since` (the
        day the record began, or its last step). `zh` / `en` say why not, with {day} and
        {since}."""
        day = self.date(value, "--date")
        self.not_before(day, since, zh, en)
        return day

    @staticmethod
    def not_before(
        day: dt.date, since: dt.date | None, zh: str, en: str, hint: str | None = None
    ) -> None:
        """Refuse a date before `since`; `zh` / `en` say so, with {day} and {since}; the hint
        says which dates are taken unless `hint` says otherwise."""
        if since is not None and day < since:
            hint = hint or tr(
                "日期须是 {since} 当天或以后；用 --date 给出",
                "give a date on or after {since} (--date)",
                since=since.isoformat(),
            )
            raise InvalidValue(tr(zh, en, day=day.isoformat(), since=since.isoformat()), hint)

    @staticmethod
    def not_again(ref: str, on: dt.date | None, zh: str, en: str, hint: str | None = None) -> None:
        """Refuse a step a record took already (on `on`); `zh` / `en` say so, with {ref}, {d}."""
        if on is not None:
            raise InvalidState(tr(zh, en, ref=ref, d=on.isoformat()), hint)

    def placed(self, prefix: RefPrefix, day: dt.date, village: Subject) -> dict[str, Any]:
        """A new record's reference number (of `day`'s year), town and village: the columns of
        models.InVillage."""
        return {
            "ref": self.next_ref(prefix, day.year),
            "town_id": village.town_id,
            "village_id": village.id,
        }

    def of_subject(
        self, prefix: RefPrefix, day: dt.date, village: Subject, subject: Subject | None
    ) -> dict[str, Any]:
        """placed, and the record's subject if it names one: the columns of models.OfSubject."""
        return {**self.placed(prefix, day, village), "subject_id": subject.id if subject else None}

    def new(self, model: type[T], **values: Any) -> T:
        """A new record of `model` (an import builds it without the ORM's attribute events)."""
        return model(**values)

    def created(self, obj: Base, action: str) -> None:
        """Add a new record and audit it."""
        self.session.add(obj)
        self.session.flush()
        self.audit(
            action, getattr(obj, "ref", None) or getattr(obj, "name", None), None, snapshot(obj)
        )

    def exists(self, model: type[Base], *where: Any) -> bool:
        return bool(self.session.scalar(select(func.count()).select_from(model).where(*where)))
