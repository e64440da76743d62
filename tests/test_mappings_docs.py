"""The examples of docs/collections.md run, and say what the resolver does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "collections.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_page_has_examples() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_each_example_runs(index: int, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(BLOCKS[index], f"{DOC.name} example {index + 1}", "exec"), {})
    printed = capsys.readouterr().out
    # what an example prints is shown in the page, line for line, as `#> ` comments (the docs' convention)
    for line in printed.splitlines():
        assert f"#> {line}\n" in BLOCKS[index]
