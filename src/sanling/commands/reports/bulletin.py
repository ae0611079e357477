"""sanling report bulletin: the daily bulletin of disputes per village (一日一通报).

Built for cron: it only reads (it never changes the ledger and runs while others write; with
--as-recorded it holds the writer's lock while it rewinds, then rolls back),
`-o FILE` is written atomically, the same date always gives the same output, and `--send`
posts it to the group robots in the ledger settings. `--village V` and `--each-village` are
each village's own bulletin (commands/reports/villages.py); sent to the villages' robots, they
record each delivery so that a day is sent once.
"""

from typing import Annotated

import typer

from sanling.commands.reports.common import AsRecorded, Explain, Output, ReportFormat, TownOpt, show


def bulletin(
    date: Annotated[
        str | None, typer.Option("--date", help="the day 通报日期 (default today)")
    ] = None,
    send: Annotated[
        bool,
        typer.Option(
            "--send", help="also post it to the group robots (bulletin_webhooks) 推送到群"
        ),
    ] = False,
    fmt: ReportFormat = "table",
    output: Output = None,
    town: TownOpt = None,
    explain: Explain = None,
    village: Annotated[
        str | None,
        typer.Option("--village", help="one village's own bulletin, its units included 村级通报"),
    ] = None,
    each_village: Annotated[
        bool,
        typer.Option(
            "--each-village",
            help="every village's bulletin as its robot gets it; with --send, to each robot "
            "once a day 各村分别推送",
        ),
    ] = False,
    every: Annotated[
        bool,
        typer.Option("--all", help="with --each-village: quiet villages too 含无事项的村"),
    ] = False,
    as_recorded: AsRecorded = None,
) -> None:
    """Daily bulletin: disputes new, resolved, open and overdue per village (一日一通报)."""
    from sanling.commands.common import say
    from sanling.config import Policy
    from sanling.i18n import tr
    from sanling.ledger.base import Ledger
    from sanling.reports import bulletin as report

    if send and explain:
        raise typer.BadParameter(
            "--send posts the bulletin, not an --explain listing", param_hint="'--send'"
        )
    if each_village or village or every:
        from sanling.commands.reports import villages

        villages.run(
            date,
            town,
            village,
            send=send,
            every=every,
            fmt=fmt,
            output=output,
            explain=explain,
            each=each_village,
        )
        return
    policies: list[Policy] = []  # for --send, once the ledger is closed

    def build(lx: Ledger) -> report.Bulletin:
        built = report.build(lx, lx.date(date, "--date"), town=town)
        policies.append(lx.policy)
        return built

    built = show(build, fmt, output, explain, as_recorded)
    if send:
        policy = policies[0]
        from sanling.render.text import to_text
        from sanling.webhook import send_all  # only to post: urllib and the robots' formats

        sent = send_all(
            policy.bulletin_webhooks,
            built.title,
            to_text(built),
            secret=policy.bulletin_dingtalk_secret,
            timeout=policy.webhook_timeout_seconds,
        )
        for delivery in sent:
            say(tr("已推送：{url}", "sent: {url}", url=delivery.url))
