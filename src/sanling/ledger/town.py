"""Towns (乡镇): the owners of ledgers; a county database holds many."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sanling.collate import name_key
from sanling.errors import Duplicate
from sanling.i18n import tr
from sanling.ledger.base import Ledger, snapshot
from sanling.models import Town


def add(
    lx: Ledger,
    name: str,
    county: str | None = None,
    *,
    area_km2: float | None = None,
    households: int | None = None,
    population: int | None = None,
) -> Town:
    clean = lx.text(name, "name", required=True, limit=100)
    if lx.session.scalar(select(Town).where(Town.name == clean)):
        raise Duplicate(tr("乡镇“{name}”已存在", "town '{name}' exists already", name=clean))
    town = Town(
        name=clean,
        county=lx.text(county, "county", limit=100),
        area_km2=area_km2,
        households=lx.count(households, "households"),
        population=lx.count(population, "population"),
    )
    lx.created(town, "town.add")
    return town


def ensure(lx: Ledger, name: str, county: str | None = None) -> Town:
    """The named town, created if missing (used by `sanling init --town`)."""
    town = lx.session.scalar(select(Town).where(Town.name == name.strip()))
    if town is None:
        return add(lx, name, county)
    if county and town.county != county:
        before = snapshot(town)
        town.county = county
        lx.audit("town.update", town.name, before, snapshot(town))
    return town


def all_towns(lx: Ledger) -> list[Town]:
    return sorted(lx.session.scalars(select(Town)), key=lambda t: name_key(t.name))


COLUMNS = ("name", "county", "households", "population")


def row(town: Town) -> dict[str, Any]:
    return {key: getattr(town, key) for key in COLUMNS}
