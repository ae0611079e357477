"""What comes in: the input of each `add` command and of each import row.

Field names are the option names of the matching `add` command (English import headers use
them too). Codes accept the code or its label; dates stay text (or a date) until the ledger
parses them against its as-of date; counts must not be negative.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from sanling.codes import (
    AccidentKind,
    AssignedBy,
    CaseKind,
    DisputeCategory,
    DisputeSource,
    HazardArea,
    HazardGrade,
    Level,
    PatrolKind,
    PersonCategory,
    PetitionForm,
    Risk,
    Sex,
    SubjectKind,
    SweepScope,
    TeamKind,
)
from sanling.i18n import choices, parse_code


def _code(enum: type[StrEnum]) -> BeforeValidator:
    def convert(value: Any) -> Any:
        if value is None or isinstance(value, enum):
            return value
        member = parse_code(enum, str(value))
        if member is None:
            raise ValueError(f"'{value}' is not one of: {choices(enum)}")
        return member

    return BeforeValidator(convert)


def _flag(value: Any) -> Any:
    """Spreadsheet booleans: 是/否, 有/无, yes/no, 1/0, true/false, ✓; empty is no."""
    if isinstance(value, bool) or value is None:
        return bool(value)
    text = str(value).strip().lower()
    if text in ("", "0", "no", "n", "false", "否", "无", "没有", "×", "x"):
        return False
    if text in ("1", "yes", "y", "true", "是", "有", "√", "✓"):
        return True
    raise ValueError(f"'{value}' is not yes/no (是/否)")


M = TypeVar("M", bound="Input")

Flag = Annotated[bool, BeforeValidator(_flag)]
DateText = str | dt.date
Count = Annotated[int, Field(ge=0, le=10_000_000)]


class Input(BaseModel):
    # defer_build: a command validates one kind of input; building all of them costs its start.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class SubjectIn(Input):
    name: str = Field(min_length=1, max_length=100)
    kind: Annotated[SubjectKind, _code(SubjectKind)]
    village: str | None = None  # the parent village of a unit or enterprise
    town: str | None = None
    households: Count | None = None
    population: Count | None = None
    contact: str | None = None
    phone: str | None = None
    mediation_committee: Flag = False
    security_committee: Flag = False
    patrol_team: Flag = False
    video: Flag = False
    police_office: Flag = False


class SweepIn(Input):
    subject: str
    by: str = Field(min_length=1, max_length=100)
    date: DateText | None = None
    scope: Annotated[SweepScope, _code(SweepScope)] = SweepScope.both
    note: str | None = None
    town: str | None = None


class DisputeIn(Input):
    village: str
    subject: str | None = None
    category: Annotated[DisputeCategory, _code(DisputeCategory)]
    summary: str = Field(min_length=1)
    handler: str = Field(min_length=1, max_length=100)
    parties: str | None = None
    people: Count | None = None
    risk: Annotated[Risk, _code(Risk)] = Risk.low
    lead: str | None = None
    source: Annotated[DisputeSource, _code(DisputeSource)] = DisputeSource.sweep
    found: DateText | None = None
    deadline: DateText | None = None
    sweep: str | None = None
    town: str | None = None


class PetitionIn(Input):
    village: str
    subject: str | None = None
    form: Annotated[PetitionForm, _code(PetitionForm)]
    level: Annotated[Level, _code(Level)]
    summary: str = Field(min_length=1)
    people: Annotated[int, Field(ge=1, le=100_000)] = 1
    repeated: Flag = False
    abnormal: Flag = False
    date: DateText | None = None
    dispute: str | None = None
    handled_at_source: Flag = False
    town: str | None = None


class BacklogIn(Input):
    assigned_by: Annotated[AssignedBy, _code(AssignedBy)]
    village: str
    petitioner: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    lead: str = Field(min_length=1)
    plan: str = Field(min_length=1)
    deadline: DateText
    date: DateText | None = None
    unit: str | None = None
    town: str | None = None


class HazardIn(Input):
    village: str
    subject: str | None = None
    area: Annotated[HazardArea, _code(HazardArea)]
    description: str = Field(min_length=1)
    responsible: str = Field(min_length=1)
    grade: Annotated[HazardGrade, _code(HazardGrade)] = HazardGrade.general
    location: str | None = None
    measures: str | None = None
    found: DateText | None = None
    deadline: DateText | None = None
    sweep: str | None = None
    town: str | None = None


class PatrolIn(Input):
    village: list[str] = Field(default_factory=list)
    team: Annotated[TeamKind, _code(TeamKind)]
    leader: str = Field(min_length=1)
    people: Annotated[int, Field(ge=1, le=10_000)]
    date: DateText | None = None
    start: str | None = None
    end: str | None = None
    kind: Annotated[PatrolKind, _code(PatrolKind)] = PatrolKind.routine
    route: str | None = None
    findings: str | None = None
    action: str | None = None
    to_police: Flag = False
    hotspot: str | None = None
    town: str | None = None


class HotspotIn(Input):
    village: str
    description: str = Field(min_length=1)
    date: DateText | None = None
    town: str | None = None


class CaseIn(Input):
    kind: Annotated[CaseKind, _code(CaseKind)]
    village: str
    subject: str | None = None
    summary: str = Field(min_length=1)
    offence: str | None = None
    major: Flag = False
    date: DateText | None = None
    source: str | None = None
    town: str | None = None


class AccidentIn(Input):
    village: str
    subject: str | None = None
    kind: Annotated[AccidentKind, _code(AccidentKind)]
    summary: str = Field(min_length=1)
    deaths: Count = 0
    serious_injuries: Count = 0
    injuries: Count = 0
    loss: Annotated[float, Field(ge=0, le=1e12)] = 0
    date: DateText | None = None
    town: str | None = None


class PersonIn(Input):
    category: Annotated[PersonCategory, _code(PersonCategory)]
    name: str = Field(min_length=1, max_length=100)
    id_number: str
    village: str
    sex: Annotated[Sex | None, _code(Sex)] = None
    phone: str | None = None
    address: str | None = None
    risk: Annotated[int, Field(ge=0, le=5)] = 1
    guardian: str | None = None
    cadre: str | None = None
    listed: DateText | None = None
    town: str | None = None


def validate(schema: type[M], data: dict[str, Any]) -> M:
    """Build an input model; a bad field becomes one InvalidValue naming it."""
    from pydantic import ValidationError

    from sanling.errors import InvalidValue
    from sanling.i18n import header, tr

    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ()) if not isinstance(p, int)) or "?"
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        if err.get("type") == "string_too_short" and (err.get("ctx") or {}).get("min_length") == 1:
            raise InvalidValue(
                tr("{h}（{f}）不能为空", "{f} must not be empty", f=where, h=header(where))
            )
        raise InvalidValue(
            tr("{h}（{f}）无效：{m}", "invalid {f}: {m}", f=where, h=header(where), m=msg)
        )
