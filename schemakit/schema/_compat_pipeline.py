"""Downstream of a schema change: the pipeline's collections resolved under the old and the new bucket schema.

The manifest is resolved twice by ``resolve_pipeline`` itself, once as it
stands with the changed bucket's schema set to the old one and once with it
set to the new one, so every rule of the resolver (source fields, input
types, filters, passthrough) and its dependency order apply unchanged. A
collection that resolved before and does not now is ``collection_broken``;
one whose output schema differs is ``output_schema_changed``, and each
finding names the chain of collections the change travelled through.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from schemakit._contract.bucket import SchemaDef, read_bucket_schema
from schemakit._contract.values import plain, plain_text
from schemakit._issues import Issue, describe

if TYPE_CHECKING:
    from schemakit.mappings import PipelineResolution
    from schemakit.schema._compat import Finding

__all__ = ["downstream"]


def _manifest(pipeline: Any, issues: list[Issue]) -> Any:
    from schemakit.mappings._pipeline import _load_manifest

    pipeline = plain_text(pipeline)
    if isinstance(pipeline, (str, FilePath)):
        return _load_manifest(FilePath(pipeline), issues)
    return plain(pipeline)


def _bucket_schema_of(entry: Any) -> Any:
    if isinstance(entry, Mapping) and "properties" not in entry:
        return entry.get("bucket_schema")
    return entry


def _changed_bucket(buckets: Mapping[str, Any], old: SchemaDef, bucket_id: str | None) -> str | None:
    if bucket_id is not None:
        bucket_id = plain_text(bucket_id)
        return bucket_id if isinstance(bucket_id, str) and bucket_id in buckets else None
    wanted = old.to_dict()
    for bid, entry in buckets.items():
        schema, _ = read_bucket_schema(_bucket_schema_of(entry))
        if schema is not None and schema.to_dict() == wanted:
            return str(bid)
    return str(next(iter(buckets))) if len(buckets) == 1 else None


def _with_schema(manifest: Mapping[str, Any], bucket_id: str, schema: SchemaDef, key: tuple[str, ...]) -> Any:
    out = copy.deepcopy(dict(manifest))
    entry = out["buckets"][bucket_id]
    request = dict(entry) if isinstance(entry, Mapping) and "properties" not in entry else {}
    request["bucket_schema"] = schema.to_dict()
    if key:
        request["unique_key"] = {**(request.get("unique_key") or {}), "fields": list(key)}
    out["buckets"] = {**out["buckets"], bucket_id: request}
    return out


def _upstreams(manifest: Mapping[str, Any]) -> dict[str, list[str]]:
    from schemakit.mappings._pipeline import _upstream_ids

    collections = manifest.get("collections")
    if not isinstance(collections, Mapping):
        return {}
    return {str(cid): _upstream_ids(raw) for cid, raw in collections.items()}


def _chain(cid: str, affected: set[str], deps: Mapping[str, list[str]], bucket_id: str) -> list[str]:
    """The collections the change travelled through to reach ``cid``, from the bucket down."""
    out = [cid]
    seen = {cid}
    current = cid
    while True:
        nxt = next((u for u in deps.get(current, []) if u in affected and u not in seen), None)
        if nxt is None:
            break
        out.append(nxt)
        seen.add(nxt)
        current = nxt
    return [bucket_id, *reversed(out)]


def downstream(
    pipeline: Any,
    old: SchemaDef,
    new: SchemaDef,
    old_key: tuple[str, ...],
    new_key: tuple[str, ...],
    *,
    bucket_id: str | None = None,
) -> list[Finding]:
    """``collection_broken`` and ``output_schema_changed`` findings for the collections the change reaches."""
    from schemakit.mappings import resolve_pipeline
    from schemakit.schema._compat import Finding

    issues: list[Issue] = []
    manifest = _manifest(pipeline, issues)
    if issues:
        return [Finding(i, None, None) for i in issues]
    if not isinstance(manifest, Mapping):
        problem = Issue("invalid_manifest", (), f"a pipeline manifest must be an object, found {describe(manifest)}")
        return [Finding(problem, None, None)]
    buckets = manifest.get("buckets")
    if not isinstance(buckets, Mapping) or not buckets:
        problem = Issue("invalid_manifest", ("buckets",), f"the pipeline has no buckets, found {describe(buckets)}")
        return [Finding(problem, None, None)]
    changed = _changed_bucket(buckets, old, bucket_id)
    if changed is None:
        problem = Issue(
            "invalid_manifest",
            ("buckets",),
            "no bucket of the pipeline has the old schema, so the changed bucket is unknown",
            hint="name it with bucket_id= (--bucket in the CLI)",
        )
        return [Finding(problem, None, None)]
    before = resolve_pipeline(_with_schema(manifest, changed, old, old_key))
    after = resolve_pipeline(_with_schema(manifest, changed, new, new_key))
    return _compare(before, after, _upstreams(manifest), changed)


def _compare(
    before: PipelineResolution, after: PipelineResolution, deps: Mapping[str, list[str]], bucket_id: str
) -> list[Finding]:
    from schemakit.schema._compat import Finding
    from schemakit.schema._compat_rules import RULES

    out: list[Finding] = []
    affected: set[str] = set()
    for cid in after.order:
        was, now = before.collections.get(cid), after.collections.get(cid)
        if was is None or now is None:
            continue
        if was.ok and not now.ok:
            affected.add(cid)
            first = now.errors[0]
            via = " -> ".join(_chain(cid, affected, deps, bucket_id))
            message = (
                f"collection {cid!r} resolves under the old schema but not the new one ({via}): "
                f"{first.code}: {first.message}"
            )
            where = ("collections", cid, *first.path)
            issue = Issue("collection_broken", where, message, RULES["collection_broken"].hint)
            out.append(Finding(issue, None, None))
        elif was.output_schema != now.output_schema:
            affected.add(cid)
            via = " -> ".join(_chain(cid, affected, deps, bucket_id))
            message = f"collection {cid!r}: its output schema differs under the new schema ({via})"
            hint = RULES["output_schema_changed"].hint
            issue = Issue("output_schema_changed", ("collections", cid), message, hint, "warning")
            out.append(Finding(issue, None, None))
    return out
