"""Filters as ASTs, wrapped in :class:`schemakit.Filter`, optionally typed against a bucket schema.

Values come from small domains that mix case, kinds and dates on purpose: a
filter generated next to a record should sometimes hold and sometimes not, and
the interesting edges (``1`` vs ``1.0``, ``"A"`` vs ``"a"``, ``...Z`` vs
``...+00:00``) should turn up within a few dozen examples.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from schemakit._contract.bucket import FieldDef, SchemaDef
from schemakit._contract.operators import FILTER_OPERATORS, OPERATOR_NAMES, DrawKind
from schemakit._contract.types import FIELD_TYPES
from schemakit.strategies._common import Json, check_schema, check_size, values

# The untyped vocabulary: plain names, dotted paths into objects and lists of
# objects, an index, and names the text form must quote with backticks.
FIELDS = (
    "status",
    "age",
    "price",
    "title",
    "tags",
    "created_at",
    "metadata.title",
    "metadata.price",
    "metadata.tags",
    "items.sku",
    "items.0.sku",
    "first name",
    "and",
    "métier",
)

_STRINGS = ("a", "A", "ab", "", "Hello World", "hello", "straße", "STRASSE", "a.b", 'x\\y"z')
_NUMBERS: tuple[Json, ...] = (0, 1, 1.0, -1, 2.5, 10, 1e20)
_DATES = (
    "2024-01-15",
    "2024-01-15T00:00:00Z",
    "2024-01-15T12:00:00+02:00",
    "2024-01-15T10:00:00Z",
    "2024-01-15T10:00:00",
    "2023-12-31",
)
_SCALARS: tuple[Json, ...] = (*_STRINGS[:4], 0, 1, 1.0, True, False, None, *_DATES[:3])
_PATTERNS = ("a", "^a", "b$", "a.b", "[0-9]+", "^$", "colou?r", "h.*d", r"\d{4}-\d{2}", "é|e", "(?i)hello")
_SEARCHES = ("hello", "world", "hello world", '"hello world"', "a-1", "straße", "HELLO")
_REGEX_SPECIAL = frozenset("\\.^$|?*+()[]{}")


def _literal_pattern(text: str) -> str:
    # Escape only regex punctuation: RE2 rejects escapes of ordinary characters such as "\ ".
    return "".join("\\" + c if c in _REGEX_SPECIAL else c for c in text)


# The hand-picked values a typed site tries first: those of the pool that fit the field's type.
_SMALL: tuple[Json, ...] = (*_STRINGS, *_NUMBERS, False, True, *_DATES)


def _typed_values(ftype: str) -> st.SearchStrategy[Json]:
    """Values that fit a field type, small hand-picked ones first."""
    t = FIELD_TYPES[ftype]
    small = [v for v in _SMALL if t.fits_filter_value(v)]
    generated = values(FieldDef("v", ftype))
    return st.one_of(st.sampled_from(small), generated) if small else generated


def _scalars(ftype: str | None) -> st.SearchStrategy[Json]:
    return st.sampled_from(_SCALARS) if ftype is None else _typed_values(ftype)


def _contained(ftype: str | None) -> st.SearchStrategy[Json]:
    # untyped, substrings and list members both; typed, what the field's values fit
    return st.one_of(st.sampled_from(_STRINGS), _scalars(ftype)) if ftype is None else _scalars(ftype)


_DRAWS: dict[DrawKind, Callable[[str | None], st.SearchStrategy[Json]]] = {
    "value": _scalars,
    # ordering takes no null; across kinds it is simply false, which is worth generating untyped
    "ordered": lambda ftype: _scalars(ftype).filter(lambda v: v is not None),
    "list": lambda ftype: st.lists(_scalars(ftype), max_size=3),
    "contained": _contained,
    "affix": lambda ftype: st.one_of(st.sampled_from(_STRINGS), st.text(max_size=4)),
    "pattern": lambda ftype: st.one_of(st.sampled_from(_PATTERNS), st.sampled_from(_STRINGS).map(_literal_pattern)),
    "search": lambda ftype: st.sampled_from(_SEARCHES),
    "flag": lambda ftype: st.booleans(),
}


def _operand(operator: str, ftype: str | None) -> st.SearchStrategy[Json]:
    """A value ``operator`` accepts; fitted to ``ftype`` when the field's type is known."""
    return _DRAWS[FILTER_OPERATORS[operator].strategy.operand](ftype)


