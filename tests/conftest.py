"""Fixtures: every test gets a fresh ledger path and a fixed as-of date (2026-10-31).

With SANLING_TEST_DATABASE_URL set (a PostgreSQL URL), each test runs against its own
schema in that database instead of an SQLite file, so the whole suite checks PostgreSQL too.
What tests call (the CLI runner, ledger builders) lives in tests/helpers/.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import generated, ledgers
from tests.helpers.env import CLEARED, ENV, PG_URL, pg_schema_url


@pytest.fixture(autouse=True)
def ledger_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point SANLING_DB at a fresh ledger, pin the date, language and operator."""
    for var in CLEARED:
        monkeypatch.delenv(var, raising=False)
    for var, value in ENV.items():
        monkeypatch.setenv(var, value)
    if PG_URL:
        from sqlalchemy import create_engine, text

        schema = "t_" + uuid.uuid4().hex[:12]
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = pg_schema_url(PG_URL, schema)
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


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> ledgers.Templates:
    """Ledgers built once per session and copied into each test's (SQLite)."""
    return ledgers.Templates(tmp_path_factory.mktemp("templates"))


@pytest.fixture
def town(ledger_env: str, templates: ledgers.Templates) -> str:
    """A ledger with one town, 城庄镇 (临县), and no subjects: what `sanling init` makes."""
    templates.apply("town", ledgers.init)
    return "城庄镇"


@pytest.fixture
def villages(town: str, templates: ledgers.Templates) -> list[str]:
    """城庄镇 with three villages and a community (one with all foundations), a unit and an
    enterprise (helpers.ledgers.VILLAGES)."""
    templates.apply("villages", ledgers.add_villages)
    return ["城庄村", "李家湾村", "前进村", "五和居"]


@pytest.fixture
def two_towns(town: str, templates: ledgers.Templates) -> None:
    """Two towns and a year and ten months of records (helpers.generated), built once."""
    templates.apply("two_towns", generated.generate)
