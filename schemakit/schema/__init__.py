"""Pillar 1: bucket schemas and the compiled object validator."""

from __future__ import annotations

from schemakit.schema._compiled import (
    BatchResult,
    CompiledSchema,
    ValidationResult,
    compile_bucket,
    compile_schema,
)
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
from schemakit.schema._models import (
    BucketCreateRequest,
    BucketSchema,
    BucketSchemaField,
    CreateBlobRequest,
    CreateObjectRequest,
    CreateObjectsBatchRequest,
    UniqueKeyConfig,
)

__all__ = [
    "ALL_TYPES",
    "FILE_TYPES",
    "METADATA_TYPES",
    "BatchResult",
    "BucketCreateRequest",
    "BucketSchema",
    "BucketSchemaField",
    "CompiledSchema",
    "CreateBlobRequest",
    "CreateObjectRequest",
    "CreateObjectsBatchRequest",
    "FieldDef",
    "SchemaDef",
    "UniqueKeyConfig",
    "ValidationResult",
    "check_unique_key",
    "compile_bucket",
    "compile_schema",
    "load_bucket_schema",
    "read_bucket_schema",
]
