"""The oracle the dataset tests compare with: the row validator over each file's rows, in dataset order."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pyarrow as pa

from schemakit._issues import Issue
from schemakit.datasets import DatasetReport
from schemakit.schema import CompiledSchema


def expected_report(
    compiled: CompiledSchema, files: list[tuple[str, list[dict[str, Any]]]]
) -> tuple[list[Issue], Counter[str], int, list[bool]]:
    """Issues, counts, rows and verdicts the row validator gives the rows of ``files`` taken as one dataset.

    A repeated unique key is ``duplicate_unique_key`` on every occurrence after the first, as in a batch.
    """
    issues: list[Issue] = []
    verdicts: list[bool] = []
    first_seen: dict[Any, tuple[str, int]] = {}
    fields = compiled.unique_key_fields
    for label, rows in files:
        for i, row in enumerate(rows):
            result = compiled.validate(row)
            ok = result.ok
            issues.extend(issue.prefixed(label, i) for issue in result.issues)
            key = compiled.unique_key_value(row) if fields else None
            if key is not None:
                where = first_seen.setdefault(key, (label, i))
                if where != (label, i):
                    ok = False
                    sub = (fields[0],) if len(fields) == 1 else ()
                    issues.append(
                        Issue(
                            "duplicate_unique_key",
                            (label, i, *sub),
                            f"unique key ({', '.join(fields)}) repeats {where[0]} row {where[1]}",
                            hint="each object of a dataset needs its own unique key",
                        )
                    )
            verdicts.append(ok)
    return issues, Counter(i.code for i in issues), len(verdicts), verdicts


def assert_dataset_agrees(
    compiled: CompiledSchema,
    files: list[tuple[str, list[dict[str, Any]]]],
    report: DatasetReport,
    max_issues: int = 10**6,
) -> None:
    issues, counts, rows, verdicts = expected_report(compiled, files)
    assert report.issues == issues[:max_issues]
    assert report.by_code == dict(counts)
    assert report.rows == rows
    assert report.valid == sum(verdicts)
    assert report.invalid == rows - sum(verdicts)
    offset = 0
    for (label, file_rows), file_report in zip(files, report.files, strict=True):
        assert file_report.path == label
        assert file_report.rows == len(file_rows)
        assert file_report.valid == sum(verdicts[offset : offset + len(file_rows)])
        offset += len(file_rows)


def rows_of(table: pa.Table) -> list[dict[str, Any]]:
    return table.to_pylist()
