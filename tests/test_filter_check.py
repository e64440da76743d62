"""check_filter: unknown fields, operator/type and value/type mismatches, located in the filter."""

from __future__ import annotations

from typing import Any

import pytest

from schemakit import check_filter, parse_filter
from schemakit._contract.bucket import read_bucket_schema

SCHEMA: dict[str, Any] = {
    "properties": {
        "name": {"type": "string"},
        "age": {"type": "integer"},
        "score": {"type": "float"},
        "active": {"type": "boolean"},
        "born": {"type": "date"},
        "seen": {"type": "datetime"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "loose": {"type": "array"},
        "metadata": {
            "type": "object",
            "properties": {
                "price": {"type": "number"},
                "chapters": {"type": "array", "items": {"type": "object", "properties": {"title": {"type": "string"}}}},
            },
        },
        "extra": {"type": "object"},
        "video": {"type": "video"},
    }
}


def codes(spec: Any, **kwargs: Any) -> list[tuple[str, tuple[Any, ...]]]:
    return [(i.code, i.path) for i in check_filter(spec, SCHEMA, **kwargs)]


def one(field: str, op: str, value: Any) -> dict[str, Any]:
    return {"AND": [{"field": "name", "value": "x"}, {"field": field, "operator": op, "value": value}]}


CLEAN = [
    ("age", "gte", 30),
    ("age", "in", [1, 2.5]),
    ("score", "lt", 1),
    ("name", "regex", "^a"),
    ("name", "text", "hello"),
    ("name", "contains", "x"),
    ("tags", "contains", "x"),
    ("tags", "eq", "x"),
    ("tags", "eq", ["x", "y"]),
    ("tags", "starts_with", "x"),
    ("born", "gt", "2024-01-01"),
    ("born", "eq", "2024-01-01T00:00:00Z"),
    ("seen", "lte", "2024-01-01T10:00:00+02:00"),
    ("seen", "starts_with", "2024"),
    ("active", "eq", True),
    ("active", "ne", None),
    ("metadata.price", "gt", 5),
    ("metadata.chapters.title", "eq", "Intro"),
    ("metadata.chapters.0.title", "starts_with", "I"),
    ("metadata", "exists", True),
    ("extra.anything.below", "gt", 1),
    ("loose", "contains", 5),
    ("loose.0", "eq", 5),
    ("video", "eq", "x"),
    ("age", "is_null", False),
]


@pytest.mark.parametrize(("field", "op", "value"), CLEAN)
def test_clean_conditions(field: str, op: str, value: Any) -> None:
    assert codes(one(field, op, value)) == []


MISMATCHES = [
    ("active", "gt", True, "operator_type_mismatch", "operator"),
    ("age", "regex", "1", "operator_type_mismatch", "operator"),
    ("age", "starts_with", "1", "operator_type_mismatch", "operator"),
    ("age", "text", "1", "operator_type_mismatch", "operator"),
    ("age", "contains", 1, "operator_type_mismatch", "operator"),
    ("metadata", "gt", 1, "operator_type_mismatch", "operator"),
    ("born", "text", "x", "operator_type_mismatch", "operator"),
    ("age", "gte", "thirty", "value_type_mismatch", "value"),
    ("age", "eq", True, "value_type_mismatch", "value"),
    ("name", "eq", 5, "value_type_mismatch", "value"),
    ("name", "contains", 5, "value_type_mismatch", "value"),
    ("active", "eq", "true", "value_type_mismatch", "value"),
    ("born", "gt", "yesterday", "value_type_mismatch", "value"),
    ("born", "eq", "2024/01/01", "value_type_mismatch", "value"),
    ("seen", "lt", 1700000000, "value_type_mismatch", "value"),
    ("tags", "contains", 5, "value_type_mismatch", "value"),
    ("metadata", "eq", "x", "value_type_mismatch", "value"),
]


@pytest.mark.parametrize(("field", "op", "value", "code", "slot"), MISMATCHES)
def test_mismatches(field: str, op: str, value: Any, code: str, slot: str) -> None:
    assert codes(one(field, op, value)) == [(code, ("AND", 1, slot))]


def test_in_list_elements_are_located() -> None:
    assert codes(one("age", "in", [1, "two", None, 3])) == [("value_type_mismatch", ("AND", 1, "value", 1))]
    assert codes(one("tags", "eq", ["a", 2])) == [("value_type_mismatch", ("AND", 1, "value", 1))]


def test_unknown_field_with_did_you_mean() -> None:
    issues = check_filter({"OR": [{"field": "metadata.prise", "operator": "lt", "value": 5}]}, SCHEMA)
    assert [(i.code, i.path) for i in issues] == [("unknown_field", ("OR", 0, "field"))]
    assert issues[0].hint is not None and issues[0].hint.startswith("did you mean 'metadata.price'")
    assert codes({"nmae": "x"}) == [("unknown_field", ("nmae",))]
    assert codes(one("age.years", "eq", 1)) == [("unknown_field", ("AND", 1, "field"))]
    assert codes(one("metadata.chapters.title.x", "eq", 1)) == [("unknown_field", ("AND", 1, "field"))]


def test_system_fields_and_prefixes() -> None:
    spec = {
        "AND": [
            {"field": "object_id", "operator": "gt", "value": True},
            {"field": "blobs.type", "value": "video"},
            {"field": "blobs.type.sub", "value": 1},
            {"field": "__fingerprint", "operator": "regex", "value": "x"},
            {"field": "created_at", "operator": "gte", "value": "2024-01-01"},
        ]
    }
    assert codes(spec, system_fields=["object_id", "blobs.type", "created_at"], system_prefixes=["__"]) == []
    assert [c for c, _ in codes(spec)] == ["unknown_field"] * 5


def test_shorthand_paths_point_at_the_key() -> None:
    assert codes({"age": "x"}) == [("value_type_mismatch", ("age",))]


def test_text_and_filter_inputs() -> None:
    issues = check_filter("age >= 'thirty' AND nmae = 'x'", SCHEMA)
    # text-form issues are located in the text (path (), line and column in the message), as syntax errors are
    assert [(i.code, i.path) for i in issues] == [("value_type_mismatch", ()), ("unknown_field", ())]
    assert 'age >= "thirty"' in issues[0].message
    f = parse_filter({"OR": [{"field": "active", "operator": "gt", "value": False}, {"field": "x", "value": 1}]})
    assert [(i.code, i.path) for i in check_filter(f, SCHEMA)] == [
        ("operator_type_mismatch", ("OR", 0, "operator")),
        ("unknown_field", ("OR", 1, "field")),
    ]


def test_parse_issues_are_returned_not_raised() -> None:
    assert [i.code for i in check_filter("age >=", SCHEMA)] == ["syntax_error"]
    assert [(i.code, i.path) for i in check_filter({"AND": [{"field": "a", "operator": "x", "value": 1}]}, SCHEMA)] == [
        ("unknown_operator", ("AND", 0, "operator"))
    ]
    assert [i.code for i in check_filter(5, SCHEMA)] == ["invalid_filter"]  # type: ignore[arg-type]


def test_schema_forms() -> None:
    schema, _ = read_bucket_schema(SCHEMA)
    assert schema is not None
    assert check_filter("age > 'x'", schema)[0].code == "value_type_mismatch"
    from schemakit.schema import BucketSchema

    model = BucketSchema.model_validate(SCHEMA)
    assert check_filter("age > 'x'", model)[0].code == "value_type_mismatch"
    assert check_filter("age > 1", {"nope": 1})[0].code == "invalid_schema"


def test_dynamic_values_skip_value_checks() -> None:
    assert codes({"age": {"type": "dynamic", "field": "inputs.age"}}) == []
