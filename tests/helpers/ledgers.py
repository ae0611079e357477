"""Test ledgers built through the library, in one transaction, instead of command by command.

Use these where a test is about something else (a report's figures, an export, the audit
check); where the command line is what a test is about, it runs `sanling` (helpers.cli.run).
The records are made by the same ledger functions the `add` commands call, with the same input
models, so a ledger built here is the ledger the commands would have built.

    with ledgers.writing() as lx:
        ledgers.add(lx, "dispute", village="城庄村", category="land", summary="地界",
                    handler="王强", found="2026-10-01")
"""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger

# The `villages` fixture's subjects, as `sanling subject add` would make them.
VILLAGES: list[dict[str, Any]] = [
    {
        "name": "城庄村",
        "kind": "village",
        "households": 420,
        "population": 1300,
        "patrol_team": True,
        "video": True,
        "police_office": True,
        "mediation_committee": True,
    },
    {
        "name": "李家湾村",
        "kind": "village",
        "households": 310,
        "population": 980,
        "mediation_committee": True,
    },
    {"name": "前进村", "kind": "village", "mediation_committee": True},
    {"name": "五和居", "kind": "community", "mediation_committee": True},
    {"name": "城庄中学", "kind": "unit", "village": "城庄村"},
    {"name": "兴旺煤业", "kind": "enterprise", "village": "李家湾村"},
]


@contextmanager
def writing() -> Iterator[Ledger]:
    """One write transaction on the test's ledger (SANLING_DB), as a command opens it."""
    from sanling.db import resolve_url, session_scope
    from sanling.ledger.base import Ledger

    with session_scope(resolve_url(None), write=True) as session:
        yield Ledger(session)


def add(lx: Ledger, noun: str, /, **fields: Any) -> Any:
    """Add a record of `noun` (dispute, hazard ...) from the `add` command's options (field
    names, codes, dates as text); the record made."""
    from sanling import schemas

    module = importlib.import_module(f"sanling.ledger.{noun}")
    data = schemas.validate(getattr(schemas, f"{noun.capitalize()}In"), fields)
    return module.add(lx, data)


def init(town: str = "城庄镇", county: str | None = "临县") -> None:
    """What `sanling init --town TOWN --county COUNTY` makes: the newest schema and the town."""
    from sanling import migrate
    from sanling.db import resolve_url
    from sanling.ledger import settings
    from sanling.ledger import town as towns

    migrate.to_head(resolve_url(None), backup=False)
    with writing() as lx:
        settings.init_defaults(lx, None)
        towns.ensure(lx, town, county)


def add_villages() -> list[str]:
    """The `villages` fixture's three villages, a community, a unit and an enterprise."""
    with writing() as lx:
        for subject in VILLAGES:
            add(lx, "subject", **subject)
    return [s["name"] for s in VILLAGES if s["kind"] in ("village", "community")]


class Templates:
    """Ledgers built once per test session and copied for each test that wants them.

    On SQLite a ledger is a file: the first test to ask for `name` builds it (on a copy of its
    own ledger as it stands) and later tests copy the result, which takes milliseconds where
    building takes seconds. On PostgreSQL each test has its own schema and builds in place.
    A template must only be asked for from the same starting ledger (the same fixtures).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def apply(self, name: str, build: Callable[[], object]) -> None:
        from sanling.db import resolve_url, sqlite_path

        path = sqlite_path(resolve_url(None))
        if path is None:
            build()
            return
        template = self.folder / f"{name}.db"
        if not template.exists():
            staging = self.folder / f"{name}.building.db"
            if path.exists():
                shutil.copy(path, staging)
            with pytest.MonkeyPatch.context() as env:
                env.setenv("SANLING_DB", str(staging))
                build()
            # Every connection is closed, so the file holds everything (no write-ahead log).
            assert not Path(f"{staging}-wal").exists(), f"{name}: a connection was left open"
            staging.rename(template)
        shutil.copy(template, path)  # copy keeps the ledger's private mode (0600)


def dispute(lx: Ledger, village: str, category: str, found: str, **fields: Any) -> str:
    """helpers.cli.add_dispute's dispute (summary 纠纷, handler 王明); its reference."""
    record = add(
        lx,
        "dispute",
        village=village,
        category=category,
        summary="纠纷",
        handler="王明",
        found=found,
        **fields,
    )
    return str(record.ref)


def resolve(
    lx: Ledger, ref: str, day: str, *, method: str = "mediation", result: str = "调解成功"
) -> None:
    """`sanling dispute resolve REF --method METHOD --result RESULT --date DAY`."""
    from sanling.codes import ResolutionMethod
    from sanling.ledger import dispute as disputes

    disputes.resolve(lx, ref, method=ResolutionMethod(method), result=result, date=day)
