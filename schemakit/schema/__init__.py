"""Pillar 1: bucket schemas and the compiled object validator."""

from __future__ import annotations

from schemakit.schema._definition import (
    ALL_TYPES,
    FILE_TYPES,
    METADATA_TYPES,
    FieldDef,
    SchemaDef,
    check_unique_key,
    load_bucket_schema,
    read_bucket_schema,
)

__all__ = [
    "ALL_TYPES",
    "FILE_TYPES",
    "METADATA_TYPES",
    "FieldDef",
    "SchemaDef",
    "check_unique_key",
    "load_bucket_schema",
    "read_bucket_schema",
]
