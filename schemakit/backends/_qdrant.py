"""Filters as a ``qdrant_client.models.Filter`` over a payload equal to the record.

Qdrant reads ``a.b`` only through objects and ``a[].b`` only through arrays,
where a schemakit path steps into both; so a path is every spelling of ``[]``
on its inner steps, OR-ed (each record value is reached by exactly one). A
selected array is unwrapped one level, as schemakit's candidates are, so a
scalar test on a key is a test on the candidates. What Qdrant cannot state
exactly (case folding, string ordering, ``ends_with``, regex, word search as
``str.casefold`` splits it) goes to the residual.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from schemakit._contract import semantics
from schemakit._contract.operators import missing_rows
from schemakit._contract.paths import is_index
from schemakit.backends._plan import Atom, Plan, Pushed, Refused, Row, any_equal, build
from schemakit.backends._sql import MAX_SEGMENTS

_FLOAT_EXACT = 2**53


def _models() -> Any:
    from qdrant_client import models

    return models


def keys(segments: tuple[str, ...]) -> list[str]:
    """Every Qdrant key that reaches what ``segments`` reads: ``[]`` or not after each inner step."""
    quoted = [f'"{s}"' for s in segments]
    out = []
    for arrays in itertools.product(("", "[]"), repeat=len(segments) - 1):
        out.append(".".join(q + a for q, a in zip(quoted, (*arrays, ""), strict=True)))
    return out


class Qdrant:
    name = "qdrant"

    def __init__(self) -> None:
        self.m = _models()
        self.table: Mapping[str, Row] = QDRANT_TABLE

    def true(self) -> Any:
        return self.m.Filter()

    def false(self) -> Any:
        return self.m.Filter(must_not=[self.m.Filter()])

    def all_of(self, parts: list[Any]) -> Any:
        return parts[0] if len(parts) == 1 else self.m.Filter(must=parts)

    def any_of(self, parts: list[Any]) -> Any:
        if not parts:
            return self.false()
        return parts[0] if len(parts) == 1 else self.m.Filter(should=parts)

    def none_of(self, parts: list[Any]) -> Any:
        return self.m.Filter(must_not=parts) if parts else self.true()

    def path_problem(self, segments: tuple[str, ...]) -> str | None:
        if len(segments) > MAX_SEGMENTS:
            return f"a path of more than {MAX_SEGMENTS} segments"
        for s in segments:
            if is_index(s):
                return f"the list index {s!r} (Qdrant's [n] does not step into objects as schemakit's index does)"
            if '"' in s:
                return f"the key {s!r} holds a double quote, which a Qdrant key cannot spell"
        return None

    def on_keys(self, segments: tuple[str, ...], **condition: Any) -> Any:
        """The condition on every spelling of the path, OR-ed."""
        return self.any_of([self.m.FieldCondition(key=k, **condition) for k in keys(segments)])

    def equal(self, segments: tuple[str, ...], value: Any, fold: bool) -> Any | str:
        """A candidate equals ``value``, or why Qdrant cannot say it exactly."""
        m = self.m
        if value is None:
            return self.any_of([m.IsNullCondition(is_null=m.PayloadField(key=k)) for k in keys(segments)])
        if isinstance(value, bool):
            return self.on_keys(segments, match=m.MatchValue(value=value))
        if isinstance(value, (int, float)):
            if abs(value) > _FLOAT_EXACT:
                return "a number beyond 2**53, which Qdrant compares as a float"
            return self.on_keys(segments, range=m.Range(gte=value, lte=value))
        if isinstance(value, str):
            if semantics.instant(value) is not None:
                return "a date compares as an instant in any spelling"
            if fold:
                return "Qdrant has no case-insensitive match"
            return self.on_keys(segments, match=m.MatchValue(value=value))
        return "a list or object operand compares element by element"


def _row_eq(q: Qdrant, a: Atom) -> Pushed[Any] | Refused:
    got = q.equal(a.segments, a.value, a.fold)
    return Refused(got) if isinstance(got, str) else Pushed(got)


def _row_in(q: Qdrant, a: Atom) -> Pushed[Any] | Refused:
    return any_equal(q, a.value, lambda option: q.equal(a.segments, option, a.fold))


_RANGE = {"gt": "gt", "lt": "lt", "gte": "gte", "lte": "lte"}


def _row_ordering(q: Qdrant, a: Atom) -> Pushed[Any] | Refused:
    v = a.value
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return Refused("Qdrant orders numbers only (a string or date range reads differently)")
    if abs(v) > _FLOAT_EXACT:
        return Refused("a number beyond 2**53, which Qdrant compares as a float")
    return Pushed(q.on_keys(a.segments, range=q.m.Range(**{_RANGE[a.operator]: v})))


def _row_contains(q: Qdrant, a: Atom) -> Pushed[Any] | Refused:
    member = q.equal(a.segments, a.value, a.fold)
    if isinstance(member, str):
        return Refused(member)
    why = "Qdrant tests a found list's elements and a found scalar alike, where contains tests list membership"
    if isinstance(a.value, str):
        sub = q.on_keys(a.segments, match=q.m.MatchSubstring(substring=a.value))
        return Pushed(q.any_of([sub, member]), False, why + " (and substrings of the elements too)")
    return Pushed(member, False, why)


def _row_starts_with(q: Qdrant, a: Atom) -> Pushed[Any] | Refused:
    if a.fold:
        return Refused("Qdrant has no case-insensitive prefix match")
    return Pushed(q.on_keys(a.segments, match=q.m.MatchPrefix(prefix=a.value)))


def _refuse(why: str) -> Row:
    def row(q: Qdrant, a: Atom) -> Pushed[Any] | Refused:
        return Refused(why)

    return row


def _row_exists(q: Qdrant, a: Atom) -> Pushed[Any] | Refused:
    if a.value or len(a.segments) > 1:
        return Refused("Qdrant has no test of a key's presence that tells a null or [] from a missing key")
    m = q.m
    return Pushed(
        m.IsEmptyCondition(is_empty=m.PayloadField(key=keys(a.segments)[0])),
        False,
        "IsEmpty also holds for a present null or []",
    )


def _row_is_null(q: Qdrant, a: Atom) -> Pushed[Any] | Refused:
    if not a.value or len(a.segments) > 1:
        return Refused("Qdrant's IsNull also holds for a list holding null, and IsEmpty for []")
    m = q.m
    key = keys(a.segments)[0]
    return Pushed(
        q.any_of(
            [m.IsEmptyCondition(is_empty=m.PayloadField(key=key)), m.IsNullCondition(is_null=m.PayloadField(key=key))]
        ),
        False,
        "IsEmpty also holds for [] and IsNull for a list holding null",
    )


QDRANT_TABLE: Mapping[str, Row] = {
    "eq": _row_eq,
    "gt": _row_ordering,
    "lt": _row_ordering,
    "gte": _row_ordering,
    "lte": _row_ordering,
    "in": _row_in,
    "contains": _row_contains,
    "starts_with": _row_starts_with,
    "ends_with": _refuse("Qdrant has no suffix match"),
    "regex": _refuse("Qdrant has no regular expressions"),
    "exists": _row_exists,
    "is_null": _row_is_null,
    "text": _refuse("Qdrant's word match lower-cases where schemakit case-folds (Straße is strasse)"),
}
assert not missing_rows(QDRANT_TABLE), missing_rows(QDRANT_TABLE)


def to_qdrant(f: Any, *, schema: Any = None, context: Any = None) -> Plan:
    """A Qdrant plan for ``f``: ``plan.filter`` is a ``models.Filter`` (``models.Filter()`` when nothing is pushed)."""
    q = Qdrant()
    flt, residual, issues, parts = build(q, f, context)
    if not isinstance(flt, q.m.Filter):
        flt = q.m.Filter(must=[flt])
    return Plan("qdrant", residual, issues, parts, filter=flt)
