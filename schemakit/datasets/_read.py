"""Reading dataset files as streams of record batches: Parquet, Arrow IPC (Feather), CSV and JSON Lines.

A file is recognised by its first bytes (Parquet's ``PAR1``, Arrow IPC's ``ARROW1`` or a stream's
continuation marker) and otherwise by its extension (``.csv``, ``.jsonl``/``.ndjson``). Nothing reads
a whole file: Parquet by row groups and batches, IPC batch by batch (memory-mapped), CSV block by
block, JSON Lines line by line.

CSV cells are text. A CSV row, as the validator sees it, is read by one rule (:func:`csv_cell`): an empty
cell is null; a cell of a number field that is a JSON number is that number (a float; an integer field's
integers are ints), a boolean field's ``true``/``false`` (any case) is the boolean; anything else stays
the text it is, so ``"12.50x"`` is reported as a string where a number belongs, never cast.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from schemakit._contract.bucket import FieldDef, SchemaDef
from schemakit._contract.types import FIELD_TYPES
from schemakit.datasets._columns import Mask
from schemakit.datasets._formats import UnreadableFile


@dataclass(frozen=True, slots=True)
class Unit:
    """One task's share of the dataset: a file, or some row groups of a Parquet file."""

    index: int
    path: str
    fmt: str
    row_groups: tuple[int, ...] | None = None
    first_row: int = 0


def units_of(index: int, path: str, fmt: str, *, split: bool) -> list[Unit]:
    """The file as one unit, or (``split``) one unit per row group of a Parquet file."""
    if fmt != "parquet" or not split:
        return [Unit(index, path, fmt)]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    try:
        meta = pq.ParquetFile(path).metadata
    except (OSError, pa.ArrowException) as exc:
        raise UnreadableFile(f"not a readable Parquet file: {exc}") from None
    out: list[Unit] = []
    first = 0
    for g in range(meta.num_row_groups):
        out.append(Unit(index, path, fmt, (g,), first))
        first += meta.row_group(g).num_rows
    return out or [Unit(index, path, fmt)]


def _rebatch(batches: Iterator[pa.RecordBatch], batch_rows: int) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        if batch.num_rows <= batch_rows:
            yield batch
            continue
        for start in range(0, batch.num_rows, batch_rows):
            yield batch.slice(start, batch_rows)


