"""``schemakit breaking``: files and git revisions, exit codes, witnesses in the output, every report format."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from test_cli_support import FIXTURES, assert_no_traceback, run, write_jsonl

from schemakit.cli._report import FORMATS

VIDEO = json.loads((FIXTURES / "buckets" / "video_library.json").read_text(encoding="utf-8"))


def _write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return path


def _changed() -> dict[str, Any]:
    new = copy.deepcopy(VIDEO)
    props = new["bucket_schema"]["properties"]
    del props["thumbnail"]
    props["metadata"]["properties"]["language"]["enum"] = ["en", "de"]
    return new


def test_a_breaking_change_prints_each_error_with_its_witness(tmp_path: Path) -> None:
    _write(tmp_path / "old.json", VIDEO)
    _write(tmp_path / "new.json", _changed())
    result = run("breaking", "new.json", "--against", "old.json", cwd=tmp_path)
    assert result.code == 1, result.err
    lines = result.lines
    assert lines[0].startswith("new.json:5: /properties/thumbnail: field_removed: thumbnail: image field removed")
    assert lines[1].startswith("    witness: {")
    witness = json.loads(lines[1].split("witness: ", 1)[1])
    assert {"property": "thumbnail", "type": "image", "data": "https://example.com/witness.bin"} in witness["blobs"]
    assert "/properties/metadata/properties/language: enum_value_removed" in lines[2]
    assert json.loads(lines[3].split("witness: ", 1)[1])["metadata"]["language"] == "fr"
    assert "2 issues (2 errors, 0 warnings)" in result.out


def test_json_report_carries_the_compatibility_report(tmp_path: Path) -> None:
    _write(tmp_path / "old.json", VIDEO)
    _write(tmp_path / "new.json", _changed())
    args = ("breaking", "new.json", "--against", "old.json", "--mode", "full", "--format", "json")
    doc = run(*args, cwd=tmp_path).json()
    assert doc["mode"] == "full"
    report = doc["reports"]["new.json"]
    assert report["ok"] is False and report["compatible"] is False
    assert [i["code"] for i in doc["issues"]] == ["field_removed", "enum_value_removed"]
    assert all(f["witness"]["object"] for f in report["findings"])


def test_fail_on_warning_and_data_that_settles_it(tmp_path: Path) -> None:
    old = _write(tmp_path / "old.json", VIDEO)
    new_doc = copy.deepcopy(VIDEO)
    new_doc["bucket_schema"]["properties"]["metadata"]["properties"]["rating"] = {"type": "integer"}
    new = _write(tmp_path / "new.json", new_doc)
    assert run("breaking", new, "--against", old, cwd=tmp_path).code == 0
    warned = run("breaking", new, "--against", old, "--fail-on", "warning", cwd=tmp_path)
    assert warned.code == 1 and "field_added" in warned.out
    stored = FIXTURES / "objects" / "video_library.jsonl"
    settled = run("breaking", new, "--against", old, "--fail-on", "warning", "--data", stored, cwd=tmp_path)
    assert settled.code == 0, settled.out
    assert "valid under the old schema and rejected by the new one" in settled.out
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"video_id": "v", "course": "c", "blobs": [
        {"property": "video", "type": "video", "upload_id": "upl_abc123"}], "metadata": {
        "title": "t", "duration_seconds": 1, "rating": "five"}}])
    proven = run("breaking", new, "--against", old, "--data", bad, cwd=tmp_path)
    assert proven.code == 1 and "1 of the 1 stored objects given are rejected" in proven.out


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_against_a_git_revision(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    buckets = tmp_path / "buckets"
    buckets.mkdir()
    bucket = _write(buckets / "video_library.json", VIDEO)
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "v1")
    assert run("breaking", bucket, "--against", "git:HEAD", cwd=tmp_path).code == 0
    _write(bucket, _changed())
    broken = run("breaking", "buckets/video_library.json", "--against", "git:HEAD", cwd=tmp_path)
    assert broken.code == 1 and "field_removed" in broken.out
    fresh = _write(buckets / "new_bucket.json", VIDEO)
    new = run("breaking", fresh, "--against", "git:HEAD", cwd=tmp_path)
    assert new.code == 0 and "does not exist at HEAD" in new.err
    missing = run("breaking", bucket, "--against", "git:no-such-ref", cwd=tmp_path)
    assert missing.code == 2 and "cannot read" in missing.err
    assert_no_traceback(missing)


def test_pipeline_collections_are_located_in_the_manifest(tmp_path: Path) -> None:
    import yaml

    manifest = FIXTURES / "pipelines" / "video_pipeline.yaml"
    bucket = yaml.safe_load(manifest.read_text(encoding="utf-8"))["buckets"]["bkt_marketing_videos"]
    old = _write(tmp_path / "old.json", bucket)
    new_doc = copy.deepcopy(bucket)
    del new_doc["bucket_schema"]["properties"]["metadata"]["properties"]["tags"]
    new = _write(tmp_path / "new.json", new_doc)
    result = run("breaking", new, "--against", old, "--pipeline", manifest, cwd=tmp_path)
    assert result.code == 1
    broken = [line for line in result.lines if line.startswith(str(manifest)) and "collection_broken" in line]
    assert len(broken) == 2
    assert broken[0].startswith(f"{manifest}:") and "/collections/col_video_frames/" in broken[0]


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "text"])
def test_every_report_format(tmp_path: Path, fmt: str) -> None:
    old = _write(tmp_path / "old.json", VIDEO)
    new = _write(tmp_path / "new.json", _changed())
    result = run("breaking", new, "--against", old, "--format", fmt, cwd=tmp_path)
    assert result.code == 1, result.err
    assert "enum_value_removed" in result.out
    assert_no_traceback(result)


@pytest.mark.parametrize(
    "args",
    [
        ("missing.json", "--against", "old.json"),
        ("new.json", "--against", "missing.json"),
        ("new.json", "other.json", "--against", "old.json"),
        ("new.json", "--against", "old.json", "--mode", "sideways"),
        ("new.json", "--against", "old.json", "--data", "nowhere.jsonl"),
    ],
)
def test_unusable_input_exits_2_without_a_traceback(tmp_path: Path, args: tuple[str, ...]) -> None:
    _write(tmp_path / "old.json", VIDEO)
    _write(tmp_path / "new.json", VIDEO)
    _write(tmp_path / "other.json", VIDEO)
    result = run("breaking", *args, cwd=tmp_path)
    assert result.code == 2, (result.out, result.err)
    assert_no_traceback(result)


def test_pre_commit_hook_compares_staged_bucket_files_with_head(tmp_path: Path) -> None:
    import os
    import shutil
    import sys

    import yaml

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    hooks_text = (FIXTURES.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    hook = next(h for h in yaml.safe_load(hooks_text) if h["id"] == "schemakit-breaking")
    assert hook["entry"] == "schemakit breaking --against git:HEAD"
    hook_repo = tmp_path / "hooks"
    hook_repo.mkdir()
    # pre-commit runs the schemakit installed here instead of building a virtualenv from the index
    (hook_repo / ".pre-commit-hooks.yaml").write_text(hooks_text.replace("language: python", "language: system"))
    _git(hook_repo, "init", "-q")
    _git(hook_repo, "add", ".")
    _git(hook_repo, "commit", "-q", "-m", "hooks")
    project = tmp_path / "project"
    (project / "buckets").mkdir(parents=True)
    _write(project / "buckets" / "videos.json", VIDEO)
    (project / "README.md").write_text("not a bucket\n")
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "v1")
    _write(project / "buckets" / "videos.json", _changed())
    _git(project, "add", ".")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "cache")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    exe = str(Path(sys.executable).parent / "pre-commit")
    args = [exe, "try-repo", str(hook_repo), "schemakit-breaking", "--files", "buckets/videos.json", "README.md"]
    done = subprocess.run(args, cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "buckets/videos.json:5: /properties/thumbnail: field_removed" in done.stdout
    assert "witness: " in done.stdout
