"""The columnar fast path: which rows of a record batch certainly pass the compiled validator.

Every rule here may only ACCEPT a row: it says "this row is clean" (no error and no
warning) when the generated validator, run on the row as Arrow converts it
(``batch.to_pylist()``), would find no issue at all; any row it cannot prove clean is
left to the row validator, which is the authority. So a rule that is too cautious
costs speed, never a verdict.

The rules dispatch from the contract's type table: a field's ``check_kind``, and for
the ``simple`` kind its JSON Schema type (``string``, ``number``, ``integer``,
``boolean``), which is the table's own statement of the values the type accepts.

One more case is decided columnar: a column whose Arrow type cannot hold a valid value
of its field (a ``price`` typed string where the schema says number). Every non-null
value there fails with exactly the row validator's ``type_mismatch``; a row whose only
findings are such values gets its issues built here (see :class:`Leaf`), outside lists
only, where the path is known without an index.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from schemakit._contract.bucket import REQUEST_KEYS, RESERVED_FIELD_NAMES, FieldDef, SchemaDef
from schemakit._contract.types import FIELD_TYPES, CheckKind, FieldType
from schemakit.schema import _runtime as rt
from schemakit.schema._blobs import ASCII_URL_REST, URL_SCHEME

Mask = npt.NDArray[np.bool_]

REQUEST_FLAGS = tuple(k for k in REQUEST_KEYS if k not in ("key_prefix", "blobs"))
TOP_LEVEL_KEYS = frozenset(RESERVED_FIELD_NAMES)
BLOB_FLAGS = ("canonicalize_source", "force_remirror")


def _re2(pattern: str) -> str:
    """The generated validator's own everyday-date pattern, in the RE2 dialect Arrow speaks.

    RE2 has no lookahead: the year ``(?!0000)[0-9]{4}`` becomes the years that are not 0000.
    """
    year = "(?!0000)[0-9]{4}"
    if not pattern.startswith(year) or not pattern.endswith(r"\Z"):
        raise RuntimeError(f"the everyday date pattern changed shape: {pattern!r}")
    nonzero = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
    return "^" + nonzero + pattern[len(year) : -2] + "$"


COMMON_DATE = _re2(rt.common_date.__self__.pattern)  # type: ignore[attr-defined]
COMMON_DATETIME = _re2(rt.common_datetime.__self__.pattern)  # type: ignore[attr-defined]
# The generated quick test of a key_prefix (non-empty, at most 256 characters, printable ASCII) without '..'.
QUICK_KEY_PREFIX = r"^[ -~]{1,256}$"
# A subset of the blob URL rule: printable ASCII only, so RE2's and Python's \s cannot disagree.
QUICK_URL = "^" + URL_SCHEME + ASCII_URL_REST + "$"
QUICK_UPLOAD_ID = r"^upl_[a-zA-Z0-9_-]+$"


def _np(arr: Any) -> Mask:
    """A boolean Arrow array as numpy, null read as False."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    filled = pc.fill_null(arr, False)
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=np.bool_)


def _valid(arr: pa.Array) -> Mask:
    if arr.null_count == 0:
        return np.ones(len(arr), dtype=np.bool_)
    return _np(pc.is_valid(arr))


def plain(arr: pa.Array) -> pa.Array:
    """Dictionary columns decoded and string views as large strings: what the rules read."""
    t = arr.type
    if pa.types.is_dictionary(t):
        arr = arr.dictionary_decode()
        t = arr.type
    if hasattr(pa.types, "is_string_view") and pa.types.is_string_view(t):
        arr = arr.cast(pa.large_string())
    return arr


def is_text(t: pa.DataType) -> bool:
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t))


def _is_list(t: pa.DataType) -> bool:
    return bool(pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t))


def _is_int(t: pa.DataType) -> bool:
    return bool(pa.types.is_integer(t))


def _is_float(t: pa.DataType) -> bool:
    return bool(pa.types.is_float32(t) or pa.types.is_float64(t))


