"""Alembic is the only schema authority: one head, the migrated schema equals the models,
down and up again works, and data survives an upgrade."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect

from sanling import db, migrate
from sanling.models import Base
from tests.helpers import run


def _engine() -> Engine:
    return create_engine(db.resolve_url(None))


def test_single_head_matches_the_code() -> None:
    assert migrate.heads() == [db.HEAD]
    assert migrate.history() == db.REVISIONS


def test_migrated_schema_matches_the_models(town: str) -> None:
    engine = _engine()
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_downgrade_and_upgrade_again(town: str) -> None:
    engine = _engine()
    try:
        migrate.downgrade(engine, "base")
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
        with engine.connect() as conn:
            assert set(Base.metadata.tables) <= set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    run("init --town 城庄镇")
    assert [t["name"] for t in run("town list -f json").json()] == ["城庄镇"]


def test_data_survives_upgrade(villages: list[str]) -> None:
    run("sweep add --subject 城庄村 --by 王强 --date 2026-10-20")
    before = run("subject list -f json").out
    run("db upgrade")
    run("init")
    assert run("subject list -f json").out == before
    assert run("sweep list -f json").json()[0]["ref"] == "PC-2026-0001"


def test_import_maps_upgrade_keeps_the_records(villages: list[str]) -> None:
    """0005 (import maps) on a ledger at the revision before it: its records stay."""
    revisions = migrate.history()
    below = revisions[revisions.index("0005") - 1]
    run("dispute add --village 城庄村 --category neighbour --summary 纠纷 --handler 张三")
    before = run("dispute list -f json").out
    engine = _engine()
    try:
        migrate.downgrade(engine, below)
        with engine.connect() as conn:
            assert "import_maps" not in inspect(conn).get_table_names()
    finally:
        engine.dispose()
    run("db upgrade")
    assert run("dispute list -f json").out == before
    with engine.connect() as conn:
        assert "import_maps" in inspect(conn).get_table_names()
    engine.dispose()
