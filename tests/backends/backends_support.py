"""What the backend tests share: awkward record sets, the engines behind one small interface, the guarantee."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as hst

from schemakit import Filter
from schemakit._issues import FilterError
from schemakit.backends import Plan
from schemakit.filters import Not

# The awkward values of the filter tests: kinds mixed, cases mixed, dates in several spellings.
DOMAIN: tuple[Any, ...] = (
    "a",
    "A",
    "ab",
    "",
    "Hello World",
    "hello",
    "hello-world a-1",
    "straße",
    "STRASSE",
    "Straße",
    "a.b",
    'x\\y"z',
    "colour",
    "%_",
    0,
    1,
    1.0,
    -1,
    2.5,
    10,
    1e20,
    True,
    False,
    None,
    "2024-01-15",
    "2024-01-15T00:00:00Z",
    "2024-01-15T10:00:00Z",
    "2024-01-15T12:00:00+02:00",
    "2023-12-31T23:59:59",
)
SCALAR = hst.sampled_from(DOMAIN)
VALUE = hst.one_of(SCALAR, hst.lists(SCALAR, max_size=3))
NESTED = hst.one_of(
    hst.fixed_dictionaries({}, optional={"title": VALUE, "price": VALUE, "tags": VALUE, "sku": VALUE}),
    hst.lists(hst.one_of(hst.fixed_dictionaries({}, optional={"sku": VALUE, "title": VALUE}), SCALAR), max_size=3),
    VALUE,
)
TOPS = ("status", "age", "price", "title", "tags", "created_at", "metadata", "items", "first name", "and", "métier")
RECORD = hst.fixed_dictionaries({}, optional={name: NESTED for name in TOPS})
RECORDS = hst.lists(RECORD, min_size=1, max_size=8)
CONTEXT = {"inputs": {"user_id": "A", "q": 1}}
# at least 500 examples per engine; the thorough profile's larger count when it is loaded
EXAMPLES = max(500, settings.default.max_examples)


class Engine:
    """One engine holding one table ``t(i, doc)``: load a record set, return the ids a plan selects."""

    name = ""

    def load(self, records: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def ids(self, plan: Plan) -> list[int]:
        raise NotImplementedError


class SqlEngine(Engine):
    def __init__(self, name: str, conn: Any, doc_type: str) -> None:
        self.name = name
        self.conn = conn
        self.doc_type = doc_type
        # one table per test process: two runs of the suite may share the PostgreSQL cluster
        self.table = f"t_{os.getpid()}"
        conn.execute(f"DROP TABLE IF EXISTS {self.table}")
        conn.execute(f"CREATE TABLE {self.table} (i INTEGER, doc {doc_type})")

    def load(self, records: list[dict[str, Any]]) -> None:
        self.conn.execute(f"DELETE FROM {self.table}")
        marker = "%s" if self.name == "postgres" else "?"
        # one statement for the whole set: a round trip per record would dominate the test's time
        values = ", ".join(f"({marker}, {marker})" for _ in records)
        params = [x for i, r in enumerate(records) for x in (i, json.dumps(r))]
        self.conn.execute(f"INSERT INTO {self.table} VALUES {values}", params)

    def ids(self, plan: Plan) -> list[int]:
        assert plan.where is not None
        sql = f"SELECT i FROM {self.table} WHERE {plan.where} ORDER BY i"
        return [int(r[0]) for r in self.conn.execute(sql, plan.params).fetchall()]


class QdrantEngine(Engine):
    name = "qdrant"

    def __init__(self) -> None:
        from qdrant_client import QdrantClient, models

        self.models = models
        self.client = QdrantClient(":memory:")
        self.client.create_collection("t", vectors_config=models.VectorParams(size=1, distance=models.Distance.DOT))
        self.count = 0

    def load(self, records: list[dict[str, Any]]) -> None:
        m = self.models
        if self.count:
            self.client.delete("t", points_selector=m.PointIdsList(points=list(range(self.count))))
        self.client.upsert("t", [m.PointStruct(id=i, vector=[1.0], payload=r) for i, r in enumerate(records)])
        self.count = len(records)

    def ids(self, plan: Plan) -> list[int]:
        points, _ = self.client.scroll("t", scroll_filter=plan.filter, limit=10_000)
        return sorted(int(p.id) for p in points)


class MongoEngine(Engine):
    name = "mongo"

    def __init__(self) -> None:
        import mongomock

        self.collection = mongomock.MongoClient().db.t

    def load(self, records: list[dict[str, Any]]) -> None:
        self.collection.delete_many({})
        self.collection.insert_many([{"_id": i, **json.loads(json.dumps(r))} for i, r in enumerate(records)])

    def ids(self, plan: Plan) -> list[int]:
        assert plan.query is not None
        return sorted(int(d["_id"]) for d in self.collection.find(plan.query, {"_id": 1}))


def selected(engine: Engine, plan: Plan, records: list[dict[str, Any]]) -> list[int]:
    """The ids the engine returns, kept where the residual holds."""
    return [i for i in engine.ids(plan) if plan.keep(records[i])]


def assert_guarantee(
    engine: Engine, translate: Callable[[Filter], Plan], f: Filter, records: list[dict[str, Any]]
) -> Plan | None:
    """The guarantee (engine, then residual == matches), exactness when claimed, and the partition check."""
    try:
        f.matches({}, CONTEXT)
    except FilterError as unresolved:
        # a dynamic value the context cannot give: planning raises the very error matches() raises
        with pytest.raises(FilterError) as raised:
            translate(f)
        assert raised.value.issues == unresolved.issues
        return None
    plan = translate(f)
    want = [i for i, r in enumerate(records) if f.matches(r, CONTEXT)]
    ids = engine.ids(plan)
    got = [i for i in ids if plan.keep(records[i])]
    assert got == want, (f.to_text(), plan.explain())
    if plan.exact:
        assert ids == want, ("exact plan, engine alone", f.to_text(), plan.explain())
    negated = translate(Filter(Not((f.root,))))
    assert len(got) + len(selected(engine, negated, records)) == len(records), ("partition", f.to_text())
    return plan
