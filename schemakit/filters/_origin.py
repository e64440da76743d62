"""Where each condition of a parsed filter was written, so that issues point at the user's own input.

A JSON filter's issues are located by paths into the dict as given (not into
the canonical tree: a one-item ``OR`` stays ``("OR", 0, ...)``). A text
filter's issues have the path ``()``, like its syntax errors, and name their
place in the message (``at line L, column C`` and a caret excerpt) and in
``FilterError.line`` / ``.column`` where one is raised. A Filter built from
nodes was written as nothing else, so its issues are located in its
canonical ``to_dict()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, NamedTuple

from schemakit._issues import Path

Part = Literal["field", "operator", "value"]


class JsonPlaces(NamedTuple):
    """The paths of a condition's field, operator and value in the JSON filter as given."""

    field: Path
    operator: Path
    value: Path


class TextPlaces(NamedTuple):
    """The offsets in the text of a condition's field, operator and value, and of each element of a list value."""

    field: int
    operator: int
    value: int
    elements: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Place:
    """Where an issue is: its path, and for text its line and column with the words that say so."""

    path: Path
    line: int | None = None
    column: int | None = None
    suffix: str = ""
    """`` at line L, column C`` and the caret excerpt, for a message about text; empty otherwise."""


@dataclass(frozen=True, slots=True, eq=False)
class Origin:
    """What a Filter was parsed from: its text (None for JSON) and each condition's places, by ``id``.

    Conditions are kept alive by the tree that holds them, so their ids are
    stable for as long as the Filter that carries this origin.
    """

    text: str | None
    places: Mapping[int, JsonPlaces | TextPlaces]

    def place(self, condition: object, canonical: Path, part: Part, index: int | None = None) -> Place:
        """Where ``part`` of ``condition`` (element ``index`` of a list value) was written."""
        found = self.places.get(id(condition))
        if isinstance(found, TextPlaces) and self.text is not None:
            offset: int = getattr(found, part)
            if index is not None and part == "value" and index < len(found.elements):
                offset = found.elements[index]
            line, column = position(self.text, offset)
            return Place((), line, column, f" at line {line}, column {column}\n{excerpt(self.text, line, column)}")
        path: Path = getattr(found, part) if isinstance(found, JsonPlaces) else (*canonical, part)
        return Place(path if index is None else (*path, index))


def place(origin: Origin | None, condition: object, canonical: Path, part: Part, index: int | None = None) -> Place:
    """:meth:`Origin.place`, or the canonical ``to_dict()`` path for a Filter built from nodes."""
    if origin is None:
        path: Path = (*canonical, part)
        return Place(path if index is None else (*path, index))
    return origin.place(condition, canonical, part, index)


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def excerpt(text: str, line: int, column: int) -> str:
    """The offending line with a caret under the column (long lines are clipped around it)."""
    lines = text.split("\n")
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    start = max(0, column - 1 - 40)
    snippet = source[start : start + 80]
    prefix = "..." if start else ""
    return f"{prefix}{snippet}\n{' ' * (len(prefix) + column - 1 - start)}^"
