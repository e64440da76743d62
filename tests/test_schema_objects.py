"""Object checks: every code with its exact path, normalization, and is_valid agreeing with validate."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

import schemakit
from schemakit import CompiledSchema, Issue

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

SCHEMA: dict[str, Any] = {
    "properties": {
        "image": {"type": "image", "required": True},
        "gallery": {"type": "array", "items": {"type": "image"}},
        "clip": {"type": "video"},
        "voice": {"type": "audio"},
        "manual": {"type": "pdf"},
        "notes": {"type": "text"},
        "prices": {"type": "excel"},
        "sku": {"type": "string", "required": True},
        "metadata": {
            "type": "object",
            "properties": {
                "title": {"type": "string", "required": True},
                "price": {"type": "float"},
                "stock": {"type": "integer", "default": 0},
                "status": {"type": "string", "enum": ["draft", "live"], "default": "draft"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "released": {"type": "date"},
                "updated": {"type": "datetime"},
                "featured": {"type": "boolean"},
                "size": {"type": "object", "properties": {"w": {"type": "number"}, "h": {"type": "number"}}},
            },
        },
    }
}


def good() -> dict[str, Any]:
    return {
        "sku": "SKU-1",
        "key_prefix": "/catalog/sku-1",
        "blobs": [{"property": "image", "type": "IMAGE", "data": "https://cdn.example.com/sku-1.jpg"}],
        "metadata": {"title": "Lamp", "price": 19.5, "tags": ["home"], "released": "2024-01-05"},
    }


@pytest.fixture(scope="module")
def v() -> CompiledSchema:
    return schemakit.compile_schema(SCHEMA)


@pytest.fixture(scope="module")
def strict() -> CompiledSchema:
    return schemakit.compile_schema(SCHEMA, strict=True)


def check(v: CompiledSchema, obj: Any) -> list[tuple[str, tuple[Any, ...]]]:
    """Issues of an object as (code, path), after asserting is_valid agrees with validate."""
    r = v.validate(obj)
    assert v.is_valid(obj) is r.ok, v.source
    assert (r.value is None) is (not r.ok)
    for issue in r.issues:
        assert isinstance(issue, Issue) and issue.message
    return [(i.code, i.path) for i in r.issues]


def with_blob(**blob: Any) -> dict[str, Any]:
    obj = good()
    obj["blobs"].append(blob)
    return obj


def test_good_object_is_valid(v: CompiledSchema) -> None:
    assert check(v, good()) == []


@pytest.mark.parametrize(
    ("obj", "path"),
    [
        (None, ()),
        ([], ()),
        ("object", ()),
        ({**good(), "blobs": {"property": "image"}}, ("blobs",)),
        ({**good(), "blobs": None}, ("blobs",)),
        ({**good(), "key_prefix": 5}, ("key_prefix",)),
        ({**good(), "skip_duplicates": "yes"}, ("skip_duplicates",)),
        ({**good(), "canonicalize_source": None}, ("canonicalize_source",)),
        ({**good(), "force_remirror": 1}, ("force_remirror",)),
    ],
)
def test_invalid_request(v: CompiledSchema, obj: Any, path: tuple[Any, ...]) -> None:
    assert ("invalid_request", path) in check(v, obj)


def test_blob_without_property_is_invalid_request(v: CompiledSchema) -> None:
    assert check(v, with_blob(data="https://x.example/a.jpg")) == [("invalid_request", ("blobs", 1, "property"))]


def test_blob_that_is_not_an_object(v: CompiledSchema) -> None:
    obj = good()
    obj["blobs"].append("https://x.example/a.jpg")
    assert check(v, obj) == [("invalid_request", ("blobs", 1))]


def test_unknown_blob_property_has_did_you_mean(v: CompiledSchema) -> None:
    r = v.validate(with_blob(property="galery", data="https://x.example/a.jpg"))
    assert [(i.code, i.path) for i in r.issues] == [("unknown_blob_property", ("blobs", 1, "property"))]
    assert r.issues[0].hint == "did you mean 'gallery'?"


def test_metadata_field_is_not_a_blob_property(v: CompiledSchema) -> None:
    assert check(v, with_blob(property="sku", data="https://x.example/a.jpg")) == [
        ("unknown_blob_property", ("blobs", 1, "property"))
    ]


def test_blob_type_mismatch(v: CompiledSchema) -> None:
    assert check(v, with_blob(property="clip", type="image", data="https://x.example/a.mp4")) == [
        ("blob_type_mismatch", ("blobs", 1, "type"))
    ]


def test_unknown_blob_type_lists_valid_types(v: CompiledSchema) -> None:
    r = v.validate(with_blob(property="notes", type="json", data="https://x.example/a.txt"))
    assert [(i.code, i.path) for i in r.issues] == [("blob_type_mismatch", ("blobs", 1, "type"))]
    hint = r.issues[0].hint or ""
    assert all(t in hint for t in schemakit.schema.ALL_TYPES)


@pytest.mark.parametrize("btype", ["VIDEO", "Video", "video", "auto", "AUTO", None])
def test_blob_type_case_insensitive_and_auto(v: CompiledSchema, btype: str | None) -> None:
    blob: dict[str, Any] = {"property": "clip", "data": "https://x.example/a.mp4"}
    if btype is not None:
        blob["type"] = btype
    obj = good()
    obj["blobs"].append(blob)
    r = v.validate(obj)
    assert r.ok, r.issues
    assert r.value is not None
    assert r.value["blobs"][0]["type"] == "image"
    if btype is not None:
        assert r.value["blobs"][1]["type"] == btype.lower()
    assert obj["blobs"][0]["type"] == "IMAGE", "the input must not be changed"


def test_missing_blob_source(v: CompiledSchema) -> None:
    assert check(v, with_blob(property="clip", type="video")) == [("missing_blob_source", ("blobs", 1))]
    assert check(v, with_blob(property="clip", data=None, upload_id=None)) == [("missing_blob_source", ("blobs", 1))]


def test_conflicting_blob_source(v: CompiledSchema) -> None:
    assert check(v, with_blob(property="clip", data="https://x.example/a.mp4", upload_id="upl_1")) == [
        ("conflicting_blob_source", ("blobs", 1))
    ]


def test_upload_id_alone_is_enough(v: CompiledSchema) -> None:
    assert check(v, with_blob(property="clip", type="VIDEO", upload_id="upl_video123")) == []


@pytest.mark.parametrize(
    "data",
    [
        "not a url",
        "ftp://files.example/a.jpg",
        "https://",
        "data:image/png,rawbytes",
        "data:image/png;base64,***",
        "data:image/png;base64,iVBORw0KG...",
        {"base64": "%%%"},
        {"base64": 5},
        {"url": "file:///etc/passwd"},
        {"filename": "https://example.com/images/smartphone-x1.jpg", "mime_type": "image/jpeg"},
        {"num_pages": 5, "title": "Service Agreement 2024"},
        {"base64": PNG, "mime_type": "jpeg"},
        12,
        ["https://x.example/a.jpg"],
        True,
    ],
)
def test_invalid_blob_data(v: CompiledSchema, data: Any) -> None:
    assert check(v, with_blob(property="gallery", data=data)) == [("invalid_blob_data", ("blobs", 1, "data"))]


@pytest.mark.parametrize(
    "data",
    [
        "https://cdn.example.com/a.jpg",
        "HTTPS://cdn.example.com/a",
        "s3://bucket/key.png",
        "gs://bucket/photos/1",
        "data:image/png;base64," + PNG,
        {"base64": PNG, "mime_type": "image/png", "filename": "dot.png"},
        {"base64": PNG},
        {"url": "https://cdn.example.com/a.webp"},
    ],
)
def test_accepted_blob_data(v: CompiledSchema, data: Any) -> None:
    assert check(v, with_blob(property="gallery", data=data)) == []


@pytest.mark.parametrize(
    ("prop", "data"),
    [
        ("image", "data:video/mp4;base64," + PNG),
        ("clip", {"base64": PNG, "mime_type": "audio/mpeg"}),
        ("voice", "data:image/png;base64," + PNG),
        ("manual", {"base64": PNG, "mime_type": "text/plain"}),
        ("notes", "data:application/pdf;base64," + PNG),
        ("prices", {"base64": PNG, "mime_type": "application/pdf"}),
    ],
)
def test_mime_type_mismatch(v: CompiledSchema, prop: str, data: Any) -> None:
    obj = good() if prop != "image" else {**good(), "blobs": []}
    obj["blobs"].append({"property": prop, "type": "auto", "data": data})
    expected_index = len(obj["blobs"]) - 1
    assert check(v, obj) == [("mime_type_mismatch", ("blobs", expected_index, "data"))]


@pytest.mark.parametrize(
    ("prop", "mime"),
    [
        ("clip", "image/gif"),
        ("clip", "video/mp4"),
        ("voice", "audio/wav"),
        ("manual", "application/pdf"),
        ("notes", "text/markdown"),
        ("notes", "application/json"),
        ("notes", "application/xml"),
        ("notes", "image/svg+xml"),
        ("prices", "text/csv"),
        ("prices", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("prices", "application/vnd.ms-excel"),
    ],
)
def test_mime_types_that_fit(v: CompiledSchema, prop: str, mime: str) -> None:
    ftype = SCHEMA["properties"][prop]["type"]
    assert check(v, with_blob(property=prop, data={"base64": PNG, "mime_type": mime})) == []
    assert check(v, with_blob(property=prop, type=ftype.upper(), data=f"data:{mime};base64,{PNG}")) == []


def test_auto_blob_type_infers_from_url_extension(v: CompiledSchema) -> None:
    assert check(v, with_blob(property="manual", data="https://x.example/guide.mp3")) == [
        ("mime_type_mismatch", ("blobs", 1, "data"))
    ]
    # nothing to infer: accepted
    assert check(v, with_blob(property="manual", data="https://x.example/download?id=7")) == []
    # an explicit type is trusted over a URL's extension
    assert check(v, with_blob(property="manual", type="pdf", data="https://x.example/guide.mp3")) == []


def test_text_blob_may_be_inline_text(v: CompiledSchema) -> None:
    assert check(v, with_blob(property="notes", type="text", data="Plain words, no URL.")) == []
    assert check(v, with_blob(property="manual", type="pdf", data="Plain words, no URL.")) == [
        ("invalid_blob_data", ("blobs", 1, "data"))
    ]


def test_blob_too_large() -> None:
    v = schemakit.compile_schema(SCHEMA, max_inline_bytes=10)
    obj = good()
    obj["blobs"].append({"property": "gallery", "data": {"base64": PNG, "mime_type": "image/png"}})
    obj["blobs"].append({"property": "notes", "data": "x" * 11})
    obj["blobs"].append({"property": "gallery", "data": "data:image/png;base64,QUJD"})  # 3 bytes: fine
    assert check(v, obj) == [("blob_too_large", ("blobs", 1, "data")), ("blob_too_large", ("blobs", 2, "data"))]


def test_duplicate_blob_property_reported_on_the_later_one(v: CompiledSchema) -> None:
    obj = good()
    obj["blobs"].append({"property": "gallery", "data": "https://x.example/1.jpg"})
    obj["blobs"].append({"property": "gallery", "data": "https://x.example/2.jpg"})
    obj["blobs"].append({"property": "image", "data": "https://x.example/3.jpg"})
    obj["blobs"].append({"property": "image", "data": "https://x.example/4.jpg"})
    assert check(v, obj) == [
        ("duplicate_blob_property", ("blobs", 3, "property")),
        ("duplicate_blob_property", ("blobs", 4, "property")),
    ]


def test_file_field_not_blob(v: CompiledSchema) -> None:
    obj = {**good(), "clip": "https://x.example/a.mp4", "gallery": ["https://x.example/a.jpg"]}
    assert check(v, obj) == [("file_field_not_blob", ("gallery",)), ("file_field_not_blob", ("clip",))]


def test_missing_required_field_points_at_the_field(v: CompiledSchema) -> None:
    obj = good()
    del obj["sku"]
    obj["metadata"]["title"] = None
    obj["blobs"] = []
    assert check(v, obj) == [
        ("missing_required_field", ("image",)),
        ("missing_required_field", ("sku",)),
        ("missing_required_field", ("metadata", "title")),
    ]


def test_no_blobs_key_means_required_blob_missing(v: CompiledSchema) -> None:
    obj = good()
    del obj["blobs"]
    assert check(v, obj) == [("missing_required_field", ("image",))]


def test_required_inside_absent_parent_is_not_checked(v: CompiledSchema) -> None:
    obj = good()
    del obj["metadata"]
    assert check(v, obj) == []


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("title", 5, "string"),
        ("price", "12.5", "number"),
        ("price", True, "number"),
        ("price", float("nan"), "number"),
        ("price", float("inf"), "number"),
        ("stock", 1.5, "integer"),
        ("stock", False, "integer"),
        ("featured", 1, "boolean"),
        ("featured", "true", "boolean"),
        ("tags", "home", "array"),
        ("size", [1, 2], "object"),
        ("released", 20240105, "date"),
        ("updated", 1700000000, "date-time"),
    ],
)
def test_type_mismatch(v: CompiledSchema, field: str, value: Any, expected: str) -> None:
    obj = good()
    obj["metadata"][field] = value
    r = v.validate(obj)
    assert [(i.code, i.path) for i in r.issues] == [("type_mismatch", ("metadata", field))]
    assert r.issues[0].message.startswith("expected ")
    assert expected in r.issues[0].message and ", found " in r.issues[0].message
    assert not v.is_valid(obj)


def test_type_mismatch_in_array_items_and_nested_objects(v: CompiledSchema) -> None:
    obj = good()
    obj["metadata"]["tags"] = ["ok", 3, None, "fine", {"x": 1}]
    obj["metadata"]["size"] = {"w": "wide", "h": 2}
    assert check(v, obj) == [
        ("type_mismatch", ("metadata", "tags", 1)),
        ("type_mismatch", ("metadata", "tags", 4)),
        ("type_mismatch", ("metadata", "size", "w")),
    ]


@pytest.mark.parametrize("value", [5, 5.0, -3, 10**30])
def test_integers_include_integral_floats(v: CompiledSchema, value: Any) -> None:
    obj = good()
    obj["metadata"]["stock"] = value
    assert check(v, obj) == []


def test_enum_mismatch(v: CompiledSchema) -> None:
    obj = good()
    obj["metadata"]["status"] = "Live"
    r = v.validate(obj)
    assert [(i.code, i.path) for i in r.issues] == [("enum_mismatch", ("metadata", "status"))]
    assert r.issues[0].hint == "did you mean 'live'?"


@pytest.mark.parametrize("value", ["20240105", "2024-02-30", "2024-1-5", "2024-01-05T00:00:00Z", "", "2024-01-05\n"])
def test_invalid_date(v: CompiledSchema, value: str) -> None:
    obj = good()
    obj["metadata"]["released"] = value
    assert check(v, obj) == [("invalid_date", ("metadata", "released"))]


def test_date_objects_are_dates(v: CompiledSchema) -> None:
    obj = good()
    obj["metadata"]["released"] = dt.date(2024, 1, 5)
    obj["metadata"]["updated"] = dt.datetime(2024, 1, 5, 10, tzinfo=dt.UTC)
    assert check(v, obj) == []


@pytest.mark.parametrize(
    "value", ["2024-01-05", "2024-01-05T25:00:00Z", "2024-02-30T10:00:00Z", "yesterday", "2024-01-05 10:00:00Z"]
)
def test_invalid_datetime(v: CompiledSchema, value: str) -> None:
    obj = good()
    obj["metadata"]["updated"] = value
    assert check(v, obj) == [("invalid_datetime", ("metadata", "updated"))]


def test_naive_datetime_is_a_warning_not_an_error(v: CompiledSchema) -> None:
    obj = good()
    obj["metadata"]["updated"] = "2024-01-05T10:30:00"
    r = v.validate(obj)
    assert r.ok and v.is_valid(obj)
    assert [(i.code, i.path, i.severity) for i in r.issues] == [
        ("invalid_datetime", ("metadata", "updated"), "warning")
    ]
    assert r.value is not None


@pytest.mark.parametrize(
    "value", ["2024-01-05T10:30:00Z", "2024-01-05t10:30:00.123456+05:30", "2024-01-05T10:30:00-08:00"]
)
def test_rfc3339_datetimes(v: CompiledSchema, value: str) -> None:
    obj = good()
    obj["metadata"]["updated"] = value
    assert check(v, obj) == []


def test_null_in_optional_field_is_no_value(v: CompiledSchema) -> None:
    obj = good()
    obj["metadata"].update(price=None, status=None, tags=None, released=None)
    r = v.validate(obj)
    assert r.ok and r.value is not None
    assert r.value["metadata"]["status"] is None, "a present null is kept, not defaulted"


def test_defaults_fill_the_value_without_touching_the_input(v: CompiledSchema) -> None:
    obj = good()
    before = copy.deepcopy(obj)
    r = v.validate(obj)
    assert r.ok and r.value is not None
    assert r.value["metadata"]["stock"] == 0
    assert r.value["metadata"]["status"] == "draft"
    assert obj == before
    no_metadata = good()
    del no_metadata["metadata"]
    value = v.validate(no_metadata).value
    assert value is not None and "metadata" not in value, "an absent parent object is not created"


def test_defaults_in_array_items_and_mutable_defaults_are_copied() -> None:
    v = schemakit.compile_schema(
        {
            "properties": {
                "rows": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"tags": {"type": "array", "default": ["new"]}}},
                }
            }
        }
    )
    r1 = v.validate({"rows": [{}, None, {"tags": []}]})
    assert r1.value == {"rows": [{"tags": ["new"]}, None, {"tags": []}]}
    assert r1.value is not None
    r1.value["rows"][0]["tags"].append("changed")
    r2 = v.validate({"rows": [{}]})
    assert r2.value == {"rows": [{"tags": ["new"]}]}


def test_unknown_field_only_when_strict(v: CompiledSchema, strict: CompiledSchema) -> None:
    obj = good()
    obj["colour"] = "red"
    obj["metadata"]["titel"] = "x"
    obj["object_id"] = "obj_1"
    assert check(v, obj) == []
    r = strict.validate(obj)
    assert [(i.code, i.path) for i in r.issues] == [
        ("unknown_field", ("metadata", "titel")),
        ("unknown_field", ("colour",)),
    ]
    assert r.issues[0].hint == "did you mean 'title'?"
    assert not strict.is_valid(obj)


@pytest.mark.parametrize(
    "prefix",
    ["", "a/../b", "..", "../x", "x/..", "tab\there", "nul\x00", "x" * 1025, "é" * 513],
)
def test_invalid_key_prefix(v: CompiledSchema, prefix: str) -> None:
    obj = {**good(), "key_prefix": prefix}
    assert check(v, obj) == [("invalid_key_prefix", ("key_prefix",))]


@pytest.mark.parametrize("prefix", [None, "a..b", "/documents", "x" * 1024, "é" * 512, "日本/語", "./a"])
def test_valid_key_prefix(v: CompiledSchema, prefix: str | None) -> None:
    assert check(v, {**good(), "key_prefix": prefix}) == []


def test_blob_key_prefix_is_checked_too(v: CompiledSchema) -> None:
    obj = good()
    obj["blobs"][0]["key_prefix"] = "/x/../y"
    assert check(v, obj) == [("invalid_key_prefix", ("blobs", 0, "key_prefix"))]


def test_unique_key_checks_on_every_object() -> None:
    v = schemakit.compile_schema(SCHEMA, unique_key={"fields": ["sku"]})
    assert check(v, good()) == []
    assert check(v, {**good(), "sku": ""}) == [("missing_unique_key", ("sku",))]
    assert check(v, {**good(), "sku": None}) == [
        ("missing_required_field", ("sku",)),
        ("missing_unique_key", ("sku",)),
    ]
    assert check(v, {**good(), "sku": "x" * 256}) == [("unique_key_too_long", ("sku",))]
    assert check(v, {**good(), "sku": "x" * 255}) == []


def test_optional_unique_key_field_must_still_be_present() -> None:
    v = schemakit.compile_schema({"properties": {"n": {"type": "integer"}}}, unique_key={"fields": ["n"]})
    assert check(v, {}) == [("missing_unique_key", ("n",))]
    assert check(v, {"n": 0}) == []


def test_contract_example_object() -> None:
    """The contract's own example: a 'json' blob type and a data object with no base64 or url."""
    v = schemakit.compile_schema(
        {"properties": {"content": {"type": "pdf"}, "thumbnail": {"type": "image"}, "metadata": {"type": "object"}}}
    )
    obj = {
        "blobs": [
            {
                "data": {"num_pages": 5, "title": "Service Agreement 2024"},
                "key_prefix": "/contract-2024/content.pdf",
                "metadata": {"author": "John Doe", "department": "Legal"},
                "property": "content",
                "type": "json",
            },
            {
                "data": {"filename": "https://example.com/images/smartphone-x1.jpg", "mime_type": "image/jpeg"},
                "key_prefix": "/contract-2024/thumbnail.jpg",
                "metadata": {"height": 300, "width": 200},
                "property": "thumbnail",
                "type": "image",
            },
        ],
        "key_prefix": "/documents",
        "metadata": {"category": "contracts", "status": "draft", "year": 2024},
    }
    assert check(v, obj) == [
        ("blob_type_mismatch", ("blobs", 0, "type")),
        ("invalid_blob_data", ("blobs", 0, "data")),
        ("invalid_blob_data", ("blobs", 1, "data")),
    ]


def test_pydantic_object_request_is_accepted(v: CompiledSchema) -> None:
    model = schemakit.CreateObjectRequest.model_validate(good())
    assert v.is_valid(model)
    assert v.validate(model).ok


def test_issue_pointer_and_message_shape(v: CompiledSchema) -> None:
    obj = good()
    obj["blobs"][0]["type"] = "video"
    issue = v.validate(obj).issues[0]
    assert issue.pointer == "/blobs/0/type"
    assert issue.severity == "error"
    assert "expected" in issue.message and "found" in issue.message


def test_field_names_cannot_inject_code() -> None:
    nasty = "x')\nraise SystemExit(3)\n#\\"
    v = schemakit.compile_schema(
        {"properties": {nasty: {"type": "string", "required": True, "enum": ["a'\n"], "default": "a'\n"}}}
    )
    assert repr(nasty) in v.source
    assert check(v, {nasty: "a'\n"}) == []
    assert check(v, {nasty: 3}) == [("type_mismatch", (nasty,))]


def test_generated_source_is_exposed(v: CompiledSchema) -> None:
    assert "def is_valid(obj):" in v.source
    assert "def collect(obj, issues):" in v.source
    assert "def normalize(obj):" in v.source
