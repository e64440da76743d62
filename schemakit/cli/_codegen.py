"""``schemakit codegen``: typed models of a bucket's objects or a collection's documents, as a Python module."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from schemakit.cli._errors import UserError


def run_codegen(
    schema: str | None,
    *,
    target: str,
    output: str | None,
    class_name: str,
    collection: str | None,
    pipeline: str | None,
) -> int:
    from schemakit.codegen import generate_models

    if (collection is None) != (pipeline is None):
        raise click.UsageError("--collection and --pipeline go together.")
    if pipeline is not None and schema is not None:
        raise click.UsageError("give SCHEMA or --collection with --pipeline, not both.")
    if pipeline is None and schema is None:
        raise click.UsageError("Missing argument 'SCHEMA' (or use --collection ID --pipeline MANIFEST).")
    try:
        if pipeline is not None:
            assert collection is not None
            output_schema = _collection_output(pipeline, collection)
            source = generate_models(
                output_schema,
                target=target,
                class_name=class_name,
                kind="document",
                source=f"collection {collection} of {Path(pipeline).name}",
            )
        else:
            assert schema is not None
            source = generate_models(
                _bucket_document(schema), target=target, class_name=class_name, source=Path(schema).name
            )
    except ValueError as exc:  # a class name that is not an identifier
        raise click.BadParameter(str(exc), param_hint="'--class-name'") from None
    if output is None:
        sys.stdout.write(source)
    else:
        try:
            Path(output).write_text(source, encoding="utf-8")
        except OSError as exc:
            raise UserError(f"{output}: cannot write the module: {exc.strerror or exc}") from None
    return 0


def _bucket_document(label: str) -> Any:
    from schemakit.cli._inputs import load_document
    from schemakit.cli._validate import compile_schema_file

    compile_schema_file(label, strict=False)  # exit 2 naming the first definition problem and its line
    return load_document(label, what="bucket schema").data


def _collection_output(manifest: str, collection: str) -> dict[str, Any]:
    from schemakit._issues import did_you_mean_hint
    from schemakit.mappings import resolve_pipeline

    if not Path(manifest).is_file():
        raise UserError(f"{manifest}: no such file")
    resolution = resolve_pipeline(manifest)
    found = resolution.collections.get(collection)
    if found is None:
        known = list(resolution.collections)
        hint = did_you_mean_hint(collection, known) or ("collections: " + ", ".join(known) if known else None)
        raise UserError(f"{manifest}: no collection {collection!r}" + (f" ({hint})" if hint else ""))
    if not found.ok:
        first = found.errors[0]
        where = first.pointer or "/"
        more = f" (and {len(found.errors) - 1} more; run 'schemakit check-pipeline {manifest}')"
        raise UserError(
            f"{manifest}: collection {collection!r} does not resolve: {where}: {first.code}: {first.message}"
            + (more if len(found.errors) > 1 else "")
        )
    return found.output_schema


def register(
    cli: click.Group, context: dict[str, Any], guard: Callable[[Callable[..., int]], Callable[..., int]]
) -> None:
    """Add ``codegen`` to the command group (called by the click layer)."""
    from schemakit.codegen import TARGETS

    @cli.command("codegen", context_settings=context, short_help="Write typed Python models of a bucket's objects.")
    @click.argument("schema", required=False, metavar="SCHEMA")
    @click.option(
        "--target",
        type=click.Choice(list(TARGETS)),
        required=True,
        help="pydantic (v2 models), typeddict, msgspec (Structs) or dataclass.",
    )
    @click.option("--output", "-o", metavar="FILE", help="Write the module to FILE instead of stdout.")
    @click.option(
        "--class-name",
        default="Object",
        show_default=True,
        metavar="NAME",
        help="The top class; the field path alias is NAME + 'Field'.",
    )
    @click.option("--collection", metavar="ID", help="Model the documents of this collection of --pipeline instead.")
    @click.option("--pipeline", metavar="MANIFEST", help="The pipeline manifest holding --collection.")
    @guard
    def codegen(
        schema: str | None,
        target: str,
        output: str | None,
        class_name: str,
        collection: str | None,
        pipeline: str | None,
    ) -> int:
        """Print a Python module of typed models for the objects of the bucket in SCHEMA.

        Classes are named by field path (MetadataDimensions); the module also
        holds a Literal alias of every field path, for filters built in code.
        The types cannot say everything the validator says: validate with
        schemakit first.

        \b
        Examples:
          schemakit codegen fixtures/buckets/product_catalog.json --target pydantic --class-name Product -o models.py
          schemakit codegen --collection col_video_frames --pipeline fixtures/pipelines/video_pipeline.yaml \\
              --target msgspec --class-name Frame
        """
        return run_codegen(
            schema,
            target=target,
            output=output,
            class_name=class_name,
            collection=collection,
            pipeline=pipeline,
        )


def run_export_editor(
    schema: str | None,
    *,
    kind: str,
    draft: str | None,
    extractors: str | None,
    pipeline: str | None,
    catalog: bool,
    strict: bool,
) -> int:
    """``export-jsonschema`` for editors: ``--kind bucket|manifest``, ``--catalog``, or ``--draft`` on ``object``."""
    from schemakit.codegen import _editor

    if catalog:
        if schema is not None or kind != "object" or extractors or pipeline or draft:
            raise click.UsageError("--catalog takes no SCHEMA and no other option.")
        return _print(_editor.catalog())
    if kind == "object":
        if extractors is not None or pipeline is not None:
            raise click.UsageError("--extractors and --pipeline apply to --kind manifest.")
        if draft == "7":
            raise click.UsageError("--kind object is 2020-12 only (it needs minContains and maxContains).")
        if schema is None:
            raise click.UsageError("Missing argument 'SCHEMA'.")
        from schemakit.cli._commands import run_export_jsonschema
        from schemakit.cli._config import ExportConfig

        return run_export_jsonschema(ExportConfig(schema, strict=strict))
    if schema is not None:
        raise click.UsageError(f"--kind {kind} describes every {kind} file and takes no SCHEMA.")
    if strict:
        raise click.UsageError("--strict applies to --kind object.")
    dialect: Any = draft or "7"
    if kind == "bucket":
        if extractors is not None or pipeline is not None:
            raise click.UsageError("--extractors and --pipeline apply to --kind manifest.")
        return _print(_editor.bucket_file_schema(draft=dialect))
    registry = _registry(extractors)
    if pipeline is not None and not Path(pipeline).is_file():
        raise UserError(f"{pipeline}: no such file")
    try:
        document = _editor.manifest_schema(draft=dialect, extractors=registry, pipeline=pipeline)
    except (ValueError, OSError) as exc:  # a manifest that is not JSON or YAML at all
        raise UserError(f"{pipeline}: cannot read the manifest: {exc}") from None
    return _print(document)


def _registry(label: str | None) -> Any:
    from schemakit._issues import SchemakitError
    from schemakit.cli._inputs import load_document
    from schemakit.mappings import ExtractorRegistry

    registry = ExtractorRegistry.builtin()
    if label is None:
        return registry
    definitions = load_document(label, what="extractor definitions").data
    try:
        return registry.with_definitions(definitions)
    except SchemakitError as exc:
        first = exc.issues[0] if getattr(exc, "issues", None) else None
        detail = f"{first.pointer or '/'}: {first.message}" if first is not None else str(exc)
        raise UserError(f"{label}: invalid extractor definitions: {detail}") from None


def _print(document: Any) -> int:
    import json

    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return 0
