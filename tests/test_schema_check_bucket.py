"""check_bucket is the one definition check: compile_schema and check-schema report exactly its issues."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schemakit
import schemakit.schema
from schemakit import SchemaDefinitionError
from schemakit.cli._commands import schema_issues
from schemakit.schema import check_bucket

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def compile_issues(schema: Any, unique_key: Any = None, **options: Any) -> list[Any]:
    try:
        schemakit.compile_schema(schema, unique_key=unique_key, **options)
    except SchemaDefinitionError as exc:
        return exc.issues
    return []


def test_check_bucket_is_public() -> None:
    assert "check_bucket" in schemakit.schema.__all__
    assert schemakit.schema.check_bucket is check_bucket


def test_a_good_bucket_has_no_issues() -> None:
    raw = json.loads((FIXTURES / "buckets" / "product_catalog.json").read_text())
    assert check_bucket(raw["bucket_schema"], raw["unique_key"]) == []


def test_every_problem_of_the_broken_fixture() -> None:
    broken = json.loads((FIXTURES / "buckets" / "broken_schema.json").read_text())
    issues = check_bucket(broken)
    assert issues == compile_issues(broken)
    assert {i.code for i in issues} == {
        "unknown_type",
        "reserved_field_name",
        "invalid_field_name",
        "misplaced_keyword",
        "invalid_enum_value",
        "invalid_default",
        "nested_file_field",
    }


def test_a_broken_key_field_is_reported_once_by_the_check_itself() -> None:
    schema = {"properties": {"sku": {"type": "strng"}, "a": {"type": "string"}}}
    issues = check_bucket(schema, {"fields": ["sku", "b"]})
    assert [(i.code, i.path) for i in issues] == [
        ("unknown_type", ("properties", "sku", "type")),
        ("unknown_unique_key_field", ("unique_key", "fields", 1)),
    ]
    assert issues[1].message == "unique key field 'b' is not a top-level field of the schema"
    assert issues[1].hint is None


@pytest.mark.parametrize(
    ("schema", "name"),
    [
        ({"properties": {"blobs": {"type": "string"}}}, "blobs"),  # reserved
        ({"properties": {"a.b": {"type": "string"}}}, "a.b"),  # an invalid name
        ({"properties": {"k": "string"}}, "k"),  # not a definition
        ({"properties": {"k": {"type": "string", "required": 1}, "j": {}}}, "j"),  # no type
    ],
)
def test_a_declared_key_field_dropped_for_its_own_problem_is_not_also_unknown(schema: Any, name: str) -> None:
    issues = check_bucket(schema, {"fields": [name]})
    assert issues and all(i.path[:1] == ("properties",) for i in issues), issues


def test_an_undeclared_key_field_is_unknown_even_when_the_schema_has_other_problems() -> None:
    issues = check_bucket({"properties": {"x": {"type": "strng"}}}, {"fields": ["y"]})
    assert [i.code for i in issues] == ["unknown_type", "unknown_unique_key_field"]


def test_a_key_is_not_checked_against_an_unusable_schema() -> None:
    assert [(i.code, i.path) for i in check_bucket({}, {"fields": ["x"]})] == [("invalid_schema", ("properties",))]


def test_pydantic_models_are_read_too() -> None:
    schema = schemakit.BucketSchema.model_validate({"properties": {"n": {"type": "integer"}}})
    assert check_bucket(schema, schemakit.UniqueKeyConfig(fields=["n"])) == []
    assert [i.code for i in check_bucket(schema, schemakit.UniqueKeyConfig(fields=["m"]))] == [
        "unknown_unique_key_field"
    ]


def test_compile_options_add_their_own_issue_after_the_definition_issues() -> None:
    schema = {"properties": {"x": {"type": "strng"}}}
    issues = compile_issues(schema, max_inline_bytes=-1)
    assert issues[:-1] == check_bucket(schema)
    assert (issues[-1].code, issues[-1].path) == ("invalid_schema", ("max_inline_bytes",))


def test_check_schema_reports_exactly_the_check() -> None:
    schema = {"properties": {"sku": {"type": "strng"}, "tags": {"type": "array"}}}
    key = {"fields": ["sku", "tags", "nope", 3]}
    request = {"bucket_name": "b", "bucket_schema": schema, "unique_key": key}
    located = [i if i.path[:1] == ("unique_key",) else i.prefixed("bucket_schema") for i in check_bucket(schema, key)]
    assert schema_issues(request) == located
    assert schema_issues(schema) == check_bucket(schema)
    assert len({(i.code, i.path) for i in schema_issues(request)}) == len(schema_issues(request))


names = st.sampled_from(["a", "b", "blobs", "a.b", "", "$x", "sku", "m"])
types = st.sampled_from(["string", "strng", "integer", "image", "object", "array", "date", "Object", 3, None])
definitions = st.recursive(
    st.fixed_dictionaries(
        {}, optional={"type": types, "required": st.sampled_from([True, False, "yes"]), "requird": st.just(True)}
    ),
    lambda inner: st.fixed_dictionaries(
        {"type": types},
        optional={"properties": st.dictionaries(names, inner, max_size=3), "items": inner, "enum": st.just(["x", 1])},
    ),
    max_leaves=8,
)
bucket_schemas = st.fixed_dictionaries({"properties": st.dictionaries(names, definitions | st.just("x"), max_size=4)})
unique_keys = st.none() | st.fixed_dictionaries({"fields": st.lists(names | st.just(5), max_size=3)}) | st.just("k")


@settings(max_examples=200, deadline=None)
@given(bucket_schemas, unique_keys)
def test_compile_schema_raises_with_exactly_the_check(schema: dict[str, Any], unique_key: Any) -> None:
    issues = check_bucket(schema, unique_key)
    errors = [i for i in issues if i.is_error]
    assert compile_issues(schema, unique_key) == (issues if errors else [])
    if unique_key is None:
        assert schema_issues(schema) == issues
    request = {"bucket_schema": schema, "unique_key": unique_key}
    located = [i if i.path[:1] == ("unique_key",) else i.prefixed("bucket_schema") for i in issues]
    assert schema_issues(request) == located
