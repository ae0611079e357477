"""sanling subject: creation subjects (创建主体) and their grades."""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sanling.codes import Grade, SubjectKind
from sanling.commands.common import Format, Limit, Output, add_record, change, emit_list, emit_read
from sanling.commands.options import (
    Date,
    Households,
    Phone,
    Population,
    Town,
    code_option,
    command_group,
)
from sanling.i18n import tr

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.models import Subject, Title
    from sanling.render import Detail

app = command_group()

COLUMNS = [
    "name",
    "kind",
    "town",
    "parent",
    "contact",
    "phone",
    "households",
    "population",
    "mediation_committee",
    "security_committee",
    "patrol_team",
    "video",
    "police_office",
    "grade",
]
Contact = Annotated[str | None, typer.Option(help="person in charge 负责人")]
HISTORY = ["date", "grade", "previous", "manual", "reason", "operator"]


def _detail(ledger: "Ledger", name: str, town: str | None) -> "Detail":
    from sanling.ledger import subject as subjects
    from sanling.render import Detail, Listing

    fields, history = subjects.detail(ledger, name, town=town)
    return Detail(
        fields,
        [Listing.of(HISTORY, history, key="grade_history", title=tr("定级记录", "grade history"))],
    )


def _change(
    act: Callable[["Ledger"], "Subject"], town: str | None, fmt: str, output: Path | None
) -> None:
    """Change one subject and print it as it now stands, with its grade history."""
    change(act, lambda ledger, subject: _detail(ledger, subject.name, town), fmt, output)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="name 名称")],
    kind: Annotated[
        SubjectKind,
        code_option(
            SubjectKind, "--kind", help="village|community|unit|enterprise|town_office (镇直) 类型"
        ),
    ],
    village: Annotated[
        str | None, typer.Option(help="parent village of a unit or enterprise 所属村")
    ] = None,
    town: Town = None,
    households: Households = None,
    population: Population = None,
    contact: Contact = None,
    phone: Phone = None,
    mediation_committee: Annotated[
        bool, typer.Option("--mediation-committee", help="has a mediation committee 调委会")
    ] = False,
    security_committee: Annotated[
        bool, typer.Option("--security-committee", help="has a security committee 治保会")
    ] = False,
    patrol_team: Annotated[
        bool, typer.Option("--patrol-team", help="has a patrol team 巡逻队")
    ] = False,
    video: Annotated[bool, typer.Option("--video", help="video coverage 雪亮工程")] = False,
    police_office: Annotated[
        bool, typer.Option("--police-office", help="has a police office 警务室")
    ] = False,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Register a creation subject (登记创建主体)."""
    add_record("subject", locals(), lambda ledger, subject: _detail(ledger, subject.name, town))


@app.command("list")
def list_(
    kind: Annotated[
        SubjectKind | None, code_option(SubjectKind, "--kind", help="only this kind 类型")
    ] = None,
    grade: Annotated[
        Grade | None, code_option(Grade, "--grade", help="only this grade 等级")
    ] = None,
    village: Annotated[
        str | None, typer.Option(help="units and enterprises of this village 所属村")
    ] = None,
    town: Town = None,
    retired: Annotated[
        bool, typer.Option("--retired", help="include retired subjects 含已注销")
    ] = False,
    fmt: Format = "table",
    output: Output = None,
    limit: Limit = None,
) -> None:
    """List creation subjects (主体列表)."""
    from sanling.ledger import subject as subjects

    filters = dict(kind=kind, grade=grade, town=town, village=village, include_retired=retired)
    columns = [*COLUMNS, "active"] if retired else COLUMNS
    emit_list(columns, subjects.listing, filters, fmt, output, limit=limit)


@app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="name 名称")],
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Show one subject with its grade history (主体详情)."""
    emit_read(lambda ledger: _detail(ledger, name, town), fmt, output)


