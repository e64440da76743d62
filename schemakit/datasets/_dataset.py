"""``validate_dataset``: files of a dataset, streamed batch by batch, on this machine or on a Dask cluster.

The work is cut into units (a file, or on Dask a Parquet row group); each unit is validated alone and
emits, for the unique key, ``(digest, location, valid)`` records hash-partitioned by digest. Each digest
partition then finds its repeated keys: the first occurrence in dataset order (file, then row) stays
valid, every later one is ``duplicate_unique_key``. Both engines run these same two functions, and the
report is assembled from their results in one order, so ``engine="dask"`` and ``engine="local"`` give the
same counts and the same first ``max_issues`` issues.

A digest is 16 bytes of BLAKE2b over the key as :meth:`CompiledSchema.unique_key_value` normalizes it, so
keys equal there are equal here; a record is 25 bytes. The local engine spills the records to a temporary
file per partition, so memory does not grow with the dataset.
"""

from __future__ import annotations

import glob
import hashlib
import heapq
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from schemakit._contract.results import ResultShape
from schemakit._contract.types import FIELD_TYPES
from schemakit._issues import Issue, PathSegment
from schemakit.datasets._columns import _np, is_text
from schemakit.datasets._formats import UnreadableFile, sniff_format
from schemakit.datasets._read import (
    Unit,
    arrow_batches,
    csv_batches,
    csv_cell,
    json_lines,
    nested_csv_fields,
    units_of,
)
from schemakit.datasets._table import DEFAULT_BATCH_ROWS, DEFAULT_MAX_ISSUES, Tally, check_batch, issues_table
from schemakit.schema._compiled import CompiledSchema, compile_bucket, compile_schema

if TYPE_CHECKING:
    from schemakit.datasets._columns import Mask

PARTITIONS = 16
KEY_RECORD = np.dtype([("hi", "<u8"), ("lo", "<u8"), ("loc", "<i8"), ("ok", "u1")])
ROW_BITS = 40  # a location is file index << 40 | row: a million files of a trillion rows
ENGINES = ("local", "dask")
_GLOB_CHARS = frozenset("*?[")

Records = npt.NDArray[Any]


# -- reports --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileReport:
    """One file's counts."""

    path: str
    format: str | None
    rows: int
    valid: int
    invalid: int

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "format": self.format, "rows": self.rows, "valid": self.valid,
                "invalid": self.invalid}


@dataclass(frozen=True)
class DatasetReport(ResultShape):
    """The verdict on every row of every file: counts, per-file counts and the first ``max_issues`` issues.

    Each issue's path starts with the file and the 0-based row: ``("data/a.parquet", 12, "metadata",
    "price")``; an issue of a whole file (unreadable, a CSV that cannot hold a field) has the file alone.
    """

    rows: int
    valid: int
    invalid: int
    by_code: dict[str, int]
    issues: list[Issue]
    files: list[FileReport]
    errors_found: int = field(default=0, repr=False)

    @property
    def ok(self) -> bool:
        """No invalid row and no unreadable file."""
        return self.errors_found == 0

    def issues_table(self) -> pa.Table:
        """The reported issues as a table: file, row (-1 for a whole file), pointer, code, severity, message."""
        return issues_table(self.issues, located_by=2)

    def _payload(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "valid": self.valid,
            "invalid": self.invalid,
            "by_code": dict(self.by_code),
            "files": [f.to_dict() for f in self.files],
        }


# -- phase 1: one unit -----------------------------------------------------------------------------------------


@dataclass
class UnitResult:
    unit: Unit
    label: str
    fmt: str | None
    tally: Tally
    keys: list[Records] | None = None


