"""Filters as ASTs, wrapped in :class:`schemakit.Filter`, optionally typed against a bucket schema.

Values come from small domains that mix case, kinds and dates on purpose: a
filter generated next to a record should sometimes hold and sometimes not, and
the interesting edges (``1`` vs ``1.0``, ``"A"`` vs ``"a"``, ``...Z`` vs
``...+00:00``) should turn up within a few dozen examples.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from schemakit.filters._ast import OPERATORS as _ALL_OPERATORS
from schemakit._contract.bucket import FieldDef, SchemaDef
from schemakit.strategies._common import Json, check_schema, check_size, values

_EQUALITY = ("eq", "ne", "in", "nin")
_ORDERING = ("gt", "gte", "lt", "lte")
_PRESENCE = ("exists", "is_null")
_OPERATORS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "string": (*_EQUALITY, *_ORDERING, "contains", "starts_with", "ends_with", "regex", "text", *_PRESENCE),
    "integer": (*_EQUALITY, *_ORDERING, *_PRESENCE),
    "number": (*_EQUALITY, *_ORDERING, *_PRESENCE),
    "float": (*_EQUALITY, *_ORDERING, *_PRESENCE),
    "boolean": (*_EQUALITY, *_PRESENCE),
    "date": (*_EQUALITY, *_ORDERING, *_PRESENCE),
    "datetime": (*_EQUALITY, *_ORDERING, *_PRESENCE),
    "object": _PRESENCE,
    "array": _PRESENCE,
}

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


def _typed_values(ftype: str) -> st.SearchStrategy[Json]:
    """Values that fit a field type, small hand-picked ones first."""
    if ftype == "string":
        return st.one_of(st.sampled_from(_STRINGS), st.text(max_size=8))
    if ftype == "integer":
        return st.one_of(st.sampled_from([0, 1, -1, 10]), st.integers())
    if ftype in ("number", "float"):
        return st.one_of(st.sampled_from(_NUMBERS), st.floats(allow_nan=False, allow_infinity=False))
    if ftype == "boolean":
        return st.booleans()
    if ftype in ("date", "datetime"):
        return st.one_of(st.sampled_from(_DATES), values(FieldDef("v", ftype)))
    return st.sampled_from(_SCALARS)


def _operand(operator: str, ftype: str | None) -> st.SearchStrategy[Json]:
    """A value ``operator`` accepts; fitted to ``ftype`` when the field's type is known."""
    if operator in _PRESENCE:
        return st.booleans()
    if operator == "regex":
        return st.one_of(st.sampled_from(_PATTERNS), st.sampled_from(_STRINGS).map(_literal_pattern))
    if operator == "text":
        return st.sampled_from(_SEARCHES)
    if operator in ("starts_with", "ends_with"):
        return st.one_of(st.sampled_from(_STRINGS), st.text(max_size=4))
    scalar = st.sampled_from(_SCALARS) if ftype is None else _typed_values(ftype)
    if operator in ("in", "nin"):
        return st.lists(scalar, max_size=3)
    if operator in _ORDERING:
        # Ordering takes no null; across kinds it is simply false, which is worth generating untyped.
        return scalar.filter(lambda v: v is not None)
    if operator == "contains" and ftype is None:
        return st.one_of(st.sampled_from(_STRINGS), scalar)
    return scalar


def _typed_sites(sdef: SchemaDef) -> list[tuple[str, str, tuple[str, ...]]]:
    """``(dotted path, scalar type for values, operators)`` for each metadata path of the schema."""
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for path, f in sdef.walk():
        if f.is_file or f.file_items:
            continue
        dotted = ".".join(path)
        if f.type == "array" and f.items is not None and f.items.type in _OPERATORS_BY_TYPE:
            element = f.items.type
            # On an array, comparisons test its elements and contains is membership.
            ops = tuple(op for op in _OPERATORS_BY_TYPE[element] if op not in ("contains", "text"))
            ops = (*ops, *(() if element in ("object", "array") else ("contains",)))
            out.append((dotted, element, tuple(dict.fromkeys((*ops, *_PRESENCE)))))
        else:
            out.append((dotted, f.type, _OPERATORS_BY_TYPE[f.type]))
    return out


@st.composite
def _conditions(draw: st.DrawFn, sites: tuple[tuple[str, str | None, tuple[str, ...]], ...], dynamic: bool) -> Any:
    from schemakit.filters import Condition, DynamicRef

    field, ftype, operators = draw(st.sampled_from(sites))
    operator = draw(st.sampled_from(operators))
    if dynamic and operator not in _PRESENCE and draw(st.integers(0, 3)) == 0:
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
        sites: tuple[tuple[str, str | None, tuple[str, ...]], ...] = tuple((f, None, _ALL_OPERATORS) for f in FIELDS)
    else:
        sites = tuple(_typed_sites(check_schema(schema)))
        if not sites:
            # Nothing to filter on: the empty filter is the only one that names no missing field.
            from schemakit.filters import And, Filter

            return st.just(Filter(And()))
    return _filters(sites, max_depth, dynamic)
