"""MongoDB plans against mongomock (no MongoDB server runs here) hold the guarantee of every plan."""

from __future__ import annotations

from typing import Any

from backends_support import CONTEXT, RECORDS, MongoEngine, assert_guarantee
from hypothesis import HealthCheck, given, settings

from schemakit import Filter
from schemakit import strategies as st
from schemakit._contract.operators import missing_rows
from schemakit.backends import MONGO_TABLE, to_mongo

ENGINE = MongoEngine()


def test_the_table_has_a_row_per_operator() -> None:
    assert missing_rows(MONGO_TABLE) == []


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(f=st.filters(dynamic=True), records=RECORDS)
def test_documents_found_then_residual_are_exactly_the_matching_records(
    f: Filter, records: list[dict[str, Any]]
) -> None:
    ENGINE.load(records)
    assert_guarantee(ENGINE, lambda g: to_mongo(g, context=CONTEXT), f, records)
