"""engine="dask": the same report as the local engine, on a LocalCluster of two process workers."""

from __future__ import annotations

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
