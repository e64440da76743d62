"""The pre-commit hooks file: its hooks exist, match the right files, and run as pre-commit runs them."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_cli_support import FIXTURES, ROOT, run

HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"


def hooks() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(HOOKS_FILE.read_text())
    assert isinstance(data, list)
    return {hook["id"]: hook for hook in data}


def test_hooks_file_defines_both_hooks() -> None:
    found = hooks()
    assert set(found) == {"schemakit-validate", "schemakit-check-pipeline"}
    for hook in found.values():
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        assert hook["language"] == "python"
        assert shlex.split(hook["entry"])[0] == "schemakit"


def test_validate_hook_is_serial_so_unique_keys_span_all_files() -> None:
    assert hooks()["schemakit-validate"]["require_serial"] is True


@pytest.mark.parametrize(
    ("hook_id", "path", "expected"),
    [
        ("schemakit-validate", "data/products.jsonl", True),
        ("schemakit-validate", "data/products.ndjson", True),
        ("schemakit-validate", "data/batch.json", True),
        ("schemakit-validate", "data/notes.yaml", False),
        ("schemakit-check-pipeline", "fixtures/pipelines/video_pipeline.yaml", True),
        ("schemakit-check-pipeline", "pipelines/prod_pipeline.yml", True),
        ("schemakit-check-pipeline", "video_pipeline.json", True),
        ("schemakit-check-pipeline", "fixtures/buckets/product_catalog.json", False),
        ("schemakit-check-pipeline", "pipeline_notes.md", False),
    ],
)
def test_hook_file_patterns(hook_id: str, path: str, expected: bool) -> None:
    # pre-commit matches `files` with re.search against the repository-relative path
    assert bool(re.search(hooks()[hook_id]["files"], path)) is expected


def _run_hook(hook_id: str, args: list[str], filenames: list[Path]) -> Any:
    """Run a hook as pre-commit does: entry, then the configured args, then the file names."""
    entry = shlex.split(hooks()[hook_id]["entry"])
    assert entry[0] == "schemakit"
    return run(*entry[1:], *args, *(str(f.relative_to(ROOT)) for f in filenames))


def test_validate_hook_on_the_bundled_fixtures() -> None:
    schema = "fixtures/buckets/product_catalog.json"
    ok = _run_hook("schemakit-validate", [schema], [FIXTURES / "objects" / "product_catalog_valid.jsonl"])
    assert ok.code == 0, ok.out
    bad = _run_hook("schemakit-validate", [schema], [FIXTURES / "objects" / "product_catalog.jsonl"])
    assert bad.code == 1
    assert "fixtures/objects/product_catalog.jsonl:2: /metadata/price: type_mismatch: " in bad.out


def test_check_pipeline_hook_takes_several_manifests() -> None:
    pipelines = FIXTURES / "pipelines"
    matched = sorted(p for p in pipelines.iterdir() if re.search(hooks()["schemakit-check-pipeline"]["files"], p.name))
    assert pipelines / "broken_pipeline.yaml" in matched
    result = _run_hook("schemakit-check-pipeline", [], matched)
    assert result.code == 1
    assert f"checked in {len(matched)} files" in result.out
    healthy = [p for p in matched if "broken" not in p.name]
    assert _run_hook("schemakit-check-pipeline", [], healthy).code == 0