def arrow_batches(unit: Unit, batch_rows: int, columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
    """The record batches of a Parquet or IPC unit, at most ``batch_rows`` rows each.

    ``columns`` reads only those of a Parquet file's top-level columns (the ones it has); IPC gives all.
    """
    try:
        if unit.fmt == "parquet":
            import pyarrow.parquet as pq

            pf = pq.ParquetFile(unit.path)
            chosen = None if columns is None else [c for c in columns if c in pf.schema_arrow.names]
            yield from pf.iter_batches(batch_size=batch_rows, row_groups=unit.row_groups, columns=chosen)
        else:
            source = pa.memory_map(unit.path, "r")
            try:
                reader = pa.ipc.open_file(source)
                chunks: Iterator[pa.RecordBatch] = (
                    reader.get_batch(i) for i in range(reader.num_record_batches)
                )
            except pa.ArrowInvalid:
                source.seek(0)
                chunks = iter(pa.ipc.open_stream(source))
            yield from _rebatch(chunks, batch_rows)
    except (OSError, pa.ArrowException) as exc:
        kind = "Parquet" if unit.fmt == "parquet" else "Arrow IPC"
        raise UnreadableFile(f"not a readable {kind} file: {exc}") from None


# -- CSV ------------------------------------------------------------------------------------------------------

_JSON_NUMBER = r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$"
_JSON_INTEGER = r"^-?(?:0|[1-9][0-9]*)$"
_is_number = re.compile(_JSON_NUMBER.replace("$", r"\Z")).match
_is_integer = re.compile(_JSON_INTEGER.replace("$", r"\Z")).match


def _scalar_kind(f: FieldDef | None) -> str | None:
    """The JSON Schema type of a top-level scalar field (``number``, ``integer``...), or None."""
    if f is None:
        return None
    ftype = FIELD_TYPES[f.type]
    if ftype.check_kind != "simple":
        return None
    kind = ftype.json_schema.get("type")
    return kind if isinstance(kind, str) else None


def csv_cell(text: str | None, kind: str | None) -> Any:
    """A CSV cell as the validator reads it (see the module docstring)."""
    if text is None or text == "":
        return None
    if kind in ("number", "integer"):
        if kind == "integer" and _is_integer(text):
            return int(text)
        if _is_number(text):
            return float(text)
    elif kind == "boolean":
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
    return text


def nested_csv_fields(schema: SchemaDef) -> list[str]:
    """Fields a CSV cell cannot hold: objects and arrays (their cells are read as text)."""
    return [
        name
        for name, f in schema.fields.items()
        if not (f.is_file or f.file_items) and FIELD_TYPES[f.type].category == "container"
    ]


def _header(path: str) -> list[str]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        row = next(csv.reader(f), None)
    return row or []


@dataclass(frozen=True, slots=True)
class CsvBatch:
    """A CSV block: the cells as text, and the typed batch the columnar rules read."""

    text: pa.RecordBatch
    typed: pa.RecordBatch
    drift: Mask
    """Rows with a cell the typed batch cannot hold as its column's type: judged on ``rows`` alone."""
    kinds: dict[str, str | None]

    def rows(self, indices: Any) -> list[dict[str, Any]]:
        """The rows at ``indices`` as the validator reads them, cell by cell by :func:`csv_cell`."""
        out = []
        for raw in self.text.take(pa.array(indices, type=pa.int64())).to_pylist():
            out.append({k: csv_cell(v, self.kinds.get(k)) for k, v in raw.items()})
        return out


def _typed_column(text: pa.Array, kind: str | None) -> tuple[pa.Array, Mask]:
    """The column in its field's type where every cell converts, and the rows where a cell does not."""
    present = np.asarray(pc.is_valid(text).to_numpy(zero_copy_only=False), dtype=np.bool_)
    none = np.zeros(len(text), dtype=np.bool_)
    if kind in ("number", "integer"):
        pattern = _JSON_INTEGER if kind == "integer" else _JSON_NUMBER
        fits = np.asarray(pc.fill_null(pc.match_substring_regex(text, pattern), True).to_numpy(
            zero_copy_only=False), dtype=np.bool_)
        target = pa.int64() if kind == "integer" else pa.float64()
        clean = pc.if_else(pa.array(fits & present), text, pa.scalar(None, pa.string()))
        try:
            return pc.cast(clean, target), present & ~fits
        except (pa.ArrowInvalid, OverflowError):
            # an integer past 64 bits: every row of the block is read cell by cell
            return pa.nulls(len(text), target), np.ones(len(text), dtype=np.bool_)
    if kind == "boolean":
        lowered = pc.utf8_lower(text)
        is_true = pc.equal(lowered, "true")
        is_bool = pc.or_(is_true, pc.equal(lowered, "false"))
        fits = np.asarray(pc.fill_null(is_bool, True).to_numpy(zero_copy_only=False), dtype=np.bool_)
        return pc.if_else(is_bool, is_true, pa.scalar(None, pa.bool_())), present & ~fits
    return text, none


def csv_batches(path: str, schema: SchemaDef, batch_rows: int) -> Iterator[CsvBatch]:
    import pyarrow.csv as pacsv  # type: ignore[import-untyped]

    try:
        names = _header(path)
        if not names:
            return  # an empty file: no rows
        kinds = {name: _scalar_kind(schema.fields.get(name)) for name in names}
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=1 << 22),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )
        for block in _rebatch(iter(reader), batch_rows):
            columns = []
            drift = np.zeros(block.num_rows, dtype=np.bool_)
            for i, name in enumerate(block.schema.names):
                typed, bad = _typed_column(block.column(i), kinds.get(name))
                columns.append(typed)
                drift |= bad
            typed_batch = pa.RecordBatch.from_arrays(columns, names=block.schema.names)
            yield CsvBatch(block, typed_batch, drift, kinds)
    except (OSError, UnicodeDecodeError, pa.ArrowException, csv.Error) as exc:
        raise UnreadableFile(f"not a readable CSV file: {exc}") from None


# -- JSON Lines -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JsonLine:
    row: int
    value: Any
    error: str | None = None


def json_lines(path: str) -> Iterator[JsonLine]:
    """Each non-blank line's value, or why it is not JSON; ``row`` is the 0-based line number."""
    try:
        with open(path, "rb") as f:
            for row, line in enumerate(f):
                if not line.strip():
                    continue
                try:
                    yield JsonLine(row, orjson.loads(line))
                except orjson.JSONDecodeError as exc:
                    yield JsonLine(row, None, f"the line is not valid JSON: {exc}")
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}") from None


RowsOf = Callable[[Any], list[dict[str, Any]]]
