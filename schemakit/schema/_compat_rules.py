"""The compatibility rules: one row per change code, saying which directions it can break and how to avoid it.

``check_compatibility`` dispatches from :data:`RULES` and nothing else: a
change is searched for a witness only in the directions its row names, its
hint comes from its row, and the docs' mode table is generated from these
rows (``docs/_hooks/codes.py``). A direction is ``backward`` (objects valid
under the old schema must stay valid under the new one) or ``forward``
(objects valid under the new schema must be valid under the old one); a mode
is a set of directions (:data:`MODES`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

__all__ = ["DIRECTIONS", "MODES", "RULES", "Direction", "Rule", "mode_table"]

Direction = Literal["backward", "forward"]
DIRECTIONS: tuple[Direction, ...] = ("backward", "forward")

MODES: Mapping[str, tuple[Direction, ...]] = MappingProxyType(
    {
        "backward": ("backward",),
        "forward": ("forward",),
        "full": ("backward", "forward"),
        "backward_transitive": ("backward",),
        "forward_transitive": ("forward",),
        "full_transitive": ("backward", "forward"),
        "none": (),
    }
)
"""Confluent Schema Registry's modes; a ``_transitive`` mode checks the new schema against every earlier version."""

TRANSITIVE_SUFFIX = "_transitive"


@dataclass(frozen=True, slots=True)
class Rule:
    """One change code.

    ``breaks`` names the directions in which the change can reject an object;
    it is an error there only when a witness object is built and verified by
    the validator (a change the search proves harmless is listed among the
    report's changes, not its issues).
    """

    code: str
    breaks: tuple[Direction, ...]
    summary: str
    hint: str
    example: str
    """A call that reports the code (run by the code registry's tests and printed in the docs)."""
    severity: Literal["error", "warning"] = "error"
    """What ``example`` reports: an error, or a warning (a change that never rejects an object, or is hypothetical)."""
    never_error: bool = False
    """The change never rejects an object (a default, an output schema): always a warning."""


def _collection(**extractor: Any) -> dict[str, Any]:
    return {
        "collection_name": "titles",
        "source": {"type": "bucket", "bucket_ids": ["b"]},
        "feature_extractor": {
            "feature_extractor_name": "text_extractor",
            "version": "v1",
            "input_mappings": {"text": "title"},
            **extractor,
        },
    }


_TITLED = {"properties": {"title": {"type": "string"}}}
_PIPELINE = {"buckets": {"b": _TITLED}, "collections": {"c": _collection()}}
_PASSTHROUGH_PIPELINE = {
    "buckets": {"b": _TITLED},
    "collections": {"c": _collection(field_passthrough=[{"source_path": "title"}])},
}


def _example(old: Any, new: Any, options: str = "", *, pipeline: Any = None) -> str:
    """A registry example: the two schemas (and the pipeline), then the call whose issues show the code."""
    lines = [f"old = {old!r}", f"new = {new!r}"]
    args = ["old", "new"]
    if options:
        args.append(options)
    if pipeline is not None:
        lines.append(f"pipeline = {pipeline!r}")
        args.append("pipeline=pipeline")
    lines.append(f"schemakit.check_compatibility({', '.join(args)})")
    return "\n".join(lines)


