"""Hypothesis strategies for schemakit's contract: bucket schemas, objects, labelled invalid objects, filters.

Needs the ``testing`` extra (``pip install schemakit[testing]``); ``import
schemakit`` itself never imports hypothesis.

>>> from schemakit import strategies as st
>>> schema = {"properties": {"image": {"type": "image", "required": True}, "title": {"type": "string"}}}
>>> obj = st.objects(schema).example()                        # a valid CreateObjectRequest dict
>>> bad, code = st.invalid_objects(schema).example()          # one defect, and the code it must raise
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess without hypothesis
    raise ImportError(
        "schemakit.strategies needs hypothesis, an optional dependency: pip install schemakit[testing]"
    ) from exc

from schemakit.strategies._filters import filters
from schemakit.strategies._invalid import invalid_objects
from schemakit.strategies._objects import batches, objects, records
from schemakit.strategies._schemas import bucket_schemas

__all__ = [
    "batches",
    "bucket_schemas",
    "filters",
    "invalid_objects",
    "objects",
    "records",
]
