"""Benchmark: resolving large pipeline manifests, and mapping objects through a resolved collection.

Run: ``.venv/bin/python benchmarks/bench_resolver.py`` (``--quick`` for one repeat).

The manifest has 200 buckets of 50 fields (scalars, a nested object, an array
of objects, two files) and N collections: a fifth read buckets directly, the
rest extend chains up to 10 collections deep, each mapping an input and
passing ten fields through (some renamed, some nested, one with a default).
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from schemakit.mappings import resolve_collection, resolve_pipeline

BUCKETS = 200
FIELDS = 50
MAX_DEPTH = 10
SIZES = (100, 1_000, 5_000)

_SCALARS = ("string", "integer", "float", "boolean", "datetime")


def bucket_schema(seed: int) -> dict[str, Any]:
    props: dict[str, Any] = {
        "video": {"type": "video"},
        "thumbnail": {"type": "image"},
        "metadata": {
            "type": "object",
            "properties": {
                "title": {"type": "string", "required": True},
                "author": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
        },
        "chapters": {
            "type": "array",
            "items": {"type": "object", "properties": {"title": {"type": "string"}, "start": {"type": "float"}}},
        },
    }
    for i in range(FIELDS - len(props)):
        props[f"field_{i:02d}"] = {"type": _SCALARS[(i + seed) % len(_SCALARS)]}
    return {"properties": props}


def first_level(index: int) -> dict[str, Any]:
    bucket = f"bkt_{index % BUCKETS:03d}"
    return {
        "collection_name": f"frames_{index}",
        "source": {"type": "bucket", "bucket_ids": [bucket]},
        "feature_extractor": {
            "feature_extractor_name": "multimodal_extractor",
            "version": "v1",
            "input_mappings": {"video": "video", "text": "metadata.title"},
            "field_passthrough": [
                {"source_path": "metadata.title", "target_path": "title", "required": True},
                {"source_path": "metadata.author"},
                {"source_path": "chapters.title", "target_path": "chapter_titles"},
                {"source_path": "metadata.missing", "target_path": "region", "default": "eu"},
                *({"source_path": f"field_{i:02d}"} for i in range(6)),
            ],
        },
    }


def downstream(index: int, upstream: str, depth: int) -> dict[str, Any]:
    # alternate extractors so each level's outputs never collide with the fields it passes on
    extractor, mapping = (
        ("text_extractor", {"text": "title"}) if depth % 2 else ("image_extractor", {"image": "thumbnail"})
    )
    passthrough: list[dict[str, Any]] = [
        {"source_path": "title", "required": True},
        {"source_path": "author"},
        {"source_path": "chapter_titles"},
        {"source_path": "region"},
        {"source_path": "thumbnail"},
        *({"source_path": f"field_{i:02d}"} for i in range(5)),
    ]
    return {
        "collection_name": f"level{depth}_{index}",
        "source": {"type": "collection", "collection_id": upstream},
        "feature_extractor": {
            "feature_extractor_name": extractor,
            "version": "v1",
            "input_mappings": mapping,
            "field_passthrough": passthrough,
        },
    }


def manifest(collections: int) -> dict[str, Any]:
    """A pipeline of ``collections`` collections over 200 buckets; chains reach depth 10."""
    buckets = {
        f"bkt_{i:03d}": {"bucket_name": f"videos_{i}", "bucket_schema": bucket_schema(i)} for i in range(BUCKETS)
    }
    roots = max(1, collections // 5)
    cols: dict[str, Any] = {}
    heads: list[tuple[str, int]] = []
    for i in range(roots):
        cid = f"col_{i:05d}"
        frames = first_level(i)
        # first-level collections also pass the thumbnail on, for the image extractors downstream
        frames["feature_extractor"]["field_passthrough"].append({"source_path": "thumbnail"})
        cols[cid] = frames
        heads.append((cid, 1))
    i = roots
    cursor = 0
    while i < collections:
        upstream, depth = heads[cursor % len(heads)]
        cursor += 1
        if depth >= MAX_DEPTH:
            continue
        cid = f"col_{i:05d}"
        cols[cid] = downstream(i, upstream, depth + 1)
        heads[(cursor - 1) % len(heads)] = (cid, depth + 1)
        i += 1
    # declare collections in reverse so the resolver has to order them itself
    return {"buckets": buckets, "collections": dict(reversed(list(cols.items())))}


def time_pipeline(collections: int, repeats: int) -> tuple[float, float, int]:
    data = manifest(collections)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = resolve_pipeline(data)
        times.append(time.perf_counter() - start)
        if not result.ok:
            raise SystemExit(f"benchmark manifest did not resolve: {result.issues[:3]}")
    return min(times), statistics.median(times), len(data["collections"])


def objects_per_second(count: int, repeats: int) -> float:
    schema = bucket_schema(0)
    request = first_level(0)
    request["feature_extractor"]["include_all_source_fields"] = False
    res = resolve_collection(request, buckets={"bkt_000": {"bucket_schema": schema}})
    assert res.ok, res.issues
    obj = {
        "blobs": [{"property": "video", "type": "video", "data": "s3://bucket/video.mp4"}],
        "metadata": {"title": "Launch", "author": "Ada", "tags": ["a", "b"]},
        "chapters": [{"title": "intro", "start": 0.0}, {"title": "demo", "start": 12.5}],
        **{f"field_{i:02d}": i for i in range(FIELDS - 4)},
    }
    res.map_object(obj)  # compiles the mapper outside the timed loop
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(count):
            res.map_object(obj)
        best = min(best, time.perf_counter() - start)
    return count / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repeat instead of five")
    args = parser.parse_args()
    repeats = 1 if args.quick else 5
    print(f"resolve_pipeline: {BUCKETS} buckets x {FIELDS} fields, chains up to depth {MAX_DEPTH}")
    # best-of is the figure to compare across runs on a shared machine; the median shows the noise
    print(f"{'collections':>12} {'best s':>8} {'median s':>9} {'us/collection':>14}")
    for size in SIZES:
        best, median, n = time_pipeline(size, repeats)
        print(f"{n:>12,} {best:>8.3f} {median:>9.3f} {best / n * 1e6:>14.1f}")
    rate = objects_per_second(20_000 if args.quick else 50_000, repeats)
    print(f"map_object: {rate:,.0f} objects/second, best of {repeats} (2 inputs, 10 passthrough fields)")


if __name__ == "__main__":
    main()
