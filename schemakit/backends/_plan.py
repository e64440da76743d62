"""The plan every target returns, and the one tree walk that builds it from a target's operator table.

A target (a SQL dialect, Qdrant, MongoDB, Polars) is a :class:`Target`: how
it spells true, AND, OR and NOT, and a table with one row per operator. A
row turns one condition (an :class:`Atom`, its dynamic value already
resolved) into a :class:`Pushed` engine expression, exact or a superset of
the records the condition holds for, or refuses it with the reason. The walk
(:func:`build`) keeps the one guarantee: the engine's answer, re-checked by
the residual, is exactly what ``Filter.matches`` accepts.

* AND keeps every pushed part and collects the parts' residuals;
* OR of exact parts is exact; otherwise the engine keeps the OR of the
  supersets and the whole OR moves to the residual;
* NOT (and ``ne``/``nin``, the negations of ``eq``/``in``) of exact parts is
  exact; otherwise the engine keeps everything for it (a negated superset is
  a subset) and the whole negated part moves to the residual.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from schemakit._contract import paths
from schemakit._contract.operators import FILTER_OPERATORS, positive
from schemakit._contract.results import ResultShape
from schemakit._contract.sentinels import ABSENT
from schemakit._issues import Issue, Path
from schemakit.filters import And, Condition, DynamicRef, Filter, Node, Not, Or, parse_filter
from schemakit.filters._ast import GROUP_KEY, freeze_operand, thaw_value

E = TypeVar("E")

CODE_SUPERSET = "pushdown_superset"
CODE_RESIDUAL = "pushdown_residual"
CODE_NEGATED = "pushdown_negated_residual"
CODE_OR = "pushdown_or_residual"
PLAN_CODES: tuple[str, ...] = (CODE_SUPERSET, CODE_RESIDUAL, CODE_NEGATED, CODE_OR)
"""The codes of a plan's issues (all warnings: a plan is always usable)."""


@dataclass(frozen=True, slots=True)
class Atom:
    """One condition as a row sees it: the positive operator, the plain JSON operand, the case mode."""

    field: str
    segments: tuple[str, ...]
    operator: str
    value: Any
    fold: bool


@dataclass(frozen=True, slots=True)
class Pushed(Generic[E]):
    """An engine expression for a condition: exact, or a superset the residual re-checks (``why`` says why)."""

    expr: E
    exact: bool = True
    why: str = ""


@dataclass(frozen=True, slots=True)
class Refused:
    """A condition the engine cannot express at all: it goes to the residual whole."""

    why: str


Row = Callable[[Any, Atom], "Pushed[Any] | Refused"]
"""``(target, atom) -> Pushed | Refused``: one operator of one target."""


class Target(Protocol[E]):
    """What the walk needs from a target."""

    @property
    def name(self) -> str: ...

    @property
    def table(self) -> Mapping[str, Row]: ...

    def true(self) -> E: ...

    def all_of(self, parts: list[E]) -> E: ...

    def any_of(self, parts: list[E]) -> E: ...

    def none_of(self, parts: list[E]) -> E: ...

    def path_problem(self, segments: tuple[str, ...]) -> str | None:
        """Why the target's path syntax cannot spell ``segments``, or None."""
        ...


def any_equal(target: Target[E], options: Any, equal: Callable[[Any], E | str]) -> Pushed[E] | Refused:
    """``in`` as the OR of one equality per option, for a target whose equality row answers exactly or refuses."""
    parts: list[E] = []
    for option in options:
        got = equal(option)
        if isinstance(got, str):
            return Refused(got)
        parts.append(got)
    return Pushed(target.any_of(parts))


@dataclass(frozen=True)
class Part:
    """One line of :meth:`Plan.explain`: a condition or group, and what became of it."""

    path: Path
    text: str
    verdict: str
    """``exact``, ``superset + residual``, ``residual`` or ``residual (whole group)``."""
    why: str = ""


