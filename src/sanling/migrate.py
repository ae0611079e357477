"""Running Alembic migrations (imported only by init, db upgrade and the tests)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine


def migrations_dir() -> Path:
    """Inside an installed wheel, sanling/migrations; in a checkout, the top-level folder."""
    packaged = Path(__file__).resolve().parent / "migrations"
    if (packaged / "env.py").exists():
        return packaged
    return Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def history() -> list[str]:
    """Revision ids from base to head."""
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    script = ScriptDirectory.from_config(cfg)
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def heads() -> list[str]:
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return list(ScriptDirectory.from_config(cfg).get_heads())


def to_head(
    url: str, *, backup: bool, tell: Callable[[str], None] | None = None
) -> tuple[str | None, str]:
    """Bring the ledger at `url` to the newest schema (creating an SQLite file that is not
    there yet); back up an existing SQLite ledger first when asked, and `tell` where.
    Returns the revision before and the head."""
    import datetime as dt

    from sanling.db import (
        HEAD,
        backup_sqlite,
        create_private_file,
        current_revision,
        make_engine,
        sqlite_path,
    )
    from sanling.i18n import tr

    path = sqlite_path(url)
    if path is not None and not path.exists():
        create_private_file(path)
    engine = make_engine(url, write=False)
    try:
        before = current_revision(engine)
        if before != HEAD:
            if backup and before is not None and path is not None:
                stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
                target = path.with_name(f"{path.stem}.before-{HEAD}-{stamp}{path.suffix or '.db'}")
                backup_sqlite(path, target)
                if tell is not None:
                    tell(tr("已备份到 {p}", "backed up to {p}", p=target))
            upgrade(engine)
        return before, HEAD
    finally:
        engine.dispose()
