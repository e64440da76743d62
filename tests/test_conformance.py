"""Self-conformance: schemakit's validator and filters hold against its own strategies.

* every object from ``objects(s)`` is valid for every ``s`` from ``bucket_schemas()``;
  every ``(o, code)`` from ``invalid_objects(s)`` is rejected with ``code``;
* generated filters round-trip through both forms, and compiled evaluation agrees
  with the plain reference interpreter below;
* jsonschema on ``v.json_schema()`` agrees with ``v.is_valid`` on valid objects and
  on the invalid ones whose defect JSON Schema can express (see ``_expressible``).

Run ``pytest tests/test_conformance.py --hypothesis-profile=thorough`` for 20x the examples.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import jsonschema
import pytest
import re2
from _reference_tables import MIME_OF_EXTENSION
from hypothesis import given, settings
from hypothesis import strategies as hst

import schemakit
from schemakit import strategies as st
from schemakit._contract.bucket import SCALAR_TYPES
from schemakit._dates import as_instant, parse_date, parse_datetime
from schemakit.filters import And, Condition, DynamicRef, Filter, Not, Or
from schemakit.schema import read_bucket_schema
from schemakit.strategies._blobs import mime_fits
from schemakit.strategies._common import has_key_value
from schemakit.strategies._filters import FIELDS

# Small enough that blob_too_large costs nothing; the same limit goes to the validator.
INLINE_LIMIT = 64
OBJECTS_PER_SCHEMA = 3


def _unique_key_for(data: hst.DataObject, schema: dict[str, Any]) -> dict[str, Any] | None:
    """Sometimes a unique key over some of the schema's scalar top-level fields."""
    sdef, _ = read_bucket_schema(schema)
    assert sdef is not None
    scalars = [n for n, f in sdef.fields.items() if f.type in SCALAR_TYPES and has_key_value(f)]
    if not scalars or not data.draw(hst.booleans(), label="with unique key"):
        return None
    names = data.draw(hst.lists(hst.sampled_from(scalars), min_size=1, max_size=2, unique=True), label="key fields")
    return {"fields": names}


def _errors(result: Any) -> list[str]:
    return [f"{i.code} at {i.pointer}: {i.message}" for i in result.issues if i.is_error]


# -- objects --------------------------------------------------------------------------------------


@given(hst.data())
def test_generated_objects_are_valid(data: hst.DataObject) -> None:
    schema = data.draw(st.bucket_schemas(), label="schema")
    unique_key = _unique_key_for(data, schema)
    strict = data.draw(hst.booleans(), label="strict")
    v = schemakit.compile_schema(schema, unique_key=unique_key, strict=strict, max_inline_bytes=INLINE_LIMIT)
    for _ in range(OBJECTS_PER_SCHEMA):
        obj = data.draw(st.objects(schema, unique_key=unique_key, strict=strict), label="object")
        result = v.validate(obj)
        assert result.ok, _errors(result)
        assert v.is_valid(obj)


@given(hst.data())
def test_invalid_objects_are_rejected_with_their_code(data: hst.DataObject) -> None:
    schema = data.draw(st.bucket_schemas(), label="schema")
    unique_key = _unique_key_for(data, schema)
    strict = data.draw(hst.booleans(), label="strict")
    v = schemakit.compile_schema(schema, unique_key=unique_key, strict=strict, max_inline_bytes=INLINE_LIMIT)
    strategy = st.invalid_objects(schema, unique_key=unique_key, strict=strict, max_inline_bytes=INLINE_LIMIT)
    for _ in range(OBJECTS_PER_SCHEMA):
        obj, code = data.draw(strategy, label="invalid object")
        result = v.validate(obj)
        assert not result.ok
        assert code in {i.code for i in result.issues if i.is_error}, _errors(result)
        assert not v.is_valid(obj)


