"""validate_table: columnar verdicts and issues equal the row validator's, row by row and issue by issue."""

from __future__ import annotations

import io
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as hs

from schemakit import strategies as sks
from schemakit.datasets import TableReport, validate_table
from schemakit.schema import CompiledSchema, compile_bucket, compile_schema

PRODUCT = {
    "properties": {
        "sku": {"type": "string", "required": True},
        "product_image": {"type": "image", "required": True},
        "manual": {"type": "pdf"},
        "category": {"type": "string", "enum": ["shoes", "bags"]},
        "metadata": {
            "type": "object",
            "required": True,
            "properties": {
                "title": {"type": "string", "required": True},
                "price": {"type": "number", "required": True},
                "tags": {"type": "array", "items": {"type": "string"}},
                "released": {"type": "date"},
                "updated_at": {"type": "datetime"},
            },
        },
    }
}


def product(i: int, **meta: Any) -> dict[str, Any]:
    m: dict[str, Any] = {"title": f"t{i}", "price": 1.5 + i, "tags": ["a"], "released": "2024-01-05"}
    m.update(meta)
    return {
        "sku": f"S{i}",
        "category": "shoes",
        "blobs": [{"property": "product_image", "type": "image", "data": f"https://x.example/{i}.jpg"}],
        "metadata": m,
    }


def oracle(compiled: CompiledSchema, table: pa.Table) -> tuple[list[bool], list[Any]]:
    """The row validator over the table's rows as Arrow converts them."""
    rows = table.to_pylist()
    verdicts = [compiled.is_valid(row) for row in rows]
    issues = [issue.prefixed(i) for i, row in enumerate(rows) for issue in compiled.validate(row).issues]
    return verdicts, issues


def assert_agrees(compiled: CompiledSchema, table: pa.Table, report: TableReport | None = None) -> TableReport:
    report = report or compiled.validate_table(table, max_issues=10**6)
    verdicts, issues = oracle(compiled, table)
    assert report.valid_mask().to_pylist() == verdicts
    assert report.issues == issues
    assert report.rows == table.num_rows
    assert report.valid == sum(verdicts)
    assert report.invalid == table.num_rows - sum(verdicts)
    counts: dict[str, int] = {}
    for issue in issues:
        counts[issue.code] = counts.get(issue.code, 0) + 1
    assert report.by_code == counts
    return report


def test_clean_rows_pass_columnar_and_bad_rows_get_the_row_validators_issues() -> None:
    compiled = compile_schema(PRODUCT)
    rows = [product(i) for i in range(6)]
    rows[1]["metadata"]["released"] = "2024-02-30"
    rows[2]["category"] = "sandals"
    rows[3]["blobs"][0]["property"] = "product_imgae"
    rows[4]["metadata"]["title"] = None
    rows[5]["metadata"]["updated_at"] = "2024-01-05T10:00:00"  # naive: a warning, still valid
    table = pa.Table.from_pylist(rows)
    report = assert_agrees(compiled, table)
    assert report.valid_mask().to_pylist() == [True, False, False, False, False, True]
    assert [(i.path[0], i.code) for i in report.issues] == [
        (1, "invalid_date"),
        (2, "enum_mismatch"),
        (3, "unknown_blob_property"),
        (3, "missing_required_field"),
        (4, "missing_required_field"),
        (5, "invalid_datetime"),
    ]
    assert report.issues[0].path == (1, "metadata", "released")
    assert not report.ok and len(report.errors) == 5 and len(report.warnings) == 1


def test_a_column_that_cannot_hold_a_valid_value_is_a_type_mismatch_per_row() -> None:
    compiled = compile_schema(PRODUCT)
    rows = [product(i, price=f"{i}.50") for i in range(4)]
    rows[2]["metadata"]["price"] = None  # required: missing, which the row validator reports
    rows[3]["metadata"]["released"] = "nope"
    table = pa.Table.from_pylist(rows)
    assert table.schema.field("metadata").type.field("price").type == pa.string()
    report = assert_agrees(compiled, table)
    assert [(i.path, i.code) for i in report.issues] == [
        ((0, "metadata", "price"), "type_mismatch"),
        ((1, "metadata", "price"), "type_mismatch"),
        ((2, "metadata", "price"), "missing_required_field"),
        ((3, "metadata", "price"), "type_mismatch"),
        ((3, "metadata", "released"), "invalid_date"),
    ]
    assert report.issues[0].message == "expected number, found string '0.50'"


def test_record_batches_and_polars_frames_are_tables_too() -> None:
    compiled = compile_schema(PRODUCT)
    rows = [product(i) for i in range(3)]
    rows[1]["sku"] = None
    table = pa.Table.from_pylist(rows)
    expected = assert_agrees(compiled, table)
    batch = table.to_batches()[0]
    assert validate_table(compiled, batch).issues == expected.issues
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    from_polars = compiled.validate_table(frame)
    assert from_polars.issues == expected.issues
    assert from_polars.valid_mask().to_pylist() == [True, False, True]


