"""Source paths of a collection: resolving them against a schema, suggesting fixes, reading them from objects.

A path is resolved once, when a collection is resolved, by the contract's
:func:`schemakit._contract.paths.resolve`; everything afterwards (type checks,
output schemas, the compiled ``map_object`` getters) works on its resolved
steps, never on the string again.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from schemakit._contract import paths
from schemakit._contract.bucket import FieldDef, SchemaDef
from schemakit._contract.sentinels import ABSENT
from schemakit._contract.values import is_text
from schemakit._issues import Suggester, suggestion_hint

Getter = Callable[[Any], Any]
"""Reads one source value from an object; returns ``ABSENT`` when absent or null."""

# Suggestions stay bounded however large the schema: at most this many candidate
# paths are indexed, and only after a lookup has already failed.
MAX_SUGGESTION_CANDIDATES = 2000
# Candidates scoring within this of the best one are offered alongside it.
NEAR_TIE = 0.05


@dataclass(frozen=True, slots=True)
class SourcePath:
    """A source path that names a declared field: the core's resolution, and what a collection adds to it."""

    resolved: paths.Resolved
    field: FieldDef
    """The field the path names (``resolved.field``, known to be declared)."""

    @property
    def steps(self) -> tuple[paths.Step, ...]:
        return self.resolved.steps

    @property
    def fans_out(self) -> bool:
        """True when the path passes through an array of objects, so one object yields a list of values."""
        return self.resolved.fans_out

    @property
    def last(self) -> str:
        return self.resolved.last

    @property
    def top_level_file(self) -> bool:
        return len(self.steps) == 1 and (self.field.is_file or self.field.file_items)

    def output_field(self, name: str) -> FieldDef:
        """The field's definition under an output name; a fanned-out path becomes an array of it."""
        renamed = _renamed(self.field, name)
        if self.fans_out:
            # nested fan-outs are flattened at runtime, so one array level whatever the depth
            return FieldDef(name=name, type="array", items=renamed)
        return renamed


def _renamed(f: FieldDef, name: str) -> FieldDef:
    return f if f.name == name else replace(f, name=name)


def resolve_path(schema: SchemaDef, path: str | paths.Segments) -> SourcePath | None:
    """The declared field a source path names, or None when the source has no such field.

    The walk is the contract's (:func:`schemakit._contract.paths.resolve`:
    through objects, and through arrays of objects to their items' fields). A
    collection refuses two of its outcomes, which read as "not found": an
    *open* path (below a file field or an undeclared structure: it has no
    type to check an input against or to give an output field) and an
    *indexed* one (a source field is a whole field, never one element of it).
    """
    found = paths.resolve(schema, path)
    if found is None or found.field is None or found.indexed:
        return None
    return SourcePath(found, found.field)


def closest(word: str, candidates: Iterable[str], *, limit: int = 3, cutoff: float = 0.6) -> list[str]:
    """The candidates nearest to ``word``: the best match and only those about as close (one lookup).

    Returning near-ties only keeps hints short: ``metadata.titel`` suggests
    ``metadata.title`` alone, not every sibling that clears the cutoff. A
    caller with many words to look up builds one :class:`~schemakit._issues.Suggester`
    instead, which indexes the candidates once and bounds the fuzzy lookups.
    """
    pool = itertools.islice(candidates, MAX_SUGGESTION_CANDIDATES)
    return Suggester(pool, budget=None).nearest(word, limit=limit, cutoff=cutoff, tie=NEAR_TIE)


def closest_hint(word: str, candidates: Iterable[str]) -> str | None:
    return suggestion_hint(closest(word, candidates))


class PathSuggester:
    """Suggestions for source paths that did not resolve against one schema, indexed once.

    Fuzzy matches over the schema's paths (capped) come first; failing those,
    paths ending in the same segment, which catches ``title`` written for
    ``metadata.title``. Only the first :data:`~schemakit._issues.MAX_SUGGESTED`
    paths get a fuzzy lookup; later ones still get a case-insensitive or a
    same-last-segment match, which are dictionary lookups.
    """

    __slots__ = ("_by_leaf", "_suggester")

    def __init__(self, schema: SchemaDef) -> None:
        known = list(itertools.islice(paths.all_paths(schema), MAX_SUGGESTION_CANDIDATES))
        self._suggester = Suggester(known)
        by_leaf: dict[str, list[str]] = {}
        for p in known:
            by_leaf.setdefault(p.rsplit(".", 1)[-1].casefold(), []).append(p)
        self._by_leaf = by_leaf

    def suggest(self, dotted: str, *, limit: int = 3) -> list[str]:
        found = self._suggester.nearest(dotted, limit=limit, tie=NEAR_TIE)
        if found:
            return found
        leaf = dotted.rsplit(".", 1)[-1].casefold()
        return [p for p in self._by_leaf.get(leaf, ()) if p != dotted][:limit]


