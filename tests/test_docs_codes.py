"""The registry of issue codes (schemakit/_contract/codes.py) against the code that emits the codes.

Two directions. Every code the source of ``schemakit/`` can emit has an entry:
the emitted codes are found by reading the source (the syntax tree, not a
text search), at every place a code is given to an issue. Every entry is
emitted: its example is run and must produce the code with the entry's
severity, so an entry for a code nothing emits any more fails too.

The places the source scan knows as "a code is given here" (extend them if
you add a new way to build an issue):
- the first argument, or ``code=``, of a call to ``Issue`` or of any function
  or class whose parameter (or field) named ``code`` takes that position;
- the default of a parameter named ``code``; an assignment to a name ``code``;
- a ``"code": ...`` entry of a dict display;
- a problem tuple ``(code, (path...), message, ...)`` as the blob checks build;
- either branch of a conditional expression in any of these places;
- in any of these places, a name bound at a module's top level to a string
  (``CODE_OR = "pushdown_or_residual"``) stands for that string.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

from schemakit._contract.codes import CODES, ENTRIES, PILLARS, CodeEntry, run_example

PACKAGE = Path(__file__).resolve().parent.parent / "schemakit"
CODE_SHAPE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")


def _code_positions(trees: dict[Path, ast.Module]) -> dict[str, int | None]:
    """Callables taking a ``code``: name -> its positional index (None: keyword only)."""
    takes: dict[str, int | None] = {"Issue": 0}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
                if names and names[0] in ("self", "cls"):
                    names = names[1:]
                if "code" in names:
                    takes[node.name] = names.index("code")
                elif any(a.arg == "code" for a in node.args.kwonlyargs):
                    takes.setdefault(node.name, None)
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                        names = [a.arg for a in item.args.args][1:]
                        if "code" in names:
                            takes[node.name] = names.index("code")
                fields = [
                    item.target.id
                    for item in node.body
                    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
                ]
                if "code" in fields:
                    takes.setdefault(node.name, fields.index("code"))
    takes.pop("__init__", None)
    return takes


@functools.cache
def emitted_codes() -> dict[str, list[str]]:
    """Every code string the package's source gives to an issue, with where (file:line)."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py"))}
    takes = _code_positions(trees)
    constants: dict[str, set[str]] = {}
    for tree in trees.values():
        for stmt in tree.body:
            if (
                isinstance(stmt, ast.Assign)
                and isinstance(stmt.value, ast.Constant)
                and isinstance(stmt.value.value, str)
                and CODE_SHAPE.match(stmt.value.value)
            ):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        constants.setdefault(target.id, set()).add(stmt.value.value)
    found: dict[str, list[str]] = {}

    def add(value: ast.expr | None, path: Path, line: int) -> None:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            found.setdefault(value.value, []).append(f"{path.relative_to(PACKAGE.parent)}:{line}")
        elif isinstance(value, ast.Name) and value.id in constants:
            for code in sorted(constants[value.id]):
                found.setdefault(code, []).append(f"{path.relative_to(PACKAGE.parent)}:{line}")
        elif isinstance(value, ast.IfExp):
            add(value.body, path, line)
            add(value.orelse, path, line)

    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                for keyword in node.keywords:
                    if keyword.arg == "code":
                        add(keyword.value, path, node.lineno)
                index = takes.get(name)
                if index is not None and len(node.args) > index:
                    add(node.args[index], path, node.lineno)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = node.args
                for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
                    if arg.arg == "code":
                        add(default, path, node.lineno)
                positional = [*args.posonlyargs, *args.args]
                for arg, default in zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True):
                    if arg.arg == "code":
                        add(default, path, node.lineno)
            elif isinstance(node, ast.Assign):
                if any(isinstance(t, ast.Name) and t.id == "code" for t in node.targets):
                    add(node.value, path, node.lineno)
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "code":
                        add(value, path, node.lineno)
            elif isinstance(node, ast.Tuple) and len(node.elts) >= 3 and isinstance(node.elts[1], ast.Tuple):
                first = node.elts[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str) and CODE_SHAPE.match(first.value):
                    add(first, path, node.lineno)
    return found


def test_the_scan_sees_codes_of_every_kind_of_emitter() -> None:
    # One code per way of emitting one: a direct Issue, a report() helper, a keyword default,
    # a conditional, a blob problem tuple, a keyword argument. If the scan loses one, it is blind.
    found = emitted_codes()
    for code in ("syntax_error", "invalid_schema", "unknown_keyword", "invalid_key_prefix", "blob_too_large"):
        assert code in found, code
    assert "unknown_key" in found
    assert "invalid_collection_request" in found  # through the module constant INVALID


def test_every_emitted_code_has_an_entry() -> None:
    missing = {code: where for code, where in emitted_codes().items() if code not in CODES}
    assert not missing, f"codes emitted without an entry in schemakit/_contract/codes.py: {missing}"


def test_entries_are_unique_and_well_formed() -> None:
    codes = [entry.code for entry in ENTRIES]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    assert not repeated, f"one entry per code: merge the pillars and meanings of {repeated} (see codes.py's docstring)"
    for entry in ENTRIES:
        assert CODE_SHAPE.match(entry.code), entry.code
        assert entry.pillars and set(entry.pillars) <= set(PILLARS), entry.code
        assert entry.severity in ("error", "warning"), entry.code
        assert entry.meaning.strip() and entry.fix.strip() and entry.example.strip(), entry.code


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.code)
def test_the_example_emits_its_code(entry: CodeEntry) -> None:
    issues = run_example(entry)
    assert any(i.code == entry.code and i.severity == entry.severity for i in issues), [str(i) for i in issues]
    # every issue the example emits is itself a registered code, so a neighbour's code cannot hide
    assert {i.code for i in issues} <= set(CODES), [str(i) for i in issues]
    for issue in issues:
        assert issue.message, issue
