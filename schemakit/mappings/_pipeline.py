"""Public entry points: one collection, or a whole manifest of buckets and collections.

A manifest is resolved in one pass: buckets are read once each, collections
are ordered so every upstream resolves before its downstreams, and every
problem of every collection is reported with a path starting at
``("collections", collection_id, ...)``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path as FilePath
from typing import Any

from schemakit._contract.bucket import SchemaDef, read_bucket_schema
from schemakit._contract.keywords import unknown_keys
from schemakit._contract.results import ResultShape
from schemakit._contract.values import is_text, plain_text
from schemakit._issues import Issue, Path, SchemakitError, describe
from schemakit.mappings._registry import ExtractorRegistry
from schemakit.mappings._resolver import (
    CollectionResolution,
    Source,
    SourceIndex,
    read_bucket_source,
    read_collection_source,
    resolve,
)

MANIFEST_KEYS = ("buckets", "collections", "extractors", "name", "description", "version", "metadata")
# A cycle of at most this many collections is listed whole in each member's issue; a longer one once
LISTED_CYCLE = 8


def resolve_collection(
    request: Any,
    *,
    buckets: Any,
    collections: Any = None,
    extractors: ExtractorRegistry | None = None,
) -> CollectionResolution:
    """Resolve one ``CreateCollectionRequest`` against its sources; never raises on bad input.

    ``buckets`` maps bucket ids to ``BucketCreateRequest`` dicts or bare
    bucket_schema dicts; ``collections`` maps collection ids to
    ``{"output_schema": {...}}`` dicts or prior :class:`CollectionResolution`
    values; ``extractors`` defaults to :meth:`ExtractorRegistry.builtin`.
    """
    registry = _registry(extractors)
    issues: list[Issue] = []
    bucket_table = _table(buckets, "buckets", issues)
    collection_table = _table(collections if collections is not None else {}, "collections", issues)
    sources = SourceIndex(
        bucket_table,
        collection_table,
        bucket_reader=read_bucket_source,
        collection_reader=read_collection_source,
    )
    result = resolve(request, sources, registry)
    result.issues[:0] = issues
    return result


def _registry(extractors: Any) -> ExtractorRegistry:
    if extractors is None:
        return ExtractorRegistry.builtin()
    if not isinstance(extractors, ExtractorRegistry):
        raise TypeError(f"extractors must be an ExtractorRegistry, not {type(extractors).__name__}")
    return extractors


def _table(raw: Any, name: str, issues: list[Issue]) -> Mapping[str, Any]:
    if isinstance(raw, Mapping):
        return raw
    issues.append(
        Issue(
            "invalid_argument",
            (),
            f"{name} must be an object mapping ids to definitions, found {describe(raw)}",
        )
    )
    return {}


class PipelineResolution(ResultShape):
    """Every collection of a manifest resolved: ``collections`` by id, ``order`` upstream first.

    Has the one result shape: ``ok``, ``issues``, ``errors``, ``warnings``,
    ``to_dict()`` and ``bool(pipeline)`` (= ``ok``).
    """

    __slots__ = ("collections", "manifest_issues", "order")

    def __init__(
        self, collections: dict[str, CollectionResolution], order: list[str], manifest_issues: list[Issue]
    ) -> None:
        self.collections = collections
        self.order = order
        self.manifest_issues = manifest_issues

    @property
    def issues(self) -> list[Issue]:
        """Manifest-level issues, then each collection's in ``order``, paths from the manifest root."""
        out = list(self.manifest_issues)
        for cid in self.order:
            out.extend(i.prefixed("collections", cid) for i in self.collections[cid].issues)
        return out

    @property
    def ok(self) -> bool:
        return not any(i.is_error for i in self.manifest_issues) and all(c.ok for c in self.collections.values())

    def _payload(self) -> dict[str, Any]:
        return {
            "order": list(self.order),
            "collections": {cid: self.collections[cid].to_dict() for cid in self.order},
        }

    def __repr__(self) -> str:
        return f"<PipelineResolution collections={len(self.collections)} ok={self.ok}>"


