"""Fixtures: every test gets a fresh ledger path and a fixed as-of date (2026-10-31).

With SANLING_TEST_DATABASE_URL set (a PostgreSQL URL), each test runs against its own
schema in that database instead of an SQLite file, so the whole suite checks PostgreSQL too.
"""

from __future__ import annotations

import os
import shlex
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sanling.cli import app

PG_URL = os.environ.get("SANLING_TEST_DATABASE_URL")
TODAY = "2026-10-31"


def _pg_schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(autouse=True)
def ledger_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point SANLING_DB at a fresh ledger, pin the date, language and operator."""
    for var in ("SANLING_DB", "SANLING_LANG", "SANLING_TODAY", "SANLING_USER", "SANLING_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SANLING_TODAY", TODAY)
    monkeypatch.setenv("SANLING_LANG", "en")
    monkeypatch.setenv("SANLING_USER", "tester")
    monkeypatch.setenv("COLUMNS", "250")
    if PG_URL:
        from sqlalchemy import create_engine, text

        schema = "t_" + uuid.uuid4().hex[:12]
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = _pg_schema_url(PG_URL, schema)
        monkeypatch.setenv("SANLING_DB", url)
        try:
            yield url
        finally:
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()
    else:
        path = tmp_path / "ledger.db"
        monkeypatch.setenv("SANLING_DB", str(path))
        yield str(path)


class Result:
    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.code: int = raw.exit_code
        self.out: str = raw.stdout
        self.err: str = raw.stderr

    def json(self) -> Any:
        import json

        return json.loads(self.out)


def run(*args: str, code: int | None = 0, input: str | None = None) -> Result:
    """Run `sanling ARGS` in-process; check the exit code unless `code` is None.

    A single string is split like a shell would (`run("dispute list --format json")`).
    """
    argv = shlex.split(args[0]) if len(args) == 1 else list(args)
    raw = CliRunner().invoke(app, argv, catch_exceptions=False, input=input)
    result = Result(raw)
    if code is not None:
        assert result.code == code, (
            f"sanling {' '.join(argv)}: exit {result.code}, expected {code}\n"
            f"stdout: {result.out}\nstderr: {result.err}"
        )
    if result.code != 0:
        # Every failure is exactly one `error:` line on stderr, never a traceback.
        lines = [line for line in result.err.splitlines() if line.strip()]
        assert lines and lines[-1].startswith("error:"), result.err
        assert len([ln for ln in lines if ln.startswith("error:")]) == 1, result.err
        assert "Traceback" not in result.err
    return result


def add_dispute(village: str, category: str, found: str, *extra: str) -> str:
    """`dispute add` with a fixed summary and handler; its reference number."""
    return run(
        "dispute",
        "add",
        "--village",
        village,
        "--category",
        category,
        "--summary",
        "纠纷",
        "--handler",
        "王明",
        "--found",
        found,
        *extra,
        "--format",
        "json",
    ).json()["ref"]


def fail(*args: str, code: int = 1) -> Result:
    """Run a command that must fail with `code`, leaving the ledger unchanged."""
    before = dump()
    result = run(*args, code=code)
    assert dump() == before, "a failed command changed the ledger"
    return result


def dump() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove a failed command changed nothing."""
    from sqlalchemy import create_engine, inspect, text

    from sanling.db import resolve_url, sqlite_path

    url = resolve_url(None)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return {}
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = sorted(inspect(conn).get_table_names())
            return {
                t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"')).all()), key=repr)
                for t in tables
            }
    finally:
        engine.dispose()


@pytest.fixture
def town() -> str:
    """A ledger with one town, 城庄镇, and no subjects."""
    run("init", "--town", "城庄镇", "--county", "临县")
    return "城庄镇"


@pytest.fixture
def villages(town: str) -> list[str]:
    """城庄镇 with three villages and a community (one with all foundations), a unit and an enterprise."""
    run(
        "subject",
        "add",
        "城庄村",
        "--kind",
        "village",
        "--households",
        "420",
        "--population",
        "1300",
        "--mediation-committee",
        "--patrol-team",
        "--video",
        "--police-office",
    )
    run(
        "subject",
        "add",
        "李家湾村",
        "--kind",
        "village",
        "--households",
        "310",
        "--population",
        "980",
        "--mediation-committee",
    )
    run("subject", "add", "前进村", "--kind", "village", "--mediation-committee")
    run("subject", "add", "五和居", "--kind", "community", "--mediation-committee")
    run("subject", "add", "城庄中学", "--kind", "unit", "--village", "城庄村")
    run("subject", "add", "兴旺煤业", "--kind", "enterprise", "--village", "李家湾村")
    return ["城庄村", "李家湾村", "前进村", "五和居"]


__all__ = ["TODAY", "dump", "fail", "run"]
