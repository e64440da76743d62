"""``schemakit filter --to``: the plan printed is the plan the library makes, and it runs."""

from __future__ import annotations

import json
import sqlite3

import click
from click.testing import CliRunner

from schemakit.backends import register_sqlite, to_qdrant, to_sql
from schemakit.cli import main


def _run(*args: str) -> tuple[int, str, str]:
    # main() is the console entry point: it turns a user's error into exit 2 and one message
    result = CliRunner().invoke(_entry, list(args))
    return result.exit_code, result.stdout, result.stderr


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def _entry(args: tuple[str, ...]) -> None:
    raise SystemExit(main(list(args)))


def test_to_sqlite_prints_the_where_its_params_and_the_residual_and_they_run() -> None:
    code, out, _ = _run("filter", 'CASE SENSITIVE (status = "a") AND title ENDS WITH "x"', "--to", "sqlite")
    assert code == 0
    where, params, residual = out.splitlines()
    plan = to_sql('CASE SENSITIVE (status = "a") AND title ENDS WITH "x"', dialect="sqlite")
    assert where == f"where: {plan.where}" and json.loads(params.removeprefix("params: ")) == list(plan.params)
    assert residual == "residual: (none)"
    conn = register_sqlite(sqlite3.connect(":memory:"))
    conn.execute("CREATE TABLE t (doc TEXT)")
    conn.executemany(
        "INSERT INTO t VALUES (?)", [('{"status": "a", "title": "ax"}',), ('{"status": "A", "title": "x"}',)]
    )
    assert conn.execute(f"SELECT doc FROM t WHERE {plan.where}", plan.params).fetchall() == [
        ('{"status": "a", "title": "ax"}',)
    ]


def test_to_qdrant_prints_the_filter_json_and_the_residual() -> None:
    code, out, _ = _run("filter", 'age > 1 AND title ENDS WITH "x"', "--to", "qdrant")
    assert code == 0
    plan = to_qdrant('age > 1 AND title ENDS WITH "x"')
    assert out.splitlines() == [
        "filter: " + json.dumps(plan.to_dict()["filter"]),
        'residual: title ENDS WITH "x"',
    ]


def test_explain_prints_the_plan_part_by_part() -> None:
    code, out, _ = _run("filter", 'age > 1 AND title ENDS WITH "x"', "--to", "mongo", "--explain")
    assert code == 0
    assert out.splitlines() == [
        "target: mongo",
        "exact: no",
        'query: {"age": {"$gt": 1}}',
        "parts:",
        "  /AND/0: age > 1 -> exact",
        '  /AND/1: title ENDS WITH "x" -> residual (a regex anchor at the end reads differently in PCRE and in Python'
        " (a final newline))",
        'residual: title ENDS WITH "x"',
    ]


def test_an_unresolved_dynamic_value_exits_2_without_a_traceback() -> None:
    code, _, err = _run("filter", "a = $inputs.x", "--to", "postgres")
    assert code == 2 and "unresolved_dynamic_value" in err and "Traceback" not in err
