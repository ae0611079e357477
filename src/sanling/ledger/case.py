"""Criminal and administrative (治安) cases (案件), and whether each breaks 零案件.

Under the default policy a criminal case breaks its subject's 零案件, and so does an
administrative case with major impact (有重大影响); the rule is zeros.case_breaks, read with
the ledger's policy, so `config set` changes what every list shows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case

from sanling import zeros
from sanling.codes import CaseKind, RefPrefix
from sanling.config import Policy
from sanling.ledger.base import Ledger
from sanling.ledger.filters import Breaking, dated_row
from sanling.ledger.hazard import located
from sanling.models import Case
from sanling.schemas import CaseIn


def add(lx: Ledger, data: CaseIn) -> Case:
    village, subject = located(lx, data.village, data.subject, data.town)
    day = lx.date(data.date, "--date")
    record = lx.new(
        Case,
        **lx.of_subject(RefPrefix.case, day, village, subject),
        date=day,
        kind=data.kind,
        offence=lx.text(data.offence, "offence", limit=200),
        major=data.major,
        summary=lx.text(data.summary, "summary", required=True),
        source=lx.text(data.source, "source", limit=100),
    )
    lx.created(record, "case.add")
    return record


def totals(lx: Ledger, **filters: Any) -> dict[str, int]:
    total, criminal, major = _cases.sums(
        lx,
        lambda c: (
            case((c.kind == CaseKind.criminal, 1), else_=0),
            case((c.major.is_(True), 1), else_=0),
        ),
        **filters,
    )
    return {
        "count": total,
        "criminal": criminal,
        "administrative": total - criminal,
        "major": major,
        "breaking": _cases.count_breaking(lx, **filters),
    }


def row(c: Case, policy: Policy) -> dict[str, Any]:
    return {
        **dated_row(c),
        "kind": c.kind,
        "offence": c.offence,
        "major": c.major,
        "summary": c.summary,
        "source": c.source,
        "breaks_zero": zeros.case_breaks(c, policy),
    }


# Cases of a town and village, of a `kind`, dated in [start, end], only those breaking
# their 零 when `breaking`.
_cases = Breaking(Case, zeros.case_breaking, row)
query = _cases.query
listing = _cases.listing
