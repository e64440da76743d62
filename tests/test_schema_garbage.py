"""Bad input never crashes: any JSON value and odd Python values give issues, never exceptions."""

from __future__ import annotations

import datetime as dt
import decimal
import math
import sys
from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import schemakit
from schemakit import CompiledSchema, Issue, SchemaDefinitionError

SCHEMA: dict[str, Any] = {
    "properties": {
        "image": {"type": "image", "required": True},
        "docs": {"type": "array", "items": {"type": "pdf"}},
        "notes": {"type": "text"},
        "sku": {"type": "string", "required": True},
        "n": {"type": "integer", "enum": [1, 2, 3]},
        "when": {"type": "datetime"},
        "day": {"type": "date", "enum": ["2024-01-05"]},
        "metadata": {
            "type": "object",
            "properties": {
                "title": {"type": "string", "required": True},
                "price": {"type": "number"},
                "tags": {"type": "array", "items": {"type": "string", "required": True}},
                "grid": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
                "extra": {"type": "object", "enum": [{"a": 1}]},
            },
        },
    }
}

VALIDATORS = [
    schemakit.compile_schema(SCHEMA, unique_key={"fields": ["sku"]}),
    schemakit.compile_schema(SCHEMA, unique_key={"fields": ["sku", "n"]}, strict=True, max_inline_bytes=16),
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=30,
)
keys = st.sampled_from(["image", "docs", "notes", "sku", "n", "when", "day", "metadata", "blobs", "key_prefix"])
near_objects = st.dictionaries(keys | st.text(max_size=5), json_values, max_size=8)
near_blobs = st.dictionaries(
    st.sampled_from(["property", "type", "data", "upload_id", "key_prefix", "metadata"]), json_values, max_size=6
)


def survive(v: CompiledSchema, obj: Any) -> None:
    r = v.validate(obj)
    assert r.ok is v.is_valid(obj)
    assert (r.value is None) is (not r.ok)
    for issue in r.issues:
        assert isinstance(issue, Issue)
        assert isinstance(issue.code, str) and isinstance(issue.message, str)
        assert all(isinstance(seg, (str, int)) for seg in issue.path)
        str(issue)
        issue.to_dict()
    key = v.unique_key_value(obj)
    if key is not None:
        hash(key)


@pytest.mark.parametrize("v", VALIDATORS)
@given(obj=json_values | near_objects)
def test_random_json_never_crashes(v: CompiledSchema, obj: Any) -> None:
    survive(v, obj)


@pytest.mark.parametrize("v", VALIDATORS)
@given(blobs=st.lists(near_blobs | json_values, max_size=4), rest=near_objects)
def test_random_blobs_never_crash(v: CompiledSchema, blobs: list[Any], rest: dict[str, Any]) -> None:
    survive(v, {**rest, "blobs": blobs})


@pytest.mark.parametrize("v", VALIDATORS)
@given(objects=st.lists(near_objects | json_values, max_size=5))
def test_random_batches_never_crash(v: CompiledSchema, objects: list[Any]) -> None:
    b = v.validate_batch({"objects": objects})
    assert len(b.results) == len(objects)
    assert b.ok is all(r.ok for r in b.results)


@given(raw=json_values, unique=json_values)
def test_random_schema_definitions_raise_only_definition_errors(raw: Any, unique: Any) -> None:
    try:
        schemakit.compile_schema(raw, unique_key=unique)
    except SchemaDefinitionError as exc:
        assert exc.issues


def _deep(levels: int, leaf: Any = 1) -> Any:
    out: Any = leaf
    for i in range(levels):
        out = [out] if i % 2 else {"k": out}
    return out


class Unprintable:
    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")


class Unhashable:
    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no comparisons either")


