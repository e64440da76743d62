"""schemakit: the contract of a multimodal data API, as compiled validators, filters and resolvers.

The public surface is the names in ``__all__``. Pillars are imported lazily so
that ``import schemakit`` stays cheap (a CLI run that only validates never
loads the filter grammar, and hypothesis is needed only by ``strategies``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from schemakit._issues import FilterError, Issue, MappingError, SchemaDefinitionError, SchemakitError

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    # pillar 1: bucket schemas and object validation
    "compile_schema": "schemakit.schema",
    "check_bucket": "schemakit.schema",
    "check_compatibility": "schemakit.schema",
    "CompatibilityReport": "schemakit.schema",
    "CompiledSchema": "schemakit.schema",
    "ValidationResult": "schemakit.schema",
    "BatchResult": "schemakit.schema",
    "BucketSchema": "schemakit.schema",
    "BucketSchemaField": "schemakit.schema",
    "BucketCreateRequest": "schemakit.schema",
    "CreateObjectRequest": "schemakit.schema",
    "CreateBlobRequest": "schemakit.schema",
    "CreateObjectsBatchRequest": "schemakit.schema",
    "UniqueKeyConfig": "schemakit.schema",
    # pillar 2: filters
    "parse_filter": "schemakit.filters",
    "Filter": "schemakit.filters",
    "check_filter": "schemakit.filters",
    "query": "schemakit.filters",
    "QueryResult": "schemakit.filters",
    # pillar 3: collection resolver
    "resolve_collection": "schemakit.mappings",
    "resolve_pipeline": "schemakit.mappings",
    "CollectionResolution": "schemakit.mappings",
    "PipelineResolution": "schemakit.mappings",
    "ExtractorRegistry": "schemakit.mappings",
}

__all__ = [
    "BatchResult",
    "BucketCreateRequest",
    "BucketSchema",
    "BucketSchemaField",
    "CollectionResolution",
    "CompatibilityReport",
    "CompiledSchema",
    "CreateBlobRequest",
    "CreateObjectRequest",
    "CreateObjectsBatchRequest",
    "ExtractorRegistry",
    "Filter",
    "FilterError",
    "Issue",
    "MappingError",
    "PipelineResolution",
    "QueryResult",
    "SchemaDefinitionError",
    "SchemakitError",
    "UniqueKeyConfig",
    "ValidationResult",
    "__version__",
    "check_bucket",
    "check_compatibility",
    "check_filter",
    "compile_schema",
    "parse_filter",
    "query",
    "resolve_collection",
    "resolve_pipeline",
]

if TYPE_CHECKING:
    from schemakit.filters import Filter as Filter
    from schemakit.filters import QueryResult as QueryResult
    from schemakit.filters import check_filter as check_filter
    from schemakit.filters import parse_filter as parse_filter
    from schemakit.filters import query as query
    from schemakit.mappings import CollectionResolution as CollectionResolution
    from schemakit.mappings import ExtractorRegistry as ExtractorRegistry
    from schemakit.mappings import PipelineResolution as PipelineResolution
    from schemakit.mappings import resolve_collection as resolve_collection
    from schemakit.mappings import resolve_pipeline as resolve_pipeline
    from schemakit.schema import BatchResult as BatchResult
    from schemakit.schema import BucketCreateRequest as BucketCreateRequest
    from schemakit.schema import BucketSchema as BucketSchema
    from schemakit.schema import BucketSchemaField as BucketSchemaField
    from schemakit.schema import CompatibilityReport as CompatibilityReport
    from schemakit.schema import CompiledSchema as CompiledSchema
    from schemakit.schema import CreateBlobRequest as CreateBlobRequest
    from schemakit.schema import CreateObjectRequest as CreateObjectRequest
    from schemakit.schema import CreateObjectsBatchRequest as CreateObjectsBatchRequest
    from schemakit.schema import UniqueKeyConfig as UniqueKeyConfig
    from schemakit.schema import ValidationResult as ValidationResult
    from schemakit.schema import check_bucket as check_bucket
    from schemakit.schema import check_compatibility as check_compatibility
    from schemakit.schema import compile_schema as compile_schema


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'schemakit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
