"""Guarantees of ``bucket_schemas``, ``objects`` and ``records``, checked without the compiled validator.

The checks here restate the contract's rules independently (blob forms, MIME
fits, key prefixes), so a strategy bug cannot hide behind a matching validator
bug; tests/test_conformance.py then holds the strategies against the validator.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import subprocess
import sys
from typing import Any

import pytest
from _reference_tables import MIME_OF_EXTENSION
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as hst
from hypothesis.errors import InvalidArgument

import schemakit
from schemakit import strategies as st
from schemakit._contract.bucket import FILE_TYPES, REQUEST_KEYS, FieldDef, conforms
from schemakit.schema import BucketSchema, SchemaDef, read_bucket_schema

PRODUCT = {
    "properties": {
        "image": {"type": "IMAGE", "required": True},
        "gallery": {"type": "array", "items": {"type": "image"}},
        "manual": {"type": "pdf"},
        "transcript": {"type": "text"},
        "sheet": {"type": "excel"},
        "clip": {"type": "video"},
        "voice": {"type": "audio"},
        "title": {"type": "string", "required": True},
        "status": {"type": "string", "enum": ["draft", "live"], "default": "draft"},
        "price": {"type": "number"},
        "stock": {"type": "integer", "required": True},
        "launched": {"type": "date"},
        "updated_at": {"type": "datetime"},
        "metadata": {
            "type": "object",
            "properties": {
                "brand": {"type": "string", "required": True},
                "dims": {"type": "array", "items": {"type": "float"}},
                "variants": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"sku": {"type": "string", "required": True}}},
                },
            },
        },
    }
}
PRODUCT_DEF, _ = read_bucket_schema(PRODUCT)
assert PRODUCT_DEF is not None

_URL = re.compile(r"(https?|s3|gs)://[^/\s]+/[^?#\s]*\.([A-Za-z0-9]+)([?#]\S*)?\Z")
_DATA_URI = re.compile(r"data:([A-Za-z0-9.+/-]+)(;charset=utf-8)?;base64,(.+)\Z", re.DOTALL)


def _fits(kind: str, mime: str) -> bool:
    return {
        "image": mime.startswith("image/"),
        "video": mime.startswith("video/") or mime == "image/gif",
        "audio": mime.startswith("audio/"),
        "pdf": mime == "application/pdf",
        "text": mime.startswith("text/") or mime in ("application/json", "application/xml"),
        "excel": mime in ("text/csv", MIME_OF_EXTENSION["xlsx"], MIME_OF_EXTENSION["xls"]),
    }[kind]


def _decodes(text: str) -> bool:
    try:
        return bool(base64.b64decode(text, validate=True))
    except binascii.Error:
        return False


def _kind_of(sdef: SchemaDef, prop: str) -> str:
    f = sdef.fields[prop]
    assert f.is_file or f.file_items, prop
    return f.type if f.is_file else f.items.type  # type: ignore[union-attr]


def _check_blob(sdef: SchemaDef, blob: dict[str, Any]) -> None:
    kind = _kind_of(sdef, blob["property"])
    auto = "type" not in blob or blob["type"].lower() == "auto"
    if not auto:
        assert blob["type"].lower() == kind
    assert ("data" in blob) != ("upload_id" in blob)
    if "upload_id" in blob:
        assert re.fullmatch(r"upl_[A-Za-z0-9_-]+", blob["upload_id"])
        return
    data = blob["data"]
    declared: str | None = None
    named: str | None = None
    if isinstance(data, str) and data.startswith("data:"):
        m = _DATA_URI.match(data)
        assert m is not None and _decodes(m[3]), data
        declared = m[1].lower()
    elif isinstance(data, str) and _URL.match(data):
        named = MIME_OF_EXTENSION[_URL.match(data)[2].lower()]  # type: ignore[index]
    elif isinstance(data, str):
        assert kind == "text" and "://" not in data and not data.startswith("data")
        return
    elif "url" in data:
        assert set(data) == {"url"}
        named = MIME_OF_EXTENSION[_URL.match(data["url"])[2].lower()]  # type: ignore[index]
    else:
        assert set(data) <= {"base64", "mime_type", "filename"} and _decodes(data["base64"])
        declared = data.get("mime_type")
        if "filename" in data:
            named = MIME_OF_EXTENSION[data["filename"].rsplit(".", 1)[1]]
    if declared is not None:
        assert _fits(kind, declared), (kind, declared)
    if named is not None:
        assert _fits(kind, named), (kind, named)


def _check_key_prefix(kp: Any) -> None:
    assert kp is None or (
        isinstance(kp, str)
        and 0 < len(kp.encode()) <= 1024
        and ".." not in kp.split("/")
        and not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in kp)
    )


def _no_undeclared_keys(f: FieldDef, value: Any) -> None:
    if isinstance(value, dict) and f.type == "object":
        assert set(value) <= set(f.properties or ()), value
        for name, sub in (f.properties or {}).items():
            _no_undeclared_keys(sub, value.get(name))
    elif isinstance(value, list) and f.items is not None:
        for item in value:
            _no_undeclared_keys(f.items, item)


def check_object(sdef: SchemaDef, obj: dict[str, Any], *, strict: bool = False) -> None:
    """The contract's rules for a valid object, restated here."""
    assert isinstance(obj, dict)
    json.dumps(obj)  # plain JSON, nothing Python-only
    blobs = obj.get("blobs", [])
    counts: dict[str, int] = {}
    for blob in blobs:
        counts[blob["property"]] = counts.get(blob["property"], 0) + 1
        _check_blob(sdef, blob)
    for name, f in sdef.fields.items():
        if f.is_file or f.file_items:
            assert name not in obj
            assert counts.get(name, 0) >= (1 if f.required else 0)
            if f.is_file:
                assert counts.get(name, 0) <= 1
        elif name in obj and obj[name] is not None:
            assert conforms(f, obj[name]), (name, obj[name])
        else:
            assert not f.required, name
    if strict:
        for key in obj:
            assert key in sdef.fields or key in REQUEST_KEYS
        for name, f in sdef.fields.items():
            _no_undeclared_keys(f, obj.get(name))
    _check_key_prefix(obj.get("key_prefix"))


