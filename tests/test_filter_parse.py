"""Both front ends: the text grammar, the JSON form, canonical forms and every parse-time issue code with its path."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from schemakit import FilterError, parse_filter
from schemakit.filters import And, Condition, DynamicRef, Filter, Not, Or

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "filters"


def issues_of(spec: Any, **kwargs: Any) -> list[tuple[str, tuple[Any, ...]]]:
    with pytest.raises(FilterError) as info:
        parse_filter(spec, **kwargs)
    return [(i.code, i.path) for i in info.value.issues]


# -- text syntax ----------------------------------------------------------------

TEXT_FORMS = [
    ("a = 1", Condition("a", "eq", 1)),
    ("a == 1", Condition("a", "eq", 1)),
    ("a != 1", Condition("a", "ne", 1)),
    ("a <> 1", Condition("a", "ne", 1)),
    ("a > 1", Condition("a", "gt", 1)),
    ("a >= 1", Condition("a", "gte", 1)),
    ("a < 1", Condition("a", "lt", 1)),
    ("a <= 1", Condition("a", "lte", 1)),
    ("a in [1, 'x']", Condition("a", "in", [1, "x"])),
    ("a NOT IN []", Condition("a", "nin", [])),
    ("a contains 'x'", Condition("a", "contains", "x")),
    ("a Starts With 'x'", Condition("a", "starts_with", "x")),
    ("a ENDS WITH 'x'", Condition("a", "ends_with", "x")),
    ("a MATCHES '^x'", Condition("a", "regex", "^x")),
    ("a ~ '^x'", Condition("a", "regex", "^x")),
    ("a exists", Condition("a", "exists", True)),
    ("a not exists", Condition("a", "exists", False)),
    ("a is null", Condition("a", "is_null", True)),
    ("a IS NOT NULL", Condition("a", "is_null", False)),
    ("a search 'hello world'", Condition("a", "text", "hello world")),
    ("a = -1.5e3", Condition("a", "eq", -1500.0)),
    ("a = .5", Condition("a", "eq", 0.5)),
    ("a = 1.", Condition("a", "eq", 1.0)),
    ("a = TRUE", Condition("a", "eq", True)),
    ("a = False", Condition("a", "eq", False)),
    ("a = null", Condition("a", "eq", None)),
    ("a = [[1], {'k': [null]}]", Condition("a", "eq", [[1], {"k": [None]}])),
    (r'a = "q\"\\\n\u00e9\ud83d\ude00"', Condition("a", "eq", 'q"\\\né😀')),
    (r"a = 'it\'s'", Condition("a", "eq", "it's")),
    (r'a ~ "\d+\.\w\b"', Condition("a", "regex", r"\d+\.\w\b")),
    ("metadata.tags.0 = 'x'", Condition("metadata.tags.0", "eq", "x")),
    ("`odd name`.x = 1", None),
    ("`odd name.x` = 1", Condition("odd name.x", "eq", 1)),
    ("`a``b` = 1", Condition("a`b", "eq", 1)),
    ("`not` = 1", Condition("not", "eq", 1)),
    ("user = $inputs.user_id", Condition("user", "eq", DynamicRef("inputs.user_id"))),
    ("user = $`inputs.odd key`", Condition("user", "eq", DynamicRef("inputs.odd key"))),
    ("user = {'type': 'dynamic', 'field': 'q'}", Condition("user", "eq", DynamicRef("q"))),
    ("état = 'ü'", Condition("état", "eq", "ü")),
]


@pytest.mark.parametrize(("text", "expected"), TEXT_FORMS)
def test_text_conditions(text: str, expected: Condition | None) -> None:
    if expected is None:
        assert issues_of(text)[0][0] == "syntax_error"
        return
    f = parse_filter(text)
    assert f == Filter(And((expected,)))
    assert parse_filter(f.to_text()) == f


def test_text_structure_and_precedence() -> None:
    a, b, c = (Condition(x, "eq", 1) for x in "abc")
    assert parse_filter("a = 1 AND b = 1 OR c = 1").root == Or((And((a, b)), c))
    assert parse_filter("a = 1 OR b = 1 AND c = 1").root == Or((a, And((b, c))))
    assert parse_filter("NOT a = 1 AND b = 1").root == And((Not((a,)), b))
    assert parse_filter("NOT (a = 1 OR b = 1)").root == Not((a, b))
    assert parse_filter("NOT (a = 1 AND b = 1)").root == Not((And((a, b)),))
    assert parse_filter("not not a = 1").root == Not((Not((a,)),))
    assert parse_filter("(a = 1 AND b = 1) AND c = 1").root == And((And((a, b)), c))
    assert parse_filter("((a = 1))").root == And((a,))
    assert parse_filter("case sensitive (a = 1 or b = 1)").root == Or((a, b), True)
    assert parse_filter("a = 1 AND CASE INSENSITIVE (b = 1)").root == And((a, And((b,), False)))


def test_issue_example_text_equals_its_json() -> None:
    text = (
        'age >= 30 AND metadata.price < 500 AND (status = "active" OR role = "admin") '
        'AND NOT (department = "HR" OR location = "remote")'
    )
    json_form = {
        "AND": [
            {"field": "age", "operator": "gte", "value": 30},
            {"field": "metadata.price", "operator": "lt", "value": 500},
        ],
        "OR": [{"field": "status", "value": "active"}, {"field": "role", "value": "admin"}],
        "NOT": [{"field": "department", "value": "HR"}, {"field": "location", "value": "remote"}],
    }
    assert parse_filter(text) == parse_filter(json_form)
    assert parse_filter(text).to_text() == text


# -- canonical forms --------------------------------------------------------------

CANONICAL = [
    ({}, {}, ""),
    ("", {}, ""),
    ({"OR": []}, {}, ""),
    ({"AND": [], "case_sensitive": True}, {"case_sensitive": True}, "CASE SENSITIVE ()"),
    ({"a": 1}, {"AND": [{"field": "a", "operator": "eq", "value": 1}]}, "a = 1"),
    ({"a": 1.0}, {"AND": [{"field": "a", "operator": "eq", "value": 1.0}]}, "a = 1.0"),
    ({"OR": [{"field": "a", "value": 1}]}, {"AND": [{"field": "a", "operator": "eq", "value": 1}]}, "a = 1"),
    ({"AND": [{"OR": [{"a": 1}, {"b": 2}]}]}, None, "a = 1 OR b = 2"),
    ({"NOT": [{"field": "a", "value": 1}], "case_sensitive": False}, None, "CASE INSENSITIVE (NOT a = 1)"),
    ({"NOT": [{"OR": [{"a": 1}, {"b": 2}]}]}, None, "NOT (a = 1 OR b = 2)"),
    ({"a": 'tab\t"q"'}, None, 'a = "tab\\t\\"q\\""'),
    ({"a b": 1}, None, "`a b` = 1"),
    ({"AND": [{"field": "x", "operator": "in", "value": [1, True, None, "s"]}]}, None, 'x IN [1, true, null, "s"]'),
]


@pytest.mark.parametrize(("spec", "as_dict", "as_text"), CANONICAL)
def test_canonical_forms(spec: Any, as_dict: Any, as_text: str) -> None:
    f = parse_filter(spec)
    if as_dict is not None:
        assert f.to_dict() == as_dict
    assert f.to_text() == as_text
    assert parse_filter(f.to_dict()) == f
    assert parse_filter(as_text) == f


def test_combined_top_level_keys_read_as_and() -> None:
    f = parse_filter({"AND": [{"a": 1}], "OR": [{"b": 1}, {"c": 1}], "NOT": [{"d": 1}], "e": 1, "case_sensitive": True})
    assert f.to_dict() == {
        "AND": [
            {"field": "a", "operator": "eq", "value": 1},
            {"OR": [{"field": "b", "operator": "eq", "value": 1}, {"field": "c", "operator": "eq", "value": 1}]},
            {"NOT": [{"field": "d", "operator": "eq", "value": 1}]},
            {"field": "e", "operator": "eq", "value": 1},
        ],
        "case_sensitive": True,
    }


def test_lone_condition_at_top_level() -> None:
    assert parse_filter({"field": "a", "operator": "gt", "value": 1}).to_text() == "a > 1"


# -- issue codes ---------------------------------------------------------------------


def test_syntax_error_has_line_column_caret_and_expected_tokens() -> None:
    with pytest.raises(FilterError) as info:
        parse_filter('age >= 30 AND\n  (status = "active" OR )')
    err = info.value
    assert isinstance(err, ValueError)
    assert (err.line, err.column) == (2, 25)
    issue = err.issues[0]
    assert issue.code == "syntax_error"
    assert issue.message.endswith('  (status = "active" OR )\n                        ^')
    assert issue.hint is not None and "a field name" in issue.hint and "NOT" in issue.hint


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a = ", 1, 4),
        ("a = 1 AND (b = 2", 1, 17),
        ("a = 1 && b = 2", 1, 7),
        ("(", 1, 2),
        ("a = 'x", 1, 5),
        ("a = 1)", 1, 6),
    ],
)
def test_syntax_error_positions(text: str, line: int, column: int) -> None:
    with pytest.raises(FilterError) as info:
        parse_filter(text)
    assert (info.value.line, info.value.column) == (line, column)
    assert info.value.issues[0].code == "syntax_error"
    assert "^" in info.value.issues[0].message


@pytest.mark.parametrize(
    ("text", "hint"), [("age gte 30", "'>='"), ("a like 'x'", "'CONTAINS'"), ("a containz 'x'", "'CONTAINS'")]
)
def test_unknown_text_operator_gets_did_you_mean(text: str, hint: str) -> None:
    with pytest.raises(FilterError) as info:
        parse_filter(text)
    issue = info.value.issues[0]
    assert issue.code == "unknown_operator"
    assert (info.value.line, info.value.column) == (1, text.index(" ") + 2)
    assert issue.hint is not None and "did you mean" in issue.hint and hint in issue.hint


def test_unknown_json_operator_path_and_hint() -> None:
    with pytest.raises(FilterError) as info:
        parse_filter({"AND": [{"field": "a", "value": 1}, {"field": "a", "operator": "greater_than", "value": 1}]})
    issue = info.value.issues[0]
    assert (issue.code, issue.path) == ("unknown_operator", ("AND", 1, "operator"))
    assert issue.hint is not None
    assert issues_of({"OR": [{"field": "a", "operator": ">=", "value": 1}]}) == [
        ("unknown_operator", ("OR", 0, "operator"))
    ]


JSON_ISSUES = [
    (5, [("invalid_filter", ())]),
    (None, [("invalid_filter", ())]),
    ([{"a": 1}], [("invalid_filter", ())]),
    (b"a = 1", [("invalid_filter", ())]),
    ({"AND": "x"}, [("invalid_filter", ("AND",))]),
    ({"AND": [5]}, [("invalid_filter", ("AND", 0))]),
    ({"OR": [{"field": 5, "value": 1}]}, [("invalid_filter", ("OR", 0, "field"))]),
    ({"OR": [{"field": "", "value": 1}]}, [("invalid_filter", ("OR", 0, "field"))]),
    ({"OR": [{"field": "a..b", "value": 1}]}, [("invalid_filter", ("OR", 0, "field"))]),
    ({"OR": [{"field": "a", "value": 1, "valu": 2}]}, [("invalid_filter", ("OR", 0, "valu"))]),
    ({"OR": [{"field": "a", "operator": 3, "value": 1}]}, [("invalid_filter", ("OR", 0, "operator"))]),
    ({"case_sensitive": "yes"}, [("invalid_filter", ("case_sensitive",))]),
    ({"NOT": [{"field": "a", "operator": "exists"}]}, [("missing_value", ("NOT", 0, "value"))]),
    ({"AND": [{"field": "a", "operator": "in", "value": 1}]}, [("invalid_operand", ("AND", 0, "value"))]),
    ({"AND": [{"field": "a", "operator": "gt", "value": None}]}, [("invalid_operand", ("AND", 0, "value"))]),
    ({"AND": [{"field": "a", "operator": "exists", "value": "yes"}]}, [("invalid_operand", ("AND", 0, "value"))]),
    ({"AND": [{"field": "a", "operator": "is_null", "value": 1}]}, [("invalid_operand", ("AND", 0, "value"))]),
    ({"AND": [{"field": "a", "operator": "starts_with", "value": 1}]}, [("invalid_operand", ("AND", 0, "value"))]),
    ({"AND": [{"field": "a", "operator": "regex", "value": "(?<=x)"}]}, [("invalid_operand", ("AND", 0, "value"))]),
    ({"AND": [{"field": "a", "operator": "regex", "value": "(a"}]}, [("invalid_operand", ("AND", 0, "value"))]),
    ({"AND": [{"field": "a", "operator": "text", "value": "--"}]}, [("invalid_operand", ("AND", 0, "value"))]),
    ({"AND": [{"field": "a", "value": float("nan")}]}, [("invalid_operand", ("AND", 0, "value"))]),
    ({"AND": [{"field": "a", "value": {1, 2}}]}, [("invalid_operand", ("AND", 0, "value"))]),
    ({"AND": [{"field": "a", "value": {1: 2}}]}, [("invalid_operand", ("AND", 0, "value"))]),
    ({"AND": [{"field": "a", "value": {"type": "dynamic"}}]}, [("invalid_operand", ("AND", 0, "value"))]),
    ({"a": {"type": "dynamic", "field": ""}}, [("invalid_operand", ("a",))]),
    ({"a.": 1}, [("invalid_filter", ("a.",))]),
    (
        {"AND": [{"OR": [{"field": "x", "operator": "nope", "value": 1}]}]},
        [("unknown_operator", ("AND", 0, "OR", 0, "operator"))],
    ),
]


@pytest.mark.parametrize(("spec", "expected"), JSON_ISSUES)
def test_json_issue_codes_and_paths(spec: Any, expected: list[tuple[str, tuple[Any, ...]]]) -> None:
    assert issues_of(spec) == expected


def test_all_problems_are_reported_at_once() -> None:
    spec = {"AND": [{"field": "a", "operator": "gtr", "value": 1}, {"field": "b"}, 5], "OR": "x"}
    assert issues_of(spec) == [
        ("unknown_operator", ("AND", 0, "operator")),
        ("missing_value", ("AND", 1, "value")),
        ("invalid_filter", ("AND", 2)),
        ("invalid_filter", ("OR",)),
    ]


def test_text_operand_errors_have_positions() -> None:
    with pytest.raises(FilterError) as info:
        parse_filter("a = 1 AND\n b IN 5")
    assert info.value.issues[0].code == "invalid_operand"
    assert (info.value.line, info.value.column) == (2, 7)
    assert issues_of("a ~ '(?<=x)'")[0][0] == "invalid_operand"
    assert issues_of("a EXISTS AND b > [1]")[0][0] == "invalid_operand"
    assert issues_of("a SEARCH '...'")[0][0] == "invalid_operand"


def _nest_json(levels: int) -> dict[str, Any]:
    spec: dict[str, Any] = {"field": "a", "value": 1}
    for _ in range(levels):
        spec = {"AND": [spec]}
    return spec


def test_depth_limits_json() -> None:
    parse_filter(_nest_json(16))
    assert issues_of(_nest_json(17)) == [("filter_too_deep", ("AND", 0) * 16)]
    assert issues_of(_nest_json(4), max_depth=3)[0][0] == "filter_too_deep"
    assert issues_of(_nest_json(5000))[0][0] == "filter_too_deep"


def test_depth_limits_text() -> None:
    parse_filter("(" * 15 + "a = 1" + ")" * 15)
    with pytest.raises(FilterError) as info:
        parse_filter("(" * 16 + "a = 1" + ")" * 16)
    assert info.value.issues[0].code == "filter_too_deep"
    assert info.value.column == 16
    assert issues_of("(" * 5000 + "a = 1" + ")" * 5000)[0][0] == "filter_too_deep"
    assert issues_of("NOT " * 5000 + "a = 1")[0][0] == "filter_too_deep"
    assert issues_of("a = " + "[" * 5000 + "]" * 5000)[0][0] == "invalid_operand"
    parse_filter("NOT " * 50 + "a = 1")


def test_long_flat_filters_parse() -> None:
    text = " AND ".join(f"f{i} = {i}" for i in range(3000))
    f = parse_filter(text)
    assert len(f.conditions()) == 3000
    assert f.matches({f"f{i}": i for i in range(3000)})


@pytest.mark.parametrize(
    "spec",
    [
        [],
        1.5,
        True,
        object(),
        {"AND": [[]]},
        {"AND": {"x": 1}},
        {(1, 2): 3},
        {"AND": [{"field": None}]},
        "\x00",
        "a = 1e999",
    ],
)
def test_bad_input_raises_filter_error_only(spec: Any) -> None:
    with pytest.raises(FilterError) as info:
        parse_filter(spec)
    assert info.value.issues


# -- grammar loading ----------------------------------------------------------------


def test_grammar_loads_from_a_wheel_layout(tmp_path: Path) -> None:
    """A wheel has no project root: the grammar must come from schemakit/grammar inside the package."""
    package = tmp_path / "schemakit"
    shutil.copytree(ROOT / "schemakit", package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "grammar").mkdir(exist_ok=True)
    shutil.copy(ROOT / "grammar" / "filter.lark", package / "grammar" / "filter.lark")
    code = (
        "import schemakit, schemakit._resources as r;"
        f"assert str(r.grammar_path('filter.lark')).startswith({str(package)!r});"
        "print(schemakit.parse_filter('a = 1 AND b > 2').to_text())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path)}
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "a = 1 AND b > 2"


# -- fixtures ------------------------------------------------------------------------


def test_fixture_pairs_parse_to_the_same_filter() -> None:
    texts = sorted(FIXTURES.glob("*.txt"))
    assert texts
    for text_file in texts:
        json_file = text_file.with_suffix(".json")
        f = parse_filter(text_file.read_text(encoding="utf-8"))
        assert f == parse_filter(json.loads(json_file.read_text(encoding="utf-8"))), text_file.name
