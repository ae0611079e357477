"""The root of the command line: global options, the command groups, the one error boundary.

Every failure leaves here as one `error:` line on stderr and an exit code (1 for a request
that is wrong for the ledger, 2 for a usage error), never a traceback unless SANLING_DEBUG=1.
"""

import gc
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.main import get_group

from sanling import __version__, oneshot
from sanling.commands import db, demo, log, merge, remind, transfer
from sanling.commands.common import state
from sanling.errors import SanlingError
from sanling.i18n import detect_lang, get_lang, set_lang, tr


def _usage_line(exc: Any) -> str:
    from sanling.i18n import get_lang
    from sanling.usage_zh import zh

    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    message = " ".join(str(message).split())
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "sanling"
    if get_lang() == "zh":  # Click speaks English
        return f"error: {zh(message)} (hint: 见 `{path} --help`)"
    return f"error: {message} (hint: see `{path} --help`)"


# The command groups: module under sanling.commands, and the line the root help shows. A group
# is imported and built only when it is asked for, so `sanling --help` or `sanling dispute add`
# does not pay for the other fourteen (Typer would build every command's options first). The
# top-level commands (init, log, demo, import, export) are few and registered as usual.
GROUPS = {
    "db": ("db", "schema, backup and checks 台账维护"),
    "config": ("config", "policy settings 政策设置"),
    "town": ("town", "towns 乡镇"),
    "subject": ("subject", "creation subjects 创建主体"),
    "sweep": ("sweep", "half-monthly sweeps 排查"),
    "dispute": ("dispute", "disputes 矛盾纠纷"),
    "petition": ("petition", "petitions 信访"),
    "backlog": ("backlog", "backlog petition cases 信访积案"),
    "hazard": ("hazard", "safety hazards 安全隐患"),
    "patrol": ("patrol", "patrols 治安巡逻"),
    "hotspot": ("hotspot", "public-order hotspots 治安乱点"),
    "case": ("case", "criminal and administrative cases 案件"),
    "accident": ("accident", "safety accidents 事故"),
    "person": ("person", "key persons 重点人员"),
    "appraisal": ("appraisal", "appraisal score sheets 考评"),
    "staff": ("staff", "staff roster for reminders 工作人员名册"),
    "report": ("report", "reports 报表"),
}
_built: dict[str, Any] = {}


def load_group(name: str) -> Any:
    """The Click group of one command group, built once per process."""
    if name not in _built:
        module, help_ = GROUPS[name]
        group = get_group(importlib.import_module(f"sanling.commands.{module}").app)
        group.name, group.help = name, help_
        _built[name] = group
    return _built[name]


class Interrupted(Exception):
    """Ctrl-C during a command (Typer would turn KeyboardInterrupt into a silent exit 130)."""


