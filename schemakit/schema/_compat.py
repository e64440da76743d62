"""``check_compatibility``: what a bucket schema change does to stored objects and to readers, proven by witnesses.

Two steps. The *diff* walks the old and new field trees together and lists
every change at a *slot*: a key of an object (``metadata.price``), the items
of an array (``tags[]``) or the unique key. The *search* then tries, for each
change and each direction its rule (:data:`~schemakit.schema._compat_rules.RULES`)
says it can break, to build a witness: an object the source schema accepts
and the target schema rejects, with the rejection located at the change's
slot. The object is assembled from the two field trees (the slot's candidate
values around a base of values both schemas accept) and verified by the
compiled validators; a change is an error only with a verified witness.

The search is exhaustive for what the validator can tell apart: the type
table's ``accepts`` rules split JSON values into a few regions (integers,
fractional numbers, booleans, plain strings, date strings, date-time strings,
objects, arrays), :data:`_PROBES` holds a value of each, enums are finite,
and a slot's presence has three states (absent, null, set). A change whose
search finds nothing is harmless in that direction: it stays in the report's
``changes`` but is not an issue.

A witness that needs a key the source schema does not declare (a non-strict
bucket ignores it, so a stored object *may* carry it with any value) is
hypothetical: the change is a warning until ``data=`` shows an object that
breaks, or clears it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from schemakit._contract.bucket import FieldDef, SchemaDef, conforms, is_bucket_request, read_bucket, type_strict_equal
from schemakit._contract.results import ResultShape
from schemakit._contract.sentinels import ABSENT
from schemakit._contract.types import FIELD_TYPES
from schemakit._contract.values import plain, plain_text
from schemakit._issues import Issue, Path, describe, did_you_mean_hint
from schemakit.schema._compat_rules import MODES, RULES, TRANSITIVE_SUFFIX, Direction
from schemakit.schema._compiled import CompiledSchema, compile_schema

__all__ = ["Change", "CompatibilityReport", "check_compatibility"]

Segment = str | int
ObjPath = tuple[Segment, ...]

# One value of each region the type table's rules tell apart (and a second where an enum may hold the
# first): the candidates every slot is searched with, ahead of its own enum values.
_PROBES: tuple[Any, ...] = (
    0,
    7919,
    0.5,
    2.25,
    True,
    False,
    "a",
    "an unlisted value",
    "2024-01-05",
    "1999-12-31",
    "2024-01-05T10:00:00Z",
    "1999-12-31T23:59:59+02:00",
    {},
    [],
    "",
)
_BLOB_DATA = "https://example.com/witness.bin"


def _blob(name: str, kind: str) -> dict[str, Any]:
    # an explicit type and a URL without an extension: the blob fits exactly the file type it names
    return {"property": name, "type": kind, "data": _BLOB_DATA}


def _fileish(f: FieldDef | None) -> bool:
    return f is not None and (f.is_file or f.file_items)


def _accepts(f: FieldDef | None, value: Any) -> bool:
    """Whether a declared (or, for None, undeclared but allowed) slot takes the non-null ``value``."""
    return f is None or conforms(f, value)


# -- the diff --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a change is, in an object: ``path`` ends at the key (``kind="key"``) or the array (``"items"``)."""

    kind: str
    path: ObjPath

    @property
    def object_path(self) -> ObjPath:
        """The path the validator reports the slot's rejections under."""
        return (*self.path, 0) if self.kind == "items" else self.path


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between the two field trees; ``broken`` names the directions a witness proved."""

    code: str
    path: Path
    message: str
    slot: Slot
    old: FieldDef | None = None
    new: FieldDef | None = None
    values: tuple[Any, ...] = ()
    """Values the change is about (removed enum values...): the first candidates of its witness search."""

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "path": list(self.path), "message": self.message}


def _display(path: ObjPath) -> str:
    out = ""
    for seg in path:
        out += "[]" if isinstance(seg, int) else (f".{seg}" if out else str(seg))
    return out or "(the object)"


def _type_text(f: FieldDef) -> str:
    if f.items is not None:
        return f"array of {_type_text(f.items)}"
    return f.type


def _regions(ftype: str) -> frozenset[int]:
    accepts = FIELD_TYPES[ftype].accepts
    return frozenset(i for i, p in enumerate(_PROBES) if accepts(p))


def _type_code(old: str, new: str) -> str | None:
    """How a metadata type change relates the two types' values (None: they accept the same values)."""
    a, b = _regions(old), _regions(new)
    if a == b:
        return None
    if b < a:
        return "type_narrowed"
    if a < b:
        return "type_widened"
    return "type_changed"


