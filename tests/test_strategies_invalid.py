"""Guarantees of ``invalid_objects``: labels are object-validation codes, each permitted code appears."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as hst
from hypothesis.errors import InvalidArgument

import schemakit
from schemakit import strategies as st
from schemakit.strategies._invalid import CODES, possible_codes

KEYED = {
    "properties": {
        "sku": {"type": "string", "required": True},
        "image": {"type": "image"},
        "gallery": {"type": "array", "items": {"type": "image"}},
        "notes": {"type": "text"},
        "status": {"type": "string", "enum": ["draft", "live"]},
        "launched": {"type": "date"},
        "updated_at": {"type": "datetime"},
        "metadata": {
            "type": "object",
            "properties": {
                "brand": {"type": "string", "required": True},
                "sizes": {"type": "array", "items": {"type": "integer"}},
            },
        },
    }
}
UNIQUE = {"fields": ["sku"]}
# The object-validation codes (unknown_field with strict=True); the batch codes need a batch.
ISSUE_2_OBJECT_CODES = {
    "invalid_request",
    "unknown_blob_property",
    "blob_type_mismatch",
    "missing_blob_source",
    "conflicting_blob_source",
    "invalid_blob_data",
    "mime_type_mismatch",
    "blob_too_large",
    "duplicate_blob_property",
    "file_field_not_blob",
    "missing_required_field",
    "type_mismatch",
    "enum_mismatch",
    "invalid_date",
    "invalid_datetime",
    "invalid_key_prefix",
    "missing_unique_key",
    "unique_key_too_long",
    "unknown_field",
}


def test_codes_are_exactly_issue_2_object_codes() -> None:
    assert set(CODES) == ISSUE_2_OBJECT_CODES


def test_a_rich_schema_permits_every_code() -> None:
    assert possible_codes(KEYED, unique_key=UNIQUE, strict=True) == CODES
    assert possible_codes(KEYED, unique_key=UNIQUE) == tuple(c for c in CODES if c != "unknown_field")


def test_codes_a_schema_cannot_express_are_not_offered() -> None:
    assert possible_codes({"properties": {}}) == ("invalid_request", "invalid_key_prefix", "unknown_blob_property")
    flat = {
        "properties": {
            "flag": {"type": "boolean", "enum": [True, False]},
            "photos": {"type": "array", "items": {"type": "image"}},
        }
    }
    codes = set(possible_codes(flat))
    # A complete boolean enum cannot be left, and an array of files takes several blobs, so no duplicates.
    assert "enum_mismatch" not in codes and "duplicate_blob_property" not in codes
    assert "file_field_not_blob" not in codes and "mime_type_mismatch" in codes


@pytest.mark.parametrize("code", CODES)
def test_each_code_yields_a_pair_that_schemakit_rejects_with_it(code: str) -> None:
    validator = schemakit.compile_schema(KEYED, unique_key=UNIQUE, max_inline_bytes=1024, strict=True)

    @settings(database=None, max_examples=max(settings().max_examples // 5, 5))
    @given(st.invalid_objects(KEYED, unique_key=UNIQUE, max_inline_bytes=1024, strict=True, codes=[code]))
    def check(pair: tuple[Any, str]) -> None:
        obj, label = pair
        assert label == code
        assert code in {i.code for i in validator.validate(obj).issues if i.is_error}

    check()


class _AllSeen(Exception):
    pass


def test_every_possible_code_is_generated_without_asking() -> None:
    seen: set[str] = set()

    # Generation only, so the early stop below is not shrunk; the cap is far above what is needed.
    @settings(database=None, max_examples=3000, phases=[Phase.generate])
    @given(st.invalid_objects(KEYED, unique_key=UNIQUE, max_inline_bytes=16, strict=True))
    def collect(pair: tuple[Any, str]) -> None:
        seen.add(pair[1])
        if seen == set(CODES):
            raise _AllSeen

    with pytest.raises(_AllSeen):
        collect()


def test_a_defect_is_the_only_difference_from_a_valid_object() -> None:
    """Undoing the mutation is not possible in general, but a valid object never carries the label's code."""
    validator = schemakit.compile_schema(KEYED, unique_key=UNIQUE)

    @settings(database=None)
    @given(st.objects(KEYED, unique_key=UNIQUE))
    def valid(obj: dict[str, Any]) -> None:
        assert validator.validate(obj).ok

    valid()


def test_pairs_shrink_to_readable_defects() -> None:
    schema = {"properties": {"price": {"type": "number", "required": True}}}

    @settings(database=None, max_examples=200, derandomize=True)
    @given(st.invalid_objects(schema, codes=["type_mismatch"]))
    def fails(pair: tuple[Any, str]) -> None:
        raise AssertionError(pair)  # the minimal example's exception is the one re-raised

    with pytest.raises(AssertionError) as caught:
        fails()
    assert caught.value.args[0] == ({"price": "0"}, "type_mismatch")


@given(hst.data())
def test_codes_option_restricts_the_labels(data: hst.DataObject) -> None:
    wanted = data.draw(hst.sets(hst.sampled_from(["invalid_key_prefix", "enum_mismatch", "invalid_date"]), min_size=1))
    _, code = data.draw(st.invalid_objects(KEYED, codes=wanted))
    assert code in wanted


@pytest.mark.parametrize(
    "kwargs",
    [
        {"codes": ["no_such_code"]},
        {"codes": "type_mismatch"},
        {"max_inline_bytes": -1},
        {"max_inline_bytes": 1.5},
        {"unique_key": {"fields": []}},
        {"unique_key": {"fields": ["metadata"]}},
        {"strict": "yes"},
        {"codes": ["unknown_field"]},
    ],
)
def test_bad_arguments_fail_eagerly(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgument):
        st.invalid_objects(KEYED, **kwargs)


def test_asking_only_for_codes_the_schema_cannot_express_fails_eagerly() -> None:
    with pytest.raises(InvalidArgument, match="none of these defects"):
        st.invalid_objects({"properties": {"title": {"type": "string"}}}, codes=["enum_mismatch", "blob_too_large"])


def test_an_invalid_schema_fails_eagerly() -> None:
    with pytest.raises(InvalidArgument, match="unknown_type"):
        st.invalid_objects({"properties": {"doc": {"type": "json"}}})