def _part_text(part: Any) -> str | None:
    """A normalized key part as text, equal for equal parts; None for a part equal to nothing (NaN)."""
    if part.__class__ is str:
        return f"s{len(part)}:{part}"  # length first: no separator inside a part can shift the parts
    if part.__class__ is bool:
        return f"i:{int(part)}"  # True == 1 in a batch's key set, so here too
    if part.__class__ is int:
        return f"i:{part}"
    if isinstance(part, float):
        return None if part != part else f"f:{part!r}"
    if isinstance(part, tuple) and part[:1] == ("unhashable",):
        return None
    return f"{type(part).__name__}:{part!r}"


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class KeyCollector:
    """The unique-key records of a unit, hash-partitioned by digest."""

    def __init__(self, compiled: CompiledSchema, file_index: int, partitions: int = PARTITIONS) -> None:
        self.key_value = compiled.unique_key_value
        self.fields = compiled.unique_key_fields
        kinds = [FIELD_TYPES[compiled.schema.fields[n].type].json_schema.get("type") for n in self.fields]
        # a single text key read straight from a text column: the same text add() derives, without the dicts
        self.text_key = len(self.fields) == 1 and kinds == ["string"]
        self.base = file_index << ROW_BITS
        self.parts: list[list[Records]] = [[] for _ in range(partitions)]

    def add(self, rows: Iterable[tuple[int, Any]], valid: Callable[[int], bool]) -> None:
        """The records of ``rows`` (row number, object); ``valid(row)`` is the row's own verdict."""
        digests: list[bytes] = []
        locs: list[int] = []
        oks: list[bool] = []
        for row, obj in rows:
            key = self.key_value(obj)
            if key is None:
                continue
            texts = [_part_text(part) for part in key]
            if any(t is None for t in texts):
                continue
            digests.append(_digest("\x1f".join(t for t in texts if t is not None)))
            locs.append(self.base | row)
            oks.append(valid(row))
        self._store(digests, np.asarray(locs, dtype=np.int64), np.asarray(oks, dtype=np.bool_))

    def add_batch(self, batch: pa.RecordBatch, valid: Mask, first_row: int) -> None:
        """The records of a record batch whose row ``i`` is row ``first_row + i`` of its file."""
        names = batch.schema.names
        present = [n for n in self.fields if n in names]
        column = batch.column(names.index(self.fields[0])) if self.text_key and present else None
        if column is None or not is_text(column.type):
            dicts = batch.select(present).to_pylist() if present else [{}] * batch.num_rows
            self.add(((first_row + i, d) for i, d in enumerate(dicts)), _offset_lookup(valid, first_row))
            return
        keyed = _np(pc.greater(pc.utf8_length(column), 0))  # null and "" are no key
        where = np.flatnonzero(keyed)
        values = column.filter(pa.array(keyed)).to_pylist()
        digests = [_digest(f"s{len(v)}:{v}") for v in values]
        self._store(digests, self.base | (first_row + where.astype(np.int64)), valid[where])

    def _store(self, digests: list[bytes], locs: npt.NDArray[np.int64], oks: Mask) -> None:
        if not digests:
            return
        halves = np.frombuffer(b"".join(digests), dtype=np.dtype([("hi", "<u8"), ("lo", "<u8")]))
        records = np.empty(len(digests), dtype=KEY_RECORD)
        records["hi"] = halves["hi"]
        records["lo"] = halves["lo"]
        records["loc"] = locs
        records["ok"] = oks
        part = records["hi"] % len(self.parts)
        for p in range(len(self.parts)):
            chosen = records[part == p]
            if len(chosen):
                self.parts[p].append(chosen)

    def partitions(self) -> list[Records]:
        return [np.concatenate(chunks) if chunks else np.empty(0, dtype=KEY_RECORD) for chunks in self.parts]


def _arrow_unit(
    compiled: CompiledSchema, unit: Unit, label: str, tally: Tally, keys: KeyCollector | None, batch_rows: int
) -> None:
    row = unit.first_row
    for batch in arrow_batches(unit, batch_rows):
        valid, found = check_batch(compiled, batch)
        tally.add(valid, found, (label,), row)
        if keys is not None:
            keys.add_batch(batch, valid, row)
        row += batch.num_rows


def _offset_lookup(valid: Mask, offset: int) -> Callable[[int], bool]:
    return lambda r: bool(valid[r - offset])


