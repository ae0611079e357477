"""--as-recorded (every report as the ledger stood at a moment, from the audit log) and
--changes-since (what was added or changed after a moment, with the reasons)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import add_dispute, dump, fail, ledgers, run
from tests.test_report_monthly import build as october

# What a county office prints (report, options): each one must come back byte for byte.
PRINTED = [
    "report monthly --month 2026-10 --format json",
    "report monthly --month 2026-10",
    "report monthly --month 2026-10 --format csv",
    "report monthly --month 2026-10 --format markdown",
    "report monthly --month 2026-10 --explain disputes.overdue --format json",
    "report monthly --month 2026-10 --explain accidents.breaking --format json",
    "report bulletin --date 2026-10-31 --format json",
    "report sweep --date 2026-10-20 --format json",
    "report grading --format json",
    "report annual --year 2026 --format json",
    "report annual --year 2026 --format text",
]

# ... and the files (xlsx is stamped with no time, so the same report is the same file).
FILES = [
    ("report monthly --month 2026-10 -f xlsx", "xlsx"),
    ("report annual --year 2026 -f xlsx", "xlsx"),
    ("report monthly --month 2026-10 -f html", "html"),
]


@pytest.fixture
def ledger(villages: list[str], templates: ledgers.Templates) -> None:
    # The monthly report's October ledger (the same template, built from the same start).
    templates.apply("tests.test_report_monthly.ledger", october)


def next_second() -> dt.datetime:
    """The current second (UTC), once it is over: every entry logged so far is at or before
    it, every one logged from now on after it."""
    moment = dt.datetime.now(dt.UTC).replace(microsecond=0)
    while dt.datetime.now(dt.UTC) < moment + dt.timedelta(seconds=1):
        time.sleep(0.05)
    return moment


def corrected(noun: str, ref: str, **changes: Any) -> None:
    """A correction as `sanling KIND edit` logs it: the record changed, one audit entry with
    the whole record before and after, the reason under `_reason`; `villages` sets a patrol's
    villages (logged under `_villages`), `note` ({"n": N, column: value}) entry N of its log
    (`edit-note`, the entry's columns under `note`)."""
    from sqlalchemy import select

    from sanling.ledger.base import snapshot
    from sanling.ledger.recorded import LOGS, MODELS

    def state(obj: Any) -> dict[str, Any]:
        data = snapshot(obj)
        if noun == "patrol":
            data["_villages"] = sorted(v.id for v in obj.villages)
        return data

    def entry_state(entry: Any) -> dict[str, Any]:
        return {k: v for k, v in snapshot(entry).items() if k not in ("id", "dispute_id")}

    with ledgers.writing() as lx:
        obj: Any = lx.record(MODELS[noun], ref)
        before = state(obj)
        after: dict[str, Any] = {}
        note = changes.pop("note", None)
        if note is not None:
            owner = LOGS[MODELS[noun]]
            log = owner.parent.entity_namespace  # the log's model
            entries = lx.session.scalars(
                select(log).where(owner == obj.id).order_by(log.date, log.id)
            ).all()
            entry = entries[note.pop("n") - 1]
            before["note"] = entry_state(entry)
            for key, value in note.items():
                setattr(entry, key, value)
            lx.session.flush()
            after["note"] = entry_state(entry)
        if "villages" in changes:
            obj.villages = [lx.village(v) for v in changes.pop("villages")]
        for key, value in changes.items():
            setattr(obj, key, value)
        lx.session.flush()
        after = {**state(obj), **after, "_reason": "录入有误"}
        verb = "edit-note" if note is not None else "edit"
        lx.audit(f"{noun}.{verb}", obj.ref, before, after)


def later_changes() -> None:
    """After the report was sent: back-dated records, steps back-dated into October,
    corrections (a record moved to another village, a death typed for none, a wrong found
    date, a patrol's villages, an entry of a dispute's log), a grade applied, a setting and a
    village changed."""
    with ledgers.writing() as lx:
        moved = {"village_id": lx.village("李家湾村").id}
    corrected("case", "AJ-2026-0001", **moved)
    corrected("accident", "SG-2026-0001", deaths=0)
    corrected("dispute", "JF-2026-0003", found=dt.date(2026, 9, 10))
    corrected("patrol", "XL-2026-0001", villages=["前进村", "五和居"])
    corrected("dispute", "JF-2026-0001", note={"n": 1, "text": "调解成功，已签协议"})
    add_dispute("城庄村", "debt", "2026-10-20")
    add_dispute("五和居", "neighbour", "2026-09-28")
    run("dispute resolve JF-2026-0002 --method mediation --result 调解成功 --date 2026-10-30")
    run("dispute progress JF-2026-0003 已约双方面谈 --status in_progress --date 2026-10-29")
    run("accident add --village 城庄村 --kind fire --summary 火灾 --deaths 1 --date 2026-10-25")
    run("case add --village 五和居 --kind criminal --summary 盗窃 --date 2026-10-02")
    run("hazard rectify YH-2026-0002 --measures 已加固 --date 2026-10-30")
    run("person visit ZD-2026-0001 --by 王明 --date 2026-10-30")
    run("patrol add --team patrol_team --leader 刘 --people 2 --village 前进村 --date 2026-10-15")
    run("report grading --apply")
    run("config set accident_death_breaks false")
    run("config set visit_days_high 30")
    run("subject update 前进村 --households 200 --population 600")
    run("subject add 新村 --kind village")


def test_reports_come_back_byte_for_byte(ledger: None, tmp_path: Path) -> None:
    sent = {args: run(args).out for args in PRINTED}

    def files(name: str, *extra: str) -> list[bytes]:
        out = []
        for i, (args, ext) in enumerate(FILES):
            path = tmp_path / f"{name}{i}.{ext}"
            run(*args.split(), "-o", str(path), *extra)
            out.append(path.read_bytes())
        return out

    sent_files = files("sent")
    moment = next_second()
    later_changes()
    today = {args: run(args).out for args in PRINTED}
    # The changes move every report printed (so the comparison below can fail).
    assert [a for a in PRINTED if today[a] == sent[a]] == []

    stamp = moment.isoformat()  # 2026-12-02T21:05:07+00:00: UTC, an explicit offset
    before = dump()
    for args in PRINTED:
        assert run(f"{args} --as-recorded {stamp}").out == sent[args], args
    assert dump() == before, "--as-recorded changed the ledger"
    assert files("today") != sent_files
    assert files("again", "--as-recorded", stamp) == sent_files
    # The town's time: the same moment without an offset, in Asia/Shanghai (UTC+8).
    shanghai = (moment + dt.timedelta(hours=8)).replace(tzinfo=None).isoformat()
    assert run(f"{PRINTED[0]} --as-recorded {shanghai}").out == sent[PRINTED[0]]
    # A moment after the changes shows today's ledger.
    assert (
        run(f"{PRINTED[0]} --as-recorded {dt.datetime.now(dt.UTC).isoformat()}").out
        == (today[PRINTED[0]])
    )


def test_a_date_alone_is_the_end_of_that_day(ledger: None) -> None:
    from sanling.ledger.recorded import parse_moment

    end = parse_moment("2026-11-05", "Asia/Shanghai")
    assert end == dt.datetime(2026, 11, 5, 15, 59, 59)  # 23:59:59 in Shanghai
    assert parse_moment("2026-11-05T09:30", "Asia/Shanghai") == dt.datetime(2026, 11, 5, 1, 30)
    assert parse_moment("2026-11-05 09:30:00Z", "Asia/Shanghai") == dt.datetime(2026, 11, 5, 9, 30)
    assert parse_moment("2026-11-05T09:30+01:00", "UTC") == dt.datetime(2026, 11, 5, 8, 30)
    # The report's today is the moment's day: October 2026 had not begun on 1 January 2020,
    # and the ledger had no town yet.
    err = fail("report monthly --month 2026-10 --as-recorded 2020-01-01").err
    assert "has not begun (today is 2020-01-01)" in err
    assert "no town yet" in fail("report bulletin --date 2019-12-31 --as-recorded 2020-01-01").err


def test_bad_moments_are_refused(ledger: None) -> None:
    err = fail("report monthly --as-recorded yesterday-ish").err
    assert "--as-recorded: 'yesterday-ish' is not an ISO 8601 moment" in err
    assert "2026-11-05T09:30+00:00" in err
    err = fail("report bulletin --as-recorded 2999-01-01").err
    assert "is in the future" in err
    err = fail("report monthly --changes-since 2026-13-01").err
    assert "--changes-since: '2026-13-01' is not an ISO 8601 moment" in err
    err = fail("report grading --apply --as-recorded 2026-10-01", code=2).err
    assert "--apply and --as-recorded do not go together" in err


def test_changes_since_lists_what_moved_the_figures(ledger: None) -> None:
    moment = next_second()
    later_changes()
    stamp = moment.isoformat()
    data = run(f"report monthly --month 2026-10 --format json --changes-since {stamp}").json()
    since = data["changes_since"]
    since_local = (moment + dt.timedelta(hours=8)).replace(tzinfo=None)
    assert since["since"] == since_local.isoformat()
    rows = since["changes"]
    got = [(r["action"], r["ref"], r["day"]) for r in rows]
    # Every change, oldest first; the dispute found on 28 September counts in October's
    # comparison with last month, so it is listed too. Nothing dated after October is.
    assert got == [
        ("case.edit", "AJ-2026-0001", "2026-10-09"),
        ("accident.edit", "SG-2026-0001", "2026-10-13"),
        ("dispute.edit", "JF-2026-0003", "2026-09-10"),
        ("patrol.edit", "XL-2026-0001", "2026-10-12"),
        ("dispute.edit-note", "JF-2026-0001", "2026-10-01"),
        ("dispute.add", "JF-2026-0006", "2026-10-20"),
        ("dispute.add", "JF-2026-0007", "2026-09-28"),
        ("dispute.resolve", "JF-2026-0002", "2026-10-05"),
        ("dispute.progress", "JF-2026-0003", "2026-09-10"),
        ("accident.add", "SG-2026-0002", "2026-10-25"),
        ("case.add", "AJ-2026-0003", "2026-10-02"),
        ("hazard.rectify", "YH-2026-0002", "2026-06-01"),
        ("person.visit", "ZD-2026-0001", "2026-09-01"),
        ("patrol.add", "XL-2026-0003", "2026-10-15"),
        *[("subject.grade", v, None) for v in ("城庄村", "李家湾村", "前进村", "五和居")],
        ("config.set", "accident_death_breaks", None),
        ("config.set", "visit_days_high", None),
        ("subject.update", "前进村", None),
        ("subject.add", "新村", None),
    ]
    assert [r["change"] for r in rows[:6]] == ["edited"] * 4 + ["entry edited", "added"]
    assert rows[0]["operator"] == "tester" and rows[0]["reason"] == "录入有误"
    assert rows[1]["fields"] == "deaths: 1 → 0"
    assert rows[2]["fields"] == "found: 2026-10-10 → 2026-09-10"
    assert rows[0]["fields"] == "village: 城庄村 → 李家湾村"
    assert rows[3]["fields"] == "villages: 城庄村、李家湾村 → 前进村、五和居"
    assert rows[4]["fields"] == "note.text: 调解成功 → 调解成功，已签协议"
    assert rows[7]["change"] == "step" and rows[18]["change"] == "setting"
    assert dt.datetime.fromisoformat(rows[0]["at"]) > since_local
    assert rows[7]["fields"].startswith("status: open → resolved; resolved on: none → 2026-10-30")
    assert rows[18]["fields"] == "accident_death_breaks: true → false"
    assert rows[20]["fields"] == "households: none → 200; population: none → 600"
    # The rest of the report is today's.
    assert data["accidents"]["total"] == 2

    # Nothing after the moment: an empty list; with --as-recorded the same moment, too.
    now = dt.datetime.now(dt.UTC).isoformat()
    assert (
        run(f"report monthly --format json --changes-since {now}").json()["changes_since"][
            "changes"
        ]
        == []
    )
    both = run(f"report monthly --format json --as-recorded {stamp} --changes-since {stamp}").json()
    assert both["changes_since"]["changes"] == [] and both["accidents"]["total"] == 1

    # Every format the report has carries the table, with Chinese headings in Chinese.
    table = run(f"--lang zh report monthly --changes-since {stamp}").out
    assert "以来的变动（22 项）" in table and "新增" in table and "JF-2026-0006" in table
    assert "办理" in table and "设置" in table and "户数: 空 → 200" in table
    for heading in ("时间", "操作人", "变动", "操作", "编号", "记录日期", "变动内容", "原因"):
        assert heading in table, heading
    csv = run(f"report monthly --format csv --changes-since {stamp}").out
    assert "JF-2026-0006" in csv and "fields changed" in csv
    assert "JF-2026-0006" in run(f"report monthly --format markdown --changes-since {stamp}").out
    assert "JF-2026-0006" in run(f"report monthly --format html --changes-since {stamp}").out
    assert "JF-2026-0006" in run(f"report monthly --format text --changes-since {stamp}").out


def test_a_later_month_leaves_out_nothing_and_an_earlier_one_more(ledger: None) -> None:
    moment = next_second()
    add_dispute("城庄村", "debt", "2026-10-20")
    stamp = moment.isoformat()
    september = run(f"report monthly --month 2026-09 --format json --changes-since {stamp}")
    assert september.json()["changes_since"]["changes"] == []
    october = run(f"report monthly --month 2026-10 --format json --changes-since {stamp}")
    assert [r["ref"] for r in october.json()["changes_since"]["changes"]] == ["JF-2026-0006"]


def test_rewind_puts_every_row_back(ledger: None) -> None:
    """Every table as it was at the moment (the reference counters aside: numbers handed out
    stay taken), seen inside the rewinding transaction, which then leaves nothing behind."""
    from sqlalchemy import inspect, text

    from sanling.db import resolve_url, session_scope
    from sanling.ledger import recorded
    from sanling.ledger.base import Ledger

    then = dump()
    moment = next_second()
    later_changes()
    now = dump()
    with session_scope(resolve_url(None), write=True, commit=False) as session:
        lx = Ledger(session)
        assert recorded.rewind(lx, moment.replace(tzinfo=None)) == 22
        conn = session.connection()
        rewound = {
            t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"')).all()), key=repr)
            for t in sorted(inspect(conn).get_table_names())
        }
        assert lx.today == dt.date(2026, 10, 31)
    for table in (then, rewound):
        table.pop("ref_counters")
    assert rewound == then
    assert dump() == now


def test_changes_since_of_one_town(ledger: None) -> None:
    moment = next_second()
    run("town add 安业乡")
    run("subject add 安家村 --kind village --town 安业乡")
    add_dispute("安家村", "debt", "2026-10-20", "--town", "安业乡")
    add_dispute("城庄村", "debt", "2026-10-21")
    run("config set due_soon_days 5")
    stamp = moment.isoformat()

    def refs(*town: str) -> list[str]:
        args = ["report", "monthly", "-f", "json", "--changes-since", stamp, *town]
        return [r["ref"] for r in run(*args).json()["changes_since"]["changes"]]

    every = ["安业乡", "安家村", "JF-2026-0006", "JF-2026-0007", "due_soon_days"]
    assert refs() == every
    assert refs("--town", "城庄镇") == ["JF-2026-0007", "due_soon_days"]
    assert refs("--town", "安业乡") == ["安业乡", "安家村", "JF-2026-0006", "due_soon_days"]


def test_staff_added_later_is_taken_out(ledger: None) -> None:
    """A member added after the moment (in a village added after it too), and one moved into
    that village, are rewound: no row is left naming the village taken out."""
    run("staff add 甲 --phone 13800000001")
    printed = run("report monthly --month 2026-10 --format json").out
    stamp = next_second().isoformat()
    run("subject add 新村 --kind village")
    run("staff add 乙 --phone 13800000002 --village 新村")
    run("staff edit 甲 --village 新村 --role 调解员")
    run("staff remove 甲")
    before = dump()
    assert run(f"report monthly --month 2026-10 --format json --as-recorded {stamp}").out == printed
    assert dump() == before
    # The roster itself as it was: 甲 back in no village, on the roster, the phone untouched
    # (the log holds it masked).
    from sanling.db import resolve_url, session_scope
    from sanling.ledger import recorded
    from sanling.ledger.base import Ledger
    from sanling.models import Staff

    with session_scope(resolve_url(None), write=True, commit=False) as session:
        recorded.rewind(Ledger(session), dt.datetime.fromisoformat(stamp).replace(tzinfo=None))
        rows = [(m.name, m.phone, m.village_id, m.active) for m in session.query(Staff)]
        assert rows == [("甲", "13800000001", None, True)]


def test_every_table_and_audited_noun_is_known_to_rewinding() -> None:
    """Each table is rewound (a record's, its log's, a card's, a delivery's) or named as not
    rewound, and each noun of an audited action is a record's table or named as none: a new
    table or action that `--as-recorded` would leave as it is now fails here."""
    import re

    from sanling.ledger import recorded
    from sanling.models import Base, GradeChange, PatrolVillage

    known: set[str] = {m.__tablename__ for m in recorded.MODELS.values()}
    known |= {fk.table.name for logs in recorded.CHILDREN.values() for fk in logs}
    known |= {m.__table__.name for m in (*recorded.BESIDE.values(), *recorded.SENT)}
    known |= {PatrolVillage.__tablename__, GradeChange.__tablename__}
    tables = set(Base.metadata.tables)
    assert tables - known - recorded.NOT_REWOUND == set()
    assert tables >= recorded.NOT_REWOUND
    source = Path(recorded.__file__).parents[1]
    nouns = {
        noun
        for path in source.rglob("*.py")
        for noun in re.findall(r"audit\(\s*\"([a-z_]+)[.\"]", path.read_text(encoding="utf-8"))
    }
    assert "staff" in nouns and "remind" in nouns
    assert nouns - set(recorded.MODELS) - recorded.NOT_RECORDS == set()
