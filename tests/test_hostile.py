"""Hostile input: property-based tests (hypothesis) over every command's options and over
import files. Malformed, future and impossible dates; huge, negative and non-numbers; very
long text, newlines, quotes, NUL bytes, emoji, SQL fragments, undecodable arguments; bad
encodings, truncated and renamed xlsx files, random bytes, odd JSON and a CSV with a million
columns.

Every case ends with exit 0 and a valid record, or exit 1 or 2 with exactly one `error:` line,
no traceback, no "internal error", and the ledger unchanged (conftest `run` and `dump`).
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import dump, ledgers, run

EXAMPLES = int(os.environ.get("SANLING_HOSTILE_EXAMPLES", "20"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY = [
    "",
    " ",
    "\n",
    "a\nb",
    "a\r\nb",
    "\t",
    '"',
    "'",
    "''",
    '"; --',
    "'; DROP TABLE disputes; --",
    "1; DELETE FROM audit_log",
    "Robert'); DROP TABLE subjects;--",
    "%s%s%n",
    "{0}{name}",
    "\\",
    "\\x00",
    "\x00",
    "a\x00b",
    "😀",
    "👨‍👩‍👧‍👦" * 50,
    "\u202eevil",
    "\ufeff",
    "\udcff",
    "x\udc80y",
    "ｘ",
    "城庄村",
    "城庄村 ",
    " 城庄村",
    "城庄村\x00",
    "NULL",
    "None",
    "null",
    "true",
    "-",
    "--help",
    "-f",
    "x" * 5000,
    "长" * 100_001,
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "${HOME}",
    "$(id)",
]
text = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))

BAD_DATES = [
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "2026-10-32",
    "2026/2/29",
    "2025-02-29",
    "9999-12-31",
    "0000-01-01",
    "0001-01-01",
    "1900-01-01",
    "2026-11-01",
    "2027-01-01",
    "tomorrow",
    "today",
    "yesterday",
    "2026年2月30日",
    "2026年10月1日",
    "２０２６-１０-０１",
    "2026-10-01T00:00",
    "20261001",
    "10/01/2026",
    "-1",
    "1e10",
    "2026-10",
    "2026",
    "2026-1-1",
    "2026.10.01",
    " 2026-10-01 ",
    "2026-10-01\n",
]
dates = st.one_of(st.sampled_from(BAD_DATES), st.dates().map(str), text)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(
        ["-1", "0", "1e309", "nan", "inf", "-inf", "3.5", "０", "1_000", "0x10", "", "99999999999"]
    ),
    text,
)
months = st.one_of(
    st.sampled_from(["2026-13", "2026-00", "9999-12", "2026-1", "202610", "2027-01"]), text
)


def attempt(*argv: str, record: bool = False) -> int:
    """Run one hostile command: exit 0, or 1/2 with one error line and nothing changed."""
    before = dump()
    result = run(*argv, code=None)
    assert result.code in (0, 1, 2), (argv, result.code, result.err)
    assert "Traceback" not in result.err and "internal error" not in result.err, (argv, result.err)
    if result.code != 0:
        assert dump() == before, f"failed command changed the ledger: {argv!r}"
    elif record and not {"--help", "-h"} & set(argv):  # a value of --help shows the help
        assert "ref" in result.json() or "name" in result.json(), result.out
    return result.code


def command(
    head: list[str], valid: dict[str, str], hostile: dict[str, Any], flags: tuple[str, ...] = ()
) -> st.SearchStrategy[list[str]]:
    """`head` with its valid options, some replaced by hostile values, some flags."""

    def build(over: dict[str, Any], on: list[str], drop: list[str]) -> list[str]:
        argv = list(head)
        merged = {**valid, **over}
        for opt, value in merged.items():
            if opt in drop:
                continue
            if opt.startswith("--"):
                argv += [opt, value]
            else:
                argv.append(value)  # a positional argument (a reference, a text)
        return argv + on

    return st.builds(
        build,
        st.fixed_dictionaries({}, optional=hostile),
        st.lists(st.sampled_from(flags), unique=True) if flags else st.just([]),
        st.lists(st.sampled_from(sorted(valid)), max_size=1) if valid else st.just([]),
    )


VILLAGE = st.one_of(st.sampled_from(["城庄村", "五和居", "城庄中学", "西坡村", "不存在村"]), text)


@pytest.fixture
def ledger(villages: list[str], templates: ledgers.Templates) -> list[str]:
    """Records to change: a dispute, a hazard, a backlog case, a hotspot and a key person."""
    templates.apply(f"{__name__}.ledger", build)
    return villages


def build() -> None:
    """Through the library, built once (the commands are what the tests here attack)."""
    with ledgers.writing() as lx:
        add = partial(ledgers.add, lx)
        add("sweep", subject="城庄村", by="王强", date="2026-10-01")
        village = {"village": "城庄村"}
        add(
            "dispute",
            category="land",
            summary="地界",
            handler="王强",
            found="2026-10-01",
            **village,
        )
        add(
            "hazard",
            area="road",
            description="护栏",
            responsible="张三",
            found="2026-10-01",
            **village,
        )
        add(
            "backlog",
            assigned_by="county",
            petitioner="王某",
            summary="补偿",
            lead="刘",
            plan="协调",
            deadline="2026-12-31",
            date="2026-03-01",
            **village,
        )
        add("hotspot", description="赌博", date="2026-09-01", **village)
        add(
            "person",
            category="released",
            name="张三丰",
            id_number="34052419800101001X",
            listed="2026-01-10",
            **village,
        )


def finish() -> None:
    run("db check")


ADDS: dict[str, st.SearchStrategy[list[str]]] = {
    "dispute": command(
        ["dispute", "add", "-f", "json"],
        {"--village": "城庄村", "--category": "land", "--summary": "s", "--handler": "h"},
        {
            "--village": VILLAGE,
            "--category": text,
            "--summary": text,
            "--handler": text,
            "--parties": text,
            "--people": numbers,
            "--risk": text,
            "--lead": text,
            "--source": text,
            "--found": dates,
            "--deadline": dates,
            "--sweep": st.one_of(st.just("PC-2026-0001"), text),
            "--subject": text,
            "--town": text,
        },
    ),
    "petition": command(
        ["petition", "add", "-f", "json"],
        {"--village": "城庄村", "--form": "visit", "--level": "town", "--summary": "s"},
        {
            "--village": VILLAGE,
            "--form": text,
            "--level": text,
            "--summary": text,
            "--people": numbers,
            "--date": dates,
            "--dispute": st.one_of(st.just("JF-2026-0001"), text),
            "--subject": text,
        },
        ("--repeated", "--abnormal", "--handled-at-source"),
    ),
    "backlog": command(
        ["backlog", "add", "-f", "json"],
        {
            "--assigned-by": "county",
            "--village": "城庄村",
            "--petitioner": "p",
            "--summary": "s",
            "--lead": "l",
            "--plan": "p",
            "--deadline": "2026-12-31",
        },
        {
            "--assigned-by": text,
            "--village": VILLAGE,
            "--petitioner": text,
            "--summary": text,
            "--lead": text,
            "--plan": text,
            "--deadline": dates,
            "--date": dates,
            "--unit": text,
        },
    ),
    "hazard": command(
        ["hazard", "add", "-f", "json"],
        {"--village": "城庄村", "--area": "road", "--description": "d", "--responsible": "r"},
        {
            "--village": VILLAGE,
            "--area": text,
            "--description": text,
            "--responsible": text,
            "--grade": text,
            "--location": text,
            "--measures": text,
            "--found": dates,
            "--deadline": dates,
            "--sweep": st.one_of(st.just("PC-2026-0001"), text),
            "--subject": text,
        },
    ),
    "hotspot": command(
        ["hotspot", "add", "-f", "json"],
        {"--village": "城庄村", "--description": "d"},
        {"--village": VILLAGE, "--description": text, "--date": dates},
    ),
    "patrol": command(
        ["patrol", "add", "-f", "json"],
        {"--team": "patrol_team", "--leader": "l", "--people": "3"},
        {
            "--team": text,
            "--leader": text,
            "--people": numbers,
            "--village": VILLAGE,
            "--date": dates,
            "--start": st.one_of(
                st.sampled_from(["25:00", "23:60", "9", "21:00", "-1:00", "12:00:99"]), text
            ),
            "--end": st.one_of(st.sampled_from(["00:00", "24:00", "7:5", "01:30"]), text),
            "--kind": text,
            "--route": text,
            "--findings": text,
            "--action": text,
            "--hotspot": st.one_of(st.just("LD-2026-0001"), text),
        },
        ("--to-police",),
    ),
    "case": command(
        ["case", "add", "-f", "json"],
        {"--kind": "criminal", "--village": "城庄村", "--summary": "s"},
        {
            "--kind": text,
            "--village": VILLAGE,
            "--summary": text,
            "--offence": text,
            "--source": text,
            "--date": dates,
            "--subject": text,
        },
        ("--major",),
    ),
    "accident": command(
        ["accident", "add", "-f", "json"],
        {"--village": "城庄村", "--kind": "road", "--summary": "s"},
        {
            "--village": VILLAGE,
            "--kind": text,
            "--summary": text,
            "--deaths": numbers,
            "--serious-injuries": numbers,
            "--injuries": numbers,
            "--loss": numbers,
            "--date": dates,
        },
    ),
    "person": command(
        ["person", "add", "-f", "json"],
        {
            "--category": "drug",
            "--name": "n",
            "--id-number": "11010519491231002X",
            "--village": "城庄村",
        },
        {
            "--category": text,
            "--name": text,
            "--village": VILLAGE,
            "--phone": text,
            "--sex": text,
            "--address": text,
            "--risk": numbers,
            "--guardian": text,
            "--cadre": text,
            "--listed": dates,
            "--id-number": st.one_of(
                st.sampled_from(
                    [
                        "110108196711301866",
                        "11010519491231002x",
                        "１１０１０５１９４９１２３１００２Ｘ",
                        "34052419800101001X",
                        "110105209912310020",
                        "000000000000000000",
                    ]
                ),
                text,
            ),
        },
    ),
    "sweep": command(
        ["sweep", "add", "-f", "json"],
        {"--subject": "城庄村", "--by": "b"},
        {"--subject": VILLAGE, "--by": text, "--date": dates, "--scope": text, "--note": text},
    ),
    "subject": command(
        ["subject", "add", "-f", "json"],
        {"NAME": "新村", "--kind": "village"},
        {
            "NAME": text,
            "--kind": text,
            "--village": VILLAGE,
            "--households": numbers,
            "--population": numbers,
            "--contact": text,
            "--phone": text,
        },
        (
            "--mediation-committee",
            "--security-committee",
            "--patrol-team",
            "--video",
            "--police-office",
        ),
    ),
}


def test_add_commands_survive_hostile_options(ledger: list[str]) -> None:
    # One ledger for all nouns (a fresh one per noun costs more than the cases).
    codes: Counter[int] = Counter()
    for noun in sorted(ADDS):

        @SETTINGS
        @given(argv=ADDS[noun])
        def check(argv: list[str]) -> None:
            codes[attempt(*argv, record="-f" in argv)] += 1

        check()
    finish()
    # Both kinds of outcome happened: records were added and hostile values were refused.
    assert codes[0] and (codes[1] + codes[2]), codes
    print(
        f"hostile: {sum(codes.values())} add commands over {len(ADDS)} nouns, exit codes "
        f"{dict(codes)}"
    )


CHANGES = st.one_of(
    command(
        ["dispute", "progress"],
        {"REF": "JF-2026-0001", "TEXT": "t"},
        {"REF": text, "TEXT": text, "--status": text, "--date": dates},
    ),
    command(
        ["dispute", "resolve"],
        {"REF": "JF-2026-0001", "--method": "mediation", "--result": "r"},
        {"REF": text, "--method": text, "--result": text, "--date": dates},
    ),
    command(
        ["dispute", "refer"], {"REF": "JF-2026-0001", "--to": "t"}, {"--to": text, "--date": dates}
    ),
    command(
        ["dispute", "review"],
        {"REF": "JF-2026-0001", "--note": "n"},
        {"--note": text, "--date": dates},
    ),
    command(["hazard", "start"], {"REF": "YH-2026-0001"}, {"REF": text, "--measures": text}),
    command(
        ["hazard", "rectify"],
        {"REF": "YH-2026-0001", "--measures": "m"},
        {"--measures": text, "--date": dates},
    ),
    command(
        ["hazard", "close"],
        {"REF": "YH-2026-0001", "--checked-by": "c"},
        {"--checked-by": text, "--date": dates},
    ),
    command(
        ["backlog", "progress"],
        {"REF": "JA-2026-0001", "TEXT": "t"},
        {"TEXT": text, "--date": dates},
    ),
    command(
        ["backlog", "close"],
        {"REF": "JA-2026-0001", "--outcome": "settled"},
        {"--outcome": text, "--date": dates},
    ),
    command(
        ["backlog", "settle"],
        {"REF": "JA-2026-0001", "--outcome": "settled"},
        {"--outcome": text, "--date": dates},
    ),
    command(
        ["hotspot", "rectify"],
        {"REF": "LD-2026-0001", "--measures": "m"},
        {"--measures": text, "--date": dates},
    ),
    command(
        ["person", "visit"],
        {"REF": "ZD-2026-0001", "--by": "b"},
        {"REF": text, "--by": text, "--note": text, "--date": dates},
    ),
    command(
        ["person", "delist"],
        {"REF": "ZD-2026-0001", "--reason": "r"},
        {"--reason": text, "--date": dates},
    ),
    command(
        ["subject", "update"],
        {"NAME": "前进村"},
        {
            "NAME": VILLAGE,
            "--households": numbers,
            "--population": numbers,
            "--contact": text,
            "--phone": text,
        },
    ),
    command(
        ["subject", "grade"],
        {"NAME": "前进村", "--grade": "key", "--reason": "r"},
        {"NAME": VILLAGE, "--grade": text, "--reason": text},
    ),
    command(
        ["subject", "retire"],
        {"NAME": "兴旺煤业", "--reason": "r"},
        {"NAME": VILLAGE, "--reason": text},
    ),
    command(
        ["config", "set"],
        {"KEY": "dispute_deadline_days", "VALUE": "15"},
        {
            "KEY": st.one_of(
                st.sampled_from(
                    ["timezone", "dispute_deadline_days", "bulletin_webhooks", "grading_thresholds"]
                ),
                text,
            ),
            "VALUE": st.one_of(numbers, text),
        },
    ),
    command(["town", "add"], {"NAME": "新镇"}, {"NAME": text, "--county": text}),
)


def test_changing_commands_survive_hostile_options(ledger: list[str]) -> None:
    @settings(SETTINGS, max_examples=EXAMPLES * 4)
    @given(argv=CHANGES)
    def check(argv: list[str]) -> None:
        attempt(*argv)

    check()
    finish()


READS = st.one_of(
    command(
        ["dispute", "list", "-f", "json"],
        {},
        {
            "--village": VILLAGE,
            "--status": text,
            "--category": text,
            "--handler": text,
            "--from": dates,
            "--to": dates,
            "--as-of": dates,
        },
    ),
    command(
        ["hazard", "list", "-f", "csv"],
        {},
        {"--status": text, "--area": text, "--from": dates, "--as-of": dates},
    ),
    command(
        ["dispute", "show"],
        {"REF": "JF-2026-0001"},
        {"REF": text, "--as-of": dates, "--format": text},
    ),
    command(
        ["person", "list"],
        {},
        {"--category": text, "--village": VILLAGE},
        ("--reveal", "--delisted"),
    ),
    command(["log"], {}, {"--ref": text, "--since": dates, "--limit": numbers}),
    command(
        ["report", "bulletin"],
        {},
        {
            "--date": dates,
            "--format": st.sampled_from(["json", "text", "markdown", "xml", ""]),
            "--explain": text,
        },
    ),
    command(["report", "sweep", "-f", "json"], {}, {"--date": dates, "--explain": text}),
    command(["report", "monthly", "-f", "json"], {}, {"--month": months, "--explain": text}),
    command(["report", "grading", "-f", "json"], {}, {"--date": dates, "--town": text}),
    command(["report", "annual", "-f", "json"], {}, {"--year": numbers, "--explain": text}),
    command(["config", "get"], {"KEY": "timezone"}, {"KEY": text}),
)


def test_reading_commands_survive_hostile_options(ledger: list[str]) -> None:
    @settings(SETTINGS, max_examples=EXAMPLES * 2)
    @given(argv=READS)
    def check(argv: list[str]) -> None:
        attempt(*argv)

    check()
    finish()


# ---- import files ---------------------------------------------------------------------------
HEADER = ["所属村", "类别", "简要情况", "首办责任人", "排查时间", "涉及人数"]
cells = st.one_of(
    text, dates, numbers, st.sampled_from(["城庄村", "land", "土地山林", "王强", "2026-10-01"])
)


def _import(path: Path, kind: str = "disputes") -> int:
    return attempt("import", kind, str(path))


def test_import_of_hostile_csv_rows(ledger: list[str], tmp_path: Path) -> None:
    import csv
    import io

    @SETTINGS
    @given(
        rows=st.lists(st.lists(cells, min_size=0, max_size=8), min_size=1, max_size=5),
        encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"]),
        header=st.sampled_from(
            [HEADER, HEADER[:3], ["village", "category", "summary", "handler"], []]
        ),
    )
    def check(rows: list[list[str]], encoding: str, header: list[str]) -> None:
        buf = io.StringIO()
        writer = csv.writer(buf)
        if header:
            writer.writerow(header)
        writer.writerows(rows)
        path = tmp_path / "hostile.csv"
        path.write_bytes(
            buf.getvalue().encode(
                encoding, errors="surrogateescape" if "utf-8" in encoding else "replace"
            )
        )
        _import(path)

    check()
    finish()


def test_import_of_random_bytes_and_json(ledger: list[str], tmp_path: Path) -> None:
    json_values = st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(
                st.sampled_from(
                    ["village", "category", "summary", "handler", "found", "所属村", "rows", ""]
                ),
                inner,
                max_size=5,
            ),
        ),
        max_leaves=12,
    )

    @SETTINGS
    @given(
        blob=st.binary(max_size=2000),
        suffix=st.sampled_from([".csv", ".xlsx", ".json", ".xls", ".tsv", ".txt", ".pdf", ""]),
        doc=json_values,
        kind=st.sampled_from(["disputes", "hazards", "persons", "subjects", "patrols", "nope"]),
    )
    def check(blob: bytes, suffix: str, doc: Any, kind: str) -> None:
        path = tmp_path / f"blob{suffix}"
        path.write_bytes(blob)
        attempt("import", kind, str(path))
        doc_path = tmp_path / "doc.json"
        doc_path.write_text(json.dumps(doc), encoding="utf-8")
        attempt("import", kind, str(doc_path))

    check()
    finish()


def _xlsx(path: Path, rows: list[list[Any]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_import_of_truncated_and_renamed_xlsx(ledger: list[str], tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    _xlsx(
        good, [HEADER] + [["城庄村", "land", f"行{i}", "王强", "2026-10-01", 2] for i in range(50)]
    )
    data = good.read_bytes()
    rng = random.Random(11)
    cuts = sorted(
        {rng.randrange(1, len(data)) for _ in range(EXAMPLES)} | {1, 4, 30, len(data) - 1}
    )
    for cut in cuts:
        path = tmp_path / "cut.xlsx"
        path.write_bytes(data[:cut])
        assert _import(path) == 1
    # A flipped byte in the middle (a damaged download).
    for _ in range(EXAMPLES // 3):
        damaged = bytearray(data)
        damaged[rng.randrange(len(damaged))] ^= 0xFF
        path = tmp_path / "damaged.xlsx"
        path.write_bytes(bytes(damaged))
        _import(path)
    # Renamed files: an xlsx called .csv, a CSV called .xlsx, a JSON called .xlsx.
    renamed = tmp_path / "really-xlsx.csv"
    renamed.write_bytes(data)
    assert _import(renamed) == 1
    fake = tmp_path / "really-csv.xlsx"
    fake.write_text(",".join(HEADER) + "\n城庄村,land,x,王强,2026-10-01,2\n", encoding="utf-8")
    assert _import(fake) == 1
    # Hostile cells in a real xlsx: formulas, huge numbers, dates as numbers, errors.
    hostile = tmp_path / "hostile.xlsx"
    _xlsx(
        hostile,
        [
            HEADER,
            ["城庄村", "land", "=1/0", "王强", 99999999, 10**20],
            ["城庄村", "land", '=HYPERLINK("http://x")', "王强", -5, -1],
            ["城庄村", "土地山林", "x" * 40_000, "王强", "2026-02-30", "NaN"],
        ],
    )
    assert _import(hostile) == 1
    # And the good file imports whole, once.
    assert _import(good) == 0
    assert _import(good) == 0
    assert (
        len([d for d in run("dispute list -f json").json() if d["summary"].startswith("行")]) == 50
    )
    finish()


def test_import_of_a_csv_with_a_million_columns(ledger: list[str], tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    columns = 1_000_000
    with path.open("w", encoding="utf-8") as fh:
        fh.write(
            ",".join(HEADER) + "," + ",".join(f"c{i}" for i in range(columns - len(HEADER))) + "\n"
        )
        fh.write("城庄村,land,宽表,王强,2026-10-01,2" + ",x" * (columns - len(HEADER)) + "\n")
    code = _import(path)
    if code == 0:
        assert [d["summary"] for d in run("dispute list -f json").json()].count("宽表") == 1
    # And the same width as the header row alone, with no known column at all.
    path.write_text(",".join("z" for _ in range(columns)) + "\n", encoding="utf-8")
    assert _import(path) == 1
    finish()


def test_undecodable_arguments_are_refused_cleanly(ledger: list[str]) -> None:
    # A shell in a non-UTF-8 locale hands Python undecodable bytes as lone surrogates.
    bad = b"\xb3\xc7\xd7\xaf\xb4\xe5".decode("utf-8", errors="surrogateescape")  # 城庄村 in GBK
    for argv in (
        [
            "dispute",
            "add",
            "--village",
            bad,
            "--category",
            "land",
            "--summary",
            "s",
            "--handler",
            "h",
        ],
        [
            "dispute",
            "add",
            "--village",
            "城庄村",
            "--category",
            "land",
            "--summary",
            bad,
            "--handler",
            "h",
        ],
        ["subject", "add", bad, "--kind", "village"],
        ["dispute", "list", "--handler", bad],
        ["dispute", "progress", "\udcff", "t"],
        ["hazard", "list", "--village", "\ud800"],
    ):
        assert attempt(*argv) in (0, 1)
    finish()
