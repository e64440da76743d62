"""Pillar 1: bucket schemas and the compiled object validator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from schemakit._contract.bucket import (
    ALL_TYPES,
    FILE_TYPES,
    METADATA_TYPES,
    FieldDef,
    SchemaDef,
    check_bucket,
    check_unique_key,
    load_bucket_schema,
    read_bucket_schema,
)
from schemakit.schema._compat import CompatibilityReport, check_compatibility
from schemakit.schema._compiled import (
    BatchResult,
    CompiledSchema,
    ValidationResult,
    compile_bucket,
    compile_schema,
)

if TYPE_CHECKING:
    from schemakit.schema._models import (
        BucketCreateRequest as BucketCreateRequest,
    )
    from schemakit.schema._models import (
        BucketSchema as BucketSchema,
    )
    from schemakit.schema._models import (
        BucketSchemaField as BucketSchemaField,
    )
    from schemakit.schema._models import (
        CreateBlobRequest as CreateBlobRequest,
    )
    from schemakit.schema._models import (
        CreateObjectRequest as CreateObjectRequest,
    )
    from schemakit.schema._models import (
        CreateObjectsBatchRequest as CreateObjectsBatchRequest,
    )
    from schemakit.schema._models import (
        UniqueKeyConfig as UniqueKeyConfig,
    )

# Building the pydantic models costs about 100 ms; a CLI run or a server that
# validates dicts never needs them, so they load on first access.
_MODELS = frozenset(
    {
        "BucketCreateRequest",
        "BucketSchema",
        "BucketSchemaField",
        "CreateBlobRequest",
        "CreateObjectRequest",
        "CreateObjectsBatchRequest",
        "UniqueKeyConfig",
    }
)


def __getattr__(name: str) -> Any:
    if name in _MODELS:
        from schemakit.schema import _models

        value = getattr(_models, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'schemakit.schema' has no attribute {name!r}")


__all__ = [
    "ALL_TYPES",
    "FILE_TYPES",
    "METADATA_TYPES",
    "BatchResult",
    "BucketCreateRequest",
    "BucketSchema",
    "BucketSchemaField",
    "CompatibilityReport",
    "CompiledSchema",
    "CreateBlobRequest",
    "CreateObjectRequest",
    "CreateObjectsBatchRequest",
    "FieldDef",
    "SchemaDef",
    "UniqueKeyConfig",
    "ValidationResult",
    "check_bucket",
    "check_compatibility",
    "check_unique_key",
    "compile_bucket",
    "compile_schema",
    "load_bucket_schema",
    "read_bucket_schema",
]
