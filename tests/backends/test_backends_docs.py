"""docs/backends.md's operator tables are what the rows do: regenerated here and compared with the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from schemakit.backends._doc import TARGETS, operator_table

PAGE = Path(__file__).resolve().parents[2] / "docs" / "backends.md"


@pytest.mark.parametrize("target", TARGETS)
def test_the_page_shows_the_table_the_rows_make(target: str) -> None:
    text = PAGE.read_text(encoding="utf-8")
    found = re.search(rf"<!-- backends-table: {target} -->\n(.*?)<!-- /backends-table -->", text, re.S)
    assert found is not None, f"no table for {target} in {PAGE.name}"
    assert found[1] == operator_table(target)
