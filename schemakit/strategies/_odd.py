"""Odd values: what a robust entry point must survive without an undocumented exception.

Huge integers (past Python's 4,300-digit text limit, and past a double's range),
NaN and infinities, lone surrogates and NUL, long strings, sets, bytes,
subclasses of dict, list and str, mappings that are not dicts, objects whose
``__repr__``, ``__eq__`` or ``__hash__`` raise, and nesting thousands deep.
``odd_values()`` draws them alone and inside JSON-like containers.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from hypothesis import strategies as st

import schemakit


class Hostile:
    """An object every dunder of which raises: the worst a caller can pass."""

    def __repr__(self) -> str:
        raise RuntimeError("__repr__ raised")

    def __str__(self) -> str:
        raise RuntimeError("__str__ raised")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("__eq__ raised")

    def __hash__(self) -> int:
        raise RuntimeError("__hash__ raised")

    def __lt__(self, other: object) -> bool:
        raise RuntimeError("__lt__ raised")


class Dict(dict):  # type: ignore[type-arg]
    """A dict subclass (as a JSON library or an ORM may hand over)."""


class List(list):  # type: ignore[type-arg]
    """A list subclass."""


class Str(str):
    """A str subclass."""


class HostileStr(str):
    """A str subclass whose comparisons and representation raise: text that must be read as text."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("__eq__ raised")

    def __hash__(self) -> int:
        return str.__hash__(self)

    def __repr__(self) -> str:
        raise RuntimeError("__repr__ raised")


def nested(depth: int, *, kind: str = "list") -> Any:
    """A value nested ``depth`` levels deep, built without recursion."""
    value: Any = 0
    for _ in range(depth):
        value = [value] if kind == "list" else {"a": value}
    return value


def corpus() -> list[Any]:
    """The fixed odd values, each a known way an entry point has failed somewhere."""
    return [
        10**5000,
        -(10**5000),
        10**400,
        2**63,
        math.nan,
        math.inf,
        -math.inf,
        -0.0,
        "\ud800",
        "a\x00b",
        "x" * 1_000_000,
        "",
        b"bytes",
        bytearray(b"x"),
        {1, 2},
        frozenset({"a"}),
        (1, 2),
        1j,
        Ellipsis,
        object(),
        Hostile(),
        Dict(a=1),
        List([1, 2]),
        Str("text"),
        OrderedDict(a=1),
        MappingProxyType({"a": 1}),
        {1: "non-string key"},
        {None: 1},
        nested(10_000),
        nested(10_000, kind="dict"),
        [Hostile()],
        {"a": Hostile()},
        {"properties": Hostile()},
        {"AND": [Hostile()]},
        HostileStr("AND"),
        {HostileStr("AND"): [{HostileStr("field"): HostileStr("a"), "value": HostileStr("x")}]},
        {HostileStr("and"): 1},
        {"properties": {HostileStr("a.b"): {"type": HostileStr("strng"), HostileStr("requird"): True}}},
        {HostileStr("bucket_schem"): {}, "unique_key": {"fields": [HostileStr("a")]}},
        True,
        None,
    ]


def odd_values() -> st.SearchStrategy[Any]:
    """One odd value, or an odd value inside a small JSON-like container."""
    leaf = st.sampled_from(corpus())
    json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10))
    return st.one_of(
        leaf,
        st.recursive(
            st.one_of(leaf, json_leaf),
            lambda inner: st.one_of(
                st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
            ),
            max_leaves=6,
        ),
    )


# -- the public entry points, each with a well-formed partner input ----------------------------------

SCHEMA: dict[str, Any] = {
    "properties": {
        "image": {"type": "image", "required": True},
        "sku": {"type": "string", "required": True},
        "metadata": {
            "type": "object",
            "properties": {
                "title": {"type": "string", "required": True},
                "price": {"type": "float"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "released": {"type": "date"},
            },
        },
    }
}
PRODUCT: dict[str, Any] = {"bucket_schema": SCHEMA, "unique_key": {"fields": ["sku"]}}
COMPILED = schemakit.compile_schema(SCHEMA)
FILTER = schemakit.parse_filter({"AND": [{"field": "metadata.price", "operator": "lt", "value": 500}]})
COLLECTION = {
    "collection_name": "c",
    "source": {"type": "bucket", "bucket_ids": ["b"]},
    "feature_extractor": {
        "feature_extractor_name": "text_extractor",
        "version": "v1",
        "input_mappings": {"text": "metadata.title"},
    },
}
SEEDS: list[Any] = [SCHEMA, PRODUCT, FILTER.to_dict(), COLLECTION, {"buckets": {"b": PRODUCT}}, {"objects": [{}]}]


Entry = Callable[[Any], Any]

PILLARS: dict[str, list[tuple[str, Entry]]] = {
    "schema": [
        ("compile_schema", lambda x: schemakit.compile_schema(x)),
        ("compile_schema(unique_key=)", lambda x: schemakit.compile_schema(SCHEMA, unique_key=x)),
        ("check_bucket", lambda x: schemakit.check_bucket(x)),
        ("validate", lambda x: COMPILED.validate(x)),
        ("is_valid", lambda x: COMPILED.is_valid(x)),
        ("validate_batch", lambda x: COMPILED.validate_batch(x)),
    ],
    "filters": [
        ("parse_filter", lambda x: schemakit.parse_filter(x)),
        ("matches", lambda x: FILTER.matches(x)),
        ("matches(context=)", lambda x: FILTER.matches({}, context=x)),
        ("check_filter", lambda x: schemakit.check_filter(x, SCHEMA)),
        ("check_filter(schema)", lambda x: schemakit.check_filter(FILTER, x)),
        ("query", lambda x: schemakit.query(x)),
        ("query(filters=)", lambda x: schemakit.query([{"a": 1}], filters=x)),
        ("query(limit=)", lambda x: schemakit.query([], limit=x)),
        ("to_text", lambda x: schemakit.parse_filter(x).to_text()),
    ],
    "mappings": [
        ("resolve_collection", lambda x: schemakit.resolve_collection(x, buckets={"b": PRODUCT})),
        ("resolve_collection(buckets=)", lambda x: schemakit.resolve_collection(COLLECTION, buckets=x)),
        ("resolve_pipeline", lambda x: schemakit.resolve_pipeline(x)),
        ("map_object", lambda x: schemakit.resolve_collection(COLLECTION, buckets={"b": PRODUCT}).map_object(x)),
        ("with_definitions", lambda x: schemakit.ExtractorRegistry.builtin().with_definitions(x)),
    ],
}
