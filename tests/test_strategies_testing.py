"""``schemakit.testing.assert_same_verdicts``: catches wrong validators with a minimal example, passes right ones."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import settings
from hypothesis.errors import InvalidArgument

import schemakit
from schemakit.testing import assert_same_verdicts

ARTICLE = {
    "properties": {
        "title": {"type": "string", "required": True},
        "published": {"type": "date"},
        "cover": {"type": "image"},
    }
}
VALIDATOR = schemakit.compile_schema(ARTICLE)
# For tests that fail on the first example: less to shrink.
TINY = {"properties": {"n": {"type": "integer"}}}


def _examples() -> int:
    return max(settings().max_examples, 20)


def toy_without_date_checks(obj: Any) -> bool:
    """Gets everything right except that any string passes as a date."""
    if not isinstance(obj, dict):
        return False
    published = obj.get("published")
    if isinstance(published, str):
        obj = {**obj, "published": "2000-01-01"}
    return VALIDATOR.is_valid(obj)


def test_a_wrong_validator_is_caught_with_a_minimal_readable_counterexample() -> None:
    with pytest.raises(AssertionError) as caught:
        assert_same_verdicts(toy_without_date_checks, ARTICLE, examples=max(_examples(), 200))
    message = str(caught.value)
    assert "minimal example" in message
    assert "schemakit: rejects it with codes ['invalid_date']" in message
    assert "candidate: accepts it (returned True)" in message
    # Shrunk: the required title at its simplest, the bad date, nothing optional.
    assert re.search(r'"title": "",\s+"published": "[^"]*"\s+}', message), message


def test_a_correct_validator_passes_returning_booleans() -> None:
    assert_same_verdicts(VALIDATOR.is_valid, ARTICLE, examples=_examples())


def test_a_correct_validator_passes_returning_codes_or_issues() -> None:
    assert_same_verdicts(lambda o: [i.code for i in VALIDATOR.validate(o).errors], ARTICLE, examples=_examples())
    assert_same_verdicts(lambda o: VALIDATOR.validate(o).errors, ARTICLE, examples=_examples())


def test_a_validator_with_the_right_verdict_but_a_wrong_code_is_caught() -> None:
    def always_type_mismatch(obj: Any) -> list[str]:
        return [] if VALIDATOR.is_valid(obj) else ["type_mismatch"]

    with pytest.raises(AssertionError) as caught:
        assert_same_verdicts(always_type_mismatch, ARTICLE, examples=max(_examples(), 200))
    message = str(caught.value)
    assert "expected code: " in message and "candidate: rejects it with codes ['type_mismatch']" in message


def test_a_validator_that_rejects_valid_objects_is_caught() -> None:
    # the cover is required here, so every valid example carries one and the defect cannot go unseen
    # (with an optional cover, a run of valid examples without one passed now and then)
    with_cover = {"properties": {**ARTICLE["properties"], "cover": {"type": "image", "required": True}}}
    validator = schemakit.compile_schema(with_cover)

    def no_covers(obj: Any) -> bool:
        return validator.is_valid(obj) and "'cover'" not in str(obj)

    with pytest.raises(AssertionError) as caught:
        assert_same_verdicts(no_covers, with_cover, examples=max(_examples(), 100))
    message = str(caught.value)
    assert "schemakit: accepts it" in message and "candidate: rejects it (returned False)" in message
    assert '"property": "cover"' in message


def test_candidate_errors_propagate_unchanged() -> None:
    def broken(obj: Any) -> bool:
        raise RuntimeError("server down")

    with pytest.raises(RuntimeError, match="server down"):
        assert_same_verdicts(broken, TINY, examples=5)


def test_a_candidate_returning_something_else_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="bool or an iterable"):
        assert_same_verdicts(lambda o: None, TINY, examples=5)


@pytest.mark.parametrize("examples", [0, -1, 2.5, True])
def test_bad_example_counts_fail_eagerly(examples: Any) -> None:
    with pytest.raises(InvalidArgument):
        assert_same_verdicts(VALIDATOR.is_valid, ARTICLE, examples=examples)


def test_an_invalid_schema_is_a_schema_definition_error() -> None:
    with pytest.raises(schemakit.SchemaDefinitionError):
        assert_same_verdicts(VALIDATOR.is_valid, {"properties": {"x": {"type": "json"}}})


def test_works_outside_pytest() -> None:
    script = """
from schemakit.testing import assert_same_verdicts
schema = {"properties": {"price": {"type": "number", "required": True}}}
try:
    assert_same_verdicts(lambda o: isinstance(o, dict) and "price" in o, schema, examples=100)
except AssertionError as exc:
    print(exc)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "schemakit: rejects it with codes ['type_mismatch']" in done.stdout
    assert '"price": "0"' in done.stdout


def test_unique_keys_and_strict_mode_reach_their_codes() -> None:
    schema = {"properties": {"sku": {"type": "string"}, "meta": {"type": "object", "properties": {}}}}
    validator = schemakit.compile_schema(schema, unique_key={"fields": ["sku"]}, strict=True)
    lenient = schemakit.compile_schema(schema, unique_key={"fields": ["sku"]})

    def codes(obj: Any) -> list[str]:
        return [i.code for i in validator.validate(obj).errors]

    assert_same_verdicts(codes, schema, unique_key={"fields": ["sku"]}, strict=True, examples=_examples())
    with pytest.raises(AssertionError, match="expected code: unknown_field"):
        assert_same_verdicts(lenient.is_valid, schema, unique_key={"fields": ["sku"]}, strict=True)
