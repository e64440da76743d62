"""Valid ``bucket_schema`` dicts covering every field type and keyword."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from schemakit._contract.bucket import MAX_FIELD_NAME_LENGTH, RESERVED_FIELD_NAMES, FieldDef
from schemakit._contract.types import FIELD_TYPES, FILE_TYPES
from schemakit.strategies._common import FRIENDLY_NAMES, Json, check_size, json_values, values

# In the type table's order, which matters for shrinking: a failing schema shrinks toward a
# single string field (the table's first scalar), then toward the other scalars in table order.
_SCALAR_TYPES = tuple(t.name for t in FIELD_TYPES.values() if t.category == "scalar")
_CONTAINER_TYPES = tuple(t.name for t in FIELD_TYPES.values() if t.category == "container")


def _valid_name(name: str) -> bool:
    return bool(name) and "." not in name and not name.startswith("$") and len(name) <= MAX_FIELD_NAME_LENGTH


def field_names(*, top_level: bool) -> st.SearchStrategy[str]:
    """Readable names first; any legal name (spaces, ``/``, ``~``, non-ASCII) now and then."""
    names = st.one_of(
        st.sampled_from(FRIENDLY_NAMES),
        st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True),
        st.text(min_size=1, max_size=12).filter(_valid_name),
    )
    if top_level:
        names = names.filter(lambda n: n not in RESERVED_FIELD_NAMES)
    return names


def _spelled(ftype: str) -> st.SearchStrategy[str]:
    return st.sampled_from([ftype, ftype.upper(), ftype.capitalize()])


@st.composite
def _field(
    draw: st.DrawFn, name: str, *, depth: int, max_depth: int, top_level: bool
) -> tuple[dict[str, Json], FieldDef]:
    """A field definition dict together with the FieldDef it reads as (needed to draw enum and default values)."""
    choices: list[str] = list(_SCALAR_TYPES)
    if depth < max_depth:
        choices.extend(_CONTAINER_TYPES)
    if top_level:
        choices.extend(FILE_TYPES)
    ftype = draw(st.sampled_from(choices))
    spec: dict[str, Json] = {"type": draw(_spelled(ftype))}
    properties: dict[str, FieldDef] | None = None
    items: FieldDef | None = None
    if ftype == "object" and draw(st.booleans()):
        props = draw(st.lists(field_names(top_level=False), max_size=4, unique=True))
        spec_props: dict[str, Json] = {}
        properties = {}
        for sub in props:
            spec_props[sub], properties[sub] = draw(_field(sub, depth=depth + 1, max_depth=max_depth, top_level=False))
        spec["properties"] = spec_props
    elif ftype == "array" and draw(st.booleans()):
        if top_level and draw(st.booleans()):
            # A top-level array of a file type: several blobs for one property.
            kind = draw(st.sampled_from(FILE_TYPES))
            spec["items"] = {"type": draw(_spelled(kind))}
            items = FieldDef(name, kind)
        else:
            spec["items"], items = draw(_field(name, depth=depth + 1, max_depth=max_depth, top_level=False))

    required = draw(st.sampled_from([None, True, False]))
    if required is not None:
        spec["required"] = required
    fdef = FieldDef(name, ftype, bool(required), properties, items)
    if draw(st.booleans()):
        spec["description"] = draw(st.text(max_size=20))
    if fdef.is_file or fdef.file_items:
        return spec, fdef

    enum: list[Json] | None = None
    if FIELD_TYPES[ftype].is_scalar and draw(st.booleans()):
        enum = draw(st.lists(values(fdef, strict=True), min_size=1, max_size=4))
        spec["enum"] = enum
        # Values drawn later for an enclosing object's default must stay inside this enum.
        fdef = FieldDef(name, ftype, bool(required), properties, items, enum=tuple(enum))
    if draw(st.booleans()):
        spec["default"] = draw(st.sampled_from(enum) if enum else values(fdef, strict=True))
    if draw(st.booleans()):
        spec["examples"] = draw(st.lists(st.sampled_from(enum) if enum else values(fdef, strict=True), max_size=2))
    if draw(st.booleans()):
        # Unknown keywords are kept and ignored.
        spec["x-ui"] = draw(json_values(max_leaves=2))
    return spec, fdef


@st.composite
def _schemas(draw: st.DrawFn, max_depth: int, max_fields: int) -> dict[str, Json]:
    names = draw(st.lists(field_names(top_level=True), max_size=max_fields, unique=True))
    props: dict[str, Json] = {}
    for name in names:
        props[name], _ = draw(_field(name, depth=1, max_depth=max_depth, top_level=True))
    return {"properties": props}


def bucket_schemas(*, max_depth: int = 3, max_fields: int = 6) -> st.SearchStrategy[dict[str, Any]]:
    """Valid ``bucket_schema`` dicts.

    Covers every field type (file types only at the top level, or as the
    ``items`` of a top-level array), type names in any case, and every keyword:
    ``properties``, ``items``, ``enum`` (scalar fields), ``default`` (within the
    enum when there is one), ``required``, ``description``, ``examples`` and an
    unknown keyword that must be ignored. Objects and arrays nest at most
    ``max_depth`` levels (1 means scalar and file fields only); each
    ``properties`` has at most ``max_fields`` fields at the top level (4 below).

    Examples from this strategy shrink toward fewer fields, the type
    ``string``, lower-case type names and no optional keywords.
    """
    check_size(max_depth, name="max_depth", low=1, high=32)
    check_size(max_fields, name="max_fields", low=0, high=100)
    return _schemas(max_depth, max_fields)
