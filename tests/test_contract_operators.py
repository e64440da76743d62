"""The operator table against everything that must agree with it: the grammar, the renderings, the evaluators."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args

import pytest

from schemakit import parse_filter
from schemakit._contract import operators as ops
from schemakit._contract.operators import FILTER_OPERATORS, OPERATOR_NAMES
from schemakit._contract.sentinels import ABSENT
from schemakit._contract.types import FIELD_TYPES
from schemakit.filters import OPERATORS, And, Condition, Filter

GRAMMAR = (Path(__file__).resolve().parent.parent / "grammar" / "filter.lark").read_text(encoding="utf-8")

# A literal each operand rule accepts, written in text and as the parsed value; a new rule needs a row.
SAMPLES: dict[ops.OperandRule, tuple[str, Any]] = {
    ops.ANY_VALUE: ('"x"', "x"),
    ops.ORDERABLE_SCALAR: ("1", 1),
    ops.LIST: ('[1, "x"]', (1, "x")),
    ops.STRING: ('"x"', "x"),
    ops.RE2_PATTERN: ('"^x"', "^x"),
    ops.TEXT_QUERY: ('"hello"', "hello"),
}


def _grammar_keywords() -> dict[str, str]:
    """``NAME: "word"i`` lines of the grammar: terminal name -> word."""
    return {m[1]: m[2] for m in re.finditer(r'^([A-Z_]+): "([a-z]+)"i$', GRAMMAR, re.MULTILINE)}


def _grammar_strings(terminal: str) -> set[str]:
    line = re.search(rf"^{terminal}: (.*)$", GRAMMAR, re.MULTILINE)
    assert line is not None, terminal
    return set(re.findall(r'"([^"]+)"', line[1]))


def test_the_grammar_keywords_are_the_tables() -> None:
    grammar = _grammar_keywords()
    assert all(name == word.upper() for name, word in grammar.items())
    spelled = {k for e in FILTER_OPERATORS.values() for k in e.keywords} | set(ops.LOGICAL_KEYWORDS)
    assert set(grammar) == spelled
    assert {w.casefold() for w in spelled} == ops.KEYWORDS


def test_the_grammar_symbols_are_the_tables() -> None:
    symbols = {s for e in FILTER_OPERATORS.values() for s in e.spellings if not s.replace(" ", "").isalpha()}
    assert symbols == _grammar_strings("COMPARE") | _grammar_strings("TILDE")


def test_filters_exports_the_operator_names_in_order() -> None:
    assert OPERATORS == OPERATOR_NAMES == tuple(FILTER_OPERATORS)
    assert OPERATORS[:6] == ("eq", "ne", "gt", "lt", "gte", "lte")
    assert len(OPERATORS) == 15


@pytest.mark.parametrize("name", OPERATOR_NAMES)
def test_each_spelling_parses_to_its_operator_and_renders_back(name: str) -> None:
    entry = FILTER_OPERATORS[name]
    for i, spelling in enumerate(entry.spellings):
        if entry.is_flag:
            texts, expected = [f"a {spelling}"], Condition("a", name, i == 0)
        else:
            literal, value = SAMPLES[entry.operand]
            texts, expected = [f"a {spelling} {literal}"], Condition("a", name, value)
        texts.append(texts[0].replace(spelling, spelling.lower()))  # keywords are case-insensitive
        for text in texts:
            f = parse_filter(text)
            assert f == Filter(And((expected,))), text
        rendered = parse_filter(texts[0]).to_text()
        canonical = spelling if entry.is_flag else entry.spellings[0]
        assert rendered == texts[0].replace(spelling, canonical)
        assert parse_filter(rendered) == parse_filter(texts[0])


@pytest.mark.parametrize("name", OPERATOR_NAMES)
def test_no_entry_is_half_done(name: str) -> None:
    entry = FILTER_OPERATORS[name]
    evaluated, negated = ops.positive(name)
    assert evaluated.predicate is not None and evaluated.fast is not None
    assert negated == (entry.negation_of is not None)
    assert isinstance(entry.check, ops.TypeRule) and isinstance(entry.operand, ops.OperandRule)
    assert entry.strategy.operand in get_args(ops.DrawKind)
    assert entry.spellings and all(ops.SPELLINGS[s][0] == name for s in entry.spellings)
    if not entry.is_flag:
        assert entry.operand in SAMPLES


def test_negations_are_exactly_not_their_partner() -> None:
    negations = {e.name: e.negation_of for e in FILTER_OPERATORS.values() if e.negation_of}
    assert negations == {"ne": "eq", "nin": "in"}
    for name, partner in negations.items():
        value = ["x"] if partner == "in" else "x"
        for read in ("x", "X", "y", ABSENT, None, ["x"]):
            for fold in (True, False):
                assert ops.predicate(name, value, fold)(read) is not ops.predicate(partner, value, fold)(read)


def test_a_backend_table_is_checked_for_completeness() -> None:
    full = dict.fromkeys(OPERATOR_NAMES, "row")
    assert ops.missing_rows(full) == []
    assert ops.missing_rows({k: v for k, v in full.items() if k not in ("ne", "nin")}) == []
    assert ops.missing_rows({k: v for k, v in full.items() if k != "nin"}, derive_negations=False) == [
        "no row for operator 'nin'"
    ]
    assert ops.missing_rows({**full, "between": "row"}) == ["row 'between' is no operator"]
    assert ops.missing_rows({k: v for k, v in full.items() if k != "regex"}) == ["no row for operator 'regex'"]


def test_synonyms_point_at_real_operators_and_are_never_operators_themselves() -> None:
    assert set(ops.JSON_SYNONYMS.values()) <= set(OPERATOR_NAMES)
    assert not set(ops.JSON_SYNONYMS) & set(OPERATOR_NAMES)
    assert set(ops.TEXT_SYNONYMS.values()) <= set(ops.SPELLINGS)
    assert all(w.casefold() == w for w in (*ops.JSON_SYNONYMS, *ops.TEXT_SYNONYMS))
    assert ops.JSON_SYNONYMS["=="] == "eq" and ops.TEXT_SYNONYMS["gte"] == ">="


def test_type_rules_dispatch_from_the_type_table() -> None:
    string, integer, array = FIELD_TYPES["string"], FIELD_TYPES["integer"], FIELD_TYPES["array"]
    assert FILTER_OPERATORS["gt"].check.applies(integer, integer)
    assert not FILTER_OPERATORS["gt"].check.applies(FIELD_TYPES["boolean"], FIELD_TYPES["boolean"])
    assert FILTER_OPERATORS["starts_with"].check.applies(FIELD_TYPES["date"], FIELD_TYPES["date"])
    assert not FILTER_OPERATORS["text"].check.applies(FIELD_TYPES["date"], FIELD_TYPES["date"])
    assert FILTER_OPERATORS["contains"].check.applies(array, integer)
    assert not FILTER_OPERATORS["contains"].check.applies(integer, integer)
    assert list(FILTER_OPERATORS["in"].check.mismatches(integer, integer, (1, "x", None))) == [((1,), integer)]
    assert list(FILTER_OPERATORS["contains"].check.mismatches(string, string, 5)) == [((), string)]


def test_the_strategies_have_a_drawer_for_every_draw_kind() -> None:
    from schemakit.strategies._filters import _DRAWS

    assert set(_DRAWS) == set(get_args(ops.DrawKind))


def test_the_docs_table_of_text_spellings_names_every_spelling() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "filters.md").read_text(encoding="utf-8")
    table = docs[docs.index("| text | operator | notes |") :].split("\n\n")[0]
    for entry in FILTER_OPERATORS.values():
        for spelling in entry.spellings:
            assert f"`a {spelling}" in table, spelling
