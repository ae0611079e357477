"""Places as offices write them: the village or community a longer name contains.

A ledger's 所属村 column often holds the body or the spot rather than the village itself:
`李家湾村人民调解委员会`, `李家湾村第一网格`, `李家湾村3组`, `东关社区幸福小区5号楼`. Each names one
village or community of the ledger, found as the longest registered name the text contains. A
text that contains two different ones (`李家湾村与石门村`) is refused naming both. A town-level
body (`某镇人民调解委员会`, `镇司法所`, `镇直`) that names no village is the town itself: its
subject of kind town_office (镇直), added once per town
(`sanling subject add 镇直 --kind town_office`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sanling.errors import InvalidValue
from sanling.i18n import tr

# Words of a town-level body or office when no village is named in the same text.
TOWN_WORDS = re.compile(
    r"^(镇直|乡直|镇属|乡属)$|^[镇乡](政府|党委|人大|司法所|派出所|综治|信访|应急|安监|人社|农经|林业|"
    r"财政|民政|卫生|国土|规划|城建|执法|人民调解|调解)|(人民政府|政府|党委|司法所|派出所|综治中心|"
    r"综治办|信访办|人民调解委员会|调委会)"
)


class Places:
    """The registered village and community names, and the towns, to find in a text."""

    def __init__(
        self, villages: Iterable[str], towns: Iterable[str], offices: dict[str, str] | None = None
    ) -> None:
        self.names = sorted(set(villages), key=len, reverse=True)
        self.offices = offices or {}  # town -> the name of its town_office subject (镇直)
        self.known = set(self.names) | set(self.offices.values())
        self.towns = [t for t in towns if t]

    def village(self, text: str) -> str | None:
        """The village `text` names: itself when registered, else the one name it contains
        (the longest where one contains another); None when it names none (the ledger then
        says no such village). Raises InvalidValue for two, or for the town itself."""
        raw = text.strip()
        if raw in self.known or not raw:
            return raw or None
        found: list[tuple[int, int, str]] = []
        for name in self.names:  # longest first: a shorter name inside a longer one is not new
            at = raw.find(name)
            while at >= 0:
                end = at + len(name)
                if not any(a <= at and end <= b for a, b, _ in found):
                    found.append((at, end, name))
                at = raw.find(name, at + 1)
        distinct = list(dict.fromkeys(n for _, _, n in sorted(found)))
        if len(distinct) == 1:
            return distinct[0]
        if len(distinct) > 1:
            raise InvalidValue(
                tr(
                    "“{t}”含有两个村（社区）：{a}和{b}",
                    "'{t}' names two villages: {a} and {b}",
                    t=raw,
                    a=distinct[0],
                    b=distinct[1],
                ),
                tr("写明记录属于哪一个村", "write the one village the record belongs to"),
            )
        if self.town_level(raw):
            named = [o for t, o in self.offices.items() if t in raw]
            offices = named or list(dict.fromkeys(self.offices.values()))
            if len(offices) == 1:
                return offices[0]
            if offices:
                raise InvalidValue(
                    tr(
                        "“{t}”是乡镇一级（镇直），但没有写明哪个乡镇",
                        "'{t}' is a town itself (镇直), but which town is not said",
                        t=raw,
                    ),
                    tr("用 --town 或所属乡镇列", "give --town or a town column"),
                )
            raise InvalidValue(
                tr(
                    "“{t}”是乡镇一级（镇直），没有写明村（社区）",
                    "'{t}' is the town itself (镇直), not a village",
                    t=raw,
                ),
                tr(
                    "镇直的记录先登记乡镇本身：`sanling subject add 镇直 --kind town_office`；"
                    "或写明所属村（社区）",
                    "for the town's own records add the town itself once:"
                    " `sanling subject add 镇直 --kind town_office`; or write the village",
                ),
            )
        return None

    def town_level(self, text: str) -> bool:
        """A town-level body: a town-level office's words, or the town's own name."""
        return bool(TOWN_WORDS.search(text)) or any(t in text for t in self.towns)
