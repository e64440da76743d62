"""The parse-time check of a condition's value: a JSON value, or a dynamic reference, its operator accepts."""

from __future__ import annotations

from typing import Any

from schemakit._contract import operators, paths
from schemakit.filters._ast import DynamicRef, json_value_problem


def operand_problem(operator: str, value: Any) -> str | None:
    """Why the frozen ``value`` cannot be the value of ``operator`` (a known operator), or None."""
    if isinstance(value, DynamicRef):
        return operators.dynamic_operand_problem(operator) or paths.path_problem(value.field)
    return json_value_problem(value) or operators.operand_problem(operator, value)
