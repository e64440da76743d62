"""Benchmark: validating object requests with schemakit and with general-purpose validators, in one run.

Run: ``.venv/bin/python benchmarks/bench_validate.py`` (``--quick`` for fewer
objects and repeats, ``--workload heavy|light`` for one of the two tables).

Two workloads, each 20,000 generated objects, 90% valid; every peer gets the
same rules and must accept the same objects (the "valid" column):

* heavy: ``fixtures/buckets/product_catalog.json``, broken in ten different
  ways. The rules are written by hand as a JSON Schema (draft-07, the newest
  draft fastjsonschema reads) for jsonschema, fastjsonschema and
  jsonschema-rs, and as pydantic models. Blob data is URLs, upload ids and
  data URIs, so regexes dominate.
* light: a seed-like bucket (an ``image`` file field and a ``metadata``
  object of six plain fields), at most one blob each (an https ``.jpg`` URL),
  broken in five ways. Besides the JSON Schema peers, a hand-written
  straight-line Python function (type checks, an enum set, a date pattern)
  shows the physical limit of checking these rules in Python.

Each run is timed as the best of several passes, in CPU time of this process
(every peer runs on one thread); the tables give objects per second and how
many times faster schemakit is. What the hand-written JSON
Schema cannot say (calendar dates, one blob per single-file property, MIME
types implied by URL extensions, the UTF-8 size of key_prefix) schemakit
checks on top.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import random
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import fastjsonschema
import jsonschema
import jsonschema_rs
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, ValidationError

from schemakit.schema import compile_bucket, compile_schema

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
    return generate(n, seed, valid_object, BREAKERS)


def generate(
    n: int, seed: int, valid: Callable[[random.Random, int], dict[str, Any]], breakers: list[Callable[..., Any]]
) -> list[dict[str, Any]]:
    """``n`` objects, every tenth broken by the next breaker in turn (the same objects for every peer)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        obj = valid(rng, i)
        if i % 10 == 9:
            breakers[(i // 10) % len(breakers)](obj)
        out.append(obj)
    return out


# -- the light workload: a seed-like bucket -----------------------------------------------------------

LIGHT_CATEGORIES = ["books", "music", "games"]
LIGHT_BUCKET: dict[str, Any] = {
    "properties": {
        "image": {"type": "image"},
        "metadata": {
            "type": "object",
            "properties": {
                "title": {"type": "string", "required": True},
                "category": {"type": "string", "enum": LIGHT_CATEGORIES},
                "price": {"type": "float"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "in_stock": {"type": "boolean"},
                "released": {"type": "date"},
            },
        },
    }
}

LIGHT_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {
        "key_prefix": NULLABLE_KEY_PREFIX,
        "skip_duplicates": {"type": "boolean"},
        "canonicalize_source": {"type": "boolean"},
        "force_remirror": {"type": "boolean"},
        "image": {"type": "null"},
        # one file field, which takes one blob: at most one blob
        "blobs": {"type": "array", "maxItems": 1, "items": blob_variant("image", "image", r"image/[A-Za-z0-9_.+-]+")},
        "metadata": nullable(
            {
                "type": "object",
                "required": ["title"],
                "properties": {
                    "title": {"type": "string"},
                    "category": nullable({"type": "string", "enum": LIGHT_CATEGORIES}),
                    "price": nullable({"type": "number"}),
                    "tags": nullable({"type": "array", "items": nullable({"type": "string"})}),
                    "in_stock": nullable({"type": "boolean"}),
                    "released": nullable(
                        {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
                    ),
                },
            }
        ),
    },
}

_LIGHT_CATEGORY_SET = frozenset(LIGHT_CATEGORIES)
_DATE_MATCH = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z").match
_URL_MATCH = re.compile(r"https?://[^\s/?#]+\S*\Z").match
_REQUEST_FLAGS = ("skip_duplicates", "canonicalize_source", "force_remirror")


def light_by_hand(o: Any) -> bool:
    """The light bucket's rules as straight-line Python: type checks, an enum set, a date pattern."""
    if type(o) is not dict:
        return False
    kp = o.get("key_prefix")
    if kp is not None and (type(kp) is not str or not kp or ".." in kp.split("/")):
        return False
    if o.get("image") is not None:
        return False  # files come as blobs
    for flag in _REQUEST_FLAGS:
        f = o.get(flag)
        if f is not None and type(f) is not bool:
            return False
    blobs = o.get("blobs")
    if blobs is not None:
        if type(blobs) is not list or len(blobs) > 1:
            return False
        for b in blobs:
            if type(b) is not dict or b.get("property") != "image":
                return False
            t = b.get("type")
            if t is not None and t != "image":
                return False
            data = b.get("data")
            if type(data) is not str or _URL_MATCH(data) is None:
                return False
    md = o.get("metadata")
    if md is not None:
        if type(md) is not dict:
            return False
        if type(md.get("title")) is not str:
            return False
        c = md.get("category")
        if c is not None and c not in _LIGHT_CATEGORY_SET:
            return False
        p = md.get("price")
        if p is not None and type(p) is not float and type(p) is not int:
            return False
        tags = md.get("tags")
        if tags is not None:
            if type(tags) is not list:
                return False
            for t in tags:
                if t is not None and type(t) is not str:
                    return False
        s = md.get("in_stock")
        if s is not None and type(s) is not bool:
            return False
        r = md.get("released")
        if r is not None and (type(r) is not str or _DATE_MATCH(r) is None):
            return False
    return True


def light_valid_object(rng: random.Random, i: int) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "title": f"Item {i}",
        "category": rng.choice(LIGHT_CATEGORIES),
        "price": round(rng.uniform(1, 100), 2),
        "tags": rng.sample(["new", "sale", "eco", "gift"], rng.randint(0, 3)),
    }
    if rng.random() < 0.7:
        metadata["in_stock"] = rng.random() < 0.5
    if rng.random() < 0.7:
        metadata["released"] = f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    obj: dict[str, Any] = {"metadata": metadata}
    if rng.random() < 0.8:
        obj["blobs"] = [{"property": "image", "type": "image", "data": f"https://cdn.example.com/i/{i}.jpg"}]
    return obj


def _other_file_kind(o: dict[str, Any]) -> None:
    o["blobs"] = [{"property": "image", "type": "video", "data": "https://cdn.example.com/i/x.jpg"}]


LIGHT_BREAKERS: list[Callable[[dict[str, Any]], None]] = [
    lambda o: o["metadata"].update(price="12.50"),
    lambda o: o["metadata"].pop("title"),
    lambda o: o["metadata"].update(category="Books"),
    lambda o: o["metadata"].update(tags=["ok", 3]),
    _other_file_kind,
]


def make_light_objects(n: int, seed: int = 11) -> list[dict[str, Any]]:
    return generate(n, seed, light_valid_object, LIGHT_BREAKERS)


# -- timing ------------------------------------------------------------------------------------------


def best_time(run: Callable[[], int], repeat: int) -> tuple[float, int]:
    """The best of ``repeat`` passes, in CPU time: on a shared machine, wall time also counts other processes."""
    best = float("inf")
    accepted = 0
    for _ in range(repeat):
        start = time.process_time()
        accepted = run()
        best = min(best, time.process_time() - start)
    return best, accepted


Row = tuple[str, Callable[[], int], int]


def json_schema_rows(objects: list[dict[str, Any]], schema: dict[str, Any], repeat: int) -> list[Row]:
    jsonschema.Draft7Validator.check_schema(schema)
    js = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    fast = fastjsonschema.compile(schema)
    rs = jsonschema_rs.validator_for(schema, validate_formats=True)

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

    return [
        ("jsonschema (iter_errors)", run_jsonschema, min(2, repeat)),  # slow: two passes are enough
        ("fastjsonschema", run_fast, repeat),
        ("jsonschema-rs (is_valid)", run_rs, repeat),
    ]


def schemakit_rows(objects: list[dict[str, Any]], v: Any, repeat: int) -> list[Row]:
    def run_is_valid() -> int:
        is_valid = v.is_valid
        return sum(1 for o in objects if is_valid(o))

    def run_validate() -> int:
        validate = v.validate
        return sum(1 for o in objects if validate(o).ok)

    return [("schemakit is_valid", run_is_valid, repeat), ("schemakit validate", run_validate, repeat)]


def table(title: str, n: int, repeat: int, rows: list[Row]) -> tuple[dict[str, float], dict[str, int]]:
    """Time every row, print the table, and return objects per second and objects accepted by row name."""
    timings = {name: best_time(run, reps) for name, run, reps in rows}
    rates = {name: n / seconds for name, (seconds, _) in timings.items()}
    sk_fast, sk_full = rates["schemakit is_valid"], rates["schemakit validate"]
    print(f"### {title}")
    print(f"{n:,} objects ({sum(1 for i in range(n) if i % 10 != 9):,} valid by construction), best of {repeat} passes")
    print()
    header = ("library", "objects/s", "valid", "is_valid is x faster", "validate is x faster")
    print("| " + " | ".join(header) + " |")
    print("|:---|---:|---:|---:|---:|")
    for name, _, _ in rows:
        rate, accepted = rates[name], timings[name][1]
        print(f"| {name} | {rate:,.0f} | {accepted:,} | {sk_fast / rate:.2f} | {sk_full / rate:.2f} |")
    print()
    return rates, {name: accepted for name, (_, accepted) in timings.items()}


def target(label: str, ratio: float, goal: float) -> None:
    print(f"target: {label:<44} -> {ratio:.2f}x {'met' if ratio >= goal else 'NOT met'}")


def run_heavy(n: int, repeat: int) -> None:
    objects = make_objects(n)
    v = compile_bucket(BUCKET)

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

    rows = [
        *json_schema_rows(objects, JSON_SCHEMA, repeat),
        ("pydantic v2 (model_validate)", run_pydantic, repeat),
        *schemakit_rows(objects, v, repeat),
    ]
    # pydantic models cannot say some of the rules (blob types, one blob per property): it accepts more
    rates, _ = table(
        "heavy: fixtures/buckets/product_catalog.json (regex-heavy blobs, ten ways broken)", n, repeat, rows
    )
    target("is_valid >= 2x fastjsonschema", rates["schemakit is_valid"] / rates["fastjsonschema"], 2)
    target(
        "validate >= 20x jsonschema iter_errors", rates["schemakit validate"] / rates["jsonschema (iter_errors)"], 20
    )
    print()


def run_light(n: int, repeat: int) -> None:
    objects = make_light_objects(n)
    v = compile_schema(LIGHT_BUCKET)

    def run_by_hand() -> int:
        check = light_by_hand
        return sum(1 for o in objects if check(o))

    rows = [
        *json_schema_rows(objects, LIGHT_JSON_SCHEMA, repeat),
        ("hand-written Python", run_by_hand, repeat),
        *schemakit_rows(objects, v, repeat),
    ]
    rates, accepted = table(
        "light: a seed-like bucket (one image, six metadata fields, five ways broken)", n, repeat, rows
    )
    counts = set(accepted.values())
    print(
        f"valid count: {', '.join(f'{v:,}' for v in sorted(counts))}",
        "(all peers agree)" if len(counts) == 1 else "DISAGREE",
    )
    sk_fast, sk_full = rates["schemakit is_valid"], rates["schemakit validate"]
    target("is_valid >= 2.5x fastjsonschema", sk_fast / rates["fastjsonschema"], 2.5)
    target("is_valid >= 0.6x hand-written Python", sk_fast / rates["hand-written Python"], 0.6)
    target("validate >= 25x jsonschema iter_errors", sk_full / rates["jsonschema (iter_errors)"], 25)
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--objects", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2,000 objects, 2 passes")
    parser.add_argument("--workload", choices=("both", "heavy", "light"), default="both")
    args = parser.parse_args()
    n, repeat = (2_000, 2) if args.quick else (args.objects, args.repeat)

    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}"
        for name in ("jsonschema", "fastjsonschema", "jsonschema-rs", "pydantic")
    )
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; {versions}")
    print()
    if args.workload in ("both", "heavy"):
        run_heavy(n, repeat)
    if args.workload in ("both", "light"):
        run_light(n, repeat)


if __name__ == "__main__":
    main()
