"""Functions generated modules carry as source, and the code generator runs as is.

Each function here is copied into the modules that need it with
:func:`inspect.getsource`, so the generator's own conversions (of defaults) and
the generated modules' (of loaded data) are one definition. They use only the
standard library, and only the module-level names listed in
:data:`schemakit.codegen._model.MODULE_NAMES` (which no field may shadow).
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
import types
from typing import Annotated, Any, Literal, TypeVar, Union, cast, get_args, get_origin, get_type_hints

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.([0-9]+))?([Zz]|[+-][0-9]{2}:[0-9]{2})?"
)


def _integral(value: object) -> object:
    """An integral float as its int: an integer field holds 3.0 too, but never a boolean."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool):
        raise ValueError(f"expected an integer, found {value!r}")
    return value


def _boolean(value: object) -> object:
    """``true`` and ``false`` only: an integer is no boolean."""
    if not isinstance(value, bool) and isinstance(value, (int, float)):
        raise ValueError(f"expected a boolean, found {value!r}")
    return value


def _date(value: object) -> object:
    """A ``YYYY-MM-DD`` string as a ``datetime.date``; any other value as is, for the type check to judge."""
    if isinstance(value, str):
        if _DATE.fullmatch(value) is None:
            raise ValueError(f"expected a date string (YYYY-MM-DD), found {value!r}")
        return datetime.date.fromisoformat(value)
    return value


def _datetime(value: object) -> object:
    """An RFC 3339 date-time string as a ``datetime.datetime`` (naive without an offset)."""
    if isinstance(value, str):
        found = _DATETIME.fullmatch(value)
        if found is None:
            raise ValueError(f"expected an RFC 3339 date-time string, found {value!r}")
        day, clock, digits, offset = found.groups()
        # datetime keeps microseconds: the first six digits of the fraction
        fraction = "." + (digits or "")[:6].ljust(6, "0")
        zone = "+00:00" if offset in ("Z", "z") else offset or ""
        return datetime.datetime.fromisoformat(f"{day}T{clock}{fraction}{zone}")
    return value


def _casefold(value: object) -> object:
    """A blob type in any letter case, as the lower-case name its Literal lists."""
    return value.lower() if isinstance(value, str) else value


_T = TypeVar("_T")

# The check of each plain annotation the models use; bool is not an int here, as in JSON.
_PLAIN: dict[Any, Any] = {
    bool: lambda v: v is True or v is False,
    int: lambda v: type(v) is int,
    float: lambda v: type(v) is int or (type(v) is float and math.isfinite(v)),
    str: lambda v: isinstance(v, str),
    datetime.datetime: lambda v: isinstance(v, datetime.datetime),
    datetime.date: lambda v: isinstance(v, datetime.date) and not isinstance(v, datetime.datetime),
}


def load(cls: type[_T], data: object) -> _T:
    """``cls`` built from decoded JSON ``data``, every value's type checked.

    Raises TypeError or ValueError naming the first path (``$.metadata.price``)
    whose value does not fit; keys the classes do not declare are left out.
    """
    return cast(_T, _load(cls, data, "$"))


def _load(tp: Any, value: object, where: str) -> Any:
    origin = get_origin(tp)
    if origin is Annotated:
        base, *conversions = get_args(tp)
        for convert in conversions:
            try:
                value = convert(value)
            except ValueError as exc:
                raise ValueError(f"{where}: {exc}") from None
        return _load(base, value, where)
    if tp is Any:
        return value
    if origin is Union or origin is types.UnionType:
        problems: list[str] = []
        for option in get_args(tp):
            try:
                return _load(option, value, where)
            except (TypeError, ValueError) as exc:
                problems.append(str(exc))
        raise TypeError(" or ".join(problems))
    if tp is type(None):
        if value is None:
            return None
        raise TypeError(f"{where}: expected null, found {type(value).__name__}")
    if origin is Literal:
        for option in get_args(tp):
            if type(value) is type(option) and value == option:
                return value
        raise ValueError(f"{where}: expected one of {list(get_args(tp))!r}, found {value!r}")
    if origin is list:
        if not isinstance(value, list):
            raise TypeError(f"{where}: expected an array, found {type(value).__name__}")
        (item,) = get_args(tp)
        return [_load(item, v, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise TypeError(f"{where}: expected an object, found {type(value).__name__}")
        return dict(value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _load_dataclass(tp, value, where)
    check = _PLAIN.get(tp)
    if check is None:
        raise TypeError(f"{where}: cannot load a value of type {tp!r}")
    if not check(value):
        raise TypeError(f"{where}: expected {tp.__name__}, found {type(value).__name__}")
    return value


def _load_dataclass(tp: type[Any], value: object, where: str) -> Any:
    if not isinstance(value, dict):
        raise TypeError(f"{where}: expected an object, found {type(value).__name__}")
    hints = get_type_hints(tp, include_extras=True)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(tp):
        key = f.metadata.get("key", f.name)
        if key in value:
            kwargs[f.name] = _load(hints[f.name], value[key], f"{where}.{key}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ValueError(f"{where}: required key {key!r} is missing")
    return tp(**kwargs)
