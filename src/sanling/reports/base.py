"""What every report shares: the object renderers know, and --explain."""

from __future__ import annotations

import datetime as dt
import heapq
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from sanling.codes import DisputeCategory, HazardArea, SubjectKind
from sanling.errors import NotFound
from sanling.i18n import tr
from sanling.render import Chart, Column, Detail, Listing, Tile

if TYPE_CHECKING:
    from sanling import periods
    from sanling.ledger.base import Ledger
    from sanling.reports.queries import Figures

Explainer = Callable[[], Listing]


@dataclass
class Family:
    """Keys `{prefix}{village}.{suffix}`: one per village and suffix."""

    prefix: str
    villages: Mapping[str, int]
    suffixes: tuple[str, ...]
    make: Callable[[int, str, str], Explainer]  # (village id, key, suffix) -> explainer

    def match(self, key: str) -> tuple[int, str] | None:
        """(village id, suffix) of a key of this family, else None."""
        if not key.startswith(self.prefix):
            return None
        rest = key[len(self.prefix) :]
        for suffix in self.suffixes:
            name = rest[: -len(suffix) - 1]
            if rest.endswith("." + suffix) and name in self.villages:
                return self.villages[name], suffix
        return None

    def every_key(self) -> Iterator[str]:
        for name in self.villages:
            for suffix in self.suffixes:
                yield f"{self.prefix}{name}.{suffix}"


class Explainers(MutableMapping[str, Explainer]):
    """Figure key -> the function listing the records behind that figure.

    Per-village figures are families: one factory for every village of the report, resolved
    when a key is asked for. A province has 20,000 villages times up to 29 figures; building a
    closure (and its SQL) for each up front cost seconds and hundreds of MB.
    """

    def __init__(self) -> None:
        self._fixed: dict[str, Explainer] = {}
        self._families: list[Family] = []

    def family(
        self,
        prefix: str,
        villages: Mapping[str, int],
        suffixes: tuple[str, ...],
        make: Callable[[int, str, str], Explainer],
    ) -> None:
        """Keys `{prefix}{village}.{suffix}`; `make(village id, key, suffix)` gives the
        explainer. A fixed key wins over a family's; of two families, the later one."""
        self._families.append(Family(prefix, villages, suffixes, make))

    def _resolve(self, key: str) -> Explainer | None:
        fn = self._fixed.get(key)
        if fn is not None:
            return fn
        for family in reversed(self._families):
            found = family.match(key)
            if found is not None:
                return family.make(found[0], key, found[1])
        return None

    def __getitem__(self, key: str) -> Explainer:
        fn = self._resolve(key)
        if fn is None:
            raise KeyError(key)
        return fn

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._resolve(key) is not None

    def __setitem__(self, key: str, fn: Explainer) -> None:
        self._fixed[key] = fn

    def __delitem__(self, key: str) -> None:
        del self._fixed[key]

    def __iter__(self) -> Iterator[str]:
        """Every key once, without holding them all (a province has 580,000)."""
        yield from self._fixed
        for i, family in enumerate(self._families):
            later = self._families[i + 1 :]
            for key in family.every_key():
                if key not in self._fixed and all(f.match(key) is None for f in later):
                    yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)


class ReportBase(ABC):
    """What a report is to the renderers and to --explain: JSON data, tables, and the
    records behind each figure."""

    title: str
    tiles: tuple[Tile, ...] = ()  # the HTML's headline tiles, declared by the report
    charts: tuple[Chart, ...] = ()  # and its charts
    findings: str | None = None  # the JSON key of its findings, a list of sentences

    @abstractmethod
    def data(self) -> dict[str, Any]: ...

    @abstractmethod
    def sections(self) -> list[Listing | Detail]: ...

    @abstractmethod
    def explain(self, key: str) -> Listing: ...


