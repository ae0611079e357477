"""The root of the command line: global options, the command groups, the one error boundary.

Every failure leaves here as one `error:` line on stderr and an exit code (1 for a request
that is wrong for the ledger, 2 for a usage error), never a traceback unless SANLING_DEBUG=1.
"""


import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from sanling import __version__
from sanling.commands import (
    accident,
    backlog,
    case,
    config,
    db,
    demo,
    dispute,
    hazard,
    hotspot,
    log,
    patrol,
    person,
    petition,
    report,
    subject,
    sweep,
    town,
    transfer,
)
from sanling.commands.common import state
from sanling.errors import SanlingError
from sanling.i18n import detect_lang, set_lang, tr


def _usage_line(exc: Any) -> str:
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    message = " ".join(str(message).split())
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "sanling"
    return f"error: {message} (hint: see `{path} --help`)"


class SanlingGroup(TyperGroup):
    """The root group: runs a command and turns every failure into one `error:` line."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        from typer import Abort
        from typer._click.exceptions import ClickException, UsageError

        code = 0
        set_lang(detect_lang())  # for errors raised before the root callback reads --lang
        # Bytes the locale could not decode (lone surrogates) become U+FFFD, like any other
        # value; a NUL (no shell can pass one, and PostgreSQL refuses it even in a lookup) is
        # refused here, before anything reads the ledger.
        args = [a.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
                for a in (sys.argv[1:] if args is None else args)]
        if any("\x00" in a for a in args):
            typer.echo(tr("error: 参数中含有 NUL 字符 (hint: 去掉它)",
                          "error: an argument contains a NUL character (hint: remove it)"), err=True)
            if standalone_mode:
                sys.exit(2)
            return 2
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else 0
        except UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":
                # A bare `sanling` or `sanling dispute`: the help was shown, nothing failed.
                code = 0
            else:
                typer.echo(_usage_line(exc), err=True)
                code = 2
        except ClickException as exc:
            typer.echo(f"error: {' '.join(exc.format_message().split())}", err=True)
            code = exc.exit_code
        except SanlingError as exc:
            typer.echo(exc.line(), err=True)
            code = exc.exit_code
        except (Abort, KeyboardInterrupt):
            typer.echo(tr("error: 已中止，未保存任何更改", "error: aborted, nothing was saved"), err=True)
            code = 1
        except BrokenPipeError:
            # Output is printed after the commit, so what was asked for is saved already.
            try:
                typer.echo(tr("error: 输出管道已关闭，输出不完整", "error: the output pipe closed before "
                              "everything was printed"), err=True)
            except OSError:
                pass
            code = 1
        except Exception as exc:
            if os.environ.get("SANLING_DEBUG"):
                raise
            first = (str(exc).splitlines() or [""])[0][:300]
            typer.echo(
                tr("error: 内部错误 {kind}：{msg}（未保存任何更改；设置 SANLING_DEBUG=1 查看详情）",
                   "error: internal error {kind}: {msg} (nothing was saved; SANLING_DEBUG=1 shows more)",
                   kind=type(exc).__name__, msg=first),
                err=True,
            )
            code = 1
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    cls=SanlingGroup,
    name="sanling",
    help="三零创建台账 sanling: the ledger of the township 三零 campaign "
    "(零上访 zero petitions, 零事故 zero accidents, 零案件 zero cases).",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help, see commands/options.command_group
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sanling {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db_: Annotated[
        str | None,
        typer.Option("--db", help="ledger file or SQLAlchemy URL 台账位置 [env: SANLING_DB]",
                     metavar="PATH_OR_URL"),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="zh or en 语言 [env: SANLING_LANG]", metavar="zh|en"),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="show the version 版本"),
    ] = False,
) -> None:
    """Global options; the ledger is opened by each command, in one transaction."""
    if lang is not None and lang not in ("zh", "en"):
        raise typer.BadParameter("use zh or en", param_hint="'--lang'")
    state.db = db_
    state.lang = detect_lang(lang)
    set_lang(state.lang)


db.register_top(app)
log.register_top(app)
demo.register_top(app)
transfer.register_top(app)
app.add_typer(db.app, name="db", help="schema, backup and checks 台账维护")
app.add_typer(config.app, name="config", help="policy settings 政策设置")
app.add_typer(town.app, name="town", help="towns 乡镇")
app.add_typer(subject.app, name="subject", help="creation subjects 创建主体")
app.add_typer(sweep.app, name="sweep", help="half-monthly sweeps 排查")
app.add_typer(dispute.app, name="dispute", help="disputes 矛盾纠纷")
app.add_typer(petition.app, name="petition", help="petitions 信访")
app.add_typer(backlog.app, name="backlog", help="backlog petition cases 信访积案")
app.add_typer(hazard.app, name="hazard", help="safety hazards 安全隐患")
app.add_typer(patrol.app, name="patrol", help="patrols 治安巡逻")
app.add_typer(hotspot.app, name="hotspot", help="public-order hotspots 治安乱点")
app.add_typer(case.app, name="case", help="criminal and administrative cases 案件")
app.add_typer(accident.app, name="accident", help="safety accidents 事故")
app.add_typer(person.app, name="person", help="key persons 重点人员")
app.add_typer(report.app, name="report", help="reports 报表")


def main() -> None:
    # A fixed program name, so completion and help read the same under `python -m sanling`.
    app(prog_name="sanling")
