"""The one immutable filter AST both front ends build, its canonical forms and its renderings.

Nodes are plain frozen dataclasses so that tests and strategies can build them
directly; :class:`~schemakit.filters.Filter` canonicalizes whatever tree it is
given (see :func:`canonical`), which is what makes
``parse_filter(f.to_dict()) == f`` and ``parse_filter(f.to_text()) == f`` exact.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, TypeAlias

from schemakit._issues import Path, describe
from schemakit.filters._semantics import compile_regex, text_query

OPERATORS = (
    "eq",
    "ne",
    "gt",
    "lt",
    "gte",
    "lte",
    "in",
    "nin",
    "contains",
    "starts_with",
    "ends_with",
    "regex",
    "exists",
    "is_null",
    "text",
)
ORDERING_OPERATORS = frozenset({"gt", "gte", "lt", "lte"})
STRING_OPERATORS = frozenset({"starts_with", "ends_with", "regex", "text"})
LIST_OPERATORS = frozenset({"in", "nin"})
FLAG_OPERATORS = frozenset({"exists", "is_null"})

# Literal values nest at most this deep ([[[...]]]): deeper ones are rejected so
# that hashing, rendering and comparing a value can never exhaust the stack.
MAX_VALUE_DEPTH = 32
# However max_depth is set, and although NOT chains add no depth in the text form, no tree
# nests deeper than this: compiling and evaluating it must never exhaust the stack.
MAX_NESTING = 100

TEXT_OPERATOR = {
    "eq": "=",
    "ne": "!=",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
    "in": "IN",
    "nin": "NOT IN",
    "contains": "CONTAINS",
    "starts_with": "STARTS WITH",
    "ends_with": "ENDS WITH",
    "regex": "MATCHES",
    "text": "SEARCH",
}

KEYWORDS = frozenset(
    {
        "and",
        "or",
        "not",
        "in",
        "contains",
        "starts",
        "ends",
        "with",
        "matches",
        "exists",
        "is",
        "null",
        "search",
        "true",
        "false",
        "case",
        "sensitive",
        "insensitive",
    }
)
_PLAIN_NAME = re.compile(r"[^\W\d]\w*(?:\.\w+)*\Z")


@dataclass(frozen=True)
class DynamicRef:
    """A value resolved at evaluation time from the context: ``{"type": "dynamic", "field": "inputs.user_id"}``."""

    field: str


@dataclass(frozen=True, eq=False)
class Condition:
    """``field operator value``; ``value`` is frozen (lists become tuples, dates ISO strings).

    Equality is type-strict (``True`` is not ``1``, ``1`` is not ``1.0``) so that
    two conditions are equal exactly when they render the same.
    """

    field: str
    operator: str
    value: Any

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", freeze_operand(self.value))

    def _key(self) -> tuple[Any, ...]:
        return (self.field, self.operator, value_key(self.value))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Condition):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


@dataclass(frozen=True)
class _Group:
    items: tuple[Node, ...] = ()
    case_sensitive: bool | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.items, tuple):
            object.__setattr__(self, "items", tuple(self.items))


@dataclass(frozen=True)
class And(_Group):
    """Every item holds (an empty And is no constraint)."""


@dataclass(frozen=True)
class Or(_Group):
    """At least one item holds."""


@dataclass(frozen=True)
class Not(_Group):
    """No item holds: ``Not((a, b))`` is "neither a nor b"."""


Group: TypeAlias = And | Or | Not
Node: TypeAlias = And | Or | Not | Condition
GROUP_TYPES = (And, Or, Not)
GROUP_KEY = {And: "AND", Or: "OR", Not: "NOT"}


# -- values -------------------------------------------------------------------


def freeze_operand(value: Any) -> Any:
    """A condition's value in canonical form; a well-formed DynamicValue dict becomes a DynamicRef."""
    if isinstance(value, Mapping) and value.get("type") == "dynamic":
        ref = value.get("field")
        if isinstance(ref, str) and set(value) <= {"type", "field"}:
            return DynamicRef(ref)
    return freeze_value(value)


def freeze_value(value: Any, depth: int = 0) -> Any:
    """Lists and tuples become tuples, mappings read-only, dates ISO strings; the rest is kept."""
    if depth > MAX_VALUE_DEPTH:
        return value
    if isinstance(value, (list, tuple)):
        return tuple(freeze_value(v, depth + 1) for v in value)
    if isinstance(value, Mapping):
        return MappingProxyType({k: freeze_value(v, depth + 1) for k, v in value.items()})
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def thaw_value(value: Any) -> Any:
    """The JSON form of a frozen value: tuples become lists, read-only mappings dicts."""
    if isinstance(value, tuple):
        return [thaw_value(v) for v in value]
    if isinstance(value, Mapping):
        return {k: thaw_value(v) for k, v in value.items()}
    if isinstance(value, DynamicRef):
        return {"type": "dynamic", "field": value.field}
    return value