@given(hst.data())
def test_generated_batches_are_valid(data: hst.DataObject) -> None:
    schema = data.draw(st.bucket_schemas(), label="schema")
    unique_key = _unique_key_for(data, schema)
    v = schemakit.compile_schema(schema, unique_key=unique_key, max_inline_bytes=INLINE_LIMIT)
    result = v.validate_batch(data.draw(st.batches(schema, unique_key, max_size=5), label="batch"))
    assert result.ok, [str(i) for i in result.issues]


# -- JSON Schema ----------------------------------------------------------------------------------

# Codes JSON Schema can express: kinds, enums, required keys, undeclared keys
# ("additionalProperties": false in strict mode), string patterns on
# blob data, key prefixes and upload ids, "contains"/"maxContains" for required
# and duplicate blobs, "if property is X then type matches X" for blob types.
ALWAYS_EXPRESSIBLE = frozenset(
    {
        "unknown_field",
        "invalid_request",
        "type_mismatch",
        "missing_required_field",
        "enum_mismatch",
        "file_field_not_blob",
        "unknown_blob_property",
        "blob_type_mismatch",
        "missing_blob_source",
        "conflicting_blob_source",
        "invalid_blob_data",
        "duplicate_blob_property",
    }
)
# Not expressible: calendar validity (2024-02-30 has the shape of a date), a
# size in UTF-8 bytes (maxLength counts characters), decoded base64 size, and a
# MIME type inferred from a URL's extension (a lookup table, not a shape).
_CALENDAR_ONLY_DATES = frozenset({"2024-02-30", "2024-13-01"})
_CALENDAR_ONLY_DATETIMES = frozenset({"2024-01-05T25:00:00Z", "2024-02-30T10:00:00Z", "2024-01-05T10:00:00+24:00"})


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _inferred_mismatch(schema: dict[str, Any], obj: dict[str, Any]) -> bool:
    """Whether some "auto" blob's URL extension names a kind its field does not take."""
    sdef, _ = read_bucket_schema(schema)
    assert sdef is not None
    for blob in obj.get("blobs") or []:
        t = blob.get("type")
        if t is not None and t.lower() != "auto":
            continue
        data = blob.get("data")
        url = data.get("url") if isinstance(data, dict) else data
        if not isinstance(url, str) or url.startswith("data:"):
            continue
        f = sdef.fields[blob["property"]]
        kind = f.type if f.is_file else f.items.type  # type: ignore[union-attr]
        name = url.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
        mime = MIME_OF_EXTENSION.get(name.rsplit(".", 1)[-1].lower()) if "." in name else None
        if mime is not None and not mime_fits(kind, mime):
            return True
    return False


def _expressible(schema: dict[str, Any], obj: Any, code: str) -> bool:
    """Whether the one defect in ``obj`` is something JSON Schema can say."""
    if code in ALWAYS_EXPRESSIBLE:
        return True
    if code == "invalid_key_prefix":
        kp = obj["key_prefix"]
        return not len(kp) <= 1024 < len(kp.encode("utf-8"))
    if code == "invalid_date":
        return not _CALENDAR_ONLY_DATES & set(_strings(obj))
    if code == "invalid_datetime":
        return not _CALENDAR_ONLY_DATETIMES & set(_strings(obj))
    if code == "mime_type_mismatch":
        return not _inferred_mismatch(schema, obj)
    return False  # blob_too_large; unique-key codes are not generated here


@given(hst.data())
def test_json_schema_agrees_on_valid_objects_and_expressible_defects(data: hst.DataObject) -> None:
    schema = data.draw(st.bucket_schemas(), label="schema")
    strict = data.draw(hst.booleans(), label="strict")
    v = schemakit.compile_schema(schema, strict=strict, max_inline_bytes=INLINE_LIMIT)
    js = jsonschema.Draft202012Validator(v.json_schema())
    invalid = st.invalid_objects(schema, strict=strict, max_inline_bytes=INLINE_LIMIT)
    for _ in range(OBJECTS_PER_SCHEMA):
        obj = data.draw(st.objects(schema, strict=strict), label="object")
        assert v.is_valid(obj) and js.is_valid(obj), [e.message for e in js.iter_errors(obj)]
        bad, code = data.draw(invalid, label="invalid object")
        assert not v.is_valid(bad)
        if _expressible(schema, bad, code):
            assert not js.is_valid(bad), (code, json.dumps(bad)[:500])


