"""What a run tells: time and rate, thousands separators, --statistics, colour, --exit-zero, consistent counts;
and the unique-key store the counts rely on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_cli_support import BUCKET, good, run, write_jsonl

from schemakit.cli._keys import KeyStore

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def bucket(tmp_path: Path) -> Path:
    path = tmp_path / "bucket.json"
    path.write_text(json.dumps(BUCKET), encoding="utf-8")
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    # 1,234 objects, one in a hundred with a string price
    return write_jsonl(tmp_path / "d.jsonl", [good(f"K{i}", price="x" if i % 100 == 5 else i) for i in range(1234)])


def test_summary_has_time_rate_and_thousands_separators(bucket: Path, data: Path) -> None:
    result = run("validate", bucket, data)
    assert result.code == 1
    tail = result.raw.splitlines()[-3:]
    assert tail[0] == "1,234 objects checked in 1 file: 1,221 valid, 13 invalid; 13 issues (13 errors, 0 warnings)"
    assert tail[1] == "issues by code: type_mismatch 13"
    match = re.fullmatch(r"elapsed ([0-9]+\.[0-9]{2}) s, ([0-9,]+) objects/s", tail[2])
    assert match, tail[2]
    # the figures are reported, not judged: the text rounds to hundredths, so a fast run may show 0.00 s
    shown = (float(match[1]), int(match[2].replace(",", "")))
    assert min(shown) >= 0
    summary = json.loads(run("validate", bucket, data, "-f", "json").raw)["summary"]
    reported = (summary["elapsed_seconds"], summary["objects_per_second"])
    assert min(reported) > 0


def test_statistics_can_be_turned_off_without_losing_the_summary(bucket: Path, data: Path) -> None:
    result = run("validate", bucket, data, "--no-statistics")
    assert "issues by code" not in result.out
    assert "1,234 objects checked in 1 file" in result.out
    assert "issues by code: type_mismatch 13" in run("validate", bucket, data, "--statistics").out


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        ((), {}, False),  # not a terminal
        (("--color", "always"), {}, True),
        ((), {"FORCE_COLOR": "1"}, True),
        (("--color", "never"), {"FORCE_COLOR": "1"}, False),
        ((), {"FORCE_COLOR": "0"}, False),
    ],
)
def test_color(bucket: Path, data: Path, args: tuple[str, ...], env: dict[str, str], colored: bool) -> None:
    result = run("validate", bucket, data, *args, **env)
    assert bool(ANSI.search(result.raw)) is colored
    # the text is the same with or without the escape codes
    assert ANSI.sub("", result.out) == run("validate", bucket, data).out


def test_exit_zero_keeps_the_report_but_not_usage_errors(bucket: Path, data: Path) -> None:
    result = run("validate", bucket, data, "--exit-zero")
    assert result.code == 0 and "13 invalid" in result.out
    assert run("validate", bucket, "missing.jsonl", "--exit-zero").code == 2


def test_an_oversized_batch_counts_all_its_objects_invalid(bucket: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps({"objects": [good(f"K{i}") for i in range(101)]}))
    result = run("validate", bucket, batch)
    assert result.code == 1
    assert "101 objects checked in 1 file: 0 valid, 101 invalid; 1 issue (1 error, 0 warnings)" in result.out


def test_check_commands_count_what_they_check_by_name(tmp_path: Path) -> None:
    from test_cli_support import FIXTURES

    schemas = run("check-schema", FIXTURES / "buckets" / "product_catalog.json", "-f", "json").json()["summary"]
    assert schemas["schemas"] == 1 and "objects" not in schemas
    pipeline = FIXTURES / "pipelines" / "video_pipeline.yaml"
    collections = run("check-pipeline", pipeline, "-f", "json").json()["summary"]
    assert collections["collections"] >= 1 and "objects" not in collections
    assert "collections/s" in run("check-pipeline", pipeline).raw


# --------------------------------------------------------------------------- the unique-key store


@given(st.lists(st.tuples(st.one_of(st.text(max_size=6), st.integers(-5, 5))), max_size=300))
def test_key_store_agrees_with_a_dict(keys: list[tuple[object]]) -> None:
    store = KeyStore()
    oracle: dict[object, tuple[str, int]] = {}
    for line, key in enumerate(keys, 1):
        label = f"f{line % 3}"
        expected = oracle.get(key)
        assert store.first_seen(key, label, line) == expected
        oracle.setdefault(key, (label, line))
    assert len(store) == len(oracle)


def test_key_store_stays_under_64_bytes_a_key() -> None:
    store = KeyStore()
    for i in range(50_000):
        store.first_seen((f"SKU-{i:08d}",), "data.jsonl", i + 1)
    assert len(store) == 50_000
    assert store.nbytes / len(store) < 64
    assert store.first_seen(("SKU-00000007",), "other.jsonl", 1) == ("data.jsonl", 8)
