"""Properties of the filter DSL over generated ASTs and records.

* Round trip: for every Filter ``f``, parsing ``f.to_dict()`` (also through
  ``json``) and ``f.to_text()`` gives back ``f``.
* Differential: the compiled matcher agrees with ``reference_matches``, a
  plain recursive interpreter of the documented semantics written here,
  independently of the compiler.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from schemakit.filters import OPERATORS, And, Condition, DynamicRef, Filter, Node, Not, Or, parse_filter

# -- AST strategies -----------------------------------------------------------

_SAFE_PATTERNS = ["^a", "b$", "[0-9]+", "A.B", "(?i)x", "h.llo", "^$", "é", "\\d{4}-"]
_WORDY = st.from_regex(r"[A-Za-z0-9]{1,6}( [A-Za-z0-9\"-]{0,8}){0,3}", fullmatch=True).filter(
    lambda s: any(ch.isalnum() for ch in s)
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)
segment = st.one_of(
    st.from_regex(r"[a-z_][a-z0-9_]{0,5}", fullmatch=True),
    st.text(min_size=1, max_size=6).filter(lambda s: "." not in s),
    st.sampled_from(["0", "1", "and", "not", "case", "NULL", "in"]),
)
field_paths = st.lists(segment, min_size=1, max_size=3).map(".".join)


def _operand(op: str, values: st.SearchStrategy[Any], strings: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    if op in ("eq", "ne", "contains"):
        return values
    if op in ("gt", "gte", "lt", "lte"):
        return st.one_of(st.booleans(), st.integers(-50, 50), st.floats(-50, 50), strings)
    if op in ("in", "nin"):
        return st.lists(values, max_size=4)
    if op in ("starts_with", "ends_with"):
        return strings
    if op == "regex":
        return st.sampled_from(_SAFE_PATTERNS)
    if op == "text":
        return _WORDY
    return st.booleans()


def condition_strategy(
    fields: st.SearchStrategy[str], values: st.SearchStrategy[Any], strings: st.SearchStrategy[str], dynamic: bool
) -> st.SearchStrategy[Condition]:
    ops = st.sampled_from(OPERATORS)

    @st.composite
    def build(draw: st.DrawFn) -> Condition:
        op = draw(ops)
        if dynamic and op not in ("exists", "is_null") and draw(st.integers(0, 9)) == 0:
            return Condition(draw(fields), op, DynamicRef(draw(field_paths)))
        return Condition(draw(fields), op, draw(_operand(op, values, strings)))

    return build()


def tree_strategy(conditions: st.SearchStrategy[Condition]) -> st.SearchStrategy[Node]:
    case = st.sampled_from([None, None, True, False])

    def groups(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        items = st.lists(children, max_size=4).map(tuple)
        return st.one_of(
            st.builds(And, items, case),
            st.builds(Or, items, case),
            st.builds(Not, items, case),
        )

    return groups(st.recursive(conditions, groups, max_leaves=10))


any_filters = tree_strategy(condition_strategy(field_paths, json_values, st.text(max_size=8), dynamic=True)).map(Filter)


# -- round trip ---------------------------------------------------------------


@given(any_filters)
def test_json_form_round_trips(f: Filter) -> None:
    assert parse_filter(f.to_dict()) == f
    assert parse_filter(json.loads(json.dumps(f.to_dict()))) == f


@given(any_filters)
def test_text_form_round_trips(f: Filter) -> None:
    text = f.to_text()
    assert parse_filter(text) == f, text
    assert parse_filter(text).to_text() == text


@given(any_filters)
def test_canonical_form_is_a_fixed_point(f: Filter) -> None:
    assert Filter(f.root) == f
    assert Filter(f.root).root is f.root or Filter(f.root).root == f.root


# -- a plain reference interpreter ---------------------------------------------

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DT_RE = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?\Z")


def ref_instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        if _DATE_RE.match(value):
            d = datetime.strptime(value, "%Y-%m-%d")
            return d.replace(tzinfo=UTC)
        if _DT_RE.match(value):
            text = value.upper().replace("Z", "+00:00")
            dt = datetime.fromisoformat(text)
            return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    except ValueError:
        return None
    return None


def ref_lookup(value: Any, segments: list[str]) -> list[Any]:
    if not segments:
        return [value]
    head, rest = segments[0], segments[1:]
    if isinstance(value, dict):
        return ref_lookup(value[head], rest) if head in value else []
    if isinstance(value, list):
        if head.isdigit() and head.isascii():
            index = int(head)
            return ref_lookup(value[index], rest) if index < len(value) else []
        out: list[Any] = []
        for element in value:
            if isinstance(element, dict) and head in element:
                out.extend(ref_lookup(element[head], rest))
        return out
    return []


def is_num(v: Any) -> bool:
    return type(v) in (int, float)


def ref_eq(a: Any, b: Any, fold: bool) -> bool:
    if b is None:
        return a is None
    if type(b) is bool:
        return type(a) is bool and a == b
    if is_num(b):
        return is_num(a) and a == b
    if type(b) is str:
        if type(a) is not str:
            return False
        if a == b or (fold and a.casefold() == b.casefold()):
            return True
        ia, ib = ref_instant(a), ref_instant(b)
        return ia is not None and ib is not None and ia == ib
    if isinstance(b, (list, tuple)):
        return type(a) is list and len(a) == len(b) and all(ref_eq(x, y, fold) for x, y in zip(a, b, strict=True))
    if isinstance(b, dict) or hasattr(b, "keys"):
        return type(a) is dict and set(a) == set(b.keys()) and all(ref_eq(a[k], b[k], fold) for k in b)
    raise AssertionError(b)


def ref_order(op: str, a: Any, b: Any) -> bool:
    def cmp(x: Any, y: Any) -> bool:
        return {"gt": x > y, "gte": x >= y, "lt": x < y, "lte": x <= y}[op]

    if type(b) is bool:
        return type(a) is bool and cmp(a, b)
    if is_num(b):
        return is_num(a) and cmp(a, b)
    if type(a) is str:
        ia, ib = ref_instant(a), ref_instant(b)
        if ia is not None and ib is not None:
            return cmp(ia, ib)
        return cmp(a, b)
    return False


def ref_words(text: str) -> list[str]:
    out, word = [], ""
    for ch in text + " ":
        if ch.isalnum():
            word += ch
        elif word:
            out.append(word.casefold())
            word = ""
    return out


def ref_text(field: str, query: str) -> bool:
    have = ref_words(field)
    parts = query.split('"')
    for i, part in enumerate(parts):
        terms = ref_words(part)
        if i % 2 == 1 and i < len(parts) - 1 and len(terms) > 1:
            if not any(have[j : j + len(terms)] == terms for j in range(len(have))):
                return False
        elif not all(t in have for t in terms):
            return False
    return True


def ref_condition(c: Condition, record: Any, fold: bool, context: Any) -> bool:
    value = c.value
    if isinstance(value, DynamicRef):
        found_ctx = ref_lookup(context, value.field.split("."))
        value = found_ctx[0]
    if isinstance(value, tuple):
        value = list(value)
    found = ref_lookup(record, c.field.split(".")) if isinstance(record, dict) else []
    cands = [*found] + [e for f in found if type(f) is list for e in f]
    op = c.operator
    if op == "exists":
        return bool(found) == value
    if op == "is_null":
        return (not found or any(f is None for f in found)) == value
    if op in ("eq", "ne"):
        hit = any(ref_eq(x, value, fold) for x in cands)
        return hit if op == "eq" else not hit
    if op in ("in", "nin"):
        hit = any(ref_eq(x, v, fold) for x in cands for v in value)
        return hit if op == "in" else not hit
    if op in ("gt", "gte", "lt", "lte"):
        return any(ref_order(op, x, value) for x in cands)
    if op == "contains":
        for f in found:
            if type(f) is str and type(value) is str and (value in f or (fold and value.casefold() in f.casefold())):
                return True
            if type(f) is list and any(ref_eq(e, value, fold) for e in f):
                return True
        return False
    strings = [x for x in cands if type(x) is str]
    if op == "starts_with":
        return any(x.startswith(value) or (fold and x.casefold().startswith(value.casefold())) for x in strings)
    if op == "ends_with":
        return any(x.endswith(value) or (fold and x.casefold().endswith(value.casefold())) for x in strings)
    if op == "regex":
        flags = re.IGNORECASE if fold else 0
        return any(re.search(value, x, flags) for x in strings)
    if op == "text":
        return any(ref_text(x, value) for x in strings)
    raise AssertionError(op)


def reference_matches(node: Node, record: Any, fold: bool = True, context: Any = None) -> bool:
    if isinstance(node, Condition):
        return ref_condition(node, record, fold, context)
    if node.case_sensitive is not None:
        fold = not node.case_sensitive
    results = [reference_matches(item, record, fold, context) for item in node.items]
    if isinstance(node, And):
        return all(results)
    if isinstance(node, Or):
        return not results or any(results)
    return not any(results)


# -- differential ---------------------------------------------------------------

_STRINGS = ["a", "A", "ab", "Ab", "b", "", "hello world", "Hello-World 42", "2024-01-15", "2024-01-15T00:00:00Z"]
_STRINGS += ["2024-01-15T02:00:00+02:00", "2023-12-31", "xAy", "é", "É"]
small_strings = st.sampled_from(_STRINGS)
small_scalars = st.one_of(st.none(), st.booleans(), st.sampled_from([0, 1, 2, 1.0, 2.5, -1, 10]), small_strings)
small_values = st.recursive(small_scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=5)
small_fields = st.sampled_from(["a", "b", "c", "a.b", "a.0", "a.b.c", "l.x", "l.0.x", "l", "a.1"])

records = st.recursive(
    small_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["a", "b", "c", "l", "x", "0"]), inner, max_size=4),
    ),
    max_leaves=12,
)
dict_records = st.dictionaries(st.sampled_from(["a", "b", "c", "l"]), records, max_size=4)
small_filters = tree_strategy(condition_strategy(small_fields, small_values, small_strings, dynamic=False)).map(Filter)


@given(small_filters, st.lists(dict_records, min_size=1, max_size=8))
def test_compiled_matcher_agrees_with_reference(f: Filter, batch: list[dict[str, Any]]) -> None:
    for record in batch:
        assert f.matches(record) == reference_matches(f.root, record), (f.to_text(), record)


@given(small_filters, records)
def test_any_record_value_gives_a_boolean(f: Filter, record: Any) -> None:
    result = f.matches(record)
    assert isinstance(result, bool)
    if not isinstance(record, dict):
        assert result == reference_matches(f.root, {})


@given(small_filters, dict_records, small_values)
def test_dynamic_values_behave_like_literals(f: Filter, record: dict[str, Any], replacement: Any) -> None:
    conditions = f.conditions()
    if not conditions:
        return
    literal, _ = conditions[0]
    if literal.operator in ("exists", "is_null") or isinstance(literal.value, DynamicRef):
        return
    dynamic = _replace_first(f.root, literal, Condition(literal.field, literal.operator, DynamicRef("inputs.v")))
    flt = Filter(dynamic)
    context = {"inputs": {"v": _thaw(literal.value)}}
    assert flt.matches(record, context) == f.matches(record)


def _thaw(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_thaw(x) for x in v]
    return v


def _replace_first(node: Node, old: Condition, new: Condition) -> Node:
    if isinstance(node, Condition):
        return new if node is old else node
    return type(node)(tuple(_replace_first(i, old, new) for i in node.items), node.case_sensitive)


def test_reference_interpreter_sanity() -> None:
    f = parse_filter('a = "x" AND NOT (b > 2 OR c EXISTS)')
    assert reference_matches(f.root, {"a": "X", "b": 1})
    assert not reference_matches(f.root, {"a": "X", "c": None})
    assert math.isfinite(1.0)
