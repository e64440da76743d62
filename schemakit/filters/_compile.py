"""Compiling a canonical tree into one Python function.

Each condition becomes an inline expression: a fast path guarded by an exact
type check (``type(v) is str``) that covers the common case in one or two
bytecodes, falling back to the general predicate from ``_semantics`` for
everything else. Only generated identifiers and ``repr()`` literals of plain
``str``/``int``/``float``/``bool`` values appear in the source; every other
value reaches the code as an argument of the factory function, so no user
text is ever spliced into code raw.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

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
    operand_problem,
    thaw_value,
)
from schemakit.filters._semantics import (
    MISSING,
    FanOut,
    compile_regex,
    general_predicate,
    instant,
    regex_searcher,
    resolve,
    split_path,
    step,
    text_matcher,
)

Matcher = Callable[..., bool]
_NUM = frozenset({int, float})


class _Emitter:
    """Collects the factory's arguments (constants) and the expression source."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.values: list[Any] = []
        self.dynamic: list[tuple[Condition, tuple[Any, ...], bool]] = []
        self.count = 0

    def const(self, prefix: str, value: Any) -> str:
        if type(value) in (str, int, bool) or (type(value) is float and math.isfinite(value)):
            # repr() of these types is an exact Python literal, so the value becomes a constant
            # of the code object (no cell lookup) without any user text being spliced in raw
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
        """An expression for the resolved path; dicts are walked inline, anything else by ``step``."""
        segments = split_path(field)
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
            self.dynamic.append((c, split_path(c.value.field), fold))
            return f"dp[{index}]({get})"
        value = thaw_value(c.value)
        op = c.operator
        negate = op in ("ne", "nin")
        if negate:
            op = "eq" if op == "ne" else "in"
        slow = self.const("g", general_predicate(op, value, fold))
        expr = self.fast(op, value, fold, v, get, slow)
        return f"(not {expr})" if negate else expr

    def fast(self, op: str, value: Any, fold: bool, v: str, get: str, slow: str) -> str:
        """The guarded fast path; the guard is the walrus that binds ``v``."""
        is_str = f"type({get}) is str"
        is_num = f"type({get}) in NUM"
        plain_str = isinstance(value, str) and instant(value) is None
        if op == "eq":
            if value is None:
                return f"(True if {get} is None else {slow}({v}))"
            if isinstance(value, bool):
                return f"({v} is {self.const('x', value)} if type({get}) is bool else {slow}({v}))"
            if isinstance(value, (int, float)):
                return f"({v} == {self.const('x', value)} if {is_num} else {slow}({v}))"
            if plain_str:
                if fold:
                    return f"({v}.casefold() == {self.const('x', value.casefold())} if {is_str} else {slow}({v}))"
                return f"({v} == {self.const('x', value)} if {is_str} else {slow}({v}))"
            return f"{slow}({get})"
        if op == "in":
            strings = [x for x in value if isinstance(x, str)]
            numbers = [x for x in value if isinstance(x, (int, float)) and not isinstance(x, bool)]
            if any(instant(s) is not None for s in strings):
                return f"{slow}({get})"
            sset = self.const("s", frozenset(s.casefold() for s in strings) if fold else frozenset(strings))
            nset = self.const("n", frozenset(numbers))
            probe = f"{v}.casefold()" if fold else v
            return f"({probe} in {sset} if {is_str} else ({v} in {nset} if type({v}) in NUM else {slow}({v})))"
        if op in ("gt", "gte", "lt", "lte"):
            sym = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[op]
            x = self.const("x", value)
            if isinstance(value, bool):
                return f"({v} {sym} {x} if type({get}) is bool else {slow}({v}))"
            if isinstance(value, (int, float)):
                return f"({v} {sym} {x} if {is_num} else {slow}({v}))"
            if plain_str:
                return f"({v} {sym} {x} if {is_str} else {slow}({v}))"
            return f"{slow}({get})"
        if op in ("contains", "starts_with", "ends_with") and isinstance(value, str):
            needle = self.const("x", value.casefold() if fold else value)
            probe = f"{v}.casefold()" if fold else v
            if op == "contains":
                return f"({needle} in {probe} if {is_str} else {slow}({v}))"
            method = "startswith" if op == "starts_with" else "endswith"
            return f"({probe}.{method}({needle}) if {is_str} else {slow}({v}))"
        if op == "regex":
            program, _ = compile_regex(value, case_sensitive=not fold)
            search = self.const("f", regex_searcher(program))
            return f"({search}({v}) if {is_str} else {slow}({v}))"
        if op == "text":
            search = self.const("f", text_matcher(value))
            return f"({search}({v}) if {is_str} else {slow}({v}))"
        if op == "exists":
            return f"({get} is not M)" if value else f"({get} is M)"
        if op == "is_null" and value:
            return f"(True if {get} is None or {v} is M else {slow}({v}))"
        return f"{slow}({get})"


def compile_to_code(root: Node) -> str:
    """The generated source for a canonical tree (for debugging and ``--explain``)."""
    return _generate(root)[0]


