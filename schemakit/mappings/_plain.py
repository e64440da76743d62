"""Reading a caller's values without running a caller's code.

A request, manifest or source object may hold instances of the caller's own
classes: a ``str`` subclass whose ``__eq__``, ``__hash__`` or ``__repr__``
raises, an object whose ``__eq__`` does anything. The resolver compares and
hashes only plain values, with the base types' own methods.
"""

from __future__ import annotations

from typing import Any


def plain(value: Any) -> Any:
    """A str subclass as a plain str (its own __hash__, __eq__ and __repr__ are then never run); else as is."""
    return str.__str__(value) if isinstance(value, str) and type(value) is not str else value


def is_text(value: Any, text: str) -> bool:
    """``value == text`` by str's own comparison: False for anything not a string, whatever its __eq__."""
    return isinstance(value, str) and str.__eq__(value, text)
