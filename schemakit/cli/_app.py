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
from schemakit.cli._inputs import INPUT_FORMATS
from schemakit.cli._options import ReportCommand, build_reporting, report_options

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


@cli.command(cls=ReportCommand, context_settings=_CONTEXT, short_help="Validate objects against a bucket schema.")
@click.argument("args", nargs=-1, metavar="[SCHEMA] [DATA]...")
@click.option(
    "--schema",
    "-s",
    "schema_option",
    metavar="SCHEMA",
    help="The bucket schema; every argument is then DATA (the form the pre-commit hooks use).",
)
@click.option(
    "--data-only",
    is_flag=True,
    hidden=True,
    help="Every argument is DATA and --schema is required (the schemakit-validate pre-commit hook).",
)
@click.option(
    "--config",
    "config_path",
    metavar="PATH",
    help="Read this configuration file instead of the pyproject.toml/schemakit.toml found from the working directory.",
)
@report_options
@click.option(
    "--max-issues", type=click.IntRange(min=0), metavar="N", help="Print at most N issues (counting goes on)."
)
@click.option("--fail-fast", is_flag=True, help="Stop at the first invalid object.")
@click.option("--strict/--no-strict", default=None, help="Unknown fields are errors (unknown_field).")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Checking processes, this one included (0: one per CPU; default 1); never more than the"
    " CPUs available to this process or the 256 KB blocks of input; output is identical to --jobs 1.",
)
@click.option(
    "--input-format",
    type=click.Choice(INPUT_FORMATS),
    default=None,
    help="How to read DATA: jsonl (one object a line), json (one document: an object, a list or a batch),"
    " auto (by the name; a .json file holding JSON Lines is read as lines, with a warning). Default auto.",
)
@click.option(
    "--write-normalized",
    metavar="DIR",
    help="Write each valid object as validated (defaults filled, blob types lower-cased) to DIR,"
    " one JSON Lines file per input file.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default=None,
    help="Where Parquet, Arrow IPC and CSV files are validated: local (this process, default) or dask"
    " (a Dask cluster: --scheduler, or a local cluster of processes).",
)
@click.option(
    "--scheduler", metavar="ADDRESS", help="The Dask scheduler of --engine dask, such as tcp://host:8786."
)
@_pipe_guard
def validate(
    args: tuple[str, ...],
    schema_option: str | None,
    data_only: bool,
    config_path: str | None,
    formats: tuple[str, ...],
    output_files: tuple[str, ...],
    statistics: bool | None,
    color: str | None,
    exit_zero: bool | None,
    quiet: bool,
    max_issues: int | None,
    fail_fast: bool,
    strict: bool | None,
    jobs: int | None,
    input_format: str | None,
    write_normalized: str | None,
    engine: str | None,
    scheduler: str | None,
) -> int:
    """Validate objects in DATA against the bucket schema in SCHEMA.

    SCHEMA is a bucket_schema ({"properties": ...}) or a whole BucketCreateRequest
    (JSON or YAML); its unique_key is then enforced across all DATA. DATA are
    .jsonl/.ndjson files (one object a line), .json files (an object, a list, or
    {"objects": [...]}), any of them compressed (.gz, .bz2, .xz, .zst: recognised
    by their first bytes), directories of them, or - for standard input; and Parquet,
    Arrow IPC (Feather) and CSV files, read columnar (reported as file:row).

    With no arguments, every bucket of the configuration ([tool.schemakit] in
    pyproject.toml, or schemakit.toml) is validated: each schema against the
    data its globs name, unique keys across all of them.

    \b
    Examples:
      schemakit validate fixtures/buckets/product_catalog.json fixtures/objects/product_catalog.jsonl
      schemakit validate --schema bucket.yaml big.jsonl.gz --jobs 4 --format github
      schemakit validate --format github --format sarif -o report.sarif
      cat objects.json | schemakit validate bucket.json - --input-format json
    """
    from schemakit.cli._check import available_cpus
    from schemakit.cli._config import BucketTarget, ValidateConfig
    from schemakit.cli._project import load_config
    from schemakit.cli._validate import run_validate

    if data_only and schema_option is None:
        # pre-commit passes file names as arguments: without --schema the first one would become the schema
        raise click.UsageError("the schemakit-validate hook needs the schema as an option: args: [--schema, PATH]")
    project = load_config(config_path)
    reporting = build_reporting(
        statistics=statistics, color=color, exit_zero=exit_zero, quiet=quiet, defaults=project
    )
    # the legacy form: the first argument is the schema
    schema: str | None = schema_option if schema_option is not None else (args[0] if args else None)
    data = args if schema_option is not None else args[1:]
    targets: tuple[BucketTarget, ...] = ()
    if schema is None:
        if project.path is None:
            raise click.UsageError(
                "give SCHEMA and DATA, or configure buckets in pyproject.toml ([[tool.schemakit.buckets]])"
                " or schemakit.toml"
            )
        if not project.buckets and not project.issues:
            raise click.UsageError(f"{project.path} configures no buckets: give SCHEMA and DATA")
        targets = tuple(project.buckets)
    elif not data:
        import os

        wanted = os.path.realpath(schema)
        targets = tuple(b for b in project.buckets if os.path.realpath(b.schema) == wanted)
        if not targets:
            raise click.UsageError("Missing argument 'DATA...' (no configured bucket has this schema).")
    cfg = ValidateConfig(
        schema=schema,
        data=tuple(data),
        max_issues=max_issues if max_issues is not None else project.get("max-issues"),
        fail_fast=fail_fast,
        strict=strict if strict is not None else bool(project.get("strict", False)),
        jobs=(jobs if jobs is not None else int(project.get("jobs", 1))) or available_cpus(),
        quiet=quiet,
        reporting=reporting,
        input_format=input_format or str(project.get("input-format", "auto")),
        write_normalized=write_normalized,
        engine=_engine(engine, scheduler),
        scheduler=scheduler,
        targets=targets,
        config_issues=tuple(project.issues),
    )
    return run_validate(cfg)


