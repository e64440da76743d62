"""Filters as a ``polars.Expr`` over a DataFrame whose columns are the records' top-level fields.

The frame's types come from the bucket schema (:func:`polars_schema`), so
each condition knows what its column holds: a string column holds strings
or null, a number column numbers or null. A field a row lacks is read back
as null (the columnar layout cannot tell them apart): the guarantee holds
against the records as the frame holds them (``df.to_dicts()``). Every
expression is filled so that null becomes false, as in ``matches``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from schemakit._contract import semantics
from schemakit._contract.bucket import FieldDef, SchemaDef, read_bucket_schema
from schemakit._contract.operators import missing_rows
from schemakit._contract.paths import Resolved, resolve
from schemakit._contract.types import FIELD_TYPES
from schemakit.backends._plan import Atom, Plan, Pushed, Refused, Row, build
from schemakit.backends._sql import MAX_SEGMENTS

_EXACT_INT = 2**53


def _pl() -> Any:
    import polars as pl

    return pl


def _dtype(f: FieldDef) -> Any | None:
    pl = _pl()
    kind = FIELD_TYPES[f.type]
    if f.type == "integer":
        return pl.Int64
    if kind.filter_kind == "number":
        return pl.Float64
    if kind.filter_kind in ("string", "temporal"):
        return pl.String
    if kind.filter_kind == "boolean":
        return pl.Boolean
    if f.type == "object" and f.properties:
        fields = {k: _dtype(v) for k, v in f.properties.items()}
        if any(v is None for v in fields.values()):
            return None
        return pl.Struct(fields)
    if f.type == "array" and f.items is not None:
        inner = _dtype(f.items)
        return pl.List(inner) if inner is not None else None
    return None


def _schema_def(schema: Any) -> SchemaDef:
    if isinstance(schema, SchemaDef):
        return schema
    sdef, issues = read_bucket_schema(schema)
    errors = [i for i in issues if i.is_error]
    if sdef is None or errors:
        raise ValueError("schema is not a usable bucket schema: " + "; ".join(str(i) for i in errors))
    return sdef


def polars_schema(schema: Any) -> dict[str, Any]:
    """The frame's column types for a bucket schema: what :func:`to_polars` plans against.

    Strings, dates and date-times are ``String``, ``integer`` is ``Int64``, other
    numbers ``Float64``, objects ``Struct``, arrays ``List``; a field whose
    values have no declared shape (an object without properties, an array
    without items, a file) has no column.
    """
    out = {}
    for name, f in _schema_def(schema).fields.items():
        dt = _dtype(f)
        if dt is not None:
            out[name] = dt
    return out


def polars_frame(records: list[dict[str, Any]], schema: Any) -> Any:
    """A DataFrame of ``records`` in the layout :func:`to_polars` plans against."""
    pl = _pl()
    columns = polars_schema(schema)
    return pl.DataFrame([{k: r.get(k) for k in columns} for r in records], schema=columns, strict=False)


class _Column:
    """A resolved path: the value expression, whether the path reaches a value, and what the value is."""

    def __init__(self, value: Any, present: Any, field: FieldDef) -> None:
        self.value = value
        self.present = present
        self.field = field
        self.list = field.type == "array"
        self.kind = FIELD_TYPES[field.items.type if self.list and field.items else field.type].filter_kind


class Polars:
    name = "polars"

    def __init__(self, schema: SchemaDef) -> None:
        self.pl = _pl()
        self.schema = schema
        self.columns = polars_schema(schema)
        self.table: Mapping[str, Row] = POLARS_TABLE

    def true(self) -> Any:
        return self.pl.lit(True)

    def all_of(self, parts: list[Any]) -> Any:
        return self.pl.all_horizontal(parts) if len(parts) > 1 else parts[0]

    def any_of(self, parts: list[Any]) -> Any:
        if not parts:
            return self.pl.lit(False)
        return self.pl.any_horizontal(parts) if len(parts) > 1 else parts[0]

    def none_of(self, parts: list[Any]) -> Any:
        return ~self.any_of(parts)

    def path_problem(self, segments: tuple[str, ...]) -> str | None:
        if len(segments) > MAX_SEGMENTS:
            return f"a path of more than {MAX_SEGMENTS} segments"
        return None

    def column(self, segments: tuple[str, ...]) -> _Column | str:
        r: Resolved | None = resolve(self.schema, segments)
        if r is None or r.field is None:
            return "a path the schema does not declare (its values have no column type)"
        if r.fans_out or r.indexed:
            return "a path through a list (fan-out or an index), which this layout does not read"
        if segments[0] not in self.columns:
            return "a field without a column (no declared shape)"
        pl = self.pl
        value = pl.col(segments[0])
        present = pl.lit(True)
        for key in segments[1:]:
            present = present & value.is_not_null()
            value = value.struct.field(key)
        return _Column(value, present, r.field)

    def candidates(self, c: _Column, test: Callable[[Any], Any]) -> Any:
        """Some candidate satisfies ``test`` (a scalar test; null reads as false)."""
        pl = self.pl
        if c.list:
            return c.value.list.eval(test(pl.element()).fill_null(False)).list.any().fill_null(False)
        return test(c.value).fill_null(False)


def _equal(p: Polars, c: _Column, value: Any, fold: bool) -> tuple[Callable[[Any], Any], bool, str] | str:
    """A scalar test ``json_eq(candidate, value)`` on the column's values, exact or not (and why)."""
    pl = p.pl
    kind = c.kind
    never = (lambda e: pl.lit(False)), True, ""
    if value is None:
        return (lambda e: e.is_null()), True, ""
    if isinstance(value, bool):
        return ((lambda e: e == value), True, "") if kind == "boolean" else never
    if isinstance(value, (int, float)):
        return ((lambda e: e == value), True, "") if kind == "number" else never
    if isinstance(value, str):
        if kind not in ("string", "temporal"):
            return never
        if semantics.instant(value) is not None:
            return (lambda e: e.is_not_null()), False, "a date compares as an instant in any spelling"
        if not fold:
            return (lambda e: e == value), True, ""
        folded = value.casefold()
        return _ascii_superset(p, lambda e: e.str.to_lowercase() == folded, folded)
    return "a list or object operand compares element by element"


