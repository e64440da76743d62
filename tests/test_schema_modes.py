"""is_valid and validate are one generated body: they agree on every object, whatever containers it is built from.

The objects start from values that follow each schema (so valid ones are
common), then every container and string is independently disguised as a
subclass (``dict``, ``list`` and ``str`` subclasses, ``OrderedDict``,
``MappingProxyType``) and, now and then, a node is replaced by an arbitrary
value. The verdicts must agree always, at the generated functions too:
``is_valid`` is "collect finds no error", and the shortcut ``validate`` takes
for clean objects is "collect finds nothing".
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import traceback
from collections import OrderedDict
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import schemakit
from schemakit import CompiledSchema
from schemakit._contract.bucket import FieldDef, SchemaDef
from schemakit.schema import _runtime as rt


class Text(str):
    pass


class Record(dict):  # type: ignore[type-arg]
    pass


class Items(list):  # type: ignore[type-arg]
    pass


IMAGE_ONLY: dict[str, Any] = {"properties": {"image": {"type": "image"}}}
FILES: dict[str, Any] = {
    "properties": {
        "photo": {"type": "image", "required": True},
        "gallery": {"type": "array", "items": {"type": "image"}},
        "manual": {"type": "pdf"},
        "notes": {"type": "text"},
    }
}
RICH: dict[str, Any] = {
    "properties": {
        "image": {"type": "image"},
        "sku": {"type": "string", "required": True},
        "n": {"type": "integer", "enum": [1, 2, 3]},
        "day": {"type": "date", "enum": ["2024-01-05", "2024-02-29"]},
        "when": {"type": "datetime"},
        "metadata": {
            "type": "object",
            "properties": {
                "title": {"type": "string", "required": True},
                "status": {"type": "string", "enum": ["draft", "live"], "default": "draft"},
                "price": {"type": "float"},
                "count": {"type": "number"},
                "on": {"type": "boolean"},
                "released": {"type": "date"},
                "at": {"type": "datetime", "enum": ["2024-01-05T10:00:00Z"]},
                "tags": {"type": "array", "items": {"type": "string", "required": True}},
                "grid": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
                "rows": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"k": {"type": "string", "required": True}}},
                },
                "size": {"type": "object", "properties": {"w": {"type": "number"}, "h": {"type": "number"}}},
            },
        },
    }
}

VALIDATORS = {
    "image only": schemakit.compile_schema(IMAGE_ONLY),
    "files": schemakit.compile_schema(FILES),
    "rich": schemakit.compile_schema(RICH),
    "rich, unique key, strict": schemakit.compile_schema(
        RICH, unique_key={"fields": ["sku", "day"]}, strict=True, max_inline_bytes=64
    ),
}
SCHEMAS = {name: v.schema for name, v in VALIDATORS.items()}

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
ODD = st.sampled_from(
    [
        None,
        True,
        0,
        1.5,
        float("nan"),
        "",
        "x",
        "IMAGE",
        "video",
        "auto",
        "2024-02-30",
        "2024-01-05T10:00:00",
        "ftp://x.example/a",
        "upl_1",
        "/a/../b",
        dt.date(2024, 1, 5),
        dt.datetime(2024, 1, 5, 10),
        b"bytes",
        (1, 2),
        [],
        {},
    ]
)

# -- values that follow a field, before the disguise --------------------------------------------------

SCALAR_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "string": st.text(max_size=4) | st.sampled_from(["draft", "live", "x" * 300]),
    "integer": st.integers(-3, 3) | st.sampled_from([2.0, 2**70]),
    "number": st.integers(-3, 3) | st.floats(allow_nan=False, allow_infinity=False, width=32),
    "float": st.floats(allow_nan=False, allow_infinity=False, width=32),
    "boolean": st.booleans(),
    "date": st.sampled_from(["2024-01-05", "2024-02-29", "2023-02-28", "1999-12-31", dt.date(2024, 1, 5)]),
    "datetime": st.sampled_from(
        [
            "2024-01-05T10:00:00Z",
            "2024-01-05t10:00:00.5+02:00",
            "2024-01-05T10:00:00",
            dt.datetime(2024, 1, 5, 10, tzinfo=dt.UTC),
            dt.datetime(2024, 1, 5, 10),
        ]
    ),
}


def field_value(f: FieldDef, depth: int = 0) -> st.SearchStrategy[Any]:
    if f.enum is not None:
        return st.sampled_from(f.enum)
    if f.properties is not None:
        return fields_value(f.properties, depth + 1)
    if f.items is not None:
        item = field_value(f.items, depth + 1)
        return st.lists(item if f.items.required else st.none() | item, max_size=3)
    if f.type in SCALAR_VALUES:
        return SCALAR_VALUES[f.type]
    return st.just({})  # an object without declared properties


def fields_value(fields: Any, depth: int) -> st.SearchStrategy[dict[str, Any]]:
    required = {n: field_value(f, depth) for n, f in fields.items() if f.required and not _is_file(f)}
    optional = {n: st.none() | field_value(f, depth) for n, f in fields.items() if not f.required and not _is_file(f)}
    return st.fixed_dictionaries(required, optional=optional)


def _is_file(f: FieldDef) -> bool:
    return f.is_file or f.file_items


BLOB_DATA = st.sampled_from(
    [
        "https://cdn.example.com/a.jpg",
        "s3://bucket/k.png",
        "https://cdn.example.com/a.mp3",
        "data:image/png;base64," + PNG,
        "data:application/pdf;base64,JVBERi0=",
        "plain inline text",
        {"base64": PNG, "mime_type": "image/png"},
        {"url": "https://cdn.example.com/a.pdf"},
    ]
)


@st.composite
def blob(draw: st.DrawFn, name: str, ftype: str) -> dict[str, Any]:
    b: dict[str, Any] = {"property": name}
    t = draw(st.sampled_from([None, ftype, ftype.upper(), ftype.capitalize(), "auto", "AuTo"]))
    if t is not None:
        b["type"] = t
    if draw(st.booleans()):
        b["upload_id"] = draw(st.sampled_from(["upl_abc", "upl_x-1"]))
    else:
        b["data"] = draw(BLOB_DATA)
    if draw(st.integers(0, 5)) == 0:
        b["metadata"] = {"k": 1}
    return b


@st.composite
def request(draw: st.DrawFn, schema: SchemaDef) -> dict[str, Any]:
    obj = draw(fields_value(schema.fields, 0))
    blobs = []
    for name, f in schema.fields.items():
        if not _is_file(f):
            continue
        ftype = f.items.type if f.items is not None else f.type
        count = draw(st.integers(1 if f.required else 0, 3 if f.file_items else 1))
        blobs.extend(draw(blob(name, ftype)) for _ in range(count))
    if blobs or draw(st.booleans()):
        obj["blobs"] = draw(st.permutations(blobs))
    if draw(st.integers(0, 3)) == 0:
        obj["key_prefix"] = draw(st.sampled_from(["/catalog/x", "a/b"]))
    return obj


@st.composite
def disguised(draw: st.DrawFn, value: Any) -> Any:
    """``value`` with each container and string maybe a subclass, and maybe one node swapped for an odd value."""
    if draw(st.integers(0, 24)) == 0:
        return draw(ODD)
    if isinstance(value, dict):
        items = {k: draw(disguised(v)) for k, v in value.items()}
        make = draw(st.sampled_from([dict, dict, Record, OrderedDict, MappingProxyType]))
        return make(items)
    if isinstance(value, list):
        elements = [draw(disguised(v)) for v in value]
        return draw(st.sampled_from([list, list, Items]))(elements)
    if isinstance(value, str) and draw(st.booleans()):
        return Text(value)
    return value


def requests(schema: SchemaDef) -> st.SearchStrategy[Any]:
    return request(schema).flatmap(disguised)


def assert_modes_agree(v: CompiledSchema, obj: Any) -> None:
    r = v.validate(obj)
    assert v.is_valid(obj) is r.ok, (r.issues, v.source)
    # below validate's shortcut: the generated functions themselves
    plain = rt.as_plain(obj) if obj.__class__ is not dict else obj
    issues: list[Any] = []
    v._collect(plain, issues)
    assert v.is_valid(plain) is not rt.has_error(issues), issues
    assert v._is_clean(plain) is (not issues), issues
    assert (r.value is None) is (not r.ok)


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("name", list(VALIDATORS))
@FAST
@given(data=st.data())
def test_is_valid_agrees_with_validate(name: str, data: st.DataObject) -> None:
    v = VALIDATORS[name]
    assert_modes_agree(v, data.draw(requests(SCHEMAS[name])))


@FAST
@given(obj=requests(SCHEMAS["image only"]))
@example(obj={"blobs": [OrderedDict(property="image", type="image", data="https://x.example/a.jpg")]})
@example(obj={"blobs": [{"property": Text("image"), "type": "image", "data": "https://x.example/a.jpg"}]})
def test_is_valid_agrees_with_validate_on_the_reported_cases(obj: Any) -> None:
    assert_modes_agree(VALIDATORS["image only"], obj)


def test_an_ordered_dict_blob_is_a_blob() -> None:
    v = VALIDATORS["image only"]
    obj = {"blobs": [OrderedDict(property="image", type="image", data="https://x.example/a.jpg")]}
    assert v.validate(obj).ok is True
    assert v.is_valid(obj) is True


def test_a_str_subclass_property_names_its_field() -> None:
    v = VALIDATORS["image only"]
    obj = {"blobs": [{"property": Text("image"), "type": "image", "data": "https://x.example/a.jpg"}]}
    assert v.validate(obj).ok is True
    assert v.is_valid(obj) is True
    twice = {"blobs": [obj["blobs"][0], {"property": "image", "upload_id": "upl_1"}]}
    assert [(i.code, i.path) for i in v.validate(twice).issues] == [
        ("duplicate_blob_property", ("blobs", 1, "property"))
    ]
    assert v.is_valid(twice) is False


def test_an_unhashable_str_subclass_property_does_not_crash() -> None:
    class Unhashable(str):
        __hash__ = None  # type: ignore[assignment]

    v = VALIDATORS["image only"]
    obj = {"blobs": [{"property": Unhashable("image"), "type": "image", "data": "https://x.example/a.jpg"}]}
    assert v.is_valid(obj) is True
    assert v.validate(obj).ok is True


def test_a_mapping_that_is_not_a_dict_is_not_a_blob() -> None:
    v = VALIDATORS["image only"]
    obj = {"blobs": [MappingProxyType({"property": "image", "data": "https://x.example/a.jpg"})]}
    assert [(i.code, i.path) for i in v.validate(obj).issues] == [("invalid_request", ("blobs", 0))]
    assert v.is_valid(obj) is False


def test_a_naive_datetime_warns_without_failing_either_mode() -> None:
    v = VALIDATORS["rich"]
    obj = {"sku": "A", "when": "2024-01-05T10:00:00"}
    r = v.validate(obj)
    assert r.ok and [(i.code, i.severity) for i in r.issues] == [("invalid_datetime", "warning")]
    assert v.is_valid(obj) is True
    assert v._is_clean(obj) is False


def test_a_pydantic_model_is_judged_by_its_dump() -> None:
    v = VALIDATORS["image only"]
    model = schemakit.CreateObjectRequest.model_validate(
        {"blobs": [{"property": "image", "data": "https://x.example/a.jpg", "type": "image"}]}
    )
    assert v.is_valid(model) is True
    assert v.validate(model).ok is True
    assert v.is_valid(object()) is False


# -- the generated source: readable, debuggable -------------------------------------------------------


def test_generated_names_follow_field_paths() -> None:
    source = VALIDATORS["rich"].source
    for name in ("v_metadata_price", "v_metadata_title", "x_metadata_tags", "i_metadata_tags", "st_metadata_released"):
        assert re.search(rf"\b{name}\b", source), name
    assert not re.search(r"\b[vx]\d+\b", source), "no numbered locals"


def test_generated_names_are_identifiers_even_for_odd_field_names() -> None:
    v = schemakit.compile_schema(
        {"properties": {"prix (€)": {"type": "float"}, "prix ($)": {"type": "float"}, "x" * 255: {"type": "string"}}}
    )
    names = set(re.findall(r"\bv_\w+", v.source))
    assert names == {"v_prix____", "v_prix_____2", "v_" + "x" * 40}
    assert v.is_valid({"prix (€)": 1.5, "prix ($)": 2, "x" * 255: "y"})
    assert not v.is_valid({"prix ($)": "2"})


class Exploding(dict):  # type: ignore[type-arg]
    """A dict whose get raises: the exception travels through the generated code."""

    def get(self, key: Any, default: Any = None) -> Any:
        raise LookupError(f"no {key} for you")


def test_a_traceback_through_generated_code_shows_its_line() -> None:
    v = VALIDATORS["rich"]
    with pytest.raises(LookupError) as info:
        v.is_valid(Exploding())
    text = "".join(traceback.format_exception(info.value))
    assert re.search(r'File "<schemakit validator [0-9a-f]+>", line \d+, in is_valid', text), text
    assert "kp = obj.get('key_prefix')" in text, text


def test_the_generated_functions_have_their_source() -> None:
    v = VALIDATORS["rich"]
    assert inspect.getsource(v.is_valid).startswith("def is_valid(obj):")
    assert inspect.getsource(v._collect).startswith("def collect(obj, issues):")