def _engine(engine: str | None, scheduler: str | None) -> str:
    if scheduler is not None and engine == "local":
        raise click.UsageError("--scheduler names a Dask scheduler: it goes with --engine dask")
    return engine or ("dask" if scheduler is not None else "local")


@cli.command(
    "check-schema",
    cls=ReportCommand,
    context_settings=_CONTEXT,
    short_help="Report definition errors of bucket schemas.",
)
@click.argument("schemas", nargs=-1, required=True, metavar="SCHEMA...")
@report_options
@click.option(
    "--strict",
    is_flag=True,
    help="Keys the contract does not define (unknown_keyword, such as a misspelled 'requird') are errors.",
)
@_pipe_guard
def check_schema(
    schemas: tuple[str, ...],
    formats: tuple[str, ...],
    output_files: tuple[str, ...],
    statistics: bool | None,
    color: str | None,
    exit_zero: bool | None,
    quiet: bool,
    strict: bool,
) -> int:
    """Report the definition errors of bucket schemas (bare or in a BucketCreateRequest).

    \b
    Examples:
      schemakit check-schema fixtures/buckets/product_catalog.json
      schemakit check-schema schemas/*.yaml --format github
    """
    from schemakit.cli._commands import run_check_schema
    from schemakit.cli._config import CheckSchemaConfig

    reporting = build_reporting(statistics=statistics, color=color, exit_zero=exit_zero, quiet=quiet)
    return run_check_schema(CheckSchemaConfig(schemas, quiet=quiet, strict=strict, reporting=reporting))


@cli.command(
    "check-pipeline",
    cls=ReportCommand,
    context_settings=_CONTEXT,
    short_help="Resolve pipeline manifests and report every problem.",
)
@click.argument("manifests", nargs=-1, required=True, metavar="MANIFEST...")
@report_options
@click.option("--show-schemas", is_flag=True, help="Print each collection's input and output schema.")
@_pipe_guard
def check_pipeline(
    manifests: tuple[str, ...],
    formats: tuple[str, ...],
    output_files: tuple[str, ...],
    statistics: bool | None,
    color: str | None,
    exit_zero: bool | None,
    quiet: bool,
    show_schemas: bool,
) -> int:
    """Resolve a pipeline manifest (buckets and collections, YAML or JSON) and report every problem.

    \b
    Examples:
      schemakit check-pipeline fixtures/pipelines/video_pipeline.yaml
      schemakit check-pipeline pipeline.yaml --show-schemas --format json
    """
    from schemakit.cli._commands import run_check_pipeline
    from schemakit.cli._config import CheckPipelineConfig

    reporting = build_reporting(statistics=statistics, color=color, exit_zero=exit_zero, quiet=quiet)
    return run_check_pipeline(
        CheckPipelineConfig(manifests, show_schemas=show_schemas, quiet=quiet, reporting=reporting)
    )


