"""The checking stage of ``validate``: data sources in, chunks of findings out.

Objects are read in blocks of lines (a few hundred KB), checked, and reduced to a
``Chunk``: how many objects and lines it held and a sparse list of findings
(objects that have issues or a unique-key value). Valid objects leave nothing
behind, so memory stays flat however long the file is. The same block
function runs in-process (``--jobs 1``) and in worker processes (``--jobs N``);
the parent merges chunks in input order, so both give identical output.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult
from typing import IO, Any, NamedTuple, cast

from schemakit._issues import Issue
from schemakit.cli._inputs import (
    FAST_LOADS,
    DataSource,
    InputReadError,
    JsonItem,
    JsonTooDeep,
    decode_text,
    dumps_line,
    iter_json_items,
    json_error_message,
    json_line_of,
    loads,
    needs_exact_decode,
    open_source,
    plain_problem,
    read_errors,
    read_source_bytes,
)

# Block sizes bound memory: a block's findings are held until merged, and a block of short,
# all-invalid lines yields several issues a line (about 200 bytes of Python objects per 60 bytes
# of input at 4 MB blocks, 250 MB). In-process, small blocks cost nothing; across processes, each
# task costs a dispatch and a pickled result, handled by threads of the parent that wait for the
# interpreter lock while the parent checks, so a large input goes in large tasks (fewer waits), a
# small one in small tasks (enough of them to share; see task_bytes).
BLOCK_BYTES = 256 << 10
TASK_BYTES = BLOCK_BYTES
MAX_TASK_BYTES = 2 << 20
TASKS_PER_JOB = 8
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
    # with --write-normalized: (ordinal, JSON line) of each object that passed, in order
    normalized: list[tuple[int, bytes]] | None = None


def invalid_json_issue(exc: ValueError | RecursionError, *, jsonl: bool) -> Issue:
    """An issue for a line or file that does not decode (``exc`` from :func:`~schemakit.cli._inputs.loads`)."""
    if isinstance(exc, RecursionError):
        exc = JsonTooDeep()
    if isinstance(exc, json.JSONDecodeError):
        message = f"invalid JSON at column {exc.colno}: {exc.msg}"
    elif isinstance(exc, UnicodeDecodeError):
        message = f"not valid UTF-8: byte 0x{exc.object[exc.start]:02x} at byte column {exc.start + 1}"
    else:
        message = f"invalid JSON: {plain_problem(exc)}"
    return Issue("invalid_json", (), message, _JSONL_HINT if jsonl else None)


def issues_after_clean_check(compiled: Any) -> Callable[[Any], Sequence[Issue]]:
    """The issues of an object the clean check rejected: ``validate(obj).issues`` without running that check again.

    The compiled schema's own collecting pass for a plain dict, when it has one;
    ``validate`` for anything else (it first makes the value plain).
    """
    collect = getattr(compiled, "_collect", None)
    validate = compiled.validate
    if not callable(collect):
        return lambda obj: cast(Sequence[Issue], validate(obj).issues)

    def issues_of(obj: Any) -> Sequence[Issue]:
        if obj.__class__ is not dict:
            return cast(Sequence[Issue], validate(obj).issues)
        found: list[Issue] = []
        collect(obj, found)
        return found

    return issues_of


def clean_check(compiled: Any) -> Callable[[Any], bool]:
    """Whether an object has no issue at all: ``is_valid`` that also fails at a warning.

    The compiled schema's own shortcut when it has one (``validate`` runs the
    same function first); ``is_valid`` would pass an object whose only issues
    are warnings, and the report must still show those.
    """
    found = getattr(compiled, "_is_clean", None)
    if callable(found):
        return cast(Callable[[Any], bool], found)
    validate = compiled.validate
    return lambda obj: not validate(obj).issues


class ObjectChecker:
    """Checks objects with one compiled schema; lives once per process.

    Every object goes through the generated clean check first; only the objects
    it rejects go through ``validate`` to build their issues (and, with
    ``normalized``, every object does, for its normalized form).
    """

    def __init__(self, compiled: Any, *, normalized: bool = False) -> None:
        self._validate: Callable[[Any], Any] = compiled.validate
        self._clean = clean_check(compiled)
        self._issues_of = issues_after_clean_check(compiled)
        self._normalized = normalized
        self.normalizing = normalized
        fields = tuple(getattr(compiled, "unique_key_fields", ()) or ())
        self._key: Callable[[Any], Hashable | None] | None = compiled.unique_key_value if fields else None

    def check_block(self, data: bytes) -> Chunk:
        """Check a block of whole JSON lines (it ends at a newline or at the end of the input)."""
        lines = data.split(b"\n")
        if lines[-1] == b"":
            lines.pop()
        if self._normalized:
            out: list[tuple[int, bytes]] = []
            objects, findings = self._check_normalizing(lines, out)
            return Chunk(objects, len(lines), len(data), findings, out)
        objects, findings = self.check_lines(lines, exact=needs_exact_decode(data))
        return Chunk(objects, len(lines), len(data), findings)

    def check_lines(self, lines: list[bytes], *, exact: bool = True) -> tuple[int, list[Finding]]:
        """Objects counted and findings of JSON lines; ``exact=False`` lets orjson decode (see needs_exact_decode).

        The hot loop of the CLI: locals only, nothing kept for an object without
        findings, and nothing counted per line that the end can count (an
        object's ordinal is its line less the blank lines before it).
        """
        parse = loads if exact or FAST_LOADS is None else FAST_LOADS
        clean = self._clean
        issues_of = self._issues_of
        key_of = self._key
        findings: list[Finding] = []
        append = findings.append
        blanks = 0
        for lineno, raw in enumerate(lines, 1):
            try:
                obj = parse(raw)
            except ValueError:
                try:
                    obj = loads(raw)  # what orjson refuses and json reads (NaN, a lone surrogate escape)
                except ValueError as exc:
                    if not raw.strip():
                        blanks += 1  # a blank line is no object
                        continue
                    append(Finding(lineno - 1 - blanks, lineno, (invalid_json_issue(exc, jsonl=True),), None))
                    continue
            if key_of is None:
                if clean(obj):
                    continue
                issues = issues_of(obj)
                if issues:
                    append(Finding(lineno - 1 - blanks, lineno, tuple(issues), None))
            else:
                issues = () if clean(obj) else issues_of(obj)
                key = key_of(obj)
                if issues or key is not None:
                    append(Finding(lineno - 1 - blanks, lineno, tuple(issues), key))
        return len(lines) - blanks, findings

    def _check_normalizing(self, lines: Iterable[bytes], out: list[tuple[int, bytes]]) -> tuple[int, list[Finding]]:
        # --write-normalized: every object needs validate's normalized value, so no shortcut
        validate = self._validate
        key_of = self._key
        findings: list[Finding] = []
        objects = 0
        lineno = 0
        for raw in lines:
            lineno += 1
            try:
                obj = loads(raw)
            except ValueError as exc:
                if not raw.strip():
                    continue
                findings.append(Finding(objects, lineno, (invalid_json_issue(exc, jsonl=True),), None))
                objects += 1
                continue
            result = validate(obj)
            if result.ok:
                out.append((objects, dumps_line(result.value)))
            key = key_of(obj) if key_of is not None else None
            if result.issues or key is not None:
                findings.append(Finding(objects, lineno, tuple(result.issues), key))
            objects += 1
        return objects, findings

    def check_items(
        self, items: Iterable[JsonItem], out: list[tuple[int, bytes]] | None = None
    ) -> tuple[int, list[Finding]]:
        findings: list[Finding] = []
        objects = 0
        for item in items:
            if out is None and self._clean(item.value):
                issues: tuple[Issue, ...] = ()
            else:
                result = self._validate(item.value)
                issues = tuple(i.prefixed(*item.prefix) for i in result.issues)
                if out is not None and result.ok:
                    out.append((objects, dumps_line(result.value)))
            key = self._key(item.value) if self._key is not None else None
            if issues or key is not None:
                findings.append(Finding(objects, item.line, issues, key, item.prefix))
            objects += 1
        return objects, findings


# --------------------------------------------------------------------------- reading sources


def iter_blocks(stream: IO[bytes], block_bytes: int = BLOCK_BYTES) -> Iterator[bytes]:
    """Blocks of whole lines: each ends right after a newline, except the last of the input.

    A read that fails part way (corrupt or truncated compressed data) raises
    :class:`InputReadError` after the whole lines read so far; the fragment of a
    line that the failure cut is dropped (it would only add an invalid_json issue).
    """
    # read1 returns what one underlying read gives, so a decompressor that fails part way
    # has handed over everything before the failure
    read = getattr(stream, "read1", None) or stream.read
    carry = b""
    produced = False
    errors = read_errors()
    while True:
        parts: list[bytes] = []
        size = 0
        failure: str | None = None
        while size < block_bytes:
            try:
                piece = read(block_bytes - size)
            except errors as exc:
                failure = str(exc) or type(exc).__name__
                break
            if not piece:
                break
            parts.append(piece)
            size += len(piece)
        data = carry + b"".join(parts) if carry else b"".join(parts)
        if failure is not None:
            whole = data[: data.rfind(b"\n") + 1]
            if whole:
                yield whole
            raise InputReadError(failure)
        if not parts:
            if carry or not produced:
                # an empty input still gives one (empty) block, so every source reports as a file
                yield carry
            return
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


def json_source_chunk(checker: ObjectChecker, source: DataSource, data: bytes | None = None) -> Chunk:
    """A whole ``.json`` data source (or its bytes, already read) as one chunk (line numbers absolute)."""
    try:
        raw = read_source_bytes(source) if data is None else data
    except InputReadError as exc:
        return Chunk(1, 0, source.size or 0, [Finding(0, 1, (corrupt_input_issue(source, str(exc)),), None)])
    text = decode_text(source.label, raw)
    nbytes = source.size or len(raw)
    out: list[tuple[int, bytes]] | None = [] if checker.normalizing else None
    try:
        items = list(iter_json_items(text))
    except ValueError as exc:
        if source.auto and holds_json_lines(text):
            chunk = checker.check_block(text.encode("utf-8", "surrogatepass"))
            note = Finding(-1, 1, (json_lines_issue(source.label),), None)
            return chunk._replace(nbytes=nbytes, findings=[note, *chunk.findings])
        line, _, _ = json_error_message(exc)
        return Chunk(1, 0, nbytes, [Finding(0, line, (invalid_json_issue(exc, jsonl=False),), None)])
    findings: list[Finding] = []
    if items and items[0].prefix[:1] == ("objects",) and len(items) > MAX_BATCH_OBJECTS:
        line = json_line_of(text, ("objects",))  # where the list opens
        # the API refuses the whole batch, so none of its objects is stored: all count as invalid
        findings.append(Finding(-2, line, (batch_too_large_issue(len(items)),), None))
    objects, item_findings = checker.check_items(items, out)
    findings.extend(item_findings)
    return Chunk(objects, 0, nbytes, findings, out)


def holds_json_lines(text: str) -> bool:
    """Whether a text that is not one JSON document is JSON Lines: two or more lines, the first one whole."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        return False
    try:
        loads(lines[0])
    except ValueError:
        return False
    return True


def json_lines_issue(label: str) -> Issue:
    return Issue(
        "json_lines_in_json_file",
        (),
        f"{os.path.basename(label)} holds JSON Lines (one value a line), not one JSON document; read as JSON Lines",
        hint="name it .jsonl, or pass --input-format jsonl",
        severity="warning",
    )


def corrupt_input_issue(source: DataSource, problem: str) -> Issue:
    what = f"{source.compression.name} data" if source.compression is not None else "the input"
    return Issue(
        "corrupt_input",
        (),
        f"{what} is corrupt or truncated: {problem}; the objects before it were checked",
        hint="recreate the file, or check that its download or copy completed",
    )


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
        yield from ((source, chunk) for chunk in line_chunks(checker.check_block, source))


def line_chunks(check: Callable[[bytes], Chunk], source: DataSource) -> Iterator[Chunk]:
    """The chunks of a JSON Lines source, read here; a read that fails part way ends it with corrupt_input."""
    stream = open_source(source)
    try:
        try:
            for block in iter_blocks(stream):
                yield check(block)
        except InputReadError as exc:
            yield Chunk(0, 0, 0, [Finding(-1, 1, (corrupt_input_issue(source, str(exc)),), None)])
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
    """A whole ``.json`` data source; ``data`` carries stdin's bytes (a worker's stdin is not the run's)."""

    source: DataSource
    data: bytes | None = None


# A task names its input rather than carrying it where it can: the worker reads
# file ranges and .json files itself; only stdin and decompressed data travel through the pipe, in blocks.
Task = RangeTask | JsonTask | bytes


def _init_worker(spec: SchemaSpec, normalized: bool) -> None:
    global _WORKER
    # Ctrl-C reaches the whole process group: the parent reports the interruption once and
    # terminates the pool, so a worker must not print a KeyboardInterrupt traceback of its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _WORKER is None or _WORKER.normalizing != normalized:  # a forked worker has the parent's already
        _WORKER = ObjectChecker(spec.compile(), normalized=normalized)


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


def task_bytes(sources: Iterable[DataSource], jobs: int) -> int:
    """The size of a task for these sources: about TASKS_PER_JOB tasks a process, within bounds.

    An input of unknown length (stdin) counts as large.
    """
    total = 0
    for source in sources:
        if source.size is None:
            return MAX_TASK_BYTES
        total += source.size
    return min(max(total // (TASKS_PER_JOB * jobs), TASK_BYTES), MAX_TASK_BYTES)


def run_task(checker: ObjectChecker, task: Task) -> Chunk:
    if isinstance(task, bytes):
        return checker.check_block(task)
    if isinstance(task, JsonTask):
        return json_source_chunk(checker, task.source, task.data)
    with open(task.path, "rb") as f:
        f.seek(task.start)
        data = f.read(task.end - task.start)
    return checker.check_block(data)


def _work(task: Task) -> Chunk:
    assert _WORKER is not None
    return _to_wire(run_task(_WORKER, task))


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


def _tasks(source: DataSource, size: int) -> Iterator[Task | Chunk]:
    """The tasks of one source, or a chunk made here (an issue for a read that failed part way)."""
    if source.kind == "json":
        if source.path is not None:
            yield JsonTask(source)
            return
        try:
            yield JsonTask(source, read_source_bytes(source))
        except InputReadError as exc:
            yield Chunk(1, 0, 0, [Finding(0, 1, (corrupt_input_issue(source, str(exc)),), None)])
    elif source.splittable:
        assert source.path is not None
        path = os.fspath(source.path)
        for start, end in byte_ranges(path, os.path.getsize(path), size):
            yield RangeTask(path, start, end)
    else:
        # stdin and compressed files are read (and decompressed) here, in order, and sent in blocks
        stream = open_source(source)
        try:
            yield from iter_blocks(stream, size)
        except InputReadError as exc:
            yield Chunk(0, 0, 0, [Finding(-1, 1, (corrupt_input_issue(source, str(exc)),), None)])
        finally:
            if source.path is not None:
                stream.close()


class ParallelChecker:
    """Worker processes, each holding its own compiled validator, and this process as one more.

    ``jobs`` processes check: ``jobs - 1`` workers and the parent, which checks a
    task itself whenever the workers already have all they can hold, instead of
    waiting for them (on two cores, a parent that only waited would leave one
    idle, and one that only dispatched would compete with two workers). Tasks
    from all sources flow through one window of outstanding results, collected
    in submission order: workers stay busy across file boundaries (pre-commit
    passes many small files), and the parent sees chunks in input order, which
    is all the ordering it needs.
    """

    def __init__(self, spec: SchemaSpec, jobs: int, checker: ObjectChecker) -> None:
        global _WORKER
        # fork shares the already-imported validator code and the compiled validator (no per-worker
        # import or compile); elsewhere, notably macOS, fork is unsafe with system frameworks, and
        # spawn is the platform default
        ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        self._checker = _WORKER = checker
        # what exists now (modules, the compiled validator) is never garbage: frozen, the collector
        # neither walks it nor, in a forked worker, writes to its pages (which would copy them)
        gc.freeze()
        workers = max(jobs - 1, 1)
        self._pool = ctx.Pool(workers, initializer=_init_worker, initargs=(spec, checker.normalizing))
        # bounded, unlike Pool.imap, which would drain stdin into its task queue
        self._window = 4 * workers
        self._jobs = jobs
        # chunks checked here may wait behind a worker's slow one; past this many, wait for it
        self._held = self._window + 4

    def chunks(self, sources: Iterable[DataSource]) -> Iterator[tuple[DataSource, Chunk]]:
        sources = list(sources)
        size = task_bytes(sources, self._jobs)
        pending: deque[tuple[DataSource, AsyncResult[Chunk] | Chunk]] = deque()
        for source in sources:
            for task in _tasks(source, size):
                if isinstance(task, Chunk):
                    pending.append((source, task))
                elif _in_flight(pending) < self._window:
                    pending.append((source, self._pool.apply_async(_work, (task,))))
                else:
                    pending.append((source, run_task(self._checker, task)))
                while pending and _done(pending[0][1]):
                    yield _collect(pending.popleft())
                if len(pending) > self._held:
                    yield _collect(pending.popleft())
        while pending:
            yield _collect(pending.popleft())

    def close(self) -> None:
        # terminate, not join: after --fail-fast the remaining tasks are of no use
        self._pool.terminate()
        self._pool.join()


def _done(entry: AsyncResult[Chunk] | Chunk) -> bool:
    return isinstance(entry, Chunk) or entry.ready()


def _in_flight(pending: Iterable[tuple[DataSource, AsyncResult[Chunk] | Chunk]]) -> int:
    return sum(1 for _, entry in pending if not isinstance(entry, Chunk) and not entry.ready())


def _collect(entry: tuple[DataSource, AsyncResult[Chunk] | Chunk]) -> tuple[DataSource, Chunk]:
    source, result = entry
    return source, result if isinstance(result, Chunk) else _from_wire(result.get())
