"""ExtractorRegistry: the built-in catalog as data, and custom definitions from dicts, lists and files."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import schemakit
from schemakit import SchemaDefinitionError, resolve_collection
from schemakit.mappings import ExtractorRegistry

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pipelines"

# The catalog's table: inputs (accepted types), required inputs ("any" = at least one), outputs, position fields.
TABLE: dict[str, tuple[dict[str, tuple[str, ...]], tuple[str, ...] | str, dict[str, str], tuple[str, ...]]] = {
    "text_extractor": (
        {"text": ("text", "string")},
        ("text",),
        {"text_extractor_v1_embedding": "array", "text": "string", "chunk_index": "integer"},
        ("chunk_index",),
    ),
    "multimodal_extractor": (
        {"video": ("video", "image"), "image": ("image",), "text": ("text", "string"), "audio": ("audio",)},
        "any",
        {
            "multimodal_extractor_v1_embedding": "array",
            "start_time": "float",
            "end_time": "float",
            "transcription": "string",
        },
        ("start_time", "end_time"),
    ),
    "image_extractor": (
        {"image": ("image",)},
        ("image",),
        {"image_extractor_v1_embedding": "array", "caption": "string"},
        (),
    ),
    "face_identity_extractor": (
        {"image": ("image", "video")},
        ("image",),
        {"face_identity_extractor_v1_embedding": "array", "bbox": "array", "face_index": "integer"},
        ("face_index",),
    ),
    "document_graph_extractor": (
        {"pdf": ("pdf",)},
        ("pdf",),
        {
            "document_graph_extractor_v1_embedding": "array",
            "text": "string",
            "page_number": "integer",
            "block_index": "integer",
        },
        ("page_number", "block_index"),
    ),
    "scene_extractor": (
        {"video": ("video",)},
        ("video",),
        {"scene_extractor_v1_embedding": "array", "start_time": "float", "end_time": "float", "description": "string"},
        ("start_time", "end_time"),
    ),
    "video_extractor": (
        {"video": ("video",)},
        ("video",),
        {"video_extractor_v1_embedding": "array", "start_time": "float", "end_time": "float"},
        ("start_time", "end_time"),
    ),
    "course_content_extractor": (
        {"video": ("video",), "pdf": ("pdf",), "text": ("text", "string")},
        "any",
        {"course_content_extractor_v1_embedding": "array", "text": "string", "segment_index": "integer"},
        ("segment_index",),
    ),
    # the two extractors the full OpenAPI document names (parameters only); inputs and outputs are schemakit's reading
    "sentiment_classifier": (
        {"text": ("text", "string")},
        ("text",),
        {"sentiment_classifier_v1_embedding": "array", "label": "string", "score": "float", "scores": "array"},
        (),
    ),
    "web_scraper": (
        {"url": ("string",)},
        ("url",),
        {
            "web_scraper_v1_text_embedding": "array",
            "web_scraper_v1_code_embedding": "array",
            "web_scraper_v1_image_embedding": "array",
            "url": "string",
            "text": "string",
            "chunk_index": "integer",
            "extracted": "object",
        },
        ("url", "chunk_index"),
    ),
}


def test_builtin_catalog_matches_the_table() -> None:
    registry = ExtractorRegistry.builtin()
    assert registry.names() == list(TABLE)
    assert len(registry) == len(TABLE)
    for name, (inputs, required, outputs, position) in TABLE.items():
        assert registry.versions(name) == ["v1"]
        definition = registry.get(name, "v1")
        assert definition is not None
        assert {n: i.accepts for n, i in definition.inputs.items()} == inputs
        if required == "any":
            assert definition.required_inputs == () and definition.needs_any_input
        else:
            assert definition.required_inputs == required and not definition.needs_any_input
        assert {n: f.type for n, f in definition.outputs.fields.items()} == outputs
        assert definition.position_fields == position


def test_builtin_definitions_have_the_response_model_shape() -> None:
    required = {
        "feature_extractor_name",
        "version",
        "feature_extractor_id",
        "description",
        "icon",
        "input_schema",
        "output_schema",
        "parameter_schema",
        "supported_input_types",
        "max_inputs",
        "default_parameters",
        "required_vector_indexes",
        "required_payload_indexes",
    }
    registry = ExtractorRegistry.builtin()
    for name in registry.names():
        raw = registry.definition(name, "v1")
        assert raw is not None and required <= set(raw)
    assert registry.definition("nope", "v1") is None


def test_builtin_is_shared_and_immutable() -> None:
    assert ExtractorRegistry.builtin() is ExtractorRegistry.builtin()
    assert schemakit.ExtractorRegistry is ExtractorRegistry
    raw = ExtractorRegistry.builtin().definition("text_extractor", "v1")
    assert raw is not None
    raw["input_schema"]["properties"].clear()
    assert ExtractorRegistry.builtin().get("text_extractor", "v1").inputs  # type: ignore[union-attr]


def custom(name: str = "tone_classifier", version: str = "v1") -> dict[str, Any]:
    return {
        "feature_extractor_name": name,
        "version": version,
        "input_schema": {"properties": {"text": {"type": "text", "accepts": ["string"], "required": True}}},
        "output_schema": {"properties": {"sentiment": {"type": "string"}, "score": {"type": "float"}}},
        "supported_input_types": ["text", "string"],
    }


def test_with_definitions_from_a_dict_a_list_and_a_path(tmp_path: Path) -> None:
    base = ExtractorRegistry.builtin()
    one = base.with_definitions(custom())
    assert "tone_classifier" in one and "tone_classifier" not in base
    assert len(one) == len(base) + 1
    two = base.with_definitions([custom("a_ext"), custom("b_ext")])
    assert {"a_ext", "b_ext"} <= set(two.names())
    path = tmp_path / "defs.json"
    path.write_text(json.dumps([custom("c_ext")]))
    assert "c_ext" in base.with_definitions(path)
    assert "c_ext" in base.with_definitions(str(path))
    path.write_text(json.dumps(custom("d_ext")))
    assert "d_ext" in base.with_definitions(path)
    fixture = base.with_definitions(FIXTURES / "custom_extractors.json")
    assert fixture.versions("text_extractor") == ["v1", "v2"]
    assert "podcast_transcriber" in fixture


def test_with_definitions_replaces_by_name_and_version() -> None:
    replacement = custom("image_extractor", "v1")
    registry = ExtractorRegistry.builtin().with_definitions(replacement)
    assert len(registry) == len(ExtractorRegistry.builtin())
    assert set(registry.get("image_extractor", "v1").inputs) == {"text"}  # type: ignore[union-attr]
    assert set(ExtractorRegistry.builtin().get("image_extractor", "v1").inputs) == {"image"}  # type: ignore[union-attr]


def test_supported_input_types_is_the_fallback() -> None:
    definition = custom()
    definition["input_schema"]["properties"]["hint"] = {}
    registry = ExtractorRegistry.builtin().with_definitions(definition)
    assert registry.get("tone_classifier", "v1").inputs["hint"].accepts == ("text", "string")  # type: ignore[union-attr]


def test_custom_extractor_is_used_by_the_resolver() -> None:
    registry = ExtractorRegistry.builtin().with_definitions(custom())
    req = {
        "collection_name": "sentiments",
        "source": {"type": "bucket", "bucket_ids": ["b"]},
        "feature_extractor": {
            "feature_extractor_name": "tone_classifier",
            "version": "v1",
            "input_mappings": {"text": "body"},
            "field_passthrough": [{"source_path": "score"}],
        },
    }
    buckets = {"b": {"properties": {"body": {"type": "string"}, "score": {"type": "integer"}}}}
    res = resolve_collection(req, buckets=buckets, extractors=registry)
    assert [i.code for i in res.issues] == ["target_conflict"]
    assert resolve_collection(req, buckets=buckets).issues[0].code == "unknown_extractor"


INPUT_TEXT = ("input_schema", "properties", "text")
BAD_OUTPUT = {"properties": {"x": {"type": "nope"}}}


def _input_text(d: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = d["input_schema"]["properties"]["text"]
    return spec


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d.pop("feature_extractor_name"), ("feature_extractor_name",)),
        (lambda d: d.update(version=1), ("version",)),
        (lambda d: d.update(input_schema=[]), ("input_schema",)),
        (lambda d: _input_text(d).update(type="txt"), (*INPUT_TEXT, "type")),
        (lambda d: _input_text(d).update(required="yes"), (*INPUT_TEXT, "required")),
        (lambda d: d.update(output_schema=BAD_OUTPUT), ("output_schema", "properties", "x", "type")),
        (lambda d: d.update(position_fields=["missing"]), ("position_fields", 0)),
    ],
)  # fmt: skip
def test_invalid_definitions_raise_with_every_problem(mutate: Any, path: tuple[Any, ...]) -> None:
    definition = copy.deepcopy(custom())
    mutate(definition)
    with pytest.raises(SchemaDefinitionError) as caught:
        ExtractorRegistry.builtin().with_definitions(definition)
    assert path in [i.path for i in caught.value.issues]
    with pytest.raises(SchemaDefinitionError) as caught:
        ExtractorRegistry.builtin().with_definitions([custom("fine"), definition])
    assert (1, *path) in [i.path for i in caught.value.issues]


@pytest.mark.parametrize("bad", [3, "no/such/file.json", None])
def test_unusable_definition_sources_raise(bad: Any, tmp_path: Path) -> None:
    with pytest.raises(SchemaDefinitionError):
        ExtractorRegistry.builtin().with_definitions(bad)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(SchemaDefinitionError, match="not valid JSON"):
        ExtractorRegistry.builtin().with_definitions(broken)
