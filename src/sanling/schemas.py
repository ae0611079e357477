"""What comes in: the input of each `add` command and of each import row.

Each input model is derived from its kind's field declarations (fields.py). Field names are
the option names of the matching `add` command (English import headers use them too). Codes
accept the code or its label; dates stay text (or a date) until the ledger parses them against
its as-of date; counts must not be negative.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, create_model
from pydantic import Field as Constraint

from sanling import fields
from sanling.fields import CODE, DATE, DEADLINE, FLAG, FLOAT, INT, LIST, Field
from sanling.i18n import choices, parse_code


def _code(enum: type[StrEnum]) -> BeforeValidator:
    def convert(value: Any) -> Any:
        if value is None or isinstance(value, enum):
            return value
        member = parse_code(enum, str(value))
        if member is None:
            from sanling.i18n import tr

            raise ValueError(
                tr(
                    "“{v}”不是可选值；可选：{c}",
                    "'{v}' is not one of: {c}",
                    v=value,
                    c=choices(enum),
                )
            )
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
    from sanling.i18n import tr

    raise ValueError(tr("“{v}”不是是/否", "'{v}' is not yes/no (是/否)", v=value))


M = TypeVar("M", bound="Input")

Flag = Annotated[bool, BeforeValidator(_flag)]
DateText = str | dt.date


class Input(BaseModel):
    # defer_build: a command validates one kind of input; building all of them costs its start.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


def _annotation(f: Field) -> Any:
    """The type the input takes for a field, with its constraints."""
    optional = not f.required and f.default is None
    if f.vtype == CODE:
        assert f.enum is not None
        return Annotated[f.enum | None if optional else f.enum, _code(f.enum)]
    if f.vtype == FLAG:
        return Flag
    if f.vtype == LIST:
        return list[str]
    if f.vtype in (DATE, DEADLINE):
        base: Any = DateText
    elif f.vtype in (INT, FLOAT):
        ge, le = f.bounds or (None, None)
        number = int if f.vtype == INT else float
        base = Annotated[number, Constraint(ge=ge, le=le)] if f.bounds else number
    else:
        base = str
        if f.nonempty or f.max_length:
            limits = Constraint(min_length=1 if f.nonempty else None, max_length=f.max_length)
            base = Annotated[str, limits]
    return base | None if optional else base


def _default(f: Field) -> Any:
    if f.required:
        return ...
    if f.vtype == LIST:
        return Constraint(default_factory=list)
    return f.default


def derive(name: str, kind: str) -> Any:
    """The input model of a kind: one field per input field of its declarations.

    Held in an Any-typed name so the classes below can subclass it: mypy sees their fields as
    Any, Pydantic validates them as declared.
    """
    definitions: dict[str, Any] = {
        f.key: (_annotation(f), _default(f)) for f in fields.inputs(kind)
    }
    return create_model(name, __base__=Input, **definitions)


_Subject: Any = derive("SubjectIn", "subjects")


class SubjectIn(_Subject):
    pass


_Sweep: Any = derive("SweepIn", "sweeps")


class SweepIn(_Sweep):
    pass


_Dispute: Any = derive("DisputeIn", "disputes")


class DisputeIn(_Dispute):
    pass


_Petition: Any = derive("PetitionIn", "petitions")


class PetitionIn(_Petition):
    pass


_Backlog: Any = derive("BacklogIn", "backlog")


class BacklogIn(_Backlog):
    pass


_Hazard: Any = derive("HazardIn", "hazards")


class HazardIn(_Hazard):
    pass


_Patrol: Any = derive("PatrolIn", "patrols")


class PatrolIn(_Patrol):
    pass


_Hotspot: Any = derive("HotspotIn", "hotspots")


class HotspotIn(_Hotspot):
    pass


_Case: Any = derive("CaseIn", "cases")


class CaseIn(_Case):
    pass


_Accident: Any = derive("AccidentIn", "accidents")


class AccidentIn(_Accident):
    pass


_Person: Any = derive("PersonIn", "persons")


class PersonIn(_Person):
    pass


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
        from sanling.usage_zh import pydantic_error

        msg = pydantic_error(dict(err))
        if err.get("type") == "string_too_short" and (err.get("ctx") or {}).get("min_length") == 1:
            raise InvalidValue(
                tr("{h}（{f}）不能为空", "{f} must not be empty", f=where, h=header(where))
            )
        option = "--" + where.replace("_", "-")  # what the user typed (a code, not English)
        raise InvalidValue(
            tr("{h}（{o}）无效：{m}", "invalid {f}: {m}", f=where, o=option, h=header(where), m=msg)
        )
