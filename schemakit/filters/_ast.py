"""The one immutable filter AST both front ends build, its frozen values and its canonical form.

Data only: nodes, values and the canonical tree, with nothing of evaluation
(the operator table, the semantics, RE2) and nothing of the text grammar.
Nodes are plain frozen dataclasses so that tests and strategies can build them
directly; :class:`~schemakit.filters.Filter` canonicalizes whatever tree it is
given (see :func:`canonical`), which is what makes
``parse_filter(f.to_dict()) == f`` and ``parse_filter(f.to_text()) == f`` exact.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, TypeAlias

from schemakit._issues import Path, describe

# Literal values nest at most this deep ([[[...]]]): deeper ones are rejected so
# that hashing, rendering and comparing a value can never exhaust the stack.
MAX_VALUE_DEPTH = 32
# However max_depth is set, and although NOT chains add no depth in the text form, no tree
# nests deeper than this: compiling and evaluating it must never exhaust the stack.
MAX_NESTING = 100
# An integer literal has at most this many digits: Python's default limit on int <-> str conversion,
# so that every value a filter holds renders in the text form and parses back (docs/filters.md).
MAX_INT_DIGITS = 4300
_INT_BOUND = 10**MAX_INT_DIGITS


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

# Exact JSON scalar classes are their own frozen form: the common case skips the ABC checks below.
PLAIN_SCALARS = frozenset({str, int, float, bool, type(None)})


def is_dynamic_shape(value: Any) -> bool:
    """Whether ``value`` is a mapping whose ``type`` is the string ``"dynamic"`` (compared as a plain str)."""
    if not isinstance(value, Mapping):
        return False
    kind = value.get("type")
    return isinstance(kind, str) and str.__eq__(kind, "dynamic") is True


def freeze_operand(value: Any) -> Any:
    """A condition's value in canonical form; a DynamicValue (``type`` dynamic, a string ``field``) a DynamicRef."""
    if value.__class__ in PLAIN_SCALARS:
        return value
    if is_dynamic_shape(value):
        ref = value.get("field")
        # the contract's DynamicValue admits other keys: they do not make it a literal (the JSON reader warns)
        if isinstance(ref, str):
            return DynamicRef(ref)
    return freeze_value(value)


def freeze_value(value: Any, depth: int = 0) -> Any:
    """Lists and tuples become tuples, mappings read-only, dates ISO strings; the rest is kept."""
    if depth > MAX_VALUE_DEPTH or value.__class__ in PLAIN_SCALARS:
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
    cls = value.__class__
    if cls is str or cls is bool or value is None or (cls is int and -_INT_BOUND < value < _INT_BOUND):
        return None
    if value_depth(value) > MAX_VALUE_DEPTH:
        return f"the value nests lists or objects deeper than {MAX_VALUE_DEPTH} levels"
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, int) and not isinstance(v, bool) and not -_INT_BOUND < v < _INT_BOUND:
            return f"{describe(v)}; at most {MAX_INT_DIGITS} digits"
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
