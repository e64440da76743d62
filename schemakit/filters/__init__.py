"""The filter DSL: one immutable AST from a JSON or a text front end, compiled evaluation, schema checks, list queries.

Building ASTs directly (tests, strategies)::

    Condition(field: str, operator: str, value: Any | DynamicRef)
    And(items: tuple[Node, ...] = (), case_sensitive: bool | None = None)
    Or(items: tuple[Node, ...] = (), case_sensitive: bool | None = None)
    Not(items: tuple[Node, ...] = (), case_sensitive: bool | None = None)   # none of the items holds
    DynamicRef(field: str)                                                   # resolved from the context
    Filter(root)                                                             # checks and canonicalizes

``operator`` is one of :data:`OPERATORS` (the names of the operator table,
``schemakit._contract.operators``); ``value`` is any JSON value the operator
accepts (lists are stored as tuples, ``datetime``/``date`` as ISO strings).
``Filter(root)`` stores the canonical tree, so ``parse_filter(f.to_dict()) == f``
and ``parse_filter(f.to_text()) == f`` for every Filter ``f``; see
``docs/filters.md`` for the canonical forms.
"""

from schemakit._contract.operators import OPERATOR_NAMES as OPERATORS
from schemakit.filters._ast import And, Condition, DynamicRef, Node, Not, Or
from schemakit.filters._check import check_filter
from schemakit.filters._filter import Filter, parse_filter
from schemakit.filters._query import QueryResult, query

__all__ = [
    "OPERATORS",
    "And",
    "Condition",
    "DynamicRef",
    "Filter",
    "Node",
    "Not",
    "Or",
    "QueryResult",
    "check_filter",
    "parse_filter",
    "query",
]
