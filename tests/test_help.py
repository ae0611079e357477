"""Every command has help text and is named in the README."""

from __future__ import annotations

from pathlib import Path

from typer.main import get_command

from sanling.cli import app
from tests.conftest import run

README = Path(__file__).resolve().parents[1] / "README.md"


def _commands() -> list[list[str]]:
    found: list[list[str]] = []

    def walk(cmd: object, path: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, [*path, name])
        else:
            found.append(path)

    walk(get_command(app), [])
    return found


def test_there_are_commands() -> None:
    paths = {" ".join(p) for p in _commands()}
    assert {"init", "log", "db status", "subject add", "sweep list", "config set"} <= paths


def test_every_command_has_help() -> None:
    for path in _commands():
        r = run(*path, "--help")
        assert "Usage:" in r.out, path
        cmd = get_command(app)
        for name in path:
            cmd = cmd.commands[name]  # type: ignore[attr-defined]
        assert (cmd.help or "").strip(), f"sanling {' '.join(path)} has no help text"
        for param in cmd.params:
            if param.name not in ("help",) and getattr(param, "help", None) is not None:
                assert param.help.strip(), f"{path} {param.name}"


def test_every_command_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [" ".join(p) for p in _commands() if f"sanling {' '.join(p)}" not in text]
    assert missing == [], f"README does not mention: {missing}"
