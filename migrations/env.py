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
            # A batch migration copies a table and drops the old one: with foreign keys on, the
            # drop fails for every row that points at it. Off for the migration (it cannot be
            # changed inside a transaction: set on the driver's connection before the BEGIN),
            # checked before the commit, on again after.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
        connection.commit()
        if sqlite:
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


run()
