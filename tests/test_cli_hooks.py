"""The pre-commit hooks file: its hooks exist, match the right files, and run as pre-commit runs them.

The last tests drive pre-commit itself (``pre-commit try-repo`` and ``pre-commit
run`` on a temporary git repository). They use a copy of the hooks file in a
temporary hook repository with ``language: system`` instead of ``python``, so
pre-commit runs the ``schemakit`` already installed here instead of building a
virtualenv from the package index; entry, args, files, pass_filenames and
always_run are the file's own.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_cli_support import BUCKET, FIXTURES, ROOT, good, run, write_jsonl

HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
HOOK_IDS = {"schemakit", "schemakit-validate", "schemakit-check-pipeline", "schemakit-breaking"}


def hooks() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(HOOKS_FILE.read_text())
    assert isinstance(data, list)
    return {hook["id"]: hook for hook in data}


def test_hooks_file_defines_the_three_hooks() -> None:
    found = hooks()
    assert set(found) == HOOK_IDS
    for hook in found.values():
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        assert hook["language"] == "python"
        assert shlex.split(hook["entry"])[0] == "schemakit"


def test_configured_hook_checks_the_whole_data_set_not_the_staged_files() -> None:
    hook = hooks()["schemakit"]
    assert hook["pass_filenames"] is False and hook["always_run"] is False
    assert shlex.split(hook["entry"]) == ["schemakit", "validate"]


def test_validate_hook_is_serial_so_unique_keys_span_all_files() -> None:
    assert hooks()["schemakit-validate"]["require_serial"] is True


@pytest.mark.parametrize(
    ("hook_id", "path", "expected"),
    [
        ("schemakit", "pyproject.toml", True),
        ("schemakit", "config/schemakit.toml", True),
        ("schemakit", "buckets/product_catalog.json", True),
        ("schemakit", "data/products/part-1.jsonl.gz", True),
        ("schemakit", "README.md", False),
        ("schemakit-validate", "data/products.jsonl", True),
        ("schemakit-validate", "data/products.ndjson", True),
        ("schemakit-validate", "data/products.jsonl.zst", True),
        # the schema is a .json or .yaml file: the default files pattern leaves it out
        ("schemakit-validate", "schemas/product_catalog.json", False),
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
    schema = ["--schema", "fixtures/buckets/product_catalog.json"]
    ok = _run_hook("schemakit-validate", schema, [FIXTURES / "objects" / "product_catalog_valid.jsonl"])
    assert ok.code == 0, ok.out
    bad = _run_hook("schemakit-validate", schema, [FIXTURES / "objects" / "product_catalog.jsonl"])
    assert bad.code == 1
    assert "fixtures/objects/product_catalog.jsonl:2: /metadata/price: type_mismatch: " in bad.out


def test_validate_hook_without_schema_option_refuses_instead_of_taking_a_data_file_as_schema() -> None:
    result = _run_hook("schemakit-validate", [], [FIXTURES / "objects" / "product_catalog_valid.jsonl"])
    assert result.code == 2
    assert "args: [--schema, PATH]" in result.err


def test_check_pipeline_hook_takes_several_manifests() -> None:
    pipelines = FIXTURES / "pipelines"
    matched = sorted(p for p in pipelines.iterdir() if re.search(hooks()["schemakit-check-pipeline"]["files"], p.name))
    assert pipelines / "broken_pipeline.yaml" in matched
    result = _run_hook("schemakit-check-pipeline", [], matched)
    assert result.code == 1
    assert f"checked in {len(matched)} files" in result.out
    healthy = [p for p in matched if "broken" not in p.name]
    assert _run_hook("schemakit-check-pipeline", [], healthy).code == 0


# --------------------------------------------------------------------------- pre-commit itself


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "pre-commit"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))}
    env["PRE_COMMIT_HOME"] = str(home / "cache")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run([str(exe), *args], cwd=repo, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def hook_repo(tmp_path: Path) -> Path:
    """A git repository holding this project's hooks file, with the installed schemakit as the runner."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "hooks"
    repo.mkdir()
    text = HOOKS_FILE.read_text()
    assert text.count("language: python") == len(HOOK_IDS)
    (repo / ".pre-commit-hooks.yaml").write_text(text.replace("language: python", "language: system"))
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "hooks")
    return repo


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository with a configured bucket: one committed data file, one staged."""
    repo = tmp_path / "project"
    (repo / "schemas").mkdir(parents=True)
    (repo / "data").mkdir()
    (repo / "schemas" / "shop.json").write_text(json.dumps(BUCKET, indent=2))
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "demo"\n\n'
        '[[tool.schemakit.buckets]]\nschema = "schemas/shop.json"\ndata = ["data/*.jsonl"]\n'
    )
    write_jsonl(repo / "data" / "a.jsonl", [good("A"), good("B")])
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "data")
    return repo


def test_try_repo_runs_the_configured_hook_on_the_whole_data_set(
    hook_repo: Path, project: Path, tmp_path: Path
) -> None:
    # the new file repeats a key of the committed one: only a check of the whole data set finds it
    write_jsonl(project / "data" / "b.jsonl", [good("C"), good("A")])
    _git(project, "add", "data/b.jsonl")
    result = _pre_commit(project, tmp_path, "try-repo", str(hook_repo), "schemakit", "--files", "data/b.jsonl")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "data/b.jsonl:2: /sku: duplicate_unique_key: unique key (sku='A') repeats the object at data/a.jsonl:1" in (
        result.stdout
    )
    # editing only the schema runs the hook too: the data is checked against the edited schema
    _git(project, "rm", "-q", "--cached", "data/b.jsonl")
    (project / "data" / "b.jsonl").unlink()
    schema = project / "schemas" / "shop.json"
    edited_bucket = json.loads(schema.read_text())
    edited_bucket["bucket_schema"]["properties"]["metadata"]["properties"]["price"]["required"] = True
    schema.write_text(json.dumps(edited_bucket, indent=2))
    _git(project, "add", "schemas/shop.json")
    edited = _pre_commit(project, tmp_path, "try-repo", str(hook_repo), "schemakit", "--files", "schemas/shop.json")
    assert edited.returncode == 1, edited.stdout + edited.stderr
    assert "data/a.jsonl:1: /metadata/price: " in edited.stdout


def test_pre_commit_run_with_the_validate_hook_and_its_schema_option(
    hook_repo: Path, project: Path, tmp_path: Path
) -> None:
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, capture_output=True, text=True, check=True).stdout
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hook_repo}\n  rev: {rev.strip()}\n  hooks:\n"
        "  - id: schemakit-validate\n    args: [--schema, schemas/shop.json]\n"
    )
    _git(project, "add", ".pre-commit-config.yaml")
    ok = _pre_commit(project, tmp_path, "run", "--all-files")
    # the schema (a .json file) is not among the files the hook gets: the run passes
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Passed" in ok.stdout
    write_jsonl(project / "data" / "c.jsonl", [good("D", price="free")])
    _git(project, "add", "data/c.jsonl")
    bad = _pre_commit(project, tmp_path, "run", "--all-files")
    assert bad.returncode == 1
    assert "data/c.jsonl:1: /metadata/price: type_mismatch" in bad.stdout
