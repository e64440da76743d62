"""``Filter``: a canonical tree plus its lazily compiled matcher, and ``parse_filter``."""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from schemakit._contract.operators import SPELLINGS, is_operator
from schemakit._contract.paths import path_problem
from schemakit._contract.values import plain
from schemakit._issues import FilterError, Issue, Path, describe
from schemakit.filters._ast import (
    GROUP_KEY,
    GROUP_TYPES,
    MAX_NESTING,
    And,
    Condition,
    DynamicRef,
    Group,
    Node,
    canonical,
    iter_conditions,
    node_to_dict,
)
from schemakit.filters._json import parse_json, unknown_operator
from schemakit.filters._operand import operand_problem
from schemakit.filters._origin import Origin
from schemakit.filters._render import node_to_text, node_tree

if TYPE_CHECKING:
    from schemakit.filters._compile import Matcher

DEFAULT_MAX_DEPTH = 16

# One condition in both forms, the JSON operator read from the table by its text spelling.
_EXAMPLE = {"AND": [{"field": "age", "operator": SPELLINGS[">="][0], "value": 30}]}
_EXAMPLE_HINT = f'write {json.dumps(_EXAMPLE)} or "age >= 30"'


@dataclass(frozen=True)
class Filter:
    """A parsed filter: an immutable, canonical AST that compiles once on first use.

    ``Filter(root)`` accepts any tree of And / Or / Not / Condition nodes (a bare
    Condition is wrapped in an And), checks it and stores its canonical form,
    so two filters are equal exactly when their canonical trees are.
    """

    root: Group
    _matcher: Matcher | None = field(default=None, init=False, repr=False, compare=False)
    warnings: list[Issue] = field(default_factory=list, init=False, repr=False, compare=False, hash=False)
    """Warnings of parsing (``suspicious_field``): the filter is valid, but may not say what was meant."""
    _origin: Origin | None = field(default=None, init=False, repr=False, compare=False)
    """What it was parsed from, so that issues point into the user's own JSON or text (None when built)."""

    def __post_init__(self) -> None:
        root: Node = self.root
        if isinstance(root, Condition):
            root = And((root,))
        issues = tree_issues(root)
        if issues:
            raise FilterError(issues)
        try:
            object.__setattr__(self, "root", canonical(root))
        except RecursionError:
            raise FilterError([Issue("filter_too_deep", (), "the filter nests too deeply")]) from None

    @classmethod
    def from_checked(cls, root: Node, origin: Origin | None = None, warnings: list[Issue] | None = None) -> Filter:
        """A Filter from a tree a front end has already checked: canonicalized, not checked again.

        Parsing is on the request path; checking every operand twice (RE2
        compiles included) would double its cost for nothing. ``origin`` says
        where each condition was written.
        """
        flt = object.__new__(cls)
        node: Node = And((root,)) if isinstance(root, Condition) else root
        object.__setattr__(flt, "root", canonical(node))
        object.__setattr__(flt, "_matcher", None)
        object.__setattr__(flt, "_origin", origin)
        object.__setattr__(flt, "warnings", list(warnings or ()))
        return flt

    # -- evaluation -----------------------------------------------------------

    def matches(self, record: Any, context: Any = None) -> bool:
        """Whether ``record`` satisfies the filter; ``context`` resolves dynamic values.

        Never raises for any record; raises :class:`FilterError` with code
        ``unresolved_dynamic_value`` when a dynamic value is not in ``context``.
        """
        return self.compile()(record, context)

    def compile(self) -> Matcher:
        """The compiled ``match(record, context=None)`` function (built once, then cached)."""
        matcher = self._matcher
        if matcher is None:
            # the compiler (and RE2, for regex conditions) loads with the first filter evaluated
            from schemakit.filters._compile import compile_matcher

            matcher = compile_matcher(self.root, self._origin)
            object.__setattr__(self, "_matcher", matcher)
            # later calls skip this method entirely: the instance attribute shadows it
            object.__setattr__(self, "matches", matcher)
        return matcher

    @property
    def source(self) -> str:
        """The Python source the filter compiles to (for debugging and ``--explain``)."""
        from schemakit.filters._compile import compile_to_code

        return compile_to_code(self.root)

    def compile_to_code(self) -> str:
        """Deprecated: the Python source the filter compiles to; read :attr:`source` instead."""
        warnings.warn("Filter.compile_to_code() is deprecated; use Filter.source", DeprecationWarning, stacklevel=2)
        return self.source

    # -- renderings -----------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The canonical JSON form (``{}`` for the empty filter)."""
        return node_to_dict(self.root)

    def to_text(self) -> str:
        """The canonical text form (``""`` for the empty filter)."""
        return node_to_text(self.root)

    def tree(self) -> str:
        """An indented outline of the AST, one node a line."""
        return node_tree(self.root)

    def __str__(self) -> str:
        return self.to_text()

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # the compiled matcher cannot be pickled and frozen mappings neither: the JSON form can
        return (_from_json, (self.to_dict(),))

    # -- introspection ----------------------------------------------------------

    @property
    def fields(self) -> frozenset[str]:
        """Every dotted field path a condition tests."""
        return frozenset(c.field for c, _ in iter_conditions(self.root))

    @property
    def dynamic_fields(self) -> frozenset[str]:
        """Every context path a dynamic value reads."""
        return frozenset(c.value.field for c, _ in iter_conditions(self.root) if isinstance(c.value, DynamicRef))

    @property
    def is_empty(self) -> bool:
        """True for the filter that constrains nothing."""
        return isinstance(self.root, And) and not self.root.items

    def conditions(self) -> list[tuple[Condition, Path]]:
        """Each condition with its path in :meth:`to_dict`'s output."""
        return list(iter_conditions(self.root))