# -- filters: round trips -------------------------------------------------------------------------


@given(st.filters(dynamic=True))
def test_untyped_filters_round_trip_through_both_forms(f: Filter) -> None:
    assert schemakit.parse_filter(f.to_dict()) == f
    assert schemakit.parse_filter(f.to_text()) == f
    assert schemakit.parse_filter(json.loads(json.dumps(f.to_dict()))) == f


def _json_depth(spec: dict[str, Any]) -> int:
    """The depth of a JSON filter: the top-level dict is level 1, each nested group dict one deeper."""
    inner = [
        _json_depth(item)
        for key in ("AND", "OR", "NOT")
        for item in spec.get(key) or []
        if isinstance(item, dict) and "field" not in item
    ]
    return 1 + max(inner, default=0)


@given(st.filters(max_depth=3))
def test_the_text_form_is_accepted_at_the_depth_its_json_form_is(f: Filter) -> None:
    depth = _json_depth(f.to_dict())
    assert schemakit.parse_filter(f.to_dict(), max_depth=depth) == f
    assert schemakit.parse_filter(f.to_text(), max_depth=depth) == f


@pytest.mark.parametrize(
    ("root", "text"),
    [
        (And((Condition("a", "eq", 1),), case_sensitive=True), "CASE SENSITIVE (a = 1)"),
        (Not((Condition("a", "eq", 1), Condition("b", "eq", 2))), "NOT (a = 1 OR b = 2)"),
        (
            Not((Condition("a", "eq", 1), Condition("b", "eq", 2)), case_sensitive=True),
            "CASE SENSITIVE (NOT (a = 1 OR b = 2))",
        ),
    ],
)
def test_minimal_depth_counterexamples(root: Any, text: str) -> None:
    f = Filter(root)
    assert f.to_text() == text
    assert schemakit.parse_filter(f.to_dict(), max_depth=1) == f
    assert schemakit.parse_filter(f.to_text(), max_depth=1) == f


@given(hst.data())
def test_typed_filters_round_trip_and_fit_their_schema(data: hst.DataObject) -> None:
    schema = data.draw(st.bucket_schemas(), label="schema")
    f = data.draw(st.filters(schema, dynamic=True), label="filter")
    assert schemakit.parse_filter(f.to_dict()) == f
    assert schemakit.parse_filter(f.to_text()) == f
    assert schemakit.check_filter(f, schema) == []


# -- filters: a reference interpreter ---------------------------------------------------------------
# Written from the documented filter semantics (docs/filters.md), as plainly as possible, sharing nothing with
# schemakit/filters but the date parser.


def _resolve(record: Any, dotted: str) -> list[Any]:
    """Every value a path names: dict keys, list indexes, fan-out over lists of objects. Empty means missing."""
    nodes = [record]
    for seg in dotted.split("."):
        found: list[Any] = []
        for node in nodes:
            if isinstance(node, dict):
                if seg in node:
                    found.append(node[seg])
            elif isinstance(node, list):
                if seg.isascii() and seg.isdigit():
                    if int(seg) < len(node):
                        found.append(node[int(seg)])
                else:
                    found.extend(e[seg] for e in node if isinstance(e, dict) and seg in e)
        nodes = found
    return nodes


def _candidates(found: list[Any]) -> list[Any]:
    """What comparisons test: each found value, or the elements of a list-valued one."""
    out: list[Any] = []
    for v in found:
        out.extend(v if isinstance(v, list) else [v])
    return out


def _instant(v: Any) -> datetime | None:
    if isinstance(v, datetime) or (isinstance(v, date) and not isinstance(v, datetime)):
        return as_instant(v)
    if isinstance(v, str):
        d = parse_date(v)
        if d is not None:
            return as_instant(d)
        dt = parse_datetime(v)
        if dt is not None:
            return dt[0]
    return None


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and not (isinstance(v, float) and math.isnan(v))


