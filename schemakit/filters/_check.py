"""``check_filter``: a filter against a bucket schema, before any record is read.

Finds fields the schema does not have, operators that cannot apply to a
field's type and values that can never compare with it. Paths resolve under
the one semantics of :func:`schemakit._contract.paths.resolve`; which types an
operator applies to, and which of its values are checked, is the operator's
:class:`~schemakit._contract.operators.TypeRule`; whether a value fits a type
is the type table's. Issues point where the filter was written (see
:mod:`schemakit.filters._origin`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from schemakit._contract import paths
from schemakit._contract.operators import FILTER_OPERATORS
from schemakit._contract.types import FIELD_TYPES, FieldType
from schemakit._issues import FilterError, Issue, Path, Suggester, describe, suggestion_hint
from schemakit.filters._ast import Condition, DynamicRef, iter_conditions, thaw_value
from schemakit.filters._filter import Filter, parse_filter
from schemakit.filters._origin import Origin, Part, Place, place
from schemakit.filters._render import render_condition

if TYPE_CHECKING:
    from schemakit._contract.bucket import FieldDef


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
    # the schema reader loads with the first check, not with every import of the filters
    from schemakit._contract.bucket import SchemaDef, read_bucket_schema

    if isinstance(f, Filter):
        flt = f
    else:
        try:
            flt = parse_filter(f)
        except FilterError as exc:
            return exc.issues

    schema = bucket_schema if isinstance(bucket_schema, SchemaDef) else read_bucket_schema(bucket_schema)[0]
    if schema is None:
        return read_bucket_schema(bucket_schema)[1]

    system = tuple(system_fields)
    prefixes = tuple(p for p in system_prefixes if p)
    origin = flt._origin
    in_text = origin is not None and origin.text is not None
    issues: list[Issue] = []
    # built on the first unknown field; it bounds the fuzzy lookups, so thousands of unknown fields stay linear
    suggester: Suggester | None = None
    for c, canonical in iter_conditions(flt.root):
        if c.field in system or any(c.field.startswith(s + ".") for s in system) or c.field.startswith(prefixes):
            continue
        check = _ConditionCheck(c, canonical, origin, f" in `{render_condition(c)}`" if in_text else "")
        found = paths.resolve(schema, c.field)
        if found is None:
            if suggester is None:
                suggester = Suggester([*paths.all_paths(schema), *system])
            where = check.place("field")
            issues.append(
                Issue(
                    "unknown_field",
                    where.path,
                    f"the bucket schema has no field {c.field!r}{check.quoted}{where.suffix}",
                    hint=suggestion_hint(suggester.matches(c.field)),
                )
            )
            continue
        if found.field is None or found.field.is_file:  # open below an undeclared structure, or a blob
            continue
        issues.extend(check.against(found.field))
    return issues


class _ConditionCheck:
    """One condition against the field it names, with the places its issues point at."""

    def __init__(self, c: Condition, canonical: Path, origin: Origin | None, quoted: str) -> None:
        self.c, self.canonical, self.origin, self.quoted = c, canonical, origin, quoted

    def place(self, part: Part, index: int | None = None) -> Place:
        return place(self.origin, self.c, self.canonical, part, index)

    def against(self, fdef: FieldDef) -> list[Issue]:
        c = self.c
        field = FIELD_TYPES[fdef.type]
        if field.filter_kind == "array":
            if fdef.items is None:  # elements of any type
                return []
            scalar = FIELD_TYPES[fdef.items.type]
        else:
            scalar = field
        rule = FILTER_OPERATORS[c.operator].check
        if not rule.applies(field, scalar):
            where = self.place("operator")
            return [
                Issue(
                    "operator_type_mismatch",
                    where.path,
                    f"'{c.operator}' does not apply to {c.field!r}, {_article(field.name)} {field.name} field"
                    f"{self.quoted}{where.suffix}",
                    hint=rule.hint.format(op=c.operator),
                )
            ]
        if isinstance(c.value, DynamicRef):
            return []
        return [self.value_issue(t, sub) for sub, t in rule.mismatches(field, scalar, c.value)]

    def value_issue(self, t: FieldType, sub: tuple[int, ...]) -> Issue:
        c = self.c
        value = c.value[sub[0]] if sub else c.value
        where = self.place("value", sub[0] if sub else None)
        hint = None
        if t.filter_kind == "temporal":
            hint = "write dates as YYYY-MM-DD and date-times as RFC 3339 (2024-01-15T10:00:00Z)"
        return Issue(
            "value_type_mismatch",
            where.path,
            f"{c.field!r} holds {t.name} values; {describe(thaw_value(value))} can never compare with them"
            f"{self.quoted}{where.suffix}",
            hint=hint,
        )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
