"""CollectionResolution.map_object: values by path, fan-out, literals, renames, defaults, missing values."""

from __future__ import annotations

from typing import Any

import pytest

from schemakit import MappingError, resolve_collection
from schemakit.mappings import CollectionResolution, UnresolvedCollectionError

SCHEMA: dict[str, Any] = {
    "properties": {
        "video": {"type": "video"},
        "thumbnails": {"type": "array", "items": {"type": "image"}},
        "title": {"type": "string"},
        "views": {"type": "integer"},
        "live": {"type": "boolean"},
        "metadata": {
            "type": "object",
            "properties": {
                "author": {"type": "string"},
                "stats": {"type": "object", "properties": {"likes": {"type": "integer"}}},
            },
        },
        "chapters": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "speakers": {
                        "type": "array",
                        "items": {"type": "object", "properties": {"name": {"type": "string"}}},
                    },
                },
            },
        },
    }
}


def resolved(
    inputs: Any = None, passthrough: list[dict[str, Any]] | None = None, **extractor: Any
) -> CollectionResolution:
    fe: dict[str, Any] = {
        "feature_extractor_name": "multimodal_extractor",
        "version": "v1",
        "input_mappings": inputs if inputs is not None else {"video": "video"},
        "field_passthrough": passthrough or [],
        **extractor,
    }
    res = resolve_collection(
        {"collection_name": "videos", "source": {"type": "bucket", "bucket_ids": ["b"]}, "feature_extractor": fe},
        buckets={"b": {"bucket_schema": SCHEMA}},
    )
    assert res.ok, res.issues
    return res


BLOB = {"property": "video", "type": "video", "data": "s3://b/v.mp4"}


def test_file_field_gives_its_blob_dict() -> None:
    out = resolved().map_object({"blobs": [{"property": "other", "type": "image"}, BLOB]})
    assert out == {"inputs": {"video": BLOB}, "fields": {}}


def test_file_field_carried_by_a_document_is_read_directly() -> None:
    doc = {"video": {"url": "s3://b/v.mp4"}}
    assert resolved().map_object(doc)["inputs"]["video"] == {"url": "s3://b/v.mp4"}


def test_array_of_files_gives_every_matching_blob() -> None:
    res = resolved(passthrough=[{"source_path": "thumbnails"}])
    blobs = [{"property": "thumbnails", "data": "a"}, BLOB, {"property": "thumbnails", "data": "b"}]
    assert res.map_object({"blobs": blobs})["fields"] == {"thumbnails": [blobs[0], blobs[2]]}


@pytest.mark.parametrize("value", [0, False, "", [], {}])
def test_falsy_values_are_values(value: Any) -> None:
    res = resolved(inputs={"text": "title"}, passthrough=[{"source_path": "title", "required": True}])
    out = res.map_object({"title": value})
    assert out == {"inputs": {"text": value}, "fields": {"title": value}}


def test_null_is_not_a_value() -> None:
    res = resolved(inputs={"text": "title"}, passthrough=[{"source_path": "views", "required": True}])
    with pytest.raises(MappingError) as caught:
        res.map_object({"title": None, "views": None})
    issues = caught.value.issues
    assert [(i.code, i.path) for i in issues] == [
        ("missing_source_value", ("feature_extractor", "input_mappings", "text")),
        ("missing_source_value", ("feature_extractor", "field_passthrough", 0)),
    ]
    assert "'title'" in issues[0].message and "'views'" in issues[1].message
    assert isinstance(caught.value, ValueError)


def test_list_form_missing_value_points_at_the_entry_index() -> None:
    res = resolved(inputs=[{"input_key": "text", "path": "metadata.author"}])
    with pytest.raises(MappingError) as caught:
        res.map_object({"metadata": {}})
    assert caught.value.issues[0].path == ("feature_extractor", "input_mappings", 0)
    assert "'metadata.author'" in caught.value.issues[0].message


def test_nested_paths_flatten_and_rename() -> None:
    res = resolved(
        passthrough=[
            {"source_path": "metadata.author"},
            {"source_path": "metadata.stats.likes", "target_path": "likes_count"},
            {"source_path": "title", "target_path": "name"},
        ]
    )
    obj = {"blobs": [BLOB], "title": "T", "metadata": {"author": "Ada", "stats": {"likes": 0}}}
    assert res.map_object(obj)["fields"] == {"author": "Ada", "likes_count": 0, "name": "T"}


