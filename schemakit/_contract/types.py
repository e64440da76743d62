"""The bucket field types: one entry each, holding everything any consumer needs to know about it.

The schema reader, the code generator, the JSON Schema export, ``check_filter``,
the collection resolver and the strategies dispatch from :data:`FIELD_TYPES`;
none keeps a ladder of its own. Adding a type is one entry here (and a test
that every consumer handles it, in ``tests/test_contract.py``).
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Literal

from schemakit._dates import parse_date, parse_datetime

Category = Literal["scalar", "file", "container"]
FilterKind = Literal["number", "string", "boolean", "temporal", "object", "array", "file"]
CheckKind = Literal["simple", "date", "datetime", "object", "array", "file"]

# JSON Schema patterns for the date grammar of schemakit._dates. ``(?!\n)$``
# because Python's ``$`` alone also matches before a trailing newline.
END = r"(?!\n)$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}" + END
DATETIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})?" + END
)


@dataclass(frozen=True, slots=True)
class FieldType:
    """One bucket field type.

    ``accepts`` judges a plain (non-null) Python value of the type, without
    its enum and, for containers, without looking inside: the definition
    reader recurses for ``properties`` and ``items``. ``inline_test`` is the
    same rule as a Python expression over ``{v}`` for generated code (exact
    class first, then ``{accepts}``, this entry's ``accepts``, for the rest);
    ``check_kind`` names the code generator's emitter (``simple`` is the one
    expression; the others are checks of more than one step).
    """

    name: str
    category: Category
    label: str
    """How messages name the expected kind: ``expected number (float), found ...``."""
    accepts: Callable[[Any], bool]
    filter_kind: FilterKind
    check_kind: CheckKind
    inline_test: str | None = None
    json_schema: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """The JSON Schema of a non-null value (containers add ``properties``/``items`` to it)."""
    aliases: tuple[str, ...] = ()
    """Names users write for this type (``str``, ``timestamp``): the did-you-mean of ``unknown_type``."""
    strategy: str | None = None
    """The name of this type's value generator in :mod:`schemakit._contract.generators` (hypothesis)."""
    python_type: str | None = None
    """The annotation of a non-null value in generated models (``schemakit.codegen``); containers
    without declared members use it as is, file fields (blobs) have none."""
    python_coerce: str | None = None
    """The name of the generated models' before-check conversion of a decoded JSON value to
    ``python_type`` (``integral``: 3.0 is an integer; ``date``/``datetime``: the string forms)."""
    python_literal: bool = False
    """Whether an enum of this type is a ``typing.Literal`` (``Literal`` holds str, int and bool only)."""
    python_literal_check: str | None = None
    """The generated models' check before such a ``Literal``: pydantic's takes ``True`` for ``1`` and
    ``1`` for ``True``, which the validator tells apart (``integral`` refuses a boolean too)."""
    wrong_kinds: tuple[Any, ...] = ()
    """Plain JSON values of a clearly wrong kind for this type (the strategies' ``type_mismatch`` cases).

    Only clear kind errors: a string in a date field is a date question
    (``invalid_date``), never listed here. Lists and dicts are shared: copy before handing one out.
    """

    @property
    def is_file(self) -> bool:
        return self.category == "file"

    @property
    def is_scalar(self) -> bool:
        return self.category == "scalar"

    @property
    def orderable(self) -> bool:
        """Whether ``gt``/``lt`` order its values: numbers, strings, dates and date-times."""
        return self.filter_kind in ("number", "string", "temporal")

    @property
    def textual(self) -> bool:
        """Whether its values are strings a string operator can read (strings, dates, date-times)."""
        return self.filter_kind in ("string", "temporal")

    def fits_filter_value(self, value: Any) -> bool:
        """Whether a (frozen) filter operand can ever compare equal to or order with values of this type."""
        return _FILTER_FITS[self.filter_kind](value)

    def generator(self) -> Any:
        """The hypothesis strategy of valid non-null values (scalars only); needs ``hypothesis``."""
        if self.strategy is None:
            raise LookupError(f"{self.name!r} values are not generated from the type table")
        return getattr(importlib.import_module("schemakit._contract.generators"), self.strategy)()


# -- value rules ------------------------------------------------------------------------------------


def _is_string(v: Any) -> bool:
    return isinstance(v, str)