def _csv_unit(
    compiled: CompiledSchema, unit: Unit, label: str, tally: Tally, keys: KeyCollector | None, batch_rows: int
) -> None:
    for name in nested_csv_fields(compiled.schema):
        issue = Issue(
            "nested_field_in_csv",
            (label, name),
            f"field {name!r} is an {compiled.schema.fields[name].type}; a CSV cell holds text, read as a string",
            hint="store objects and arrays in Parquet or Arrow IPC, or in JSON Lines",
        )
        tally.add_file_issue(issue)
    row = 0
    names = compiled.unique_key_fields
    for block in csv_batches(unit.path, compiled.schema, batch_rows):
        valid, found = check_batch(compiled, block.typed, rows_of=block.rows, forced=block.drift)
        tally.add(valid, found, (label,), row)
        if keys is not None:
            present = [n for n in names if n in block.text.schema.names]
            dicts = block.text.select(present).to_pylist() if present else [{}] * block.text.num_rows
            typed = ({k: csv_cell(v, block.kinds.get(k)) for k, v in d.items()} for d in dicts)
            keys.add(((row + i, d) for i, d in enumerate(typed)), _offset_lookup(valid, row))
        row += block.text.num_rows


def _jsonl_unit(
    compiled: CompiledSchema, unit: Unit, label: str, tally: Tally, keys: KeyCollector | None, batch_rows: int
) -> None:
    validate = compiled.validate
    chunk: list[tuple[int, Any]] = []

    def flush() -> None:
        if not chunk:
            return
        verdicts: dict[int, bool] = {}
        for row, value in chunk:
            if isinstance(value, Issue):
                tally.add_row(row, False, [value], (label,))
                verdicts[row] = False
                continue
            result = validate(value)
            tally.add_row(row, result.ok, result.issues, (label,))
            verdicts[row] = result.ok
        if keys is not None:
            keys.add(((r, v) for r, v in chunk if not isinstance(v, Issue)), verdicts.__getitem__)
        chunk.clear()

    for line in json_lines(unit.path):
        value: Any = line.value
        if line.error is not None:
            value = Issue("invalid_json", (), line.error, hint="write one complete JSON object per line")
        chunk.append((line.row, value))
        if len(chunk) >= batch_rows:
            flush()
    flush()


_READERS = {"parquet": _arrow_unit, "ipc": _arrow_unit, "csv": _csv_unit, "jsonl": _jsonl_unit}


def scan_unit(
    compiled: CompiledSchema, unit: Unit, label: str, batch_rows: int, max_issues: int, partitions: int = PARTITIONS
) -> UnitResult:
    """Phase 1: validate one unit; its unique-key records come back in ``partitions`` digest partitions.

    ``partitions=0`` collects no key records: the caller checks keys across rows itself.
    """
    tally = Tally(max_issues)
    keys = KeyCollector(compiled, unit.index, partitions) if compiled.unique_key_fields and partitions else None
    fmt: str | None = unit.fmt
    try:
        _READERS[unit.fmt](compiled, unit, label, tally, keys, batch_rows)
    except UnreadableFile as exc:
        tally.add_file_issue(_unreadable(label, str(exc)), unit.first_row + tally.rows)
    return UnitResult(unit, label, fmt, tally, keys.partitions() if keys is not None else None)


def _unreadable(label: str, why: str) -> Issue:
    return Issue("unreadable_file", (label,), f"{label}: {why}", hint="check the file's format and that it is complete")


# -- phase 2: one digest partition ----------------------------------------------------------------------------


@dataclass
class Duplicates:
    """The repeated keys of one digest partition: how many, how many were valid rows, the first few."""

    count: int
    valid_by_file: dict[int, int]
    first: list[tuple[int, int]]  # (location, location of the key's first occurrence), by location


