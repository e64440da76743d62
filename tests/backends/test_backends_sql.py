"""SQL plans against the real engines: PostgreSQL 15, DuckDB and SQLite hold the guarantee of every plan."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from backends_support import CONTEXT, RECORDS, SqlEngine, assert_guarantee
from hypothesis import HealthCheck, given, settings

from schemakit import Filter
from schemakit import strategies as st
from schemakit._contract.operators import missing_rows
from schemakit.backends import SQL_TABLE, to_sql

DIFFERENTIAL = settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def engines(pg: Any, duck: Any, sqlite_conn: sqlite3.Connection) -> dict[str, SqlEngine]:
    return {
        "postgres": SqlEngine("postgres", pg, "JSONB"),
        "duckdb": SqlEngine("duckdb", duck, "JSON"),
        "sqlite": SqlEngine("sqlite", sqlite_conn, "TEXT"),
    }


def test_the_table_has_a_row_per_operator() -> None:
    assert missing_rows(SQL_TABLE) == []


@pytest.mark.parametrize("dialect", ["postgres", "duckdb", "sqlite"])
def test_engine_rows_then_residual_are_exactly_the_matching_records(
    engines: dict[str, SqlEngine], dialect: str
) -> None:
    engine = engines[dialect]

    @DIFFERENTIAL
    @given(f=st.filters(dynamic=True), records=RECORDS)
    def check(f: Filter, records: list[dict[str, Any]]) -> None:
        engine.load(records)
        assert_guarantee(engine, lambda g: to_sql(g, dialect=dialect, context=CONTEXT), f, records)  # type: ignore[arg-type]

    check()
