"""JSON: English codes as keys and values, ISO dates; a listing is an array.

The text is exactly what `json.dumps(data, ensure_ascii=False, indent=2)` writes, made in
chunks (json.dumps holds every piece of a province's grading in one list) and by the C
encoder: Python's indenting encoder is pure Python (a quarter of a province's grading). Here
Python lays out only the containers that hold containers; every other value, and every
container of plain values (most of them: the rows), is one call to the C encoder, whose item
separator carries the newline and the indentation of its depth.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from functools import cache
from itertools import islice, repeat
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from sanling.render import Detail, Listing, Report, plain

CHUNK = 8192  # pieces (keys, values, punctuation) per chunk
INDENT = "  "
_CONTAINERS = (dict, list, tuple)


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


@cache
def _c_encoder(depth: int) -> Callable[[Any], str]:
    """The C encoder writing a container of plain values whose items sit at `depth`."""
    encode = c_make_encoder(
        None, _default, encode_basestring, None, ": ", ",\n" + INDENT * depth, False, False, True
    )
    return lambda value: "".join(encode(value, 0))


# For a container of containers: NUL between items, SOH between a key and its value. Both are
# escaped inside every encoded string (as \u0000, \u0001), so raw they mark structure only.
_marked = c_make_encoder(
    None, _default, encode_basestring, None, "\x01", "\x00", False, False, True
)


def _items(value: dict[Any, Any] | list[Any] | tuple[Any, ...]) -> Any:
    return value.values() if isinstance(value, dict) else value


def _plain(items: Any, *, empty_ok: bool = True) -> bool:
    """No container among `items`, or (`empty_ok`) only empty ones, which C writes as [] too."""
    if not any(map(isinstance, items, repeat(_CONTAINERS))):
        return True
    return empty_ok and not any(isinstance(item, _CONTAINERS) and item for item in items)


def _float(value: float) -> str:
    return float.__repr__(value) if math.isfinite(value) else _c_encoder(0)(value)


_SCALARS: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    float: _float,
    bool: lambda value: "true" if value else "false",
    type(None): lambda _value: "null",
}


def _scalar(value: Any) -> str:
    encode = _SCALARS.get(type(value))
    return encode(value) if encode else _c_encoder(0)(value)


def _two_levels(value: Any, depth: int) -> str:
    """A container of non-empty containers of plain values (a village's parts), in one C call.

    A scalar never starts with a bracket or ends with one, so a bracket next to a marker is
    structure: `}` before NUL closes an inner container, `{` after SOH opens one in a dict."""
    outer, inner = "\n" + INDENT * (depth + 1), "\n" + INDENT * (depth + 2)
    text = "".join(_marked(value, 0))
    body = text[1:-1].replace("}\x00", outer + "}\x02").replace("]\x00", outer + "]\x02")
    if isinstance(value, dict):
        body = body.replace("\x01{", ": {" + inner).replace("\x01[", ": [" + inner)
    else:
        body = body[0] + inner + body[1:]
        body = body.replace("\x02{", "\x02{" + inner).replace("\x02[", "\x02[" + inner)
    body = body.replace("\x02", "," + outer).replace("\x00", "," + inner).replace("\x01", ": ")
    return text[0] + outer + body[:-1] + outer + body[-1] + "\n" + INDENT * depth + text[-1]


def _flat(value: Any, depth: int) -> str | None:
    """The text of a container at `depth` made by C alone, or None where Python must lay it out."""
    items = _items(value)
    if not items:
        return "{}" if isinstance(value, dict) else "[]"
    if _plain(items):
        # Plain values only: one C call; its brackets are replaced by the indented ones.
        text = _c_encoder(depth + 1)(value)
        return text[0] + "\n" + INDENT * (depth + 1) + text[1:-1] + "\n" + INDENT * depth + text[-1]
    if all(
        isinstance(item, _CONTAINERS) and item and _plain(_items(item), empty_ok=False)
        for item in items
    ):
        return _two_levels(value, depth)
    return None


def _key(key: Any) -> str:
    # Numbers, booleans and None as keys: as the encoder converts them, e.g. {"1": null}.
    return _c_encoder(0)({key: None})[1:-7]


def _pieces(value: Any, depth: int) -> Iterator[str]:
    """The text of one value whose first line sits at `depth`, indented as indent=2 does."""
    if not isinstance(value, _CONTAINERS):
        yield _scalar(value)
    elif (text := _flat(value, depth)) is not None:
        yield text
    else:
        yield from _laid_out(value, depth)


def _laid_out(value: Any, depth: int) -> Iterator[str]:
    """A container holding containers, item by item; each item as C can make it."""
    is_dict = isinstance(value, dict)
    inner = "\n" + INDENT * (depth + 1)
    separator = ("{" if is_dict else "[") + inner
    for key, item in value.items() if is_dict else zip(repeat(""), value):
        if is_dict:
            head = separator + (encode_basestring(key) if type(key) is str else _key(key)) + ": "
        else:
            head = separator
        separator = "," + inner
        if not isinstance(item, _CONTAINERS):
            yield head + _scalar(item)
        elif (text := _flat(item, depth + 1)) is not None:
            yield head + text
        else:
            yield head
            yield from _laid_out(item, depth + 1)
    yield "\n" + INDENT * depth + ("}" if is_dict else "]")


def json_chunks(obj: Listing | Detail | Report) -> Iterator[str]:
    """The JSON text in chunks of a few thousand pieces."""
    data: Any
    if isinstance(obj, Listing):
        data = [{c.key: plain(row.get(c.key)) for c in obj.columns} for row in obj.rows]
    elif isinstance(obj, Detail):
        data = detail_data(obj)
    else:
        data = obj.data()  # encoded as it is, without a plain() copy of it first
    pieces = _pieces(data, 0)
    while chunk := "".join(islice(pieces, CHUNK)):
        yield chunk
    yield "\n"


def to_json(obj: Listing | Detail | Report) -> str:
    return "".join(json_chunks(obj))
