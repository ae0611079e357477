"""Privacy of key persons: the masking functions, GB 11643, and no output path leaking."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sanling import privacy
from sanling.errors import InvalidValue
from sanling.i18n import set_lang
from tests.helpers import audit_text, dump, run

TODAY = dt.date(2026, 10, 31)


def test_masks() -> None:
    # a name's mask never tells its length
    assert privacy.mask_name("张三") == "张**"
    assert privacy.mask_name("张") == "张**"
    assert privacy.mask_name("欧阳娜娜") == "欧**"
    assert privacy.mask_address("城庄镇城庄村3组12号") == "城庄镇****"
    assert privacy.mask_address("城庄") == "****"
    assert privacy.mask_id("110105194912310021") == "110105********0021"
    assert privacy.mask_phone("13812341234") == "138****1234"
    assert privacy.mask_phone("03587654321") == "035****4321"
    assert privacy.mask_name(None) is None and privacy.mask_phone("") == ""
    row = {
        "ref": "ZD-2026-0001",
        "name": "张三",
        "id_number": "34052419800101001X",
        "phone": "13812341234",
        "address": "城庄村1号",
        "risk": 3,
    }
    assert privacy.masked("persons", row) == {
        **row,
        "name": "张**",
        "id_number": "340524********001X",
        "phone": "138****1234",
        "address": "城庄村****",
    }
    assert privacy.masked("persons", row, reveal=True) == row
    assert privacy.masked("persons", {"name": None, "phone": None}) == {"name": None, "phone": None}
    # a backlog case's petitioner is masked the same way, its other fields are not
    case: dict[str, object] = {"petitioner": "欧阳娜娜", "summary": "宅基地"}
    assert privacy.masked("backlog_cases", case) == {"petitioner": "欧**", "summary": "宅基地"}


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("34052419800101001X", "34052419800101001X"),
        ("34052419800101001x", "34052419800101001X"),
        (" 11010519491231002X ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
        ("141124198503120034", "141124198503120034"),
    ],
)
def test_valid_id_numbers(raw: str, clean: str) -> None:
    assert privacy.normalise_id(raw, TODAY) == clean


@pytest.mark.parametrize(
    "raw,why",
    [
        ("110108196711301866", "check character"),
        ("11010519491231002", "not 18"),
        ("1101051949123100211", "not 18"),
        ("11010519491231002Y", "not 18"),
        ("110105194913310020", "not a real date"),
        ("110105202712310024", "impossible"),
        ("110105187012310020", "impossible"),
    ],
)
def test_invalid_id_numbers(raw: str, why: str) -> None:
    set_lang("en")
    with pytest.raises(InvalidValue) as exc:
        privacy.normalise_id(raw, TODAY)
    assert why in exc.value.message


def test_sex_and_phone() -> None:
    assert privacy.sex_from_id("34052419800101001X") == "male"
    assert privacy.sex_from_id("11010519491231002X") == "female"
    assert privacy.normalise_phone("138-9765 1234") == "13897651234"
    assert privacy.normalise_phone("（0358）7654321") == "03587654321"
    with pytest.raises(InvalidValue):
        privacy.normalise_phone("1234")


# Raw values, and fragments of them that the masks must hide (the middle of an ID is a birth date).
RAW = {
    "name1": "欧阳娜娜",
    "frag1": "娜娜",
    "id1": "141124198503120034",
    "birth1": "19850312",
    "phone1": "13897651234",
    "mid1": "9765",
    "name2": "张三丰",
    "frag2": "三丰",
    "id2": "34052419800101001X",
    "birth2": "19800101",
    "phone2": "03587654321",
    "mid2": "7654",
}


def _leaks(text: str) -> list[str]:
    return [k for k, v in RAW.items() if v in text]


def test_no_output_path_leaks(villages: list[str], tmp_path: Path) -> None:
    outputs: dict[str, str] = {}
    outputs["add1"] = run(
        "person",
        "add",
        "--category",
        "mental",
        "--name",
        RAW["name1"],
        "--id-number",
        RAW["id1"],
        "--phone",
        "138 9765 1234",
        "--village",
        "城庄村",
        "--risk",
        "4",
        "--listed",
        "2026-09-01",
        "--format",
        "json",
    ).out
    outputs["add2"] = run(
        "person",
        "add",
        "--category",
        "released",
        "--name",
        RAW["name2"],
        "--id-number",
        RAW["id2"].lower(),
        "--phone",
        "0358-7654321",
        "--village",
        "李家湾村",
        "--listed",
        "2026-10-01",
    ).out
    refs = ["ZD-2026-0001", "ZD-2026-0002"]
    dup = run(
        "person",
        "add",
        "--category",
        "drug",
        "--name",
        RAW["name2"],
        "--id-number",
        RAW["id2"],
        "--village",
        "城庄村",
        code=1,
    )
    outputs["duplicate"] = dup.out + dup.err
    for fmt in ("table", "json", "csv", "markdown"):
        outputs[f"visit.{fmt}"] = run(
            "person", "visit", refs[0], "--by", "包干部", "--format", fmt
        ).out
        outputs[f"list.{fmt}"] = run("person", "list", "--format", fmt).out
        outputs[f"overdue.{fmt}"] = run(
            "person", "list", "--visit-overdue", "--delisted", "--format", fmt
        ).out
        outputs[f"log.{fmt}"] = run("log", "--limit", "1000", "--format", fmt).out
        outputs[f"logref.{fmt}"] = run("log", "--ref", refs[0], "--format", fmt).out
        for ref in refs:
            outputs[f"show.{ref}.{fmt}"] = run("person", "show", ref, "--format", fmt).out
            path = tmp_path / f"show-{ref}.{fmt}"
            run("person", "show", ref, "--format", fmt, "-o", str(path))
            outputs[path.name] = path.read_text(encoding="utf-8")
        path = tmp_path / f"list.{fmt}"
        run("person", "list", "--format", fmt, "-o", str(path))
        outputs[path.name] = path.read_text(encoding="utf-8")
    outputs["delist"] = run("person", "delist", refs[1], "--reason", "期满", "--format", "json").out
    outputs["after-delist"] = run("person", "list", "--delisted", "--format", "csv").out
    # every output shows the masked values and none of the raw ones
    assert "欧**" in outputs["list.json"] and "141124********0034" in outputs["list.csv"]
    assert (
        # in Markdown the stars are escaped: they are not emphasis
        r"035\*\*\*\*4321" in outputs["list.markdown"]
        and "张**" in outputs["show.ZD-2026-0002.table"]
    )
    assert all(outputs[k].strip() for k in outputs), [k for k in outputs if not outputs[k].strip()]
    leaks = {name: _leaks(text) for name, text in outputs.items() if _leaks(text)}
    assert leaks == {}
    # and neither does the audit log as stored
    assert _leaks(audit_text()) == []
    assert not any("person.reveal" in repr(r) for r in dump()["audit_log"])


def test_reveal_shows_and_is_audited(villages: list[str], tmp_path: Path) -> None:
    run(
        "person",
        "add",
        "--category",
        "mental",
        "--name",
        RAW["name1"],
        "--id-number",
        RAW["id1"],
        "--phone",
        RAW["phone1"],
        "--village",
        "城庄村",
    )
    run(
        "person",
        "add",
        "--category",
        "released",
        "--name",
        RAW["name2"],
        "--id-number",
        RAW["id2"],
        "--phone",
        RAW["phone2"],
        "--village",
        "李家湾村",
    )
    shown = run("person list --reveal --format json").json()
    assert {(r["name"], r["id_number"], r["phone"]) for r in shown} == {
        (RAW["name1"], RAW["id1"], RAW["phone1"]),
        (RAW["name2"], RAW["id2"], RAW["phone2"]),
    }
    path = tmp_path / "one.csv"
    run("person", "show", "ZD-2026-0002", "--reveal", "--format", "csv", "-o", str(path))
    assert RAW["id2"] in path.read_text(encoding="utf-8")
    assert (
        run("person list --village 前进村 --reveal --format json").json() == []
    )  # nothing shown, nothing logged
    log = run("log --format json").json()
    reveals = [e for e in log if e["action"] == "person.reveal"]
    assert [(e["operator"], e["ref"]) for e in reveals] == [
        ("tester", "ZD-2026-0002"),
        ("tester", None),
    ]
    assert "ZD-2026-0001" in reveals[1]["after"] and "ZD-2026-0002" in reveals[1]["after"]
    assert "person show" in reveals[0]["after"] and "person list" in reveals[1]["after"]
    # the log itself still names records, never the people
    assert _leaks(run("log --format csv").out) == []
    # a reveal with a bad format shows nothing and logs nothing
    before = dump()
    run("person", "list", "--reveal", "--format", "xml", code=2)
    assert dump() == before


# A backlog case's petitioner is personal data (fields.py declares it `mask="name"`).
PETITIONER = {"clear": "欧阳娜娜", "frag": "娜娜", "also": "阳娜"}


def _petitioner_leaks(text: str) -> list[str]:
    return [k for k, v in PETITIONER.items() if v in text]


def _backlog_case(petitioner: str) -> None:
    run(
        *("backlog", "add", "--assigned-by", "county", "--village", "城庄村"),
        *("--petitioner", petitioner, "--summary", "宅基地纠纷多年信访", "--lead", "李书记"),
        *("--plan", "包案领导每周走访", "--deadline", "2026-12-31", "--date", "2026-03-01"),
    )


def test_no_output_path_leaks_a_petitioner(villages: list[str], tmp_path: Path) -> None:
    _backlog_case(PETITIONER["clear"])
    ref = "JA-2026-0001"
    outputs: dict[str, str] = {}
    outputs["progress"] = run("backlog", "progress", ref, "首次走访", "--date", "2026-03-05").out
    outputs["edit"] = run("backlog", "edit", ref, "--lead", "王书记", "--reason", "换人").out
    for fmt in ("table", "json", "csv", "markdown"):
        outputs[f"list.{fmt}"] = run("backlog", "list", "--format", fmt).out
        outputs[f"show.{fmt}"] = run("backlog", "show", ref, "--format", fmt).out
        outputs[f"log.{fmt}"] = run("log", "--limit", "1000", "--format", fmt).out
        path = tmp_path / f"list.{fmt}"
        run("backlog", "list", "--format", fmt, "-o", str(path))
        outputs[path.name] = path.read_text(encoding="utf-8")
    for fmt in ("csv", "json"):
        path = tmp_path / f"export.{fmt}"
        run("export", "backlog", "-o", str(path))
        outputs[path.name] = path.read_text(encoding="utf-8")
    outputs["close"] = run("backlog", "close", ref, "--outcome", "settled", "-f", "json").out
    assert "欧**" in outputs["list.json"] and "欧**" in outputs["export.csv"]
    leaks = {name: _petitioner_leaks(text) for name, text in outputs.items()}
    assert {name: found for name, found in leaks.items() if found} == {}
    assert _petitioner_leaks(audit_text()) == []
    # the mask does not tell the name's length
    _backlog_case("王五")
    assert [r["petitioner"] for r in run("backlog list -f json").json()] == ["欧**", "王**"]
    # the ledger still checks against its trail, and a masked export imports again as the
    # same cases (the petitioner is not part of their natural key)
    assert "no problems" in run("db check").err
    result = run("import", "backlog", str(tmp_path / "export.csv"))
    assert "imported 0 backlog cases from export.csv; 1 already in the ledger" in result.out
    # an import's fast path logs the petitioner masked too
    sheet = tmp_path / "new.csv"
    sheet.write_text(
        "交办层级,村,信访人,简要情况,包案领导,一案一策措施,化解时限,交办日期\n"
        f"县级交办,城庄村,{PETITIONER['clear']},土地纠纷,李书记,走访,2026-12-31,2026-04-01\n",
        encoding="utf-8",
    )
    assert "imported 1 backlog case" in run("import", "backlog", str(sheet)).out
    assert _petitioner_leaks(audit_text()) == []
    assert "no problems" in run("db check").err


def test_a_petitioner_revealed_is_audited(villages: list[str], tmp_path: Path) -> None:
    _backlog_case(PETITIONER["clear"])
    ref = "JA-2026-0001"
    assert run("backlog list --reveal -f json").json()[0]["petitioner"] == PETITIONER["clear"]
    assert PETITIONER["clear"] in run("backlog", "show", ref, "--reveal").out
    path = tmp_path / "all.xlsx"
    run("export", "backlog", "-o", str(path), "--reveal")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    log = run("log --format json").json()
    reveals = [(e["ref"], e["after"]) for e in log if e["action"] == "backlog.reveal"]
    assert [r for r, _ in reveals] == [ref, ref, ref]
    vias = ["export all.xlsx", "backlog show", "backlog list"]
    assert all(f"via={via}" in after for via, (_, after) in zip(vias, reveals, strict=True))
    # nothing shown, nothing logged; a refused format neither
    before = dump()
    assert run("backlog list --village 前进村 --reveal -f json").json() == []
    run("backlog", "show", ref, "--reveal", "--format", "xml", code=2)
    assert dump() == before
    assert "no problems" in run("db check").err


def test_a_petitioner_an_older_version_logged_in_clear(villages: list[str]) -> None:
    """Entries written before the petitioner was masked keep it in clear (the hash chain
    covers them): `log` and --changes-since mask it on the way out, `db check` accepts it."""
    from sanling.ledger.base import snapshot
    from sanling.models import BacklogCase
    from tests.helpers.ledgers import writing

    _backlog_case("王五")
    moment = dt.datetime.now(dt.UTC).isoformat()
    with writing() as lx:  # a step as an older sanling logged it
        case = lx.record(BacklogCase, "JA-2026-0001")
        before = {**snapshot(case), "petitioner": "王五"}
        case.petitioner = PETITIONER["clear"]
        lx.audit(
            "backlog.edit", case.ref, before, {**snapshot(case), **{"petitioner": case.petitioner}}
        )
    assert PETITIONER["clear"] in audit_text()  # it is there, in clear
    shown = run("log --format csv").out + run("log").out
    assert _petitioner_leaks(shown) == [] and "王五" not in shown
    changes = run(f"report monthly --format json --changes-since {moment}").json()
    assert _petitioner_leaks(repr(changes)) == []
    assert "no problems" in run("db check").err
