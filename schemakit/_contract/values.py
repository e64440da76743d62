"""A caller's JSON-like value as exact built-in types, so reading it never runs the caller's code.

A ``str`` subclass can override ``__eq__``, ``__hash__`` and ``__repr__``;
every dictionary lookup, membership test and message would run them. The
definition readers and the filter parser take their input through
:func:`plain` once: subclasses of ``str``, ``int``, ``float``, ``dict``,
``list`` and ``tuple`` become the exact type, by the base class's own
methods. Anything else (a set, bytes, a custom mapping, an object) is kept
as it is, for the reader to report. Values deeper than :data:`PLAIN_DEPTH`
are kept as they are: every reader stops well before that depth.
"""

from __future__ import annotations

from typing import Any

PLAIN_DEPTH = 200

_EXACT = frozenset({str, int, float, bool, type(None)})


def plain(value: Any, depth: int = 0) -> Any:
    """``value`` with every built-in subclass instance replaced by the exact type (see the module docs)."""
    cls = value.__class__
    if cls in _EXACT or depth > PLAIN_DEPTH:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, dict):
        return {plain(k, depth + 1): plain(v, depth + 1) for k, v in dict.items(value)}
    if isinstance(value, list):
        return [plain(v, depth + 1) for v in list.__iter__(value)]
    if isinstance(value, tuple):
        return tuple(plain(v, depth + 1) for v in tuple.__iter__(value))
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    return value


def plain_text(value: Any) -> Any:
    """A str subclass as a plain str; anything else as it is. The one-value, constant-time form of :func:`plain`."""
    return str.__str__(value) if isinstance(value, str) and value.__class__ is not str else value


def is_text(value: Any, text: str) -> bool:
    """``value == text`` by str's own comparison: False for anything not a string, whatever its __eq__."""
    return isinstance(value, str) and str.__eq__(value, text) is True
