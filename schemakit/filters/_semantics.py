"""What each operator means on a record: the general (slow-path) predicates.

The compiler emits straight-line fast paths for the common exact types and
falls back to these for everything else (lists, fan-out, dates, subclasses,
odd values), so this module is the single statement of the semantics. Every
function here returns a boolean for any input; none raises on record values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import re2

from schemakit._dates import as_instant, parse_date, parse_datetime


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()
"""What a path that names nothing resolves to."""


class FanOut:
    """The values a path collected by fanning out over a list of objects (never empty)."""

    __slots__ = ("values",)

    def __init__(self, values: list[Any]) -> None:
        self.values = values

    def __repr__(self) -> str:
        return f"FanOut({self.values!r})"


Predicate = Callable[[Any], bool]


# -- paths --------------------------------------------------------------------


def split_path(dotted: str) -> tuple[str, ...]:
    return tuple(dotted.split("."))


def step(node: Any, key: str) -> Any:
    """One path segment: a dict key, a list index (all-digit segment), or a fan-out over a list of objects."""
    if node is MISSING:
        return MISSING
    if isinstance(node, dict):
        return node.get(key, MISSING)
    if isinstance(node, list):
        if key.isdigit() and key.isascii():
            index = int(key)
            return node[index] if index < len(node) else MISSING
        found = [e[key] for e in node if isinstance(e, dict) and key in e]
        return FanOut(found) if found else MISSING
    if isinstance(node, FanOut):
        collected: list[Any] = []
        for value in node.values:
            got = step(value, key)
            if isinstance(got, FanOut):
                collected.extend(got.values)
            elif got is not MISSING:
                collected.append(got)
        return FanOut(collected) if collected else MISSING
    return MISSING


def resolve(record: Any, segments: tuple[str, ...]) -> Any:
    node = record if isinstance(record, dict) else MISSING
    for key in segments:
        node = step(node, key)
    return node


def found_values(v: Any) -> tuple[Any, ...] | list[Any]:
    if v is MISSING:
        return ()
    if isinstance(v, FanOut):
        return v.values
    return (v,)


def candidates(v: Any) -> Iterator[Any]:
    """Each found value, and the elements of each found list (one level, as document databases do)."""
    for f in found_values(v):
        yield f
        if isinstance(f, list):
            yield from f


# -- equality, dates, ordering ----------------------------------------------


def instant(value: Any) -> datetime | None:
    """A date/datetime object or an exact ISO date / RFC 3339 date-time string as a UTC instant."""
    if isinstance(value, (date, datetime)):
        try:
            return as_instant(value)
        except (OverflowError, ValueError):
            return None
    if isinstance(value, str) and 10 <= len(value) <= 40 and value[:4].isdigit():
        d = parse_date(value)
        if d is not None:
            return as_instant(d)
        dt = parse_datetime(value)
        if dt is not None:
            return dt[0]
    return None


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def json_eq(a: Any, b: Any, fold: bool) -> bool:
    """Record value ``a`` equals filter value ``b`` (plain JSON, lists and dicts, no tuples)."""
    if b is None:
        return a is None
    if isinstance(b, bool):
        return isinstance(a, bool) and a == b
    if isinstance(b, (int, float)):
        return is_number(a) and a == b
    if isinstance(b, str):
        if isinstance(a, str) and (a.casefold() == b.casefold() if fold else a == b):
            return True
        if isinstance(a, (str, date)):
            ia, ib = instant(a), instant(b)
            return ia is not None and ib is not None and ia == ib
        return False
    if isinstance(b, list):
        return isinstance(a, list) and len(a) == len(b) and all(json_eq(x, y, fold) for x, y in zip(a, b, strict=True))
    if isinstance(b, dict):
        return isinstance(a, dict) and a.keys() == b.keys() and all(json_eq(a[k], b[k], fold) for k in b)
    return False


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def ordered(op: str, a: Any, b: Any) -> bool:
    """``a op b`` within one kind (numbers, strings, booleans, dates); across kinds false."""
    compare = _ORDER[op]
    if isinstance(b, bool):
        return isinstance(a, bool) and compare(a, b)
    if isinstance(b, (int, float)):
        return is_number(a) and compare(a, b)
    if isinstance(b, str):
        if isinstance(a, (str, date)):
            ia, ib = instant(a), instant(b)
            if ia is not None and ib is not None:
                return compare(ia, ib)
        return isinstance(a, str) and compare(a, b)
    return False


# -- regex and text -----------------------------------------------------------


def compile_regex(pattern: str, *, case_sensitive: bool) -> tuple[Any, str | None]:
    """An RE2 program (linear time, so no pattern can hang) or the reason RE2 rejects it."""
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = case_sensitive
    try:
        return re2.compile(pattern, options), None
    except Exception as exc:  # re2 raises its own error type, sometimes with a bytes message
        detail = exc.args[0] if exc.args else exc
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        return None, str(detail)


def regex_searcher(program: Any) -> Predicate:
    search = program.search

    def matches(text: str) -> bool:
        try:
            return search(text) is not None
        except Exception:  # a string RE2 cannot encode (lone surrogates) matches nothing
            return False

    return matches


# Words are maximal runs of characters for which str.isalnum() holds: letters and digits.
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def text_query(value: str) -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    """The single-word terms and the double-quoted phrases (two or more words) of a text search."""
    terms: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    parts = value.split('"')
    for i, part in enumerate(parts):
        found = words(part)
        # odd parts sit between a pair of quotes; an unpaired trailing quote quotes nothing
        if i % 2 == 1 and i < len(parts) - 1 and len(found) > 1:
            phrases.append(tuple(found))
        else:
            terms.update(found)
    return frozenset(terms), tuple(phrases)


def text_matcher(value: str) -> Predicate:
    terms, phrases = text_query(value)

    def matches(text: str) -> bool:
        found = words(text)
        if not terms.issubset(found):
            return False
        return all(_has_run(found, p) for p in phrases)

    return matches


def _has_run(found: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    first = phrase[0]
    return any(found[i] == first and tuple(found[i : i + n]) == phrase for i in range(len(found) - n + 1))


# -- general predicates -------------------------------------------------------


def general_predicate(op: str, value: Any, fold: bool) -> Predicate:
    """The full meaning of ``op value`` over a resolved path (MISSING, a FanOut or a value).

    ``value`` is plain JSON (lists and dicts). ``ne`` and ``nin`` are the
    negations of ``eq`` and ``in``; the compiler negates, so they are built
    here the same way.
    """
    if op == "eq":
        return lambda v: any(json_eq(c, value, fold) for c in candidates(v))
    if op == "ne":
        eq = general_predicate("eq", value, fold)
        return lambda v: not eq(v)
    if op == "in":
        options = list(value)
        return lambda v: any(json_eq(c, x, fold) for c in candidates(v) for x in options)
    if op == "nin":
        in_ = general_predicate("in", value, fold)
        return lambda v: not in_(v)
    if op in _ORDER:
        return lambda v: any(ordered(op, c, value) for c in candidates(v))
    if op == "contains":
        return _contains(value, fold)
    if op in ("starts_with", "ends_with"):
        return _affix(op, value, fold)
    if op == "regex":
        program, _ = compile_regex(value, case_sensitive=not fold)
        search = regex_searcher(program) if program is not None else (lambda text: False)
        return lambda v: any(isinstance(c, str) and search(c) for c in candidates(v))
    if op == "text":
        text = text_matcher(value)
        return lambda v: any(isinstance(c, str) and text(c) for c in candidates(v))
    if op == "exists":
        return (lambda v: v is not MISSING) if value else (lambda v: v is MISSING)
    if op == "is_null":
        if value:
            return lambda v: v is MISSING or any(f is None for f in found_values(v))
        return lambda v: v is not MISSING and all(f is not None for f in found_values(v))
    raise ValueError(f"unknown operator {op!r}")


def _contains(value: Any, fold: bool) -> Predicate:
    needle = value.casefold() if fold and isinstance(value, str) else value

    def holds(f: Any) -> bool:
        if isinstance(f, str):
            if not isinstance(needle, str):
                return False
            return needle in (f.casefold() if fold else f)
        if isinstance(f, list):
            return any(json_eq(e, value, fold) for e in f)
        return False

    return lambda v: any(holds(f) for f in found_values(v))


def _affix(op: str, value: str, fold: bool) -> Predicate:
    needle = value.casefold() if fold else value
    if op == "starts_with":

        def test(c: str) -> bool:
            return (c.casefold() if fold else c).startswith(needle)

    else:

        def test(c: str) -> bool:
            return (c.casefold() if fold else c).endswith(needle)

    return lambda v: any(isinstance(c, str) and test(c) for c in candidates(v))
