"""A petition's life under the 信访工作条例 (2022), issue 16 item 1: its deadlines from its dates
(acceptance Art. 31, the reply and its one extension Art. 32-33, 复查 Art. 35, 复核 Art. 36),
the steps refused out of order, `list --status`, the on-time rates of the reports, the
petitioner masked, and migration 0007 of the petitions a ledger already holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import PG_URL, fail, run


def add(date: str, *extra: str, village: str = "城庄村") -> str:
    """A petition received on `date`; its reference number."""
    ref: str = run(
        "petition",
        "add",
        "--village",
        village,
        "--form",
        "visit",
        "--level",
        "town",
        "--summary",
        "反映宅基地纠纷",
        "--date",
        date,
        *extra,
        "-f",
        "json",
    ).json()["ref"]
    return ref


def show(ref: str, *extra: str) -> dict[str, Any]:
    data: dict[str, Any] = run("petition", "show", ref, *extra, "-f", "json").json()
    return data


def life(data: dict[str, Any]) -> tuple[str, str | None, bool]:
    return data["stage"], data["due"], data["overdue"]


# ---- a whole life, its deadlines exact ---------------------------------------------------------
def test_deadlines_of_a_whole_life_with_extension_review_and_recheck(villages: list[str]) -> None:
    ref = add("2026-01-05", "--handler", "王强")
    p = show(ref)
    assert p["accept_due"] == "2026-01-20"  # 15 days (Art. 31)
    assert life(show(ref, "--as-of", "2026-01-20")) == ("received", "2026-01-20", False)
    assert life(show(ref, "--as-of", "2026-01-21")) == ("received", "2026-01-20", True)

    run("petition", "accept", ref, "--date", "2026-01-15")
    p = show(ref)
    assert (p["accepted_on"], p["reply_due"]) == ("2026-01-15", "2026-03-16")  # 60 days
    assert life(show(ref, "--as-of", "2026-01-14")) == ("received", "2026-01-20", False)

    run(
        *("petition", "extend", ref, "--days", "30", "--reason", "需多部门会商"),
        *("--approved-by", "刘镇长", "--date", "2026-03-10"),
    )
    p = show(ref)
    assert (p["extended_to"], p["extend_approved_by"]) == ("2026-04-15", "刘镇长")
    assert p["reply_due"] == "2026-03-16"  # the original deadline is kept
    assert life(show(ref, "--as-of", "2026-03-09")) == ("accepted", "2026-03-16", False)
    assert life(show(ref, "--as-of", "2026-03-20")) == ("accepted", "2026-04-15", False)
    assert life(show(ref, "--as-of", "2026-04-16")) == ("accepted", "2026-04-15", True)

    run("petition", "reply", ref, "--date", "2026-04-10", "--note", "依法答复")
    assert life(show(ref, "--as-of", "2026-04-10")) == ("replied", None, False)

    run("petition", "review", ref, "--stage", "review", "--requested", "2026-05-05")
    p = show(ref)
    assert (p["stage"], p["review_due"]) == ("review", "2026-06-04")  # 30 days (Art. 35)
    run(
        *("petition", "review", ref, "--stage", "review", "--decided", "2026-06-01"),
        *("--result", "维持原答复"),
    )
    run(
        *("petition", "review", ref, "--stage", "recheck", "--requested", "2026-06-20"),
        *("--decided", "2026-07-15", "--result", "维持"),
    )
    p = show(ref)
    assert (p["recheck_due"], p["stage"], p["due"]) == ("2026-07-20", "closed", None)
    assert life(show(ref, "--as-of", "2026-07-01")) == ("recheck", "2026-07-20", False)
    assert [(s["step"], s["step_due"], s["done_on"], s["on_time"]) for s in p["steps"]] == [
        ("acceptance told", "2026-01-20", "2026-01-15", True),
        ("written reply", "2026-04-15", "2026-04-10", True),
        ("review decided", "2026-06-04", "2026-06-01", True),
        ("recheck decided", "2026-07-20", "2026-07-15", True),
    ]
    actions = [e["action"] for e in run("log", "--ref", ref, "-f", "json").json()]
    assert actions[::-1] == [
        "petition.add",
        "petition.accept",
        "petition.extend",
        "petition.reply",
        "petition.review",
        "petition.review",
        "petition.recheck",
    ]
    # After the 复核 the same matter is not accepted again (Art. 36): no step at all.
    for step in (
        ("accept", ref),
        ("reply", ref),
        ("review", ref, "--stage", "recheck", "--decided", "2026-08-01"),
    ):
        err = fail("petition", *step).err
        assert "closed by its recheck on 2026-07-15" in err and "Art. 36" in err
    run("db check")


def test_the_limits_are_settings_fixed_on_the_day_of_each_step(villages: list[str]) -> None:
    run("config set petition_accept_days 10")
    run("config set petition_reply_days 30")
    ref = add("2026-09-01")
    assert show(ref)["accept_due"] == "2026-09-11"
    run("petition", "accept", ref, "--date", "2026-09-05")
    assert show(ref)["reply_due"] == "2026-10-05"
    run("config set petition_reply_days 60")  # a later change moves no deadline told
    assert show(ref)["reply_due"] == "2026-10-05"
    run("config set petition_extend_max_days 10")
    err = fail(
        *("petition", "extend", ref, "--days", "11", "--reason", "x", "--approved-by", "刘")
    ).err
    assert "the extension must be 1 to 10 days, got 11" in err
    assert any(e["action"] == "config.set" for e in run("log -f json").json())


# ---- steps refused out of order -----------------------------------------------------------------
def test_steps_out_of_order_are_refused_in_chinese_with_a_hint(
    villages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANLING_LANG", "zh")
    ref = add("2026-09-01")
    err = fail("petition", "reply", ref).err
    assert err.startswith("error: XF-2026-0001 尚未受理，不能答复")
    assert "petition accept XF-2026-0001" in err
    err = fail("petition", "review", ref, "--stage", "review", "--requested", "2026-10-01").err
    assert "尚未答复，不能申请复查" in err
    fail("petition", "accept", ref, "--date", "2026-08-31")  # before it was received
    run("petition", "accept", ref, "--date", "2026-09-03")
    assert "已于 2026-09-03 受理" in fail("petition", "accept", ref).err
    assert "已于 2026-09-03 受理" in fail("petition", "refuse", ref, "--reason", "x").err
    extend = ("petition", "extend", ref, "--reason", "复杂", "--approved-by", "刘镇长")
    run(*extend, "--days", "20", "--date", "2026-10-01")
    err = fail(*extend, "--days", "5", "--date", "2026-10-02").err
    assert "只能延期一次" in err and "第三十三条" in err
    run("petition", "reply", ref, "--date", "2026-10-20")
    assert "已于 2026-10-20 答复" in fail("petition", "reply", ref).err
    err = fail("petition", "review", ref, "--stage", "recheck", "--requested", "2026-10-25").err
    assert "尚无复查决定，不能申请复核" in err


def test_a_late_extension_a_late_review_and_force(villages: list[str]) -> None:
    ref = add("2026-06-01")
    run("petition", "accept", ref, "--date", "2026-06-02")  # reply due 2026-08-01
    err = fail(
        *("petition", "extend", ref, "--days", "10", "--reason", "x"),
        *("--approved-by", "刘", "--date", "2026-08-02"),
    ).err
    assert "reply was due 2026-08-01" in err
    run("petition", "reply", ref, "--date", "2026-08-01")
    review = ("petition", "review", ref, "--stage", "review")
    err = fail(*review, "--requested", "2026-09-01").err  # the window ends 2026-08-31
    assert "after the 30-day window (to 2026-08-31)" in err and "--force" in err
    run(*review, "--requested", "2026-09-01", "--force")
    assert show(ref)["review_due"] == "2026-10-01"
    assert "--decided" in fail(*review).err
    assert "requested on 2026-09-01" in fail(*review, "--requested", "2026-09-02").err
    fail(*review, "--decided", "2026-08-31")  # before the request


def test_a_refused_petition_takes_no_further_step(villages: list[str]) -> None:
    ref = add("2026-10-01")
    fail("petition", "refuse", ref, "--reason", " ")
    run("petition", "refuse", ref, "--reason", "不属于本机关职权范围", "--date", "2026-10-08")
    p = show(ref)
    assert (p["stage"], p["due"], p["refuse_reason"]) == ("refused", None, "不属于本机关职权范围")
    assert [s["step"] for s in p["steps"]] == ["refusal told"]
    assert "was not accepted" in fail("petition", "reply", ref).err


# ---- list --status ------------------------------------------------------------------------------
def _month_of_petitions() -> dict[str, str]:
    """Petitions around October 2026 (today is 2026-10-31), by name."""
    refs = {
        "A": add("2026-09-20", "--handler", "王强"),
        "B": add("2026-09-10", "--handler", "李明"),
        "C": add("2026-10-01", "--handler", "王强"),
        "D": add("2026-10-05", "--handler", "李明"),  # never accepted: overdue 2026-10-20
        "E": add("2026-10-25"),  # acceptance due 2026-11-09
        "F": add("2026-07-01"),
        "G": add("2026-07-10"),
        "I": add("2026-10-12"),
    }
    accept = {"A": "2026-10-02", "B": "2026-10-03", "C": "2026-10-10"}
    accept |= {"F": "2026-07-05", "G": "2026-07-11"}
    for name, day in accept.items():
        run("petition", "accept", refs[name], "--date", day)
    run(
        *("petition", "extend", refs["F"], "--days", "30", "--reason", "复杂"),
        *("--approved-by", "刘镇长", "--date", "2026-09-01"),
    )
    run("petition", "reply", refs["F"], "--date", "2026-10-02")  # due 10-03 after extension
    run("petition", "reply", refs["G"], "--date", "2026-10-08")  # due 09-09: late
    run("petition", "refuse", refs["I"], "--reason", "已进入诉讼程序", "--date", "2026-10-14")
    return refs


def _listed(*args: str) -> list[str]:
    return [r["ref"] for r in run("petition", "list", *args, "-f", "json").json()]


def test_list_by_status_as_of_a_date(villages: list[str]) -> None:
    refs = _month_of_petitions()
    name = {ref: n for n, ref in refs.items()}

    def names(*args: str) -> list[str]:
        return sorted(name[r] for r in _listed(*args))

    assert names("--status", "overdue") == ["D"]
    assert names("--status", "open") == ["A", "B", "C", "D", "E"]
    assert names("--status", "received") == ["D", "E"]
    assert names("--status", "accepted") == ["A", "B", "C"]
    assert names("--status", "replied") == ["F", "G"]
    assert names("--status", "refused") == ["I"]
    assert names("--status", "closed") == []
    assert names("--status", "overdue", "--handler", "李明") == ["D"]
    # due-soon: within the bulletin's 3 days; E's acceptance is due 2026-11-09
    assert names("--status", "due-soon") == []
    assert names("--status", "due-soon", "--as-of", "2026-11-06") == ["E"]
    assert names("--status", "overdue", "--as-of", "2026-10-01") == ["B", "G"]
    assert names("--status", "逾期") == ["D"]
    d = next(r for r in run("petition list -f json").json() if r["ref"] == refs["D"])
    assert (d["stage"], d["due"], d["days_overdue"]) == ("received", "2026-10-20", 11)
    err = run("petition", "list", "--status", "late", code=2).err
    assert "overdue" in err and "due-soon" in err


# ---- the reports' on-time rates -------------------------------------------------------------
def test_on_time_rates_of_the_month_the_year_and_the_bulletin(villages: list[str]) -> None:
    """Each petition counts once, in the period its deadline falls in (up to the as-of day),
    whether the step was taken or not; a refusal told in time is a 告知 on time."""
    _month_of_petitions()
    monthly = run("report monthly --month 2026-10 -f json").json()["petition_limits"]
    assert monthly == {
        # 告知 due in October: A 10-05 (on time), C 10-16 (on time), D 10-20 (never told),
        # I 10-27 (refused 10-14, on time); E's is due 11-09, B's fell due 09-25
        "accept_due": 4,
        "accepted_on_time": 3,
        "accept_rate": 75.0,
        "reply_due": 1,  # F, due 10-03 after its extension (on time); G's fell due 09-09
        "replied_on_time": 1,
        "reply_rate": 100.0,
        "open": 5,  # A B C D E
        "overdue": 1,  # D
    }
    annual = run("report annual --year 2026 -f json").json()["petition_limits"]
    assert annual == {
        **monthly,
        "accept_due": 7,  # and B (late), F, G (on time)
        "accepted_on_time": 5,
        "accept_rate": 71.4,
        "reply_due": 2,  # and G, replied late
        "replied_on_time": 1,
        "reply_rate": 50.0,
    }
    bulletin = run("report bulletin -f json").json()["petitions"]
    assert bulletin == annual
    september = run("report monthly --month 2026-09 -f json").json()["petition_limits"]
    assert (september["accept_due"], september["accept_rate"]) == (1, 0.0)  # B, told late
    assert (september["reply_due"], september["reply_rate"]) == (1, 0.0)  # G, replied late
    assert (september["open"], september["overdue"]) == (4, 2)  # A B F G; B and G late
    august = run("report monthly --month 2026-08 -f json").json()["petition_limits"]
    assert (august["accept_due"], august["accept_rate"]) == (0, None)

    for report, key, rows in (
        ("report monthly --month 2026-10", "petition_limits.accept_rate", 4),
        ("report monthly --month 2026-10", "petition_limits.accepted_on_time", 3),
        ("report monthly --month 2026-10", "petition_limits.overdue", 1),
        ("report annual --year 2026", "petition_limits.reply_rate", 2),
        ("report bulletin", "petitions.open", 5),
    ):
        listed = run(f"{report} --explain {key} -f json").json()
        assert len(listed) == rows, key
    marked = run("report annual --year 2026 --explain petition_limits.reply_rate -f json")
    assert sorted(r["counted"] for r in marked.json()) == [False, True]
    told = run("report monthly --month 2026-10 --explain petition_limits.accept_rate -f json")
    counted = {r["ref"]: r["counted"] for r in told.json()}
    assert sorted(counted.values()) == [False, True, True, True]
    refused = next(r for r in told.json() if r["refused_on"] is not None)
    assert (refused["refused_on"], refused["counted"]) == ("2026-10-14", True)
    never = next(r for r in told.json() if not r["counted"])
    assert (never["accepted_on"], never["refused_on"], never["accept_due"]) == (
        None,
        None,
        "2026-10-20",
    )


def test_the_bulletin_text_tells_the_petitions(
    villages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _month_of_petitions()
    monkeypatch.setenv("SANLING_LANG", "zh")
    text = run("report bulletin -f text").out
    assert "信访：在办5件，其中逾期1件；今年按期受理率71.4%，按期办结率50.0%。" in text


def test_explain_overdue_shows_the_step_owed_and_its_deadline(villages: list[str]) -> None:
    ref = add("2026-06-01")
    run("petition", "accept", ref, "--date", "2026-06-05")
    run("petition", "reply", ref, "--date", "2026-07-01")
    run(*("petition", "review", ref, "--stage", "review", "--requested", "2026-07-10"))
    rows = run("report bulletin --explain petitions.overdue -f json").json()
    assert [(r["ref"], r["owed"], r["owed_due"]) for r in rows] == [
        (ref, "review decided", "2026-08-09")
    ]


# ---- the petitioner: personal data ----------------------------------------------------------
def _with_petitioner() -> str:
    return add("2026-10-01", "--petitioner", "张三丰", "--phone", "139 1234 5678")


def _exported(tmp_path: Path) -> str:
    run("export", "petitions", "-o", str(tmp_path / "p.csv"))
    return (tmp_path / "p.csv").read_text(encoding="utf-8-sig")


def test_the_phone_is_masked_in_list_show_and_export(villages: list[str], tmp_path: Path) -> None:
    ref = _with_petitioner()
    assert show(ref)["phone"] == "139****5678"
    assert run("petition list -f json").json()[0]["phone"] == "139****5678"
    assert "139****5678" in _exported(tmp_path) and "13912345678" not in _exported(tmp_path)


def test_the_petitioner_is_masked_in_list_show_and_export(
    villages: list[str], tmp_path: Path
) -> None:
    ref = _with_petitioner()
    assert show(ref)["petitioner"] == "张**"
    assert run("petition list -f json").json()[0]["petitioner"] == "张**"
    assert "张三丰" not in _exported(tmp_path)


def test_the_audit_log_holds_no_petitioner_in_clear(villages: list[str]) -> None:
    _with_petitioner()
    log = run("log -f json").out
    assert "张三丰" not in log and "13912345678" not in log
    run("db check")


def test_reveal_shows_the_petitioner_and_is_audited(villages: list[str]) -> None:
    ref = _with_petitioner()
    assert show(ref, "--reveal")["petitioner"] == "张三丰"
    assert show(ref, "--reveal")["phone"] == "13912345678"
    rows = run("petition list --reveal -f json").json()
    assert (rows[0]["petitioner"], rows[0]["phone"]) == ("张三丰", "13912345678")
    reveals = [e for e in run("log -f json").json() if e["action"] == "petition.reveal"]
    assert [e["after"] for e in reveals] == [  # newest first
        f"refs={ref}; count=1; via=petition list",
        f"refs={ref}; count=1; via=petition show",
        f"refs={ref}; count=1; via=petition show",
    ]
    run("db check")


# ---- import ----------------------------------------------------------------------------------
def test_import_reads_petitioner_handler_and_steps(villages: list[str], tmp_path: Path) -> None:
    path = tmp_path / "信访台账.csv"
    path.write_text(
        "信访日期,信访形式,信访人,联系电话,信访事项,所属村,首办责任人,受理告知日期,答复时间,"
        "答复意见,不予受理日期,不予受理理由\n"
        "2026-09-01,来访,张某,13800000000,反映道路积水,城庄村,王强,2026-09-05,2026-10-20,"
        "已修复,,\n"
        "2026-09-02,来信,李某,,反映噪音,李家湾村,李明,,2026-10-01,已答复,,\n"
        "2026-09-03,来访,王某,,反映低保,前进村,,,,,2026-09-10,已进入行政复议\n",
        encoding="utf-8",
    )
    summary = run("import", "petitions", str(path), "-f", "json").json()
    assert summary["added"] == 3
    got = [
        (p["stage"], p["handler"], p["accepted_on"], p["replied_on"], p["refused_on"])
        for p in (show(f"XF-2026-000{n}") for n in (1, 2, 3))
    ]
    assert got == [
        ("replied", "王强", "2026-09-05", "2026-10-20", None),
        ("replied", "李明", "2026-09-02", "2026-10-01", None),  # accepted on receipt
        ("refused", None, None, None, "2026-09-10"),
    ]
    assert show("XF-2026-0001", "--reveal")["petitioner"] == "张某"
    run("db check")


# ---- migration 0007 ----------------------------------------------------------------------
@pytest.mark.skipif(bool(PG_URL), reason="rebuilds a SQLite ledger at revision 0005")
def test_migration_makes_existing_petitions_accepted_or_open(villages: list[str]) -> None:
    """Petitions of a 0005 ledger: handled at source ones become accepted on their date (the
    reply due 60 days later), the others received only (acceptance due 15 days later)."""
    from sqlalchemy import create_engine, text

    from sanling import db, migrate

    handled = add("2026-08-01", "--handled-at-source")
    received = add("2026-10-20")
    engine = create_engine(db.resolve_url(None))
    try:
        migrate.downgrade(engine, "0005")
        with engine.connect() as conn:
            columns = [r[1] for r in conn.execute(text("PRAGMA table_info(petitions)"))]
            assert "accepted_on" not in columns and "petitioner" not in columns
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    h, r = show(handled), show(received)
    assert (h["stage"], h["accepted_on"], h["reply_due"], h["accept_due"]) == (
        "accepted",
        "2026-08-01",
        "2026-09-30",
        "2026-08-16",
    )
    assert (h["overdue"], h["days_overdue"]) == (True, 31)
    assert (r["stage"], r["accepted_on"], r["accept_due"], r["overdue"]) == (
        "received",
        None,
        "2026-11-04",
        False,
    )
    run("db check")
    run("petition", "reply", handled, "--date", "2026-10-30")
    assert show(handled)["stage"] == "replied"


def test_next_deadline_of_one_record_agrees_with_sql(villages: list[str]) -> None:
    """The rules h16d's `sanling remind` reads: per record and in SQL, the same answer."""
    from sqlalchemy import select

    from sanling.db import resolve_url, session_scope
    from sanling.ledger import petition as petitions
    from sanling.ledger.base import Ledger
    from sanling.models import Petition

    _month_of_petitions()
    day = dt.date(2026, 10, 31)
    with session_scope(resolve_url(None), write=False) as session:
        lx = Ledger(session, today=day)
        all_ = list(lx.session.scalars(select(Petition).order_by(Petition.id)))
        overdue = set(lx.session.scalars(select(Petition.ref).where(petitions.overdue_sql(day))))
        soon = set(lx.session.scalars(select(Petition.ref).where(petitions.due_soon_sql(day, 10))))
        assert overdue == {p.ref for p in all_ if petitions.days_overdue(p, day)}
        assert soon == {p.ref for p in all_ if petitions.is_due_soon(p, day, 10)}
        assert [str(petitions.next_deadline(p, day)) for p in all_] == [
            "2026-12-01",  # A: accepted 10-02, reply due
            "2026-12-02",  # B
            "2026-12-09",  # C
            "2026-10-20",  # D: acceptance overdue
            "2026-11-09",  # E
            "None",  # F replied
            "None",  # G replied
            "None",  # I refused
        ]
        assert soon == {"XF-2026-0005"}  # E within 10 days


