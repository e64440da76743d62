"""The filter DSL: one immutable AST from a JSON or a text front end, compiled evaluation, schema checks, list queries.

Building ASTs directly (tests, strategies)::

    Condition(field: str, operator: str, value: Any | DynamicRef)
    And(items: tuple[Node, ...] = (), case_sensitive: bool | None = None)
    Or(items: tuple[Node, ...] = (), case_sensitive: bool | None = None)
    Not(items: tuple[Node, ...] = (), case_sensitive: bool | None = None)   # none of the items holds
    DynamicRef(field: str)                                                   # resolved from the context
    Filter(root)                                                             # checks and canonicalizes

``operator`` is one of ``eq ne gt lt gte lte in nin contains starts_with
ends_with regex exists is_null text``; ``value`` is any JSON value the operator
accepts (lists are stored as tuples, ``datetime``/``date`` as ISO strings).
``Filter(root)`` stores the canonical tree, so ``parse_filter(f.to_dict()) == f``
and ``parse_filter(f.to_text()) == f`` for every Filter ``f``; see
``docs/filters.md`` for the canonical forms.
"""

from schemakit.filters._ast import OPERATORS, And, Condition, DynamicRef, Node, Not, Or
from schemakit.filters._check import check_filter
from schemakit.filters._filter import Filter, parse_filter
from schemakit.filters._query import query

__all__ = [
    "OPERATORS",
    "And",
    "Condition",
    "DynamicRef",
    "Filter",
    "Node",
    "Not",
    "Or",
    "check_filter",
    "parse_filter",
    "query",
]
