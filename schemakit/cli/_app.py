"""The click layer: parse arguments into a config and hand it to a runner; nothing else.

Keeping click out of the runners means they can be tested and profiled
without a command line, and the click layer stays a table of options.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec

import click

from schemakit.cli._errors import OutputClosed
from schemakit.cli._report import FORMATS

P = ParamSpec("P")


def _pipe_guard(fn: Callable[P, int]) -> Callable[P, int]:
    """Turn a closed stdout into OutputClosed before click maps EPIPE to exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> int:
        try:
            return fn(*args, **kwargs)
        except BrokenPipeError:
            raise OutputClosed() from None

    return wrapper


_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

format_option = click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: file:line: pointer: code: message (hint); json: one document; github: workflow annotations.",
)
quiet_option = click.option("--quiet", "-q", is_flag=True, help="Print the issues only, no summary or progress.")


def _version() -> str:
    import schemakit

    return schemakit.__version__


@click.group(context_settings=_CONTEXT)
@click.version_option(_version(), "--version", "-V", prog_name="schemakit", message="%(prog)s %(version)s")
def cli() -> None:
    """Check data, schemas, filters and pipelines against the bucket/collection contract.

    \b
    Examples:
      schemakit validate fixtures/buckets/product_catalog.json fixtures/objects/product_catalog.jsonl
      schemakit check-schema fixtures/buckets/*.json
      schemakit check-pipeline fixtures/pipelines/video_pipeline.yaml --show-schemas
      schemakit filter 'metadata.price < 500 AND NOT status = "draft"' objects.jsonl

    Exit codes: 0 all valid, 1 issues found, 2 usage error or unusable input.
    """


@cli.command(context_settings=_CONTEXT, short_help="Validate objects against a bucket schema.")
@click.argument("schema", metavar="SCHEMA")
@click.argument("data", nargs=-1, required=True, metavar="DATA...")
@format_option
@click.option(
    "--max-issues", type=click.IntRange(min=0), metavar="N", help="Print at most N issues (counting goes on)."
)
@click.option("--fail-fast", is_flag=True, help="Stop at the first invalid object.")
@click.option("--strict", is_flag=True, help="Unknown fields are errors (unknown_field).")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    metavar="N",
    help="Worker processes for JSON Lines input (0: one per CPU); never more than the CPUs available to"
    " this process or the blocks of input (512 KB each); output is identical to --jobs 1.",
)
@quiet_option
@_pipe_guard
def validate(
    schema: str,
    data: tuple[str, ...],
    fmt: str,
    max_issues: int | None,
    fail_fast: bool,
    strict: bool,
    jobs: int,
    quiet: bool,
) -> int:
    """Validate objects in DATA against the bucket schema in SCHEMA.

    SCHEMA is a bucket_schema ({"properties": ...}) or a whole BucketCreateRequest
    (JSON or YAML); its unique_key is then enforced across all DATA. DATA are
    .jsonl/.ndjson files (one object a line), .json files (an object, a list, or
    {"objects": [...]}), directories of them, or - for JSON Lines on stdin.

    \b
    Examples:
      schemakit validate fixtures/buckets/product_catalog.json fixtures/objects/product_catalog.jsonl
      schemakit validate bucket.yaml big.jsonl --jobs 4 --format github
      cat objects.jsonl | schemakit validate bucket.json - --format json
    """
    from schemakit.cli._check import available_cpus
    from schemakit.cli._config import ValidateConfig
    from schemakit.cli._validate import run_validate

    cfg = ValidateConfig(
        schema=schema,
        data=data,
        format=fmt,
        max_issues=max_issues,
        fail_fast=fail_fast,
        strict=strict,
        jobs=jobs or available_cpus(),
        quiet=quiet,
    )
    return run_validate(cfg)


