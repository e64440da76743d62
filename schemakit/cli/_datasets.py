"""``schemakit validate`` over Parquet, Arrow IPC and CSV files: their rows as the chunks JSON Lines gives.

A data file is columnar when its first bytes say Parquet (``PAR1``) or Arrow IPC (``ARROW1``, a stream's
continuation marker), or its name ends ``.csv``. Its rows are judged by :mod:`schemakit.datasets`
(columnar rules, the row validator for the rest) and handed to the run as chunks of findings, so every
report format, ``--max-issues``, ``--fail-fast`` and unique keys across files work as for JSON Lines. A
row is reported as ``file:row``, 1-based, where a JSON Lines object is ``file:line``.

``--engine dask`` validates the columnar files of the run on a Dask cluster (``--scheduler ADDRESS``, or
a local cluster of processes); a unique key is still checked here, over the files' key columns, against
every other input of the run, so the report is the local engine's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any

from schemakit._issues import Issue
from schemakit.cli._check import Chunk, Finding
from schemakit.cli._inputs import DataSource

COLUMNAR = ("parquet", "ipc", "csv")
ENGINES = ("local", "dask")


def columnar_format(source: DataSource) -> str | None:
    """``parquet``, ``ipc`` or ``csv`` for a columnar file; None for JSON (Lines) and standard input.

    Only with ``--input-format auto``: a format given on the command line is how every file is read.
    """
    if source.path is None or source.compression is not None or not source.auto:
        return None
    from schemakit.datasets._formats import UnreadableFile, sniff_format

    try:
        fmt = sniff_format(str(source.path))
    except UnreadableFile:
        return None
    return fmt if fmt in COLUMNAR else None


def _unlocated(issue: Issue, drop: int = 1) -> Issue:
    """A dataset issue without its location (file, and row with ``drop=2``): the report names them."""
    return Issue(issue.code, tuple(issue.path[drop:]), issue.message, issue.hint, issue.severity)


def local_chunks(
    compiled: Any,
    source: DataSource,
    fmt: str,
    batch_rows: int = 65536,
    *,
    row_groups: tuple[int, ...] | None = None,
    judged: dict[int, list[Issue]] | None = None,
) -> Iterator[Chunk]:
    """The chunks of one columnar file (or of some row groups of a Parquet file), a record batch each.

    ``judged`` holds issues by row already found elsewhere (on a Dask cluster): the file is then read
    here only for its unique-key values, and only the key columns of a Parquet file.
    """
    from schemakit.datasets._dataset import _unreadable
    from schemakit.datasets._formats import UnreadableFile
    from schemakit.datasets._read import Unit, arrow_batches, csv_batches, nested_csv_fields
    from schemakit.datasets._table import check_batch

    label = source.label
    key_of = compiled.unique_key_value if compiled.unique_key_fields else None
    names = compiled.unique_key_fields
    try:
        if fmt == "csv":
            for name in nested_csv_fields(compiled.schema) if judged is None else ():
                issue = Issue(
                    "nested_field_in_csv",
                    (name,),
                    f"field {name!r} is an {compiled.schema.fields[name].type}; a CSV cell holds text, "
                    "read as a string",
                    hint="store objects and arrays in Parquet or Arrow IPC, or in JSON Lines",
                )
                yield Chunk(0, 0, 0, [Finding(-1, 1, (issue,), None)])
            blocks: Iterable[tuple[Any, Callable[[Any], list[dict[str, Any]]] | None, Any, Any]] = (
                (b.typed, b.rows, b.drift, b) for b in csv_batches(str(source.path), compiled.schema, batch_rows)
            )
        else:
            unit = Unit(0, str(source.path), fmt, row_groups)
            columns = list(names) if judged is not None else None
            blocks = ((b, None, None, None) for b in arrow_batches(unit, batch_rows, columns=columns))
        first = 0
        for batch, rows_of, forced, csv_block in blocks:
            if judged is None:
                issues_at = dict(check_batch(compiled, batch, rows_of=rows_of, forced=forced)[1])
            else:
                issues_at = {r - first: judged[r] for r in range(first, first + batch.num_rows) if r in judged}
            first += batch.num_rows
            keys: list[Any] = [None] * batch.num_rows
            if key_of is not None:
                if csv_block is not None:
                    key_rows = csv_block.rows(list(range(batch.num_rows)))
                else:
                    present = [n for n in names if n in batch.schema.names]
                    key_rows = batch.select(present).to_pylist() if present else [{}] * batch.num_rows
                keys = [key_of(row) for row in key_rows]
            findings = [
                Finding(i, i + 1, tuple(issues_at.get(i, ())), keys[i])
                for i in range(batch.num_rows)
                if i in issues_at or keys[i] is not None
            ]
            yield Chunk(batch.num_rows, batch.num_rows, 0, findings)
    except UnreadableFile as exc:
        if judged is None:  # otherwise the cluster has reported it
            yield Chunk(0, 0, 0, [Finding(-1, 1, (_unlocated(_unreadable(label, str(exc))),), None)])


def _unit_chunks(compiled: Any, source: DataSource, fmt: str, row_groups: tuple[int, ...] | None) -> list[Chunk]:
    """A worker's share: the chunks of some row groups of a Parquet file (or of a whole file)."""
    return list(local_chunks(compiled, source, fmt, row_groups=row_groups))


