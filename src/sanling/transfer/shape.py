"""The shape of an office's file around its rows: which sheets, which lines are footers, the
values the command line or a map gives for the whole file, and places written the office's way.

Each row's cells pass through `Shape.row` before the importer reads them: a map's words become
codes, an empty cell (or a column the file lacks) takes the whole file's value (a file's cell
> an option such as `--village` > the map's [defaults] > what the importer infers), a unit's
or enterprise's subject gives its village, and a place like `李家湾村第一网格` becomes the village
it names (places.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sanling.errors import InvalidValue, SanlingError
from sanling.i18n import tr
from sanling.transfer.read import Sheet
from sanling.transfer.specs import LIST, Col, Spec, norm

if TYPE_CHECKING:
    from sanling.transfer.importer import Layout, _Import
    from sanling.transfer.maps import ImportMap
    from sanling.transfer.places import Places

# A footer: the first filled cell starts with one of these words (then a colon, a space or
# nothing): 填表人：张三  审核人：李四, 合计, 说明：...
FOOTER = re.compile(
    r"^(填表人|填报人|填表|审核人|审核|审批人|负责人签字|制表人|制表|制表单位|制表日期|填表日期|填报日期|"
    r"报送日期|说明|注|备注|合计|总计|小计)\s*([:：]|\s|$)"
)


# The columns `sanling import` takes a whole-file value for (--village ...).
OPTION_KEYS = ("village", "subject", "town", "found", "category", "area", "form", "level")


def dated(spec: Spec) -> str | None:
    """The kind's found date (found, date): a file without it needs --found, since a record
    dated the day of the import would be wrong (a person's listed date is not asked for)."""
    from sanling.fields import DATE

    if spec.kind in ("subjects", "persons"):
        return None
    return next((c.key for c in spec.columns if c.vtype == DATE and c.is_input), None)


def footer(cells: list[Any]) -> bool:
    """A line under the table: 填表人, 审核人, 制表, 说明, 合计 ... in its first filled cell."""
    for cell in cells:
        if cell is None or cell == "":
            continue
        return isinstance(cell, str) and FOOTER.match(cell.strip()) is not None
    return False


def pick_sheet(sheets: list[Sheet], name: str | None) -> list[Sheet]:
    """The sheet `--sheet` names (by name, or by its number from 1), else all of them."""
    if name is None:
        return sheets
    for sheet in sheets:
        if sheet.name == name.strip():
            return [sheet]
    if name.strip().isdigit() and 1 <= int(name) <= len(sheets):
        return [sheets[int(name) - 1]]
    raise InvalidValue(
        tr("文件中没有工作表“{n}”", "the file has no sheet '{n}'", n=name),
        tr("工作表：{s}", "its sheets: {s}", s="、".join(s.name for s in sheets)),
    )


@dataclass
class Options:
    """What the command line gives for the whole file."""

    defaults: dict[str, str] = field(default_factory=dict)  # column key -> value (--village)
    sheet: str | None = None
    map: ImportMap | None = None

    def mapped(self) -> dict[str, str] | None:
        return self.map.columns if self.map is not None else None


@dataclass
class Shape:
    """What is done to each row's cells before the importer reads them (see the module)."""

    defaults: dict[str, tuple[Col, str, str]]  # key -> (column, as named, value)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # map: key -> word -> code
    places: Places | None = None
    fx: Any = None
    # worked out per sheet by use():
    headers: dict[str, str] = field(default_factory=dict)  # key -> "--village" for the options
    columns: list[tuple[int, Col, str]] = field(default_factory=list)  # the file lacks them
    fill: list[tuple[int, str]] = field(default_factory=list)  # (cell index, value)
    recode: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    data: list[int] = field(default_factory=list)  # the indexes of the sheet's own columns
    width: int = 0
    village: tuple[int, str] | None = None  # (cell index, as headed)
    subject: int | None = None
    town: int | None = None
    active: bool = False
    several: bool = False  # the village column lists several (a patrol's)
    spec_keys: frozenset[str] = frozenset()

    @classmethod
    def of(cls, spec: Spec, options: Options) -> Shape:
        """The options and the map's defaults, each checked to be a column of the kind."""
        defaults: dict[str, tuple[Col, str, str]] = {}
        imap = options.map
        given = [(k, v, f"[defaults] {k}") for k, v in (imap.defaults if imap else {}).items()]
        given += [(k, v, f"--{k}") for k, v in options.defaults.items()]
        for key, value, named in given:  # the options last: they win over the map
            if key == "found" and "found" not in spec.by_key:
                key = dated(spec) or key  # --found is a petition's or a case's date
            col = spec.by_key.get(key)
            if col is None or col.export_only:
                raise InvalidValue(
                    tr(
                        "{o} 不适用于{k}",
                        "{o} does not apply to {k}",
                        o=named,
                        k=spec.name(),
                    ),
                    tr(
                        "{k}的字段：{c}",
                        "the fields of {k}: {c}",
                        k=spec.name(),
                        c=", ".join(c.key for c in spec.columns if not c.export_only),
                    ),
                )
            if value.strip():
                defaults[key] = (col, named, value.strip())
        keys = frozenset(c.key for c in spec.columns)
        return cls(defaults, dict(imap.values) if imap else {}, spec_keys=keys)

    def given(self) -> set[str]:
        """The columns given for the whole file (they need no column in the file)."""
        keys = set(self.defaults)
        if "subject" in keys and "village" in self.spec_keys:
            keys.add("village")  # a unit's or enterprise's subject gives its village
        return keys

    def start(self, fx: Any) -> None:
        """The ledger's villages and towns, for places written the office's way."""
        from sqlalchemy import select

        from sanling.codes import RESIDENTIAL, SubjectKind
        from sanling.models import Subject, Town
        from sanling.transfer.places import Places

        self.fx = fx
        query = select(Subject.name).where(Subject.kind.in_(RESIDENTIAL), Subject.active)
        town = self.defaults.get("town")
        if town is not None:
            query = query.where(Subject.town_id == fx.town(town[2]).id)
        towns = fx.session.scalars(select(Town.name)).all()
        office = (
            select(Town.name, Subject.name)
            .join(Town, Town.id == Subject.town_id)
            .where(Subject.kind == SubjectKind.town_office, Subject.active)
        )
        if town is not None:
            office = office.where(Subject.town_id == fx.town(town[2]).id)
        offices = {t: name for t, name in fx.session.execute(office)}
        self.places = Places(fx.session.scalars(query).all(), towns, offices)

    def use(self, spec: Spec, layout: Layout) -> None:
        """Where this sheet's columns are, and where the whole file's values go."""
        at = {col.key: (i, text) for i, col, text in layout.columns}
        self.data = [i for i, _c, _t in layout.columns]
        self.width = max([len(r) for r in layout.sheet.rows] + [i + 1 for i in self.data] + [0])
        self.headers, self.columns, self.fill = {}, [], []
        extra = self.width
        for key, (col, named, value) in self.defaults.items():
            if key in at:
                self.fill.append((at[key][0], value))
            else:
                self.columns.append((extra, col, named))
                self.headers[key] = named
                self.fill.append((extra, value))
                extra += 1
        self.recode = [(at[k][0], words) for k, words in self.values.items() if k in at]
        village = at.get("village") or (
            (self.width + [c.key for _i, c, _t in self.columns].index("village"), "--village")
            if "village" in self.defaults
            else None
        )
        self.village = village
        self.several = (
            spec.by_key.get("village") is not None and spec.by_key["village"].vtype == LIST
        )
        self.subject = next(
            (i for i, c, _t in [*layout.columns, *self.columns] if c.key == "subject"), None
        )
        self.town = next(
            (i for i, c, _t in [*layout.columns, *self.columns] if c.key == "town"), None
        )
        if self.village is None and self.subject is not None and "village" in self.spec_keys:
            # the subject gives the village: a cell of its own at the end of the row
            index = self.width + len(self.columns)
            named = self.headers.get("subject") or at.get("subject", (0, "subject"))[1]
            self.columns.append((index, spec.by_key["village"], named))
            self.headers["village"] = named
            self.village = (index, named)
        self.active = bool(self.fill or self.recode or self.village or self.subject)

    def row(self, job: _Import, number: int, cells: list[Any]) -> list[Any] | None:
        """The row's cells with the whole file's values, a map's codes and the villages;
        None for an empty row (it is skipped, as it would be without options)."""
        if not any(i < len(cells) and cells[i] not in (None, "") for i in self.data):
            return None
        size = self.width + len(self.columns)
        cells = list(cells) + [None] * (size - len(cells)) if len(cells) < size else list(cells)
        for i, words in self.recode:
            value = cells[i]
            if isinstance(value, str) and value.strip():
                cells[i] = words.get(norm(value), value)
        for i, value in self.fill:
            if cells[i] is None or (isinstance(cells[i], str) and not cells[i].strip()):
                cells[i] = value
        if self.village is None:
            return cells
        vi, named = self.village
        text = cells[vi]
        if (text is None or text == "") and self.subject is not None and cells[self.subject]:
            cells[vi] = text = self._village_of(str(cells[self.subject]), cells)
        if isinstance(text, str) and text.strip() and self.places is not None:
            try:
                if self.several:  # a patrol's villages: each one found
                    from sanling.transfer.importer import _LIST_SPLIT

                    cells[vi] = [self.places.village(t) or t for t in _LIST_SPLIT.split(text)]
                else:
                    cells[vi] = self.places.village(text) or text
            except SanlingError as exc:  # a row's problem, with what to do about it
                hint = tr("；", "; ") + exc.hint if exc.hint else ""
                job.wrong(number, named, exc.message + hint)
                return None
        return cells

    def _village_of(self, subject: str, cells: list[Any]) -> str | None:
        """The village of a subject: itself, or the village a unit or enterprise is in."""
        from sanling.codes import RESIDENTIAL

        town = cells[self.town] if self.town is not None else None
        try:
            found = self.fx.subject(subject.strip(), town=str(town).strip() if town else None)
        except SanlingError:
            return None  # the subject's own check says what is wrong
        if found.kind in RESIDENTIAL:
            return found.name
        return found.parent.name if found.parent is not None else None
