"""Odd inputs to the filter API give issues, never an undocumented exception; in/nin cost stays linear."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemakit import FilterError
from schemakit._contract import semantics
from schemakit._contract.paths import candidates
from schemakit.filters import check_filter, parse_filter, query

HUGE = 10**5000


class Unprintable:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


def codes(exc: pytest.ExceptionInfo[FilterError]) -> list[tuple[str, tuple[Any, ...]]]:
    return [(i.code, i.path) for i in exc.value.issues]


def test_a_huge_integer_as_the_filter_is_an_issue() -> None:
    with pytest.raises(FilterError) as exc:
        parse_filter(HUGE)
    assert codes(exc) == [("invalid_filter", ())]
    assert "an integer of 5001 digits" in exc.value.issues[0].message


def test_a_huge_integer_operand_is_refused_at_parse_time() -> None:
    with pytest.raises(FilterError) as exc:
        parse_filter({"a": HUGE})
    assert codes(exc) == [("invalid_operand", ("a",))]
    assert exc.value.issues[0].message == "an integer of 5001 digits; at most 4300 digits"
    with pytest.raises(FilterError) as exc:
        parse_filter({"AND": [{"field": "a", "value": HUGE}]})
    assert codes(exc) == [("invalid_operand", ("AND", 0, "value"))]
    with pytest.raises(FilterError) as exc:
        parse_filter({"AND": [{"field": "a", "operator": "in", "value": [1, -HUGE]}]})
    assert exc.value.issues[0].code == "invalid_operand"


def test_the_longest_integer_allowed_compiles_matches_and_round_trips() -> None:
    big = 10**4299
    f = parse_filter({"AND": [{"field": "a", "value": big}]})
    assert f.matches({"a": big})
    assert not f.matches({"a": 1})
    assert parse_filter(f.to_text()) == f
    assert parse_filter(f.to_dict()) == f
    assert parse_filter({"a": {"type": "x"}, "b": 2**70}).matches({"a": {"type": "x"}, "b": 2**70})


def test_check_filter_and_query_report_huge_integers() -> None:
    issues = check_filter(HUGE, {})
    assert [i.code for i in issues] == ["invalid_filter"]
    assert [i.code for i in check_filter({"a": HUGE}, {"properties": {"a": {"type": "integer"}}})] == [
        "invalid_operand"
    ]
    for argument in ("limit", "offset"):
        with pytest.raises(FilterError) as exc:
            query([], **{argument: HUGE})
        assert codes(exc) == [("invalid_pagination", (argument,))]
        assert "an integer of 5001 digits" in exc.value.issues[0].message


def test_a_large_offset_still_pages() -> None:
    result = query([{"a": 1}], offset=2**63 - 1)
    assert result.results == []
    assert result.pagination["previous_page"] == str(2**63 - 11)


def test_values_whose_repr_raises_give_issues() -> None:
    assert [i.code for i in check_filter(Unprintable(), {})] == ["invalid_filter"]
    assert [i.code for i in check_filter({"a": Unprintable()}, {})] == ["invalid_operand"]
    for kwargs in ({"filters": Unprintable()}, {"filters": {"a": Unprintable()}}, {"limit": Unprintable()}):
        with pytest.raises(FilterError):
            query([{"a": 1}], **kwargs)
    with pytest.raises(FilterError) as exc:
        query([], sort=Unprintable())
    assert "(unprintable)" in exc.value.issues[0].message


def test_query_checks_its_arguments() -> None:
    with pytest.raises(FilterError) as exc:
        query(None)  # type: ignore[arg-type]
    assert codes(exc) == [("invalid_argument", ("records",))]
    with pytest.raises(FilterError) as exc:
        query([], search="x", search_fields=None)  # type: ignore[arg-type]
    assert codes(exc) == [("invalid_argument", ("search_fields",))]
    with pytest.raises(FilterError) as exc:
        query([], search_fields=[1])  # type: ignore[list-item]
    assert codes(exc) == [("invalid_argument", ("search_fields", 0))]
    assert exc.value.issues[0].message == "a field must be a string, found integer 1"


def test_search_fields_may_be_an_iterator() -> None:
    assert query([{"t": "abc"}], search="b", search_fields=iter(["t"])).results == [{"t": "abc"}]


# -- in / nin against list-valued fields -------------------------------------------------------------


class Text(str):
    pass


class Number(int):
    pass


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, 1.0, 2.5, -1.0, float("nan"), float("inf")]),
    st.sampled_from(
        ["a", "A", "b", "ß", "SS", "ss", "2024-01-15", "2024-01-15T00:00:00Z", "2024-01-15T01:00:00+01:00"]
    ),
    st.sampled_from([date(2024, 1, 15), datetime(2024, 1, 15, tzinfo=UTC)]),
    st.sampled_from([datetime(2024, 1, 15, 1, tzinfo=timezone(timedelta(hours=1)))]),
    st.builds(Text, st.sampled_from(["a", "b", "2024-01-15"])),
    st.builds(Number, st.integers(-2, 2)),
)
_values = st.one_of(
    _scalars, st.lists(_scalars, max_size=3), st.dictionaries(st.sampled_from("xy"), _scalars, max_size=2)
)


@given(
    options=st.lists(_values, max_size=6), record=st.one_of(_values, st.lists(_values, max_size=6)), fold=st.booleans()
)
def test_in_means_any_element_equals_any_value(options: list[Any], record: Any, fold: bool) -> None:
    expected = any(semantics.json_eq(c, x, fold) for c in candidates(record) for x in options)
    assert semantics.one_of(options, fold)(record) is expected


def test_in_against_a_long_list_agrees_with_eq() -> None:
    values = [*range(3000), "X", True]
    f = parse_filter({"AND": [{"field": "tags", "operator": "in", "value": values}]})
    g = parse_filter({"AND": [{"field": "tags", "operator": "nin", "value": values}]})
    assert not f.matches({"tags": list(range(3000, 6000))})
    assert g.matches({"tags": list(range(3000, 6000))})
    assert f.matches({"tags": [*range(3000, 6000), 2999.0]})
    assert f.matches({"tags": ["x"]})  # case-insensitive by default, as eq
    assert not f.matches({"tags": [1.5, False]})  # booleans apart from numbers
    assert f.matches({"tags": [False, 1]})


# -- compilation of large filters ----------------------------------------------------------------------


def test_a_long_dotted_field_matches_like_a_short_one() -> None:
    field = ".".join(["a"] * 5000)
    record: Any = 1
    for _ in range(5000):
        record = {"a": record}
    f = parse_filter({field: 1})
    assert "read(r, " in f.source
    assert f.matches(record)
    assert not f.matches({"a": {"a": 1}})


def test_a_large_and_evaluates_every_term() -> None:
    terms = [{"field": f"f{i}", "operator": "gte", "value": i} for i in range(5000)]
    terms.append({"field": "who", "value": {"type": "dynamic", "field": "inputs.who"}})
    f = parse_filter({"AND": terms})
    record = {f"f{i}": i for i in range(5000)} | {"who": "Ann"}
    assert f.matches(record, {"inputs": {"who": "ann"}})
    assert not f.matches(record | {"f4999": 0}, {"inputs": {"who": "ann"}})
    with pytest.raises(FilterError) as exc:
        f.matches(record)
    assert exc.value.issues[0].code == "unresolved_dynamic_value"


def test_a_lower_case_logical_key_is_a_field_with_a_warning() -> None:
    f = parse_filter({"and": [{"field": "a", "value": 1}]})
    assert f == parse_filter({"AND": [{"field": "and", "value": [{"field": "a", "value": 1}]}]})
    assert [(w.code, w.path, w.hint, w.severity) for w in f.warnings] == [
        ("suspicious_field", ("and",), "did you mean the logical operator 'AND'?", "warning")
    ]
    assert parse_filter({"Or": []}).warnings[0].hint == "did you mean the logical operator 'OR'?"
    assert parse_filter({"AND": [{"field": "a", "value": 1}]}).warnings == []


def test_a_dynamic_value_with_an_extra_key_is_dynamic_and_the_key_is_warned() -> None:
    spec = {"AND": [{"field": "a", "operator": "in", "value": {"type": "dynamic", "field": "inputs.xs", "x": 1}}]}
    f = parse_filter(spec)
    assert f.to_text() == "a IN $inputs.xs"
    assert [(w.code, w.path, w.severity, w.hint) for w in f.warnings] == [
        ("unknown_key", ("AND", 0, "value", "x"), "warning", "keys: type, field")
    ]
    assert f.matches({"a": 2}, context={"inputs": {"xs": [1, 2]}})


def test_a_dynamic_value_without_a_string_field_is_invalid_at_the_value() -> None:
    for value in ({"type": "dynamic"}, {"type": "dynamic", "field": 3}, {"type": "dynamic", "feild": "inputs.x"}):
        with pytest.raises(FilterError) as err:
            parse_filter({"AND": [{"field": "a", "value": value}]})
        assert [(i.code, i.path) for i in err.value.issues] == [("invalid_operand", ("AND", 0, "value"))]
