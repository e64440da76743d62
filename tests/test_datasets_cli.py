"""schemakit validate over Parquet, Arrow IPC and CSV files: recognised by their bytes, reported as file:row."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq
import pytest
from test_cli_support import TIMING_LINE, assert_no_traceback, run

BUCKET = {
    "bucket_schema": {
        "properties": {"sku": {"type": "string", "required": True}, "price": {"type": "number"}},
    },
    "unique_key": {"fields": ["sku"]},
}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    (tmp_path / "bucket.json").write_text(json.dumps(BUCKET))
    pq.write_table(pa.table({"sku": ["a", "b", None], "price": [1.0, 2.0, 3.0]}), tmp_path / "d.parquet")
    # an Arrow IPC file under a name that says nothing: its first bytes say what it is
    feather.write_feather(pa.table({"sku": ["e"], "price": [float("nan")]}), tmp_path / "d.bin")
    (tmp_path / "d.csv").write_text("sku,price\nc,1\na,x\n")
    (tmp_path / "d.jsonl").write_text('{"sku": "b"}\n')
    return tmp_path


def test_columnar_files_are_reported_row_by_row_with_unique_keys_across_every_format(data: Path) -> None:
    result = run("validate", "bucket.json", "d.parquet", "d.bin", "d.csv", "d.jsonl", cwd=data)
    assert_no_traceback(result)
    assert result.code == 1
    lines = [line.split(": ", 2)[:2] for line in result.out.splitlines() if line.startswith("d.")]
    assert lines == [
        ["d.parquet:3", "/sku"],
        ["d.parquet:3", "/sku"],
        ["d.bin:1", "/price"],
        ["d.csv:2", "/price"],
        ["d.csv:2", "/sku"],
        ["d.jsonl:1", "/sku"],
    ]
    assert "d.csv:2: /sku: duplicate_unique_key: unique key (sku='a') repeats the object at d.parquet:1" in result.out
    assert "7 objects checked in 4 files: 3 valid, 4 invalid" in result.out


def test_every_report_format_takes_columnar_rows(data: Path) -> None:
    result = run("validate", "bucket.json", "d.parquet", "--format", "json", cwd=data)
    report = json.loads(result.out)
    assert [(i["file"], i["line"], i["code"]) for i in report["issues"]] == [
        ("d.parquet", 3, "missing_required_field"),
        ("d.parquet", 3, "missing_unique_key"),
    ]
    assert report["summary"]["objects"] == 3


def test_an_unreadable_parquet_file_is_an_issue(data: Path) -> None:
    (data / "bad.parquet").write_bytes(b"PAR1 and then nothing")
    result = run("validate", "bucket.json", "bad.parquet", cwd=data)
    assert_no_traceback(result)
    assert result.code == 1
    assert "bad.parquet:1: /: unreadable_file: bad.parquet: not a readable Parquet file" in result.out


def test_a_scheduler_needs_the_dask_engine(data: Path) -> None:
    result = run("validate", "bucket.json", "d.parquet", "--engine", "local", "--scheduler", "tcp://x:1", cwd=data)
    assert result.code == 2
    assert "--scheduler names a Dask scheduler: it goes with --engine dask" in result.err
    assert_no_traceback(result)


def test_jobs_split_parquet_row_groups_over_processes_with_the_same_report(data: Path) -> None:
    skus = [f"s{i}" for i in range(40)] + ["s3"]
    prices = [float(i) if i % 7 else None for i in range(41)]
    table = pa.table({"sku": skus, "price": pa.array(prices, pa.float64())})
    pq.write_table(table.set_column(1, "price", pa.array([str(p) for p in prices])), data / "text.parquet")
    pq.write_table(table, data / "groups.parquet", row_group_size=6)
    args = ("validate", "bucket.json", "groups.parquet", "d.csv", "text.parquet", "--format", "json")
    one, two = run(*args, cwd=data), run(*args, "--jobs", "2", cwd=data)
    assert_no_traceback(two)
    first, second = json.loads(one.out), json.loads(two.out)
    for report in (first, second):
        del report["summary"]["elapsed_seconds"], report["summary"]["objects_per_second"]
    assert first == second
    located = [(i["file"], i["line"], i["code"]) for i in first["issues"]]
    assert ("groups.parquet", 41, "duplicate_unique_key") in located
    assert first["summary"]["by_code"]["type_mismatch"] == 42  # every text price, and the CSV's x


def test_an_input_format_given_reads_every_file_that_way(data: Path) -> None:
    result = run("validate", "bucket.json", "d.csv", "--input-format", "jsonl", cwd=data)
    assert_no_traceback(result)
    assert "d.csv:1: /: invalid_json" in result.out


def test_the_dask_engine_reads_json_lines_here_without_a_cluster(data: Path) -> None:
    # no columnar file: nothing goes to the scheduler, so an unreachable one is never contacted
    on_dask = run(
        "validate", "bucket.json", "d.jsonl", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", cwd=data
    )
    local = run("validate", "bucket.json", "d.jsonl", cwd=data)
    assert_no_traceback(on_dask)
    assert (on_dask.code, TIMING_LINE.sub("", on_dask.out)) == (local.code, TIMING_LINE.sub("", local.out))
    assert TIMING_LINE.sub("", on_dask.out) == "1 object checked in 1 file: all valid\n"
