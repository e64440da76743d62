"""Evaluation catches nothing wholesale: each foreign value that can make a comparison raise is handled where it
arises, and an exception out of schemakit's own predicates surfaces instead of reading as "no match"."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

import pytest

from schemakit import parse_filter, query
from schemakit._contract import paths, semantics


class NoOffset(tzinfo):
    """A tzinfo that knows no offset: its datetimes are naive in all but name."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None


class BadOffset(tzinfo):
    """A tzinfo whose offset datetime itself refuses (ValueError from utcoffset())."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return timedelta(hours=30)

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None


def m(text: str, record: Any) -> bool:
    return parse_filter(text).matches(record)


def test_a_string_re2_cannot_encode_matches_no_pattern() -> None:
    assert m('a ~ "x"', {"a": "\ud800x"}) is False  # the fast path: a plain str
    assert m('a ~ "x"', {"a": ["\ud800x", "x"]}) is True  # the general predicate: list elements
    assert m('a ~ "x"', {"a": ["\udfff"]}) is False


def test_a_pattern_re2_cannot_encode_is_an_invalid_operand() -> None:
    assert semantics.compile_regex("\ud800", case_sensitive=True)[0] is None
    assert semantics.compile_regex("(a", case_sensitive=True)[1] == "missing ): (a"


def test_a_datetime_whose_tzinfo_gives_no_offset_compares_as_utc() -> None:
    naive_in_all_but_name = datetime(2024, 1, 15, 10, tzinfo=NoOffset())
    assert m('at > "2024-01-15T09:00:00Z"', {"at": naive_in_all_but_name}) is True
    assert m('at = "2024-01-15T10:00:00Z"', {"at": naive_in_all_but_name}) is True
    assert m('at < "2024-01-15"', {"at": naive_in_all_but_name}) is False


def test_a_datetime_whose_tzinfo_fails_is_no_date() -> None:
    broken = datetime(2024, 1, 15, tzinfo=BadOffset())
    assert semantics.instant(broken) is None
    assert m('at > "2024-01-14"', {"at": broken}) is False
    assert m('at != "2024-01-15"', {"at": [broken]}) is True


def test_sorting_mixes_such_datetimes_with_aware_ones() -> None:
    records = [
        {"at": datetime(2024, 1, 15, 12, tzinfo=UTC)},
        {"at": datetime(2024, 1, 15, 10, tzinfo=NoOffset())},
        {"at": datetime(2024, 1, 15, tzinfo=BadOffset())},
    ]
    out = query(records, sort={"field": "at"})
    assert [r["at"].hour for r in out["results"]] == [10, 12, 0]


def test_an_index_too_long_for_int_names_nothing() -> None:
    assert paths.step([1], "1" * 5000) is paths.ABSENT
    assert paths.step([0, 1], "0" * 5000 + "1") == 1
    assert m("a." + "9" * 5000 + " EXISTS", {"a": [1]}) is False


def test_a_bug_in_a_predicate_surfaces(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(a: Any, b: Any, fold: bool) -> bool:
        raise RuntimeError("a bug in schemakit")

    f = parse_filter("a = 1")
    deep = parse_filter({".".join(["a"] * 150): 1})  # too deep for generated code: the closure fallback
    monkeypatch.setattr(semantics, "json_eq", broken)
    assert f.matches({"a": 1}) is True  # the fast path never reaches the predicate
    with pytest.raises(RuntimeError, match="a bug in schemakit"):
        f.matches({"a": "1"})
    record: Any = "1"
    for _ in range(150):
        record = {"a": record}
    with pytest.raises(RuntimeError, match="a bug in schemakit"):
        deep.matches(record)


def test_a_mapping_that_raises_when_read_raises() -> None:
    class Failing(Mapping[str, Any]):
        def __getitem__(self, key: str) -> Any:
            raise OSError("storage gone")

        def __iter__(self) -> Iterator[str]:
            return iter(["a"])

        def __len__(self) -> int:
            return 1

    with pytest.raises(OSError, match="storage gone"):
        m("a = 1", Failing())


@pytest.mark.parametrize("operator", [[], {"x": 1}, 3, None])
def test_an_operator_of_any_kind_is_reported_not_raised(operator: Any) -> None:
    from schemakit import FilterError
    from schemakit.filters import Condition, Filter

    spec = {"AND": [{"field": "a", "operator": operator, "value": 1}]}
    if operator is None:  # null is the default operator
        assert parse_filter(spec).to_text() == "a = 1"
        return
    with pytest.raises(FilterError) as info:
        parse_filter(spec)
    assert [(i.code, i.path) for i in info.value.issues] == [("invalid_filter", ("AND", 0, "operator"))]
    with pytest.raises(FilterError) as info:
        Filter(Condition("a", operator, 1))
    assert [(i.code, i.path) for i in info.value.issues] == [("invalid_filter", ("AND", 0, "operator"))]
