"""Resolving one ``CreateCollectionRequest`` against its sources and extractor.

The resolver never raises on bad input: every problem becomes an
:class:`~schemakit.Issue` whose path points into the request. It works in the
order a reader would check by hand (source, input schema, extractor, input
mappings, passthrough, filters) and keeps going after a problem, skipping only
the checks that need something a previous problem left unknown.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from schemakit._contract import paths
from schemakit._contract.bucket import FieldDef, SchemaDef, read_bucket_schema
from schemakit._contract.results import ResultShape
from schemakit._contract.sentinels import NO_DEFAULT, NOT_GIVEN
from schemakit._issues import Issue, Path, SchemakitError, Suggester, describe, suggestion_hint
from schemakit.mappings._paths import (
    MAX_SUGGESTION_CANDIDATES,
    NEAR_TIE,
    PathSuggester,
    SourcePath,
    closest_hint,
    quote_list,
    resolve_path,
)
from schemakit.mappings._registry import ExtractorDefinition, ExtractorInput, ExtractorRegistry
from schemakit.mappings._request import FE, InputSpec, PassthroughSpec, RequestReader, RequestSpec, default_type
from schemakit.mappings._runtime import FieldPlan, InputPlan, Mapper, compile_mapper

TARGET_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# names every output document already has, so no passthrough may take them
SYSTEM_FIELDS = (
    "document_id",
    "collection_id",
    "object_id",
    "bucket_id",
    "root_bucket_id",
    "source_object_id",
    "created_at",
    "updated_at",
)
# fields every source object or document has besides its schema's, for source_filters
BUCKET_SYSTEM_FIELDS: tuple[str, ...] = (
    "object_id",
    "key_prefix",
    "blobs",
    "blobs.property",
    "blobs.type",
    "created_at",
    "updated_at",
    "status",
)
COLLECTION_SYSTEM_FIELDS: tuple[str, ...] = (
    "document_id",
    "collection_id",
    "root_bucket_id",
    "source_object_id",
    "created_at",
    "updated_at",
)
COLLECTION_SYSTEM_PREFIXES: tuple[str, ...] = ("__",)
MAX_LISTED_DIFFERENCES = 10
# The field types a ``vector`` input mapping may read: the contract checks a vector only for being an array.
VECTOR_SOURCE_TYPES: tuple[str, ...] = ("array",)


def not_found_message(path: str) -> str:
    """The contract's exact wording for a mapped or passed-through path the source does not have."""
    return f"The source field '{path}' does not exist in the source schema."


@dataclass(frozen=True, slots=True)
class Source:
    """What a source id stands for: its schema, or why it has none usable."""

    schema: SchemaDef | None
    problem: str | None = None
    gaps: frozenset[str] = frozenset()
    """Top-level fields the source should have but failed to produce (an upstream with errors)."""


class SourceIndex:
    """Source ids the resolver can look up, read lazily and once each."""

    def __init__(
        self,
        buckets: Mapping[str, Any],
        collections: Mapping[str, Any],
        *,
        bucket_reader: Callable[[str, Any], Source],
        collection_reader: Callable[[str, Any], Source],
    ) -> None:
        self.buckets = buckets
        self.collections = collections
        self._read = {"bucket": bucket_reader, "collection": collection_reader}
        self._cache: dict[tuple[str, str], Source] = {}

    def ids(self, kind: str) -> Mapping[str, Any]:
        return self.buckets if kind == "bucket" else self.collections

    def get(self, kind: str, source_id: str) -> Source | None:
        key = (kind, source_id)
        found = self._cache.get(key)
        if found is not None:
            return found
        table = self.ids(kind)
        if source_id not in table:
            return None
        found = self._read[kind](source_id, table[source_id])
        self._cache[key] = found
        return found


def read_bucket_source(bucket_id: str, raw: Any) -> Source:
    """A bucket given as a ``BucketCreateRequest`` or as its bare ``bucket_schema``."""
    if hasattr(raw, "model_dump"):
        raw = raw.model_dump(mode="python", exclude_unset=True)
    if not isinstance(raw, Mapping):
        return Source(None, f"bucket {bucket_id!r} is not a BucketCreateRequest or bucket_schema object")
    if "properties" not in raw:
        if raw.get("bucket_schema") is None:
            # the contract's rule: without a bucket_schema every mapped field is "not in the source schema"
            return Source(SchemaDef(fields={}))
        raw = raw["bucket_schema"]
    return _source_from_schema(raw, f"bucket {bucket_id!r} has an unusable bucket_schema")