def _from_json(spec: dict[str, Any]) -> Filter:
    return parse_filter(spec, max_depth=MAX_NESTING)


def tree_issues(root: Node) -> list[Issue]:
    """Problems of a directly built tree, located by canonical JSON paths."""
    issues: list[Issue] = []
    stack: list[tuple[Any, Path, int]] = [(root, (), 1)]
    while stack:
        node, path, level = stack.pop()
        if level > MAX_NESTING:
            issues.append(Issue("filter_too_deep", path, f"the filter nests deeper than {MAX_NESTING} levels"))
            continue
        if isinstance(node, Condition):
            issues.extend(condition_issues(node, path))
            continue
        if not isinstance(node, GROUP_TYPES):
            issues.append(Issue("invalid_filter", path, f"expected And, Or, Not or Condition, found {describe(node)}"))
            continue
        if node.case_sensitive is not None and not isinstance(node.case_sensitive, bool):
            issues.append(Issue("invalid_filter", (*path, "case_sensitive"), "case_sensitive must be true or false"))
        key = GROUP_KEY[type(node)]
        stack.extend((item, (*path, key, i), level + 1) for i, item in enumerate(node.items))
    return issues


def condition_issues(c: Condition, path: Path) -> list[Issue]:
    issues: list[Issue] = []
    problem = path_problem(c.field)
    if problem:
        issues.append(Issue("invalid_filter", (*path, "field"), problem))
    if not is_operator(c.operator):
        issues.append(unknown_operator(c.operator, (*path, "operator")))
        return issues
    problem = operand_problem(c.operator, c.value)
    if problem:
        issues.append(Issue("invalid_operand", (*path, "value"), problem))
    return issues


def parse_filter(spec: Any, *, max_depth: int = DEFAULT_MAX_DEPTH) -> Filter:
    """Parse the JSON form (a ``LogicalOperator`` dict) or the text form (a string) into a Filter.

    Raises :class:`FilterError` listing every problem; a text syntax error also
    sets ``.line`` and ``.column`` (1-based).
    """
    if isinstance(max_depth, bool) or not isinstance(max_depth, int) or max_depth < 1:
        message = f"max_depth must be a positive integer, found {describe(max_depth)}"
        raise FilterError([Issue("invalid_filter", (), message)])
    if isinstance(spec, Filter):
        return spec
    # exact built-in types from here on: a caller's str subclass never runs its __eq__ or __repr__
    spec = plain(spec)
    if isinstance(spec, str):
        # lark is imported only once a text filter is parsed
        from schemakit.filters._text import parse_text

        return parse_text(spec, max_depth=max_depth)
    if isinstance(spec, Mapping):
        return parse_json(spec, max_depth=max_depth)
    raise FilterError(
        [
            Issue(
                "invalid_filter",
                (),
                f"a filter is a LogicalOperator object or a text expression, found {describe(spec)}",
                hint=_EXAMPLE_HINT,
            )
        ]
    )
