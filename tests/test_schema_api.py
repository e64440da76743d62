"""The pinned public names of pillar 1 resolve from both ``schemakit`` and ``schemakit.schema``."""

from __future__ import annotations

import pydantic

import schemakit
import schemakit.schema

PINNED = [
    "compile_schema",
    "CompiledSchema",
    "ValidationResult",
    "BatchResult",
    "BucketSchema",
    "BucketSchemaField",
    "BucketCreateRequest",
    "CreateObjectRequest",
    "CreateBlobRequest",
    "CreateObjectsBatchRequest",
    "UniqueKeyConfig",
]
MODELS = PINNED[4:]


def test_pinned_names_resolve_to_the_same_objects() -> None:
    for name in PINNED:
        assert name in schemakit.schema.__all__
        assert getattr(schemakit, name) is getattr(schemakit.schema, name)


def test_request_models_are_pydantic_models() -> None:
    for name in MODELS:
        assert issubclass(getattr(schemakit, name), pydantic.BaseModel)


def test_compiled_schema_surface() -> None:
    v = schemakit.compile_schema({"properties": {"k": {"type": "string"}}}, unique_key={"fields": ["k"]})
    assert isinstance(v, schemakit.CompiledSchema)
    assert isinstance(v.validate({"k": "a"}), schemakit.ValidationResult)
    assert isinstance(v.validate_batch({"objects": []}), schemakit.BatchResult)
    assert v.unique_key_fields == ("k",)
    assert v.unique_key_value({"k": "a"}) == ("a",)
    assert v.schema.fields["k"].type == "string"
    assert isinstance(v.source, str) and isinstance(v.json_schema(), dict)
    issue = v.validate({"k": 1}).issues[0]
    assert (issue.code, issue.path, issue.pointer, issue.severity) == ("type_mismatch", ("k",), "/k", "error")
    assert issue.hint is None or isinstance(issue.hint, str)


def test_compiled_schema_pickles_for_worker_processes() -> None:
    import pickle

    v = schemakit.compile_schema(
        {
            "properties": {
                "k": {"type": "STRING", "enum": ["a", "b"]},
                "m": {"type": "object", "properties": {"n": {"type": "integer", "default": 1}}},
            }
        },
        unique_key={"fields": ["k"]},
        strict=True,
        max_inline_bytes=10,
    )
    w = pickle.loads(pickle.dumps(v))
    assert w.source == v.source
    assert (w.unique_key_fields, w.strict, w.max_inline_bytes) == (("k",), True, 10)
    assert w.validate({"k": "a", "m": {}}).value == {"k": "a", "m": {"n": 1}}
