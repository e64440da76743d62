"""The report formats of ``validate``: sarif, junit, gitlab, jsonl, and several formats in one run.

SARIF is validated against the SARIF 2.1.0 JSON Schema vendored in
``tests/sarif/``; JUnit is parsed as XML; GitLab Code Quality as JSON with its
fingerprints. ``--jobs 2`` writes every format byte for byte as ``--jobs 1``
(the timing figures masked).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from test_cli_support import BUCKET, good, mask_timing, run, write_jsonl

from schemakit._contract.codes import CODES
from schemakit.cli._check import task_bytes
from schemakit.cli._inputs import DataSource

SARIF_SCHEMA = Path(__file__).resolve().parent / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture
def bucket(tmp_path: Path) -> Path:
    path = tmp_path / "bucket.json"
    path.write_text(json.dumps(BUCKET, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def two_files(tmp_path: Path) -> tuple[Path, Path]:
    """a.jsonl: line 2 a type error, line 3 three issues (no title; an unknown blob property, so no image);
    b.jsonl valid."""
    bad_blob = good("C")
    del bad_blob["metadata"]["title"]
    bad_blob["blobs"][0]["property"] = "imgae"
    a = write_jsonl(tmp_path / "a.jsonl", [good("A"), good("B", price="12.50"), bad_blob])
    b = write_jsonl(tmp_path / "b.jsonl", [good("D"), good("E")])
    return a, b


def _issues(bucket: Path, files: tuple[Path, Path]) -> list[dict[str, Any]]:
    issues = run("validate", bucket, *files, "-f", "json").json()["issues"]
    assert isinstance(issues, list)
    return issues


def test_sarif_is_valid_sarif_2_1_0_with_one_rule_per_code(bucket: Path, two_files: tuple[Path, Path]) -> None:
    result = run("validate", bucket, *two_files, "--format", "sarif")
    assert result.code == 1
    log = json.loads(result.out)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)
    assert log["version"] == "2.1.0"
    (the_run,) = log["runs"]
    rules = the_run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)) and set(CODES) <= set(ids)
    for rule in rules:
        entry = CODES[rule["id"]]
        assert rule["shortDescription"]["text"] == entry.meaning
        assert rule["help"]["text"] == entry.fix
    expected = _issues(bucket, two_files)
    results = the_run["results"]
    assert len(results) == len(expected) == 4
    for res, issue in zip(results, expected, strict=True):
        assert res["ruleId"] == issue["code"] and ids[res["ruleIndex"]] == issue["code"]
        assert res["level"] == issue["severity"]
        (location,) = res["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == str(issue["file"])
        assert location["physicalLocation"]["region"]["startLine"] == issue["line"]
        # the JSON Pointer leads the message
        assert res["message"]["text"].startswith(f"{issue['pointer']}: {issue['message']}")


def test_sarif_of_a_clean_run_is_valid_with_no_results(bucket: Path, two_files: tuple[Path, Path]) -> None:
    result = run("validate", bucket, two_files[1], "--format", "sarif")
    assert result.code == 0
    log = json.loads(result.out)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)
    assert log["runs"][0]["results"] == []


def test_junit_has_a_test_case_per_file_and_a_failure_per_invalid_object(
    bucket: Path, two_files: tuple[Path, Path]
) -> None:
    result = run("validate", bucket, *two_files, "--format", "junit")
    assert result.code == 1
    root = ET.fromstring(result.out)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [str(p) for p in two_files]
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    failures = cases[0].findall("failure")
    # two invalid objects in a.jsonl (lines 2 and 3), whatever the number of issues each has
    assert len(failures) == 2
    assert failures[0].get("type") == "type_mismatch"
    assert (failures[0].get("message") or "").startswith("line 2: /metadata/price: type_mismatch: ")
    assert (failures[1].text or "").count(f"{two_files[0]}:3: ") == 3
    assert cases[1].findall("failure") == []


def test_gitlab_code_quality_has_unique_stable_fingerprints(bucket: Path, tmp_path: Path) -> None:
    # the same issue on two lines, and twice on one line of a .json list: fingerprints stay unique
    data = write_jsonl(tmp_path / "d.jsonl", [good("A", price="x"), good("B", price="x")])
    same_line = tmp_path / "list.json"
    same_line.write_text(json.dumps([good("C", price="x"), good("D", price="x")]))
    first = run("validate", bucket, data, same_line, "--format", "gitlab")
    assert first.code == 1
    report = json.loads(first.out)
    assert isinstance(report, list) and len(report) == 4
    fingerprints = [r["fingerprint"] for r in report]
    assert len(set(fingerprints)) == 4
    for record in report:
        assert set(record) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert record["check_name"] == "type_mismatch" and record["severity"] == "major"
        assert record["location"]["lines"]["begin"] >= 1
    assert [r["location"]["path"] for r in report] == [str(data), str(data), str(same_line), str(same_line)]
    again = json.loads(run("validate", bucket, data, same_line, "--format", "gitlab").out)
    assert [r["fingerprint"] for r in again] == fingerprints


def test_jsonl_is_one_issue_a_line_as_json_lists_them(bucket: Path, two_files: tuple[Path, Path]) -> None:
    result = run("validate", bucket, *two_files, "--format", "jsonl")
    assert result.code == 1
    assert [json.loads(line) for line in result.out.splitlines()] == _issues(bucket, two_files)


def test_formats_pair_with_their_output_files(bucket: Path, two_files: tuple[Path, Path], tmp_path: Path) -> None:
    sarif = tmp_path / "report.sarif"
    junit = tmp_path / "junit.xml"
    result = run(
        "validate", bucket, *two_files, "--format", "github", "--format", "sarif", "-o", sarif, "-f", "junit",
        "--output-file", junit,
    )
    assert result.code == 1
    assert result.out.startswith(f"::error file={two_files[0]},line=2::/metadata/price: type_mismatch: ")
    assert len(json.loads(sarif.read_text())["runs"][0]["results"]) == 4
    assert ET.fromstring(junit.read_text()).tag == "testsuites"
    # an -o before any --format names the file of the first (or the default) format
    text = tmp_path / "report.txt"
    early = run("validate", bucket, *two_files, "-o", text)
    assert early.out == "" and "3 valid, 2 invalid" in text.read_text()


def test_two_formats_on_standard_output_are_a_usage_error(bucket: Path, two_files: tuple[Path, Path]) -> None:
    result = run("validate", bucket, *two_files, "--format", "github", "--format", "json")
    assert result.code == 2
    assert "would all write to standard output" in result.err
    result = run("validate", bucket, *two_files, "-f", "json", "-o", "a.json", "-o", "b.json")
    assert result.code == 2 and "already writes to a.json" in result.err


def test_jobs_2_writes_every_format_as_jobs_1(bucket: Path, tmp_path: Path) -> None:
    # about 1 MB, so that --jobs 2 splits the file into several tasks; 1 object in 50 invalid,
    # every 97th a repeated key
    objects = [good(f"K{i % 4001 if i % 97 else 0}", price="x" if i % 50 == 7 else i) for i in range(6000)]
    data = write_jsonl(tmp_path / "big.jsonl", objects)
    assert data.stat().st_size > 3 * task_bytes([DataSource("big.jsonl", data, "jsonl", data.stat().st_size)], 2)
    reports: dict[int, dict[str, str]] = {}
    from schemakit.cli._report import FORMATS

    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}"
        out.mkdir()
        args: list[str | Path] = []
        for fmt in FORMATS:
            args += ["--format", fmt, "-o", out / fmt]
        result = run("validate", bucket, data, *args, "--jobs", str(jobs))
        assert result.code == 1, result.err
        reports[jobs] = {fmt: mask_timing((out / fmt).read_text()) for fmt in FORMATS}
    for fmt in FORMATS:
        assert reports[2][fmt] == reports[1][fmt], fmt
    summary = json.loads(reports[1]["json"])["summary"]
    assert summary["invalid"] > 100 and summary["by_code"]["duplicate_unique_key"] > 10
