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


def test_0002_maps_old_codes_and_audits_each_change(villages: list[str]) -> None:
    """An old ledger's disputes of category debt become contract (民间借贷 is a loan contract)
    with an audit entry each, so `db check` passes; a downgrade maps the new codes back."""
    from sqlalchemy import text

    base = "dispute add --village 城庄村 --handler 王强 --found 2026-10-01 --summary"
    run(f"{base} 借款 --category land")
    run(f"{base} 宅基地 --category housing_land")
    run("petition add --village 城庄村 --form phone --level town --summary 电话反映")
    engine = _engine()
    try:
        migrate.downgrade(engine, "0001")
        with engine.begin() as conn:
            cats = conn.execute(text("SELECT ref, category FROM disputes ORDER BY id")).all()
            assert [tuple(r) for r in cats] == [("JF-2026-0001", "land"), ("JF-2026-0002", "land")]
            form = conn.scalar(text("SELECT form FROM petitions"))
            assert form == "visit"
            # a 0001 ledger's debt dispute (written here as a 0001 sanling would store it)
            conn.execute(text("UPDATE disputes SET category = 'debt' WHERE ref = 'JF-2026-0001'"))
        migrate.upgrade(engine)
        with engine.connect() as conn:
            cats = conn.execute(text("SELECT category FROM disputes ORDER BY id")).scalars().all()
            assert cats == ["contract", "land"]
            actions = conn.execute(
                text("SELECT action, ref FROM audit_log WHERE action LIKE 'migrate.%' ORDER BY id")
            ).all()
            assert [tuple(a) for a in actions] == [
                ("migrate.0002", "XF-2026-0001"),  # down: phone to visit
                ("migrate.0002", "JF-2026-0002"),  # down: housing_land to land
                ("migrate.0002", "JF-2026-0001"),  # up: debt to contract
            ]
    finally:
        engine.dispose()
    shown = run("dispute show JF-2026-0001 -f json").json()
    assert shown["category"] == "contract"
    run("db check")
    run("petition add --village 城庄村 --form referral --level town --summary 部门转入")


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