def test_intermediate_of_the_wrong_type_is_missing_not_a_crash() -> None:
    res = resolved(passthrough=[{"source_path": "metadata.author"}, {"source_path": "chapters.title"}])
    out = res.map_object({"blobs": [BLOB], "metadata": "not an object", "chapters": {"title": "x"}})
    assert out["fields"] == {}


def test_fan_out_through_arrays_of_objects() -> None:
    res = resolved(
        inputs={"video": "video", "text": "chapters.title"},
        passthrough=[
            {"source_path": "chapters.title", "target_path": "chapter_titles"},
            {"source_path": "chapters.speakers.name", "target_path": "speaker_names"},
        ],
    )
    obj = {
        "blobs": [BLOB],
        "chapters": [
            {"title": "intro", "speakers": [{"name": "Ada"}, {"name": None}, {}]},
            {"title": None, "speakers": [{"name": "Grace"}]},
            {},
            None,
            {"title": "", "speakers": None},
        ],
    }
    out = res.map_object(obj)
    assert out["inputs"]["text"] == ["intro", ""]
    assert out["fields"] == {"chapter_titles": ["intro", ""], "speaker_names": ["Ada", "Grace"]}


def test_fan_out_over_a_present_empty_array_is_an_empty_list() -> None:
    res = resolved(passthrough=[{"source_path": "chapters.title", "required": True}])
    assert res.map_object({"blobs": [BLOB], "chapters": []})["fields"] == {"title": []}
    with pytest.raises(MappingError):
        res.map_object({"blobs": [BLOB]})


def test_literal_overrides() -> None:
    res = resolved(
        inputs=[
            {"input_key": "video", "path": "video"},
            {"input_key": "text", "source_type": "literal", "override": {"lang": ["en"]}, "path": "title"},
            {"input_key": "audio", "source_type": "literal", "override": 0},
        ]
    )
    first = res.map_object({"blobs": [BLOB], "title": "ignored"})
    assert first["inputs"] == {"video": BLOB, "text": {"lang": ["en"]}, "audio": 0}
    first["inputs"]["text"]["lang"].append("fr")
    assert res.map_object({"blobs": [BLOB]})["inputs"]["text"] == {"lang": ["en"]}


def test_defaults_fill_missing_optional_fields_and_are_copied() -> None:
    res = resolved(
        passthrough=[
            {"source_path": "title", "default": "untitled"},
            {"source_path": "views"},
            {"source_path": "tags", "default": []},
            {"source_path": "live", "required": True, "default": False},
        ]
    )
    out = res.map_object({"blobs": [BLOB], "views": None})
    assert out["fields"] == {"title": "untitled", "tags": [], "live": False}
    out["fields"]["tags"].append("x")
    assert res.map_object({"blobs": [BLOB]})["fields"]["tags"] == []
    assert res.map_object({"blobs": [BLOB], "title": "T", "live": True})["fields"] == {
        "title": "T",
        "tags": [],
        "live": True,
    }


def test_include_all_source_fields() -> None:
    res = resolved(
        include_all_source_fields=True,
        passthrough=[
            {"source_path": "title", "target_path": "name", "default": "?"},
            {"source_path": "metadata.author"},
        ],
    )
    obj = {"blobs": [BLOB], "views": 0, "metadata": {"author": "Ada"}, "unknown": "not in the schema"}
    assert res.map_object(obj)["fields"] == {
        "video": BLOB,
        "name": "?",
        "views": 0,
        "metadata": {"author": "Ada"},
        "author": "Ada",
    }


def test_map_object_on_a_failed_resolution_raises_a_clear_error() -> None:
    res = resolve_collection({"collection_name": "x"}, buckets={})  # missing source and extractor: not ok
    with pytest.raises(UnresolvedCollectionError, match="did not resolve") as caught:
        res.map_object({})
    assert caught.value.issues == res.errors
    assert not isinstance(caught.value, MappingError)


@pytest.mark.parametrize("bad", [None, [], "obj", 3])
def test_non_object_source_raises_mapping_error(bad: Any) -> None:
    with pytest.raises(MappingError) as caught:
        resolved().map_object(bad)
    assert caught.value.issues[0].code == "invalid_source_object"


def test_mapper_is_compiled_once() -> None:
    res = resolved()
    res.map_object({"blobs": [BLOB]})
    mapper = res._mapper
    res.map_object({"blobs": [BLOB]})
    assert res._mapper is mapper is not None
