"""DuckDB over native columns (``layout="columns"``): the STRUCT and LIST columns ``read_parquet`` gives.

The columns' types come from the bucket schema, as for Polars (see
:func:`schemakit.backends.polars_schema`: ``VARCHAR`` for strings and dates,
``BIGINT`` for integers, ``DOUBLE`` for other numbers, ``BOOLEAN``, ``STRUCT``
for objects, ``LIST`` for arrays). A field a row lacks reads back as NULL, so
the guarantee holds against the rows as the table holds them. Struct keys are
spelled as string literals (``struct_extract`` takes a constant); values are
bound parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlglot import exp

from schemakit._contract import semantics
from schemakit._contract.bucket import FieldDef, SchemaDef
from schemakit._contract.operators import missing_rows
from schemakit._contract.paths import resolve
from schemakit._contract.types import FIELD_TYPES
from schemakit.backends._plan import Atom, Pushed, Refused, Row
from schemakit.backends._sql import MAX_SEGMENTS, DuckDBDialect, all_of, any_of, fn, negation, truth

Test = Callable[[exp.Expression], exp.Expression]
_EXACT_INT = 2**53


def _duck_type(f: FieldDef) -> str | None:
    kind = FIELD_TYPES[f.type]
    if f.type == "integer":
        return "BIGINT"
    if kind.filter_kind == "number":
        return "DOUBLE"
    if kind.filter_kind in ("string", "temporal"):
        return "VARCHAR"
    if kind.filter_kind == "boolean":
        return "BOOLEAN"
    if f.type == "object" and f.properties:
        inner = {k: _duck_type(v) for k, v in f.properties.items()}
        if any(v is None for v in inner.values()):
            return None
        return "STRUCT(" + ", ".join(f'"{k.replace(chr(34), chr(34) * 2)}" {v}' for k, v in inner.items()) + ")"
    if f.type == "array" and f.items is not None:
        item = _duck_type(f.items)
        return None if item is None else item + "[]"
    return None


def duckdb_columns(schema: Any) -> dict[str, str]:
    """The DuckDB column types ``layout="columns"`` plans against, for ``read_json(..., columns=...)``."""
    from schemakit.backends._polars import _schema_def

    out = {}
    for name, f in _schema_def(schema).fields.items():
        t = _duck_type(f)
        if t is not None:
            out[name] = t
    return out


class _Column:
    def __init__(self, value: exp.Expression, present: exp.Expression, field: FieldDef) -> None:
        self.value = value
        self.present = present
        self.list = field.type == "array"
        inner = field.items if self.list and field.items is not None else field
        self.kind = FIELD_TYPES[inner.type].filter_kind


class Columns(DuckDBDialect):
    """DuckDB's typed columns: the same plumbing as the JSON dialects, other rows."""

    schema: SchemaDef | None = None

    def path_problem(self, segments: tuple[str, ...]) -> str | None:
        if len(segments) > MAX_SEGMENTS:
            return f"a path of more than {MAX_SEGMENTS} segments"
        return None

    def typed(self, segments: tuple[str, ...]) -> _Column | str:
        assert self.schema is not None
        r = resolve(self.schema, segments)
        if r is None or r.field is None:
            return "a path the schema does not declare (its values have no column type)"
        if r.fans_out or r.indexed:
            return "a path through a list (fan-out or an index), which this layout does not read"
        from schemakit.backends._polars import _dtype

        top = self.schema.fields[segments[0]]
        if _dtype(top) is None:
            return "a field without a column (no declared shape)"
        value: exp.Expression = exp.column(segments[0], quoted=True)
        present: exp.Expression = exp.true()
        for key in segments[1:]:
            present = all_of([present, exp.Not(this=exp.Is(this=value, expression=exp.Null()))])
            value = fn("struct_extract", value, exp.Literal.string(key))
        return _Column(value, present, r.field)

    def over(self, c: _Column, test: Test) -> exp.Expression:
        """Some candidate passes ``test``: the value, or an element of the list (null reads as false)."""
        if c.list:
            var = self.alias()
            lam = exp.Lambda(this=truth(test(exp.column(var))), expressions=[exp.to_identifier(var)])
            return truth(fn("list_bool_or", fn("list_transform", c.value, lam)))
        return truth(test(c.value))


