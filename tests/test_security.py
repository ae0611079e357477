"""Hardening (issue 15, items 1-4 and 6-10): stored text never acts (no formula in a
spreadsheet, no markup or escape sequence on a terminal, no HTML in Markdown), `-o` never
replaces what is not a regular file, settings are checked against their audit trail, a reveal
is audited when the data left, more personal data is masked, files take safe modes, and a
webhook's credentials are never shown."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import PG_URL, audit_text, dump, fail, run

sqlite_only = pytest.mark.skipif(bool(PG_URL), reason="works on the SQLite file itself")

EVIL_VILLAGE = "=cmd|' /C calc'!A0"
FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+2",
    "-2+3",
    "@SUM(1+1)",
]


def _dispute(village: str, summary: str, handler: str, found: str = "2026-10-01") -> str:
    return run(
        "dispute",
        "add",
        "--village",
        village,
        "--category",
        "land",
        "--summary",
        summary,
        "--handler",
        handler,
        "--found",
        found,
        "-f",
        "json",
    ).json()["ref"]


@pytest.fixture
def hostile(villages: list[str]) -> list[str]:
    """A village named like a formula and disputes whose summary and handler are formulas."""
    run("subject", "add", EVIL_VILLAGE, "--kind", "village")
    for i, text in enumerate(FORMULAS):
        _dispute(EVIL_VILLAGE if i == 0 else "城庄村", text, text, f"2026-10-0{i + 1}")
    return villages


# ---- 1. formula injection --------------------------------------------------------------------
def _cells(path: Path) -> Iterator[object]:
    from openpyxl import load_workbook

    for sheet in load_workbook(path):
        for row in sheet.iter_rows():
            yield from row


@pytest.mark.parametrize("report", ["bulletin", "monthly", "grading"])
def test_report_workbooks_hold_no_formula(hostile: list[str], tmp_path: Path, report: str) -> None:
    out = tmp_path / f"{report}.xlsx"
    run("report", report, "-f", "xlsx", "-o", str(out))
    cells = list(_cells(out))
    assert [c for c in cells if c.data_type == "f"] == []  # type: ignore[attr-defined]
    values = [c.value for c in cells]  # type: ignore[attr-defined]
    assert any(isinstance(v, str) and v in (EVIL_VILLAGE, *FORMULAS) for v in values)
    assert any(isinstance(v, int) and not isinstance(v, bool) for v in values)  # still numbers


def test_csv_cells_are_quoted_and_import_takes_the_quote_off(
    hostile: list[str], tmp_path: Path
) -> None:
    listed = list(csv.reader(io.StringIO(run("dispute list -f csv").out)))
    head = listed[0]
    summaries = [row[head.index("summary")] for row in listed[1:]]
    assert sorted(summaries) == sorted("'" + f for f in FORMULAS)
    assert {row[head.index("village")] for row in listed[1:]} == {"'" + EVIL_VILLAGE, "城庄村"}
    # computed numbers stay numbers: days overdue is never quoted
    assert all(row[head.index("days overdue")].isdigit() for row in listed[1:])
    report = run("report monthly -f csv").out
    assert "'" + EVIL_VILLAGE in report and "\n" + EVIL_VILLAGE not in report

    exported = tmp_path / "disputes.csv"
    run("export", "disputes", "-o", str(exported))
    records = list(csv.reader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    assert sorted(r[records[0].index("summary")] for r in records[1:]) == sorted(
        "'" + f for f in FORMULAS
    )
    # into a fresh ledger: the text comes back exactly as it was typed
    other = tmp_path / "other.db"
    run("--db", str(other), "init", "--town", "城庄镇")
    for name in (EVIL_VILLAGE, "城庄村"):
        run("--db", str(other), "subject", "add", name, "--kind", "village")
    run("--db", str(other), "import", "disputes", str(exported))
    rows = run("--db", str(other), "dispute", "list", "-f", "json").json()
    assert sorted(r["summary"] for r in rows) == sorted(FORMULAS)
    assert sorted(r["handler"] for r in rows) == sorted(FORMULAS)
    assert {r["village"] for r in rows} == {EVIL_VILLAGE, "城庄村"}


def test_export_workbook_holds_no_formula(hostile: list[str], tmp_path: Path) -> None:
    out = tmp_path / "d.xlsx"
    run("export", "disputes", "-o", str(out))
    cells = list(_cells(out))
    assert [c for c in cells if c.data_type == "f"] == []  # type: ignore[attr-defined]
    assert FORMULAS[0] in [c.value for c in cells]  # type: ignore[attr-defined]


# ---- 2. -o and what is not a regular file ----------------------------------------------------
def test_output_writes_through_a_fifo(villages: list[str], tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    run("subject", "list", "-f", "csv", "-o", str(fifo))
    thread.join(timeout=30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a FIFO, not replaced by a file
    assert "城庄村" in got[0].decode("utf-8")


def test_output_follows_a_symlink_and_refuses_a_folder(villages: list[str], tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    run("subject", "list", "-f", "csv", "-o", str(link))
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "城庄村" in target.read_text(encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    to_folder = tmp_path / "to-folder"
    to_folder.symlink_to(folder)
    r = fail("report", "bulletin", "-f", "text", "-o", str(to_folder), code=2)
    assert "is a directory" in r.err
    assert folder.is_dir() and to_folder.is_symlink() and list(folder.iterdir()) == []


def test_output_into_a_missing_folder_is_refused(villages: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "out" / "2026"
    r = fail("subject", "list", "-f", "csv", "-o", str(missing / "s.csv"))
    assert r.err == (
        f"error: the folder {missing} does not exist (hint: create it first (mkdir -p {missing}))\n"
    )
    assert not (tmp_path / "out").exists()
    r = fail("--lang", "zh", "export", "disputes", "-o", str(missing / "d.csv"))
    assert r.err.startswith(f"error: 文件夹 {missing} 不存在")
    missing.mkdir(parents=True)
    run("subject", "list", "-f", "csv", "-o", str(missing / "s.csv"))
    assert "城庄村" in (missing / "s.csv").read_text(encoding="utf-8")


def test_system_reasons_are_said_in_the_ledger_language(
    villages: list[str], tmp_path: Path
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    zh = fail("--lang", "zh", "subject", "list", "-o", str(a_file / "x.csv")).err
    assert (
        zh == f"error: 无法写入 {a_file / 'x.csv'}：路径中有一段不是文件夹 (hint: 检查路径和权限)\n"
    )
    en = fail("subject", "list", "-o", str(a_file / "x.csv")).err
    assert "cannot write" in en and "a part of the path is not a folder" in en
    if not PG_URL:  # a PostgreSQL ledger is backed up with pg_dump, not to a file by sanling
        zh = fail("--lang", "zh", "db", "backup", str(a_file / "b.db")).err
        assert zh.endswith("b.db：已有同名的文件或文件夹 (hint: 检查文件夹是否存在、是否可写)\n"), (
            zh
        )
    from sanling.errors import os_reason
    from sanling.i18n import set_lang

    set_lang("zh")
    try:
        reasons = [os_reason(OSError(n, os.strerror(n))) for n in (13, 2, 21, 28)]
    finally:
        set_lang("en")
    assert reasons == ["没有权限", "文件或文件夹不存在", "这是一个文件夹", "磁盘空间不足"]


# ---- 9. file modes ---------------------------------------------------------------------------
@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.usefixtures("umask")
def test_output_modes_follow_the_umask_and_personal_data_is_private(
    villages: list[str], tmp_path: Path
) -> None:
    for mask, mode in ((0o077, 0o600), (0o022, 0o644), (0o002, 0o664)):
        os.umask(mask)
        out = tmp_path / f"subjects-{mask:o}.csv"
        run("subject", "list", "-f", "csv", "-o", str(out))
        assert stat.S_IMODE(out.stat().st_mode) == mode, (oct(mask), oct(out.stat().st_mode))
    os.umask(0o022)
    run(*_PERSON)
    for args in (["export", "persons"], ["export", "persons", "--reveal"]):
        out = tmp_path / f"p{len(args)}.csv"
        run(*args, "-o", str(out))
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    for args in (["show", "ZD-2026-0001", "--reveal"], ["show", "ZD-2026-0001"], ["list"]):
        shown = tmp_path / f"{'-'.join(args)}.json"
        run("person", *args, "-f", "json", "-o", str(shown))
        assert stat.S_IMODE(shown.stat().st_mode) == 0o600, args


@sqlite_only
def test_init_makes_an_open_ledger_private(town: str, ledger_env: str) -> None:
    os.chmod(ledger_env, 0o644)
    r = run("init")
    assert "0600" in r.err
    assert stat.S_IMODE(os.stat(ledger_env).st_mode) == 0o600
    assert "0600" not in run("init").err  # said once, when it was changed


# ---- 3. control characters -------------------------------------------------------------------
@pytest.mark.parametrize(
    "option,value",
    [
        ("--summary", "地界\x0b纠纷"),
        ("--summary", "a\x01b"),
        ("--handler", "王\x1b[31m强"),
        ("--handler", "王\n强"),
        ("--handler", "王\t强"),
        ("--summary", "\u202eevil"),
    ],
)
def test_control_characters_are_refused(villages: list[str], option: str, value: str) -> None:
    before = dump()
    args = {"--summary": "纠纷", "--handler": "王强", option: value}
    r = fail(
        "dispute",
        "add",
        "--village",
        "城庄村",
        "--category",
        "land",
        *[x for pair in args.items() for x in pair],
    )
    assert "control character U+" in r.err
    assert dump() == before


def test_lines_and_tabs_are_kept_where_text_has_lines(villages: list[str]) -> None:
    ref = _dispute("城庄村", "第一行\n第二行\t完", "王强")
    assert run("dispute", "show", ref, "-f", "json").json()["summary"] == "第一行\n第二行\t完"


def test_import_cleans_control_characters_and_counts_them(
    villages: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        "village,category,summary,handler,found\n"
        "城庄村,land,地界\x0b纠纷\x01,王\x1b强,2026-10-01\n"
        '城庄村,debt,"欠款\n两行",李\t明,2026-10-02\n',
        encoding="utf-8",
    )
    r = run("import", "disputes", str(path))
    assert "4 control characters removed" in r.out
    rows = run("dispute list -f json").json()
    assert [(x["summary"], x["handler"]) for x in rows] == [
        ("地界纠纷", "王强"),
        ("欠款\n两行", "李 明"),
    ]
    json_summary = run("import", "disputes", str(path), "--dry-run", "-f", "json").json()
    assert json_summary["cleaned_characters"] == 4


def _smuggle(ledger: str, sql: str, **params: str) -> None:
    """Change the ledger behind sanling's back (an old ledger, a hand edit)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(ledger if "://" in ledger else f"sqlite:///{ledger}")
    with engine.begin() as conn:
        conn.execute(text(sql), params)
    engine.dispose()


