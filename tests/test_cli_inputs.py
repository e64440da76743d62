"""Inputs of ``validate``: compressed files (by their first bytes), --input-format, and --write-normalized."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
from pathlib import Path

import pytest
import zstandard
from test_cli_support import BUCKET, good, run, write_jsonl

COMPRESSORS = {
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
    ".zst": lambda data: zstandard.ZstdCompressor().compress(data),
}


@pytest.fixture
def bucket(tmp_path: Path) -> Path:
    path = tmp_path / "bucket.json"
    path.write_text(json.dumps(BUCKET, indent=2), encoding="utf-8")
    return path


def _lines(*objects: object) -> bytes:
    return "".join(json.dumps(o) + "\n" for o in objects).encode()


def test_every_compression_reads_like_the_plain_file(bucket: Path, tmp_path: Path) -> None:
    files = []
    for i, (suffix, compress) in enumerate(COMPRESSORS.items()):
        path = tmp_path / f"part{i}.jsonl{suffix}"
        # the keys differ per file, so only line 2 of each is invalid
        path.write_bytes(compress(_lines(good(f"A{i}"), good(f"B{i}", price="x"), good(f"C{i}"))))
        files.append(path)
    result = run("validate", bucket, *files)
    assert result.code == 1
    lines = [line for line in result.lines if ": type_mismatch: " in line]
    assert lines == [f"{p}:2: /metadata/price: type_mismatch: expected number, found string 'x'" for p in files]
    assert "12 objects checked in 4 files: 8 valid, 4 invalid" in result.out
    assert "compression_mismatch" not in result.out
    # a directory finds compressed data files too, and --jobs 2 decompresses in order
    assert run("validate", bucket, tmp_path, "--jobs", "2").out == run("validate", bucket, tmp_path).out


def test_compressed_data_under_a_plain_name_is_read_with_one_warning(bucket: Path, tmp_path: Path) -> None:
    mislabelled = tmp_path / "products.jsonl"
    mislabelled.write_bytes(gzip.compress(_lines(good("A"), good("B", price="x"))))
    result = run("validate", bucket, mislabelled)
    assert result.code == 1
    assert result.lines[:2] == [
        f"{mislabelled}:1: /: compression_mismatch: gzip data in a file not named .gz; it was decompressed"
        " (name it .gz or pass --input-format)",
        f"{mislabelled}:2: /metadata/price: type_mismatch: expected number, found string 'x'",
    ]
    # an explicit --input-format says the user knows: no warning
    explicit = run("validate", bucket, mislabelled, "--input-format", "jsonl")
    assert "compression_mismatch" not in explicit.out and ": type_mismatch: " in explicit.out
    # and the other way round: a .gz name on plain data
    plain = tmp_path / "plain.jsonl.gz"
    plain.write_bytes(_lines(good("C")))
    other = run("validate", bucket, plain)
    assert other.code == 0
    assert "the name says gzip (.gz) but the file holds data that is not compressed" in other.out


def test_truncated_compressed_data_is_one_issue_after_the_objects_read(bucket: Path, tmp_path: Path) -> None:
    whole = gzip.compress(_lines(*(good(f"K{i}") for i in range(2000))))
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    for jobs in ("1", "2"):
        result = run("validate", bucket, cut, "--jobs", jobs)
        assert result.code == 1
        issues = [line for line in result.lines if ": corrupt_input: " in line]
        assert len(issues) == 1 and "gzip data is corrupt or truncated" in issues[0]
        (summary,) = (line for line in result.lines if " objects checked in 1 file: " in line)
        checked = int(summary.split()[0].replace(",", ""))
        assert 0 < checked < 2000


def test_stdin_takes_compressed_and_pretty_printed_json(bucket: Path) -> None:
    gz = run("validate", bucket, "-", stdin=gzip.compress(_lines(good("A"), good("B", price="x"))))
    assert gz.code == 1 and "-:2: /metadata/price: type_mismatch" in gz.out
    pretty = json.dumps([good("A"), good("B", price="x")], indent=2)
    as_lines = run("validate", bucket, "-", stdin=pretty)
    assert as_lines.code == 1 and ": invalid_json: " in as_lines.out
    as_json = run("validate", bucket, "-", "--input-format", "json", stdin=pretty)
    assert as_json.code == 1
    assert as_json.lines[0].startswith("-:") and "/1/metadata/price: type_mismatch" in as_json.lines[0]
    assert "2 objects checked in 1 file: 1 valid, 1 invalid" in as_json.out
    # workers do not read the run's stdin: the parent hands its bytes over
    assert run("validate", bucket, "-", "--input-format", "json", "--jobs", "2", stdin=pretty).out == as_json.out


def test_filter_reads_compressed_data(tmp_path: Path) -> None:
    data = tmp_path / "records.jsonl.zst"
    data.write_bytes(COMPRESSORS[".zst"](_lines({"n": 1}, {"n": 5}, {"n": 9})))
    result = run("filter", "n > 3", data)
    assert result.code == 0
    assert result.lines == ['{"n":5}', '{"n":9}']


def test_a_json_file_holding_json_lines(bucket: Path, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(_lines(good("A"), good("B", price="x")))
    auto = run("validate", bucket, path)
    assert auto.lines[:2] == [
        f"{path}:1: /: json_lines_in_json_file: export.json holds JSON Lines (one value a line), not one JSON"
        " document; read as JSON Lines (name it .jsonl, or pass --input-format jsonl)",
        f"{path}:2: /metadata/price: type_mismatch: expected number, found string 'x'",
    ]
    lines = run("validate", bucket, path, "--input-format", "jsonl")
    assert "json_lines_in_json_file" not in lines.out and f"{path}:2: /metadata/price" in lines.out
    # asked for one JSON document, it is not one
    strict = run("validate", bucket, path, "--input-format", "json")
    assert strict.code == 1 and ": invalid_json: " in strict.out


def test_integers_past_64_bits_and_nan_read_as_json_reads_them(tmp_path: Path) -> None:
    schema = tmp_path / "numbers.json"
    schema.write_text(json.dumps({"properties": {"n": {"type": "integer"}, "label": {"type": "string"}}}))
    data = tmp_path / "n.jsonl"
    data.write_text('{"n": 123456789012345678901234567890}\n{"n": 1.5}\n{"n": 1, "label": NaN}\n')
    out = tmp_path / "normalized"
    result = run("validate", schema, data, "--write-normalized", out, cwd=tmp_path)
    # the big integer stays an integer (orjson alone would read a float); NaN is read, and refused
    assert [line.split(": ")[1:3] for line in result.lines if line.startswith(str(data))] == [
        ["/n", "type_mismatch"],
        ["/label", "type_mismatch"],
    ]
    assert (out / "n.jsonl").read_text() == '{"n":123456789012345678901234567890}\n'


def test_write_normalized_writes_what_was_validated(bucket: Path, tmp_path: Path) -> None:
    upper = good("A")
    upper["blobs"][0]["type"] = "IMAGE"
    objects = [upper, good("B", price="x"), good("C"), good("A")]
    (tmp_path / "in").mkdir()
    data = write_jsonl(tmp_path / "in" / "batch.jsonl", objects)
    listed = tmp_path / "in" / "list.json"
    listed.write_text(json.dumps([good("D"), good("E", price="y")], indent=2))
    out = tmp_path / "out"
    result = run("validate", bucket, data, listed, "--write-normalized", out, cwd=tmp_path)
    assert result.code == 1
    batch = [json.loads(line) for line in (out / "in" / "batch.jsonl").read_text().splitlines()]
    # invalid (B) and repeated-key (the second A) objects are left out; blob types lower-cased
    assert [o["sku"] for o in batch] == ["A", "C"]
    assert batch[0]["blobs"][0]["type"] == "image"
    assert [json.loads(line)["sku"] for line in (out / "in" / "list.jsonl").read_text().splitlines()] == ["D"]
    parallel = tmp_path / "out2"
    run("validate", bucket, data, listed, "--write-normalized", parallel, "--jobs", "2", cwd=tmp_path)
    assert (parallel / "in" / "batch.jsonl").read_bytes() == (out / "in" / "batch.jsonl").read_bytes()
