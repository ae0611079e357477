"""JSON: English codes as keys and values, ISO dates; a listing is an array."""

from __future__ import annotations

import json
from typing import Any

from sanling.render import Detail, Listing, Report, plain


def detail_data(detail: Detail) -> dict[str, Any]:
    data = {k: plain(v) for k, v in detail.fields.items()}
    for section in detail.sections:
        data[section.key] = [plain(row) for row in section.rows]
    return data


def to_json(obj: Listing | Detail | Report) -> str:
    data: Any
    if isinstance(obj, Listing):
        data = [{c.key: plain(row.get(c.key)) for c in obj.columns} for row in obj.rows]
    elif isinstance(obj, Detail):
        data = detail_data(obj)
    else:
        data = plain(obj.data())
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