def test_an_edit_of_the_date_moves_the_acceptance_deadline_and_keeps_the_order(
    villages: list[str],
) -> None:
    ref = add("2026-10-01", "--handler", "王强")
    run("petition", "edit", ref, "--date", "2026-10-03", "--reason", "登记日期录错")
    assert show(ref)["accept_due"] == "2026-10-18"
    run("petition", "accept", ref, "--date", "2026-10-05")
    err = fail("petition", "edit", ref, "--date", "2026-10-06", "--reason", "x").err
    assert "accepted on of 2026-10-05" in err
    run("petition", "edit", ref, "--handler", "李明", "--reason", "换人")
    p = show(ref)
    assert (p["handler"], p["accepted_on"], p["reply_due"]) == ("李明", "2026-10-05", "2026-12-04")
    run("db check")


def test_db_check_finds_steps_out_of_order_written_behind_sanlings_back(
    villages: list[str],
) -> None:
    from sqlalchemy import create_engine, text

    from sanling import db

    ref = add("2026-10-01")
    run("petition", "accept", ref, "--date", "2026-10-02")
    run("petition", "reply", ref, "--date", "2026-10-03")
    run("db check")
    engine = create_engine(db.resolve_url(None))
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE petitions SET replied_on = '2026-09-30'"))
    finally:
        engine.dispose()
    out = run("db check", code=1).out
    assert f"{ref}: replied before it was accepted" in out


