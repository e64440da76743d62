"""The resolver's limits: odd values give issues, request fields typed as the OpenAPI document types them,
long cycles and many misspellings cost what the work does, and the catalog's extractors from the document."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from schemakit import MappingError, SchemaDefinitionError, resolve_collection, resolve_pipeline
from schemakit._issues import MAX_SUGGESTED
from schemakit.mappings import CollectionResolution, ExtractorRegistry

HUGE = 10**5000  # past the interpreter's 4,300-digit int -> str limit
OVER_FLOAT = int("9" * 401)  # json.loads gives this for a 401-digit number; float() of it overflows

BUCKETS: dict[str, Any] = {
    "bkt": {
        "bucket_schema": {
            "properties": {
                "img": {"type": "image"},
                "title": {"type": "string"},
                "body": {"type": "text"},
                "site": {"type": "string"},
                "metadata": {"type": "object", "properties": {"title": {"type": "string"}}},
            }
        }
    }
}


def request(**extractor: Any) -> dict[str, Any]:
    fe: dict[str, Any] = {
        "feature_extractor_name": "image_extractor",
        "version": "v1",
        "input_mappings": {"image": "img"},
    }
    fe.update(extractor)
    return {"collection_name": "products", "source": {"type": "bucket", "bucket_ids": ["bkt"]}, "feature_extractor": fe}


def resolve(req: Any, **kwargs: Any) -> CollectionResolution:
    kwargs.setdefault("buckets", BUCKETS)
    return resolve_collection(req, **kwargs)


def found(res: Any) -> list[tuple[str, tuple[Any, ...]]]:
    return [(i.code, i.path) for i in res.issues]


class Unprintable:
    def __repr__(self) -> str:
        raise RuntimeError("a caller's object must not be run")

    def __str__(self) -> str:
        raise RuntimeError("a caller's object must not be run")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("a caller's object must not be run")

    __hash__ = object.__hash__


# --- huge integers ---------------------------------------------------------------------------------


def test_a_huge_integer_as_the_request_or_as_buckets() -> None:
    res = resolve_collection(HUGE, buckets={})
    assert found(res) == [("invalid_collection_request", ())]
    assert "an integer of 5001 digits" in res.issues[0].message
    assert not resolve_collection(request(), buckets=HUGE).ok


def test_a_huge_integer_as_manifest_sections_and_keys() -> None:
    p = resolve_pipeline({"buckets": HUGE})
    assert ("invalid_manifest", ("buckets",)) in found(p)
    assert "an integer of 5001 digits" in p.issues[0].message
    p = resolve_pipeline({HUGE: 1, "collections": {}})
    assert found(p) == [("invalid_manifest", ("an integer of 5001 digits",))]
    p = resolve_pipeline({"collections": {HUGE: request()}})
    assert found(p) == [("invalid_manifest", ("collections", "an integer of 5001 digits"))]


def test_map_object_of_a_huge_integer_raises_the_documented_error() -> None:
    res = resolve(request())
    assert res.ok
    with pytest.raises(MappingError) as err:
        res.map_object(HUGE)
    assert err.value.issues[0].code == "invalid_source_object"
    assert "an integer of 5001 digits" in err.value.issues[0].message


def definition(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "feature_extractor_name": "tagger",
        "version": "v1",
        "input_schema": {"properties": {"text": {"type": "text", "accepts": ["string"], "required": True}}},
        "output_schema": {"properties": {"tag": {"type": "string"}}},
    }
    raw.update(changes)
    return raw


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        (HUGE, ()),
        (definition(feature_extractor_name=HUGE), ("feature_extractor_name",)),
        (definition(icon=HUGE), ("icon",)),
        (definition(input_schema={"properties": {HUGE: {"type": "text"}}}), ("input_schema", "properties")),
        (definition(default_parameters={"n": [HUGE]}), ("default_parameters", "n", 0)),
        (definition(icon=Unprintable()), ("icon",)),
        ([definition(), definition(feature_extractor_name="b", version=HUGE)], (1, "version")),
    ],
    ids=["huge", "huge-name", "huge-extra-key", "huge-key", "huge-nested", "unprintable", "huge-in-a-list"],
)
def test_definitions_with_values_no_json_holds_raise_the_documented_error(raw: Any, path: tuple[Any, ...]) -> None:
    with pytest.raises(SchemaDefinitionError) as err:
        ExtractorRegistry.builtin().with_definitions(raw)
    assert [i.path for i in err.value.issues] == [path]
    assert all(i.code == "invalid_extractor_definition" for i in err.value.issues)


def test_a_definition_is_kept_as_plain_json_data() -> None:
    class Tagged(dict[str, Any]):
        pass

    raw = definition(icon="tag", default_parameters=Tagged(n=(1, 2)))
    registry = ExtractorRegistry.builtin().with_definitions(raw)
    copied = registry.definition("tagger", "v1")
    assert copied is not None and copied["default_parameters"] == {"n": [1, 2]}
    assert type(copied["default_parameters"]) is dict
    raw["icon"] = "changed"
    assert registry.definition("tagger", "v1")["icon"] == "tag"  # type: ignore[index]
    json.dumps(copied)


def test_a_deeply_nested_definition_is_refused_without_recursion() -> None:
    deep: Any = {}
    for _ in range(10_000):
        deep = {"a": deep}
    with pytest.raises(SchemaDefinitionError) as err:
        ExtractorRegistry.builtin().with_definitions(definition(default_parameters=deep))
    assert "nests deeper than" in err.value.issues[0].message


@pytest.mark.parametrize("where", ["default", "enum"])
@pytest.mark.parametrize("ftype", ["number", "float"])
def test_an_integer_beyond_float_range_in_a_bucket_field(where: str, ftype: str) -> None:
    spec: dict[str, Any] = {"type": ftype, "default": OVER_FLOAT} if where == "default" else {"type": ftype}
    if where == "enum":
        spec["enum"] = [1.5, OVER_FLOAT]
    manifest = {"buckets": {"b": {"bucket_schema": {"properties": {"x": spec}}}}, "collections": {}}
    resolve_pipeline(manifest)  # issues or none, never OverflowError


# --- objects that cannot be printed ----------------------------------------------------------------


@pytest.mark.parametrize(
    "place",
    [
        lambda r: Unprintable(),
        lambda r: {**r, "collection_name": Unprintable()},
        lambda r: {**r, Unprintable(): 1},
        lambda r: {**r, "source": {"type": Unprintable(), "bucket_ids": ["bkt"]}},
        lambda r: {**r, "source": {"type": "bucket", "bucket_ids": [Unprintable()]}},
        lambda r: {**r, "source": {"type": "bucket", "bucket_id": Unprintable()}},
        lambda r: {**r, "description": Unprintable()},
        lambda r: request(version=Unprintable()),
        lambda r: request(input_mappings={"image": Unprintable()}),
        lambda r: request(input_mappings={Unprintable(): "img"}),
        lambda r: request(input_mappings=[{"input_key": "image", "source_type": Unprintable(), "path": "img"}]),
        lambda r: request(field_passthrough=[{"source_path": Unprintable()}]),
        lambda r: request(field_passthrough=[{"source_path": "title", "default": Unprintable()}]),
        lambda r: request(field_passthrough=[{"source_path": "title", Unprintable(): 1}]),
    ],
)
def test_an_unprintable_object_anywhere_in_a_request_gives_issues(place: Any) -> None:
    res = resolve(place(request()))
    assert res.issues
    str(res.issues[0])
    res.to_dict()


def test_an_unprintable_object_as_buckets_ids_or_source_object() -> None:
    assert not resolve_collection(request(), buckets={Unprintable(): BUCKETS["bkt"]}).ok
    res = resolve(request())
    with pytest.raises(MappingError) as err:
        res.map_object(Unprintable())
    assert "Unprintable (unprintable)" in err.value.issues[0].message


def test_map_object_reads_blobs_without_running_a_callers_class() -> None:
    res = resolve(request())
    blob = {"property": Unprintable(), "type": "image", "data": "s3://x"}
    with pytest.raises(MappingError):
        res.map_object({"blobs": [blob]})
    out = res.map_object({"blobs": [blob, {"property": "img", "data": "s3://y"}]})
    assert out["inputs"]["image"] == {"property": "img", "data": "s3://y"}


# --- manifests the system cannot open --------------------------------------------------------------


@pytest.mark.parametrize("path", ["\ud800", "a\x00b", Path("a\x00b")])
def test_a_manifest_path_the_system_cannot_name_is_an_issue(path: Any) -> None:
    p = resolve_pipeline(path)
    assert found(p) == [("invalid_manifest", ())]
    assert not p.ok


@pytest.mark.parametrize("extractors", ["a\x00b", "\ud800", "/no/such/file.json"])
def test_a_manifest_whose_extractors_path_cannot_be_read(extractors: str) -> None:
    p = resolve_pipeline({"extractors": extractors, "collections": {}})
    assert found(p) == [("invalid_manifest", ("extractors",))]


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_a_manifest_file_with_a_number_past_the_digit_limit(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"m.{suffix}"
    digits = "1" * 5000
    path.write_text(f'{{"buckets": {digits}}}' if suffix == "json" else f"buckets: {digits}\n")
    assert found(resolve_pipeline(path)) == [("invalid_manifest", ())]


def test_an_extractors_file_with_a_number_past_the_digit_limit(tmp_path: Path) -> None:
    path = tmp_path / "defs.json"
    path.write_text('{"feature_extractor_name": ' + "1" * 5000 + "}")
    with pytest.raises(SchemaDefinitionError):
        ExtractorRegistry.builtin().with_definitions(path)


# --- the request's field types, from the OpenAPI document ------------------------------------------

FE = ("feature_extractor",)


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"enabled": "yes"}, ("enabled",), "'enabled' must be true or false, found string 'yes'"),
        ({"enabled": None}, ("enabled",), "'enabled' must be true or false, found null None"),
        ({"metadata": [1]}, ("metadata",), "'metadata' must be an object, found array"),
        ({"description": 5}, ("description",), "'description' must be a string, found integer 5"),
        (
            {"taxonomy_applications": {}},
            ("taxonomy_applications",),
            "'taxonomy_applications' must be a list of TaxonomyApplicationConfig, found object",
        ),
    ],
)
def test_request_fields_are_typed(change: dict[str, Any], path: tuple[Any, ...], message: str) -> None:
    res = resolve({**request(), **change})
    assert [(i.code, i.path, i.message) for i in res.issues] == [("invalid_collection_request", path, message)]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (
            {"field_passthrough": None},
            (*FE, "field_passthrough"),
            "'field_passthrough' must be a list of FieldPassthrough, found null None",
        ),
        (
            {"include_all_source_fields": None},
            (*FE, "include_all_source_fields"),
            "'include_all_source_fields' must be true or false, found null None",
        ),
        (
            {"input_mappings": None},
            (*FE, "input_mappings"),
            "'input_mappings' must be an object or a list of InputMapping, found null None",
        ),
        ({"params": "fast"}, (*FE, "params"), "'params' must be an object, found string 'fast'"),
        ({"parameters": [1]}, (*FE, "parameters"), "'parameters' must be an object, found array"),
        (
            {"field_passthrough": [{"source_path": "title", "required": "no"}]},
            (*FE, "field_passthrough", 0, "required"),
            "'required' must be true or false, found string 'no'",
        ),
        (
            {"field_passthrough": [{"source_path": "title", "required": None}]},
            (*FE, "field_passthrough", 0, "required"),
            "'required' must be true or false, found null None",
        ),
        (
            {"version": ""},
            (*FE, "version"),
            "'version' must be a non-empty string such as 'v1', found string ''",
        ),
        (
            {"input_mappings": [{"input_key": "image", "path": "img"}, {"input_key": "x", "source_type": "literal",
                                 "override": 1, "path": 3}]},
            (*FE, "input_mappings", 1, "path"),
            "'path' must be a dotted source path, found integer 3",
        ),
    ],
)  # fmt: skip
def test_extractor_config_fields_are_typed(change: dict[str, Any], path: tuple[Any, ...], message: str) -> None:
    res = resolve(request(**change))
    got = [(i.code, i.path, i.message) for i in res.issues if i.code == "invalid_collection_request"]
    assert got == [("invalid_collection_request", path, message)]


def test_an_empty_version_is_one_issue_and_checking_goes_on() -> None:
    res = resolve(request(version="", field_passthrough=[{"source_path": "titel"}]))
    assert found(res) == [
        ("invalid_collection_request", (*FE, "version")),
        ("source_field_not_found", (*FE, "field_passthrough", 0, "source_path")),
    ]


def test_nullable_fields_may_be_null_and_typed_ones_pass() -> None:
    passthrough = [{"source_path": "title", "target_path": None, "required": False}]
    req = {
        **request(params=None, parameters={"model": "clip"}, field_passthrough=passthrough),
        "description": None,
        "metadata": None,
        "enabled": False,
        "taxonomy_applications": None,
        "cluster_applications": [],
        "alert_applications": None,
    }
    req["source"]["inherited_bucket_ids"] = None
    req["source"]["source_filters"] = None
    assert resolve(req).issues == []


def test_inherited_bucket_ids_are_a_list_of_strings() -> None:
    req = request()
    req["source"]["inherited_bucket_ids"] = ["a", 3]
    assert found(resolve(req)) == [("invalid_collection_request", ("source", "inherited_bucket_ids", 1))]
    req["source"]["inherited_bucket_ids"] = "a"
    assert found(resolve(req)) == [("invalid_collection_request", ("source", "inherited_bucket_ids"))]


def test_a_misspelled_source_filters_key_is_a_warning() -> None:
    req = request()
    req["source"]["source_filters"] = {"filter": {"field": "title", "operator": "eq", "value": "x"}}
    (issue,) = resolve(req).issues
    assert (issue.code, issue.path, issue.severity) == (
        "unknown_key",
        ("source", "source_filters", "filter"),
        "warning",
    )
    assert issue.hint == "did you mean 'filters'?"


# --- cost that grows with the work -----------------------------------------------------------------


def cycle_manifest(n: int) -> dict[str, Any]:
    collections = {
        f"c{i}": {
            "collection_name": f"collection_{i}",
            "source": {"type": "collection", "collection_id": f"c{(i + 1) % n}"},
            "feature_extractor": {"feature_extractor_name": "text_extractor", "version": "v1",
                                  "input_mappings": {"text": "text"}},
        }
        for i in range(n)
    }  # fmt: skip
    return {"buckets": {}, "collections": collections}


def test_a_long_cycle_is_listed_once_and_each_member_names_its_neighbours() -> None:
    n = 400
    p = resolve_pipeline(cycle_manifest(n))
    cycles = [i for i in p.issues if i.code == "pipeline_cycle"]
    assert [i.path[1] for i in cycles] == [f"c{i}" for i in range(n)]
    assert all(i.path[2:] == ("source", "collection_id") for i in cycles)
    whole = [i for i in cycles if i.message.startswith("collections form a cycle: ")]
    assert len(whole) == 1 and whole[0].path[1] == "c0"
    listed = " -> ".join([*(f"c{i}" for i in range(n)), "c0"])
    assert whole[0].message == f"collections form a cycle: {listed} (each reads from the next)"
    assert cycles[5].message == (
        f"collections form a cycle of {n}: c4 -> c5 -> c6 (each reads from the next); "
        "the whole cycle is listed at collections/c0"
    )
    assert sum(len(i.message) for i in cycles[1:]) < 200 * n


def test_a_short_cycle_is_listed_in_each_member() -> None:
    p = resolve_pipeline(cycle_manifest(3))
    assert [i.message for i in p.issues if i.code == "pipeline_cycle"] == [
        "collections form a cycle: c0 -> c1 -> c2 -> c0 (each reads from the next)",
        "collections form a cycle: c1 -> c2 -> c0 -> c1 (each reads from the next)",
        "collections form a cycle: c2 -> c0 -> c1 -> c2 (each reads from the next)",
    ]


def test_many_misspelled_passthrough_paths_get_fuzzy_hints_for_the_first_ones() -> None:
    n = 300
    buckets = {"b": {"bucket_schema": {"properties": {f"field_{i:04d}": {"type": "string"} for i in range(n)}}}}
    req = {
        "collection_name": "c_many",
        "source": {"type": "bucket", "bucket_ids": ["b"]},
        "feature_extractor": {
            "feature_extractor_name": "text_extractor",
            "version": "v1",
            "input_mappings": {"text": "field_0000"},
            "field_passthrough": [{"source_path": f"fiedl_{i:04d}"} for i in range(n)]
            + [{"source_path": "FIELD_0299"}, {"source_path": "x.field_0007"}],
        },
    }
    res = resolve_collection(req, buckets=buckets)
    hints = [i.hint for i in res.issues if i.code == "source_field_not_found"]
    assert len(hints) == n + 2  # paths are case-sensitive: FIELD_0299 is not found either
    assert hints[:MAX_SUGGESTED] == [f"did you mean 'field_{i:04d}'?" for i in range(MAX_SUGGESTED)]
    assert set(hints[MAX_SUGGESTED:n]) == {None}
    # past the budget a case-insensitive match is still offered (a dictionary lookup)
    assert hints[n] == "did you mean 'field_0299'?"
    # the same-last-segment match too
    extra = [i for i in res.issues if i.path[-2:] == (n + 1, "source_path")]
    assert extra and extra[0].hint == "did you mean 'field_0007'?"


def test_many_unknown_bucket_ids_reuse_one_index() -> None:
    buckets = {f"bkt_{i:04d}": BUCKETS["bkt"] for i in range(200)}
    req = request()
    req["source"]["bucket_ids"] = [f"bkt_{i:04d}x" for i in range(100)]
    hints = [i.hint for i in resolve_collection(req, buckets=buckets).issues if i.code == "unknown_source"]
    assert hints[:MAX_SUGGESTED] == [f"did you mean 'bkt_{i:04d}'?" for i in range(MAX_SUGGESTED)]
    assert all(h is not None and h.startswith("known buckets: bkt_0000, ") for h in hints[MAX_SUGGESTED:])


# --- the catalog's extractors from the document ----------------------------------------------------


def test_sentiment_classifier_and_web_scraper_are_built_in() -> None:
    sentiment = copy.deepcopy(request(feature_extractor_name="sentiment_classifier", input_mappings={"text": "body"}))
    res = resolve(sentiment)
    assert res.ok, res.issues
    assert list(res.output_schema["properties"]) == [
        "sentiment_classifier_v1_embedding",
        "label",
        "score",
        "scores",
    ]
    scraper = request(
        feature_extractor_name="web_scraper",
        input_mappings={"url": "site"},
        field_passthrough=[{"source_path": "title"}],
    )
    res = resolve(scraper)
    assert res.ok, res.issues
    assert res.extractor is not None and res.extractor.position_fields == ("url", "chunk_index")
    assert res.map_object({"site": "https://example.com", "title": "t"}) == {
        "inputs": {"url": "https://example.com"},
        "fields": {"title": "t"},
    }
    wrong = resolve(request(feature_extractor_name="web_scraper", input_mappings={"url": "img"}))
    assert [i.code for i in wrong.issues] == ["input_type_mismatch"]


def test_the_catalog_parameters_are_the_documents_defaults() -> None:
    registry = ExtractorRegistry.builtin()
    sentiment = registry.definition("sentiment_classifier", "v1")
    scraper = registry.definition("web_scraper", "v1")
    assert sentiment is not None and scraper is not None
    assert sentiment["default_parameters"]["model_name"] == "distilbert-base-uncased-finetuned-sst-2-english"
    assert sentiment["parameter_schema"]["properties"]["max_length"] == {
        "type": "integer",
        "default": 512,
        "minimum": 32.0,
        "maximum": 1024.0,
    }
    assert scraper["default_parameters"]["max_pages"] == 50
    assert scraper["parameter_schema"]["properties"]["crawl_mode"]["enum"] == ["deterministic", "semantic"]
