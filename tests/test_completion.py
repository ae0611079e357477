"""Shell completion (Typer's own) answers from the real command tree."""

from __future__ import annotations

import os
import subprocess
import sys


def _complete(words: str, cword: int) -> str:
    env = {
        **os.environ,
        "_SANLING_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(cword),
    }
    done = subprocess.run(
        [sys.executable, "-m", "sanling"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_completes_groups_and_commands() -> None:
    assert _complete("sanling sub", 1).split() == ["subject"]
    assert set(_complete("sanling subject ", 2).split()) >= {
        "add",
        "list",
        "show",
        "grade",
        "retire",
    }


def test_show_completion_script() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sanling", "--show-completion", "bash"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SHELL": "/bin/bash"},
    )
    assert done.returncode == 0
    assert "_SANLING_COMPLETE" in done.stdout or "complete" in done.stdout
