"""Valid object requests, batches and metadata records for a bucket schema."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from schemakit._contract.bucket import RESERVED_FIELD_NAMES, FieldDef, SchemaDef
from schemakit.strategies._blobs import blobs
from schemakit.strategies._common import (
    Json,
    check_flag,
    check_schema,
    check_size,
    check_unique_key_arg,
    extra_keys,
    key_identity,
    key_prefixes,
    key_values,
    optional_state,
    values,
)

_REQUEST_FLAGS = ("skip_duplicates", "canonicalize_source", "force_remirror")
MAX_FILE_ITEMS = 3


def file_kind(f: FieldDef) -> str | None:
    """The file type a top-level field takes blobs of, or None for a metadata field."""
    if f.is_file:
        return f.type
    if f.file_items:
        assert f.items is not None
        return f.items.type
    return None


@st.composite
def metadata(
    draw: st.DrawFn, sdef: SchemaDef, key_fields: tuple[str, ...] = (), strict: bool = True
) -> dict[str, Json]:
    """The top-level metadata fields of one valid object (no blobs, no request keys)."""
    out: dict[str, Json] = {}
    for name, f in sdef.fields.items():
        if file_kind(f) is not None:
            continue
        if name in key_fields:
            out[name] = draw(key_values(f))
        elif f.required:
            out[name] = draw(values(f, strict=strict))
        else:
            state = draw(optional_state())
            if state == 1:
                out[name] = draw(values(f, strict=strict))
            elif state == 2:
                out[name] = None
    return out


@st.composite
def _objects(draw: st.DrawFn, sdef: SchemaDef, key_fields: tuple[str, ...], strict: bool) -> dict[str, Json]:
    obj: dict[str, Json] = draw(metadata(sdef, key_fields, strict))
    blob_list: list[dict[str, Any]] = []
    for name, f in sdef.fields.items():
        kind = file_kind(f)
        if kind is None:
            continue
        if f.file_items:
            count = draw(st.integers(1 if f.required else 0, MAX_FILE_ITEMS))
        else:
            count = 1 if f.required else draw(st.integers(0, 1))
        blob_list.extend(draw(blobs(name, kind)) for _ in range(count))
    if len(blob_list) > 1:
        blob_list = draw(st.permutations(blob_list))
    # An empty list and an absent key are both "no blobs"; absent reads better, so it comes first.
    include = bool(blob_list) or draw(st.booleans())
    if include:
        obj["blobs"] = blob_list
    state = draw(optional_state())
    if state == 1:
        obj["key_prefix"] = draw(key_prefixes())
    elif state == 2:
        obj["key_prefix"] = None
    for flag in _REQUEST_FLAGS:
        if draw(st.booleans()):
            obj[flag] = draw(st.booleans())
    if not strict:
        # The request allows keys it does not know (the contract's own examples carry "description").
        obj.update(draw(extra_keys({*sdef.fields, *RESERVED_FIELD_NAMES})))
    return obj


def objects(schema: Any, *, unique_key: Any = None, strict: bool = False) -> st.SearchStrategy[dict[str, Json]]:
    """Valid ``CreateObjectRequest`` dicts for ``schema`` (a bucket_schema dict or ``BucketSchema``).

    Metadata honours ``required``, ``enum``, nested objects and arrays, dates
    (``YYYY-MM-DD``) and date-times (RFC 3339 with an offset); optional fields
    are absent, null or set. Every file field gets blobs in every accepted
    form: http/https/s3/gs URLs whose extension fits the type, ``data:`` URIs,
    ``{"base64", "mime_type"?, "filename"?}`` and ``{"url"}`` dicts, inline
    text for text fields, or an ``upload_id``; the blob ``type`` is the field
    type in any case, ``"auto"``, or absent (then only media whose kind is
    unambiguous are used). A top-level array of a file type gets several blobs.
    With ``unique_key`` (a ``UniqueKeyConfig`` dict or model) every key field
    holds a non-empty value of at most 255 characters. Unless ``strict``, the
    request and its objects sometimes carry keys the schema does not declare;
    with ``strict=True`` (for ``compile_schema(..., strict=True)``) they never
    do, and objects without declared ``properties`` are empty.

    Examples from this strategy shrink toward an object with only its required
    fields, each at its simplest value (``""``, ``0``, ``2000-01-01``), blobs as
    ``https://example.com/a.<ext>`` URLs with the lower-case field type, and no
    ``key_prefix`` or request flags.
    """
    sdef = check_schema(schema)
    key_fields = check_unique_key_arg(sdef, unique_key)
    return _objects(sdef, key_fields, check_flag(strict, name="strict"))


def records(schema: Any) -> st.SearchStrategy[dict[str, Json]]:
    """Plain records to evaluate filters on: the metadata view of a valid object of ``schema``.

    A record holds the top-level metadata fields (required ones always,
    optional ones absent, null or set); blobs and request keys are left out.

    Examples from this strategy shrink toward a record with only its required
    fields, each at its simplest value.
    """
    sdef = check_schema(schema)
    return metadata(sdef)


def _key_of(key_fields: tuple[str, ...]) -> Any:
    def key(obj: dict[str, Json]) -> Any:
        return tuple(key_identity(obj.get(name)) for name in key_fields)

    return key


def batches(
    schema: Any, unique_key: Any = None, *, min_size: int = 0, max_size: int = 10, strict: bool = False
) -> st.SearchStrategy[dict[str, Json]]:
    """Valid ``CreateObjectsBatchRequest`` dicts: ``{"objects": [...]}`` with objects from :func:`objects`.

    ``max_size`` may be at most 100, the contract's batch limit; ``strict``
    is as for :func:`objects`. A hundred objects of a rich schema can outgrow
    hypothesis's data budget for one example, which it then discards: for
    full-size batches keep the objects small (``strict=True`` helps). With
    ``unique_key`` every object carries its key fields and no two objects share
    their key values (numbers by value, date-times as instants, so the keys are
    distinct under any reasonable comparison).

    Examples from this strategy shrink toward fewer objects, each shrinking
    as :func:`objects` does.
    """
    sdef = check_schema(schema)
    key_fields = check_unique_key_arg(sdef, unique_key)
    check_size(max_size, name="max_size", low=0, high=100)
    check_size(min_size, name="min_size", low=0, high=max_size)
    items = _objects(sdef, key_fields, check_flag(strict, name="strict"))
    if key_fields:
        object_lists = st.lists(items, min_size=min_size, max_size=max_size, unique_by=_key_of(key_fields))
    else:
        object_lists = st.lists(items, min_size=min_size, max_size=max_size)
    return object_lists.map(lambda objs: {"objects": objs})
