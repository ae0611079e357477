"""sanling remind: each handler's overdue and due-soon items (到期提醒), and with --send one
message per handler to the town's group robots, @-mentioning them by phone.

Built for cron like the bulletin: the reminders are read in one read-only transaction; posting
happens outside any transaction (a slow robot never holds the ledger); each handler's delivery
to a robot is then recorded in its own short write with its audit entry, so a second run of
the same day sends only what was not sent yet. A robot that fails (after the one retry) is
named at the end and the command exits 1; nothing is recorded for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanling.commands.common import Output, emit, reading
from sanling.commands.options import OnlyTown

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.ledger.remind import Handler
    from sanling.reports.remind import Reminders

FORMATS = ("text", "json", "markdown")


def register_top(app: typer.Typer) -> None:
    app.command("remind")(remind)


@dataclass
class Robots:
    """Where --send posts, read with the reminders: the bulletin's robots."""

    town_id: int
    urls: list[str]
    secret: str
    timeout: float
    sent: set[tuple[str, str, str]]  # (handler, ref, robot) delivered already that day


def remind(
    date: Annotated[
        str | None, typer.Option("--date", help="the day 提醒日期 (default today)")
    ] = None,
    days: Annotated[
        int | None,
        typer.Option(
            "--days",
            min=0,
            max=365,
            help="due within N days (default: the due_soon_days setting) 临期天数",
        ),
    ] = None,
    send: Annotated[
        bool,
        typer.Option(
            "--send",
            help="post one message per handler to the group robots (bulletin_webhooks), "
            "@-mentioning them; once a day per item 推送并@责任人",
        ),
    ] = False,
    town: OnlyTown = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="text, json or markdown 输出格式", metavar="text|json|markdown"
        ),
    ] = "text",
    output: Output = None,
) -> None:
    """Reminders to each handler: what is overdue or due soon (到期提醒)."""
    from sanling.commands.common import check_format
    from sanling.reports import remind as report

    check_format(fmt, FORMATS)
    robots: list[Robots] = []
    with reading() as lx:
        day = lx.date(date, "--date")
        built = report.build(lx, day, lx.policy.due_soon_days if days is None else days, town=town)
        emit(built, fmt, output, allowed=FORMATS)
        if send:
            robots.append(_robots(lx, built))
    if send:
        deliver(built, robots[0])


def _robots(lx: Ledger, built: Reminders) -> Robots:
    from sanling.errors import DeliveryFailed
    from sanling.i18n import tr
    from sanling.ledger import remind

    policy = lx.policy
    if not policy.bulletin_webhooks:
        raise DeliveryFailed(
            tr("没有设置群机器人地址", "no group robot webhook is set"),
            "`sanling config set bulletin_webhooks URL1,URL2`",
        )
    town_id = lx.town(built.town).id
    return Robots(
        town_id,
        list(policy.bulletin_webhooks),
        policy.bulletin_dingtalk_secret,
        policy.webhook_timeout_seconds,
        remind.sent_on(lx, town_id, built.day),
    )


def deliver(built: Reminders, robots: Robots) -> None:
    """Post each handler's items not yet sent that day to each robot; record each delivery;
    raise DeliveryFailed at the end if a robot failed (the others are sent all the same)."""
    from sanling.commands.common import say
    from sanling.errors import DeliveryFailed
    from sanling.i18n import tr
    from sanling.ledger import remind

    failed: list[str] = []
    again: list[str] = []
    for h in built.handlers:
        for url in robots.urls:
            items = [
                i for i in h.items if (h.key, i["ref"], remind.robot_key(url)) not in robots.sent
            ]
            if not items:
                again.append(_name(h))
                continue
            why = _send(built, h, items, url, robots)
            if why:
                failed.append(why)
    if again:
        say(
            tr(
                "今日已推送过，不再重复：{v}",
                "already sent for {d}, not again: {v}",
                d=built.day.isoformat(),
                v="、".join(dict.fromkeys(again)),
            )
        )
    if failed:
        raise DeliveryFailed(
            tr(
                "推送失败 {n} 条：{what}",
                "delivery failed for {n}: {what}",
                n=len(failed),
                what="; ".join(failed),
            ),
            tr(
                "其余已推送；再次运行只补发未送达的",
                "the others were sent; run it again to send only what was not delivered",
            ),
        )


def _name(h: Handler) -> str:
    from sanling.i18n import tr

    return h.name or tr("（未指定责任人）", "(no handler named)")


def _send(
    built: Reminders, h: Handler, items: list[dict[str, Any]], url: str, robots: Robots
) -> str | None:
    """Post one handler's message to one robot and record the items it shows; why it failed,
    or None."""
    from sqlalchemy.exc import IntegrityError

    from sanling import webhook
    from sanling.commands.common import say, writing
    from sanling.i18n import tr
    from sanling.ledger import remind

    text = built.message(h, items)
    delivery = webhook.post(
        url, built.title, text, secret=robots.secret, timeout=robots.timeout, mentions=h.mobiles
    )
    if not delivery.ok:
        return f"{_name(h)} {delivery.url} ({delivery.detail})"
    # Items a long message left out were not sent: the next run sends them.
    shown = webhook.mention_text(text).splitlines()
    refs = [i["ref"] for i in items if any(ln.startswith(f"{i['ref']} ") for ln in shown)]
    try:
        with writing() as lx:
            key = remind.robot_key(url)
            remind.record_sent(lx, robots.town_id, built.day, h.key, refs, key, delivery.url)
    except IntegrityError:
        pass  # another run recorded the same items a moment before
    say(
        tr(
            "已推送：{h}（{n}项）{url}",
            "sent: {h} ({n} items) {url}",
            h=_name(h),
            n=len(refs),
            url=delivery.url,
        )
    )
    return None
