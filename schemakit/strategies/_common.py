"""Argument checks and the value strategies every bucket strategy builds on.

Values are generated from a :class:`~schemakit.schema.SchemaDef`, never from
the raw dict, so a strategy accepts whatever ``read_bucket_schema`` accepts (a
dict or a pydantic ``BucketSchema``) and sees types already lower-cased. A
scalar's values come from its entry in the contract's type table
(:meth:`~schemakit._contract.types.FieldType.generator`); only the structure
of objects and arrays is generated here.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from schemakit._contract.bucket import (
    FieldDef,
    SchemaDef,
    check_unique_key,
    read_bucket_schema,
    type_strict_equal,
)
from schemakit._contract.types import FIELD_TYPES
from schemakit._dates import parse_datetime

Json = Any

# Shrinks toward the first name, so counterexamples read like real requests.
FRIENDLY_NAMES = (
    "title",
    "price",
    "tags",
    "metadata",
    "image",
    "video",
    "document",
    "created_at",
    "published",
    "category",
    "count",
    "author",
    "rating",
    "audio",
    "sheet",
    "notes",
)

# Plain letters first: a key prefix that shrinks reads "a", not "\x00".
_KEY_PREFIX_SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.", min_size=1, max_size=12).filter(
    lambda s: s != ".."
)


def check_schema(schema: Any, *, argument: str = "schema") -> SchemaDef:
    """Read a bucket schema eagerly, turning definition errors into ``InvalidArgument``."""
    if isinstance(schema, SchemaDef):
        return schema
    sdef, issues = read_bucket_schema(schema)
    errors = [i for i in issues if i.is_error]
    if sdef is None or errors:
        listed = "; ".join(str(i) for i in errors) or "not a bucket schema"
        raise InvalidArgument(f"{argument}={schema!r} is not a valid bucket schema: {listed}")
    return sdef


def check_unique_key_arg(sdef: SchemaDef, unique_key: Any) -> tuple[str, ...]:
    """The unique-key field names, or ``InvalidArgument`` naming what is wrong with ``unique_key``."""
    if unique_key is None:
        return ()
    names, issues = check_unique_key(sdef, unique_key)
    if issues:
        listed = "; ".join(str(i) for i in issues)
        raise InvalidArgument(f"unique_key={unique_key!r} does not fit the schema: {listed}")
    for name in names:
        # A unique key needs a value that is present, non-empty and at most 255 characters.
        if not has_key_value(sdef.fields[name]):
            raise InvalidArgument(
                f"unique_key={unique_key!r}: field {name!r} has no enum value usable as a unique key "
                "(non-empty, at most 255 characters)"
            )
    return names


def check_flag(value: Any, *, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be True or False")
    return value


def check_size(value: Any, *, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidArgument(f"{name}={value!r} must be an integer between {low} and {high}")
    return value


def has_key_value(f: FieldDef) -> bool:
    return f.enum is None or any(_usable_key_value(v) for v in f.enum)


def _usable_key_value(v: Any) -> bool:
    return v is not None and v != "" and not (isinstance(v, str) and len(v) > 255)


def json_values(*, max_leaves: int = 6) -> st.SearchStrategy[Json]:
    """Any JSON value (finite numbers only); shrinks toward ``None``."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=10),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
        max_leaves=max_leaves,
    )


# Built once: ``values`` is asked for a scalar's strategy at every draw of an enclosing object.
_SCALAR_VALUES: Mapping[str, st.SearchStrategy[Any]] = {
    t.name: t.generator() for t in FIELD_TYPES.values() if t.strategy is not None
}


def values(f: FieldDef, *, strict: bool = False) -> st.SearchStrategy[Json]:
    """Valid, non-null values of metadata field ``f`` (enum honoured, nested required fields present).

    Unless ``strict``, objects sometimes carry keys their schema does not
    declare (allowed then); with ``strict`` they carry none, and an object
    without ``properties`` is empty.
    """
    if f.enum is not None:
        # deepcopy: callers mutate generated objects, and enum values are shared with the FieldDef.
        return st.sampled_from(f.enum).map(copy.deepcopy)
    scalar = _SCALAR_VALUES.get(f.type)
    if scalar is not None:
        return scalar
    container = _CONTAINER_VALUES.get(f.type)
    if container is None:
        raise InvalidArgument(f"field {f.name!r} of type {f.type!r} has no inline value (it is supplied as a blob)")
    return container(f, strict)


def _object_field_values(f: FieldDef, strict: bool) -> st.SearchStrategy[Json]:
    if f.properties is None:
        return st.just({}) if strict else st.dictionaries(st.text(max_size=8), json_values(), max_size=3)
    return object_values(f.properties, strict=strict)


def _array_field_values(f: FieldDef, strict: bool) -> st.SearchStrategy[Json]:
    if f.items is None:
        return st.lists(json_values(), max_size=3)
    item = values(f.items, strict=strict)
    if not f.items.required:
        item = st.one_of(item, st.none())
    return st.lists(item, max_size=3)


