"""sanling petition: petitions (信访), each marked when it breaks 零上访."""

from typing import TYPE_CHECKING, Annotated

import typer

from sanling.codes import Level, PetitionForm
from sanling.commands import breaking, corrections
from sanling.commands.common import Format, Limit, Output, add_record, emit_list, emit_read
from sanling.commands.options import (
    Date,
    FromDate,
    OnlyVillage,
    Subject,
    ToDate,
    Town,
    Village,
    code_option,
    command_group,
)

if TYPE_CHECKING:
    pass

app = command_group()

COLUMNS = breaking.columns(
    "form",
    "level",
    "people",
    "collective",
    "repeated",
    "abnormal",
    "summary",
    "dispute",
    "handled_at_source",
)
_shown = breaking.shown("petition")


@app.command("add")
def add(
    village: Village,
    form: Annotated[
        PetitionForm, code_option(PetitionForm, "--form", help="visit|letter|online|hotline 形式")
    ],
    level: Annotated[
        Level, code_option(Level, "--level", help="town|county|city|province|national 层级")
    ],
    summary: Annotated[str, typer.Option(help="what it is about 简要情况")],
    subject: Subject = None,
    people: Annotated[int, typer.Option(help="people 人数 (5 or more: collective 集体访)")] = 1,
    repeated: Annotated[
        bool, typer.Option("--repeated", help="a repeated petition 重复访")
    ] = False,
    abnormal: Annotated[
        bool, typer.Option("--abnormal", help="an abnormal petition 非正常访")
    ] = False,
    handled_at_source: Annotated[
        bool, typer.Option("--handled-at-source", help="handled at source 源头化解")
    ] = False,
    date: Date = None,
    dispute: Annotated[str | None, typer.Option(help="linked dispute 关联纠纷编号")] = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Register a petition (登记信访)."""
    add_record("petition", locals(), _shown)


@app.command("list")
def list_(
    village: OnlyVillage = None,
    form: Annotated[
        PetitionForm | None, code_option(PetitionForm, "--form", help="only this form 形式")
    ] = None,
    level: Annotated[
        Level | None, code_option(Level, "--level", help="only this level 层级")
    ] = None,
    breaking: Annotated[
        bool, typer.Option("--breaking", help="only those breaking 零上访 破零")
    ] = False,
    from_: FromDate = None,
    to: ToDate = None,
    town: Town = None,
    voided: corrections.Voided = False,
    fmt: Format = "table",
    output: Output = None,
    limit: Limit = None,
) -> None:
    """List petitions, newest first, with whether each breaks 零上访 (信访台账)."""
    from sanling.ledger import petition as petitions

    filters = dict(village=village, town=town, form=form, level=level, breaking=breaking)
    emit_list(
        COLUMNS,
        petitions.listing,
        filters,
        fmt,
        output,
        dates=(from_, to),
        voided="petition" if voided else None,
        limit=limit,
    )


@app.command("show")
def show(
    ref: Annotated[str, typer.Argument(help="reference number, e.g. XF-2026-0001 编号")],
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Show one petition (信访详情)."""
    from sanling.ledger import petition as petitions
    from sanling.render import Detail

    emit_read(lambda ledger: Detail(petitions.detail(ledger, ref)), fmt, output)


corrections.register(app, "petition", _shown)
