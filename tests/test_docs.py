"""The docs stay true: the command reference is the CLI's own help, links resolve, and every
option the guides show with a command is an option of that command."""

from __future__ import annotations

import importlib.util
import re
import shlex
import unicodedata
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# Every hand-written page: the README, the manual, the changelog and the folders' READMEs.
PAGES = sorted(
    [
        ROOT / "README.md",
        ROOT / "CHANGELOG.md",
        *DOCS.glob("*.md"),
        *(ROOT / "src" / "sanling").glob("*/README.md"),
    ]
)
GUIDES = [p for p in PAGES if p.name != "cli.md"]
README_TEST_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
)
README_DEMO_COMMAND = "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/sanling demo"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_cli", DOCS / "generate_cli.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()


def test_cli_reference_is_the_cli_help() -> None:
    current = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert current == GENERATOR.render(), (
        f"docs/cli.md is out of date: run `{GENERATOR.COMMAND}` and commit docs/cli.md"
    )


def test_readme_is_short_and_keeps_the_quick_start() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 300
    # CI runs the README's test command; the demo command is what a newcomer types first.
    assert README_TEST_COMMAND in text
    assert README_DEMO_COMMAND in text


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`([^`]*)`", r"\1", heading.strip()).lower()
    kept = "".join(
        ch
        for ch in text
        if ch in " -_" or unicodedata.category(ch)[0] in "LN" or unicodedata.category(ch) == "Mn"
    )
    return kept.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    found: set[str] = set()
    fenced = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            base = slug(line.lstrip("#"))
            name, n = base, 0
            while name in found:  # GitHub numbers repeated headings
                n += 1
                name = f"{base}-{n}"
            found.add(name)
    return found


def prose(page: Path) -> str:
    """The page without its fenced blocks (a link inside a code block is not a link)."""
    return re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.M | re.S)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page: Path) -> None:
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", prose(page)):
        if re.match(r"[a-z]+:", target):
            continue  # http(s), mailto: not checked here
        path, _, fragment = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            broken.append(f"{target} (no such file)")
        elif fragment and dest.suffix == ".md" and fragment not in anchors(dest):
            broken.append(f"{target} (no heading #{fragment})")
    assert broken == [], f"{page.relative_to(ROOT)}: broken links {broken}"


def _command_lines(page: Path) -> list[str]:
    """`sanling ...` command lines shown in the page: in sh blocks and in inline code."""
    text = page.read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.M | re.S):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            line = line.strip()  # a comment's options (`# also --grade key`) are checked too
            if line.startswith("sanling "):
                lines.append(line)
    lines += [span for span in re.findall(r"`(sanling [^`]+)`", prose(page))]
    return lines


def _options_of(cmd: Any) -> set[str]:
    opts = {"--help", "-h"}
    for param in cmd.params:
        opts.update(getattr(param, "opts", []))
        opts.update(getattr(param, "secondary_opts", []))
    return opts


def _check_line(line: str) -> list[str]:
    try:
        words = shlex.split(line.replace("|", " "))
    except ValueError:
        words = line.split()
    words = words[1:]
    root = GENERATOR.command_at([])
    cmd, globals_ = root, _options_of(root)
    path: list[str] = []
    while words:
        word = words[0]
        if word in globals_ and not path:
            words = words[1:] if word == "--version" else words[2:]
            continue
        if hasattr(cmd, "list_commands") and word in cmd.list_commands(None):
            path.append(word)
            cmd = GENERATOR.command_at(path)
            words = words[1:]
            continue
        break
    if not path or (words and words[0] in ("...", "…")):
        return []  # not a command, or one left unnamed (`sanling report ...`)
    known = _options_of(cmd)
    used = {m for w in words for m in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", w.split("=")[0])}
    return [f"sanling {' '.join(path)} {opt}" for opt in sorted(used - known)]


@pytest.mark.parametrize("page", GUIDES, ids=lambda p: str(p.relative_to(ROOT)))
def test_options_shown_exist(page: Path) -> None:
    unknown = sorted({bad for line in _command_lines(page) for bad in _check_line(line)})
    assert unknown == [], f"{page.relative_to(ROOT)} shows options the commands lack: {unknown}"
