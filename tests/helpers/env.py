"""The environment every test runs in (set by conftest's autouse `ledger_env`)."""

from __future__ import annotations

import os

# A PostgreSQL URL: each test then gets its own schema there instead of an SQLite file.
PG_URL = os.environ.get("SANLING_TEST_DATABASE_URL")
TODAY = "2026-10-31"

# A fixed as-of date, English messages, one operator and a wide terminal.
ENV = {
    "SANLING_TODAY": TODAY,
    "SANLING_LANG": "en",
    "SANLING_USER": "tester",
    "COLUMNS": "250",
}
# Set by the developer's shell perhaps; never seen by a test unless it sets them itself.
CLEARED = (
    "SANLING_DB",
    "SANLING_LANG",
    "SANLING_TODAY",
    "SANLING_USER",
    "SANLING_DEBUG",
    "SANLING_ALLOW_FUTURE_TODAY",
)


def pg_schema_url(base: str, schema: str) -> str:
    """`base` with its search path set to `schema`."""
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"