def test_stored_control_characters_never_break_an_output(
    villages: list[str], ledger_env: str, tmp_path: Path
) -> None:
    ref = _dispute("城庄村", "纠纷", "王强")
    _smuggle(
        ledger_env,
        "UPDATE disputes SET summary = :summary, handler = :handler WHERE ref = :ref",
        summary="a\x0bb\x1b[2J",
        handler="x\x01y",
        ref=ref,
    )
    run("export", "disputes", "-o", str(tmp_path / "d.xlsx"))
    run("report", "bulletin", "-f", "xlsx", "-o", str(tmp_path / "b.xlsx"))
    handlers = [c.value for c in _cells(tmp_path / "b.xlsx")]  # type: ignore[attr-defined]
    assert "x\u2401y" in handlers  # the control picture, visible
    for args in (
        ["dispute", "list"],
        ["dispute", "show", ref],
        ["dispute", "list", "-f", "csv"],
        ["dispute", "show", ref, "-f", "markdown"],
        ["report", "bulletin", "-f", "text"],  # the bulletin's own lines name the handler
    ):
        out = run(*args).out
        assert "\x1b" not in out and "\x0b" not in out and "\x01" not in out, args
        assert "x\u2401y" in out, args


# ---- 4. terminal markup and Markdown ---------------------------------------------------------
def test_markup_in_stored_text_prints_literally(villages: list[str]) -> None:
    link = "[link=http://evil.example]clickme[/link]"
    ref = _dispute("城庄村", "[bold]x[/bold] <script>alert(1)</script>", link)
    card = run("dispute", "show", ref).out
    assert link in card and "[bold]x[/bold]" in card
    table = run("dispute", "list").out
    assert link in table
    md = run("dispute", "list", "-f", "markdown").out
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert r"\[link=http://evil.example\]clickme\[/link\]" in md