def read_collection_source(collection_id: str, raw: Any) -> Source:
    """An upstream collection: a prior resolution, or a dict with its ``output_schema``."""
    if isinstance(raw, CollectionResolution):
        if raw.ok and raw.output_def is not None:
            return Source(raw.output_def)
        if raw.output_def is not None and raw.output_gaps is not None:
            # check downstream mappings against what the upstream will produce, except its failed fields
            return Source(raw.output_def, gaps=raw.output_gaps)
        return Source(None, f"collection {collection_id!r} did not resolve, so its output schema is unknown")
    if isinstance(raw, Mapping) and "properties" not in raw:
        raw = raw.get("output_schema")
    return _source_from_schema(raw, f"collection {collection_id!r} has no usable output_schema")


def _source_from_schema(raw: Any, unusable: str) -> Source:
    """A source read from a schema dict; ``unusable`` (plus the first error) explains a schema that is not one."""
    schema, issues = read_bucket_schema(raw)
    if schema is None:
        first = next((i for i in issues if i.is_error), None)
        detail = f": {first}" if first else ""
        return Source(None, unusable + detail)
    return Source(schema)


class CollectionResolution(ResultShape):
    """The outcome of resolving one collection: its issues, schemas and compiled object mapper.

    Has the one result shape: ``ok``, ``issues``, ``errors``, ``warnings``,
    ``to_dict()`` and ``bool(resolution)`` (= ``ok``).
    """

    __slots__ = (
        "_field_plans",
        "_input_plans",
        "_mapper",
        "collection_id",
        "collection_name",
        "extractor",
        "input_def",
        "issues",
        "output_def",
        "output_gaps",
        "source_ids",
        "source_type",
    )

    issues: list[Issue]
    """Every problem found, in the order a reader checks by hand; warnings included."""

    def __init__(
        self,
        *,
        issues: list[Issue],
        input_def: SchemaDef | None,
        output_def: SchemaDef | None,
        extractor: ExtractorDefinition | None,
        collection_name: str | None,
        source_type: str | None,
        source_ids: list[str],
        input_plans: list[InputPlan],
        field_plans: list[FieldPlan],
        output_gaps: frozenset[str] | None = frozenset(),
        collection_id: str | None = None,
    ) -> None:
        self.issues = issues
        self.input_def = input_def
        self.output_def = output_def
        self.extractor = extractor
        self.collection_name = collection_name
        self.source_type = source_type
        self.source_ids = source_ids
        self.collection_id = collection_id
        self._input_plans = input_plans
        self._field_plans = field_plans
        self._mapper: Mapper | None = None
        # None: the output schema cannot be trusted at all (extractor or input schema unknown);
        # a set: the output names whose definitions are missing because their passthrough failed
        self.output_gaps = output_gaps

    @property
    def ok(self) -> bool:
        """No error-level issue (warnings such as ``deprecated_alias`` do not count)."""
        return not any(i.is_error for i in self.issues)

    @property
    def input_schema(self) -> dict[str, Any]:
        """The schema input mappings were checked against, ``{"properties": {...}}`` (empty when unknown)."""
        return self.input_def.to_dict() if self.input_def is not None else {"properties": {}}

    @property
    def output_schema(self) -> dict[str, Any]:
        """Passthrough fields then extractor outputs, ``{"properties": {...}}``; best effort when not ok."""
        return self.output_def.to_dict() if self.output_def is not None else {"properties": {}}

    def map_object(self, obj: Any) -> dict[str, dict[str, Any]]:
        """Build ``{"inputs": {...}, "fields": {...}}`` for one source object or document.

        Raises :class:`schemakit.MappingError` (code ``missing_source_value``,
        one issue per mapped input or required passthrough field without a
        value) and :class:`UnresolvedCollectionError` when the resolution is
        not ok, since there is no trustworthy plan to run.
        """
        mapper = self._mapper
        if mapper is None:
            if not self.ok:
                raise UnresolvedCollectionError(self.errors)
            mapper = self._mapper = compile_mapper(self._input_plans, self._field_plans)
        return mapper(obj)

    def _payload(self) -> dict[str, Any]:
        return {
            "collection_id": self.collection_id,
            "collection_name": self.collection_name,
            "input_schema": self.input_schema,
            "output_schema": self.output_schema,
        }

    def __repr__(self) -> str:
        label = self.collection_id or self.collection_name or "collection"
        return f"<CollectionResolution {label} ok={self.ok} issues={len(self.issues)}>"


