"""Bad input never crashes: any JSON value or text gives a Filter or a FilterError, nothing else."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

from schemakit import FilterError, check_filter, parse_filter
from schemakit.filters import Filter
from schemakit.filters._text import parser

_KEYS = st.sampled_from(["AND", "OR", "NOT", "case_sensitive", "field", "operator", "value", "type", "a", "a.b", ""])
_OPS = st.sampled_from(["eq", "ne", "gt", "in", "nin", "contains", "regex", "text", "exists", "is_null", "dynamic"])
json_like = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=6), _OPS),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=20,
)


def _parse_or_error(spec: Any) -> Filter | None:
    try:
        f = parse_filter(spec)
    except FilterError as exc:
        assert exc.issues
        assert all(isinstance(seg, (str, int)) for i in exc.issues for seg in i.path)
        return None
    assert parse_filter(f.to_dict()) == f
    assert parse_filter(f.to_text()) == f
    return f


@given(json_like)
def test_any_json_value(spec: Any) -> None:
    f = _parse_or_error(spec)
    if f is not None:
        assert isinstance(
            f.matches({"a": {"b": [1, "x"]}}, {"dynamic": 1, "a": 1}) if not f.dynamic_fields else True, bool
        )
    assert isinstance(check_filter(spec, {"properties": {"a": {"type": "string"}}}), list)


@given(st.text(max_size=60))
def test_any_text(text: str) -> None:
    _parse_or_error(text)


_TOKENS = st.sampled_from(
    [
        "a",
        "b.c",
        "AND",
        "OR",
        "NOT",
        "(",
        ")",
        "=",
        ">=",
        "IN",
        "[",
        "]",
        ",",
        "1",
        "-2.5e3",
        "'x'",
        '"y"',
        "null",
        "EXISTS",
        "IS",
        "NULL",
        "STARTS",
        "WITH",
        "~",
        "CASE",
        "SENSITIVE",
        "$q",
        "`k`",
        "{",
        "}",
        ":",
        "SEARCH",
        "true",
    ]
)


@given(st.lists(_TOKENS, max_size=14).map(" ".join))
def test_token_soup(text: str) -> None:
    _parse_or_error(text)


@given(from_lark(parser(), start="start"))
def test_grammar_sentences(text: str) -> None:
    _parse_or_error(text)
