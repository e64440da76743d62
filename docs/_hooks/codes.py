"""MkDocs hook: the reference page of issue codes is generated from schemakit/_contract/codes.py at build time.

The page's source holds a marker line; this hook replaces it with the
registry's entries, so the reference cannot drift from the code.
"""

from __future__ import annotations

from typing import Any

MARKER = "<!-- issue-codes -->"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if MARKER not in markdown:
        return markdown
    from schemakit._contract.codes import reference_markdown

    return markdown.replace(MARKER, reference_markdown())
