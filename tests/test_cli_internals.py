"""In-process checks of the CLI's reading machinery: block splitting and locating paths as lines.

The console-script tests cover behaviour end to end; these pin the two pieces
whose bugs would show only on large or oddly shaped inputs.
"""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemakit.cli._check import byte_ranges, iter_blocks
from schemakit.cli._inputs import iter_json_items, json_line_of

lines_st = st.lists(st.binary(max_size=30).map(lambda b: b.replace(b"\n", b"")), max_size=40)


@given(lines=lines_st, trailing=st.booleans(), block=st.integers(min_value=1, max_value=64))
def test_blocks_are_whole_lines_and_cover_the_input(lines: list[bytes], trailing: bool, block: int) -> None:
    data = b"\n".join(lines) + (b"\n" if trailing and lines else b"")
    blocks = list(iter_blocks(io.BytesIO(data), block))
    assert b"".join(blocks) == data
    assert blocks  # even an empty input gives one (empty) block
    for b in blocks[:-1]:
        assert b.endswith(b"\n")


@given(lines=lines_st, block=st.integers(min_value=1, max_value=64))
def test_byte_ranges_split_on_newlines(
    tmp_path_factory: pytest.TempPathFactory, lines: list[bytes], block: int
) -> None:
    data = b"".join(line + b"\n" for line in lines)
    path = tmp_path_factory.mktemp("ranges") / "d.jsonl"
    path.write_bytes(data)
    ranges = list(byte_ranges(str(path), len(data), block))
    assert ranges[0][0] == 0 and ranges[-1][1] == len(data)
    for (_, end), (start, _) in itertools.pairwise(ranges):
        assert end == start
        assert data[end - 1 : end] == b"\n"


DOC = """{
  "bucket_name": "b",
  "bucket_schema": {
    "properties": {
      "title": {"type": "strng"},
      "tags": {
        "type": "array",
        "items": {"type": "string"}
      }
    }
  },
  "list": [1, {"a": 2},
    {"b": 3}]
}"""


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ((), 1),
        (("bucket_schema",), 3),
        (("bucket_schema", "properties", "title", "type"), 5),
        (("bucket_schema", "properties", "tags", "items", "type"), 8),
        (("list", 2, "b"), 13),
        (("list", 1), 12),
        # a path that goes nowhere stops at the deepest part that exists
        (("bucket_schema", "properties", "missing", "type"), 4),
        (("list", 7), 12),
    ],
)
def test_json_line_of(path: tuple[str | int, ...], line: int) -> None:
    assert json_line_of(DOC, path) == line


def test_json_items_of_each_file_shape() -> None:
    single = '\n\n  {"sku": "a"}\n'
    assert [(i.line, i.prefix) for i in iter_json_items(single)] == [(3, ())]
    listed = '[\n  {"sku": "a"},\n\n  {"sku": "b"}, {"sku": "c"}\n]'
    assert [(i.line, i.prefix) for i in iter_json_items(listed)] == [(2, (0,)), (4, (1,)), (4, (2,))]
    batch = json.dumps({"objects": [{"sku": "a"}, {"sku": "b"}]}, indent=2)
    assert [(i.line, i.prefix, i.value) for i in iter_json_items(batch)] == [
        (3, ("objects", 0), {"sku": "a"}),
        (6, ("objects", 1), {"sku": "b"}),
    ]
    # a mapping with other keys besides "objects" is one object request, not a batch
    assert [i.prefix for i in iter_json_items('{"objects": [], "sku": "x"}')] == [()]


def test_json_items_raise_before_yielding_on_a_malformed_file() -> None:
    with pytest.raises(json.JSONDecodeError):
        next(iter_json_items('[{"sku": "a"}, {"sku": ]'))


def test_yaml_documents_locate_lines(tmp_path: Path) -> None:
    from schemakit.cli._inputs import load_document

    path = tmp_path / "m.yaml"
    path.write_text("buckets:\n  b1:\n    bucket_schema:\n      properties:\n        t: {type: strng}\n")
    doc = load_document(str(path), what="manifest")
    assert doc.line_of(("buckets", "b1", "bucket_schema", "properties", "t", "type")) == 5
    assert doc.line_of(("buckets", "nope")) == 2


@given(data=st.binary(max_size=400))
def test_any_bytes_give_findings_never_an_exception(data: bytes) -> None:
    from schemakit.cli._check import ObjectChecker
    from schemakit.schema import compile_schema

    checker = ObjectChecker(compile_schema({"properties": {"t": {"type": "string", "required": True}}}))
    chunk = checker.check_block(data)
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    assert chunk.lines == len(lines)
    assert chunk.objects == sum(1 for line in lines if line.strip())
    # every object here lacks "t" or is not JSON, so each one has a finding, in line order
    assert [f.line for f in chunk.findings] == [n for n, line in enumerate(lines, 1) if line.strip()]