def find_duplicates(max_issues: int, *parts: Records) -> Duplicates:
    """Phase 2: every record whose digest an earlier location (in dataset order) holds too."""
    records = np.concatenate(parts) if parts else np.empty(0, dtype=KEY_RECORD)
    if len(records) < 2:
        return Duplicates(0, {}, [])
    order = np.lexsort((records["loc"], records["lo"], records["hi"]))
    s = records[order]
    same = (s["hi"][1:] == s["hi"][:-1]) & (s["lo"][1:] == s["lo"][:-1])
    dup = np.concatenate([[False], same])
    if not dup.any():
        return Duplicates(0, {}, [])
    # each record's group start: the index of the first record with its digest
    starts = np.flatnonzero(~dup)
    group = np.cumsum(~dup) - 1
    first_loc = s["loc"][starts][group]
    dup_loc = s["loc"][dup]
    dup_first = first_loc[dup]
    was_valid = s["ok"][dup].astype(bool)
    files = dup_loc[was_valid] >> ROW_BITS
    valid_by_file = {int(f): int(c) for f, c in zip(*np.unique(files, return_counts=True), strict=True)}
    chosen = np.argsort(dup_loc, kind="stable")[:max_issues]
    first = [(int(dup_loc[i]), int(dup_first[i])) for i in chosen]
    return Duplicates(int(dup.sum()), valid_by_file, first)


# -- the engines ----------------------------------------------------------------------------------------------


class _Spill:
    """The local engine's key records, appended to one temporary file per digest partition."""

    def __init__(self) -> None:
        self.root = tempfile.mkdtemp(prefix="schemakit-keys-")
        self.paths = [os.path.join(self.root, f"part-{p:02d}.bin") for p in range(PARTITIONS)]

    def add(self, parts: list[Records]) -> None:
        for p, records in enumerate(parts):
            if len(records):
                with open(self.paths[p], "ab") as f:
                    records.tofile(f)

    def read(self, p: int) -> Records:
        if not os.path.exists(self.paths[p]):
            return np.empty(0, dtype=KEY_RECORD)
        return np.fromfile(self.paths[p], dtype=KEY_RECORD)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _run_local(
    compiled: CompiledSchema, work: list[tuple[Unit, str]], batch_rows: int, max_issues: int, duplicates: bool = True
) -> tuple[list[UnitResult], list[Duplicates]]:
    results: list[UnitResult] = []
    dups: list[Duplicates] = []
    spill = _Spill() if compiled.unique_key_fields and duplicates else None
    try:
        for unit, label in work:
            result = scan_unit(compiled, unit, label, batch_rows, max_issues, PARTITIONS if duplicates else 0)
            if spill is not None and result.keys is not None:
                spill.add(result.keys)
            result.keys = None
            results.append(result)
        if spill is not None:
            dups = [find_duplicates(max_issues, spill.read(p)) for p in range(PARTITIONS)]
    finally:
        if spill is not None:
            spill.close()
    return results, dups


def _summary(result: UnitResult) -> UnitResult:
    return UnitResult(result.unit, result.label, result.fmt, result.tally, None)


def _partition(result: UnitResult, p: int) -> Records:
    return result.keys[p] if result.keys is not None else np.empty(0, dtype=KEY_RECORD)


def _run_dask(
    compiled: CompiledSchema,
    work: list[tuple[Unit, str]],
    batch_rows: int,
    max_issues: int,
    client: Any,
    duplicates: bool = True,
) -> tuple[list[UnitResult], list[Duplicates]]:
    # a digest partition per worker thread: fewer, larger transfers than the local engine's spill files
    partitions = max(1, min(PARTITIONS, sum(client.nthreads().values()))) if duplicates else 0
    [schema_future] = client.scatter([compiled], broadcast=True, hash=False)
    futures = [
        client.submit(scan_unit, schema_future, unit, label, batch_rows, max_issues, partitions, pure=False)
        for unit, label in work
    ]
    summaries = [client.submit(_summary, f, pure=False) for f in futures]
    dup_futures = []
    if compiled.unique_key_fields:
        for p in range(partitions):  # none without duplicates
            parts = [client.submit(_partition, f, p, pure=False) for f in futures]
            dup_futures.append(client.submit(find_duplicates, max_issues, *parts, pure=False))
    results: list[UnitResult] = client.gather(summaries)
    dups: list[Duplicates] = client.gather(dup_futures)
    return results, dups


# -- assembling the report ------------------------------------------------------------------------------------


