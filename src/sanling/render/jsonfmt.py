"""JSON: English codes as keys and values, ISO dates; a listing is an array."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from typing import Any

from sanling.render import Detail, Listing, Report, plain

CHUNK = 8192  # pieces (keys, values, punctuation) per chunk


def detail_data(detail: Detail) -> dict[str, Any]:
    data = {k: plain(v) for k, v in detail.fields.items()}
    for section in detail.sections:
        data[section.key] = [plain(row) for row in section.rows]
    return data


def _default(value: Any) -> Any:
    """Dates, times and decimals as plain() gives them (codes are strings already)."""
    converted = plain(value)
    if converted is value:
        raise TypeError(f"{type(value).__name__} is not JSON")
    return converted


def json_chunks(obj: Listing | Detail | Report) -> Iterator[str]:
    """The JSON text in chunks of a few thousand pieces. json.dumps keeps every piece in one
    list before joining them: millions for a province's grading, most of its memory."""
    data: Any
    if isinstance(obj, Listing):
        data = [{c.key: plain(row.get(c.key)) for c in obj.columns} for row in obj.rows]
    elif isinstance(obj, Detail):
        data = detail_data(obj)
    else:
        data = obj.data()  # encoded as it is, without a plain() copy of it first
    pieces = json.JSONEncoder(ensure_ascii=False, indent=2, default=_default).iterencode(data)
    while chunk := "".join(islice(pieces, CHUNK)):
        yield chunk
    yield "\n"


def to_json(obj: Listing | Detail | Report) -> str:
    return "".join(json_chunks(obj))
