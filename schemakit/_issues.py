"""The one diagnostic type every pillar reports with, and the errors that carry it.

Checks produce :class:`Issue` values; nothing in a check raises mid-walk. The
public entry points raise one of the :class:`SchemakitError` subclasses only
where the API says so (a schema that cannot be compiled, a filter that cannot
be parsed, a mapping with no value).
"""

from __future__ import annotations

import difflib
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


def did_you_mean(word: str, candidates: Iterable[str], *, limit: int = 3, cutoff: float = 0.6) -> list[str]:
    """Closest candidates to a misspelled ``word``, best first.

    A case-insensitive exact match wins outright; otherwise difflib's ratio,
    which prunes with cheap upper bounds before the full comparison, so a
    lookup stays linear in the number of candidates.
    """
    pool = [c for c in candidates if isinstance(c, str)]
    folded = word.casefold()
    exact = [c for c in pool if c.casefold() == folded and c != word]
    if exact:
        return exact[:limit]
    by_fold: dict[str, str] = {}
    for c in pool:
        by_fold.setdefault(c.casefold(), c)
    close = difflib.get_close_matches(folded, list(by_fold), n=limit, cutoff=cutoff)
    return [by_fold[c] for c in close]


def did_you_mean_hint(word: str, candidates: Iterable[str], *, limit: int = 3) -> str | None:
    """``"did you mean 'x'?"`` (or ``'x' or 'y'``) when something is close enough, else None."""
    close = did_you_mean(word, candidates, limit=limit)
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
