"""The functions SQLite plans call, registered on a ``sqlite3`` connection by :func:`register_sqlite`."""

from __future__ import annotations

import functools
import sqlite3
from typing import Any

from schemakit._contract import semantics


@functools.lru_cache(maxsize=256)
def _program(pattern: str, fold: bool) -> Any:
    return semantics.compile_regex(pattern, case_sensitive=not fold)[0]


def _search(pattern: Any, text: Any, fold: bool) -> int | None:
    if not isinstance(pattern, str) or not isinstance(text, str):
        return None
    program = _program(pattern, fold)
    if program is None:
        return 0
    return 1 if semantics.regex_searcher(program)(text) else 0


def _regexp(pattern: Any, text: Any) -> int | None:
    return _search(pattern, text, False)


def _iregexp(pattern: Any, text: Any) -> int | None:
    return _search(pattern, text, True)


def _casefold(text: Any) -> Any:
    return text.casefold() if isinstance(text, str) else None


def register_sqlite(connection: sqlite3.Connection) -> sqlite3.Connection:
    """Register on ``connection`` what SQLite plans call: an RE2 ``regexp`` (so ``x REGEXP p`` is RE2's search),
    ``sk_iregexp`` (RE2, case-insensitive) and ``sk_casefold`` (``str.casefold``). Returns the connection."""
    connection.create_function("regexp", 2, _regexp, deterministic=True)
    connection.create_function("sk_iregexp", 2, _iregexp, deterministic=True)
    connection.create_function("sk_casefold", 1, _casefold, deterministic=True)
    return connection
