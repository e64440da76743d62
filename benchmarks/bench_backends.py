"""Filters run where the data lives: each engine against loading every record into Python and calling ``matches``.

Generates ``--records`` product records (the bench_cli shape: sku, category
and the metadata object; default 1,000,000) as JSON Lines, cached in
``benchmarks/_data/``, and loads them into DuckDB (a JSON column), PostgreSQL
15 (jsonb, without and then with a GIN index), DuckDB's typed columns
(``layout="columns"``, read with ``read_json`` and the schema's column types),
SQLite (JSON text) and, capped
at ``--qdrant-records`` (default 100,000), qdrant-client's local mode. Then,
for the seed filter of docs/filters.md and four others, it times planning +
execution + residual on each engine (after one untimed warm-up run; the best of ``--repeat`` timings,
default 3, as for the Python path), and the Python path (read each line,
``json.loads``, ``Filter.matches``) on the same records in the same run, and
prints each engine's ratio to the Python path (over the same number of
records). Each engine's count of matching records must equal the Python
path's, or the script fails.

Finally it plans 1,000 generated filters (``schemakit.strategies.filters()``,
a fixed seed) for every target and prints how many plans are exact.

PostgreSQL: the script starts a throwaway cluster of its own (as the tests'
fixture does), or uses ``--pg DSN``.

    .venv/bin/python benchmarks/bench_backends.py                     # 1,000,000 records
    .venv/bin/python benchmarks/bench_backends.py --records 200000    # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"
sys.path.insert(0, str(HERE))

from bench_cli import BUCKET, make_object  # noqa: E402

from schemakit import Filter, parse_filter  # noqa: E402
from schemakit.backends import Plan, register_sqlite, to_mongo, to_qdrant, to_sql  # noqa: E402

SEED = {
    "AND": [{"field": "name", "operator": "eq", "value": "John"}, {"field": "age", "operator": "gte", "value": 30}],
    "OR": [
        {"field": "status", "operator": "eq", "value": "active"},
        {"field": "role", "operator": "eq", "value": "admin"},
    ],
    "NOT": [
        {"field": "department", "operator": "eq", "value": "HR"},
        {"field": "location", "operator": "eq", "value": "remote"},
    ],
}
FILTERS: list[tuple[str, Any]] = [
    ("seed filter (docs/filters.md)", SEED),
    ("equality (indexed field)", 'CASE SENSITIVE (category = "shoes")'),
    ("range", "metadata.price >= 100 AND metadata.price < 200"),
    ("list contains", 'CASE SENSITIVE (metadata.tags CONTAINS "leather")'),
    ("case-insensitive starts_with", 'metadata.title STARTS WITH "classic"'),
]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
BUCKET_SCHEMA = BUCKET["bucket_schema"]


def record(i: int, rng: random.Random) -> dict[str, Any]:
    obj = make_object(i, rng)
    meta = obj["metadata"]
    assert isinstance(meta, dict)
    if isinstance(meta.get("price"), str):
        # bench_cli's string price is an invalid object; typed columns would read it as a number
        meta["price"] = float(meta["price"])
    return {"sku": obj["sku"], "category": obj.get("category"), "metadata": meta}


def dataset(n: int) -> Path:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"backends_v2_{n}.jsonl"
    if not path.exists():
        rng = random.Random(20240115)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w") as out:
            for i in range(n):
                out.write(json.dumps(record(i, rng), ensure_ascii=False) + "\n")
        tmp.replace(path)
    return path


def lines(path: Path, limit: int | None = None) -> Iterator[tuple[int, str]]:
    with path.open() as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                return
            yield i, line


def timed(fn: Callable[[], int], repeat: int = 1) -> tuple[float, int]:
    best = float("inf")
    result = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def python_path(path: Path, f: Filter, limit: int | None = None) -> int:
    loads = json.loads
    matches = f.matches
    return sum(1 for _, line in lines(path, limit) if matches(loads(line)))


@contextmanager
def postgres(dsn: str | None) -> Iterator[str]:
    if dsn:
        yield dsn
        return
    root = Path(tempfile.mkdtemp(prefix="schemakit-bench-pg-"))
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data = root / "data"
    subprocess.run(
        [*as_pg, str(PG_BIN / "initdb"), "-D", str(data), "-E", "UTF8", "--locale=C.UTF-8", "-A", "trust"],
        check=True,
        capture_output=True,
    )
    opts = f"-c listen_addresses='' -c unix_socket_directories='{root}' -c fsync=off"
    subprocess.run(
        [*as_pg, str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-l", str(root / "log"), "-o", opts, "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"host={root} dbname=postgres user=postgres"
    finally:
        subprocess.run([*as_pg, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


class SqlTarget:
    def __init__(self, name: str, dialect: str, conn: Any) -> None:
        self.name = name
        self.dialect = dialect
        self.conn = conn

    def run(self, spec: Any) -> int:
        plan = to_sql(spec, dialect=self.dialect)  # type: ignore[arg-type]
        if plan.exact:
            row = self.conn.execute(f"SELECT count(*) FROM t WHERE {plan.where}", plan.params).fetchone()
            return int(row[0])
        rows = self.conn.execute(f"SELECT doc FROM t WHERE {plan.where}", plan.params).fetchall()
        return sum(1 for (doc,) in rows if plan.keep(json.loads(doc) if isinstance(doc, str) else doc))


class QdrantTarget:
    name = "Qdrant local"

    def __init__(self, client: Any) -> None:
        self.client = client

    def run(self, spec: Any) -> int:
        plan = to_qdrant(spec)
        kept = 0
        offset = None
        while True:
            points, offset = self.client.scroll(
                "t", scroll_filter=plan.filter, limit=10_000, offset=offset, with_payload=not plan.exact
            )
            kept += sum(1 for p in points if plan.exact or plan.keep(p.payload))
            if offset is None:
                return kept


def load_duckdb(path: Path) -> Any:
    import duckdb

    conn = duckdb.connect()
    conn.execute(
        "CREATE TABLE t AS SELECT CAST(row_number() OVER () - 1 AS INTEGER) AS i, json AS doc "
        f"FROM read_json_objects('{path}', format='newline_delimited')"
    )
    return conn


def load_duckdb_columns(path: Path) -> Any:
    import duckdb

    from schemakit.backends import duckdb_columns

    types = duckdb_columns(BUCKET["bucket_schema"])
    spec = "{" + ", ".join(f"'{k}': '{v}'" for k, v in types.items()) + "}"
    conn = duckdb.connect()
    conn.execute(f"CREATE TABLE t AS SELECT * FROM read_json('{path}', format='newline_delimited', columns={spec})")
    return conn


class ColumnsTarget:
    name = "DuckDB (columns)"

    def __init__(self, conn: Any, schema: Any) -> None:
        self.conn = conn
        self.schema = schema

    def run(self, spec: Any) -> int:
        plan = to_sql(spec, dialect="duckdb", layout="columns", schema=self.schema)
        if plan.exact:
            return int(self.conn.execute(f"SELECT count(*) FROM t WHERE {plan.where}", plan.params).fetchone()[0])
        cur = self.conn.execute(f"SELECT * FROM t WHERE {plan.where}", plan.params)
        names = [c[0] for c in cur.description]
        return sum(1 for row in cur.fetchall() if plan.keep(dict(zip(names, row, strict=True))))


def load_sqlite(path: Path) -> Any:
    conn = register_sqlite(sqlite3.connect(":memory:"))
    conn.execute("CREATE TABLE t (i INTEGER, doc TEXT)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", ((i, line.rstrip("\n")) for i, line in lines(path)))
    return conn


def load_postgres(path: Path, dsn: str) -> Any:
    import psycopg

    conn = psycopg.connect(dsn, autocommit=True)
    conn.execute("DROP TABLE IF EXISTS t")
    conn.execute("CREATE UNLOGGED TABLE t (i INTEGER, doc JSONB)")
    with conn.cursor() as cur, cur.copy("COPY t (i, doc) FROM STDIN") as copy:
        for i, line in lines(path):
            copy.write_row((i, line.rstrip("\n")))
    conn.execute("ANALYZE t")
    return conn


def load_qdrant(path: Path, n: int) -> Any:
    from qdrant_client import QdrantClient, models

    client = QdrantClient(":memory:")
    client.create_collection("t", vectors_config=models.VectorParams(size=1, distance=models.Distance.DOT))
    batch: list[Any] = []
    for i, line in lines(path, n):
        batch.append(models.PointStruct(id=i, vector=[1.0], payload=json.loads(line)))
        if len(batch) == 5_000:
            client.upsert("t", batch, wait=True)
            batch = []
    if batch:
        client.upsert("t", batch, wait=True)
    return client


def exactness(count: int) -> dict[str, int]:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as hst

    from schemakit import strategies as st

    drawn: list[Filter] = []

    @settings(max_examples=count, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(hst.data())
    def collect(data: Any) -> None:
        drawn.append(data.draw(st.filters()))

    collect()
    planners: dict[str, Callable[[Filter], Plan]] = {
        "PostgreSQL": lambda f: to_sql(f, dialect="postgres"),
        "DuckDB (JSON)": lambda f: to_sql(f, dialect="duckdb"),
        "SQLite": lambda f: to_sql(f, dialect="sqlite"),
        "Qdrant": to_qdrant,
        "MongoDB": to_mongo,
    }
    return {name: sum(plan(f).exact for f in drawn) for name, plan in planners.items()} | {"filters": len(drawn)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--qdrant-records", type=int, default=100_000)
    ap.add_argument("--pg", metavar="DSN", help="a PostgreSQL 15 to use instead of a throwaway cluster")
    ap.add_argument("--exactness", type=int, default=1_000, help="how many generated filters to plan per target")
    ap.add_argument(
        "--repeat", type=int, default=3, help="timings of each engine and of the Python path, the best kept"
    )
    args = ap.parse_args()
    n = args.records
    nq = min(n, args.qdrant_records)
    path = dataset(n)
    print(f"{n:,} records ({path.stat().st_size / 1e6:.0f} MB JSONL); Qdrant local mode: {nq:,}", flush=True)

    loads: dict[str, float] = {}
    t0 = time.perf_counter()
    duck = load_duckdb(path)
    loads["DuckDB"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    cols = load_duckdb_columns(path)
    loads["DuckDB columns"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    lite = load_sqlite(path)
    loads["SQLite"] = time.perf_counter() - t0
    with postgres(args.pg) as dsn:
        t0 = time.perf_counter()
        pg = load_postgres(path, dsn)
        loads["PostgreSQL"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        qd = load_qdrant(path, nq)
        loads["Qdrant"] = time.perf_counter() - t0
        print("load (s): " + ", ".join(f"{k} {v:.1f}" for k, v in loads.items()), flush=True)

        header = "| filter | target | records | exact plan | time (s) | Python path (s) | speed-up |"
        rows = [header, "|---|---|---:|---|---:|---:|---:|"]
        targets: list[tuple[str, Callable[[Any], int], int]] = [
            ("DuckDB (JSON)", SqlTarget("DuckDB", "duckdb", duck).run, n),
            ("DuckDB (columns)", ColumnsTarget(cols, BUCKET_SCHEMA).run, n),
            ("PostgreSQL (jsonb)", SqlTarget("PostgreSQL", "postgres", pg).run, n),
            ("SQLite (JSON1)", SqlTarget("SQLite", "sqlite", lite).run, n),
            ("Qdrant local", QdrantTarget(qd).run, nq),
        ]
        python_times: dict[tuple[str, int], tuple[float, int]] = {}
        for label, spec in FILTERS:
            f = parse_filter(spec)
            for limit in sorted({n, nq}):
                python_times[(label, limit)] = timed(lambda f=f, limit=limit: python_path(path, f, limit), args.repeat)
            for name, run, limit in targets:
                run(spec)  # warm-up: the engine's first query of a shape pays for its compilation
                seconds, count = timed(lambda run=run, spec=spec: run(spec), args.repeat)
                base, want = python_times[(label, limit)]
                if count != want:
                    print(f"MISMATCH {name} {label}: {count} != {want}", file=sys.stderr)
                    return 1
                exact = "yes" if _plan_exact(name, spec) else "no"
                rows.append(
                    f"| {label} | {name} | {limit:,} | {exact} | {seconds:.3f} | {base:.3f} | {base / seconds:.1f}x |"
                )
                print(rows[-1], flush=True)
        pg.execute("CREATE INDEX t_gin ON t USING GIN (doc jsonb_path_ops)")
        pg.execute("ANALYZE t")
        for label, spec in FILTERS:
            SqlTarget("PostgreSQL", "postgres", pg).run(spec)
            seconds, count = timed(lambda spec=spec: SqlTarget("PostgreSQL", "postgres", pg).run(spec), args.repeat)
            base, want = python_times[(label, n)]
            if count != want:
                print(f"MISMATCH PostgreSQL+GIN {label}: {count} != {want}", file=sys.stderr)
                return 1
            exact = "yes" if _plan_exact("PostgreSQL (jsonb)", spec) else "no"
            name = "PostgreSQL (jsonb, GIN)"
            rows.append(f"| {label} | {name} | {n:,} | {exact} | {seconds:.3f} | {base:.3f} | {base / seconds:.1f}x |")
            print(rows[-1], flush=True)
        pg.close()
    print()
    print("\n".join(rows))
    counts = exactness(args.exactness)
    total = counts.pop("filters")
    print()
    print(f"Exact plans over {total:,} generated filters (schemakit.strategies.filters(), derandomized):")
    print("| target | exact plans |")
    print("|---|---:|")
    for name, k in counts.items():
        print(f"| {name} | {k} / {total} ({100 * k / total:.0f}%) |")
    return 0


def _plan_exact(name: str, spec: Any) -> bool:
    if name.startswith("Qdrant"):
        return to_qdrant(spec).exact
    if name == "DuckDB (columns)":
        return to_sql(spec, dialect="duckdb", layout="columns", schema=BUCKET_SCHEMA).exact
    dialect = {"DuckDB": "duckdb", "Postgr": "postgres", "SQLite": "sqlite"}[name[:6]]
    return to_sql(spec, dialect=dialect).exact  # type: ignore[arg-type]


if __name__ == "__main__":
    raise SystemExit(main())
