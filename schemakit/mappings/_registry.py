"""Feature extractor definitions: what each extractor takes in and what its documents carry out.

Definitions are data in the ``FeatureExtractorResponseModel`` shape, so the
built-in catalog (``schemakit/data/extractors.json``) and a user's custom
extractors are read by the same code. An input's accepted field types come
from its definition: ``type`` plus any ``accepts``, else the extractor's
``supported_input_types``; nothing is inferred from a general rule.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from schemakit._contract.bucket import SchemaDef, read_bucket_schema
from schemakit._contract.types import FIELD_TYPES
from schemakit._issues import Issue, SchemaDefinitionError, describe, int_digits
from schemakit._issues import Path as IssuePath
from schemakit._resources import data_path

BUILTIN_CATALOG = "extractors.json"
# A definition is a few levels of objects; an output schema's fields nest at most
# the bucket reader's limit, two JSON levels each, so this leaves room to spare
MAX_DEFINITION_DEPTH = 200


@dataclass(frozen=True, slots=True)
class ExtractorInput:
    """One named input of an extractor and the source field types it accepts."""

    name: str
    accepts: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class ExtractorDefinition:
    """A checked extractor definition; ``raw`` is the definition dict it was read from."""

    name: str
    version: str
    inputs: Mapping[str, ExtractorInput]
    outputs: SchemaDef
    position_fields: tuple[str, ...]
    raw: Mapping[str, Any]
    required_inputs: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.name, self.version)

    @property
    def needs_any_input(self) -> bool:
        """No input is required on its own, so at least one of them must be mapped."""
        return bool(self.inputs) and not self.required_inputs

    def to_dict(self) -> dict[str, Any]:
        """A copy of the definition (plain JSON data: :func:`read_definition` kept nothing else)."""
        copied, _ = json_copy(self.raw)
        return copied  # type: ignore[no-any-return]


def read_definition(raw: Any) -> tuple[ExtractorDefinition | None, list[Issue]]:
    """Check one ``FeatureExtractorResponseModel`` dict; never raises."""
    issues: list[Issue] = []
    if hasattr(raw, "model_dump"):
        raw = raw.model_dump(mode="json", exclude_unset=True)
    if not isinstance(raw, Mapping):
        return None, [Issue("invalid_extractor_definition", (), f"expected an object, found {describe(raw)}")]
    # read from a plain JSON copy: what the registry keeps, and returns from to_dict, is JSON data
    raw, problem = json_copy(raw)
    if problem is not None:
        return None, [Issue("invalid_extractor_definition", *problem)]

    def bad(path: tuple[str | int, ...], message: str, hint: str | None = None) -> None:
        issues.append(Issue("invalid_extractor_definition", path, message, hint))

    name = raw.get("feature_extractor_name")
    if not isinstance(name, str) or not name:
        bad(("feature_extractor_name",), f"'feature_extractor_name' must be a non-empty string, found {describe(name)}")
    version = raw.get("version")
    if not isinstance(version, str) or not version:
        bad(("version",), f"'version' must be a non-empty string such as 'v1', found {describe(version)}")

    fallback = _read_types(raw.get("supported_input_types"), ("supported_input_types",), bad)
    inputs: dict[str, ExtractorInput] = {}
    in_schema = raw.get("input_schema")
    props = in_schema.get("properties") if isinstance(in_schema, Mapping) else None
    if not isinstance(props, Mapping):
        bad(
            ("input_schema",),
            f"'input_schema' must be an object with 'properties', found {describe(in_schema)}",
            hint='write {"properties": {"text": {"type": "text", "required": true}}}',
        )
    else:
        for iname, spec in props.items():
            ipath: tuple[str | int, ...] = ("input_schema", "properties", iname)
            if not isinstance(iname, str) or not isinstance(spec, Mapping):
                bad(ipath, f"an input must be a named object, found {describe(spec)}")
                continue
            accepts: list[str] = []
            itype = spec.get("type")
            if itype is not None:
                accepts.extend(_read_types([itype], (*ipath, "type"), bad))
            accepts.extend(t for t in _read_types(spec.get("accepts"), (*ipath, "accepts"), bad) if t not in accepts)
            if not accepts:
                accepts = list(fallback)
            if not accepts:
                bad(ipath, f"input {iname!r} names no type and the extractor has no 'supported_input_types'")
            required = spec.get("required", False)
            if not isinstance(required, bool):
                bad((*ipath, "required"), f"'required' must be true or false, found {describe(required)}")
                required = False
            inputs[iname] = ExtractorInput(iname, tuple(accepts), required)

    outputs, out_issues = read_bucket_schema(raw.get("output_schema"))
    issues.extend(i.prefixed("output_schema") for i in out_issues if i.is_error)
    position = raw.get("position_fields") or []
    if not isinstance(position, list) or not all(isinstance(p, str) for p in position):
        bad(("position_fields",), f"'position_fields' must be a list of output field names, found {describe(position)}")
        position = []
    elif outputs is not None:
        for i, pname in enumerate(position):
            if pname not in outputs.fields:
                bad(("position_fields", i), f"position field {pname!r} is not an output of the extractor")

    if issues or outputs is None or not isinstance(name, str) or not isinstance(version, str):
        return None, issues
    required = tuple(n for n, spec in inputs.items() if spec.required)
    return ExtractorDefinition(name, version, inputs, outputs, tuple(position), raw, required), issues


def json_copy(raw: Any) -> tuple[Any, tuple[IssuePath, str] | None]:
    """A copy of ``raw`` as plain JSON data, or where and why it holds something no JSON document does.

    Iterative, so nesting costs no stack: a definition nested deeper than
    :data:`MAX_DEFINITION_DEPTH` levels is refused, as is a key that is not a
    string, an integer past the interpreter's digit limit (no JSON text
    could be written for it) or a value of any other kind. Mapping and list
    subclasses, and str, int and float subclasses, are copied as the plain
    kinds, so nothing of a caller's own classes runs afterwards.
    """
    digits = sys.get_int_max_str_digits()
    root: list[Any] = [None]
    work: list[tuple[Any, Any, Any, IssuePath]] = [(raw, root, 0, ())]
    while work:
        value, parent, slot, path = work.pop()
        if len(path) > MAX_DEFINITION_DEPTH:
            return None, (path, f"the definition nests deeper than {MAX_DEFINITION_DEPTH} levels here")
        if value is None or isinstance(value, bool):
            parent[slot] = value
        elif isinstance(value, int):
            if digits and int_digits(value) > digits:
                return None, (path, f"{describe(value)} cannot be written as JSON")
            parent[slot] = int.__int__(value)
        elif isinstance(value, float):
            parent[slot] = float.__float__(value)
        elif isinstance(value, str):
            parent[slot] = str.__str__(value)
        elif isinstance(value, Mapping):
            copied: dict[str, Any] = {}
            parent[slot] = copied
            for key, item in value.items():
                if not isinstance(key, str):
                    return None, (path, f"a key must be a string, found {describe(key)}")
                key = str.__str__(key)
                copied[key] = None  # keeps the key order: items are filled in later, in reverse
                work.append((item, copied, key, (*path, key)))
        elif isinstance(value, (list, tuple)):
            items: list[Any] = [None] * len(value)
            parent[slot] = items
            work.extend((item, items, i, (*path, i)) for i, item in enumerate(value))
        else:
            return None, (path, f"expected JSON data, found {describe(value)}")
    return root[0], None


def _read_types(raw: Any, path: tuple[str | int, ...], bad: Any) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        bad(path, f"expected a list of field types, found {describe(raw)}")
        return []
    out: list[str] = []
    for value in raw:
        t = value.strip().lower() if isinstance(value, str) else None
        if t is None or t not in FIELD_TYPES:
            bad(path, f"{describe(value)} is not a field type", hint="field types: " + ", ".join(FIELD_TYPES))
        elif t not in out:
            out.append(t)
    return out


class ExtractorRegistry:
    """The extractors a resolver knows, by name and version; immutable, extended by copying."""

    __slots__ = ("_by_key", "_by_name")

    def __init__(self, definitions: Iterable[ExtractorDefinition] = ()) -> None:
        by_key: dict[tuple[str, str], ExtractorDefinition] = {}
        for definition in definitions:
            by_key[definition.key] = definition
        self._by_key = by_key
        by_name: dict[str, list[str]] = {}
        for name, version in by_key:
            by_name.setdefault(name, []).append(version)
        self._by_name = by_name

    @classmethod
    def builtin(cls) -> ExtractorRegistry:
        """The built-in catalog shipped as ``schemakit/data/extractors.json``."""
        return _builtin()

    def with_definitions(self, definitions: Any) -> ExtractorRegistry:
        """A new registry adding (or replacing, by name and version) the given definitions.

        ``definitions`` is one definition dict, a list of them, or a ``str`` /
        ``pathlib.Path`` to a JSON file holding either. Raises
        :class:`schemakit.SchemaDefinitionError` listing every problem (a file
        that cannot be read or parsed included); the registry itself is unchanged.
        """
        raw, issues = _load_definitions(definitions)
        items = raw if isinstance(raw, list) else [raw]
        read: list[ExtractorDefinition] = []
        for index, item in enumerate(items):
            definition, found = read_definition(item)
            prefix: tuple[int, ...] = (index,) if isinstance(raw, list) else ()
            issues.extend(i.prefixed(*prefix) for i in found)
            if definition is not None:
                read.append(definition)
        if issues:
            raise SchemaDefinitionError(issues)
        return ExtractorRegistry([*self._by_key.values(), *read])

    def get(self, name: str, version: str) -> ExtractorDefinition | None:
        return self._by_key.get((name, version))

    def names(self) -> list[str]:
        return list(self._by_name)

    def versions(self, name: str) -> list[str]:
        return list(self._by_name.get(name, ()))

    def definition(self, name: str, version: str) -> dict[str, Any] | None:
        """The definition as a ``FeatureExtractorResponseModel`` dict (a copy)."""
        found = self._by_key.get((name, version))
        return None if found is None else found.to_dict()

    def __iter__(self) -> Iterator[ExtractorDefinition]:
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            return key in self._by_name
        return key in self._by_key

    def __repr__(self) -> str:
        return f"ExtractorRegistry({', '.join(f'{n}@{v}' for n, v in self._by_key)})"


def _load_definitions(definitions: Any) -> tuple[Any, list[Issue]]:
    if isinstance(definitions, (str, Path)):
        try:
            text = Path(definitions).read_text(encoding="utf-8")
        except (OSError, ValueError) as exc:
            # ValueError: a path the system cannot name (a NUL byte, a lone surrogate) or bytes that are not UTF-8
            return [], [Issue("invalid_extractor_definition", (), f"cannot read {str(definitions)!r}: {exc}")]
        try:
            return json.loads(text), []
        except ValueError as exc:
            # a JSONDecodeError, or a number past the interpreter's digit limit, which the parser refuses
            return [], [Issue("invalid_extractor_definition", (), f"{str(definitions)!r} is not valid JSON: {exc}")]
        except RecursionError:
            return [], [Issue("invalid_extractor_definition", (), f"{str(definitions)!r} nests too deeply to be read")]
    if isinstance(definitions, (Mapping, list)) or hasattr(definitions, "model_dump"):
        return definitions, []
    return [], [
        Issue(
            "invalid_extractor_definition",
            (),
            f"expected a definition object, a list of them or a path to a JSON file, found {describe(definitions)}",
        )
    ]


@lru_cache(maxsize=1)
def _builtin() -> ExtractorRegistry:
    raw = json.loads(data_path(BUILTIN_CATALOG).read_text(encoding="utf-8"))
    definitions: list[ExtractorDefinition] = []
    for item in raw:
        definition, issues = read_definition(item)
        if definition is None:
            # the catalog ships with the package; a broken one is a packaging bug, not user input
            raise SchemaDefinitionError(issues, "the built-in extractor catalog is invalid")
        definitions.append(definition)
    return ExtractorRegistry(definitions)
