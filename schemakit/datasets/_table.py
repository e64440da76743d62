"""``validate_table``: a whole Arrow or Polars table against a compiled schema, columnar where it can be."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from schemakit._contract.results import ResultShape
from schemakit._issues import Issue, PathSegment
from schemakit.datasets._columns import Mask, Verdict, judge
from schemakit.schema import _runtime as rt

if TYPE_CHECKING:
    from schemakit.schema._compiled import CompiledSchema

DEFAULT_MAX_ISSUES = 1000
DEFAULT_BATCH_ROWS = 65536

RowIssues = list[tuple[int, list[Issue]]]
"""The rows of a batch that have issues, in row order, each with its issues (not yet located)."""


def check_batch(
    compiled: CompiledSchema,
    batch: pa.RecordBatch,
    *,
    rows_of: Callable[[Any], list[dict[str, Any]]] | None = None,
    forced: Mask | None = None,
    verdict: Verdict | None = None,
) -> tuple[Mask, RowIssues]:
    """Each row's verdict and, for rows with findings, their issues exactly as the row validator gives them.

    Rows the columnar rules prove clean are valid with no issue; rows whose only findings are values of a
    column that cannot hold a valid value get those ``type_mismatch`` issues here; every other row is
    converted to a dict and validated by ``compiled.validate``.

    ``rows_of(indices)`` gives those dicts when the rows are not the batch's own (CSV cells read by their
    rule); ``forced`` rows are never judged columnar (a cell the typed batch could not hold). ``verdict`` is
    the columnar verdict when the caller has it already.
    """
    if verdict is None:
        verdict = judge_batch(compiled, batch)
    if forced is not None and forced.any():
        verdict = Verdict(verdict.clean & ~forced, verdict.mismatched & ~forced, verdict.leaves)
    valid = verdict.clean.copy()
    found: RowIssues = []
    mismatched = np.flatnonzero(verdict.mismatched)
    if len(mismatched):
        take = pa.array(mismatched)
        per_row: list[list[Issue]] = [[] for _ in mismatched]
        for leaf in verdict.leaves:
            present = leaf.present[mismatched]
            values = leaf.values.take(take).to_pylist()
            for k in np.flatnonzero(present):
                rt.add_type_mismatch(per_row[k], leaf.path, leaf.label, values[k])
        found.extend(zip(mismatched.tolist(), per_row, strict=True))
    rest = np.flatnonzero(~(verdict.clean | verdict.mismatched))
    if len(rest):
        validate = compiled.validate
        rows = rows_of(rest) if rows_of is not None else batch.take(pa.array(rest)).to_pylist()
        for i, row in zip(rest.tolist(), rows, strict=True):
            result = validate(row)
            valid[i] = result.ok
            if result.issues:
                found.append((i, result.issues))
        if len(mismatched):
            found.sort(key=lambda pair: pair[0])
    return valid, found


@dataclass
class Tally:
    """Counts and the first ``max_issues`` issues of rows met in order."""

    max_issues: int
    rows: int = 0
    valid: int = 0
    by_code: Counter[str] = field(default_factory=Counter)
    issues: list[Issue] = field(default_factory=list)
    errors: int = 0
    rows_before: list[int] = field(default_factory=list)
    """Per kept issue, how many rows of its file came before it: where it sorts among other issues."""

    def add(self, valid: Mask, found: RowIssues, prefix: tuple[PathSegment, ...], offset: int) -> None:
        self.rows += len(valid)
        self.valid += int(valid.sum())
        room = self.max_issues - len(self.issues)
        for i, issues in found:
            for issue in issues:
                self.by_code[issue.code] += 1
                if issue.is_error:
                    self.errors += 1
            if room > 0:
                take = issues[:room]
                self.issues.extend(issue.prefixed(*prefix, offset + i) for issue in take)
                self.rows_before.extend([offset + i] * len(take))
                room -= len(take)

    def add_row(self, row: int, valid: bool, issues: list[Issue], prefix: tuple[PathSegment, ...]) -> None:
        """One row judged on its own (JSON Lines)."""
        self.rows += 1
        self.valid += bool(valid)
        for issue in issues:
            self.by_code[issue.code] += 1
            if issue.is_error:
                self.errors += 1
            if len(self.issues) < self.max_issues:
                self.issues.append(issue.prefixed(*prefix, row))
                self.rows_before.append(row)

    def add_file_issue(self, issue: Issue, rows_before: int = -1) -> None:
        """An issue of a whole file, already located; found after ``rows_before`` rows (-1: before any)."""
        self.by_code[issue.code] += 1
        if issue.is_error:
            self.errors += 1
        if len(self.issues) < self.max_issues:
            self.issues.append(issue)
            self.rows_before.append(rows_before)

    def merge(self, other: Tally) -> None:
        self.rows += other.rows
        self.valid += other.valid
        self.by_code.update(other.by_code)
        self.errors += other.errors
        room = self.max_issues - len(self.issues)
        if room > 0:
            self.issues.extend(other.issues[:room])
            self.rows_before.extend(other.rows_before[:room])


@dataclass(frozen=True)
class TableReport(ResultShape):
    """The verdict on every row of a table: counts, the first ``max_issues`` issues, and each row's verdict.

    Each issue's path starts with the 0-based row index: ``(row, "metadata", "price")``.
    """

    rows: int
    valid: int
    invalid: int
    by_code: dict[str, int]
    issues: list[Issue]
    mask: Mask = field(repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """No row is invalid (warnings, such as a date-time without offset, leave a row valid)."""
        return self.invalid == 0

    def valid_mask(self) -> pa.BooleanArray:
        """Row ``i`` is valid: the same as ``compiled.is_valid(row_i)``."""
        return pa.array(self.mask, type=pa.bool_())

    def issues_table(self) -> pa.Table:
        """The reported issues as a table, for joining back to the rows: row, pointer, code, severity, message."""
        return issues_table(self.issues)

    def _payload(self) -> dict[str, Any]:
        return {"rows": self.rows, "valid": self.valid, "invalid": self.invalid, "by_code": dict(self.by_code)}


def issues_table(issues: Iterable[Issue], *, located_by: int = 1) -> pa.Table:
    """Issues whose paths start with ``located_by`` location segments, the row last, as a table."""
    rows: list[int] = []
    pointers: list[str] = []
    codes: list[str] = []
    severities: list[str] = []
    messages: list[str] = []
    files: list[str] = []
    for issue in issues:
        where, rest = issue.path[:located_by], issue.path[located_by:]
        if located_by > 1:
            files.append(str(where[0]))
        row = where[-1]
        rows.append(row if isinstance(row, int) else -1)
        pointers.append(Issue(issue.code, rest, issue.message).pointer)
        codes.append(issue.code)
        severities.append(issue.severity)
        messages.append(issue.message)
    columns: dict[str, Any] = {}
    if located_by > 1:
        columns["file"] = pa.array(files, type=pa.string())
    columns["row"] = pa.array(rows, type=pa.int64())
    columns["pointer"] = pa.array(pointers, type=pa.string())
    columns["code"] = pa.array(codes, type=pa.string())
    columns["severity"] = pa.array(severities, type=pa.string())
    columns["message"] = pa.array(messages, type=pa.string())
    return pa.table(columns)


def as_table(table: Any) -> pa.Table:
    """A pyarrow Table of a Table, a RecordBatch or a polars DataFrame; TypeError for anything else."""
    if isinstance(table, pa.Table):
        return table
    if isinstance(table, pa.RecordBatch):
        return pa.Table.from_batches([table])
    to_arrow = getattr(table, "to_arrow", None)
    module = type(table).__module__ or ""
    if to_arrow is not None and module.startswith("polars"):
        converted = to_arrow()
        if isinstance(converted, pa.Table):
            return converted
    raise TypeError(
        f"validate_table takes a pyarrow.Table, a pyarrow.RecordBatch or a polars.DataFrame, "
        f"found {type(table).__name__}"
    )


def batches_of(table: pa.Table, batch_rows: int) -> Iterator[pa.RecordBatch]:
    yield from table.to_batches(max_chunksize=batch_rows)


def judge_batch(compiled: CompiledSchema, batch: pa.RecordBatch) -> Verdict:
    return judge(compiled.schema, batch, strict=compiled.strict, unique_key=compiled.unique_key_fields)


def validate_table(
    compiled: CompiledSchema, table: Any, *, max_issues: int = DEFAULT_MAX_ISSUES, batch_rows: int = DEFAULT_BATCH_ROWS
) -> TableReport:
    """Every row of ``table`` against ``compiled``; see :meth:`CompiledSchema.validate_table`."""
    data = as_table(table)
    tally = Tally(max(0, int(max_issues)))
    masks: list[Mask] = []
    offset = 0
    batches = list(batches_of(data, batch_rows))
    # Arrow compute releases the GIL: the columnar verdicts of later batches are computed on other cores
    # while this thread runs the row validator on the rows an earlier batch left undecided
    workers = max(1, min(len(batches), os.cpu_count() or 1, 4))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        verdicts = pool.map(lambda b: judge_batch(compiled, b), batches)
        for batch, verdict in zip(batches, verdicts, strict=True):
            valid, found = check_batch(compiled, batch, verdict=verdict)
            tally.add(valid, found, (), offset)
            masks.append(valid)
            offset += batch.num_rows
    mask = np.concatenate(masks) if masks else np.zeros(0, dtype=np.bool_)
    return TableReport(
        rows=tally.rows,
        valid=tally.valid,
        invalid=tally.rows - tally.valid,
        by_code=dict(tally.by_code),
        issues=tally.issues,
        mask=mask,
    )


__all__ = ["DEFAULT_BATCH_ROWS", "DEFAULT_MAX_ISSUES", "TableReport", "Tally", "check_batch", "validate_table"]