# ---- 6. settings checked against their audit trail -------------------------------------------
@sqlite_only
def test_a_setting_inserted_with_sql_fails_the_check_and_the_restore(
    villages: list[str], ledger_env: str, tmp_path: Path
) -> None:
    run("config set dispute_deadline_days 10")
    run("db check")
    _smuggle(ledger_env, "INSERT INTO settings VALUES ('case_criminal_breaks', 'false')")
    r = run("db check", code=1)
    assert "setting case_criminal_breaks" in r.out + r.err
    backup = tmp_path / "b.db"
    run("db", "backup", str(backup))
    r = run("db", "restore", str(backup), "--force", code=1)
    assert "case_criminal_breaks" in r.out + r.err
    # a value changed with SQL, and a secret replaced by one of the same host
    _smuggle(ledger_env, "DELETE FROM settings WHERE key = 'case_criminal_breaks'")
    run("config", "set", "bulletin_webhooks", "https://qyapi.weixin.qq.com/send?key=AAAA1111")
    run("db check")
    url = json.dumps(["https://qyapi.weixin.qq.com/send?key=BBBB2222"]).replace("'", "''")
    _smuggle(ledger_env, f"UPDATE settings SET value = '{url}' WHERE key = 'bulletin_webhooks'")
    _smuggle(ledger_env, "UPDATE settings SET value = '20' WHERE key = 'dispute_deadline_days'")
    found = run("db check", code=1)
    assert "setting bulletin_webhooks" in found.out + found.err
    assert "setting dispute_deadline_days" in found.out + found.err


