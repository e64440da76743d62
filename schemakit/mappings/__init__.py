"""Pillar 3: resolving collections (input mappings, field passthrough, output schemas) and pipelines."""

from __future__ import annotations

from schemakit.mappings._pipeline import PipelineResolution, resolve_collection, resolve_pipeline
from schemakit.mappings._registry import ExtractorDefinition, ExtractorInput, ExtractorRegistry
from schemakit.mappings._resolver import CollectionResolution, UnresolvedCollectionError, not_found_message

__all__ = [
    "CollectionResolution",
    "ExtractorDefinition",
    "ExtractorInput",
    "ExtractorRegistry",
    "PipelineResolution",
    "UnresolvedCollectionError",
    "not_found_message",
    "resolve_collection",
    "resolve_pipeline",
]
