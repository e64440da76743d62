"""check-schema, check-pipeline, filter and export-jsonschema, run as the installed console script."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli_support import BUCKET, FIXTURES, assert_no_traceback, good, run, write_jsonl

BUCKETS = FIXTURES / "buckets"
PIPELINES = FIXTURES / "pipelines"


@pytest.fixture
def bucket(tmp_path: Path) -> Path:
    path = tmp_path / "bucket.json"
    path.write_text(json.dumps(BUCKET, indent=2), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- check-schema


def test_check_schema_valid_fixtures_exit_0() -> None:
    valid = sorted(p for p in BUCKETS.glob("*.json") if p.name != "broken_schema.json")
    result = run("check-schema", *valid)
    assert result.code == 0, result.out
    assert result.out.strip() == f"{len(valid)} schemas checked in {len(valid)} files: all valid"


def test_check_schema_reports_every_problem_with_its_line() -> None:
    broken = BUCKETS / "broken_schema.json"
    result = run("check-schema", broken, "-f", "json")
    assert result.code == 1
    doc = result.json()
    # schemas are counted as schemas
    assert doc["summary"]["schemas"] == 1 and doc["summary"]["invalid"] == 1
    assert "objects" not in doc["summary"]
    assert doc["summary"]["issues"] == len(doc["issues"]) > 3
    text = broken.read_text().splitlines()
    for issue in doc["issues"]:
        # the reported line holds the field the pointer names
        field = issue["pointer"].split("/")[2]
        assert field in text[issue["line"] - 1], issue


def test_check_schema_locates_issues_inside_a_bucket_request(tmp_path: Path) -> None:
    request = tmp_path / "bucket.json"
    request.write_text(
        json.dumps(
            {
                "bucket_name": "b",
                "bucket_schema": {"properties": {"a": {"type": "jsonn"}, "sku": {"type": "string"}}},
                "unique_key": {"fields": ["skuu"]},
            },
            indent=2,
        )
    )
    result = run("check-schema", request)
    assert result.code == 1
    lines = request.read_text().splitlines()
    found = [line for line in result.lines if line.startswith(str(request))]
    assert len(found) == 2
    type_line = next(n for n, line in enumerate(lines, 1) if '"jsonn"' in line)
    key_line = next(n for n, line in enumerate(lines, 1) if '"skuu"' in line)
    assert found[0].startswith(f"{request}:{type_line}: /bucket_schema/properties/a/type: unknown_type: ")
    assert found[1].startswith(f"{request}:{key_line}: /unique_key/fields/0: ")


def test_check_schema_yaml_and_github_format(tmp_path: Path) -> None:
    schema = tmp_path / "bucket.yaml"
    schema.write_text("properties:\n  title:\n    type: strng\n")
    result = run("check-schema", schema, "--format", "github")
    assert result.code == 1
    assert result.lines[0].startswith(f"::error file={schema},line=3::/properties/title/type: unknown_type: ")


def test_check_schema_malformed_file_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "properties": {\n')
    result = run("check-schema", broken)
    assert result.code == 1
    assert result.lines[0].startswith(f"{broken}:3: /: invalid_json: invalid JSON at column 1: ")
    bad_yaml = tmp_path / "broken.yaml"
    bad_yaml.write_text("properties:\n  a: [unclosed\n")
    result = run("check-schema", bad_yaml)
    assert result.code == 1
    assert ": invalid_yaml: " in result.lines[0]


def test_check_schema_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("check-schema", BUCKETS / "product_catalog.json", tmp_path / "missing.json")
    assert result.code == 2
    assert result.err.strip() == f"schemakit: error: {tmp_path / 'missing.json'}: no such file"
    assert_no_traceback(result)


# --------------------------------------------------------------------------- check-pipeline


@pytest.mark.parametrize("name", ["video_pipeline.yaml", "video_pipeline.json", "podcast_pipeline.yaml"])
def test_check_pipeline_healthy_fixtures_exit_0(name: str) -> None:
    result = run("check-pipeline", PIPELINES / name)
    assert result.code == 0, result.out
    assert "checked in 1 file: all valid" in result.out


def test_check_pipeline_broken_fixture_reports_exact_message_and_line() -> None:
    manifest = PIPELINES / "broken_pipeline.yaml"
    result = run("check-pipeline", manifest)
    assert result.code == 1
    typo = next(line for line in result.lines if "metadata.titel" in line and "source_field_not_found" in line)
    assert "The source field 'metadata.titel' does not exist in the source schema." in typo
    line = int(typo.split(":")[1])
    assert "metadata.titel" in manifest.read_text().splitlines()[line - 1]


def test_check_pipeline_json_format_counts_collections() -> None:
    manifest = PIPELINES / "broken_pipeline.yaml"
    doc = run("check-pipeline", manifest, "-f", "json").json()
    summary = doc["summary"]
    assert summary["files"] == 1
    assert summary["collections"] == summary["valid"] + summary["invalid"]
    assert "objects" not in summary
    assert summary["invalid"] > 0
    assert summary["issues"] == len(doc["issues"]) == sum(summary["by_code"].values())
    assert {i["severity"] for i in doc["issues"]} == {"error", "warning"}
    assert all(i["file"] == str(manifest) for i in doc["issues"])


def test_check_pipeline_show_schemas_text_and_json() -> None:
    manifest = PIPELINES / "video_pipeline.yaml"
    text = run("check-pipeline", manifest, "--show-schemas")
    assert text.code == 0
    assert text.out.count("  input schema:") == text.out.count("  output schema:") >= 2
    assert "    video: video, required" in text.lines
    doc = run("check-pipeline", manifest, "--show-schemas", "-f", "json").json()
    assert len(doc["collections"]) >= 2
    for schemas in doc["collections"].values():
        assert set(schemas) == {"input_schema", "output_schema"}
        assert "properties" in schemas["output_schema"]


def test_check_pipeline_malformed_manifest_is_an_issue(tmp_path: Path) -> None:
    manifest = tmp_path / "pipeline.yaml"
    manifest.write_text("buckets:\n  b: {bucket_name: [\n")
    result = run("check-pipeline", manifest)
    assert result.code == 1
    assert ": invalid_yaml: " in result.out
    assert_no_traceback(result)


def test_check_pipeline_missing_manifest_exits_2(tmp_path: Path) -> None:
    result = run("check-pipeline", tmp_path / "nope.yaml")
    assert result.code == 2
    assert result.err.strip() == f"schemakit: error: {tmp_path / 'nope.yaml'}: no such file"


# --------------------------------------------------------------------------- filter


@pytest.fixture
def records(tmp_path: Path) -> Path:
    return write_jsonl(
        tmp_path / "records.jsonl",
        [good("A", price=10), good("B", price=900), good("C", price=50, released="2024-01-05")],
    )


def test_filter_prints_matching_records_as_jsonl(records: Path) -> None:
    result = run("filter", "metadata.price < 100", records)
    assert result.code == 0, result.err
    assert [json.loads(line)["sku"] for line in result.lines] == ["A", "C"]


def test_filter_json_form_and_file_form(records: Path, tmp_path: Path) -> None:
    spec = {"OR": [{"field": "sku", "operator": "eq", "value": "B"}, {"field": "sku", "value": "C"}]}
    result = run("filter", json.dumps(spec), records)
    assert [json.loads(line)["sku"] for line in result.lines] == ["B", "C"]
    spec_file = tmp_path / "f.json"
    spec_file.write_text(json.dumps(spec))
    assert run("filter", f"@{spec_file}", records).out == result.out
    text_file = tmp_path / "f.txt"
    text_file.write_text('sku = "B" OR sku = "C"\n')
    assert run("filter", f"@{text_file}", records).out == result.out


def test_filter_reads_stdin_and_json_files(records: Path, tmp_path: Path) -> None:
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps([good("D", price=1), good("E", price=1000)]))
    result = run("filter", "metadata.price < 100", "-", listed, stdin=records.read_text())
    assert [json.loads(line)["sku"] for line in result.lines] == ["A", "C", "D"]


def test_filter_explain_prints_text_json_and_tree() -> None:
    result = run("filter", 'age >= 30 AND (status = "active" OR role = "admin")', "--explain")
    assert result.code == 0
    assert result.lines[0] == 'text: age >= 30 AND (status = "active" OR role = "admin")'
    assert json.loads(result.lines[1].removeprefix("json: ")) == {
        "AND": [
            {"field": "age", "operator": "gte", "value": 30},
            {
                "OR": [
                    {"field": "status", "operator": "eq", "value": "active"},
                    {"field": "role", "operator": "eq", "value": "admin"},
                ]
            },
        ]
    }
    assert result.lines[2] == "tree:"
    assert result.lines[3] == "AND"
    assert "  age gte 30" in result.lines


def test_filter_syntax_error_exits_2_with_caret(records: Path) -> None:
    result = run("filter", "metadata.price < AND", records)
    assert result.code == 2
    assert result.err.startswith("schemakit: error: FILTER: filter syntax error: unexpected 'AND' at line 1, column 18")
    assert "^" in result.err
    assert result.out == ""
    assert_no_traceback(result)


def test_filter_refused_by_schema_exits_2(records: Path, bucket: Path) -> None:
    result = run("filter", 'metadata.titel = "x"', records, "--schema", bucket)
    assert result.code == 2
    assert result.err.startswith(f"schemakit: error: FILTER: filter does not fit the bucket schema in {bucket}: ")
    assert "unknown_field" in result.err and "did you mean 'metadata.title'" in result.err
    assert result.out == ""


def test_filter_accepted_by_schema_runs(records: Path, bucket: Path) -> None:
    result = run("filter", 'metadata.price >= 50 AND blobs.type = "image"', records, "--schema", bucket)
    assert result.code == 0, result.err
    assert [json.loads(line)["sku"] for line in result.lines] == ["B", "C"]


def test_filter_skips_malformed_lines_and_exits_1(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps(good("A")) + "\n{oops\n" + json.dumps(good("B")) + "\n")
    result = run("filter", 'sku != "none"', data)
    assert result.code == 1
    assert [json.loads(line)["sku"] for line in result.lines] == ["A", "B"]
    assert result.err.startswith(f"{data}:2: /: invalid_json: ")


def test_filter_needs_data_unless_explaining() -> None:
    result = run("filter", "a = 1")
    assert result.code == 2
    assert "Missing argument 'DATA...'" in result.err


def test_filter_missing_data_file_exits_2(tmp_path: Path) -> None:
    result = run("filter", "a = 1", tmp_path / "none.jsonl")
    assert result.code == 2
    assert "no such file or directory" in result.err


# --------------------------------------------------------------------------- export-jsonschema


def test_export_jsonschema_is_a_2020_12_schema_that_agrees(bucket: Path, tmp_path: Path) -> None:
    import jsonschema

    result = run("export-jsonschema", bucket)
    assert result.code == 0
    schema = result.json()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(good("A"))
    assert not validator.is_valid({"sku": "A"})


def test_export_jsonschema_of_an_invalid_schema_exits_2() -> None:
    result = run("export-jsonschema", BUCKETS / "broken_schema.json")
    assert result.code == 2
    assert result.out == ""
    assert "invalid bucket schema" in result.err


# --------------------------------------------------------------------------- filter fixtures

FILTERS = FIXTURES / "filters"


@pytest.mark.parametrize("name", sorted(p.stem for p in FILTERS.glob("*.txt")))
def test_text_and_json_fixture_filters_explain_alike(name: str) -> None:
    text = run("filter", f"@{FILTERS / (name + '.txt')}", "--explain")
    as_json = run("filter", f"@{FILTERS / (name + '.json')}", "--explain")
    assert text.code == as_json.code == 0
    assert text.out == as_json.out


def test_dynamic_filter_needs_a_context(tmp_path: Path) -> None:
    records = write_jsonl(
        tmp_path / "docs.jsonl",
        [
            {"owner_id": "u1", "status": "active", "metadata": {"visibility": "public"}},
            {"owner_id": "u2", "status": "active", "metadata": {"visibility": "public"}},
            {"owner_id": "u1", "status": "deleted", "metadata": {"visibility": "public"}},
        ],
    )
    spec = f"@{FILTERS / 'owner_dynamic.txt'}"
    refused = run("filter", spec, records)
    assert refused.code == 2
    assert "dynamic values (inputs.user_id); give them with --context JSON" in refused.err
    context = tmp_path / "ctx.json"
    context.write_text('{"inputs": {"user_id": "u1"}}')
    result = run("filter", spec, records, "--context", f"@{context}")
    assert result.code == 0, result.err
    assert [json.loads(line)["status"] for line in result.lines] == ["active"]
    bad = run("filter", spec, records, "--context", "[1]")
    assert bad.code == 2 and "context must be a JSON object" in bad.err


def test_multi_line_messages_keep_one_issue_per_line(tmp_path: Path) -> None:
    manifest = tmp_path / "pipeline.yaml"
    manifest.write_text(
        "buckets:\n"
        "  b1:\n"
        "    bucket_name: b1\n"
        "    bucket_schema: {properties: {title: {type: string}, image: {type: image}}}\n"
        "collections:\n"
        "  c1:\n"
        "    collection_name: col_one\n"
        "    source:\n"
        "      type: bucket\n"
        "      bucket_ids: [b1]\n"
        "      source_filters: {filters: 'title = AND'}\n"
        "    feature_extractor:\n"
        "      feature_extractor_name: image_extractor\n"
        "      version: v1\n"
        "      input_mappings: {image: image}\n"
    )
    result = run("check-pipeline", manifest, "--quiet")
    assert result.code == 1
    first, excerpt, caret = result.lines
    assert first.startswith(f"{manifest}:11: /collections/c1/source/source_filters/filters: syntax_error: ")
    assert first.endswith(")")  # the hint stays on its issue's own line
    assert excerpt == "    title = AND"
    assert caret == "            ^"
    github = run("check-pipeline", manifest, "--quiet", "-f", "github")
    assert len(github.lines) == 1 and "%0Atitle = AND%0A" in github.out


def test_lone_surrogates_in_data_print_as_json_escapes(tmp_path: Path) -> None:
    data = tmp_path / "odd.jsonl"
    data.write_text('{"sku": "\\ud800", "metadata": {"title": "x"}}\n')
    result = run("filter", 'sku != "a"', data)
    assert result.code == 0, result.err
    assert json.loads(result.out) == {"sku": "\ud800", "metadata": {"title": "x"}}


def test_closed_stdout_exits_141_without_a_traceback(tmp_path: Path) -> None:
    import subprocess

    from test_cli_support import schemakit_exe

    data = write_jsonl(tmp_path / "many.jsonl", [good(f"K{i}", price=i) for i in range(5000)])
    proc = subprocess.Popen(
        [schemakit_exe(), "filter", "metadata.price >= 0", str(data)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert json.loads(proc.stdout.readline())["sku"] == "K0"
    proc.stdout.close()  # the reader goes away, as `| head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert "Traceback" not in err
