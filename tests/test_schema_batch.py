"""Batches: request shape, size, per-object issues located under ("objects", i), duplicate unique keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import schemakit
from schemakit import CompiledSchema
from schemakit.schema import compile_bucket

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

SCHEMA = {
    "properties": {
        "image": {"type": "image"},
        "sku": {"type": "string"},
        "released": {"type": "date"},
        "at": {"type": "datetime"},
        "n": {"type": "integer"},
        "metadata": {"type": "object", "properties": {"title": {"type": "string", "required": True}}},
    }
}


def obj(sku: str | None = "A", **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"metadata": {"title": "t"}, **extra}
    if sku is not None:
        out["sku"] = sku
    return out


@pytest.fixture(scope="module")
def v() -> CompiledSchema:
    return schemakit.compile_schema(SCHEMA, unique_key={"fields": ["sku"]})


def codes(b: schemakit.BatchResult) -> list[tuple[str, tuple[Any, ...]]]:
    return [(i.code, i.path) for i in b.issues]


def test_good_batch(v: CompiledSchema) -> None:
    b = v.validate_batch({"objects": [obj("A"), obj("B")]})
    assert b.ok and codes(b) == []
    assert [r.ok for r in b.results] == [True, True]


def test_object_issues_are_located_in_the_batch(v: CompiledSchema) -> None:
    objects = [obj(str(i)) for i in range(5)]
    objects[3]["metadata"]["title"] = 7
    b = v.validate_batch({"objects": objects})
    assert not b.ok
    assert codes(b) == [("type_mismatch", ("objects", 3, "metadata", "title"))]
    assert [r.ok for r in b.results] == [True, True, True, False, True]
    assert b.results[3].issues[0].path == ("metadata", "title")


@pytest.mark.parametrize(
    ("request_", "path"),
    [
        ([], ()),
        ("objects", ()),
        ({}, ("objects",)),
        ({"objects": {"a": 1}}, ("objects",)),
        ({"objects": None}, ("objects",)),
    ],
)
def test_invalid_batch_request(v: CompiledSchema, request_: Any, path: tuple[Any, ...]) -> None:
    b = v.validate_batch(request_)
    assert not b.ok
    assert codes(b) == [("invalid_request", path)]


def test_batch_of_non_objects(v: CompiledSchema) -> None:
    b = v.validate_batch({"objects": [obj("A"), 3, None]})
    assert codes(b) == [("invalid_request", ("objects", 1)), ("invalid_request", ("objects", 2))]


def test_batch_too_large(v: CompiledSchema) -> None:
    b = v.validate_batch({"objects": [obj(f"k{i}") for i in range(101)]})
    assert codes(b) == [("batch_too_large", ("objects",))]
    assert len(b.results) == 101, "the objects are still checked one by one"
    assert v.validate_batch({"objects": [obj(f"k{i}") for i in range(100)]}).ok


def test_duplicate_unique_key_on_every_later_one(v: CompiledSchema) -> None:
    b = v.validate_batch({"objects": [obj("A"), obj("B"), obj("A"), obj("A")]})
    assert codes(b) == [
        ("duplicate_unique_key", ("objects", 2, "sku")),
        ("duplicate_unique_key", ("objects", 3, "sku")),
    ]
    assert [r.ok for r in b.results] == [True, True, False, False]
    assert b.results[2].value is None
    assert "object 0" in b.issues[0].message


def test_objects_without_a_complete_key_are_not_duplicates(v: CompiledSchema) -> None:
    b = v.validate_batch({"objects": [obj(None), obj(None), obj("")]})
    assert codes(b) == [
        ("missing_unique_key", ("objects", 0, "sku")),
        ("missing_unique_key", ("objects", 1, "sku")),
        ("missing_unique_key", ("objects", 2, "sku")),
    ]


def test_compound_key_duplicates_point_at_the_object() -> None:
    v = schemakit.compile_schema(SCHEMA, unique_key={"fields": ["sku", "n"]})
    b = v.validate_batch({"objects": [obj("A", n=1), obj("A", n=2), obj("A", n=1.0)]})
    assert codes(b) == [("duplicate_unique_key", ("objects", 2))]


def test_unique_key_value_normalizes() -> None:
    v = schemakit.compile_schema(SCHEMA, unique_key={"fields": ["released", "at", "n"]})
    a = v.unique_key_value({"released": "2024-01-05", "at": "2024-01-05T10:00:00Z", "n": 5})
    b = v.unique_key_value({"released": "2024-01-05", "at": "2024-01-05T12:00:00+02:00", "n": 5.0})
    assert a == b and hash(a) == hash(b)
    assert v.unique_key_value({"released": "2024-01-05", "n": 5}) is None
    assert v.unique_key_value("not an object") is None
    odd = v.unique_key_value({"released": ["x"], "at": {"y": 1}, "n": 1})
    assert odd is not None
    hash(odd)
    b2 = v.validate_batch(
        {
            "objects": [
                {"released": "2024-01-05", "at": "2024-01-05T10:00:00Z", "n": 5},
                {"released": "2024-01-05", "at": "2024-01-05T12:00:00+02:00", "n": 5.0},
            ]
        }
    )
    assert codes(b2) == [("duplicate_unique_key", ("objects", 1))]


def test_no_unique_key() -> None:
    v = schemakit.compile_schema(SCHEMA)
    assert v.unique_key_fields == ()
    assert v.unique_key_value(obj("A")) is None
    assert v.validate_batch({"objects": [obj("A"), obj("A")]}).ok


def test_empty_batch_is_fine(v: CompiledSchema) -> None:
    b = v.validate_batch({"objects": []})
    assert b.ok and b.results == []


def test_pydantic_batch_model(v: CompiledSchema) -> None:
    model = schemakit.CreateObjectsBatchRequest.model_validate({"objects": [obj("A"), obj("A")]})
    assert codes(v.validate_batch(model)) == [("duplicate_unique_key", ("objects", 1, "sku"))]


def test_fixture_catalog_batch() -> None:
    v = compile_bucket(json.loads((FIXTURES / "buckets" / "product_catalog.json").read_text()))
    lines = (FIXTURES / "objects" / "product_catalog.jsonl").read_text().splitlines()
    objects = [json.loads(line) for line in lines]
    b = v.validate_batch({"objects": objects})
    for o, r in zip(objects, b.results, strict=True):
        assert r.ok is (not o["sku"].startswith("INVALID-")), (o["sku"], r.issues)
    valid = (FIXTURES / "objects" / "product_catalog_valid.jsonl").read_text().splitlines()
    assert v.validate_batch({"objects": [json.loads(line) for line in valid]}).ok
