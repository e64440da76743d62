"""The text form of a filter tree, and its outline: what ``to_text()`` and ``tree()`` write.

Spellings come from the operator table; a field that reads as a keyword, or
holds characters the grammar's names do not, is written in backticks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from schemakit._contract.operators import FILTER_OPERATORS, KEYWORDS
from schemakit.filters._ast import GROUP_KEY, And, Condition, DynamicRef, Group, Node, Not

_PLAIN_NAME = re.compile(r"[^\W\d]\w*(?:\.\w+)*\Z")


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
    entry = FILTER_OPERATORS[c.operator]
    if entry.is_flag:
        return f"{render_field(c.field)} {entry.spelled(c.value)}"
    return f"{render_field(c.field)} {entry.spelled(c.value)} {render_value(c.value)}"


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