def _duplicate_issue(compiled: CompiledSchema, labels: Sequence[str], loc: int, first: int) -> Issue:
    fields = compiled.unique_key_fields
    mask = (1 << ROW_BITS) - 1
    where = f"{labels[first >> ROW_BITS]} row {first & mask}"
    sub: tuple[PathSegment, ...] = (fields[0],) if len(fields) == 1 else ()
    shown = ", ".join(fields)
    return Issue(
        "duplicate_unique_key",
        (labels[loc >> ROW_BITS], loc & mask, *sub),
        f"unique key ({shown}) repeats {where}",
        hint="each object of a dataset needs its own unique key",
    )


def _assemble(
    compiled: CompiledSchema,
    labels: list[str],
    formats: list[str | None],
    results: list[UnitResult],
    dups: list[Duplicates],
    max_issues: int,
) -> DatasetReport:
    total = Tally(max_issues)
    per_file: dict[int, list[int]] = {i: [0, 0] for i in range(len(labels))}
    fmts: dict[int, str | None] = dict(enumerate(formats))
    for result in results:
        total.merge(result.tally)
        counts = per_file[result.unit.index]
        counts[0] += result.tally.rows
        counts[1] += result.tally.valid
        if result.fmt is not None:
            fmts[result.unit.index] = result.fmt
    dup_count = sum(d.count for d in dups)
    lost = Counter[int]()
    for d in dups:
        lost.update(d.valid_by_file)
    index_of = {label: i for i, label in enumerate(labels)}

    def located(issue: Issue) -> tuple[int, int] | None:
        if len(issue.path) > 1 and isinstance(issue.path[1], int):
            return (index_of.get(str(issue.path[0]), 0), issue.path[1])
        return None

    # a file's own issue (a file that stops reading part way) sorts where it was found: after the rows before it
    keyed = [
        ((index_of.get(str(issue.path[0]), 0), before), issue)
        for issue, before in zip(total.issues, total.rows_before, strict=True)
    ]
    first = heapq.merge(*(d.first for d in dups))
    dup_issues = ((located(i) or (0, 0), i) for i in (_duplicate_issue(compiled, labels, loc, at) for loc, at in first))
    merged = heapq.merge(keyed, dup_issues, key=lambda pair: pair[0])
    issues = list(_take((issue for _, issue in merged), max_issues))
    by_code = dict(total.by_code)
    if dup_count:
        by_code["duplicate_unique_key"] = by_code.get("duplicate_unique_key", 0) + dup_count
    valid = total.valid - sum(lost.values())
    files = [
        FileReport(label, fmts[i], per_file[i][0], per_file[i][1] - lost[i], per_file[i][0] - per_file[i][1] + lost[i])
        for i, label in enumerate(labels)
    ]
    return DatasetReport(
        rows=total.rows,
        valid=valid,
        invalid=total.rows - valid,
        by_code=by_code,
        issues=issues,
        files=files,
        errors_found=total.errors + dup_count,
    )


def _take(items: Iterator[Issue], n: int) -> Iterator[Issue]:
    for i, item in enumerate(items):
        if i >= n:
            return
        yield item


# -- the entry point ------------------------------------------------------------------------------------------


def _expand(paths: Any) -> tuple[list[str], list[Issue]]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[str] = []
    issues: list[Issue] = []
    seen: set[str] = set()
    for raw in paths:
        text = os.fspath(raw)
        matched = sorted(glob.glob(text, recursive=True)) if _GLOB_CHARS & set(text) else [text]
        if not matched:
            issues.append(Issue("empty_glob", (text,), f"no file matches {text!r}", severity="warning"))
        for path in matched:
            if path not in seen and not os.path.isdir(path):
                seen.add(path)
                out.append(path)
    return out, issues


def _compiled(bucket_schema: Any, unique_key: Any) -> CompiledSchema:
    if isinstance(bucket_schema, CompiledSchema):
        if unique_key is None:
            return bucket_schema
        return compile_schema(
            bucket_schema.schema.to_dict(),
            unique_key=unique_key,
            strict=bucket_schema.strict,
            max_inline_bytes=bucket_schema.max_inline_bytes,
        )
    if isinstance(bucket_schema, dict) and "bucket_schema" in bucket_schema:
        if unique_key is None:
            return compile_bucket(bucket_schema)
        return compile_schema(bucket_schema["bucket_schema"], unique_key=unique_key)
    return compile_schema(bucket_schema, unique_key=unique_key)


