"""Global behaviour: --version, --db, --lang, errors, exit codes, output formats, lazy imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sanling import __version__
from tests.helpers import PG_URL, fail, run


def test_version() -> None:
    assert run("--version").out.strip() == f"sanling {__version__}"


def test_missing_ledger_says_run_init(tmp_path: Path) -> None:
    if PG_URL:
        r = run("subject list", code=1)
        assert "sanling init" in r.err
        return
    r = run("--db", str(tmp_path / "nowhere.db"), "subject", "list", code=1)
    assert r.err.startswith("error: there is no ledger at")
    assert "sanling init" in r.err
    assert not (tmp_path / "nowhere.db").exists()


def test_db_option_overrides_env(tmp_path: Path, town: str) -> None:
    other = tmp_path / "other.db"
    run("--db", str(other), "init", "--town", "别的镇")
    assert [t["name"] for t in run("--db", str(other), "town", "list", "-f", "json").json()] == [
        "别的镇"
    ]
    assert [t["name"] for t in run("town list -f json").json()] == ["城庄镇"]


def test_lang_switches_labels_and_messages(villages: list[str]) -> None:
    zh = run("--lang", "zh", "subject", "list", "--kind", "unit", "-f", "csv").out
    assert zh.splitlines()[0].startswith("名称,类型,所属乡镇")
    assert "单位" in zh
    en = run("--lang", "en", "subject", "list", "--kind", "unit", "-f", "csv").out
    assert en.splitlines()[0].startswith("name,kind,town")
    r = fail("--lang", "zh", "subject", "add", "城庄村", "--kind", "village")
    assert "已有名为“城庄村”的主体" in r.err
    assert run("--lang", "xx", "town", "list", code=2).err.startswith("error:")


def test_lang_from_environment(villages: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SANLING_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "行政村" in run("subject list -f csv").out
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert "village" in run("subject list -f csv").out


def test_usage_error_is_one_line_exit_2(town: str) -> None:
    r = run("subject add X --kind village --households -3", code=2)
    assert "--households" in r.err
    r = run("subject add X --kind nonsense", code=2)
    assert "village" in r.err and "行政村" in r.err
    r = run("nosuchcommand", code=2)
    assert "No such command" in r.err
    r = run("subject list --format yaml", code=2)
    assert "table, json, csv, markdown" in r.err


def test_json_csv_markdown_formats(villages: list[str], tmp_path: Path) -> None:
    rows = run("subject list --kind village -f json").json()
    assert [r["name"] for r in rows] == ["城庄村", "李家湾村", "前进村"]  # pinyin order
    assert (
        rows[0]["kind"] == "village" and rows[0]["video"] is True and rows[0]["households"] == 420
    )
    md = run("subject list --kind community -f markdown").out
    assert md.splitlines()[0].startswith("| name | kind |")
    assert "| 五和居 | community |" in md
    out = tmp_path / "subjects.csv"
    r = run("subject", "list", "-f", "csv", "-o", str(out))
    assert r.out == ""
    assert out.read_text(encoding="utf-8").count("\n") == 7


def test_table_when_piped_has_no_colour_codes(villages: list[str]) -> None:
    out = run("subject list").out
    assert "\x1b[" not in out
    assert "城庄村" in out


def test_created_record_json_has_ref(villages: list[str]) -> None:
    data = run("sweep add --subject 城庄村 --by 王强 --date 2026-10-20 -f json").json()
    assert data["ref"] == "PC-2026-0001"
    assert data["zero_report"] is True


def test_internal_errors_are_one_line(town: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from sanling.ledger import town as towns

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(towns, "all_towns", boom)
    r = run("town list", code=1)
    assert r.err.strip() == (
        "error: internal error RuntimeError: disk on fire "
        "(nothing was saved; SANLING_DEBUG=1 shows more)"
    )


def _python(code: str, env_extra: dict[str, str] | None = None) -> str:
    env = {**os.environ, **(env_extra or {})}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


# pydantic is left out: Typer itself imports it to coerce option values. Rich is in: help is
# Click's plain text (Typer's Rich help took half the time of `sanling --help`).
HEAVY = ("sqlalchemy", "alembic", "openpyxl", "jinja2", "python_calamine", "rich")


def test_help_and_version_import_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from sanling.cli import app\n"
        "for args in (['--help'], ['--version'], ['dispute', '--help'], ['report', '--help']):\n"
        "    try:\n"
        "        app(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    assert _python(code).strip().splitlines()[-1] == "[]"


def test_revision_check_does_not_import_alembic(town: str) -> None:
    code = (
        "import sys\n"
        "from sanling.cli import app\n"
        "try:\n    app(['subject', 'list', '-f', 'json'])\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code\n"
        "print('alembic' in sys.modules)\n"
    )
    assert _python(code).strip().splitlines()[-1] == "False"


def test_debug_shows_traceback_only_when_asked(town: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from sanling.ledger import town as towns

    monkeypatch.setattr(towns, "all_towns", lambda *_a: 1 / 0)
    monkeypatch.setenv("SANLING_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        from typer.testing import CliRunner

        from sanling.cli import app

        CliRunner().invoke(app, ["town", "list"], catch_exceptions=False)


def test_json_is_valid_for_every_listing(villages: list[str]) -> None:
    for cmd in ("subject list", "sweep list", "town list", "config list", "log"):
        json.loads(run(f"{cmd} -f json").out)


def test_output_is_printed_after_the_commit(villages: list[str], tmp_path: Path) -> None:
    # A file that cannot be written is one error line, and the record is saved all the same:
    # output waits for the commit, so a full disk or a closed pipe never undoes a change.
    r = run(
        "sweep",
        "add",
        "--subject",
        "城庄村",
        "--by",
        "王强",
        "-f",
        "csv",
        "-o",
        "/proc/x.csv",  # a folder no file can be made in
        code=1,
    )
    assert r.err.startswith("error: cannot write /proc/x.csv")
    assert [s["by"] for s in run("sweep list -f json").json()] == ["王强"]


def test_explain_takes_listing_formats_only(villages: list[str]) -> None:
    run("report bulletin --explain totals.open -f csv")
    r = run("report bulletin --explain totals.open -f html", code=2)
    assert "table, json, csv, markdown" in r.err


def test_json_to_a_reader_that_stopped_reading(villages: list[str]) -> None:
    # `sanling report ... -f json | head`: JSON is printed as it is encoded; when the reader
    # has gone, the command stops writing and ends quietly, as it did with a single write.
    done = subprocess.Popen(
        [sys.executable, "-m", "sanling", "report", "grading", "-f", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert done.stdout is not None and done.stderr is not None
    done.stdout.close()
    err = done.stderr.read().decode()
    assert done.wait() == 0, err
    assert err == ""
