"""``schemakit validate`` run as the installed console script: formats, exit codes, inputs, --jobs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_cli_support import BUCKET, FIXTURES, assert_no_traceback, good, run, write_jsonl

from schemakit.cli._check import task_bytes
from schemakit.cli._inputs import DataSource


@pytest.fixture
def bucket(tmp_path: Path) -> Path:
    path = tmp_path / "bucket.json"
    path.write_text(json.dumps(BUCKET, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """Line 1 valid, 2 a type error, 3 malformed, 4 blank, 5 valid, 6 a duplicate sku of line 1."""
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps(good("A")),
        json.dumps(good("B", price="12.50")),
        '{"sku": "C", "metadata": {"title": "x"',
        "",
        json.dumps(good("D")),
        json.dumps(good("A")),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


TEXT_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<pointer>/\S*): (?P<code>[a-z_]+): (?P<message>.+)$")


def issue_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if TEXT_LINE.match(line)]


# --------------------------------------------------------------------------- text format and exit codes


def test_all_valid_exits_0_with_a_summary(bucket: Path, tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "ok.jsonl", [good("A"), good("B", price=3)])
    result = run("validate", bucket, data)
    assert result.code == 0, result.out + result.err
    assert result.out.strip() == "2 objects checked in 1 file: all valid"
    assert result.err == ""


def test_text_lines_locate_every_issue(bucket: Path, mixed: Path) -> None:
    result = run("validate", bucket, mixed)
    assert result.code == 1
    lines = issue_lines(result.out)
    assert lines[0] == f"{mixed}:2: /metadata/price: type_mismatch: expected number, found string '12.50'"
    parsed = [TEXT_LINE.match(line) for line in lines]
    assert [(m["line"], m["pointer"], m["code"]) for m in parsed if m] == [
        ("2", "/metadata/price", "type_mismatch"),
        ("3", "/", "invalid_json"),
        ("6", "/sku", "duplicate_unique_key"),
    ]


def test_malformed_line_reports_line_and_column_and_goes_on(bucket: Path, mixed: Path) -> None:
    result = run("validate", bucket, mixed)
    bad = [line for line in result.lines if ": invalid_json: " in line]
    assert len(bad) == 1
    assert bad[0].startswith(f"{mixed}:3: /: invalid_json: invalid JSON at column 39: ")
    # the next lines were still validated: the duplicate on line 6 is found
    assert any(line.startswith(f"{mixed}:6: ") for line in result.lines)


def test_summary_counts_objects_and_codes(bucket: Path, mixed: Path) -> None:
    result = run("validate", bucket, mixed)
    # 5 objects: the blank line is none, the malformed line is one (invalid)
    assert "5 objects checked in 1 file: 2 valid, 3 invalid; 3 issues (3 errors, 0 warnings)" in result.out
    assert "issues by code: duplicate_unique_key 1, invalid_json 1, type_mismatch 1" in result.out


def test_hint_is_appended_in_parentheses(bucket: Path, tmp_path: Path) -> None:
    obj = good("A")
    obj["blobs"][0]["property"] = "imgae"
    result = run("validate", bucket, write_jsonl(tmp_path / "d.jsonl", [obj]))
    line = next(line for line in result.lines if "unknown_blob_property" in line)
    assert line.endswith("(did you mean 'image'?)")


def test_warnings_alone_exit_0(bucket: Path, tmp_path: Path) -> None:
    schema = {"properties": {"seen": {"type": "datetime"}}}
    path = tmp_path / "warn_bucket.json"
    path.write_text(json.dumps(schema))
    data = write_jsonl(tmp_path / "d.jsonl", [{"seen": "2024-01-05T10:00:00"}])
    result = run("validate", path, data, "--format", "json")
    assert result.code == 0
    doc = result.json()
    assert doc["summary"]["valid"] == 1 and doc["summary"]["invalid"] == 0
    assert doc["summary"]["issues"] == 1
    assert doc["issues"][0]["severity"] == "warning"


def test_strict_reports_unknown_fields(bucket: Path, tmp_path: Path) -> None:
    obj = {**good("A"), "colour": "red"}
    data = write_jsonl(tmp_path / "d.jsonl", [obj])
    assert run("validate", bucket, data).code == 0
    strict = run("validate", bucket, data, "--strict")
    assert strict.code == 1
    assert f"{data}:1: /colour: unknown_field: " in strict.out


# --------------------------------------------------------------------------- json and github formats


def test_json_format_structure(bucket: Path, mixed: Path) -> None:
    result = run("validate", bucket, mixed, "--format", "json")
    assert result.code == 1
    doc = result.json()
    assert list(doc) == ["summary", "issues"]
    assert doc["summary"] == {
        "files": 1,
        "objects": 5,
        "valid": 2,
        "invalid": 3,
        "issues": 3,
        "errors": 3,
        "warnings": 0,
        "by_code": {"duplicate_unique_key": 1, "invalid_json": 1, "type_mismatch": 1},
        "bucket_schemas": [str(bucket)],
    }
    for issue in doc["issues"]:
        assert list(issue) == ["file", "line", "pointer", "code", "message", "hint", "severity"]
        assert issue["file"] == str(mixed)
    first, malformed, duplicate = doc["issues"]
    assert (first["line"], first["pointer"], first["code"]) == (2, "/metadata/price", "type_mismatch")
    # json keeps the RFC 6901 pointer: the root is ""
    assert (malformed["line"], malformed["pointer"], malformed["code"]) == (3, "", "invalid_json")
    assert duplicate["hint"] and duplicate["severity"] == "error"
    assert f"{mixed}:1" in duplicate["message"]


def test_json_format_when_all_valid(bucket: Path, tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "ok.jsonl", [good("A")])
    doc = run("validate", bucket, data, "-f", "json").json()
    assert doc == {
        "summary": {
            "files": 1,
            "objects": 1,
            "valid": 1,
            "invalid": 0,
            "issues": 0,
            "errors": 0,
            "warnings": 0,
            "by_code": {},
            "bucket_schemas": [str(bucket)],
        },
        "issues": [],
    }


def test_github_format_annotations(bucket: Path, mixed: Path) -> None:
    result = run("validate", bucket, mixed, "--format", "github")
    assert result.code == 1
    annotations = [line for line in result.lines if line.startswith("::")]
    assert annotations[0] == (
        f"::error file={mixed},line=2::/metadata/price: type_mismatch: expected number, found string '12.50'"
    )
    assert annotations[1].startswith(f"::error file={mixed},line=3::/: invalid_json: ")
    assert len(annotations) == 3


def test_github_format_uses_warning_for_warnings(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"properties": {"seen": {"type": "datetime"}}}))
    data = write_jsonl(tmp_path / "d.jsonl", [{"seen": "2024-01-05T10:00:00"}])
    result = run("validate", path, data, "--format", "github")
    assert result.lines[0].startswith(f"::warning file={data},line=1::/seen: ")


def test_plain_output_without_a_terminal(bucket: Path, mixed: Path) -> None:
    result = run("validate", bucket, mixed)
    assert "\x1b[" not in result.out + result.err


def _run_in_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run the script with a pseudo-terminal as stdout and stderr; returns what it printed."""
    import os
    import pty
    import subprocess

    from test_cli_support import schemakit_exe

    controller, terminal = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full_env.update(env, TERM="xterm-256color", COLUMNS="200")
    proc = subprocess.Popen([schemakit_exe(), *args], stdout=terminal, stderr=terminal, env=full_env)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closes when the child exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(controller)
    return b"".join(chunks).decode()


