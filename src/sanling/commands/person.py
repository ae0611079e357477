"""sanling person: key persons (重点人员), their visits (走访), and their privacy.

Name, ID number, phone, address and guardian are masked in every output by default;
`--reveal` shows them and, once they have been shown or written, an audit entry
(person.reveal) names the operator and the records shown.
"""

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sanling.codes import PersonCategory, Sex
from sanling.commands import corrections
from sanling.commands.common import (
    Format,
    Limit,
    Output,
    add_record,
    by_ref,
    check_format,
    emit,
    limited,
    reading_personal,
    step,
    voided_only,
)
from sanling.commands.options import (
    OnlyVillage,
    Phone,
    Town,
    Village,
    code_option,
    command_group,
    titled,
    total,
)
from sanling.i18n import tr
from sanling.render import FORMATS

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.render import Column, Detail

app = command_group()

COLUMNS = [
    "ref",
    "category",
    "name",
    "sex",
    "id_number",
    "phone",
    "village",
    "risk",
    "guardian",
    "cadre",
    "listed",
    "listing_ends",
    "delisted",
    "last_visit",
    "next_visit",
    "visit_overdue",
    "days_overdue",
]
VISITS = ["date", "by", "note"]

Ref = Annotated[str, typer.Argument(help="key person reference, e.g. ZD-2026-0001 编号")]
Reveal = Annotated[
    bool,
    typer.Option(
        "--reveal",
        help="show name, ID number, phone, address and guardian unmasked; the read is written"
        " to the audit log"
        " 显示明文（记入操作日志）",
    ),
]


def _columns() -> list["Column"]:
    return titled(COLUMNS, {"name": tr("姓名", "name")})


def _detail(ledger: "Ledger", ref: str, reveal: bool = False) -> "Detail":
    from sanling.ledger import person as persons
    from sanling.render import Detail, Listing

    fields, visits = persons.detail(ledger, ref, reveal=reveal)
    return Detail(
        fields,
        [Listing.of(VISITS, visits, key="visits", title=tr("走访记录", "visits"))],
        titles={"name": tr("姓名", "name")},
    )


_shown = by_ref(_detail)


# `person list --status`: the ledger's STATUSES, or their Chinese names.
STATUS_WORDS = {
    "visit-overdue": "visit-overdue",
    "走访逾期": "visit-overdue",
    "visit-due": "visit-due",
    "走访临期": "visit-due",
    "listing-ends": "listing-ends",
    "列管期满": "listing-ends",
    "期满": "listing-ends",
}


def _status(value: str) -> str:
    word = STATUS_WORDS.get(str(value).strip().lower().replace("_", "-"))
    if word is None:
        raise typer.BadParameter(
            tr(
                "“{v}”不是可选状态：visit-overdue 走访逾期、visit-due 走访临期、"
                "listing-ends 列管期满",
                "'{v}' is not one of visit-overdue, visit-due, listing-ends",
                v=value,
            )
        )
    return word


