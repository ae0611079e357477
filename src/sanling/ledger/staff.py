"""The staff roster (工作人员名册): who handles what, and the phone a reminder @-mentions.

A member is named within a town (names are unique per town, as a dispute's handler is written
by name). The phone is personal data: `row()` masks it unless `reveal=True`, and whoever
reveals it records that with `record_reveal()` in the same transaction, as for key persons;
the audit log keeps it masked (base.snapshot). A member taken off the roster (`remove`) is
kept, retired, so the audit trail and past reminders still name them; `edit --restore` puts
them back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from sanling import privacy
from sanling.collate import name_key
from sanling.errors import Duplicate, InvalidState, NotFound, UsageError
from sanling.i18n import tr
from sanling.ledger.base import Ledger, snapshot
from sanling.ledger.filters import village_label
from sanling.models import AuditEntry, Staff, Town

COLUMNS = ["name", "phone", "role", "village", "town", "active", "retired_on"]


def _text(lx: Ledger, value: str | None, field: str) -> str | None:
    return lx.text(value, field, limit=100)


def find(lx: Ledger, name: str, town: str | None = None) -> Staff:
    """A member of the roster by name (retired ones too), in the named or only town."""
    place = lx.town(town)
    member = lx.session.scalar(
        select(Staff).where(Staff.town_id == place.id, Staff.name == name.strip())
    )
    if member is None:
        raise NotFound(
            tr(
                "{town}的人员名册中没有“{name}”",
                "no '{name}' on the staff roster of {town}",
                town=place.name,
                name=name,
            ),
            tr("`sanling staff list` 查看名册", "`sanling staff list` shows the roster"),
        )
    return member


def add(
    lx: Ledger,
    name: str,
    phone: str,
    *,
    role: str | None = None,
    village: str | None = None,
    town: str | None = None,
) -> Staff:
    place = lx.town(town)
    clean = lx.text(name, "name", required=True, limit=100) or ""
    taken = lx.session.scalar(select(Staff).where(Staff.town_id == place.id, Staff.name == clean))
    if taken is not None:
        hint = (
            tr("`sanling staff edit {n} ...` 修改", "change it with `sanling staff edit {n} ...`")
            if taken.active
            else tr(
                "已移出名册；`sanling staff edit {n} --restore` 恢复",
                "taken off the roster; `sanling staff edit {n} --restore` puts it back",
            )
        )
        raise Duplicate(
            tr(
                "{town}的人员名册中已有“{name}”",
                "{town}'s staff roster has a '{name}' already",
                town=place.name,
                name=clean,
            ),
            hint.format(n=clean),
        )
    member = Staff(
        town_id=place.id,
        name=clean,
        phone=privacy.normalise_phone(phone),
        role=_text(lx, role, "role"),
        village_id=lx.village(village, town=town).id if village else None,
        active=True,
    )
    lx.session.add(member)
    lx.session.flush()
    lx.audit("staff.add", member.name, None, snapshot(member))
    return member


def edit(
    lx: Ledger,
    name: str,
    *,
    town: str | None = None,
    new_name: str | None = None,
    phone: str | None = None,
    role: str | None = None,
    village: str | None = None,
    restore: bool = False,
) -> Staff:
    """Change a member's name, phone, role or village (an empty role or village clears it);
    `restore` puts a member taken off the roster back on it. Nothing to change is a usage
    error (no empty audit entry)."""
    if (new_name, phone, role, village) == (None,) * 4 and not restore:
        raise UsageError(
            tr("没有要修改的内容", "nothing to change"),
            tr(
                "加 --name、--phone、--role、--village 或 --restore",
                "add --name, --phone, --role, --village or --restore",
            ),
        )
    member = find(lx, name, town)
    if not member.active and not restore:
        raise InvalidState(
            tr("“{n}”已移出名册", "'{n}' was taken off the roster", n=member.name),
            tr("加 --restore 恢复", "add --restore to put them back"),
        )
    before = snapshot(member)
    if new_name is not None:
        clean = lx.text(new_name, "name", required=True, limit=100) or ""
        if clean != member.name and lx.exists(
            Staff, Staff.town_id == member.town_id, Staff.name == clean
        ):
            raise Duplicate(
                tr("名册中已有“{n}”", "the roster has a '{n}' already", n=clean),
            )
        member.name = clean
    if phone is not None:
        member.phone = privacy.normalise_phone(phone)
    if role is not None:
        member.role = _text(lx, role, "role")
    if village is not None:
        town_name = lx.session.get_one(Town, member.town_id).name
        member.village_id = lx.village(village, town=town_name).id if village.strip() else None
    if restore:
        member.active, member.retired_on = True, None
    lx.audit("staff.edit", member.name, before, snapshot(member))
    return member


def remove(
    lx: Ledger, name: str, *, town: str | None = None, date: str | dt.date | None = None
) -> Staff:
    """Take a member off the roster (kept, retired): no more @-mentions."""
    member = find(lx, name, town)
    lx.not_again(
        member.name,
        member.retired_on,
        "“{ref}”已于 {d} 移出名册",
        "'{ref}' was taken off the roster on {d} already",
    )
    before = snapshot(member)
    day = lx.date(date, "--date")
    lx.not_before(
        day,
        min(added_on(lx, member), lx.today),
        "--date {day} 早于该人员加入名册的日期 {since}",
        "--date {day} is before the member was added to the roster on {since}",
        tr("写移出名册当天的日期", "give the day they left the roster"),
    )
    member.active, member.retired_on = False, day
    lx.audit("staff.remove", member.name, before, snapshot(member))
    return member


def added_on(lx: Ledger, member: Staff) -> dt.date:
    """The day (the town's) a member was added to the roster, from the audit log (the first
    day of all for a member added otherwise, e.g. by a merge)."""
    from sanling.ledger.recorded import local

    entries = lx.session.execute(
        select(AuditEntry.at, AuditEntry.after)
        .where(AuditEntry.action == "staff.add")
        .order_by(AuditEntry.id)
    )
    for at, after in entries:
        if isinstance(after, dict) and after.get("id") == member.id:
            return local(at, lx.policy.timezone).date()
    return dt.date.min


def record_reveal(lx: Ledger, names: list[str], via: str) -> None:
    """The audit entry of an unmasked read of staff phones: who, whose, how."""
    if names:
        lx.audit("staff.reveal", None, None, {"names": names, "count": len(names), "via": via})


def listing(
    lx: Ledger,
    *,
    town: str | None = None,
    village: str | None = None,
    retired: bool = False,
    reveal: bool = False,
) -> list[dict[str, Any]]:
    query = select(Staff).options(joinedload(Staff.village), joinedload(Staff.town))
    if town:
        query = query.where(Staff.town_id == lx.town(town).id)
    if village:
        query = query.where(Staff.village_id == lx.village(village, town=town).id)
    if not retired:
        query = query.where(Staff.active.is_(True))
    members = sorted(lx.session.scalars(query), key=lambda m: (m.town_id, name_key(m.name)))
    return [row(m, reveal=reveal) for m in members]


def row(member: Staff, *, reveal: bool = False) -> dict[str, Any]:
    return {
        "name": member.name,
        "phone": member.phone if reveal else privacy.mask_phone(member.phone),
        "role": member.role,
        "village": village_label(member.village) if member.village else None,
        "town": member.town.name,
        "active": member.active,
        "retired_on": member.retired_on,
    }
