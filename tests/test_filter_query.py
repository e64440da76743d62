"""query(): filters, search, sort and pagination as in the list-buckets request."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemakit import FilterError, query

BUCKETS: list[dict[str, Any]] = [
    {
        "bucket_id": "b1",
        "bucket_name": "Videos",
        "description": "Raw footage",
        "object_count": 10,
        "metadata": {"n": 3},
    },
    {"bucket_id": "b2", "bucket_name": "images", "description": "Stills", "object_count": 5, "metadata": {"n": 1}},
    {"bucket_id": "b3", "bucket_name": "Docs", "description": "PDF video notes", "object_count": 5},
    {"bucket_id": "b4", "bucket_name": "audio", "description": None, "object_count": 7, "metadata": {"n": 2}},
    {"bucket_id": "b5", "bucket_name": "Archive", "object_count": None, "metadata": {"n": 2}},
]


def ids(result: dict[str, Any]) -> list[str]:
    return [r["bucket_id"] for r in result["results"]]


def test_defaults() -> None:
    out = query(BUCKETS)
    assert ids(out) == ["b1", "b2", "b3", "b4", "b5"]
    assert out["pagination"] == {
        "total": 5,
        "page": 1,
        "page_size": 10,
        "total_pages": 1,
        "next_page": None,
        "previous_page": None,
    }


def test_filters_json_and_text() -> None:
    assert ids(query(BUCKETS, filters={"AND": [{"field": "object_count", "operator": "gte", "value": 7}]})) == [
        "b1",
        "b4",
    ]
    assert ids(query(BUCKETS, filters="bucket_name = 'VIDEOS' OR metadata.n = 1")) == ["b1", "b2"]


def test_case_sensitive_is_the_filter_default_and_governs_search() -> None:
    assert ids(query(BUCKETS, filters="bucket_name = 'videos'", case_sensitive=True)) == []
    assert ids(query(BUCKETS, filters={"bucket_name": "videos", "case_sensitive": False}, case_sensitive=True)) == [
        "b1"
    ]
    assert ids(query(BUCKETS, search="video")) == ["b1", "b3"]
    assert ids(query(BUCKETS, search="video", case_sensitive=True)) == ["b3"]
    assert ids(query(BUCKETS, search="b2", search_fields=("bucket_id",))) == ["b2"]
    assert ids(query(BUCKETS, search="")) == ["b1", "b2", "b3", "b4", "b5"]


def test_sort_is_stable_with_missing_last_both_ways() -> None:
    asc = query(BUCKETS, sort={"field": "object_count", "direction": "asc"})
    assert ids(asc) == ["b2", "b3", "b4", "b1", "b5"]
    desc = query(BUCKETS, sort={"field": "object_count", "direction": "desc"})
    assert ids(desc) == ["b1", "b4", "b2", "b3", "b5"]
    nested = query(BUCKETS, sort={"field": "metadata.n"})
    assert ids(nested) == ["b2", "b4", "b5", "b1", "b3"]
    nested_desc = query(BUCKETS, sort={"field": "metadata.n", "direction": "desc"})
    assert ids(nested_desc) == ["b1", "b4", "b5", "b2", "b3"]


def test_sort_mixed_kinds_never_raises() -> None:
    records = [{"v": "a"}, {"v": 2}, {"v": True}, {"v": [1]}, {"v": 1.5}, {}, {"v": {"x": 1}}, {"v": math.nan}]
    out = query(records, sort={"field": "v"}, limit=100)
    assert [r.get("v") for r in out["results"]][:4] == [1.5, 2, "a", True]


def test_pagination_fields() -> None:
    out = query(BUCKETS, limit=2, offset=2)
    assert ids(out) == ["b3", "b4"]
    assert out["pagination"] == {
        "total": 5,
        "page": 2,
        "page_size": 2,
        "total_pages": 3,
        "next_page": "4",
        "previous_page": "0",
    }
    last = query(BUCKETS, limit=2, offset=4)["pagination"]
    assert (last["next_page"], last["previous_page"], last["page"]) == (None, "2", 3)
    odd = query(BUCKETS, limit=2, offset=3)["pagination"]
    assert (odd["page"], odd["next_page"], odd["previous_page"]) == (2, None, "1")
    past = query(BUCKETS, limit=2, offset=50)
    assert past["results"] == [] and past["pagination"]["previous_page"] == "48"
    empty = query([], limit=3)["pagination"]
    assert (empty["total"], empty["total_pages"], empty["next_page"]) == (0, 0, None)


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"limit": 0}, ("limit",)),
        ({"limit": 1001}, ("limit",)),
        ({"limit": True}, ("limit",)),
        ({"limit": 2.0}, ("limit",)),
        ({"offset": -1}, ("offset",)),
        ({"offset": "1"}, ("offset",)),
    ],
)
def test_invalid_pagination(kwargs: dict[str, Any], path: tuple[str, ...]) -> None:
    with pytest.raises(FilterError) as info:
        query(BUCKETS, **kwargs)
    assert [(i.code, i.path) for i in info.value.issues] == [("invalid_pagination", path)]


def test_bad_sort_and_filters() -> None:
    with pytest.raises(FilterError):
        query(BUCKETS, sort={"field": "x", "direction": "up"})
    with pytest.raises(FilterError):
        query(BUCKETS, sort={"direction": "asc"})
    with pytest.raises(FilterError):
        query(BUCKETS, filters="a >")


@given(st.integers(0, 30), st.integers(1, 12), st.integers(0, 40))
def test_pagination_arithmetic(total: int, limit: int, offset: int) -> None:
    records = [{"bucket_id": str(i)} for i in range(total)]
    out = query(records, limit=limit, offset=offset)
    p = out["pagination"]
    assert out["results"] == records[offset : offset + limit]
    assert p["total"] == total and p["page"] == offset // limit + 1 and p["page_size"] == limit
    assert p["total_pages"] == math.ceil(total / limit)
    assert p["next_page"] == (str(offset + limit) if offset + limit < total else None)
    assert p["previous_page"] == (str(max(offset - limit, 0)) if offset > 0 else None)