@app.command("update")
def update(
    name: Annotated[str, typer.Argument(help="name 名称")],
    town: Town = None,
    rename: Annotated[str | None, typer.Option("--rename", help="new name 新名称")] = None,
    households: Households = None,
    population: Population = None,
    contact: Contact = None,
    phone: Phone = None,
    mediation_committee: Annotated[
        bool | None, typer.Option("--mediation-committee/--no-mediation-committee", help="调委会")
    ] = None,
    security_committee: Annotated[
        bool | None, typer.Option("--security-committee/--no-security-committee", help="治保会")
    ] = None,
    patrol_team: Annotated[
        bool | None, typer.Option("--patrol-team/--no-patrol-team", help="巡逻队")
    ] = None,
    video: Annotated[bool | None, typer.Option("--video/--no-video", help="雪亮工程")] = None,
    police_office: Annotated[
        bool | None, typer.Option("--police-office/--no-police-office", help="警务室")
    ] = None,
    webhook: Annotated[
        str | None,
        typer.Option(
            "--webhook",
            help="the village's own group robot for its bulletin, '' removes it 村群机器人",
            metavar="URL",
        ),
    ] = None,
    dingtalk_secret: Annotated[
        str | None,
        typer.Option("--dingtalk-secret", help="its DingTalk signing secret 钉钉加签密钥"),
    ] = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Change a subject's contact, counts, foundations or group robot (修改主体信息)."""
    # Every option given, but the subject's name and town, is a change (--rename: new_name).
    params = locals()
    changes = {
        "new_name" if option == "rename" else option: value
        for option, value in params.items()
        if option not in ("name", "town", "fmt", "output") and value is not None
    }
    from sanling.ledger import subject as subjects

    _change(lambda ledger: subjects.update(ledger, name, changes, town=town), town, fmt, output)


@app.command("grade")
def grade(
    name: Annotated[str, typer.Argument(help="village or community 村（社区）")],
    grade: Annotated[
        Grade, code_option(Grade, "--grade", help="key|general|safe 重点村/一般村/平安村")
    ],
    reason: Annotated[str, typer.Option(help="why 定级理由")],
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Grade a village by hand, with a reason kept in its history (人工定级)."""
    from sanling.ledger import subject as subjects

    _change(
        lambda ledger: subjects.grade(ledger, name, grade, reason, town=town), town, fmt, output
    )


@app.command("retire")
def retire(
    name: Annotated[str, typer.Argument(help="name 名称")],
    reason: Annotated[str, typer.Option(help="why 注销原因")],
    date: Date = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Retire a subject; its records stay (注销主体)."""
    from sanling.ledger import subject as subjects

    _change(
        lambda ledger: subjects.retire(ledger, name, reason, town=town, date=date),
        town,
        fmt,
        output,
    )


# ---- titles: naming (命名) and revocation (摘牌), issue 17 ---------------------------------
TITLE_COLUMNS = [
    "subject",
    "kind",
    "town",
    "year",
    "title",
    "named_on",
    "revoked_on",
    "revoke_reason",
    "revoke_ref",
]
Year = Annotated[
    int, typer.Option("--year", help="the year named for 命名年度", min=1900, max=9999)
]


def _title(ledger: "Ledger", title: "Title") -> "Detail":
    from sanling.ledger import title as titles
    from sanling.render import Detail

    fields = titles.row(
        title, title.subject.name, title.subject.kind, title.subject.town.name, ledger.today
    )
    return Detail({k: fields[k] for k in TITLE_COLUMNS})


@app.command("name")
def name_(
    name: Annotated[str, typer.Argument(help="subject 创建主体")],
    year: Year,
    title: Annotated[
        str | None,
        typer.Option(
            "--title", help="the title (default 三零村, 三零社区, 三零单位, 三零企业 by kind) 称号"
        ),
    ] = None,
    date: Date = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Name a subject for a year, e.g. 2026年度三零村 (命名); once a year."""
    from sanling.ledger import title as titles

    change(
        lambda ledger: titles.name(ledger, name, year, title=title, date=date, town=town),
        _title,
        fmt,
        output,
    )


@app.command("revoke")
def revoke(
    name: Annotated[str, typer.Argument(help="subject 创建主体")],
    reason: Annotated[str, typer.Option(help="why 摘牌原因")],
    record: Annotated[
        str | None,
        typer.Option("--record", help="the record that broke the zero 破零记录", metavar="REF"),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help="the title's year (default its newest) 称号年度", min=1900),
    ] = None,
    date: Date = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Revoke a subject's title (摘牌), with the reason and the record that broke it."""
    from sanling.ledger import title as titles

    change(
        lambda ledger: titles.revoke(
            ledger, name, reason, record=record, date=date, year=year, town=town
        ),
        _title,
        fmt,
        output,
    )


@app.command("titles")
def titles_(
    year: Annotated[
        int | None, typer.Option("--year", help="only this year 年度", min=1900, max=9999)
    ] = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
    limit: Limit = None,
) -> None:
    """List the subjects named, by year, and those revoked (命名与摘牌)."""
    from sanling.ledger import title as titles

    emit_list(TITLE_COLUMNS, titles.listing, {"year": year, "town": town}, fmt, output, limit=limit)