def test_max_issues_keeps_the_first_issues_and_counts_every_one() -> None:
    compiled = compile_schema(PRODUCT)
    table = pa.Table.from_pylist([product(i, title=None) for i in range(5)])
    report = compiled.validate_table(table, max_issues=2)
    assert [i.path[0] for i in report.issues] == [0, 1]
    assert report.by_code == {"missing_required_field": 5}
    assert report.invalid == 5


def test_issues_table_joins_back_by_row() -> None:
    compiled = compile_schema(PRODUCT)
    rows = [product(i) for i in range(3)]
    rows[2]["metadata"]["price"] = -0.0
    rows[1]["category"] = "hats"
    table = compiled.validate_table(pa.Table.from_pylist(rows)).issues_table()
    assert table.column_names == ["row", "pointer", "code", "severity", "message"]
    assert table.to_pylist() == [
        {
            "row": 1,
            "pointer": "/category",
            "code": "enum_mismatch",
            "severity": "error",
            "message": "expected one of 'shoes', 'bags', found string 'hats'",
        }
    ]


def test_to_dict_carries_the_counts() -> None:
    compiled = compile_schema(PRODUCT)
    report = compiled.validate_table(pa.Table.from_pylist([product(0)]))
    assert report.ok
    assert report.to_dict() == {"ok": True, "issues": [], "rows": 1, "valid": 1, "invalid": 0, "by_code": {}}


@pytest.mark.parametrize(
    "column",
    [
        pa.array([1, None, 2**40], type=pa.int64()),
        pa.array([1.0, float("nan"), float("inf")]),
        pa.array([True, False, None]),
        pa.array(["2024-01-05", "x", None]),
        pa.array([[1], None, []], type=pa.list_(pa.int32())),
        pa.array([{"a": 1}, None, {"a": None}]),
        pa.array([b"x", None, b""]),
    ],
)
@pytest.mark.parametrize("ftype", ["string", "number", "integer", "boolean", "date", "datetime", "object", "array"])
def test_every_column_type_under_every_field_type_agrees(column: pa.Array, ftype: str) -> None:
    for required in (False, True):
        compiled = compile_schema({"properties": {"v": {"type": ftype, "required": required}}})
        assert_agrees(compiled, pa.table({"v": column}))


def test_a_strict_schema_sends_undeclared_columns_to_the_row_validator() -> None:
    compiled = compile_schema({"properties": {"a": {"type": "string"}}}, strict=True)
    assert_agrees(compiled, pa.table({"a": ["x", None], "b": [None, 1]}))


def test_a_non_table_is_a_type_error() -> None:
    compiled = compile_schema(PRODUCT)
    with pytest.raises(TypeError, match=r"pyarrow\.Table"):
        compiled.validate_table([{"sku": "x"}])


def test_the_compiled_schema_pickles_to_an_equal_validator() -> None:
    import pickle

    compiled = compile_bucket({"bucket_schema": PRODUCT, "unique_key": {"fields": ["sku"]}})
    again = pickle.loads(pickle.dumps(compiled))
    rows = [product(i) for i in range(3)]
    rows[0]["sku"] = ""
    table = pa.Table.from_pylist(rows)
    assert again.unique_key_fields == ("sku",)
    assert again.validate_table(table).issues == compiled.validate_table(table).issues


# -- the differential property: random schemas, valid and labelled-invalid objects ----------------------------


def tables_of(rows: list[dict[str, Any]]) -> list[pa.Table]:
    """All rows in one table when Arrow can type them together, else one table per row."""
    try:
        return [pa.Table.from_pylist(rows)]
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError, TypeError):
        out = []
        for row in rows:
            try:
                out.append(pa.Table.from_pylist([row]))
            except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError, TypeError):
                continue  # a value Arrow cannot type at all (an int past 64 bits): not a table's row
        return out


def parquet_round_trip(table: pa.Table) -> pa.Table | None:
    sink = io.BytesIO()
    try:
        pq.write_table(table, sink)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # e.g. a struct with no fields: Parquet cannot store it
    return pq.read_table(io.BytesIO(sink.getvalue()))


@hs.composite
def datasets(draw: hs.DrawFn) -> tuple[CompiledSchema, list[dict[str, Any]]]:
    schema = draw(sks.bucket_schemas(max_depth=2, max_fields=4))
    strict = draw(hs.booleans())
    compiled = compile_schema(schema, strict=strict)
    good = draw(hs.lists(sks.objects(schema, strict=strict), min_size=1, max_size=4))
    bad = draw(hs.lists(sks.invalid_objects(schema, strict=strict), max_size=3))
    rows = good + [obj for obj, _code in bad if isinstance(obj, dict)]  # a table's rows are objects
    return compiled, draw(hs.permutations(rows))


@given(datasets())
def test_validate_table_agrees_with_the_row_validator_on_random_schemas(case: Any) -> None:
    compiled, rows = case
    for table in tables_of(rows):
        assert_agrees(compiled, table)
        again = parquet_round_trip(table)
        if again is not None:
            assert_agrees(compiled, again)
