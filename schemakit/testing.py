"""A conformance check for someone else's validator: does it reach schemakit's verdicts?

Needs the ``testing`` extra (``pip install schemakit[testing]``).

>>> def my_server_validates(obj):                # returns a bool, or the codes it found
...     return server.validate_object(obj).errors
>>> assert_same_verdicts(my_server_validates, bucket_schema)
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

try:
    from hypothesis import HealthCheck, given, settings
except ImportError as exc:  # pragma: no cover - exercised in a subprocess without hypothesis
    raise ImportError(
        "schemakit.testing needs hypothesis, an optional dependency: pip install schemakit[testing]"
    ) from exc

from hypothesis import strategies as hst
from hypothesis.errors import InvalidArgument

from schemakit.strategies import invalid_objects, objects
from schemakit.strategies._invalid import possible_codes

__all__ = ["assert_same_verdicts"]

Candidate = Callable[[Any], "bool | Iterable[Any]"]

# Long strings (a blob_too_large payload is megabytes) are cut in messages; the object stays whole for debugging.
_MAX_SHOWN_STRING = 120


@dataclass
class _Disagreement(Exception):
    obj: Any
    label: str | None
    schemakit_ok: bool
    schemakit_issues: list[Any]
    candidate_result: Any
    candidate_codes: list[str] | None

    def render(self) -> str:
        lines = ["the candidate disagrees with schemakit on this object (minimal example found by hypothesis):"]
        lines.append(_indent(json.dumps(_abbreviate(self.obj), indent=2, ensure_ascii=False, default=repr)))
        errors = [i for i in self.schemakit_issues if i.is_error]
        if self.schemakit_ok:
            lines.append("schemakit: accepts it")
        else:
            lines.append(f"schemakit: rejects it with codes {sorted({i.code for i in errors})}")
            lines.extend(f"  {i}" for i in errors)
        if self.label is not None:
            lines.append(f"expected code: {self.label}")
            if self.schemakit_ok or self.label not in {i.code for i in errors}:
                lines.append("  (schemakit itself misses this expected code: please report it as a schemakit bug)")
        if self.candidate_codes is None:
            verdict = "accepts" if self.candidate_result else "rejects"
            lines.append(f"candidate: {verdict} it (returned {self.candidate_result!r})")
        elif self.candidate_codes:
            lines.append(f"candidate: rejects it with codes {self.candidate_codes}")
        else:
            lines.append("candidate: accepts it (returned no codes)")
        return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _abbreviate(value: Any) -> Any:
    if isinstance(value, str) and len(value) > _MAX_SHOWN_STRING:
        return f"{value[:60]}...<{len(value)} characters>"
    if isinstance(value, dict):
        return {k: _abbreviate(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_abbreviate(v) for v in value]
    return value


def _codes(result: Any) -> list[str] | None:
    """The codes a candidate returned, or None when it returned a plain verdict."""
    if isinstance(result, bool):
        return None
    if isinstance(result, str):
        # A lone string is one code, not an iterable of one-letter codes.
        return [result]
    if isinstance(result, Iterable):
        # schemakit Issues (or anything with .code) are accepted, so a candidate can return issue lists.
        return [str(getattr(item, "code", item)) for item in result]
    raise TypeError(
        f"the candidate must return a bool or an iterable of issue codes, not {type(result).__name__}: {result!r}"
    )


def assert_same_verdicts(
    candidate: Candidate, schema: Any, *, examples: int = 200, unique_key: Any = None, strict: bool = False
) -> None:
    """Check that ``candidate`` reaches schemakit's verdict on generated objects of ``schema``.

    ``candidate(obj)`` is a user's own validator for ``CreateObjectRequest``
    dicts. It returns either a bool (True: accepted) or an iterable of issue
    codes (empty: accepted; schemakit ``Issue`` objects work too). The helper
    drives it with about ``examples`` objects, shared evenly between
    :func:`schemakit.strategies.objects` and one run of
    :func:`schemakit.strategies.invalid_objects` per issue code the schema
    permits (at least one example each), and compares each verdict with
    ``schemakit.compile_schema(schema)``'s. When the candidate returns
    codes, it agrees on an invalid object when the expected code (the defect's
    label) is among them. ``unique_key`` and ``strict`` are passed to
    ``compile_schema`` and the strategies, for a server with a unique key or
    strict checking (adding ``missing_unique_key``, ``unique_key_too_long`` and
    ``unknown_field`` cases).

    On a disagreement hypothesis shrinks the object, and ``AssertionError`` is
    raised with the minimal object, schemakit's verdict and codes, and the
    candidate's. Works inside or outside a pytest test; no example database is
    written. Inside a ``@given`` test (nested generation, rarely what you want)
    the outer test needs ``suppress_health_check=[HealthCheck.nested_given]``.
    ``blob_too_large`` cases carry a few megabytes of inline data (schemakit's
    default limit).
    """
    if isinstance(examples, bool) or not isinstance(examples, int) or examples < 1:
        raise InvalidArgument(f"examples={examples!r} must be a positive integer")
    if not callable(candidate):
        raise InvalidArgument(f"candidate={candidate!r} must be callable")
    # Imported here: schemakit loads its pillars lazily, and the validator is the only one needed.
    from schemakit.schema import compile_schema

    validator = compile_schema(schema, unique_key=unique_key, strict=strict)
    # One run per code, not one run over a mixture: hypothesis's generation is clumpy,
    # and 200 examples of a mixture can miss a code entirely.
    valid = objects(schema, unique_key=unique_key, strict=strict).map(lambda obj: (obj, None))
    runs: list[hst.SearchStrategy[tuple[Any, str | None]]] = [valid]
    runs += [
        invalid_objects(schema, unique_key=unique_key, strict=strict, codes=[code])
        for code in possible_codes(schema, unique_key=unique_key, strict=strict)
    ]
    share = max(1, -(-examples // len(runs)))

    def check_one(case: tuple[Any, str | None]) -> None:
        obj, label = case
        result = validator.validate(copy.deepcopy(obj))
        schemakit_ok = result.ok
        # Each side gets its own copy: a validator that normalizes in place must not change what the other sees.
        raw = candidate(copy.deepcopy(obj))
        codes = _codes(raw)
        candidate_ok = bool(raw) if codes is None else not codes
        agree = candidate_ok == schemakit_ok
        if agree and not schemakit_ok and codes is not None and label is not None:
            agree = label in codes
        if not agree:
            raise _Disagreement(obj, label, schemakit_ok, list(result.issues), raw, codes)

    for cases in runs:
        check = settings(
            max_examples=share,
            database=None,
            deadline=None,
            # The candidate may be slow (a server round trip): timing checks would only add noise.
            suppress_health_check=list(HealthCheck),
        )(given(cases)(check_one))
        try:
            check()
        except _Disagreement as found:
            raise AssertionError(found.render()) from None