def _fold(s: str, fold: bool) -> str:
    return s.casefold() if fold else s


def _equal(a: Any, b: Any, fold: bool) -> bool:
    ia, ib = _instant(a), _instant(b)
    if ia is not None and ib is not None:
        return ia == ib
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if _number(a) and _number(b):
        return bool(a == b)
    if isinstance(a, str) and isinstance(b, str):
        return _fold(a, fold) == _fold(b, fold)
    if a is None or b is None:
        return a is None and b is None
    return False


def _ordered(op: str, a: Any, b: Any) -> bool:
    ia, ib = _instant(a), _instant(b)
    if ia is not None and ib is not None:
        a, b = ia, ib
    elif isinstance(a, bool) or isinstance(b, bool):
        if not (isinstance(a, bool) and isinstance(b, bool)):
            return False
    elif not ((_number(a) and _number(b)) or (isinstance(a, str) and isinstance(b, str))):
        return False
    return {"gt": a > b, "gte": a >= b, "lt": a < b, "lte": a <= b}[op]


def _words(text: str) -> list[str]:
    out: list[str] = []
    current = ""
    for ch in text:
        if ch.isalnum():
            current += ch
        elif current:
            out.append(current.casefold())
            current = ""
    if current:
        out.append(current.casefold())
    return out


def _text_matches(field: str, query: str) -> bool:
    words = _words(field)
    parts = query.split('"')
    for i, part in enumerate(parts):
        if i % 2 == 1 and i < len(parts) - 1:  # inside a closed pair of quotes: a phrase
            phrase = _words(part)
            n = len(phrase)
            if n and not any(words[j : j + n] == phrase for j in range(len(words) - n + 1)):
                return False
        else:
            if any(term not in words for term in _words(part)):
                return False
    return True


def _regex(pattern: str, fold: bool) -> Any:
    options = re2.Options()
    options.case_sensitive = not fold
    return re2.compile(pattern, options)


def _condition(c: Condition, record: Any, fold: bool) -> bool:
    found = _resolve(record, c.field)
    op, value = c.operator, c.value
    cands = _candidates(found)
    if op == "exists":
        return bool(found) == value
    if op == "is_null":
        null = not found or all(v is None for v in found)
        return null == value
    if op == "eq":
        return any(_equal(x, value, fold) for x in cands)
    if op == "ne":
        return not any(_equal(x, value, fold) for x in cands)
    if op == "in":
        return any(_equal(x, v, fold) for x in cands for v in value)
    if op == "nin":
        return not any(_equal(x, v, fold) for x in cands for v in value)
    if op in ("gt", "gte", "lt", "lte"):
        return any(_ordered(op, x, value) for x in cands)
    if op == "contains":
        for v in found:
            if isinstance(v, str) and isinstance(value, str) and _fold(value, fold) in _fold(v, fold):
                return True
            if isinstance(v, list) and any(_equal(x, value, fold) for x in v):
                return True
        return False
    strings = [x for x in cands if isinstance(x, str)]
    if op == "starts_with":
        return any(_fold(x, fold).startswith(_fold(value, fold)) for x in strings)
    if op == "ends_with":
        return any(_fold(x, fold).endswith(_fold(value, fold)) for x in strings)
    if op == "regex":
        program = _regex(value, fold)
        return any(program.search(x) is not None for x in strings)
    if op == "text":
        return any(_text_matches(x, value) for x in strings)
    raise AssertionError(f"unknown operator {op}")


def reference_matches(node: Any, record: Any, fold: bool = True) -> bool:
    """The documented meaning of a filter tree; ``fold`` is "case-insensitive", the default."""
    if isinstance(node, Condition):
        return _condition(node, record, fold)
    if node.case_sensitive is not None:
        fold = not node.case_sensitive
    results = [reference_matches(item, record, fold) for item in node.items]
    if not results:
        return True  # an empty group is no constraint, whatever its kind
    if isinstance(node, And):
        return all(results)
    if isinstance(node, Or):
        return any(results)
    assert isinstance(node, Not)
    return not any(results)


