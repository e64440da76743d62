"""Any value anywhere in a request, manifest, definition or source object: issues, or a documented error.

The odd values are the ones external fuzzing found (huge integers, NaN, lone
surrogates, NUL bytes, long strings, sets, bytes, subclasses, objects whose
``__repr__``/``__eq__``/``__hash__`` raise, deep nesting). The parts a collection
hands to another reader (a bucket schema, ``input_schema``, a definition's
``output_schema``, ``source_filters``) are those readers' to test; here they stay valid.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from schemakit import SchemakitError, resolve_collection, resolve_pipeline
from schemakit._issues import Issue
from schemakit.mappings import CollectionResolution, ExtractorRegistry, PipelineResolution


class Unprintable:
    def __repr__(self) -> str:
        raise RuntimeError("repr")

    def __str__(self) -> str:
        raise RuntimeError("str")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")

    __hash__ = object.__hash__


class Unhashable:
    def __hash__(self) -> int:
        raise RuntimeError("hash")


class LoudStr(str):
    def __repr__(self) -> str:
        raise RuntimeError("repr")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")

    def __hash__(self) -> int:
        raise RuntimeError("hash")


class KeyStr(str):
    """A key of a caller's str class: hashable (a dict needs that), but its own __repr__ and __eq__ raise."""

    def __repr__(self) -> str:
        raise RuntimeError("repr")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")

    __hash__ = str.__hash__


class Dict(dict[Any, Any]):
    pass


class List(list[Any]):
    pass


def nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


ODD: list[Any] = [
    10**5000,
    -(10**5000),
    int("9" * 401),
    float("nan"),
    float("inf"),
    "\ud800",
    "a\x00b",
    "x" * 1_000_000,
    {1, 2},
    b"bytes",
    LoudStr("bucket"),
    LoudStr("img"),
    Dict(a=1),
    List([1]),
    Unprintable(),
    Unhashable(),
    nested(10_000),
    None,
    True,
    0,
    "",
    [],
    {},
    [LoudStr("bkt")],
]
ODD_KEYS: list[Any] = [10**5000, Unprintable(), 3, None, KeyStr("sourc"), KeyStr("requird"), "\ud800", ("a", 1)]

BUCKETS: dict[str, Any] = {
    "bkt": {
        "bucket_schema": {
            "properties": {
                "img": {"type": "image"},
                "title": {"type": "string", "required": True},
                "metadata": {"type": "object", "properties": {"title": {"type": "string"}}},
                "chapters": {"type": "array", "items": {"type": "object", "properties": {"title": {"type": "string"}}}},
            }
        }
    }
}
REQUEST: dict[str, Any] = {
    "collection_name": "products",
    "description": "d",
    "enabled": True,
    "metadata": {},
    "source": {"type": "bucket", "bucket_ids": ["bkt"], "inherited_bucket_ids": []},
    "feature_extractor": {
        "feature_extractor_name": "image_extractor",
        "version": "v1",
        "params": {},
        "input_mappings": [
            {"input_key": "image", "source_type": "payload", "path": "img"},
        ],
        "field_passthrough": [
            {"source_path": "title", "required": True},
            {"source_path": "metadata.title", "target_path": "mt", "default": "x"},
            {"source_path": "chapters.title", "target_path": "chapter_titles"},
        ],
        "include_all_source_fields": False,
    },
}
DEFINITION: dict[str, Any] = {
    "feature_extractor_name": "tagger",
    "version": "v1",
    "description": "tags",
    "input_schema": {"properties": {"text": {"type": "text", "accepts": ["string"], "required": True}}},
    "output_schema": {"properties": {"tag": {"type": "string"}, "idx": {"type": "integer"}}},
    "supported_input_types": ["text"],
    "position_fields": ["idx"],
    "default_parameters": {"n": 1},
}
OBJECT: dict[str, Any] = {
    "img": {"url": "s3://x"},
    "title": "t",
    "metadata": {"title": "m"},
    "chapters": [{"title": "a"}],
    "blobs": [{"property": "img", "type": "image", "data": "s3://y"}],
}


