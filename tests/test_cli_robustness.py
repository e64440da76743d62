"""What a user can do to the command line short of valid input: deep or huge JSON, closed streams, a full disk,
dangling links, absurd --jobs. Each gets one line on stderr or an issue, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli_support import BUCKET, assert_no_traceback, good, run, schemakit_exe, write_jsonl

DEEP = "[" * 200_000 + "]" * 200_000


@pytest.fixture
def bucket(tmp_path: Path) -> Path:
    path = tmp_path / "bucket.json"
    path.write_text(json.dumps(BUCKET), encoding="utf-8")
    return path


def test_deep_json_line_is_an_invalid_json_issue_and_the_run_goes_on(bucket: Path, tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text(DEEP + "\n" + json.dumps(good("A")) + "\n", encoding="utf-8")
    result = run("validate", bucket, data, "-f", "json")
    assert result.code == 1
    assert_no_traceback(result)
    doc = result.json()
    assert doc["summary"]["objects"] == 2 and doc["summary"]["valid"] == 1
    (issue,) = doc["issues"]
    assert issue["code"] == "invalid_json" and issue["line"] == 1
    assert "nested deeper than" in issue["message"]


def test_deep_json_data_file_is_an_invalid_json_issue(bucket: Path, tmp_path: Path) -> None:
    data = tmp_path / "d.json"
    data.write_text(DEEP, encoding="utf-8")
    result = run("validate", bucket, data)
    assert result.code == 1
    assert_no_traceback(result)
    assert ": invalid_json: invalid JSON: nested deeper than " in result.out


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (DEEP, "nested deeper than "),
        ('{"properties": {"a": {"type": "integer", "default": ' + "9" * 5001 + "}}}", "an integer of 5001 digits"),
    ],
    ids=["deep", "5001-digit integer"],
)
def test_unreadable_schema_values_are_reported_not_raised(tmp_path: Path, text: str, problem: str) -> None:
    schema = tmp_path / "s.json"
    schema.write_text(text, encoding="utf-8")
    checked = run("check-schema", schema)
    assert checked.code == 1
    assert f": invalid_json: invalid JSON: {problem}" in checked.out
    data = write_jsonl(tmp_path / "d.jsonl", [good("A")])
    validated = run("validate", schema, data)
    assert validated.code == 2
    assert validated.err.count("\n") == 1 and problem in validated.err
    for result in (checked, validated):
        assert_no_traceback(result)


def test_deep_yaml_schema_is_reported_not_raised(tmp_path: Path) -> None:
    schema = tmp_path / "s.yaml"
    schema.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    result = run("check-schema", schema)
    assert result.code == 1
    # libyaml refuses the depth itself; PyYAML's pure loader would recurse: either is one issue
    assert ": invalid_yaml: invalid YAML" in result.out and "depth" in result.out
    assert_no_traceback(result)


def _shell(command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, timeout=60, check=False)


def test_closed_stdin_is_one_line_and_exit_2(bucket: Path) -> None:
    proc = _shell(f"'{schemakit_exe()}' validate '{bucket}' - <&-")
    assert proc.returncode == 2
    assert proc.stderr == "schemakit: error: -: standard input is closed\n"


def test_closed_stdout_is_one_line_and_exit_2(bucket: Path, tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "d.jsonl", [good("A")])
    proc = _shell(f"'{schemakit_exe()}' validate '{bucket}' '{data}' >&-")
    assert proc.returncode == 2
    assert proc.stderr == "schemakit: error: standard output is closed\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="the platform has no /dev/full")
def test_full_disk_is_one_line_and_exit_2(bucket: Path, tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "d.jsonl", [{"sku": str(i)} for i in range(2000)])
    proc = _shell(f"'{schemakit_exe()}' validate '{bucket}' '{data}' > /dev/full")
    assert proc.returncode == 2
    assert proc.stderr == ("schemakit: error: cannot write the report to standard output: No space left on device\n")


def test_dangling_link_in_a_directory_is_reported_and_the_rest_checked(bucket: Path, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    write_jsonl(folder / "b.jsonl", [good("A"), {"sku": "B"}])
    (folder / "a.jsonl").symlink_to(tmp_path / "gone.jsonl")
    result = run("validate", bucket, folder)
    assert result.code == 2
    assert result.err == f"schemakit: error: {folder / 'a.jsonl'}: no such file (a symbolic link to a missing file)\n"
    assert "2 objects checked in 1 file: 1 valid, 1 invalid" in result.out


def test_jobs_is_capped_at_the_work_there_is(bucket: Path, tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "d.jsonl", [good("A")])
    # a million workers for one line would never start: the cap makes it one in-process check
    result = run("validate", bucket, data, "--jobs", "1000000")
    assert result.code == 0, result.err
    assert result.out.startswith("1 object checked in 1 file: all valid")


def test_worker_count_is_bounded_by_cpus_and_blocks(tmp_path: Path) -> None:
    from schemakit.cli._check import TASK_BYTES, available_cpus, worker_count
    from schemakit.cli._inputs import DataSource

    small = DataSource("a.jsonl", tmp_path / "a.jsonl", "jsonl", 10)
    big = DataSource("b.jsonl", tmp_path / "b.jsonl", "jsonl", 10 * TASK_BYTES)
    stdin = DataSource("-", None, "jsonl", None)
    assert worker_count(64, [small]) == 1
    assert worker_count(64, [big]) == min(10, available_cpus())
    assert worker_count(64, [stdin]) == available_cpus()
    assert worker_count(1, [big]) == 1


def test_python_dash_m_schemakit_runs_the_console_script() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "schemakit", "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("schemakit ")


def test_check_schema_reports_a_missing_file_and_checks_the_rest(tmp_path: Path) -> None:
    good_schema = tmp_path / "good.json"
    good_schema.write_text(json.dumps(BUCKET["bucket_schema"]), encoding="utf-8")
    missing = tmp_path / "nope.json"
    result = run("check-schema", missing, good_schema)
    assert result.code == 2
    assert result.err == f"schemakit: error: {missing}: no such file\n"
    assert result.out.strip() == "1 schema checked in 1 file: all valid"


def test_filter_output_is_strict_json_for_numbers_past_a_double(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text('{"n": 1e999, "k": "a", "l": [1, -1e999]}\n', encoding="utf-8")
    result = run("filter", 'k = "a"', data)
    assert result.code == 0, result.err
    assert result.out == '{"n":null,"k":"a","l":[1,null]}\n'
    json.loads(result.out)  # strict: no Infinity


@pytest.mark.parametrize("where", ["filter", "context"])
def test_deep_filter_and_context_files_are_one_line_and_exit_2(tmp_path: Path, where: str) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("{" + '"a": {' * 5000 + "}" * 5001, encoding="utf-8")
    data = write_jsonl(tmp_path / "d.jsonl", [{"a": 1}])
    if where == "filter":
        result = run("filter", f"@{deep}", data)
    else:
        result = run("filter", "a = $inputs.x", data, "--context", f"@{deep}")
    assert result.code == 2
    assert result.err.count("\n") == 1 and "nested deeper than" in result.err
    assert_no_traceback(result)


def test_inline_filter_thousands_deep_is_refused_without_a_traceback(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "d.jsonl", [{"a": 1}])
    deep = '{"NOT": [' * 5000 + "{}" + "]}" * 5000
    result = run("filter", deep, data)
    assert result.code == 2
    assert result.err.startswith("schemakit: error: ")
    assert_no_traceback(result)


def test_ctrl_c_with_workers_is_one_line_and_exit_130(bucket: Path) -> None:
    import signal
    import time

    # stdin kept open: the parent waits for input with its workers started, so the signal always
    # lands mid-run; the whole process group gets it, as from a terminal
    proc = subprocess.Popen(
        [schemakit_exe(), "validate", str(bucket), "-", "--jobs", "2", "-q"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert proc.stdin is not None
    proc.stdin.write((json.dumps(good("A")) + "\n").encode() * 1000)
    proc.stdin.flush()
    time.sleep(1.5)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.decode().strip() == "schemakit: interrupted"


def test_task_size_grows_with_the_input_within_bounds(tmp_path: Path) -> None:
    from schemakit.cli._check import MAX_TASK_BYTES, TASK_BYTES, TASKS_PER_JOB, task_bytes
    from schemakit.cli._inputs import DataSource

    def sized(n: int) -> DataSource:
        return DataSource("a.jsonl", tmp_path / "a.jsonl", "jsonl", n)

    assert task_bytes([sized(10)], 2) == TASK_BYTES
    assert task_bytes([sized(TASKS_PER_JOB * 2 * 3 * TASK_BYTES)], 2) == 3 * TASK_BYTES
    assert task_bytes([sized(1 << 40)], 2) == MAX_TASK_BYTES
    # several files share one size, from their total
    assert task_bytes([sized(TASKS_PER_JOB * 3 * TASK_BYTES)], 2) == 3 * TASK_BYTES // 2
    assert task_bytes([sized(TASKS_PER_JOB * 3 * TASK_BYTES)] * 2, 2) == 3 * TASK_BYTES
    assert task_bytes([sized(10), DataSource("-", None, "jsonl", None)], 2) == MAX_TASK_BYTES


def test_parallel_checker_shares_the_work_with_the_parent_and_keeps_input_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--jobs 2`` is one worker and the parent: both check, and chunks still come out in input order."""
    from schemakit.cli import _check
    from schemakit.cli._check import ObjectChecker, ParallelChecker, SchemaSpec, serial_chunks
    from schemakit.cli._inputs import source_for

    objects = [good(f"K{i}", price="x" if i % 37 == 0 else i) for i in range(4000)]
    data = write_jsonl(tmp_path / "d.jsonl", objects)
    spec = SchemaSpec(BUCKET["bucket_schema"], BUCKET.get("unique_key"), False)
    checker = ObjectChecker(spec.compile())
    local = 0
    run_here = _check.run_task

    def counted(checker: ObjectChecker, task: _check.Task) -> _check.Chunk:
        nonlocal local
        local += 1
        return run_here(checker, task)

    monkeypatch.setattr(_check, "run_task", counted)
    monkeypatch.setattr(_check, "TASK_BYTES", 8 << 10)  # many small tasks: more than the worker holds
    source = source_for(str(data))
    pool = ParallelChecker(spec, 2, checker)
    try:
        parallel = [chunk for _, chunk in pool.chunks([source])]
    finally:
        pool.close()
    serial = [chunk for _, chunk in serial_chunks(checker, [source])]
    tasks = len(parallel)
    assert tasks >= 12  # more than the worker holds in flight (4)
    assert 0 < local < tasks  # the parent checked some tasks, the worker the others
    offsets = [sum(c.lines for c in parallel[:k]) for k in range(tasks)]
    found = [
        (offset + f.line, f.key, [i.code for i in f.issues])
        for offset, c in zip(offsets, parallel, strict=True)
        for f in c.findings
    ]
    # every object has a finding (its unique key), in input order; the wrong prices carry their issue
    assert [(line, key) for line, key, _ in found] == [(i + 1, (f"K{i}",)) for i in range(4000)]
    assert [line for line, _, codes in found if codes] == [i + 1 for i in range(4000) if i % 37 == 0]
    assert all(codes == ["type_mismatch"] for _, _, codes in found if codes)
    assert sum(c.objects for c in parallel) == sum(c.objects for c in serial) == 4000
