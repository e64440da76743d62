"""Every public entry point, fed odd values and mutated inputs: only results or documented errors.

The contract of each public call: issues, or one of the documented ``SchemakitError``
subclasses, nothing else. ``benchmarks/fuzz.py`` runs the same entry points at volume.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemakit import SchemakitError
from schemakit.strategies._odd import PILLARS, SEEDS, corpus

ENTRIES = [
    pytest.param(f"{pillar}.{name}", entry, id=f"{pillar}.{name}")
    for pillar, entries in PILLARS.items()
    for name, entry in entries
]


def _call(entry: Any, value: Any) -> None:
    # a documented error is a valid outcome; anything else propagates and fails the test
    with contextlib.suppress(SchemakitError):
        entry(value)


@pytest.mark.parametrize(("name", "entry"), ENTRIES)
def test_every_corpus_value_gives_a_result_or_a_documented_error(name: str, entry: Any) -> None:
    for value in corpus():
        _call(entry, value)


# Drawn as indexes, not values: hypothesis reprs what it draws, and some odd values (an integer
# of 5,001 digits, an object whose __repr__ raises) cannot be repr'd.
ODD = corpus()
WRAPS = (lambda v: v, lambda v: [v], lambda v: {"a": v}, lambda v: [{"field": "a", "value": v}])


@pytest.mark.parametrize(("name", "entry"), ENTRIES)
@settings(max_examples=25)
@given(
    seed=st.integers(0, len(SEEDS) - 1),
    odd=st.integers(0, len(ODD) - 1),
    wrap=st.integers(0, len(WRAPS) - 1),
    slot=st.integers(0, 50),
)
def test_odd_values_inside_well_formed_inputs(name: str, entry: Any, seed: int, odd: int, wrap: int, slot: int) -> None:
    base = SEEDS[seed]
    value = WRAPS[wrap](ODD[odd])
    if isinstance(base, dict) and base:
        keys = sorted(base)
        _call(entry, {**base, keys[slot % len(keys)]: value})
    _call(entry, value)
