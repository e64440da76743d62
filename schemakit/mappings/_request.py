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

from schemakit._contract.keywords import unknown_keys
from schemakit._contract.sentinels import NO_DEFAULT, NOT_GIVEN
from schemakit._contract.types import FIELD_TYPES
from schemakit._contract.values import plain_text
from schemakit._issues import Issue, Path, describe
from schemakit.mappings._paths import closest

INVALID = "invalid_collection_request"
COLLECTION_NAME = re.compile(r"[A-Za-z0-9_-]{3,100}")
SOURCE_TYPES = ("bucket", "collection")
INPUT_SOURCE_TYPES = ("payload", "literal", "vector")
FE: Path = ("feature_extractor",)

Kind = Literal["payload", "literal", "vector"]


@dataclass(frozen=True, slots=True)
class Prop:
    """One property of a contract object, typed as the OpenAPI document (0.81) types it.

    ``kinds`` are the Python kinds a value may arrive as and ``wording`` names
    them in the message (``'enabled' must be true or false, found string 'yes'``);
    ``nullable`` is the document's ``anyOf [..., null]``: a null there reads as
    left out, while a null where the document allows none is reported.
    ``required`` properties are reported missing (null included) by the
    reader's own rule, with its hint, never here. ``kinds`` None: the reader
    checks the value itself with a rule of its own (a collection name's
    pattern, a list of ids, a filter), so nothing is checked here.
    ``passive``: the resolver keeps the value as it is (nothing downstream
    reads it), so its type is checked after the object's other keys.
    """

    kinds: tuple[type, ...] | None
    wording: str = ""
    nullable: bool = True
    required: bool = False
    nonempty: bool = False
    items: type | None = None
    """For a list: the kind each item must be (``inherited_bucket_ids`` is a list of strings)."""
    passive: bool = False


OBJECT = (Mapping,)
LIST = (list,)
STRING = (str,)
BOOLEAN = (bool,)

# Each object the reader walks, its properties in the document's order; the
# keys are also the object's known keys, so anything else is most likely a
# typo that would otherwise be ignored silently (``input_mapping``).
REQUEST: dict[str, Prop] = {
    "collection_name": Prop(None, required=True),
    "description": Prop(STRING, "a string", passive=True),
    "source": Prop(OBJECT, "an object", required=True),
    "input_schema": Prop(None),  # read by the bucket_schema reader
    "feature_extractor": Prop(OBJECT, "an object", required=True),
    "enabled": Prop(BOOLEAN, "true or false", nullable=False, passive=True),
    "metadata": Prop(OBJECT, "an object", passive=True),
    "taxonomy_applications": Prop(LIST, "a list of TaxonomyApplicationConfig", passive=True),
    "cluster_applications": Prop(LIST, "a list of ClusterApplicationConfig", passive=True),
    "alert_applications": Prop(LIST, "a list of AlertApplicationConfig", passive=True),
}
SOURCE: dict[str, Prop] = {
    "type": Prop(None, required=True),
    "bucket_ids": Prop(None),
    "bucket_id": Prop(None),  # the older spelling, not in the document; read as bucket_ids
    "collection_id": Prop(None),
    "collection_ids": Prop(None),
    "inherited_bucket_ids": Prop(LIST, "a list of bucket ids", items=str, passive=True),
    "source_filters": Prop(OBJECT, "an object"),
}
SOURCE_FILTERS: dict[str, Prop] = {"filters": Prop(None)}  # checked by the resolver, then the filter pillar
EXTRACTOR: dict[str, Prop] = {
    "feature_extractor_name": Prop(None, required=True),
    "version": Prop(STRING, "a non-empty string such as 'v1'", required=True, nonempty=True),
    "params": Prop(OBJECT, "an object", passive=True),
    "parameters": Prop(OBJECT, "an object", passive=True),
    "input_mappings": Prop((*OBJECT, *LIST), "an object or a list of InputMapping", nullable=False),
    "field_passthrough": Prop(LIST, "a list of FieldPassthrough", nullable=False),
    "include_all_source_fields": Prop(BOOLEAN, "true or false", nullable=False),
}
PASSTHROUGH: dict[str, Prop] = {
    "source_path": Prop(None, required=True),
    "target_path": Prop(STRING, "a string"),
    "default": Prop(None),  # any JSON value; the reader refuses what no JSON document holds
    "required": Prop(BOOLEAN, "true or false", nullable=False),
    "description": Prop(None),  # not in the document's FieldPassthrough, but in its examples: kept as is
}
INPUT_MAPPING: dict[str, Prop] = {
    "input_key": Prop(None, required=True),
    "source_type": Prop(None),
    "path": Prop(STRING, "a dotted source path"),
    "override": Prop(None),  # any value
}

