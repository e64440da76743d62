"""Soundness of check_compatibility against the validator itself, on random schemas and random edits.

Two halves. Every error's witness is re-verified here with freshly compiled
validators (old accepts and new rejects for backward, the reverse for
forward). And when the checker calls a pair compatible in a direction,
hypothesis looks for a counterexample among valid objects of the accepting
schema (``schemakit.strategies.objects``): none may be rejected by the other.
Under the default profile each pair is probed with a few objects; under
``--hypothesis-profile=thorough`` with 200.
"""

from __future__ import annotations

from typing import Any

from compat_support import mutated
from hypothesis import given, note, settings
from hypothesis import strategies as st

import schemakit
from schemakit import strategies as sks

THOROUGH = settings().max_examples >= 1000
OBJECTS_PER_PAIR = 200 if THOROUGH else 6
PAIRS = settings().max_examples if THOROUGH else 40


@st.composite
def pairs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], bool]:
    old = draw(sks.bucket_schemas(max_depth=3, max_fields=4))
    new = draw(mutated(old))
    return old, new, draw(st.booleans())


def _witnesses_hold(report: schemakit.CompatibilityReport, old: Any, new: Any, strict: bool) -> None:
    v_old = schemakit.compile_schema(old, strict=strict)
    v_new = schemakit.compile_schema(new, strict=strict)
    for finding in report.findings:
        w = finding.witness
        if not finding.issue.is_error:
            continue
        assert w is not None, f"an error without a witness: {finding.issue}"
        if finding.issue.code == "unique_key_changed":
            continue  # no unique keys in these schemas
        accept, reject = (v_old, v_new) if w.direction == "backward" else (v_new, v_old)
        assert accept.is_valid(w.value), (str(finding.issue), w.value, accept.validate(w.value).issues)
        assert not reject.is_valid(w.value), (str(finding.issue), w.value)


def _no_counterexample(data: st.DataObject, accept_schema: Any, reject_schema: Any, strict: bool) -> None:
    accept = schemakit.compile_schema(accept_schema, strict=strict)
    reject = schemakit.compile_schema(reject_schema, strict=strict)
    for _ in range(OBJECTS_PER_PAIR):
        obj = data.draw(sks.objects(accept_schema, strict=strict), label="object")
        assert accept.is_valid(obj)
        assert reject.is_valid(obj), reject.validate(obj).issues


@settings(max_examples=PAIRS)
@given(pair=pairs(), data=st.data())
def test_backward_verdicts_are_sound(pair: tuple[dict[str, Any], dict[str, Any], bool], data: st.DataObject) -> None:
    old, new, strict = pair
    report = schemakit.check_compatibility(old, new, mode="backward", strict=strict)
    note(f"issues: {[str(i) for i in report.issues]}")
    _witnesses_hold(report, old, new, strict)
    if report.compatible:
        _no_counterexample(data, old, new, strict)


@settings(max_examples=PAIRS)
@given(pair=pairs(), data=st.data())
def test_forward_verdicts_are_sound(pair: tuple[dict[str, Any], dict[str, Any], bool], data: st.DataObject) -> None:
    old, new, strict = pair
    report = schemakit.check_compatibility(old, new, mode="forward", strict=strict)
    note(f"issues: {[str(i) for i in report.issues]}")
    _witnesses_hold(report, old, new, strict)
    if report.compatible:
        _no_counterexample(data, new, old, strict)


@settings(max_examples=PAIRS // 2)
@given(pair=pairs(), data=st.data())
def test_full_is_backward_and_forward(pair: tuple[dict[str, Any], dict[str, Any], bool], data: st.DataObject) -> None:
    old, new, strict = pair
    full = schemakit.check_compatibility(old, new, mode="full", strict=strict)
    back = schemakit.check_compatibility(old, new, mode="backward", strict=strict)
    fwd = schemakit.check_compatibility(old, new, mode="forward", strict=strict)
    _witnesses_hold(full, old, new, strict)
    assert full.ok == (back.ok and fwd.ok)
    assert full.compatible == (back.compatible and fwd.compatible)
    if full.compatible:
        _no_counterexample(data, old, new, strict)
        _no_counterexample(data, new, old, strict)