class UnresolvedCollectionError(SchemakitError):
    """``map_object`` on a resolution that has errors; ``issues`` are those errors.

    A :class:`schemakit.SchemakitError` (so also a ``ValueError``), but not a
    :class:`schemakit.MappingError`: the object is not at fault, the resolution is.
    """

    def __init__(self, issues: Iterable[Issue]) -> None:
        found = list(issues)
        listed = "; ".join(str(i) for i in found[:3])
        more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
        super().__init__(found, f"cannot map objects through a collection that did not resolve: {listed}{more}")


def resolve(
    raw_request: Any,
    sources: SourceIndex,
    registry: ExtractorRegistry,
    *,
    collection_id: str | None = None,
    skip_sources: Mapping[str, Issue] | None = None,
) -> CollectionResolution:
    """Resolve one request; ``skip_sources`` maps source ids to an issue to report instead of looking them up."""
    reader = RequestReader()
    spec = reader.read(raw_request)
    return _Resolver(spec, reader.issues, sources, registry, skip_sources or {}).run(collection_id)


class _Resolver:
    def __init__(
        self,
        spec: RequestSpec,
        issues: list[Issue],
        sources: SourceIndex,
        registry: ExtractorRegistry,
        skip_sources: Mapping[str, Issue],
    ) -> None:
        self.spec = spec
        self.issues = issues
        self.sources = sources
        self.registry = registry
        self.skip_sources = skip_sources
        self.gaps: dict[str, tuple[str, Path]] = {}
        self.gap_hits: dict[str, list[str]] = {}
        self.failed_names: set[str] = set()
        # built on the first miss and kept for the rest: a request with thousands of
        # misspelled paths or ids indexes the candidates once, not once per miss
        self._path_hints: dict[int, tuple[SchemaDef, PathSuggester]] = {}
        self._id_hints: dict[str, tuple[list[str], Suggester]] = {}
        self._typed_fields: dict[tuple[int, tuple[str, ...]], tuple[SchemaDef, list[str]]] = {}

    def suggest_paths(self, schema: SchemaDef, dotted: str) -> list[str]:
        found = self._path_hints.get(id(schema))
        if found is None:
            found = self._path_hints[id(schema)] = (schema, PathSuggester(schema))
        return found[1].suggest(dotted)

    def report(self, code: str, path: Path, message: str, hint: str | None = None) -> None:
        self.issues.append(Issue(code, path, message, hint))

    def run(self, collection_id: str | None) -> CollectionResolution:
        spec = self.spec
        source_schema = self.source_schema()
        schema = self.input_schema(source_schema)
        extractor = self.extractor()
        input_plans = self.input_mappings(schema, extractor)
        fields, field_plans = self.passthrough(schema, extractor)
        if extractor is not None:
            fields.update(extractor.outputs.fields)
        output = SchemaDef(fields=fields)
        self.source_filters(schema)
        self.report_gap_hits()
        gaps: frozenset[str] | None = frozenset(self.failed_names)
        if extractor is None or (schema is None and (spec.include_all or spec.passthrough)):
            gaps = None
        return CollectionResolution(
            issues=self.issues,
            input_def=schema,
            output_def=output,
            extractor=extractor,
            collection_name=spec.name,
            source_type=spec.source.type,
            source_ids=[sid for sid, _ in spec.source.ids],
            input_plans=input_plans,
            field_plans=field_plans,
            output_gaps=gaps,
            collection_id=collection_id,
        )

    # --- source and input schema -------------------------------------------------------------------

    def source_schema(self) -> SchemaDef | None:
        kind = self.spec.source.type
        if kind is None:
            return None
        found: list[tuple[str, Path, SchemaDef]] = []
        for source_id, where in self.spec.source.ids:
            skipped = self.skip_sources.get(source_id)
            if skipped is not None:
                self.issues.append(Issue(skipped.code, where, skipped.message, skipped.hint, skipped.severity))
                continue
            source = self.sources.get(kind, source_id)
            if source is None:
                self.unknown_source(kind, source_id, where)
            elif source.schema is None:
                self.report("unresolved_source", where, source.problem or f"{kind} {source_id!r} has no usable schema")
            else:
                found.append((source_id, where, source.schema))
                for name in source.gaps:
                    self.gaps.setdefault(name, (source_id, where))
        if not found:
            return None
        first_id, _, first = found[0]
        for other_id, where, other in found[1:]:
            differences = schema_differences(first, other, first_id, other_id)
            if differences:
                listed = "; ".join(differences[:MAX_LISTED_DIFFERENCES])
                if len(differences) > MAX_LISTED_DIFFERENCES:
                    listed += f"; and {len(differences) - MAX_LISTED_DIFFERENCES} more"
                self.report(
                    "incompatible_source_schemas",
                    where,
                    f"{kind} {other_id!r} has a schema incompatible with {first_id!r}: {listed}",
                    hint="every source needs the same field names, types and required flags",
                )
        return first

    def unknown_source(self, kind: str, source_id: str, where: Path) -> None:
        other = "collection" if kind == "bucket" else "bucket"
        hint: str | None
        if source_id in self.sources.ids(other):
            key = "collection_id" if other == "collection" else "bucket_ids"
            hint = f"{source_id!r} is a {other}; set source.type to {other!r} and use {key!r}"
        else:
            known, suggester = self.known_ids(kind)
            hint = suggestion_hint(suggester.nearest(source_id, tie=NEAR_TIE))
            if hint is None and known:
                hint = f"known {kind}s: " + ", ".join(known[:10]) + (", ..." if len(known) > 10 else "")
        self.report("unknown_source", where, f"no {kind} with id {source_id!r}", hint)

    def known_ids(self, kind: str) -> tuple[list[str], Suggester]:
        found = self._id_hints.get(kind)
        if found is None:
            # ids come from caller dicts, which Python callers may key with anything
            known = sorted(str.__str__(k) for k in self.sources.ids(kind) if isinstance(k, str))
            found = self._id_hints[kind] = (known, Suggester(itertools.islice(known, MAX_SUGGESTION_CANDIDATES)))
        return found

    def input_schema(self, source: SchemaDef | None) -> SchemaDef | None:
        raw = self.spec.input_schema
        if raw is NOT_GIVEN:
            return source
        given, issues = read_bucket_schema(raw)
        self.issues.extend(i.prefixed("input_schema") for i in issues)
        if given is None:
            return source
        if source is not None:
            self.check_input_schema(given, source)
        return given

    def check_input_schema(self, given: SchemaDef, source: SchemaDef) -> None:
        for segments, f in given.walk():
            where: Path = ("input_schema", "properties")
            for i, seg in enumerate(segments):
                where = (*where, seg) if i == 0 else (*where, "properties", seg)
            dotted = paths.dotted(segments)
            found = resolve_path(source, segments)
            if found is None:
                close = self.suggest_paths(source, dotted)
                self.report(
                    "incompatible_input_schema",
                    where,
                    f"input_schema field '{dotted}' does not exist in the source schema",
                    hint=f"did you mean {quote_list(close)}?" if close else None,
                )
            elif type_signature(found.field) != type_signature(f):
                self.report(
                    "incompatible_input_schema",
                    (*where, "type"),
                    f"input_schema field '{dotted}' is {type_signature(f)} but the source field is "
                    f"{type_signature(found.field)}",
                    hint=f'write "type": "{found.field.type}"',
                )

    # --- extractor ---------------------------------------------------------------------------------

    def extractor(self) -> ExtractorDefinition | None:
        name, version = self.spec.extractor_name, self.spec.version
        if name is None:
            return None
        versions = self.registry.versions(name)
        if not versions:
            hint = closest_hint(name, self.registry.names())
            known = "known extractors: " + ", ".join(self.registry.names())
            self.report(
                "unknown_extractor",
                (*FE, "feature_extractor_name"),
                f"no feature extractor named {name!r}",
                # the known ones make the hint; a close match goes first
                hint=f"{hint} {known}" if hint else known,
            )
            return None
        if version is None:
            if self.spec.version_reported:
                # the reader has reported the unusable version; check the rest against the latest
                return self.registry.get(name, versions[-1])
            self.report(
                "invalid_collection_request",
                (*FE, "version"),
                f"'version' is required; {name!r} has " + ", ".join(versions),
                hint=f'write "version": "{versions[-1]}"',
            )
            version = versions[-1]
        found = self.registry.get(name, version)
        if found is None:
            self.report(
                "unknown_extractor",
                (*FE, "version"),
                f"{name!r} has no version {version!r}",
                # named, as the hint of an unknown name lists the extractors it knows
                hint=f"{name} has versions: " + ", ".join(versions),
            )
        return found

    # --- input mappings ----------------------------------------------------------------------------

    def lookup(self, schema: SchemaDef, dotted: str, where: Path) -> SourcePath | None:
        found = resolve_path(schema, dotted)
        if found is None:
            self.not_found(schema, dotted, where)
        return found

    def not_found(self, schema: SchemaDef, dotted: str, where: Path) -> None:
        top = dotted.split(".", 1)[0]
        if top in self.gaps:
            # the upstream failed to produce this field: report that once, not a missing field here
            self.gap_hits.setdefault(top, []).append(dotted)
            return
        hint: str | None
        if not schema.fields:
            hint = "the source schema has no fields; give the source bucket a bucket_schema"
        else:
            close = self.suggest_paths(schema, dotted)
            hint = f"did you mean {quote_list(close)}?" if close else None
        self.report("source_field_not_found", where, not_found_message(dotted), hint)

    def input_mappings(self, schema: SchemaDef | None, extractor: ExtractorDefinition | None) -> list[InputPlan]:
        plans: list[InputPlan] = []
        mapped: set[str] = set()
        for spec in self.spec.inputs:
            declared = self.declared_input(spec, extractor)
            if declared is not None:
                mapped.add(spec.name)
            if spec.kind == "literal":
                plans.append(InputPlan(spec.name, None, spec.where, None, spec.override))
            elif schema is not None and spec.path is not None:
                found = self.lookup(schema, spec.path, spec.path_where)
                if found is not None:
                    self.check_input_type(spec, found, declared, schema)
                    plans.append(InputPlan(spec.name, found, spec.where, spec.path))
        if extractor is not None:
            self.missing_inputs(extractor, mapped, schema)
        return plans

    def declared_input(self, spec: InputSpec, extractor: ExtractorDefinition | None) -> ExtractorInput | None:
        if extractor is None:
            return None
        declared = extractor.inputs.get(spec.name)
        if declared is None:
            names = list(extractor.inputs)
            self.report(
                "unknown_extractor_input",
                spec.where,
                f"{extractor.name} {extractor.version} has no input {spec.name!r}",
                closest_hint(spec.name, names) or f"inputs of {extractor.name}: " + ", ".join(names),
            )
        return declared

    def check_input_type(
        self, spec: InputSpec, found: SourcePath, declared: ExtractorInput | None, schema: SchemaDef
    ) -> None:
        ftype = found.field.type
        if spec.kind == "vector":
            # the fine print: a vector mapping is checked only for resolving to an array field
            if ftype not in VECTOR_SOURCE_TYPES:
                self.report(
                    "input_type_mismatch",
                    spec.path_where,
                    f"a vector mapping needs an array field; source field '{spec.path}' is {ftype}",
                    hint=self.fields_of_types(schema, VECTOR_SOURCE_TYPES),
                )
        elif declared is not None and ftype not in declared.accepts:
            self.report(
                "input_type_mismatch",
                spec.path_where,
                f"input {spec.name!r} accepts {', '.join(declared.accepts)}; source field '{spec.path}' is {ftype}",
                hint=self.fields_of_types(schema, declared.accepts),
            )

    def missing_inputs(self, extractor: ExtractorDefinition, mapped: set[str], schema: SchemaDef | None) -> None:
        where: Path = (*FE, "input_mappings")
        label = f"{extractor.name} {extractor.version}"
        for name in extractor.required_inputs:
            if name not in mapped:
                accepts = extractor.inputs[name].accepts
                self.report(
                    "missing_extractor_input",
                    where,
                    f"{label} requires input {name!r} ({', '.join(accepts)}), which is not mapped",
                    hint=self.fields_of_types(schema, accepts, prefix=f"map {name!r} to "),
                )
        if extractor.needs_any_input and not mapped:
            names = list(extractor.inputs)
            self.report(
                "missing_extractor_input",
                where,
                f"{label} needs at least one of its inputs mapped ({', '.join(names)}); none is",
            )

    def fields_of_types(self, schema: SchemaDef | None, types: Iterable[str], *, prefix: str = "") -> str | None:
        """A hint naming up to three source fields of an accepted type, if the schema has any."""
        if schema is None:
            return None
        wanted = tuple(types)
        key = (id(schema), wanted)
        cached = self._typed_fields.get(key)
        if cached is None:
            # one walk per schema and set of types: many mismatched mappings do not walk it again each
            found: list[str] = []
            for segments, f in paths.walk(schema):
                if f.type in wanted:
                    found.append(paths.dotted(segments))
                    if len(found) == 3:
                        break
            cached = self._typed_fields[key] = (schema, found)  # the schema kept: its id stays its own
        found = cached[1]
        if not found:
            return None
        return f"{prefix or 'source fields of an accepted type: '}{quote_list(found)}"

    # --- passthrough and output fields -------------------------------------------------------------

    def passthrough(
        self, schema: SchemaDef | None, extractor: ExtractorDefinition | None
    ) -> tuple[dict[str, FieldDef], list[FieldPlan]]:
        """The passthrough part of the output schema, and the plan that fills it per object."""
        out = _OutputFields(self, extractor.outputs.fields if extractor is not None else {})
        resolved: list[tuple[PassthroughSpec, SourcePath | None]] = []
        for entry in self.spec.passthrough:
            found = resolve_path(schema, entry.source_path) if schema is not None else None
            if schema is not None and found is None and entry.default is NO_DEFAULT:
                self.not_found(schema, entry.source_path, (*entry.where, "source_path"))
                self.failed_names.add(entry.output_name)
                continue
            resolved.append((entry, found))
        if not self.spec.include_all or schema is None:
            for entry, found in resolved:
                out.add(entry, found)
            return out.fields, out.plans
        # include_all: every top-level source field in source order, an entry naming it replacing it
        # in place (the contract's {a,b,c,d} + [a->x] -> {x,b,c,d}); other entries follow
        by_top: dict[str, list[tuple[PassthroughSpec, SourcePath]]] = {}
        rest: list[tuple[PassthroughSpec, SourcePath | None]] = []
        for entry, found in resolved:
            if found is not None and len(found.steps) == 1:
                by_top.setdefault(found.last, []).append((entry, found))
            else:
                rest.append((entry, found))
        for name, f in schema.fields.items():
            configured = by_top.get(name)
            if configured:
                for entry, found in configured:
                    out.add(entry, found)
            else:
                out.add_source_field(name, f, schema)
        for entry, found in rest:
            out.add(entry, found)
        # fields a failed upstream does not produce would have passed through here too
        self.failed_names.update(self.gaps)
        return out.fields, out.plans

    def report_gap_hits(self) -> None:
        by_source: dict[tuple[str, Path], list[str]] = {}
        for name, hits in self.gap_hits.items():
            by_source.setdefault(self.gaps[name], []).extend(hits)
        for (source_id, where), used_paths in by_source.items():
            used = ", ".join(f"'{p}'" for p in dict.fromkeys(used_paths))
            self.report(
                "unresolved_source",
                where,
                f"collection {source_id!r} has errors and does not produce {used}, which this collection uses",
                hint=f"fix {source_id!r} first",
            )

    # --- source filters ----------------------------------------------------------------------------

    def source_filters(self, schema: SchemaDef | None) -> None:
        filters = self.spec.source.filters
        if filters is None or schema is None:
            return
        if not isinstance(filters, (Mapping, str)):
            self.report(
                "invalid_collection_request",
                ("source", "source_filters", "filters"),
                f"'filters' must be a filter object (or filter text), found {describe(filters)}",
            )
            return
        # imported here: the filter pillar loads its grammar, which only source_filters need
        from schemakit.filters import check_filter

        if self.spec.source.type == "collection":
            system, prefixes = COLLECTION_SYSTEM_FIELDS, COLLECTION_SYSTEM_PREFIXES
        else:
            system, prefixes = BUCKET_SYSTEM_FIELDS, ()
        found = check_filter(filters, schema, system_fields=system, system_prefixes=prefixes)
        self.issues.extend(i.prefixed("source", "source_filters", "filters") for i in found)


