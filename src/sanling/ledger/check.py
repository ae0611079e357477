"""`sanling db check`: integrity and consistency checks that list every problem found."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, cast, func, select, text
from sqlalchemy.orm import aliased

from sanling.codes import RESIDENTIAL, DisputeStatus, HazardStatus
from sanling.ledger import audit
from sanling.ledger.base import Ledger
from sanling.models import (
    Accident,
    BacklogCase,
    Case,
    Dispute,
    Hazard,
    Hotspot,
    Person,
    Petition,
    RefCounter,
    Subject,
    Sweep,
)

_REF = r"^[A-Z]{2}-[0-9]{4}-[0-9]{4,}$"


def problems(lx: Ledger) -> list[str]:
    found: list[str] = []
    s = lx.session
    if s.get_bind().dialect.name == "sqlite":
        for (msg,) in s.execute(text("PRAGMA integrity_check")):
            if msg != "ok":
                found.append(f"sqlite integrity: {msg}")
        for row in s.execute(text("PRAGMA foreign_key_check")):
            found.append(f"foreign key: {row[0]} row {row[1]} points to a missing {row[2]}")

    def each(query: object, describe: str) -> None:
        for (ref,) in s.execute(query):  # type: ignore[call-overload]
            found.append(f"{ref}: {describe}")

    village = aliased(Subject)
    for model in (Dispute, Hazard, Petition, Case, Accident, Hotspot, Person, BacklogCase):
        each(
            select(model.ref)
            .join(village, village.id == model.village_id)
            .where(village.kind.not_in(list(RESIDENTIAL))),
            "its village is not a village or community",
        )
        each(
            select(model.ref)
            .join(village, village.id == model.village_id)
            .where(village.town_id != model.town_id),
            "its town differs from its village's town",
        )
    for model in (Dispute, Hazard):
        each(
            select(model.ref).where(model.deadline < model.found), "deadline before the found date"
        )
    each(
        select(Dispute.ref).where(Dispute.resolved_on < Dispute.found),
        "resolved before it was found",
    )
    each(
        select(Dispute.ref).where(
            Dispute.status == DisputeStatus.resolved, Dispute.resolved_on.is_(None)
        ),
        "resolved without a resolution date",
    )
    each(
        select(Dispute.ref).where(
            Dispute.status != DisputeStatus.resolved, Dispute.resolved_on.is_not(None)
        ),
        "has a resolution date but is not resolved",
    )
    each(
        select(Hazard.ref).where(Hazard.rectified_on < Hazard.found),
        "rectified before it was found",
    )
    each(
        select(Hazard.ref).where(
            Hazard.status.in_([HazardStatus.rectified, HazardStatus.closed]),
            Hazard.rectified_on.is_(None),
        ),
        "rectified without a date",
    )
    each(
        select(Hazard.ref).where(Hazard.status == HazardStatus.closed, Hazard.checked_by.is_(None)),
        "closed without a re-check",
    )
    each(
        select(Hotspot.ref).where(Hotspot.rectified_on < Hotspot.found),
        "rectified before it was found",
    )
    each(
        select(BacklogCase.ref).where(BacklogCase.closed_on < BacklogCase.assigned_on),
        "closed before it was assigned",
    )
    each(select(Person.ref).where(Person.delisted < Person.listed), "de-listed before listed")
    parent = aliased(Subject)
    for (name,) in s.execute(
        select(Subject.name)
        .join(parent, parent.id == Subject.parent_id)
        .where(parent.kind.not_in(list(RESIDENTIAL)))
    ):
        found.append(f"subject {name}: its parent is not a village or community")
    for (name,) in s.execute(
        select(Subject.name).where(
            Subject.kind.not_in(list(RESIDENTIAL)), Subject.parent_id.is_(None)
        )
    ):
        found.append(f"subject {name}: a unit or enterprise without a village")
    each(
        select(Sweep.ref)
        .join(Subject, Subject.id == Sweep.subject_id)
        .where(Subject.town_id != Sweep.town_id),
        "its town differs from its subject's town",
    )
    # Reference numbers: well formed, and never ahead of the counter (or a new add would clash).
    from sanling.models import RECORD_MODELS

    for prefix, record_model in RECORD_MODELS.items():
        col: Any = record_model.__table__.c.ref
        for (ref,) in s.execute(select(col).where(~col.like(f"{prefix}-____-%"))):
            found.append(f"{ref}: malformed reference number")
        year = func.substr(col, 4, 4)
        number = cast(func.substr(col, 9), Integer)
        used = s.execute(
            select(year, func.max(number), func.count())
            .where(col.like(f"{prefix}-____-%"))
            .group_by(year)
        )
        counters = {
            y: n
            for y, n in s.execute(
                select(RefCounter.year, RefCounter.last).where(RefCounter.prefix == prefix)
            )
        }
        seen: set[int] = set()
        for y, n, count in used:
            seen.add(int(y))
            last = counters.get(int(y))
            if last is None or n > last:
                found.append(
                    f"{prefix}-{y}: numbers up to {n} used but the counter is at {last or 0}"
                )
            elif last > n:
                # Numbers are handed out in the transaction that adds the record: a number
                # past the highest used means its record was removed.
                found.append(
                    f"{prefix}-{y}: the counter is at {last} but the highest number used is {n} "
                    "(a record is missing)"
                )
            if count != n:
                found.append(
                    f"{prefix}-{y}: {count} records for numbers 1 to {n} (a record is missing)"
                )
        for y, last in counters.items():
            if int(y) not in seen and last:
                found.append(
                    f"{prefix}-{y}: the counter is at {last} but no record uses it (a record is missing)"
                )
    found += audit.chain_problems(lx)
    found += audit.state_problems(lx)
    return found