def _ascii_superset(p: Polars, test: Callable[[Any], Any], folded: str) -> tuple[Callable[[Any], Any], bool, str]:
    def pred(e: Any) -> Any:
        ascii_ = e.str.len_bytes() == e.str.len_chars()
        hit = (ascii_ & test(e)) if folded.isascii() else p.pl.lit(False)
        return hit.fill_null(False) | (~ascii_).fill_null(False)

    return pred, False, "Polars folds case with to_lowercase(), not str.casefold() (Straße is strasse)"


def _with_column(row: Callable[[Polars, Atom, _Column], Pushed[Any] | Refused]) -> Row:
    def checked(p: Polars, a: Atom) -> Pushed[Any] | Refused:
        values = a.value if isinstance(a.value, list) else [a.value]
        if any(isinstance(v, int) and not isinstance(v, bool) and abs(v) > _EXACT_INT for v in values):
            return Refused("an integer beyond 2**53, which Polars compares as a float or cannot hold")
        c = p.column(a.segments)
        if isinstance(c, str):
            return Refused(c)
        return row(p, a, c)

    return checked


def _row_eq(p: Polars, a: Atom, c: _Column) -> Pushed[Any] | Refused:
    got = _equal(p, c, a.value, a.fold)
    if isinstance(got, str):
        return Refused(got)
    test, exact, why = got
    if a.value is None:
        # a found null, or a null element of a found list: the path must reach the value
        found_null = c.present & c.value.is_null()
        return Pushed((found_null | p.candidates(c, test)).fill_null(False) if c.list else found_null.fill_null(False))
    return Pushed(c.present & p.candidates(c, test), exact, why)


def _row_in(p: Polars, a: Atom, c: _Column) -> Pushed[Any] | Refused:
    parts = []
    whys = []
    for option in a.value:
        got = _row_eq(p, Atom(a.field, a.segments, "eq", option, a.fold), c)
        if isinstance(got, Refused):
            return got
        parts.append(got.expr)
        if not got.exact:
            whys.append(got.why)
    return Pushed(p.any_of(parts), not whys, "; ".join(dict.fromkeys(whys)))


_ORDER: dict[str, Callable[[Any, Any], Any]] = {
    "gt": lambda e, v: e > v,
    "lt": lambda e, v: e < v,
    "gte": lambda e, v: e >= v,
    "lte": lambda e, v: e <= v,
}