ODD_VALUES = [
    {1, 2},
    frozenset(),
    b"bytes",
    bytearray(b"x"),
    object(),
    Unprintable(),
    Unhashable(),
    math.nan,
    math.inf,
    -math.inf,
    10**5000,
    -(10**5000),
    decimal.Decimal("1.5"),
    complex(1, 2),
    (1, 2),
    range(3),
    dt.date(2024, 1, 5),
    dt.datetime(2024, 1, 5, 10),
    dt.time(10, 0),
    "x" * 2_000_000,
    "\x00\ud800",
    _deep(10_000),
    OrderedDict(a=1),
    {1: "int key", None: "none key", (1, 2): "tuple key"},
    type,
    print,
]


@pytest.mark.parametrize("v", VALIDATORS)
@pytest.mark.parametrize("value", ODD_VALUES, ids=lambda x: type(x).__name__)
def test_odd_python_values_anywhere(v: CompiledSchema, value: Any) -> None:
    survive(v, value)
    for key in ("sku", "n", "when", "day", "image", "metadata", "blobs", "key_prefix", "skip_duplicates", "extra_key"):
        survive(v, {"sku": "A", key: value})
    for key in ("title", "price", "tags", "grid", "extra", "unknown"):
        survive(v, {"sku": "A", "metadata": {"title": "t", key: value}})
        survive(v, {"sku": "A", "metadata": {"title": "t", "tags": [value], "grid": [[value]]}})
    for key in ("property", "type", "data", "upload_id", "key_prefix", "metadata", "force_remirror"):
        survive(v, {"sku": "A", "blobs": [{"property": "image", "data": "https://x.example/a", key: value}]})
        survive(v, {"sku": "A", "blobs": [{"property": "notes", "data": {"base64": value, "mime_type": value}}]})
        survive(v, {"sku": "A", "blobs": [{"property": "docs", "data": {"url": value, "filename": value}}]})
    survive(v, {"sku": "A", "blobs": [value, value]})
    v.validate_batch({"objects": [value, {"sku": value}, {"sku": value}]})
    v.validate_batch(value)


@pytest.mark.parametrize("v", VALIDATORS)
def test_deep_nesting_in_extra_keys_and_fields(v: CompiledSchema) -> None:
    deep = _deep(10_000)
    assert sys.getrecursionlimit() < 10_000, "the value is deeper than Python's recursion limit"
    obj = {
        "sku": "A",
        "blobs": [{"property": "image", "data": "https://x.example/a", "metadata": {"deep": deep}}],
        "extra": deep,
        "metadata": {"title": "t", "extra": deep, "tags": deep, "grid": [deep], "more": deep},
    }
    survive(v, obj)
    survive(v, {"sku": "A", "metadata": deep})
    survive(v, {"sku": "A", "n": deep, "when": deep, "day": deep})
    v.validate_batch({"objects": [obj, obj, deep]})


@pytest.mark.parametrize("v", VALIDATORS)
def test_huge_strings(v: CompiledSchema) -> None:
    huge = "a" * 5_000_001
    survive(v, {"sku": huge, "key_prefix": huge, "metadata": {"title": huge}})
    survive(v, {"sku": "A", "blobs": [{"property": "notes", "data": huge}]})
    survive(v, {"sku": "A", "blobs": [{"property": "image", "data": "data:image/png;base64," + "QUJD" * 2_000_000}]})
    survive(v, {"sku": "A", "blobs": [{"property": "image", "data": "https://x.example/" + huge}]})
    survive(v, {"sku": "A", huge: 1, "metadata": {"title": "t", huge: 2}})
    survive(v, {"sku": "A", "blobs": [{"property": huge, "type": huge, "data": huge}]})


def test_huge_inline_data_is_blob_too_large() -> None:
    v = VALIDATORS[0]
    payload = "QUJD" * 1_800_000  # 5.4 MB decoded
    r = v.validate({"sku": "A", "blobs": [{"property": "image", "data": "data:image/png;base64," + payload}]})
    assert [(i.code, i.path) for i in r.issues] == [("blob_too_large", ("blobs", 0, "data"))]