# ---- 7. a reveal is audited when the data left -----------------------------------------------
_PERSON = (
    "person",
    "add",
    "--category",
    "mental",
    "--name",
    "欧阳娜娜",
    "--id-number",
    "141124198503120034",
    "--phone",
    "13897651234",
    "--address",
    "城庄镇城庄村三组十二号",
    "--guardian",
    "欧阳明",
    "--village",
    "城庄村",
)


def _reveals() -> list[object]:
    """The person.reveal entries of the audit log."""
    return [row for row in dump()["audit_log"] if "person.reveal" in row]


def test_a_failed_reveal_is_not_audited(villages: list[str], tmp_path: Path) -> None:
    run(*_PERSON)
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    r = fail("export", "persons", "--reveal", "-o", str(blocked / "x.csv"))
    assert "cannot write" in r.err
    assert _reveals() == []
    run("export", "persons", "--reveal", "-o", str(tmp_path / "p.csv"))
    run("person", "show", "ZD-2026-0001", "--reveal")
    assert len(_reveals()) == 2


def test_a_reveal_printed_before_an_error_is_audited(
    villages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sanling.ledger.base import Ledger

    run(*_PERSON)
    real = Ledger.revealed  # where every reveal (a person's, a petitioner's) is written
    calls: list[int] = []

    def flaky(*args: object) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the commit failed")
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(Ledger, "revealed", flaky)
    r = run("person", "show", "ZD-2026-0001", "--reveal", code=1)
    assert "欧阳娜娜" in r.out  # the data was shown
    assert "internal error" in r.err
    assert len(_reveals()) == 1


# ---- 8. more personal data masked ------------------------------------------------------------
def test_guardian_and_address_are_masked_and_names_keep_no_length(villages: list[str]) -> None:
    added = run(*_PERSON, "-f", "json").json()
    assert added["name"] == "欧**" and added["guardian"] == "欧**"
    assert added["address"] == "城庄镇****"
    shown = run("person", "show", "ZD-2026-0001", "-f", "json").json()
    assert (shown["guardian"], shown["address"]) == ("欧**", "城庄镇****")
    listed = run("person", "list", "-f", "csv").out
    assert "欧阳明" not in listed and "三组十二号" not in listed
    exported = run("person", "show", "ZD-2026-0001", "--reveal", "-f", "json").json()
    assert (exported["guardian"], exported["address"]) == ("欧阳明", "城庄镇城庄村三组十二号")
    log = audit_text()
    assert "欧阳明" not in log and "三组十二号" not in log


# ---- 10. webhooks ----------------------------------------------------------------------------
def test_webhook_credentials_are_masked_and_odd_schemes_refused(town: str) -> None:
    url = "https://robot:pa55word@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-KEY-123"
    said = run("config", "set", "bulletin_webhooks", url).out
    assert said.strip() == "bulletin_webhooks = https://qyapi.weixin.qq.com/******"
    for args in (["config", "get", "bulletin_webhooks"], ["config", "list", "-f", "json"]):
        out = run(*args).out
        assert "pa55word" not in out and "robot:" not in out and "SECRET-KEY-123" not in out
    log = run("log", "-f", "json").out + repr(dump()["audit_log"])
    assert "pa55word" not in log and "SECRET-KEY-123" not in log
    for bad in (
        "file:///etc/passwd",
        "ftp://user:pa55word@example.com/x",
        "http://qyapi.weixin.qq.com/send?key=SECRET-KEY-123",
        "qyapi.weixin.qq.com/send",
    ):
        r = fail("config", "set", "bulletin_webhooks", bad)
        assert "pa55word" not in r.err and "SECRET-KEY-123" not in r.err
        assert "https" in r.err
    run("config", "set", "bulletin_webhooks", "http://127.0.0.1:9/send?key=x")
    run("config", "set", "bulletin_webhooks", "http://[::1]:9/send")


@sqlite_only
def test_a_backup_never_replaces_what_is_not_a_file(villages: list[str], tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    r = fail("db", "backup", str(fifo), "--force")
    assert "not a regular file" in r.err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_an_error_line_never_carries_an_escape_sequence(villages: list[str]) -> None:
    r = fail("dispute", "show", "JF-2026-0001\x1b[2J")
    assert "\x1b" not in r.err and "␛[2J" in r.err
