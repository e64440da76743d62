"""resolve_pipeline: manifests from dicts and files, ordering, cycles, chains, the fixture pipelines."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

import schemakit
from schemakit import resolve_pipeline
from schemakit.mappings import PipelineResolution

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "pipelines"


def collection(name: str, source: dict[str, Any], extractor: str, inputs: Any, **fe: Any) -> dict[str, Any]:
    return {
        "collection_name": name,
        "source": source,
        "feature_extractor": {"feature_extractor_name": extractor, "version": "v1", "input_mappings": inputs, **fe},
    }


def from_collection(cid: str) -> dict[str, Any]:
    return {"type": "collection", "collection_id": cid}


BUCKETS: dict[str, Any] = {
    "bkt_docs": {
        "bucket_name": "docs",
        "bucket_schema": {
            "properties": {
                "file": {"type": "pdf", "required": True},
                "title": {"type": "string", "required": True},
                "owner": {"type": "object", "properties": {"team": {"type": "string"}}},
            }
        },
    }
}


def chain_manifest() -> dict[str, Any]:
    """bucket -> blocks (document graph) -> chunks (text) -> captions (text again, different passthrough)."""
    return {
        "buckets": copy.deepcopy(BUCKETS),
        "collections": {
            # declared downstream first: the resolver orders them
            "col_c": collection(
                "chunk_texts",
                from_collection("col_b"),
                "text_extractor",
                {"text": "block_text"},
                field_passthrough=[
                    {"source_path": "title", "required": True},
                    {"source_path": "team", "target_path": "owner_team"},
                    {"source_path": "text_extractor_v1_embedding", "target_path": "first_embedding"},
                ],
            ),
            "col_b": collection(
                "block_chunks",
                from_collection("col_a"),
                "text_extractor",
                {"text": "text"},
                field_passthrough=[
                    {"source_path": "title", "required": True},
                    {"source_path": "team"},
                    {"source_path": "text", "target_path": "block_text"},
                    {"source_path": "page_number", "target_path": "page"},
                ],
            ),
            "col_a": collection(
                "document_blocks",
                {"type": "bucket", "bucket_ids": ["bkt_docs"]},
                "document_graph_extractor",
                {"pdf": "file"},
                field_passthrough=[{"source_path": "title", "required": True}, {"source_path": "owner.team"}],
            ),
        },
    }


def issue_codes(p: PipelineResolution) -> list[tuple[str, tuple[Any, ...]]]:
    return [(i.code, i.path) for i in p.issues]


def test_chain_of_three_collections() -> None:
    p = resolve_pipeline(chain_manifest())
    assert p.ok, p.issues
    assert p.order == ["col_a", "col_b", "col_c"]
    a, b, c = (p.collections[k] for k in p.order)
    assert a.output_schema == {
        "properties": {
            "title": {"type": "string", "required": True},
            "team": {"type": "string"},
            "document_graph_extractor_v1_embedding": {"type": "array"},
            "text": {"type": "string"},
            "page_number": {"type": "integer"},
            "block_index": {"type": "integer"},
        }
    }
    assert b.input_schema == a.output_schema
    assert b.output_schema == {
        "properties": {
            "title": {"type": "string", "required": True},
            "team": {"type": "string"},
            "block_text": {"type": "string"},
            "page": {"type": "integer"},
            "text_extractor_v1_embedding": {"type": "array"},
            "text": {"type": "string"},
            "chunk_index": {"type": "integer"},
        }
    }
    assert c.input_schema == b.output_schema
    assert list(c.output_schema["properties"]) == [
        "title",
        "owner_team",
        "first_embedding",
        "text_extractor_v1_embedding",
        "text",
        "chunk_index",
    ]
    assert schemakit.resolve_pipeline is resolve_pipeline


def test_mapping_errors_of_every_collection_in_one_pass() -> None:
    manifest = chain_manifest()
    manifest["collections"]["col_a"]["feature_extractor"]["input_mappings"] = {"pdf": "fiel"}
    manifest["collections"]["col_c"]["feature_extractor"]["field_passthrough"].append({"source_path": "pgae"})
    p = resolve_pipeline(manifest)
    assert not p.ok
    assert issue_codes(p) == [
        ("source_field_not_found", ("collections", "col_a", "feature_extractor", "input_mappings", "pdf")),
        (
            "source_field_not_found",
            ("collections", "col_c", "feature_extractor", "field_passthrough", 3, "source_path"),
        ),
    ]
    assert p.issues[0].message == "The source field 'fiel' does not exist in the source schema."
    assert p.issues[1].hint == "did you mean 'page'?"


def test_downstream_of_a_failed_collection_reports_unresolved_source() -> None:
    manifest = chain_manifest()
    manifest["collections"]["col_b"]["feature_extractor"]["feature_extractor_name"] = "text_extractr"
    p = resolve_pipeline(manifest)
    assert issue_codes(p) == [
        ("unknown_extractor", ("collections", "col_b", "feature_extractor", "feature_extractor_name")),
        ("unresolved_source", ("collections", "col_c", "source", "collection_id")),
    ]


def test_unknown_sources_in_a_pipeline() -> None:
    manifest = chain_manifest()
    manifest["collections"]["col_a"]["source"]["bucket_ids"] = ["bkt_doc"]
    manifest["collections"]["col_b"]["source"] = from_collection("col_x")
    p = resolve_pipeline(manifest)
    found = {(i.code, i.path): i for i in p.issues}
    assert found[("unknown_source", ("collections", "col_a", "source", "bucket_ids", 0))].hint == (
        "did you mean 'bkt_docs'?"
    )
    assert ("unknown_source", ("collections", "col_b", "source", "collection_id")) in found
    assert ("unresolved_source", ("collections", "col_c", "source", "collection_id")) in found


@pytest.mark.parametrize(
    ("edges", "cycle_messages"),
    [
        ({"c1": "c1"}, {"c1": "c1 -> c1"}),
        ({"c1": "c2", "c2": "c1"}, {"c1": "c1 -> c2 -> c1", "c2": "c2 -> c1 -> c2"}),
        (
            {"c1": "c2", "c2": "c3", "c3": "c1"},
            {"c1": "c1 -> c2 -> c3 -> c1", "c2": "c2 -> c3 -> c1 -> c2", "c3": "c3 -> c1 -> c2 -> c3"},
        ),
    ],
)
def test_cycles_are_named(edges: dict[str, str], cycle_messages: dict[str, str]) -> None:
    manifest = chain_manifest()
    cols = manifest["collections"]
    for cid, upstream in edges.items():
        cols[cid] = collection(f"name_{cid}", from_collection(upstream), "text_extractor", {"text": "text"})
    cols["after"] = collection("after_cycle", from_collection("c1"), "text_extractor", {"text": "text"})
    p = resolve_pipeline(manifest)
    cycles = {i.path[1]: i for i in p.issues if i.code == "pipeline_cycle"}
    assert {cid: i.message for cid, i in cycles.items()} == {
        cid: f"collections form a cycle: {loop} (each reads from the next)" for cid, loop in cycle_messages.items()
    }
    assert all(i.path[2:] == ("source", "collection_id") for i in cycles.values())
    assert ("unresolved_source", ("collections", "after", "source", "collection_id")) in issue_codes(p)
    assert p.order[:3] == ["col_a", "col_b", "col_c"]
    assert set(p.order) == set(cols) and set(p.collections) == set(cols)
    assert p.collections["col_c"].ok


def test_cycle_through_collection_ids_list() -> None:
    manifest = chain_manifest()
    cols = manifest["collections"]
    cols["m1"] = collection(
        "merge_one", {"type": "collection", "collection_ids": ["col_c", "m2"]}, "text_extractor", {"text": "text"}
    )
    cols["m2"] = collection("merge_two", from_collection("m1"), "text_extractor", {"text": "text"})
    p = resolve_pipeline(manifest)
    paths = [i.path for i in p.issues if i.code == "pipeline_cycle"]
    assert paths == [
        ("collections", "m1", "source", "collection_ids", 1),
        ("collections", "m2", "source", "collection_id"),
    ]


def test_bucket_problems_are_reported_under_buckets() -> None:
    manifest = chain_manifest()
    manifest["buckets"]["bkt_docs"]["bucket_schema"]["properties"]["owner"]["properties"]["team"]["type"] = "str"
    manifest["buckets"]["bkt_empty"] = {"bucket_name": "empty"}
    manifest["buckets"]["bkt_bad"] = {"bucket_name": "bad", "bucket_schema": []}
    manifest["collections"]["col_e"] = collection(
        "from_empty", {"type": "bucket", "bucket_ids": ["bkt_empty"]}, "text_extractor", {"text": "body"}
    )
    manifest["collections"]["col_f"] = collection(
        "from_bad", {"type": "bucket", "bucket_ids": ["bkt_bad"]}, "text_extractor", {"text": "body"}
    )
    p = resolve_pipeline(manifest)
    got = issue_codes(p)
    assert (
        "unknown_type",
        ("buckets", "bkt_docs", "bucket_schema", "properties", "owner", "properties", "team", "type"),
    ) in got
    assert ("invalid_manifest", ("buckets", "bkt_empty", "bucket_schema")) in got
    assert ("invalid_schema", ("buckets", "bkt_bad", "bucket_schema")) in got
    assert ("source_field_not_found", ("collections", "col_e", "feature_extractor", "input_mappings", "text")) in got
    assert ("unresolved_source", ("collections", "col_f", "source", "bucket_ids", 0)) in got
    # 'owner.team' was dropped with its bad type, so col_a's passthrough of it fails too
    assert (
        "source_field_not_found",
        ("collections", "col_a", "feature_extractor", "field_passthrough", 1, "source_path"),
    ) in got


@pytest.mark.parametrize("bad", [None, 1, "x", [], [{}], True])
def test_any_json_value_as_manifest_gives_issues(bad: Any) -> None:
    p = resolve_pipeline(bad) if not isinstance(bad, str) else resolve_pipeline({"buckets": bad, "collections": bad})
    assert not p.ok
    assert all(i.code == "invalid_manifest" for i in p.issues)


@pytest.mark.parametrize(
    ("key", "value", "path"),
    [
        ("buckets", [], ("buckets",)),
        ("collections", "x", ("collections",)),
        ("buckets", {"b": 3}, ("buckets", "b")),
        ("collections", {"": {}}, ("collections", "")),
        ("extractors", [{"feature_extractor_name": "x"}], ("extractors", 0, "version")),
    ],
)
def test_manifest_shape_problems(key: str, value: Any, path: tuple[Any, ...]) -> None:
    manifest = chain_manifest()
    manifest[key] = value
    p = resolve_pipeline(manifest)
    assert ("invalid_manifest", path) in issue_codes(p)


def test_unknown_manifest_key_is_a_warning_with_a_hint() -> None:
    manifest = chain_manifest()
    manifest["bucket"] = {}
    p = resolve_pipeline(manifest)
    assert p.ok
    (issue,) = p.issues
    assert (issue.code, issue.path, issue.severity) == ("invalid_manifest", ("bucket",), "warning")
    assert issue.hint == "did you mean 'buckets'?"


def test_manifest_files_json_yaml_and_paths(tmp_path: Path) -> None:
    manifest = chain_manifest()
    as_json = tmp_path / "m.json"
    as_json.write_text(json.dumps(manifest))
    import yaml

    for suffix in ("yaml", "yml"):
        as_yaml = tmp_path / f"m.{suffix}"
        as_yaml.write_text(yaml.safe_dump(manifest))
        assert resolve_pipeline(as_yaml).ok
    assert resolve_pipeline(as_json).ok
    assert resolve_pipeline(str(as_json)).order == ["col_a", "col_b", "col_c"]


@pytest.mark.parametrize(
    ("name", "text", "fragment"),
    [
        ("bad.json", '{"buckets": ', "not valid JSON"),
        ("bad.yaml", "buckets: [unclosed", "not valid YAML"),
        ("tabs.yml", "a:\n\t- b", "not valid YAML"),
        ("list.yaml", "- 1\n- 2", "must be an object"),
        ("empty.yaml", "", "must be an object"),
    ],
)
def test_unparseable_manifest_files_give_invalid_manifest(tmp_path: Path, name: str, text: str, fragment: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    p = resolve_pipeline(path)
    assert not p.ok and p.collections == {} and p.order == []
    (issue,) = p.issues
    assert issue.code == "invalid_manifest" and issue.path == () and fragment in issue.message


@pytest.mark.parametrize("name", ["deep.json", "deep.yaml"])
def test_absurdly_deep_manifest_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("[" * 20_000 + "]" * 20_000)
    (issue,) = resolve_pipeline(path).issues
    assert issue.code == "invalid_manifest"


def test_missing_and_binary_manifest_files(tmp_path: Path) -> None:
    assert resolve_pipeline(tmp_path / "absent.yaml").issues[0].code == "invalid_manifest"
    assert resolve_pipeline(tmp_path).issues[0].code == "invalid_manifest"
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00")
    assert resolve_pipeline(binary).issues[0].code == "invalid_manifest"


def test_to_dict_is_json_serializable() -> None:
    p = resolve_pipeline(FIXTURES / "broken_pipeline.yaml")
    data = json.loads(json.dumps(p.to_dict()))
    assert data["ok"] is False and data["order"] == p.order
    assert len(data["issues"]) == len(p.issues)


# --- fixtures -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["video_pipeline.yaml", "video_pipeline.json", "podcast_pipeline.yaml"])
def test_healthy_fixture_pipelines(name: str) -> None:
    p = resolve_pipeline(FIXTURES / name)
    assert p.ok, p.issues
    assert p.issues == []


def test_video_pipeline_output_schemas() -> None:
    p = resolve_pipeline(FIXTURES / "video_pipeline.yaml")
    assert p.order == ["col_video_frames", "col_video_scenes"]
    frames, scenes = p.collections["col_video_frames"], p.collections["col_video_scenes"]
    assert list(frames.output_schema["properties"]) == [
        "campaign_id",
        "video",
        "title",
        "tags",
        "region",
        "chapter_titles",
        "multimodal_extractor_v1_embedding",
        "start_time",
        "end_time",
        "transcription",
    ]
    assert frames.output_schema["properties"]["region"] == {"type": "string"}
    assert scenes.input_schema == frames.output_schema
    assert list(scenes.output_schema["properties"]) == [
        "campaign",
        "title",
        "tags",
        "transcription",
        "scene_extractor_v1_embedding",
        "start_time",
        "end_time",
        "description",
    ]
    out = frames.map_object(
        {
            "blobs": [{"property": "video", "type": "video", "data": "s3://b/launch.mp4"}],
            "campaign_id": "cmp_1",
            "metadata": {"title": "Launch", "tags": ["a"]},
            "chapters": [{"title": "intro"}],
        }
    )
    assert out["inputs"] == {"video": out["fields"]["video"], "text": "Launch"}
    assert out["fields"]["region"] == "global" and out["fields"]["chapter_titles"] == ["intro"]


BROKEN_EXPECTED = {
    ("invalid_manifest", ("colections",)),
    ("unknown_key", ("collections", "col_frames", "descripton")),
    ("invalid_manifest", ("buckets", "bkt_no_schema", "bucket_schema")),
    ("unknown_type", ("buckets", "bkt_bad_type", "bucket_schema", "properties", "photo", "type")),
    ("invalid_schema", ("buckets", "bkt_unusable", "bucket_schema", "properties")),
    ("source_field_not_found", ("collections", "col_typo", "feature_extractor", "input_mappings", "text")),
    ("source_field_not_found", ("collections", "col_no_schema", "feature_extractor", "input_mappings", "image")),
    ("deprecated_alias", ("collections", "col_alias", "source", "bucket_id")),
    ("unknown_extractor", ("collections", "col_alias", "feature_extractor", "feature_extractor_name")),
    ("unknown_extractor_input", ("collections", "col_inputs", "feature_extractor", "input_mappings", "img")),
    ("missing_extractor_input", ("collections", "col_inputs", "feature_extractor", "input_mappings")),
    ("input_type_mismatch", ("collections", "col_types", "feature_extractor", "input_mappings", 0, "path")),
    ("input_type_mismatch", ("collections", "col_types", "feature_extractor", "input_mappings", 1, "path")),
    ("invalid_target_name", ("collections", "col_targets", "feature_extractor", "field_passthrough", 0, "target_path")),
    ("target_conflict", ("collections", "col_targets", "feature_extractor", "field_passthrough", 1, "target_path")),
    ("target_conflict", ("collections", "col_targets", "feature_extractor", "field_passthrough", 2, "target_path")),
    ("target_conflict", ("collections", "col_targets", "feature_extractor", "field_passthrough", 4, "target_path")),
    ("incompatible_source_schemas", ("collections", "col_multi", "source", "bucket_ids", 1)),
    ("incompatible_input_schema", ("collections", "col_input_schema", "input_schema", "properties", "campaign_id", "type")),  # noqa: E501
    ("invalid_collection_request", ("collections", "col_bad_request", "collection_name")),
    ("invalid_collection_request", ("collections", "col_bad_request", "source", "bucket_ids")),
    ("unknown_source", ("collections", "col_unknown", "source", "collection_id")),
    ("source_field_not_found", ("collections", "col_bad_bucket", "feature_extractor", "input_mappings", "image")),
    ("unresolved_source", ("collections", "col_unusable", "source", "bucket_ids", 0)),
    ("pipeline_cycle", ("collections", "col_loop_a", "source", "collection_id")),
    ("pipeline_cycle", ("collections", "col_loop_b", "source", "collection_id")),
    ("unresolved_source", ("collections", "col_after_loop", "source", "collection_id")),
}  # fmt: skip


def test_broken_pipeline_shows_every_code() -> None:
    p = resolve_pipeline(FIXTURES / "broken_pipeline.yaml")
    assert not p.ok
    got = issue_codes(p)
    filter_issues = [g for g in got if g[1][:2] == ("collections", "col_filter")]
    assert filter_issues == [
        ("unknown_field", ("collections", "col_filter", "source", "source_filters", "filters", "AND", 0, "field"))
    ]
    assert {g for g in got if g not in filter_issues} == BROKEN_EXPECTED
    assert len(got) == len(BROKEN_EXPECTED) + 1
    assert p.collections["col_frames"].ok


# --- scale ----------------------------------------------------------------------------------------


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_resolver", ROOT / "benchmarks" / "bench_resolver.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_manifest_resolves_in_dependency_order() -> None:
    manifest = _bench().manifest(1_000)
    p = resolve_pipeline(manifest)
    assert p.ok, p.issues[:5]
    assert len(p.order) == 1_000
    position = {cid: i for i, cid in enumerate(p.order)}
    for cid, raw in manifest["collections"].items():
        upstream = raw["source"].get("collection_id")
        if upstream is not None:
            assert position[upstream] < position[cid]