# what a collection hands to another reader, which that reader's tests cover: kept valid here
OTHER_READERS = ("bucket_schema", "input_schema", "output_schema", "source_filters")


def slots(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in OTHER_READERS:
                yield from slots(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from slots(item, (*path, i))


def mutated(base: Any, path: tuple[Any, ...], value: Any, *, as_key: bool) -> Any:
    if not path:
        return value
    out = copy.deepcopy(base)
    parent = out
    for step in path[:-1]:
        parent = parent[step]
    if as_key and isinstance(parent, dict):
        parent[value] = parent.pop(path[-1])
    else:
        parent[path[-1]] = value
    return out


def mutation(base: Any) -> st.SearchStrategy[Any]:
    """A mutated copy of ``base``; drawn as indices, so a failing example prints (repr of a huge int cannot)."""
    places = list(slots(base))
    keyed = [p for p in places if p]
    values = st.tuples(
        st.integers(min_value=0, max_value=len(places) - 1), st.integers(min_value=0, max_value=len(ODD) - 1)
    ).map(lambda pv: Mutation(base, places[pv[0]], pv[1], as_key=False))
    keys = st.tuples(
        st.integers(min_value=0, max_value=len(keyed) - 1), st.integers(min_value=0, max_value=len(ODD_KEYS) - 1)
    ).map(lambda pk: Mutation(base, keyed[pk[0]], pk[1], as_key=True))
    return values | keys


class Mutation:
    """``base`` with the odd value (or key) number ``index`` at ``path``; printed by its place, never its value."""

    def __init__(self, base: Any, path: tuple[Any, ...], index: int, *, as_key: bool) -> None:
        self.base, self.path, self.index, self.as_key = base, path, index, as_key

    def build(self) -> Any:
        value = (ODD_KEYS if self.as_key else ODD)[self.index]
        return mutated(self.base, self.path, value, as_key=self.as_key)

    def __repr__(self) -> str:
        return f"Mutation(path={self.path!r}, {'key' if self.as_key else 'value'} #{self.index})"


def readable(issues: list[Issue]) -> None:
    for issue in issues:
        str(issue)
        issue.to_dict()


@given(mutation(REQUEST))
def test_resolve_collection_gives_issues_for_any_request(change: Mutation) -> None:
    res = resolve_collection(change.build(), buckets=BUCKETS)
    assert isinstance(res, CollectionResolution)
    readable(res.issues)
    res.to_dict()


@given(mutation({"buckets": {"bkt": BUCKETS["bkt"]}, "collections": {"c": REQUEST}, "name": "p"}))
def test_resolve_pipeline_gives_issues_for_any_manifest(change: Mutation) -> None:
    p = resolve_pipeline(change.build())
    assert isinstance(p, PipelineResolution)
    readable(p.issues)
    p.to_dict()


@given(st.integers(min_value=0, max_value=len(ODD) - 1))
def test_any_value_as_buckets_collections_or_extractors(index: int) -> None:
    value = ODD[index]
    readable(resolve_collection(REQUEST, buckets=value).issues)
    readable(resolve_collection(REQUEST, buckets=BUCKETS, collections=value).issues)
    readable(resolve_pipeline({"extractors": value, "collections": {}}).issues)


@given(mutation(DEFINITION))
def test_with_definitions_raises_only_the_documented_error(change: Mutation) -> None:
    try:
        registry = ExtractorRegistry.builtin().with_definitions(change.build())
    except SchemakitError as err:
        readable(err.issues)
        str(err)
    else:
        for definition in registry:
            definition.to_dict()


RESOLVED = resolve_collection(REQUEST, buckets=BUCKETS)


@given(mutation(OBJECT))
def test_map_object_raises_only_the_documented_error(change: Mutation) -> None:
    assert RESOLVED.ok
    try:
        RESOLVED.map_object(change.build())
    except SchemakitError as err:
        readable(err.issues)
        str(err)