def test_export_reveal_writes_petitioners_in_clear_owner_only_and_audited(
    villages: list[str], tmp_path: Path
) -> None:
    import stat

    ref = _with_petitioner()
    add("2026-10-02")  # no petitioner: not among the records revealed
    path = tmp_path / "p.csv"
    run("export", "petitions", "-o", str(path), "--reveal")
    text = path.read_text(encoding="utf-8-sig")
    assert "张三丰" in text and "13912345678" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    entry = run("log -f json").json()[0]
    assert (entry["action"], entry["after"]) == (
        "petition.reveal",
        f"refs={ref}; count=1; via=export p.csv",
    )
    run("db check")


def test_an_old_ledgers_petitions_after_the_upgrade(ledger_env: str) -> None:
    """The committed 0001 fixture (tests/fixtures): XF-2026-0001 (city, not handled at source)
    is open, awaiting acceptance; XF-2026-0002 (handled at source) is accepted on its date."""
    import shutil

    from tests.helpers import PG_URL

    if PG_URL:
        pytest.skip("the fixture is an SQLite file (test_upgrade_fixture copies it to PostgreSQL)")
    fixture = Path(__file__).parent / "fixtures" / "ledger-0001.db"
    shutil.copy(fixture, ledger_env)
    run("db upgrade")
    got = {
        r["ref"]: (r["stage"], r["due"], r["overdue"])
        for r in run("petition list --town 城庄镇 -f json").json()
    }
    assert got == {
        "XF-2026-0001": ("received", "2026-10-23", True),  # received 10-08, today 10-31
        "XF-2026-0002": ("accepted", "2026-12-08", False),  # accepted 10-09, reply + 60
    }
    audit = [e["action"] for e in run("log -f json").json()]
    assert "migrate.0007" not in audit  # its trail names none of the new columns
    run("db check")
    run("petition", "accept", "XF-2026-0001", "--date", "2026-10-30")
    assert show("XF-2026-0001")["reply_due"] == "2026-12-29"