def _typed_sites(sdef: SchemaDef) -> list[tuple[str, str, tuple[str, ...]]]:
    """``(dotted path, scalar type for values, operators)`` for each metadata path of the schema."""
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for path, f in sdef.walk():
        if f.is_file or f.file_items:
            continue
        dotted = ".".join(path)
        if f.items is not None:
            # on an array with declared items, operators test its elements
            element = FIELD_TYPES[f.items.type]
            ops = tuple(op.name for op in FILTER_OPERATORS.values() if op.strategy.on_items(element))
            out.append((dotted, element.name, ops))
        else:
            t = FIELD_TYPES[f.type]
            out.append((dotted, f.type, tuple(op.name for op in FILTER_OPERATORS.values() if op.strategy.on(t))))
    return out


@st.composite
def _conditions(draw: st.DrawFn, sites: tuple[tuple[str, str | None, tuple[str, ...]], ...], dynamic: bool) -> Any:
    from schemakit.filters import Condition, DynamicRef

    field, ftype, operators = draw(st.sampled_from(sites))
    operator = draw(st.sampled_from(operators))
    if dynamic and FILTER_OPERATORS[operator].operand.dynamic and draw(st.integers(0, 3)) == 0:
        ref = draw(st.sampled_from(["inputs.user_id", "inputs.q"]))
        return Condition(field, operator, DynamicRef(ref))
    return Condition(field, operator, draw(_operand(operator, ftype)))


@st.composite
def _nodes(
    draw: st.DrawFn,
    sites: tuple[tuple[str, str | None, tuple[str, ...]], ...],
    depth: int,
    dynamic: bool,
) -> Any:
    from schemakit.filters import And, Not, Or

    # 0 a condition (what everything shrinks to), 1..3 a group.
    kind = draw(st.integers(0, 3 if depth > 1 else 0))
    if kind == 0:
        return draw(_conditions(sites, dynamic))
    group = (And, Or, Not)[kind - 1]
    items = draw(st.lists(_nodes(sites, depth - 1, dynamic), max_size=3))
    case_sensitive = draw(st.sampled_from([None, False, True]))
    return group(tuple(items), case_sensitive)


@st.composite
def _filters(
    draw: st.DrawFn, sites: tuple[tuple[str, str | None, tuple[str, ...]], ...], max_depth: int, dynamic: bool
) -> Any:
    from schemakit.filters import And, Filter, Not, Or

    # 0 is the empty filter, so failures shrink there first; otherwise at least one item,
    # because a list left to itself is empty so often that a third of filters would say nothing.
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return Filter(And())
    items = tuple(draw(st.lists(_nodes(sites, max_depth - 1, dynamic), min_size=1, max_size=4)))
    root = (And, Or, Not)[(kind - 1) % 3](items, draw(st.sampled_from([None, False, True])))
    return Filter(root)


def filters(schema: Any = None, *, max_depth: int = 4, dynamic: bool = False) -> st.SearchStrategy[Any]:
    """:class:`schemakit.Filter` objects: AND/OR/NOT trees of conditions with ``case_sensitive`` on any group.

    Without ``schema``, conditions use every operator on a fixed vocabulary of
    fields (dotted paths, list indexes, names that need backticks in the text
    form) with values from small mixed-kind domains, so cross-kind comparisons
    and case folding come up often. With ``schema`` (a bucket_schema dict or
    ``BucketSchema``), fields are the schema's metadata paths and each
    condition's operator and value fit the field's type, as
    ``schemakit.check_filter`` expects. Groups nest at most ``max_depth``
    levels (the limit ``parse_filter`` enforces is 16). With ``dynamic=True``
    some values are ``DynamicRef`` s to ``inputs.user_id`` or ``inputs.q``.

    A schema without metadata fields gives only the empty filter.

    Examples from this strategy shrink toward the empty filter, then toward
    a single ``eq`` condition on the first field with the simplest value.
    """
    check_size(max_depth, name="max_depth", low=1, high=16)
    if not isinstance(dynamic, bool):
        raise InvalidArgument(f"dynamic={dynamic!r} must be True or False")
    if schema is None:
        sites: tuple[tuple[str, str | None, tuple[str, ...]], ...] = tuple((f, None, OPERATOR_NAMES) for f in FIELDS)
    else:
        sites = tuple(_typed_sites(check_schema(schema)))
        if not sites:
            # Nothing to filter on: the empty filter is the only one that names no missing field.
            from schemakit.filters import And, Filter

            return st.just(Filter(And()))
    return _filters(sites, max_depth, dynamic)