def resolve_pipeline(manifest: Any, *, extractors: ExtractorRegistry | None = None) -> PipelineResolution:
    """Resolve a manifest (a dict, or a ``str``/``Path`` to a .json, .yaml or .yml file).

    Never raises on bad input: an unreadable or unparseable file, or a
    manifest of the wrong shape, gives ``invalid_manifest`` issues. The
    manifest may carry ``extractors`` (definitions added to the registry).
    """
    issues: list[Issue] = []
    manifest = plain_text(manifest)
    if isinstance(manifest, (str, FilePath)):
        manifest = _load_manifest(FilePath(manifest), issues)
        if issues:
            return PipelineResolution({}, [], issues)
    if not isinstance(manifest, Mapping):
        issues.append(
            Issue("invalid_manifest", (), f"a pipeline manifest must be an object, found {describe(manifest)}")
        )
        return PipelineResolution({}, [], issues)
    issues.extend(
        unknown_keys(
            manifest,
            MANIFEST_KEYS,
            (),
            code="invalid_manifest",
            severity="warning",
            message="unknown manifest key {key}",
        )
    )
    registry = _manifest_registry(manifest.get("extractors"), _registry(extractors), issues)
    buckets = _section(manifest, "buckets", issues)
    collections = _section(manifest, "collections", issues)
    bucket_sources = _read_buckets(buckets, issues)
    return _resolve_collections(collections, bucket_sources, registry, issues)


