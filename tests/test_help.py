"""Every command has help text, is in the command reference (docs/cli.md) and is named in the
hand-written guides (the README and docs/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.main import get_command

from sanling.cli import app
from tests.helpers import run

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "cli.md"
# The hand-written docs: the README and every page of docs/ except the generated reference.
GUIDES = [ROOT / "README.md", *(p for p in sorted((ROOT / "docs").glob("*.md")) if p != REFERENCE)]


def _command(path: list[str]) -> Any:
    """The Click command at `path`, through the groups' own lookup (the root loads lazily)."""
    cmd: Any = get_command(app)
    for name in path:
        cmd = cmd.get_command(None, name)
    return cmd


def _commands() -> list[list[str]]:
    found: list[list[str]] = []

    def walk(path: list[str]) -> None:
        cmd = _command(path)
        if hasattr(cmd, "list_commands"):
            for name in cmd.list_commands(None):
                walk([*path, name])
        else:
            found.append(path)

    walk([])
    return found


def test_there_are_commands() -> None:
    paths = {" ".join(p) for p in _commands()}
    assert {"init", "log", "db status", "subject add", "sweep list", "config set"} <= paths


def test_every_command_has_help() -> None:
    for path in _commands():
        r = run(*path, "--help")
        assert "Usage:" in r.out, path
        cmd = _command(path)
        assert (cmd.help or "").strip(), f"sanling {' '.join(path)} has no help text"
        for param in cmd.params:
            if param.name not in ("help",) and getattr(param, "help", None) is not None:
                assert param.help.strip(), f"{path} {param.name}"


def test_every_command_is_in_the_reference() -> None:
    headings = set(REFERENCE.read_text(encoding="utf-8").splitlines())
    missing = [" ".join(p) for p in _commands() if f"## sanling {' '.join(p)}" not in headings]
    assert missing == [], (
        f"docs/cli.md lacks: {missing} (run `python docs/generate_cli.py` and commit docs/cli.md)"
    )


def test_every_command_and_group_is_in_the_guides() -> None:
    text = "\n".join(page.read_text(encoding="utf-8") for page in GUIDES)
    groups = {p[0] for p in _commands() if len(p) > 1}
    named = [*sorted(groups), *(" ".join(p) for p in _commands())]
    missing = [name for name in named if f"sanling {name}" not in text]
    assert missing == [], f"no guide in README.md or docs/ mentions: {missing}"


def test_root_help_lists_every_group_without_loading_it() -> None:
    out = run("--help").out
    for name in ("dispute", "hazard", "report", "person"):
        assert f"  {name} " in out
    assert "矛盾纠纷" in out


def test_a_bare_group_shows_its_help() -> None:
    r = run("dispute")
    assert r.out.startswith("Usage: sanling dispute")
    assert "  add " in r.out and "  resolve " in r.out
    assert run().out.startswith("Usage: sanling [OPTIONS] COMMAND")


def test_help_imports_no_command_group() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nsys.argv = ['sanling', '--help']\nfrom sanling.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('sanling.commands.')),"
        " file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = eval(done.stderr.strip().splitlines()[-1])
    assert "sanling.commands.dispute" not in loaded and "sanling.commands.report" not in loaded
