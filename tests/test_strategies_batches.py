"""Guarantees of ``batches``: within the contract's size limit, unique keys present, short and distinct."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst
from hypothesis.errors import InvalidArgument

import schemakit
from schemakit import strategies as st
from schemakit.strategies._common import key_identity

SENSORS = {
    "properties": {
        "sensor_id": {"type": "string", "required": True},
        "timestamp": {"type": "datetime"},
        "reading": {"type": "float", "required": True},
        "kind": {"type": "string", "enum": ["temp", "humidity"]},
        "ok": {"type": "boolean"},
        "trace": {"type": "text"},
    }
}
KEY = {"fields": ["sensor_id", "timestamp"]}


@given(st.batches(SENSORS, KEY))
def test_batches_have_distinct_present_short_unique_keys(batch: dict[str, Any]) -> None:
    objs = batch["objects"]
    assert set(batch) == {"objects"} and len(objs) <= 10
    keys = []
    for obj in objs:
        for name in KEY["fields"]:
            value = obj[name]
            assert value is not None and value != "" and len(value) <= 255
        keys.append(tuple(key_identity(obj[name]) for name in KEY["fields"]))
    assert len(set(keys)) == len(keys)


@given(st.batches(SENSORS, KEY))
def test_schemakit_accepts_generated_batches(batch: dict[str, Any]) -> None:
    result = schemakit.compile_schema(SENSORS, unique_key=KEY).validate_batch(batch)
    assert result.ok, [str(i) for i in result.issues]


@given(hst.data())
def test_batches_from_generated_schemas_are_valid(data: hst.DataObject) -> None:
    schema = data.draw(st.bucket_schemas())
    batch = data.draw(st.batches(schema, max_size=3))
    result = schemakit.compile_schema(schema).validate_batch(batch)
    assert result.ok, [str(i) for i in result.issues]


def test_unique_keys_stay_distinct_even_when_few_values_exist() -> None:
    schema = {"properties": {"flag": {"type": "boolean", "required": True}}}

    @settings(database=None)
    @given(st.batches(schema, {"fields": ["flag"]}, max_size=100))
    def check(batch: dict[str, Any]) -> None:
        assert len(batch["objects"]) <= 2

    check()


SMALL = {"properties": {"sensor_id": {"type": "string", "required": True}}}


# A small schema: a hundred rich objects can outgrow hypothesis's per-example data budget.
@settings(max_examples=max(settings().max_examples // 10, 3))
@given(st.batches(SMALL, {"fields": ["sensor_id"]}, min_size=100, max_size=100, strict=True))
def test_the_contract_limit_of_100_objects_is_reachable(batch: dict[str, Any]) -> None:
    assert len(batch["objects"]) == 100
    assert schemakit.compile_schema(SMALL, unique_key={"fields": ["sensor_id"]}).validate_batch(batch).ok


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_size": 101},
        {"max_size": -1},
        {"min_size": 5, "max_size": 4},
        {"unique_key": {"fields": ["nope"]}},
        {"unique_key": {"fields": ["trace"]}},
        {"unique_key": "sensor_id"},
    ],
)
def test_bad_arguments_fail_eagerly(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgument):
        st.batches(SENSORS, **kwargs)


@given(st.batches(SENSORS, schemakit.UniqueKeyConfig.model_validate(KEY)))
def test_a_pydantic_unique_key_config_is_accepted(batch: dict[str, Any]) -> None:
    assert all(obj["sensor_id"] for obj in batch["objects"])
