"""The one diagnostic type every pillar reports with, and the errors that carry it.

Checks produce :class:`Issue` values; nothing in a check raises mid-walk. The
public entry points raise one of the :class:`SchemakitError` subclasses only
where the API says so (a schema that cannot be compiled, a filter that cannot
be parsed, a mapping with no value).
"""

from __future__ import annotations

import bisect
import difflib
import heapq
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from schemakit._contract.paths import json_pointer

__all__ = ["Issue", "json_pointer"]

PathSegment = str | int
Path = tuple[PathSegment, ...]
Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding: a stable ``code``, where it is (``path``), what is wrong and how to fix it."""

    code: str
    path: Path
    message: str
    hint: str | None = None
    severity: Severity = "error"

    @property
    def pointer(self) -> str:
        return json_pointer(self.path)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "path": list(self.path),
            "pointer": self.pointer,
            "message": self.message,
            "hint": self.hint,
            "severity": self.severity,
        }

    def prefixed(self, *prefix: PathSegment) -> Issue:
        """The same issue, located under ``prefix`` (used when a sub-document is checked alone)."""
        return Issue(self.code, (*prefix, *self.path), self.message, self.hint, self.severity)

    def __str__(self) -> str:
        where = self.pointer or "/"
        text = f"{where}: {self.code}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class SchemakitError(ValueError):
    """Base of the documented errors; ``issues`` says everything that was wrong."""

    def __init__(self, issues: Iterable[Issue], message: str | None = None) -> None:
        self.issues: list[Issue] = list(issues)
        if message is None:
            message = "; ".join(str(i) for i in self.issues) or self.__class__.__name__
        super().__init__(message)


class SchemaDefinitionError(SchemakitError):
    """A bucket_schema (or unique_key) that cannot be compiled."""


class FilterError(SchemakitError):
    """A filter that cannot be parsed or evaluated; ``line``/``column`` are set for text syntax errors."""

    def __init__(
        self,
        issues: Iterable[Issue],
        message: str | None = None,
        *,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(issues, message)
        self.line = line
        self.column = column


class MappingError(SchemakitError):
    """A source object that lacks a value a resolved collection needs."""


MAX_SUGGESTED = 20
"""How many unknown names one check offers a fuzzy "did you mean" for.