def _lit_false() -> exp.Expression:
    return exp.false()


def _textual(kind: str) -> bool:
    return kind in ("string", "temporal")


def _equal(d: Columns, c: _Column, value: Any, fold: bool) -> tuple[Test, bool, str] | str:
    never: tuple[Test, bool, str] = (lambda e: _lit_false(), True, "")
    if value is None:
        return (lambda e: exp.Is(this=e, expression=exp.Null())), True, ""
    if isinstance(value, bool):
        if c.kind != "boolean":
            return never
        return (lambda e: exp.EQ(this=e, expression=d.param(value))), True, ""
    if isinstance(value, (int, float)):
        if c.kind != "number":
            return never
        return (lambda e: exp.EQ(this=e, expression=d.param(float(value), "DOUBLE"))), True, ""
    if isinstance(value, str):
        if not _textual(c.kind):
            return never
        if semantics.instant(value) is not None:
            return (
                (lambda e: exp.Not(this=exp.Is(this=e, expression=exp.Null()))),
                False,
                ("a date compares as an instant in any spelling"),
            )
        if not fold:
            return (lambda e: exp.EQ(this=e, expression=d.param(value))), True, ""
        folded = value.casefold()
        return _ascii_superset(d, lambda t: exp.EQ(this=exp.Lower(this=t), expression=d.param(folded)), folded)
    return "a list or object operand compares element by element"


def _ascii_superset(d: Columns, test: Test, folded: str) -> tuple[Test, bool, str]:
    def pred(t: exp.Expression) -> exp.Expression:
        ascii_part = truth(all_of([d.is_ascii(t), test(t)])) if folded.isascii() else _lit_false()
        return any_of([ascii_part, truth(negation(d.is_ascii(t)))])

    return pred, False, "no engine function folds case as str.casefold() does (Straße is strasse)"


def _with_column(row: Callable[[Columns, Atom, _Column], Pushed[Any] | Refused]) -> Row:
    def checked(d: Columns, a: Atom) -> Pushed[Any] | Refused:
        values = a.value if isinstance(a.value, list) else [a.value]
        if any(isinstance(v, int) and not isinstance(v, bool) and abs(v) > _EXACT_INT for v in values):
            return Refused("an integer beyond 2**53, which DuckDB compares as a DOUBLE")
        if any(isinstance(v, str) and "\x00" in v for v in values):
            return Refused("a NUL character in a value")
        c = d.typed(a.segments)
        if isinstance(c, str):
            return Refused(c)
        return row(d, a, c)

    return checked


def _row_eq(d: Columns, a: Atom, c: _Column) -> Pushed[Any] | Refused:
    got = _equal(d, c, a.value, a.fold)
    if isinstance(got, str):
        return Refused(got)
    test, exact, why = got
    if a.value is None:
        found_null = exp.Is(this=c.value, expression=exp.Null())
        parts = [all_of([c.present, truth(found_null)])]
        if c.list:
            parts.append(all_of([c.present, d.over(c, test)]))
        return Pushed(any_of(parts))
    return Pushed(all_of([c.present, d.over(c, test)]), exact, why)


def _row_in(d: Columns, a: Atom, c: _Column) -> Pushed[Any] | Refused:
    parts = []
    whys = []
    for option in a.value:
        got = _row_eq(d, Atom(a.field, a.segments, "eq", option, a.fold), c)
        if isinstance(got, Refused):
            return got
        parts.append(got.expr)
        if not got.exact:
            whys.append(got.why)
    return Pushed(any_of(parts), not whys, "; ".join(dict.fromkeys(whys)))


_COMPARE: dict[str, type[exp.Expression]] = {"gt": exp.GT, "lt": exp.LT, "gte": exp.GTE, "lte": exp.LTE}


