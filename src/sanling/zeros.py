"""What breaks a zero (三零) under the ledger's policy: one rule, in Python and in SQL.

零上访 is broken by a petition that reached the breaking level (default city), a collective
petition (5+ people) at county level or above, or an abnormal petition; 零事故 by an accident
with a death or a serious injury; 零案件 by a criminal case or a major administrative case
(or any administrative case at all, where `case_any_administrative_breaks` is set: some cities
define 零案件 so).
The record breaks the zero of its subject if it names one, else of its village.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_

from sanling.codes import LEVEL_ORDER, CaseKind, Level
from sanling.config import Policy
from sanling.models import Accident, Case, Petition


def _levels_from(level: Level) -> list[Level]:
    return [lv for lv in Level if LEVEL_ORDER[lv] >= LEVEL_ORDER[level]]


# ---- Python predicates (for one record in list/show) ----------------------------------
def petition_breaks(p: Petition, policy: Policy) -> bool:
    if LEVEL_ORDER[p.level] >= LEVEL_ORDER[policy.petition_breaking_level]:
        return True
    if (
        p.people >= policy.petition_collective_people
        and LEVEL_ORDER[p.level] >= LEVEL_ORDER[policy.petition_collective_level]
    ):
        return True
    return bool(p.abnormal and policy.petition_abnormal_breaks)


def accident_breaks(a: Accident, policy: Policy) -> bool:
    return bool(
        (a.deaths > 0 and policy.accident_death_breaks)
        or (a.serious_injuries > 0 and policy.accident_serious_injury_breaks)
    )


def case_breaks(c: Case, policy: Policy) -> bool:
    if c.kind == CaseKind.criminal:
        return policy.case_criminal_breaks
    if policy.case_any_administrative_breaks:
        return True
    return bool(c.major and policy.case_major_administrative_breaks)


# ---- SQL clauses (for reports that count) ---------------------------------------------
def petition_breaking(policy: Policy) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = [
        Petition.level.in_(_levels_from(policy.petition_breaking_level)),
        and_(
            Petition.people >= policy.petition_collective_people,
            Petition.level.in_(_levels_from(policy.petition_collective_level)),
        ),
    ]
    if policy.petition_abnormal_breaks:
        clauses.append(Petition.abnormal.is_(True))
    return or_(*clauses)


def accident_breaking(policy: Policy) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = []
    if policy.accident_death_breaks:
        clauses.append(Accident.deaths > 0)
    if policy.accident_serious_injury_breaks:
        clauses.append(Accident.serious_injuries > 0)
    return or_(*clauses) if clauses else false()


def case_breaking(policy: Policy) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = []
    if policy.case_criminal_breaks:
        clauses.append(Case.kind == CaseKind.criminal)
    if policy.case_any_administrative_breaks:
        clauses.append(Case.kind == CaseKind.administrative)
    elif policy.case_major_administrative_breaks:
        clauses.append(and_(Case.kind == CaseKind.administrative, Case.major.is_(True)))
    return or_(*clauses) if clauses else false()


def broken_subject(model: Any) -> Any:
    """The subject whose zero a record breaks: its subject if named, else its village."""
    return func.coalesce(model.subject_id, model.village_id)
