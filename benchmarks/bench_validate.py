"""Benchmark: validating object requests with schemakit and with general-purpose validators, in one run.

Run: ``.venv/bin/python benchmarks/bench_validate.py`` (``--quick`` for fewer objects and repeats).

The bucket is ``fixtures/buckets/product_catalog.json``. The same rules are
written by hand as a JSON Schema (draft-07, the newest draft fastjsonschema
reads) for jsonschema, fastjsonschema and jsonschema-rs, and as pydantic
models. All peers validate the same 20,000 generated objects (90% valid, the
rest broken in ten different ways); each is timed as the best of several
passes, and the table gives objects per second and how many times faster
schemakit is.

What the hand-written JSON Schema cannot say (calendar dates inside
date-times, one blob per single-file property, MIME types implied by URL
extensions, the UTF-8 size of key_prefix) schemakit checks on top; the
"valid" column shows how many objects each library accepted.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import fastjsonschema
import jsonschema
import jsonschema_rs
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, ValidationError

from schemakit.schema import compile_bucket

ROOT = Path(__file__).resolve().parent.parent
BUCKET = json.loads((ROOT / "fixtures" / "buckets" / "product_catalog.json").read_text())
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
CATEGORIES = ["apparel", "electronics", "home", "toys"]

# -- the same rules, hand-written as JSON Schema -------------------------------------------------


def ci(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" for c in word)


DATETIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})?$"
URL = r"^(?:[hH][tT][tT][pP][sS]?|[sS]3|[gG][sS])://[^\s/?#]+\S*$"
B64 = r"(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?|(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)"
KEY_PREFIX = {
    "type": "string",
    "minLength": 1,
    "maxLength": 1024,
    "pattern": r"^(?!(?:.*/)?\.\.(?:/|$))[^\x00-\x1f\x7f-\x9f]*$",
}
NULLABLE_KEY_PREFIX = {"anyOf": [{"type": "null"}, KEY_PREFIX]}


def data_schema(mime: str) -> dict[str, Any]:
    # the common forms first: anyOf stops at the first branch that passes
    return {
        "anyOf": [
            {"type": "string", "pattern": URL},
            {"type": "string", "pattern": rf"^data:{mime}(?:;[^;,]*)*;base64,(?:{B64})$"},
            {
                "type": "object",
                "required": ["base64"],
                "properties": {
                    "base64": {"type": "string", "pattern": f"^(?:{B64})$"},
                    "mime_type": {"anyOf": [{"type": "null"}, {"type": "string", "pattern": f"^{mime}$"}]},
                    "filename": {"type": ["string", "null"]},
                },
            },
            {"type": "object", "required": ["url"], "properties": {"url": {"type": "string", "pattern": URL}}},
            {"type": "null"},
        ]
    }


def blob_variant(prop: str, ftype: str, mime: str) -> dict[str, Any]:
    """The blob schema for one file property (the bucket's rules for it, and the contract's blob shape)."""
    return {
        "type": "object",
        "required": ["property"],
        "properties": {
            "property": {"const": prop},
            "type": {"type": ["string", "null"], "pattern": f"^(?:{ci(ftype)}|{ci('auto')})$"},
            "data": data_schema(mime),
            "upload_id": {"type": ["string", "null"], "pattern": "^upl_[a-zA-Z0-9_-]+$"},
            "key_prefix": NULLABLE_KEY_PREFIX,
            "metadata": {"type": ["object", "null"]},
            "canonicalize_source": {"type": ["boolean", "null"]},
            "force_remirror": {"type": ["boolean", "null"]},
        },
        # data XOR upload_id; the usual blob (data, no upload_id) passes the first branch
        "anyOf": [
            {
                "required": ["data"],
                "properties": {"data": {"type": ["string", "object"]}, "upload_id": {"type": "null"}},
            },
            {"required": ["upload_id"], "properties": {"upload_id": {"type": "string"}, "data": {"type": "null"}}},
        ],
    }


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """Null or ``schema``, written the way people do by hand: a type list rather than anyOf."""
    out = dict(schema)
    out["type"] = [schema["type"], "null"]
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    return out


JSON_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["sku", "metadata", "blobs"],
    "properties": {
        "key_prefix": NULLABLE_KEY_PREFIX,
        "skip_duplicates": {"type": "boolean"},
        "canonicalize_source": {"type": "boolean"},
        "force_remirror": {"type": "boolean"},
        "image": {"type": "null"},
        "gallery": {"type": "null"},
        "spec_sheet": {"type": "null"},
        "sku": {"type": "string", "minLength": 1, "maxLength": 255},
        "blobs": {
            "type": "array",
            "contains": {"properties": {"property": {"const": "image"}}, "required": ["property"]},
            # most blobs are the main image: anyOf tries it first
            "items": {
                "anyOf": [
                    blob_variant("image", "image", r"image/[A-Za-z0-9_.+-]+"),
                    blob_variant("gallery", "image", r"image/[A-Za-z0-9_.+-]+"),
                    blob_variant("spec_sheet", "pdf", "application/pdf"),
                ]
            },
        },
        "metadata": {
            "type": "object",
            "required": ["title", "price"],
            "properties": {
                "title": {"type": "string"},
                "category": nullable({"type": "string", "enum": CATEGORIES}),
                "price": {"type": "number"},
                "currency": nullable({"type": "string", "enum": ["USD", "EUR", "GBP"]}),
                "stock": nullable({"type": "integer"}),
                "tags": nullable({"type": "array", "items": nullable({"type": "string"})}),
                "on_sale": nullable({"type": "boolean"}),
                "released": nullable({"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
                "updated_at": nullable({"type": "string", "pattern": DATETIME}),
                "dimensions": nullable(
                    {
                        "type": "object",
                        "properties": {
                            "width_cm": nullable({"type": "number"}),
                            "height_cm": nullable({"type": "number"}),
                            "depth_cm": nullable({"type": "number"}),
                        },
                    }
                ),
            },
        },
    },
}

# -- the same rules as pydantic models ---------------------------------------------------------------

ImageType = Annotated[str, Field(pattern=f"^(?:{ci('image')}|{ci('auto')})$")]


class Blob(BaseModel):
    model_config = ConfigDict(extra="allow", regex_engine="python-re")
    property: Literal["image", "gallery", "spec_sheet"]
    type: str | None = None
    data: (
        Annotated[str, Field(pattern=f"{URL}|^data:image/[A-Za-z0-9_.+-]+;base64,(?:{B64})$")] | dict[str, Any] | None
    ) = None
    upload_id: Annotated[str, Field(pattern="^upl_[a-zA-Z0-9_-]+$")] | None = None
    key_prefix: Annotated[str, Field(min_length=1, pattern=KEY_PREFIX["pattern"])] | None = None
    metadata: dict[str, Any] | None = None


class Dimensions(BaseModel):
    width_cm: StrictInt | StrictFloat | None = None
    height_cm: StrictInt | StrictFloat | None = None
    depth_cm: StrictInt | StrictFloat | None = None


class Metadata(BaseModel):
    model_config = ConfigDict(extra="allow", regex_engine="python-re")
    title: StrictStr
    category: Literal["apparel", "electronics", "home", "toys"] | None = None
    price: StrictInt | StrictFloat
    currency: Literal["USD", "EUR", "GBP"] | None = "USD"
    stock: StrictInt | None = 0
    tags: list[StrictStr | None] | None = None
    on_sale: StrictBool | None = False
    released: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")] | None = None
    updated_at: Annotated[str, Field(pattern=DATETIME)] | None = None
    dimensions: Dimensions | None = None


class ObjectRequest(BaseModel):
    model_config = ConfigDict(extra="allow", regex_engine="python-re")
    key_prefix: Annotated[str, Field(min_length=1, pattern=KEY_PREFIX["pattern"])] | None = None
    skip_duplicates: StrictBool = False
    sku: Annotated[StrictStr, Field(min_length=1, max_length=255)]
    blobs: list[Blob]
    metadata: Metadata


# -- data ------------------------------------------------------------------------------------------


def valid_object(rng: random.Random, i: int) -> dict[str, Any]:
    sku = f"SKU-{i:06d}"
    blob_kind = rng.random()
    if blob_kind < 0.7:
        image: dict[str, Any] = {
            "property": "image",
            "type": rng.choice(["image", "IMAGE"]),
            "data": f"https://cdn.example.com/p/{sku}.jpg",
        }
    elif blob_kind < 0.85:
        image = {"property": "image", "type": "image", "upload_id": f"upl_{i:08d}"}
    else:
        image = {"property": "image", "type": "image", "data": "data:image/png;base64," + PNG}
    blobs = [image]
    if rng.random() < 0.3:
        blobs.append({"property": "gallery", "type": "image", "data": f"s3://catalog/{sku}/side.png"})
    if rng.random() < 0.2:
        blobs.append({"property": "spec_sheet", "type": "pdf", "upload_id": f"upl_spec_{i}"})
    metadata: dict[str, Any] = {
        "title": f"Product {i}",
        "category": rng.choice(CATEGORIES),
        "price": round(rng.uniform(1, 500), 2),
        "tags": rng.sample(["new", "sale", "eco", "gift", "bestseller"], rng.randint(0, 3)),
    }
    if rng.random() < 0.5:
        metadata["stock"] = rng.randint(0, 1000)
    if rng.random() < 0.5:
        metadata["released"] = f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if rng.random() < 0.3:
        metadata["updated_at"] = f"2025-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T1{rng.randint(0, 9)}:30:00Z"
    if rng.random() < 0.3:
        metadata["dimensions"] = {"width_cm": rng.randint(1, 90), "height_cm": rng.uniform(1, 200)}
    return {"key_prefix": f"/catalog/{sku.lower()}", "sku": sku, "blobs": blobs, "metadata": metadata}


BREAKERS: list[Callable[[dict[str, Any]], None]] = [
    lambda o: o["metadata"].update(price="12.50"),
    lambda o: o["metadata"].pop("title"),
    lambda o: o["metadata"].update(category="Electronics"),
    lambda o: o["metadata"].update(released="2024-13-01"),
    lambda o: o["metadata"].update(tags=["ok", 3]),
    lambda o: o["blobs"][0].update(type="video"),
    lambda o: o["blobs"][0].update(property="imgae"),
    lambda o: o["blobs"][0].update(upload_id="upl_1", data="https://x.example/a.jpg"),
    lambda o: o.update(key_prefix="/catalog/../etc"),
    lambda o: o.update(blobs=[]),
]


def make_objects(n: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        obj = valid_object(rng, i)
        if i % 10 == 9:
            BREAKERS[(i // 10) % len(BREAKERS)](obj)
        out.append(obj)
    return out


# -- timing ------------------------------------------------------------------------------------------


def best_time(run: Callable[[], int], repeat: int) -> tuple[float, int]:
    best = float("inf")
    accepted = 0
    for _ in range(repeat):
        start = time.perf_counter()
        accepted = run()
        best = min(best, time.perf_counter() - start)
    return best, accepted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--objects", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2,000 objects, 2 passes")
    args = parser.parse_args()
    n, repeat = (2_000, 2) if args.quick else (args.objects, args.repeat)

    objects = make_objects(n)
    v = compile_bucket(BUCKET)
    jsonschema.Draft7Validator.check_schema(JSON_SCHEMA)
    js = jsonschema.Draft7Validator(JSON_SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    fast = fastjsonschema.compile(JSON_SCHEMA)
    rs = jsonschema_rs.validator_for(JSON_SCHEMA, validate_formats=True)

    def run_jsonschema() -> int:
        return sum(1 for o in objects if not any(True for _ in js.iter_errors(o)))

    def run_fast() -> int:
        ok = 0
        for o in objects:
            try:
                fast(o)
                ok += 1
            except fastjsonschema.JsonSchemaValueException:
                pass
        return ok

    def run_rs() -> int:
        is_valid = rs.is_valid
        return sum(1 for o in objects if is_valid(o))

    def run_pydantic() -> int:
        ok = 0
        validate = ObjectRequest.model_validate
        for o in objects:
            try:
                validate(o)
                ok += 1
            except ValidationError:
                pass
        return ok

    def run_is_valid() -> int:
        is_valid = v.is_valid
        return sum(1 for o in objects if is_valid(o))

    def run_validate() -> int:
        validate = v.validate
        return sum(1 for o in objects if validate(o).ok)

    rows = [
        ("jsonschema (iter_errors)", run_jsonschema, min(2, repeat)),  # slow: two passes are enough
        ("fastjsonschema", run_fast, repeat),
        ("jsonschema-rs (is_valid)", run_rs, repeat),
        ("pydantic v2 (model_validate)", run_pydantic, repeat),
        ("schemakit is_valid", run_is_valid, repeat),
        ("schemakit validate", run_validate, repeat),
    ]
    timings: dict[str, tuple[float, int]] = {}
    for name, run, reps in rows:
        timings[name] = best_time(run, reps)

    sk_fast = n / timings["schemakit is_valid"][0]
    sk_full = n / timings["schemakit validate"][0]
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}"
        for name in ("jsonschema", "fastjsonschema", "jsonschema-rs", "pydantic")
    )
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; {versions}")
    print(f"{n:,} objects ({sum(1 for i in range(n) if i % 10 != 9):,} valid by construction), best of {repeat} passes")
    print()
    header = ("library", "objects/s", "valid", "is_valid is x faster", "validate is x faster")
    print("| " + " | ".join(header) + " |")
    print("|:---|---:|---:|---:|---:|")
    for name, _, _ in rows:
        seconds, accepted = timings[name]
        rate = n / seconds
        print(f"| {name} | {rate:,.0f} | {accepted:,} | {sk_fast / rate:.1f} | {sk_full / rate:.1f} |")
    print()
    vs_fast = sk_fast / (n / timings["fastjsonschema"][0])
    vs_js = sk_full / (n / timings["jsonschema (iter_errors)"][0])
    print(f"target: is_valid >= 2x fastjsonschema          -> {vs_fast:.1f}x {'met' if vs_fast >= 2 else 'NOT met'}")
    print(f"target: validate >= 20x jsonschema iter_errors -> {vs_js:.1f}x {'met' if vs_js >= 20 else 'NOT met'}")


if __name__ == "__main__":
    main()
