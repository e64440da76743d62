"""``schemakit validate``: build the checker from the config, merge chunks in order, report.

The parent is the only place that sees objects in input order, so it owns
everything order-dependent: line numbers, unique keys across all files,
``--fail-fast`` and ``--max-issues``. Workers only check.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from schemakit._contract.bucket import is_bucket_request
from schemakit._issues import Issue, SchemaDefinitionError, describe
from schemakit.cli._check import Chunk, ObjectChecker, ParallelChecker, SchemaSpec, serial_chunks, worker_count
from schemakit.cli._config import BucketTarget, Reporting, ValidateConfig
from schemakit.cli._datasets import in_order
from schemakit.cli._errors import UserError
from schemakit.cli._inputs import (
    DATA_SUFFIXES,
    STDIN,
    DataSource,
    Document,
    data_name,
    discover_data,
    load_document,
)
from schemakit.cli._keys import KeyStore
from schemakit.cli._report import Reporter, Summary, open_reporters, terminal_console

PROGRESS_MIN_BYTES = 4 << 20


def split_schema_document(doc: Document) -> tuple[Any, Any, tuple[str, ...]]:
    """``(bucket_schema, unique_key, prefix)`` of a bare bucket_schema or a BucketCreateRequest.

    ``prefix`` is where the bucket_schema sits in the file, to locate its issues.
    """
    data = doc.data
    if is_bucket_request(data):
        return data.get("bucket_schema"), data.get("unique_key"), ("bucket_schema",)
    return data, None, ()


def locate_schema_issue(issue: Issue, prefix: tuple[str, ...]) -> Issue:
    """A definition issue's path inside the file: unique_key issues already start at the request."""
    if prefix and issue.path[:1] != ("unique_key",):
        return issue.prefixed(*prefix)
    return issue


def compile_schema_file(label: str, *, strict: bool) -> tuple[Any, SchemaSpec]:
    """Compile the SCHEMA argument, or fail with exit 2 naming the file and its first problem."""
    doc = load_document(label, what="bucket schema")
    bucket_schema, unique_key, prefix = split_schema_document(doc)
    spec = SchemaSpec(bucket_schema, unique_key, strict)
    try:
        compiled = spec.compile()
    except SchemaDefinitionError as exc:
        issues = [locate_schema_issue(i, prefix) for i in exc.issues if i.severity == "error"] or [
            locate_schema_issue(i, prefix) for i in exc.issues
        ]
        if not issues:
            raise UserError(f"{label}: invalid bucket schema: {exc}") from None
        first = issues[0]
        where = f"line {doc.line_of(first.path)}: {first.pointer or '/'}"
        more = f" (and {len(issues) - 1} more; run 'schemakit check-schema {label}')" if len(issues) > 1 else ""
        hint = f" ({first.hint})" if first.hint else ""
        raise UserError(f"{label}: invalid bucket schema: {where}: {first.code}: {first.message}{hint}{more}") from None
    warn_about_schema(label, doc)
    return compiled, spec


def warn_about_schema(label: str, doc: Document) -> None:
    """The schema's warnings on stderr: a misspelled ``requird`` would otherwise only show as objects passing."""
    from schemakit.cli._commands import schema_issues

    for issue in schema_issues(doc.data):
        if issue.severity == "warning":
            hint = f" ({issue.hint})" if issue.hint else ""
            where = f"line {doc.line_of(issue.path)}: {issue.pointer or '/'}"
            sys.stderr.write(f"schemakit: warning: {label}: {where}: {issue.code}: {issue.message}{hint}\n")


def duplicate_key_issue(fields: tuple[str, ...], key: Hashable, first_file: str, first_line: int) -> Issue:
    """The batch check's ``duplicate_unique_key``, with the first object located by file and line."""
    values = key if isinstance(key, tuple) else (key,)
    # same rendering as CompiledSchema.validate_batch, so CLI and library messages read alike
    shown = ", ".join(f"{f}={describe(v).split(' ', 1)[-1]}" for f, v in zip(fields, values, strict=False))
    return Issue(
        "duplicate_unique_key",
        (fields[0],) if len(fields) == 1 else (),
        f"unique key ({shown}) repeats the object at {first_file}:{first_line}",
        hint="each object needs its own unique key, across all the files checked",
    )


