"""Compiling a canonical tree into one Python function.

Each condition becomes an inline expression: its operator's fast path from the
operator table, guarded by an exact type check (``type(v) is str``) that
covers the common case in one or two bytecodes, falling back to the general
predicate for everything else. Only generated identifiers and ``repr()``
literals of plain ``str``/``int``/``float``/``bool`` values appear in the
source; every other value reaches the code as an argument of the factory
function, so no user text is ever spliced into code raw.

Nothing here catches an exception around evaluation: the predicates handle the
foreign values they document (see :mod:`schemakit._contract.semantics`), so an
exception out of a matcher is a bug to see, not a "no match".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from schemakit._contract import operators, paths
from schemakit._contract.sentinels import ABSENT
from schemakit._issues import FilterError, Issue
from schemakit.filters._ast import (
    And,
    Condition,
    DynamicRef,
    Node,
    Not,
    Or,
    freeze_operand,
    iter_conditions,
    thaw_value,
)
from schemakit.filters._operand import operand_problem
from schemakit.filters._origin import Origin, place

Matcher = Callable[..., bool]
_NUM = frozenset({int, float})
_LITERAL_INT_BITS = 64
# Past these sizes the generated source costs more to compile than it saves (CPython's compiler
# grows faster than linearly in the length of one expression), so the filter reads paths with
# ``read`` and evaluates through closures, both linear.
_INLINE_SEGMENTS = 16
_MAX_COMPILED_CONDITIONS = 1000


class _Emitter:
    """Collects the factory's arguments (constants) and the expression source."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.values: list[Any] = []
        self.dynamic: list[tuple[Condition, tuple[str, ...], bool]] = []
        self.count = 0

    def const(self, prefix: str, value: Any) -> str:
        if (
            type(value) in (str, bool)
            or (type(value) is int and value.bit_length() <= _LITERAL_INT_BITS)
            or (type(value) is float and math.isfinite(value))
        ):
            # repr() of these types is an exact Python literal, so the value becomes a constant
            # of the code object (no cell lookup) without any user text being spliced in raw;
            # a long integer is bound by name, as repr() may refuse it (the int -> str digit limit)
            return repr(value)
        name = f"{prefix}{len(self.names)}"
        self.names.append(name)
        self.values.append(value)
        return name

    def node(self, node: Node, fold: bool) -> str:
        if isinstance(node, Condition):
            return self.condition(node, fold)
        if node.case_sensitive is not None:
            fold = not node.case_sensitive
        parts = [self.node(item, fold) for item in node.items]
        if isinstance(node, And):
            return "(" + " and ".join(parts) + ")" if parts else "True"
        if isinstance(node, Or):
            return "(" + " or ".join(parts) + ")" if parts else "True"
        assert isinstance(node, Not)
        if len(parts) == 1:
            return f"(not {parts[0]})"
        return "(not (" + " or ".join(parts) + "))" if parts else "True"

    def access(self, field: str) -> str:
        """An expression for the read path; dicts are walked inline, anything else by ``step``.

        A long path is read by ``read`` instead: each inline step nests the one
        before, which makes the source quadratic and the compiler's stack deep.
        """
        segments = paths.parse(field)
        if len(segments) > _INLINE_SEGMENTS:
            return f"read(r, {self.const('p', segments)})"
        expr = f"r.get({self.const('k', segments[0])}, M)"
        for seg in segments[1:]:
            key = self.const("k", seg)
            expr = f"(t.get({key}, M) if type(t := {expr}) is dict else step(t, {key}))"
        return expr

    def condition(self, c: Condition, fold: bool) -> str:
        self.count += 1
        v = f"v{self.count}"
        get = f"({v} := {self.access(c.field)})"
        if isinstance(c.value, DynamicRef):
            index = len(self.dynamic)
            self.dynamic.append((c, paths.parse(c.value.field), fold))
            return f"dp[{index}]({get})"
        return operators.compiled_condition(self, c.operator, thaw_value(c.value), fold, v, get)


def compile_to_code(root: Node) -> str:
    """The generated source for a canonical tree (for debugging and ``--explain``)."""
    return _generate(root)[0]


def _generate(root: Node) -> tuple[str, _Emitter]:
    em = _Emitter()
    body = em.node(root, fold=True)
    params = ", ".join(["M", "NUM", "step", "read", "coerce", "resolve_dynamic", *em.names])
    prologue = "    dp = resolve_dynamic(context)\n" if em.dynamic else ""
    source = (
        f"def factory({params}):\n"
        "  def match(record, context=None):\n"
        "    r = record if type(record) is dict else coerce(record)\n"
        f"{prologue}"
        f"    return {body}\n"
        "  return match\n"
    )
    return source, em