def _row_ordering(p: Polars, a: Atom, c: _Column) -> Pushed[Any] | Refused:
    pl = p.pl
    v = a.value
    compare = _ORDER[a.operator]
    if isinstance(v, bool):
        if c.kind != "boolean":
            return Pushed(pl.lit(False))
        return Pushed(c.present & p.candidates(c, lambda e: compare(e.cast(pl.Int8), int(v))))
    if isinstance(v, (int, float)):
        if c.kind != "number":
            return Pushed(pl.lit(False))
        return Pushed(c.present & p.candidates(c, lambda e: compare(e, v)))
    if c.kind not in ("string", "temporal"):
        return Pushed(pl.lit(False))
    if semantics.instant(v) is not None:
        return Pushed(
            c.present & p.candidates(c, lambda e: e.is_not_null()),
            False,
            "a date orders as an instant against dates, by code point against other strings",
        )
    return Pushed(c.present & p.candidates(c, lambda e: compare(e, pl.lit(v))))


def _row_contains(p: Polars, a: Atom, c: _Column) -> Pushed[Any] | Refused:
    pl = p.pl
    needle = a.value
    if c.list:
        got = _equal(p, c, needle, a.fold)
        if isinstance(got, str):
            return Refused(got)
        test, exact, why = got
        return Pushed(c.present & p.candidates(c, test), exact, why)
    if c.kind not in ("string", "temporal") or not isinstance(needle, str):
        return Pushed(pl.lit(False))
    if not a.fold:
        return Pushed((c.present & c.value.str.contains(needle, literal=True)).fill_null(False))
    folded = needle.casefold()
    test, _, why = _ascii_superset(p, lambda e: e.str.to_lowercase().str.contains(folded, literal=True), folded)
    return Pushed((c.present & test(c.value)).fill_null(False), False, why)


def _affix(method: str) -> Callable[[Polars, Atom, _Column], Pushed[Any] | Refused]:
    def row(p: Polars, a: Atom, c: _Column) -> Pushed[Any] | Refused:
        if c.kind not in ("string", "temporal"):
            return Pushed(p.pl.lit(False))
        needle: str = a.value
        if not a.fold:
            return Pushed(c.present & p.candidates(c, lambda e: getattr(e.str, method)(needle)))
        folded = needle.casefold()
        test, _, why = _ascii_superset(p, lambda e: getattr(e.str.to_lowercase().str, method)(folded), folded)
        return Pushed(c.present & p.candidates(c, test), False, why)

    return row


def _superset_strings(why: str) -> Callable[[Polars, Atom, _Column], Pushed[Any] | Refused]:
    def row(p: Polars, a: Atom, c: _Column) -> Pushed[Any] | Refused:
        if c.kind not in ("string", "temporal"):
            return Pushed(p.pl.lit(False))
        return Pushed(c.present & p.candidates(c, lambda e: e.is_not_null()), False, why)

    return row


def _row_exists(p: Polars, a: Atom, c: _Column) -> Pushed[Any] | Refused:
    return Pushed(c.present if a.value else ~c.present)


def _row_is_null(p: Polars, a: Atom, c: _Column) -> Pushed[Any] | Refused:
    found_null = (c.present & c.value.is_null()).fill_null(False)
    if a.value:
        return Pushed(~c.present | found_null)
    return Pushed(c.present & ~found_null)


POLARS_TABLE: Mapping[str, Row] = {
    "eq": _with_column(_row_eq),
    "gt": _with_column(_row_ordering),
    "lt": _with_column(_row_ordering),
    "gte": _with_column(_row_ordering),
    "lte": _with_column(_row_ordering),
    "in": _with_column(_row_in),
    "contains": _with_column(_row_contains),
    "starts_with": _with_column(_affix("starts_with")),
    "ends_with": _with_column(_affix("ends_with")),
    "regex": _with_column(_superset_strings("Polars runs Rust's regex crate, not RE2 (\\d is Unicode there)")),
    "exists": _with_column(_row_exists),
    "is_null": _with_column(_row_is_null),
    "text": _with_column(_superset_strings("word search splits on str.isalnum(), which Polars does not")),
}
assert not missing_rows(POLARS_TABLE), missing_rows(POLARS_TABLE)


def to_polars(f: Any, *, schema: Any, context: Any = None) -> Plan:
    """A Polars plan for ``f`` over a frame in :func:`polars_schema`'s layout: ``plan.expr`` is a ``polars.Expr``."""
    target = Polars(_schema_def(schema))
    expr, residual, issues, parts = build(target, f, context)
    return Plan("polars", residual, issues, parts, expr=expr)