@cli.command("check-schema", context_settings=_CONTEXT, short_help="Report definition errors of bucket schemas.")
@click.argument("schemas", nargs=-1, required=True, metavar="SCHEMA...")
@format_option
@quiet_option
@click.option(
    "--strict",
    is_flag=True,
    help="Keys the contract does not define (unknown_keyword, such as a misspelled 'requird') are errors.",
)
@_pipe_guard
def check_schema(schemas: tuple[str, ...], fmt: str, quiet: bool, strict: bool) -> int:
    """Report the definition errors of bucket schemas (bare or in a BucketCreateRequest).

    \b
    Examples:
      schemakit check-schema fixtures/buckets/product_catalog.json
      schemakit check-schema schemas/*.yaml --format github
    """
    from schemakit.cli._commands import run_check_schema
    from schemakit.cli._config import CheckSchemaConfig

    return run_check_schema(CheckSchemaConfig(schemas, format=fmt, quiet=quiet, strict=strict))


@cli.command(
    "check-pipeline", context_settings=_CONTEXT, short_help="Resolve pipeline manifests and report every problem."
)
@click.argument("manifests", nargs=-1, required=True, metavar="MANIFEST...")
@format_option
@click.option("--show-schemas", is_flag=True, help="Print each collection's input and output schema.")
@quiet_option
@_pipe_guard
def check_pipeline(manifests: tuple[str, ...], fmt: str, show_schemas: bool, quiet: bool) -> int:
    """Resolve a pipeline manifest (buckets and collections, YAML or JSON) and report every problem.

    \b
    Examples:
      schemakit check-pipeline fixtures/pipelines/video_pipeline.yaml
      schemakit check-pipeline pipeline.yaml --show-schemas --format json
    """
    from schemakit.cli._commands import run_check_pipeline
    from schemakit.cli._config import CheckPipelineConfig

    return run_check_pipeline(CheckPipelineConfig(manifests, format=fmt, show_schemas=show_schemas, quiet=quiet))


@cli.command("filter", context_settings=_CONTEXT, short_help="Print the records that match a filter.")
@click.argument("filter_spec", metavar="FILTER")
@click.argument("data", nargs=-1, metavar="DATA...")
@click.option("--explain", is_flag=True, help="Print the canonical text, canonical JSON and AST instead of filtering.")
@click.option("--schema", "schema", metavar="SCHEMA", help="Check the filter against a bucket schema first.")
@click.option(
    "--context",
    metavar="JSON",
    help="Values for dynamic references ($inputs.user_id): a JSON object, or @FILE holding one.",
)
@_pipe_guard
def filter_command(
    filter_spec: str, data: tuple[str, ...], explain: bool, schema: str | None, context: str | None
) -> int:
    """Print the records of DATA that match FILTER, as JSON Lines.

    FILTER is the text form, the JSON form, or @FILE holding either. Output is
    strict JSON: a number past the range of a double (1e999), which reads as
    infinity, is written as null.

    \b
    Examples:
      schemakit filter 'metadata.price < 500 AND status IN ["active", "new"]' objects.jsonl
      schemakit filter @filters/active.json data/ --schema bucket.json
      schemakit filter 'age >= 30 AND NOT (dept = "HR")' --explain
      schemakit filter 'owner_id = $inputs.user_id' data/ --context '{"inputs": {"user_id": "u1"}}'
    """
    from schemakit.cli._commands import run_filter
    from schemakit.cli._config import FilterConfig

    if not data and not explain:
        raise click.UsageError("Missing argument 'DATA...' (or use --explain).")
    return run_filter(FilterConfig(filter_spec, data, explain=explain, schema=schema, context=context))


@cli.command(
    "export-jsonschema", context_settings=_CONTEXT, short_help="Print the JSON Schema of a bucket's object requests."
)
@click.argument("schema", metavar="SCHEMA")
@click.option("--strict", is_flag=True, help="Export the strict variant (no unknown fields).")
@_pipe_guard
def export_jsonschema(schema: str, strict: bool) -> int:
    """Print the JSON Schema (2020-12) for object requests of the bucket in SCHEMA.

    \b
    Examples:
      schemakit export-jsonschema fixtures/buckets/product_catalog.json > product_catalog.schema.json
    """
    from schemakit.cli._commands import run_export_jsonschema
    from schemakit.cli._config import ExportConfig

    return run_export_jsonschema(ExportConfig(schema, strict=strict))
