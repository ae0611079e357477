"""Import maps: a small TOML file for what a ledger writes its own way (docs/import-export.md).

```toml
kind = "hazards"                  # optional: the kind the map is for
[columns]                         # header as written -> field ("" leaves the column out)
"隐患名称" = "description"
[values.area]                     # per field: value as written -> code
"校园安全" = "other"
[defaults]                        # a value for every row where the file has none
area = "other"
```

A map is read with the standard library (tomllib), kept in the ledger under a name
(`--save-map NAME`, table import_maps) and used again with `--map NAME`. `suggest` writes a
starter map from a file: its unmatched headers and values with their row counts.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanling.errors import InvalidValue, NotFound, os_reason
from sanling.i18n import choices, parse_code, tr
from sanling.transfer.specs import Spec, norm


@dataclass
class ImportMap:
    columns: dict[str, str] = field(default_factory=dict)  # normalised header -> key or ""
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> norm text -> value
    defaults: dict[str, str] = field(default_factory=dict)
    kind: str | None = None
    text: str = ""  # the TOML as written, kept when the map is saved


def _bad(message: str, where: str) -> InvalidValue:
    return InvalidValue(
        tr("导入映射 {w} 有误：{m}", "the import map {w} is wrong: {m}", w=where, m=message),
        tr("格式见 docs/import-export.md", "see docs/import-export.md for the format"),
    )


def parse(text: str, spec: Spec, where: str) -> ImportMap:
    """A map's TOML, checked against the kind: every field it names is one of the kind's."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _bad(str(exc), where) from None
    keys = {c.key for c in spec.columns if not c.export_only}
    known = ", ".join(sorted(keys))

    def field_of(key: Any) -> str:
        if not isinstance(key, str) or key not in keys:
            raise _bad(
                tr(
                    "“{k}”不是{kind}的字段；可选：{c}",
                    "'{k}' is not a field of {kind}; use one of: {c}",
                    k=key,
                    kind=spec.kind,
                    c=known,
                ),
                where,
            )
        return key

    def table(name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise _bad(tr("[{n}] 应为表", "[{n}] must be a table", n=name), where)
        return value

    kind = data.get("kind")
    if kind is not None and kind != spec.kind:
        raise _bad(
            tr("这是{k}的映射，不是{s}的", "it is a map for {k}, not {s}", k=kind, s=spec.kind),
            where,
        )
    unknown = set(data) - {"kind", "columns", "values", "defaults"}
    if unknown:
        raise _bad(
            tr("未知的部分：{u}", "unknown sections: {u}", u=", ".join(sorted(unknown))), where
        )
    columns = {norm(h): (field_of(k) if k else "") for h, k in table("columns").items()}
    values: dict[str, dict[str, str]] = {}
    for key, words in table("values").items():
        if not isinstance(words, dict):
            raise _bad(tr("[values.{k}] 应为表", "[values.{k}] must be a table", k=key), where)
        values[field_of(key)] = {norm(w): str(v) for w, v in words.items() if str(v).strip()}
    defaults = {field_of(k): str(v) for k, v in table("defaults").items() if str(v).strip()}
    return ImportMap(columns, values, defaults, kind, text)


def load(source: str, spec: Spec, lx: Any | None) -> ImportMap:
    """A map from a file, else one kept in the ledger under that name."""
    path = Path(source)
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise _bad(os_reason(exc), source) from None
        return parse(text, spec, path.name)
    if lx is not None:
        from sanling.models import ImportMapRow

        row = lx.session.get(ImportMapRow, source.strip())
        if row is not None:
            return parse(row.body, spec, source)
    raise NotFound(
        tr("没有导入映射文件或已保存的映射“{n}”", "no map file or saved map named '{n}'", n=source),
        tr("用 --save-map NAME 保存映射", "save a map with --save-map NAME"),
    )


def save(lx: Any, name: str, kind: str, imap: ImportMap) -> None:
    """Keep the map in the ledger under `name` (replacing one of that name), audited."""
    from sanling.models import ImportMapRow

    key = name.strip()
    if not key or len(key) > 40:
        raise InvalidValue(tr("映射名应为 1-40 个字", "a map name is 1 to 40 characters"))
    row = lx.session.get(ImportMapRow, key)
    before = {"kind": row.kind, "body": row.body} if row is not None else {}
    if row is None:
        row = ImportMapRow(name=key, kind=kind, body=imap.text, saved_on=lx.today)
        lx.session.add(row)
    else:
        row.kind, row.body, row.saved_on = kind, imap.text, lx.today
    lx.audit("import.map.save", key, before, {"kind": kind, "body": imap.text})


# ---- a starter map ----------------------------------------------------------------------------
def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def suggest(spec: Spec, path: Path, sheet_name: str | None = None) -> str:
    """A starter map for `path`: its unmatched headers and values with their row counts, and
    the required fields it lacks as defaults to fill in."""
    from sanling.transfer import importer
    from sanling.transfer.read import read
    from sanling.transfer.shape import pick_sheet

    sheets = pick_sheet(read(path), sheet_name)
    unmatched: Counter[str] = Counter()
    headers: list[str] = []
    wrong: dict[str, Counter[str]] = {}
    taken: set[str] = set()
    found = False
    for sheet in sheets:
        index = importer._header_row(spec, sheet, None)
        if index is None:
            continue
        found = True
        layout, keys = importer.layout_of(spec, sheet, index)
        taken.update(keys)
        at = {text: i for i, text, _ in importer._headers(spec, sheet, index, None) if text}
        wanted = [(at[t], t) for t in layout.ignored if t in at]
        coded = [(i, c) for i, c, _t in layout.columns if c.enum is not None]
        headers.extend(t for _, t in wanted if t not in headers)
        _, body = importer._body(layout)
        for _n, cells in body:
            for i, text in wanted:
                if i < len(cells) and importer._text(cells[i]):
                    unmatched[text] += 1
            for i, col in coded:
                value = importer._text(cells[i]) if i < len(cells) else ""
                if value and parse_code(col.enum, value) is None:  # type: ignore[arg-type]
                    wrong.setdefault(col.key, Counter())[value] += 1
    if not found:
        raise importer._no_header(spec)
    fields = ", ".join(c.key for c in spec.columns if not c.export_only)
    lines = [
        tr(
            "# sanling 导入映射：{k}，由 {f} 生成（格式见 docs/import-export.md）",
            "# sanling import map for {k}, from {f} (format: docs/import-export.md)",
            k=spec.kind,
            f=path.name,
        ),
        f'kind = "{spec.kind}"',
        "",
        "[columns]",
        tr(
            '# 未识别的表头（行数）：填字段名，留空 "" 表示不导入；字段：{c}',
            '# headers not matched (rows with a value): give a field, or "" to leave it out;'
            " fields: {c}",
            c=fields,
        ),
    ]
    lines += [f'{_quote(h)} = ""  # {unmatched[h]}' for h in headers]
    for key, counts in wrong.items():
        enum = spec.by_key[key].enum
        lines += [
            "",
            f"[values.{key}]",
            tr(
                "# 未识别的值（行数）；可选：{c}",
                "# values not understood (rows); codes: {c}",
                c=choices(enum) if enum else "",
            ),
        ]
        lines += [f'{_quote(v)} = ""  # {n}' for v, n in counts.most_common()]
    missing = [c.key for c in spec.required() if c.key not in taken]
    lines += ["", "[defaults]"]
    if missing:
        lines.append(
            tr(
                "# 文件中缺少的必填字段：给整个文件一个值",
                "# required fields the file lacks: a value for the whole file",
            )
        )
        lines += [f'# {k} = ""' for k in missing]
    return "\n".join(lines) + "\n"
