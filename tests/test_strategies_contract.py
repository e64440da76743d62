"""The strategies on the contract's type table: generators, wrong kinds and schema types come from its entries."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as hst

from schemakit import strategies as st
from schemakit._contract import generators
from schemakit._contract.bucket import FieldDef
from schemakit._contract.types import FIELD_TYPES
from schemakit.strategies._common import values

SCALARS = [t for t in FIELD_TYPES.values() if t.is_scalar]
METADATA = [t for t in FIELD_TYPES.values() if not t.is_file]


def test_every_scalar_names_its_generator_and_no_other_type_has_one() -> None:
    for t in FIELD_TYPES.values():
        if t.is_scalar:
            assert t.strategy is not None and callable(getattr(generators, t.strategy))
        else:
            assert t.strategy is None
            with pytest.raises(LookupError):
                t.generator()


@pytest.mark.parametrize("ftype", [t.name for t in SCALARS])
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=hst.data())
def test_generated_scalars_are_values_of_their_type(ftype: str, data: hst.DataObject) -> None:
    entry = FIELD_TYPES[ftype]
    assert entry.accepts(data.draw(entry.generator()))
    assert entry.accepts(data.draw(values(FieldDef("f", ftype))))


@pytest.mark.parametrize("ftype", [t.name for t in METADATA])
def test_wrong_kinds_are_never_values_of_their_type(ftype: str) -> None:
    entry = FIELD_TYPES[ftype]
    assert entry.wrong_kinds
    for value in entry.wrong_kinds:
        assert not entry.accepts(value), value


@pytest.mark.parametrize("ftype", [t.name for t in METADATA])
def test_a_wrong_kind_in_a_field_is_a_type_mismatch(ftype: str) -> None:
    from schemakit import compile_schema

    schema = {"properties": {"f": {"type": ftype, "required": True}}}
    validator = compile_schema(schema)
    for value in FIELD_TYPES[ftype].wrong_kinds:
        assert "type_mismatch" in {i.code for i in validator.validate({"f": value}).issues}, value


def test_a_schema_shrinks_toward_a_single_string_field() -> None:
    schema = find(st.bucket_schemas(), lambda s: len(s["properties"]) >= 1, settings=settings(database=None))
    assert schema == {"properties": {"title": {"type": "string"}}}


def test_importing_the_type_table_needs_no_hypothesis_but_the_strategies_load_its_generators() -> None:
    probe = (
        "import sys\n"
        "import schemakit._contract.types\n"
        "assert 'hypothesis' not in sys.modules and 'schemakit._contract.generators' not in sys.modules\n"
        "import schemakit.strategies\n"
        "assert 'schemakit._contract.generators' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)