def _row_ordering(d: Columns, a: Atom, c: _Column) -> Pushed[Any] | Refused:
    op = _COMPARE[a.operator]
    v = a.value
    if isinstance(v, bool):
        if c.kind != "boolean":
            return Pushed(_lit_false())
        return Pushed(all_of([c.present, d.over(c, lambda e: op(this=e, expression=d.param(v)))]))
    if isinstance(v, (int, float)):
        if c.kind != "number":
            return Pushed(_lit_false())
        return Pushed(all_of([c.present, d.over(c, lambda e: op(this=e, expression=d.param(float(v), "DOUBLE")))]))
    if not _textual(c.kind):
        return Pushed(_lit_false())
    if semantics.instant(v) is not None:
        test: Test = lambda e: exp.Not(this=exp.Is(this=e, expression=exp.Null()))  # noqa: E731
        why = "a date orders as an instant against dates, by code point against other strings"
        return Pushed(all_of([c.present, d.over(c, test)]), False, why)
    return Pushed(all_of([c.present, d.over(c, lambda e: op(this=e, expression=d.param(v)))]))


def _row_contains(d: Columns, a: Atom, c: _Column) -> Pushed[Any] | Refused:
    needle = a.value
    if c.list:
        got = _equal(d, c, needle, a.fold)
        if isinstance(got, str):
            return Refused(got)
        test, exact, why = got
        return Pushed(all_of([c.present, d.over(c, test)]), exact, why)
    if not _textual(c.kind) or not isinstance(needle, str):
        return Pushed(_lit_false())
    if not a.fold:
        return Pushed(all_of([c.present, truth(d.has_substring(c.value, d.param(needle)))]))
    folded = needle.casefold()
    pred, _, why = _ascii_superset(d, lambda t: d.has_substring(exp.Lower(this=t), d.param(folded)), folded)
    return Pushed(all_of([c.present, truth(pred(c.value))]), False, why)


def _affix(kind: str) -> Callable[[Columns, Atom, _Column], Pushed[Any] | Refused]:
    def row(d: Columns, a: Atom, c: _Column) -> Pushed[Any] | Refused:
        if not _textual(c.kind):
            return Pushed(_lit_false())
        needle: str = a.value
        check = d.has_prefix if kind == "prefix" else d.has_suffix
        if not a.fold:
            return Pushed(all_of([c.present, d.over(c, lambda e: check(e, needle))]))
        folded = needle.casefold()
        pred, _, why = _ascii_superset(d, lambda t: check(exp.Lower(this=t), folded), folded)
        return Pushed(all_of([c.present, d.over(c, pred)]), False, why)

    return row


def _row_regex(d: Columns, a: Atom, c: _Column) -> Pushed[Any] | Refused:
    if not _textual(c.kind):
        return Pushed(_lit_false())
    return Pushed(all_of([c.present, d.over(c, lambda e: d.regex(e, a.value, a.fold) or _lit_false())]))


def _row_text(d: Columns, a: Atom, c: _Column) -> Pushed[Any] | Refused:
    if not _textual(c.kind):
        return Pushed(_lit_false())
    test: Test = lambda e: exp.Not(this=exp.Is(this=e, expression=exp.Null()))  # noqa: E731
    return Pushed(
        all_of([c.present, d.over(c, test)]),
        False,
        "word search splits on str.isalnum(), which no engine function does",
    )


def _row_exists(d: Columns, a: Atom, c: _Column) -> Pushed[Any] | Refused:
    return Pushed(c.present if a.value else negation(c.present))


def _row_is_null(d: Columns, a: Atom, c: _Column) -> Pushed[Any] | Refused:
    found_null = all_of([c.present, truth(exp.Is(this=c.value, expression=exp.Null()))])
    if a.value:
        return Pushed(any_of([negation(c.present), found_null]))
    return Pushed(all_of([c.present, negation(found_null)]))


COLUMNS_TABLE: Mapping[str, Row] = {
    "eq": _with_column(_row_eq),
    "gt": _with_column(_row_ordering),
    "lt": _with_column(_row_ordering),
    "gte": _with_column(_row_ordering),
    "lte": _with_column(_row_ordering),
    "in": _with_column(_row_in),
    "contains": _with_column(_row_contains),
    "starts_with": _with_column(_affix("prefix")),
    "ends_with": _with_column(_affix("suffix")),
    "regex": _with_column(_row_regex),
    "exists": _with_column(_row_exists),
    "is_null": _with_column(_row_is_null),
    "text": _with_column(_row_text),
}
assert not missing_rows(COLUMNS_TABLE), missing_rows(COLUMNS_TABLE)