# the known keys of each object, in the document's order, as the hints list them
REQUEST_KEYS = tuple(REQUEST)
SOURCE_KEYS = tuple(SOURCE)
EXTRACTOR_KEYS = tuple(EXTRACTOR)
PASSTHROUGH_KEYS = tuple(PASSTHROUGH)
INPUT_MAPPING_KEYS = tuple(INPUT_MAPPING)


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
    version_reported: bool = False
    """A ``version`` was given but is not a usable one: the reader said so, the resolver need not."""
    inputs: list[InputSpec] = field(default_factory=list)
    inputs_present: bool = False
    passthrough: list[PassthroughSpec] = field(default_factory=list)
    include_all: bool = False


class RequestReader:
    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def bad(self, path: Path, message: str, hint: str | None = None) -> None:
        self.issues.append(Issue(INVALID, path, message, hint))

    def take(self, raw: Mapping[str, Any], key: str, where: Path, props: Mapping[str, Prop]) -> Any:
        """``raw[key]`` checked against its property; NOT_GIVEN when absent, an allowed null, or reported."""
        prop = props[key]
        if key not in raw:
            return NOT_GIVEN
        value = plain_text(raw[key])
        if value is None and (prop.nullable or prop.required):
            return NOT_GIVEN
        if prop.kinds is None:
            return value
        if not isinstance(value, prop.kinds) or (prop.nonempty and not value):
            self.bad((*where, key), f"{key!r} must be {prop.wording}, found {describe(value)}")
            return NOT_GIVEN
        if prop.items is not None and isinstance(value, list):
            for i, item in enumerate(value):
                if not isinstance(item, prop.items):
                    self.bad((*where, key, i), f"an item of {key!r} must be a string, found {describe(item)}")
        return value

    def flag(self, raw: Mapping[str, Any], key: str, where: Path, props: Mapping[str, Prop]) -> bool:
        """An optional boolean: absent is false; anything else not a bool (null included) is reported, as false."""
        return self.take(raw, key, where, props) is True

    def shape(self, raw: Mapping[Any, Any], where: Path, props: Mapping[str, Prop]) -> None:
        """The keys the object does not define, as warnings (the reader ignores them)."""
        self.issues.extend(unknown_keys(raw, props, where, code="unknown_key", severity="warning"))

    def passive(self, raw: Mapping[str, Any], where: Path, props: Mapping[str, Prop]) -> None:
        """Check the types of the properties nothing downstream reads, after the others."""
        for key, prop in props.items():
            if prop.passive:
                self.take(raw, key, where, props)

    def read(self, raw: Any) -> RequestSpec:
        spec = RequestSpec()
        if hasattr(raw, "model_dump"):
            raw = raw.model_dump(mode="python", exclude_unset=True)
        if not isinstance(raw, Mapping):
            self.bad((), f"a CreateCollectionRequest must be an object, found {describe(raw)}")
            return spec
        self.shape(raw, (), REQUEST)
        spec.name = self.read_name(raw)
        if self.require(raw, "source", ()):
            source = self.take(raw, "source", (), REQUEST)
            if source is not NOT_GIVEN:
                self.read_source(source, spec.source)
        if raw.get("input_schema") is not None:
            spec.input_schema = raw["input_schema"]
        if self.require(raw, "feature_extractor", ()):
            extractor = self.take(raw, "feature_extractor", (), REQUEST)
            if extractor is not NOT_GIVEN:
                self.read_extractor(extractor, spec)
        self.passive(raw, (), REQUEST)
        return spec

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
        name = plain_text(raw["collection_name"])
        if not isinstance(name, str) or not COLLECTION_NAME.fullmatch(name):
            found = describe(name)
            if isinstance(name, str):
                shown = repr(name) if len(name) <= 120 else describe(name).removeprefix("string ")
                found = f"{len(name)} character{'' if len(name) == 1 else 's'}: {shown}"
            self.bad(
                ("collection_name",),
                f"a collection name must be 3 to 100 letters, digits, '_' or '-'; found {found}",
                hint="for example 'video_frames'",
            )
            return None
        return name

    def read_source(self, raw: Mapping[str, Any], out: SourceSpec) -> None:
        path: Path = ("source",)
        self.shape(raw, path, SOURCE)
        stype = plain_text(raw.get("type"))
        if not isinstance(stype, str) or stype not in SOURCE_TYPES:
            hint = "use 'bucket' (objects of buckets) or 'collection' (documents of collections)"
            if stype is None:
                self.bad((*path, "type"), "'source.type' is required", hint)
            else:
                self.bad(
                    (*path, "type"), f"'source.type' must be 'bucket' or 'collection', found {describe(stype)}", hint
                )
        else:
            out.type = stype
        if out.type == "bucket":
            self.forbid(raw, path, ("collection_id", "collection_ids"), "bucket")
            out.ids = self.read_bucket_ids(raw, path)
        elif out.type == "collection":
            self.forbid(raw, path, ("bucket_ids", "bucket_id"), "collection")
            out.ids = self.read_collection_ids(raw, path)
        filters = self.take(raw, "source_filters", path, SOURCE)
        if filters is not NOT_GIVEN:
            self.shape(filters, (*path, "source_filters"), SOURCE_FILTERS)
            out.filters = filters.get("filters")
        self.passive(raw, path, SOURCE)

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
        single = plain_text(raw.get("bucket_id"))
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
        one, many = plain_text(raw.get("collection_id")), raw.get("collection_ids")
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
        for i, item in enumerate(raw):
            value = plain_text(item)
            if not isinstance(value, str) or not value:
                self.bad((*path, i), f"an id must be a non-empty string, found {describe(value)}")
            elif value in seen:
                self.bad((*path, i), f"id {value!r} is listed twice")
            else:
                seen.add(value)
                out.append((value, (*path, i)))
        return out

    def read_extractor(self, raw: Mapping[str, Any], spec: RequestSpec) -> None:
        self.shape(raw, FE, EXTRACTOR)
        if self.require(raw, "feature_extractor_name", FE):
            name = plain_text(raw["feature_extractor_name"])
            if isinstance(name, str) and name:
                spec.extractor_name = name
            else:
                self.bad((*FE, "feature_extractor_name"), f"expected an extractor name, found {describe(name)}")
        version = self.take(raw, "version", FE, EXTRACTOR)
        if version is not NOT_GIVEN:
            spec.version = version
        elif raw.get("version") is not None:
            spec.version_reported = True
        mappings = self.take(raw, "input_mappings", FE, EXTRACTOR)
        if mappings is not NOT_GIVEN:
            spec.inputs_present = True
            spec.inputs = self.read_inputs(mappings)
        passthrough = self.take(raw, "field_passthrough", FE, EXTRACTOR)
        if passthrough is not NOT_GIVEN:
            spec.passthrough = self.read_passthrough(passthrough)
        spec.include_all = self.flag(raw, "include_all_source_fields", FE, EXTRACTOR)
        self.passive(raw, FE, EXTRACTOR)

    def read_inputs(self, raw: Mapping[Any, Any] | list[Any]) -> list[InputSpec]:
        path: Path = (*FE, "input_mappings")
        out: list[InputSpec] = []
        if isinstance(raw, Mapping):
            for key, value in raw.items():
                name, source = plain_text(key), plain_text(value)
                where: Path = (*path, name if isinstance(name, str) else describe(name))
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
        self.shape(entry, where, INPUT_MAPPING)
        key = plain_text(entry.get("input_key"))
        if not isinstance(key, str) or not key:
            self.bad((*where, "input_key"), f"'input_key' must be a non-empty string, found {describe(key)}")
            return None
        kind = plain_text(entry.get("source_type"))
        if kind is None:
            kind = "payload"
        if not isinstance(kind, str) or kind not in INPUT_SOURCE_TYPES:
            self.bad(
                (*where, "source_type"),
                f"'source_type' must be one of payload, literal, vector; found {describe(kind)}",
            )
            return None
        if kind == "literal":
            # a literal reads no path, but the document still types one given alongside it
            self.take(entry, "path", where, INPUT_MAPPING)
            if entry.get("override") is None:
                self.bad((*where, "override"), "a 'literal' mapping needs a non-null 'override' value")
                return None
            return InputSpec(key, "literal", None, entry["override"], where, where)
        path = plain_text(entry.get("path"))
        if not isinstance(path, str) or not path:
            self.bad((*where, "path"), f"a {kind!r} mapping needs a dotted source 'path', found {describe(path)}")
            return None
        return InputSpec(key, "vector" if kind == "vector" else "payload", path, None, where, (*where, "path"))

    def read_passthrough(self, raw: list[Any]) -> list[PassthroughSpec]:
        path: Path = (*FE, "field_passthrough")
        out: list[PassthroughSpec] = []
        for i, entry in enumerate(raw):
            where: Path = (*path, i)
            if not isinstance(entry, Mapping):
                self.bad(where, f"a FieldPassthrough must be an object, found {describe(entry)}")
                continue
            self.shape(entry, where, PASSTHROUGH)
            source = plain_text(entry.get("source_path"))
            if not isinstance(source, str) or not source:
                self.bad((*where, "source_path"), f"'source_path' must be a dotted path, found {describe(source)}")
                continue
            target = self.take(entry, "target_path", where, PASSTHROUGH)
            if target is NOT_GIVEN and entry.get("target_path") is not None:
                continue
            required = self.flag(entry, "required", where, PASSTHROUGH)
            default = entry.get("default")
            if default is None:
                default = NO_DEFAULT
            elif default_type(default) is None:
                self.bad((*where, "default"), f"'default' must be a JSON value, found {describe(default)}")
                default = NO_DEFAULT
            name = target if target is not NOT_GIVEN else source.rsplit(".", 1)[-1]
            out.append(PassthroughSpec(i, source, None if target is NOT_GIVEN else target, default, required, name))
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
