"""``schemakit breaking NEW... --against OLD|git:REF``: check_compatibility on files, in every report format.

``OLD`` is a file, or ``git:REF`` for the same path at a git revision
(``git show REF:./NAME`` run in the file's directory, as ``buf breaking
--against '.git#branch=main'`` reads the old version from git). A bucket file
that does not exist at REF is new: there is nothing to break, and it passes.
Each issue is located at its line in NEW (in the manifest for the pipeline's
collections) and its witness object is printed below it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import click

from schemakit._issues import Issue
from schemakit.cli._config import Reporting
from schemakit.cli._errors import UserError
from schemakit.cli._inputs import (
    Document,
    DocumentSyntaxError,
    decode_text,
    discover_data,
    iter_json_items,
    load_document,
    loads,
    read_source_bytes,
)
from schemakit.cli._options import ReportCommand, build_reporting, report_options
from schemakit.cli._report import Summary, open_reporters

GIT_PREFIX = "git:"
FAIL_ON = ("error", "warning")


@dataclass(frozen=True, slots=True)
class BreakingConfig:
    new: tuple[str, ...]
    against: str
    mode: str = "backward"
    pipeline: str | None = None
    bucket: str | None = None
    data: tuple[str, ...] = ()
    fail_on: str = "error"
    strict: bool = False
    reporting: Reporting = field(default_factory=Reporting)


def _git_show(label: str, ref: str) -> str | None:
    """The text of ``label`` at git revision ``ref``; None when the file does not exist there."""
    directory = os.path.dirname(os.path.abspath(label))
    spec = f"{ref}:./{os.path.basename(label)}"
    try:
        done = subprocess.run(
            ["git", "-C", directory, "show", spec], capture_output=True, check=False, timeout=60
        )
    except FileNotFoundError:
        raise UserError(f"{GIT_PREFIX}{ref}: git is not installed") from None
    except subprocess.TimeoutExpired:
        raise UserError(f"{GIT_PREFIX}{ref}: git show {spec} did not finish in 60 seconds") from None
    if done.returncode == 0:
        return decode_text(f"{label}@{ref}", done.stdout)
    err = done.stderr.decode("utf-8", "replace").strip()
    if "exists on disk, but not in" in err or "does not exist in" in err:
        return None
    last = err.splitlines()[-1] if err else f"exit status {done.returncode}"
    raise UserError(f"{GIT_PREFIX}{ref}: cannot read {label} from git: {last}")


def _parse(label: str, text: str) -> Any:
    if label.lower().endswith((".yaml", ".yml")):
        import yaml

        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise UserError(f"{label}: not valid YAML: {str(exc).splitlines()[0]}") from None
    try:
        return loads(text)
    except ValueError as exc:
        raise UserError(f"{label}: not valid JSON: {exc}") from None


def _load(label: str) -> Document:
    try:
        return load_document(label, what="bucket schema")
    except DocumentSyntaxError as exc:
        raise UserError(f"{label}: {exc.issue.message}") from None


def _data_objects(labels: Sequence[str]) -> Iterator[Any]:
    for source in discover_data(labels):
        text = decode_text(source.label, read_source_bytes(source))
        if source.kind == "json":
            try:
                yield from (item.value for item in iter_json_items(text))
            except ValueError as exc:
                raise UserError(f"{source.label}: not valid JSON: {exc}") from None
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    yield loads(line)
                except ValueError as exc:
                    raise UserError(f"{source.label}:{number}: not valid JSON: {exc}") from None


def _witness_text(witness: Any) -> str:
    return json.dumps(witness, ensure_ascii=False, default=str)


def run_breaking(cfg: BreakingConfig) -> int:
    from schemakit.schema import check_compatibility

    if len(cfg.new) > 1 and not cfg.against.startswith(GIT_PREFIX):
        raise click.UsageError("several NEW files need --against git:REF (one OLD file compares with one NEW file)")
    started = time.perf_counter()
    data = list(_data_objects(cfg.data)) if cfg.data else None
    pipeline_doc = load_document(cfg.pipeline, what="pipeline manifest") if cfg.pipeline else None
    threshold = FAIL_ON.index(cfg.fail_on)
    failing = 0
    extra: dict[str, Any] = {"mode": cfg.mode, "reports": {}}
    with open_reporters(cfg.reporting, "breaking") as reporter:
        summary = Summary(noun="schema")
        for label in cfg.new:
            doc = _load(label)
            if cfg.against.startswith(GIT_PREFIX):
                ref = cfg.against[len(GIT_PREFIX) :]
                text = _git_show(label, ref)
                if text is None:
                    summary.files += 1
                    summary.objects += 1
                    summary.valid += 1
                    sys.stderr.write(f"schemakit: {label} does not exist at {ref}: a new bucket breaks nothing\n")
                    reporter.file_done(label, 1, 0)
                    continue
                old = _parse(f"{label}@{ref}", text)
            else:
                old = _load(cfg.against).data
            report = check_compatibility(
                old,
                doc.data,
                mode=cfg.mode,
                strict=cfg.strict,
                data=data,
                pipeline=pipeline_doc.data if pipeline_doc is not None else None,
                bucket_id=cfg.bucket,
            )
            extra["reports"][label] = report.to_dict()
            prefix: tuple[str, ...] = ("bucket_schema",) if _is_request(doc.data) else ()
            summary.files += 1
            summary.objects += 1
            worst = 0
            for issue in report.issues:
                witness = report.witness(issue)
                shown = issue
                if witness is not None:
                    shown = Issue(
                        issue.code,
                        issue.path,
                        f"{issue.message}\nwitness: {_witness_text(witness)}",
                        issue.hint,
                        issue.severity,
                    )
                summary.count(shown)
                summary.shown += 1
                if issue.path[:1] == ("collections",) and pipeline_doc is not None:
                    reporter.issue(pipeline_doc.label, pipeline_doc.line_of(issue.path), shown)
                else:
                    where = issue.path if issue.path[:1] == ("unique_key",) else (*prefix, *issue.path)
                    reporter.issue(label, doc.line_of(where), shown)
                level = 2 if issue.is_error else 1
                worst = max(worst, level)
            breaking = worst >= 2 - threshold
            if breaking:
                failing += 1
                summary.invalid += 1
            else:
                summary.valid += 1
            reporter.file_done(label, 1, int(breaking))
            if report.data is not None:
                counts = report.data
                reporter.section(
                    f"stored objects ({label})",
                    f"  {counts['objects']:,} given: {counts['broken']:,} valid under the old schema and rejected by"
                    f" the new one, {counts['already_invalid']:,} invalid under the old schema already",
                )
        summary.elapsed = time.perf_counter() - started
        reporter.finish(summary, extra)
    return 1 if failing and not cfg.reporting.exit_zero else 0


def _is_request(document: Any) -> bool:
    from schemakit._contract.bucket import is_bucket_request

    return is_bucket_request(document)


def register(
    cli: click.Group, context: dict[str, Any], guard: Callable[[Callable[..., int]], Callable[..., int]]
) -> None:
    """Add ``breaking`` to the command group (called by the click layer)."""
    from schemakit.schema._compat_rules import MODES

    @cli.command(
        "breaking",
        cls=ReportCommand,
        context_settings=context,
        short_help="Report the breaking changes of bucket schemas, each with a witness object.",
    )
    @click.argument("new", nargs=-1, required=True, metavar="NEW...")
    @click.option(
        "--against",
        required=True,
        metavar="OLD|git:REF",
        help="The earlier version: a bucket file, or git:REF for each NEW file's own path at a git revision"
        " (git:main, git:HEAD~1).",
    )
    @click.option(
        "--mode",
        type=click.Choice([m for m in MODES if not m.endswith("_transitive")]),
        default="backward",
        show_default=True,
        help="backward: stored objects stay valid; forward: old readers accept new objects; full: both; none.",
    )
    @click.option(
        "--pipeline", metavar="MANIFEST", help="Resolve this pipeline under both schemas: report broken collections."
    )
    @click.option("--bucket", metavar="ID", help="The pipeline's bucket NEW replaces (default: the one holding OLD).")
    @click.option(
        "--data",
        multiple=True,
        metavar="FILE",
        help="Stored objects (JSON Lines or JSON, repeatable): each warning becomes an error or goes away.",
    )
    @click.option(
        "--fail-on",
        type=click.Choice(FAIL_ON),
        default="error",
        show_default=True,
        help="Exit 1 when an issue of this severity or worse is found.",
    )
    @click.option("--strict", is_flag=True, help="The bucket is validated strictly (compile_schema(strict=True)).")
    @report_options
    @guard
    def breaking(
        new: tuple[str, ...],
        against: str,
        mode: str,
        pipeline: str | None,
        bucket: str | None,
        data: tuple[str, ...],
        fail_on: str,
        strict: bool,
        formats: tuple[str, ...],
        output_files: tuple[str, ...],
        statistics: bool | None,
        color: str | None,
        exit_zero: bool | None,
        quiet: bool,
    ) -> int:
        """Report what changing the bucket schema OLD into NEW breaks, each error proven by a witness object.

        \b
        Examples:
          schemakit breaking buckets/videos.json --against git:main
          schemakit breaking new.json --against old.json --mode full --format json
          schemakit breaking buckets/videos.json --against git:HEAD --pipeline pipeline.yaml --data stored.jsonl
        """
        reporting = build_reporting(statistics=statistics, color=color, exit_zero=exit_zero, quiet=quiet)
        cfg = BreakingConfig(
            new=new,
            against=against,
            mode=mode,
            pipeline=pipeline,
            bucket=bucket,
            data=data,
            fail_on=fail_on,
            strict=strict,
            reporting=reporting,
        )
        return run_breaking(cfg)
