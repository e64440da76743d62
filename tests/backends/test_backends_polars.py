"""Polars plans over a frame in the schema's layout hold the guarantee against the records the frame holds."""

from __future__ import annotations

from typing import Any

from backends_support import CONTEXT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hst

from schemakit import Filter
from schemakit import strategies as st
from schemakit._contract.operators import missing_rows
from schemakit.backends import POLARS_TABLE, polars_frame, to_polars, to_sql
from schemakit.filters import Not

SCHEMA = {
    "properties": {
        "status": {"type": "string"},
        "age": {"type": "integer"},
        "price": {"type": "number"},
        "active": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "scores": {"type": "array", "items": {"type": "number"}},
        "created_at": {"type": "datetime"},
        "day": {"type": "date"},
        "meta": {"type": "object", "properties": {"title": {"type": "string"}, "rank": {"type": "integer"}}},
    }
}
STRINGS = hst.sampled_from(
    ["a", "A", "ab", "", "hello", "Hello World", "straße", "Straße", "STRASSE", "%_", "a.b", "ﬁ"]
)
DATES = hst.sampled_from(["2024-01-15", "2023-12-31", "2024-01-15T10:00:00Z", "2024-01-15T12:00:00+02:00"])
INTS = hst.sampled_from([0, 1, -1, 10, 2])
NUMBERS = hst.sampled_from([0, 1, 1.0, -1, 2.5, 10, 1e20])


def _maybe(s: hst.SearchStrategy[Any]) -> hst.SearchStrategy[Any]:
    return hst.one_of(hst.none(), s)


RECORD = hst.fixed_dictionaries(
    {},
    optional={
        "status": _maybe(STRINGS),
        "age": _maybe(INTS),
        "price": _maybe(NUMBERS),
        "active": _maybe(hst.booleans()),
        "tags": _maybe(hst.lists(_maybe(STRINGS), max_size=3)),
        "scores": _maybe(hst.lists(_maybe(NUMBERS), max_size=3)),
        "created_at": _maybe(DATES),
        "day": _maybe(DATES),
        "meta": _maybe(hst.fixed_dictionaries({}, optional={"title": _maybe(STRINGS), "rank": _maybe(INTS)})),
    },
)


def test_the_table_has_a_row_per_operator() -> None:
    assert missing_rows(POLARS_TABLE) == []


def _selected(df: Any, f: Filter, rows: list[dict[str, Any]]) -> list[int]:
    plan = to_polars(f, schema=SCHEMA, context=CONTEXT)
    mask = df.with_columns(plan.expr.alias("__m"))["__m"].to_list()
    return [i for i, hit in enumerate(mask) if hit and plan.keep(rows[i])]


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(f=st.filters(SCHEMA, dynamic=True), records=hst.lists(RECORD, min_size=1, max_size=8))
def test_frame_rows_then_residual_are_exactly_the_matching_rows(f: Filter, records: list[dict[str, Any]]) -> None:
    df = polars_frame(records, SCHEMA)
    rows = df.to_dicts()  # the layout reads a missing field back as null
    try:
        f.matches({}, CONTEXT)
    except Exception:
        return
    plan = to_polars(f, schema=SCHEMA, context=CONTEXT)
    want = [i for i, r in enumerate(rows) if f.matches(r, CONTEXT)]
    mask = df.with_columns(plan.expr.alias("__m"))["__m"].to_list()
    assert None not in mask, plan.explain()
    assert [i for i, hit in enumerate(mask) if hit and plan.keep(rows[i])] == want, plan.explain()
    if plan.exact:
        assert [i for i, hit in enumerate(mask) if hit] == want, plan.explain()
    negated = _selected(df, Filter(Not((f.root,))), rows)
    assert len(want) + len(negated) == len(rows)


DUCK = None


def _duck() -> Any:
    global DUCK
    if DUCK is None:
        import duckdb

        DUCK = duckdb.connect()
    return DUCK


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(f=st.filters(SCHEMA, dynamic=True), records=hst.lists(RECORD, min_size=1, max_size=8))
def test_duckdb_columns_then_residual_are_exactly_the_matching_rows(f: Filter, records: list[dict[str, Any]]) -> None:
    """DuckDB's layout="columns" over the same typed frame (DuckDB reads the Polars frame as its table)."""
    frame = polars_frame(records, SCHEMA).with_row_index("__i")
    rows = frame.drop("__i").to_dicts()
    try:
        f.matches({}, CONTEXT)
    except Exception:
        return
    con = _duck()
    con.register("t", frame)

    def kept(g: Filter) -> tuple[list[int], Any]:
        plan = to_sql(g, dialect="duckdb", layout="columns", schema=SCHEMA, context=CONTEXT)
        ids = [
            int(r[0]) for r in con.execute(f"SELECT __i FROM t WHERE {plan.where} ORDER BY __i", plan.params).fetchall()
        ]
        return [i for i in ids if plan.keep(rows[i])], (plan, ids)

    want = [i for i, r in enumerate(rows) if f.matches(r, CONTEXT)]
    got, (plan, ids) = kept(f)
    assert got == want, plan.explain()
    if plan.exact:
        assert ids == want, plan.explain()
    assert len(got) + len(kept(Filter(Not((f.root,))))[0]) == len(rows)