@dataclass(frozen=True)
class Plan(ResultShape):
    """A filter translated for one target: the engine part, the residual and what could not be pushed exactly."""

    target: str
    residual: Filter | None
    issues: list[Issue] = field(default_factory=list)
    parts: tuple[Part, ...] = ()
    where: str | None = None
    params: tuple[Any, ...] = ()
    filter: Any = None
    query: dict[str, Any] | None = None
    expr: Any = None

    @property
    def ok(self) -> bool:
        # a plan is always usable: what the engine cannot do exactly, the residual does
        return True

    @property
    def exact(self) -> bool:
        """True when the engine's answer alone is exact (no residual)."""
        return self.residual is None

    def keep(self, record: Any) -> bool:
        """Whether a record the engine returned is kept (the residual holds, or there is none)."""
        return self.residual is None or self.residual.matches(record)

    def engine(self) -> Any:
        """The target's engine part: the SQL, the Qdrant filter, the Mongo query or the Polars expression."""
        for value in (self.where, self.filter, self.query, self.expr):
            if value is not None:
                return value
        return None

    def explain(self) -> str:
        """A readable account of the plan, part by part."""
        lines = [f"target: {self.target}", f"exact: {'yes' if self.exact else 'no'}"]
        if self.where is not None:
            lines.append(f"where: {self.where}")
            lines.append(f"params: {list(self.params)!r}")
        elif self.query is not None:
            import json

            lines.append(f"query: {json.dumps(self.query, default=str)}")
        elif self.filter is not None:
            lines.append(f"filter: {_qdrant_json(self.filter)}")
        elif self.expr is not None:
            lines.append(f"expr: {self.expr}")
        lines.append("parts:")
        if not self.parts:
            lines.append("  (no condition: every record)")
        for p in self.parts:
            where = "/" + "/".join(str(s) for s in p.path)
            line = f"  {where}: {p.text} -> {p.verdict}"
            lines.append(line + (f" ({p.why})" if p.why else ""))
        lines.append(f"residual: {self.residual.to_text() if self.residual is not None else '(none)'}")
        return "\n".join(lines)

    def _payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {"target": self.target, "exact": self.exact}
        if self.where is not None:
            out["where"] = self.where
            out["params"] = [_json_param(p) for p in self.params]
        if self.query is not None:
            out["query"] = self.query
        if self.filter is not None:
            import json

            out["filter"] = json.loads(_qdrant_json(self.filter))
        if self.expr is not None:
            out["expr"] = str(self.expr)
        out["residual"] = self.residual.to_dict() if self.residual is not None else None
        return out


def _json_param(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def _qdrant_json(flt: Any) -> str:
    dump = getattr(flt, "model_dump_json", None)
    return str(dump(exclude_none=True)) if dump is not None else str(flt)


# -- the walk -------------------------------------------------------------------------------------------


@dataclass
class _Walk(Generic[E]):
    target: Target[E]
    context: Any
    issues: list[Issue] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)


@dataclass(frozen=True)
class _Out(Generic[E]):
    expr: E | None
    """None stands for "every record" (nothing pushed)."""
    exact: bool
    residual: tuple[Node, ...]


def resolved(node: Node, context: Any) -> Node:
    """``node`` with every dynamic value replaced by what the context holds (already known to resolve)."""
    if isinstance(node, Condition):
        if isinstance(node.value, DynamicRef):
            raw = paths.read(
                context if isinstance(context, dict) else dict(context or {}), paths.parse(node.value.field)
            )
            assert raw is not ABSENT  # the filter's own matcher resolved it first
            value = raw.values if isinstance(raw, paths.FanOut) else raw
            return Condition(node.field, node.operator, freeze_operand(value))
        return node
    return type(node)(tuple(resolved(i, context) for i in node.items), node.case_sensitive)


def _pinned(node: Node, fold: bool) -> Node:
    """A residual item that keeps its case mode wherever it lands (the residual's root folds case, as any root)."""
    return node if fold else And((node,), case_sensitive=True)


