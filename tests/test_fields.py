"""Each field is declared once (fields.py): the input models, the spreadsheet columns and the
masking are derived from the declarations and agree with them."""

from __future__ import annotations

from sanling import fields, privacy, schemas
from sanling.fields import CODE, FIELDS, TABLE_OF
from sanling.transfer.specs import SPECS, header_names


def test_every_kind_has_a_spec_whose_columns_are_its_fields() -> None:
    assert set(SPECS) == set(FIELDS)
    for kind, spec in SPECS.items():
        assert sorted(c.key for c in spec.columns) == sorted(f.key for f in FIELDS[kind])
        assert set(spec.natural) <= set(spec.layout)


def test_input_models_take_the_input_fields_in_their_order() -> None:
    for kind, spec in SPECS.items():
        declared = fields.inputs(kind)
        assert list(spec.schema.model_fields) == [f.key for f in declared]
        for f in declared:
            assert spec.schema.model_fields[f.key].is_required() == f.required, (kind, f.key)


def test_code_fields_name_their_code_list_and_others_do_not() -> None:
    for kind, declared in FIELDS.items():
        for f in declared:
            assert (f.enum is not None) == (f.vtype == CODE), (kind, f.key)


def test_a_field_declared_with_a_synonym_is_found_by_it() -> None:
    spec = SPECS["disputes"]
    for header in ("矛盾纠纷简要情况", "首办责任人", "summary", "resolved-on"):
        col = spec.column(header)
        assert col is not None and header_names(col)


def test_masked_fields_are_the_personal_data_of_every_kind() -> None:
    persons = privacy.MASKERS["persons"]
    assert list(persons) == ["name", "id_number", "phone", "address", "guardian"]
    assert persons["id_number"] is privacy.mask_id
    assert privacy.MASKERS["backlog_cases"] == {"petitioner": privacy.mask_name}
    # each kind's table is the one its records are in
    for kind, table in TABLE_OF.items():
        assert SPECS[kind].table().__tablename__ == table


def test_a_derived_input_model_validates_as_declared() -> None:
    data = schemas.DisputeIn.model_validate(
        {"village": "城庄村", "category": "土地山林", "summary": " 地界 ", "handler": "王强"}
    )
    assert data.category == "land" and data.summary == "地界" and data.risk == "low"
