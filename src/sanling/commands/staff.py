"""sanling staff: the town's staff roster (工作人员名册), whom `sanling remind` @-mentions.

Phones are personal data: masked in every output and in the audit log; `list --reveal` and
`show --reveal` show them and, once shown, an audit entry (staff.reveal) names the operator and
the members shown, as `person list --reveal` does.
"""

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sanling.commands.common import (
    Format,
    Limit,
    Output,
    change,
    check_format,
    emit,
    limited,
    reading,
    revealing,
)
from sanling.commands.options import Date, OnlyVillage, Town, command_group
from sanling.i18n import tr
from sanling.render import FORMATS

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.models import Staff
    from sanling.render import Detail

app = command_group()

Name = Annotated[str, typer.Argument(help="the member's name, as records name handlers 姓名")]
Reveal = Annotated[
    bool,
    typer.Option(
        "--reveal",
        help="show phones unmasked; the read is written to the audit log 显示明文（记入操作日志）",
    ),
]
Role = Annotated[str | None, typer.Option("--role", help="role, e.g. 调解员 职务")]


def _detail(member: "Staff", reveal: bool = False) -> "Detail":
    from sanling.ledger import staff
    from sanling.render import Detail

    return Detail(staff.row(member, reveal=reveal), titles=_titles())


def _titles() -> dict[str, str]:
    return {
        "name": tr("姓名", "name"),
        "role": tr("职务", "role"),
        "village": tr("所在村", "village"),
        "active": tr("在名册", "on the roster"),
        "retired_on": tr("移出名册日期", "taken off on"),
    }


def _shown(_ledger: "Ledger", member: "Staff") -> "Detail":
    return _detail(member)


@app.command("add")
def add(
    name: Name,
    phone: Annotated[str, typer.Option("--phone", help="mobile phone, for @-mentions 手机号")],
    role: Role = None,
    village: Annotated[
        str | None, typer.Option("--village", help="the village they work in 所在村")
    ] = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Add a member to the staff roster (添加工作人员); the phone is shown masked."""
    from sanling.ledger import staff

    change(
        lambda lx: staff.add(lx, name, phone, role=role, village=village, town=town),
        _shown,
        fmt,
        output,
    )


@app.command("edit")
def edit(
    name: Name,
    new_name: Annotated[str | None, typer.Option("--name", help="a new name 新姓名")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="a new phone 手机号")] = None,
    role: Role = None,
    village: Annotated[
        str | None, typer.Option("--village", help="the village they work in ('' clears) 所在村")
    ] = None,
    restore: Annotated[
        bool, typer.Option("--restore", help="put a removed member back on the roster 恢复")
    ] = False,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Change a member's name, phone, role or village (修改工作人员信息)."""
    from sanling.ledger import staff

    change(
        lambda lx: staff.edit(
            lx,
            name,
            town=town,
            new_name=new_name,
            phone=phone,
            role=role,
            village=village,
            restore=restore,
        ),
        _shown,
        fmt,
        output,
    )


@app.command("remove")
def remove(
    name: Name,
    date: Date = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Take a member off the roster (移出名册): kept in the ledger, no more @-mentions."""
    from sanling.ledger import staff

    change(lambda lx: staff.remove(lx, name, town=town, date=date), _shown, fmt, output)


@app.command("list")
def list_(
    town: Town = None,
    village: OnlyVillage = None,
    removed: Annotated[
        bool, typer.Option("--removed", help="include members taken off the roster 含已移出")
    ] = False,
    reveal: Reveal = False,
    fmt: Format = "table",
    output: Output = None,
    limit: Limit = None,
) -> None:
    """List the staff roster, phones masked unless --reveal (工作人员名册)."""
    from sanling.ledger import staff
    from sanling.render import Column, Listing

    check_format(fmt, FORMATS)
    names: list[str] = []
    with _reading(reveal, names, "staff list", output) as lx:
        every = staff.listing(lx, town=town, village=village, retired=removed, reveal=reveal)
        rows, more, _older = limited(every, limit, fmt, output)
        names += [r["name"] for r in rows]
        titles = _titles()
        columns = [Column(k, titles.get(k)) for k in staff.COLUMNS]
        emit(Listing(columns, rows, more=more), fmt, output, private=reveal)


@app.command("show")
def show(
    name: Name,
    reveal: Reveal = False,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Show one member of the roster, the phone masked unless --reveal (工作人员详情)."""
    from sanling.ledger import staff

    check_format(fmt, FORMATS)
    names: list[str] = []
    with _reading(reveal, names, "staff show", output) as lx:
        member = staff.find(lx, name, town)
        names.append(member.name)
        emit(_detail(member, reveal), fmt, output, private=reveal)


def _reading(
    reveal: bool, names: list[str], via: str, output: Path | None
) -> AbstractContextManager["Ledger"]:
    """A read transaction, or with --reveal one that audits the reveal of `names` (filled in
    by the block) once the phones have left."""
    from sanling.ledger import staff

    if not reveal:
        return reading()
    return revealing(lambda lx: staff.record_reveal(lx, names, via), output)
