"""engine="dask": the same report as the local engine, on a LocalCluster of two process workers."""

from __future__ import annotations

import json
import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from _datasets_support import assert_dataset_agrees
from hypothesis import HealthCheck, given, settings
from test_datasets_files import KEYED, keyed_files
from test_datasets_table import datasets, tables_of

from schemakit.datasets import validate_dataset
from schemakit.schema import compile_bucket

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    # process workers: the compiled schema reaches them pickled, as on a real cluster
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_the_compiled_schema_travels_by_pickle_and_validates_the_same() -> None:
    compiled = compile_bucket(KEYED)
    again = pickle.loads(pickle.dumps(compiled))
    assert again.unique_key_fields == ("sku",)
    assert again.schema.to_dict() == compiled.schema.to_dict()
    assert again.validate({"sku": ""}).issues == compiled.validate({"sku": ""}).issues


def test_dask_gives_the_local_report_with_keys_unique_across_files_and_row_groups(client: Any, tmp_path: Path) -> None:
    files = keyed_files(tmp_path)
    labels = [label for label, _ in files]
    local = validate_dataset(labels, KEYED, batch_rows=3, max_issues=7)
    on_dask = validate_dataset(labels, KEYED, engine="dask", client=client, batch_rows=3, max_issues=7)
    assert on_dask.to_dict() == local.to_dict()
    assert on_dask.issues == local.issues
    assert_dataset_agrees(compile_bucket(KEYED), files, on_dask, max_issues=7)
    # the Parquet file ran as one task per row group (5 rows each), and the worker processes did the work
    assert pq.ParquetFile(labels[0]).metadata.num_row_groups == 3
    pids = client.run(os.getpid)
    assert len(pids) == 2 and os.getpid() not in pids.values()


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(datasets())
def test_dask_agrees_with_the_row_validator_on_random_schemas(client: Any, tmp_path: Path, case: Any) -> None:
    compiled, rows = case
    files: list[tuple[str, list[dict[str, Any]]]] = []
    for n, table in enumerate(tables_of(rows)):
        path = tmp_path / f"{id(case)}-{n}.parquet"
        try:
            pq.write_table(table, path, row_group_size=2)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
        files.append((str(path), pq.read_table(path).to_pylist()))
    report = validate_dataset([p for p, _ in files], compiled, engine="dask", client=client)
    assert_dataset_agrees(compiled, files, report)


def test_the_command_line_on_dask_reports_as_the_local_engine_with_keys_across_every_format(
    client: Any, tmp_path: Path
) -> None:
    from test_cli_support import TIMING_LINE, assert_no_traceback, run

    bucket = {
        "bucket_schema": {"properties": {"sku": {"type": "string", "required": True}, "price": {"type": "number"}}},
        "unique_key": {"fields": ["sku"]},
    }
    (tmp_path / "bucket.json").write_text(json.dumps(bucket))
    # a key repeats within a Parquet file, between a JSON Lines file and a later Parquet file (which the
    # run reads second), and between a CSV file and the first Parquet file
    (tmp_path / "a.jsonl").write_text('{"sku": "j"}\n{"sku": "a"}\n')
    pq.write_table(pa.table({"sku": ["a", "b", None, "b"], "price": [1.0, 2.0, 3.0, 4.0]}), tmp_path / "b.parquet")
    (tmp_path / "c.csv").write_text("sku,price\nc,1\nb,x\n")
    pq.write_table(pa.table({"sku": ["j", "k"], "price": [5.0, 6.0]}), tmp_path / "d.parquet")
    files = ["a.jsonl", "b.parquet", "c.csv", "d.parquet"]
    local = run("validate", "bucket.json", *files, cwd=tmp_path)
    on_dask = run(
        "validate", "bucket.json", *files, "--engine", "dask", "--scheduler", client.scheduler.address, cwd=tmp_path
    )
    assert_no_traceback(on_dask)
    assert (on_dask.code, TIMING_LINE.sub("", on_dask.out)) == (local.code, TIMING_LINE.sub("", local.out))
    assert "b.parquet:1: /sku: duplicate_unique_key: unique key (sku='a') repeats the object at a.jsonl:2" in local.out
    assert "d.parquet:1: /sku: duplicate_unique_key: unique key (sku='j') repeats the object at a.jsonl:1" in local.out
    assert "c.csv:2: /sku: duplicate_unique_key" in local.out
    assert "b.parquet:4: /sku: duplicate_unique_key" in local.out
    # with columnar files only too
    alone = ["b.parquet", "d.parquet"]
    assert TIMING_LINE.sub(
        "", run("validate", "bucket.json", *alone, "--engine", "dask", "--scheduler", client.scheduler.address,
                cwd=tmp_path).out
    ) == TIMING_LINE.sub("", run("validate", "bucket.json", *alone, cwd=tmp_path).out)