# The structure of each container type: what its declared ``properties`` or ``items`` make of a value.
_CONTAINER_VALUES: Mapping[str, Callable[[FieldDef, bool], st.SearchStrategy[Json]]] = {
    "object": _object_field_values,
    "array": _array_field_values,
}
assert set(_CONTAINER_VALUES) == {t.name for t in FIELD_TYPES.values() if t.category == "container"}


# Keys a schema does not declare, for objects that allow them; readable ones first.
EXTRA_KEYS = st.one_of(st.sampled_from(["note", "source", "x-trace"]), st.text(min_size=1, max_size=8))


def extra_keys(taken: Any) -> st.SearchStrategy[dict[str, Json]]:
    """Undeclared keys (none of ``taken``) with any JSON values; shrinks toward none."""
    return st.dictionaries(EXTRA_KEYS.filter(lambda k: k not in taken), json_values(max_leaves=2), max_size=2)


def optional_state() -> st.SearchStrategy[int]:
    """0 absent, 1 a value, 2 null: shrinks toward absent."""
    return st.integers(0, 2)


@st.composite
def _object_values(draw: st.DrawFn, properties: Mapping[str, FieldDef], strict: bool) -> dict[str, Json]:
    out: dict[str, Json] = {}
    for name, sub in properties.items():
        if sub.required:
            out[name] = draw(values(sub, strict=strict))
            continue
        state = draw(optional_state())
        if state == 1:
            out[name] = draw(values(sub, strict=strict))
        elif state == 2:
            out[name] = None
    if not strict:
        out.update(draw(extra_keys(properties)))
    return out


def object_values(properties: Mapping[str, FieldDef], *, strict: bool = False) -> st.SearchStrategy[dict[str, Json]]:
    return _object_values(properties, strict)


# Valid, but close to a rule: ".." inside a segment, 1024 bytes exactly, non-ASCII, "." segments.
_EDGE_KEY_PREFIXES = ("a..b", "..a/b..", "./a/.", "a" * 1024, "é" * 512, "контракты/2024", "a b/c~d")


def key_prefixes() -> st.SearchStrategy[str]:
    """Valid key prefixes: ``/``-separated readable segments, never a ``..`` segment, and a few edge cases."""
    plain = st.builds(
        lambda lead, segs: lead + "/".join(segs),
        st.sampled_from(["", "/"]),
        st.lists(_KEY_PREFIX_SEGMENT, min_size=1, max_size=3),
    )
    return st.one_of(plain, st.sampled_from(_EDGE_KEY_PREFIXES))


def key_values(f: FieldDef) -> st.SearchStrategy[Json]:
    """Values usable as a unique key: present, non-empty, at most 255 characters."""
    if f.enum is not None:
        usable = [v for v in f.enum if _usable_key_value(v)]
        return st.sampled_from(usable).map(copy.deepcopy)
    if f.type == "string":
        return st.text(min_size=1, max_size=20)
    return values(f)


def key_identity(value: Json) -> Any:
    """What makes two unique-key values the same, erring toward "same" so generated keys are surely distinct.

    Numbers compare by value (``1`` is ``1.0``), booleans apart from numbers,
    date-times as instants (``...Z`` is ``...+00:00``).
    """
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("num", float(value) if math.isfinite(value) else value)
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is not None:
            return ("instant", parsed[0])
        return ("str", value)
    return ("other", repr(value))


# Types with so few values that "outside the enum" is a choice among them rather than a filter.
_FINITE_DOMAINS: Mapping[str, tuple[Json, ...]] = {"boolean": (False, True)}


def _outside(enum: tuple[Any, ...]) -> Callable[[Json], bool]:
    instants = {p[0] for p in (parse_datetime(e) for e in enum if isinstance(e, str)) if p is not None}

    def outside(v: Json) -> bool:
        if any(type_strict_equal(v, e) for e in enum):
            return False
        # "...Z" and "...+00:00" are one instant: keep clear of whichever way the validator compares.
        parsed = parse_datetime(v) if isinstance(v, str) else None
        return parsed is None or parsed[0] not in instants

    return outside


def not_in_enum(f: FieldDef) -> st.SearchStrategy[Json]:
    """Values of ``f``'s type that are not among its enum values."""
    assert f.enum is not None
    outside = _outside(f.enum)
    domain = _FINITE_DOMAINS.get(f.type)
    if domain is not None:
        return st.sampled_from([v for v in domain if outside(v)])
    plain = FieldDef(f.name, f.type, f.required, f.properties, f.items)
    return values(plain).filter(outside)


def can_leave_enum(f: FieldDef) -> bool:
    """Whether some value of ``f``'s type lies outside its enum (all but a complete boolean enum)."""
    if f.enum is None or not FIELD_TYPES[f.type].is_scalar:
        return False
    domain = _FINITE_DOMAINS.get(f.type)
    return domain is None or any(_outside(f.enum)(v) for v in domain)
