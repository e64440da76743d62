"""The compiled checks of field values agree with ``conforms``, the plain reference rules in ``_definition``."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import schemakit
from schemakit._contract.bucket import conforms

FIELDS: dict[str, dict[str, Any]] = {
    "s": {"type": "string"},
    "i": {"type": "integer"},
    "n": {"type": "number"},
    "f": {"type": "float", "enum": [1, 2.5, -3]},
    "b": {"type": "boolean"},
    "d": {"type": "date"},
    "t": {"type": "datetime"},
    "e": {"type": "string", "enum": ["a", "b", ""]},
    "a": {"type": "array", "items": {"type": "integer", "required": True}},
    "o": {
        "type": "object",
        "properties": {
            "x": {"type": "string", "required": True},
            "y": {
                "type": "array",
                "items": {"type": "object", "properties": {"z": {"type": "boolean", "required": True}}},
            },
        },
    },
    "oe": {"type": "object", "enum": [{"k": 1}, {}]},
}
V = schemakit.compile_schema({"properties": FIELDS})

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(["2024-01-05", "2024-02-30", "2024-01-05T10:00:00", "2024-01-05T10:00:00Z", "a", 2.5, 1.0, -3]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["x", "y", "z", "k", "other"]), inner, max_size=3)
    ),
    max_leaves=8,
)


@pytest.mark.parametrize("name", sorted(FIELDS))
@given(value=values)
def test_compiled_field_checks_match_conforms(name: str, value: Any) -> None:
    field = V.schema.fields[name]
    expected = value is None or conforms(field, value)
    assert V.is_valid({name: value}) is expected, V.validate({name: value}).issues
