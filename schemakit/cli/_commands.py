"""Runners of the commands other than ``validate``: check-schema, check-pipeline, filter, export-jsonschema."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator, Sequence
from typing import Any

from schemakit._issues import FilterError, Issue
from schemakit.cli._check import BLOCK_BYTES, corrupt_input_issue, invalid_json_issue, iter_blocks
from schemakit.cli._config import CheckPipelineConfig, CheckSchemaConfig, ExportConfig, FilterConfig
from schemakit.cli._errors import UserError
from schemakit.cli._inputs import (
    DataSource,
    DocumentSyntaxError,
    InputReadError,
    decode_text,
    discover_data,
    iter_json_items,
    json_error_message,
    load_document,
    loads,
    open_source,
    read_source_bytes,
    read_text,
)
from schemakit.cli._report import Reporter, Summary, open_reporters, text_line
from schemakit.cli._validate import compile_schema_file, split_schema_document

# --------------------------------------------------------------------------- check-schema


def _report(reporter: Reporter, summary: Summary, file: str, line: int, issue: Issue) -> None:
    summary.count(issue)
    summary.shown += 1
    reporter.issue(file, line, issue)


def schema_issues(document: Any, *, strict: bool = False) -> list[Issue]:
    """Every definition issue of a bucket file (a bare bucket_schema or a BucketCreateRequest), located in it."""
    from schemakit._contract.bucket import is_bucket_request, read_bucket_request, strictly
    from schemakit.schema import check_bucket

    issues = read_bucket_request(document).issues if is_bucket_request(document) else check_bucket(document)
    return strictly(issues) if strict else issues


def run_check_schema(cfg: CheckSchemaConfig) -> int:
    started = time.perf_counter()
    with open_reporters(cfg.report, "check-schema") as reporter:
        summary = Summary(noun="schema")
        unreadable = _check_schemas(cfg, reporter, summary)
        summary.elapsed = time.perf_counter() - started
        reporter.finish(summary)
    if unreadable:
        return 2
    return 1 if summary.invalid and not cfg.report.exit_zero else 0


def _check_schemas(cfg: CheckSchemaConfig, reporter: Reporter, summary: Summary) -> int:
    unreadable = 0
    for label in cfg.schemas:
        try:
            doc = load_document(label, what="bucket schema")
        except DocumentSyntaxError as exc:
            summary.files += 1
            summary.objects += 1
            _report(reporter, summary, label, exc.line, exc.issue)
            summary.invalid += 1
            reporter.file_done(label, 1, 1)
            continue
        except UserError as exc:
            # a missing or unreadable file: say so and check the others (exit 2 at the end)
            sys.stderr.write(f"schemakit: error: {exc}\n")
            unreadable += 1
            continue
        summary.files += 1
        summary.objects += 1
        issues = schema_issues(doc.data, strict=cfg.strict)
        for issue in issues:
            _report(reporter, summary, label, doc.line_of(issue.path), issue)
        broken = any(i.severity == "error" for i in issues)
        if broken:
            summary.invalid += 1
        else:
            summary.valid += 1
        reporter.file_done(label, 1, int(broken))
    return unreadable


# --------------------------------------------------------------------------- check-pipeline


def schema_outline(schema: Any, indent: str = "    ") -> str:
    """A bucket_schema as one field a line (``title: string, required``), nested fields indented.

    Easier to scan in a terminal than the JSON; ``--format json`` keeps the full dicts.
    """
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        return f"{indent}(unknown)"
    lines: list[str] = []

    def walk(props: dict[str, Any], pad: str) -> None:
        for name, spec in props.items():
            if not isinstance(spec, dict):
                lines.append(f"{pad}{name}: ?")
                continue
            kind = str(spec.get("type", "?"))
            items = spec.get("items")
            if kind == "array" and isinstance(items, dict):
                kind = f"array of {items.get('type', '?')}"
            notes = [kind]
            if spec.get("required"):
                notes.append("required")
            if isinstance(spec.get("enum"), list):
                notes.append("one of " + ", ".join(json.dumps(v, default=str) for v in spec["enum"]))
            lines.append(f"{pad}{name}: {', '.join(notes)}")
            nested = spec.get("properties")
            if isinstance(items, dict) and isinstance(items.get("properties"), dict):
                nested = items["properties"]
            if isinstance(nested, dict):
                walk(nested, pad + "  ")

    walk(schema["properties"], indent)
    return "\n".join(lines) if lines else f"{indent}(no fields)"


def run_check_pipeline(cfg: CheckPipelineConfig) -> int:
    started = time.perf_counter()
    with open_reporters(cfg.report, "check-pipeline") as reporter:
        summary = Summary(noun="collection")
        failed, shown_schemas = _check_pipelines(cfg, reporter, summary)
        summary.elapsed = time.perf_counter() - started
        reporter.finish(summary, {"collections": shown_schemas} if cfg.show_schemas else None)
    return 1 if failed and not cfg.report.exit_zero else 0


def _check_pipelines(
    cfg: CheckPipelineConfig, reporter: Reporter, summary: Summary
) -> tuple[bool, dict[str, dict[str, Any]]]:
    from schemakit.mappings import resolve_pipeline

    labels = cfg.manifests
    failed = False
    shown_schemas: dict[str, dict[str, Any]] = {}
    for label in labels:
        summary.files += 1
        try:
            doc = load_document(label, what="pipeline manifest")
        except DocumentSyntaxError as exc:
            _report(reporter, summary, label, exc.line, exc.issue)
            failed = True
            reporter.file_done(label, 0, 0)
            continue
        result = resolve_pipeline(doc.data)
        declared = doc.data.get("collections") if isinstance(doc.data, dict) else None
        ids = list(declared) if isinstance(declared, dict) else list(result.collections)
        broken: set[Any] = set()
        for issue in result.issues:
            _report(reporter, summary, label, doc.line_of(issue.path), issue)
            if issue.severity == "error":
                failed = True
                if len(issue.path) >= 2 and issue.path[0] == "collections":
                    broken.add(issue.path[1])
        summary.objects += len(ids)
        summary.invalid += sum(1 for cid in ids if cid in broken)
        summary.valid += sum(1 for cid in ids if cid not in broken)
        reporter.file_done(label, len(ids), sum(1 for cid in ids if cid in broken))
        if cfg.show_schemas:
            order = [*result.order, *(cid for cid in result.collections if cid not in result.order)]
            for cid in order:
                res = result.collections[cid]
                schemas = {
                    "input_schema": getattr(res, "input_schema", None),
                    "output_schema": getattr(res, "output_schema", None),
                }
                key = cid if len(labels) == 1 else f"{label}#{cid}"
                shown_schemas[key] = schemas
                body = "\n".join(
                    f"  {name.replace('_', ' ')}:\n{schema_outline(value)}" for name, value in schemas.items()
                )
                reporter.section(f"collection {cid} ({label})", body)
    return failed, shown_schemas


# --------------------------------------------------------------------------- filter


def read_filter_spec(spec: str) -> tuple[Any, str]:
    """The filter as ``parse_filter`` takes it (dict for JSON, str for text), and a label for messages."""
    label = "FILTER"
    text = spec
    if spec.startswith("@"):
        label = spec[1:]
        text = read_text(label)
    if text.lstrip().startswith("{"):
        try:
            return loads(text), label
        except ValueError as exc:
            raise UserError(f"{label}: filter is not valid JSON{_where(exc)}") from None
    return text, label


def _where(exc: ValueError) -> str:
    line, column, problem = json_error_message(exc)
    return f" at line {line}, column {column}: {problem}" if column is not None else f": {problem}"


def _first_issue_message(label: str, issues: Sequence[Issue], what: str) -> str:
    errors = [i for i in issues if i.severity == "error"] or list(issues)
    if not errors:
        return f"{label}: {what}"
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{label}: {what}: {first}{more}"


def parse_filter_arg(spec: str) -> tuple[Any, str]:
    from schemakit.filters import parse_filter

    raw, label = read_filter_spec(spec)
    try:
        return parse_filter(raw), label
    except FilterError as exc:
        if exc.line is not None and exc.issues:
            # the message holds the location and the caret excerpt, the hint the expected tokens
            issue = exc.issues[0]
            detail = issue.message + (f"\n{issue.hint}" if issue.hint else "")
            raise UserError(f"{label}: filter syntax error: {detail}") from None
        raise UserError(_first_issue_message(label, exc.issues, "invalid filter")) from None


def explain_filter(flt: Any) -> str:
    """The canonical text, the canonical JSON and the AST tree of a filter."""
    return (
        f"text: {flt.to_text()}\n"
        f"json: {json.dumps(flt.to_dict(), ensure_ascii=False, default=str)}\n"
        f"tree:\n{flt.tree().rstrip()}\n"
    )


# Keys an object request (or a stored object) has besides its schema's fields; a filter may
# name them. Sub-paths count too (``blobs.type``), as check_filter treats system fields.
OBJECT_SYSTEM_FIELDS = (
    "object_id",
    "bucket_id",
    "key_prefix",
    "blobs",
    "skip_duplicates",
    "canonicalize_source",
    "force_remirror",
    "created_at",
    "updated_at",
    "status",
)


def _iter_records(source: DataSource, bad: list[tuple[str, int, Issue]]) -> Iterator[Any]:
    """Records of one source in order; malformed lines go to ``bad`` and are skipped."""
    if source.kind == "json":
        try:
            text = decode_text(source.label, read_source_bytes(source))
        except InputReadError as exc:
            bad.append((source.label, 1, corrupt_input_issue(source, str(exc))))
            return
        try:
            for item in iter_json_items(text):
                yield item.value
        except ValueError as exc:
            bad.append((source.label, json_error_message(exc)[0], invalid_json_issue(exc, jsonl=False)))
        return
    stream = open_source(source)
    try:
        lineno = 0
        try:
            for block in iter_blocks(stream, BLOCK_BYTES):
                lines = block.split(b"\n")
                if lines[-1] == b"":
                    lines.pop()
                for raw in lines:
                    lineno += 1
                    try:
                        yield loads(raw)
                    except ValueError as exc:
                        if raw.strip():
                            bad.append((source.label, lineno, invalid_json_issue(exc, jsonl=True)))
        except InputReadError as exc:
            bad.append((source.label, lineno + 1, corrupt_input_issue(source, str(exc))))
    finally:
        if source.path is not None:
            stream.close()


def read_context(raw: str | None) -> Any:
    if raw is None:
        return None
    label, text = ("--context", raw) if not raw.startswith("@") else (raw[1:], read_text(raw[1:]))
    try:
        value = loads(text)
    except ValueError as exc:
        raise UserError(f"{label}: context is not valid JSON{_where(exc)}") from None
    if not isinstance(value, dict):
        raise UserError(f'{label}: context must be a JSON object such as {{"inputs": {{"user_id": "u1"}}}}')
    return value


def run_filter(cfg: FilterConfig) -> int:
    from schemakit.filters import check_filter

    flt, label = parse_filter_arg(cfg.spec)
    ctx = read_context(cfg.context)
    schema = cfg.schema
    if schema is not None:
        doc = load_document(schema, what="bucket schema")
        bucket_schema, _, _ = split_schema_document(doc)
        issues = check_filter(flt, bucket_schema, system_fields=OBJECT_SYSTEM_FIELDS)
        for issue in issues:
            if issue.severity != "error":
                sys.stderr.write(text_line(label, 1, issue) + "\n")
        if any(i.severity == "error" for i in issues):
            raise UserError(_first_issue_message(label, issues, f"filter does not fit the bucket schema in {schema}"))
    if cfg.explain:
        sys.stdout.write(explain_filter(flt))
        return 0
    if ctx is None and flt.dynamic_fields:
        # found before reading any data: every record would fail the same way
        names = ", ".join(sorted(flt.dynamic_fields))
        raise UserError(f"{label}: the filter refers to dynamic values ({names}); give them with --context JSON")
    sources = discover_data(cfg.data)
    bad: list[tuple[str, int, Issue]] = []
    malformed = 0
    out = sys.stdout
    dumps = json.dumps
    matches = flt.matches
    for source in sources:
        for record in _iter_records(source, bad):
            try:
                hit = matches(record, ctx)
            except FilterError as exc:
                raise UserError(_first_issue_message(label, exc.issues, "cannot evaluate the filter")) from None
            if hit:
                out.write(_record_line(dumps, record) + "\n")
            if bad:
                malformed += _flush_bad(bad)
        malformed += _flush_bad(bad)
    # malformed lines were skipped, so the output may lack records: not a clean run
    return 1 if malformed else 0


def _record_line(dumps: Any, record: Any) -> str:
    """One output line of valid JSON: a number JSON cannot write (``1e999`` reads as infinity) is null."""
    try:
        return str(dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False))
    except ValueError:
        return str(dumps(_finite(record), ensure_ascii=False, separators=(",", ":"), allow_nan=False))


def _finite(value: Any) -> Any:
    if isinstance(value, float) and value - value != 0.0:
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _flush_bad(bad: list[tuple[str, int, Issue]]) -> int:
    for file, line, issue in bad:
        sys.stderr.write(text_line(file, line, issue) + "\n")
    count = len(bad)
    bad.clear()
    return count


# --------------------------------------------------------------------------- export-jsonschema


def run_export_jsonschema(cfg: ExportConfig) -> int:
    compiled, _ = compile_schema_file(cfg.schema, strict=cfg.strict)
    sys.stdout.write(json.dumps(compiled.json_schema(), indent=2, ensure_ascii=False) + "\n")
    return 0
