"""``map_object``: the per-object half of a resolution, compiled once into closures.

Resolution decides everything that does not depend on an object (which
paths, which names, which defaults); :func:`compile_mapper` turns that plan
into a single function so mapping an object is dictionary reads and appends.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from schemakit._contract.sentinels import ABSENT, NO_DEFAULT
from schemakit._issues import Issue, MappingError, Path, describe
from schemakit.mappings._paths import SourcePath, compile_getter, constant

Mapper = Callable[[Any], dict[str, dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class InputPlan:
    """One extractor input: read from ``path``, or the ``literal`` when ``path`` is None."""

    name: str
    path: SourcePath | None
    where: Path
    source: str | None
    literal: Any = None


@dataclass(frozen=True, slots=True)
class FieldPlan:
    """One output field: read from ``path`` (None when only its default can fill it)."""

    name: str
    path: SourcePath | None
    where: Path
    source: str
    required: bool
    default: Any  # NO_DEFAULT when the entry has none


def _absent(_obj: Any) -> Any:
    return ABSENT


def compile_mapper(inputs: list[InputPlan], fields: list[FieldPlan]) -> Mapper:
    # getters are built here, not during resolution, so resolving a large pipeline
    # allocates no closures for collections whose objects are never mapped
    input_steps = tuple(
        (p.name, compile_getter(p.path) if p.path is not None else constant(p.literal), p.where, p.source)
        for p in inputs
    )
    field_steps = tuple(
        (p.name, compile_getter(p.path) if p.path is not None else _absent, p.where, p.source, p.required, p.default)
        for p in fields
    )

    def map_object(obj: Any) -> dict[str, dict[str, Any]]:
        if not isinstance(obj, Mapping):
            raise MappingError(
                [Issue("invalid_source_object", (), f"a source object must be an object, found {describe(obj)}")]
            )
        missing: list[Issue] = []
        out_inputs: dict[str, Any] = {}
        for name, get, where, source in input_steps:
            value = get(obj)
            if value is ABSENT:
                missing.append(_missing(where, source, f"input {name!r}"))
            else:
                out_inputs[name] = value
        out_fields: dict[str, Any] = {}
        for name, get, where, source, required, default in field_steps:
            value = get(obj)
            if value is ABSENT:
                if default is not NO_DEFAULT:
                    value = copy.deepcopy(default) if isinstance(default, (dict, list)) else default
                elif required:
                    missing.append(_missing(where, source, f"required passthrough field {name!r}"))
                    continue
                else:
                    continue
            out_fields[name] = value
        if missing:
            raise MappingError(missing)
        return {"inputs": out_inputs, "fields": out_fields}

    return map_object


def _missing(where: Path, source: str | None, what: str) -> Issue:
    return Issue(
        "missing_source_value",
        where,
        f"the source object has no value at '{source}' for {what}",
        hint="a present 0, false or empty string is a value; a missing field or null is not",
    )
