"""sanling export: every kind round-trips through import (export -> import into a fresh ledger ->
export again gives the same file); headers follow the ledger language; key persons are
masked unless --reveal, and a revealed export is audited."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from tests.helpers import PG_URL, dump, fail, ledgers, run

KINDS = [
    "subjects",
    "sweeps",
    "disputes",
    "petitions",
    "backlog",
    "hazards",
    "hotspots",
    "patrols",
    "cases",
    "accidents",
    "persons",
]


@pytest.fixture
def full(villages: list[str], templates: ledgers.Templates) -> list[str]:
    """A ledger with records of every kind, in every state an import has to carry."""
    templates.apply(f"{__name__}.full", build)
    return villages


def build() -> None:
    """Built once per session through the library (the CLI adds are tested elsewhere)."""
    from sanling.codes import BacklogOutcome, DisputeStatus
    from sanling.ledger import backlog, dispute, hazard, hotspot, person, petition

    with ledgers.writing() as lx:
        add = partial(ledgers.add, lx)
        add("sweep", subject="城庄村", by="张三", date="2026-10-01", note="例行排查")
        add("sweep", subject="兴旺煤业", by="李四", date="2026-10-02", scope="hazards")
        add(
            "dispute",
            village="城庄村",
            category="land",
            summary="地界纠纷",
            handler="张三",
            found="2026-10-02",
            sweep="PC-2026-0001",
            parties="甲、乙",
            people=3,
        )
        ledgers.resolve(lx, "JF-2026-0001", "2026-10-05")
        add(
            "dispute",
            village="李家湾村",
            subject="兴旺煤业",
            category="labour",
            summary="欠薪",
            handler="李四",
            risk="high",
            lead="刘镇长",
            found="2026-10-10",
            source="hotline",
        )
        dispute.progress(lx, "JF-2026-0002", "正在协调", status=DisputeStatus.stabilized)
        add(
            "dispute",
            village="前进村",
            category="debt",
            summary="借款",
            handler="王五",
            found="2025-12-01",
        )
        dispute.refer(lx, "JF-2025-0001", to="县法院", date="2025-12-20")
        add(
            "dispute",
            village="五和居",
            category="neighbour",
            summary="噪音",
            handler="赵六",
            found="2026-10-20",
            deadline="2026-11-30",
        )
        add(
            "petition",
            village="城庄村",
            form="visit",
            level="county",
            summary="反映地界",
            people=6,
            date="2026-10-03",
            dispute="JF-2026-0001",
            repeated=True,
            handler="张三",
        )
        # its whole life (issue 16): every step's column goes out and comes back
        xf = "XF-2026-0001"
        petition.accept(lx, xf, date="2026-10-04")
        petition.extend(lx, xf, days=10, reason="需会商", approved_by="刘镇长", date="2026-10-05")
        petition.reply(lx, xf, date="2026-10-06", note="书面答复")
        petition.review(lx, xf, stage="review", requested="2026-10-07", decided="2026-10-10")
        petition.review(
            lx, xf, stage="recheck", requested="2026-10-12", decided="2026-10-20", result="维持"
        )
        add(
            "petition",
            village="李家湾村",
            subject="兴旺煤业",
            form="online",
            level="city",
            summary="欠薪",
            date="2026-10-12",
        )
        petition.refuse(lx, "XF-2026-0002", reason="已进入仲裁程序", date="2026-10-13")
        add(
            "backlog",
            assigned_by="county",
            village="前进村",
            petitioner="王某",
            summary="宅基地",
            lead="刘书记",
            plan="依法调处",
            deadline="2026-12-31",
            date="2026-03-01",
        )
        backlog.close(lx, "JA-2026-0001", outcome=BacklogOutcome.settled, date="2026-06-01")
        add(
            "backlog",
            assigned_by="city",
            village="城庄村",
            petitioner="陈某",
            summary="征地补偿",
            lead="刘镇长",
            plan="一案一策",
            deadline="2026-12-01",
            date="2026-04-01",
            unit="国土所",
        )
        backlog.settle(lx, "JA-2026-0002", outcome=BacklogOutcome.stabilized, date="2026-05-01")
        add(
            "backlog",
            assigned_by="province",
            village="李家湾村",
            petitioner="孙某",
            summary="山林",
            lead="刘镇长",
            plan="协调",
            deadline="2026-11-30",
            date="2026-05-01",
        )
        add(
            "hazard",
            village="城庄村",
            area="fire",
            description="电线老化",
            responsible="赵六",
            found="2026-09-01",
            measures="更换",
            location="礼堂",
        )
        hazard.rectify(lx, "YH-2026-0001", "更换电线", "2026-09-10")
        hazard.close(lx, "YH-2026-0001", "孙七", "2026-09-12")
        add(
            "hazard",
            village="李家湾村",
            subject="兴旺煤业",
            area="chemicals",
            grade="major",
            description="储罐",
            responsible="兴旺煤业",
            found="2026-10-02",
            sweep="PC-2026-0002",
        )
        add(
            "hazard",
            village="前进村",
            area="road",
            description="急弯",
            responsible="交管站",
            found="2026-10-05",
        )
        hazard.start(lx, "YH-2026-0003")
        add(
            "hazard",
            village="五和居",
            area="building",
            description="危房",
            responsible="社区",
            found="2026-10-06",
        )
        hazard.rectify(lx, "YH-2026-0004", "加固", "2026-10-20")
        add("hotspot", village="五和居", description="夜市斗殴", date="2026-08-01")
        hotspot.rectify(lx, "LD-2026-0001", "增设巡逻", "2026-08-20")
        add("hotspot", village="城庄村", description="网吧", date="2026-09-15")
        add(
            "patrol",
            village=["城庄村", "李家湾村"],
            team="patrol_team",
            leader="钱八",
            people=4,
            date="2026-10-01",
            start="22:00",
            end="02:00",
            kind="night",
            hotspot="LD-2026-0001",
            findings="无",
            to_police=True,
        )
        add(
            "patrol",
            village=["五和居"],
            team="grid_worker",
            leader="周九",
            people=2,
            date="2026-10-02",
            route="五和居一圈",
        )
        add(
            "case",
            kind="administrative",
            village="城庄村",
            summary="打架",
            date="2025-05-01",
            offence="殴打他人",
        )
        add(
            "case",
            kind="criminal",
            village="李家湾村",
            subject="兴旺煤业",
            summary="盗窃",
            date="2026-04-01",
            major=True,
            source="城庄派出所",
        )
        add(
            "accident",
            village="李家湾村",
            kind="road",
            summary="车祸",
            injuries=1,
            loss=1500.5,
            date="2026-07-01",
        )
        add(
            "accident",
            village="前进村",
            kind="production",
            summary="摔伤",
            serious_injuries=1,
            date="2026-08-01",
            subject="前进村",
        )
        add(
            "person",
            category="released",
            name="张某某",
            id_number="34052419800101001X",
            village="城庄村",
            phone="13812341234",
            risk=3,
            listed="2026-01-10",
            cadre="刘干部",
            guardian="张父",
        )
        person.delist(lx, "ZD-2026-0001", "期满", "2026-06-01")
        add(
            "person",
            category="mental",
            name="李某",
            id_number="11010519491231002X",
            village="五和居",
            risk=0,
            listed="2025-11-01",
        )


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], None]]:
    """Call it to point SANLING_DB at a new, empty ledger (SQLite file or PostgreSQL schema)."""
    schemas: list[str] = []

    def switch() -> None:
        if PG_URL:
            from sqlalchemy import create_engine, text

            schema = "t_" + uuid.uuid4().hex[:12]
            engine = create_engine(PG_URL)
            with engine.begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {schema}"))
            engine.dispose()
            schemas.append(schema)
            sep = "&" if "?" in PG_URL else "?"
            monkeypatch.setenv("SANLING_DB", f"{PG_URL}{sep}options=-csearch_path%3D{schema}")
        else:
            monkeypatch.setenv("SANLING_DB", str(tmp_path / f"ledger-{uuid.uuid4().hex[:8]}.db"))
        run("init --town 城庄镇 --county 临县")

    yield switch
    if schemas:
        from sqlalchemy import create_engine, text

        engine = create_engine(PG_URL or "")
        with engine.begin() as conn:
            for schema in schemas:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


def export_all(folder: Path, fmt: str = "csv") -> dict[str, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for kind in KINDS:
        path = folder / f"{kind}.{fmt}"
        extra = ["--reveal"] if kind == "persons" else []
        run("export", kind, "-o", str(path), *extra)
        files[kind] = path.read_bytes()
    return files


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def import_all(folder: Path, fmt: str = "csv") -> None:
    for kind in KINDS:
        out = run("import", kind, str(folder / f"{kind}.{fmt}"), "--format", "json").json()
        assert out["skipped"] == 0, kind
        assert out["added"] >= 1, kind


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_kind_round_trips_through_csv(
    full: list[str],
    fresh: Callable[[], None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
) -> None:
    monkeypatch.setenv("SANLING_LANG", lang)
    first = export_all(tmp_path / "first")
    counts = {k: len(rows_of(v)) - 1 for k, v in first.items()}
    assert counts == {
        "subjects": 6,
        "sweeps": 2,
        "disputes": 4,
        "petitions": 2,
        "backlog": 3,
        "hazards": 4,
        "hotspots": 2,
        "patrols": 2,
        "cases": 2,
        "accidents": 2,
        "persons": 2,
    }
    fresh()
    import_all(tmp_path / "first")
    second = export_all(tmp_path / "second")
    for kind in KINDS:
        assert second[kind] == first[kind], kind
    run("db check")  # the audit chain and the records are consistent
    # importing the same files again adds nothing
    before = dump()
    for kind in KINDS:
        out = run(
            "import", kind, str(tmp_path / "first" / f"{kind}.csv"), "--format", "json"
        ).json()
        assert (out["added"], out["skipped"]) == (0, counts[kind]), kind
    assert dump() == before


def test_round_trip_through_xlsx_and_json(
    full: list[str], fresh: Callable[[], None], tmp_path: Path
) -> None:
    original = export_all(tmp_path / "csv")
    xlsx = export_all(tmp_path / "xlsx", "xlsx")
    jsons = export_all(tmp_path / "json", "json")
    disputes = json.loads(jsons["disputes"])  # the records and their history
    assert disputes["rows"][0]["status"] == "resolved"  # JSON has codes
    assert [(h["ref"], h["kind"]) for h in disputes["history"]][:1] == [("JF-2026-0001", "resolve")]
    assert isinstance(json.loads(jsons["cases"]), list)  # a kind without history: its records
    # ID numbers and phones are text cells in Excel, never numbers; dates are dates
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx["persons"])).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    id_cell = sheet.cell(row=2, column=header.index("ID number") + 1)
    assert (id_cell.value, id_cell.data_type) == ("34052419800101001X", "s")
    listed = sheet.cell(row=2, column=header.index("listed") + 1).value
    assert str(listed).startswith("2026-01-10")

    fresh()
    import_all(tmp_path / "xlsx", "xlsx")
    assert export_all(tmp_path / "after-xlsx") == original
    fresh()
    import_all(tmp_path / "json", "json")
    assert export_all(tmp_path / "after-json") == original


def test_headers_follow_the_ledger_language(
    full: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(f"export disputes -o {tmp_path / 'en.csv'}")
    monkeypatch.setenv("SANLING_LANG", "zh")
    run(f"export disputes -o {tmp_path / 'zh.csv'}")
    en = rows_of((tmp_path / "en.csv").read_bytes())
    zh = rows_of((tmp_path / "zh.csv").read_bytes())
    assert en[0][:7] == ["ref", "village", "subject", "found", "source", "category", "summary"]
    assert zh[0][:7] == ["编号", "所属村", "创建主体", "排查时间", "来源", "类别", "简要情况"]
    assert "首办责任人" in zh[0] and "化解情况" in zh[0]
    first = dict(zip(zh[0], zh[1], strict=True))
    assert (first["编号"], first["类别"], first["状态"], first["化解方式"], first["化解日期"]) == (
        "JF-2026-0001",
        "山林土地",
        "已化解",
        "调解",
        "2026-10-05",
    )
    assert (tmp_path / "zh.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel


def test_persons_are_masked_unless_revealed_and_a_reveal_is_audited(
    full: list[str], tmp_path: Path
) -> None:
    before = dump()
    run(f"export persons -o {tmp_path / 'masked.csv'}")
    assert dump() == before  # a masked export writes nothing, not even to the audit log
    masked = rows_of((tmp_path / "masked.csv").read_bytes())
    person = dict(zip(masked[0], masked[1], strict=True))
    assert (person["name"], person["ID number"], person["phone"]) == (
        "张**",
        "340524********001X",
        "138****1234",
    )
    assert "34052419800101001X" not in (tmp_path / "masked.csv").read_text("utf-8-sig")

    run(f"export persons --reveal -o {tmp_path / 'clear.csv'}")
    clear = rows_of((tmp_path / "clear.csv").read_bytes())
    assert dict(zip(clear[0], clear[1], strict=True))["ID number"] == "34052419800101001X"
    log = run("log --limit 1 --format json").json()
    assert log[0]["action"] == "person.reveal"
    assert "ZD-2026-0001" in log[0]["after"] and "ZD-2025-0001" in log[0]["after"]
    assert "clear.csv" in log[0]["after"]
    # --reveal on another kind changes nothing and audits nothing
    before = dump()
    run(f"export cases --reveal -o {tmp_path / 'cases.csv'}")
    assert dump() == before

    # a masked file cannot come back in: every row says why
    result = fail(f"import persons {tmp_path / 'masked.csv'}")
    assert result.err.count("ID number") >= 2


def test_export_format_from_the_file_name_and_bad_kinds(full: list[str], tmp_path: Path) -> None:
    run(f"export cases -o {tmp_path / 'cases.xlsx'}")
    assert (tmp_path / "cases.xlsx").read_bytes()[:2] == b"PK"
    run(f"export cases -o {tmp_path / 'cases.json'}")
    assert [c["kind"] for c in json.loads((tmp_path / "cases.json").read_text())] == [
        "administrative",
        "criminal",
    ]
    fail(f"export nonsense -o {tmp_path / 'x.csv'}", code=2)
    fail(f"export cases --format pdf -o {tmp_path / 'x.pdf'}", code=2)
    fail(f"import nonsense {tmp_path / 'cases.json'}", code=2)
