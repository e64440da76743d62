"""schemakit's verdict agrees with JSON Schema (2020-12) on ``v.json_schema()`` wherever JSON Schema can say the rule.

Objects come from a local strategy: a valid object with some values swapped for
near misses or arbitrary JSON. It stays inside what JSON Schema expresses (see
``NOT_EXPRESSED``): date-times are well-formed or not date-like at all, URLs
carry no extension a typeless blob would be judged by, and nothing is near the
size limits.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import schemakit
from schemakit import CompiledSchema
from schemakit.schema._jsonschema import NOT_EXPRESSED

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

SCHEMA: dict[str, Any] = {
    "properties": {
        "image": {"type": "image", "required": True},
        "gallery": {"type": "array", "items": {"type": "image"}},
        "notes": {"type": "text"},
        "clip": {"type": "video"},
        "sku": {"type": "string", "required": True},
        "count": {"type": "integer"},
        "metadata": {
            "type": "object",
            "properties": {
                "title": {"type": "string", "required": True},
                "price": {"type": "float"},
                "rating": {"type": "number", "enum": [1, 2, 3.5]},
                "status": {"type": "string", "enum": ["draft", "live"], "default": "draft"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "released": {"type": "date"},
                "updated": {"type": "datetime"},
                "featured": {"type": "boolean", "required": True},
                "size": {"type": "object", "properties": {"w": {"type": "integer", "required": True}}},
            },
        },
    }
}
UNIQUE_KEY = {"fields": ["sku"]}

json_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)


def case_variants(word: str) -> st.SearchStrategy[str]:
    return st.sampled_from([word, word.upper(), word.capitalize()])


dates = st.dates().map(lambda d: d.isoformat()) | st.sampled_from(["2024-02-30", "20240105", "2024-1-5", "0000-01-01"])
datetimes = st.datetimes().map(lambda d: d.isoformat(timespec="seconds")) | st.builds(
    lambda d, tz: d.isoformat() + tz,
    st.datetimes(),
    st.sampled_from(["Z", "z", "+02:00", "-11:30"]),
)
urls = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}/{path}",
    st.sampled_from(["https", "http", "s3", "gs", "HTTPS", "ftp", "file"]),
    st.sampled_from(["cdn.example.com", "bucket", ""]),
    st.sampled_from(["a", "items/7", "download?id=3", "x y"]),
)
mimes = st.sampled_from(
    ["image/png", "IMAGE/JPEG", "image/gif", "video/mp4", "audio/mpeg", "text/plain", "application/json", "jpeg", ""]
)
base64_text = st.sampled_from([PNG, "QUJD", "QQ==", "", "%%%", "QQ"])
blob_data = st.one_of(
    urls,
    st.builds(lambda m, b: f"data:{m};base64,{b}", mimes, base64_text),
    st.builds(lambda m, b: f"data:{m},{b}", mimes, base64_text),
    st.fixed_dictionaries(
        {"base64": base64_text},
        optional={"mime_type": mimes | st.none(), "filename": st.sampled_from(["blob", "x.bin"])},
    ),
    st.fixed_dictionaries({"url": urls}),
    st.text(max_size=30),
    json_values,
)


KIND = {"image": "image", "gallery": "image", "notes": "text", "clip": "video"}
FITTING_MIME = {"image": "image/png", "text": "text/plain", "video": "image/gif"}


@st.composite
def valid_blobs(draw: st.DrawFn, prop: str) -> dict[str, Any]:
    kind = KIND[prop]
    blob: dict[str, Any] = {"property": prop}
    btype = draw(st.one_of(st.none(), case_variants(kind), case_variants("auto")))
    if btype is not None:
        blob["type"] = btype
    mime = FITTING_MIME[kind]
    blob["data"] = draw(
        st.sampled_from(
            [
                "https://cdn.example.com/items/7",
                "s3://bucket/key",
                f"data:{mime};base64,{PNG}",
                {"base64": PNG, "mime_type": mime},
                {"url": "gs://bucket/object"},
            ]
        )
    )
    if draw(st.integers(0, 4)) == 0:
        del blob["data"]
        blob["upload_id"] = "upl_abc123"
    return blob


@st.composite
def blobs(draw: st.DrawFn, prop: str | None = None) -> dict[str, Any]:
    blob: dict[str, Any] = {}
    p = prop if prop is not None else draw(st.sampled_from(["image", "gallery", "notes", "clip", "imgae", "sku"]))
    if draw(st.integers(0, 20)) > 0:
        blob["property"] = p
    kind = {"image": "image", "gallery": "image", "notes": "text", "clip": "video"}.get(p, "image")
    btype = draw(st.one_of(st.none(), case_variants(kind), case_variants("auto"), st.sampled_from(["json", "pdf", 3])))
    if btype is not None:
        blob["type"] = btype
    source = draw(st.integers(0, 9))
    if source <= 6:
        blob["data"] = draw(blob_data)
    if source >= 6:
        blob["upload_id"] = draw(st.sampled_from(["upl_abc123", "upl_x-y_z", "abc", None, 5]))
    if draw(st.booleans()):
        blob["key_prefix"] = draw(st.none() | st.text(max_size=12) | st.sampled_from(["a/../b", "a..b", ""]))
    if draw(st.integers(0, 5)) == 0:
        blob["metadata"] = draw(json_values)
    return blob


@st.composite
def objects(draw: st.DrawFn) -> Any:
    """A valid object, then a few of its values swapped for near misses or arbitrary JSON."""
    obj: dict[str, Any] = {
        "sku": draw(st.text(min_size=1, max_size=10)),
        "blobs": [draw(valid_blobs("image"))],
        "metadata": {
            "title": draw(st.text(max_size=10)),
            "featured": draw(st.booleans()),
            "price": draw(st.floats(allow_nan=False, allow_infinity=False) | st.integers()),
            "tags": draw(st.lists(st.text(max_size=5), max_size=3)),
        },
    }
    extra = st.sampled_from(["gallery", "notes", "clip"]).flatmap(valid_blobs) if draw(st.booleans()) else blobs()
    extra_blobs = draw(
        st.lists(extra, max_size=2, unique_by=lambda b: b.get("property") if b.get("property") != "gallery" else id(b))
    )
    obj["blobs"].extend(extra_blobs)
    md = obj["metadata"]
    mutations = draw(st.lists(st.integers(0, 22), max_size=3))
    for m in mutations:
        if m == 0:
            return draw(json_values)
        if m == 1:
            md["released"] = draw(dates | json_values)
        elif m == 2:
            md["updated"] = draw(datetimes | json_values)
        elif m == 3:
            md["rating"] = draw(st.sampled_from([1, 1.0, 2, 3.5, 4, True, "1", None]))
        elif m == 4:
            md["status"] = draw(st.sampled_from(["draft", "live", "Live", None, 1]))
        elif m == 5:
            md["size"] = draw(
                st.fixed_dictionaries({}, optional={"w": st.integers() | st.floats(allow_nan=False) | json_values})
                | json_values
            )
        elif m == 6:
            md[draw(st.sampled_from(["title", "featured", "price", "tags"]))] = draw(json_values)
        elif m == 7:
            md.pop(draw(st.sampled_from(["title", "featured"])), None)
        elif m == 8:
            obj["metadata"] = draw(json_values)
        elif m == 9:
            obj["sku"] = draw(st.sampled_from(["", None, "x" * 255, "x" * 256, 7]))
        elif m == 10:
            obj.pop(draw(st.sampled_from(["sku", "blobs", "metadata"])), None)
        elif m == 11:
            obj["key_prefix"] = draw(
                st.none() | st.text(max_size=40) | st.sampled_from(["/a/../b", "a..b", "", "..", 3])
            )
        elif m == 12:
            obj[draw(st.sampled_from(["skip_duplicates", "canonicalize_source", "force_remirror"]))] = draw(
                json_scalars
            )
        elif m == 13:
            obj["blobs"] = draw(json_values)
        elif m == 14:
            obj[draw(st.sampled_from(["image", "gallery", "notes"]))] = draw(st.none() | urls)
        elif m == 15:
            obj["count"] = draw(st.integers() | st.floats(allow_nan=False, allow_infinity=False) | json_scalars)
        elif m == 16:
            obj[draw(st.text(min_size=1, max_size=6))] = draw(json_values)
        elif m == 17:
            md[draw(st.text(min_size=1, max_size=6))] = draw(json_values)
        elif m == 18:
            obj["object_id"] = draw(json_values)
        elif m == 19:
            obj["blobs"] = [draw(blobs()) for _ in range(draw(st.integers(0, 3)))]
        elif m == 20 and isinstance(obj.get("blobs"), list):
            obj["blobs"].append(draw(json_values))
        elif m == 21:
            md["tags"] = draw(st.lists(st.none() | st.text(max_size=3) | st.integers(), max_size=3))
        elif m == 22 and isinstance(obj.get("blobs"), list):
            obj["blobs"].append(draw(blobs("image")))
    return obj


def _pair(strict: bool) -> tuple[CompiledSchema, jsonschema.Draft202012Validator]:
    v = schemakit.compile_schema(SCHEMA, unique_key=UNIQUE_KEY, strict=strict)
    js = v.json_schema()
    jsonschema.Draft202012Validator.check_schema(js)
    return v, jsonschema.Draft202012Validator(js, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


LOOSE = _pair(False)
STRICT = _pair(True)


def _agree(pair: tuple[CompiledSchema, jsonschema.Draft202012Validator], obj: Any) -> None:
    v, js = pair
    ours = v.is_valid(obj)
    assert ours is v.validate(obj).ok
    theirs = js.is_valid(obj)
    if ours != theirs:
        detail = [(i.code, i.path, i.message) for i in v.validate(obj).errors]
        their_detail = [(list(e.absolute_path), e.message[:120]) for e in js.iter_errors(obj)]
        pytest.fail(
            f"schemakit={ours} jsonschema={theirs}\n{json.dumps(obj)[:2000]}\nours: {detail}\ntheirs: {their_detail}"
        )


@given(objects())
def test_agrees_with_jsonschema(obj: Any) -> None:
    _agree(LOOSE, obj)


@given(objects())
def test_agrees_with_jsonschema_strict(obj: Any) -> None:
    _agree(STRICT, obj)


@pytest.mark.parametrize(
    "bucket",
    [
        {"properties": {}},
        {"properties": {"a": {"type": "array"}, "o": {"type": "object"}}},
        {"properties": {"f": {"type": "array", "items": {"type": "excel"}, "required": True}, "p": {"type": "PDF"}}},
        SCHEMA,
    ],
)
@pytest.mark.parametrize("strict", [False, True])
def test_json_schema_is_a_valid_2020_12_schema(bucket: dict[str, Any], strict: bool) -> None:
    js = schemakit.compile_schema(bucket, strict=strict).json_schema()
    assert js["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(js)
    json.dumps(js)  # plain JSON, no Python-only values


def test_limits_are_documented() -> None:
    assert NOT_EXPRESSED


def test_known_examples_agree() -> None:
    v, js = LOOSE
    good = {
        "sku": "A",
        "blobs": [{"property": "image", "type": "IMAGE", "data": "data:image/png;base64," + PNG}],
        "metadata": {"title": "t", "featured": False, "updated": "2024-01-05T10:00:00"},
    }
    assert v.is_valid(good) and js.is_valid(good)
    bad_date = {**good, "metadata": {**good["metadata"], "released": "2024-02-30"}}
    assert not v.is_valid(bad_date) and not js.is_valid(bad_date)
    dup = {**good, "blobs": good["blobs"] * 2}
    assert not v.is_valid(dup) and not js.is_valid(dup)
