"""source.source_filters: checked with the filter pillar against the input schema plus system fields."""

from __future__ import annotations

from typing import Any

import pytest

from schemakit import resolve_collection
from schemakit.mappings import CollectionResolution

SCHEMA = {
    "properties": {
        "video": {"type": "video"},
        "title": {"type": "string"},
        "metadata": {"type": "object", "properties": {"status": {"type": "string"}, "views": {"type": "integer"}}},
    }
}
UPSTREAM = {"output_schema": {"properties": {"title": {"type": "string"}, "start_time": {"type": "float"}}}}


def with_filters(filters: Any, *, source: str = "bucket") -> CollectionResolution:
    if source == "bucket":
        src: dict[str, Any] = {"type": "bucket", "bucket_ids": ["b"]}
        mapping = {"video": "video"}
        extractor = "video_extractor"
    else:
        src = {"type": "collection", "collection_id": "c"}
        mapping = {"text": "title"}
        extractor = "text_extractor"
    src["source_filters"] = {"filters": filters}
    return resolve_collection(
        {
            "collection_name": "filtered",
            "source": src,
            "feature_extractor": {
                "feature_extractor_name": extractor,
                "version": "v1",
                "input_mappings": mapping,
            },
        },
        buckets={"b": {"bucket_schema": SCHEMA}},
        collections={"c": UPSTREAM},
    )


def cond(field: str, operator: str = "eq", value: Any = "x") -> dict[str, Any]:
    return {"AND": [{"field": field, "operator": operator, "value": value}]}


@pytest.mark.parametrize(
    "field",
    ["title", "metadata.status", "object_id", "key_prefix", "blobs.type", "blobs.property", "created_at", "status"],
)
def test_bucket_source_fields_and_system_fields(field: str) -> None:
    res = with_filters(cond(field))
    assert res.ok, res.issues


@pytest.mark.parametrize(
    "field",
    ["title", "start_time", "document_id", "collection_id", "root_bucket_id", "source_object_id", "__fully_custom"],
)
def test_collection_source_fields_and_system_fields(field: str) -> None:
    value: Any = 1.5 if field == "start_time" else "x"
    res = with_filters(cond(field, value=value), source="collection")
    assert res.ok, res.issues


def test_unknown_filter_field_is_located_under_source_filters() -> None:
    res = with_filters(cond("metadata.statsu"))
    (issue,) = res.issues
    assert issue.path == ("source", "source_filters", "filters", "AND", 0, "field")
    assert issue.hint is not None and "metadata.status" in issue.hint
    assert not res.ok


def test_bucket_system_fields_do_not_exist_on_collection_sources() -> None:
    res = with_filters(cond("object_id"), source="collection")
    assert not res.ok
    assert res.issues[0].path[:3] == ("source", "source_filters", "filters")
    res = with_filters(cond("__x"))
    assert not res.ok


def test_filter_text_is_checked_too() -> None:
    assert with_filters('title = "Launch"').ok
    bad = with_filters('titel = "Launch"')
    assert not bad.ok
    assert all(i.path[:3] == ("source", "source_filters", "filters") for i in bad.issues)


@pytest.mark.parametrize("filters", [None, {}])
def test_absent_or_empty_filters(filters: Any) -> None:
    assert with_filters(filters).ok


@pytest.mark.parametrize("filters", [3, [], [cond("title")], True])
def test_filters_of_the_wrong_kind(filters: Any) -> None:
    res = with_filters(filters)
    assert [(i.code, i.path) for i in res.issues] == [
        ("invalid_collection_request", ("source", "source_filters", "filters"))
    ]


def test_source_filters_must_be_an_object() -> None:
    res = resolve_collection(
        {
            "collection_name": "filtered",
            "source": {"type": "bucket", "bucket_ids": ["b"], "source_filters": ["x"]},
            "feature_extractor": {
                "feature_extractor_name": "video_extractor",
                "version": "v1",
                "input_mappings": {"video": "video"},
            },
        },
        buckets={"b": SCHEMA},
    )
    assert [(i.code, i.path) for i in res.issues] == [("invalid_collection_request", ("source", "source_filters"))]
