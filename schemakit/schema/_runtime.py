"""Helpers the generated validators call: slow-path type tests and issue builders.

Generated code inlines the common case (an exact ``str``/``int``/``dict``
class, an everyday ISO date, a typed blob with a URL) and calls these only
for the rest, so a valid object rarely leaves the generated function. The
builders own every message; generated code passes only the code, the path and
the offending value, never text.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from schemakit._contract.bucket import type_strict_equal
from schemakit._contract.types import FIELD_TYPES
from schemakit._issues import Issue, Path, Suggester, int_digits, suggestion_hint
from schemakit._issues import did_you_mean_hint as _did_you_mean_hint
from schemakit.schema._blobs import Problem, describe, key_prefix_problem

# Names are at most 255 characters; fuzzy-matching a multi-megabyte key would only burn time.
_MAX_HINT_WORD = 300

# CreateBlobRequest.property: minLength 1 and maxLength 100 in the contract.
MAX_BLOB_PROPERTY_LENGTH = 100

_DATE_LABEL = FIELD_TYPES["date"].label
_DATETIME_LABEL = FIELD_TYPES["datetime"].label


# A data set's mistakes repeat ("sandals" in every row of a bad export), and a fuzzy lookup costs tens
# of microseconds where the check of a valid object costs a few, so hints among a few names are
# remembered. The answer depends on the word and the names alone, so remembering changes no output.
_HINT_CACHE_MAX_NAMES = 64


@functools.lru_cache(maxsize=4096)
def _remembered_hint(word: str, names: tuple[str, ...]) -> str | None:
    return _did_you_mean_hint(word, names)


def did_you_mean_hint(word: str, candidates: Iterable[str]) -> str | None:
    if len(word) > _MAX_HINT_WORD:
        return None
    # the base methods: a str subclass's own __hash__ and __eq__ never run
    names = tuple(str.__str__(c) for c in candidates)
    if len(names) > _HINT_CACHE_MAX_NAMES:
        return _did_you_mean_hint(word, names)
    return _remembered_hint(str.__str__(word), names)


def as_plain(value: Any) -> Any:
    """pydantic models are accepted wherever a dict is; anything else is left for the checks to judge."""
    dump = getattr(value, "model_dump", None)
    if dump is not None and not isinstance(value, dict) and callable(dump):
        try:
            return dump(mode="python", exclude_unset=True, by_alias=True)
        except (TypeError, ValueError):
            # A model_dump of another library's making that takes other arguments (TypeError), or a
            # pydantic model whose values do not serialize (PydanticSerializationError is a ValueError):
            # judge the object as it is, which makes it "not an object".
            return value
    return value


def plain_is_valid(obj: Any, is_valid: Callable[[Any], bool]) -> bool:
    """``is_valid`` of a request that is not a dict: a pydantic model is judged by its dump."""
    plain = as_plain(obj)
    return plain is not obj and isinstance(plain, dict) and is_valid(plain)


# States of a date or datetime value: the generated code branches on these small ints.
OK, NAIVE, WRONG_TYPE, BAD_TEXT = 0, 1, 2, 3


# The same grammar as schemakit._dates, checked with integer comparisons instead of building
# date and datetime objects (three times faster); a property test pins the two together.
_DATE_TEXT = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z", re.ASCII).match
_DATETIME_TEXT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:([Zz])|[+-](\d{2}):(\d{2}))?\Z", re.ASCII
).match
_MONTH_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _real_day(year: int, month: int, day: int) -> bool:
    if year < 1 or not 1 <= month <= 12 or day < 1 or day > _MONTH_DAYS[month]:
        return False
    return not (month == 2 and day == 29 and (year % 4 != 0 or (year % 100 == 0 and year % 400 != 0)))


# Dates and date-times valid in every year (Feb 29 and the malformed go to the state functions): the
# generated code tries these first, one C call for the everyday value. A property test pins
# each to its state function.
_MONTH_DAY = r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
_YEAR = r"(?!0000)[0-9]{4}"
common_date = re.compile(_YEAR + "-" + _MONTH_DAY + r"\Z").match
common_datetime = re.compile(
    _YEAR
    + "-"
    + _MONTH_DAY
    + r"[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])\Z"
).match


def date_state(v: Any) -> int:
    if v.__class__ is str or isinstance(v, str):
        m = _DATE_TEXT(v)
        return OK if m is not None and _real_day(int(m[1]), int(m[2]), int(m[3])) else BAD_TEXT
    if isinstance(v, date) and not isinstance(v, datetime):
        return OK
    return WRONG_TYPE


def datetime_state(v: Any) -> int:
    if v.__class__ is str or isinstance(v, str):
        m = _DATETIME_TEXT(v)
        if (
            m is None
            or not _real_day(int(m[1]), int(m[2]), int(m[3]))
            or int(m[4]) > 23
            or int(m[5]) > 59
            or int(m[6]) > 59
        ):
            return BAD_TEXT
        if m[8] is not None:
            return OK if int(m[8]) <= 23 and int(m[9]) <= 59 else BAD_TEXT
        return OK if m[7] is not None else NAIVE
    if isinstance(v, datetime):
        return NAIVE if v.tzinfo is None else OK
    return WRONG_TYPE


def in_enum(v: Any, enum: tuple[Any, ...]) -> bool:
    if isinstance(v, date) and not isinstance(v, datetime):
        v = v.isoformat()
    return any(type_strict_equal(v, e) for e in enum)


def key_prefix_ok(kp: Any) -> bool:
    return key_prefix_problem(kp) is None


# --- issue builders (collect mode only) ---


def add_type_mismatch(issues: list[Issue], path: Path, expected: str, v: Any) -> None:
    issues.append(Issue("type_mismatch", path, f"expected {expected}, found {describe(v)}"))


def add_missing(issues: list[Issue], path: Path) -> None:
    issues.append(Issue("missing_required_field", path, f"required field {str(path[-1])!r} is missing (or null)"))


def add_missing_blob(issues: list[Issue], path: Path) -> None:
    issues.append(
        Issue(
            "missing_required_field",
            path,
            f"required file field {str(path[-1])!r} has no blob",
            hint=f'add a blob with "property": {json.dumps(str(path[-1]))}',
        )
    )


def add_enum_mismatch(issues: list[Issue], path: Path, v: Any, enum: tuple[Any, ...]) -> None:
    shown = ", ".join(describe(e).split(" ", 1)[-1] for e in enum[:10]) + (", ..." if len(enum) > 10 else "")
    hint = did_you_mean_hint(v, [e for e in enum if isinstance(e, str)]) if isinstance(v, str) else None
    issues.append(Issue("enum_mismatch", path, f"expected one of {shown}, found {describe(v)}", hint))


def add_date_issue(issues: list[Issue], path: Path, state: int, v: Any) -> None:
    if state == WRONG_TYPE:
        add_type_mismatch(issues, path, _DATE_LABEL, v)
    else:
        issues.append(
            Issue(
                "invalid_date",
                path,
                f"expected a calendar date YYYY-MM-DD, found {describe(v)}",
                hint="dates are written like 2024-01-05",
            )
        )


def add_datetime_issue(issues: list[Issue], path: Path, state: int, v: Any) -> None:
    if state == WRONG_TYPE:
        add_type_mismatch(issues, path, _DATETIME_LABEL, v)
    elif state == NAIVE:
        issues.append(
            Issue(
                "invalid_datetime",
                path,
                f"date-time {describe(v)} has no UTC offset; it is taken as UTC",
                hint="append 'Z' or an offset such as +02:00",
                severity="warning",
            )
        )
    else:
        issues.append(
            Issue(
                "invalid_datetime",
                path,
                f"expected an RFC 3339 date-time, found {describe(v)}",
                hint="date-times are written like 2024-01-05T10:30:00Z",
            )
        )


class Vocabulary(frozenset[str]):
    """The names an object of the schema may hold: a frozenset, whose did-you-mean index is built on first need.

    Generated code tests membership as on any frozenset; the index is built
    once per compiled schema, the first time an object holds an unknown name,
    and each object gets a session of it with its own budget of fuzzy lookups,
    so an object of thousands of misspelled keys costs a lookup per key.
    """

    __slots__ = ("_index",)
    _index: Suggester

    def suggester(self) -> Suggester:
        try:
            index = self._index
        except AttributeError:
            index = self._index = Suggester(sorted(self), budget=None)
        return index.session()


def add_unknown_fields(issues: list[Issue], path: Path, value: dict[Any, Any], known: frozenset[str]) -> None:
    index = known.suggester() if isinstance(known, Vocabulary) else Suggester(sorted(known))
    for k in value:
        if isinstance(k, str):
            k = str.__str__(k)  # a str subclass's own __hash__, __eq__ and __repr__ never run
        if k in known:
            continue
        seg = k if isinstance(k, str) else _key_text(k)
        hint = suggestion_hint(index.matches(k)) if isinstance(k, str) and len(k) <= _MAX_HINT_WORD else None
        issues.append(Issue("unknown_field", (*path, seg), f"unknown field {seg!r}", hint))


def _key_text(k: Any) -> str:
    # repr of a plain number or null, as before; anything else (a huge int, a foreign object) is described
    if k is None or isinstance(k, float) or (isinstance(k, int) and int_digits(k) <= 4300):
        return repr(k)
    return describe(k)


def add_request_issue(issues: list[Issue], path: Path, message: str) -> None:
    issues.append(Issue("invalid_request", path, message))


def add_not_an_object(issues: list[Issue], v: Any) -> None:
    issues.append(Issue("invalid_request", (), f"an object request must be an object, found {describe(v)}"))


def add_bad_blobs(issues: list[Issue], v: Any) -> None:
    issues.append(Issue("invalid_request", ("blobs",), f"'blobs' must be a list of blobs, found {describe(v)}"))


def add_bad_flag(issues: list[Issue], name: str, v: Any) -> None:
    issues.append(Issue("invalid_request", (name,), f"{name!r} must be true or false, found {describe(v)}"))


def add_key_prefix_issue(issues: list[Issue], kp: Any) -> None:
    message = key_prefix_problem(kp)
    if message is not None:
        code = "invalid_key_prefix" if isinstance(kp, str) else "invalid_request"
        issues.append(Issue(code, ("key_prefix",), message))


def add_blob_property_issue(issues: list[Issue], i: int, p: Any, files: Iterable[str]) -> None:
    path: Path = ("blobs", i, "property")
    if p is None:
        issues.append(Issue("invalid_request", path, "a blob needs a 'property' naming a file field of the schema"))
    elif not isinstance(p, str):
        issues.append(Issue("invalid_request", path, f"a blob 'property' must be a string, found {describe(p)}"))
    elif not str.__len__(p):
        issues.append(Issue("invalid_request", path, "a blob 'property' must not be empty; name a file field"))
    elif len(p) > MAX_BLOB_PROPERTY_LENGTH:
        issues.append(
            Issue(
                "invalid_request",
                path,
                f"a blob 'property' is {len(p)} characters long; at most {MAX_BLOB_PROPERTY_LENGTH} are allowed",
            )
        )
    else:
        names = list(files)
        hint = did_you_mean_hint(p, names)
        if hint is None:
            hint = "file fields: " + ", ".join(names) if names else "the schema has no file fields"
        issues.append(
            Issue("unknown_blob_property", path, f"blob property {p!r} is not a file field of the schema", hint)
        )


def add_duplicate_blob(issues: list[Issue], i: int, p: str) -> None:
    issues.append(
        Issue(
            "duplicate_blob_property",
            ("blobs", i, "property"),
            f"a second blob for property {p!r}, which takes one file",
            hint="declare the field as an array of files to accept several",
        )
    )


def add_blob_problems(issues: list[Issue], i: int, problems: tuple[Problem, ...]) -> None:
    for code, sub, message, hint in problems:
        issues.append(Issue(code, ("blobs", i, *sub), message, hint))


def add_file_not_blob(issues: list[Issue], name: str, ftype: str) -> None:
    issues.append(
        Issue(
            "file_field_not_blob",
            (name,),
            f"{name!r} is a file field ({ftype}); files are supplied as blobs, not as top-level keys",
            hint=f'move it into "blobs": [{{"property": {json.dumps(name)}, "data": ...}}]',
        )
    )


def add_missing_unique(issues: list[Issue], name: str) -> None:
    issues.append(
        Issue(
            "missing_unique_key",
            (name,),
            f"unique key field {name!r} is missing, null or empty",
            hint="every object needs a non-empty value for each unique key field",
        )
    )


def add_unique_too_long(issues: list[Issue], name: str, v: str) -> None:
    issues.append(
        Issue("unique_key_too_long", (name,), f"unique key value is {len(v)} characters; at most 255 are allowed")
    )


def has_error(issues: list[Issue]) -> bool:
    return any(i.severity == "error" for i in issues)
