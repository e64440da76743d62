"""The JSON front end: a ``LogicalOperator`` dict to a Filter, every issue located in the dict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from schemakit._contract.keywords import unknown_keys
from schemakit._contract.operators import DEFAULT_OPERATOR, FILTER_OPERATORS, FLAG_OPERATORS, JSON_SYNONYMS, is_operator
from schemakit._contract.paths import path_problem
from schemakit._issues import FilterError, Issue, Path, PathSegment, describe, did_you_mean_hint
from schemakit.filters._ast import (
    MAX_NESTING,
    PLAIN_SCALARS,
    And,
    Condition,
    DynamicRef,
    Node,
    Not,
    Or,
    freeze_operand,
    is_dynamic_shape,
)
from schemakit.filters._operand import operand_problem
from schemakit.filters._origin import JsonPlaces, Origin

if TYPE_CHECKING:
    from schemakit.filters._filter import Filter

GROUP_KEYS = ("AND", "OR", "NOT")
CONDITION_KEYS = ("field", "operator", "value")
# DynamicValue in the contract: its own keys; it admits others, which are ignored (and reported)
DYNAMIC_VALUE_KEYS = ("type", "field")
_DYNAMIC_EXTRA = "{key} is not a key of a dynamic value; it is ignored"
_FLAG_HINT = " and ".join(FLAG_OPERATORS) + " take true or false"


def unknown_operator(word: Any, path: Path) -> Issue:
    if not isinstance(word, str):
        return Issue("invalid_filter", path, f"an operator must be a string, found {describe(word)}")
    synonym = JSON_SYNONYMS.get(word.strip().casefold())
    hint = f"did you mean '{synonym}'?" if synonym else did_you_mean_hint(word, FILTER_OPERATORS)
    return Issue(
        "unknown_operator",
        path,
        f"unknown operator {word!r}",
        hint=hint or "operators: " + ", ".join(FILTER_OPERATORS),
    )


def _segment(key: Any) -> PathSegment:
    return key if isinstance(key, str) or (isinstance(key, int) and not isinstance(key, bool)) else repr(key)


class JsonReader:
    """Walks the dict once, building nodes and collecting issues; records where each condition came from."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.issues: list[Issue] = []
        self.warnings: list[Issue] = []
        # id(condition) -> the paths of its field, operator and value in the input dict
        self.origins: dict[int, JsonPlaces] = {}

    def report(self, code: str, path: Path, message: str, hint: str | None = None) -> None:
        self.issues.append(Issue(code, path, message, hint))

    def top(self, spec: Mapping[Any, Any]) -> Node:
        if "field" in spec and not any(k in spec for k in GROUP_KEYS):
            # a lone condition is friendlier read as one than as shorthand on fields named 'field' and 'value'
            c = self.condition(spec, ())
            return And((c,) if c is not None else ())
        return self.group(spec, (), 1)

    def group(self, raw: Mapping[Any, Any], path: Path, depth: int) -> Node:
        if depth > min(self.max_depth, MAX_NESTING):
            self.report(
                "filter_too_deep",
                path,
                f"logical operators nest deeper than max_depth={min(self.max_depth, MAX_NESTING)} here",
                hint="flatten nested groups of the same kind",
            )
            return And(())
        parts: list[Node] = []
        case_sensitive: bool | None = None
        for key, value in raw.items():
            where = (*path, _segment(key))
            if key in GROUP_KEYS:
                if value is None:
                    continue
                if not isinstance(value, (list, tuple)):
                    self.report(
                        "invalid_filter", where, f"'{key}' must be a list of conditions, found {describe(value)}"
                    )
                    continue
                items = [self.item(v, (*where, i), depth) for i, v in enumerate(value)]
                kept = tuple(i for i in items if i is not None)
                if key == "AND":
                    parts.extend(kept)
                else:
                    parts.append(Or(kept) if key == "OR" else Not(kept))
            elif key == "case_sensitive":
                if value is not None and not isinstance(value, bool):
                    self.report(
                        "invalid_filter", where, f"case_sensitive must be true or false, found {describe(value)}"
                    )
                else:
                    case_sensitive = value
            elif not isinstance(key, str):
                self.report("invalid_filter", where, f"a filter key must be a string, found {describe(key)}")
            else:
                c = self.shorthand(key, value, where)
                if c is not None:
                    parts.append(c)
        return And(tuple(parts), case_sensitive)

    def item(self, raw: Any, path: Path, depth: int) -> Node | None:
        if isinstance(raw, Mapping):
            if "field" in raw:
                return self.condition(raw, path)
            return self.group(raw, path, depth + 1)
        self.report(
            "invalid_filter",
            path,
            f"a group item must be a condition or a logical operator object, found {describe(raw)}",
            hint=f'write {{"field": "...", "operator": "{DEFAULT_OPERATOR}", "value": ...}}',
        )
        return None

    def shorthand(self, key: str, raw_value: Any, path: Path) -> Condition | None:
        if key.upper() in GROUP_KEYS and key not in GROUP_KEYS:
            # the contract allows a field of any name, so this stays a condition; it is most often a typo
            self.warnings.append(
                Issue(
                    "suspicious_field",
                    path,
                    f"{key!r} is read as a condition on a field named {key!r}",
                    hint=f"did you mean the logical operator '{key.upper()}'?",
                    severity="warning",
                )
            )
        problem = path_problem(key)
        if problem:
            self.report("invalid_filter", path, problem)
            return None
        return self.make(key, DEFAULT_OPERATOR, raw_value, path, path, path)

    def condition(self, raw: Mapping[Any, Any], path: Path) -> Condition | None:
        ok = True
        for key in raw:
            if key not in CONDITION_KEYS:
                hint = did_you_mean_hint(key, CONDITION_KEYS) if isinstance(key, str) else None
                self.report(
                    "invalid_filter",
                    (*path, _segment(key)),
                    f"unknown key {key!r} in a condition",
                    hint=hint or "a condition has 'field', 'operator' and 'value'",
                )
                ok = False
        field = raw["field"]
        problem = path_problem(field)
        if problem:
            self.report("invalid_filter", (*path, "field"), problem)
            ok = False
        operator = raw.get("operator", DEFAULT_OPERATOR)
        if operator is None:
            operator = DEFAULT_OPERATOR
        if not is_operator(operator):
            self.issues.append(unknown_operator(operator, (*path, "operator")))
            ok = False
        if "value" not in raw:
            self.report(
                "missing_value",
                (*path, "value"),
                "a condition needs a 'value'",
                hint=_FLAG_HINT if operator in FLAG_OPERATORS else None,
            )
            ok = False
        if not ok:
            return None
        return self.make(field, operator, raw["value"], (*path, "field"), (*path, "operator"), (*path, "value"))

    def make(
        self, field: str, operator: str, raw_value: Any, field_path: Path, op_path: Path, value_path: Path
    ) -> Condition | None:
        try:
            value = freeze_operand(raw_value)
        except RecursionError:
            self.report("invalid_operand", value_path, "the value nests too deeply")
            return None
        if _is_ref(value):
            self.warnings.extend(
                unknown_keys(raw_value, DYNAMIC_VALUE_KEYS, value_path, code="unknown_key", message=_DYNAMIC_EXTRA)
            )
        elif raw_value.__class__ not in PLAIN_SCALARS and is_dynamic_shape(raw_value):
            self.report(
                "invalid_operand",
                value_path,
                f"a dynamic value needs 'field', a dotted path string, found {describe(raw_value.get('field'))}",
                hint="write {'type': 'dynamic', 'field': 'inputs.user_id'}",
            )
            return None
        problem = operand_problem(operator, value)
        if problem:
            self.report("invalid_operand", value_path, problem)
            return None
        c = Condition(field, operator, value)
        self.origins[id(c)] = JsonPlaces(field_path, op_path, value_path)
        return c


def _is_ref(value: Any) -> bool:
    return isinstance(value, DynamicRef)


def read_json(spec: Mapping[Any, Any], *, max_depth: int) -> tuple[Node, JsonReader]:
    reader = JsonReader(max_depth)
    try:
        root = reader.top(spec)
    except RecursionError:
        reader.report("filter_too_deep", (), "the filter nests too deeply")
        root = And(())
    return root, reader


def parse_json(spec: Mapping[Any, Any], *, max_depth: int) -> Filter:
    from schemakit.filters._filter import Filter

    root, reader = read_json(spec, max_depth=max_depth)
    if reader.issues:
        raise FilterError(reader.issues)
    return Filter.from_checked(root, Origin(None, reader.origins), reader.warnings)