class _OutputFields:
    """Output field names claimed so far, checked against system fields, extractor outputs and each other."""

    def __init__(self, resolver: _Resolver, outputs: Mapping[str, FieldDef]) -> None:
        self.resolver = resolver
        self.outputs = outputs
        self.fields: dict[str, FieldDef] = {}
        self.plans: list[FieldPlan] = []
        self.taken: dict[str, str] = {}

    def claim(self, name: str, where: Path, origin: str) -> bool:
        problem = None
        if name in SYSTEM_FIELDS:
            problem = f"output field {name!r} ({origin}) collides with a system field"
        elif name in self.outputs:
            problem = f"output field {name!r} ({origin}) collides with an output of the extractor"
        elif name in self.taken:
            problem = f"output field {name!r} ({origin}) collides with {self.taken[name]}"
        if problem:
            suggestion = f"source_{name}" if not name.startswith("source_") else f"{name}_2"
            self.resolver.report(
                "target_conflict", where, problem, hint=f"set a different target_path, e.g. '{suggestion}'"
            )
            return False
        self.taken[name] = origin
        return True

    def add(self, entry: PassthroughSpec, found: SourcePath | None) -> None:
        name = entry.output_name
        if not TARGET_NAME.fullmatch(name):
            self.resolver.report(
                "invalid_target_name",
                entry.name_where,
                f"output field name {name!r} must start with a letter or '_' and contain only letters, "
                "digits, '_' and '-'",
            )
            return
        if not self.claim(name, entry.name_where, f"field_passthrough[{entry.index}]"):
            return
        if found is not None:
            # the source field's definition as is, renamed: the output field is the source field
            self.fields[name] = found.output_field(name)
            self.plans.append(FieldPlan(name, found, entry.where, entry.source_path, entry.required, entry.default))
        elif entry.default is not NO_DEFAULT:
            # a missing source field made legal by its default: typed by the default's JSON type
            ftype = default_type(entry.default) or "string"
            self.fields[name] = FieldDef(name=name, type=ftype)
            self.plans.append(FieldPlan(name, None, entry.where, entry.source_path, False, entry.default))

    def add_source_field(self, name: str, f: FieldDef, schema: SchemaDef) -> None:
        where: Path = (*FE, "include_all_source_fields")
        if self.claim(name, where, f"source field {name!r} passed by include_all_source_fields"):
            self.fields[name] = f
            top = resolve_path(schema, (name,))
            assert top is not None  # a top-level field of the schema always resolves
            self.plans.append(FieldPlan(name, top, where, name, False, NO_DEFAULT))


def type_signature(f: FieldDef) -> str:
    """``string``, ``array of string``: the type as compared between schemas."""
    depth, element = paths.array_depth(f)
    return " of ".join(["array"] * depth + [element.type])


def schema_differences(a: SchemaDef, b: SchemaDef, a_id: str, b_id: str) -> list[str]:
    """Every field-level difference between two source schemas, as short phrases."""
    left = {paths.dotted(p): f for p, f in paths.walk(a)}
    right = {paths.dotted(p): f for p, f in paths.walk(b)}
    out: list[str] = []
    for path, f in left.items():
        g = right.get(path)
        if g is None:
            out.append(f"'{path}' is missing in {b_id!r}")
            continue
        if type_signature(f) != type_signature(g):
            out.append(f"'{path}' is {type_signature(f)} in {a_id!r} but {type_signature(g)} in {b_id!r}")
        elif f.required != g.required:
            out.append(
                f"'{path}' is {'required' if f.required else 'optional'} in {a_id!r} but "
                f"{'required' if g.required else 'optional'} in {b_id!r}"
            )
    out.extend(f"'{path}' is only in {b_id!r}" for path in right if path not in left)
    return out