def _is_date(t: pa.DataType) -> bool:
    return bool(pa.types.is_date32(t) or pa.types.is_date64(t))


def _is_timestamp(t: pa.DataType) -> bool:
    return bool(pa.types.is_timestamp(t))


# Arrow types whose values Arrow converts to one known Python class: what "cannot hold" is judged on.
_KNOWN_CLASSES: tuple[tuple[Callable[[pa.DataType], bool], str], ...] = (
    (is_text, "str"),
    (_is_int, "int"),
    (_is_float, "float"),
    (pa.types.is_boolean, "bool"),
    (_is_date, "date"),
    (_is_timestamp, "datetime"),
    (pa.types.is_struct, "dict"),
    (_is_list, "list"),
    (pa.types.is_map, "pairs"),
    (lambda t: bool(pa.types.is_binary(t) or pa.types.is_large_binary(t)), "bytes"),
    (pa.types.is_decimal, "decimal"),
)


def value_class(t: pa.DataType) -> str | None:
    """The Python class Arrow gives the values of ``t``, or None for a type the rules do not know."""
    for test, name in _KNOWN_CLASSES:
        if test(t):
            return name
    return None


def _lengths(arr: pa.Array) -> npt.NDArray[np.int64]:
    lengths = pc.fill_null(pc.list_value_length(arr), 0)
    return np.asarray(lengths.to_numpy(zero_copy_only=False), dtype=np.int64)


def _flatten(arr: pa.Array) -> tuple[pa.Array, npt.NDArray[np.int64]]:
    """The values of a list array (null lists emit nothing) and each value's row."""
    values = arr.flatten()
    parents = np.repeat(np.arange(len(arr), dtype=np.int64), _lengths(arr))
    return values, parents


def _rows_all(ok: Mask, parents: npt.NDArray[np.int64], n: int) -> Mask:
    """Per row: every one of its values is ok."""
    out = np.ones(n, dtype=np.bool_)
    out[parents[~ok]] = False
    return out


def _child(arr: pa.Array, name: str) -> pa.Array | None:
    """A struct array's child ``name`` with the parent's nulls applied, or None when the struct lacks it."""
    t = arr.type
    if t.get_field_index(name) < 0:
        return None
    return plain(pc.struct_field(arr, name))


def _struct_names(t: pa.DataType) -> list[str]:
    return [t.field(i).name for i in range(t.num_fields)]


@dataclass(frozen=True, slots=True)
class Leaf:
    """A column outside any list whose type cannot hold a valid value: each non-null value is a type mismatch."""

    path: tuple[str, ...]
    label: str
    values: pa.Array
    present: Mask


@dataclass(frozen=True, slots=True)
class Verdict:
    """Per row of a batch: ``clean`` certainly has no issue; ``mismatched`` has exactly what ``leaves`` report."""

    clean: Mask
    mismatched: Mask
    leaves: tuple[Leaf, ...]


