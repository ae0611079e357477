"""Write the office-vocabulary tables of docs/import-export.md from their declarations.

    .venv/bin/python docs/generate_vocab.py           # rewrite the section
    .venv/bin/python docs/generate_vocab.py --check   # exit 1 if it is out of date

The section between the `vocab:start` and `vocab:end` markers is generated: the headers each
kind takes per field (fields.py: synonyms and fallbacks), the other words each code takes
(codes.py aliases), the outcome words, the inference tables and the outcome-date rule
(transfer/vocab.py). tests/test_import_words.py runs the check, so the tables cannot go stale.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

from sanling import codes
from sanling.fields import FIELDS
from sanling.i18n import CODE_SUFFIXES, HEADERS
from sanling.transfer import officedates, vocab

TARGET = Path(__file__).resolve().parent / "import-export.md"
START, END = "<!-- vocab:start (python docs/generate_vocab.py) -->", "<!-- vocab:end -->"
KINDS = ("disputes", "petitions", "hazards", "persons", "backlog", "hotspots", "cases")
CODES: tuple[type[StrEnum], ...] = (
    codes.DisputeCategory,
    codes.Risk,
    codes.PetitionForm,
    codes.HazardArea,
    codes.HazardGrade,
    codes.PersonCategory,
)


def _cell(items: tuple[str, ...] | list[str]) -> str:
    return "、".join(x.replace("\n", "⏎") for x in items) or "—"


def section() -> str:
    out = [START, ""]
    out.append("### Headers per kind")
    out.append("")
    out.append(
        "A column is matched by its header after normalising (full-width brackets, spaces, `*`"
        " and case do not matter). *Only when alone*: read only if the file has no other header"
        " of that field, else kept on the record like a column with no field."
    )
    for kind in KINDS:
        out += ["", f"#### {kind}", "", "| field | headers | only when alone |", "|---|---|---|"]
        for f in FIELDS[kind]:
            if f.export_only:
                continue
            zh = (f.title or HEADERS.get(f.key, (f.key, f.key)))[0]
            headers = [zh, *f.synonyms]
            out.append(
                f"| `{f.key}` | {_cell(list(dict.fromkeys(headers)))} | {_cell(f.fallbacks)} |"
            )
    out += ["", "### Code words", ""]
    out.append(
        "Besides the code and its label, each code takes these words; a label with one of the"
        f" suffixes {_cell(CODE_SUFFIXES)} is read as the label (婚姻家庭纠纷, 一般隐患)."
    )
    for enum in CODES:
        out += ["", f"#### {enum.__name__}", "", "| code | label | other words |", "|---|---|---|"]
        for m in enum:
            assert isinstance(m, codes.Coded)
            out.append(f"| `{m.value}` | {m.zh} | {_cell(m.aliases)} |")
    out += ["", "### Outcome words", ""]
    out.append(
        "A cell is read by the phrase that starts first in it; of several outcome cells of a row"
        " the furthest state wins."
    )
    for name, table in (("disputes", vocab.DISPUTE_OUTCOMES), ("hazards", vocab.HAZARD_OUTCOMES)):
        out += ["", f"#### {name}", "", "| state | phrases |", "|---|---|"]
        for state, phrases in table.items():
            out.append(f"| `{state}` | {_cell(phrases)} |")
    out += ["", "### Inference tables", ""]
    out.append(
        "Used only when neither the file nor a whole-file option gives the value; the first"
        " entry with a word in the text wins, else `other`. Each inferred value is counted in"
        " the summary and noted on the record (`show`, 导入说明)."
    )
    for title, rows in (
        ("dispute category (from 简要情况)", vocab.CATEGORY_WORDS),
        ("hazard area (from 隐患描述 and 隐患部位)", vocab.AREA_WORDS),
        ("resolution method (from the outcome sentence; else mediation)", vocab.METHOD_WORDS),
    ):
        out += ["", f"#### {title}", "", "| value | words |", "|---|---|"]
        for value, words in rows:
            out.append(f"| `{value}` | {_cell(words)} |")
    out += [
        "",
        f"A petition with no 层级 column: `{vocab.PETITION_LEVEL}` (a town's own ledger).",
        "",
        "### Dates",
        "",
        f"- at once (the found date): {_cell(officedates.AT_ONCE)}",
        f"- no deadline (the policy's default applies, noted): {_cell(officedates.NO_DEADLINE)}",
        "- `3月底` / `3月末`: that month's last day; `3月5日`: that day; the year is the found"
        " date's; a time (`9时`) and 前 / 之前 after a date are dropped.",
        f"- an outcome said done without a date: {vocab.OUTCOME_DATE_RULE[1]}"
        f" ({vocab.OUTCOME_DATE_RULE[0]}); never today.",
        "",
        END,
    ]
    return "\n".join(out)


def updated(text: str) -> str:
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{section()}{tail}"


def main(argv: list[str]) -> int:
    text = TARGET.read_text(encoding="utf-8")
    new = updated(text)
    if "--check" in argv:
        if new != text:
            print("docs/import-export.md is out of date: run python docs/generate_vocab.py")
            return 1
        return 0
    TARGET.write_text(new, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
