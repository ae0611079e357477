"""Policy settings stored in the ledger (config list|get|set)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sanling import config
from sanling.ledger.base import Ledger
from sanling.models import Setting


def rows(lx: Ledger) -> list[dict[str, Any]]:
    policy = lx.policy
    defaults = config.Policy()
    out = []
    for key, field in config.Policy.model_fields.items():
        value = getattr(policy, key)
        out.append(
            {
                "key": key,
                "value": config.shown(key, value),
                "default": config.shown(key, getattr(defaults, key)),
                "description_setting": field.description,
            }
        )
    return out


def get(lx: Ledger, key: str) -> str:
    key = config.canonical(key)
    config.allowed(key)  # raises NotFound for an unknown key
    return config.shown(key, getattr(lx.policy, key))


def set_(lx: Ledger, key: str, text: str) -> str:
    key = config.canonical(key)
    value = config.parse_value(key, text, lx.policy)
    stored = lx.session.get(Setting, key)
    before = {key: config.shown(key, getattr(lx.policy, key))}
    if stored is None:
        lx.session.add(Setting(key=key, value=config.encode(value)))
    else:
        stored.value = config.encode(value)
    lx.__dict__.pop("policy", None)  # re-read on next use
    after = {key: config.shown(key, value)}
    if key in config.SECRET_KEYS:
        # Masked in the log; its digest lets `db check` tell the stored secret is this one.
        after["sha256"] = config.digest(config.encode(value))
    lx.audit("config.set", key, before, after)
    return config.shown(key, value)


def init_defaults(lx: Ledger, timezone: str | None) -> None:
    """`sanling init --timezone` stores the time zone; other keys keep their defaults."""
    if timezone and lx.session.scalar(
        select(Setting.value).where(Setting.key == "timezone")
    ) != config.encode(timezone):
        set_(lx, "timezone", timezone)