def test_colour_on_a_terminal_unless_no_color(bucket: Path, mixed: Path) -> None:
    coloured = _run_in_terminal(["validate", str(bucket), str(mixed)], {})
    assert "\x1b[" in coloured
    assert "type_mismatch" in coloured
    plain = _run_in_terminal(["validate", str(bucket), str(mixed)], {"NO_COLOR": "1"})
    assert "\x1b[" not in plain
    assert f"{mixed}:2: /metadata/price: type_mismatch: " in plain


# --------------------------------------------------------------------------- inputs


def test_stdin_input_is_labelled_dash(bucket: Path, mixed: Path) -> None:
    from_file = run("validate", bucket, mixed)
    from_stdin = run("validate", bucket, "-", stdin=mixed.read_text())
    assert from_stdin.code == 1
    assert from_stdin.out == from_file.out.replace(str(mixed), "-")


def test_missing_data_file_exits_2_naming_it(bucket: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    result = run("validate", bucket, missing)
    assert result.code == 2
    assert result.err.strip() == f"schemakit: error: {missing}: no such file or directory"
    assert result.out == ""


def test_missing_schema_file_exits_2_naming_it(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "d.jsonl", [good("A")])
    result = run("validate", tmp_path / "missing.json", data)
    assert result.code == 2
    assert result.err.strip() == f"schemakit: error: {tmp_path / 'missing.json'}: no such file"


def test_invalid_schema_exits_2_with_one_line(tmp_path: Path) -> None:
    schema = tmp_path / "bad.json"
    schema.write_text('{\n  "properties": {\n    "photo": {"type": "picture"}\n  }\n}\n')
    data = write_jsonl(tmp_path / "d.jsonl", [good("A")])
    result = run("validate", schema, data)
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith(f"schemakit: error: {schema}: invalid bucket schema: line 3: /properties/photo/type: ")
    assert "unknown_type" in result.err
    assert_no_traceback(result)


def test_invalid_fixture_schema_names_the_other_problems(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "d.jsonl", [good("A")])
    result = run("validate", FIXTURES / "buckets" / "broken_schema.json", data)
    assert result.code == 2
    assert "more; run 'schemakit check-schema" in result.err
    assert_no_traceback(result)


def test_malformed_schema_exits_2(tmp_path: Path) -> None:
    schema = tmp_path / "broken.json"
    schema.write_text('{"properties": ')
    data = write_jsonl(tmp_path / "d.jsonl", [good("A")])
    result = run("validate", schema, data)
    assert result.code == 2
    assert result.err.strip() == (
        f"schemakit: error: {schema}: bucket schema is not valid JSON at line 1, column 16: Expecting value"
    )


def test_yaml_schema_and_bare_bucket_schema(tmp_path: Path) -> None:
    schema = tmp_path / "bucket.yaml"
    schema.write_text("properties:\n  title: {type: string, required: true}\n")
    data = write_jsonl(tmp_path / "d.jsonl", [{"title": "x"}, {"title": 3}])
    result = run("validate", schema, data)
    assert result.code == 1
    assert issue_lines(result.out) == [f"{data}:2: /title: type_mismatch: expected string, found integer 3"]


def test_directory_input_walks_sorted_data_files(bucket: Path, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    write_jsonl(folder / "b.jsonl", [good("B", price="x")])
    write_jsonl(folder / "a.ndjson", [good("A", price="x")])
    write_jsonl(folder / "sub" / "c.jsonl", [good("C", price="x")])
    write_jsonl(folder / ".hidden" / "d.jsonl", [good("D", price="x")])
    (folder / "notes.txt").write_text("not data")
    result = run("validate", bucket, folder, "-f", "json")
    doc = result.json()
    assert [Path(i["file"]).relative_to(folder).as_posix() for i in doc["issues"]] == [
        "a.ndjson",
        "b.jsonl",
        "sub/c.jsonl",
    ]
    assert doc["summary"]["files"] == 3


def test_empty_directory_exits_2(bucket: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("validate", bucket, tmp_path / "empty")
    assert result.code == 2
    assert "holds no .jsonl, .ndjson, .json files" in result.err


def test_json_files_list_object_and_batch_with_lines(bucket: Path, tmp_path: Path) -> None:
    single = tmp_path / "single.json"
    single.write_text(json.dumps(good("S", price="x"), indent=2))
    listed = tmp_path / "list.json"
    listed.write_text("[\n" + ",\n".join(json.dumps(o) for o in [good("L1"), good("L2", price="x")]) + "\n]\n")
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps({"objects": [good("B1"), good("B2", price="x")]}, indent=2))
    result = run("validate", bucket, single, listed, batch, "-f", "json")
    found = [(Path(i["file"]).name, i["line"], i["pointer"]) for i in result.json()["issues"]]
    batch_line = batch.read_text().splitlines().index("    {", 3) + 1  # the second object's opening brace
    assert found == [
        ("single.json", 1, "/metadata/price"),
        ("list.json", 3, "/1/metadata/price"),
        ("batch.json", batch_line, "/objects/1/metadata/price"),
    ]


def test_oversized_batch_file(bucket: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps({"objects": [good(f"K{i}") for i in range(101)]}))
    result = run("validate", bucket, batch)
    assert result.code == 1
    assert f"{batch}:1: /objects: batch_too_large: a batch holds at most 100 objects; this one has 101" in result.out


def test_malformed_json_file_is_one_invalid_object(bucket: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('[\n  {"sku": "A"},\n  {"sku": \n]\n')
    doc = run("validate", bucket, broken, "-f", "json").json()
    assert doc["summary"]["objects"] == 1 and doc["summary"]["invalid"] == 1
    assert [(i["line"], i["code"]) for i in doc["issues"]] == [(4, "invalid_json")]


def test_non_utf8_line_is_invalid_json(bucket: Path, tmp_path: Path) -> None:
    data = tmp_path / "latin1.jsonl"
    data.write_bytes(json.dumps(good("A")).encode() + b'\n{"sku": "caf\xe9"}\n')
    result = run("validate", bucket, data)
    assert result.code == 1
    assert f"{data}:2: /: invalid_json: not valid UTF-8" in result.out


# --------------------------------------------------------------------------- unique keys, stopping


def test_unique_key_duplicates_across_files(bucket: Path, tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "one.jsonl", [good("A"), good("B")])
    second = write_jsonl(tmp_path / "two.jsonl", [good("C"), good("B"), good("A")])
    result = run("validate", bucket, first, second)
    assert result.code == 1
    assert issue_lines(result.out) == [
        f"{second}:2: /sku: duplicate_unique_key: unique key (sku='B') repeats the object at {first}:2 "
        "(each object needs its own unique key, across all the files checked)",
        f"{second}:3: /sku: duplicate_unique_key: unique key (sku='A') repeats the object at {first}:1 "
        "(each object needs its own unique key, across all the files checked)",
    ]


def test_bare_bucket_schema_enforces_no_unique_key(tmp_path: Path) -> None:
    schema = tmp_path / "bare.json"
    schema.write_text(json.dumps(BUCKET["bucket_schema"]))
    data = write_jsonl(tmp_path / "d.jsonl", [good("A"), good("A")])
    assert run("validate", schema, data).code == 0


def test_max_issues_limits_printing_not_counting(bucket: Path, mixed: Path) -> None:
    result = run("validate", bucket, mixed, "--max-issues", "1")
    assert result.code == 1
    assert len(issue_lines(result.out)) == 1
    assert "3 issues" in result.out
    assert "showed the first 1 of 3 issues (--max-issues 1)" in result.out
    doc = run("validate", bucket, mixed, "--max-issues", "2", "-f", "json").json()
    assert len(doc["issues"]) == 2 and doc["summary"]["issues"] == 3


def test_fail_fast_stops_at_first_invalid_object(bucket: Path, mixed: Path, tmp_path: Path) -> None:
    later = write_jsonl(tmp_path / "later.jsonl", [good("Z", price="x")])
    result = run("validate", bucket, mixed, later, "--fail-fast", "-f", "json")
    assert result.code == 1
    doc = result.json()
    assert [i["line"] for i in doc["issues"]] == [2]
    assert doc["summary"]["objects"] == 2 and doc["summary"]["invalid"] == 1


def test_quiet_prints_issues_only(bucket: Path, mixed: Path, tmp_path: Path) -> None:
    result = run("validate", bucket, mixed, "--quiet")
    assert result.code == 1
    assert result.lines == issue_lines(result.out)
    ok = run("validate", bucket, write_jsonl(tmp_path / "ok.jsonl", [good("A")]), "-q")
    assert (ok.code, ok.out, ok.err) == (0, "", "")


# --------------------------------------------------------------------------- --jobs


def _big_file(path: Path, count: int) -> Path:
    """A few MB: several blocks and worker tasks, with findings on both sides of their boundaries."""
    padding = "p" * 400
    with open(path, "w", encoding="utf-8") as f:
        for i in range(count):
            obj: dict[str, Any] = good(f"K{i}", note=padding)
            if i % 197 == 0:
                obj["metadata"]["price"] = "free"
            if i % 299 == 0 and i:
                obj["sku"] = "K0"  # a duplicate of the very first object, found in a later block
            line = json.dumps(obj)
            if i % 401 == 5:
                line = line[:-7]
            f.write(line + "\n")
    return path


def test_jobs_2_output_matches_serial(bucket: Path, tmp_path: Path) -> None:
    big = _big_file(tmp_path / "big.jsonl", 6_000)
    # more tasks than --jobs 2 keeps in flight or held
    assert big.stat().st_size > 12 * task_bytes([DataSource("big.jsonl", big, "jsonl", big.stat().st_size)], 2)
    serial = run("validate", bucket, big)
    parallel = run("validate", bucket, big, "--jobs", "2")
    assert serial.code == parallel.code == 1
    assert parallel.out == serial.out
    assert len(issue_lines(serial.out)) > 30
    for fmt in ("json", "github"):
        assert run("validate", bucket, big, "-j", "2", "-f", fmt).out == run("validate", bucket, big, "-f", fmt).out
    # stdin is read by the parent and shipped to the workers in blocks
    piped = run("validate", bucket, "-", "-j", "2", stdin=big.read_bytes())
    assert piped.out == serial.out.replace(str(big), "-")


def test_jobs_2_with_stdin_and_fail_fast(bucket: Path, tmp_path: Path, mixed: Path) -> None:
    text = mixed.read_text()
    assert run("validate", bucket, "-", "-j", "2", stdin=text).out == run("validate", bucket, "-", stdin=text).out
    fast = run("validate", bucket, mixed, "-j", "2", "--fail-fast")
    assert fast.out == run("validate", bucket, mixed, "--fail-fast").out


# --------------------------------------------------------------------------- bundled fixtures


def test_bundled_catalog_fixture() -> None:
    """The README's main job: the example objects against the example bucket schema."""
    result = run(
        "validate", "fixtures/buckets/product_catalog.json", "fixtures/objects/product_catalog.jsonl", "-f", "json"
    )
    assert result.code == 1
    doc = result.json()
    assert doc["summary"]["objects"] == doc["summary"]["valid"] + doc["summary"]["invalid"]
    assert doc["summary"]["invalid"] > 0 and doc["summary"]["valid"] > 0
    # every invalid example in the fixture is named for the problem it shows
    lines = (FIXTURES / "objects" / "product_catalog.jsonl").read_text().splitlines()
    invalid_lines = {i["line"] for i in doc["issues"]}
    for number, line in enumerate(lines, 1):
        assert ("INVALID" in line) == (number in invalid_lines), line


def test_valid_fixture_passes() -> None:
    result = run("validate", "fixtures/buckets/product_catalog.json", "fixtures/objects/product_catalog_valid.jsonl")
    assert result.code == 0, result.out


def test_jobs_2_many_small_files_match_serial(bucket: Path, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(12):
        objects = [good(f"F{i}-{j}", price="x" if j == i % 3 else j) for j in range(3)]
        if i % 4 == 0:
            (folder / f"part{i:02d}.json").write_text(json.dumps({"objects": objects}, indent=2))
        else:
            write_jsonl(folder / f"part{i:02d}.jsonl", [*objects, good("F0-1")])
    (folder / "part99.jsonl").write_text("")
    serial = run("validate", bucket, folder, "-f", "json")
    parallel = run("validate", bucket, folder, "-f", "json", "--jobs", "2")
    assert parallel.out == serial.out
    summary = serial.json()["summary"]
    assert summary["files"] == 13
    assert summary["by_code"]["duplicate_unique_key"] > 0


def test_empty_file_is_a_file_without_objects(bucket: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    result = run("validate", bucket, empty)
    assert result.code == 0
    assert result.out.strip() == "0 objects checked in 1 file: all valid"
