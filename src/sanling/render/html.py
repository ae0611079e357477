"""HTML: one self-contained page for paper and for the screen.

Inline CSS and inline SVG charts; no scripts, no fonts or images from elsewhere, so the file
opens anywhere and prints on A4. Chinese reads well through a font stack of the common CJK
fonts (Noto Sans CJK SC, Source Han Sans, WenQuanYi, Microsoft YaHei, PingFang) before the
generic sans-serif. The renderer knows report objects, not the database: headline tiles are
the report's own declaration (`tiles`, `charts`, `findings`).
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from sanling.i18n import get_lang, header, label, tr
from sanling.render import Chart, Detail, Listing, Report, Tile, cell, sections_of

CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
       "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "WenQuanYi", "Microsoft YaHei", "PingFang SC",
       "Hiragino Sans GB", "SimHei", sans-serif;
       color: #1a1a1a; margin: 0 auto; max-width: 190mm; padding: 8mm 4mm; font-size: 10.5pt;
       line-height: 1.5; }
h1 { font-size: 17pt; margin: 0 0 2mm; border-bottom: 2px solid #b71c1c; padding-bottom: 2mm; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; color: #7f1010; break-after: avoid; \
page-break-after: avoid; }
.meta { color: #555; font-size: 9pt; margin-bottom: 4mm; }
.tiles { display: flex; flex-wrap: wrap; gap: 3mm; margin: 3mm 0 2mm; }
.tile { flex: 1 1 40mm; border: 1px solid #ddd; border-left: 4px solid #b71c1c; padding: 2mm 3mm;
        break-inside: avoid; page-break-inside: avoid; }
.tile .v { font-size: 16pt; font-weight: bold; }
.tile .k { font-size: 9pt; color: #555; }
.charts { display: flex; flex-wrap: wrap; gap: 4mm; }
figure { margin: 2mm 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 9.5pt; color: #444; margin-bottom: 1mm; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; font-size: 9.5pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #ccc; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #f3e9e9; font-weight: bold; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tfoot td { font-weight: bold; background: #fafafa; }
ul.findings li { margin-bottom: 1.5mm; }
.rule { color: #666; font-size: 8.5pt; }
.empty { color: #888; font-style: italic; }
"""

FONT = (
    "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei','Microsoft YaHei',"
    "'PingFang SC',sans-serif"
)
RED, GREY = "#b71c1c", "#90a4ae"


def _figure(caption: str, width: int, height: int, shapes: list[str]) -> str:
    """An inline SVG chart under its caption."""
    return (
        f"<figure><figcaption>{escape(caption)}</figcaption>"
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" role="img" '
        f'aria-label="{escape(caption)}">'
        f"{''.join(shapes)}</svg></figure>"
    )


