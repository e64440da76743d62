"""query's QueryResult has the one result shape and still reads as the dict query returned; Filter.source."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from schemakit import parse_filter, query
from schemakit._contract.results import ResultShape
from schemakit.filters import QueryResult

ROOT = Path(__file__).resolve().parent.parent
RECORDS = [{"id": i, "n": i % 3} for i in range(5)]


def test_query_result_has_the_result_shape() -> None:
    r = query(RECORDS, filters="n = 1", limit=1)
    assert isinstance(r, QueryResult) and isinstance(r, ResultShape)
    assert r.ok is True and bool(r) is True
    assert r.issues == [] and r.errors == [] and r.warnings == []
    assert r.results == [{"id": 1, "n": 1}]
    assert r.pagination["total"] == 2


def test_query_result_reads_as_the_old_dict() -> None:
    r = query(RECORDS, filters="n = 1", limit=1)
    old: dict[str, Any] = {
        "results": [{"id": 1, "n": 1}],
        "pagination": {
            "total": 2,
            "page": 1,
            "page_size": 1,
            "total_pages": 2,
            "next_page": "1",
            "previous_page": None,
        },
    }
    assert r["results"] == old["results"] and r["pagination"] == old["pagination"]
    assert "results" in r and "pagination" in r and "ok" not in r
    assert dict(r) == old and r == old and list(r) == ["results", "pagination"]
    assert r.get("nothing") is None
    with pytest.raises(KeyError):
        r["ok"]
    assert r.to_dict() == {"ok": True, "issues": [], **old}


def test_filter_source_and_its_deprecated_alias() -> None:
    f = parse_filter("a = 1 AND b ~ 'x'")
    assert f.source.startswith("def factory(")
    assert "except" not in f.source  # evaluation catches nothing wholesale
    with pytest.warns(DeprecationWarning, match="Filter.source"):
        assert f.compile_to_code() == f.source
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert f.source


def test_importing_filters_loads_no_engine_grammar_or_code_generator() -> None:
    code = "import json, sys, schemakit.filters; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    loaded = json.loads(out)
    assert not [m for m in loaded if m.split(".")[0] in ("re2", "lark", "jsonschema", "pydantic")]
    assert not [m for m in loaded if m.startswith(("schemakit.schema", "schemakit.filters._compile"))]
    assert "schemakit.filters._text" not in loaded


def test_the_ast_module_holds_data_only() -> None:
    import ast

    source = (ROOT / "schemakit" / "filters" / "_ast.py").read_text(encoding="utf-8")
    imported = {
        node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom) and node.module
    } | {alias.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Import) for alias in node.names}
    assert imported <= {
        "__future__",
        "math",
        "collections.abc",
        "dataclasses",
        "datetime",
        "types",
        "typing",
        "schemakit._issues",
    }