@given(hst.data())
def test_generated_schemas_read_without_issues_and_objects_follow_the_rules(data: hst.DataObject) -> None:
    schema = data.draw(st.bucket_schemas())
    sdef, issues = read_bucket_schema(schema)
    assert issues == [] and sdef is not None
    check_object(sdef, data.draw(st.objects(schema)))


@given(st.objects(PRODUCT))
def test_objects_follow_the_rules_on_a_rich_schema(obj: dict[str, Any]) -> None:
    assert PRODUCT_DEF is not None
    check_object(PRODUCT_DEF, obj)


@given(hst.data())
def test_strict_objects_carry_no_undeclared_keys(data: hst.DataObject) -> None:
    schema = data.draw(st.bucket_schemas())
    sdef, _ = read_bucket_schema(schema)
    assert sdef is not None
    obj = data.draw(st.objects(schema, strict=True))
    check_object(sdef, obj, strict=True)
    assert schemakit.compile_schema(schema, strict=True).validate(obj).ok


def test_lenient_objects_sometimes_carry_undeclared_keys() -> None:
    # Generation only: shrinking a rich object would cost seconds and show nothing here.
    @settings(database=None, max_examples=max(settings().max_examples, 100), phases=[Phase.generate])
    @given(st.objects(PRODUCT))
    def never_extra(obj: dict[str, Any]) -> None:
        assert set(obj) <= {*PRODUCT["properties"], *REQUEST_KEYS}

    with pytest.raises(AssertionError):
        never_extra()


@given(st.records(PRODUCT))
def test_records_are_the_metadata_view(record: dict[str, Any]) -> None:
    assert PRODUCT_DEF is not None
    assert "blobs" not in record and not set(record) & {"image", "gallery", "manual"}
    assert {"title", "stock"} <= set(record)
    for name, value in record.items():
        assert value is None or conforms(PRODUCT_DEF.fields[name], value)


def test_every_blob_form_and_type_spelling_appears() -> None:
    seen: set[str] = set()

    schema = {"properties": {"notes": {"type": "text", "required": True}, "photo": {"type": "image", "required": True}}}

    @settings(max_examples=max(settings().max_examples, 300), database=None, derandomize=True)
    @given(st.objects(schema))
    def collect(obj: dict[str, Any]) -> None:
        for blob in obj.get("blobs", []):
            t = blob.get("type")
            seen.add("absent" if t is None else "auto" if t.lower() == "auto" else "upper" if t.isupper() else "lower")
            data = blob.get("data")
            if "upload_id" in blob:
                seen.add("upload_id")
            elif isinstance(data, dict):
                seen.add("base64 dict" if "base64" in data else "url dict")
            elif data.startswith("data:"):
                seen.add("data uri")
            elif "://" in data:
                seen.add(data.split("://")[0])
            else:
                seen.add("inline text")

    collect()
    wanted = {"absent", "auto", "upper", "lower", "upload_id", "base64 dict", "url dict", "data uri"}
    wanted |= {"https", "inline text"}
    assert wanted <= seen, wanted - seen


def test_a_top_level_array_of_files_takes_several_blobs() -> None:
    schema = {"properties": {"photos": {"type": "array", "items": {"type": "image"}, "required": True}}}

    counts: set[int] = set()

    @settings(database=None)
    @given(st.objects(schema))
    def collect(obj: dict[str, Any]) -> None:
        assert {b["property"] for b in obj["blobs"]} == {"photos"}
        counts.add(len(obj["blobs"]))

    collect()
    assert min(counts) >= 1 and max(counts) >= 2


