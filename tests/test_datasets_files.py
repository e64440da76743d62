"""validate_dataset over Parquet, Arrow IPC, CSV and JSON Lines files: the row validator's report, streamed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq
import pytest
from _datasets_support import assert_dataset_agrees
from hypothesis import given
from hypothesis import strategies as hs
from test_datasets_table import PRODUCT, datasets, product, tables_of

from schemakit.datasets import validate_dataset
from schemakit.schema import compile_bucket, compile_schema

KEYED = {"bucket_schema": PRODUCT, "unique_key": {"fields": ["sku"]}}


def write_parquet(path: Path, rows: list[dict[str, Any]], **kw: Any) -> list[dict[str, Any]]:
    table = pa.Table.from_pylist(rows)
    pq.write_table(table, path, **kw)
    return pq.read_table(path).to_pylist()


def keyed_files(tmp_path: Path) -> list[tuple[str, list[dict[str, Any]]]]:
    rows = [product(i) for i in range(30)]
    rows[4]["metadata"]["released"] = "2024-13-01"
    rows[25]["sku"] = "S3"  # repeats a row of the first file
    rows[26]["sku"] = "S4"  # repeats an invalid row: still a duplicate
    rows[27]["category"] = "nope"
    rows[28]["sku"] = "S1"  # invalid twice: its own issue and the duplicate
    rows[28]["metadata"]["title"] = None
    a = tmp_path / "a.parquet"
    b = tmp_path / "b.arrow"
    c = tmp_path / "c.jsonl"
    first = write_parquet(a, rows[:12], row_group_size=5)
    feather.write_feather(pa.Table.from_pylist(rows[12:24]), b)
    second = feather.read_table(b).to_pylist()
    c.write_text("".join(json.dumps(r) + "\n" for r in rows[24:]))
    return [(str(a), first), (str(b), second), (str(c), rows[24:])]


def test_files_of_every_format_are_one_dataset_with_keys_unique_across_them(tmp_path: Path) -> None:
    files = keyed_files(tmp_path)
    compiled = compile_bucket(KEYED)
    report = validate_dataset([label for label, _ in files], KEYED, batch_rows=4)
    assert_dataset_agrees(compiled, files, report)
    assert report.by_code["duplicate_unique_key"] == 3
    assert [f.format for f in report.files] == ["parquet", "ipc", "jsonl"]
    assert not report.ok
    dup = next(i for i in report.issues if i.code == "duplicate_unique_key")
    assert dup.path == (files[2][0], 1, "sku")
    assert dup.message == f"unique key (sku) repeats {files[0][0]} row 3"


def test_the_report_is_the_same_whatever_the_batch_size(tmp_path: Path) -> None:
    files = keyed_files(tmp_path)
    labels = [label for label, _ in files]
    small = validate_dataset(labels, KEYED, batch_rows=1)
    large = validate_dataset(labels, KEYED)
    assert small.to_dict() == large.to_dict()


def test_max_issues_keeps_the_first_issues_in_dataset_order(tmp_path: Path) -> None:
    files = keyed_files(tmp_path)
    compiled = compile_bucket(KEYED)
    for n in (0, 1, 2, 3, 5):
        report = validate_dataset([label for label, _ in files], compiled, max_issues=n)
        assert_dataset_agrees(compiled, files, report, max_issues=n)


def test_a_unique_key_argument_overrides_the_buckets(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    rows = write_parquet(path, [product(1), product(2) | {"category": "shoes"}])
    rows_same_category = validate_dataset(str(path), PRODUCT, unique_key={"fields": ["category"]})
    assert rows_same_category.by_code == {"duplicate_unique_key": 1}
    assert rows_same_category.issues[0].path == (str(path), 1, "category")
    assert rows == pq.read_table(path).to_pylist()


def test_globs_expand_sorted_and_an_empty_glob_is_a_warning(tmp_path: Path) -> None:
    for name in ("b", "a"):
        write_parquet(tmp_path / f"{name}.parquet", [product(0)])
    report = validate_dataset([str(tmp_path / "*.parquet"), str(tmp_path / "*.csv")], PRODUCT)
    assert [Path(f.path).name for f in report.files] == ["a.parquet", "b.parquet"]
    assert report.ok and report.rows == 2
    assert [(i.code, i.severity) for i in report.issues] == [("empty_glob", "warning")]


@pytest.mark.parametrize(
    ("name", "content"),
    [("missing.parquet", None), ("bad.parquet", b"PAR1 but not really"), ("x.feather", b"nope"), ("x.bin", b"\0\1")],
)
def test_an_unreadable_file_is_an_issue_not_an_exception(tmp_path: Path, name: str, content: bytes | None) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    good = tmp_path / "good.parquet"
    write_parquet(good, [product(0)])
    report = validate_dataset([str(path), str(good)], PRODUCT)
    assert [(i.code, i.path) for i in report.issues] == [("unreadable_file", (str(path),))]
    assert not report.ok
    assert report.rows == 1 and report.valid == 1


FLAT = {
    "properties": {
        "sku": {"type": "string", "required": True},
        "price": {"type": "number", "required": True},
        "stock": {"type": "integer"},
        "active": {"type": "boolean"},
        "released": {"type": "date"},
    }
}


def test_csv_cells_are_read_by_one_rule_and_a_drifting_cell_is_never_cast(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(
        "sku,price,stock,active,released\n"
        "a,12.50,3,true,2024-01-05\n"
        "b,12.50x,3,TRUE,2024-01-05\n"  # a price that is not a number stays text
        "c,7,2.5,false,\n"  # an integer field's 2.5 is a number, not an integer
        "d,,99999999999999999999999,maybe,2024-02-30\n"
        ",1e3,0,False,2024-02-29\n"
    )
    compiled = compile_schema(FLAT)
    report = validate_dataset(str(path), FLAT, batch_rows=2)
    rows = [
        {"sku": "a", "price": 12.5, "stock": 3, "active": True, "released": "2024-01-05"},
        {"sku": "b", "price": "12.50x", "stock": 3, "active": True, "released": "2024-01-05"},
        {"sku": "c", "price": 7.0, "stock": 2.5, "active": False, "released": None},
        {"sku": "d", "price": None, "stock": 99999999999999999999999, "active": "maybe", "released": "2024-02-30"},
        {"sku": None, "price": 1000.0, "stock": 0, "active": False, "released": "2024-02-29"},
    ]
    assert_dataset_agrees(compiled, [(str(path), rows)], report)
    assert [(i.path[1:], i.code) for i in report.issues] == [
        ((1, "price"), "type_mismatch"),
        ((2, "stock"), "type_mismatch"),
        ((3, "price"), "missing_required_field"),
        ((3, "active"), "type_mismatch"),
        ((3, "released"), "invalid_date"),
        ((4, "sku"), "missing_required_field"),
    ]


def test_a_nested_field_in_a_csv_schema_is_an_issue_and_its_cells_are_text(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text('sku,dims\na,"{""w"": 1}"\n')
    schema = {"properties": {"sku": {"type": "string"}, "dims": {"type": "object"}}}
    report = validate_dataset(str(path), schema)
    assert [(i.code, i.path) for i in report.issues] == [
        ("nested_field_in_csv", (str(path), "dims")),
        ("type_mismatch", (str(path), 0, "dims")),
    ]


def test_empty_files_have_no_rows(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("")
    (tmp_path / "b.csv").write_text("sku,price\n")
    (tmp_path / "c.jsonl").write_text("\n")
    pq.write_table(pa.table({"sku": pa.array([], pa.string())}), tmp_path / "d.parquet")
    report = validate_dataset(str(tmp_path / "*"), FLAT)
    assert report.ok and report.rows == 0 and report.issues == []
    assert [f.format for f in report.files] == ["csv", "csv", "jsonl", "parquet"]


def test_bad_arguments_are_value_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="engine"):
        validate_dataset([], PRODUCT, engine="spark")
    with pytest.raises(ValueError, match="batch_rows"):
        validate_dataset([], PRODUCT, batch_rows=0)


@given(datasets(), hs.sampled_from(["parquet", "ipc", "jsonl"]), hs.integers(1, 3))
def test_validate_dataset_agrees_with_the_row_validator_on_random_schemas(
    tmp_path_factory: pytest.TempPathFactory, case: Any, fmt: str, batch_rows: int
) -> None:
    compiled, rows = case
    root = tmp_path_factory.mktemp("ds")
    files: list[tuple[str, list[dict[str, Any]]]] = []
    for n, table in enumerate(tables_of(rows)):
        path = root / f"part-{n}.{fmt}"
        if fmt == "parquet":
            try:
                pq.write_table(table, path, row_group_size=2)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                continue
            files.append((str(path), pq.read_table(path).to_pylist()))
        elif fmt == "ipc":
            feather.write_feather(table, path)
            files.append((str(path), feather.read_table(path).to_pylist()))
        else:
            try:
                text = "".join(json.dumps(r, allow_nan=False) + "\n" for r in table.to_pylist())
            except (TypeError, ValueError):
                continue  # dates, bytes and NaN are not JSON
            path.write_text(text)
            files.append((str(path), json.loads("[" + ",".join(text.splitlines()) + "]")))
    report = validate_dataset([p for p, _ in files], compiled, batch_rows=batch_rows)
    assert_dataset_agrees(compiled, files, report)


def test_a_file_that_stops_reading_part_way_keeps_its_rows_and_its_place_in_the_order(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rows = 110_000  # past the reader's first 4 MB block, so the bad line is met after rows were checked
    lines = [f"s{i:07d},{i}.5,{'x' * 24}" for i in range(rows)]
    lines[70_000] = "s0000005,1.5,again"  # a repeated key after the first block's rows
    path.write_text("sku,price,note\n" + "\n".join(lines) + "\na,b,c,d\n")
    report = validate_dataset(str(path), FLAT, unique_key={"fields": ["sku"]})
    assert [(i.code, i.path[1:2]) for i in report.issues] == [
        ("duplicate_unique_key", (70_000,)),
        ("unreadable_file", ()),
    ]
    # the block holding the bad line is not read; the rows before it are checked
    assert 70_000 < report.rows < rows and report.invalid == 1