def _values_text(values: Sequence[Any]) -> str:
    return ", ".join(describe(v) for v in values)


def _missing(values: Sequence[Any], among: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(v for v in values if not any(type_strict_equal(v, w) for w in among))


class _Differ:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(self, code: str, path: Path, message: str, slot: Slot, old: Any, new: Any, values: Any = ()) -> None:
        self.changes.append(Change(code, path, message, slot, old, new, tuple(values)))

    def fields(
        self, old: Mapping[str, FieldDef], new: Mapping[str, FieldDef], spath: Path, opath: ObjPath
    ) -> None:
        for name in [*old, *(n for n in new if n not in old)]:
            o, n = old.get(name), new.get(name)
            sp: Path = (*spath, "properties", name)
            op: ObjPath = (*opath, name)
            slot = Slot("key", op)
            shown = _display(op)
            if n is None:
                assert o is not None
                self.add("field_removed", sp, f"{shown}: {_type_text(o)} field removed", slot, o, None)
            elif o is None:
                code = "required_field_added" if n.required else "field_added"
                req = "required " if n.required else "optional "
                self.add(code, sp, f"{shown}: new {req}{_type_text(n)} field", slot, None, n)
            else:
                self.pair(o, n, sp, slot)

    def pair(self, o: FieldDef, n: FieldDef, spath: Path, slot: Slot) -> None:
        shown = _display(slot.object_path)
        if o.required != n.required:
            code = "optional_became_required" if n.required else "required_became_optional"
            was, now = ("optional", "required") if n.required else ("required", "optional")
            self.add(code, spath, f"{shown}: {was} -> {now}", slot, o, n)
        if _fileish(o) or _fileish(n):
            self.files(o, n, spath, slot)
            return
        kind = _type_code(o.type, n.type) if o.type != n.type else None
        if kind is not None:
            self.add(
                "items_type_changed" if slot.kind == "items" else kind,
                spath,
                f"{shown}: type {o.type} -> {n.type}",
                slot,
                o,
                n,
            )
        self.enums(o, n, spath, slot)
        if o.default is not n.default and not (
            o.has_default and n.has_default and type_strict_equal(o.default, n.default) and o.default == n.default
        ):
            was = describe(o.default) if o.has_default else "no default"
            now = describe(n.default) if n.has_default else "no default"
            self.add("default_changed", spath, f"{shown}: default {was} -> {now}", slot, o, n)
        if o.type == n.type == "object":
            self.fields(o.properties or {}, n.properties or {}, spath, slot.object_path)
        elif o.type == n.type == "array":
            self.items(o.items, n.items, (*spath, "items"), Slot("items", slot.object_path))

    def items(self, o: FieldDef | None, n: FieldDef | None, spath: Path, slot: Slot) -> None:
        if o is None and n is None:
            return
        shown = _display(slot.object_path)
        if o is None or n is None:
            was = _type_text(o) if o is not None else "anything"
            now = _type_text(n) if n is not None else "anything"
            self.add("items_type_changed", spath, f"{shown}: items {was} -> {now}", slot, o, n)
            return
        self.pair(o, n, spath, slot)

    def files(self, o: FieldDef, n: FieldDef, spath: Path, slot: Slot) -> None:
        shown = _display(slot.path)
        if not (_fileish(o) and _fileish(n)):
            self.add("type_changed", spath, f"{shown}: type {_type_text(o)} -> {_type_text(n)}", slot, o, n)
            return
        if o.file_items != n.file_items:
            self.add(
                "file_cardinality_changed",
                spath,
                f"{shown}: {_cardinality(o)} -> {_cardinality(n)}",
                slot,
                o,
                n,
            )
        if o.element.type != n.element.type:
            self.add("file_type_changed", spath, f"{shown}: file type {o.element.type} -> {n.element.type}", slot, o, n)

    def enums(self, o: FieldDef, n: FieldDef, spath: Path, slot: Slot) -> None:
        shown = _display(slot.object_path)
        if o.enum is None and n.enum is None:
            return
        if o.enum is None:
            assert n.enum is not None
            self.add("enum_added", spath, f"{shown}: any {o.type} -> one of {_values_text(n.enum)}", slot, o, n)
        elif n.enum is None:
            self.add("enum_removed", spath, f"{shown}: one of {_values_text(o.enum)} -> any {n.type}", slot, o, n)
        else:
            removed, added = _missing(o.enum, n.enum), _missing(n.enum, o.enum)
            if removed:
                message = f"{shown}: enum value {_values_text(removed)} removed"
                self.add("enum_value_removed", spath, message, slot, o, n, removed)
            if added:
                message = f"{shown}: enum value {_values_text(added)} added"
                self.add("enum_value_added", spath, message, slot, o, n, added)


def _cardinality(f: FieldDef) -> str:
    return f"an array of {f.element.type} files" if f.file_items else f"one {f.type} file"


# -- building objects ------------------------------------------------------------------------------


class _Builder:
    """Objects for one direction: valid under ``src``, built to pass ``dst`` everywhere but the slot searched."""

    def __init__(self, src: SchemaDef, dst: SchemaDef, src_key: tuple[str, ...], strict: bool) -> None:
        self.src, self.dst, self.src_key, self.strict = src, dst, src_key, strict

    def candidates(self, s: FieldDef | None, d: FieldDef | None, first: Sequence[Any] = ()) -> list[Any]:
        out: list[Any] = list(first)
        for f in (s, d):
            if f is not None and f.enum is not None:
                out.extend(f.enum)
        out.extend(_PROBES)
        for f in (s, d):
            if f is not None and not _fileish(f) and FIELD_TYPES[f.type].category == "container":
                out.append(self.common(f, None))
        if s is not None and d is not None and not _fileish(s):
            out.append(self.common(s, d))
        return [copy.deepcopy(v) for v in out]

    def common(self, s: FieldDef, d: FieldDef | None, *, key: bool = False) -> Any:
        """A value of ``s`` that ``d`` accepts too when one is at hand (else just a value of ``s``)."""
        if s.type == "object":
            dprops = d.properties if d is not None and d.type == "object" else None
            return self.object(s.properties or {}, dprops or {}, top=False)
        if s.type == "array":
            return []
        values = [v for v in self.candidates_flat(s, d) if conforms(s, v) and not (key and v == "")]
        both = [v for v in values if d is None or (not _fileish(d) and conforms(d, v))]
        return copy.deepcopy((both or values or [None])[0])

    @staticmethod
    def candidates_flat(s: FieldDef, d: FieldDef | None) -> list[Any]:
        out: list[Any] = list(s.enum or ())
        if d is not None and d.enum is not None:
            out.extend(d.enum)
        out.extend(_PROBES)
        return out

    def object(
        self, sprops: Mapping[str, FieldDef], dprops: Mapping[str, FieldDef], *, top: bool
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        blobs: list[dict[str, Any]] = []
        for name, s in sprops.items():
            d = dprops.get(name)
            keyed = top and name in self.src_key
            need = s.required or keyed or (d is not None and d.required)
            if not need:
                continue
            if _fileish(s):
                if top:
                    blobs.append(_blob(name, s.element.type))
            else:
                out[name] = self.common(s, d, key=keyed)
        if blobs:
            out["blobs"] = blobs
        return out

    def place(self, slot: Slot, value: Any, blobs: list[dict[str, Any]] | None) -> dict[str, Any]:
        """The base object with ``value`` (ABSENT: no key) at ``slot`` and, at the top, ``blobs`` for it."""
        root = self.object(self.src.fields, self.dst.fields, top=True)
        path = slot.object_path
        self._put(root, self.src.fields, self.dst.fields, path, value)
        if blobs is not None and len(path) == 1:
            kept = [b for b in root.pop("blobs", []) if b["property"] != path[0]]
            kept.extend(blobs)
            if kept:
                root["blobs"] = kept
        return root

    def _put(
        self,
        node: dict[str, Any],
        sprops: Mapping[str, FieldDef],
        dprops: Mapping[str, FieldDef],
        rest: ObjPath,
        value: Any,
    ) -> None:
        name = str(rest[0])
        if len(rest) == 1:
            if value is ABSENT:
                node.pop(name, None)
            else:
                node[name] = value
            return
        node[name] = self._descend(sprops[name], dprops.get(name), rest[1:], value)

    def _descend(self, s: FieldDef, d: FieldDef | None, rest: ObjPath, value: Any) -> Any:
        if isinstance(rest[0], int):  # into the items of an array: a list of one element
            if len(rest) == 1:
                return [value]
            assert s.items is not None
            ditems = d.items if d is not None else None
            return [self._descend(s.items, ditems, rest[1:], value)]
        node = self.common(s, d)
        dprops = (d.properties if d is not None else None) or {}
        self._put(node, s.properties or {}, dprops, rest, value)
        return node


def _slot_fields(schema: SchemaDef, slot: Slot) -> tuple[FieldDef | None, bool]:
    """The field a slot holds in ``schema`` (None: undeclared) and whether its containers exist there."""
    props: Mapping[str, FieldDef] | None = schema.fields
    current: FieldDef | None = None
    path = slot.object_path
    for depth, seg in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(seg, int):
            if current is None or current.type != "array":
                return None, False
            current = current.items
        else:
            if current is not None and current.type != "object":
                return None, False
            current = (props or {}).get(seg)
        if current is None:
            return None, last
        props = current.properties
    return current, True


# -- verification ----------------------------------------------------------------------------------


def _object_path(issue: Issue, witness: Any) -> ObjPath:
    """Where in the object an issue is; a blob's issue is located at the blob's property."""
    path = issue.path
    if path[:1] == ("blobs",) and len(path) > 1 and isinstance(path[1], int):
        blobs = witness.get("blobs") if isinstance(witness, dict) else None
        if isinstance(blobs, list) and path[1] < len(blobs) and isinstance(blobs[path[1]], dict):
            prop = blobs[path[1]].get("property")
            if isinstance(prop, str):
                return (prop,)
    return path


def _rejected_at(validator: CompiledSchema, witness: Any, where: ObjPath) -> bool:
    result = validator.validate(witness)
    if result.ok:
        return False
    return any(_object_path(i, witness)[: len(where)] == where for i in result.errors)


@dataclass(frozen=True, slots=True)
class Witness:
    """An object (or, for a unique key, a batch) one schema accepts and the other rejects, verified."""

    direction: Direction
    value: Any
    hypothetical: bool = False
    """The object relies on a key the accepting schema does not declare (a stored object *may* carry it)."""
    from_data: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "object": self.value,
            "hypothetical": self.hypothetical,
            "from_data": self.from_data,
        }


class _Side:
    def __init__(self, schema: SchemaDef, key: tuple[str, ...], strict: bool) -> None:
        self.schema, self.key = schema, key
        self.validator = compile_schema(
            schema.to_dict(), unique_key={"fields": list(key)} if key else None, strict=strict
        )


class _Searcher:
    def __init__(self, old: _Side, new: _Side, strict: bool) -> None:
        self.old, self.new, self.strict = old, new, strict

    def sides(self, direction: Direction) -> tuple[_Side, _Side]:
        return (self.old, self.new) if direction == "backward" else (self.new, self.old)

    def witness(self, change: Change, direction: Direction) -> Witness | None:
        src, dst = self.sides(direction)
        if change.code == "unique_key_changed":
            return self.key_witness(src, dst, direction)
        s, s_exists = _slot_fields(src.schema, change.slot)
        d, _ = _slot_fields(dst.schema, change.slot)
        if not s_exists:
            return None
        builder = _Builder(src.schema, dst.schema, src.key, self.strict)
        for value, blobs in self.placements(builder, change, s, d, direction):
            try:
                w = builder.place(change.slot, value, blobs)
            except (KeyError, AssertionError, TypeError):  # a slot whose containers the source cannot hold
                continue
            rejected = not dst.validator.is_valid(w) and _rejected_at(dst.validator, w, change.slot.object_path)
            if rejected and src.validator.is_valid(w):
                hypothetical = change.slot.kind == "key" and s is None and value is not ABSENT
                return Witness(direction, w, hypothetical=hypothetical)
        return None

    def placements(
        self, builder: _Builder, change: Change, s: FieldDef | None, d: FieldDef | None, direction: Direction
    ) -> Iterable[tuple[Any, list[dict[str, Any]] | None]]:
        top = change.slot.kind == "key" and len(change.slot.path) == 1
        if change.slot.kind == "key":
            yield ABSENT, ([] if top else None)
        yield None, ([] if top else None)
        if top:
            for f in (s, d):
                if _fileish(f):
                    assert f is not None
                    one = _blob(str(change.slot.path[0]), f.element.type)
                    yield ABSENT, [one]
                    yield ABSENT, [one, copy.deepcopy(one)]
        for v in builder.candidates(s if not _fileish(s) else None, d if not _fileish(d) else None, change.values):
            yield v, ([] if top and _fileish(s) else None)

    def key_witness(self, src: _Side, dst: _Side, direction: Direction) -> Witness | None:
        builder = _Builder(src.schema, dst.schema, src.key, self.strict)
        for name in dst.key:
            if name in src.key or name not in src.schema.fields:
                continue
            w = builder.place(Slot("key", (name,)), ABSENT, None)
            if src.validator.is_valid(w) and _rejected_at(dst.validator, w, (name,)):
                return Witness(direction, w)
        base = builder.object(src.schema.fields, dst.schema.fields, top=True)
        for name in src.key:
            if name in dst.key:
                continue
            f = src.schema.fields[name]
            values = [v for v in builder.candidates_flat(f, None) if conforms(f, v) and v != ""]
            distinct = [v for v in values if not type_strict_equal(v, values[0])] if values else []
            if not distinct:
                continue
            a, b = copy.deepcopy(base), copy.deepcopy(base)
            a[name], b[name] = values[0], distinct[0]
            batch = {"objects": [a, b]}
            if src.validator.validate_batch(batch).ok and not dst.validator.validate_batch(batch).ok:
                return Witness(direction, batch)
        return None


# -- the report ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """An issue of the report with the change it states and the witness that proves it (if any)."""

    issue: Issue
    change: Change | None
    witness: Witness | None


@dataclass(frozen=True, slots=True, eq=False)
class CompatibilityReport(ResultShape):
    """The verdict of :func:`check_compatibility`.

    ``ok`` is true when no issue is an error: no change has a verified witness
    in the mode's directions. ``compatible`` is stronger: no warning leaves the
    verdict open either (a hypothetical witness ``data=`` did not settle, an
    unusable schema). ``changes`` lists every difference found, breaking or
    not; :meth:`witness` gives the object that proves an issue.
    """

    mode: str
    findings: list[Finding] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    data: dict[str, int] | None = None
    definition_issues: list[Issue] = field(default_factory=list)

    @property
    def issues(self) -> list[Issue]:
        return [*self.definition_issues, *(f.issue for f in self.findings)]

    @property
    def ok(self) -> bool:
        return not any(i.is_error for i in self.issues)

    @property
    def compatible(self) -> bool:
        return self.ok and not any(f.witness is not None and f.witness.hypothetical for f in self.findings)

    def witness(self, issue: Issue) -> Any | None:
        """The witness object of ``issue`` (a batch request for ``unique_key_changed``), or None."""
        for f in self.findings:
            if f.issue is issue:
                return f.witness.value if f.witness is not None else None
        for f in self.findings:
            if f.issue == issue:
                return f.witness.value if f.witness is not None else None
        return None

    def _payload(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "compatible": self.compatible,
            "findings": [
                {"issue": i, "witness": f.witness.to_dict() if f.witness is not None else None}
                for i, f in enumerate(self.findings, start=len(self.definition_issues))
            ],
            "changes": [c.to_dict() for c in self.changes],
            "data": self.data,
        }


# -- the entry point -------------------------------------------------------------------------------


def _read(
    raw: Any, key_override: Any, label: str, strict: bool
) -> tuple[SchemaDef | None, tuple[str, ...], list[Issue]]:
    raw = plain(raw.model_dump(mode="python", exclude_unset=True, by_alias=True) if hasattr(raw, "model_dump") else raw)
    key = key_override
    if is_bucket_request(raw):
        if key is None:
            key = raw.get("unique_key")
        raw = raw.get("bucket_schema")
    definition = read_bucket(raw, key)
    issues = [
        Issue(i.code, i.path, f"{label} schema: {i.message}", i.hint, i.severity) for i in definition.issues
    ]
    if definition.schema is None or any(i.is_error for i in issues):
        return None, (), issues
    return definition.schema, definition.unique_key, issues


def _unusable(mode: str, issues: list[Issue]) -> CompatibilityReport:
    return CompatibilityReport(mode, definition_issues=issues)


def check_compatibility(
    old: Any,
    new: Any,
    *,
    mode: str = "backward",
    unique_key_old: Any = None,
    unique_key_new: Any = None,
    strict: bool = False,
    data: Iterable[Any] | None = None,
    pipeline: Any = None,
    bucket_id: str | None = None,
) -> CompatibilityReport:
    """Whether ``new`` can replace ``old`` under ``mode``, each breaking change proven by a witness object.

    ``old`` and ``new`` are bucket schemas or whole bucket requests (their
    ``unique_key`` is then used unless ``unique_key_old``/``unique_key_new``
    is given). ``mode`` is one of :data:`MODES`; for a ``_transitive`` mode
    ``old`` is a list of earlier versions, oldest first (for the other modes
    a list means its last version). ``strict`` is ``compile_schema``'s.
    ``data`` holds stored objects: each is validated against both schemas and
    turns a hypothetical finding into an error, or clears it. ``pipeline`` is
    a manifest as ``resolve_pipeline`` takes it; its collections are resolved
    under both schemas, with the bucket ``bucket_id`` (by default: the one
    whose schema is ``old``) set to each.
    Never raises on bad input: an unusable schema or mode is an issue.
    """
    mode = plain_text(mode)  # a caller's str subclass never runs its __eq__
    if not isinstance(mode, str) or mode not in MODES:
        hint = did_you_mean_hint(mode, MODES) if isinstance(mode, str) else None
        return _unusable(
            str(mode) if isinstance(mode, str) else "backward",
            [
                Issue(
                    "invalid_argument",
                    ("mode",),
                    f"mode must be one of {', '.join(MODES)}, found {describe(mode)}",
                    hint,
                )
            ],
        )
    versions: list[Any]
    if isinstance(old, (list, tuple)):
        versions = list(old)
        if not versions:
            return _unusable(mode, [Issue("invalid_argument", ("old",), "old must hold at least one schema version")])
        if not mode.endswith(TRANSITIVE_SUFFIX):
            versions = versions[-1:]
    else:
        versions = [old]
    new_schema, new_key, new_issues = _read(new, unique_key_new, "new", strict)
    definition_issues = list(new_issues)
    olds: list[tuple[SchemaDef, tuple[str, ...]]] = []
    for i, version in enumerate(versions):
        label = "old" if len(versions) == 1 else f"version {i}"
        schema, key, issues = _read(version, unique_key_old, label, strict)
        definition_issues.extend(issues)
        if schema is not None:
            olds.append((schema, key))
    if new_schema is None or len(olds) != len(versions):
        return _unusable(mode, definition_issues)
    findings: list[Finding] = []
    changes: list[Change] = []
    new_side = _Side(new_schema, new_key, strict)
    directions = MODES[mode]
    old_sides = [_Side(s, k, strict) for s, k in olds]
    for i, old_side in enumerate(old_sides):
        label = f"version {i}: " if len(old_sides) > 1 else ""
        pair_changes = _diff(old_side, new_side)
        changes.extend(pair_changes)
        findings.extend(_judge(pair_changes, _Searcher(old_side, new_side, strict), directions, label))
    data_summary = None
    if data is not None:
        if isinstance(data, (str, bytes, Mapping)) or not isinstance(data, Iterable):
            problem = f"data must be an iterable of objects, found {describe(data)}"
            return _unusable(mode, [*definition_issues, Issue("invalid_argument", ("data",), problem)])
        findings, data_summary = _apply_data(findings, data, old_sides[-1], new_side, directions)
    if pipeline is not None:
        from schemakit.schema._compat_pipeline import downstream

        last = old_sides[-1]
        findings.extend(downstream(pipeline, last.schema, new_schema, last.key, new_key, bucket_id=bucket_id))
    warnings_only = [i for i in definition_issues if not i.is_error]
    return CompatibilityReport(mode, findings, changes, data_summary, warnings_only)


def _diff(old: _Side, new: _Side) -> list[Change]:
    differ = _Differ()
    differ.fields(old.schema.fields, new.schema.fields, (), ())
    if old.key != new.key:
        was = ", ".join(old.key) or "none"
        now = ", ".join(new.key) or "none"
        differ.add("unique_key_changed", ("unique_key",), f"unique key ({was}) -> ({now})", Slot("key", ()), None, None)
    return differ.changes


def _judge(changes: list[Change], searcher: _Searcher, directions: tuple[Direction, ...], label: str) -> list[Finding]:
    out: list[Finding] = []
    for change in changes:
        rule = RULES[change.code]
        if rule.never_error:
            if directions:
                out.append(Finding(_issue(change, "warning", label, None), change, None))
            continue
        found: Witness | None = None
        proven: list[Direction] = []
        for direction in directions:
            if direction not in rule.breaks:
                continue
            w = searcher.witness(change, direction)
            if w is not None and not w.hypothetical:
                proven.append(direction)
            if w is not None and (found is None or (found.hypothetical and not w.hypothetical)):
                found = w
        if found is None:
            continue
        severity = "warning" if found.hypothetical else "error"
        out.append(Finding(_issue(change, severity, label, found, proven), change, found))
    return out


_REJECTED = {"backward": "stored objects", "forward": "objects written under the new schema"}


def _issue(
    change: Change, severity: str, label: str, witness: Witness | None, proven: Sequence[Direction] = ()
) -> Issue:
    rule = RULES[change.code]
    message = f"{label}{change.message}"
    if witness is not None and witness.hypothetical:
        message += f"; {_REJECTED[witness.direction]} that carry this key may be rejected (see the witness"
        message += "; --data settles it)" if witness.direction == "backward" else ")"
    elif proven:
        both = " and ".join(proven)
        message += f"; breaks {both} compatibility: {' and '.join(_REJECTED[d] for d in proven)} can be rejected"
    return Issue(change.code, change.path, message, rule.hint, "warning" if severity == "warning" else "error")


def _apply_data(
    findings: list[Finding],
    data: Iterable[Any],
    old: _Side,
    new: _Side,
    directions: tuple[Direction, ...],
) -> tuple[list[Finding], dict[str, int]]:
    """Stored objects as evidence: each hypothetical finding becomes an error with an object that breaks, or goes."""
    checked = broken = already_invalid = 0
    # stored objects speak for backward compatibility only: a forward finding stays as it is
    open_findings = {
        i: f
        for i, f in enumerate(findings)
        if f.witness is not None and f.witness.hypothetical and f.witness.direction == "backward"
    }
    proven: dict[int, tuple[int, Any]] = {}  # finding -> how many objects it rejects, the first of them
    for obj in data:
        checked += 1
        if not old.validator.is_valid(obj):
            already_invalid += 1
            continue
        result = new.validator.validate(obj)
        if result.ok:
            continue
        broken += 1
        for i, f in enumerate(findings):
            if f.change is None or f.witness is None:
                continue
            where = f.change.slot.object_path
            if i in open_findings and any(_object_path(e, obj)[: len(where)] == where for e in result.errors):
                count, first = proven.get(i, (0, obj))
                proven[i] = (count + 1, first)
    out: list[Finding] = []
    for i, f in enumerate(findings):
        if i in open_findings:
            if i not in proven:
                continue  # no stored object carries the key with a value the new schema rejects: cleared
            assert f.change is not None
            count, first = proven[i]
            w = Witness("backward", first, from_data=True)
            issue = Issue(
                f.issue.code,
                f.issue.path,
                f"{f.change.message}; breaks backward compatibility: {count} of the {checked} stored objects given"
                " are rejected (the first is the witness)",
                f.issue.hint,
                "error",
            )
            out.append(Finding(issue, f.change, w))
        else:
            out.append(f)
    return out, {"objects": checked, "broken": broken, "already_invalid": already_invalid}
