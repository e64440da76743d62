"""Benchmark: how each user-sized input scales, with the fitted growth exponent per series.

Run: ``.venv/bin/python benchmarks/bench_scaling.py`` (``--quick`` for smaller sizes,
``--series NAME`` to run some series only).

Each series times one operation at three sizes (1x, 10x, 100x of its base) and
fits ``time = c * n**k`` through the points by least squares on the logs; ``k``
near 1 is linear, 2 quadratic. Every exponent should be at most about 1.2.
A series whose 10x point already takes longer than ``--budget`` seconds skips
its 100x point (and says so) rather than run for minutes.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from schemakit import check_filter, compile_schema, parse_filter, query, resolve_collection, resolve_pipeline

Prepared = Callable[[], Any]


@dataclass(frozen=True)
class Series:
    name: str
    unit: str
    base: int
    prepare: Callable[[int], Prepared]
    """Builds the inputs for size n (not timed) and returns the operation to time."""


def _in_list(n: int) -> Prepared:
    values = [f"v{i}" for i in range(n)]
    record = {"tags": [f"w{i}" for i in range(n)]}
    flt = parse_filter({"AND": [{"field": "tags", "operator": "in", "value": values}]})
    flt.matches({})  # compile outside the timing
    return lambda: flt.matches(record)


def _strict_misspelled_keys(n: int) -> Prepared:
    schema = {"properties": {f"field_{i:05d}": {"type": "string"} for i in range(n)}}
    compiled = compile_schema(schema, strict=True)
    obj = {f"fiedl_{i:05d}": "x" for i in range(n)}
    return lambda: compiled.validate(obj)


def _check_filter_unknown_fields(n: int) -> Prepared:
    schema = {"properties": {f"field_{i:05d}": {"type": "string"} for i in range(n)}}
    flt = {"AND": [{"field": f"fiedl_{i:05d}", "operator": "eq", "value": "x"} for i in range(n)]}
    return lambda: check_filter(flt, schema)


def _bucket(n: int) -> dict[str, Any]:
    return {"bucket_schema": {"properties": {f"field_{i:05d}": {"type": "string"} for i in range(n)}}}


def _passthrough(n: int, *, prefix: str) -> Prepared:
    buckets = {"b": _bucket(n)}
    request = {
        "collection_name": "c",
        "source": {"type": "bucket", "bucket_ids": ["b"]},
        "feature_extractor": {
            "feature_extractor_name": "text_extractor",
            "version": "v1",
            "input_mappings": {"text": "field_00000"},
            "field_passthrough": [{"source_path": f"{prefix}_{i:05d}"} for i in range(n)],
        },
    }
    return lambda: resolve_collection(request, buckets=buckets)


def _passthrough_misspelled(n: int) -> Prepared:
    return _passthrough(n, prefix="fiedl")


def _passthrough_entries(n: int) -> Prepared:
    return _passthrough(n, prefix="field")


def _pipeline_cycle(n: int) -> Prepared:
    collections = {
        f"c{i}": {
            "collection_name": f"collection_{i}",
            "source": {"type": "collection", "collection_id": f"c{(i + 1) % n}"},
            "feature_extractor": {
                "feature_extractor_name": "text_extractor",
                "version": "v1",
                "input_mappings": {"text": "text"},
            },
        }
        for i in range(n)
    }
    manifest = {"buckets": {}, "collections": collections}
    return lambda: resolve_pipeline(manifest)


def _flat_and_compile(n: int) -> Prepared:
    spec = {"AND": [{"field": f"f{i}", "operator": "eq", "value": i} for i in range(n)]}

    def run() -> None:
        parse_filter(spec, max_depth=16).matches({})

    return run


def _dotted_segments(n: int) -> Prepared:
    field = ".".join(f"s{i}" for i in range(n))
    spec = {"AND": [{"field": field, "operator": "eq", "value": 1}]}

    def run() -> None:
        parse_filter(spec).matches({})

    return run


def _compile_schema_properties(n: int) -> Prepared:
    schema = {"properties": {f"field_{i:05d}": {"type": "string"} for i in range(n)}}
    return lambda: compile_schema(schema)


def _batch_size(n: int) -> Prepared:
    compiled = compile_schema({"properties": {"sku": {"type": "string"}}}, unique_key={"fields": ["sku"]})
    request = {"objects": [{"sku": f"s{i}"} for i in range(n)]}
    return lambda: compiled.validate_batch(request)


def _query_records(n: int) -> Prepared:
    records = [{"id": i, "status": "active" if i % 3 else "closed", "title": f"title {i}"} for i in range(n)]
    flt = {"AND": [{"field": "status", "operator": "eq", "value": "active"}]}
    return lambda: query(records, filters=flt, sort={"field": "id", "direction": "desc"}, limit=50)


SERIES = (
    Series("in against a list field", "values", 100, _in_list),
    Series("strict validate, misspelled keys", "keys", 100, _strict_misspelled_keys),
    Series("check_filter, unknown fields", "fields", 100, _check_filter_unknown_fields),
    Series("resolve_collection, misspelled passthrough", "paths", 100, _passthrough_misspelled),
    Series("resolve_collection, passthrough entries", "entries", 100, _passthrough_entries),
    Series("resolve_pipeline, one cycle", "collections", 40, _pipeline_cycle),
    Series("filter compile, flat AND", "terms", 1000, _flat_and_compile),
    Series("filter compile, dotted field", "segments", 1000, _dotted_segments),
    Series("compile_schema, properties", "properties", 300, _compile_schema_properties),
    Series("validate_batch, objects", "objects", 100, _batch_size),
    Series("query, records", "records", 1000, _query_records),
)


def best_time(operation: Prepared, *, repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        operation()
        best = min(best, time.perf_counter() - start)
    return best


def exponent(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of log(time) over log(n)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(t, 1e-9)) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    num = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    den = sum((x - mx) ** 2 for x in xs)
    return num / den


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes 1x, 3x, 10x instead of 1x, 10x, 100x")
    parser.add_argument("--series", action="append", help="run only series whose name contains this")
    parser.add_argument(
        "--budget", type=float, default=20.0, help="seconds a 10x point may take before 100x is skipped"
    )
    args = parser.parse_args()
    factors = (1, 3, 10) if args.quick else (1, 10, 100)

    print("| series | unit | " + " | ".join(f"{f}x s" for f in factors) + " | exponent |")
    print("|---|---|" + "---:|" * len(factors) + "---:|")
    worst = 0.0
    for series in SERIES:
        if args.series and not any(s in series.name for s in args.series):
            continue
        points: list[tuple[int, float]] = []
        cells: list[str] = []
        for factor in factors:
            n = series.base * factor
            if points and points[-1][1] > args.budget:
                cells.append("skipped")
                continue
            operation = series.prepare(n)
            elapsed = best_time(operation, repeat=3 if factor == 1 else 1)
            points.append((n, elapsed))
            cells.append(f"{elapsed:.4f} (n={n:,})")
        k = exponent(points)
        worst = max(worst, k)
        print(f"| {series.name} | {series.unit} | " + " | ".join(cells) + f" | {k:.2f} |", flush=True)
    print(f"\nlargest exponent: {worst:.2f} (target: at most about 1.2)")


if __name__ == "__main__":
    main()