_ROWS = (
    Rule(
        "field_removed",
        ("backward", "forward"),
        "A field the old schema declares is gone. Stored blobs for a removed file field, and keys of a strict "
        "bucket, are rejected; a non-strict bucket ignores a removed metadata key.",
        "keep the field declared (optional) and stop writing it, rather than removing it",
        _example({'properties': {'photo': {'type': 'image'}}}, {'properties': {}}),
    ),
    Rule(
        "field_added",
        ("backward", "forward"),
        "An optional field is new. A non-strict bucket's stored objects may already carry that key with another "
        "type (a warning that --data settles); a strict old schema rejects new objects that set it.",
        "check the stored objects with --data, or give the new field a name no stored object uses",
        _example({'properties': {}}, {'properties': {'rating': {'type': 'integer'}}}),
        severity="warning",
    ),
    Rule(
        "required_field_added",
        ("backward", "forward"),
        "A new field is required: stored objects lack it.",
        "add the field as optional; a default does not make an absent required field valid",
        _example({'properties': {}}, {'properties': {'sku': {'type': 'string', 'required': True}}}),
    ),
    Rule(
        "optional_became_required",
        ("backward",),
        "An optional field became required: stored objects without it are rejected.",
        "keep the field optional; a default does not make an absent required field valid",
        _example(
            {'properties': {'sku': {'type': 'string'}}},
            {'properties': {'sku': {'type': 'string', 'required': True}}},
        ),
    ),
    Rule(
        "required_became_optional",
        ("forward",),
        "A required field became optional: readers built for the old schema reject new objects without it.",
        "keep the field required while old readers remain",
        _example(
            {'properties': {'sku': {'type': 'string', 'required': True}}},
            {'properties': {'sku': {'type': 'string'}}},
            "mode='forward'",
        ),
    ),
    Rule(
        "type_changed",
        ("backward", "forward"),
        "The field's type changed to one that accepts different values (string -> integer, object -> array, "
        "a metadata field -> a file field).",
        "add a new field with the new type instead of changing this one",
        _example({'properties': {'n': {'type': 'string'}}}, {'properties': {'n': {'type': 'integer'}}}),
    ),
    Rule(
        "type_narrowed",
        ("backward",),
        "The new type accepts a subset of the old one's values (number -> integer, string -> date).",
        "widen instead of narrowing, or add a new field with the narrower type",
        _example({'properties': {'n': {'type': 'number'}}}, {'properties': {'n': {'type': 'integer'}}}),
    ),
    Rule(
        "type_widened",
        ("forward",),
        "The new type accepts more values than the old one (integer -> number, date -> string).",
        "widening is safe for stored objects; keep the old type while old readers remain",
        _example(
            {'properties': {'n': {'type': 'integer'}}},
            {'properties': {'n': {'type': 'number'}}},
            "mode='forward'",
        ),
    ),
    Rule(
        "items_type_changed",
        ("backward", "forward"),
        "The type of an array's items changed (or an array of anything got typed items, or lost them).",
        "add a new array field with the new items instead of changing these",
        _example(
            {'properties': {'t': {'type': 'array', 'items': {'type': 'string'}}}},
            {'properties': {'t': {'type': 'array', 'items': {'type': 'integer'}}}},
        ),
    ),
    Rule(
        "file_type_changed",
        ("backward", "forward"),
        "A file field takes another kind of blob (image -> video): blobs of the old kind are rejected.",
        "add a new file field of the new kind instead of changing this one",
        _example({'properties': {'f': {'type': 'image'}}}, {'properties': {'f': {'type': 'video'}}}),
    ),
    Rule(
        "file_cardinality_changed",
        ("backward", "forward"),
        "A file field changed between one blob and an array of blobs: a second blob is rejected by a single one.",
        "going from one file to an array of files is safe for stored objects; the reverse is not",
        _example(
            {'properties': {'f': {'type': 'array', 'items': {'type': 'image'}}}},
            {'properties': {'f': {'type': 'image'}}},
        ),
    ),
    Rule(
        "enum_value_removed",
        ("backward",),
        "An enum lost values: stored objects holding them are rejected.",
        "keep the old values in the enum",
        _example(
            {'properties': {'s': {'type': 'string', 'enum': ['a', 'b']}}},
            {'properties': {'s': {'type': 'string', 'enum': ['a']}}},
        ),
    ),
    Rule(
        "enum_value_added",
        ("forward",),
        "An enum gained values: readers built for the old schema reject them.",
        "adding values is safe for stored objects; keep the old enum while old readers remain",
        _example(
            {'properties': {'s': {'type': 'string', 'enum': ['a']}}},
            {'properties': {'s': {'type': 'string', 'enum': ['a', 'b']}}},
            "mode='forward'",
        ),
    ),
    Rule(
        "enum_added",
        ("backward",),
        "A field without an enum got one: stored values outside it are rejected.",
        "check the stored values with --data before restricting the field",
        _example({'properties': {'s': {'type': 'string'}}}, {'properties': {'s': {'type': 'string', 'enum': ['a']}}}),
    ),
    Rule(
        "enum_removed",
        ("forward",),
        "A field's enum was removed: readers built for the old schema reject values outside it.",
        "removing an enum is safe for stored objects; keep it while old readers remain",
        _example(
            {'properties': {'s': {'type': 'string', 'enum': ['a']}}},
            {'properties': {'s': {'type': 'string'}}},
            "mode='forward'",
        ),
    ),
    Rule(
        "default_changed",
        (),
        "A default was added, removed or changed: validity is unchanged, but objects that omit the field are "
        "normalized to another value.",
        "make sure readers expect the new value of objects that omit the field",
        _example(
            {'properties': {'s': {'type': 'string', 'default': 'a'}}},
            {'properties': {'s': {'type': 'string', 'default': 'b'}}},
        ),
        severity="warning",
        never_error=True,
    ),
    Rule(
        "unique_key_changed",
        ("backward", "forward"),
        "The unique key's fields changed: objects missing a new key field are rejected, and objects distinct "
        "under one key may collide under the other.",
        "keep the unique key; deduplicate stored objects under the new key before changing it",
        _example(
            {'properties': {'a': {'type': 'string'}, 'b': {'type': 'string'}}},
            {'properties': {'a': {'type': 'string'}, 'b': {'type': 'string'}}},
            "unique_key_old={'fields': ['a', 'b']}, unique_key_new={'fields': ['a']}",
        ),
    ),
    Rule(
        "collection_broken",
        ("backward",),
        "A collection of the pipeline that resolves under the old schema does not resolve under the new one.",
        "keep the fields the collection reads, or change its input_mappings with the schema",
        _example({'properties': {'title': {'type': 'string'}}}, {'properties': {}}, pipeline=_PIPELINE),
    ),
    Rule(
        "output_schema_changed",
        (),
        "A collection's output schema differs under the new schema: its downstream readers see other fields.",
        "check the collections and clients that read this collection",
        _example(
            {'properties': {'title': {'type': 'string'}}},
            {'properties': {'title': {'type': 'text'}}},
            pipeline=_PASSTHROUGH_PIPELINE,
        ),
        severity="warning",
        never_error=True,
    ),
)

