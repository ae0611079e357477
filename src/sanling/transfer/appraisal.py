"""Reading an appraisal score sheet (考评表) from a TOML or xlsx file, checked line by line.

A sheet is items with points (together exactly 100), the body that scores each, the rule the
ledger scores it by (if any), and veto items (一票否决) naming their rule. Every problem names
the line (TOML) or row (xlsx) it is on. Nothing here touches the database: ledger/appraisal.py
stores what this returns.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from sanling.codes import AppraisalRule, VetoRule
from sanling.errors import InvalidValue, file_reason
from sanling.i18n import choices, parse_code, tr

TOTAL = Decimal(100)
_KEY = re.compile(r"^[A-Za-z0-9_.\-]{1,40}$")
ITEM_FIELDS = ("key", "section", "title", "points", "body", "rule", "source")
VETO_FIELDS = ("key", "title", "rule", "source")
# xlsx headers: the English field name or the Chinese one offices write.
HEADERS = {
    "key": ("key", "编号", "项目编号"),
    "section": ("section", "类别", "考评项目", "项目"),
    "title": ("title", "考评内容", "内容", "考核内容", "考评标准"),
    "points": ("points", "分值", "分数"),
    "body": ("body", "评分单位", "考评单位", "评分部门"),
    "rule": ("rule", "计分规则", "自动计分"),
    "veto": ("veto", "一票否决"),
    "source": ("source", "出处", "依据", "来源"),
}


@dataclass
class Item:
    key: str
    title: str
    points: Decimal | None = None  # None: a veto item
    section: str | None = None
    body: str | None = None
    rule: AppraisalRule | None = None
    veto: VetoRule | None = None
    source: str | None = None


@dataclass
class SheetSpec:
    name: str | None
    items: list[Item] = field(default_factory=list)

    @property
    def scored(self) -> list[Item]:
        return [i for i in self.items if i.veto is None]

    @property
    def vetoes(self) -> list[Item]:
        return [i for i in self.items if i.veto is not None]


def default_text() -> str:
    """The sheet sanling ships (package data)."""
    return resources.files("sanling").joinpath("data/appraisal_default.toml").read_text("utf-8")


def default() -> SheetSpec:
    return from_toml(default_text(), "appraisal_default.toml")


def read(path: Path) -> SheetSpec:
    """A sheet from a .toml or .xlsx file."""
    if not path.exists():
        raise InvalidValue(tr("文件 {p} 不存在", "there is no file {p}", p=path))
    suffix = path.suffix.lower()
    if suffix == ".toml":
        try:
            text = path.read_text("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidValue(
                tr("{p} 不是 UTF-8 文本", "{p} is not UTF-8 text", p=path.name),
                tr("用记事本另存为 UTF-8", "save it again as UTF-8"),
            )
        return from_toml(text, path.name)
    if suffix in (".xlsx", ".xlsm"):
        return from_xlsx(path)
    raise InvalidValue(
        tr("考评表须是 .toml 或 .xlsx 文件：{p}", "a sheet is a .toml or .xlsx file: {p}", p=path),
        tr("格式见 docs/appraisal.md", "the layout is in docs/appraisal.md"),
    )


def _bad(where: str, zh: str, en: str, **values: Any) -> InvalidValue:
    return InvalidValue(
        tr("考评表{w}：" + zh, "sheet {w}: " + en, w=where, **values),
        tr(
            "改正后重新导入；格式见 docs/appraisal.md",
            "correct it and import again; the layout is in docs/appraisal.md",
        ),
    )


def from_toml(text: str, filename: str) -> SheetSpec:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+), column (\d+)", str(exc))
        where = (
            tr("第 {n} 行第 {c} 列", "line {n}, column {c}", n=found[1], c=found[2])
            if found
            else filename
        )
        raise _bad(
            where,
            "TOML 格式有误：{e}",
            "cannot be read: {e}",
            e=file_reason(exc, fallback=("语法错误", "")),
        ) from None
    lines = _table_lines(text)
    unknown = sorted(set(data) - {"name", "item", "veto"})
    if unknown:
        raise _bad(filename, "未知的键 {k}", "unknown key {k}", k=", ".join(unknown))
    spec = SheetSpec(_name(data.get("name"), filename))
    for table, fields in (("item", ITEM_FIELDS), ("veto", VETO_FIELDS)):
        entries = data.get(table, [])
        if not isinstance(entries, list):
            raise _bad(filename, "{t} 须写成 [[{t}]]", "{t} must be written [[{t}]]", t=table)
        for n, entry in enumerate(entries):
            line = lines[table][n] if n < len(lines[table]) else "?"
            where = tr("第 {n} 行的 [[{t}]]", "line {n} [[{t}]]", n=line, t=table)
            spec.items.append(_entry(entry, fields, where, veto=table == "veto"))
    return _checked(spec, filename)


def _table_lines(text: str) -> dict[str, list[int]]:
    """The line numbers of each [[item]] and [[veto]] header, in order."""
    found: dict[str, list[int]] = {"item": [], "veto": []}
    for n, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"^\s*\[\[\s*(item|veto)\s*\]\]", line)
        if m:
            found[m[1]].append(n)
    return found


def _name(value: Any, where: str) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if len(text) > 100:
        raise _bad(where, "名称过长（最多 100 字）", "name too long (100 characters at most)")
    return text


# The longest text each field may hold (the columns of models.AppraisalItem).
LIMITS = {"section": 100, "body": 100, "title": 1000, "source": 1000, "rule": 40, "key": 40}


def _text(entry: dict[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    """A text field: trimmed, no control characters, within its length."""
    from sanling import safetext

    value = entry.get(key)
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise _bad(where, "缺少 {k}", "has no {k}", k=key)
    bad = safetext.refusal(text, lines=False)
    if bad is not None:
        raise _bad(
            where, "{k} 含有控制字符 {c}", "{k} contains the control character {c}", k=key, c=bad
        )
    if len(text) > LIMITS[key]:
        raise _bad(
            where,
            "{k} 过长（{n} 字，最多 {m}）",
            "{k} is too long ({n} characters, at most {m})",
            k=key,
            n=len(text),
            m=LIMITS[key],
        )
    return text or None


def _entry(entry: Any, fields: tuple[str, ...], where: str, *, veto: bool) -> Item:
    if not isinstance(entry, dict):
        raise _bad(where, "格式不对", "is not a table")
    unknown = sorted(set(entry) - set(fields))
    if unknown:
        raise _bad(
            where,
            "未知的键 {k}（可用：{a}）",
            "unknown key {k} (known: {a})",
            k=", ".join(unknown),
            a=", ".join(fields),
        )
    key = _text(entry, "key", where, required=True) or ""
    if not _KEY.match(key):
        raise _bad(
            where,
            "编号“{k}”只能用英文字母、数字和 . _ -（最多 40 个）",
            "key '{k}' may hold only letters, digits and . _ - (40 at most)",
            k=key[:40],
        )
    title = _text(entry, "title", where, required=True) or ""
    source = _text(entry, "source", where)
    if veto:
        rule_text = _text(entry, "rule", where, required=True) or ""
        return Item(key, title, veto=_code(VetoRule, rule_text, where), source=source)
    rule = _text(entry, "rule", where)
    return Item(
        key,
        title,
        points=_points(entry.get("points"), where),
        section=_text(entry, "section", where),
        body=_text(entry, "body", where),
        rule=_code(AppraisalRule, rule, where) if rule else None,
        source=source,
    )


def _code(enum: Any, text: str, where: str) -> Any:
    member = parse_code(enum, text)
    if member is None:
        raise _bad(
            where,
            "规则“{r}”未知；可用：{c}",
            "unknown rule '{r}'; known: {c}",
            r=text[:40],
            c=choices(enum),
        )
    return member


def _points(value: Any, where: str) -> Decimal:
    if value is None or value == "":
        raise _bad(where, "缺少 points（分值）", "has no points")
    try:
        points = Decimal(str(value).strip())
    except InvalidOperation:
        raise _bad(where, "分值“{v}”不是数", "points '{v}' is not a number", v=str(value)[:20])
    if (
        not points.is_finite()
        or points <= 0
        or points > TOTAL
        or points != points.quantize(Decimal("0.1"))
    ):
        raise _bad(
            where,
            "分值 {v} 须大于 0、不超过 100、最多一位小数",
            "points {v} must be above 0, at most 100, with one decimal at most",
            v=value,
        )
    return points.quantize(Decimal("0.1"))


def _checked(spec: SheetSpec, where: str) -> SheetSpec:
    """Unique keys, points summing to 100, and at least one item."""
    seen: set[str] = set()
    for item in spec.items:
        if item.key in seen:
            raise _bad(where, "编号“{k}”重复", "the key '{k}' appears twice", k=item.key)
        seen.add(item.key)
    if not spec.scored:
        raise _bad(where, "没有计分项", "has no scored item")
    total = sum((i.points or Decimal(0) for i in spec.scored), Decimal(0))
    if total != TOTAL:
        raise _bad(
            where,
            "各项分值合计 {t}，应为 100",
            "the items' points add up to {t}, not 100",
            t=f"{total.normalize():f}",
        )
    return spec


def from_xlsx(path: Path) -> SheetSpec:
    """The first sheet of a workbook: a header row, then one item per row; a row whose 一票否决
    column names a veto rule is a veto item."""
    from sanling.transfer.read import read_excel

    sheet = read_excel(path)[0]
    rows = [*sheet.rows, *sheet.more]
    head_at, columns = _header(rows, path.name)
    spec = SheetSpec(_name(path.stem, path.name))
    for index in range(head_at + 1, len(rows)):
        row = rows[index]
        cells = {k: row[c] if c < len(row) else "" for k, c in columns.items()}
        if all(str(v).strip() == "" for v in cells.values()):
            continue
        where = tr("第 {n} 行", "row {n}", n=index + 1)
        veto = str(cells.pop("veto", "") or "").strip()
        if veto:
            entry = {k: cells.get(k) for k in VETO_FIELDS if k != "rule"}
            entry["rule"] = veto
            spec.items.append(_entry(entry, VETO_FIELDS, where, veto=True))
        else:
            entry = {k: v for k, v in cells.items() if k in ITEM_FIELDS}
            spec.items.append(_entry(entry, ITEM_FIELDS, where, veto=False))
    return _checked(spec, path.name)


def _header(rows: list[list[Any]], where: str) -> tuple[int, dict[str, int]]:
    """The first row naming key, title and points: its index and field -> column."""
    for index, row in enumerate(rows[:20]):
        columns: dict[str, int] = {}
        for c, cell in enumerate(row):
            text = str(cell or "").strip().lower()
            for name, words in HEADERS.items():
                if text in words and name not in columns:
                    columns[name] = c
        if {"key", "title", "points"} <= set(columns):
            return index, columns
    raise _bad(
        where,
        "找不到表头（须有 编号、考评内容、分值 三列）",
        "no header row (it needs key, title and points columns)",
    )
