"""The JSON Schema (2020-12) of an object request for one bucket.

It says as much of the validator's rules as JSON Schema can: types, required
fields, enums, strictness, blob shapes, one blob per single-file property,
MIME types that are declared or in a data URI, base64 syntax. What it cannot
say is listed in :data:`NOT_EXPRESSED`; the compiled validator is the
authority for those.

Patterns avoid Python-only syntax so other validators (jsonschema-rs,
fastjsonschema) read them the same, and end with ``(?!\\n)$`` because Python's
``$`` alone also matches before a trailing newline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from schemakit._contract.bucket import FieldDef, SchemaDef
from schemakit._contract.types import FIELD_TYPES
from schemakit.schema._blobs import FILE_RULES, URL_REST, URL_SCHEME

if TYPE_CHECKING:
    from schemakit.schema._codegen import Options

DIALECT = "https://json-schema.org/draft/2020-12/schema"

NOT_EXPRESSED = (
    "calendar validity of dates and date-times (2024-02-30), beyond their syntax",
    "NaN and infinity in number fields (JSON has neither)",
    "the 1024-byte UTF-8 limit of key_prefix (maxLength counts characters)",
    "blob_too_large: decoded inline size",
    "the MIME type implied by a URL's or file name's extension for blobs without a type",
    "case-insensitive 'auto' and type names beyond ASCII letters",
)

END = r"(?!\n)$"
_SUB = r"[A-Za-z0-9_.+-]+"
_URL = "^" + URL_SCHEME + URL_REST + END
# strict, padded, non-empty base64 (what binascii's strict mode decodes)
_B64 = r"(?=[A-Za-z0-9+/])(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"
_LOOKS_LIKE_URL = r"^[A-Za-z][A-Za-z0-9+.-]*://"
_KEY_PREFIX = r"^(?!(?:[\s\S]*/)?\.\.(?:/|$))[^\u0000-\u001f\u007f-\u009f]*" + END
_UPLOAD_ID = r"^upl_[a-zA-Z0-9_-]+" + END


def ci(text: str) -> str:
    """A regex matching ``text`` in any letter case (JSON Schema has no case-insensitive flag)."""
    out = []
    for ch in text:
        if ch.isascii() and ch.isalpha():
            out.append(f"[{ch.lower()}{ch.upper()}]")
        elif ch in ".+/()[]{}*?^$|\\":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _mime_pattern(ftype: str) -> str:
    """The MIME types (any case) a field type accepts, as a regex without anchors."""
    rule = FILE_RULES[ftype]
    alts = [ci(prefix) + _SUB for prefix in rule.prefixes]
    alts += [ci(mime) for mime in rule.exact]
    alts += [r"[A-Za-z0-9][A-Za-z0-9_.+-]*/[A-Za-z0-9_.+-]*" + ci(suffix) for suffix in rule.suffixes]
    return "(?:" + "|".join(alts) + ")"


def _data_schema(ftype: str) -> dict[str, Any]:
    mime = _mime_pattern(ftype)
    options: list[dict[str, Any]] = [
        {"type": "string", "pattern": _URL},
        {
            "type": "string",
            "pattern": r"^data:\s*" + mime + r"\s*(?:;[^;,]*)*;" + ci("base64") + "," + _B64 + END,
        },
        {
            "type": "object",
            "required": ["base64"],
            "not": {"required": ["url"]},
            "properties": {
                "base64": {"type": "string", "pattern": "^" + _B64 + END},
                "mime_type": {
                    "anyOf": [
                        {"type": "null"},
                        {"type": "string", "pattern": r"^\s*" + mime + r"\s*(?:;[\s\S]*)?" + END},
                    ]
                },
                "filename": {"type": ["string", "null"]},
            },
        },
        {
            "type": "object",
            "required": ["url"],
            "not": {"required": ["base64"]},
            "properties": {"url": {"type": "string", "pattern": _URL}},
        },
    ]
    if FILE_RULES[ftype].inline_text:
        options.append(
            {
                "type": "string",
                "minLength": 1,
                "not": {"anyOf": [{"pattern": _LOOKS_LIKE_URL}, {"pattern": "^data:"}]},
            }
        )
    return {"anyOf": options}


def _blob_type_schema(ftype: str) -> dict[str, Any]:
    return {"anyOf": [{"type": "null"}, {"type": "string", "pattern": f"^(?:{ci(ftype)}|{ci('auto')}){END}"}]}


def _blob_schema(files: dict[str, str]) -> dict[str, Any]:
    not_null = {"not": {"type": "null"}}
    schema: dict[str, Any] = {
        "type": "object",
        "required": ["property"],
        "properties": {
            "property": {"type": "string", "enum": sorted(files)} if files else {"not": {}},
            "type": {"type": ["string", "null"]},
            "upload_id": {"anyOf": [{"type": "null"}, {"type": "string", "pattern": _UPLOAD_ID}]},
            "key_prefix": {"anyOf": [{"type": "null"}, _key_prefix_schema()]},
            "metadata": {"type": ["object", "null"]},
            "canonicalize_source": {"type": ["boolean", "null"]},
            "force_remirror": {"type": ["boolean", "null"]},
        },
        "oneOf": [
            {"required": ["data"], "properties": {"data": not_null}},
            {"required": ["upload_id"], "properties": {"upload_id": not_null}},
        ],
    }
    rules = []
    for name, ftype in files.items():
        rules.append(
            {
                "if": {"required": ["property"], "properties": {"property": {"const": name}}},
                "then": {
                    "properties": {
                        "type": _blob_type_schema(ftype),
                        "data": {"anyOf": [{"type": "null"}, _data_schema(ftype)]},
                    }
                },
            }
        )
    if rules:
        schema["allOf"] = rules
    return schema


def _key_prefix_schema() -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": 1024, "pattern": _KEY_PREFIX}


def field_schema(f: FieldDef, options: Options) -> dict[str, Any]:
    """The schema of a non-null value of ``f``: its type's fragment, what a container holds, the annotations."""
    ftype = FIELD_TYPES[f.type]
    out = dict(ftype.json_schema)
    members = _MEMBERS.get(ftype.check_kind)
    if members is not None:
        members(f, options, out)
    if f.enum is not None:
        out["enum"] = list(f.enum)
    if f.description:
        out["description"] = f.description
    if f.has_default:
        out["default"] = f.default  # an annotation: validate() fills it into r.value
    return out


