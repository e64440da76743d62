"""Shared helpers for the CLI tests, and the tests of the command line as a whole.

Every CLI test runs the *installed* console script in a subprocess, as CI and
pre-commit do, so entry point, argument parsing, exit codes and stream
handling are all exercised for real.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def schemakit_exe() -> str:
    beside = Path(sys.executable).parent / "schemakit"
    if beside.exists():
        return str(beside)
    found = shutil.which("schemakit")
    if found is None:
        pytest.fail("the schemakit console script is not installed (pip install -e .)")
    return found


TIMING_LINE = re.compile(r"^elapsed [0-9.]+ s, [0-9,]+ [a-z]+s/s\n", re.MULTILINE)
TIMING_KEYS = ("elapsed_seconds", "objects_per_second", "schemas_per_second", "collections_per_second")


TIMING_TEXT = re.compile(r"elapsed [0-9.]+ s, [0-9,]+ [a-z]+s/s")
TIMING_JSON = re.compile(r'"(elapsed_seconds|[a-z]+s_per_second)": [0-9.]+')


def mask_timing(text: str) -> str:
    """A report without the run's elapsed time and rate: the one part two runs may not share.

    The text summary's timing line goes; elsewhere (json, html) the figures become 0.
    """
    text = TIMING_LINE.sub("", text)
    text = TIMING_TEXT.sub("elapsed 0 s, 0 /s", text)
    return TIMING_JSON.sub(r'"\1": 0', text)


@dataclass
class Result:
    """A finished run. ``out`` is stdout without the timing line (``raw`` keeps it); ``json()`` drops the
    timing keys of the summary: most tests compare reports, and the timing tests read ``raw``."""

    code: int
    raw: str
    err: str

    @property
    def out(self) -> str:
        return mask_timing(self.raw)

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    def json(self) -> Any:
        doc = json.loads(self.raw)
        summary = doc.get("summary") if isinstance(doc, dict) else None
        if isinstance(summary, dict):
            for key in TIMING_KEYS:
                summary.pop(key, None)
        return doc


def run(*args: str | Path, stdin: str | bytes | None = None, cwd: Path | None = None, **env: str) -> Result:
    """Run ``schemakit ARGS`` and capture everything; never raises on a non-zero exit."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env.update(env)
    data = stdin.encode() if isinstance(stdin, str) else stdin
    proc = subprocess.run(
        [schemakit_exe(), *map(str, args)],
        input=data if data is not None else b"",
        capture_output=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=120,
    )
    return Result(proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def write_jsonl(path: Path, objects: list[Any]) -> Path:
    path.write_text("".join(json.dumps(o) + "\n" for o in objects), encoding="utf-8")
    return path


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.err, result.err


# A small bucket used across the CLI tests: one required image, a unique sku, typed metadata.
BUCKET: dict[str, Any] = {
    "bucket_name": "shop",
    "bucket_schema": {
        "properties": {
            "sku": {"type": "string", "required": True},
            "image": {"type": "image", "required": True},
            "metadata": {
                "type": "object",
                "properties": {
                    "title": {"type": "string", "required": True},
                    "price": {"type": "number"},
                    "released": {"type": "date"},
                },
            },
        }
    },
    "unique_key": {"fields": ["sku"]},
}


def good(sku: str, **meta: Any) -> dict[str, Any]:
    return {
        "sku": sku,
        "blobs": [{"property": "image", "type": "image", "data": f"https://cdn.example.com/{sku}.jpg"}],
        "metadata": {"title": f"item {sku}", **meta},
    }


@pytest.fixture
def bucket_file(tmp_path: Path) -> Path:
    path = tmp_path / "bucket.json"
    path.write_text(json.dumps(BUCKET, indent=2), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the program as a whole


def test_version_prints_the_package_version() -> None:
    import schemakit

    result = run("--version")
    assert result.code == 0
    assert result.out.strip() == f"schemakit {schemakit.__version__}"


@pytest.mark.parametrize(
    "command", [[], ["validate"], ["check-schema"], ["check-pipeline"], ["filter"], ["export-jsonschema"]]
)
def test_every_help_shows_an_example(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.code == 0
    assert "Examples:" in result.out
    assert "schemakit " in result.out.split("Examples:", 1)[1]


def test_unknown_command_is_a_usage_error() -> None:
    result = run("validat")
    assert result.code == 2
    assert "No such command" in result.err
    assert_no_traceback(result)


def test_missing_argument_is_a_usage_error(bucket_file: Path) -> None:
    result = run("validate", bucket_file)
    assert result.code == 2
    assert "Missing argument 'DATA...'" in result.err
    assert_no_traceback(result)


def test_bad_option_value_is_a_usage_error(bucket_file: Path, tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "d.jsonl", [good("A")])
    result = run("validate", bucket_file, data, "--format", "xml")
    assert result.code == 2
    assert "Invalid value for '--format'" in result.err
    assert_no_traceback(result)
