"""Titles (命名, 摘牌): a subject named for a year (2026年度三零村) and, if it breaks the
standard afterwards, revoked (动态管理). One title per subject and year; a revocation names
its reason and, if given, the record that broke the zero. Each change is audited (`title.name`,
`title.revoke`) in the command's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, or_, select

from sanling.codes import ASSESSED, SubjectKind
from sanling.collate import name_key
from sanling.errors import Duplicate, InvalidState, InvalidValue, NotFound
from sanling.i18n import label, tr
from sanling.ledger.base import Ledger, snapshot
from sanling.models import RECORD_MODELS, Subject, Title, Town

# The title a subject is named with unless --title says otherwise.
DEFAULT_TITLES = {
    SubjectKind.village: "三零村",
    SubjectKind.community: "三零社区",
    SubjectKind.unit: "三零单位",
    SubjectKind.enterprise: "三零企业",
}


def held_on(day: Any) -> Any:
    """A title held on a day (a date or a date column): named by then, not revoked by then."""
    return and_(Title.named_on <= day, or_(Title.revoked_on.is_(None), Title.revoked_on > day))


def name(
    lx: Ledger,
    subject_name: str,
    year: int,
    *,
    title: str | None = None,
    date: str | None = None,
    town: str | None = None,
) -> Title:
    """Name a subject for a year; refused for the town itself, a retired subject, a year far
    from the naming date, or a subject named that year already (even if revoked since)."""
    subject = lx.subject(subject_name, town=town)
    if subject.kind not in ASSESSED:
        raise InvalidValue(
            tr(
                "“{n}”是{k}，不参加三零创建，不能命名",
                "'{n}' is a {k}: not assessed for 三零, so it cannot be named",
                n=subject.name,
                k=label(subject.kind),
            ),
            tr(
                "只命名行政村、社区、单位和企业；镇直单位不参加三零创建",
                "only villages, communities, units and enterprises are named; the town's own "
                "offices are not assessed",
            ),
        )
    day = lx.date(date, "--date")
    if not day.year - 1 <= year <= day.year + 1:
        raise InvalidValue(
            tr(
                "命名年度 {y} 与命名日期 {d} 相差超过一年",
                "the year {y} is more than a year from the naming date {d}",
                y=year,
                d=day.isoformat(),
            ),
            tr("检查 --year 和 --date", "check --year and --date"),
        )
    found = lx.session.scalar(
        select(Title).where(Title.subject_id == subject.id, Title.year == year)
    )
    if found is not None:
        raise Duplicate(
            tr(
                "“{n}”已于 {d} 命名为{y}年度{t}",
                "'{n}' was named {t} for {y} on {d} already",
                n=subject.name,
                y=year,
                t=found.title,
                d=found.named_on.isoformat(),
            ),
            tr("每个主体每年只命名一次", "a subject is named once a year"),
        )
    text = lx.text(title, "title", limit=40) or DEFAULT_TITLES[subject.kind]
    row = Title(
        town_id=subject.town_id,
        subject_id=subject.id,
        year=year,
        title=text,
        named_on=day,
    )
    lx.session.add(row)
    lx.session.flush()
    lx.audit("title.name", subject.name, None, snapshot(row))
    return row


def revoke(
    lx: Ledger,
    subject_name: str,
    reason: str,
    *,
    record: str | None = None,
    date: str | None = None,
    year: int | None = None,
    town: str | None = None,
) -> Title:
    """Revoke a title the subject holds (the newest, or that of --year): its date, reason and
    the record that broke the zero (a record of the subject)."""
    subject = lx.subject(subject_name, town=town, include_retired=True)
    day = lx.date(date, "--date")
    query = select(Title).where(Title.subject_id == subject.id, held_on(day))
    if year is not None:
        query = query.where(Title.year == year)
    title = lx.session.scalar(query.order_by(Title.year.desc()).limit(1))
    if title is None:
        raise InvalidState(
            tr(
                "“{n}”在 {d} 没有可摘的称号{y}",
                "'{n}' holds no title{y} on {d} to revoke",
                n=subject.name,
                d=day.isoformat(),
                y=tr("（{y}年度）", " for {y}", y=year) if year else "",
            ),
            tr("`sanling subject titles` 列出已命名的主体", "`sanling subject titles` lists them"),
        )
    reason_text = lx.text(reason, "reason", required=True, limit=1000)
    ref = _breaking_record(lx, subject, record, title) if record else None
    before = snapshot(title)
    title.revoked_on = day
    title.revoke_reason = reason_text
    title.revoke_ref = ref
    lx.audit("title.revoke", subject.name, before, snapshot(title))
    return title


def _breaking_record(lx: Ledger, subject: Subject, ref: str, title: Title) -> str:
    """The reference of --record: a record of the subject (its own, or its village's), dated
    on or after the naming (a record before it did not break the title)."""
    model = RECORD_MODELS.get(ref.strip().upper()[:2])
    if model is None:
        raise NotFound(
            tr("没有编号为 {ref} 的记录", "no record {ref}", ref=ref.strip()),
            tr("编号形如 AJ-2026-0003", "references look like AJ-2026-0003"),
        )
    found: Any = lx.record(model, ref)
    mine = {getattr(found, "subject_id", None), getattr(found, "village_id", None)}
    if subject.id not in mine:
        raise InvalidValue(
            tr(
                "{ref} 不是“{n}”的记录",
                "{ref} is not a record of '{n}'",
                ref=found.ref,
                n=subject.name,
            ),
            tr("--record 写打破三零的那条记录", "--record names the record that broke the zero"),
        )
    day = record_date(found)
    if day is not None and day < title.named_on:
        raise InvalidValue(
            tr(
                "{ref}（{d}）早于“{n}”的命名日期 {named}，不是打破称号的记录",
                "{ref} ({d}) is before '{n}' was named on {named}: it did not break the title",
                ref=found.ref,
                d=day.isoformat(),
                n=subject.name,
                named=title.named_on.isoformat(),
            ),
            tr(
                "--record 写命名之后打破三零的那条记录（不写也可摘牌）",
                "--record names a record dated on or after the naming (or leave it out)",
            ),
        )
    return str(found.ref)


def record_date(record: Any) -> dt.date | None:
    """The day a record happened (its date, or the day it was found)."""
    for attr in ("date", "found"):
        value = getattr(record, attr, None)
        if isinstance(value, dt.date):
            return value
    return None


def listing(
    lx: Ledger, *, year: int | None = None, town: str | None = None
) -> list[dict[str, Any]]:
    """Every title (of a year), by town, year, kind and name."""
    query = (
        select(Title, Subject.name, Subject.kind, Town.name)
        .join(Subject, Subject.id == Title.subject_id)
        .join(Town, Town.id == Title.town_id)
    )
    if year is not None:
        query = query.where(Title.year == year)
    if town:
        query = query.where(Title.town_id == lx.town(town).id)
    found = sorted(
        lx.session.execute(query),
        key=lambda r: (name_key(r[3]), -r[0].year, ASSESSED.index(r[2]), name_key(r[1])),
    )
    return [row(t, subject, kind, town_name, lx.today) for t, subject, kind, town_name in found]


def row(t: Title, subject: str, kind: SubjectKind, town: str, today: dt.date) -> dict[str, Any]:
    return {
        "subject": subject,
        "kind": kind,
        "town": town,
        "year": t.year,
        "title": t.title,
        "named_on": t.named_on,
        "revoked": t.revoked_on is not None and t.revoked_on <= today,
        "revoked_on": t.revoked_on,
        "revoke_reason": t.revoke_reason,
        "revoke_ref": t.revoke_ref,
    }
