"""Every issue points where the user wrote the filter: paths into the JSON as given, positions in the text.

The canonical tree rewrites single-item groups (a one-item OR is an AND, a NOT
of one OR is a NOT of its items); issues must not follow those rewrites.
"""

from __future__ import annotations

from typing import Any

import pytest

from schemakit import FilterError, check_filter, parse_filter
from schemakit.filters import And, Condition, Filter, Or

SCHEMA: dict[str, Any] = {"properties": {"age": {"type": "integer"}, "name": {"type": "string"}}}

BAD = {"field": "age", "operator": "starts_with", "value": "1"}
UNKNOWN = {"field": "agee", "value": 1}
BAD_VALUE = {"field": "age", "operator": "in", "value": [1, "two"]}

# (the filter as written, where the operator of BAD is in it)
JSON_CASES = [
    ({"OR": [BAD]}, ("OR", 0, "operator")),
    ({"NOT": [{"OR": [BAD]}]}, ("NOT", 0, "OR", 0, "operator")),
    ({"NOT": [{"OR": [BAD, UNKNOWN]}]}, ("NOT", 0, "OR", 0, "operator")),
    ({"AND": [{"OR": [{"AND": [BAD]}]}]}, ("AND", 0, "OR", 0, "AND", 0, "operator")),
    ({"OR": [{"OR": [BAD]}], "case_sensitive": True}, ("OR", 0, "OR", 0, "operator")),
    ({"AND": [{"OR": [BAD], "case_sensitive": False}]}, ("AND", 0, "OR", 0, "operator")),
    ({"AND": [{"NOT": [BAD], "case_sensitive": True}]}, ("AND", 0, "NOT", 0, "operator")),
    ({"NOT": [{"AND": [{"OR": [BAD]}]}], "case_sensitive": False}, ("NOT", 0, "AND", 0, "OR", 0, "operator")),
]


@pytest.mark.parametrize(("spec", "path"), JSON_CASES)
def test_json_issues_follow_the_dict_as_written(spec: dict[str, Any], path: tuple[Any, ...]) -> None:
    expected = ("operator_type_mismatch", path)
    assert [(i.code, i.path) for i in check_filter(spec, SCHEMA)][:1] == [expected]
    # a Filter parsed from that dict remembers it, as the CLI's --schema check relies on
    assert [(i.code, i.path) for i in check_filter(parse_filter(spec), SCHEMA)][:1] == [expected]


def test_the_one_item_or_of_the_acceptance_report() -> None:
    issues = check_filter({"OR": [BAD]}, SCHEMA)
    assert [(i.code, i.path) for i in issues] == [("operator_type_mismatch", ("OR", 0, "operator"))]


def test_every_kind_of_issue_follows_the_dict() -> None:
    spec = {"NOT": [{"OR": [UNKNOWN, BAD_VALUE, {"age": "x"}]}]}
    assert [(i.code, i.path) for i in check_filter(spec, SCHEMA)] == [
        ("unknown_field", ("NOT", 0, "OR", 0, "field")),
        ("value_type_mismatch", ("NOT", 0, "OR", 1, "value", 1)),
        ("value_type_mismatch", ("NOT", 0, "OR", 2, "age")),
    ]


def test_a_filter_built_from_nodes_is_located_in_its_to_dict() -> None:
    built = Filter(Or((Condition("age", "starts_with", "1"),)))
    assert built.to_dict() == {"AND": [BAD]}
    assert [(i.code, i.path) for i in check_filter(built, SCHEMA)] == [
        ("operator_type_mismatch", ("AND", 0, "operator"))
    ]
    # Filter equality ignores where a filter came from
    assert built == parse_filter({"OR": [BAD]}) == parse_filter("age STARTS WITH '1'")


# (text, line, column of the operator of the bad condition)
TEXT_CASES = [
    ("(age STARTS WITH '1')", 1, 6),
    ("NOT (age STARTS WITH '1')", 1, 10),
    ("NOT ((age STARTS WITH '1'))", 1, 11),
    ("CASE SENSITIVE (age STARTS WITH '1')", 1, 21),
    ("name = 'x' AND CASE INSENSITIVE (NOT (age STARTS WITH '1'))", 1, 43),
    ("name = 'x' OR\n  (age STARTS WITH '1')", 2, 8),
]


@pytest.mark.parametrize(("text", "line", "column"), TEXT_CASES)
def test_text_issues_are_at_their_position(text: str, line: int, column: int) -> None:
    for source in (text, parse_filter(text)):
        (issue,) = check_filter(source, SCHEMA)
        assert (issue.code, issue.path) == ("operator_type_mismatch", ())
        assert f" at line {line}, column {column}\n" in issue.message
        *_, snippet, caret = issue.message.split("\n")
        assert snippet[caret.index("^") :].startswith("STARTS WITH")
        assert 'in `age STARTS WITH "1"`' in issue.message


def test_text_issues_point_at_the_field_the_value_and_each_element() -> None:
    text = "agee = 1 AND\nage > 'x' AND age IN [1, 'two', 3]"
    issues = check_filter(text, SCHEMA)
    assert [(i.code, i.path) for i in issues] == [
        ("unknown_field", ()),
        ("value_type_mismatch", ()),
        ("value_type_mismatch", ()),
    ]
    assert [i.message.split("\n")[0].rsplit(" at ", 1)[1] for i in issues] == [
        "line 1, column 1",
        "line 2, column 7",
        "line 2, column 26",
    ]


def test_unresolved_dynamic_values_follow_the_written_form() -> None:
    spec = {"NOT": [{"OR": [{"field": "a", "value": {"type": "dynamic", "field": "inputs.x"}}]}]}
    with pytest.raises(FilterError) as info:
        parse_filter(spec).matches({"a": 1}, {})
    assert info.value.issues[0].path == ("NOT", 0, "OR", 0, "value")
    with pytest.raises(FilterError) as info:
        parse_filter("b = 1 OR\n a = $inputs.x").matches({"a": 1}, {})
    err = info.value
    assert (err.issues[0].path, err.line, err.column) == ((), 2, 6)
    assert "at line 2, column 6" in err.issues[0].message
    with pytest.raises(FilterError) as info:
        Filter(And((Or((Condition("a", "eq", {"type": "dynamic", "field": "q"}),)),))).matches({}, {})
    assert info.value.issues[0].path == ("AND", 0, "value")


def test_a_pickled_filter_is_located_in_the_json_it_was_rebuilt_from() -> None:
    import pickle

    clone = pickle.loads(pickle.dumps(parse_filter({"OR": [BAD]})))
    assert [i.path for i in check_filter(clone, SCHEMA)] == [("AND", 0, "operator")]
