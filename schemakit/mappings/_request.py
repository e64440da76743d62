"""Reading a ``CreateCollectionRequest`` into a normalized spec, reporting shape problems.

Anything the resolver cannot even read (a request that is not an object, a
source without ids, a passthrough entry without ``source_path``) is reported
here as ``invalid_collection_request`` at its path; the entries that are
readable are kept, so the resolver can still check them in the same pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from schemakit._contract.sentinels import NO_DEFAULT, NOT_GIVEN
from schemakit._contract.types import FIELD_TYPES
from schemakit._issues import Issue, Path, describe
from schemakit.mappings._paths import closest, closest_hint

INVALID = "invalid_collection_request"
COLLECTION_NAME = re.compile(r"[A-Za-z0-9_-]{3,100}")
SOURCE_TYPES = ("bucket", "collection")
INPUT_SOURCE_TYPES = ("payload", "literal", "vector")
FE: Path = ("feature_extractor",)

Kind = Literal["payload", "literal", "vector"]

# The contract's keys for each object the reader walks; anything else is most
# likely a typo that would otherwise be ignored silently (``input_mapping``).
REQUEST_KEYS = (
    "collection_name",
    "description",
    "source",
    "input_schema",
    "feature_extractor",
    "enabled",
    "metadata",
    "taxonomy_applications",
    "cluster_applications",
    "alert_applications",
)
SOURCE_KEYS = (
    "type",
    "bucket_ids",
    "bucket_id",
    "collection_id",
    "collection_ids",
    "inherited_bucket_ids",
    "source_filters",
)
EXTRACTOR_KEYS = (
    "feature_extractor_name",
    "version",
    "params",
    "parameters",
    "input_mappings",
    "field_passthrough",
    "include_all_source_fields",
)
PASSTHROUGH_KEYS = ("source_path", "target_path", "default", "required", "description")
INPUT_MAPPING_KEYS = ("input_key", "source_type", "path", "override")


@dataclass(frozen=True, slots=True)
class InputSpec:
    """One input mapping; ``where`` locates the entry, ``path_where`` its source path."""

    name: str
    kind: Kind
    path: str | None
    override: Any
    where: Path
    path_where: Path


@dataclass(frozen=True, slots=True)
class PassthroughSpec:
    index: int
    source_path: str
    target_path: str | None
    default: Any
    required: bool
    output_name: str
    """``target_path``, else the last segment of ``source_path`` (nested fields are flattened)."""

    @property
    def where(self) -> Path:
        return (*FE, "field_passthrough", self.index)

    @property
    def name_where(self) -> Path:
        return (*self.where, "target_path" if self.target_path is not None else "source_path")


@dataclass(slots=True)
class SourceSpec:
    type: str | None = None
    ids: list[tuple[str, Path]] = field(default_factory=list)
    filters: Any = None


@dataclass(slots=True)
class RequestSpec:
    name: str | None = None
    source: SourceSpec = field(default_factory=SourceSpec)
    input_schema: Any = NOT_GIVEN
    """The raw ``input_schema``; NOT_GIVEN when the request leaves it out (a null one reads as left out)."""
    extractor_name: str | None = None
    version: str | None = None
    inputs: list[InputSpec] = field(default_factory=list)
    inputs_present: bool = False
    passthrough: list[PassthroughSpec] = field(default_factory=list)
    include_all: bool = False


class RequestReader:
    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def bad(self, path: Path, message: str, hint: str | None = None) -> None:
        self.issues.append(Issue(INVALID, path, message, hint))

    def flag(self, raw: Mapping[str, Any], key: str, where: Path) -> bool:
        """An optional boolean: absent or null is false; anything else not a bool is reported and taken as false."""
        value = raw.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.bad((*where, key), f"'{key}' must be true or false, found {describe(value)}")
            return False
        return value

    def read(self, raw: Any) -> RequestSpec:
        spec = RequestSpec()
        if hasattr(raw, "model_dump"):
            raw = raw.model_dump(mode="python", exclude_unset=True)
        if not isinstance(raw, Mapping):
            self.bad((), f"a CreateCollectionRequest must be an object, found {describe(raw)}")
            return spec
        self.unknown_keys(raw, (), REQUEST_KEYS)
        spec.name = self.read_name(raw)
        if self.require(raw, "source", ()):
            self.read_source(raw["source"], spec.source)
        if raw.get("input_schema") is not None:
            spec.input_schema = raw["input_schema"]
        if self.require(raw, "feature_extractor", ()):
            self.read_extractor(raw["feature_extractor"], spec)
        return spec

    def unknown_keys(self, raw: Mapping[Any, Any], path: Path, known: tuple[str, ...]) -> None:
        for key in raw:
            if key not in known:
                name = str(key)
                self.issues.append(
                    Issue(
                        "unknown_key",
                        (*path, name),
                        f"{name!r} is not a key of this object; it is ignored",
                        hint=closest_hint(name, known) or "keys: " + ", ".join(known),
                        severity="warning",
                    )
                )

    def require(self, raw: Mapping[str, Any], key: str, path: Path) -> bool:
        if raw.get(key) is not None:
            return True
        close = closest(key, [k for k in raw if isinstance(k, str)], limit=1)
        hint = f"found {close[0]!r}; did you mean {key!r}?" if close else None
        self.bad((*path, key), f"{key!r} is required", hint)
        return False

    def read_name(self, raw: Mapping[str, Any]) -> str | None:
        if not self.require(raw, "collection_name", ()):
            return None
        name = raw["collection_name"]
        if not isinstance(name, str) or not COLLECTION_NAME.fullmatch(name):
            found = describe(name)
            if isinstance(name, str):
                found = f"{len(name)} character{'' if len(name) == 1 else 's'}: {name!r}"
            self.bad(
                ("collection_name",),
                f"a collection name must be 3 to 100 letters, digits, '_' or '-'; found {found}",
                hint="for example 'video_frames'",
            )
            return None
        return name

    def read_source(self, raw: Any, out: SourceSpec) -> None:
        path: Path = ("source",)
        if not isinstance(raw, Mapping):
            self.bad(path, f"'source' must be an object, found {describe(raw)}")
            return
        self.unknown_keys(raw, path, SOURCE_KEYS)
        stype = raw.get("type")
        if stype not in SOURCE_TYPES:
            hint = "use 'bucket' (objects of buckets) or 'collection' (documents of collections)"
            if stype is None:
                self.bad((*path, "type"), "'source.type' is required", hint)
            else:
                self.bad(
                    (*path, "type"), f"'source.type' must be 'bucket' or 'collection', found {describe(stype)}", hint
                )
        else:
            out.type = stype
        if stype == "bucket":
            self.forbid(raw, path, ("collection_id", "collection_ids"), "bucket")
            out.ids = self.read_bucket_ids(raw, path)
        elif stype == "collection":
            self.forbid(raw, path, ("bucket_ids", "bucket_id"), "collection")
            out.ids = self.read_collection_ids(raw, path)
        filters = raw.get("source_filters")
        if filters is not None:
            if not isinstance(filters, Mapping):
                self.bad((*path, "source_filters"), f"'source_filters' must be an object, found {describe(filters)}")
            else:
                out.filters = filters.get("filters")

    def forbid(self, raw: Mapping[str, Any], path: Path, keys: tuple[str, ...], stype: str) -> None:
        for key in keys:
            if raw.get(key) is not None:
                other = "collection" if stype == "bucket" else "bucket"
                self.bad(
                    (*path, key),
                    f"{key!r} is not allowed when source.type is {stype!r}",
                    hint=f"set source.type to {other!r} or remove {key!r}",
                )

    def read_bucket_ids(self, raw: Mapping[str, Any], path: Path) -> list[tuple[str, Path]]:
        if raw.get("bucket_ids") is not None:
            if raw.get("bucket_id") is not None:
                self.bad((*path, "bucket_id"), "give 'bucket_ids' or the older 'bucket_id', not both")
            return self.read_id_list(raw["bucket_ids"], (*path, "bucket_ids"))
        single = raw.get("bucket_id")
        if single is None:
            self.bad((*path, "bucket_ids"), "'bucket_ids' is required when source.type is 'bucket'")
            return []
        if not isinstance(single, str) or not single:
            self.bad((*path, "bucket_id"), f"'bucket_id' must be a bucket id string, found {describe(single)}")
            return []
        self.issues.append(
            Issue(
                "deprecated_alias",
                (*path, "bucket_id"),
                "'source.bucket_id' is an older spelling; it is read as 'bucket_ids': [it]",
                hint=f'write "bucket_ids": ["{single}"]',
                severity="warning",
            )
        )
        return [(single, (*path, "bucket_id"))]

    def read_collection_ids(self, raw: Mapping[str, Any], path: Path) -> list[tuple[str, Path]]:
        one, many = raw.get("collection_id"), raw.get("collection_ids")
        if one is not None and many is not None:
            self.bad((*path, "collection_ids"), "give 'collection_id' or 'collection_ids', not both")
        if many is not None:
            return self.read_id_list(many, (*path, "collection_ids"))
        if one is None:
            self.bad(
                (*path, "collection_id"),
                "'collection_id' (or 'collection_ids') is required when source.type is 'collection'",
            )
            return []
        if not isinstance(one, str) or not one:
            self.bad((*path, "collection_id"), f"'collection_id' must be a collection id string, found {describe(one)}")
            return []
        return [(one, (*path, "collection_id"))]

    def read_id_list(self, raw: Any, path: Path) -> list[tuple[str, Path]]:
        if not isinstance(raw, list) or not raw:
            self.bad(path, f"expected a non-empty list of ids, found {describe(raw)}")
            return []
        out: list[tuple[str, Path]] = []
        seen: set[str] = set()
        for i, value in enumerate(raw):
            if not isinstance(value, str) or not value:
                self.bad((*path, i), f"an id must be a non-empty string, found {describe(value)}")
            elif value in seen:
                self.bad((*path, i), f"id {value!r} is listed twice")
            else:
                seen.add(value)
                out.append((value, (*path, i)))
        return out

    def read_extractor(self, raw: Any, spec: RequestSpec) -> None:
        if not isinstance(raw, Mapping):
            self.bad(FE, f"'feature_extractor' must be an object, found {describe(raw)}")
            return
        self.unknown_keys(raw, FE, EXTRACTOR_KEYS)
        if self.require(raw, "feature_extractor_name", FE):
            name = raw["feature_extractor_name"]
            if isinstance(name, str) and name:
                spec.extractor_name = name
            else:
                self.bad((*FE, "feature_extractor_name"), f"expected an extractor name, found {describe(name)}")
        version = raw.get("version")
        if isinstance(version, str) and version:
            spec.version = version
        elif version is not None:
            self.bad((*FE, "version"), f"'version' must be a string such as 'v1', found {describe(version)}")
        mappings = raw.get("input_mappings")
        if mappings is not None:
            spec.inputs_present = True
            spec.inputs = self.read_inputs(mappings)
        passthrough = raw.get("field_passthrough")
        if passthrough is not None:
            spec.passthrough = self.read_passthrough(passthrough)
        spec.include_all = self.flag(raw, "include_all_source_fields", FE)

    def read_inputs(self, raw: Any) -> list[InputSpec]:
        path: Path = (*FE, "input_mappings")
        out: list[InputSpec] = []
        if isinstance(raw, Mapping):
            for name, source in raw.items():
                where: Path = (*path, str(name))
                if not isinstance(name, str) or not name:
                    self.bad(where, f"an input name must be a non-empty string, found {describe(name)}")
                elif not isinstance(source, str) or not source:
                    self.bad(
                        where,
                        f"input {name!r} must map to a dotted source path, found {describe(source)}",
                        hint='use the list form {"input_key": ..., "source_type": "literal", "override": ...} '
                        "for a constant",
                    )
                else:
                    out.append(InputSpec(name, "payload", source, None, where, where))
            return out
        if not isinstance(raw, list):
            self.bad(path, f"'input_mappings' must be an object or a list of InputMapping, found {describe(raw)}")
            return out
        seen: set[str] = set()
        for i, entry in enumerate(raw):
            spec = self.read_input_entry(entry, (*path, i))
            if spec is None:
                continue
            if spec.name in seen:
                self.bad((*path, i, "input_key"), f"input {spec.name!r} is mapped more than once")
                continue
            seen.add(spec.name)
            out.append(spec)
        return out

    def read_input_entry(self, entry: Any, where: Path) -> InputSpec | None:
        if not isinstance(entry, Mapping):
            self.bad(where, f"an InputMapping must be an object, found {describe(entry)}")
            return None
        self.unknown_keys(entry, where, INPUT_MAPPING_KEYS)
        key = entry.get("input_key")
        if not isinstance(key, str) or not key:
            self.bad((*where, "input_key"), f"'input_key' must be a non-empty string, found {describe(key)}")
            return None
        kind = entry.get("source_type")
        if kind is None:
            kind = "payload"
        if kind not in INPUT_SOURCE_TYPES:
            self.bad(
                (*where, "source_type"),
                f"'source_type' must be one of payload, literal, vector; found {describe(kind)}",
            )
            return None
        path = entry.get("path")
        if kind == "literal":
            if entry.get("override") is None:
                self.bad((*where, "override"), "a 'literal' mapping needs a non-null 'override' value")
                return None
            return InputSpec(key, "literal", None, entry["override"], where, where)
        if not isinstance(path, str) or not path:
            self.bad((*where, "path"), f"a {kind!r} mapping needs a dotted source 'path', found {describe(path)}")
            return None
        return InputSpec(key, "vector" if kind == "vector" else "payload", path, None, where, (*where, "path"))

    def read_passthrough(self, raw: Any) -> list[PassthroughSpec]:
        path: Path = (*FE, "field_passthrough")
        if not isinstance(raw, list):
            self.bad(path, f"'field_passthrough' must be a list of FieldPassthrough, found {describe(raw)}")
            return []
        out: list[PassthroughSpec] = []
        for i, entry in enumerate(raw):
            where: Path = (*path, i)
            if not isinstance(entry, Mapping):
                self.bad(where, f"a FieldPassthrough must be an object, found {describe(entry)}")
                continue
            self.unknown_keys(entry, where, PASSTHROUGH_KEYS)
            source = entry.get("source_path")
            if not isinstance(source, str) or not source:
                self.bad((*where, "source_path"), f"'source_path' must be a dotted path, found {describe(source)}")
                continue
            target = entry.get("target_path")
            if target is not None and not isinstance(target, str):
                self.bad((*where, "target_path"), f"'target_path' must be a string, found {describe(target)}")
                continue
            required = self.flag(entry, "required", where)
            default = entry.get("default")
            if default is None:
                default = NO_DEFAULT
            elif default_type(default) is None:
                self.bad((*where, "default"), f"'default' must be a JSON value, found {describe(default)}")
                default = NO_DEFAULT
            name = target if target is not None else source.rsplit(".", 1)[-1]
            out.append(PassthroughSpec(i, source, target, default, required, name))
        return out


# The Python kinds a parsed default arrives as (JSON, and YAML, which reads unquoted dates as
# date objects) and the field type each gives its output field, most specific class first
# (a bool is an int, a datetime is a date). The type table's value rules cannot choose here:
# 5.0 is a valid integer, number and float alike, and the output keeps the default's own kind.
_DEFAULT_KINDS: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "float"),
    (str, "string"),
    (list, "array"),
    (Mapping, "object"),
    (datetime, "datetime"),
    (date, "date"),
)
assert all(name in FIELD_TYPES for _, name in _DEFAULT_KINDS)


def default_type(value: Any) -> str | None:
    """The field type a passthrough default gives its output field; None for a value no JSON document holds."""
    return next((name for kind, name in _DEFAULT_KINDS if isinstance(value, kind)), None)