def test_the_reference_interpreter_reads_issue_3_as_written() -> None:
    record = {
        "age": 30,
        "tags": ["red", "Blue"],
        "items": [{"sku": "A1"}, {"sku": "b2"}],
        "when": "2024-01-15T12:00:00+02:00",
        "note": None,
        "bio": "Hello-world, again",
    }
    cases = [
        (Condition("age", "eq", 30.0), True),
        (Condition("age", "eq", True), False),
        (Condition("tags", "eq", "blue"), True),
        (Condition("tags", "contains", "re"), False),
        (Condition("tags", "ne", "red"), False),
        (Condition("items.sku", "eq", "a1"), True),
        (Condition("items.1.sku", "eq", "A1"), False),
        (Condition("when", "eq", "2024-01-15T10:00:00Z"), True),
        (Condition("age", "gt", "3"), False),
        (Condition("missing", "ne", 1), True),
        (Condition("missing", "nin", [1]), True),
        (Condition("missing", "eq", None), False),
        (Condition("note", "exists", True), True),
        (Condition("note", "is_null", True), True),
        (Condition("missing", "is_null", True), True),
        (Condition("bio", "text", "WORLD hello"), True),
        (Condition("bio", "text", '"world hello"'), False),
        (Condition("bio", "regex", "^hello"), True),
        (Condition("bio", "starts_with", "hello"), True),
        (Or(()), True),
        (Not((Condition("age", "eq", 30), Condition("age", "eq", 31))), False),
    ]
    for node, expected in cases:
        assert reference_matches(node, record) is expected, node
        assert Filter(node if not isinstance(node, Condition) else And((node,))).matches(record) is expected, node
    sensitive = And((Condition("tags", "eq", "blue"),), case_sensitive=True)
    assert reference_matches(sensitive, record) is False


# Records over the untyped vocabulary: small value domains so that filters hold often enough.
_DOMAIN: tuple[Any, ...] = (
    "a",
    "A",
    "ab",
    "",
    "Hello World",
    "hello-world a-1",
    "straße",
    "colour",
    0,
    1,
    1.0,
    -1,
    2.5,
    True,
    False,
    None,
    "2024-01-15",
    "2024-01-15T10:00:00Z",
    "2024-01-15T12:00:00+02:00",
    "2023-12-31T23:59:59",
)
_SCALAR = hst.sampled_from(_DOMAIN)
_VALUE = hst.one_of(_SCALAR, hst.lists(_SCALAR, max_size=3))
_NESTED = hst.one_of(
    hst.fixed_dictionaries({}, optional={"title": _VALUE, "price": _VALUE, "tags": _VALUE, "sku": _VALUE}),
    hst.lists(hst.fixed_dictionaries({}, optional={"sku": _VALUE, "title": _VALUE}), max_size=3),
    _VALUE,
)


def _untyped_records() -> hst.SearchStrategy[dict[str, Any]]:
    tops = sorted({f.split(".")[0] for f in FIELDS})
    return hst.fixed_dictionaries({}, optional={name: _NESTED for name in tops})


def _near(value: Any, *, loose: bool) -> list[Any]:
    """Record values close to a condition's value: itself, in a list, and (``loose``) case or affix variants."""
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in _near(v, loose=loose)][:6] or [None]
    out: list[Any] = [value, [value]]
    if loose and isinstance(value, str):
        out += [value.swapcase(), value + "x", "X" + value, f"say {value} again", [value.upper(), "z"]]
    if loose and _number(value) and math.isfinite(value) and abs(value) < 2**53:
        out += [value + 1, value - 1, float(value)]
    return out


