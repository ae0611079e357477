"""`dispute agreement|confirm|followup`: people's mediation records (人民调解法 Art. 28-33),
registered on the dispute group by commands/dispute.py; the rules are ledger/mediation.py's."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanling.codes import Performance
from sanling.commands.common import Format, Output, step
from sanling.commands.options import Date, code_option

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.render import Detail

Ref = Annotated[str, typer.Argument(help="reference number, e.g. JF-2026-0007 编号")]


def register(app: typer.Typer, shown: Callable[["Ledger", Any], "Detail"]) -> None:
    """Add the mediation commands to the dispute group; each prints the dispute as `show`."""

    @app.command("agreement")
    def agreement(
        ref: Ref,
        number: Annotated[
            str, typer.Option(help="agreement number 调解协议编号, e.g. （2026）城人调字第12号")
        ],
        content: Annotated[str, typer.Option(help="what the parties agreed 协议内容")],
        amount: Annotated[
            str | None,
            typer.Option(
                metavar="<yuan>",
                help="amount agreed, yuan, to the fen 协议金额（元，最多两位小数）",
            ),
        ] = None,
        oral: Annotated[
            bool, typer.Option("--oral", help="an oral agreement, recorded 口头协议")
        ] = False,
        performance_due: Annotated[
            str | None,
            typer.Option("--performance-due", help="date it is to be carried out by 履行期限"),
        ] = None,
        date: Annotated[
            str | None,
            typer.Option(
                "--date",
                help="date agreed 协议日期 (default: the day it was resolved by mediation, else"
                " today)",
            ),
        ] = None,
        fmt: Format = "table",
        output: Output = None,
    ) -> None:
        """Record the mediation agreement of a dispute (调解协议); an open dispute is resolved
        by mediation on its date."""
        step(
            "mediation",
            "agreement",
            shown,
            fmt,
            output,
            ref,
            number=number,
            content=content,
            amount=amount,
            oral=oral,
            performance_due=performance_due,
            date=date,
        )

    @app.command("confirm")
    def confirm(
        ref: Ref,
        court: Annotated[str, typer.Option(help="the court asked 申请确认的人民法院")],
        date: Date = None,
        force: Annotated[
            bool,
            typer.Option("--force", help="record a request later than the 30 days 超过30日仍记录"),
        ] = False,
        fmt: Format = "table",
        output: Output = None,
    ) -> None:
        """Record the request for judicial confirmation of a dispute's agreement (司法确认),
        due within 30 days of the agreement (setting mediation_confirm_days)."""
        step("mediation", "confirm", shown, fmt, output, ref, court=court, date=date, force=force)

    @app.command("followup")
    def followup(
        ref: Ref,
        performed: Annotated[
            Performance,
            code_option(Performance, "--performed", help="yes|partly|no 履行情况"),
        ],
        note: Annotated[str, typer.Option(help="what the visit found 回访情况")],
        date: Date = None,
        fmt: Format = "table",
        output: Output = None,
    ) -> None:
        """Record a follow-up visit on an agreement's performance (回访), due 30 days after the
        agreement (setting mediation_followup_days)."""
        step(
            "mediation",
            "followup",
            shown,
            fmt,
            output,
            ref,
            performed=performed,
            note=note,
            date=date,
        )