RULES: Mapping[str, Rule] = MappingProxyType({r.code: r for r in _ROWS})
"""Every change code of ``check_compatibility``, in the order the docs list them."""


def breaks_mode(rule: Rule, mode: str) -> bool:
    """Whether ``rule`` can break ``mode`` (the mode's directions meet the rule's)."""
    return any(d in rule.breaks for d in MODES[mode])


def mode_table() -> list[tuple[str, list[str], str, str, str]]:
    """Rows for the docs: code, the modes it can break, severity, summary, hint."""
    shown = [m for m in MODES if not m.endswith(TRANSITIVE_SUFFIX) and m != "none"]
    return [
        (r.code, [m for m in shown if breaks_mode(r, m)], r.severity, r.summary, r.hint) for r in _ROWS
    ]


def rules_markdown() -> str:
    """The docs' table of codes and modes (``docs/compatibility.md`` is built with it)."""
    shown = [m for m in MODES if not m.endswith(TRANSITIVE_SUFFIX) and m != "none"]
    lines = [
        "| code | " + " | ".join(shown) + " | severity | what changed | how to change safely |",
        "|---|" + "---|" * len(shown) + "---|---|---|",
    ]
    for code, modes, severity, summary, hint in mode_table():
        marks = " | ".join("can break" if m in modes else "" for m in shown)
        text = summary.replace("|", "\\|")
        lines.append(f"| [`{code}`](reference/codes.md#{code}) | {marks} | {severity} | {text} | {hint} |")
    return "\n".join(lines)
