"""One sentinel per meaning, each a one-member enum (the model is attrs' ``NOTHING``).

An enum member is a singleton that survives pickling and copying, reads well
in a ``repr``, and can be named in a type (``Literal[NoDefault.NO_DEFAULT]``),
so mypy tells a field's missing default from a record's absent value. All are
falsy, so ``if value:`` never mistakes one for data.
"""

from __future__ import annotations

import enum
from typing import Literal, TypeAlias


class _Sentinel(enum.Enum):
    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return self.name


class NoDefault(_Sentinel):
    """A field definition declares no ``default``."""

    NO_DEFAULT = enum.auto()


class Absent(_Sentinel):
    """A record holds nothing at a path (the key is missing, or a step of the path does not exist)."""

    ABSENT = enum.auto()


class NotGiven(_Sentinel):
    """An optional argument or request key was not given at all (as opposed to given as null)."""

    NOT_GIVEN = enum.auto()


NO_DEFAULT = NoDefault.NO_DEFAULT
ABSENT = Absent.ABSENT
NOT_GIVEN = NotGiven.NOT_GIVEN

NoDefaultType: TypeAlias = Literal[NoDefault.NO_DEFAULT]
AbsentType: TypeAlias = Literal[Absent.ABSENT]
NotGivenType: TypeAlias = Literal[NotGiven.NOT_GIVEN]
