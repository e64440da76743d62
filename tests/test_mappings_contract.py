"""The resolver on the contract core: paths, type names, the one result shape, its error, its layering."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from schemakit import MappingError, SchemakitError, resolve_collection, resolve_pipeline
from schemakit._contract.types import FIELD_TYPES
from schemakit.mappings import (
    CollectionResolution,
    ExtractorRegistry,
    PipelineResolution,
    UnresolvedCollectionError,
    not_found_message,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pipelines"

SCHEMA: dict[str, Any] = {
    "properties": {
        "title": {"type": "string"},
        "photo": {"type": "image"},
        "loose": {"type": "object"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "grid": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
        "chapters": {
            "type": "array",
            "items": {"type": "object", "properties": {"title": {"type": "string"}, "page": {"type": "integer"}}},
        },
    }
}


def request(passthrough: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    fe: dict[str, Any] = {
        "feature_extractor_name": "text_extractor",
        "version": "v1",
        "input_mappings": {"text": "title"},
        "field_passthrough": passthrough,
    }
    fe.update(extra)
    return {"collection_name": "texts", "source": {"type": "bucket", "bucket_ids": ["b"]}, "feature_extractor": fe}


def resolve(passthrough: list[dict[str, Any]], **extra: Any) -> CollectionResolution:
    return resolve_collection(request(passthrough, **extra), buckets={"b": {"bucket_schema": SCHEMA}})


# --- source paths ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "chapters.0.title",  # an index into an array: a source field is never one element
        "chapters[0].title",  # the other spelling of the same index
        "tags.0",
        "photo.url",  # below a file field: open, no type to give the output
        "loose.anything",  # below an object without declared properties: open as well
        "title.length",
        "chapters..title",
        "chapters.title.",
    ],
)
def test_indexed_open_and_malformed_source_paths_are_not_found(path: str) -> None:
    res = resolve([{"source_path": path}])
    (issue,) = res.issues
    assert issue.code == "source_field_not_found"
    assert issue.path == ("feature_extractor", "field_passthrough", 0, "source_path")
    assert issue.message == not_found_message(path)


def test_fan_out_paths_give_an_array_field_and_read_every_element() -> None:
    res = resolve([{"source_path": "chapters.page", "target_path": "pages"}])
    assert res.ok, res.issues
    assert res.output_schema["properties"]["pages"] == {"type": "array", "items": {"type": "integer"}}
    obj = {"title": "t", "chapters": [{"page": 1}, {"page": None}, {}, {"page": 0}]}
    assert res.map_object(obj)["fields"] == {"pages": [1, 0]}


def test_a_digit_key_of_a_source_object_is_read_as_a_name() -> None:
    res = resolve([{"source_path": "loose"}])
    assert res.map_object({"title": "t", "loose": {"0": "zero"}})["fields"] == {"loose": {"0": "zero"}}


def test_suggestions_come_from_every_declared_path() -> None:
    (issue,) = resolve([{"source_path": "chapters.pgae"}]).issues
    assert issue.hint == "did you mean 'chapters.page'?"


def test_input_schema_types_are_compared_with_their_array_levels() -> None:
    req = request([])
    req["input_schema"] = {"properties": {"grid": {"type": "array", "items": {"type": "string"}}}}
    res = resolve_collection(req, buckets={"b": {"bucket_schema": SCHEMA}})
    messages = [i.message for i in res.issues if i.code == "incompatible_input_schema"]
    assert messages == ["input_schema field 'grid' is array of string but the source field is array of array of string"]


# --- type names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("default", "ftype"),
    [
        (True, "boolean"),
        (3, "integer"),
        (3.0, "float"),
        ("x", "string"),
        ("2024-01-05", "string"),
        ([], "array"),
        ({}, "object"),
        (datetime.datetime(2024, 1, 5, 10, 0), "datetime"),
        (datetime.date(2024, 1, 5), "date"),
    ],
)
def test_a_default_types_its_output_field_by_its_own_kind(default: Any, ftype: str) -> None:
    res = resolve([{"source_path": "absent", "target_path": "filled", "default": default}])
    assert res.ok, res.issues
    assert res.output_schema["properties"]["filled"] == {"type": ftype}
    assert ftype in FIELD_TYPES


def test_extractor_input_types_are_the_field_type_names() -> None:
    definition = {
        "feature_extractor_name": "typed",
        "version": "v1",
        "input_schema": {"properties": {"x": {"type": " Image ", "accepts": ["STRING", "str"]}}},
        "output_schema": {"properties": {}},
    }
    with pytest.raises(SchemakitError) as caught:
        ExtractorRegistry.builtin().with_definitions(definition)
    (issue,) = caught.value.issues
    assert issue.path == ("input_schema", "properties", "x", "accepts")
    assert issue.message == "string 'str' is not a field type"
    assert issue.hint == "field types: " + ", ".join(FIELD_TYPES)
    definition["input_schema"]["properties"]["x"]["accepts"] = ["STRING", "image"]
    read = ExtractorRegistry.builtin().with_definitions(definition).get("typed", "v1")
    assert read is not None and read.inputs["x"].accepts == ("image", "string")


# --- the unknown version hint ---------------------------------------------------------------------


def test_an_unknown_version_names_the_extractor_and_all_its_versions() -> None:
    registry = ExtractorRegistry.builtin().with_definitions(FIXTURES / "custom_extractors.json")
    assert registry.versions("text_extractor") == ["v1", "v2"]
    res = resolve_collection(request([], version="v9"), buckets={"b": {"bucket_schema": SCHEMA}}, extractors=registry)
    (issue,) = res.issues
    assert (issue.code, issue.path) == ("unknown_extractor", ("feature_extractor", "version"))
    assert issue.message == "'text_extractor' has no version 'v9'"
    assert issue.hint == "text_extractor has versions: v1, v2"


# --- the one result shape -------------------------------------------------------------------------


def test_a_collection_resolution_has_the_result_shape() -> None:
    req = request([{"source_path": "title"}])
    req["source"] = {"type": "bucket", "bucket_id": "b"}  # the older spelling: a warning only
    res = resolve_collection(req, buckets={"b": {"bucket_schema": SCHEMA}})
    assert res.ok and bool(res) is True
    assert [i.code for i in res.warnings] == ["deprecated_alias"] and res.errors == []
    data = res.to_dict()
    assert list(data) == ["ok", "issues", "collection_id", "collection_name", "input_schema", "output_schema"]
    assert data["ok"] is True and data["collection_name"] == "texts"
    assert data["issues"] == [i.to_dict() for i in res.issues]
    assert json.loads(json.dumps(data)) == data

    bad = resolve([{"source_path": "nope"}])
    assert not bad and bad.ok is False
    assert [i.code for i in bad.errors] == ["source_field_not_found"] and bad.warnings == []


def test_a_pipeline_resolution_has_the_result_shape() -> None:
    p = resolve_pipeline(FIXTURES / "broken_pipeline.yaml")
    assert isinstance(p, PipelineResolution)
    assert not p and p.ok is False
    assert p.errors and all(i.severity == "error" for i in p.errors)
    assert p.errors + p.warnings == sorted(p.issues, key=lambda i: i.severity != "error")
    data = p.to_dict()
    assert list(data) == ["ok", "issues", "order", "collections"]
    assert data["collections"] == {cid: p.collections[cid].to_dict() for cid in p.order}
    healthy = resolve_pipeline(FIXTURES / "video_pipeline.yaml")
    assert healthy and healthy.errors == [] and healthy.warnings == []


def test_mapping_through_an_unresolved_collection_raises_a_schemakit_error() -> None:
    res = resolve([{"source_path": "nope"}, {"source_path": "missing"}])
    with pytest.raises(SchemakitError) as caught:
        res.map_object({"title": "t"})
    err = caught.value
    assert isinstance(err, UnresolvedCollectionError) and isinstance(err, ValueError)
    assert not isinstance(err, MappingError)
    assert err.issues == res.errors and len(err.issues) == 2
    assert str(err) == "cannot map objects through a collection that did not resolve: " + "; ".join(
        str(i) for i in res.errors
    )


def test_an_unresolved_collection_error_lists_three_issues_at_most() -> None:
    res = resolve([{"source_path": f"nope{i}"} for i in range(5)])
    with pytest.raises(UnresolvedCollectionError) as caught:
        res.map_object({})
    assert str(caught.value).endswith(" (and 2 more)")
    assert len(caught.value.issues) == 5


# --- layering -------------------------------------------------------------------------------------


def test_the_resolver_loads_neither_the_code_generator_nor_the_json_schema_export() -> None:
    req = request([{"source_path": "chapters.page"}])
    req["source"]["source_filters"] = {"filters": {"field": "chapters.page", "operator": "gte", "value": 1}}
    probe = (
        "import sys, schemakit.mappings as m\n"
        f"r = m.resolve_collection({req!r}, buckets={{'b': {{'bucket_schema': {SCHEMA!r}}}}})\n"
        "assert r.ok, r.issues\n"
        "r.map_object({'title': 't'})\n"
        "print(sorted(n for n in sys.modules if n == 'schemakit.schema' or n.startswith('schemakit.schema.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