def value_key(value: Any) -> Any:
    """A hashable, type-tagged key: equal keys mean the same JSON value, spelled the same."""
    if value is None:
        return ("null",)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, float):
        return ("float", float(value))
    if isinstance(value, str):
        return ("str", str(value))
    if isinstance(value, (tuple, list)):
        return ("list", tuple(value_key(v) for v in value))
    if isinstance(value, Mapping):
        return ("object", tuple(sorted(((repr(k), value_key(v)) for k, v in value.items()), key=lambda kv: kv[0])))
    if isinstance(value, DynamicRef):
        return ("dynamic", value.field)
    return ("other", type(value).__name__, repr(value))


def value_depth(value: Any) -> int:
    """How deeply lists and objects nest in a value (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, (list, tuple)):
            children: Any = node
        elif isinstance(node, Mapping):
            children = node.values()
        else:
            continue
        deepest = max(deepest, level + 1)
        if level + 1 > MAX_VALUE_DEPTH:
            break
        stack.extend((c, level + 1) for c in children)
    return deepest


def json_value_problem(value: Any) -> str | None:
    """Why a (frozen) value is not a JSON value a filter can hold, or None."""
    if value_depth(value) > MAX_VALUE_DEPTH:
        return f"the value nests lists or objects deeper than {MAX_VALUE_DEPTH} levels"
    stack = [value]
    while stack:
        v = stack.pop()
        if v is None or isinstance(v, (bool, int, str)):
            continue
        if isinstance(v, float):
            if not math.isfinite(v):
                return f"{v!r} is not a JSON number"
            continue
        if isinstance(v, (tuple, list)):
            stack.extend(v)
        elif isinstance(v, Mapping):
            for k, item in v.items():
                if not isinstance(k, str):
                    return f"object keys must be strings, found {describe(k)}"
                stack.append(item)
        else:
            return f"{type(v).__name__} is not a JSON value"
    return None


def path_problem(field: Any) -> str | None:
    """Why ``field`` is not a dotted path, or None."""
    if not isinstance(field, str):
        return f"a field must be a string, found {describe(field)}"
    if field == "":
        return "a field must not be empty"
    if "" in field.split("."):
        return f"field {field!r} has an empty path segment"
    return None


def operand_problem(operator: str, value: Any) -> str | None:
    """Why ``value`` cannot be the value of ``operator`` (checked at parse time), or None."""
    if isinstance(value, DynamicRef):
        if operator in FLAG_OPERATORS:
            return f"'{operator}' takes true or false, not a dynamic value"
        return path_problem(value.field)
    problem = json_value_problem(value)
    if problem:
        return problem
    if operator in ORDERING_OPERATORS:
        if value is None or not isinstance(value, (bool, int, float, str)):
            return f"'{operator}' compares with a number, string, boolean or date, not {describe(value)}"
    elif operator in LIST_OPERATORS:
        if not isinstance(value, (tuple, list)):
            return f"'{operator}' takes a list of values, found {describe(value)}"
    elif operator in FLAG_OPERATORS:
        if not isinstance(value, bool):
            return f"'{operator}' takes true or false, found {describe(value)}"
    elif operator in STRING_OPERATORS:
        if not isinstance(value, str):
            return f"'{operator}' takes a string, found {describe(value)}"
        if operator == "regex":
            error = compile_regex(value, case_sensitive=True)[1]
            if error is not None:
                return f"RE2 rejects the pattern {value!r}: {error}"
        if operator == "text" and text_query(value) == (frozenset(), ()):
            return "a text search needs at least one word (a run of letters or digits)"
    return None


# -- canonical form -----------------------------------------------------------


def canonical(node: Node) -> Node:
    """The canonical tree: every shape one form renders is the shape the other parses back.

    * An And or Or holding a single group is that group (which inherits the
      outer ``case_sensitive`` unless it sets its own).
    * An Or holding a single condition is an And of it.
    * An empty Or or Not is an empty And: each is no constraint.
    * A Not holding a single Or is a Not of the Or's items (``NOT (a OR b)``).
    * A nested And of a single condition, with no case_sensitive of its own,
      is that condition (``{"OR": [{"a": 1}, {"b": 2}]}`` is ``a = 1 OR b = 2``).
    """
    if isinstance(node, Condition):
        return node
    items = tuple(_unwrap(canonical(i)) for i in node.items)
    cs = node.case_sensitive
    if isinstance(node, (And, Or)) and len(items) == 1 and isinstance(items[0], GROUP_TYPES):
        inner = items[0]
        return inner if inner.case_sensitive is not None or cs is None else replace(inner, case_sensitive=cs)
    if isinstance(node, Or) and len(items) == 1:
        return And(items, cs)
    if isinstance(node, (Or, Not)) and not items:
        return And((), cs)
    if isinstance(node, Not) and len(items) == 1 and isinstance(items[0], Or):
        inner = items[0]
        return Not(inner.items, cs if inner.case_sensitive is None else inner.case_sensitive)
    if items == node.items:
        return node
    return type(node)(items, cs)


def _unwrap(node: Node) -> Node:
    if isinstance(node, And) and node.case_sensitive is None and len(node.items) == 1:
        (item,) = node.items
        if isinstance(item, Condition):
            return item
    return node


def iter_conditions(node: Node, path: Path = ()) -> Iterator[tuple[Condition, Path]]:
    """Every condition with its path in the canonical JSON form (``("AND", 1)``)."""
    stack: list[tuple[Node, Path]] = [(node, path)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, Condition):
            yield current, where
            continue
        key = GROUP_KEY[type(current)]
        stack.extend(reversed([(item, (*where, key, i)) for i, item in enumerate(current.items)]))


# -- JSON form ----------------------------------------------------------------


def node_to_dict(node: Node) -> dict[str, Any]:
    if isinstance(node, Condition):
        return {"field": node.field, "operator": node.operator, "value": thaw_value(node.value)}
    out: dict[str, Any] = {}
    if node.items or not isinstance(node, And):
        out[GROUP_KEY[type(node)]] = [node_to_dict(i) for i in node.items]
    if node.case_sensitive is not None:
        out["case_sensitive"] = node.case_sensitive
    return out


# -- text form ----------------------------------------------------------------


def render_field(field: str) -> str:
    if _PLAIN_NAME.match(field) and field.casefold() not in KEYWORDS:
        return field
    return "`" + field.replace("`", "``") + "`"


_STRING_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')


def render_string(text: str) -> str:
    """A double-quoted literal: quote, backslash and \\n \\r \\t escaped, other controls as \\uXXXX."""
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _STRING_ESCAPES.get(m[0], f"\\u{ord(m[0]):04x}"), text) + '"'


def render_value(value: Any) -> str:
    if isinstance(value, DynamicRef):
        return "$" + render_field(value.field)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(float(value))
    if isinstance(value, str):
        return render_string(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(render_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{render_string(k)}: {render_value(v)}" for k, v in value.items()) + "}"
    return repr(value)


def render_condition(c: Condition) -> str:
    field = render_field(c.field)
    if c.operator == "exists":
        return f"{field} EXISTS" if c.value else f"{field} NOT EXISTS"
    if c.operator == "is_null":
        return f"{field} IS NULL" if c.value else f"{field} IS NOT NULL"
    return f"{field} {TEXT_OPERATOR.get(c.operator, c.operator)} {render_value(c.value)}"


def _case_prefix(cs: bool | None) -> str:
    return "" if cs is None else ("CASE SENSITIVE " if cs else "CASE INSENSITIVE ")


def _render_contents(node: Group) -> str:
    """The inside of a group, as it reads at the top level or between parentheses."""
    if isinstance(node, Not):
        if len(node.items) == 1:
            return "NOT " + _render_operand(node.items[0])
        return "NOT (" + " OR ".join(_render_term(i) for i in node.items) + ")"
    joiner = " AND " if isinstance(node, And) else " OR "
    return joiner.join(_render_term(i) for i in node.items)


def _render_term(node: Node) -> str:
    """An item of an AND/OR chain: conditions and NOTs bare, other groups parenthesized."""
    if isinstance(node, Not) and node.case_sensitive is None:
        return _render_contents(node)
    return _render_operand(node)


def _render_operand(node: Node) -> str:
    """What follows NOT, or a chain item that needs parentheses."""
    if isinstance(node, Condition):
        return render_condition(node)
    if isinstance(node, Not) and node.case_sensitive is None:
        return _render_contents(node)
    return f"{_case_prefix(node.case_sensitive)}({_render_contents(node)})"


def node_to_text(root: Group) -> str:
    if root.case_sensitive is None:
        return _render_contents(root)
    return _render_operand(root)


def node_tree(root: Node) -> str:
    """An indented outline of the tree, one node a line (``--explain``)."""
    lines: list[str] = []
    stack: list[tuple[Node, int]] = [(root, 0)]
    while stack:
        node, level = stack.pop()
        pad = "  " * level
        if isinstance(node, Condition):
            lines.append(f"{pad}{node.field} {node.operator} {render_value(node.value)}")
            continue
        label = GROUP_KEY[type(node)]
        if node.case_sensitive is not None:
            label += f" (case_sensitive={'true' if node.case_sensitive else 'false'})"
        if not node.items:
            label += " (empty: no constraint)"
        lines.append(pad + label)
        stack.extend((item, level + 1) for item in reversed(node.items))
    return "\n".join(lines)