def _object_members(f: FieldDef, options: Options, out: dict[str, Any]) -> None:
    props = f.properties or {}
    out["properties"] = {k: slot_schema(sub, options) for k, sub in props.items()}
    required = [k for k, sub in props.items() if sub.required]
    if required:
        out["required"] = required
    if options.strict:
        out["additionalProperties"] = False


def _array_members(f: FieldDef, options: Options, out: dict[str, Any]) -> None:
    if f.items is not None:
        out["items"] = slot_schema(f.items, options)


# What a container's schema says of its members, by the type table's check kind.
_MEMBERS: dict[str, Callable[[FieldDef, Options, dict[str, Any]], None]] = {
    "object": _object_members,
    "array": _array_members,
}


def slot_schema(f: FieldDef, options: Options) -> dict[str, Any]:
    """A field's value where it may stand: null is allowed unless the field is required."""
    value = field_schema(f, options)
    if f.required:
        return value
    return {"anyOf": [{"type": "null"}, value]}


def build_json_schema(schema: SchemaDef, options: Options) -> dict[str, Any]:
    files: dict[str, str] = {}
    properties: dict[str, Any] = {
        "key_prefix": {"anyOf": [{"type": "null"}, _key_prefix_schema()]},
        "skip_duplicates": {"type": "boolean"},
        "canonicalize_source": {"type": "boolean"},
        "force_remirror": {"type": "boolean"},
        "object_id": True,
        "bucket_id": True,
    }
    required: list[str] = []
    blob_rules: list[dict[str, Any]] = []
    needs_blobs = False
    for name, f in schema.fields.items():
        if f.is_file or f.file_items:
            ftype = f.items.type if f.file_items and f.items is not None else f.type
            files[name] = ftype
            # a file given as a top-level key instead of a blob
            properties[name] = {"type": "null"}
            match = {"type": "object", "required": ["property"], "properties": {"property": {"const": name}}}
            if f.file_items:
                if f.required:
                    blob_rules.append({"contains": match, "minContains": 1})
            else:
                blob_rules.append({"contains": match, "minContains": 1 if f.required else 0, "maxContains": 1})
            needs_blobs = needs_blobs or f.required
            continue
        properties[name] = slot_schema(f, options)
        if f.required:
            required.append(name)
    for name in options.unique_key:
        if name not in required:
            required.append(name)
        properties[name] = {
            "allOf": [
                properties[name],
                {"not": {"type": "null"}, "minLength": 1, "maxLength": 255},
            ]
        }
    blobs: dict[str, Any] = {"type": "array", "items": _blob_schema(files)}
    if blob_rules:
        blobs["allOf"] = blob_rules
    properties["blobs"] = blobs
    if needs_blobs:
        required.append("blobs")
    out: dict[str, Any] = {
        "$schema": DIALECT,
        "title": "CreateObjectRequest",
        "description": "An object request for this bucket, as far as JSON Schema can express it",
        "type": "object",
        "properties": properties,
    }
    if required:
        out["required"] = required
    if options.strict:
        out["additionalProperties"] = False
    return out