@dataclass
class BuiltReport(ReportBase):
    """A built report: `payload` (JSON data) and `parts` (tables).

    `explainers` maps a figure's key (a dotted path into the JSON, e.g.
    `totals.overdue` or `villages.城庄村.open`) to a function returning the listing of
    the records behind that figure; the listing's rows must count to the figure.
    """

    title: str
    payload: dict[str, Any] = field(default_factory=dict)
    parts: list[Listing | Detail] = field(default_factory=list)
    explainers: MutableMapping[str, Explainer] = field(default_factory=dict)
    # Tables made when first asked for: JSON needs none, and a province's grading table is
    # 20,000 rows.
    make_parts: Callable[[], list[Listing | Detail]] | None = None
    tiles: tuple[Tile, ...] = ()
    charts: tuple[Chart, ...] = ()
    findings: str | None = None

    def data(self) -> dict[str, Any]:
        return self.payload

    def sections(self) -> list[Listing | Detail]:
        if self.make_parts is not None:
            self.parts = self.make_parts()
            self.make_parts = None
        return self.parts

    def explain(self, key: str) -> Listing:
        fn = self.explainers.get(key)
        if fn is None:
            known = heapq.nsmallest(13, self.explainers)  # the first 12 sorted, and if more
            shown = ", ".join(known[:12]) + (" ..." if len(known) > 12 else "")
            raise NotFound(
                tr("没有可解释的数字“{key}”", "no figure '{key}' to explain", key=key),
                tr("可用：{k}", "available: {k}", k=shown),
            )
        return fn()


@dataclass
class Context:
    """What a report's sections read: the ledger, the figures counted so far (with their
    explainers), the as-of date, the period, and the town (None: every town)."""

    lx: Ledger
    fig: Figures
    as_of: dt.date
    span: periods.Period
    town: str | None

    @property
    def tid(self) -> int | None:
        return self.fig.town_id


C = TypeVar("C", bound=Context)


def compose(
    ctx: C, head: dict[str, Any], sections: Iterable[Callable[[C], dict[str, Any]]]
) -> dict[str, Any]:
    """A report's JSON: its heading, then each section's keys in order."""
    payload = dict(head)
    for section in sections:
        payload |= section(ctx)
    return payload


def columns(*specs: str | tuple[str, str, str] | tuple[str, str, str, str]) -> list[Column]:
    """A table's columns: `key` (headed as the catalog says) or (key, zh heading, en heading),
    with how its cells may wrap at 80 columns after them (render WHOLE, ITEMS, TEXT)."""
    return [
        Column(s) if isinstance(s, str) else Column(s[0], tr(s[1], s[2]), *s[3:]) for s in specs
    ]


def hazards_by_area(by_area: Mapping[str, int]) -> Listing:
    """The table of hazards by area (sweep, monthly and annual reports): areas with any."""
    return Listing(
        columns("area", "count"),
        [{"area": HazardArea(k), "count": n} for k, n in by_area.items() if n],
        title=tr("隐患领域", "Hazards by area"),
        key="by_area",
    )


def disputes_by_category(now: Mapping[str, int], prev: Mapping[str, int] | None = None) -> Listing:
    """The table of disputes by category (sweep; monthly with last month's beside)."""
    if prev is None:
        heads = columns("category", "count")
        rows = [{"category": DisputeCategory(k), "count": n} for k, n in now.items() if n]
    else:
        heads = columns("category", ("count", "本月", "this month"), ("prev", "上月", "last month"))
        rows = [
            {"category": DisputeCategory(k), "count": n, "prev": prev[k]}
            for k, n in now.items()
            if n or prev[k]
        ]
    return Listing(heads, rows, title=tr("纠纷类别", "Disputes by category"), key="by_category")


def by_kind_table(
    by_kind: Mapping[str, dict[str, Any]],
    total: dict[str, Any],
    counted: tuple[str, str, str],
    rate: tuple[str, str],
    title: tuple[str, str],
    key: str,
) -> Listing:
    """A row per kind of subject, then the total: subjects, those counted, the rate (sweep
    coverage, annual 三零)."""
    rows: list[dict[str, Any]] = [{"kind": SubjectKind(k), **v} for k, v in by_kind.items()]
    rows.append({"kind": tr("合计", "total"), **total})
    heads = columns("kind", ("subjects", "主体数", "subjects"), counted, ("rate", *rate))
    return Listing(heads, rows, title=tr(*title), key=key)
