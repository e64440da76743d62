"""The shared bucket_schema reader (definition issues are pinned by compile_schema's tests too)."""

from __future__ import annotations

from schemakit.schema import read_bucket_schema


def test_reader_normalizes_type_case_and_walks_paths() -> None:
    schema, issues = read_bucket_schema(
        {
            "properties": {
                "image": {"type": "IMAGE"},
                "metadata": {"type": "Object", "properties": {"t": {"type": "string"}}},
            }
        }
    )
    assert issues == []
    assert schema is not None
    assert schema.fields["image"].type == "image"
    assert [p for p, _ in schema.walk()] == [("image",), ("metadata",), ("metadata", "t")]
    assert schema.lookup("metadata.t") is not None
    assert schema.lookup("metadata.x") is None