def suggest_paths(schema: SchemaDef, dotted: str, *, limit: int = 3) -> list[str]:
    """Closest existing paths to one path that did not resolve (see :class:`PathSuggester`)."""
    return PathSuggester(schema).suggest(dotted, limit=limit)


def quote_list(names: list[str]) -> str:
    return " or ".join(f"'{n}'" for n in names)


# --- runtime getters -------------------------------------------------------------------------------


def compile_getter(path: SourcePath) -> Getter:
    """A closure reading ``path`` from a source object, built once per resolution from its resolved steps.

    Segments are bound into nested closures here so reading an object does no
    string work. A top-level file field reads its blob dict (or, for an array
    of files, the list of blob dicts) from ``blobs`` when the object does not
    carry the field itself, as a collection document would.

    This is :func:`schemakit._contract.paths.read` under the collection
    contract's reading, which differs from a filter's in four pinned ways, so
    it is compiled here rather than delegated: a null counts as absent (a
    filter sees a null); any ``Mapping`` is an object (a filter reads only
    dicts); a fan-out knows from the schema how many array levels each step
    wraps, descends that deep and flattens nested fan-outs into one list,
    where a present empty array gives ``[]`` rather than absent (a filter's
    ``FanOut`` is never empty); and a digit segment is a name, never a list
    index (a collection's paths are never indexed).
    """
    if path.top_level_file:
        return _file_getter(path.last, many=path.field.file_items)
    getter: Getter = _identity
    inner_fans_out = False
    last_index = len(path.steps) - 1
    for index in range(last_index, -1, -1):
        step = path.steps[index]
        # the last segment's own arrays are its value, not a fan-out
        levels = step.arrays if index < last_index else 0
        if levels:
            getter = _fan_getter(step.key, levels, getter, flatten=inner_fans_out)
            inner_fans_out = True
        else:
            getter = _key_getter(step.key, getter)
    return getter


def _identity(value: Any) -> Any:
    return ABSENT if value is None else value


def _key_getter(key: str, then: Getter) -> Getter:
    def get(obj: Any) -> Any:
        if type(obj) is not dict and not isinstance(obj, Mapping):
            return ABSENT
        value = obj.get(key)
        if value is None:
            return ABSENT
        return then(value)

    return get


def _fan_getter(key: str, levels: int, then: Getter, *, flatten: bool) -> Getter:
    """Read ``key`` as an array of objects (``levels`` deep) and collect ``then`` over its items.

    Missing or null items are skipped; a nested fan-out's lists are flattened
    into this one (``flatten``) so a path yields one flat list however many arrays it crosses.
    """

    def collect(items: Any, depth: int, out: list[Any]) -> None:
        for item in items:
            if depth > 1:
                if isinstance(item, list):
                    collect(item, depth - 1, out)
                continue
            value = then(item)
            if value is ABSENT:
                continue
            if flatten:
                out.extend(value)
            else:
                out.append(value)

    def get(obj: Any) -> Any:
        if type(obj) is not dict and not isinstance(obj, Mapping):
            return ABSENT
        items = obj.get(key)
        if not isinstance(items, list):
            return ABSENT
        out: list[Any] = []
        collect(items, levels, out)
        return out

    return get


def _file_getter(name: str, *, many: bool) -> Getter:
    def get(obj: Any) -> Any:
        if type(obj) is not dict and not isinstance(obj, Mapping):
            return ABSENT
        value = obj.get(name)
        if value is not None:
            return value
        blobs = obj.get("blobs")
        if not isinstance(blobs, list):
            return ABSENT
        if many:
            found = [b for b in blobs if isinstance(b, Mapping) and is_text(b.get("property"), name)]
            return found if found else ABSENT
        for blob in blobs:
            if isinstance(blob, Mapping) and is_text(blob.get("property"), name):
                return blob
        return ABSENT

    return get


def constant(value: Any) -> Getter:
    """A getter for a literal: mutable literals are copied so one output cannot alter the next."""
    if isinstance(value, (dict, list)):
        return lambda _obj: copy.deepcopy(value)
    return lambda _obj: value
