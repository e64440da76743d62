"""Odd values anywhere in a schema give definition issues, never another exception; the contract's own limits."""

from __future__ import annotations

import json
from typing import Any

import pytest

from schemakit import compile_schema
from schemakit._contract.bucket import check_bucket
from schemakit._issues import SchemaDefinitionError

HUGE = 10**5000
# json.loads gives an int for a 401-digit literal: past float range, so math.isfinite would overflow on it
PAST_FLOAT = json.loads("1" + "0" * 400)


class Unprintable:
    def __repr__(self) -> str:
        raise RuntimeError("repr refused")


def definition_codes(schema: Any) -> list[tuple[str, tuple[Any, ...]]]:
    issues = check_bucket(schema)
    with pytest.raises(SchemaDefinitionError) as caught:
        compile_schema(schema)
    assert caught.value.issues[: len(issues)] == issues
    str(caught.value)  # the message renders
    return [(i.code, i.path) for i in issues]


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"properties": HUGE}, [("invalid_schema", ("properties",))]),
        ({"properties": Unprintable()}, [("invalid_schema", ("properties",))]),
        (Unprintable(), [("invalid_schema", ())]),
        ({"properties": {"a": Unprintable()}}, [("invalid_schema", ("properties", "a"))]),
        ({"properties": {"a": {"type": Unprintable()}}}, [("invalid_schema", ("properties", "a", "type"))]),
        (
            {"properties": {"a": {"type": "string", "default": Unprintable()}}},
            [("invalid_default", ("properties", "a", "default"))],
        ),
        (
            {"properties": {"a": {"type": "string", "enum": [Unprintable()]}}},
            [("invalid_enum_value", ("properties", "a", "enum", 0))],
        ),
        (
            {"properties": {"a": {"type": "string", "required": HUGE}}},
            [("invalid_schema", ("properties", "a", "required"))],
        ),
        (
            {"properties": {"a": {"type": "float", "default": PAST_FLOAT, "enum": [1.0]}}},
            [("invalid_default", ("properties", "a", "default"))],
        ),
        (
            {"properties": {Unprintable(): {"type": "string"}}},
            [("invalid_field_name", ("properties", "Unprintable (unprintable)"))],
        ),
        (
            {"properties": {HUGE: {"type": "string"}}},
            [("invalid_field_name", ("properties", "an integer of 5001 digits"))],
        ),
    ],
)
def test_odd_values_in_a_schema_are_definition_issues(schema: Any, expected: list[Any]) -> None:
    assert definition_codes(schema) == expected


@pytest.mark.parametrize(
    "spec",
    [
        {"type": "integer", "default": HUGE},
        {"type": "integer", "enum": [HUGE]},
        {"type": "number", "default": PAST_FLOAT},
        {"type": "float", "default": PAST_FLOAT},
        {"type": "float", "enum": [PAST_FLOAT, 1.5]},
        {"type": "number", "enum": [PAST_FLOAT]},
        {"type": "string", "examples": [HUGE, Unprintable()]},
    ],
)
def test_huge_numbers_are_valid_defaults_and_enum_values(spec: dict[str, Any]) -> None:
    schema = {"properties": {"a": spec}}
    assert check_bucket(schema) == []
    compiled = compile_schema(schema)
    for value in (HUGE, PAST_FLOAT, 1.5, 1e308):
        assert compiled.is_valid({"a": value}) == compiled.validate({"a": value}).ok


def test_a_unique_key_of_odd_values_is_reported() -> None:
    schema = {"properties": {"a": {"type": "string"}}}
    assert [i.code for i in check_bucket(schema, Unprintable())] == ["invalid_schema"]
    assert [i.code for i in check_bucket(schema, {"fields": [HUGE, Unprintable()]})] == ["invalid_schema"] * 2


def test_an_unknown_key_of_odd_kind_in_an_object_is_reported() -> None:
    compiled = compile_schema({"properties": {"a": {"type": "string"}}}, strict=True)
    report = compiled.validate({"a": "x", HUGE: 1, Unprintable(): 2})
    assert [(i.code, i.path) for i in report.errors] == [
        ("unknown_field", ("an integer of 5001 digits",)),
        ("unknown_field", ("Unprintable (unprintable)",)),
    ]
    str(report.errors[0])