def build(target: Target[E], f: Any, context: Any = None) -> tuple[E, Filter | None, list[Issue], tuple[Part, ...]]:
    """Walk ``f`` with ``target``'s table: the engine expression, the residual, its issues and the parts."""
    flt = parse_filter(f)
    # the filter's own matcher raises the very FilterError matches() would for an unresolved dynamic value
    flt.matches({}, context)
    walk: _Walk[E] = _Walk(target, context)
    out = _node(walk, flt.root, True, ())
    expr = out.expr if out.expr is not None else target.true()
    residual = Filter(And(out.residual)) if out.residual else None
    return expr, residual, walk.issues, tuple(walk.parts)


def _node(w: _Walk[E], node: Node, fold: bool, path: Path) -> _Out[E]:
    if isinstance(node, Condition):
        return _condition(w, node, fold, path)
    if node.case_sensitive is not None:
        fold = not node.case_sensitive
    key = GROUP_KEY[type(node)]
    outs = [_node(w, item, fold, (*path, key, i)) for i, item in enumerate(node.items)]
    if isinstance(node, And):
        pushed = [o.expr for o in outs if o.expr is not None]
        expr = w.target.all_of(pushed) if pushed else None
        return _Out(expr, all(o.exact for o in outs), tuple(r for o in outs for r in o.residual))
    if all(o.exact for o in outs):
        exprs = [o.expr if o.expr is not None else w.target.true() for o in outs]
        return _Out(w.target.any_of(exprs) if isinstance(node, Or) else w.target.none_of(exprs), True, ())
    whole = (_pinned(resolved(node, w.context), fold),)
    if isinstance(node, Or):
        w.issues.append(
            Issue(
                CODE_OR,
                path,
                "part of this OR is not exact in the engine: the engine keeps a superset and "
                "the whole OR is re-checked in Python",
                severity="warning",
            )
        )
        w.parts.append(Part(path, "OR", "superset + residual (whole group)"))
        if any(o.expr is None for o in outs):
            return _Out(None, False, whole)
        return _Out(w.target.any_of([o.expr for o in outs if o.expr is not None]), False, whole)
    w.issues.append(
        Issue(
            CODE_NEGATED,
            path,
            "part of this NOT is not exact in the engine, and the negation of a superset "
            "is a subset: the whole NOT is checked in Python",
            severity="warning",
        )
    )
    w.parts.append(Part(path, "NOT", "residual (whole group)"))
    return _Out(None, False, whole)


def _condition(w: _Walk[E], c: Condition, fold: bool, path: Path) -> _Out[E]:
    c = resolved(c, w.context)  # type: ignore[assignment]
    assert isinstance(c, Condition)
    entry, negate = positive(c.operator)
    segments = paths.parse(c.field)
    text = Filter(And((c,))).to_text() + ("" if fold else " (case-sensitive)")
    problem = w.target.path_problem(segments)
    result: Pushed[E] | Refused
    if problem is not None:
        result = Refused(problem)
    else:
        row = w.target.table[entry.name]
        result = row(w.target, Atom(c.field, segments, entry.name, thaw_value(c.value), fold))
    residual = (_pinned(c, fold),)
    if isinstance(result, Refused):
        w.issues.append(Issue(CODE_RESIDUAL, path, f"{text}: {result.why}; checked in Python", severity="warning"))
        w.parts.append(Part(path, text, "residual", result.why))
        return _Out(None, False, residual)
    if result.exact:
        w.parts.append(Part(path, text, "exact"))
        expr = w.target.none_of([result.expr]) if negate else result.expr
        return _Out(expr, True, ())
    if negate:
        why = f"{result.why}; the negation ({FILTER_OPERATORS[c.operator].name}) of a superset is a subset"
        w.issues.append(Issue(CODE_NEGATED, path, f"{text}: {why}; checked in Python", severity="warning"))
        w.parts.append(Part(path, text, "residual", why))
        return _Out(None, False, residual)
    w.issues.append(
        Issue(
            CODE_SUPERSET,
            path,
            f"{text}: {result.why}; the engine keeps a superset, re-checked in Python",
            severity="warning",
        )
    )
    w.parts.append(Part(path, text, "superset + residual", result.why))
    return _Out(result.expr, False, residual)


__all__ = ["Atom", "Not", "Or", "Part", "Plan", "Pushed", "Refused", "Row", "Target", "build"]