def _generate(root: Node) -> tuple[str, _Emitter]:
    em = _Emitter()
    body = em.node(root, fold=True)
    params = ", ".join(["M", "NUM", "step", "coerce", "resolve_dynamic", *em.names])
    prologue = "    dp = resolve_dynamic(context)\n" if em.dynamic else ""
    source = (
        f"def factory({params}):\n"
        "  def match(record, context=None):\n"
        "    r = record if type(record) is dict else coerce(record)\n"
        f"{prologue}"
        "    try:\n"
        f"      return {body}\n"
        "    except Exception:\n"
        "      return False\n"
        "  return match\n"
    )
    return source, em


def compile_matcher(root: Node) -> Matcher:
    """Compile once; the returned ``match(record, context=None)`` never re-reads the filter."""
    paths = {id(c): p for c, p in iter_conditions(root)}
    source, em = _generate(root)
    resolver = _dynamic_resolver(em.dynamic, paths)
    namespace: dict[str, Any] = {}
    try:
        code = compile(source, "<schemakit filter>", "exec")
    except (SyntaxError, RecursionError, MemoryError):
        # CPython caps nested parentheses; a tree that deep gets closures instead
        return _closure_matcher(root, resolver)
    exec(code, namespace)
    match: Matcher = namespace["factory"](MISSING, _NUM, step, _coerce, resolver, *em.values)
    return match


def _closure_matcher(root: Node, resolver: Callable[[Any], tuple[Callable[[Any], bool], ...]]) -> Matcher:
    counter = iter(range(1 << 30))

    def build(node: Node, fold: bool) -> Callable[[dict[Any, Any], Any], bool]:
        if isinstance(node, Condition):
            segments = split_path(node.field)
            if isinstance(node.value, DynamicRef):
                index = next(counter)
                return lambda r, dp: bool(dp[index](resolve(r, segments)))
            op, negate = node.operator, node.operator in ("ne", "nin")
            pred = general_predicate(("eq" if op == "ne" else "in") if negate else op, thaw_value(node.value), fold)
            if negate:
                return lambda r, dp: not pred(resolve(r, segments))
            return lambda r, dp: pred(resolve(r, segments))
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
        dp = resolver(context)
        try:
            return tree(r, dp)
        except Exception:
            return False

    return match


def _coerce(record: Any) -> dict[Any, Any]:
    """A record that is not a plain dict: a dict subclass is used as is, other mappings copied, anything else empty."""
    if isinstance(record, dict):
        return record
    if isinstance(record, Mapping):
        try:
            return dict(record)
        except Exception:
            return {}
    return {}


_NO_DYNAMIC: tuple[Callable[[Any], bool], ...] = ()


def _dynamic_resolver(
    dynamic: list[tuple[Condition, tuple[Any, ...], bool]],
    paths: dict[int, tuple[str | int, ...]],
) -> Callable[[Any], tuple[Callable[[Any], bool], ...]]:
    """Resolves every DynamicRef of the filter from the context, before any record value is read.

    Resolving all of them up front makes an unresolved reference raise for
    every record alike, whatever short-circuiting would have skipped.
    """
    if not dynamic:
        return lambda context: _NO_DYNAMIC

    def resolve_dynamic(context: Any) -> tuple[Callable[[Any], bool], ...]:
        predicates = []
        for c, segments, fold in dynamic:
            assert isinstance(c.value, DynamicRef)
            where = (*paths.get(id(c), ()), "value")
            raw = resolve(_context_root(context), _context_segments(segments))
            if raw is MISSING:
                raise FilterError(
                    [
                        Issue(
                            "unresolved_dynamic_value",
                            where,
                            f"dynamic value {c.value.field!r} of field {c.field!r} is not in the context",
                            hint="pass context={...} holding that path to matches()",
                        )
                    ]
                )
            value = freeze_operand(raw.values if isinstance(raw, FanOut) else raw)
            problem = None if not isinstance(value, DynamicRef) else "it is itself a dynamic value"
            problem = problem or operand_problem(c.operator, value)
            if problem:
                raise FilterError(
                    [
                        Issue(
                            "unresolved_dynamic_value",
                            where,
                            f"dynamic value {c.value.field!r} resolved to an unusable value: {problem}",
                        )
                    ]
                )
            op, negate = c.operator, c.operator in ("ne", "nin")
            if negate:
                op = "eq" if op == "ne" else "in"
            pred = general_predicate(op, thaw_value(value), fold)
            predicates.append((lambda p: lambda v: not p(v))(pred) if negate else pred)
        return tuple(predicates)

    return resolve_dynamic


def _context_root(context: Any) -> Any:
    return context if isinstance(context, dict) else (dict(context) if isinstance(context, Mapping) else MISSING)


def _context_segments(segments: tuple[str, ...]) -> tuple[str, ...]:
    """``filters.AND[0].value`` and ``filters.AND.0.value`` name the same place."""
    out: list[str] = []
    for seg in segments:
        while "[" in seg and seg.endswith("]"):
            head, _, rest = seg.partition("[")
            if head:
                out.append(head)
            index, _, tail = rest.partition("]")
            out.append(index)
            seg = tail.lstrip(".") if tail else ""
            if not seg:
                break
        if seg:
            out.append(seg)
    return tuple(out)
