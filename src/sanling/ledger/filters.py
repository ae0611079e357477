"""The filters every list shares: by town, by village, by a date range; and a count.

Lookups run in the order the options read (town, then village), so the error a user
sees for two bad names does not depend on which list they asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from sanling.codes import PLACES
from sanling.config import Policy
from sanling.ledger.base import Ledger


def village_id(lx: Ledger, name: str, town: str | None = None) -> int:
    """A village to filter by: retired ones too (their records stay listable)."""
    return lx.subject(name, town=town, kinds=PLACES, field="village", include_retired=True).id


def in_town(lx: Ledger, q: Select[Any], model: Any, town: str | None) -> Select[Any]:
    """Records of the named town (`model.town_id`); all towns when none is named."""
    if town:
        q = q.where(model.town_id == lx.town(town).id)
    return q


def in_place(
    lx: Ledger,
    q: Select[Any],
    model: Any,
    town: str | None,
    village: str | None,
) -> Select[Any]:
    """Records of the named town and village (`model.town_id`, `model.village_id`); a retired
    village may be named, since its records stay listable."""
    q = in_town(lx, q, model, town)
    if village:
        q = q.where(model.village_id == village_id(lx, village, town))
    return q


def in_range(
    q: Select[Any], column: Any, start: dt.date | None, end: dt.date | None
) -> Select[Any]:
    """Records whose `column` lies in [start, end]; either end may be open."""
    if start:
        q = q.where(column >= start)
    if end:
        q = q.where(column <= end)
    return q


def row_count(lx: Ledger, q: Select[Any]) -> int:
    """How many rows `q` selects, counted in SQL."""
    return lx.session.scalar(select(func.count()).select_from(q.subquery())) or 0


def breaking_query(
    lx: Ledger,
    model: Any,
    breaking_sql: Callable[[Policy], Any],
    *,
    town: str | None = None,
    village: str | None = None,
    breaking: bool = False,
    start: dt.date | None = None,
    end: dt.date | None = None,
    **equal: Any,
) -> Select[Any]:
    """Petitions, accidents or cases (records that may break a 零) of a town and village,
    with the given codes (`kind=...`, `form=...`; None matches all), only those breaking
    their 零 under the ledger's policy when `breaking`, dated in [start, end]."""
    q = in_place(lx, select(model), model, town, village)
    for column, value in equal.items():
        if value:
            q = q.where(getattr(model, column) == value)
    if breaking:
        q = q.where(breaking_sql(lx.policy))
    return in_range(q, model.date, start, end)


@dataclass(frozen=True)
class Breaking:
    """A kind of record that may break a 零 (petition, accident, case): its `query` and its
    `listing` (rows newest first, with `also` relationships loaded), both filtered as
    breaking_query is."""

    model: Any
    breaking_sql: Callable[[Policy], Any]
    row: Callable[[Any, Policy], dict[str, Any]]
    also: tuple[Any, ...] = ()

    def query(self, lx: Ledger, **filters: Any) -> Select[Any]:
        return breaking_query(lx, self.model, self.breaking_sql, **filters)

    def listing(self, lx: Ledger, **filters: Any) -> list[dict[str, Any]]:
        return newest_first(lx, self.query(lx, **filters), self.model, self.row, *self.also)

    def sums(self, lx: Ledger, summed: Callable[[Any], tuple[Any, ...]], **filters: Any) -> Any:
        """The filtered records' count, then the sum (0 when none) of each of `summed(c)`, a
        tuple of expressions over their columns `c`: one row."""
        sub = self.query(lx, **filters).subquery()
        each = (func.coalesce(func.sum(x), 0) for x in summed(sub.c))
        return lx.session.execute(select(func.count(), *each).select_from(sub)).one()

    def count_breaking(self, lx: Ledger, **filters: Any) -> int:
        """How many of the filtered records break their 零."""
        return row_count(lx, self.query(lx, **{**filters, "breaking": True}))


def village_labels(session: Any) -> dict[int, str]:
    """Every village's (and community's) name as lists and findings show it: `name（town）`
    where another town has a village of the same name, else the name. Worked out once per
    transaction (one query over the villages)."""
    from collections import Counter

    from sanling.models import Subject, Town

    cached = session.info.get("village_labels")
    if cached is None:
        rows = session.execute(
            select(Subject.id, Subject.name, Town.name)
            .join(Town, Town.id == Subject.town_id)
            .where(Subject.kind.in_(list(PLACES)))
        ).all()
        shared = Counter(name for _id, name, _town in rows)
        cached = {i: f"{n}（{t}）" if shared[n] > 1 else n for i, n, t in rows}
        session.info["village_labels"] = cached
    return cached


def village_label(village: Any) -> str:
    """A record's village as lists show it (see village_labels)."""
    from sqlalchemy.orm import object_session

    session = object_session(village)
    if session is None:
        return str(village.name)
    return village_labels(session).get(village.id, village.name)


def dated_row(record: Any) -> dict[str, Any]:
    """The first columns of a petition's, case's or accident's row (newest_first loads the
    village and subject they name)."""
    return {
        "ref": record.ref,
        "date": record.date,
        "village": village_label(record.village),
        "subject": record.subject.name if record.subject else None,
    }


def newest_first(
    lx: Ledger, q: Select[Any], model: Any, row: Callable[[Any, Policy], dict[str, Any]], *also: Any
) -> list[dict[str, Any]]:
    """The records of `q` as rows, newest first (by date, then number), with their village,
    subject and `also` (more relationships) loaded in the same query."""
    q = q.options(
        joinedload(model.village), joinedload(model.subject), *(joinedload(r) for r in also)
    ).order_by(model.date.desc(), model.ref.desc())
    return [row(r, lx.policy) for r in lx.session.scalars(q).unique()]
