"""Safety accidents (事故), and whether each breaks 零事故.

Under the default policy an accident with a death or a serious injury breaks its subject's
零事故; injuries alone do not. The rule is zeros.accident_breaks, read with the ledger's
policy, so `config set` changes what every list shows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sanling import zeros
from sanling.codes import RefPrefix
from sanling.config import Policy
from sanling.ledger.base import Ledger
from sanling.ledger.filters import Breaking, dated_row
from sanling.ledger.hazard import located
from sanling.models import Accident
from sanling.schemas import AccidentIn


def add(lx: Ledger, data: AccidentIn) -> Accident:
    village, subject = located(lx, data.village, data.subject, data.town)
    day = lx.date(data.date, "--date")
    record = lx.new(
        Accident,
        **lx.of_subject(RefPrefix.accident, day, village, subject),
        date=day,
        kind=data.kind,
        deaths=data.deaths,
        serious_injuries=data.serious_injuries,
        injuries=data.injuries,
        loss=Decimal(str(data.loss)).quantize(Decimal("0.01")),
        summary=lx.text(data.summary, "summary", required=True),
    )
    lx.created(record, "accident.add")
    return record


def totals(lx: Ledger, **filters: Any) -> dict[str, Any]:
    count, deaths, serious, injuries, loss = _accidents.sums(
        lx, lambda c: (c.deaths, c.serious_injuries, c.injuries, c.loss), **filters
    )
    return {
        "count": count,
        "deaths": int(deaths),
        "serious_injuries": int(serious),
        "injuries": int(injuries),
        "loss": Decimal(str(loss)).quantize(Decimal("0.01")),
        "breaking": _accidents.count_breaking(lx, **filters),
    }


def row(a: Accident, policy: Policy) -> dict[str, Any]:
    return {
        **dated_row(a),
        "kind": a.kind,
        "deaths": a.deaths,
        "serious_injuries": a.serious_injuries,
        "injuries": a.injuries,
        "loss": Decimal(str(a.loss)).quantize(Decimal("0.01")),
        "summary": a.summary,
        "breaks_zero": zeros.accident_breaks(a, policy),
    }


# Accidents of a town and village, of a `kind`, dated in [start, end], only those
# breaking their 零 when `breaking`.
_accidents = Breaking(Accident, zeros.accident_breaking, row)
query = _accidents.query
listing = _accidents.listing
