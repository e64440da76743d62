"""resolve_collection: every issue code with its path, the contract's exact message, output schemas."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import schemakit
from schemakit import Issue, resolve_collection
from schemakit.mappings import CollectionResolution, ExtractorRegistry

PRODUCTS: dict[str, Any] = {
    "bucket_name": "products",
    "bucket_schema": {
        "properties": {
            "product_image": {"type": "image"},
            "title": {"type": "string", "required": True},
            "category": {"type": "string"},
            "price": {"type": "float"},
            "description": {"type": "text"},
            "manual": {"type": "pdf"},
            "metadata": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "author": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
            "chapters": {
                "type": "array",
                "items": {"type": "object", "properties": {"title": {"type": "string"}, "page": {"type": "integer"}}},
            },
            "embedding": {"type": "array", "items": {"type": "float"}},
        }
    },
}
BUCKETS = {"bkt_products": PRODUCTS}


def request(**extractor: Any) -> dict[str, Any]:
    fe: dict[str, Any] = {"feature_extractor_name": "image_extractor", "version": "v1"}
    fe.update(extractor)
    fe.setdefault("input_mappings", {"image": "product_image"})
    return {
        "collection_name": "product_embeddings",
        "source": {"type": "bucket", "bucket_ids": ["bkt_products"]},
        "feature_extractor": fe,
    }


def resolve(req: dict[str, Any], **kwargs: Any) -> CollectionResolution:
    kwargs.setdefault("buckets", BUCKETS)
    return resolve_collection(req, **kwargs)


def only(res: CollectionResolution, code: str) -> Issue:
    found = [i for i in res.issues if i.code == code]
    assert len(found) == 1, res.issues
    return found[0]


def codes(res: CollectionResolution) -> list[str]:
    return [i.code for i in res.issues]


# --- the happy path -------------------------------------------------------------------------------


def test_contract_example_resolves_with_its_output_schema() -> None:
    res = resolve(request(field_passthrough=[{"source_path": "title", "required": True}, {"source_path": "category"}]))
    assert res.ok and res.issues == []
    assert res.output_schema == {
        "properties": {
            "title": {"type": "string", "required": True},
            "category": {"type": "string"},
            "image_extractor_v1_embedding": {"type": "array"},
            "caption": {"type": "string"},
        }
    }
    assert res.input_schema == PRODUCTS["bucket_schema"]


def test_public_names_are_reexported_lazily() -> None:
    assert schemakit.resolve_collection is resolve_collection
    assert schemakit.CollectionResolution is CollectionResolution
    assert issubclass(schemakit.MappingError, ValueError)


def test_bare_bucket_schema_is_accepted_as_a_bucket() -> None:
    res = resolve(request(), buckets={"bkt_products": PRODUCTS["bucket_schema"]})
    assert res.ok


def test_request_is_not_mutated() -> None:
    req = request(field_passthrough=[{"source_path": "title"}])
    before = copy.deepcopy(req)
    resolve(req)
    assert req == before


# --- source_field_not_found: the contract's exact message -----------------------------------------


def test_exact_message_for_a_missing_mapped_field() -> None:
    res = resolve(request(feature_extractor_name="text_extractor", input_mappings={"text": "metadata.titel"}))
    issue = only(res, "source_field_not_found")
    assert issue.message == "The source field 'metadata.titel' does not exist in the source schema."
    assert issue.path == ("feature_extractor", "input_mappings", "text")
    assert issue.hint == "did you mean 'metadata.title'?"
    assert not res.ok


def test_exact_message_for_a_missing_passthrough_field() -> None:
    res = resolve(request(field_passthrough=[{"source_path": "title"}, {"source_path": "categry"}]))
    issue = only(res, "source_field_not_found")
    assert issue.message == "The source field 'categry' does not exist in the source schema."
    assert issue.path == ("feature_extractor", "field_passthrough", 1, "source_path")
    assert issue.hint == "did you mean 'category'?"


def test_leaf_name_hint_finds_the_nested_field() -> None:
    res = resolve(request(field_passthrough=[{"source_path": "author"}]))
    assert only(res, "source_field_not_found").hint == "did you mean 'metadata.author'?"


@pytest.mark.parametrize(
    "path",
    ["product_image.url", "metadata.tags.x", "price.amount", "metadata.", "chapters.titles", "nope"],
)
def test_paths_that_resolve_nowhere(path: str) -> None:
    res = resolve(request(field_passthrough=[{"source_path": path}]))
    assert only(res, "source_field_not_found").message == (
        f"The source field '{path}' does not exist in the source schema."
    )


def test_bucket_without_schema_fails_every_mapping_with_the_message() -> None:
    res = resolve(request(), buckets={"bkt_products": {"bucket_name": "products"}})
    issue = only(res, "source_field_not_found")
    assert issue.message == "The source field 'product_image' does not exist in the source schema."
    assert issue.hint is not None and "bucket_schema" in issue.hint


# --- paths ----------------------------------------------------------------------------------------


def test_paths_through_objects_arrays_and_files() -> None:
    res = resolve(
        request(
            field_passthrough=[
                {"source_path": "metadata.author"},  # through an object, flattened to its last segment
                {"source_path": "metadata.tags"},  # an array addresses the array itself
                {"source_path": "chapters.title", "target_path": "chapter_titles"},  # through an array of objects
                {"source_path": "manual"},  # a top-level file field by its name
            ]
        )
    )
    assert res.ok, res.issues
    props = res.output_schema["properties"]
    assert props["author"] == {"type": "string"}
    assert props["tags"] == {"type": "array", "items": {"type": "string"}}
    assert props["chapter_titles"] == {"type": "array", "items": {"type": "string"}}
    assert props["manual"] == {"type": "pdf"}


# --- input mappings -------------------------------------------------------------------------------


def test_unknown_extractor_input() -> None:
    res = resolve(request(input_mappings={"image": "product_image", "imgae": "product_image"}))
    issue = only(res, "unknown_extractor_input")
    assert issue.path == ("feature_extractor", "input_mappings", "imgae")
    assert issue.hint == "did you mean 'image'?"


def test_unknown_extractor_input_lists_inputs_when_nothing_is_close() -> None:
    res = resolve(request(input_mappings={"image": "product_image", "zzz": "title"}))
    assert only(res, "unknown_extractor_input").hint == "inputs of image_extractor: image"


def test_missing_required_input() -> None:
    res = resolve(request(input_mappings={}))
    issue = only(res, "missing_extractor_input")
    assert issue.path == ("feature_extractor", "input_mappings")
    assert "'image'" in issue.message
    assert issue.hint == "map 'image' to 'product_image'"


def test_missing_input_when_input_mappings_are_absent() -> None:
    req = request()
    del req["feature_extractor"]["input_mappings"]
    assert only(resolve(req), "missing_extractor_input").path == ("feature_extractor", "input_mappings")


def test_at_least_one_input_for_multimodal() -> None:
    res = resolve(request(feature_extractor_name="multimodal_extractor", input_mappings={}))
    issue = only(res, "missing_extractor_input")
    assert "at least one" in issue.message
    ok = resolve(request(feature_extractor_name="multimodal_extractor", input_mappings={"text": "title"}))
    assert ok.ok, ok.issues


@pytest.mark.parametrize(
    ("extractor", "name", "field", "accepted"),
    [
        ("image_extractor", "image", "product_image", True),
        ("image_extractor", "image", "title", False),
        ("image_extractor", "image", "manual", False),
        ("text_extractor", "text", "description", True),
        ("text_extractor", "text", "title", True),
        ("text_extractor", "text", "price", False),
        ("text_extractor", "text", "chapters.title", True),
        ("document_graph_extractor", "pdf", "manual", True),
        ("document_graph_extractor", "pdf", "description", False),
        ("face_identity_extractor", "image", "product_image", True),
        ("multimodal_extractor", "video", "product_image", True),
        ("multimodal_extractor", "audio", "product_image", False),
    ],
)
def test_accepted_input_types_come_from_the_definition(extractor: str, name: str, field: str, accepted: bool) -> None:
    res = resolve(request(feature_extractor_name=extractor, input_mappings={name: field}))
    if accepted:
        assert res.ok, res.issues
    else:
        issue = only(res, "input_type_mismatch")
        assert issue.path == ("feature_extractor", "input_mappings", name)
        assert f"source field '{field}'" in issue.message


def test_list_form_payload_literal_vector() -> None:
    res = resolve(
        request(
            feature_extractor_name="multimodal_extractor",
            input_mappings=[
                {"input_key": "image", "source_type": "payload", "path": "product_image"},
                {"input_key": "text", "source_type": "literal", "override": "a product photo"},
                {"input_key": "video", "source_type": "vector", "path": "embedding"},
            ],
        )
    )
    assert res.ok, res.issues


def test_list_form_paths_point_at_the_entry() -> None:
    res = resolve(
        request(
            feature_extractor_name="multimodal_extractor",
            input_mappings=[
                {"input_key": "image", "path": "product_imag"},  # source_type defaults to payload
                {"input_key": "video", "source_type": "vector", "path": "title"},
                {"input_key": "text", "source_type": "literal", "path": "does.not.matter", "override": 0},
            ],
        )
    )
    missing = only(res, "source_field_not_found")
    assert missing.path == ("feature_extractor", "input_mappings", 0, "path")
    assert missing.hint == "did you mean 'product_image'?"
    mismatch = only(res, "input_type_mismatch")
    assert mismatch.path == ("feature_extractor", "input_mappings", 1, "path")
    assert "array" in mismatch.message


@pytest.mark.parametrize(
    ("entry", "where"),
    [
        ({"input_key": "text", "source_type": "literal"}, (0, "override")),
        ({"input_key": "text", "source_type": "literal", "override": None}, (0, "override")),
        ({"input_key": "text", "source_type": "payload"}, (0, "path")),
        ({"input_key": "text", "source_type": "pipe", "path": "title"}, (0, "source_type")),
        ({"path": "title"}, (0, "input_key")),
        ("text", (0,)),
    ],
)
def test_malformed_input_mapping_entries(entry: Any, where: tuple[Any, ...]) -> None:
    res = resolve(request(feature_extractor_name="text_extractor", input_mappings=[entry]))
    issue = next(i for i in res.issues if i.code == "invalid_collection_request")
    assert issue.path == ("feature_extractor", "input_mappings", *where)


def test_duplicate_input_key_in_list_form() -> None:
    res = resolve(
        request(
            feature_extractor_name="text_extractor",
            input_mappings=[{"input_key": "text", "path": "title"}, {"input_key": "text", "path": "category"}],
        )
    )
    assert only(res, "invalid_collection_request").path == ("feature_extractor", "input_mappings", 1, "input_key")


# --- extractor ------------------------------------------------------------------------------------


def test_unknown_extractor_name_and_version() -> None:
    res = resolve(request(feature_extractor_name="image_extracter"))
    issue = only(res, "unknown_extractor")
    assert issue.path == ("feature_extractor", "feature_extractor_name")
    known = "known extractors: " + ", ".join(ExtractorRegistry.builtin().names())
    assert issue.hint == f"did you mean 'image_extractor'? {known}"
    res = resolve(request(feature_extractor_name="scene_detector"))
    assert only(res, "unknown_extractor").hint == f"did you mean 'scene_extractor'? {known}"
    res = resolve(request(feature_extractor_name="nothing_like_it"))
    hint = only(res, "unknown_extractor").hint
    assert hint is not None and hint.startswith("known extractors: text_extractor")
    res = resolve(request(version="v9"))
    issue = only(res, "unknown_extractor")
    assert issue.path == ("feature_extractor", "version")
    assert issue.hint == "image_extractor has versions: v1"


def test_missing_version_is_reported_and_checking_goes_on() -> None:
    req = request(input_mappings={"image": "titel"})
    del req["feature_extractor"]["version"]
    res = resolve(req)
    assert only(res, "invalid_collection_request").path == ("feature_extractor", "version")
    assert "source_field_not_found" in codes(res)


# --- field passthrough and output schemas ---------------------------------------------------------

EXTRACTOR_OUTPUTS = {"image_extractor_v1_embedding": {"type": "array"}, "caption": {"type": "string"}}


def test_output_schema_without_passthrough_is_the_extractor_outputs() -> None:
    assert resolve(request()).output_schema == {"properties": EXTRACTOR_OUTPUTS}


def test_output_schema_with_explicit_passthrough_renames_and_defaults() -> None:
    res = resolve(
        request(
            field_passthrough=[
                {"source_path": "title", "target_path": "name", "required": True},
                {"source_path": "metadata.author", "target_path": "contributor"},
                {"source_path": "category", "default": "uncategorized"},
                {"source_path": "region", "default": "eu"},
                {"source_path": "stock", "default": 0},
                {"source_path": "score", "default": 0.5},
                {"source_path": "flags", "default": []},
                {"source_path": "extra", "default": {}},
                {"source_path": "active", "default": False},
            ]
        )
    )
    assert res.ok, res.issues
    assert res.output_schema["properties"] == {
        "name": {"type": "string", "required": True},
        "contributor": {"type": "string"},
        "category": {"type": "string"},  # present in the source: its definition, default or not
        "region": {"type": "string"},  # missing from the source: typed by the default
        "stock": {"type": "integer"},
        "score": {"type": "float"},
        "flags": {"type": "array"},
        "extra": {"type": "object"},
        "active": {"type": "boolean"},
        **EXTRACTOR_OUTPUTS,
    }


def test_output_schema_include_all_renames_in_place() -> None:
    res = resolve(
        request(
            include_all_source_fields=True,
            field_passthrough=[
                {"source_path": "title", "target_path": "name"},
                {"source_path": "metadata.author"},
            ],
        )
    )
    assert res.ok, res.issues
    names = list(res.output_schema["properties"])
    source = list(PRODUCTS["bucket_schema"]["properties"])
    assert names == [
        "product_image",
        "name",
        *source[2:],
        "author",
        *EXTRACTOR_OUTPUTS,
    ]
    assert res.output_schema["properties"]["metadata"]["properties"]["tags"]["type"] == "array"


def test_include_all_colliding_with_an_extractor_output() -> None:
    res = resolve_collection(
        {
            "collection_name": "texts",
            "source": {"type": "bucket", "bucket_ids": ["b"]},
            "feature_extractor": {
                "feature_extractor_name": "text_extractor",
                "version": "v1",
                "input_mappings": {"text": "title"},
                "include_all_source_fields": True,
            },
        },
        buckets={"b": {"properties": {"text": {"type": "string"}, "title": {"type": "string"}}}},
    )
    issue = only(res, "target_conflict")
    assert issue.path == ("feature_extractor", "include_all_source_fields")
    assert "'text'" in issue.message


def test_invalid_target_name() -> None:
    res = resolve(request(field_passthrough=[{"source_path": "title", "target_path": "my title"}]))
    issue = only(res, "invalid_target_name")
    assert issue.path == ("feature_extractor", "field_passthrough", 0, "target_path")
    res = resolve(request(field_passthrough=[{"source_path": "title", "target_path": "9lives"}]))
    assert only(res, "invalid_target_name").path == ("feature_extractor", "field_passthrough", 0, "target_path")
    assert resolve(request(field_passthrough=[{"source_path": "title", "target_path": "_a-b_9"}])).ok


@pytest.mark.parametrize(
    "target",
    ["document_id", "collection_id", "object_id", "bucket_id", "root_bucket_id", "source_object_id", "created_at",
     "updated_at"],
)  # fmt: skip
def test_target_conflict_with_system_fields(target: str) -> None:
    res = resolve(request(field_passthrough=[{"source_path": "title", "target_path": target}]))
    issue = only(res, "target_conflict")
    assert issue.path == ("feature_extractor", "field_passthrough", 0, "target_path")
    assert "system field" in issue.message


def test_target_conflict_with_outputs_and_other_passthrough() -> None:
    res = resolve(
        request(
            field_passthrough=[
                {"source_path": "title", "target_path": "caption"},
                {"source_path": "metadata.title"},
                {"source_path": "title"},
            ]
        )
    )
    issues = [i for i in res.issues if i.code == "target_conflict"]
    assert [i.path for i in issues] == [
        ("feature_extractor", "field_passthrough", 0, "target_path"),
        ("feature_extractor", "field_passthrough", 2, "source_path"),
    ]
    assert "field_passthrough[1]" in issues[1].message


def test_default_makes_a_missing_field_legal_only_with_a_value() -> None:
    assert resolve(request(field_passthrough=[{"source_path": "nope", "default": "x"}])).ok
    res = resolve(request(field_passthrough=[{"source_path": "nope", "default": None}]))
    assert codes(res) == ["source_field_not_found"]


# --- sources and input schemas --------------------------------------------------------------------


def test_unknown_bucket() -> None:
    req = request()
    req["source"]["bucket_ids"] = ["bkt_prodcuts"]
    issue = only(resolve(req), "unknown_source")
    assert issue.path == ("source", "bucket_ids", 0)
    assert issue.hint == "did you mean 'bkt_products'?"


def test_unknown_collection_and_cross_kind_hint() -> None:
    req = request()
    req["source"] = {"type": "collection", "collection_id": "bkt_products"}
    issue = only(resolve(req), "unknown_source")
    assert issue.path == ("source", "collection_id")
    assert issue.hint is not None and "is a bucket" in issue.hint


def test_deprecated_bucket_id_alias_is_a_warning() -> None:
    req = request()
    req["source"] = {"type": "bucket", "bucket_id": "bkt_products"}
    res = resolve(req)
    issue = only(res, "deprecated_alias")
    assert issue.severity == "warning"
    assert issue.path == ("source", "bucket_id")
    assert res.ok and res.source_ids == ["bkt_products"]


def test_incompatible_source_schemas_lists_each_difference() -> None:
    other = copy.deepcopy(PRODUCTS)
    props = other["bucket_schema"]["properties"]
    props["price"] = {"type": "integer"}
    props["title"] = {"type": "string"}
    del props["category"]
    props["sku"] = {"type": "string"}
    req = request()
    req["source"]["bucket_ids"] = ["bkt_products", "bkt_other"]
    res = resolve(req, buckets={"bkt_products": PRODUCTS, "bkt_other": other})
    issue = only(res, "incompatible_source_schemas")
    assert issue.path == ("source", "bucket_ids", 1)
    for phrase in (
        "'price' is float in 'bkt_products' but integer in 'bkt_other'",
        "'title' is required in 'bkt_products' but optional in 'bkt_other'",
        "'category' is missing in 'bkt_other'",
        "'sku' is only in 'bkt_other'",
    ):
        assert phrase in issue.message
    same = copy.deepcopy(PRODUCTS)
    assert resolve(req, buckets={"bkt_products": PRODUCTS, "bkt_other": same}).ok


def test_incompatible_upstream_collections() -> None:
    req = request()
    req["source"] = {"type": "collection", "collection_ids": ["c1", "c2"]}
    c1 = {"output_schema": {"properties": {"product_image": {"type": "image"}, "n": {"type": "integer"}}}}
    c2 = {"output_schema": {"properties": {"product_image": {"type": "image"}, "n": {"type": "string"}}}}
    res = resolve_collection(req, buckets={}, collections={"c1": c1, "c2": c2})
    issue = only(res, "incompatible_source_schemas")
    assert issue.path == ("source", "collection_ids", 1)
    assert "'n' is integer in 'c1' but string in 'c2'" in issue.message
    assert resolve_collection(req, buckets={}, collections={"c1": c1, "c2": c1}).ok


def test_input_schema_must_be_compatible_with_the_source() -> None:
    req = request()
    req["input_schema"] = {
        "properties": {
            "product_image": {"type": "image"},
            "price": {"type": "integer"},
            "metadata": {"type": "object", "properties": {"titel": {"type": "string"}}},
        }
    }
    res = resolve(req)
    paths = {i.path: i for i in res.issues if i.code == "incompatible_input_schema"}
    assert set(paths) == {
        ("input_schema", "properties", "price", "type"),
        ("input_schema", "properties", "metadata", "properties", "titel"),
    }
    assert paths[("input_schema", "properties", "metadata", "properties", "titel")].hint == (
        "did you mean 'metadata.title'?"
    )


def test_input_schema_narrows_what_can_be_mapped() -> None:
    req = request(field_passthrough=[{"source_path": "category"}])
    req["input_schema"] = {"properties": {"product_image": {"type": "image"}, "title": {"type": "string"}}}
    res = resolve(req)
    assert codes(res) == ["source_field_not_found"]
    assert res.input_schema == req["input_schema"]


def test_collection_source_from_output_schema_dict_and_resolution() -> None:
    upstream = resolve(request(field_passthrough=[{"source_path": "title", "required": True}]))
    downstream = {
        "collection_name": "captions",
        "source": {"type": "collection", "collection_id": "col_up"},
        "feature_extractor": {
            "feature_extractor_name": "text_extractor",
            "version": "v1",
            "input_mappings": {"text": "caption"},
            "field_passthrough": [{"source_path": "title"}, {"source_path": "image_extractor_v1_embedding"}],
        },
    }
    for given in (upstream, {"output_schema": upstream.output_schema}, upstream.output_schema):
        res = resolve_collection(downstream, buckets={}, collections={"col_up": given})
        assert res.ok, res.issues
        assert res.input_schema == upstream.output_schema


def downstream_of(upstream: CollectionResolution, **extractor: Any) -> CollectionResolution:
    req = request(**extractor)
    req["source"] = {"type": "collection", "collection_id": "col_up"}
    return resolve_collection(req, buckets={}, collections={"col_up": upstream})


def test_downstream_of_a_failed_collection_is_checked_against_what_it_produces() -> None:
    # the upstream's error is in an input mapping: its output schema is still fully known
    upstream = resolve(request(input_mappings={"image": "nope"}, field_passthrough=[{"source_path": "product_image"}]))
    assert not upstream.ok and upstream.output_gaps == frozenset()
    assert downstream_of(upstream).ok
    res = downstream_of(upstream, input_mappings={"image": "product_imag"})
    assert only(res, "source_field_not_found").hint == "did you mean 'product_image'?"


def test_fields_a_failed_upstream_does_not_produce_give_unresolved_source() -> None:
    upstream = resolve(request(field_passthrough=[{"source_path": "photo", "target_path": "product_image"}]))
    assert upstream.output_gaps == frozenset({"product_image"})
    res = downstream_of(
        upstream,
        field_passthrough=[
            {"source_path": "image_extractor_v1_embedding", "target_path": "upstream_embedding"},
            {"source_path": "product_image"},
        ],
    )
    issue = only(res, "unresolved_source")
    assert issue.path == ("source", "collection_id")
    assert "'product_image'" in issue.message
    assert codes(res) == ["unresolved_source"]


def test_include_all_carries_an_upstream_gap_on() -> None:
    upstream = resolve(request(field_passthrough=[{"source_path": "photo", "target_path": "picture"}]))
    req = request(feature_extractor_name="text_extractor", input_mappings={"text": "caption"})
    req["source"] = {"type": "collection", "collection_id": "col_up"}
    req["feature_extractor"]["include_all_source_fields"] = True
    res = resolve_collection(req, buckets={}, collections={"col_up": upstream})
    assert res.ok and res.output_gaps == frozenset({"picture"})
    req["feature_extractor"]["include_all_source_fields"] = False
    assert resolve_collection(req, buckets={}, collections={"col_up": upstream}).output_gaps == frozenset()


def test_upstream_with_an_unknown_extractor_gives_unresolved_source() -> None:
    upstream = resolve(request(feature_extractor_name="nope"))
    assert upstream.output_gaps is None
    res = downstream_of(upstream)
    assert codes(res) == ["unresolved_source"]
    assert only(res, "unresolved_source").path == ("source", "collection_id")


@pytest.mark.parametrize(
    ("source", "path"),
    [
        ({"type": "collection", "collection_id": "c", "bucket_ids": ["bkt_products"]}, ("source", "bucket_ids")),
        ({"type": "bucket", "bucket_ids": ["bkt_products"], "collection_id": "c"}, ("source", "collection_id")),
        ({"type": "bucket"}, ("source", "bucket_ids")),
        ({"type": "bucket", "bucket_ids": []}, ("source", "bucket_ids")),
        ({"type": "bucket", "bucket_ids": "bkt_products"}, ("source", "bucket_ids")),
        ({"type": "bucket", "bucket_ids": ["bkt_products", "bkt_products"]}, ("source", "bucket_ids", 1)),
        ({"type": "collection"}, ("source", "collection_id")),
        ({"type": "taxonomy"}, ("source", "type")),
        ({"bucket_ids": ["bkt_products"]}, ("source", "type")),
        ("bkt_products", ("source",)),
    ],
)
def test_invalid_source_config(source: Any, path: tuple[Any, ...]) -> None:
    req = request()
    req["source"] = source
    res = resolve(req, collections={"c": {"output_schema": {"properties": {}}}})
    assert path in [i.path for i in res.issues if i.code == "invalid_collection_request"], res.issues


@pytest.mark.parametrize(
    ("name", "ok"),
    [("abc", True), ("a" * 100, True), ("video-frames_2", True), ("ab", False), ("a" * 101, False),
     ("has space", False), ("dots.no", False), (7, False), (None, False)],
)  # fmt: skip
def test_collection_name_rules(name: Any, ok: bool) -> None:
    req = request()
    req["collection_name"] = name
    res = resolve(req)
    assert res.ok is ok
    if not ok:
        assert only(res, "invalid_collection_request").path == ("collection_name",)


def test_missing_top_level_keys_hint_at_typos() -> None:
    req = request()
    req["feature_extractors"] = req.pop("feature_extractor")
    issue = only(resolve(req), "invalid_collection_request")
    assert issue.path == ("feature_extractor",)
    assert issue.hint == "found 'feature_extractors'; did you mean 'feature_extractor'?"


@pytest.mark.parametrize("bad", [None, 0, "x", [], [1, 2], {"a": 1}, True])
def test_any_json_value_as_request_or_buckets_gives_issues(bad: Any) -> None:
    res = resolve_collection(bad, buckets=BUCKETS)
    assert not res.ok and res.issues
    res = resolve_collection(request(), buckets=bad)
    if isinstance(bad, dict):
        assert only(res, "unknown_source").path == ("source", "bucket_ids", 0)
    else:
        assert not res.ok
    assert res.output_schema["properties"]  # extractor outputs are still known


def test_unknown_keys_are_warnings_with_hints() -> None:
    req = request(input_mapping={"image": "product_image"}, field_passthrough=[{"source_path": "title", "taget": "t"}])
    req["source"]["filters"] = {}
    res = resolve(req)
    warnings = {i.path: i.hint for i in res.issues if i.code == "unknown_key"}
    assert warnings == {
        ("source", "filters"): "did you mean 'source_filters'?",
        ("feature_extractor", "input_mapping"): "did you mean 'input_mappings'?",
        ("feature_extractor", "field_passthrough", 0, "taget"): "did you mean 'target_path'?",
    }
    assert all(i.severity == "warning" for i in res.issues if i.code == "unknown_key")


def test_non_string_bucket_ids_from_python_callers() -> None:
    res = resolve_collection(request(), buckets={1: PRODUCTS, None: PRODUCTS})
    issue = only(res, "unknown_source")
    assert issue.hint is None


def test_extractors_must_be_a_registry() -> None:
    with pytest.raises(TypeError):
        resolve_collection(request(), buckets=BUCKETS, extractors={"x": 1})  # type: ignore[arg-type]
