"""A mutator for bucket schemas: one or two random edits of the kinds schema authors make.

Used by the compatibility properties: ``schemakit.strategies.bucket_schemas``
draws the old schema, :func:`mutated` the new one.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from schemakit._contract.bucket import read_bucket
from schemakit._contract.types import FIELD_TYPES, FILE_TYPES

SCALARS = tuple(t.name for t in FIELD_TYPES.values() if t.category == "scalar")
CONTAINERS = ("object", "array")

Json = Any


def _locations(props: dict[str, Any], top: bool) -> list[tuple[dict[str, Any], str, bool]]:
    """Every (properties dict, name, top level) of a raw schema, nested ones included."""
    out = []
    for name, spec in props.items():
        out.append((props, name, top))
        if not isinstance(spec, dict):
            continue
        if isinstance(spec.get("properties"), dict):
            out.extend(_locations(spec["properties"], False))
        items = spec.get("items")
        while isinstance(items, dict):
            if isinstance(items.get("properties"), dict):
                out.extend(_locations(items["properties"], False))
            items = items.get("items")
    return out


def _type_of(spec: dict[str, Any]) -> str:
    return str(spec.get("type", "")).lower()


# Scalar types whose values overlap: a change between them narrows, widens or keeps the values.
RELATED = {
    t: tuple(u for u in SCALARS if FIELD_TYPES[u].textual == FIELD_TYPES[t].textual and (
        FIELD_TYPES[u].filter_kind == FIELD_TYPES[t].filter_kind or FIELD_TYPES[t].textual
    ))
    for t in SCALARS
}
# Every type relates at least to itself; boolean only to itself, so it gets a different type instead.
RELATED = {t: related if len(related) > 1 else SCALARS for t, related in RELATED.items()}


def _fits(kind: str, location: tuple[dict[str, Any], str, bool]) -> bool:
    container, name, top = location
    ftype = _type_of(container[name])
    if kind in ("enum", "default"):
        return ftype in SCALARS
    if kind == "items":
        return ftype == "array"
    if kind == "cardinality":
        items = container[name].get("items") or {}
        return top and (ftype in FILE_TYPES or (ftype == "array" and _type_of(items) in FILE_TYPES))
    return True


@st.composite
def field_specs(draw: st.DrawFn, *, top: bool, depth: int = 0) -> dict[str, Json]:
    """A small field definition (with enum, default or nested fields now and then)."""
    choices = list(SCALARS) + (list(CONTAINERS) if depth < 2 else []) + (list(FILE_TYPES) if top else [])
    ftype = draw(st.sampled_from(choices))
    spec: dict[str, Json] = {"type": ftype}
    if draw(st.booleans()):
        spec["required"] = draw(st.booleans())
    if ftype in SCALARS:
        gen = FIELD_TYPES[ftype].generator()
        if draw(st.integers(0, 3)) == 0:
            spec["enum"] = draw(st.lists(gen, min_size=1, max_size=3))
        if draw(st.integers(0, 3)) == 0:
            spec["default"] = draw(st.sampled_from(spec["enum"]) if "enum" in spec else gen)
    elif ftype == "object" and draw(st.booleans()):
        names = draw(st.lists(st.sampled_from(["a", "b", "c", "title"]), max_size=2, unique=True))
        spec["properties"] = {n: draw(field_specs(top=False, depth=depth + 1)) for n in names}
    elif ftype == "array" and draw(st.booleans()):
        if top and draw(st.booleans()):
            spec["items"] = {"type": draw(st.sampled_from(FILE_TYPES))}
        else:
            spec["items"] = draw(field_specs(top=False, depth=depth + 1))
    return spec


@st.composite
def _edit(draw: st.DrawFn, schema: dict[str, Json]) -> None:
    props = schema["properties"]
    locations = _locations(props, True)
    kinds = ["add", "add_required"]
    if locations:
        # the value-level edits are weighted up: they are where narrowing and widening hide
        kinds += ["remove", "required", "retype", "retype", "retype", "enum", "enum", "default", "items", "items"]
        kinds += ["cardinality"]
    kind = draw(st.sampled_from(kinds))
    if kind.startswith("add"):
        targets: list[tuple[dict[str, Any], bool]] = [(props, True)]
        for container, name, _ in locations:
            spec = container[name]
            if _type_of(spec) == "object":
                targets.append((spec.setdefault("properties", {}), False))
        where, top = draw(st.sampled_from(targets))
        name = draw(st.sampled_from(["added", "extra_1", "title", "a", "b", "price"]))
        if name in where:
            return
        spec = draw(field_specs(top=top))
        if kind == "add_required":
            spec["required"] = True
        where[name] = spec
        return
    fitting = [loc for loc in locations if _fits(kind, loc)]
    if not fitting:
        return
    container, name, top = draw(st.sampled_from(fitting))
    spec = container[name]
    ftype = _type_of(spec)
    if kind == "remove":
        del container[name]
    elif kind == "required":
        spec["required"] = not spec.get("required", False)
    elif kind == "retype" and ftype in SCALARS and draw(st.booleans()):
        # a related type (number -> integer, string -> date...), keeping enum and default when they still fit
        spec["type"] = draw(st.sampled_from([t for t in RELATED[ftype] if t != ftype]))
        if not read_bucket({"properties": {"x": spec}}).ok:
            spec.pop("enum", None)
            spec.pop("default", None)
    elif kind == "retype":
        replacement = draw(field_specs(top=top))
        if "required" in spec:
            replacement["required"] = spec["required"]
        container[name] = replacement
    elif kind == "enum":
        gen = FIELD_TYPES[ftype].generator()
        enum = spec.get("enum")
        action = draw(st.sampled_from(["drop", "add", "remove_value", "add_value"]))
        if action == "drop":
            spec.pop("enum", None)
        elif action == "add" or enum is None:
            spec["enum"] = draw(st.lists(gen, min_size=1, max_size=3))
        elif action == "remove_value" and len(enum) > 1:
            enum.pop(draw(st.integers(0, len(enum) - 1)))
        else:
            enum.append(draw(gen))
        if "default" in spec and "enum" in spec:
            spec["default"] = spec["enum"][0]
    elif kind == "default":
        if "default" in spec and draw(st.booleans()):
            del spec["default"]
        else:
            gen = FIELD_TYPES[ftype].generator()
            spec["default"] = draw(st.sampled_from(spec["enum"]) if spec.get("enum") else gen)
    elif kind == "items":
        if "items" in spec and draw(st.booleans()):
            del spec["items"]
        else:
            nested = not top or not draw(st.booleans())
            files = {"type": draw(st.sampled_from(FILE_TYPES))}
            spec["items"] = draw(field_specs(top=False, depth=1)) if nested else files
    elif kind == "cardinality":
        if ftype in FILE_TYPES:
            container[name] = {"type": "array", "items": {"type": ftype}, "required": spec.get("required", False)}
        elif ftype == "array" and _type_of(spec.get("items") or {}) in FILE_TYPES:
            container[name] = {"type": _type_of(spec["items"]), "required": spec.get("required", False)}


@st.composite
def mutated(draw: st.DrawFn, schema: dict[str, Json], *, max_edits: int = 2) -> dict[str, Json]:
    """``schema`` after one to ``max_edits`` random edits, read back valid (an invalid result is redrawn)."""
    for _ in range(10):
        new = copy.deepcopy(schema)
        for _ in range(draw(st.integers(1, max_edits))):
            draw(_edit(new))
        if read_bucket(new).ok:
            return new
    return copy.deepcopy(schema)
