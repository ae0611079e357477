"""The order of Chinese names: by pinyin (东庄村 before 刘家峁村 before 五和居), as offices
sort their lists, instead of by Unicode code point.

One key for every table, report and export that lists villages, subjects, towns or people by
name. Each Han character sorts by its first reading in pypinyin's table (toneless syllable,
then tone), then by the character itself; digits and Latin letters come before Chinese.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

_TONES = str.maketrans(
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ",
    "aaaaeeeeiiiioooouuuuvvvvvnnnm",
)
_TONE_OF = {
    c: tone
    for tone, marks in enumerate(("āēīōūǖ", "áéíóúǘńḿ", "ǎěǐǒǔǚň", "àèìòùǜǹ"), start=1)
    for c in marks
}


@lru_cache(maxsize=1)
def _readings() -> dict[str, str]:
    """pypinyin's table of each character's readings (code point -> "zhòng,chóng"), read
    from its JSON file: importing the package would also load its phrase dictionary, a
    quarter of a second that a sort does not need."""
    import json
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("pypinyin")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        table = Path(folder) / "pinyin_dict.json"
        if table.exists():
            data: dict[str, str] = json.loads(table.read_text(encoding="utf-8"))
            return data
    from pypinyin.pinyin_dict import pinyin_dict  # a layout without the JSON file

    return {str(k): v for k, v in pinyin_dict.items()}


@lru_cache(maxsize=8192)
def _char(ch: str) -> tuple[Any, ...]:
    reading = _readings().get(str(ord(ch)))
    if reading is None:
        return (0, ch.casefold(), ch)
    first = reading.split(",")[0]
    tone = next((_TONE_OF[c] for c in first if c in _TONE_OF), 5)  # 5: the neutral tone
    return (1, first.translate(_TONES), tone, ch)


def name_key(name: str | None) -> tuple[Any, ...]:
    """A sort key for a Chinese (or any) name: by pinyin, character by character."""
    return tuple(_char(ch) for ch in (name or ""))