# ---- the reviewer's findings (issue 16 review) ----------------------------------------------
def test_show_as_of_a_day_hides_the_steps_taken_after_it(villages: list[str]) -> None:
    ref = add("2026-06-01")
    run("petition", "accept", ref, "--date", "2026-06-10")
    run("petition", "reply", ref, "--date", "2026-08-15", "--note", "已书面答复")
    then = show(ref, "--as-of", "2026-06-05")
    assert (then["stage"], then["accepted_on"], then["reply_due"]) == ("received", None, None)
    assert (then["replied_on"], then["reply_note"]) == (None, None)
    assert [(s["step"], s["done_on"]) for s in then["steps"]] == [("acceptance told", None)]
    mid = show(ref, "--as-of", "2026-07-01")
    assert (mid["accepted_on"], mid["reply_due"], mid["replied_on"]) == (
        "2026-06-10",
        "2026-08-09",
        None,
    )
    assert show(ref)["replied_on"] == "2026-08-15"


def test_the_not_found_hint_shows_the_kinds_own_prefix(
    villages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANLING_LANG", "zh")
    assert "编号形如 XF-2026-0007" in fail("petition", "show", "XF-2026-9999").err
    assert "编号形如 JA-2026-0007" in fail("backlog", "show", "JA-2026-9999").err
    assert "编号形如 ZD-2026-0007" in fail("person", "show", "ZD-2026-9999").err


def test_a_bad_status_lists_every_value_with_one_separator(
    villages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANLING_LANG", "zh")
    err = " ".join(run("petition", "list", "--status", "bogus", code=2).err.split())
    assert (
        "可选：received 待受理, accepted 办理中, refused 不予受理, replied 已答复, review 复查中,"
        " reviewed 已复查, recheck 复核中, closed 复核终结, open 未办结, overdue 逾期,"
        " due-soon 临期"
    ) in err
    assert "、" not in err
    assert _listed("--status", "未办结") == []


def test_the_form_help_lists_every_form(villages: list[str]) -> None:
    text = " ".join(run("petition", "add", "--help").out.split())
    for form in ("visit", "letter", "online", "hotline", "phone 电话来访", "referral 部门转入"):
        assert form in text


def test_an_empty_list_says_so_at_any_width(
    villages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANLING_LANG", "zh")
    add("2026-10-01")
    for width in ("80", "200"):
        monkeypatch.setenv("COLUMNS", width)
        out = run("petition", "list", "--status", "refused", "--village", "城庄村").out
        assert out.strip().endswith("（无记录）"), width
        assert run("dispute", "list", "--status", "referred").out.strip().endswith("（无记录）")
