"""Properties: any JSON value in any slot gives issues, never an exception; generated schemas resolve."""

from __future__ import annotations

import contextlib
import copy
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from schemakit import Issue, MappingError, resolve_collection, resolve_pipeline
from schemakit import strategies as sk
from schemakit.mappings import CollectionResolution
from schemakit.schema import read_bucket_schema

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)

BUCKETS = {
    "b": {
        "bucket_schema": {
            "properties": {
                "image": {"type": "image"},
                "title": {"type": "string"},
                "meta": {"type": "object", "properties": {"a": {"type": "integer"}}},
                "items": {"type": "array", "items": {"type": "object", "properties": {"x": {"type": "string"}}}},
            }
        }
    }
}
VALID: dict[str, Any] = {
    "collection_name": "images",
    "source": {"type": "bucket", "bucket_ids": ["b"], "source_filters": {"filters": {"title": "x"}}},
    "feature_extractor": {
        "feature_extractor_name": "image_extractor",
        "version": "v1",
        "input_mappings": {"image": "image"},
        "field_passthrough": [{"source_path": "title"}, {"source_path": "items.x", "target_path": "xs"}],
    },
}


def well_formed(issues: list[Issue]) -> bool:
    return all(
        isinstance(i.code, str) and isinstance(i.path, tuple) and isinstance(i.message, str) and i.message
        for i in issues
    )


@given(json_values)
def test_any_json_request_gives_issues(request: Any) -> None:
    res = resolve_collection(request, buckets=BUCKETS)
    assert well_formed(res.issues)
    assert isinstance(res.output_schema["properties"], dict)


@given(json_values, json_values)
def test_any_json_buckets_and_collections_give_issues(buckets: Any, collections: Any) -> None:
    res = resolve_collection(VALID, buckets=buckets, collections=collections)
    assert well_formed(res.issues)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*prefix, i)))
    return out


@given(st.data(), json_values)
def test_any_subtree_of_a_valid_request_replaced_gives_issues(data: st.DataObject, replacement: Any) -> None:
    request = copy.deepcopy(VALID)
    target = data.draw(st.sampled_from(_paths(request)[1:]))
    node: Any = request
    for key in target[:-1]:
        node = node[key]
    node[target[-1]] = replacement
    res = resolve_collection(request, buckets=BUCKETS)
    assert well_formed(res.issues)
    if res.ok:
        with contextlib.suppress(MappingError):
            res.map_object({"title": "t", "image": {"url": "s3://b/i.png"}})


@given(json_values)
def test_any_json_manifest_gives_issues(manifest: Any) -> None:
    p = resolve_pipeline(manifest if not isinstance(manifest, str) else {"collections": manifest})
    assert well_formed(p.issues)


@given(st.dictionaries(st.sampled_from(["c1", "c2", "c3", "c4"]), json_values, max_size=4), json_values)
def test_any_json_collections_in_a_manifest_give_issues(collections: dict[str, Any], buckets: Any) -> None:
    p = resolve_pipeline({"buckets": {"b": BUCKETS["b"], "x": buckets}, "collections": collections})
    assert well_formed(p.issues)
    assert set(p.order) == set(collections)


@given(json_values)
def test_map_object_never_crashes_on_an_ok_resolution(obj: Any) -> None:
    res = resolve_collection(VALID, buckets=BUCKETS)
    assert res.ok, res.issues
    try:
        out = res.map_object(obj)
    except MappingError as exc:
        assert {i.code for i in exc.issues} <= {"missing_source_value", "invalid_source_object"}
    else:
        assert set(out) == {"inputs", "fields"}
        assert set(out["fields"]) <= {"title", "xs"}


RESERVED_OUTPUTS = {"text", "chunk_index", "text_extractor_v1_embedding"}


def passthrough_everything(schema: dict[str, Any]) -> CollectionResolution:
    sdef, _ = read_bucket_schema(schema)
    assert sdef is not None
    paths = [".".join(p) for p, _ in sdef.walk()]
    return resolve_collection(
        {
            "collection_name": "everything",
            "source": {"type": "bucket", "bucket_ids": ["b"]},
            "feature_extractor": {
                "feature_extractor_name": "text_extractor",
                "version": "v1",
                "input_mappings": [{"input_key": "text", "source_type": "literal", "override": "x"}],
                "field_passthrough": [{"source_path": p, "target_path": f"f{i}"} for i, p in enumerate(paths)],
            },
        },
        buckets={"b": {"bucket_schema": schema}},
    )


@given(st.data())
def test_every_path_of_a_generated_schema_resolves_and_maps(data: st.DataObject) -> None:
    schema = data.draw(sk.bucket_schemas())
    res = passthrough_everything(schema)
    assert res.ok, res.issues
    obj = data.draw(sk.objects(schema))
    out = res.map_object(obj)
    assert out["inputs"] == {"text": "x"}
    assert set(out["fields"]) <= set(res.output_schema["properties"])


@given(sk.bucket_schemas())
def test_include_all_passes_every_top_level_field(schema: dict[str, Any]) -> None:
    assume(not RESERVED_OUTPUTS & set(schema["properties"]))
    assume(not {"created_at", "updated_at", "document_id", "collection_id"} & set(schema["properties"]))
    res = resolve_collection(
        {
            "collection_name": "everything",
            "source": {"type": "bucket", "bucket_ids": ["b"]},
            "feature_extractor": {
                "feature_extractor_name": "text_extractor",
                "version": "v1",
                "input_mappings": [{"input_key": "text", "source_type": "literal", "override": "x"}],
                "include_all_source_fields": True,
            },
        },
        buckets={"b": {"bucket_schema": schema}},
    )
    assert res.ok, res.issues
    names = list(res.output_schema["properties"])
    assert names == [*res.input_schema["properties"], *sorted(RESERVED_OUTPUTS, key=names.index)]
