"""The one path module: parsing, resolving against a schema, reading from a record, rendering."""

from __future__ import annotations

import pytest

from schemakit._contract import paths
from schemakit._contract.bucket import read_bucket_schema
from schemakit._contract.sentinels import ABSENT

SCHEMA = {
    "properties": {
        "image": {"type": "image"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "free": {"type": "object"},
        "loose": {"type": "array"},
        "metadata": {
            "type": "object",
            "properties": {
                "title": {"type": "string"},
                "chapters": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"title": {"type": "string"}}},
                },
                "0": {"type": "integer"},
            },
        },
    }
}


@pytest.fixture(scope="module")
def schema():  # type: ignore[no-untyped-def]
    sdef, issues = read_bucket_schema(SCHEMA)
    assert issues == [] and sdef is not None
    return sdef


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("a.b", ("a", "b")),
        ("a[0].b", ("a", "0", "b")),
        ("filters.AND[0].value", ("filters", "AND", "0", "value")),
        ("x[1][2]", ("x", "1", "2")),
        ("[0].b", ("0", "b")),
        ("a[b]", ("a[b]",)),  # only digits in brackets are an index: field names may hold brackets
        ("tags[0]x", ("tags[0]x",)),
    ],
)
def test_parse(text: str, segments: tuple[str, ...]) -> None:
    assert paths.parse(text) == segments


def test_path_problem() -> None:
    assert paths.path_problem("a.b") is None
    assert paths.path_problem("") == "a field must not be empty"
    assert paths.path_problem("a..b") == "field 'a..b' has an empty path segment"
    assert paths.path_problem(3) == "a field must be a string, found integer 3"


def test_resolve_declared_fanned_out_and_indexed(schema) -> None:  # type: ignore[no-untyped-def]
    title = paths.resolve(schema, "metadata.title")
    assert title is not None and title.field is not None and title.field.type == "string"
    assert not title.open and not title.fans_out and not title.indexed

    chapters = paths.resolve(schema, "metadata.chapters.title")
    assert chapters is not None and chapters.fans_out and chapters.field is not None

    indexed = paths.resolve(schema, "tags.0")
    assert indexed is not None and indexed.indexed and indexed.field is not None
    assert indexed.field.type == "string"

    # a digit segment on an object is a name, not an index
    named = paths.resolve(schema, "metadata.0")
    assert named is not None and not named.indexed and named.field is not None
    assert named.field.type == "integer"


@pytest.mark.parametrize("text", ["image.url", "free.anything.below", "loose.0.x", "loose.x"])
def test_resolve_below_undeclared_structures_is_open(schema, text: str) -> None:  # type: ignore[no-untyped-def]
    found = paths.resolve(schema, text)
    assert found is not None and found.open and found.field is None


@pytest.mark.parametrize("text", ["nope", "metadata.nope", "metadata.title.x", "tags.x", "", "a..b"])
def test_resolve_names_nothing(schema, text: str) -> None:  # type: ignore[no-untyped-def]
    assert paths.resolve(schema, text) is None


def test_walk_and_all_paths(schema) -> None:  # type: ignore[no-untyped-def]
    assert list(paths.all_paths(schema)) == [
        "image",
        "tags",
        "free",
        "loose",
        "metadata",
        "metadata.title",
        "metadata.chapters",
        "metadata.chapters.title",
        "metadata.0",
    ]


def test_read_on_records() -> None:
    record = {"a": {"b": 1}, "l": [{"x": 1}, {"y": 2}, {"x": 3}], "t": ["p", "q"], "d": {"0": "zero"}}
    assert paths.read(record, ("a", "b")) == 1
    assert paths.read(record, ("a", "c")) is ABSENT
    fan = paths.read(record, ("l", "x"))
    assert isinstance(fan, paths.FanOut) and fan.values == [1, 3]
    assert paths.read(record, ("t", "1")) == "q"
    assert paths.read(record, ("t", "9")) is ABSENT
    assert paths.read(record, ("d", "0")) == "zero"  # a digit segment is a key on a dict
    assert paths.read("not a record", ("a",)) is ABSENT
    assert list(paths.candidates(paths.read(record, ("t",)))) == [["p", "q"], "p", "q"]
    assert paths.found_values(ABSENT) == ()


def test_rendering() -> None:
    assert paths.dotted(("a", 0, "b")) == "a.0.b"
    assert paths.json_pointer(("blobs", 0, "a/b~c")) == "/blobs/0/a~1b~0c"
    assert paths.json_pointer(()) == ""
