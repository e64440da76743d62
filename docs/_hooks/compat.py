"""MkDocs hook: the compatibility page's table of codes and modes is generated from the rules table.

The page holds a marker line; this hook replaces it with the rows of
schemakit/schema/_compat_rules.py, so the page cannot drift from the code.
"""

from __future__ import annotations

from typing import Any

MARKER = "<!-- compatibility-rules -->"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if MARKER not in markdown:
        return markdown
    from schemakit.schema._compat_rules import rules_markdown

    return markdown.replace(MARKER, rules_markdown())
