"""Polars plans over a frame in the schema's layout hold the guarantee against the records the frame holds."""

from __future__ import annotations

from typing import Any

import pytest
from backends_support import CONTEXT, EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hst

from schemakit import Filter, parse_filter
from schemakit import strategies as st
from schemakit._contract.operators import missing_rows
from schemakit._issues import FilterError
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


DUCK: Any = None


def _duck() -> Any:
    global DUCK
    if DUCK is None:
        import duckdb

        DUCK = duckdb.connect()
    return DUCK


def _polars_kept(df: Any, f: Filter, rows: list[dict[str, Any]]) -> tuple[list[int], Any, list[int]]:
    plan = to_polars(f, schema=SCHEMA, context=CONTEXT)
    mask = df.with_columns(plan.expr.alias("__m"))["__m"].to_list()
    assert None not in mask, plan.explain()
    hits = [i for i, hit in enumerate(mask) if hit]
    return [i for i in hits if plan.keep(rows[i])], plan, hits


def _columns_kept(f: Filter, rows: list[dict[str, Any]]) -> tuple[list[int], Any, list[int]]:
    plan = to_sql(f, dialect="duckdb", layout="columns", schema=SCHEMA, context=CONTEXT)
    sql = f"SELECT __i FROM t WHERE {plan.where} ORDER BY __i"
    hits = [int(r[0]) for r in _duck().execute(sql, plan.params).fetchall()]
    return [i for i in hits if plan.keep(rows[i])], plan, hits


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(f=st.filters(SCHEMA, dynamic=True), records=hst.lists(RECORD, min_size=1, max_size=8))
def test_typed_rows_then_residual_are_exactly_the_matching_rows(f: Filter, records: list[dict[str, Any]]) -> None:
    """Polars and DuckDB's layout="columns" on the same typed frame (DuckDB reads the Polars frame as its table)."""
    df = polars_frame(records, SCHEMA)
    rows = df.to_dicts()  # the layout reads a missing field back as null
    try:
        f.matches({}, CONTEXT)
    except FilterError as unresolved:
        for plan_it in (lambda: to_polars(f, schema=SCHEMA, context=CONTEXT), lambda: _columns_kept(f, rows)):
            with pytest.raises(FilterError) as raised:
                plan_it()
            assert raised.value.issues == unresolved.issues
        return
    _duck().register("t", df.with_row_index("__i"))
    want = [i for i, r in enumerate(rows) if f.matches(r, CONTEXT)]
    for kept in (lambda g: _polars_kept(df, g, rows), lambda g: _columns_kept(g, rows)):
        got, plan, hits = kept(f)
        assert got == want, plan.explain()
        if plan.exact:
            assert hits == want, plan.explain()
        assert len(got) + len(kept(Filter(Not((f.root,))))[0]) == len(rows), ("partition", plan.explain())


def test_read_json_with_duckdb_columns_gives_the_layout_the_plans_read(tmp_path: Any) -> None:
    import json

    import duckdb

    from schemakit.backends import duckdb_columns

    records = [
        {"status": "Straße", "tags": ["a"], "meta": {"title": "x", "rank": 2}},
        {"status": "x", "price": 2.5},
        {"meta": None, "scores": [1, None]},
    ]
    path = tmp_path / "r.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    spec = "{" + ", ".join(f"'{k}': '{v}'" for k, v in duckdb_columns(SCHEMA).items()) + "}"
    con = duckdb.connect()
    con.execute(f"CREATE TABLE r AS SELECT * FROM read_json('{path}', format='newline_delimited', columns={spec})")

    def dicts(sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cur = con.execute(sql, params)
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    rows = dicts("SELECT * FROM r")
    for text in ['status = "strasse"', "meta.rank >= 2", "scores = null", "meta.title NOT EXISTS", 'NOT tags IN ["a"]']:
        f = parse_filter(text)
        plan = to_sql(f, dialect="duckdb", layout="columns", schema=SCHEMA)
        found = dicts(f"SELECT * FROM r WHERE {plan.where}", plan.params)
        assert [r for r in found if plan.keep(r)] == [r for r in rows if f.matches(r)], text
