"""``check_filter``: a filter against a bucket schema, before any record is read.

Finds fields the schema does not have, operators that cannot apply to a
field's type and values that can never compare with it. Issues from a JSON
filter are located in that dict; from a Filter, in its canonical ``to_dict()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from schemakit._dates import parse_date, parse_datetime
from schemakit._issues import FilterError, Issue, Path, describe, did_you_mean_hint
from schemakit.filters._ast import (
    ORDERING_OPERATORS,
    Condition,
    DynamicRef,
    iter_conditions,
    render_condition,
    thaw_value,
)
from schemakit.filters._filter import DEFAULT_MAX_DEPTH, Filter, parse_filter
from schemakit.filters._json import read_json
from schemakit._contract.bucket import FILE_TYPES, FieldDef, SchemaDef, read_bucket_schema

_ANY: Any = object()
"""A path that exists but whose type is not declared (free-form objects, system fields)."""

_ORDERABLE = frozenset({"integer", "number", "float", "string", "date", "datetime"})
_STRINGISH = frozenset({"string", "date", "datetime"})
_NUMERIC = frozenset({"integer", "number", "float"})


def check_filter(
    f: Filter | Mapping[str, Any] | str,
    bucket_schema: Any,
    *,
    system_fields: Iterable[str] = (),
    system_prefixes: Iterable[str] = (),
) -> list[Issue]:
    """Issues of filter ``f`` against ``bucket_schema`` (a dict, a BucketSchema model or a SchemaDef).

    ``system_fields`` are dotted paths that always exist with an unknown type
    (``object_id``, ``blobs.type``; their sub-paths too); ``system_prefixes``
    are name prefixes (``__``) that count the same. A filter that does not
    parse yields its parse issues; nothing is raised.
    """
    origins: dict[int, tuple[Path, Path, Path]] = {}
    if isinstance(f, Filter):
        flt = f
    elif isinstance(f, Mapping):
        root, reader = read_json(f, max_depth=DEFAULT_MAX_DEPTH)
        if reader.issues:
            return reader.issues
        try:
            flt = Filter(root)  # type: ignore[arg-type]
        except FilterError as exc:
            return exc.issues
        origins = reader.origins
    else:
        try:
            flt = parse_filter(f)
        except FilterError as exc:
            return exc.issues
    located_in_text = isinstance(f, str)

    schema = bucket_schema if isinstance(bucket_schema, SchemaDef) else read_bucket_schema(bucket_schema)[0]
    if schema is None:
        return read_bucket_schema(bucket_schema)[1]

    system = tuple(system_fields)
    prefixes = tuple(p for p in system_prefixes if p)
    known = [".".join(path) for path, _ in schema.walk()]
    issues: list[Issue] = []
    for c, canonical_path in iter_conditions(flt.root):
        field_path, op_path, value_path = origins.get(
            id(c), ((*canonical_path, "field"), (*canonical_path, "operator"), (*canonical_path, "value"))
        )
        where = f" in `{render_condition(c)}`" if located_in_text else ""
        if c.field in system or any(c.field.startswith(s + ".") for s in system) or c.field.startswith(prefixes):
            continue
        fdef = _lookup(schema, c.field)
        if fdef is None:
            issues.append(
                Issue(
                    "unknown_field",
                    field_path,
                    f"the bucket schema has no field {c.field!r}{where}",
                    hint=did_you_mean_hint(c.field, [*known, *system]),
                )
            )
            continue
        if fdef is _ANY or fdef.type in FILE_TYPES:
            continue
        issues.extend(_type_issues(c, fdef, op_path, value_path, where))
    return issues


def _lookup(schema: SchemaDef, dotted: str) -> Any:
    """The FieldDef a path names, ``_ANY`` below an undeclared structure, or None when it cannot exist."""
    fields: Mapping[str, FieldDef] | None = schema.fields
    current: FieldDef | None = None
    for seg in dotted.split("."):
        if current is not None:
            if current.type == "array" and seg.isdigit():
                if current.items is None:
                    return _ANY
                current = current.items
                continue
            node: FieldDef | None = current
            while node is not None and node.type == "array":
                node = node.items
            if node is None or node.type in FILE_TYPES or (node.type == "object" and not node.properties):
                return _ANY
            fields = node.properties
        if fields is None or seg not in fields:
            return None
        current = fields[seg]
    return current


def _type_issues(c: Condition, fdef: FieldDef, op_path: Path, value_path: Path, where: str) -> list[Issue]:
    ftype = fdef.type
    element = fdef.items.type if ftype == "array" and fdef.items is not None else None
    scalar = element if ftype == "array" else ftype
    op = c.operator

    def mismatch(what: str) -> Issue:
        return Issue(
            "operator_type_mismatch",
            op_path,
            f"'{op}' does not apply to {c.field!r}, {_article(ftype)} {ftype} field{where}",
            hint=what,
        )

    if scalar is None:  # an array whose items are not declared
        return []
    if op in ORDERING_OPERATORS and scalar not in _ORDERABLE:
        return [mismatch("ordering applies to numbers, strings, dates and datetimes")]
    if op in ("starts_with", "ends_with", "regex") and scalar not in _STRINGISH:
        return [mismatch(f"'{op}' applies to string fields")]
    if op == "text" and scalar != "string":
        return [mismatch("'text' searches string fields")]
    if op == "contains" and ftype != "array" and ftype != "string":
        return [mismatch("'contains' is substring on strings and membership on arrays")]
    if isinstance(c.value, DynamicRef) or op in ("exists", "is_null", "regex", "text", "starts_with", "ends_with"):
        return []
    if op == "contains" and ftype == "string":
        if isinstance(c.value, str):
            return []
        return [_value_issue(c, "string", c.value, value_path, where)]
    if op in ("in", "nin"):
        return [
            _value_issue(c, scalar, v, (*value_path, i), where)
            for i, v in enumerate(c.value)
            if v is not None and not _fits(scalar, v)
        ]
    value = c.value
    if op in ("eq", "ne") and ftype == "array" and isinstance(value, tuple):
        return [
            _value_issue(c, scalar, v, (*value_path, i), where)
            for i, v in enumerate(value)
            if v is not None and not _fits(scalar, v)
        ]
    if value is None or _fits(scalar, value):
        return []
    return [_value_issue(c, scalar, value, value_path, where)]


def _fits(ftype: str, value: Any) -> bool:
    if ftype in _NUMERIC:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if ftype == "string":
        return isinstance(value, str)
    if ftype == "boolean":
        return isinstance(value, bool)
    if ftype in ("date", "datetime"):
        return isinstance(value, str) and (parse_date(value) is not None or parse_datetime(value) is not None)
    if ftype == "object":
        return isinstance(value, Mapping)
    if ftype == "array":
        return isinstance(value, tuple)
    return True


def _value_issue(c: Condition, ftype: str, value: Any, path: Path, where: str) -> Issue:
    hint = None
    if ftype in ("date", "datetime"):
        hint = "write dates as YYYY-MM-DD and date-times as RFC 3339 (2024-01-15T10:00:00Z)"
    return Issue(
        "value_type_mismatch",
        path,
        f"{c.field!r} holds {ftype} values; {describe(thaw_value(value))} can never compare with them{where}",
        hint=hint,
    )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