@cli.command("filter", context_settings=_CONTEXT, short_help="Print the records that match a filter.")
@click.argument("filter_spec", metavar="FILTER")
@click.argument("data", nargs=-1, metavar="DATA...")
@click.option("--explain", is_flag=True, help="Print the canonical text, canonical JSON and AST instead of filtering.")
@click.option(
    "--to",
    "to",
    type=click.Choice(["postgres", "duckdb", "sqlite", "qdrant", "mongo"]),
    help="Print the plan for this engine (SQL and parameters, or the Qdrant filter or Mongo query) and its "
    "residual instead of filtering; with --explain, the plan part by part.",
)
@click.option("--schema", "schema", metavar="SCHEMA", help="Check the filter against a bucket schema first.")
@click.option(
    "--context",
    metavar="JSON",
    help="Values for dynamic references ($inputs.user_id): a JSON object, or @FILE holding one.",
)
@_pipe_guard
def filter_command(
    filter_spec: str, data: tuple[str, ...], explain: bool, to: str | None, schema: str | None, context: str | None
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
      schemakit filter 'status = "active" AND price < 10' --to postgres
    """
    from schemakit.cli._commands import run_filter
    from schemakit.cli._config import FilterConfig

    if to is not None:
        from schemakit.cli._plan import run_plan

        return run_plan(filter_spec, to, explain=explain, context=context)

    if not data and not explain:
        raise click.UsageError("Missing argument 'DATA...' (or use --explain).")
    return run_filter(FilterConfig(filter_spec, data, explain=explain, schema=schema, context=context))


@cli.command(
    "export-jsonschema",
    context_settings=_CONTEXT,
    short_help="Print the JSON Schema of object requests, bucket files or manifests.",
)
@click.argument("schema", metavar="SCHEMA", required=False)
@click.option("--strict", is_flag=True, help="Export the strict variant (no unknown fields).")
@click.option(
    "--kind",
    type=click.Choice(["object", "bucket", "manifest"]),
    default="object",
    show_default=True,
    help="object: an object request of the bucket in SCHEMA; bucket: any bucket file; manifest: a pipeline manifest.",
)
@click.option(
    "--draft",
    type=click.Choice(["7", "2020-12"]),
    help="The JSON Schema dialect: 7 by default for bucket and manifest (what yaml-language-server reads),"
    " 2020-12 for object.",
)
@click.option(
    "--extractors", metavar="FILE", help="Extractor definitions (JSON) added to the built-in ones (manifest)."
)
@click.option(
    "--pipeline",
    metavar="MANIFEST",
    help="Complete each collection's input_mappings and source_path with its source's real paths (manifest).",
)
@click.option("--catalog", is_flag=True, help="Print a SchemaStore-style catalog of the bucket and manifest schemas.")
@_pipe_guard
def export_jsonschema(
    schema: str | None,
    strict: bool,
    kind: str,
    draft: str | None,
    extractors: str | None,
    pipeline: str | None,
    catalog: bool,
) -> int:
    """Print a JSON Schema: for object requests of the bucket in SCHEMA (2020-12), or for editors.

    --kind bucket and --kind manifest describe the files people write, with
    descriptions, completions and the checks JSON Schema can express; point an
    editor at them (json.schemas, yaml.schemas, or a yaml-language-server
    modeline).

    \b
    Examples:
      schemakit export-jsonschema fixtures/buckets/product_catalog.json > product_catalog.schema.json
      schemakit export-jsonschema --kind bucket > bucket.schema.json
      schemakit export-jsonschema --kind manifest --pipeline fixtures/pipelines/video_pipeline.yaml
      schemakit export-jsonschema --catalog
    """
    if kind != "object" or catalog or extractors is not None or pipeline is not None or draft is not None:
        from schemakit.cli._codegen import run_export_editor

        return run_export_editor(
            schema, kind=kind, draft=draft, extractors=extractors, pipeline=pipeline, catalog=catalog, strict=strict
        )
    if schema is None:
        raise click.UsageError("Missing argument 'SCHEMA' (or use --kind bucket|manifest, or --catalog).")
    from schemakit.cli._commands import run_export_jsonschema
    from schemakit.cli._config import ExportConfig

    return run_export_jsonschema(ExportConfig(schema, strict=strict))


def _register_breaking() -> None:
    from schemakit.cli._breaking import register

    register(cli, _CONTEXT, _pipe_guard)


_register_breaking()


def _register_codegen() -> None:
    from schemakit.cli._codegen import register

    register(cli, _CONTEXT, _pipe_guard)


_register_codegen()
