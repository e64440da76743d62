"""Filters as a MongoDB query document.

MongoDB steps into arrays at every path step and tests the elements of a
found array, as schemakit's candidates do, so a path is one dotted key.
Equality with a number or a boolean is a range (``$gte``/``$lte``), since
comparisons keep to one type, so a boolean never equals a number; a present
null is ``{a: null}`` together with ``$exists`` (``{a: null}`` alone also
matches a missing ``a``). This target is verified against mongomock only (no MongoDB server
runs where the tests run); ``docs/backends.md`` lists mongomock's known
deviations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from schemakit._contract import semantics
from schemakit._contract.operators import missing_rows
from schemakit._contract.paths import is_index
from schemakit.backends._plan import Atom, Plan, Pushed, Refused, Row, any_equal, build

Query = dict[str, Any]
_EXACT_FLOAT = 2**53


class Mongo:
    name = "mongo"

    def __init__(self) -> None:
        self.table: Mapping[str, Row] = MONGO_TABLE

    def true(self) -> Query:
        return {}

    def false(self) -> Query:
        return {"_id": {"$exists": False}}

    def all_of(self, parts: list[Query]) -> Query:
        parts = [p for p in parts if p]
        if not parts:
            return {}
        return parts[0] if len(parts) == 1 else {"$and": parts}

    def any_of(self, parts: list[Query]) -> Query:
        if any(not p for p in parts):
            return {}
        if not parts:
            return self.false()
        return parts[0] if len(parts) == 1 else {"$or": parts}

    def none_of(self, parts: list[Query]) -> Query:
        if any(not p for p in parts):
            return self.false()
        return {"$nor": parts} if parts else {}

    def path_problem(self, segments: tuple[str, ...]) -> str | None:
        for s in segments:
            if is_index(s):
                return f"the list index {s!r} (MongoDB reads a digit step as an index or a key, by the data)"
            if "." in s or s.startswith("$") or "\x00" in s:
                return f"the key {s!r} holds a dot, a leading $ or a NUL, which a MongoDB path cannot spell"
        return None

    def equal(self, key: str, value: Any, fold: bool) -> Query | str:
        if value is None:
            if "." in key:
                # {"a.b": null} also holds when an element of a lacks b
                return "a null below a step that may fan out (MongoDB reads a missing key there as null)"
            return {"$and": [{key: None}, {key: {"$exists": True}}]}
        if isinstance(value, (bool, int, float)):
            if not isinstance(value, bool) and abs(value) > _EXACT_FLOAT:
                return "a number beyond 2**53"
            # a range, not {key: v}: comparisons keep to one type (1 is 1.0, never true), as MongoDB's do
            return {key: {"$gte": value, "$lte": value}}
        if isinstance(value, str):
            if semantics.instant(value) is not None:
                return "a date compares as an instant in any spelling"
            if fold:
                return "MongoDB's case-insensitive regex folds case differently from str.casefold() (Straße)"
            if "\x00" in value:
                return "a NUL character in a value"
            return {key: value}
        return "a list or object operand compares element by element"


def _key(a: Atom) -> str:
    return ".".join(a.segments)


def _row_eq(m: Mongo, a: Atom) -> Pushed[Query] | Refused:
    got = m.equal(_key(a), a.value, a.fold)
    return Refused(got) if isinstance(got, str) else Pushed(got)


def _row_in(m: Mongo, a: Atom) -> Pushed[Query] | Refused:
    return any_equal(m, a.value, lambda option: m.equal(_key(a), option, a.fold))


_OPS = {"gt": "$gt", "lt": "$lt", "gte": "$gte", "lte": "$lte"}


def _row_ordering(m: Mongo, a: Atom) -> Pushed[Query] | Refused:
    v = a.value
    if isinstance(v, bool):
        return Refused("booleans do not order in MongoDB as they do in Python")
    if isinstance(v, (int, float)):
        if abs(v) > _EXACT_FLOAT:
            return Refused("a number beyond 2**53")
        return Pushed({_key(a): {_OPS[a.operator]: v}})
    if semantics.instant(v) is not None:
        return Refused("a date orders as an instant against dates, by code point against other strings")
    if "\x00" in v:
        return Refused("a NUL character in a value")
    return Pushed({_key(a): {_OPS[a.operator]: v}})


def _row_contains(m: Mongo, a: Atom) -> Pushed[Query] | Refused:
    member = m.equal(_key(a), a.value, a.fold)
    if isinstance(member, str):
        return Refused(member)
    why = "MongoDB tests a found list's elements and a found scalar alike, where contains tests list membership"
    if isinstance(a.value, str):
        sub = {_key(a): {"$regex": re.escape(a.value)}}
        return Pushed(m.any_of([sub, member]), False, why + " (and substrings of the elements too)")
    return Pushed(member, False, why)


def _row_starts_with(m: Mongo, a: Atom) -> Pushed[Query] | Refused:
    if a.fold:
        return Refused("MongoDB's case-insensitive regex folds case differently from str.casefold() (Straße)")
    if "\x00" in a.value:
        return Refused("a NUL character in a value")
    return Pushed({_key(a): {"$regex": "^" + re.escape(a.value)}})


def _refuse(why: str) -> Row:
    def row(m: Mongo, a: Atom) -> Pushed[Query] | Refused:
        return Refused(why)

    return row


def _row_exists(m: Mongo, a: Atom) -> Pushed[Query] | Refused:
    present = {_key(a): {"$exists": True}}
    # NOT EXISTS is the negation of the presence test: {"a.b": {"$exists": false}} over a list of
    # objects is not that in mongomock (it holds when some element lacks b)
    return Pushed(present if a.value else {"$nor": [present]})


def _row_is_null(m: Mongo, a: Atom) -> Pushed[Query] | Refused:
    if not a.value:
        return Refused("MongoDB's null test also holds for a list holding null")
    # {a.b: null} alone misses an a that is [] (no element to hold b): $exists: false catches it
    either = {"$or": [{_key(a): None}, {_key(a): {"$exists": False}}]}
    return Pushed(either, False, "{a: null} also holds for a list holding null")


MONGO_TABLE: Mapping[str, Row] = {
    "eq": _row_eq,
    "gt": _row_ordering,
    "lt": _row_ordering,
    "gte": _row_ordering,
    "lte": _row_ordering,
    "in": _row_in,
    "contains": _row_contains,
    "starts_with": _row_starts_with,
    "ends_with": _refuse("a regex anchor at the end reads differently in PCRE and in Python (a final newline)"),
    "regex": _refuse("MongoDB's regular expressions are PCRE, not RE2"),
    "exists": _row_exists,
    "is_null": _row_is_null,
    "text": _refuse("MongoDB's $text needs a text index and stems words"),
}
assert not missing_rows(MONGO_TABLE), missing_rows(MONGO_TABLE)


def to_mongo(f: Any, *, schema: Any = None, context: Any = None) -> Plan:
    """A MongoDB plan for ``f``: ``plan.query`` is a query document (``{}`` when nothing is pushed)."""
    q, residual, issues, parts = build(Mongo(), f, context)
    return Plan("mongo", residual, issues, parts, query=q)
