"""Each semantic rule of docs/filters.md, pinned on small records."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from schemakit import FilterError, parse_filter
from schemakit.filters import Condition, DynamicRef, Filter

REC: dict[str, Any] = {
    "name": "John",
    "age": 35,
    "score": 2.5,
    "active": True,
    "nothing": None,
    "tags": ["red", "Green"],
    "nums": [1, 5, 9],
    "metadata": {"title": "Hello-World 42", "price": 120, "dims": {"w": 3}},
    "blobs": [{"type": "video", "size": 10}, {"type": "image", "size": 3}, {"kind": "x"}],
    "created": "2024-01-15T12:00:00+02:00",
    "day": "2024-01-15",
}


def m(spec: Any, record: Any = REC, context: Any = None) -> bool:
    return parse_filter(spec).matches(record, context)


def cond(field: str, op: str, value: Any, case_sensitive: bool | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"AND": [{"field": field, "operator": op, "value": value}]}
    if case_sensitive is not None:
        out["case_sensitive"] = case_sensitive
    return out


# (field, operator, value, expected) on REC with the default (case-insensitive) mode
CASES = [
    # eq on present / missing / null / list / nested / fan-out
    ("name", "eq", "John", True),
    ("name", "eq", "john", True),
    ("missing", "eq", "x", False),
    ("nothing", "eq", None, True),
    ("missing", "eq", None, False),
    ("tags", "eq", "red", True),
    ("tags", "eq", "RED", True),
    ("tags", "eq", ["red", "Green"], True),
    ("metadata.title", "eq", "hello-world 42", True),
    ("metadata.dims.w", "eq", 3.0, True),
    ("blobs.type", "eq", "video", True),
    ("blobs.type", "eq", "audio", False),
    ("blobs.0.type", "eq", "video", True),
    ("blobs.1.type", "eq", "video", False),
    ("blobs.7.type", "eq", "video", False),
    ("tags.1", "eq", "green", True),
    ("age", "eq", 35.0, True),
    ("active", "eq", 1, False),
    ("age", "eq", "35", False),
    # ne / nin: true when missing, false when any element equals
    ("name", "ne", "john", False),
    ("missing", "ne", "x", True),
    ("nothing", "ne", None, False),
    ("tags", "ne", "red", False),
    ("tags", "ne", "blue", True),
    ("missing", "nin", [1], True),
    ("tags", "nin", ["blue", "RED"], False),
    ("tags", "nin", ["blue"], True),
    ("blobs.type", "ne", "video", False),
    # ordering
    ("age", "gt", 30, True),
    ("age", "gte", 35, True),
    ("age", "lt", 35, False),
    ("age", "lte", 35.0, True),
    ("missing", "gt", 0, False),
    ("nothing", "gt", 0, False),
    ("nums", "gt", 8, True),
    ("nums", "lt", 1, False),
    ("age", "gt", "30", False),
    ("name", "gt", "Jo", True),
    ("name", "gt", "jo", False),
    ("active", "gt", False, True),
    ("active", "gt", 0, False),
    ("blobs.size", "gte", 10, True),
    ("metadata.price", "lt", 500, True),
    # in
    ("name", "in", ["x", "JOHN"], True),
    ("age", "in", [1, 35.0], True),
    ("active", "in", [1], False),
    ("active", "in", [True], True),
    ("missing", "in", [None], False),
    ("nothing", "in", [None], True),
    ("tags", "in", ["green"], True),
    # contains
    ("name", "contains", "OH", True),
    ("tags", "contains", "re", False),
    ("tags", "contains", "RED", True),
    ("nums", "contains", 5.0, True),
    ("nums", "contains", True, False),
    ("missing", "contains", "x", False),
    ("age", "contains", 3, False),
    ("metadata.title", "contains", "world", True),
    # starts_with / ends_with
    ("name", "starts_with", "jo", True),
    ("name", "ends_with", "HN", True),
    ("tags", "starts_with", "gr", True),
    ("missing", "starts_with", "", False),
    ("age", "starts_with", "3", False),
    ("blobs.type", "ends_with", "age", True),
    # regex: unanchored RE2 search; case option follows the group
    ("name", "regex", "^j", True),
    ("name", "regex", "oh", True),
    ("tags", "regex", "^g.*n$", True),
    ("age", "regex", "3", False),
    ("missing", "regex", ".*", False),
    # text: words, case-folded, phrases consecutive
    ("metadata.title", "text", "hello", True),
    ("metadata.title", "text", "WORLD 42", True),
    ("metadata.title", "text", "hello-world", True),
    ("metadata.title", "text", '"world hello"', False),
    ("metadata.title", "text", '"hello world"', True),
    ("metadata.title", "text", "hell", False),
    ("missing", "text", "x", False),
    # exists / is_null
    ("nothing", "exists", True, True),
    ("missing", "exists", True, False),
    ("missing", "exists", False, True),
    ("blobs.kind", "exists", True, True),
    ("blobs.color", "exists", True, False),
    ("nothing", "is_null", True, True),
    ("missing", "is_null", True, True),
    ("name", "is_null", True, False),
    ("name", "is_null", False, True),
    ("nothing", "is_null", False, False),
    # dates: instants, both sides parse
    ("created", "eq", "2024-01-15T10:00:00Z", True),
    ("created", "gt", "2024-01-15", True),
    ("day", "eq", "2024-01-15T00:00:00Z", True),
    ("day", "lt", "2024-01-15T00:00:01", True),
    ("day", "in", ["2024-01-15T00:00:00+00:00"], True),
    ("day", "ne", "2024-01-16", True),
    ("name", "gt", "2024-01-01", True),
]


@pytest.mark.parametrize(("field", "op", "value", "expected"), CASES)
def test_operator_semantics(field: str, op: str, value: Any, expected: bool) -> None:
    assert m(cond(field, op, value)) is expected


SENSITIVE = [
    ("name", "eq", "john", False),
    ("name", "eq", "John", True),
    ("name", "ne", "john", True),
    ("tags", "in", ["green"], False),
    ("tags", "nin", ["green"], True),
    ("tags", "contains", "green", False),
    ("name", "contains", "oh", True),
    ("name", "contains", "OH", False),
    ("name", "starts_with", "jo", False),
    ("name", "ends_with", "hn", True),
    ("name", "regex", "^j", False),
    ("metadata.title", "text", "HELLO", True),
    ("name", "gt", "Jo", True),
]


@pytest.mark.parametrize(("field", "op", "value", "expected"), SENSITIVE)
def test_case_sensitive_mode(field: str, op: str, value: Any, expected: bool) -> None:
    assert m(cond(field, op, value, case_sensitive=True)) is expected


def test_ordering_never_folds_case() -> None:
    assert m(cond("name", "lt", "a")) is True  # "J" < "a" as code points
    assert m(cond("name", "lt", "a", case_sensitive=False)) is True


def test_case_insensitive_regex_does_not_fold_the_value() -> None:
    assert m(cond("city", "regex", "strasse"), {"city": "Straße"}) is False
    assert m(cond("city", "regex", "STRASSE"), {"city": "strasse"}) is True
    assert m(cond("city", "eq", "strasse"), {"city": "STRASSE"}) is True


def test_case_sensitive_is_inherited_and_overridden() -> None:
    spec = {"case_sensitive": True, "AND": [{"OR": [{"field": "name", "value": "john"}], "case_sensitive": False}]}
    assert m(spec) is True
    spec2 = {"case_sensitive": True, "AND": [{"OR": [{"field": "name", "value": "john"}, {"field": "x", "value": 1}]}]}
    assert m(spec2) is False
    assert m("CASE SENSITIVE (name = 'john' OR CASE INSENSITIVE (name = 'JOHN'))") is True
    assert m("CASE SENSITIVE (name = 'john')") is False


def test_text_terms_split_like_words() -> None:
    assert m(cond("t", "text", "a-1"), {"t": "b a x 1"}) is True
    assert m(cond("t", "text", "a-1"), {"t": "a"}) is False
    assert m(cond("t", "text", '"a 1"'), {"t": "x a-1 y"}) is True
    assert m(cond("t", "text", '"a 1"'), {"t": "1 a"}) is False
    assert m(cond("t", "text", "über"), {"t": "ÜBER alles"}) is True


def test_dates_compare_as_instants() -> None:
    assert m(cond("at", "eq", "2024-01-15T10:00:00Z"), {"at": "2024-01-15T12:00:00+02:00"}) is True
    assert m(cond("at", "eq", "2024-01-15T10:00:00"), {"at": "2024-01-15T10:00:00Z"}) is True
    tz = timezone(timedelta(hours=-5))
    assert m(cond("at", "gt", "2024-01-15T10:00:00Z"), {"at": datetime(2024, 1, 15, 6, tzinfo=tz)}) is True
    assert m(cond("at", "eq", "2024-01-15"), {"at": date(2024, 1, 15)}) is True
    assert m(cond("at", "eq", "2024-01-15"), {"at": datetime(2024, 1, 15)}) is True
    assert m(cond("at", "lt", date(2024, 2, 1)), {"at": "2024-01-31T23:59:59Z"}) is True
    assert m(cond("at", "gt", "2024-01-15"), {"at": 20240116}) is False
    assert m(cond("at", "lt", "2024-1-15"), {"at": "2024-01-16"}) is True  # plain strings, no date parse


def test_datetime_values_in_a_filter_become_iso_strings() -> None:
    f = parse_filter({"at": datetime(2024, 1, 15, 10, 0, tzinfo=UTC)})
    assert f.to_dict()["AND"][0]["value"] == "2024-01-15T10:00:00+00:00"


def test_logical_groups() -> None:
    seed = {
        "AND": [{"field": "name", "operator": "eq", "value": "John"}, {"field": "age", "operator": "gte", "value": 30}],
        "OR": [{"field": "status", "value": "active"}, {"field": "role", "value": "admin"}],
        "NOT": [{"field": "department", "value": "HR"}, {"field": "location", "value": "remote"}],
        "case_sensitive": True,
    }
    base = {"name": "John", "age": 31, "status": "active", "department": "Eng", "location": "office"}
    assert m(seed, base) is True
    assert m(seed, {**base, "name": "john"}) is False
    assert m(seed, {**base, "status": "gone"}) is False
    assert m(seed, {**base, "status": "gone", "role": "admin"}) is True
    assert m(seed, {**base, "location": "remote"}) is False
    assert m(seed, {**base, "department": "hr"}) is True


def test_empty_groups_are_no_constraint() -> None:
    for spec in ({}, "", "   ", {"AND": []}, {"OR": []}, {"NOT": []}, {"AND": None}, "()"):
        assert m(spec, {}) is True
        assert parse_filter(spec).is_empty


def test_text_precedence_is_sql() -> None:
    f = parse_filter("a = 1 OR b = 1 AND c = 1")
    assert f.matches({"a": 1}) and not f.matches({"b": 1})
    g = parse_filter("NOT a = 1 AND b = 1")
    assert g.matches({"b": 1}) and not g.matches({"a": 1, "b": 1}) and not g.matches({})


def test_shorthand_equality() -> None:
    assert m({"metadata.title": "hello-world 42"}) is True
    assert m({"metadata.title": "x", "AND": [{"field": "age", "value": 35}]}) is False


@pytest.mark.parametrize(
    "record",
    [None, 5, "str", [1, 2], {1: 2}, {"a": {1, 2}}, {"a": b"x"}, {"a": math.nan}, {"a": [[[[[]]]]]}, {"a": object()}],
)
def test_odd_records_give_booleans(record: Any) -> None:
    text = 'a = 1 OR a > "x" OR a CONTAINS "x" OR a IN [1, [2]] OR a ~ "x" OR a SEARCH "x" OR a IS NULL'
    assert isinstance(parse_filter(text).matches(record), bool)
    assert isinstance(parse_filter("a.b.c = [1]").matches(record), bool)


def test_deeply_nested_record_values() -> None:
    deep: Any = "x"
    for _ in range(5000):
        deep = [deep]
    assert parse_filter('a = ["x"] OR a CONTAINS "x"').matches({"a": deep}) is False
    nested: Any = {"b": 1}
    for _ in range(2000):
        nested = {"b": nested}
    assert parse_filter("a.b.b.b = 1").matches({"a": nested}) is False


def test_nan_never_matches() -> None:
    for op in ("eq", "gt", "gte", "lt", "lte"):
        assert m(cond("x", op, 1), {"x": math.nan}) is False
    assert m(cond("x", "ne", 1), {"x": math.nan}) is True


def test_mapping_records_and_subclasses() -> None:
    from collections import OrderedDict
    from types import MappingProxyType

    class S(str):
        pass

    assert m({"a": "x"}, OrderedDict(a="X")) is True
    assert m({"a": "x"}, MappingProxyType({"a": "x"})) is True
    assert m({"a": "x"}, {"a": S("x")}) is True


def test_dynamic_values_resolve_from_the_context() -> None:
    f = parse_filter({"AND": [{"field": "user", "value": {"type": "dynamic", "field": "inputs.user_id"}}]})
    assert f.matches({"user": "u1"}, {"inputs": {"user_id": "U1"}}) is True
    assert f.matches({"user": "u2"}, {"inputs": {"user_id": "u1"}}) is False
    g = parse_filter("n IN $inputs.allowed")
    assert g.matches({"n": 3}, {"inputs": {"allowed": [1, 3]}}) is True
    context = {"filters": {"AND": [{"value": 3}]}}
    assert parse_filter("n = $filters.AND.0.value").matches({"n": 3}, context) is True
    assert parse_filter({"n": {"type": "dynamic", "field": "filters.AND[0].value"}}).matches({"n": 3}, context)


def test_unresolved_dynamic_value_raises_for_every_record() -> None:
    f = parse_filter({"OR": [{"field": "a", "value": 1}, {"field": "b", "value": {"type": "dynamic", "field": "x.y"}}]})
    for context in (None, {}, {"x": {}}, {"x": 5}):
        with pytest.raises(FilterError) as info:
            f.matches({"a": 1}, context)
        issue = info.value.issues[0]
        assert issue.code == "unresolved_dynamic_value"
        assert issue.path == ("OR", 1, "value")
    g = parse_filter("n IN $inputs.allowed")
    with pytest.raises(FilterError) as info:
        g.matches({"n": 1}, {"inputs": {"allowed": 5}})
    assert info.value.issues[0].code == "unresolved_dynamic_value"


def test_direct_construction_is_canonicalized_and_checked() -> None:
    f = Filter(Condition("a", "eq", [1, 2]))
    assert f.to_dict() == {"AND": [{"field": "a", "operator": "eq", "value": [1, 2]}]}
    assert f.matches({"a": [1, 2]})
    assert Condition("a", "eq", True) != Condition("a", "eq", 1)
    assert Condition("a", "eq", 1) != Condition("a", "eq", 1.0)
    assert Condition("a", "eq", {"type": "dynamic", "field": "q"}).value == DynamicRef("q")
    with pytest.raises(FilterError) as info:
        Filter(Condition("a", "gt", [1]))
    assert info.value.issues[0].code == "invalid_operand"
    assert info.value.issues[0].path == ("AND", 0, "value")


def test_matches_takes_keywords_before_and_after_compiling() -> None:
    f = parse_filter("a = $q")
    for _ in range(2):
        assert f.matches(record={"a": 1}, context={"q": 1}) is True


def test_filter_introspection() -> None:
    f = parse_filter("a = 1 AND (b.c > 2 OR NOT d EXISTS) AND e = $inputs.x")
    assert f.fields == {"a", "b.c", "d", "e"}
    assert f.dynamic_fields == {"inputs.x"}
    assert "b.c gt 2" in f.tree()
    assert "def factory" in f.source
    with pytest.deprecated_call(match="use Filter.source"):
        assert f.compile_to_code() == f.source
    assert str(f) == f.to_text()


def test_filters_pickle_copy_and_hash() -> None:
    import copy
    import pickle

    f = parse_filter('a = 1 AND b IN [{"k": [1]}] AND c = $inputs.x')
    assert f.matches({"a": 1, "b": {"k": [1]}, "c": 2}, {"inputs": {"x": 2}})
    for clone in (pickle.loads(pickle.dumps(f)), copy.copy(f), copy.deepcopy(f)):
        assert clone == f
        assert clone.matches({"a": 1, "b": {"k": [1]}, "c": 2}, {"inputs": {"x": 2}})
    assert hash(f) == hash(parse_filter(f.to_text()))
    assert len({f, parse_filter(f.to_dict())}) == 1


def test_max_depth_must_be_positive() -> None:
    with pytest.raises(FilterError):
        parse_filter("a = 1", max_depth=0)


def test_paths_too_long_to_inline_are_read_whole() -> None:
    path = ".".join(["a"] * 150)
    f = parse_filter({path: 1, "x": {"type": "dynamic", "field": "q"}, "OR": [{"y": 1}, {"z": 1}]})
    record: Any = 1
    for _ in range(150):
        record = {"a": record}
    record.update(x=5, z=1)
    # inlined, such a path nested past CPython's parenthesis limit; it is read by one call instead
    assert "read(r, " in f.source
    compile(f.source, "<filter>", "exec")
    assert f.matches(record, {"q": 5}) is True
    assert f.matches(record, {"q": 6}) is False
    assert f.matches({**record, "z": 2}, {"q": 5}) is False
    assert f.matches(None, {"q": 5}) is False
    with pytest.raises(FilterError):
        f.matches(record)


# One row per operator: a value, then the expected result on a present matching value, a missing
# field, a null, a list holding the match, a nested path to it, and the same in a case-sensitive group.
MATRIX = [
    ("eq", "Ab", "ab", True, False, False, True, True, False),
    ("ne", "Ab", "ab", False, True, True, False, False, True),
    ("gt", "Aa", "Ab", True, False, False, True, True, True),
    ("gte", 2, 2, True, False, False, True, True, True),
    ("lt", 3, 2, True, False, False, True, True, True),
    ("lte", 2.0, 2, True, False, False, True, True, True),
    ("in", ["x", "AB"], "ab", True, False, False, True, True, False),
    ("nin", ["x", "AB"], "ab", False, True, True, False, False, True),
    ("contains", "B", "abc", True, False, False, False, True, False),
    ("starts_with", "A", "abc", True, False, False, True, True, False),
    ("ends_with", "C", "abc", True, False, False, True, True, False),
    ("regex", "^A.C$", "abc", True, False, False, True, True, False),
    ("text", "ABC", "x abc", True, False, False, True, True, True),
    ("exists", True, "abc", True, False, True, True, True, True),
    ("is_null", True, "abc", False, True, True, False, False, False),
]


@pytest.mark.parametrize(("op", "value", "present", "hit", "missing", "null", "in_list", "nested", "sensitive"), MATRIX)
def test_operator_matrix(
    op: str,
    value: Any,
    present: Any,
    hit: bool,
    missing: bool,
    null: bool,
    in_list: bool,
    nested: bool,
    sensitive: bool,
) -> None:
    assert m(cond("f", op, value), {"f": present}) is hit
    assert m(cond("f", op, value), {"g": present}) is missing
    assert m(cond("f", op, value), {"f": None}) is null
    assert m(cond("f", op, value), {"f": ["zzz", present]}) is in_list
    assert m(cond("a.0.f", op, value), {"a": [{"f": present}]}) is nested
    assert m(cond("a.f", op, value), {"a": [{"x": 1}, {"f": present}]}) is nested
    assert m(cond("f", op, value, case_sensitive=True), {"f": present}) is sensitive