def test_objects_shrink_to_a_small_readable_object() -> None:
    schema = {
        "properties": {
            "image": {"type": "image", "required": True},
            "title": {"type": "string", "required": True},
            "published": {"type": "date", "required": True},
            "notes": {"type": "string"},
        }
    }

    @settings(database=None, max_examples=200, derandomize=True)
    @given(st.objects(schema))
    def has_data(obj: dict[str, Any]) -> None:
        # The object travels in the exception: hypothesis re-raises the minimal example's, while
        # its explain phase may run varied examples after shrinking.
        if any("data" in b for b in obj["blobs"]):
            raise AssertionError(obj)

    with pytest.raises(AssertionError) as caught:
        has_data()
    assert caught.value.args[0] == {
        "title": "",
        "published": "2000-01-01",
        "blobs": [{"property": "image", "type": "image", "data": "https://example.com/a.png"}],
    }


def test_bucket_schemas_cover_every_type_and_keyword() -> None:
    types: set[str] = set()
    keywords: set[str] = set()

    def visit(spec: dict[str, Any]) -> None:
        types.add(spec["type"].lower())
        keywords.update(spec)
        for sub in (spec.get("properties") or {}).values():
            visit(sub)
        if "items" in spec:
            visit(spec["items"])

    @settings(max_examples=max(settings().max_examples, 100), database=None, derandomize=True)
    @given(st.bucket_schemas())
    def collect(schema: dict[str, Any]) -> None:
        for spec in schema["properties"].values():
            visit(spec)

    collect()
    assert set(schemakit.schema.ALL_TYPES) <= types
    assert {"type", "properties", "items", "enum", "default", "required", "description", "examples"} <= keywords


@given(st.bucket_schemas(max_depth=1))
def test_max_depth_one_gives_flat_schemas(schema: dict[str, Any]) -> None:
    for spec in schema["properties"].values():
        assert spec["type"].lower() not in ("object", "array")


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(hst.data())
def test_a_pydantic_bucket_schema_is_accepted(data: hst.DataObject) -> None:
    model = BucketSchema.model_validate(PRODUCT)
    assert PRODUCT_DEF is not None
    check_object(PRODUCT_DEF, data.draw(st.objects(model)))


def test_generation_is_deterministic_under_a_seed() -> None:
    def run() -> list[Any]:
        out: list[Any] = []

        @seed(20261130)
        @settings(database=None, max_examples=20)
        @given(st.objects(PRODUCT), st.invalid_objects(PRODUCT), st.bucket_schemas())
        def collect(obj: Any, pair: Any, schema: Any) -> None:
            out.append((obj, pair, schema))

        collect()
        return out

    assert run() == run()


@pytest.mark.parametrize(
    "make",
    [
        lambda: st.objects({"properties": {"x": {"type": "json"}}}),
        lambda: st.objects({"nope": 1}),
        lambda: st.objects({"properties": {"blobs": {"type": "string"}}}),
        lambda: st.records(42),
        lambda: st.objects(PRODUCT, unique_key={"fields": ["metadata"]}),
        lambda: st.objects(PRODUCT, unique_key={"fields": ["missing"]}),
        lambda: st.objects({"properties": {"k": {"type": "string", "enum": [""]}}}, unique_key={"fields": ["k"]}),
        lambda: st.bucket_schemas(max_depth=0),
        lambda: st.bucket_schemas(max_depth=True),
        lambda: st.bucket_schemas(max_fields=-1),
    ],
)
def test_bad_arguments_fail_eagerly(make: Any) -> None:
    with pytest.raises(InvalidArgument):
        make()


def test_public_names() -> None:
    assert st.__all__ == sorted(st.__all__)
    assert set(st.__all__) == {
        "batches",
        "bucket_schemas",
        "filters",
        "invalid_objects",
        "objects",
        "records",
    }
    for name in st.__all__:
        fn = getattr(st, name)
        assert fn.__module__.startswith("schemakit.strategies._")
        assert "shrink" in fn.__doc__.strip().splitlines()[-1] or "shrink" in fn.__doc__.split("\n\n")[-1]


def test_schemakit_imports_without_hypothesis_and_strategies_say_how_to_get_it() -> None:
    script = """
import sys
sys.modules["hypothesis"] = None  # an import of hypothesis now fails as if it were not installed
import schemakit
assert "schemakit.strategies" not in sys.modules
for module in ("schemakit.strategies", "schemakit.testing"):
    try:
        __import__(module)
    except ImportError as exc:
        assert "pip install schemakit[testing]" in str(exc), exc
    else:
        raise SystemExit(module + " imported without hypothesis")
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "ok", done.stderr


def test_file_types_are_only_top_level_in_generated_schemas() -> None:
    @settings(database=None)
    @given(st.bucket_schemas())
    def check(schema: dict[str, Any]) -> None:
        sdef, _ = read_bucket_schema(schema)
        assert sdef is not None
        for path, f in sdef.walk():
            if f.type in FILE_TYPES:
                assert len(path) == 1
            assert isinstance(f, FieldDef)

    check()