def _load_manifest(path: FilePath, issues: list[Issue]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:
        # ValueError: a path the system cannot name (a NUL byte, a lone surrogate) or bytes that are not UTF-8
        issues.append(Issue("invalid_manifest", (), f"cannot read manifest {str(path)!r}: {exc}"))
        return None
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            issues.append(
                Issue("invalid_manifest", (), f"{str(path)!r} is not valid JSON: {exc.msg}", hint=_where(exc))
            )
            return None
        except RecursionError:
            issues.append(_too_deep(path))
            return None
        except ValueError as exc:
            # not a decode error: a number past the interpreter's digit limit, which the parser refuses
            issues.append(Issue("invalid_manifest", (), f"{str(path)!r} is not valid JSON: {exc}"))
            return None
    import yaml  # only manifests read from YAML pay for the import

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        hint = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        issues.append(Issue("invalid_manifest", (), f"{str(path)!r} is not valid YAML: {problem}", hint=hint))
        return None
    except RecursionError:
        issues.append(_too_deep(path))
        return None
    except ValueError as exc:
        # a number past the interpreter's digit limit: the YAML reader converts it with int() and fails
        issues.append(Issue("invalid_manifest", (), f"{str(path)!r} is not valid YAML: {exc}"))
        return None


def _too_deep(path: FilePath) -> Issue:
    # both parsers recurse per nesting level; a manifest this deep is not a pipeline
    return Issue("invalid_manifest", (), f"{str(path)!r} nests too deeply to be read")


def _where(exc: json.JSONDecodeError) -> str:
    return f"line {exc.lineno}, column {exc.colno}"


def _manifest_registry(raw: Any, base: ExtractorRegistry, issues: list[Issue]) -> ExtractorRegistry:
    if raw is None:
        return base
    try:
        return base.with_definitions(raw)
    except SchemakitError as exc:
        issues.extend(
            Issue("invalid_manifest", ("extractors", *i.path), i.message, i.hint, i.severity) for i in exc.issues
        )
        return base


def _section(manifest: Mapping[str, Any], key: str, issues: list[Issue]) -> dict[str, Any]:
    raw = manifest.get(key)
    if raw is None:
        if key == "collections":
            issues.append(Issue("invalid_manifest", (key,), "the manifest has no 'collections'", severity="warning"))
        return {}
    if not isinstance(raw, Mapping):
        issues.append(Issue("invalid_manifest", (key,), f"{key!r} must map ids to definitions, found {describe(raw)}"))
        return {}
    out: dict[str, Any] = {}
    for k, v in raw.items():
        k = plain_text(k)  # ids are compared and printed: a str subclass's own methods never run
        if not isinstance(k, str) or not k:
            segment = k if isinstance(k, str) else describe(k)
            issues.append(
                Issue("invalid_manifest", (key, segment), f"an id must be a non-empty string, found {describe(k)}")
            )
        else:
            out[k] = v
    return out


def _read_buckets(buckets: Mapping[str, Any], issues: list[Issue]) -> dict[str, Source]:
    """Read each bucket once, reporting its schema problems under ``("buckets", id, ...)``."""
    out: dict[str, Source] = {}
    for bucket_id, raw in buckets.items():
        where: Path = ("buckets", bucket_id)
        if not isinstance(raw, Mapping):
            issues.append(
                Issue("invalid_manifest", where, f"a bucket must be a BucketCreateRequest, found {describe(raw)}")
            )
            out[bucket_id] = Source(None, f"bucket {bucket_id!r} is not a BucketCreateRequest object")
            continue
        if "properties" in raw:
            schema_raw, schema_where = raw, where
        elif raw.get("bucket_schema") is None:
            issues.append(
                Issue(
                    "invalid_manifest",
                    (*where, "bucket_schema"),
                    f"bucket {bucket_id!r} has no bucket_schema",
                    hint="collections can map only fields a bucket_schema declares",
                )
            )
            out[bucket_id] = Source(SchemaDef(fields={}))
            continue
        else:
            schema_raw, schema_where = raw["bucket_schema"], (*where, "bucket_schema")
        schema, found = read_bucket_schema(schema_raw)
        issues.extend(i.prefixed(*schema_where) for i in found)
        if schema is None:
            out[bucket_id] = Source(
                None, f"bucket {bucket_id!r} has an unusable bucket_schema (see buckets/{bucket_id})"
            )
        else:
            out[bucket_id] = Source(schema)
    return out


def _upstream_ids(raw: Any) -> list[str]:
    """The collection ids a request reads from, read leniently; the resolver reports shape problems."""
    source = raw.get("source") if isinstance(raw, Mapping) else None
    if not isinstance(source, Mapping) or not is_text(source.get("type"), "collection"):
        return []
    ids: dict[str, None] = {}
    one, many = source.get("collection_id"), source.get("collection_ids")
    if isinstance(one, str):
        ids[plain_text(one)] = None
    if isinstance(many, list):
        ids.update((plain_text(v), None) for v in many if isinstance(v, str))
    return list(ids)


def _resolve_collections(
    collections: dict[str, Any],
    buckets: dict[str, Source],
    registry: ExtractorRegistry,
    issues: list[Issue],
) -> PipelineResolution:
    deps = {cid: [u for u in _upstream_ids(raw) if u in collections] for cid, raw in collections.items()}
    order, cyclic = _order(deps)
    cycle_issue = _cycle_issues(deps, cyclic)
    resolved: dict[str, CollectionResolution] = {}

    def read_upstream(collection_id: str, _raw: Any) -> Source:
        done = resolved.get(collection_id)
        if done is None:
            return Source(None, f"collection {collection_id!r} is part of a cycle or depends on one")
        return read_collection_source(collection_id, done)

    sources = SourceIndex(
        buckets,
        collections,
        bucket_reader=lambda bucket_id, source: source,
        collection_reader=read_upstream,
    )
    for cid in [*order, *cyclic]:
        skip = cycle_issue.get(cid, {})
        resolved[cid] = resolve(collections[cid], sources, registry, collection_id=cid, skip_sources=skip)
    return PipelineResolution({cid: resolved[cid] for cid in [*order, *cyclic]}, [*order, *cyclic], issues)


def _order(deps: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """Kahn's algorithm, stable in manifest order; what cannot be ordered is in or behind a cycle."""
    pending = {cid: len(ups) for cid, ups in deps.items()}
    downstream: dict[str, list[str]] = {cid: [] for cid in deps}
    for cid, ups in deps.items():
        for up in ups:
            downstream[up].append(cid)
    ready = [cid for cid, n in pending.items() if n == 0]
    order: list[str] = []
    index = 0
    while index < len(ready):
        cid = ready[index]
        index += 1
        order.append(cid)
        for down in downstream[cid]:
            pending[down] -= 1
            if pending[down] == 0:
                ready.append(down)
    placed = set(order)
    return order, [cid for cid in deps if cid not in placed]


def _cycle_issues(deps: dict[str, list[str]], stuck: list[str]) -> dict[str, dict[str, Issue]]:
    """For each collection left unordered, what to report on each upstream id it cannot read.

    A member of a cycle gets ``pipeline_cycle`` on the upstream that closes
    it. A short cycle (at most :data:`LISTED_CYCLE` collections) is listed
    whole in each member's issue, rotated to start at that member; a longer
    one is listed once, at its first member in manifest order, and each other
    member's issue names its two neighbours and the cycle's length, so the
    messages grow with the cycle, not with its square. A collection merely
    behind a cycle gets ``unresolved_source`` on that upstream.
    """
    if not stuck:
        return {}
    stuck_set = set(stuck)
    member_cycle: dict[str, tuple[list[str], dict[str, int]]] = {}
    for members in _cycles(deps, stuck_set):
        where = {member: i for i, member in enumerate(members)}
        for member in members:
            member_cycle.setdefault(member, (members, where))
    out: dict[str, dict[str, Issue]] = {}
    for cid in stuck:
        per_source: dict[str, Issue] = {}
        cycle, where = member_cycle.get(cid, ([], {}))
        for up in deps[cid]:
            if up not in stuck_set:
                continue
            if up in where:
                start = where[cid]
                if cycle[(start + 1) % len(cycle)] != up:
                    continue
                per_source[up] = _cycle_issue(cid, cycle, start)
            else:
                per_source[up] = Issue(
                    "unresolved_source",
                    (),
                    f"collection {up!r} is part of a cycle or depends on one, so its output schema is unknown",
                )
        out[cid] = per_source
    return out


def _cycle_issue(cid: str, cycle: list[str], start: int) -> Issue:
    size = len(cycle)
    if size <= LISTED_CYCLE or start == 0:
        loop = [*cycle[start:], *cycle[:start], cid]
        message = "collections form a cycle: " + " -> ".join(loop) + " (each reads from the next)"
    else:
        before, after = cycle[start - 1], cycle[(start + 1) % size]
        message = (
            f"collections form a cycle of {size}: {before} -> {cid} -> {after} (each reads from the next); "
            f"the whole cycle is listed at collections/{cycle[0]}"
        )
    return Issue(
        "pipeline_cycle", (), message, hint="a collection cannot read, directly or through others, from itself"
    )


def _cycles(deps: dict[str, list[str]], nodes: set[str]) -> list[list[str]]:
    """Strongly connected components among ``nodes`` that are cycles (Tarjan, iterative), each in edge order."""
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    position = {cid: i for i, cid in enumerate(deps)}
    inside = {cid: [u for u in ups if u in nodes] for cid, ups in deps.items() if cid in nodes}
    counter = 0
    for root in deps:
        if root not in nodes or root in index_of:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, edge = work.pop()
            if edge == 0:
                index_of[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            ups = inside[node]
            if edge < len(ups):
                work.append((node, edge + 1))
                nxt = ups[edge]
                if nxt not in index_of:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index_of[nxt])
                continue
            if low[node] == index_of[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in deps[node]:
                    components.append(_cycle_path(component, deps, position))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components


def _cycle_path(component: list[str], deps: dict[str, list[str]], position: dict[str, int]) -> list[str]:
    """The shortest cycle through the component's first member (manifest order), following "reads from"."""
    members = set(component)
    start = min(component, key=position.__getitem__)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for up in deps[node]:
                if up == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return path[::-1]
                if up in members and up not in came_from:
                    came_from[up] = node
                    following.append(up)
        frontier = following
    return [start]