def compile_matcher(root: Node, origin: Origin | None = None) -> Matcher:
    """Compile once; the returned ``match(record, context=None)`` never re-reads the filter.

    ``origin`` locates an unresolved dynamic value where the filter was written.
    """
    source, em = _generate(root)
    resolver = _dynamic_resolver(em.dynamic, root, origin)
    if em.count > _MAX_COMPILED_CONDITIONS:
        return _closure_matcher(root, resolver)
    namespace: dict[str, Any] = {}
    try:
        code = compile(source, "<schemakit filter>", "exec")
    except (SyntaxError, RecursionError, MemoryError):
        # CPython caps nested parentheses; a tree that deep gets closures instead
        return _closure_matcher(root, resolver)
    exec(code, namespace)
    match: Matcher = namespace["factory"](ABSENT, _NUM, paths.step, paths.read, _coerce, resolver, *em.values)
    return match


def _closure_matcher(root: Node, resolver: Callable[[Any], tuple[Callable[[Any], bool], ...]]) -> Matcher:
    counter = iter(range(1 << 30))

    def build(node: Node, fold: bool) -> Callable[[dict[Any, Any], Any], bool]:
        if isinstance(node, Condition):
            segments = paths.parse(node.field)
            if isinstance(node.value, DynamicRef):
                index = next(counter)
                return lambda r, dp: bool(dp[index](paths.read(r, segments)))
            pred = operators.predicate(node.operator, thaw_value(node.value), fold)
            return lambda r, dp: pred(paths.read(r, segments))
        if node.case_sensitive is not None:
            fold = not node.case_sensitive
        parts = [build(item, fold) for item in node.items]
        if isinstance(node, And):
            return lambda r, dp: all(p(r, dp) for p in parts)
        if isinstance(node, Or):
            return lambda r, dp: not parts or any(p(r, dp) for p in parts)
        return lambda r, dp: not any(p(r, dp) for p in parts)

    tree = build(root, True)

    def match(record: Any, context: Any = None) -> bool:
        r = record if type(record) is dict else _coerce(record)
        return tree(r, resolver(context))

    return match


def _coerce(record: Any) -> dict[Any, Any]:
    """A record that is not a plain dict: a dict subclass is used as is, other mappings copied, anything else empty.

    A mapping whose own methods raise while it is copied raises here: that is
    its failure, and hiding it would read as "no match".
    """
    if isinstance(record, dict):
        return record
    if isinstance(record, Mapping):
        return dict(record)
    return {}


_NO_DYNAMIC: tuple[Callable[[Any], bool], ...] = ()


def _dynamic_resolver(
    dynamic: list[tuple[Condition, tuple[str, ...], bool]], root: Node, origin: Origin | None
) -> Callable[[Any], tuple[Callable[[Any], bool], ...]]:
    """Resolves every DynamicRef of the filter from the context, before any record value is read.

    Resolving all of them up front makes an unresolved reference raise for
    every record alike, whatever short-circuiting would have skipped.
    """
    if not dynamic:
        return lambda context: _NO_DYNAMIC
    canonical = {id(c): p for c, p in iter_conditions(root)}

    def unresolved(c: Condition, message: str, hint: str | None = None) -> FilterError:
        where = place(origin, c, canonical.get(id(c), ()), "value")
        issue = Issue("unresolved_dynamic_value", where.path, message + where.suffix, hint=hint)
        return FilterError([issue], line=where.line, column=where.column)

    def resolve_dynamic(context: Any) -> tuple[Callable[[Any], bool], ...]:
        predicates = []
        root_value = dict(context) if isinstance(context, Mapping) and not isinstance(context, dict) else context
        for c, segments, fold in dynamic:
            assert isinstance(c.value, DynamicRef)
            raw = paths.read(root_value, segments)
            if raw is ABSENT:
                raise unresolved(
                    c,
                    f"dynamic value {c.value.field!r} of field {c.field!r} is not in the context",
                    hint="pass context={...} holding that path to matches()",
                )
            value = freeze_operand(raw.values if isinstance(raw, paths.FanOut) else raw)
            problem = None if not isinstance(value, DynamicRef) else "it is itself a dynamic value"
            problem = problem or operand_problem(c.operator, value)
            if problem:
                raise unresolved(c, f"dynamic value {c.value.field!r} resolved to an unusable value: {problem}")
            predicates.append(operators.predicate(c.operator, thaw_value(value), fold))
        return tuple(predicates)

    return resolve_dynamic