@pytest.mark.parametrize("policy", ["insert", "update", "upsert", None])
def test_the_contracts_default_policies_are_accepted(policy: str | None) -> None:
    schema = {"properties": {"sku": {"type": "string"}}}
    assert check_bucket(schema, {"fields": ["sku"], "default_policy": policy}) == []


@pytest.mark.parametrize(("policy", "hint"), [("bogus", None), ("upsrt", "did you mean 'upsert'?"), (1, None)])
def test_a_default_policy_outside_the_contract_is_an_issue(policy: Any, hint: str | None) -> None:
    schema = {"properties": {"sku": {"type": "string"}}}
    issues = check_bucket(schema, {"fields": ["sku"], "default_policy": policy})
    assert [(i.code, i.path) for i in issues] == [("invalid_schema", ("unique_key", "default_policy"))]
    assert "insert, update, upsert" in issues[0].message
    if hint is not None:
        assert issues[0].hint == hint
    with pytest.raises(SchemaDefinitionError):
        compile_schema(schema, unique_key={"fields": ["sku"], "default_policy": policy})


@pytest.mark.parametrize("length", [100, 101, 150])
def test_a_blob_property_past_the_contracts_limit_is_an_issue(length: int) -> None:
    name = "f" * length
    compiled = compile_schema({"properties": {name: {"type": "image"}}})
    obj = {"blobs": [{"property": name, "type": "image", "data": "https://example.com/a.png"}]}
    report = compiled.validate(obj)
    assert compiled.is_valid(obj) == report.ok
    if length <= 100:
        assert report.ok
    else:
        assert [(i.code, i.path) for i in report.errors] == [("invalid_request", ("blobs", 0, "property"))]
        assert "at most 100" in report.errors[0].message


def test_a_long_unknown_blob_property_names_the_limit() -> None:
    compiled = compile_schema({"properties": {"a": {"type": "image"}}})
    report = compiled.validate({"blobs": [{"property": "p" * 150, "type": "image", "data": "https://x.io/a.png"}]})
    assert [(i.code, i.path) for i in report.errors] == [("invalid_request", ("blobs", 0, "property"))]


def test_strict_validation_suggests_for_the_first_unknown_keys_and_still_matches_case_after() -> None:
    from schemakit._issues import MAX_SUGGESTED

    names = [f"field_{i:03d}" for i in range(200)]
    compiled = compile_schema({"properties": {n: {"type": "string"} for n in names}}, strict=True)
    misspelled = {f"feild_{i:03d}": "x" for i in range(100)}
    misspelled["FIELD_150"] = "x"
    issues = [i for i in compiled.validate(misspelled).issues if i.code == "unknown_field"]
    assert len(issues) == 101
    hinted = [i for i in issues[:-1] if i.hint is not None]
    assert len(hinted) == MAX_SUGGESTED
    assert issues[0].hint is not None and issues[0].hint.startswith("did you mean 'field_000'")
    assert issues[-1].hint == "did you mean 'field_150'?"
    # the budget belongs to one validation: the next object gets its own
    again = [i for i in compiled.validate(misspelled).issues if i.code == "unknown_field"]
    assert [i.hint for i in again] == [i.hint for i in issues]


def test_an_empty_blob_property_is_refused_as_the_contract_sets_min_length_one() -> None:
    compiled = compile_schema({"properties": {"img": {"type": "image"}}})
    result = compiled.validate({"blobs": [{"property": "", "type": "image", "data": "https://x.test/a.png"}]})
    assert [(i.code, i.path, i.message) for i in result.issues] == [
        ("invalid_request", ("blobs", 0, "property"), "a blob 'property' must not be empty; name a file field")
    ]
    assert not compiled.is_valid({"blobs": [{"property": "", "type": "image", "data": "https://x.test/a.png"}]})