def parallel_chunks(
    compiled: Any, items: list[tuple[DataSource, str]], jobs: int
) -> Iterator[tuple[DataSource, Chunk]]:
    """The chunks of columnar files judged by ``jobs`` processes, a Parquet row group (or a file) a task.

    Results are taken in submission order, so the report is the one of one process. A row group's rows are
    numbered on from the chunks before it, as one process numbers them.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from schemakit.datasets._formats import UnreadableFile
    from schemakit.datasets._read import units_of

    tasks: list[tuple[DataSource, str, tuple[int, ...] | None]] = []
    for source, fmt in items:
        try:
            units = units_of(0, str(source.path), fmt, split=True)
        except UnreadableFile:
            units = []
        if len(units) <= 1:
            tasks.append((source, fmt, None))
        else:
            tasks.extend((source, fmt, u.row_groups) for u in units)
    # spawn, not fork: this process has read Parquet metadata, and Arrow's thread pools do not survive a fork
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        futures = [pool.submit(_unit_chunks, compiled, s, f, g) for s, f, g in tasks]
        for (source, _fmt, _groups), future in zip(tasks, futures, strict=True):
            for chunk in future.result():
                yield source, chunk


def dask_chunks(
    compiled: Any, sources: list[tuple[DataSource, str]], scheduler: str | None
) -> dict[int, Iterable[Chunk]]:
    """The columnar files of a run validated together on Dask: their chunks, by position in ``sources``.

    The cluster judges the rows; repeated unique keys are left to this process, which reads each file's key
    columns as the run reaches it: one key store for the whole run, and the local engine's messages (the
    key's value, the first object's file:row), which the cluster's digests lack.
    """
    from schemakit.datasets._dataset import dataset_report

    # absolute: a worker's working directory is not this process's
    paths = [os.path.abspath(str(s.path)) for s, _ in sources]
    report = dataset_report(
        paths,
        compiled,
        engine="dask",
        scheduler=scheduler,
        max_issues=2**62,
        duplicates=False,
    )
    by_file: dict[str, dict[int, list[Issue]]] = {}
    whole: dict[str, list[Issue]] = {}
    for issue in report.issues:
        file, rest = str(issue.path[0]), issue.path[1:]
        if rest and isinstance(rest[0], int):
            by_file.setdefault(file, {}).setdefault(rest[0], []).append(_unlocated(issue, 2))
        else:
            whole.setdefault(file, []).append(_unlocated(issue))
    out: dict[int, Iterable[Chunk]] = {}
    for position, ((source, fmt), label, counts) in enumerate(zip(sources, paths, report.files, strict=True)):
        notes = [Finding(-1, 1, (issue,), None) for issue in whole.get(label, [])]
        rows = by_file.get(label, {})
        if compiled.unique_key_fields:
            head = [Chunk(0, 0, 0, notes)] if notes else []
            # read lazily, as the run reaches the file: a file's key findings are never all in memory at once
            out[position] = chain(head, local_chunks(compiled, source, fmt, judged=rows)) if counts.rows else head
            continue
        findings = notes + [Finding(row, row + 1, tuple(issues), None) for row, issues in sorted(rows.items())]
        out[position] = [Chunk(counts.rows, counts.rows, 0, findings)]
    return out


def in_order(
    compiled: Any,
    sources: list[DataSource],
    others: Callable[[list[DataSource]], Iterable[tuple[DataSource, Chunk]]],
    *,
    engine: str = "local",
    scheduler: str | None = None,
    jobs: int = 1,
) -> Iterator[tuple[DataSource, Chunk]]:
    """Every chunk of every source in command-line order: columnar files here, the rest from ``others``.

    With ``jobs`` above 1, consecutive columnar files are judged by that many processes.
    """
    formats = [columnar_format(s) for s in sources]
    if engine == "dask":
        yield from _dask_in_order(compiled, sources, formats, others, scheduler)
        return
    run: list[DataSource] = []
    columnar: list[tuple[DataSource, str]] = []
    for source, fmt in zip(sources, formats, strict=True):
        if fmt is None:
            if columnar:
                yield from _columnar(compiled, columnar, jobs)
                columnar = []
            run.append(source)
            continue
        if run:
            yield from others(run)
            run = []
        columnar.append((source, fmt))
    if columnar:
        yield from _columnar(compiled, columnar, jobs)
    if run:
        yield from others(run)


def _dask_in_order(
    compiled: Any,
    sources: list[DataSource],
    formats: list[str | None],
    others: Callable[[list[DataSource]], Iterable[tuple[DataSource, Chunk]]],
    scheduler: str | None,
) -> Iterator[tuple[DataSource, Chunk]]:
    """The columnar files judged on the cluster first, then every chunk in command-line order.

    In command-line order, the first of two objects with one unique key is the one the local engine keeps.
    """
    remote = [(s, f) for s, f in zip(sources, formats, strict=True) if f is not None]
    # no columnar file, no cluster: JSON Lines and .json files are read here on either engine
    judged = dask_chunks(compiled, remote, scheduler) if remote else {}
    position = 0
    run: list[DataSource] = []
    for source, fmt in zip(sources, formats, strict=True):
        if fmt is None:
            run.append(source)
            continue
        if run:
            yield from others(run)
            run = []
        yield from ((source, chunk) for chunk in judged.pop(position))
        position += 1
    if run:
        yield from others(run)


def _columnar(compiled: Any, items: list[tuple[DataSource, str]], jobs: int) -> Iterator[tuple[DataSource, Chunk]]:
    if jobs > 1:
        yield from parallel_chunks(compiled, items, jobs)
        return
    for source, fmt in items:
        yield from ((source, chunk) for chunk in local_chunks(compiled, source, fmt))
