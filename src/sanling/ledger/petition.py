"""Petitions (信访): visits, letters, online and hotline complaints, and whether each one
breaks its subject's 零上访 under the ledger's policy (zeros.py holds the rule)."""

from __future__ import annotations

from typing import Any

from sanling import zeros
from sanling.codes import RefPrefix
from sanling.config import Policy
from sanling.ledger.base import Ledger, imported
from sanling.ledger.dispute import subject_in_village
from sanling.ledger.filters import Breaking, dated_row
from sanling.models import Dispute, Petition
from sanling.schemas import PetitionIn


def add(lx: Ledger, data: PetitionIn) -> Petition:
    village = lx.village(data.village, town=data.town)
    subject = subject_in_village(lx, data.subject, village, data.town) if data.subject else None
    day = lx.date(data.date, "--date")
    dispute = lx.record(Dispute, data.dispute) if data.dispute else None
    petition = lx.new(
        Petition,
        **lx.of_subject(RefPrefix.petition, day, village, subject),
        date=day,
        form=data.form,
        level=data.level,
        people=lx.count(data.people, "people", minimum=1),
        repeated=data.repeated,
        abnormal=data.abnormal,
        summary=lx.text(data.summary, "summary", required=True),
        dispute_id=dispute.id if dispute else None,
        handled_at_source=data.handled_at_source,
    )
    lx.created(petition, "petition.add")
    return petition


def row(p: Petition, policy: Policy | None = None) -> dict[str, Any]:
    rules = policy or Policy()
    return {
        **dated_row(p),
        "form": p.form,
        "level": p.level,
        "people": p.people,
        "collective": p.people >= rules.petition_collective_people,
        "repeated": p.repeated,
        "abnormal": p.abnormal,
        "summary": p.summary,
        "dispute": p.dispute.ref if p.dispute else None,
        "handled_at_source": p.handled_at_source,
        "breaks_zero": zeros.petition_breaks(p, rules),
    }


listing = Breaking(Petition, zeros.petition_breaking, row, (Petition.dispute,)).listing


def detail(lx: Ledger, ref: str) -> dict[str, Any]:
    p = lx.record(Petition, ref)
    return {**row(p, lx.policy), **imported(p)}
