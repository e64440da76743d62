"""The configuration file: discovery, flags over its defaults, bucket globs, and what it gets wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli_support import BUCKET, good, run, write_jsonl


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with a bucket, its data in two directories (one compressed file), and a pyproject.toml."""
    root = tmp_path / "project"
    (root / "buckets").mkdir(parents=True)
    (root / "buckets" / "shop.json").write_text(json.dumps(BUCKET))
    (root / "data" / "products" / "2024").mkdir(parents=True)
    write_jsonl(root / "data" / "products" / "2024" / "a.jsonl", [good("A"), good("B", price="x")])
    write_jsonl(root / "data" / "products" / "b.jsonl", [good("C"), good("A")])
    (root / "pyproject.toml").write_text(
        "[project]\n"
        'name = "demo"\n'
        "\n"
        "[tool.schemakit]\n"
        'format = "text"\n'
        "max-issues = 50\n"
        "\n"
        "[[tool.schemakit.buckets]]\n"
        'schema = "buckets/shop.json"\n'
        'data = ["data/products/**/*.jsonl"]\n'
    )
    return root


def test_no_arguments_validates_every_configured_bucket_found_walking_up(project: Path) -> None:
    below = project / "data" / "products"
    result = run("validate", cwd=below)
    assert result.code == 1, result.err
    # labels are relative to the working directory; the unique key spans both files
    assert result.lines == [
        "2024/a.jsonl:2: /metadata/price: type_mismatch: expected number, found string 'x'",
        "b.jsonl:2: /sku: duplicate_unique_key: unique key (sku='A') repeats the object at 2024/a.jsonl:1"
        " (each object needs its own unique key, across all the files checked)",
        "4 objects checked in 2 files: 2 valid, 2 invalid; 2 issues (2 errors, 0 warnings)",
        "issues by code: duplicate_unique_key 1, type_mismatch 1",
    ]
    doc = run("validate", "--format", "json", cwd=project).json()
    assert doc["summary"]["bucket_schemas"] == ["buckets/shop.json"]


def test_flags_override_the_configured_defaults(project: Path) -> None:
    config = project / "pyproject.toml"
    config.write_text(config.read_text().replace('format = "text"', 'format = "json"\nstrict = true'))
    write_jsonl(project / "data" / "products" / "c.jsonl", [{**good("D"), "colour": "red"}])
    as_configured = run("validate", cwd=project)
    doc = as_configured.json()
    assert "unknown_field" in doc["summary"]["by_code"]
    overridden = run("validate", "--format", "text", "--no-strict", "--max-issues", "1", cwd=project)
    assert overridden.out.startswith("data/products/2024/a.jsonl:2: ")
    assert "showed the first 1 of 2 issues (--max-issues 1)" in overridden.out
    assert "unknown_field: " not in overridden.out


def test_schemakit_toml_and_config_option(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text(
        f'format = "jsonl"\n[[buckets]]\nschema = "{project}/buckets/shop.json"\n'
        f'data = ["{project}/data/products/b.jsonl"]\n'
    )
    result = run("validate", "--config", other, cwd=project)
    assert [json.loads(line)["code"] for line in result.lines] == []  # b.jsonl alone is valid
    assert result.code == 0
    # a schemakit.toml in the directory is found before the pyproject.toml
    (project / "schemakit.toml").write_text(
        '[[buckets]]\nschema = "buckets/shop.json"\ndata = ["data/products/b.jsonl"]\n'
    )
    assert run("validate", cwd=project).code == 0
    # a schema given with no data takes the data its configured bucket governs
    assert run("validate", "buckets/shop.json", cwd=project).code == 0


def test_unknown_keys_bad_values_and_empty_globs_are_issues_of_the_file(project: Path) -> None:
    config = project / "pyproject.toml"
    config.write_text(
        config.read_text()
        .replace("max-issues = 50", "max_issues = 50\ncolor = \"sometimes\"")
        .replace(
            'data = ["data/products/**/*.jsonl"]',
            'data = ["data/products/**/*.jsonl", "data/none/*.jsonl"]\nschmea = 1',
        )
    )
    result = run("validate", "--format", "json", cwd=project)
    issues = [(i["file"], i["line"], i["pointer"], i["code"], i["hint"]) for i in result.json()["issues"]][:4]
    assert issues == [
        ("pyproject.toml", 6, "/tool/schemakit/max_issues", "unknown_key", "did you mean 'max-issues'?"),
        ("pyproject.toml", 7, "/tool/schemakit/color", "invalid_config", None),
        ("pyproject.toml", 12, "/tool/schemakit/buckets/0/schmea", "unknown_key", "did you mean 'schema'?"),
        ("pyproject.toml", 11, "/tool/schemakit/buckets/0/data", "empty_glob", "check the pattern, or remove it"),
    ]
    # the configured buckets still run: unknown keys are ignored, as everywhere in the contract
    assert result.json()["summary"]["objects"] == 4


def test_no_arguments_and_no_configuration_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", cwd=tmp_path)
    assert result.code == 2
    assert "configure buckets in pyproject.toml" in result.err
    broken = tmp_path / "schemakit.toml"
    broken.write_text("format = \n")
    unreadable = run("validate", cwd=tmp_path)
    assert unreadable.code == 2 and "schemakit.toml: configuration is not valid TOML" in unreadable.err


def test_junit_keeps_the_configuration_issues_in_a_test_case_of_their_own(project: Path) -> None:
    import xml.etree.ElementTree as ET

    config = project / "pyproject.toml"
    config.write_text(config.read_text().replace("max-issues = 50", 'jobs = "two"'))
    root = ET.fromstring(run("validate", "--format", "junit", cwd=project).out)
    cases = {c.get("name"): [f.get("type") for f in c.findall("failure")] for c in root.iter("testcase")}
    assert cases == {
        "data/products/2024/a.jsonl": ["type_mismatch"],
        "data/products/b.jsonl": ["duplicate_unique_key"],
        "pyproject.toml": ["invalid_config"],
    }
