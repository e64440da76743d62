"""check_compatibility beyond the golden pairs: the result shape, modes, data evidence, pipelines, bad input."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import schemakit
from schemakit.schema import compile_bucket
from schemakit.schema._compat_rules import MODES, RULES, mode_table

ROOT = Path(__file__).resolve().parent.parent
VIDEO = json.loads((ROOT / "fixtures" / "buckets" / "video_library.json").read_text(encoding="utf-8"))
PIPELINE = yaml.safe_load((ROOT / "fixtures" / "pipelines" / "video_pipeline.yaml").read_text(encoding="utf-8"))
MARKETING = PIPELINE["buckets"]["bkt_marketing_videos"]


def _without(bucket: dict[str, Any], *path: str) -> dict[str, Any]:
    out = copy.deepcopy(bucket)
    node = out["bucket_schema"]
    for name in path[:-1]:
        node = node["properties"][name]
    del node["properties"][path[-1]]
    return out


def test_report_has_the_result_shape_and_witnesses() -> None:
    new = _without(VIDEO, "thumbnail")
    report = schemakit.check_compatibility(VIDEO, new)
    assert not report.ok and not report.compatible and not bool(report)
    assert [i.code for i in report.errors] == ["field_removed"]
    assert report.warnings == []
    issue = report.errors[0]
    assert issue.path == ("properties", "thumbnail")
    assert "thumbnail: image field removed" in issue.message
    witness = report.witness(issue)
    assert {"property": "thumbnail", "type": "image", "data": "https://example.com/witness.bin"} in witness["blobs"]
    old_v = compile_bucket(VIDEO)
    new_v = compile_bucket(new)
    assert old_v.is_valid(witness) and not new_v.is_valid(witness)
    out = report.to_dict()
    assert out["ok"] is False and out["mode"] == "backward" and out["compatible"] is False
    assert out["findings"][0]["witness"]["object"] == witness
    assert [c["code"] for c in out["changes"]] == ["field_removed"]
    json.dumps(out)  # the whole report is JSON


def test_identical_schemas_are_compatible_in_every_mode() -> None:
    for mode in MODES:
        old = [VIDEO, VIDEO] if mode.endswith("_transitive") else VIDEO
        report = schemakit.check_compatibility(old, copy.deepcopy(VIDEO), mode=mode)
        assert report.ok and report.compatible and report.issues == [] and report.changes == [], mode


def test_removing_a_metadata_field_breaks_no_stored_object_unless_strict() -> None:
    new = _without(VIDEO, "metadata", "tags")
    loose = schemakit.check_compatibility(VIDEO, new)
    assert loose.ok and loose.compatible and [c.code for c in loose.changes] == ["field_removed"]
    strict = schemakit.check_compatibility(VIDEO, new, strict=True)
    assert [(i.code, i.path) for i in strict.errors] == [
        ("field_removed", ("properties", "metadata", "properties", "tags"))
    ]
    assert "tags" in strict.witness(strict.errors[0])["metadata"]


def test_transitive_modes_check_every_earlier_version() -> None:
    v1 = {"properties": {"s": {"type": "string", "enum": ["a", "b", "c"]}}}
    v2 = {"properties": {"s": {"type": "string", "enum": ["a", "b"]}}}
    v3 = {"properties": {"s": {"type": "string", "enum": ["a", "b"]}}}
    assert schemakit.check_compatibility([v1, v2], v3, mode="backward").ok  # only the latest: v2
    transitive = schemakit.check_compatibility([v1, v2], v3, mode="backward_transitive")
    assert [i.code for i in transitive.errors] == ["enum_value_removed"]
    assert transitive.errors[0].message.startswith("version 0: ")
    assert transitive.witness(transitive.errors[0]) == {"s": "c"}
    v4 = {"properties": {"s": {"type": "string", "enum": ["a", "d"]}}}
    full = schemakit.check_compatibility([v1, v2], v4, mode="full_transitive")
    assert sorted((i.message[:9], i.code) for i in full.errors) == [
        ("version 0", "enum_value_added"),
        ("version 0", "enum_value_removed"),
        ("version 1", "enum_value_added"),
        ("version 1", "enum_value_removed"),
    ]


def test_data_turns_a_hypothetical_warning_into_an_error_or_clears_it() -> None:
    old = {"properties": {"title": {"type": "string"}}}
    new = {"properties": {"title": {"type": "string"}, "rating": {"type": "integer"}}}
    schema_only = schemakit.check_compatibility(old, new)
    assert schema_only.ok and not schema_only.compatible
    assert [i.code for i in schema_only.warnings] == ["field_added"]
    stored = [{"title": "a"}, {"title": "b", "rating": "five"}, {"title": "c", "rating": "4"}, {"title": 3}]
    proven = schemakit.check_compatibility(old, new, data=stored)
    assert [i.code for i in proven.errors] == ["field_added"]
    assert "2 of the 4 stored objects" in proven.errors[0].message
    assert proven.witness(proven.errors[0]) == {"title": "b", "rating": "five"}
    assert proven.data == {"objects": 4, "broken": 2, "already_invalid": 1}
    cleared = schemakit.check_compatibility(old, new, data=iter([{"title": "a", "rating": 5}]))
    assert cleared.ok and cleared.compatible and cleared.issues == []
    assert cleared.data == {"objects": 1, "broken": 0, "already_invalid": 0}


def test_pipeline_reports_the_collections_a_removed_field_breaks_and_only_those() -> None:
    manifest = copy.deepcopy(PIPELINE)
    manifest["collections"]["col_scene_digest"] = {
        "collection_name": "scene_digest",
        "source": {"type": "collection", "collection_id": "col_video_scenes"},
        "feature_extractor": {
            "feature_extractor_name": "text_extractor",
            "version": "v1",
            "input_mappings": {"text": "title"},
        },
    }
    assert schemakit.resolve_pipeline(manifest).ok
    tags = schemakit.check_compatibility(MARKETING, _without(MARKETING, "metadata", "tags"), pipeline=manifest)
    broken = [(i.code, i.path[:2]) for i in tags.issues if i.path[0] == "collections"]
    # the digest reads only title: the tags are gone from its upstreams, but it does not read them
    assert broken == [
        ("collection_broken", ("collections", "col_video_frames")),
        ("collection_broken", ("collections", "col_video_scenes")),
    ]
    assert "source_field_not_found" in tags.issues[0].message
    title = schemakit.check_compatibility(MARKETING, _without(MARKETING, "metadata", "title"), pipeline=manifest)
    third = [i for i in title.issues if i.path[:2] == ("collections", "col_scene_digest")]
    assert [i.code for i in third] == ["collection_broken"]
    assert "bkt_marketing_videos -> col_video_frames -> col_video_scenes -> col_scene_digest" in third[0].message
    region = schemakit.check_compatibility(MARKETING, _without(MARKETING, "metadata", "region"), pipeline=manifest)
    assert region.ok and region.issues == []


def test_pipeline_output_schema_change_is_a_warning_downstream() -> None:
    new = copy.deepcopy(MARKETING)
    new["bucket_schema"]["properties"]["metadata"]["properties"]["tags"]["items"] = {"type": "integer"}
    report = schemakit.check_compatibility(MARKETING, new, pipeline=PIPELINE, mode="none")
    found = [(i.code, i.path, i.severity) for i in report.issues]
    assert ("output_schema_changed", ("collections", "col_video_frames"), "warning") in found
    assert ("output_schema_changed", ("collections", "col_video_scenes"), "warning") in found


def test_pipeline_from_a_file_and_an_unknown_bucket() -> None:
    path = ROOT / "fixtures" / "pipelines" / "video_pipeline.yaml"
    report = schemakit.check_compatibility(MARKETING, _without(MARKETING, "metadata", "tags"), pipeline=str(path))
    assert any(i.code == "collection_broken" for i in report.errors)
    other = {"properties": {"x": {"type": "string"}}}
    lost = schemakit.check_compatibility(other, other, pipeline=PIPELINE, bucket_id="bkt_elsewhere")
    assert [(i.code, i.path) for i in lost.errors] == [("invalid_manifest", ("buckets",))]


@pytest.mark.parametrize(
    ("old", "new", "kwargs", "code"),
    [
        ({"properties": {}}, {"properties": {}}, {"mode": "backwards"}, "invalid_argument"),
        ({"properties": {}}, {"properties": {}}, {"mode": 3}, "invalid_argument"),
        ({"properties": {}}, {"properties": {}}, {"data": 5}, "invalid_argument"),
        ({"properties": {}}, {"properties": {}}, {"data": {"a": 1}}, "invalid_argument"),
        ([], {"properties": {}}, {"mode": "backward_transitive"}, "invalid_argument"),
        ({"properties": {"a": {"type": "strin"}}}, {"properties": {}}, {}, "unknown_type"),
        ({"properties": {}}, "not a schema", {}, "invalid_schema"),
        (
            {"properties": {}},
            {"properties": {"a": {"type": "string"}}},
            {"unique_key_new": {"fields": ["b"]}},
            "unknown_unique_key_field",
        ),
    ],
)
def test_bad_input_is_an_issue_not_an_exception(old: Any, new: Any, kwargs: dict[str, Any], code: str) -> None:
    report = schemakit.check_compatibility(old, new, **kwargs)
    assert not report.ok and code in [i.code for i in report.errors]
    assert report.to_dict()["ok"] is False


def test_mode_suggestion_and_request_documents() -> None:
    report = schemakit.check_compatibility({"properties": {}}, {"properties": {}}, mode="forwrd")
    assert report.errors[0].hint == "did you mean 'forward'?"
    # a bucket request's own unique key is used
    new = copy.deepcopy(VIDEO)
    new["unique_key"] = {"fields": ["video_id"]}
    keyed = schemakit.check_compatibility(VIDEO, new)
    assert [i.code for i in keyed.errors] == ["unique_key_changed"]
    batch = keyed.witness(keyed.errors[0])
    assert compile_bucket(VIDEO).validate_batch(batch).ok
    assert not compile_bucket(new).validate_batch(batch).ok


def test_the_mode_table_follows_the_rules() -> None:
    rows = {code: modes for code, modes, *_ in mode_table()}
    assert rows["enum_value_removed"] == ["backward", "full"]
    assert rows["enum_value_added"] == ["forward", "full"]
    assert rows["default_changed"] == []
    assert set(rows) == set(RULES)


def test_full_mode_names_both_directions_and_data_leaves_forward_findings_open() -> None:
    old = {"properties": {"n": {"type": "string"}, "gone": {"type": "integer"}}}
    new = {"properties": {"n": {"type": "integer"}}}
    report = schemakit.check_compatibility(old, new, mode="full", data=[{"n": "a"}])
    retyped = next(i for i in report.issues if i.code == "type_changed")
    assert retyped.message.endswith(
        "breaks backward and forward compatibility: stored objects and objects written under the new schema"
        " can be rejected"
    )
    # a stored object cannot show what new objects carry: the forward finding is still a warning
    removed = next(i for i in report.issues if i.code == "field_removed")
    assert removed.severity == "warning" and report.witness(removed) == {"gone": 0.5}
