"""Hand-written traps, one per way a naive translation goes wrong, on every target: a regression names its cause."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
from backends_support import Engine, MongoEngine, QdrantEngine, SqlEngine, selected
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hst

from schemakit import parse_filter
from schemakit.backends import polars_frame, to_mongo, to_polars, to_qdrant, to_sql
from schemakit.filters import And, Condition, Filter

# (what it guards, filter, records, the indexes of the records that match)
TRAPS: list[tuple[str, Any, list[dict[str, Any]], list[int]]] = [
    ("casefold: Straße equals strasse", 'status = "strasse"', [{"status": "Straße"}, {"status": "strase"}], [0]),
    ("casefold: ﬁ folds to fi", 'title STARTS WITH "fi"', [{"title": "ﬁne"}, {"title": "f"}], [0]),
    ("casefold: the Kelvin sign folds to k", 'status = "k"', [{"status": "\u212a"}, {"status": "x"}], [0]),
    ("case-sensitive stays exact", 'CASE SENSITIVE (status = "a")', [{"status": "A"}, {"status": "a"}], [1]),
    (
        "a case-sensitive condition sent to the residual stays case-sensitive there",
        'CASE SENSITIVE (`métier` = "a" AND `x[0]` = "b")',
        [{"métier": "A", "x": ["b"]}, {"métier": "a", "x": ["b"]}, {"métier": "a", "x": ["B"]}],
        [1],
    ),
    (
        "NOT over a missing or null field keeps the record",
        'NOT (status = "active")',
        [{"status": "active"}, {}, {"status": None}],
        [1, 2],
    ),
    ("ne holds on a missing field", 'status != "active"', [{"status": "active"}, {}], [1]),
    (
        "NOT EXISTS over a list of objects: no element has the key",
        "items.sku NOT EXISTS",
        [{"items": [{}, {"sku": "a"}]}, {"items": [{}, {}]}, {"items": []}, {}],
        [1, 2, 3],
    ),
    (
        "nin is no element in (not Qdrant's any element not in)",
        'tags NOT IN ["a"]',
        [{"tags": ["a", "b"]}, {"tags": ["b"]}, {}],
        [1, 2],
    ),
    (
        "a list of lists is read one level deep (PostgreSQL's lax comparison would unwrap it again)",
        "a >= 100",
        [{"a": [[150]]}, {"a": [150]}, {"a": 150}],
        [1, 2],
    ),
    ("a key through a list of lists reads nothing", "a.b = 1", [{"a": [[{"b": 1}]]}, {"a": [{"b": 1}]}], [1]),
    (
        "a list contains its elements, a string its substrings",
        'CASE SENSITIVE (tags CONTAINS "leather")',
        [{"tags": ["xleatherx"]}, {"tags": "xleatherx"}, {"tags": [["leather"]]}, {"tags": ["leather"]}],
        [1, 3],
    ),
    (
        "contains through a list of objects, one level deep",
        'CASE SENSITIVE (m.t CONTAINS "le")',
        [{"m": [{"t": "xlex"}]}, {"m": [[{"t": "le"}]]}, {"m": [{"t": ["le"]}]}],
        [0, 2],
    ),
    (
        "a regular expression's . in contains is a plain character",
        'CASE SENSITIVE (title CONTAINS "a.c")',
        [{"title": "abc"}, {"title": "xa.cx"}],
        [1],
    ),
    (
        "text orders by code point",
        'CASE SENSITIVE (title < "b")',
        [{"title": "é"}, {"title": "a"}, {"title": "B"}],
        [1, 2],
    ),
    ("1 equals 1.0", "age = 1", [{"age": 1.0}, {"age": True}, {"age": "1"}, {"age": 1}], [0, 3]),
    ("true is not 1", "age = true", [{"age": 1}, {"age": True}], [1]),
    ("ordering keeps to one kind", "age > 0", [{"age": True}, {"age": "5"}, {"age": 2}], [2]),
    (
        "\\b is a word boundary (RE2), not a backspace",
        r'title MATCHES "\\bhi\\b"',
        [{"title": "say hi"}, {"title": "shin"}],
        [0],
    ),
    ("LIKE's % is a plain character", 'title CONTAINS "%"', [{"title": "100%"}, {"title": "abc"}], [0]),
    ("LIKE's _ is a plain character", 'title STARTS WITH "a_"', [{"title": "a_b"}, {"title": "abb"}], [0]),
    ("a quote in a value", 'title = "it\'s \\"q\\""', [{"title": 'it\'s "q"'}, {"title": "its q"}], [0]),
    ("a backslash in a value", 'title ENDS WITH "\\\\"', [{"title": "a\\"}, {"title": "a"}], [0]),
    ("a NUL in a value is checked in Python", Condition("title", "eq", "a\x00b"), [{"title": "a"}, {"title": "b"}], []),
    ("a quote in a key", Condition('we"ird', "eq", 1), [{'we"ird': 1}, {"weird": 1}], [0]),
    ("a dot spelled inside a key is a path", "`a.b` = 1", [{"a": {"b": 1}}, {"a.b": 1}], [0]),
    (
        "fan-out through a list of objects",
        'items.sku = "x"',
        [{"items": [{"sku": "y"}, {"sku": "x"}]}, {"items": {"sku": "x"}}, {"items": [1]}],
        [0, 1],
    ),
    ("a list index", 'items.0.sku = "x"', [{"items": [{"sku": "x"}]}, {"items": [{"sku": "y"}, {"sku": "x"}]}], [0]),
    (
        "is_null: missing or null, not a list holding null",
        "tags IS NULL",
        [{}, {"tags": None}, {"tags": [None]}, {"tags": []}],
        [0, 1],
    ),
    ("eq null: a list holding null", "tags = null", [{}, {"tags": None}, {"tags": [None]}, {"tags": []}], [1, 2]),
    ("exists: a present null exists", "tags EXISTS", [{}, {"tags": None}, {"tags": []}], [1, 2]),
    (
        "contains on a list is membership",
        'tags CONTAINS "a"',
        [{"tags": ["ab"]}, {"tags": ["a"]}, {"tags": "cat"}],
        [1, 2],
    ),
    (
        "dates compare as instants",
        'created_at = "2024-01-15T12:00:00+02:00"',
        [{"created_at": "2024-01-15T10:00:00Z"}, {"created_at": "2024-01-15"}],
        [0],
    ),
    ("text search finds words", 'title SEARCH "hello"', [{"title": "Hello, world"}, {"title": "hellos"}], [0]),
    (
        "a range on one field: each bound holds for some value, of the number kind only",
        "a >= 100 AND a < 200",
        # PostgreSQL reads the value once and orders jsonb values: each kind next to numbers, and the
        # empty list, which sorts below null, lies on the far side of the lower bound
        [
            {"a": 150},
            {"a": 100},
            {"a": 200},
            {"a": 99.5},
            {"a": 250},
            {"a": 150.0},
            {"a": "150"},
            {"a": True},
            {"a": None},
            {"a": []},
            {"a": [150]},
            {"a": [50, 250]},
            {"a": [[150]]},
            {"a": [None]},
            {"a": {"b": 150}},
            {},
            {"a": [250]},
            {"a": ["150", True]},
        ],
        [0, 1, 5, 10, 11],
    ),
    (
        "a range through a list of objects, bounds met by different objects",
        "m.a > 100 AND m.a <= 200 AND m.a > 0",
        [
            {"m": {"a": 150}},
            {"m": [{"a": 150}]},
            {"m": [{"a": 50}, {"a": 250}]},
            {"m": {"a": [250, 150]}},
            {"m": [[{"a": 150}]]},
            {"m": {"a": 100}},
            {"m": {"a": 200}},
            {"m": [{"a": 300}]},
            {"m": [{}, {"a": 101}]},
        ],
        [0, 1, 2, 3, 6, 8],
    ),
    (
        "two bounds on one side are not a range: other kinds order past them",
        "a > 0 AND a >= 1 OR b < 5 AND b <= 4",
        [{"a": True}, {"a": {"x": 1}}, {"a": [5]}, {"a": 2}, {"b": "x"}, {"b": None}, {"b": []}, {"b": 3}],
        [2, 3, 7],
    ),
    (
        "a range under NOT keeps what the range does not hold for",
        "NOT (a >= 100 AND a < 200)",
        [{"a": 150}, {"a": 250}, {"a": "150"}, {}, {"a": [50, 250]}, {"a": [250]}, {"a": []}],
        [1, 2, 3, 5, 6],
    ),
]


@pytest.fixture(scope="module")
def targets(pg: Any, duck: Any, sqlite_conn: sqlite3.Connection) -> dict[str, tuple[Engine, Any]]:
    def sql(dialect: Any) -> Any:
        return lambda f: to_sql(f, dialect=dialect)

    return {
        "postgres": (SqlEngine("postgres", pg, "JSONB"), sql("postgres")),
        "duckdb": (SqlEngine("duckdb", duck, "JSON"), sql("duckdb")),
        "sqlite": (SqlEngine("sqlite", sqlite_conn, "TEXT"), sql("sqlite")),
        "qdrant": (QdrantEngine(), to_qdrant),
        "mongo": (MongoEngine(), to_mongo),
    }


def _filter(spec: Any) -> Filter:
    return Filter(spec) if isinstance(spec, Condition) else parse_filter(spec)


@pytest.mark.parametrize("target", ["postgres", "duckdb", "sqlite", "qdrant", "mongo"])
@pytest.mark.parametrize(("trap", "spec", "records", "expected"), TRAPS, ids=[t[0] for t in TRAPS])
def test_trap(
    targets: dict[str, tuple[Engine, Any]], target: str, trap: str, spec: Any, records: Any, expected: Any
) -> None:
    f = _filter(spec)
    assert [i for i, r in enumerate(records) if f.matches(r)] == expected  # the oracle agrees with the table
    engine, translate = targets[target]
    engine.load(records)
    plan = translate(f)
    assert selected(engine, plan, records) == expected, plan.explain()
    if plan.exact:
        assert engine.ids(plan) == expected, plan.explain()


@pytest.mark.parametrize("target", ["postgres", "duckdb", "sqlite"])
@pytest.mark.parametrize(
    "spec", ["a = 1", "a >= 1", "a >= 1 AND a < 2", 'CASE SENSITIVE (a CONTAINS "x")', 'CASE SENSITIVE (a = "x")']
)
def test_a_document_that_is_a_list_has_no_keys(targets: dict[str, tuple[Engine, Any]], target: str, spec: str) -> None:
    # a JSON column may hold any JSON value; a key is read from an object only, as Filter.matches reads it
    records: list[Any] = [[{"a": 1}, {"a": "x"}], {"a": 1}, {"a": "x"}, ["x"]]
    f = parse_filter(spec)
    expected = [i for i, r in enumerate(records) if f.matches(r)]
    engine, translate = targets[target]
    engine.load(records)
    plan = translate(f)
    assert selected(engine, plan, records) == expected and len(expected) == 1, plan.explain()


def test_postgres_regex_goes_to_the_residual() -> None:
    plan = to_sql(r'title MATCHES "\\bhi"', dialect="postgres")
    assert not plan.exact and [i.code for i in plan.issues] == ["pushdown_superset"]


def test_qdrant_nin_is_must_not_of_the_exact_in() -> None:
    plan = to_qdrant('CASE SENSITIVE (tags NOT IN ["a"])')
    assert plan.exact and plan.filter.must_not, plan.explain()


def test_qdrant_numeric_equality_is_a_range() -> None:
    plan = to_qdrant("age = 1")
    assert plan.exact and plan.filter.must[0].range.gte == 1 == plan.filter.must[0].range.lte


def test_nothing_pushed_is_an_empty_qdrant_filter() -> None:
    from qdrant_client import models

    plan = to_qdrant('title ENDS WITH "x"')
    assert plan.filter == models.Filter() and not plan.exact


POLARS_SCHEMA = {
    "properties": {
        "status": {"type": "string"},
        "age": {"type": "integer"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "meta": {"type": "object", "properties": {"title": {"type": "string"}}},
    }
}
POLARS_TRAPS = [
    ("casefold", 'status = "strasse"', [{"status": "Straße"}, {"status": "x"}], [0]),
    ("NOT over null keeps the row", 'NOT (status = "a")', [{"status": "a"}, {"status": None}, {}], [1, 2]),
    ("missing reads as null, so it exists", "status EXISTS", [{}, {"status": "a"}], [0, 1]),
    ("a null parent: the child does not exist", "meta.title EXISTS", [{"meta": None}, {"meta": {"title": None}}], [1]),
    ("nin on a list", 'tags NOT IN ["a"]', [{"tags": ["a", "b"]}, {"tags": ["b"]}, {"tags": None}], [1, 2]),
    ("a number never equals a string", 'age = "1"', [{"age": 1}], []),
]


@pytest.mark.parametrize(("trap", "spec", "records", "expected"), POLARS_TRAPS, ids=[t[0] for t in POLARS_TRAPS])
def test_polars_trap(trap: str, spec: str, records: Any, expected: Any) -> None:
    f = parse_filter(spec)
    df = polars_frame(records, POLARS_SCHEMA)
    rows = df.to_dicts()
    assert [i for i, r in enumerate(rows) if f.matches(r)] == expected
    plan = to_polars(f, schema=POLARS_SCHEMA)
    mask = df.with_columns(plan.expr.alias("__m"))["__m"].to_list()
    assert [i for i, hit in enumerate(mask) if hit and plan.keep(rows[i])] == expected, plan.explain()


def _spelled(s: str, draw: Any) -> str:
    """``s`` as a JSON string literal, each character written raw or escaped, as the draw decides."""
    short = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    out = []
    for c in s:
        units = [c] if ord(c) < 0x10000 else [chr(0xD800 + ((ord(c) - 0x10000) >> 10)), chr(0xDC00 + (ord(c) & 0x3FF))]
        escaped = "".join(f"\\u{ord(u):04x}" for u in units)
        raw_ok = c not in '"\\' and ord(c) >= 0x20
        choices = [escaped] + ([c] if raw_ok else []) + ([short[c]] if c in short else [])
        out.append(draw(hst.sampled_from(choices)))
    return '"' + "".join(out) + '"'


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=hst.data())
def test_a_string_is_found_however_the_document_spells_it(
    targets: dict[str, tuple[Engine, Any]], data: hst.DataObject
) -> None:
    # DuckDB compares the text it writes for each value it extracts: the document's own spelling of a
    # string (escapes, \/, surrogate pairs) must not matter, on any SQL engine
    text = hst.text(hst.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=6)
    needle = data.draw(text)
    stored = [data.draw(hst.one_of(hst.just(needle), text)) for _ in range(3)]
    lines = [
        "{" + f'"a": {_spelled(stored[0], data.draw)}, "b": [1, {_spelled(stored[1], data.draw)}], '
        f'"c": {{"d": [{_spelled(stored[2], data.draw)}]}}' + "}"
    ]
    records = [json.loads(line) for line in lines]
    for spec in [Condition("a", "eq", needle), Condition("b", "contains", needle), Condition("c.d", "in", [needle])]:
        f = Filter(And((spec,), case_sensitive=True))
        want = [i for i, r in enumerate(records) if f.matches(r)]
        for name in ("postgres", "duckdb", "sqlite"):
            engine, translate = targets[name]
            assert isinstance(engine, SqlEngine)
            engine.conn.execute(f"DELETE FROM {engine.table}")
            marker = "%s" if name == "postgres" else "?"
            engine.conn.execute(f"INSERT INTO {engine.table} VALUES (0, {marker})", [lines[0]])
            plan = translate(f)
            assert selected(engine, plan, records) == want, (name, lines[0], plan.explain())
