"""The generated code's shortcuts agree with the reference rules they stand in for."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from schemakit._dates import parse_date, parse_datetime
from schemakit.schema import _runtime as rt
from schemakit.schema._blobs import blob_problems, quick_blob

digits = st.text(alphabet="0123456789", min_size=1, max_size=4)
date_like = st.builds(lambda y, m, d: f"{y}-{m}-{d}", digits, digits, digits)
datetime_like = st.builds(
    lambda y, mo, d, h, mi, s, tail: f"{y}-{mo}-{d}T{h}:{mi}:{s}{tail}",
    digits,
    digits,
    digits,
    digits,
    digits,
    digits,
    st.sampled_from(["", "Z", "z", "+23:59", "-24:00", "+05:60", ".123", ".5+01:00", "\n"]),
)
texts = st.one_of(
    st.text(max_size=30),
    date_like,
    datetime_like,
    st.dates().map(str),
    st.datetimes().map(lambda d: d.isoformat()),
)


@given(texts)
def test_date_state_matches_parse_date(text: str) -> None:
    assert (rt.date_state(text) == rt.OK) is (parse_date(text) is not None)


@given(texts)
def test_datetime_state_matches_parse_datetime(text: str) -> None:
    parsed = parse_datetime(text)
    expected = rt.BAD_TEXT if parsed is None else (rt.NAIVE if parsed[1] else rt.OK)
    assert rt.datetime_state(text) == expected


def test_leap_years() -> None:
    assert rt.date_state("2024-02-29") == rt.OK
    assert rt.date_state("2000-02-29") == rt.OK
    assert rt.date_state("1900-02-29") == rt.BAD_TEXT
    assert rt.date_state("2023-02-29") == rt.BAD_TEXT
    assert rt.date_state("0000-01-01") == rt.BAD_TEXT


blob_values = st.one_of(
    st.none(),
    st.sampled_from(["https://x.example/a.jpg", "https://x.example/a.mp3", "s3://b/k", "https://", "upl_1", "data:"]),
    st.text(max_size=10),
    st.integers(),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
blobs = st.dictionaries(
    st.sampled_from(["property", "type", "data", "upload_id", "key_prefix", "metadata"]),
    st.one_of(blob_values, st.sampled_from(["image", "IMAGE", "Image", "auto", "video", "upl_abc"])),
    max_size=5,
)


@given(blobs)
def test_quick_blob_only_accepts_what_the_full_check_accepts(blob: dict[str, Any]) -> None:
    if quick_blob(blob, frozenset({"image", "IMAGE", "Image"})):
        assert blob_problems(blob, "image", 100) == ()


class _Hostile(str):
    """A name whose own hashing and comparison raise, as a user's str subclass may."""

    def __hash__(self) -> int:
        raise RuntimeError("no hashing")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no comparing")


def test_a_remembered_hint_is_the_hint_computed_afresh() -> None:
    from schemakit._issues import did_you_mean_hint as computed

    names = ("sandal", "sneaker", "boot", "slipper")
    assert rt.did_you_mean_hint("sandals", names) == computed("sandals", names) == "did you mean 'sandal'?"
    # asked again, from the memo, and for the names as any iterable
    assert rt.did_you_mean_hint("sandals", list(names)) == "did you mean 'sandal'?"
    assert rt.did_you_mean_hint("sandals", iter(names)) == "did you mean 'sandal'?"
    assert rt.did_you_mean_hint("xyzzy", names) is None
    # str subclasses are read as their text: their own __hash__ and __eq__ never run
    assert rt.did_you_mean_hint(_Hostile("sandals"), (_Hostile("sandal"), "boot")) == "did you mean 'sandal'?"
    # past the memo's bound on names the hint is still computed
    many = tuple(f"field_{i}" for i in range(200))
    assert rt.did_you_mean_hint("field_17x", many) == computed("field_17x", many)
    assert rt.did_you_mean_hint("field_17x", many) is not None
