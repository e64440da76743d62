"""The checking stage of ``validate``: data sources in, chunks of findings out.

Objects are read in blocks of lines (a few hundred KB), checked, and reduced to a
``Chunk``: how many objects and lines it held and a sparse list of findings
(objects that have issues or a unique-key value). Valid objects leave nothing
behind, so memory stays flat however long the file is. The same block
function runs in-process (``--jobs 1``) and in worker processes (``--jobs N``);
the parent merges chunks in input order, so both give identical output.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import IO, Any, NamedTuple

from schemakit._issues import Issue
from schemakit.cli._errors import UserError
from schemakit.cli._inputs import (
    DataSource,
    JsonItem,
    JsonTooDeep,
    iter_json_items,
    json_error_message,
    json_line_of,
    plain_problem,
    read_text,
    stdin_binary,
)

# Block sizes bound memory: a block's findings are held until merged, and a block of short,
# all-invalid lines yields several issues a line (about 200 bytes of Python objects per 60 bytes
# of input at 4 MB blocks, 250 MB). In-process, small blocks cost nothing; across processes, each
# task costs a dispatch and a pickled result, so workers get bigger ones (and hold at most
# 2 x jobs of them in flight).
BLOCK_BYTES = 256 << 10
TASK_BYTES = 512 << 10
MAX_BATCH_OBJECTS = 100

_JSONL_HINT = "each line of a JSON Lines file must hold one complete JSON object"


@dataclass(frozen=True, slots=True)
class SchemaSpec:
    """What a worker needs to compile the same validator as the parent (picklable)."""

    bucket_schema: Any
    unique_key: Any
    strict: bool

    def compile(self) -> Any:
        from schemakit.schema import compile_schema

        return compile_schema(self.bucket_schema, unique_key=self.unique_key, strict=self.strict)


class Finding(NamedTuple):
    """One object that needs the parent's attention.

    ``ordinal`` is the object's ordinal in its chunk (-1 for an issue about the
    file rather than an object); ``line`` is relative to the chunk's first line.
    """

    ordinal: int
    line: int
    issues: tuple[Issue, ...]
    key: Hashable | None
    prefix: tuple[str | int, ...] = ()


class Chunk(NamedTuple):
    objects: int
    lines: int
    nbytes: int
    findings: list[Finding]


def invalid_json_issue(exc: ValueError | RecursionError, *, jsonl: bool) -> Issue:
    if isinstance(exc, RecursionError):
        exc = JsonTooDeep()
    if isinstance(exc, json.JSONDecodeError):
        message = f"invalid JSON at column {exc.colno}: {exc.msg}"
    elif isinstance(exc, UnicodeDecodeError):
        message = f"not valid UTF-8: byte 0x{exc.object[exc.start]:02x} at byte column {exc.start + 1}"
    else:
        message = f"invalid JSON: {plain_problem(exc)}"
    return Issue("invalid_json", (), message, _JSONL_HINT if jsonl else None)


class ObjectChecker:
    """Validates objects with one compiled schema; lives once per process."""

    def __init__(self, compiled: Any) -> None:
        self._validate: Callable[[Any], Any] = compiled.validate
        fields = tuple(getattr(compiled, "unique_key_fields", ()) or ())
        self._key: Callable[[Any], Hashable | None] | None = compiled.unique_key_value if fields else None

    def check_block(self, data: bytes) -> Chunk:
        """Check a block of whole JSON lines (it ends at a newline or at the end of the input)."""
        lines = data.split(b"\n")
        if lines[-1] == b"":
            lines.pop()
        objects, findings = self.check_lines(lines)
        return Chunk(objects, len(lines), len(data), findings)

    def check_lines(self, lines: Iterable[bytes]) -> tuple[int, list[Finding]]:
        # the hot loop of the CLI: locals only, and nothing kept for an object without findings
        parse = json.loads  # the C function itself, not the wrapper: this loop runs once per line
        validate = self._validate
        key_of = self._key
        findings: list[Finding] = []
        append = findings.append
        objects = 0
        lineno = 0
        for raw in lines:
            lineno += 1
            try:
                obj = parse(raw)
            except (ValueError, RecursionError) as exc:
                if not raw.strip():
                    continue  # a blank line is no object
                append(Finding(objects, lineno, (invalid_json_issue(exc, jsonl=True),), None))
                objects += 1
                continue
            issues = validate(obj).issues
            key = key_of(obj) if key_of is not None else None
            if issues or key is not None:
                append(Finding(objects, lineno, tuple(issues), key))
            objects += 1
        return objects, findings

    def check_items(self, items: Iterable[JsonItem]) -> tuple[int, list[Finding]]:
        findings: list[Finding] = []
        objects = 0
        for item in items:
            issues = tuple(i.prefixed(*item.prefix) for i in self._validate(item.value).issues)
            key = self._key(item.value) if self._key is not None else None
            if issues or key is not None:
                findings.append(Finding(objects, item.line, issues, key, item.prefix))
            objects += 1
        return objects, findings


# --------------------------------------------------------------------------- reading sources


def iter_blocks(stream: IO[bytes], block_bytes: int = BLOCK_BYTES) -> Iterator[bytes]:
    """Blocks of whole lines: each ends right after a newline, except the last of the input."""
    carry = b""
    produced = False
    while True:
        data = stream.read(block_bytes)
        if not data:
            if carry or not produced:
                # an empty input still gives one (empty) block, so every source reports as a file
                yield carry
            return
        data = carry + data if carry else data
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            # one line longer than a block: keep reading until it ends
            carry = data
            continue
        carry = data[cut:]
        produced = True
        yield data[:cut]


def byte_ranges(path: str, size: int, block_bytes: int = BLOCK_BYTES) -> Iterator[tuple[int, int]]:
    """``(start, end)`` ranges of a file, each ending right after a newline (or at the end)."""
    if size == 0:
        yield 0, 0  # one empty range, as iter_blocks gives one empty block
        return
    with open(path, "rb") as f:
        start = 0
        while start < size:
            end = start + block_bytes
            if end >= size:
                end = size
            else:
                f.seek(end)
                f.readline()
                end = min(f.tell(), size)
            yield start, end
            start = end


def _open_source(source: DataSource) -> IO[bytes]:
    if source.path is None:
        stream: IO[bytes] = stdin_binary()
        return stream
    try:
        return open(source.path, "rb")
    except OSError as exc:
        raise UserError(f"{source.label}: cannot read: {exc.strerror or exc}") from None


def json_source_chunk(checker: ObjectChecker, source: DataSource) -> Chunk:
    """A whole ``.json`` data file as one chunk (line numbers absolute)."""
    assert source.path is not None
    text = read_text(source.label)
    nbytes = source.size or 0
    try:
        items = list(iter_json_items(text))
    except ValueError as exc:
        line, _, _ = json_error_message(exc)
        return Chunk(1, 0, nbytes, [Finding(0, line, (invalid_json_issue(exc, jsonl=False),), None)])
    findings: list[Finding] = []
    if items and items[0].prefix[:1] == ("objects",) and len(items) > MAX_BATCH_OBJECTS:
        line = json_line_of(text, ("objects",))  # where the list opens
        findings.append(Finding(-1, line, (batch_too_large_issue(len(items)),), None))
    objects, item_findings = checker.check_items(items)
    findings.extend(item_findings)
    return Chunk(objects, 0, nbytes, findings)


def batch_too_large_issue(count: int) -> Issue:
    return Issue(
        "batch_too_large",
        ("objects",),
        f"a batch holds at most {MAX_BATCH_OBJECTS} objects; this one has {count}",
        hint=f"split it into batches of {MAX_BATCH_OBJECTS}",
    )


def serial_chunks(checker: ObjectChecker, sources: Iterable[DataSource]) -> Iterator[tuple[DataSource, Chunk]]:
    """Every chunk of every source, in order, checked in this process."""
    for source in sources:
        if source.kind == "json":
            yield source, json_source_chunk(checker, source)
            continue
        stream = _open_source(source)
        try:
            for block in iter_blocks(stream):
                yield source, checker.check_block(block)
        finally:
            if source.path is not None:
                stream.close()


# --------------------------------------------------------------------------- parallel


_WORKER: ObjectChecker | None = None


class RangeTask(NamedTuple):
    """Lines ``start:end`` (byte offsets on line boundaries) of a JSON Lines file."""

    path: str
    start: int
    end: int


class JsonTask(NamedTuple):
    """A whole ``.json`` data file."""

    label: str


# A task names its input rather than carrying it where it can: the worker reads
# file ranges and .json files itself; only stdin travels through the pipe, in blocks.
Task = RangeTask | JsonTask | bytes


def _init_worker(spec: SchemaSpec) -> None:
    global _WORKER
    # Ctrl-C reaches the whole process group: the parent reports the interruption once and
    # terminates the pool, so a worker must not print a KeyboardInterrupt traceback of its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER = ObjectChecker(spec.compile())


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask where the platform has one)."""
    sched_getaffinity = getattr(os, "sched_getaffinity", None)
    if sched_getaffinity is not None:
        return max(len(sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


def worker_count(requested: int, sources: Iterable[DataSource]) -> int:
    """Workers worth starting: at most the CPUs available and the tasks the input splits into.

    More would only wait: a worker costs a process and a compiled validator, and
    ``--jobs 1000000`` would otherwise try to fork that many.
    """
    tasks = 0
    for source in sources:
        if source.path is None:  # stdin: its length is unknown
            return max(1, min(requested, available_cpus()))
        tasks += 1 if source.kind == "json" else max(1, -(-(source.size or 0) // TASK_BYTES))
        if tasks >= requested:
            break
    return max(1, min(requested, available_cpus(), tasks))


def _work(task: Task) -> Chunk:
    assert _WORKER is not None
    if isinstance(task, bytes):
        chunk = _WORKER.check_block(task)
    elif isinstance(task, JsonTask):
        label = task.label
        chunk = json_source_chunk(_WORKER, DataSource(label, Path(label), "json", os.path.getsize(label)))
    else:
        with open(task.path, "rb") as f:
            f.seek(task.start)
            data = f.read(task.end - task.start)
        chunk = _WORKER.check_block(data)
    return _to_wire(chunk)


# Issues cross the process boundary as plain tuples: a slotted dataclass pickles through
# Python-level __getstate__/__setstate__, several times slower than a tuple, and a block of
# invalid objects carries many thousands of them.
def _to_wire(chunk: Chunk) -> Chunk:
    findings = [
        f._replace(issues=tuple((i.code, i.path, i.message, i.hint, i.severity) for i in f.issues))  # type: ignore[misc]
        for f in chunk.findings
    ]
    return chunk._replace(findings=findings)


def _from_wire(chunk: Chunk) -> Chunk:
    findings = [f._replace(issues=tuple(Issue(*t) for t in f.issues)) for f in chunk.findings]  # type: ignore[misc]
    return chunk._replace(findings=findings)


def _tasks(source: DataSource) -> Iterator[Task]:
    if source.kind == "json":
        yield JsonTask(source.label)
    elif source.path is not None:
        path = os.fspath(source.path)
        for start, end in byte_ranges(path, os.path.getsize(path), TASK_BYTES):
            yield RangeTask(path, start, end)
    else:
        yield from iter_blocks(stdin_binary(), TASK_BYTES)


class ParallelChecker:
    """A pool of worker processes, each holding its own compiled validator.

    Tasks from all sources flow through one window of outstanding results,
    collected in submission order: workers stay busy across file boundaries
    (pre-commit passes many small files), and the parent sees chunks in input
    order, which is all the ordering it needs.
    """

    def __init__(self, spec: SchemaSpec, jobs: int) -> None:
        # fork shares the already-imported validator code (no per-worker import cost); elsewhere,
        # notably macOS, fork is unsafe with system frameworks, and spawn is the platform default
        ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        self._pool = ctx.Pool(jobs, initializer=_init_worker, initargs=(spec,))
        # bounded, unlike Pool.imap, which would drain stdin into its task queue
        self._window = 2 * jobs

    def chunks(self, sources: Iterable[DataSource]) -> Iterator[tuple[DataSource, Chunk]]:
        pending: deque[tuple[DataSource, AsyncResult[Chunk]]] = deque()
        for source in sources:
            for task in _tasks(source):
                pending.append((source, self._pool.apply_async(_work, (task,))))
                if len(pending) > self._window:
                    done_source, result = pending.popleft()
                    yield done_source, _from_wire(result.get())
        while pending:
            done_source, result = pending.popleft()
            yield done_source, _from_wire(result.get())

    def close(self) -> None:
        # terminate, not join: after --fail-fast the remaining tasks are of no use
        self._pool.terminate()
        self._pool.join()
