"""Datasets at scale: Arrow, Polars, Parquet, Arrow IPC and CSV validated columnar, locally or on Dask.

Verdicts and issues are the row validator's by construction: columnar rules only ever
accept rows that certainly pass, and ``CompiledSchema.validate`` judges the rest.
Needs pyarrow and numpy (polars for DataFrames, dask[distributed] for ``engine="dask"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemakit.datasets._dataset import DatasetReport as DatasetReport
    from schemakit.datasets._dataset import FileReport as FileReport
    from schemakit.datasets._dataset import validate_dataset as validate_dataset
    from schemakit.datasets._table import TableReport as TableReport
    from schemakit.datasets._table import validate_table as validate_table

# pyarrow and numpy load on first use: the command line looks at a file's format (schemakit.datasets._formats)
# for every data file, and a JSON Lines run never needs them
_LAZY = {
    "DatasetReport": "schemakit.datasets._dataset",
    "FileReport": "schemakit.datasets._dataset",
    "validate_dataset": "schemakit.datasets._dataset",
    "TableReport": "schemakit.datasets._table",
    "validate_table": "schemakit.datasets._table",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'schemakit.datasets' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = ["DatasetReport", "FileReport", "TableReport", "validate_dataset", "validate_table"]
