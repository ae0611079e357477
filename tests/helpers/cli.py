"""Running `sanling` in-process, as a user would, and proving a failure changed nothing."""

from __future__ import annotations

import json
import shlex
from typing import Any

from typer.testing import CliRunner

from sanling.cli import app


class Result:
    """A command's exit code, stdout and stderr (kept apart, as a shell keeps them)."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.code: int = raw.exit_code
        self.out: str = raw.stdout
        self.err: str = raw.stderr

    def json(self) -> Any:
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


def audit_text() -> str:
    """The audit log as stored, its JSON columns read back: they keep Chinese as \\u escapes,
    so a name written in clear is only found in the decoded text."""
    import json

    def read(cell: object) -> object:
        try:
            return json.loads(cell) if isinstance(cell, str) else cell
        except ValueError:
            return cell

    return repr([[read(cell) for cell in row] for row in dump().get("audit_log", [])])
