"""Village bulletins (issue 18): each village's own bulletin with its units' and enterprises'
records and nothing of another village's, exact figures today and as of a past date, masking,
--explain, every format; each village's robot getting one message on a local server, a second
run sending nothing, a failing robot not stopping the others, and the byte limit."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from sanling import webhook
from sanling.render import REPORT_FORMATS
from tests.helpers import dump, fail, ledgers, run
from tests.test_webhook import KEY, Robot

HIGH_ID, LOW_ID = "34052419800101001X", "11010519491231002X"


@pytest.fixture
def ledger(villages: list[str], templates: ledgers.Templates) -> None:
    """As of 2026-10-31 (today), 城庄村 (with its unit 城庄中学):
    JF-2026-0001 found 10-01, deadline 10-16, resolved today (handler 周一);
    JF-2026-0002 at 城庄中学, found 10-10, deadline 10-28: 3 days overdue (王五);
    JF-2026-0003 found 10-20, deadline 11-02: 2 days left (李四);
    JF-2026-0005 found today, default deadline 11-15 (张三);
    YH-2026-0001 major, found 10-01, deadline 10-20: 11 days overdue;
    YH-2026-0002 general, found 10-30, deadline 11-29;
    LD-2026-0001 open since 10-15;
    XL-2026-0001 on 10-20 and XL-2026-0002 on 10-29 (19:00-21:30) through 城庄村;
    ZD-2026-0001 张三丰, risk 1, listed 09-01, never visited: visit due 10-01, 30 days overdue;
    ZD-2026-0002 李四, risk 1, listed 10-02: visit due 11-01, 1 day left;
    AJ-2026-0001 criminal at 城庄中学 on 05-01 (the unit's 零案件).
    李家湾村 (with its enterprise 兴旺煤业):
    JF-2026-0004 found 10-25, deadline 11-02 (赵六);
    YH-2026-0003 at 兴旺煤业, found 10-29;
    XF-2026-0001 on 10-28 at city level (breaks the village's 零上访);
    JA-2026-0001 assigned 06-01, deadline 09-30: open, 31 days overdue;
    XL-2026-0003 on 10-10 through 李家湾村 only.
    前进村 and 五和居 have nothing."""
    templates.apply(f"{__name__}.ledger", build)


def build() -> None:
    from sanling.codes import ResolutionMethod
    from sanling.ledger import dispute

    with ledgers.writing() as lx:
        add = partial(ledgers.add, lx)
        jf = partial(add, "dispute", category="land", summary="纠纷")
        jf(village="城庄村", handler="周一", found="2026-10-01", deadline="2026-10-16")
        dispute.resolve(lx, "JF-2026-0001", method=ResolutionMethod.mediation, result="调解")
        jf(
            village="城庄村",
            subject="城庄中学",
            handler="王五",
            found="2026-10-10",
            deadline="2026-10-28",
        )
        jf(village="城庄村", handler="李四", found="2026-10-20", deadline="2026-11-02")
        jf(village="李家湾村", handler="赵六", found="2026-10-25", deadline="2026-11-02")
        jf(village="城庄村", handler="张三")
        yh = partial(add, "hazard", area="fire", description="隐患", responsible="刘七")
        yh(village="城庄村", grade="major", found="2026-10-01", deadline="2026-10-20")
        yh(village="城庄村", found="2026-10-30")
        yh(village="李家湾村", subject="兴旺煤业", found="2026-10-29")
        add("hotspot", village="城庄村", description="夜市斗殴", date="2026-10-15")
        xl = partial(add, "patrol", team="patrol_team", leader="钱八", people=4)
        xl(village=["城庄村"], date="2026-10-20")
        xl(village=["城庄村", "五和居"], date="2026-10-29", start="19:00", end="21:30")
        xl(village=["李家湾村"], date="2026-10-10")
        zd = partial(add, "person", category="released", village="城庄村", cadre="孙九")
        zd(name="张三丰", id_number=HIGH_ID, listed="2026-09-01")
        zd(name="李四", id_number=LOW_ID, listed="2026-10-02")
        add(
            "case",
            kind="criminal",
            village="城庄村",
            subject="城庄中学",
            summary="盗窃",
            date="2026-05-01",
        )
        add(
            "petition",
            village="李家湾村",
            form="visit",
            level="city",
            summary="上访",
            date="2026-10-28",
        )
        add(
            "backlog",
            assigned_by="county",
            village="李家湾村",
            petitioner="吴某",
            summary="积案",
            lead="郑十",
            plan="包案化解",
            deadline="2026-09-30",
            date="2026-06-01",
        )


def village(name: str, *args: str) -> dict[str, Any]:
    result: dict[str, Any] = run(
        "report", "bulletin", "--village", name, *args, "--format", "json"
    ).json()
    return result


def refs(items: list[dict[str, Any]]) -> list[str]:
    return [i["ref"] for i in items]


def test_each_village_holds_only_its_own(ledger: None) -> None:
    b = village("城庄村")
    assert (b["date"], b["town"], b["village"], b["quiet"]) == (
        "2026-10-31",
        "城庄镇",
        "城庄村",
        False,
    )
    d = b["disputes"]
    assert {k: d[k] for k in ("new", "resolved", "open", "overdue", "due_soon")} == {
        "new": 1,
        "resolved": 1,
        "open": 3,
        "overdue": 1,
        "due_soon": 1,
    }
    # by deadline; the unit's dispute is the village's, named with its unit
    assert d["items"] == [
        {
            "ref": "JF-2026-0001",
            "subject": None,
            "category": "land",
            "handler": "周一",
            "found": "2026-10-01",
            "deadline": "2026-10-16",
            "new": False,
            "resolved": True,
            "days_left": None,
            "days_overdue": None,
        },
        {
            "ref": "JF-2026-0002",
            "subject": "城庄中学",
            "category": "land",
            "handler": "王五",
            "found": "2026-10-10",
            "deadline": "2026-10-28",
            "new": False,
            "resolved": False,
            "days_left": None,
            "days_overdue": 3,
        },
        {
            "ref": "JF-2026-0003",
            "subject": None,
            "category": "land",
            "handler": "李四",
            "found": "2026-10-20",
            "deadline": "2026-11-02",
            "new": False,
            "resolved": False,
            "days_left": 2,
            "days_overdue": None,
        },
        {
            "ref": "JF-2026-0005",
            "subject": None,
            "category": "land",
            "handler": "张三",
            "found": "2026-10-31",
            "deadline": "2026-11-15",
            "new": True,
            "resolved": False,
            "days_left": 15,
            "days_overdue": None,
        },
    ]
    h = b["hazards"]
    assert [h[k] for k in ("new", "open", "major_open", "due_soon", "overdue")] == [0, 2, 1, 0, 1]
    assert refs(h["items"]) == ["YH-2026-0001", "YH-2026-0002"]  # the major one first
    assert [h["items"][0]["days_overdue"], h["items"][1]["days_left"]] == [11, 29]
    assert (b["hotspots"]["open"], refs(b["hotspots"]["items"])) == (1, ["LD-2026-0001"])
    assert (b["backlog"]["open"], b["backlog"]["items"]) == (0, [])
    assert [b["petitions"][k] for k in ("new", "recent")] == [0, 0]
    p = b["patrols"]
    assert (p["count"], p["hours"], p["last"], p["days_since"]) == (1, 2.5, "2026-10-29", 2)
    assert p["window"] == {"start": "2026-10-25", "end": "2026-10-31"}
    k = b["key_persons"]
    assert (k["visits_overdue"], k["visits_due"]) == (1, 1)
    assert k["items"] == [
        {
            "ref": "ZD-2026-0001",
            "name": "张**",
            "category": "released",
            "cadre": "孙九",
            "next_visit": "2026-10-01",
            "days_left": None,
            "days_overdue": 30,
        },
        {
            "ref": "ZD-2026-0002",
            "name": "李**",
            "category": "released",
            "cadre": "孙九",
            "next_visit": "2026-11-01",
            "days_left": 1,
            "days_overdue": None,
        },
    ]
    # the unit's criminal case broke the unit's 零案件, not the village's own
    s = b["sanling"]
    assert (s["zero_petition"], s["zero_accident"], s["zero_case"], s["achieved"]) == (
        True,
        True,
        True,
        True,
    )
    assert s["broken_by"] == [
        {"zero": "zero_case", "ref": "AJ-2026-0001", "date": "2026-05-01", "subject": "城庄中学"}
    ]
    assert [s[f"{z}_broken"] for z in ("zero_petition", "zero_accident", "zero_case")] == [0, 0, 1]

    other = village("李家湾村")
    assert refs(other["disputes"]["items"]) == ["JF-2026-0004"]
    assert other["disputes"]["items"][0]["days_left"] == 2
    assert [other["disputes"][k] for k in ("new", "open", "overdue", "due_soon")] == [0, 1, 0, 1]
    assert refs(other["hazards"]["items"]) == ["YH-2026-0003"]
    assert other["hazards"]["items"][0]["subject"] == "兴旺煤业"
    assert (other["hotspots"]["open"], other["key_persons"]["items"]) == (0, [])
    assert (other["backlog"]["open"], other["backlog"]["overdue"]) == (1, 1)
    assert other["backlog"]["items"][0]["days_overdue"] == 31
    assert (other["petitions"]["recent"], refs(other["petitions"]["items"])) == (
        1,
        ["XF-2026-0001"],
    )
    assert other["petitions"]["items"][0]["breaks_zero"] is True
    assert (other["patrols"]["count"], other["patrols"]["days_since"]) == (0, 21)
    assert (other["sanling"]["zero_petition"], other["sanling"]["achieved"]) == (False, False)
    assert village("前进村")["quiet"] is True
    # a community patrolled with 城庄村 counts that patrol too
    assert village("五和居")["patrols"]["count"] == 1


def test_a_past_date_reads_as_that_day(ledger: None) -> None:
    b = village("城庄村", "--date", "2026-10-20")
    d = b["disputes"]
    assert [d[k] for k in ("new", "resolved", "open", "overdue", "due_soon")] == [1, 0, 3, 1, 0]
    # JF-2026-0001 was still open (resolved on the 31st), four days past its deadline
    assert [(i["ref"], i["days_left"], i["days_overdue"]) for i in d["items"]] == [
        ("JF-2026-0001", None, 4),
        ("JF-2026-0002", 8, None),
        ("JF-2026-0003", 13, None),
    ]
    h = b["hazards"]
    assert [h[k] for k in ("open", "due_soon", "overdue")] == [1, 1, 0]
    assert h["items"][0]["days_left"] == 0
    assert (b["patrols"]["count"], b["patrols"]["days_since"]) == (1, 0)
    assert b["key_persons"]["items"][0]["days_overdue"] == 19
    assert len(b["key_persons"]["items"]) == 1
    assert village("城庄村", "--date", "2026-04-30")["sanling"]["broken_by"] == []
    assert village("李家湾村", "--date", "2026-10-27")["sanling"]["achieved"] is True


def test_explain_lists_the_village_records(ledger: None) -> None:
    def explained(name: str, key: str) -> list[str]:
        rows = run("report", "bulletin", "--village", name, "--explain", key, "-f", "json").json()
        return [r["ref"] for r in rows]

    assert explained("城庄村", "disputes.open") == ["JF-2026-0002", "JF-2026-0003", "JF-2026-0005"]
    assert explained("城庄村", "hazards.overdue") == ["YH-2026-0001"]
    assert explained("城庄村", "patrols.count") == ["XL-2026-0002"]
    assert explained("城庄村", "key_persons.visits_overdue") == ["ZD-2026-0001"]
    assert explained("城庄村", "sanling.zero_case_broken") == ["AJ-2026-0001"]
    assert explained("李家湾村", "backlog.overdue") == ["JA-2026-0001"]
    assert explained("李家湾村", "disputes.open") == ["JF-2026-0004"]
    rows = run("report bulletin --village 城庄村 --explain key_persons.visits_due -f json").json()
    assert "name" not in rows[0]  # the records behind a figure never name a key person
    assert (
        "no figure 'totals.open'"
        in fail("report bulletin --village 城庄村 --explain totals.open").err
    )


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_every_format(ledger: None, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"b.{fmt}"
    run("report", "bulletin", "--village", "城庄村", "-f", fmt, "-o", str(out))
    data = out.read_bytes()
    if fmt != "xlsx":
        assert b"JF-2026-0002" in data
        assert "张三丰".encode() not in data


def test_text_in_chinese(ledger: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANLING_LANG", "zh")
    text = run("report bulletin --village 城庄村 -f text").out
    assert text.splitlines()[:7] == [
        "【城庄村平安通报】2026年10月31日",
        "纠纷：当日新增1件，化解1件；在办3件，其中逾期1件、临期1件。",
        "隐患：未整改2处（重大1处），临期0处，逾期1处。",
        "治安乱点1处未整治；信访积案0件未化解；近7日信访0件。",
        "巡逻：近7日1次，共2.5小时。",
        "重点人员走访：逾期1人，临期1人。",
        "三零：零案件被打破（城庄中学 AJ-2026-0001）。",
    ]
    assert "JF-2026-0002 城庄中学 山林土地 首办王五 逾期3天（时限10月28日）" in text
    assert "ZD-2026-0001 张** 刑满释放 包联孙九 走访逾期30天" in text
    assert "张三丰" not in text
    other = run("report bulletin --village 李家湾村 -f text").out
    assert "巡逻：已21天无巡逻。" in other
    assert "JF-2026-0002" not in other and "城庄" not in other


def test_usage_errors(ledger: None) -> None:
    fail("report bulletin --village 城庄村 --each-village", code=2)
    fail("report bulletin --all", code=2)
    fail("report bulletin --each-village --explain disputes.open", code=2)
    err = fail("report bulletin --each-village -f json", code=2).err
    assert "as text: no -o, -f json or --explain" in err
    assert "'城庄中学' is a unit" in fail("report bulletin --village 城庄中学").err


# ---- robots ---------------------------------------------------------------------------------
@pytest.fixture
def robots(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Robot, Robot]]:
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setattr(webhook, "RETRY_PAUSE_SECONDS", 0)
    pair = (Robot(), Robot())
    yield pair
    for server in pair:
        server.server.shutdown()
        server.server.server_close()


def wire(ledger: None, robots: tuple[Robot, Robot]) -> None:
    run("subject", "update", "城庄村", "--webhook", robots[0].url("/cz?key=" + KEY))
    run("subject", "update", "李家湾村", "--webhook", robots[1].url("/ljw?key=" + KEY))


def contents(robot: Robot) -> list[str]:
    return [r["body"]["markdown"]["content"] for r in robot.requests]


def test_robot_is_kept_masked(ledger: None) -> None:
    secret = "SECdeadbeef0123"
    url = f"https://oapi.dingtalk.com/robot/send?access_token={KEY}"
    shown = run("subject", "update", "城庄村", "--webhook", url, "--dingtalk-secret", secret)
    for out in (shown.out, run("subject show 城庄村 -f json").out, run("log").out):
        assert KEY not in out and secret not in out
    fields = run("subject show 城庄村 -f json").json()
    assert (fields["webhook"], fields["dingtalk_secret"]) == (
        "https://oapi.dingtalk.com/******",
        "******",
    )
    # a new key for the same host is a change the audit log records (masked)
    before = len(run("log -f json").json())
    run("subject", "update", "城庄村", "--webhook", url + "2")
    assert len(run("log -f json").json()) == before + 1
    run("subject", "update", "城庄村", "--webhook", "")
    assert run("subject show 城庄村 -f json").json()["webhook"] is None
    assert "https://" in fail("subject update 城庄村 --webhook ftp://x/y").err
    assert "village or community" in fail("subject update 城庄中学 --webhook https://x/y").err


def test_each_village_gets_its_own_message_once(ledger: None, robots: tuple[Robot, Robot]) -> None:
    wire(ledger, robots)
    first = run("report bulletin --each-village --send")
    assert KEY not in first.out + first.err
    assert contents(robots[0]) == [run("report bulletin --village 城庄村 -f text").out.rstrip("\n")]
    [ljw] = contents(robots[1])
    assert ljw.startswith("李家湾村 daily bulletin, 2026-10-31") and "城庄" not in ljw
    assert robots[0].requests[0]["path"] == f"/cz?key={KEY}"
    port0, port1 = robots[0].port, robots[1].port
    assert first.err.splitlines() == [
        f"sent: 城庄村 http://127.0.0.1:{port0}/******",
        f"sent: 李家湾村 http://127.0.0.1:{port1}/******",
    ]  # 前进村 and 五和居 are quiet: no message, and no complaint about their robots
    # the same day again: nothing is sent twice
    again = run("report bulletin --each-village --send")
    assert [len(r.requests) for r in robots] == [1, 1]
    assert again.err.strip() == "already sent for 2026-10-31, not again: 城庄村、李家湾村"
    # the next day is another bulletin
    run("report bulletin --each-village --send --date 2026-10-30")
    assert [len(r.requests) for r in robots] == [2, 2]
    # --all: quiet villages too; those without a robot in one line
    everyone = run("report bulletin --each-village --send --all --date 2026-10-29")
    assert "no robot (not sent): 前进村、五和居" in everyone.err
    assert "【" not in everyone.out and "前进村 daily bulletin, 2026-10-29" in everyone.out


def test_one_village_to_its_robot(ledger: None, robots: tuple[Robot, Robot]) -> None:
    r = fail("report bulletin --village 李家湾村 --send -f json")
    assert r.out and r.err.startswith("error: 李家湾村 has no group robot")
    wire(ledger, robots)
    r = run("report bulletin --village 李家湾村 --send -f json")
    assert r.json()["village"] == "李家湾村"  # printed, then sent
    assert [len(x.requests) for x in robots] == [0, 1]
    run("report bulletin --village 李家湾村 --send")
    assert [len(x.requests) for x in robots] == [0, 1]  # once a day
    run("report bulletin --each-village --send")
    assert [len(x.requests) for x in robots] == [1, 1]


def test_dingtalk_robot_of_a_village(
    ledger: None, robots: tuple[Robot, Robot], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the robot's real host name, reached through a proxy on 127.0.0.1 (as test_webhook does)
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{robots[0].port}")
    monkeypatch.setenv("no_proxy", "")
    # plain http to a host elsewhere is refused, as for the town's robots
    err = fail("subject update 城庄村 --webhook http://oapi.dingtalk.com/robot/send?x=1").err
    assert "http is allowed to this machine only" in err
    url = f"http://oapi.dingtalk.localhost/robot/send?access_token={KEY}"
    run("subject", "update", "城庄村", "--webhook", url, "--dingtalk-secret", "SECvillage")
    r = run("report bulletin --each-village --send")
    assert "sent: 城庄村 http://oapi.dingtalk.localhost/******" in r.err
    [request] = robots[0].requests
    assert request["host"] == "oapi.dingtalk.localhost" and "&sign=" in request["path"]
    body = request["body"]["markdown"]
    assert body["title"] == "城庄村 daily bulletin 2026-10-31"
    text = run("report bulletin --village 城庄村 -f text").out
    assert body["text"] == "  \n".join(text.rstrip("\n").splitlines())  # hard line breaks


def test_preview_sends_and_records_nothing(ledger: None, robots: tuple[Robot, Robot]) -> None:
    wire(ledger, robots)
    before = dump()
    out = run("report bulletin --each-village").out
    assert out.startswith("城庄村 daily bulletin, 2026-10-31")
    assert "\n\n李家湾村 daily bulletin, 2026-10-31" in out and "前进村" not in out
    assert dump() == before and not robots[0].requests


def test_a_failing_robot_does_not_stop_the_others(
    ledger: None, robots: tuple[Robot, Robot]
) -> None:
    wire(ledger, robots)
    run("subject update 李家湾村 --webhook ''")
    robots[0].script = [(500, {}, 0), (500, {}, 0)]
    run("subject update 前进村 --webhook " + robots[1].url("/qj?key=" + KEY))
    r = run("report bulletin --each-village --send --all", code=1)
    assert KEY not in r.out + r.err
    assert len(robots[0].requests) == 2  # one try and one retry
    assert [q["path"] for q in robots[1].requests] == [f"/qj?key={KEY}"]
    lines = r.err.splitlines()
    assert f"sent: 前进村 http://127.0.0.1:{robots[1].port}/******" in lines
    assert "no robot (not sent): 李家湾村、五和居" in lines
    masked = f"http://127.0.0.1:{robots[0].port}/******"
    assert lines[-1].startswith(f"error: delivery failed to 1 of 2: 城庄村 {masked} (HTTP 500)")
    # run again: only the failed one is sent
    r = run("report bulletin --each-village --send --all")
    assert len(robots[0].requests) == 3 and len(robots[1].requests) == 1
    assert f"sent: 城庄村 http://127.0.0.1:{robots[0].port}/******" in r.err
    sent = [e for e in run("log -f json").json() if e["action"] == "bulletin.sent"]
    assert sorted(e["ref"] for e in sent) == ["前进村", "城庄村"]


def test_a_long_bulletin_is_cut_at_the_byte_limit(
    villages: list[str], robots: tuple[Robot, Robot], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANLING_LANG", "zh")
    with ledgers.writing() as lx:
        for i in range(150):
            ledgers.add(
                lx,
                "dispute",
                village="城庄村",
                category="neighbour",
                summary="纠纷",
                handler=f"调解员{i:03d}",
                found="2026-10-01",
                deadline="2026-10-20",
            )
    run("subject", "update", "城庄村", "--webhook", robots[0].url())
    run("report bulletin --each-village --send")
    [body] = contents(robots[0])
    assert len(body.encode("utf-8")) <= webhook.WECOM_LIMIT
    lines = body.splitlines()
    shown = [ln for ln in lines if ln.startswith("JF-2026-")]
    assert shown[0] == "JF-2026-0001 邻里 首办调解员000 逾期11天（时限10月20日）"
    assert lines[-1] == (
        f"……另有{150 - len(shown)}项未列出，完整通报见 sanling report bulletin --village 城庄村"
    )
    full = run("report bulletin --village 城庄村 -f text").out
    assert full.startswith("\n".join(lines[:-1]) + "\n")  # whole lines, in order


def test_fit_never_cuts_a_character() -> None:
    from sanling.reports.village import fit

    head = "【" + "很长的标题" * 400 + "】"
    cut = fit([(head, False), ("JF-2026-0001 一项", True)], 100, 0, "城庄村")
    first, note = cut.split("\n")
    assert len(cut.encode("utf-8")) <= 100
    assert head.startswith(first) and "1" in note
    lines = [(f"第{i}项：纠纷", True) for i in range(10)]
    assert fit(lines, 4096, 2, "城庄村") == "\n".join(t for t, _ in lines)
    small = fit(lines, 120, 2, "x").split("\n")
    assert sum(len(s.encode()) + 3 for s in small) - 1 <= 120
    assert small[:-1] == [t for t, _ in lines[: len(small) - 1]]
    note = f"……另有{11 - len(small)}项未列出，完整通报见 sanling report bulletin --village x"
    assert small[-1] == note  # the catalog's language outside a command: zh
    assert len(fit(lines, 20, 0, "x").encode()) <= 20  # too small for the note: cut too


def test_upgrade_keeps_subjects_and_adds_the_robots(villages: list[str]) -> None:
    from sqlalchemy import create_engine, inspect

    from sanling import db, migrate

    before = run("subject list -f json").out
    engine = create_engine(db.resolve_url(None))
    try:
        migrate.downgrade(engine, "0001")
        with engine.connect() as conn:
            assert "bulletins_sent" not in inspect(conn).get_table_names()
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    assert run("subject list -f json").out == before
    assert run("subject show 城庄村 -f json").json()["webhook"] is None
