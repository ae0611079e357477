"""What every report shares: the object renderers know, and --explain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sanling.errors import NotFound
from sanling.i18n import tr
from sanling.render import Detail, Listing


@dataclass
class ReportBase:
    """A built report. Subclasses fill `payload` (JSON data) and `parts` (tables).

    `explainers` maps a figure's key (a dotted path into the JSON, e.g.
    `totals.overdue` or `villages.城庄村.open`) to a function returning the listing of
    the records behind that figure; the listing's rows must count to the figure.
    """

    title: str
    payload: dict[str, Any] = field(default_factory=dict)
    parts: list[Listing | Detail] = field(default_factory=list)
    explainers: dict[str, Callable[[], Listing]] = field(default_factory=dict)

    def data(self) -> dict[str, Any]:
        return self.payload

    def sections(self) -> list[Listing | Detail]:
        return self.parts

    def explain(self, key: str) -> Listing:
        fn = self.explainers.get(key)
        if fn is None:
            known = sorted(self.explainers)
            shown = ", ".join(known[:12]) + (" ..." if len(known) > 12 else "")
            raise NotFound(
                tr("没有可解释的数字“{key}”", "no figure '{key}' to explain", key=key),
                tr("可用：{k}", "available: {k}", k=shown),
            )
        return fn()
