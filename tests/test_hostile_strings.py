"""A str subclass whose __eq__ and __repr__ raise is read as the text it holds, in definitions and filters."""

from __future__ import annotations

from typing import Any

import pytest

from schemakit import Issue, check_bucket, compile_schema, parse_filter
from schemakit.filters import check_filter, query


class Hostile(str):
    def __eq__(self, other: object) -> bool:
        raise RuntimeError("__eq__ ran")

    def __hash__(self) -> int:
        return str.__hash__(self)

    def __repr__(self) -> str:
        raise RuntimeError("__repr__ ran")


H = Hostile

SCHEMA = {"properties": {"sku": {"type": "string"}}}


def codes(issues: list[Issue]) -> list[tuple[str, tuple[Any, ...]]]:
    return [(i.code, i.path) for i in issues]


@pytest.mark.parametrize(
    ("schema", "unique_key", "expected"),
    [
        ({"properties": {"a": {"type": H("strng")}}}, None, [("unknown_type", ("properties", "a", "type"))]),
        ({"properties": {H("a.b"): {"type": "string"}}}, None, [("invalid_field_name", ("properties", "a.b"))]),
        ({"properties": {H(""): {"type": "string"}}}, None, [("invalid_field_name", ("properties", ""))]),
        (
            {"properties": {"a": {"type": "string", H("requird"): True}}},
            None,
            [("unknown_keyword", ("properties", "a", "requird"))],
        ),
        (SCHEMA, {"fields": [H("skew")]}, [("unknown_unique_key_field", ("unique_key", "fields", 0))]),
        (
            SCHEMA,
            {"fields": ["sku"], "default_policy": H("upsurt")},
            [("invalid_schema", ("unique_key", "default_policy"))],
        ),
    ],
)
def test_definitions_read_hostile_strings_as_text(schema: Any, unique_key: Any, expected: list[Any]) -> None:
    assert codes(check_bucket(schema, unique_key)) == expected


def test_a_schema_of_hostile_strings_compiles_and_validates() -> None:
    compiled = compile_schema({"properties": {H("sku"): {"type": H("string"), "enum": [H("a")]}}}, strict=True)
    assert compiled.is_valid({"sku": "a"})
    assert codes(compiled.validate({"sku": "b", H("skew"): 1}).issues) == [
        ("enum_mismatch", ("sku",)),
        ("unknown_field", ("skew",)),
    ]


@pytest.mark.parametrize(
    "spec",
    [
        {"AND": [{"field": H("sku"), "operator": H("eq"), "value": H("a")}]},
        {"AND": [{H("field"): "sku", H("value"): "a"}]},
        {H("sku"): H("a")},
        H("sku = 'a'"),
    ],
)
def test_filters_read_hostile_strings_as_text(spec: Any) -> None:
    f = parse_filter(spec)
    assert f.to_text() == 'sku = "a"'
    assert f.matches({"sku": "a"}) and not f.matches({"sku": "b"})


def test_hostile_strings_in_an_unknown_group_key_and_a_bad_operator_are_reported() -> None:
    f = parse_filter({H("and"): 1})
    assert codes(f.warnings) == [("suspicious_field", ("and",))]
    with pytest.raises(Exception) as err:
        parse_filter({"AND": [{"field": "sku", "operator": H("equals"), "value": 1}]})
    assert codes(err.value.issues) == [("unknown_operator", ("AND", 0, "operator"))]  # type: ignore[attr-defined]


def test_check_filter_and_query_take_hostile_strings() -> None:
    issues = check_filter({"AND": [{"field": H("skew"), "value": 1}]}, SCHEMA)
    assert codes(issues) == [("unknown_field", ("AND", 0, "field"))]
    result = query([{"sku": "abc"}], search=H("ab"), search_fields=[H("sku")])
    assert result.results == [{"sku": "abc"}]