class _Walk:
    """The rules of one schema over one batch."""

    def __init__(self, schema: SchemaDef, *, strict: bool, unique_key: tuple[str, ...]) -> None:
        self.schema = schema
        self.strict = strict
        self.unique_key = unique_key
        self.leaves: list[Leaf] = []

    # -- fields ---------------------------------------------------------------------------------

    def field(self, f: FieldDef, arr: pa.Array | None, path: tuple[str, ...] | None, n: int) -> Mask:
        """Rows (or list values) whose value of ``f`` certainly passes; ``path`` is None inside lists.

        ``arr`` None is a field the batch does not hold: absent, which the validator reads as null.
        """
        if arr is None:
            return np.full(n, not f.required, dtype=np.bool_)
        arr = plain(arr)
        present = _valid(arr)
        ftype = FIELD_TYPES[f.type]
        if pa.types.is_null(arr.type) or not present.any():
            ok_values = np.ones(n, dtype=np.bool_)
        else:
            rule = _rule(ftype)
            checked = rule(self, f, ftype, arr, path, n) if rule is not None else None
            if checked is not None:
                ok_values = checked
            elif path is not None:  # the column cannot hold a valid value: each value is a type mismatch
                self.leaves.append(Leaf(path, ftype.label, arr, present))
                ok_values = np.ones(n, dtype=np.bool_)
            else:
                ok_values = np.zeros(n, dtype=np.bool_)
        if f.required:
            return present & ok_values
        return ~present | ok_values

    def enum(self, f: FieldDef, arr: pa.Array, members: list[Any], n: int) -> Mask:
        if f.enum is None:
            return np.ones(n, dtype=np.bool_)
        if not members:
            return np.zeros(n, dtype=np.bool_)
        try:
            value_set = pa.array(members, type=arr.type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            return np.zeros(n, dtype=np.bool_)
        return _np(pc.is_in(arr, value_set=value_set))

    def simple(self, f: FieldDef, ftype: FieldType, arr: pa.Array, path: Any, n: int) -> Mask | None:
        kind = ftype.json_schema.get("type")
        cls = value_class(arr.type)
        if kind == "string":
            if cls == "str":
                return self.enum(f, arr, [e for e in f.enum or () if e.__class__ is str], n)
        elif kind in ("number", "integer"):
            numeric = [e for e in f.enum or () if e.__class__ in (int, float) and abs(e) <= 2**53]
            if cls == "int":
                return self.enum(f, arr, [int(e) for e in numeric if float(e).is_integer()], n)
            if cls == "float":
                ok = _np(pc.is_finite(arr))
                if kind == "integer":
                    ok &= _np(pc.equal(pc.floor(arr), arr))
                return ok & self.enum(f, arr, [float(e) for e in numeric], n)
            if cls == "bool" or cls in ("str", "dict", "list", "pairs", "bytes", "decimal", "date", "datetime"):
                return None
            return np.zeros(n, dtype=np.bool_)
        elif kind == "boolean":
            if cls == "bool":
                return self.enum(f, arr, [e for e in f.enum or () if e.__class__ is bool], n)
        else:
            return np.zeros(n, dtype=np.bool_)
        return None if cls is not None else np.zeros(n, dtype=np.bool_)

    def date(self, f: FieldDef, ftype: FieldType, arr: pa.Array, path: Any, n: int) -> Mask | None:
        cls = value_class(arr.type)
        if cls == "str":
            ok = _np(pc.match_substring_regex(arr, COMMON_DATE))
            return ok & self.enum(f, arr, [e for e in f.enum or () if e.__class__ is str], n)
        if cls == "date":
            return np.full(n, f.enum is None, dtype=np.bool_)
        return None if cls is not None else np.zeros(n, dtype=np.bool_)

    def datetime(self, f: FieldDef, ftype: FieldType, arr: pa.Array, path: Any, n: int) -> Mask | None:
        cls = value_class(arr.type)
        if cls == "str":
            ok = _np(pc.match_substring_regex(arr, COMMON_DATETIME))
            return ok & self.enum(f, arr, [e for e in f.enum or () if e.__class__ is str], n)
        if cls == "datetime":
            # a naive date-time is a warning (not clean); nanoseconds convert to another class
            t = arr.type
            return np.full(n, f.enum is None and t.tz is not None and t.unit != "ns", dtype=np.bool_)
        if cls == "date":
            return None
        return None if cls is not None else np.zeros(n, dtype=np.bool_)

    def object(self, f: FieldDef, ftype: FieldType, arr: pa.Array, path: Any, n: int) -> Mask | None:
        cls = value_class(arr.type)
        if cls != "dict":
            return None if cls is not None else np.zeros(n, dtype=np.bool_)
        names = _struct_names(arr.type)
        props = f.properties or {}
        if f.enum is not None or len(set(names)) != len(names) or (self.strict and not set(names) <= set(props)):
            return np.zeros(n, dtype=np.bool_)
        ok = np.ones(n, dtype=np.bool_)
        for name, sub in props.items():
            sub_path = None if path is None else (*path, name)
            ok &= self.field(sub, _child(arr, name), sub_path, n)
        return ok

    def array(self, f: FieldDef, ftype: FieldType, arr: pa.Array, path: Any, n: int) -> Mask | None:
        cls = value_class(arr.type)
        if cls != "list":
            return None if cls is not None else np.zeros(n, dtype=np.bool_)
        if f.enum is not None:
            return np.zeros(n, dtype=np.bool_)
        if f.items is None:
            return np.ones(n, dtype=np.bool_)
        values, parents = _flatten(arr)
        if not len(values):
            return np.ones(n, dtype=np.bool_)
        item = f.items
        if FIELD_TYPES[item.type].is_file:
            return _rows_all(~_valid(values), parents, n)
        # an item is checked like a field, except that a null one is a type mismatch when items are required
        return _rows_all(self.field(item, values, None, len(values)), parents, n)

    def file(self, f: FieldDef, ftype: FieldType, arr: pa.Array, path: Any, n: int) -> Mask | None:
        return np.zeros(n, dtype=np.bool_)

    # -- the request ----------------------------------------------------------------------------

    def batch(self, batch: pa.RecordBatch) -> Verdict:
        n = batch.num_rows
        names = list(batch.schema.names)
        fields = self.schema.fields
        none = np.zeros(n, dtype=np.bool_)
        if len(set(names)) != len(names) or (self.strict and not set(names) <= (TOP_LEVEL_KEYS | set(fields))):
            return Verdict(none, none, ())
        columns = {name: plain(batch.column(i)) for i, name in enumerate(names)}
        ok = np.ones(n, dtype=np.bool_)
        kp = columns.get("key_prefix")
        if kp is not None:
            ok &= self.key_prefix(kp, n)
        for flag in REQUEST_FLAGS:
            fv = columns.get(flag)
            if fv is not None:
                ok &= _valid(fv) if pa.types.is_boolean(fv.type) else none
        for name, f in fields.items():
            if f.is_file or f.file_items:
                col = columns.get(name)
                if col is not None:
                    ok &= ~_valid(col)
        ok &= self.blobs(columns.get("blobs"), n)
        for name, f in fields.items():
            if not (f.is_file or f.file_items):
                ok &= self.field(f, columns.get(name), (name,), n)
        for name in self.unique_key:
            ok &= self.key_part(columns.get(name), n)
        if not self.leaves:
            return Verdict(ok, none, ())
        hit = np.zeros(n, dtype=np.bool_)
        for leaf in self.leaves:
            hit |= leaf.present
        return Verdict(ok & ~hit, ok & hit, tuple(self.leaves))

    def key_prefix(self, kp: pa.Array, n: int) -> Mask:
        present = _valid(kp)
        if not is_text(kp.type):
            return ~present
        good = _np(pc.match_substring_regex(kp, QUICK_KEY_PREFIX)) & ~_np(pc.match_substring(kp, ".."))
        return ~present | good

    def key_part(self, col: pa.Array | None, n: int) -> Mask:
        if col is None:
            return np.zeros(n, dtype=np.bool_)
        present = _valid(col)
        if is_text(col.type):
            length = pc.utf8_length(col)
            return present & _np(pc.and_(pc.greater(length, 0), pc.less_equal(length, 255)))
        return present

    def blobs(self, col: pa.Array | None, n: int) -> Mask:
        files = {name: f for name, f in self.schema.fields.items() if f.is_file or f.file_items}
        required = [name for name, f in files.items() if f.required]
        if col is None:
            return np.full(n, not required, dtype=np.bool_)
        if not _is_list(col.type) or not pa.types.is_struct(col.type.value_type):
            return np.zeros(n, dtype=np.bool_)
        ok = _valid(col)  # a null 'blobs' is "not a list of blobs"
        blobs, parents = _flatten(col)
        m = len(blobs)
        if not m:
            return ok & (not required)
        blobs = plain(blobs)
        names = _struct_names(blobs.type)
        if len(set(names)) != len(names):
            return np.zeros(n, dtype=np.bool_)
        good = _valid(blobs)
        prop = _child(blobs, "property")
        if prop is None or not is_text(prop.type):
            return np.zeros(n, dtype=np.bool_)
        file_names = list(files)
        where = pc.index_in(prop, value_set=pa.array(file_names, type=prop.type))
        index = np.asarray(pc.fill_null(where, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
        good &= index >= 0
        good &= np.array([len(name) <= rt.MAX_BLOB_PROPERTY_LENGTH for name in file_names] + [False])[index]
        kinds = sorted({f.element.type for f in files.values()})
        expected = np.array([kinds.index(f.element.type) for f in files.values()] + [-2], dtype=np.int64)[index]
        t = _child(blobs, "type")
        data = _child(blobs, "data")
        upload = _child(blobs, "upload_id")
        if t is not None and not is_text(t.type):
            return np.zeros(n, dtype=np.bool_)
        typed = _valid(t) if t is not None else np.zeros(m, dtype=np.bool_)
        if t is not None:
            found = pc.index_in(t, value_set=pa.array(kinds, type=t.type))
            typed &= np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype=np.int64) == expected
        untyped = ~_valid(t) if t is not None else np.ones(m, dtype=np.bool_)
        has_data = _valid(data) if data is not None else np.zeros(m, dtype=np.bool_)
        has_upload = _valid(upload) if upload is not None else np.zeros(m, dtype=np.bool_)
        url = np.zeros(m, dtype=np.bool_)
        if data is not None and is_text(data.type):
            url = _np(pc.match_substring_regex(data, QUICK_URL))
        elif data is not None and has_data.any():
            return np.zeros(n, dtype=np.bool_)
        upload_ok = np.zeros(m, dtype=np.bool_)
        if upload is not None and is_text(upload.type):
            upload_ok = _np(pc.match_substring_regex(upload, QUICK_UPLOAD_ID))
        elif upload is not None and has_upload.any():
            return np.zeros(n, dtype=np.bool_)
        by_url = typed & url & ~has_upload
        by_upload = (typed | untyped) & ~has_data & upload_ok
        good &= by_url | by_upload
        extra_kp = _child(blobs, "key_prefix")
        if extra_kp is not None:
            good &= self.key_prefix(extra_kp, m)
        md = _child(blobs, "metadata")
        if md is not None and not pa.types.is_struct(md.type):
            good &= ~_valid(md)
        for flag in BLOB_FLAGS:
            fv = _child(blobs, flag)
            if fv is not None and not pa.types.is_boolean(fv.type):
                good &= ~_valid(fv)
        ok &= _rows_all(good, parents, n)
        for i, f in enumerate(files.values()):
            count = np.bincount(parents[index == i], minlength=n)
            if not f.file_items:
                ok &= count <= 1
            if f.required:
                ok &= count >= 1
        return ok


_Rule = Callable[[_Walk, FieldDef, FieldType, pa.Array, Any, int], "Mask | None"]

RULES: Mapping[CheckKind, _Rule] = {
    "simple": _Walk.simple,
    "date": _Walk.date,
    "datetime": _Walk.datetime,
    "object": _Walk.object,
    "array": _Walk.array,
    "file": _Walk.file,
}
"""The columnar rule of each check kind of the type table: a mask of certainly clean values, or None when
the column's type cannot hold a valid value."""


def _rule(ftype: FieldType) -> _Rule | None:
    return RULES.get(ftype.check_kind)


def judge(schema: SchemaDef, batch: pa.RecordBatch, *, strict: bool, unique_key: tuple[str, ...]) -> Verdict:
    """The columnar verdict on every row of ``batch``."""
    return _Walk(schema, strict=strict, unique_key=unique_key).batch(batch)