class NormalizedWriter:
    """``--write-normalized DIR``: one JSON Lines file per input file, of the objects that passed, as normalized."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)
        self._stream: IO[bytes] | None = None
        self._names: set[str] = set()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            problem = exc.strerror or exc
            raise UserError(f"{directory}: cannot create the --write-normalized directory: {problem}") from None

    def target(self, label: str) -> Path:
        """Where the normalized objects of input ``label`` go: its path under DIR, as ``.jsonl``."""
        if label == STDIN:
            rel = "stdin.jsonl"
        else:
            rel = os.path.relpath(label)
            if rel.startswith(".."):
                rel = os.path.abspath(label).lstrip(os.sep)
            rel = data_name(rel)
            stem, ext = os.path.splitext(rel)
            rel = (stem if ext.lower() in DATA_SUFFIXES else rel) + ".jsonl"
        return self.directory / rel

    def start(self, label: str) -> None:
        self.close()
        path = self.target(label)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._stream = open(path, "wb")  # noqa: SIM115 - closed by close()
        except OSError as exc:
            raise UserError(f"{path}: cannot write the normalized objects: {exc.strerror or exc}") from None

    def write(self, lines: list[bytes]) -> None:
        if self._stream is not None and lines:
            self._stream.write(b"\n".join(lines) + b"\n")

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None


class ValidationRun:
    """Merges chunks in input order into the summary and the reporter."""

    def __init__(
        self,
        reporter: Reporter,
        cfg: ValidateConfig,
        summary: Summary,
        normalized: NormalizedWriter | None = None,
    ) -> None:
        self.reporter = reporter
        self.cfg = cfg
        self.summary = summary
        self.unique_fields: tuple[str, ...] = ()
        self.keys = KeyStore()
        self.normalized = normalized
        self.failed = False
        self._file: str | None = None
        self._file_objects = 0
        self._file_invalid = 0

    def new_bucket(self, unique_fields: tuple[str, ...]) -> None:
        """Unique keys are per bucket: each configured bucket starts its own store."""
        self.unique_fields = unique_fields
        self.keys = KeyStore()

    def emit(self, file: str, line: int, issue: Issue) -> None:
        s = self.summary
        s.count(issue)
        if s.max_issues is None or s.shown < s.max_issues:
            s.shown += 1
            self.reporter.issue(file, line, issue)
        if issue.severity == "error":
            self.failed = True

    def start_file(self, source: DataSource) -> None:
        self.end_file()
        self._file = source.label
        self._file_objects = self._file_invalid = 0
        self.summary.files += 1
        for issue in source.source_issues():
            self.emit(source.label, 1, issue)
        if self.normalized is not None:
            self.normalized.start(source.label)

    def end_file(self) -> None:
        if self._file is not None:
            self.reporter.file_done(self._file, self._file_objects, self._file_invalid)
            self._file = None
        if self.normalized is not None:
            self.normalized.close()

    def add(self, label: str, chunk: Chunk, line_offset: int) -> bool:
        """Account for one chunk; True when ``--fail-fast`` says stop."""
        s = self.summary
        previous = -1
        valid = invalid = 0
        whole_chunk_invalid = False
        rejected: set[int] = set()
        stop = False
        for finding in chunk.findings:
            line = line_offset + finding.line
            issues = finding.issues
            if finding.key is not None:
                first = self.keys.first_seen(finding.key, label, line)
                if first is not None:
                    duplicate = duplicate_key_issue(self.unique_fields, finding.key, *first)
                    issues = (*issues, duplicate.prefixed(*finding.prefix))
            if finding.ordinal < 0:
                # an issue about the file (a compression mismatch, an oversized batch), not about one object;
                # an oversized batch is refused whole by the API, so none of its objects counts as valid
                whole_chunk_invalid = whole_chunk_invalid or finding.ordinal == -2
                for issue in issues:
                    self.emit(label, line, issue)
                continue
            valid += finding.ordinal - previous - 1
            previous = finding.ordinal
            if not issues:  # a keyed object whose key is new: most findings of a keyed run
                valid += 1
                continue
            for issue in issues:
                self.emit(label, line, issue)
            if any(i.severity == "error" for i in issues):
                invalid += 1
                rejected.add(finding.ordinal)
                if self.cfg.fail_fast:
                    stop = True
                    break
            else:
                valid += 1
        if not stop:
            valid += chunk.objects - previous - 1
        if whole_chunk_invalid:
            invalid, valid = invalid + valid, 0
            self.failed = True
        s.objects += valid + invalid
        s.valid += valid
        s.invalid += invalid
        self._file_objects += valid + invalid
        self._file_invalid += invalid
        if self.normalized is not None and chunk.normalized and not whole_chunk_invalid:
            self.normalized.write([text for ordinal, text in chunk.normalized if ordinal not in rejected])
        if stop:
            s.stopped_early = True
        return stop


@contextmanager
def progress_bar(total: int, enabled: bool, color: str = "auto") -> Iterator[Any]:
    """A rich progress bar, or a no-op: only when stderr is a terminal and the input is worth watching.

    When stdout is the same terminal, the bar is drawn by the reporter's console
    so that issue lines print above it; otherwise it goes to stderr, and stdout
    (a file, a pipe) never sees a control sequence.
    """
    if not enabled or total < PROGRESS_MIN_BYTES or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    console = terminal_console(sys.stdout, color) or Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    ) as progress:
        task = progress.add_task("validating", total=total)

        def advance(nbytes: int, label: str) -> None:
            name = label if len(label) <= 40 else "..." + label[-37:]
            progress.update(task, advance=nbytes, description=name)

        yield advance


def run_validate(cfg: ValidateConfig) -> int:
    started = time.perf_counter()
    # no schema: the configured buckets (none when the configuration only has issues to report)
    targets = cfg.targets or ((BucketTarget(cfg.schema, cfg.data),) if cfg.schema is not None else ())
    reporting = cfg.report
    summary = Summary(noun="object", max_issues=cfg.max_issues)
    skipped: list[str] = []
    # every schema compiles and every named path exists before the first line of output
    prepared = []
    for target in targets:
        compiled, spec = compile_schema_file(target.schema, strict=cfg.strict)
        sources = discover_data(
            target.data, skipped=skipped, input_format=cfg.input_format, exclude=(target.schema,)
        )
        prepared.append((target, compiled, spec, sources))
        summary.schemas.append(target.schema)
    for message in skipped:
        sys.stderr.write(f"schemakit: error: {message}\n")
    normalized = NormalizedWriter(cfg.write_normalized) if cfg.write_normalized is not None else None
    with open_reporters(reporting, "validate") as reporter:
        run = ValidationRun(reporter, cfg, summary, normalized)
        for file, line, issue in cfg.config_issues:
            run.emit(file, line, issue)
        stopped = False
        for _target, compiled, spec, sources in prepared:
            if stopped:
                break
            run.new_bucket(tuple(getattr(compiled, "unique_key_fields", ()) or ()))
            stopped = _validate_sources(run, cfg, compiled, spec, sources, reporting)
        run.end_file()
        summary.elapsed = time.perf_counter() - started
        reporter.finish(summary)
    if skipped:
        return 2  # what could be read was checked and reported, but not all the input was
    return 1 if run.failed and not reporting.exit_zero else 0


def _validate_sources(
    run: ValidationRun,
    cfg: ValidateConfig,
    compiled: Any,
    spec: SchemaSpec,
    sources: list[DataSource],
    reporting: Reporting,
) -> bool:
    """Check one bucket's sources into the run; True when --fail-fast stopped it."""
    normalizing = cfg.write_normalized is not None
    checker = ObjectChecker(compiled, normalized=normalizing)
    # the pool forks before the progress bar starts its refresh thread
    jobs = worker_count(cfg.jobs, sources)
    pool = ParallelChecker(spec, jobs, checker) if jobs > 1 else None
    total = sum(src.size or 0 for src in sources)
    try:
        # Parquet, Arrow IPC and CSV files are read columnar, in their place among the others
        chunks = in_order(
            compiled,
            sources,
            lambda some: pool.chunks(some) if pool is not None else serial_chunks(checker, some),
            engine=cfg.engine,
            scheduler=cfg.scheduler,
            jobs=cfg.jobs,
        )
        with progress_bar(total, enabled=not reporting.quiet, color=reporting.color) as advance:
            current: DataSource | None = None
            offset = 0
            for source, chunk in chunks:
                if source is not current:
                    current, offset = source, 0
                    run.start_file(source)
                if run.add(source.label, chunk, offset):
                    return True
                offset += chunk.lines
                if advance is not None:
                    advance(chunk.nbytes, source.label)
    finally:
        if pool is not None:
            pool.close()
    return False
