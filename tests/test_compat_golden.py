"""Golden pairs: fixtures/compat/<code>.json hold (old, new, mode) cases and the codes each must report.

Every error must come with a witness the validators bear out, and the case
files together must cover every code of the rules table at least three times.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import schemakit
from schemakit.schema._compat_rules import RULES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "compat"
CASES = [
    {**case, "file": path.stem}
    for path in sorted(FIXTURES.glob("*.json"))
    for case in json.loads(path.read_text(encoding="utf-8"))
]
IDS = [f"{c['file']}: {c['name']}" for c in CASES]
# the pipeline codes are proven on the fixture pipelines (test_compat_pipeline.py)
SCHEMA_CODES = sorted(set(RULES) - {"collection_broken", "output_schema_changed"})


def _check(case: dict[str, Any]) -> schemakit.CompatibilityReport:
    return schemakit.check_compatibility(
        case["old"],
        case["new"],
        mode=case["mode"],
        strict=case["strict"],
        unique_key_old=case.get("unique_key_old"),
        unique_key_new=case.get("unique_key_new"),
    )


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_golden_pair(case: dict[str, Any]) -> None:
    report = _check(case)
    assert sorted(i.code for i in report.errors) == case["errors"], [str(i) for i in report.issues]
    assert sorted(i.code for i in report.warnings) == case["warnings"], [str(i) for i in report.issues]
    assert report.ok == (not case["errors"])


BREAKING = [(c, i) for c, i in zip(CASES, IDS, strict=True) if c["errors"]]


@pytest.mark.parametrize("case", [c for c, _ in BREAKING], ids=[i for _, i in BREAKING])
def test_every_error_has_a_verified_witness(case: dict[str, Any]) -> None:
    report = _check(case)
    key_old = case.get("unique_key_old")
    key_new = case.get("unique_key_new")
    strict = case["strict"]
    old = schemakit.compile_schema(case["old"], unique_key=key_old, strict=strict)
    new = schemakit.compile_schema(case["new"], unique_key=key_new, strict=strict)
    for issue in report.errors:
        w = report.witness(issue)
        assert w is not None, str(issue)
        finding = next(f for f in report.findings if f.issue is issue)
        assert finding.witness is not None
        accept, reject = (old, new) if finding.witness.direction == "backward" else (new, old)
        if "objects" in w:  # a unique key's witness is a batch
            assert accept.validate_batch(w).ok and not reject.validate_batch(w).ok
        else:
            assert accept.is_valid(w) and not reject.is_valid(w), (str(issue), w)


def test_every_code_has_three_golden_pairs() -> None:
    counts = {code: 0 for code in SCHEMA_CODES}
    for case in CASES:
        for code in {*case["errors"], *case["warnings"]}:
            counts[code] = counts.get(code, 0) + 1
        # a case that expects nothing counts for the code its file is about
        if not case["errors"] and not case["warnings"]:
            counts[case["file"]] += 1
    assert {c: n for c, n in counts.items() if n < 3} == {}