def validate_dataset(
    paths: Any,
    bucket_schema: Any,
    *,
    unique_key: Any = None,
    engine: str = "local",
    client: Any = None,
    scheduler: str | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    max_issues: int = DEFAULT_MAX_ISSUES,
) -> DatasetReport:
    """Every row of the files (or globs) ``paths``: Parquet, Arrow IPC, CSV and JSON Lines.

    ``bucket_schema`` is a bucket_schema dict, a BucketCreateRequest dict (its ``unique_key`` applies) or
    a :class:`CompiledSchema`; ``unique_key`` (a UniqueKeyConfig) overrides the bucket's. The key is checked
    across every file. ``engine="dask"`` runs on ``client`` (a ``dask.distributed.Client``) or on the
    scheduler at ``scheduler`` (``"tcp://host:8786"``), one task per file or Parquet row group; the report
    is the local engine's. A file that cannot be read is an ``unreadable_file`` issue, never an exception.
    """
    return dataset_report(
        paths,
        bucket_schema,
        unique_key=unique_key,
        engine=engine,
        client=client,
        scheduler=scheduler,
        batch_rows=batch_rows,
        max_issues=max_issues,
    )


def dataset_report(
    paths: Any,
    bucket_schema: Any,
    *,
    unique_key: Any = None,
    engine: str = "local",
    client: Any = None,
    scheduler: str | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    max_issues: int = DEFAULT_MAX_ISSUES,
    duplicates: bool = True,
) -> DatasetReport:
    """:func:`validate_dataset`; ``duplicates=False`` leaves repeated keys to the caller.

    Each row still gets its own key issues (a missing key field); only the check across rows is left
    out, for a caller that holds the keys of other inputs too (the command line, mixing formats).
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, found {engine!r}")
    if isinstance(batch_rows, bool) or not isinstance(batch_rows, int) or batch_rows < 1:
        raise ValueError(f"batch_rows must be a positive integer, found {batch_rows!r}")
    max_issues = max(0, int(max_issues))
    compiled = _compiled(bucket_schema, unique_key)
    files, glob_issues = _expand(paths)
    formats: list[str | None] = []
    work: list[tuple[Unit, str]] = []
    early: list[UnitResult] = []
    for index, path in enumerate(files):
        try:
            fmt = sniff_format(path)
            units = units_of(index, path, fmt, split=engine == "dask")
        except UnreadableFile as exc:
            formats.append(None)
            tally = Tally(max_issues)
            tally.add_file_issue(_unreadable(path, str(exc)))
            early.append(UnitResult(Unit(index, path, "?"), path, None, tally))
            continue
        formats.append(fmt)
        work.extend((unit, path) for unit in units)
    if engine == "dask":
        results, dups = _with_client(client, scheduler, compiled, work, batch_rows, max_issues, duplicates)
    else:
        results, dups = _run_local(compiled, work, batch_rows, max_issues, duplicates)
    results = sorted([*early, *results], key=lambda r: (r.unit.index, r.unit.first_row))
    report = _assemble(compiled, files, formats, results, dups, max_issues)
    if glob_issues:
        issues = [*glob_issues, *report.issues][:max_issues]
        by_code = Counter(report.by_code)
        by_code.update(i.code for i in glob_issues)
        report = DatasetReport(
            report.rows, report.valid, report.invalid, dict(by_code), issues, report.files, report.errors_found
        )
    return report


def _with_client(
    client: Any,
    scheduler: str | None,
    compiled: CompiledSchema,
    work: list[tuple[Unit, str]],
    batch_rows: int,
    max_issues: int,
    duplicates: bool = True,
) -> tuple[list[UnitResult], list[Duplicates]]:
    if client is not None:
        return _run_dask(compiled, work, batch_rows, max_issues, client, duplicates)
    try:
        import distributed
    except ImportError as exc:
        raise ImportError('engine="dask" needs dask.distributed: pip install "dask[distributed]"') from exc
    make: Any = distributed.Client
    own = make(scheduler) if scheduler is not None else make(processes=True)
    try:
        return _run_dask(compiled, work, batch_rows, max_issues, own, duplicates)
    finally:
        own.close()

