"""`sanling staff` and `sanling remind`: the roster, each handler's overdue and due-soon items,
and --send to group robots on a local HTTP server (127.0.0.1) with @-mentions by phone.

The ledger (as of 2026-10-31, due soon = within 3 days):
- 王五 (on the roster): JF-0001 overdue 3 days, JA-0001 overdue 1 day, ZD-0002 visit due
  today, YH-0001 due in 1 day; JF-0003 (deadline far away) and JF-0004 (resolved) are not his.
- 李四 (not on the roster): YH-0002 overdue 16 days, JF-0002 due in 2 days.
- 赵六 (on the roster): ZD-0001 visit overdue 30 days, JA-0002 due in 3 days (the edge).
- nobody: ZD-0003, a key person with no cadre, visit overdue 30 days.
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.cells import cell_len

from tests.helpers import dump, fail, run
from tests.test_webhook import KEY, Robot, robot  # noqa: F401  (the local robot fixture)

WANG = "13856789012"  # masked 138****9012: "5678" must never show
ZHAO = "13923456781"


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [i["ref"] for i in items]


@pytest.fixture
def ledger(villages: list[str]) -> None:
    run("staff", "add", "王五", "--phone", WANG, "--role", "调解员", "--village", "城庄村")
    run("staff", "add", "赵六", "--phone", ZHAO)

    def dispute(village: str, handler: str, found: str, deadline: str) -> None:
        run(
            f"dispute add --village {village} --category land --summary x --handler {handler}"
            f" --found {found} --deadline {deadline}"
        )

    dispute("城庄村", "王五", "2026-10-01", "2026-10-28")  # JF-0001 overdue 3
    dispute("李家湾村", "李四", "2026-10-20", "2026-11-02")  # JF-0002 due in 2
    dispute("城庄村", "王五", "2026-10-20", "2026-11-20")  # JF-0003 not yet
    dispute("城庄村", "王五", "2026-10-01", "2026-10-20")  # JF-0004, resolved below
    run("dispute resolve JF-2026-0004 --method mediation --result ok --date 2026-10-25")
    run(
        "hazard add --village 城庄村 --area road --description z --responsible 王五"
        " --found 2026-10-25 --deadline 2026-11-01"
    )  # YH-0001 due in 1
    run(
        "hazard add --village 前进村 --area fire --description z --responsible 李四"
        " --found 2026-09-01 --deadline 2026-10-15"
    )  # YH-0002 overdue 16
    for lead, deadline in (("王五", "2026-10-30"), ("赵六", "2026-11-03")):
        run(
            "backlog add --assigned-by county --village 城庄村 --petitioner 某 --summary s"
            f" --lead {lead} --plan p --deadline {deadline} --date 2026-09-01"
        )  # JA-0001 overdue 1, JA-0002 due in 3
    for number, cadre, listed in (
        ("34052419800101001X", "--cadre 赵六", "2026-09-01"),  # ZD-0001 overdue 30
        ("11010519491231002X", "--cadre 王五", "2026-10-01"),  # ZD-0002 due today
        ("130102198506120039", "", "2026-09-01"),  # ZD-0003, nobody's
    ):
        run(
            f"person add --category released --name 张三丰 --id-number {number}"
            f" --village 城庄村 {cadre} --listed {listed}"
        )


def test_reminders_grouped_by_handler_with_exact_items(ledger: None) -> None:
    data = run("remind -f json").json()
    assert (data["date"], data["town"], data["days"]) == ("2026-10-31", "城庄镇", 3)
    got = {h["handler"]: h for h in data["handlers"]}
    assert list(got) == ["李四", "王五", "赵六", None]  # by name, nobody last
    wang = got["王五"]
    assert ids(wang["items"]) == ["JF-2026-0001", "JA-2026-0001", "ZD-2026-0002", "YH-2026-0001"]
    assert (wang["on_roster"], wang["role"], wang["village"]) == (True, "调解员", "城庄村")
    assert (wang["overdue"], wang["due_soon"]) == (2, 2)
    assert wang["items"][0] == {
        "kind": "dispute",
        "ref": "JF-2026-0001",
        "village": "城庄村",
        "what": "land",
        "due": "2026-10-28",
        "state": "overdue",
        "days_overdue": 3,
        "days_left": None,
        "card": None,
    }
    visit = wang["items"][2]
    assert (visit["kind"], visit["name"], visit["due"], visit["state"], visit["days_left"]) == (
        "visit",
        "张**",
        "2026-10-31",
        "due_soon",
        0,
    )
    li = got["李四"]
    assert li["on_roster"] is False
    assert [(i["ref"], i["days_overdue"], i["days_left"]) for i in li["items"]] == [
        ("YH-2026-0002", 16, None),
        ("JF-2026-0002", None, 2),
    ]
    zhao = got["赵六"]
    assert [(i["ref"], i["state"]) for i in zhao["items"]] == [
        ("ZD-2026-0001", "overdue"),
        ("JA-2026-0002", "due_soon"),
    ]
    assert ids(got[None]["items"]) == ["ZD-2026-0003"]
    # --days 0: overdue, and what falls due today
    narrow = {
        h["handler"]: ids(h["items"]) for h in run("remind --days 0 -f json").json()["handlers"]
    }
    assert narrow == {
        "李四": ["YH-2026-0002"],
        "王五": ["JF-2026-0001", "JA-2026-0001", "ZD-2026-0002"],
        "赵六": ["ZD-2026-0001"],
        None: ["ZD-2026-0003"],
    }
    # a past day reads as it was: on 10-20 only YH-0002 was overdue, JF-0004 was due that day
    past = {
        h["handler"]: ids(h["items"])
        for h in run("remind --date 2026-10-20 -f json").json()["handlers"]
    }
    assert past["李四"] == ["YH-2026-0002"]
    assert past["王五"][:1] == ["JF-2026-0004"]


def test_text_is_grouped_chinese_and_fits_80_columns(ledger: None) -> None:
    out = run("--lang", "zh", "remind").out
    assert out == (
        "【城庄镇到期提醒】2026年10月31日\n"
        "已逾期及3天内到期的事项，按责任人。\n"
        "\n"
        "李四（不在人员名册，无法@提醒） 逾期1项、临期1项\n"
        "  YH-2026-0002 隐患 前进村 消防 逾期16天（时限10月15日）\n"
        "  JF-2026-0002 纠纷 李家湾村 山林土地 剩2天（时限11月2日）\n"
        "\n"
        "王五（调解员·城庄村） 逾期2项、临期2项\n"
        "  JF-2026-0001 纠纷 城庄村 山林土地 逾期3天（时限10月28日）\n"
        "  JA-2026-0001 积案 城庄村 县级交办 逾期1天（时限10月30日）\n"
        "  ZD-2026-0002 走访 城庄村 张** 刑满释放 当日到期（应访10月31日）\n"
        "  YH-2026-0001 隐患 城庄村 道路交通 剩1天（时限11月1日）\n"
        "\n"
        "赵六 逾期1项、临期1项\n"
        "  ZD-2026-0001 走访 城庄村 张** 刑满释放 逾期30天（应访10月1日）\n"
        "  JA-2026-0002 积案 城庄村 县级交办 剩3天（时限11月3日）\n"
        "\n"
        "（未指定责任人） 逾期1项、临期0项\n"
        "  ZD-2026-0003 走访 城庄村 张** 刑满释放 逾期30天（应访10月1日）\n"
    )
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    md = run("remind -f markdown").out
    assert "| 王五 | yes | dispute | JF-2026-0001 | 城庄村 | land | 2026-10-28 |" in md
    assert (
        "| 王五 | yes | visit | ZD-2026-0002 | 城庄村 | 张\\*\\* released prisoner | 2026-10-31 |"
        in md
    )


def test_a_title_before_the_name_and_long_lines(ledger: None) -> None:
    long_name = "城庄镇东风大队第三生产小组旧址安置区移民新村"
    run("subject", "add", long_name, "--kind", "village")
    run(
        f"backlog add --assigned-by province --petitioner 某 --summary s --plan p"
        f" --deadline 2026-10-29 --date 2026-09-01 --village {long_name} --lead '副镇长 王五'"
    )
    wang = next(h for h in run("remind -f json").json()["handlers"] if h["handler"] == "王五")
    assert ids(wang["items"])[:2] == ["JF-2026-0001", "JA-2026-0003"]
    out = run("--lang", "zh", "remind").out
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    assert f"  JA-2026-0003 积案 {long_name} 省级交办\n    逾期2天（时限10月29日）\n" in out


def test_nothing_due(villages: list[str]) -> None:
    assert run("remind -f json").json()["handlers"] == []
    assert "Nothing overdue or due soon." in run("remind").out
    fail("remind -f csv", code=2)


def _requests(server: Robot) -> dict[str, dict[str, Any]]:
    """The requests by the handler their message names (its second line's first word)."""
    out = {}
    for q in server.requests:
        text = q["body"]["text"]["content"]
        out[text.splitlines()[1].split(" ")[0]] = q["body"]
    return out


def test_send_mentions_each_handler_once_a_day(
    ledger: None,
    robot: Robot,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run("config", "set", "bulletin_webhooks", robot.url())
    r = run("--lang", "zh", "remind", "--send")
    assert WANG not in r.out + r.err and KEY not in r.out + r.err
    sent = _requests(robot)
    assert len(robot.requests) == 4
    assert sent["王五（调解员·城庄村）"] == {
        "msgtype": "text",
        "text": {
            "content": "【城庄镇到期提醒】2026年10月31日\n"
            "王五（调解员·城庄村） 逾期2项、临期2项\n"
            "JF-2026-0001 纠纷 城庄村 山林土地 逾期3天（时限10月28日）\n"
            "JA-2026-0001 积案 城庄村 县级交办 逾期1天（时限10月30日）\n"
            "ZD-2026-0002 走访 城庄村 张** 刑满释放 当日到期（应访10月31日）\n"
            "YH-2026-0001 隐患 城庄村 道路交通 剩1天（时限11月1日）",
            "mentioned_mobile_list": [WANG],
        },
    }
    assert sent["赵六"]["text"]["mentioned_mobile_list"] == [ZHAO]
    assert sent["李四（不在人员名册，无法@提醒）"]["text"]["mentioned_mobile_list"] == []
    assert sent["（未指定责任人）"]["text"]["mentioned_mobile_list"] == []
    assert f"已推送：王五（4项）http://127.0.0.1:{robot.port}/******" in r.err
    rows = dump()["reminders_sent"]
    assert len(rows) == 9  # every item of every handler, once
    log = run("log --limit 20 -f json").json()
    assert sum(1 for e in log if e["action"] == "remind.sent") == 4

    # the same day again (cron retried): nothing is sent
    again = run("remind --send")
    assert len(robot.requests) == 4
    assert (
        "already sent for 2026-10-31, not again: 李四、王五、赵六、(no handler named)" in again.err
    )
    assert len(dump()["reminders_sent"]) == 9

    # a new item the same day: only it goes, to its handler
    run(
        "dispute add --village 城庄村 --category debt --summary x --handler 王五"
        " --found 2026-10-30 --deadline 2026-11-01"
    )
    run("--lang", "zh", "remind", "--send")
    assert len(robot.requests) == 5
    last = robot.requests[-1]["body"]["text"]
    assert last["content"].splitlines()[1:] == [
        "王五（调解员·城庄村） 逾期2项、临期3项（续）",  # the handler's totals, continued
        "JF-2026-0005 纠纷 城庄村 合同 剩1天（时限11月1日）",
    ]
    assert last["mentioned_mobile_list"] == [WANG]

    # the next day is a new reminder
    monkeypatch.setenv("SANLING_TODAY", "2026-11-01")
    run("remind --send")
    assert len(robot.requests) == 9


def test_a_long_message_is_cut_at_a_line(villages: list[str], robot: Robot) -> None:  # noqa: F811
    from tests.helpers import ledgers

    run("staff", "add", "王五", "--phone", WANG)
    with ledgers.writing() as lx:
        for n in range(40):
            ledgers.add(
                lx, "dispute", village="城庄村", category="land", summary=f"s{n}",
                handler="王五", found="2026-10-01", deadline="2026-10-20",
            )  # fmt: skip
    run("config", "set", "bulletin_webhooks", robot.url())
    run("--lang", "zh", "remind", "--send")
    [request] = robot.requests
    content = request["body"]["text"]["content"]
    assert len(content.encode("utf-8")) <= 2048
    lines = content.splitlines()
    assert lines[1] == "王五 逾期40项、临期0项"
    assert lines[-1] == "……（其余见 sanling remind）"
    assert lines[-2].startswith("JF-2026-00") and lines[-2].endswith("（时限10月20日）")
    assert request["body"]["text"]["mentioned_mobile_list"] == [WANG]
    # the items shown are recorded; those a cut left out go with the next run
    assert len(lines) - 3 == 25  # title, heading, 25 items (about 77 bytes each), the note
    assert len(dump()["reminders_sent"]) == 25
    run("--lang", "zh", "remind", "--send")
    rest = robot.requests[1]["body"]["text"]["content"].splitlines()
    assert rest[0] == "【城庄镇到期提醒】2026年10月31日"
    assert rest[1] == "王五 逾期40项、临期0项（续）" and len(rest) == 17
    assert len(dump()["reminders_sent"]) == 40
    run("remind --send")
    assert len(robot.requests) == 2


def test_dingtalk_at_mobiles(
    ledger: None,
    robot: Robot,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{robot.port}")
    monkeypatch.setenv("no_proxy", "")
    url = f"http://oapi.dingtalk.localhost/robot/send?access_token={KEY}"
    run("config", "set", "bulletin_webhooks", url)
    run("config", "set", "bulletin_dingtalk_secret", "SEC0123456789abcdef")
    r = run("remind", "--send")
    assert WANG not in r.out + r.err
    assert "sent: 王五 (4 items) http://oapi.dingtalk.localhost/******" in r.err
    bodies = {q["body"]["text"]["content"].splitlines()[1].split(" ")[0]: q for q in robot.requests}
    wang = bodies["王五"]
    assert wang["host"] == "oapi.dingtalk.localhost" and "&sign=" in wang["path"]
    assert wang["body"]["msgtype"] == "text"
    assert wang["body"]["at"] == {"atMobiles": [WANG], "isAtAll": False}
    assert WANG not in wang["body"]["text"]["content"]  # the robot adds the @name itself
    assert bodies["李四"]["body"]["at"]["atMobiles"] == []


def test_failed_send_records_nothing_and_fails(ledger: None, robot: Robot) -> None:  # noqa: F811
    run("config", "set", "bulletin_webhooks", robot.url())
    robot.script = [(500, {}, 0)] * 8  # four handlers, each tried twice
    r = fail("remind --send")
    assert r.err.splitlines()[-1].startswith("error: delivery failed for 4: 李四 http://127.0.0.1:")
    assert "(HTTP 500)" in r.err and KEY not in r.err and WANG not in r.err
    assert len(robot.requests) == 8
    # a refusal (errcode) fails the same way
    robot.script = [(200, {"errcode": 310000, "errmsg": "keywords not in content"}, 0)] * 8
    r = fail("remind --send")
    assert "errcode 310000 keywords not in content" in r.err
    # once the robot answers, everything goes
    run("remind --send")
    assert len(robot.requests) == 20
    assert len(dump()["reminders_sent"]) == 9


def test_send_needs_a_robot(ledger: None) -> None:
    r = fail("remind --send")
    assert "no group robot webhook is set" in r.err


def test_staff_roster(ledger: None) -> None:
    listed = run("staff list -f json").json()
    assert [(m["name"], m["phone"], m["role"], m["village"]) for m in listed] == [
        ("王五", "138****9012", "调解员", "城庄村"),
        ("赵六", "139****6781", None, None),
    ]
    r = fail("staff add 王五 --phone 13800000000")
    assert "has a '王五' already" in r.err
    fail("staff add 孙七 --phone abc")
    fail("staff add 孙七 --phone 13800000000 --village 无此村")
    changed = run("staff edit 赵六 --phone 13700001111 --role 网格员 --village 李家湾村 -f json")
    assert changed.json()["phone"] == "137****1111"
    assert changed.json()["role"] == "网格员"
    # taken off the roster: no more @-mention, listed as not on the roster
    run("staff remove 赵六 --date 2026-10-31")
    assert [m["name"] for m in run("staff list -f json").json()] == ["王五"]
    assert [m["active"] for m in run("staff list --removed -f json").json()] == [True, False]
    zhao = next(h for h in run("remind -f json").json()["handlers"] if h["handler"] == "赵六")
    assert zhao["on_roster"] is False
    fail("staff remove 赵六")
    fail("staff edit 赵六 --role x")
    r = fail("staff add 赵六 --phone 13800000000")
    assert "staff edit 赵六 --restore" in r.err
    run("staff edit 赵六 --restore")
    fail("staff show 无名")
    assert [m["name"] for m in run("staff list --village 城庄村 -f json").json()] == ["王五"]
    fail("staff list --village 无此村")
    assert run("db check").code == 0
    # a phone changed behind sanling's back is found by its audit trail
    from sqlalchemy import create_engine, text

    from sanling import db

    engine = create_engine(db.resolve_url(None))
    with engine.begin() as conn:
        conn.execute(text("UPDATE staff SET phone = '13900000000' WHERE name = '王五'"))
    engine.dispose()
    r = run("db check", code=1)
    assert "staff 王五: differs from its audit trail in phone" in r.out + r.err


def test_staff_phone_never_in_output_or_audit_log(
    ledger: None,
    robot: Robot,  # noqa: F811
    tmp_path: Any,
) -> None:
    run("config", "set", "bulletin_webhooks", robot.url())
    seen = []
    for fmt in ("table", "json", "csv", "markdown"):
        seen.append(run("staff", "list", "-f", fmt).out)
        seen.append(run("staff", "show", "王五", "-f", fmt).out)
        seen.append(run("staff", "edit", "王五", "--role", f"调解员{fmt}", "-f", fmt).out)
    for fmt in ("text", "json", "markdown"):
        seen.append(run("remind", "-f", fmt).out)
    out = tmp_path / "r.json"
    run("remind", "-f", "json", "-o", str(out))
    seen.append(out.read_text(encoding="utf-8"))
    r = run("remind --send")
    seen += [r.out, r.err]
    run("staff edit 王五 --phone 13956781234")
    seen.append(run("log --limit 100 -f json").out)
    for text in seen:
        assert WANG not in text and "5678" not in text, text
    assert "5678" not in repr(dump()["audit_log"]) and WANG not in repr(dump()["audit_log"])
    # --reveal shows it, and the read is audited by name (the log still holds no phone)
    revealed = run("staff list --reveal -f json").json()
    assert revealed[0]["phone"] == "13956781234"
    entry = run("log --limit 1 -f json").json()[0]
    assert entry["action"] == "staff.reveal"
    assert "王五" in str(entry["after"]) and "13956781234" not in str(entry["after"])
    assert run("staff show 王五 --reveal -f json").json()["phone"] == "13956781234"
    assert "13956781234" not in repr(dump()["audit_log"])


def test_a_petition_reminds_its_handler_of_the_step_owed(
    villages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A petition received 2026-10-01 owes its 告知 by 2026-10-16 (15 days): due soon on
    2026-10-14 within 3 days, overdue on 2026-10-17; once accepted, the reply is owed."""
    ref = run(
        "petition add --village 城庄村 --date 2026-10-01 --form visit --level town --summary 补偿"
        " --handler 赵六 -f json"
    ).json()["ref"]

    def owed(day: str, days: int = 3) -> list[tuple[str, str, str, str]]:
        data = run(f"remind --date {day} --days {days} -f json").json()
        got = {h["handler"]: h["items"] for h in data["handlers"]}
        return [(i["ref"], i["what"], i["state"], i["due"]) for i in got.get("赵六", [])]

    assert owed("2026-10-14") == [(ref, "accept", "due_soon", "2026-10-16")]
    assert owed("2026-10-17") == [(ref, "accept", "overdue", "2026-10-16")]
    run(f"petition accept {ref} --date 2026-10-15")
    assert owed("2026-10-17") == []
    assert owed("2026-10-31", 45) == [(ref, "reply", "due_soon", "2026-12-14")]
    # what is owed, not the petition's form (来访), in the text a clerk reads
    run(f"petition reply {ref} --date 2026-10-16")
    run(f"petition review {ref} --stage review --requested 2026-10-17")
    assert owed("2026-10-31", 20) == [(ref, "review", "due_soon", "2026-11-16")]
    monkeypatch.setenv("SANLING_LANG", "zh")
    text = run("remind --date 2026-10-31 --days 20").out
    line = next(ln for ln in text.splitlines() if ref in ln)
    assert "复查决定" in line and "来访" not in line


def test_staff_checks(ledger: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A member leaves the roster no earlier than they joined it; an edit changing nothing is
    a usage error, with no audit entry; an empty name is named by its heading."""
    r = fail("staff remove 赵六 --date 2020-01-01")
    assert r.err.startswith(
        "error: --date 2020-01-01 is before the member was added to the roster on 2026-10-31"
    )
    r = fail("staff edit 赵六", code=2)
    assert "error: nothing to change" in r.err
    assert "--name, --phone, --role, --village or --restore" in r.err
    monkeypatch.setenv("SANLING_LANG", "zh")
    r = fail("staff remove 赵六 --date 2020-01-01")
    assert "error: --date 2020-01-01 早于该人员加入名册的日期 2026-10-31" in r.err
    assert "error: 没有要修改的内容" in fail("staff edit 赵六", code=2).err
    assert fail("staff add '' --phone 13800000003").err.startswith("error: 名称（name）不能为空")
    run("staff remove 赵六 --date 2026-10-31")


def test_a_dead_robot_is_named_in_chinese(ledger: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A robot nobody answers at: the reason is the ledger's words, not an exception's name."""
    import socket

    from sanling import webhook

    monkeypatch.setattr(webhook, "RETRY_PAUSE_SECONDS", 0)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    run("config", "set", "bulletin_webhooks", f"http://127.0.0.1:{port}/robot/send?access_token=k")
    monkeypatch.setenv("SANLING_LANG", "zh")
    r = fail("remind --send")
    assert "(连接被拒绝)" in r.err
    assert "Error" not in r.err


def test_items_under_a_card_are_marked(ledger: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """An item under a yellow or red card says so in every format (交办 and 挂牌督办 do not)."""
    run("dispute supervise JF-2026-0001 --level red --by 县委政法委 --date 2026-10-05")
    run("backlog supervise JA-2026-0001 --level yellow --by 县信访局 --date 2026-10-05")
    run("hazard supervise YH-2026-0001 --level normal --by 镇安委办 --date 2026-10-26")
    items = next(h for h in run("remind -f json").json()["handlers"] if h["handler"] == "王五")
    cards = [(i["ref"], i["card"]) for i in items["items"]]
    assert cards == [
        ("JF-2026-0001", "red"),
        ("JA-2026-0001", "yellow"),
        ("ZD-2026-0002", None),
        ("YH-2026-0001", None),
    ]
    monkeypatch.setenv("SANLING_LANG", "zh")
    text = run("remind").out
    assert "  JF-2026-0001 【红牌督办】纠纷 城庄村 山林土地 逾期3天（时限10月28日）" in text
    assert "  JA-2026-0001 【黄牌督办】积案" in text
    assert "YH-2026-0001 隐患 城庄村" in text
    markdown = run("remind -f markdown").out
    assert "【红牌督办】山林土地" in markdown and "【黄牌督办】" in markdown
    # lifted: no mark
    run("dispute supervise JF-2026-0001 --lift --date 2026-10-30")
    assert "【红牌督办】" not in run("remind").out


def test_what_another_town_sent_does_not_count(ledger: None, robot: Robot) -> None:  # noqa: F811
    """Reference numbers are unique per town (a county ledger holds two towns' JF-2026-0001):
    an item another town delivered to the same handler and robot that day is no reason to
    hold this town's back."""
    import datetime as dt

    from sanling.ledger import remind as reminders
    from sanling.models import ReminderSent, Town
    from tests.helpers.ledgers import writing

    run("town add 安业乡")
    run("config", "set", "bulletin_webhooks", robot.url())
    with writing() as lx:
        other = lx.session.query(Town).filter_by(name="安业乡").one().id
        lx.session.add(
            ReminderSent(
                town_id=other,
                day=dt.date(2026, 10, 31),
                handler="王五",
                ref="JF-2026-0001",
                robot=reminders.robot_key(robot.url()),
                sent_at=dt.datetime(2026, 10, 31, 8),
            )
        )
    run("remind --send --town 城庄镇")
    wang = next(body for name, body in _requests(robot).items() if name.startswith("王五"))
    assert "JF-2026-0001" in wang["text"]["content"]
