"""Alembic environment: sanling passes its engine in; render_as_batch for SQLite's ALTERs."""

from alembic import context
from sqlalchemy import create_engine

from sanling.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    engine = config.attributes.get("engine") or create_engine(
        config.get_main_option("sqlalchemy.url")
    )
    # Migrations run in a plain transaction; SQLite's busy timeout still applies.
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch ALTER rebuilds a table (drops the old one) while others point to it:
            # SQLite checks foreign keys only outside a transaction, so they are off for the
            # migration (a revision that rebuilds runs PRAGMA foreign_key_check before commit).
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


run()
