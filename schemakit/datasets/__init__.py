"""Datasets at scale: Arrow, Polars, Parquet, Arrow IPC and CSV validated columnar, locally or on Dask.

Verdicts and issues are the row validator's by construction: columnar rules only ever
accept rows that certainly pass, and ``CompiledSchema.validate`` judges the rest.
Needs pyarrow and numpy (polars for DataFrames, dask[distributed] for ``engine="dask"``).
"""

from __future__ import annotations

from schemakit.datasets._dataset import DatasetReport, FileReport, validate_dataset
from schemakit.datasets._table import TableReport, validate_table

__all__ = ["DatasetReport", "FileReport", "TableReport", "validate_dataset", "validate_table"]
