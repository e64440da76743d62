"""What each filter operator means on a record: the general predicates, over a path read by :mod:`.paths`.

Every evaluation backend states the same meaning: the compiled Python
matcher falls back to these predicates for everything its fast paths do not
cover (lists, fan-out, dates, subclasses, odd values), and the reference
interpreters of the tests restate them independently. A predicate takes what
:func:`schemakit._contract.paths.read` returns for a record (a value, a
:class:`~schemakit._contract.paths.FanOut` or :data:`ABSENT`) and answers a
boolean for any input.

Foreign Python values can make a comparison raise; each such condition is
handled where it arises, by name, never by catching everything:

* a string with a lone surrogate cannot be encoded for RE2 (``UnicodeEncodeError``):
  it matches no pattern;
* a ``datetime`` whose ``tzinfo`` gives no offset would compare as naive with
  an aware instant (``TypeError``): it is taken as UTC, like a naive one; a
  ``tzinfo`` whose offset is invalid (``ValueError``/``TypeError`` from
  ``utcoffset()``) makes the value no instant at all.

``re2`` is imported on first use, so reading this module (and the operator
table that names its predicates) loads no regex engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from schemakit._contract.paths import candidates, found_values
from schemakit._contract.sentinels import ABSENT
from schemakit._dates import as_instant, parse_date, parse_datetime

if TYPE_CHECKING:
    from collections.abc import Sequence

Predicate = Callable[[Any], bool]
"""A test of what a path read on a record: a value, a FanOut, or ABSENT."""


# -- equality, dates, ordering ------------------------------------------------------------------


def instant(value: Any) -> datetime | None:
    """A date/datetime object or an exact ISO date / RFC 3339 date-time string as an aware UTC instant."""
    if isinstance(value, (date, datetime)):
        if isinstance(value, datetime) and value.tzinfo is not None:
            try:
                offset = value.utcoffset()
            except (TypeError, ValueError):  # a foreign tzinfo returning a bad offset
                return None
            if offset is None:  # a tzinfo that gives no offset makes the value naive: UTC, as documented
                value = value.replace(tzinfo=None)
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


Compare = Callable[[Any, Any], bool]


def ordered(compare: Compare, a: Any, b: Any) -> bool:
    """``compare(a, b)`` within one kind (numbers, strings, booleans, dates); across kinds false."""
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


# -- regex and text -------------------------------------------------------------------------------


def compile_regex(pattern: str, *, case_sensitive: bool) -> tuple[Any, str | None]:
    """An RE2 program (linear time, so no pattern can hang) or the reason RE2 rejects it."""
    import re2

    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = case_sensitive
    try:
        return re2.compile(pattern, options), None
    except re2.error as exc:  # its message is sometimes bytes
        detail = exc.args[0] if exc.args else exc
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        return None, str(detail)
    except UnicodeEncodeError as exc:  # a lone surrogate in the pattern
        return None, str(exc)


def regex_searcher(program: Any) -> Predicate:
    """The unanchored search of a compiled RE2 program, over strings."""
    search = program.search

    def matches(text: str) -> bool:
        try:
            return search(text) is not None
        except UnicodeEncodeError:  # a string RE2 cannot encode (lone surrogates) matches nothing
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
    """Whether a string holds every term of the text search ``value`` as a word, and its phrases as runs."""
    terms, phrases = text_query(value)

    def matches(text: str) -> bool:
        found = words(text)
        if not terms.issubset(found):
            return False
        return all(_has_run(found, p) for p in phrases)

    return matches


def _has_run(found: Sequence[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    first = phrase[0]
    return any(found[i] == first and tuple(found[i : i + n]) == phrase for i in range(len(found) - n + 1))


# -- the predicates of the operators ------------------------------------------------------------------
#
# Each takes the operand as plain JSON (lists and dicts) and the case mode (``fold``: compare
# strings case-insensitively) and returns the predicate over a read path. The operator table
# names one per operator; a negation (``ne``, ``nin``) has none of its own.


def equals(value: Any, fold: bool) -> Predicate:
    return lambda v: any(json_eq(c, value, fold) for c in candidates(v))


def one_of(value: Any, fold: bool) -> Predicate:
    """Whether any candidate :func:`json_eq`-equals any option: hashed, so a long list is linear, not a product.

    The options of exact JSON scalar types go into sets keyed as ``json_eq``
    compares them: numbers by value (``1`` is ``1.0``), booleans apart from
    numbers, strings exactly or case-folded, date strings also as instants.
    A candidate of an exact scalar type is looked up there; anything else (a
    subclass, a date object, a list) and every other option are compared one
    by one with ``json_eq`` itself, so the meaning is exactly element-by-element.
    """
    strings: set[str] = set()
    numbers: set[int | float] = set()
    flags: set[bool] = set()
    instants: set[datetime] = set()
    rest: list[Any] = []
    has_null = False
    for x in value:
        kind = type(x)
        if x is None:
            has_null = True
        elif kind is bool:
            flags.add(x)
        elif kind is int or (kind is float and x == x):  # NaN equals nothing, so it never joins a set
            numbers.add(x)
        elif kind is str:
            strings.add(x.casefold() if fold else x)
            moment = instant(x)
            if moment is not None:
                instants.add(moment)
        elif kind is not float:
            rest.append(x)

    def hit(c: Any) -> bool:
        kind = type(c)
        if c is None:
            return has_null
        if kind is str:
            if (c.casefold() if fold else c) in strings:
                return True
            if instants:
                moment = instant(c)
                if moment is not None and moment in instants:
                    return True
        elif kind is bool:
            if c in flags:
                return True
        elif kind is int or kind is float:
            if c in numbers:
                return True
        elif kind is not dict and kind is not list:
            # a subclass or a foreign value: json_eq's own isinstance rules, against every option
            return any(json_eq(c, x, fold) for x in value)
        return any(json_eq(c, x, fold) for x in rest)

    return lambda v: any(hit(c) for c in candidates(v))


def ordering(compare: Compare) -> Callable[[Any, bool], Predicate]:
    """The predicate factory of one ordering comparison (``operator.gt`` ...): strings never fold."""

    def factory(value: Any, fold: bool) -> Predicate:
        return lambda v: any(ordered(compare, c, value) for c in candidates(v))

    return factory


def contains(value: Any, fold: bool) -> Predicate:
    """Substring on strings, element membership on lists, false on anything else."""
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


def starts_with(value: str, fold: bool) -> Predicate:
    needle = value.casefold() if fold else value

    def test(c: str) -> bool:
        return (c.casefold() if fold else c).startswith(needle)

    return lambda v: any(isinstance(c, str) and test(c) for c in candidates(v))


def ends_with(value: str, fold: bool) -> Predicate:
    needle = value.casefold() if fold else value

    def test(c: str) -> bool:
        return (c.casefold() if fold else c).endswith(needle)

    return lambda v: any(isinstance(c, str) and test(c) for c in candidates(v))


def matches_regex(value: str, fold: bool) -> Predicate:
    """RE2's unanchored search; ``fold`` sets RE2's case-insensitive option (the value is not folded)."""
    program, _ = compile_regex(value, case_sensitive=not fold)
    search = regex_searcher(program) if program is not None else (lambda text: False)
    return lambda v: any(isinstance(c, str) and search(c) for c in candidates(v))


def matches_text(value: str, fold: bool) -> Predicate:
    """Word search; always case-insensitive, whatever ``fold`` says."""
    text = text_matcher(value)
    return lambda v: any(isinstance(c, str) and text(c) for c in candidates(v))


def exists(value: bool, fold: bool) -> Predicate:
    return (lambda v: v is not ABSENT) if value else (lambda v: v is ABSENT)


def is_null(value: bool, fold: bool) -> Predicate:
    if value:
        return lambda v: v is ABSENT or any(f is None for f in found_values(v))
    return lambda v: v is not ABSENT and all(f is not None for f in found_values(v))
