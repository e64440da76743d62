"""``schemakit validate``: build the checker from the config, merge chunks in order, report.

The parent is the only place that sees objects in input order, so it owns
everything order-dependent: line numbers, unique keys across all files,
``--fail-fast`` and ``--max-issues``. Workers only check.
"""

from __future__ import annotations

import sys
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from typing import Any

from schemakit._contract.bucket import is_bucket_request
from schemakit._issues import Issue, SchemaDefinitionError, describe
from schemakit.cli._check import Chunk, ObjectChecker, ParallelChecker, SchemaSpec, serial_chunks, worker_count
from schemakit.cli._config import ValidateConfig
from schemakit.cli._errors import UserError
from schemakit.cli._inputs import DataSource, Document, discover_data, load_document
from schemakit.cli._report import Reporter, Summary, make_reporter, terminal_console

PROGRESS_MIN_BYTES = 4 << 20
_LINE_BITS = 40
_LINE_MASK = (1 << _LINE_BITS) - 1


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
    return compiled, spec


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


class ValidationRun:
    """Merges chunks in input order into the summary and the reporter."""

    def __init__(self, reporter: Reporter, cfg: ValidateConfig, unique_fields: tuple[str, ...]) -> None:
        self.reporter = reporter
        self.cfg = cfg
        self.summary = Summary(noun="object", max_issues=cfg.max_issues)
        self.unique_fields = unique_fields
        # key -> where it was first seen; grows with the distinct keys, the one state that must.
        # Kept compact (a bare value for a one-field key, the location packed into one int):
        # at a million keys the tuples would cost more than the keys.
        self._seen: dict[Hashable, int] = {}
        self._labels: list[str] = []
        self._label_ids: dict[str, int] = {}
        self.failed = False

    def _first_seen(self, key: Hashable, label: str, line: int) -> tuple[str, int] | None:
        """Where ``key`` was first seen, or None after recording it as seen here."""
        compact = key[0] if isinstance(key, tuple) and len(key) == 1 else key
        where = self._seen.get(compact)
        if where is not None:
            return self._labels[where >> _LINE_BITS], where & _LINE_MASK
        label_id = self._label_ids.get(label)
        if label_id is None:
            label_id = self._label_ids[label] = len(self._labels)
            self._labels.append(label)
        self._seen[compact] = (label_id << _LINE_BITS) | line
        return None

    def _emit(self, file: str, line: int, issue: Issue) -> None:
        s = self.summary
        s.count(issue)
        if s.max_issues is None or s.shown < s.max_issues:
            s.shown += 1
            self.reporter.issue(file, line, issue)

    def add(self, label: str, chunk: Chunk, line_offset: int) -> bool:
        """Account for one chunk; True when ``--fail-fast`` says stop."""
        s = self.summary
        previous = -1
        for finding in chunk.findings:
            line = line_offset + finding.line
            issues = finding.issues
            if finding.key is not None:
                first = self._first_seen(finding.key, label, line)
                if first is not None:
                    duplicate = duplicate_key_issue(self.unique_fields, finding.key, *first)
                    issues = (*issues, duplicate.prefixed(*finding.prefix))
            if finding.ordinal < 0:
                # an issue about the file (an oversized batch), not about one object
                for issue in issues:
                    self._emit(label, line, issue)
                    self.failed = self.failed or issue.severity == "error"
                continue
            gap = finding.ordinal - previous - 1
            s.objects += gap + 1
            s.valid += gap
            previous = finding.ordinal
            for issue in issues:
                self._emit(label, line, issue)
            if any(i.severity == "error" for i in issues):
                s.invalid += 1
                self.failed = True
                if self.cfg.fail_fast:
                    s.stopped_early = True
                    return True
            else:
                s.valid += 1
        tail = chunk.objects - previous - 1
        s.objects += tail
        s.valid += tail
        return False


@contextmanager
def progress_bar(total: int, enabled: bool) -> Iterator[Any]:
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

    console = terminal_console(sys.stdout) or Console(stderr=True)
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
    compiled, spec = compile_schema_file(cfg.schema, strict=cfg.strict)
    skipped: list[str] = []
    sources = discover_data(cfg.data, skipped=skipped)
    for message in skipped:
        sys.stderr.write(f"schemakit: error: {message}\n")
    reporter = make_reporter(cfg.format, quiet=cfg.quiet)
    unique_fields = tuple(getattr(compiled, "unique_key_fields", ()) or ())
    run = ValidationRun(reporter, cfg, unique_fields)
    checker = ObjectChecker(compiled)
    # the pool forks before the progress bar starts its refresh thread
    jobs = worker_count(cfg.jobs, sources)
    pool = ParallelChecker(spec, jobs) if jobs > 1 else None
    total = sum(src.size or 0 for src in sources)
    try:
        chunks = pool.chunks(sources) if pool is not None else serial_chunks(checker, sources)
        with progress_bar(total, enabled=not cfg.quiet) as advance:
            current: DataSource | None = None
            offset = 0
            for source, chunk in chunks:
                if source is not current:
                    current, offset = source, 0
                    run.summary.files += 1
                if run.add(source.label, chunk, offset):
                    break
                offset += chunk.lines
                if advance is not None:
                    advance(chunk.nbytes, source.label)
    finally:
        if pool is not None:
            pool.close()
    reporter.finish(run.summary)
    if skipped:
        return 2  # what could be read was checked and reported, but not all the input was
    return 1 if run.failed else 0
