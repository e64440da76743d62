"""Every document target against its real engine, on the same filters and record sets.

PostgreSQL 15, DuckDB and SQLite in process, qdrant-client's local mode and
mongomock each load the record set of an example and answer its filter; the
engine's rows, re-checked by the residual, must be exactly the records
``Filter.matches`` accepts, and an exact plan's rows alone must be. One
generated example serves all five engines, so each gets every example.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from backends_support import (
    CONTEXT,
    DOMAIN,
    EXAMPLES,
    RECORDS,
    Engine,
    MongoEngine,
    QdrantEngine,
    SqlEngine,
    assert_guarantee,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hst

from schemakit import Filter
from schemakit import strategies as st
from schemakit._contract.operators import missing_rows
from schemakit.backends import MONGO_TABLE, POLARS_TABLE, QDRANT_TABLE, SQL_TABLE, Plan, to_mongo, to_qdrant, to_sql
from schemakit.filters import And, Condition, Node, Not

Translate = Any


@pytest.fixture(scope="module")
def targets(pg: Any, duck: Any, sqlite_conn: sqlite3.Connection) -> list[tuple[Engine, Translate]]:
    def sql(dialect: Any) -> Translate:
        return lambda f: to_sql(f, dialect=dialect, context=CONTEXT)

    return [
        (SqlEngine("postgres", pg, "JSONB"), sql("postgres")),
        (SqlEngine("duckdb", duck, "JSON"), sql("duckdb")),
        (SqlEngine("sqlite", sqlite_conn, "TEXT"), sql("sqlite")),
        (QdrantEngine(), lambda f: to_qdrant(f, context=CONTEXT)),
        (MongoEngine(), lambda f: to_mongo(f, context=CONTEXT)),
    ]


@pytest.mark.parametrize("table", [SQL_TABLE, QDRANT_TABLE, MONGO_TABLE, POLARS_TABLE])
def test_each_table_has_a_row_per_operator(table: Any) -> None:
    assert missing_rows(table) == []


def test_engine_answers_then_residual_are_exactly_the_matching_records(
    targets: list[tuple[Engine, Translate]],
) -> None:
    exact: dict[str, int] = {}

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(f=st.filters(dynamic=True), records=RECORDS)
    def check(f: Filter, records: list[dict[str, Any]]) -> None:
        for engine, translate in targets:
            engine.load(records)
            plan: Plan | None = assert_guarantee(engine, translate, f, records)
            exact[engine.name] = exact.get(engine.name, 0) + bool(plan is not None and plan.exact)

    check()
    # the differential run proves something only if the engines answered on their own often enough
    assert all(exact.get(e.name, 0) >= 50 for e, _ in targets), exact


# Ranges on one field, where PostgreSQL and DuckDB read the value once: bounds from the awkward values' numbers,
# on both sides, in any order, alone or beside another condition, negated or not.
NUMBERS = sorted({v for v in DOMAIN if isinstance(v, (int, float)) and not isinstance(v, bool)})


@hst.composite
def ranges(draw: hst.DrawFn) -> Filter:
    field = draw(hst.sampled_from(["price", "metadata.price"]))
    lower = draw(
        hst.lists(hst.tuples(hst.sampled_from(["gt", "gte"]), hst.sampled_from(NUMBERS)), min_size=1, max_size=2)
    )
    upper = draw(
        hst.lists(hst.tuples(hst.sampled_from(["lt", "lte"]), hst.sampled_from(NUMBERS)), min_size=1, max_size=2)
    )
    items: list[Node] = [Condition(field, op, v) for op, v in draw(hst.permutations(lower + upper))]
    if draw(hst.booleans()):
        items.insert(draw(hst.integers(0, len(items))), Condition("status", "exists", True))
    node: Node = And(tuple(items))
    if draw(hst.booleans()):
        node = Not((node,))
    return Filter(node)


def test_ranges_on_one_field_answer_exactly(targets: list[tuple[Engine, Translate]]) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(f=ranges(), records=RECORDS)
    def check(f: Filter, records: list[dict[str, Any]]) -> None:
        for engine, translate in targets[:3]:
            engine.load(records)
            plan = assert_guarantee(engine, translate, f, records)
            assert plan is not None and plan.exact, plan.explain() if plan else f.to_text()

    check()
