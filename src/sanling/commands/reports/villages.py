"""`report bulletin --village V` and `--each-village [--send]`: each village's own bulletin.

`--village V` shows one village's bulletin in any report format (and `--explain`); with
`--send` it goes to that village's robot. `--each-village` prints every village's message as
its robot gets it, and with `--send` posts each to the village's own robot: villages without
a robot are named in one line on stderr, quiet ones (nothing open, nothing new) are left out
unless `--all`, and a village whose bulletin of the day was delivered already is not sent
again (the ledger records each delivery). A robot that fails (after the one retry) is named
at the end and the command exits 1; the others are sent all the same.

The bulletins are built in one read transaction; posting happens outside any transaction (a
slow robot never holds the ledger), and each delivery is recorded in its own short write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import typer


@dataclass
class Planned:
    """One village's message, and where it goes."""

    vid: int
    name: str
    title: str
    text: str
    url: str | None
    secret: str
    quiet: bool
    sent: bool  # delivered already (this day)


def run(
    date: str | None,
    town: str | None,
    village: str | None,
    *,
    send: bool,
    every: bool,
    fmt: str,
    output: Path | None,
    explain: str | None,
    each: bool,
) -> None:
    from sanling.errors import UsageError
    from sanling.i18n import tr

    if each and village:
        raise UsageError(
            tr("--village 与 --each-village 只能选一个", "--village or --each-village, not both")
        )
    if every and not each:
        raise UsageError(tr("--all 只用于 --each-village", "--all goes with --each-village"))
    if each and (explain or output is not None or fmt not in ("table", "text")):
        raise UsageError(
            tr(
                "--each-village 输出各村消息文本，不支持 -o、-f {f} 和 --explain",
                "--each-village prints each village's message as text: no -o, -f {f} or --explain",
                f=fmt,
            ),
            tr("单个村用 --village V", "for one village use --village V"),
        )
    if village and not send:
        _show(date, town, village, fmt, output, explain)
        return
    if village:
        _show(date, town, village, fmt, output, explain)
    day, plans, timeout = _plan(date, town, village)
    if village and not plans[0].url:
        from sanling.errors import DeliveryFailed

        name = plans[0].name
        raise DeliveryFailed(
            tr("{v}没有设置群机器人", "{v} has no group robot", v=name),
            f"sanling subject update {name} --webhook URL",
        )
    deliver(day, plans, send=send, every=every or bool(village), timeout=timeout, echo=bool(each))


def _show(
    date: str | None,
    town: str | None,
    village: str,
    fmt: str,
    output: Path | None,
    explain: str | None,
) -> None:
    from sanling.commands.reports.common import show
    from sanling.reports import village as report

    show(
        lambda lx: report.build(lx, lx.date(date, "--date"), village, town=town),
        fmt,
        output,
        explain,
    )


def _plan(
    date: str | None, town: str | None, only: str | None
) -> tuple[dt.date, list[Planned], float]:
    """Every village's message (or `only` one's), built in one read transaction."""
    from sanling import webhook
    from sanling.codes import RESIDENTIAL
    from sanling.commands.common import reading
    from sanling.ledger import bulletin as sent
    from sanling.reports import village as report

    with reading() as lx:
        day = lx.date(date, "--date")
        done = sent.sent_on(lx, day)
        if only:
            v = lx.subject(only, town=town, kinds=RESIDENTIAL, field="village")
            pairs = [(v, report.build(lx, day, v))]
        else:
            pairs = list(report.each(lx, day, town=town))
        plans = []
        for v, built in pairs:
            # DingTalk's hard line breaks add two bytes to every line.
            overhead = 2 if v.webhook and webhook.is_dingtalk(v.webhook) else 0
            plans.append(
                Planned(
                    v.id,
                    v.name,
                    built.title,
                    built.message(webhook.WECOM_LIMIT, overhead),
                    v.webhook,
                    v.dingtalk_secret or "",
                    built.quiet,
                    v.id in done,
                )
            )
        return day, plans, lx.policy.webhook_timeout_seconds


def deliver(
    day: dt.date, plans: list[Planned], *, send: bool, every: bool, timeout: float, echo: bool
) -> None:
    """Print (`echo`) and post each village's message; raise DeliveryFailed at the end if a
    robot failed."""
    from sqlalchemy.exc import IntegrityError

    from sanling import webhook
    from sanling.commands.common import say, writing
    from sanling.errors import DeliveryFailed
    from sanling.i18n import tr
    from sanling.ledger import bulletin as sent

    chosen = [p for p in plans if every or not p.quiet]
    if echo:
        typer.echo("\n\n".join(p.text for p in chosen))
    if not send:
        return
    no_robot = [p.name for p in chosen if not p.url]
    again = [p.name for p in chosen if p.url and p.sent]
    failed: list[str] = []
    tried = 0
    for p in chosen:
        if not p.url or p.sent:
            continue
        tried += 1
        delivery = webhook.post(p.url, p.title, p.text, secret=p.secret, timeout=timeout)
        if not delivery.ok:
            failed.append(f"{p.name} {delivery.url} ({delivery.detail})")
            continue
        try:
            with writing() as lx:
                sent.record_sent(lx, p.vid, day, delivery.url)
        except IntegrityError:
            pass  # another run recorded the same village and day a moment before
        say(tr("已推送：{v} {url}", "sent: {v} {url}", v=p.name, url=delivery.url))
    if again:
        say(
            tr(
                "今日已推送过，不再重复：{v}",
                "already sent for {d}, not again: {v}",
                d=day.isoformat(),
                v="、".join(again),
            )
        )
    if no_robot:
        say(
            tr(
                "没有群机器人的村（未推送）：{v}",
                "no robot (not sent): {v}",
                v="、".join(no_robot),
            )
        )
    if failed:
        raise DeliveryFailed(
            tr(
                "推送失败 {n}/{total}：{what}",
                "delivery failed to {n} of {total}: {what}",
                n=len(failed),
                total=tried,
                what="; ".join(failed),
            ),
            tr(
                "其余已推送；再次运行只补发失败的村",
                "the others were sent; run it again to send only the failed ones",
            ),
        )
