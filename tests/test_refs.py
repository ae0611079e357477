"""Reference numbers stay unique when several processes add at once."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from tests.helpers import run


def _add(i: int) -> int:
    cmd = [
        sys.executable,
        "-m",
        "sanling",
        "sweep",
        "add",
        "--subject",
        "城庄村",
        "--by",
        f"p{i}",
        "--date",
        "2026-10-20",
    ]
    return subprocess.run(cmd, capture_output=True, env=os.environ.copy(), check=False).returncode


def test_parallel_processes_get_unique_refs(villages: list[str]) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(_add, range(12)))
    assert codes == [0] * 12
    refs = [r["ref"] for r in run("sweep list -f json").json()]
    assert sorted(refs) == [f"PC-2026-{n:04d}" for n in range(1, 13)]
    run("db check")