def _get(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _num(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


# ---- headline tiles ---------------------------------------------------------------------
def _tiles(data: dict[str, Any], tiles: tuple[Tile, ...]) -> str:
    """The report's declared tiles whose value it has."""
    out = []
    for tile in tiles:
        if not _has_key(data, tile.path):
            continue
        value = _get(data, tile.path)
        if isinstance(value, dict | list):
            continue
        text = _num(value) + (tile.unit if value is not None else "")
        if tile.signed and isinstance(value, float):
            text = f"{value:+.1f}%"
        out.append(
            f'<div class="tile"><div class="v">{escape(text)}</div>'
            f'<div class="k">{escape(tr(*tile.label))}</div></div>'
        )
    return f'<div class="tiles">{"".join(out)}</div>' if out else ""


def _has_key(data: dict[str, Any], path: str) -> bool:
    *head, last = path.split(".")
    parent = _get(data, ".".join(head)) if head else data
    return isinstance(parent, dict) and last in parent


# ---- charts -----------------------------------------------------------------------------
def bar_chart(items: list[tuple[str, int]], caption: str, width: int = 340) -> str:
    """Horizontal bars, one per label, the count at the end."""
    if not items:
        return ""
    top = max(1, *[n for _, n in items])
    row, label_w = 22, 110
    height = row * len(items) + 8
    bars = []
    for i, (name, n) in enumerate(items):
        y = 4 + i * row
        w = (width - label_w - 40) * n / top
        bars.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(name)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="15" fill="{RED}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="12">{n}</text>'
        )
    return _figure(caption, width, height, bars)


def trend_chart(trend: list[dict[str, Any]], caption: str, width: int = 700) -> str:
    """Grouped columns per month: found (red) and resolved (grey)."""
    if not trend:
        return ""
    top = max(1, *[t["found"] for t in trend], *[t["resolved"] for t in trend])
    height, base, left = 200, 170, 30
    slot = (width - left - 10) / len(trend)
    bw = slot * 0.35
    parts = [f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#999"/>']
    for i, t in enumerate(trend):
        x = left + i * slot + slot * 0.12
        for j, (key, colour) in enumerate((("found", RED), ("resolved", GREY))):
            h = (base - 30) * t[key] / top
            bx = x + j * bw
            parts.append(
                f'<rect x="{bx:.1f}" y="{base - h:.1f}" width="{bw:.1f}" height="{h:.1f}" '
                f'fill="{colour}"/>'
            )
            if t[key]:
                parts.append(
                    f'<text x="{bx + bw / 2:.1f}" y="{base - h - 3:.1f}" text-anchor="middle" '
                    f'font-size="10">{t[key]}</text>'
                )
        parts.append(
            f'<text x="{x + bw:.1f}" y="{base + 14}" text-anchor="middle" font-size="10">'
            f"{escape(str(t['month'])[2:])}</text>"
        )
    legend_x = width - 200
    parts.append(
        f'<rect x="{legend_x}" y="4" width="10" height="10" fill="{RED}"/>'
        f'<text x="{legend_x + 14}" y="13" font-size="11">{escape(tr("排查", "found"))}</text>'
        f'<rect x="{legend_x + 80}" y="4" width="10" height="10" fill="{GREY}"/>'
        f'<text x="{legend_x + 94}" y="13" font-size="11">{escape(tr("化解", "resolved"))}</text>'
    )
    return _figure(caption, width, height, parts)


def _charts(data: dict[str, Any], charts: tuple[Chart, ...]) -> str:
    """The report's declared charts that have something to draw."""
    out = []
    for chart in charts:
        value = _get(data, chart.path)
        caption = tr(*chart.caption)
        if chart.codes is None and isinstance(value, list) and value:
            out.append(trend_chart(value, caption))
        elif chart.codes is not None and isinstance(value, dict) and any(value.values()):
            bars = [(label(chart.codes(k)), n) for k, n in value.items() if n]
            out.append(bar_chart(bars, caption))
    return f'<div class="charts">{"".join(out)}</div>' if out else ""


# ---- tables -----------------------------------------------------------------------------
def _is_num(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _table(part: Listing | Detail) -> str:
    title = f"<h2>{escape(part.title)}</h2>" if part.title else ""
    if isinstance(part, Detail):
        rows = "".join(
            f"<tr><th>{escape(header(k))}</th><td>{escape(cell(v))}</td></tr>"
            for k, v in part.fields.items()
        )
        return (
            title
            + f"<table><tbody>{rows}</tbody></table>"
            + "".join(_table(s) for s in part.sections)
        )
    if not part.rows:
        return title + f'<p class="empty">{escape(tr("无", "none"))}</p>'
    head = "".join(f"<th>{escape(c.heading())}</th>" for c in part.columns)
    body = []
    for row in part.rows:
        tds = []
        for c in part.columns:
            v = row.get(c.key)
            cls = ' class="n"' if _is_num(v) else ""
            tds.append(f"<td{cls}>{escape(cell(v))}</td>")
        body.append(f"<tr>{''.join(tds)}</tr>")
    foot = ""
    if part.totals:
        foot = (
            "<tfoot><tr>"
            + "".join(f"<td>{escape(cell(part.totals.get(c.key)))}</td>" for c in part.columns)
            + "</tr></tfoot>"
        )
    return (
        title + f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>{foot}</table>"
    )


def _findings(findings: Any) -> str:
    """The report's findings (sentences, each with its rule), when it declares some."""
    if not isinstance(findings, list):
        return ""
    if not findings:
        nothing = tr("本月无需特别关注的情况", "nothing stands out this month")
        return f'<h2>{escape(tr("研判", "Findings"))}</h2><p class="empty">{escape(nothing)}</p>'
    items = []
    for f in findings:
        if isinstance(f, dict):
            items.append(
                f'<li>{escape(str(f.get("text", "")))}<br><span class="rule">'
                f"{escape(tr('依据：', 'rule: '))}{escape(str(f.get('rule_text', '')))}</span></li>"
            )
        else:
            items.append(f"<li>{escape(str(f))}</li>")
    return f'<h2>{escape(tr("研判", "Findings"))}</h2><ul class="findings">{"".join(items)}</ul>'


def to_html(obj: Listing | Detail | Report) -> str:
    title = getattr(obj, "title", None) or tr("报表", "Report")
    body: list[str] = [f"<h1>{escape(title)}</h1>"]
    data: dict[str, Any] = {}
    apart: str | None = None  # the key of the report's findings: shown as a list, not a table
    if not isinstance(obj, Listing | Detail):
        data = obj.data()
        as_of = data.get("as_of")
        stamp = (
            f" · {tr('截至', 'as of')} {as_of.isoformat() if isinstance(as_of, dt.date) else as_of}"
            if as_of
            else ""
        )
        body.append(
            f'<div class="meta">{escape(tr("sanling 生成", "made by sanling") + stamp)}</div>'
        )
        body.append(_tiles(data, getattr(obj, "tiles", ())))
        body.append(_charts(data, getattr(obj, "charts", ())))
        apart = getattr(obj, "findings", None)
        body.append(_findings(data.get(apart) if apart else None))
    for part in sections_of(obj):
        if isinstance(part, Listing) and part.key in (apart, "trend_chart"):
            continue
        body.append(_table(part))
    lang = "zh-CN" if get_lang() == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