A check that meets thousands of unknown names (an object of misspelled keys,
a filter of unknown fields) would otherwise compare each with every
candidate; past this many, a name still gets its case-insensitive match (a
dictionary lookup) but no fuzzy one.
"""


MAX_CACHED = 1024
"""Lookups one :class:`Suggester` remembers (a repeated misspelling is answered from memory)."""


class Suggester:
    """The candidates of one call site, indexed once for any number of "did you mean" lookups.

    Candidates are case-folded once and bucketed by length: difflib's
    ``real_quick_ratio`` depends on the two lengths alone, so a lookup visits
    only the buckets that can reach the cutoff, then prunes with
    ``quick_ratio`` before the full ``ratio``. A check builds one per set of
    candidates and asks it about every unknown name; after ``budget`` fuzzy
    lookups (``None``: no bound) it answers only case-insensitive matches,
    which cost a dictionary lookup. Answers are cached per word.

    Two readings of "closest", both from the same scores:
    :meth:`matches` is :func:`did_you_mean` (the best ``limit`` matches, as
    ``difflib.get_close_matches`` orders them); :meth:`nearest` keeps only the
    best match and those within ``tie`` of it, in candidate order, which keeps
    a hint short (``metadata.titel`` suggests ``metadata.title`` alone).
    """

    __slots__ = ("_budget", "_by_length", "_folds", "_lengths", "_ranks", "fuzzy_lookups")

    def __init__(self, candidates: Iterable[object], *, budget: int | None = MAX_SUGGESTED) -> None:
        folds: dict[str, list[tuple[int, str]]] = {}
        for index, candidate in enumerate(candidates):
            if isinstance(candidate, str):
                # the base methods: a str subclass's own overrides are never run
                plain = str.__str__(candidate)
                folds.setdefault(str.casefold(plain), []).append((index, plain))
        by_length: dict[int, list[str]] = {}
        for folded in folds:
            by_length.setdefault(len(folded), []).append(folded)
        self._folds = folds
        self._by_length = by_length
        self._lengths = sorted(by_length)
        self._budget = budget
        self._ranks: dict[tuple[str, float], list[tuple[float, str]]] = {}
        self.fuzzy_lookups = 0
        """How many lookups compared scores so far (cached repeats excluded)."""

    def session(self, *, budget: int | None = MAX_SUGGESTED) -> Suggester:
        """The same index with a budget of its own: built once (when a schema compiles), asked per check.

        A compiled schema keeps one index of its field names; each validation
        takes a session, so every object gets its first ``budget`` fuzzy
        suggestions, and no object spends another's.
        """
        fresh = Suggester.__new__(Suggester)
        fresh._folds, fresh._by_length, fresh._lengths = self._folds, self._by_length, self._lengths
        fresh._budget = budget
        fresh._ranks = {}
        fresh.fuzzy_lookups = 0
        return fresh

    @property
    def exhausted(self) -> bool:
        """True once the budget of fuzzy lookups is spent: later words get case-insensitive matches only."""
        return self._budget is not None and self.fuzzy_lookups >= self._budget

    def matches(self, word: str, *, limit: int = 3, cutoff: float = 0.6) -> list[str]:
        """:func:`did_you_mean` over these candidates."""
        folded = str.casefold(word)
        same = self._folds.get(folded, ())
        exact = [c for _, c in same if c != word]
        if exact:
            return exact[:limit]
        ranked = self._ranked(folded, cutoff)
        if ranked is None:
            return []
        # only ``word`` itself has its fold: difflib, given it, ranks it first (ratio 1.0)
        top: list[tuple[float, str]] = [(1.0, folded)] if same else []
        if ranked:
            top = self._best(folded, ranked, top, limit, cutoff)
        # get_close_matches' order: score, then the candidate's text, both descending
        return [self._folds[f][0][1] for _, f in sorted(top, reverse=True)]

    @staticmethod
    def _best(
        folded: str, ranked: list[tuple[float, str]], top: list[tuple[float, str]], limit: int, cutoff: float
    ) -> list[tuple[float, str]]:
        """The best ``limit`` ``(ratio, fold)`` pairs, ``top`` included, as a heap."""
        matcher = _matcher(folded)
        for bound, other in ranked:
            if len(top) >= limit and bound < top[0][0]:
                break  # ratio never exceeds quick_ratio: no later candidate can enter the best ``limit``
            matcher.set_seq1(other)
            item = (matcher.ratio(), other)
            if item[0] < cutoff:
                continue
            if len(top) < limit:
                heapq.heappush(top, item)
            elif item > top[0]:
                heapq.heapreplace(top, item)
        return top

    def hint(self, word: str, *, limit: int = 3) -> str | None:
        """:func:`did_you_mean_hint` over these candidates."""
        return suggestion_hint(self.matches(word, limit=limit))

    def nearest(self, word: str, *, limit: int = 3, cutoff: float = 0.6, tie: float = 0.05) -> list[str]:
        """The best match and only those within ``tie`` of it, in candidate order; a case-insensitive match alone.

        ``word`` itself is never offered.
        """
        folded = str.casefold(word)
        for _, candidate in self._folds.get(folded, ()):
            if candidate != word:
                return [candidate]
        ranked = self._ranked(folded, cutoff)
        if not ranked:
            return []
        matcher = _matcher(folded)
        scored: list[tuple[float, str]] = []
        best = 0.0
        for bound, other in ranked:
            if scored and bound < best - tie:
                break  # ratio never exceeds quick_ratio: no later candidate comes within ``tie`` of the best
            matcher.set_seq1(other)
            score = matcher.ratio()
            if score >= cutoff:
                scored.append((score, other))
                best = max(best, score)
        near = sorted(
            (-score, index, candidate)
            for score, f in scored
            if score >= best - tie
            for index, candidate in self._folds[f]
        )
        return [candidate for _, _, candidate in near[:limit]]

    def _ranked(self, folded: str, cutoff: float) -> list[tuple[float, str]] | None:
        """``(quick_ratio, fold)`` of every other fold whose cheap bounds reach ``cutoff``, highest bound first.

        None past the budget. The full ratio, the costly part, is then computed
        in this order only until no later candidate can change the answer.
        """
        key = (folded, cutoff)
        found = self._ranks.get(key)
        if found is not None:
            return found
        if self.exhausted:
            return None
        self.fuzzy_lookups += 1
        n = len(folded)
        # real_quick_ratio is 2*min(n, m)/(n + m): only lengths m in [c*n/(2-c), n*(2-c)/c] can reach
        # the cutoff c; one length either side is visited so float rounding never drops a candidate
        low = math.floor(cutoff * n / (2 - cutoff)) - 1
        high = math.ceil(n * (2 - cutoff) / cutoff) + 1 if cutoff > 0 else math.inf
        start = bisect.bisect_left(self._lengths, low)
        matcher: difflib.SequenceMatcher[str] | None = None
        found = []
        for length in itertools.islice(self._lengths, start, None):
            if length > high:
                break
            if matcher is None:
                # built only when some length can reach the cutoff: a 10 MB word near short names indexes nothing
                matcher = _matcher(folded)
            for other in self._by_length[length]:
                if other == folded:
                    continue
                matcher.set_seq1(other)
                if matcher.real_quick_ratio() >= cutoff:
                    bound = matcher.quick_ratio()
                    if bound >= cutoff:
                        found.append((bound, other))
        found.sort(key=_bound, reverse=True)
        if len(self._ranks) >= MAX_CACHED:
            self._ranks.clear()  # an index without a budget, kept for long, must not grow without bound
        self._ranks[key] = found
        return found


def _matcher(word: str) -> difflib.SequenceMatcher[str]:
    # the word is difflib's second sequence, as in get_close_matches: its index is built once per lookup
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    return matcher


def _bound(item: tuple[float, str]) -> float:
    return item[0]


def did_you_mean(word: str, candidates: Iterable[str], *, limit: int = 3, cutoff: float = 0.6) -> list[str]:
    """Closest candidates to a misspelled ``word``, best first.

    A case-insensitive exact match wins outright; otherwise difflib's ratio,
    which prunes with cheap upper bounds before the full comparison. One
    lookup; a caller with many unknown names builds one :class:`Suggester`
    and asks it each time, which indexes the candidates once and bounds the
    fuzzy lookups.
    """
    return Suggester(candidates, budget=None).matches(word, limit=limit, cutoff=cutoff)


def did_you_mean_hint(word: str, candidates: Iterable[str], *, limit: int = 3) -> str | None:
    """``"did you mean 'x'?"`` (or ``'x' or 'y'``) when something is close enough, else None."""
    return suggestion_hint(did_you_mean(word, candidates, limit=limit))


def suggestion_hint(close: list[str]) -> str | None:
    """The wording of every did-you-mean hint: ``"did you mean 'x' or 'y'?"``, None for no suggestion."""
    if not close:
        return None
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def describe(value: Any) -> str:
    """A short, safe description of a found value for messages: its JSON kind and a clipped repr.

    Total over every Python value: an integer past the interpreter's digit
    limit is described by its length, a value whose ``__repr__`` raises by its kind.
    """
    kind = json_kind(value)
    if kind in ("object", "array"):
        return kind
    try:
        text = repr(value)
    except ValueError:
        if isinstance(value, int):  # past sys.get_int_max_str_digits(): repr refuses to convert it
            return f"an integer of {int_digits(value)} digits"
        return f"{kind} (unprintable)"
    except Exception:  # a foreign object's own __repr__ may raise anything; the message must still be built
        return f"{kind} (unprintable)"
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{kind} {text}"


def int_digits(value: int) -> int:
    """How many decimal digits ``value`` has, without converting it to text (which may be refused)."""
    if value == 0:
        return 1
    digits = int(math.log10(abs(value))) + 1
    # log10 is a float: correct its rounding at the boundaries by exact comparison
    if abs(value) >= 10**digits:
        digits += 1
    elif abs(value) < 10 ** (digits - 1):
        digits -= 1
    return digits


def json_kind(value: Any) -> str:
    """The JSON type name of a Python value (``"boolean"``, ``"integer"``, ...), or its Python type name."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return type(value).__name__