def _is_integer(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return True
    return isinstance(v, float) and math.isfinite(v) and v.is_integer()


def _is_number(v: Any) -> bool:
    # ints are always finite; math.isfinite would overflow converting a 400-digit one
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return True
    return isinstance(v, float) and math.isfinite(v)


def _is_boolean(v: Any) -> bool:
    return isinstance(v, bool)


def _is_date(v: Any) -> bool:
    if isinstance(v, str):
        return parse_date(v) is not None
    return isinstance(v, date) and not isinstance(v, datetime)


def _is_datetime(v: Any) -> bool:
    if isinstance(v, str):
        return parse_datetime(v) is not None
    return isinstance(v, datetime)


def _is_object(v: Any) -> bool:
    return isinstance(v, dict)


def _is_array(v: Any) -> bool:
    return isinstance(v, list)


def _never(v: Any) -> bool:
    # file fields are supplied as blobs: they have no inline value
    return False


def _fits_temporal(v: Any) -> bool:
    return isinstance(v, str) and (parse_date(v) is not None or parse_datetime(v) is not None)


_FILTER_FITS: dict[str, Callable[[Any], bool]] = {
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "string": _is_string,
    "boolean": _is_boolean,
    "temporal": _fits_temporal,
    "object": lambda v: isinstance(v, Mapping),
    "array": lambda v: isinstance(v, tuple),
    "file": lambda v: True,
}


def _frozen(schema: dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(schema)


def _file(name: str, aliases: tuple[str, ...]) -> FieldType:
    return FieldType(
        name=name,
        category="file",
        label=f"a {name} blob",
        accepts=_never,
        filter_kind="file",
        check_kind="file",
        json_schema=_frozen({"not": {}}),
        aliases=aliases,
    )


_ENTRIES = (
    FieldType(
        "string",
        "scalar",
        "string",
        _is_string,
        "string",
        "simple",
        inline_test="{v}.__class__ is str or isinstance({v}, str)",
        json_schema=_frozen({"type": "string"}),
        aliases=("str",),
        strategy="strings",
        python_type="str",
        python_literal=True,
        wrong_kinds=(0, True, [], {}),
    ),
    FieldType(
        "number",
        "scalar",
        "number",
        _is_number,
        "number",
        "simple",
        # x - x == 0.0 is false exactly for NaN and the infinities
        inline_test="{v}.__class__ is int or ({v}.__class__ is float and {v} - {v} == 0.0) or {accepts}({v})",
        json_schema=_frozen({"type": "number"}),
        aliases=("decimal",),
        strategy="numbers",
        python_type="float",
        wrong_kinds=("0", True, [], {}),
    ),
    FieldType(
        "integer",
        "scalar",
        "integer",
        _is_integer,
        "number",
        "simple",
        inline_test="{v}.__class__ is int or {accepts}({v})",
        json_schema=_frozen({"type": "integer"}),
        aliases=("int",),
        strategy="integers",
        python_type="int",
        python_coerce="integral",
        python_literal=True,
        python_literal_check="integral",
        wrong_kinds=("0", 0.5, True, [], {}),
    ),
    FieldType(
        "float",
        "scalar",
        "number (float)",
        _is_number,
        "number",
        "simple",
        # the number test, floats first: they are what a float field mostly holds
        inline_test="({v}.__class__ is float and {v} - {v} == 0.0) or {v}.__class__ is int or {accepts}({v})",
        json_schema=_frozen({"type": "number"}),
        aliases=("double",),
        strategy="numbers",
        python_type="float",
        wrong_kinds=("0", True, [], {}),
    ),
    FieldType(
        "boolean",
        "scalar",
        "boolean",
        _is_boolean,
        "boolean",
        "simple",
        inline_test="{v} is True or {v} is False",
        json_schema=_frozen({"type": "boolean"}),
        aliases=("bool",),
        strategy="booleans",
        python_type="bool",
        python_literal=True,
        python_literal_check="boolean",
        wrong_kinds=(0, "true", [], {}),
    ),
    FieldType(
        "object",
        "container",
        "object",
        _is_object,
        "object",
        "object",
        json_schema=_frozen({"type": "object"}),
        aliases=("json", "dict", "map"),
        python_type="dict[str, Any]",
        wrong_kinds=("", 0, [], True),
    ),
    FieldType(
        "array",
        "container",
        "array",
        _is_array,
        "array",
        "array",
        json_schema=_frozen({"type": "array"}),
        aliases=("list",),
        python_type="list[Any]",
        wrong_kinds=("", 0, {}, True),
    ),
    FieldType(
        "date",
        "scalar",
        "a date string (YYYY-MM-DD)",
        _is_date,
        "temporal",
        "date",
        json_schema=_frozen({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
        strategy="dates",
        python_type="datetime.date",
        python_coerce="date",
        wrong_kinds=(20240105, True, [], {}),
    ),
    FieldType(
        "datetime",
        "scalar",
        "an RFC 3339 date-time string",
        _is_datetime,
        "temporal",
        "datetime",
        # not format "date-time": that requires an offset, and a naive date-time is only a warning here
        json_schema=_frozen({"type": "string", "pattern": DATETIME_PATTERN}),
        aliases=("timestamp", "time"),
        strategy="datetimes",
        python_type="datetime.datetime",
        python_coerce="datetime",
        wrong_kinds=(0, True, [], {}),
    ),
    _file("text", ()),
    _file("image", ("photo", "picture")),
    _file("audio", ("sound",)),
    _file("video", ("movie",)),
    _file("pdf", ("document",)),
    _file("excel", ("xlsx", "spreadsheet", "csv")),
)

FIELD_TYPES: Mapping[str, FieldType] = MappingProxyType({t.name: t for t in _ENTRIES})
"""Every bucket field type by name, in the contract's order (metadata types, then file types)."""

ALL_TYPES: tuple[str, ...] = tuple(FIELD_TYPES)
METADATA_TYPES: tuple[str, ...] = tuple(t.name for t in _ENTRIES if not t.is_file)
FILE_TYPES: tuple[str, ...] = tuple(t.name for t in _ENTRIES if t.is_file)
SCALAR_TYPES: frozenset[str] = frozenset(t.name for t in _ENTRIES if t.is_scalar)

TYPE_ALIASES: Mapping[str, str] = MappingProxyType({alias: t.name for t in _ENTRIES for alias in t.aliases})
"""A name a user wrote for a type -> the type it most likely means."""


def field_type(name: str) -> FieldType:
    """The entry of a (lower-case) type name; KeyError for a name that is not a type."""
    return FIELD_TYPES[name]
