"""The generated validator: every type comes from the contract's table, messages stay as written, shortcuts agree.

Also the result shape of ValidationResult and BatchResult.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schemakit
from schemakit._contract.results import ResultShape
from schemakit._contract.types import FIELD_TYPES
from schemakit.schema import BatchResult, ValidationResult
from schemakit.schema import _runtime as rt
from schemakit.schema._blobs import QUICK_BLOB_EXPR, good_url, quick_blob, upload_id_match
from schemakit.schema._codegen import KINDS
from schemakit.schema._jsonschema import field_schema

# -- dispatch from the type table -------------------------------------------------------------------


def test_every_check_kind_of_the_table_has_an_emitter() -> None:
    assert {t.check_kind for t in FIELD_TYPES.values()} <= set(KINDS)
    for t in FIELD_TYPES.values():
        if t.check_kind == "simple":
            assert t.inline_test is not None and "{v}" in t.inline_test, t.name


@pytest.mark.parametrize("ftype", list(FIELD_TYPES))
def test_every_type_compiles_and_exports(ftype: str) -> None:
    v = schemakit.compile_schema({"properties": {"f": {"type": ftype}}})
    assert v.is_valid({}) and v.validate({}).ok
    assert isinstance(v.json_schema(), dict)
    assert field_schema(v.schema.fields["f"], v._options) == dict(FIELD_TYPES[ftype].json_schema) | (
        {"properties": {}} if FIELD_TYPES[ftype].check_kind == "object" else {}
    )


# What the validator said before the messages came from the table's labels, byte for byte.
MESSAGES = [
    ("string", {"f": [1]}, "type_mismatch", ("f",), "expected string, found array"),
    ("string", {"l": [None]}, "type_mismatch", ("l", 0), "expected string, found null None"),
    ("integer", {"f": "2024-13-01"}, "type_mismatch", ("f",), "expected integer, found string '2024-13-01'"),
    ("integer", {"l": [None]}, "type_mismatch", ("l", 0), "expected integer, found null None"),
    ("number", {"f": [1]}, "type_mismatch", ("f",), "expected number, found array"),
    ("float", {"f": [1]}, "type_mismatch", ("f",), "expected number (float), found array"),
    ("float", {"l": [None]}, "type_mismatch", ("l", 0), "expected number (float), found null None"),
    ("boolean", {"f": [1]}, "type_mismatch", ("f",), "expected boolean, found array"),
    ("date", {"f": [1]}, "type_mismatch", ("f",), "expected a date string (YYYY-MM-DD), found array"),
    ("date", {"l": [None]}, "type_mismatch", ("l", 0), "expected date, found null None"),
    (
        "date",
        {"f": "2024-13-01"},
        "invalid_date",
        ("f",),
        "expected a calendar date YYYY-MM-DD, found string '2024-13-01'",
    ),
    ("datetime", {"f": [1]}, "type_mismatch", ("f",), "expected an RFC 3339 date-time string, found array"),
    ("datetime", {"l": [None]}, "type_mismatch", ("l", 0), "expected datetime, found null None"),
    (
        "datetime",
        {"f": "2024-13-01"},
        "invalid_datetime",
        ("f",),
        "expected an RFC 3339 date-time, found string '2024-13-01'",
    ),
    (
        "datetime",
        {"f": "2024-01-05T10:00:00"},
        "invalid_datetime",
        ("f",),
        "date-time string '2024-01-05T10:00:00' has no UTC offset; it is taken as UTC",
    ),
    ("object", {"f": [1]}, "type_mismatch", ("f",), "expected object, found array"),
    ("object", {"l": [None]}, "type_mismatch", ("l", 0), "expected object, found null None"),
    ("array", {"f": {}}, "type_mismatch", ("f",), "expected array, found object"),
    ("array", {"l": [None]}, "type_mismatch", ("l", 0), "expected array, found null None"),
]


@pytest.mark.parametrize(("ftype", "obj", "code", "path", "message"), MESSAGES)
def test_messages_are_as_they_were(ftype: str, obj: Any, code: str, path: Any, message: str) -> None:
    v = schemakit.compile_schema(
        {"properties": {"f": {"type": ftype}, "l": {"type": "array", "items": {"type": ftype, "required": True}}}}
    )
    assert [(i.code, i.path, i.message) for i in v.validate(obj).issues] == [(code, path, message)]


# -- the inline shortcuts agree with the checks they stand in for -------------------------------------

digits = st.text(alphabet="0123456789", min_size=1, max_size=4)
date_like = st.builds(lambda y, m, d: f"{y}-{m}-{d}", digits, digits, digits)
datetime_like = st.builds(
    lambda day, h, mi, s, tail: f"{day}{'T'}{h}:{mi}:{s}{tail}",
    date_like | st.dates().map(str),
    digits,
    digits,
    digits,
    st.sampled_from(["", "Z", "z", "+23:59", "-24:00", "+05:60", ".123Z", ".5+01:00", "Z\n"]),
)
texts = st.one_of(st.text(max_size=12), date_like, st.dates().map(str), datetime_like, st.datetimes().map(str))


@given(texts)
def test_the_inline_date_shortcut_accepts_only_good_dates(text: str) -> None:
    if rt.common_date(text) is not None:
        assert rt.date_state(text) == rt.OK


@given(texts | st.datetimes(timezones=st.just(dt.UTC)).map(lambda d: d.isoformat()))
def test_the_inline_datetime_shortcut_accepts_only_aware_good_date_times(text: str) -> None:
    if rt.common_datetime(text) is not None:
        assert rt.datetime_state(text) == rt.OK


@given(st.dates())
def test_the_inline_date_shortcut_takes_every_day_but_leap_days(day: Any) -> None:
    text = day.isoformat()
    assert (rt.common_date(text) is not None) is (text[5:] != "02-29")


def test_the_inline_datetime_shortcut_takes_everyday_values() -> None:
    for text in ("2024-01-05T10:30:00Z", "2024-12-31t23:59:59.123456+14:00", "1999-06-30T00:00:00-05:30"):
        assert rt.common_datetime(text) is not None, text
    for text in ("2024-01-05T10:30:00", "2024-02-29T10:30:00Z", "2024-01-05T24:00:00Z"):
        assert rt.common_datetime(text) is None, text


blob_values = st.one_of(
    st.none(),
    st.sampled_from(
        ["https://x.example/a.jpg", "HTTPS://x.example/a.jpg", "s3://b/k", "https://", "upl_1", "upl_", "data:"]
    ),
    st.text(max_size=6),
    st.integers(),
    st.lists(st.integers(), max_size=1),
)
blobs = st.dictionaries(
    st.sampled_from(["property", "type", "data", "upload_id", "key_prefix", "metadata"]),
    st.one_of(blob_values, st.sampled_from(["image", "IMAGE", "Image", "iMage", "auto", "video"])),
    max_size=5,
)
NAMESPACE = {"good_url": good_url, "upload_id_match": upload_id_match}


@given(blobs)
def test_the_inline_blob_shortcut_is_quick_blob(blob: dict[str, Any]) -> None:
    names = frozenset({"image", "IMAGE", "Image"})
    inline = bool(eval(QUICK_BLOB_EXPR.format(b="b", names="names"), dict(NAMESPACE), {"b": blob, "names": names}))
    assert ("property" in blob and inline) is quick_blob(blob, names)


# The rule as the contract states it, in its plainest spelling: the matcher tries a faster form first.
PLAIN_URL_RULE = re.compile(r"(?:[hH][tT][tT][pP][sS]?|[sS]3|[gG][sS])://[^\s/?#]+[^\s]*\Z")
url_like = st.builds(
    lambda scheme, rest: scheme + rest,
    st.sampled_from(["https://", "http://", "HTTP://", "s3://", "gs://", "Gs://", "ftp://", "https:/", ""]),
    st.text(st.sampled_from("ab/?#. \t\n\x1c\x85\xa0\u2028\u200b\u00e9\x7f~%\""), max_size=6)
    | st.text(st.characters(codec="utf-8"), max_size=12),
)


@settings(max_examples=500)  # a cheap check, and the interesting strings are a small share
@given(url_like | st.text(max_size=12))
def test_the_blob_url_matcher_is_the_plain_rule(text: str) -> None:
    assert (good_url(text) is not None) is (PLAIN_URL_RULE.match(text) is not None)


def test_the_blob_url_matcher_takes_ascii_and_unicode_urls() -> None:
    for text in ("https://cdn.example.com/a.jpg", "s3://b/k", "gs://h/\u00e9t\u00e9.png", "HTTPS://h\u200b/x"):
        assert good_url(text) is not None, text
    for text in ("https://", "https:///a", "https://?q", "https://h/a b", "https://h/a\u00a0b", "https://h\n"):
        assert good_url(text) is None, text


# -- one result shape -----------------------------------------------------------------------------------


def test_results_have_the_one_shape() -> None:
    v = schemakit.compile_schema({"properties": {"k": {"type": "string"}, "at": {"type": "datetime"}}})
    good = v.validate({"k": "a", "at": "2024-01-05T10:00:00"})
    bad = v.validate({"k": 1})
    for r in (good, bad):
        assert isinstance(r, ResultShape) and isinstance(r, ValidationResult)
    assert good.ok and bool(good) and [i.code for i in good.warnings] == ["invalid_datetime"] and good.errors == []
    assert not bad.ok and not bool(bad) and [i.code for i in bad.errors] == ["type_mismatch"] and bad.warnings == []
    assert good.to_dict() == {
        "ok": True,
        "issues": [good.issues[0].to_dict()],
        "value": {"k": "a", "at": "2024-01-05T10:00:00"},
    }
    assert bad.to_dict()["value"] is None and bad.to_dict()["ok"] is False

    batch = v.validate_batch({"objects": [{"k": "a"}, {"k": 1}]})
    assert isinstance(batch, ResultShape) and isinstance(batch, BatchResult)
    assert not batch and [i.path for i in batch.errors] == [("objects", 1, "k")] and batch.warnings == []
    assert batch.to_dict() == {
        "ok": False,
        "issues": [i.to_dict() for i in batch.issues],
        "results": [r.to_dict() for r in batch.results],
    }


def test_results_stay_frozen_dataclasses_with_their_fields() -> None:
    r = ValidationResult(True, [], {"a": 1})
    assert [f.name for f in dataclasses.fields(r)] == ["ok", "issues", "value"]
    assert ValidationResult(False) == ValidationResult(False, [], None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.ok = False  # type: ignore[misc]
    b = BatchResult(True)
    assert [f.name for f in dataclasses.fields(b)] == ["ok", "issues", "results"]
    assert (b.issues, b.results) == ([], [])
    with pytest.raises(dataclasses.FrozenInstanceError):
        b.ok = False  # type: ignore[misc]
    made = schemakit.compile_schema({"properties": {}}).validate({})
    assert made == ValidationResult(True, [], {})


def test_the_request_models_name_every_field_type() -> None:
    from typing import get_args

    from schemakit.schema._models import BucketSchemaFieldType

    assert set(get_args(BucketSchemaFieldType)) == set(FIELD_TYPES)