def _put(record: dict[str, Any], dotted: str, value: Any) -> None:
    """Write ``value`` where ``dotted`` points, building dicts and lists on the way (a list for fan-out)."""
    node: Any = record
    segs = dotted.split(".")
    for i, seg in enumerate(segs):
        last = i == len(segs) - 1
        if isinstance(node, list):
            if not (seg.isascii() and seg.isdigit()):
                node.append({})
                node = node[-1]
            else:
                while len(node) <= int(seg):
                    node.append({})
                if last:
                    node[int(seg)] = value
                    return
                if not isinstance(node[int(seg)], (dict, list)):
                    node[int(seg)] = {}
                node = node[int(seg)]
                continue
        if last:
            node[seg] = value
            return
        nxt = segs[i + 1]
        if not isinstance(node.get(seg), (dict, list)):
            node[seg] = [] if nxt.isascii() and nxt.isdigit() else {}
        node = node[seg]


@hst.composite
def _records_near(draw: hst.DrawFn, f: Filter, base: hst.SearchStrategy[dict[str, Any]], loose: bool) -> dict[str, Any]:
    """A record from ``base`` with some of ``f``'s fields set to values near what the filter tests."""
    record = draw(base)
    for c, _ in f.conditions():
        if isinstance(c.value, DynamicRef) or not draw(hst.booleans()):
            continue
        if c.operator == "text":
            value: Any = c.value.replace('"', "")
        elif c.operator in ("exists", "is_null"):
            value = draw(hst.sampled_from([None, "a", 0]))
        else:
            value = draw(hst.sampled_from(_near(c.value, loose=loose)))
        try:
            _put(record, c.field, value)
        except (TypeError, AttributeError):
            continue  # the record already holds a scalar on the way; leave it as drawn
    return record


@given(hst.data())
def test_compiled_evaluation_agrees_with_the_reference_untyped(data: hst.DataObject) -> None:
    f = data.draw(st.filters(), label="filter")
    record = data.draw(_records_near(f, _untyped_records(), loose=True), label="record")
    assert f.matches(record) is reference_matches(f.root, record), f.to_text()


@given(hst.data())
def test_compiled_evaluation_agrees_with_the_reference_on_typed_records(data: hst.DataObject) -> None:
    schema = data.draw(st.bucket_schemas(), label="schema")
    f = data.draw(st.filters(schema), label="filter")
    for _ in range(OBJECTS_PER_SCHEMA):
        record = data.draw(_records_near(f, st.records(schema), loose=False), label="record")
        assert f.matches(record) is reference_matches(f.root, record), f.to_text()


@settings(max_examples=max(settings().max_examples // 2, 10))
@given(st.filters(dynamic=True), _untyped_records(), _SCALAR, _SCALAR)
def test_dynamic_values_evaluate_like_their_resolved_literals(
    f: Filter, record: dict[str, Any], a: Any, b: Any
) -> None:
    context = {"inputs": {"user_id": a, "q": b}}

    def substitute(node: Any) -> Any:
        if isinstance(node, Condition):
            if isinstance(node.value, DynamicRef):
                resolved = context["inputs"][node.value.field.split(".")[1]]
                if _fits_operator(node.operator, resolved):
                    return Condition(node.field, node.operator, resolved)
            return node
        return type(node)(tuple(substitute(i) for i in node.items), node.case_sensitive)

    resolved = substitute(f.root)
    if any(isinstance(c.value, DynamicRef) for c in _conditions(resolved)):
        return
    assert f.matches(record, context) is reference_matches(resolved, record), f.to_text()


def _fits_operator(op: str, value: Any) -> bool:
    """Whether a resolved value is one the operator takes (what parse_filter checks for literals)."""
    if op in ("in", "nin"):
        return isinstance(value, list)
    if op in ("starts_with", "ends_with", "regex"):
        return isinstance(value, str)
    if op == "text":
        return isinstance(value, str) and bool(_words(value))
    if op in ("gt", "gte", "lt", "lte"):
        return value is not None
    return True


def _conditions(node: Any) -> Iterator[Condition]:
    if isinstance(node, Condition):
        yield node
    else:
        for item in node.items:
            yield from _conditions(item)