@app.command("add")
def add(
    category: Annotated[
        PersonCategory,
        code_option(
            PersonCategory,
            "--category",
            help="released|drug|mental|petitioner|correction|youth|other 人员类别",
        ),
    ],
    name: Annotated[str, typer.Option(help="name 姓名")],
    id_number: Annotated[
        str, typer.Option("--id-number", help="ID number 公民身份号码 (GB 11643)")
    ],
    village: Village,
    phone: Phone = None,
    sex: Annotated[
        Sex | None,
        code_option(Sex, "--sex", help="male|female 性别 (default: from the ID number)"),
    ] = None,
    address: Annotated[str | None, typer.Option(help="address 住址")] = None,
    risk: Annotated[
        int, typer.Option(help="risk level 风险等级: 1-5, or 0-5 for mental disorder", min=0, max=5)
    ] = 1,
    guardian: Annotated[str | None, typer.Option(help="guardian or helper 监护人/帮教人")] = None,
    cadre: Annotated[str | None, typer.Option(help="cadre in charge 包联干部")] = None,
    listed: Annotated[str | None, typer.Option(help="date listed 列管日期 (default today)")] = None,
    term_from: Annotated[
        str | None,
        typer.Option(
            help="start of the listing term: release (安置帮教, 5 years), start of 社区戒毒"
            " (3 years) or 社区矫正 期限起始日期 (default: the listed date)"
        ),
    ] = None,
    term_end: Annotated[
        str | None,
        typer.Option(help="end of the term when known (社区矫正 矫正期满) 期满日期"),
    ] = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Register a key person (重点人员建档); the output is masked."""
    add_record("person", locals(), _shown)


@app.command("visit")
def visit(
    ref: Ref,
    by: Annotated[str, typer.Option(help="who visited 走访人")],
    note: Annotated[str | None, typer.Option(help="how the person is doing 走访情况")] = None,
    date: Annotated[str | None, typer.Option(help="date 走访日期 (default today)")] = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Record a visit to a key person (走访); the next visit is due from it."""
    step(
        "person",
        "visit",
        lambda ledger, visit: _detail(ledger, visit.person.ref),
        fmt,
        output,
        ref,
        by,
        note,
        date,
    )


@app.command("delist")
def delist(
    ref: Ref,
    reason: Annotated[str, typer.Option(help="why 撤管原因")],
    date: Annotated[str | None, typer.Option(help="date 撤管日期 (default today)")] = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """De-list a key person (撤管); the record and its visits stay."""
    step("person", "delist", _shown, fmt, output, ref, reason, date)


@app.command("list")
def list_(
    category: Annotated[
        PersonCategory | None,
        code_option(PersonCategory, "--category", help="only this category 人员类别"),
    ] = None,
    village: OnlyVillage = None,
    visit_overdue: Annotated[
        bool,
        typer.Option("--visit-overdue", help="only those whose next visit is past due 走访逾期"),
    ] = False,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            parser=_status,
            metavar="visit-overdue|visit-due|listing-ends",
            help="visit-overdue 走访逾期, visit-due 走访临期 (due within --days, setting"
            " visit_due_days), listing-ends 列管期满 (the term ends within --days, setting"
            " listing_ends_days, or has ended)",
        ),
    ] = None,
    days: Annotated[
        int | None,
        typer.Option("--days", min=0, max=3650, help="days ahead for --status 提前天数"),
    ] = None,
    delisted: Annotated[
        bool, typer.Option("--delisted", help="include de-listed persons 含已撤管")
    ] = False,
    reveal: Reveal = False,
    town: Town = None,
    voided: corrections.Voided = False,
    fmt: Format = "table",
    output: Output = None,
    limit: Limit = None,
) -> None:
    """List key persons with their next visit due, masked unless --reveal (重点人员台账)."""
    from sanling.errors import UsageError
    from sanling.ledger import person as persons
    from sanling.render import Listing

    if days is not None and status is None:
        raise UsageError(
            tr("--days 须与 --status 同用", "--days goes with --status"),
            tr("如 --status visit-due --days 10", "e.g. --status visit-due --days 10"),
        )
    filters = dict(
        category=category,
        village=village,
        visit_overdue=visit_overdue,
        status=status,
        days=days,
        include_delisted=delisted,
        town=town,
    )
    check_format(fmt, FORMATS)
    refs: list[str] = []
    columns = _columns()
    only = "person" if voided else None
    # A reveal is written to the audit log once the unmasked list has left; only the rows
    # shown (--limit) are revealed.
    with _reading(reveal, refs, "person list", output) as ledger, voided_only(ledger, only):
        every = persons.listing(ledger, reveal=reveal, **filters)
        if voided:
            columns += corrections.stamped(ledger, "person", every)
        rows, more, older = limited(every, limit, fmt, output)
        refs += [row["ref"] for row in rows]
        totals = {
            "ref": total(len(every)),
            "visit_overdue": sum(1 for row in every if row["visit_overdue"]),
        }
        # A file of key persons, masked or not, is its owner's only (0600).
        listing = Listing(columns, rows, totals=totals, more=more, older=older)
        emit(listing, fmt, output, private=True, reveal=reveal)


@app.command("show")
def show(
    ref: Ref,
    reveal: Reveal = False,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Show one key person with their visits, masked unless --reveal (重点人员详情)."""

    check_format(fmt, FORMATS)
    refs: list[str] = []
    # A reveal is written to the audit log once the unmasked record has left.
    with _reading(reveal, refs, "person show", output) as ledger, ledger.showing():
        detail = corrections.annotate(ledger, _detail(ledger, ref, reveal))
        refs.append(detail.fields["ref"])
        emit(detail, fmt, output, private=True, reveal=reveal)  # owner-only, as a list of them


def _reading(
    reveal: bool, refs: list[str], via: str, output: Path | None
) -> AbstractContextManager["Ledger"]:
    """A read transaction, or with --reveal one that audits the reveal of `refs`."""
    return reading_personal("person", reveal, refs, via, output)


corrections.register(app, "person", _shown)
