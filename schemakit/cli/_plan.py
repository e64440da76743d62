"""``schemakit filter --to TARGET``: the plan a filter becomes in an engine, printed instead of filtering."""

from __future__ import annotations

import json
import sys
from typing import Any

from schemakit._issues import FilterError
from schemakit.cli._errors import UserError

TARGETS = ("postgres", "duckdb", "sqlite", "qdrant", "mongo")
"""What ``--to`` accepts: every document target (Polars needs a frame layout, so it has no CLI form)."""


def plan_for(flt: Any, target: str, context: Any) -> Any:
    from schemakit.backends import to_mongo, to_qdrant, to_sql

    if target == "qdrant":
        return to_qdrant(flt, context=context)
    if target == "mongo":
        return to_mongo(flt, context=context)
    return to_sql(flt, dialect=target, context=context)  # type: ignore[arg-type]


def render_plan(plan: Any) -> str:
    """The engine part (SQL and its parameters, or the JSON of a Qdrant filter or a Mongo query) and the residual."""
    payload = plan.to_dict()
    lines = []
    if plan.where is not None:
        lines.append(f"where: {plan.where}")
        lines.append(f"params: {json.dumps(payload['params'], ensure_ascii=False)}")
    elif plan.query is not None:
        lines.append(f"query: {json.dumps(payload['query'], ensure_ascii=False, default=str)}")
    else:
        lines.append(f"filter: {json.dumps(payload['filter'], ensure_ascii=False)}")
    lines.append(f"residual: {plan.residual.to_text() if plan.residual is not None else '(none)'}")
    return "\n".join(lines) + "\n"


def run_plan(spec: str, target: str, *, explain: bool, context: str | None) -> int:
    from schemakit.cli._commands import _first_issue_message, parse_filter_arg, read_context

    flt, label = parse_filter_arg(spec)
    ctx = read_context(context)
    try:
        plan = plan_for(flt, target, ctx)
    except FilterError as exc:
        raise UserError(_first_issue_message(label, exc.issues, "cannot plan the filter")) from None
    sys.stdout.write(plan.explain() + "\n" if explain else render_plan(plan))
    return 0
