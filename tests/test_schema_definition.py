"""Schema-definition checks: compile_schema raises SchemaDefinitionError listing every problem, each located."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import schemakit
from schemakit import SchemaDefinitionError
from schemakit.schema import compile_bucket

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def definition_issues(schema: Any, **kwargs: Any) -> list[tuple[str, tuple[Any, ...]]]:
    with pytest.raises(SchemaDefinitionError) as info:
        schemakit.compile_schema(schema, **kwargs)
    assert isinstance(info.value, ValueError)
    assert info.value.issues, "a definition error must say what is wrong"
    return [(i.code, i.path) for i in info.value.issues]


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ([], ("invalid_schema", ())),
        ({}, ("invalid_schema", ("properties",))),
        ({"properties": []}, ("invalid_schema", ("properties",))),
        ({"properties": {"a": "string"}}, ("invalid_schema", ("properties", "a"))),
        ({"properties": {"a": {}}}, ("invalid_schema", ("properties", "a"))),
        ({"properties": {"a": {"type": 3}}}, ("invalid_schema", ("properties", "a", "type"))),
        (
            {"properties": {"a": {"type": "string", "required": "yes"}}},
            ("invalid_schema", ("properties", "a", "required")),
        ),
        ({"properties": {"a": {"type": "string", "enum": "x"}}}, ("invalid_schema", ("properties", "a", "enum"))),
    ],
)
def test_invalid_schema_structure(schema: Any, expected: tuple[str, tuple[Any, ...]]) -> None:
    assert expected in definition_issues(schema)


def test_unknown_type_with_hints() -> None:
    with pytest.raises(SchemaDefinitionError) as info:
        schemakit.compile_schema({"properties": {"doc": {"type": "json"}, "n": {"type": "strng"}}})
    by_path = {i.path: i for i in info.value.issues}
    doc = by_path[("properties", "doc", "type")]
    assert doc.code == "unknown_type"
    assert doc.hint is not None and "'object'" in doc.hint
    n = by_path[("properties", "n", "type")]
    assert n.code == "unknown_type"
    assert n.hint is not None and "'string'" in n.hint


def test_type_names_are_case_insensitive() -> None:
    v = schemakit.compile_schema({"properties": {"doc": {"type": "PDF"}, "n": {"type": "Integer"}}})
    assert v.schema.fields["doc"].type == "pdf"
    assert v.schema.fields["n"].type == "integer"


@pytest.mark.parametrize("name", ["", "a.b", "$ref", "x" * 256])
def test_invalid_field_name(name: str) -> None:
    assert ("invalid_field_name", ("properties", name)) in definition_issues({"properties": {name: {"type": "string"}}})


def test_invalid_nested_field_name() -> None:
    schema = {"properties": {"m": {"type": "object", "properties": {"a.b": {"type": "string"}}}}}
    assert definition_issues(schema) == [("invalid_field_name", ("properties", "m", "properties", "a.b"))]


@pytest.mark.parametrize(
    "name",
    ["blobs", "key_prefix", "skip_duplicates", "canonicalize_source", "force_remirror", "object_id", "bucket_id"],
)
def test_reserved_field_name(name: str) -> None:
    assert definition_issues({"properties": {name: {"type": "string"}}}) == [
        ("reserved_field_name", ("properties", name))
    ]


def test_reserved_names_are_fine_when_nested() -> None:
    schemakit.compile_schema({"properties": {"m": {"type": "object", "properties": {"blobs": {"type": "string"}}}}})


def test_misplaced_keyword() -> None:
    issues = definition_issues(
        {
            "properties": {
                "a": {"type": "string", "items": {"type": "string"}},
                "b": {"type": "array", "properties": {"x": {"type": "string"}}},
            }
        }
    )
    assert ("misplaced_keyword", ("properties", "a", "items")) in issues
    assert ("misplaced_keyword", ("properties", "b", "properties")) in issues


def test_invalid_enum_value() -> None:
    issues = definition_issues({"properties": {"n": {"type": "integer", "enum": [1, "two", True]}}})
    assert issues == [
        ("invalid_enum_value", ("properties", "n", "enum", 1)),
        ("invalid_enum_value", ("properties", "n", "enum", 2)),
    ]


def test_invalid_default() -> None:
    schema = {
        "properties": {
            "m": {
                "type": "object",
                "properties": {
                    "price": {"type": "float", "default": "free"},
                    "status": {"type": "string", "enum": ["a", "b"], "default": "c"},
                },
            }
        }
    }
    assert definition_issues(schema) == [
        ("invalid_default", ("properties", "m", "properties", "price", "default")),
        ("invalid_default", ("properties", "m", "properties", "status", "default")),
    ]


def test_nested_file_field() -> None:
    schema = {
        "properties": {
            "m": {"type": "object", "properties": {"scan": {"type": "pdf"}}},
            "pages": {"type": "array", "items": {"type": "array", "items": {"type": "image"}}},
        }
    }
    issues = definition_issues(schema)
    assert ("nested_file_field", ("properties", "m", "properties", "scan", "type")) in issues
    assert ("nested_file_field", ("properties", "pages", "items", "items", "type")) in issues


def test_top_level_array_of_files_is_allowed() -> None:
    v = schemakit.compile_schema({"properties": {"photos": {"type": "array", "items": {"type": "image"}}}})
    assert v.is_valid({"blobs": [{"property": "photos", "data": "https://x.example/a.jpg"}] * 3})


def _nested(levels: int) -> dict[str, Any]:
    field: dict[str, Any] = {"type": "string"}
    for _ in range(levels - 1):
        field = {"type": "object", "properties": {"n": field}}
    return {"properties": {"n": field}}


def test_schema_too_deep() -> None:
    schemakit.compile_schema(_nested(32))
    issues = definition_issues(_nested(33))
    assert len(issues) == 1
    code, path = issues[0]
    assert code == "schema_too_deep"
    assert path == ("properties", "n", *(("properties", "n") * 32))


def test_unknown_unique_key_field() -> None:
    schema = {
        "properties": {"sku": {"type": "string"}, "m": {"type": "object", "properties": {"id": {"type": "string"}}}}
    }
    with pytest.raises(SchemaDefinitionError) as info:
        schemakit.compile_schema(schema, unique_key={"fields": ["skus", "m.id"]})
    got = [(i.code, i.path) for i in info.value.issues]
    assert got == [
        ("unknown_unique_key_field", ("unique_key", "fields", 0)),
        ("unknown_unique_key_field", ("unique_key", "fields", 1)),
    ]
    assert info.value.issues[0].hint == "did you mean 'sku'?"


def test_non_scalar_unique_key() -> None:
    schema = {"properties": {"tags": {"type": "array"}, "photo": {"type": "image"}, "m": {"type": "object"}}}
    issues = definition_issues(schema, unique_key={"fields": ["tags", "photo", "m"]})
    assert issues == [("non_scalar_unique_key", ("unique_key", "fields", i)) for i in range(3)]


@pytest.mark.parametrize("ftype", ["string", "integer", "float", "number", "boolean", "date", "datetime"])
def test_scalar_unique_keys_compile(ftype: str) -> None:
    v = schemakit.compile_schema({"properties": {"k": {"type": ftype}}}, unique_key={"fields": ["k"]})
    assert v.unique_key_fields == ("k",)


def test_every_problem_is_listed_not_the_first() -> None:
    broken = json.loads((FIXTURES / "buckets" / "broken_schema.json").read_text())
    codes = {code for code, _ in definition_issues(broken)}
    assert codes == {
        "unknown_type",
        "reserved_field_name",
        "invalid_field_name",
        "misplaced_keyword",
        "invalid_enum_value",
        "invalid_default",
        "nested_file_field",
    }


def test_pydantic_models_are_accepted() -> None:
    schema = schemakit.BucketSchema.model_validate(
        {"properties": {"image": {"type": "IMAGE"}, "n": {"type": "integer"}}}
    )
    v = schemakit.compile_schema(schema, unique_key=schemakit.UniqueKeyConfig(fields=["n"]))
    assert v.schema.fields["image"].type == "image"
    assert v.unique_key_fields == ("n",)


@pytest.mark.parametrize("name", ["product_catalog", "video_library", "document_archive"])
def test_fixture_buckets_compile(name: str) -> None:
    raw = json.loads((FIXTURES / "buckets" / f"{name}.json").read_text())
    schemakit.BucketCreateRequest.model_validate(raw)
    v = compile_bucket(raw)
    assert v.unique_key_fields == tuple(raw["unique_key"]["fields"])


def test_compile_bucket_locates_issues_in_the_request() -> None:
    with pytest.raises(SchemaDefinitionError) as info:
        compile_bucket({"bucket_name": "b", "bucket_schema": {"properties": {"x": {"type": "json"}}}})
    assert [(i.code, i.path) for i in info.value.issues] == [
        ("unknown_type", ("bucket_schema", "properties", "x", "type"))
    ]


def test_bad_max_inline_bytes() -> None:
    assert ("invalid_schema", ("max_inline_bytes",)) in definition_issues({"properties": {}}, max_inline_bytes=-1)


def test_a_broken_key_field_is_reported_once() -> None:
    schema = {"properties": {"sku": {"type": "strng"}, "a": {"type": "string"}}}
    assert definition_issues(schema, unique_key={"fields": ["sku", "b"]}) == [
        ("unknown_type", ("properties", "sku", "type")),
        ("unknown_unique_key_field", ("unique_key", "fields", 1)),
    ]
