"""Objects with exactly one defect, labelled with the code that defect must produce.

Each code has a small mutator that takes a valid object from ``objects`` and
breaks one thing. Where the defect sits (which field, which blob) is drawn from
sites computed once per schema, so a code the schema cannot express (no enum
anywhere, no file field) is simply never chosen.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from schemakit._contract.bucket import RESERVED_FIELD_NAMES, FieldDef, SchemaDef
from schemakit._contract.types import FIELD_TYPES, FILE_TYPES
from schemakit.strategies._blobs import (
    MEDIA,
    b64,
    blob_data,
    blobs,
    data_uri,
    foreign_media,
    type_spellings,
    upload_ids,
    urls,
)
from schemakit.strategies._common import (
    EXTRA_KEYS,
    Json,
    can_leave_enum,
    check_flag,
    check_schema,
    check_size,
    check_unique_key_arg,
    not_in_enum,
    values,
)
from schemakit.strategies._objects import _objects, file_kind
from schemakit.strategies._schemas import field_names

# Generation favours the first entry a little and shrinking moves toward it only if
# the candidate fails there too, so the most telling defect comes first.
CODES = (
    "type_mismatch",
    "invalid_request",
    "missing_required_field",
    "enum_mismatch",
    "invalid_date",
    "invalid_datetime",
    "invalid_key_prefix",
    "file_field_not_blob",
    "unknown_blob_property",
    "blob_type_mismatch",
    "missing_blob_source",
    "conflicting_blob_source",
    "invalid_blob_data",
    "mime_type_mismatch",
    "duplicate_blob_property",
    "blob_too_large",
    "missing_unique_key",
    "unique_key_too_long",
    "unknown_field",
)

# A trailing newline slips past a regex anchored with "$", and "\d" matches non-ASCII digits
# unless told otherwise: both are classic ways to accept a malformed date.
BAD_DATES = (
    "20240105",
    "2024-02-30",
    "2024-13-01",
    "2024-1-5",
    "05/01/2024",
    "2024-01-05T00:00:00Z",
    "",
    "today",
    "2024-01-05\n",
    "２０２４-01-05",
)
BAD_DATETIMES = (
    "2024-01-05",
    "2024-01-05T25:00:00Z",
    "2024-02-30T10:00:00Z",
    "2024-01-05T10:00Z",
    "2024-01-05T10:00:00+24:00",
    "20240105T100000Z",
    "",
    "yesterday",
    "2024-01-05T10:00:00Z\n",
    "2024-01-05T1０:00:00Z",
)
BAD_KEY_PREFIXES = (
    "",
    "..",
    "a/../b",
    "../a",
    "a/..",
    "a\x00b",
    "a\nb",
    "\tx",
    "a\x7fb",
    "a\x85b",
    "a" * 1025,
    "é" * 513,
)
_NOT_OBJECTS: tuple[Json, ...] = ([], "object", 1, None, True)
_NOT_LISTS: tuple[Json, ...] = ({}, "https://example.com/a.png", 1)
_NOT_STRINGS: tuple[Json, ...] = (1, True, ["a"], {})
_NOT_BLOBS: tuple[Json, ...] = ("https://example.com/a.png", 1, None, [])
# Not file kinds: two metadata types, then names a user might guess for a file.
_WRONG_BLOB_TYPES = ("string", "integer", "json", "document", "file")
_BAD_DATA_ANY: tuple[Json, ...] = (
    42,
    True,
    [],
    {},
    {"name": "a.png"},
    {"base64": 5},
    {"base64": "abc"},
    {"base64": "not base64!"},
    {"base64": "%%%%"},
    {"url": 5},
    {"url": "ftp://example.com/a.png"},
    {"url": "example.com/a.png"},
)


@dataclass(frozen=True)
class _Step:
    """One step down a metadata path: a key of an object (``name``) or an element of an array (``name`` None)."""

    name: str | None
    field: FieldDef


Route = tuple[_Step, ...]


@dataclass(frozen=True)
class _Context:
    sdef: SchemaDef
    key_fields: tuple[str, ...]
    max_inline_bytes: int
    strict: bool
    metadata_sites: tuple[Route, ...]
    file_fields: tuple[tuple[str, str], ...]

    def sites(self, keep: Callable[[FieldDef], bool]) -> list[Route]:
        return [r for r in self.metadata_sites if keep(r[-1].field)]

    @property
    def required_sites(self) -> list[Route]:
        # Element positions are left out: what a null array element "misses" is not pinned.
        # Fields with a default are left out: whether absence is then an error is not pinned either.
        return [
            r
            for r in self.metadata_sites
            if r[-1].name is not None and r[-1].field.required and not r[-1].field.has_default
        ]

    @property
    def single_file_fields(self) -> list[tuple[str, str]]:
        return [(n, k) for n, k in self.file_fields if self.sdef.fields[n].is_file]

    @property
    def required_file_fields(self) -> list[str]:
        return [n for n, _ in self.file_fields if self.sdef.fields[n].required]

    @property
    def string_key_fields(self) -> list[str]:
        # An enum would make an over-long value an enum_mismatch as well; keep the defect single.
        return [n for n in self.key_fields if self.sdef.fields[n].type == "string" and self.sdef.fields[n].enum is None]


def _metadata_sites(sdef: SchemaDef) -> tuple[Route, ...]:
    out: list[Route] = []

    def visit(route: Route) -> None:
        out.append(route)
        f = route[-1].field
        # the reader sets properties only on objects and items only on arrays
        if f.properties:
            for name, sub in f.properties.items():
                visit((*route, _Step(name, sub)))
        elif f.items is not None:
            visit((*route, _Step(None, f.items)))

    for name, f in sdef.fields.items():
        if file_kind(f) is None:
            visit((_Step(name, f),))
    return tuple(out)


def _possible(ctx: _Context) -> dict[str, bool]:
    return {
        "type_mismatch": bool(ctx.metadata_sites),
        "invalid_request": True,
        "missing_required_field": bool(ctx.required_sites or ctx.required_file_fields),
        "enum_mismatch": bool(ctx.sites(can_leave_enum)),
        "invalid_date": bool(ctx.sites(lambda f: f.type == "date")),
        "invalid_datetime": bool(ctx.sites(lambda f: f.type == "datetime")),
        "invalid_key_prefix": True,
        "file_field_not_blob": bool(ctx.single_file_fields),
        "unknown_blob_property": True,
        "blob_type_mismatch": bool(ctx.file_fields),
        "missing_blob_source": bool(ctx.file_fields),
        "conflicting_blob_source": bool(ctx.file_fields),
        "invalid_blob_data": bool(ctx.file_fields),
        "mime_type_mismatch": bool(ctx.file_fields),
        "duplicate_blob_property": bool(ctx.single_file_fields),
        "blob_too_large": bool(ctx.file_fields),
        "missing_unique_key": bool(ctx.key_fields),
        "unique_key_too_long": bool(ctx.string_key_fields),
        "unknown_field": ctx.strict,
    }


def _pick(options: Any) -> st.SearchStrategy[Json]:
    """One of ``options``, copied: the constants hold lists and dicts a caller may mutate."""
    return st.sampled_from(list(options)).map(copy.deepcopy)


# --- placing a value at a metadata route -------------------------------------------------------


def _container_for(draw: st.DrawFn, parent: Any, step: _Step) -> tuple[Any, Any]:
    """The (container, key) where ``step`` lives inside ``parent``, creating valid ancestors as needed."""
    if step.name is not None:
        return parent, step.name
    if not parent:
        parent.append(draw(values(step.field, strict=True)))
    return parent, draw(st.integers(0, len(parent) - 1))


def _walk_to(draw: st.DrawFn, obj: dict[str, Json], route: Route) -> tuple[Any, Any]:
    parent: Any = obj
    for step in route[:-1]:
        container, key = _container_for(draw, parent, step)
        current = container[key] if step.name is None else container.get(key)
        if not FIELD_TYPES[step.field.type].accepts(current):
            # An absent or null ancestor: give it a valid value so only the target is wrong.
            current = draw(values(step.field, strict=True))
            container[key] = current
        parent = current
    return _container_for(draw, parent, route[-1])


def _set(draw: st.DrawFn, obj: dict[str, Json], route: Route, value: Json) -> dict[str, Json]:
    container, key = _walk_to(draw, obj, route)
    container[key] = value
    return obj


# --- blobs ---------------------------------------------------------------------------------------


def _blob_list(obj: dict[str, Json]) -> list[Any]:
    blob_list = obj.get("blobs")
    if not isinstance(blob_list, list):
        blob_list = obj["blobs"] = []
    return blob_list


def _target_blob(
    draw: st.DrawFn, obj: dict[str, Json], ctx: _Context, *, singles: bool = False
) -> tuple[dict[str, Any], str]:
    """A blob of some file field (an existing one if there is one, so no duplicate appears), and its kind."""
    name, kind = draw(st.sampled_from(ctx.single_file_fields if singles else ctx.file_fields))
    blob_list = _blob_list(obj)
    mine = [b for b in blob_list if b.get("property") == name]
    if mine:
        return draw(st.sampled_from(mine)), kind
    blob = draw(blobs(name, kind))
    blob_list.append(blob)
    return blob, kind


def _set_data(blob: dict[str, Any], data: Any) -> None:
    blob.pop("upload_id", None)
    blob["data"] = data


# --- one mutator per code --------------------------------------------------------------------------

Mutator = Callable[[st.DrawFn, dict[str, Json], _Context], Json]


def _invalid_request(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    variant = draw(st.integers(0, 4))
    if variant == 0:
        return draw(_pick(_NOT_OBJECTS))
    if variant == 1:
        obj["blobs"] = draw(_pick(_NOT_LISTS))
    elif variant == 2:
        obj["key_prefix"] = draw(_pick(_NOT_STRINGS))
    elif variant == 3:
        if ctx.file_fields:
            blob, _ = _target_blob(draw, obj, ctx)
        else:
            blob = {"type": "image", "data": "https://example.com/a.png"}
            _blob_list(obj).append(blob)
        blob.pop("property", None)
    else:
        _blob_list(obj).append(draw(_pick(_NOT_BLOBS)))
    return obj


def _type_mismatch(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    route = draw(st.sampled_from(ctx.metadata_sites))
    # the type table's clear kind errors: a string in a date field is invalid_date, never listed there
    return _set(draw, obj, route, draw(_pick(FIELD_TYPES[route[-1].field.type].wrong_kinds)))


def _missing_required_field(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    targets: list[Route | str] = [*ctx.required_sites, *ctx.required_file_fields]
    target = draw(st.sampled_from(targets))
    if isinstance(target, str):
        obj["blobs"] = [b for b in _blob_list(obj) if b.get("property") != target]
        return obj
    container, key = _walk_to(draw, obj, target)
    # A present null counts as missing for a required field.
    if draw(st.booleans()):
        container[key] = None
    else:
        container.pop(key, None)
    return obj


def _enum_mismatch(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    route = draw(st.sampled_from(ctx.sites(can_leave_enum)))
    return _set(draw, obj, route, draw(not_in_enum(route[-1].field)))


def _invalid_date(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    route = draw(st.sampled_from(ctx.sites(lambda f: f.type == "date")))
    return _set(draw, obj, route, draw(st.sampled_from(BAD_DATES)))


def _invalid_datetime(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    route = draw(st.sampled_from(ctx.sites(lambda f: f.type == "datetime")))
    return _set(draw, obj, route, draw(st.sampled_from(BAD_DATETIMES)))


def _invalid_key_prefix(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    obj["key_prefix"] = draw(st.sampled_from(BAD_KEY_PREFIXES))
    return obj


def _file_field_not_blob(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    name, kind = draw(st.sampled_from(ctx.single_file_fields))
    obj[name] = draw(blob_data(kind, auto=False))
    return obj


def _unknown_blob_property(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    name = draw(field_names(top_level=False).filter(lambda n: n not in ctx.sdef.fields and len(n) <= 100))
    kind = draw(st.sampled_from(FILE_TYPES))
    blob = draw(blobs(name, kind))
    _blob_list(obj).append(blob)
    return obj


def _blob_type_mismatch(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    blob, kind = _target_blob(draw, obj, ctx)
    others = [t for t in (*FILE_TYPES, *_WRONG_BLOB_TYPES) if t != kind]
    blob["type"] = draw(type_spellings(draw(st.sampled_from(others))))
    return obj


def _missing_blob_source(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    blob, _ = _target_blob(draw, obj, ctx)
    blob.pop("data", None)
    blob.pop("upload_id", None)
    return obj


def _conflicting_blob_source(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    blob, kind = _target_blob(draw, obj, ctx)
    if "data" not in blob:
        blob["data"] = draw(urls(MEDIA[kind][0]))
    if "upload_id" not in blob:
        blob["upload_id"] = draw(upload_ids())
    return obj


def _invalid_blob_data(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    blob, kind = _target_blob(draw, obj, ctx)
    medium = MEDIA[kind][0]
    choices: list[Any] = list(_BAD_DATA_ANY)
    if kind != "text":
        # For a text field a plain string is inline text, so only non-strings are surely bad there.
        choices += [
            f"https://example.com/a.{medium.extension}\n",
            f"ftp://example.com/a.{medium.extension}",
            "not a url",
            f"example.com/a.{medium.extension}",
            f"data:{medium.mime};base64,abc",
            f"data:{medium.mime},aGk=",
        ]
    _set_data(blob, draw(_pick(choices)))
    return obj


def _mime_type_mismatch(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    blob, kind = _target_blob(draw, obj, ctx)
    variant = draw(st.integers(0, 2))
    if variant == 2:
        # A URL's extension is only consulted when the blob asks for inference.
        medium = draw(st.sampled_from(foreign_media(kind, inferable_only=True)))
        blob["type"] = draw(st.sampled_from(["auto", "AUTO"]))
        _set_data(blob, draw(urls(medium)))
        return obj
    medium = draw(st.sampled_from(foreign_media(kind)))
    payload = medium.magic or b"x"
    if variant == 0:
        _set_data(blob, data_uri(medium.mime, payload))
    else:
        _set_data(blob, {"base64": b64(payload), "mime_type": medium.mime})
    return obj


def _duplicate_blob_property(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    blob, kind = _target_blob(draw, obj, ctx, singles=True)
    _blob_list(obj).append(draw(blobs(blob["property"], kind)))
    return obj


def _blob_too_large(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    blob, kind = _target_blob(draw, obj, ctx)
    medium = MEDIA[kind][0]
    # Built, not drawn: megabytes of drawn bytes would be slow and shrink for nothing.
    payload = medium.magic + b"\x00" * max(ctx.max_inline_bytes + 1 - len(medium.magic), 1)
    if draw(st.booleans()):
        _set_data(blob, {"base64": b64(payload), "mime_type": medium.mime})
    else:
        _set_data(blob, data_uri(medium.mime, payload))
    return obj


def _missing_unique_key(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    name = draw(st.sampled_from(ctx.key_fields))
    variant = draw(st.integers(0, 2 if ctx.sdef.fields[name].type == "string" else 1))
    if variant == 0:
        obj.pop(name, None)
    else:
        obj[name] = None if variant == 1 else ""
    return obj


def _unique_key_too_long(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    name = draw(st.sampled_from(ctx.string_key_fields))
    obj[name] = draw(st.sampled_from(["k" * 256, "é" * 300]))
    return obj


def _unknown_field(draw: st.DrawFn, obj: dict[str, Json], ctx: _Context) -> Json:
    objects = [r for r in ctx.metadata_sites if r[-1].field.type == "object"]
    target = draw(st.sampled_from([None, *objects]))
    if target is None:
        container, declared = obj, {*ctx.sdef.fields, *RESERVED_FIELD_NAMES}
    else:
        holder, key = _walk_to(draw, obj, target)
        current = holder[key] if isinstance(holder, list) else holder.get(key)
        if not isinstance(current, dict):
            holder[key] = draw(values(target[-1].field, strict=True))
        container, declared = holder[key], set(target[-1].field.properties or ())
    name = draw(EXTRA_KEYS.filter(lambda k: k not in declared))
    container[name] = draw(_pick([0, "x", None, [], {}]))
    return obj


_MUTATORS: dict[str, Mutator] = {
    "type_mismatch": _type_mismatch,
    "invalid_request": _invalid_request,
    "missing_required_field": _missing_required_field,
    "enum_mismatch": _enum_mismatch,
    "invalid_date": _invalid_date,
    "invalid_datetime": _invalid_datetime,
    "invalid_key_prefix": _invalid_key_prefix,
    "file_field_not_blob": _file_field_not_blob,
    "unknown_blob_property": _unknown_blob_property,
    "blob_type_mismatch": _blob_type_mismatch,
    "missing_blob_source": _missing_blob_source,
    "conflicting_blob_source": _conflicting_blob_source,
    "invalid_blob_data": _invalid_blob_data,
    "mime_type_mismatch": _mime_type_mismatch,
    "duplicate_blob_property": _duplicate_blob_property,
    "blob_too_large": _blob_too_large,
    "missing_unique_key": _missing_unique_key,
    "unique_key_too_long": _unique_key_too_long,
    "unknown_field": _unknown_field,
}
assert tuple(_MUTATORS) == CODES


@st.composite
def _invalid_objects(draw: st.DrawFn, ctx: _Context, codes: tuple[str, ...]) -> tuple[Json, str]:
    code = draw(st.sampled_from(codes))
    obj = draw(_objects(ctx.sdef, ctx.key_fields, ctx.strict))
    return _MUTATORS[code](draw, obj, ctx), code


def possible_codes(schema: Any, *, unique_key: Any = None, strict: bool = False) -> tuple[str, ...]:
    """The codes :func:`invalid_objects` can produce for ``schema``, in :data:`CODES` order."""
    return tuple(code for code, ok in _possible(_context(schema, unique_key, 1, strict)).items() if ok)


def _context(schema: Any, unique_key: Any, max_inline_bytes: int, strict: bool) -> _Context:
    sdef = check_schema(schema)
    key_fields = check_unique_key_arg(sdef, unique_key)
    file_fields = tuple((n, k) for n, f in sdef.fields.items() if (k := file_kind(f)) is not None)
    return _Context(
        sdef, key_fields, max_inline_bytes, check_flag(strict, name="strict"), _metadata_sites(sdef), file_fields
    )


def invalid_objects(
    schema: Any,
    *,
    unique_key: Any = None,
    max_inline_bytes: int = 5 * 1024 * 1024,
    strict: bool = False,
    codes: Any = None,
) -> st.SearchStrategy[tuple[Json, str]]:
    """``(object, code)`` pairs: an object request with exactly one defect, and the code it must raise.

    Each pair starts from a valid object of :func:`objects` and breaks one
    thing, choosing among the object-validation codes that ``schema`` permits:
    ``invalid_request``, ``type_mismatch``, ``missing_required_field``,
    ``enum_mismatch``, ``invalid_date``, ``invalid_datetime``,
    ``invalid_key_prefix``, ``file_field_not_blob``, ``unknown_blob_property``,
    ``blob_type_mismatch``, ``missing_blob_source``,
    ``conflicting_blob_source``, ``invalid_blob_data``, ``mime_type_mismatch``,
    ``duplicate_blob_property``, ``blob_too_large`` (inline data one byte over
    ``max_inline_bytes``; pass the limit given to ``compile_schema``), and with
    ``unique_key`` also ``missing_unique_key`` and ``unique_key_too_long``,
    and with ``strict=True`` (for ``compile_schema(..., strict=True)``; the
    valid remainder then carries no undeclared keys) also ``unknown_field``.
    The batch-level codes are not generated. ``codes`` restricts the choice to some of these; asking only for
    codes the schema cannot express is an ``InvalidArgument``.

    The one defect may be reported under more than one code (a wrong-kind value
    in an enum field also misses the enum); the label is the code that must be
    among them.

    Examples from this strategy shrink toward the earlier codes in that list,
    the simplest wrong value for the code, and a valid remainder that shrinks
    as :func:`objects` does.
    """
    check_size(max_inline_bytes, name="max_inline_bytes", low=0, high=2**40)
    ctx = _context(schema, unique_key, max_inline_bytes, strict)
    possible = [code for code, ok in _possible(ctx).items() if ok]
    if codes is not None:
        if isinstance(codes, str) or not all(isinstance(c, str) for c in codes):
            raise InvalidArgument(f"codes={codes!r} must be a collection of issue codes")
        unknown = sorted(set(codes) - set(CODES))
        if unknown:
            raise InvalidArgument(f"codes={codes!r} includes codes invalid_objects never produces: {unknown}")
        possible = [c for c in possible if c in set(codes)]
        if not possible:
            raise InvalidArgument(f"codes={codes!r}: none of these defects can be expressed in this schema")
    return _invalid_objects(ctx, tuple(possible))