class SanlingGroup(TyperGroup):
    """The root group: runs a command and turns every failure into one `error:` line."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            raise Interrupted() from exc

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *GROUPS]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except typer.TyperException as exc:
            # Typer suggests only among the commands it has built: the groups are built
            # lazily, so `sanling dispte` is matched against every name here.
            message = getattr(exc, "message", "")
            if args and message.startswith("No such command"):
                from difflib import get_close_matches

                message = message.split(" Did you mean")[0]  # Typer's, among a few
                close = get_close_matches(args[0], self.list_commands(ctx), n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                exc.message = message + hint
            raise

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in GROUPS:
            return load_group(cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # The groups' lines come from GROUPS: listing them must not import them.
        shown = {name: cmd for name, cmd in self.commands.items() if not cmd.hidden}
        limit = formatter.width - 6 - max(len(name) for name in [*shown, *GROUPS])  # as Click
        rows = [(name, cmd.get_short_help_str(limit)) for name, cmd in shown.items()]
        rows += [(name, help_) for name, (_module, help_) in GROUPS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        set_lang(detect_lang())  # for errors raised before the root callback reads --lang
        _warn_unknown_lang()
        # Bytes the locale could not decode (lone surrogates) become U+FFFD, like any other
        # value; a NUL (no shell can pass one, and PostgreSQL refuses it even in a lookup) is
        # refused here, before anything reads the ledger.
        args = [
            a.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
            for a in (sys.argv[1:] if args is None else args)
        ]
        if any("\x00" in a for a in args):
            typer.echo(
                tr(
                    "error: 参数中含有 NUL 字符 (hint: 去掉它)",
                    "error: an argument contains a NUL character (hint: remove it)",
                ),
                err=True,
            )
            code = 2
        else:
            try:
                result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
                code = result if isinstance(result, int) else 0
            except (Exception, KeyboardInterrupt) as exc:
                code = _failure(exc)
        if standalone_mode:
            sys.exit(code)
        return code


def _warn_unknown_lang() -> None:
    """SANLING_LANG names a language sanling does not speak: say so once, then use English."""
    value = os.environ.get("SANLING_LANG", "")
    if value and not value.lower().startswith(("zh", "en")):
        typer.echo(
            f"warning: SANLING_LANG={value[:20]} is not zh or en; using English "
            "(SANLING_LANG 只能是 zh 或 en)",
            err=True,
        )


# Where SQLAlchemy turns a stored value into a Python one (compiled or pure Python): a
# ValueError or LookupError raised there is a value the ledger holds that cannot be read.
_READING = ("_apply_processors", "_object_value_for_elem", "str_to_date", "str_to_time", "process")


def _stored_value(exc: BaseException) -> bool:
    """Whether `exc` was raised reading a value stored in the ledger (not one typed)."""
    if not isinstance(exc, (ValueError, LookupError)):
        return False
    tb = exc.__traceback__
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame.f_code)
        tb = tb.tb_next
    return any(
        "sqlalchemy" in code.co_filename and code.co_name.endswith(_READING) for code in frames
    ) and any("_result" in code.co_filename or "loading" in code.co_filename for code in frames)


def _unreadable_line(reason: str) -> str:
    """The `error:` line of a value stored in the ledger that cannot be read."""
    from sanling.commands.common import unreadable

    return SanlingError(
        tr(
            "台账中有无法读取的值：{what}",
            "the ledger holds a value that cannot be read: {what}",
            what=unreadable(reason) or reason,
        ),
        tr(
            "`sanling db check` 逐条列出；更正它们，或从备份恢复",
            "`sanling db check` lists each; correct them or restore a backup",
        ),
    ).line()


def _failure(exc: BaseException) -> int:
    """Print the one `error:` line for a failed command; its exit code."""
    if isinstance(exc, typer.TyperException) and exc.exit_code == 2:  # a usage error
        if type(exc).__name__ == "NoArgsIsHelpError":
            # A bare `sanling` or `sanling dispute`: show its help; nothing failed.
            typer.echo(exc.format_message())
            return 0
        typer.echo(_usage_line(exc), err=True)
        return 2
    if isinstance(exc, typer.TyperException):  # Click's other errors (a file it cannot open)
        from sanling.usage_zh import zh

        message = " ".join(exc.format_message().split())
        typer.echo(f"error: {zh(message) if get_lang() == 'zh' else message}", err=True)
        return exc.exit_code
    if isinstance(exc, SanlingError):
        typer.echo(exc.line(), err=True)
        return exc.exit_code
    if isinstance(exc, (Interrupted, KeyboardInterrupt)):  # Ctrl-C: the transaction rolled back
        from sanling.commands.common import saved

        typer.echo(
            tr(
                "interrupted: 已保存，但输出不完整",
                "interrupted: saved, but the output was cut short",
            )
            if saved()
            else tr("interrupted: 未保存任何更改", "interrupted: nothing was saved"),
            err=True,
        )
        return 130
    if isinstance(exc, typer.Abort):
        typer.echo(
            tr("error: 已中止，未保存任何更改", "error: aborted, nothing was saved"), err=True
        )
        return 1
    if isinstance(exc, BrokenPipeError):
        # Output is printed after the commit, so what was asked for is saved already.
        try:
            typer.echo(
                tr(
                    "error: 输出管道已关闭，输出不完整",
                    "error: the output pipe closed before everything was printed",
                ),
                err=True,
            )
        except OSError:
            pass
        return 1
    if os.environ.get("SANLING_DEBUG"):
        raise exc
    first = (str(exc).splitlines() or [""])[0][:300]
    if _stored_value(exc):
        typer.echo(_unreadable_line(first), err=True)
        return 1
    typer.echo(
        tr(
            "error: 内部错误 {kind}：{msg}（未保存任何更改；设置 SANLING_DEBUG=1 查看详情）",
            "error: internal error {kind}: {msg} (nothing was saved; SANLING_DEBUG=1 shows more)",
            kind=type(exc).__name__,
            msg=first,
        ),
        err=True,
    )
    return 1


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
        typer.Option(
            "--db",
            help="ledger file or SQLAlchemy URL 台账位置 [env: SANLING_DB]",
            metavar="PATH_OR_URL",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="zh or en 语言 [env: SANLING_LANG]", metavar="zh|en"),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="show the version 版本"),
    ] = False,
    allow_future_today: Annotated[
        bool,
        typer.Option(
            "--allow-future-today",
            envvar="SANLING_ALLOW_FUTURE_TODAY",
            show_envvar=False,
            help="let SANLING_TODAY lie after the real date (tests only) 测试用 "
            "[env: SANLING_ALLOW_FUTURE_TODAY]",
        ),
    ] = False,
) -> None:
    """Global options; the ledger is opened by each command, in one transaction."""
    from sanling import periods
    from sanling.commands import common

    periods.future_today_allowed = allow_future_today
    common.committed.clear()
    if lang is not None and lang not in ("zh", "en"):
        raise typer.BadParameter("use zh or en", param_hint="'--lang'")
    state.db = db_
    state.lang = detect_lang(lang)
    set_lang(state.lang)


db.register_top(app)
log.register_top(app)
demo.register_top(app)
transfer.register_top(app)
remind.register_top(app)
merge.register_top(app)


def main() -> None:
    """The `sanling` program: one command, then the process ends."""
    oneshot.defer()
    try:
        # A fixed program name, so completion and help read the same under `python -m sanling`.
        app(prog_name="sanling")
    finally:
        # Nothing left to collect at exit: Python's last collection would walk every object
        # only to free memory the operating system takes back anyway.
        gc.freeze()
