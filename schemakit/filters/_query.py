"""``query``: the list-buckets request (filters, search, sort, pagination) over in-memory records."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from schemakit._contract.paths import FanOut, Segments, candidates, parse, path_problem, read
from schemakit._contract.results import ResultShape
from schemakit._contract.semantics import instant, is_number
from schemakit._contract.sentinels import ABSENT
from schemakit._contract.values import plain
from schemakit._issues import FilterError, Issue, describe
from schemakit.filters._filter import Filter, parse_filter

MAX_LIMIT = 1000
MAX_OFFSET = 2**63 - 1
_KEYS = ("results", "pagination")


@dataclass(frozen=True, eq=False)
class QueryResult(ResultShape, Mapping[str, Any]):
    """One page of a query: ``results`` and ``pagination``, with the result shape of every verdict.

    It reads as the dict ``query`` returned before it had a type:
    ``r["results"]``, ``r["pagination"]``, ``"results" in r`` and ``dict(r)``
    still work, and it compares equal to that dict. ``to_dict()`` is that
    dict with ``ok`` and ``issues`` first. A query that cannot run raises
    :class:`~schemakit.FilterError`, so a result is always ``ok``.
    """

    results: list[Any]
    pagination: dict[str, Any]
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(i.is_error for i in self.issues)

    def __getitem__(self, key: str) -> Any:
        if key not in _KEYS:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(_KEYS)

    def __len__(self) -> int:
        return len(_KEYS)

    def _payload(self) -> dict[str, Any]:
        return {"results": self.results, "pagination": self.pagination}


def query(
    records: Iterable[Any],
    *,
    filters: Filter | Mapping[str, Any] | str | None = None,
    sort: Mapping[str, Any] | None = None,
    search: str | None = None,
    search_fields: Iterable[str] = ("bucket_id", "bucket_name", "description"),
    case_sensitive: bool = False,
    limit: int = 10,
    offset: int = 0,
) -> QueryResult:
    """Filter, search, sort and page ``records`` as the list-buckets endpoint does.

    ``case_sensitive`` is the default for a filter that sets none and governs
    ``search``. Returns a :class:`QueryResult`, which reads as
    ``{"results": [...], "pagination": {...}}``.
    """
    fields = _search_paths(records, search_fields)
    _check_pagination(limit, offset)
    keys = _sort_spec(sort)
    flt = _effective_filter(filters, case_sensitive)
    needle = plain(search) if search else None
    if needle is not None and not isinstance(needle, str):
        raise FilterError([Issue("invalid_filter", ("search",), f"search must be a string, found {describe(search)}")])
    folded = needle.casefold() if needle is not None and not case_sensitive else needle

    match = flt.compile() if flt is not None else None
    kept = []
    for record in records:
        if match is not None and not match(record):
            continue
        if folded is not None and not _found(record, fields, folded, case_sensitive):
            continue
        kept.append(record)
    if keys is not None:
        kept = _sorted(kept, *keys)

    total = len(kept)
    return QueryResult(
        kept[offset : offset + limit],
        {
            "total": total,
            "page": offset // limit + 1,
            "page_size": limit,
            "total_pages": math.ceil(total / limit),
            "next_page": str(offset + limit) if offset + limit < total else None,
            "previous_page": str(max(offset - limit, 0)) if offset > 0 else None,
        },
    )


def _search_paths(records: Any, search_fields: Any) -> list[Segments]:
    """The parsed ``search_fields`` (read once, so an iterator works), after checking both arguments."""
    issues = []
    fields: list[Segments] = []
    if not isinstance(records, Iterable):
        issues.append(
            Issue(
                "invalid_argument", ("records",), f"records must be an iterable of records, found {describe(records)}"
            )
        )
    if not isinstance(search_fields, Iterable):
        issues.append(
            Issue(
                "invalid_argument",
                ("search_fields",),
                f"search_fields must be a list of dotted paths, found {describe(search_fields)}",
            )
        )
    else:
        for i, f in enumerate(search_fields):
            f = plain(f)
            problem = path_problem(f)
            if problem:
                issues.append(Issue("invalid_argument", ("search_fields", i), problem))
            else:
                fields.append(parse(f))
    if issues:
        raise FilterError(issues)
    return fields


def _check_pagination(limit: Any, offset: Any) -> None:
    issues = []
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        issues.append(
            Issue(
                "invalid_pagination",
                ("limit",),
                f"limit must be an integer from 1 to {MAX_LIMIT}, found {describe(limit)}",
            )
        )
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        issues.append(
            Issue("invalid_pagination", ("offset",), f"offset must be an integer >= 0, found {describe(offset)}")
        )
    elif offset > MAX_OFFSET:
        # the pagination names pages by their offset as a string: it must stay a printable integer
        issues.append(
            Issue(
                "invalid_pagination",
                ("offset",),
                f"offset must be an integer from 0 to {MAX_OFFSET}, found {describe(offset)}",
            )
        )
    if issues:
        raise FilterError(issues)


def _effective_filter(filters: Any, case_sensitive: bool) -> Filter | None:
    if filters is None:
        return None
    flt = parse_filter(filters)
    if flt.root.case_sensitive is None and case_sensitive:
        # the same conditions, so issues of dynamic values still point where they were written
        flt = Filter.from_checked(replace(flt.root, case_sensitive=True), flt._origin)
    return flt


def _sort_spec(sort: Any) -> tuple[tuple[str, ...], bool] | None:
    if sort is None:
        return None
    if not isinstance(sort, Mapping) or not isinstance(sort.get("field"), str) or not sort["field"]:
        raise FilterError(
            [
                Issue(
                    "invalid_filter",
                    ("sort",),
                    f"sort is {{'field': <dotted path>, 'direction': 'asc' | 'desc'}}, found {describe(sort)}",
                )
            ]
        )
    direction = sort.get("direction", "asc")
    if direction is None:
        direction = "asc"
    if direction not in ("asc", "desc"):
        raise FilterError(
            [
                Issue(
                    "invalid_filter",
                    ("sort", "direction"),
                    f"direction must be 'asc' or 'desc', found {describe(direction)}",
                )
            ]
        )
    return parse(sort["field"]), direction == "desc"


def _found(record: Any, fields: list[Segments], needle: str, case_sensitive: bool) -> bool:
    for segments in fields:
        for value in candidates(read(record, segments)):
            if isinstance(value, str) and needle in (value if case_sensitive else value.casefold()):
                return True
    return False


# Kinds sort in this order when a field mixes them; within a kind values compare naturally.
_NUMBER, _STRING, _BOOLEAN, _DATE, _OTHER = range(5)


def _sort_key(value: Any) -> tuple[int, Any]:
    if is_number(value) and value == value:  # NaN has no place in an order
        return (_NUMBER, value)
    if isinstance(value, str):
        return (_STRING, value)
    if isinstance(value, bool):
        return (_BOOLEAN, value)
    if isinstance(value, date):
        moment = instant(value)
        if moment is not None:
            return (_DATE, moment)
    return (_OTHER, 0)


def _sorted(records: list[Any], segments: Segments, descending: bool) -> list[Any]:
    """Stable sort by one path; records without a value (missing or null) go last in both directions."""
    present: list[tuple[tuple[int, Any], Any]] = []
    absent: list[Any] = []
    for record in records:
        value = read(record, segments)
        if isinstance(value, FanOut):
            value = value.values[0]
        if value is ABSENT or value is None:
            absent.append(record)
        else:
            present.append((_sort_key(value), record))
    present.sort(key=lambda pair: pair[0], reverse=descending)
    return [record for _, record in present] + absent
