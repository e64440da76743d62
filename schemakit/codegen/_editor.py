"""JSON Schemas that let an editor check and complete bucket files and pipeline manifests.

yaml-language-server and VS Code's JSON support read JSON Schema draft 7 (and
below), so these default to draft 7; ``2020-12`` is the same schema under that
dialect. They hold what the definition readers check where JSON Schema can
say it: the field types and keywords of a bucket file (read from the type
table and :data:`schemakit._contract.bucket.FIELD_KEYWORDS`), the keys of a
manifest and its collection requests (read from the request reader's property
tables), extractor names and versions from the registry, and, given a
resolved pipeline, each collection's real source paths. The readers remain
the authority: a rule across values (a default outside the enum, a unique key
naming a missing field, a cycle of collections) is theirs alone
(:data:`NOT_EXPRESSED`).

``markdownDescription`` and ``defaultSnippets`` are the editors' own keywords
(VS Code, yaml-language-server), as SchemaStore's schemas use them.
"""

from __future__ import annotations

import contextlib
import copy
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from schemakit._contract import paths
from schemakit._contract.bucket import (
    BUCKET_REQUEST_KEYWORDS,
    FIELD_KEYWORDS,
    MAX_FIELD_NAME_LENGTH,
    RESERVED_FIELD_NAMES,
    UNIQUE_KEY_KEYWORDS,
    UNIQUE_KEY_POLICIES,
)
from schemakit._contract.types import FIELD_TYPES, METADATA_TYPES
from schemakit._issues import SchemakitError
from schemakit.schema._jsonschema import ci

Draft = Literal["7", "2020-12"]
DRAFTS: tuple[Draft, ...] = ("7", "2020-12")
DIALECTS: Mapping[str, str] = {
    "7": "http://json-schema.org/draft-07/schema#",
    "2020-12": "https://json-schema.org/draft/2020-12/schema",
}
# Refuses any value; written so rather than ``false`` because jsonschema reports a false subschema's
# error at the parent object, not at the key it refuses.
NEVER: Mapping[str, Any] = {"not": {}}

# The editors' keywords beyond JSON Schema: a strict validator must be told of them (Ajv: addKeyword).
EDITOR_KEYWORDS = ("markdownDescription", "defaultSnippets", "enumDescriptions", "markdownEnumDescriptions")

NOT_EXPRESSED = (
    "a default outside the field's enum (invalid_default)",
    "a unique key naming a field the schema lacks or a non-scalar one",
    "calendar validity of date and date-time defaults and enum values",
    "collections' sources that do not exist, form a cycle or disagree with each other",
    "two passthrough fields with the same target, a passthrough named like an extractor output",
    "source_filters: the filter language",
)

FIELD_KEYWORD_DOCS: Mapping[str, str] = {
    "type": "The field type (any letter case): a metadata value, or a file supplied as a blob.",
    "required": "Whether every object must carry the field (a null counts as missing). Default false.",
    "default": "The value an object without the field is given; it must be a valid value of the type.",
    "enum": "The only values the field may hold (scalar fields); each must be a valid value of the type.",
    "description": "What the field holds, for people and generated docs.",
    "examples": "Example values, for people and generated docs.",
    "properties": "The fields of an `object` field, by name.",
    "items": "The definition of each element of an `array` field.",
}
assert tuple(FIELD_KEYWORD_DOCS) == FIELD_KEYWORDS

REQUEST_KEYWORD_DOCS: Mapping[str, str] = {
    "bucket_name": "The bucket's name.",
    "description": "What the bucket holds.",
    "bucket_schema": 'The fields of the bucket\'s objects: `{"properties": {...}}`.',
    "unique_key": "The fields whose values identify an object, and what an upload of an existing key does.",
    "metadata": "Free-form data about the bucket.",
}
assert tuple(REQUEST_KEYWORD_DOCS) == BUCKET_REQUEST_KEYWORDS


def described(schema: dict[str, Any], text: str) -> dict[str, Any]:
    """A copy of ``schema`` with ``text`` as its description, plain and Markdown (the editor shows the latter)."""
    schema = dict(schema)
    schema["description"] = re.sub(r"`([^`]*)`", r"\1", text)
    schema["markdownDescription"] = text
    return schema


def _type_text(name: str) -> str:
    entry = FIELD_TYPES[name]
    if entry.is_file:
        return f"`{name}`: a file field, supplied as {entry.label}."
    return f"`{name}`: a metadata value, {entry.label}."


def _type_schema(names: tuple[str, ...]) -> dict[str, Any]:
    """The ``type`` keyword: the names as an enum (completion) or in any case with spaces around (the reader)."""
    alternatives = "|".join(ci(n) for n in names)
    schema: dict[str, Any] = {
        "anyOf": [
            {"type": "string", "enum": list(names)},
            {"type": "string", "pattern": rf"^\s*(?:{alternatives})\s*$"},
        ],
        "enumDescriptions": [_type_text(n).replace("`", "") for n in names],
        "markdownEnumDescriptions": [_type_text(n) for n in names],
    }
    return described(schema, FIELD_KEYWORD_DOCS["type"] + " One of: " + ", ".join(names) + ".")


def _type_is(names: Iterable[str]) -> dict[str, Any]:
    alternatives = "|".join(ci(n) for n in names)
    return {"required": ["type"], "properties": {"type": {"type": "string", "pattern": rf"^\s*(?:{alternatives})\s*$"}}}


def _value_rules() -> list[dict[str, Any]]:
    """A default and enum values fit the field's type: the type table's JSON Schema of a value, per type."""
    rules: list[dict[str, Any]] = []
    for name in METADATA_TYPES:
        value = dict(FIELD_TYPES[name].json_schema)
        value.pop("format", None)  # a format is an annotation to most validators, and unknown to Ajv's core
        # null is "no default" to the reader; a type list rather than anyOf, so an error points at the value
        nullable = {**value, "type": [value["type"], "null"]}
        rules.append(
            {
                "if": _type_is([name]),
                "then": {
                    "properties": {
                        "default": nullable,
                        "enum": {"type": ["array", "null"], "items": value},
                    }
                },
            }
        )
    return rules


def _snippets(names: tuple[str, ...]) -> list[dict[str, Any]]:
    out = []
    for name in names:
        body: dict[str, Any] = {"type": name}
        check = FIELD_TYPES[name].check_kind
        if check == "object":
            body["properties"] = {}
        elif check == "array":
            body["items"] = {"type": "string"}
        if not FIELD_TYPES[name].is_file:
            body["required"] = False
        out.append({"label": f"{name} field", "description": _type_text(name).replace("`", ""), "body": body})
    return out


def _field(types: tuple[str, ...], properties_ref: str, items_ref: str, snippets: bool) -> dict[str, Any]:
    keywords: dict[str, Any] = {
        "type": _type_schema(types),
        "required": described({"type": ["boolean", "null"]}, FIELD_KEYWORD_DOCS["required"]),
        "default": described({}, FIELD_KEYWORD_DOCS["default"]),
        "enum": described({"type": ["array", "null"]}, FIELD_KEYWORD_DOCS["enum"]),
        "description": described({"type": ["string", "null"]}, FIELD_KEYWORD_DOCS["description"]),
        "examples": described({"type": ["array", "null"]}, FIELD_KEYWORD_DOCS["examples"]),
        "properties": {"$ref": properties_ref},
        "items": described({"$ref": items_ref}, FIELD_KEYWORD_DOCS["items"]),
    }
    assert tuple(keywords) == FIELD_KEYWORDS
    schema: dict[str, Any] = {
        "type": "object",
        "required": ["type"],
        "properties": keywords,
        # a vendor extension, as in OpenAPI; any other key is a misspelled keyword to the reader
        "patternProperties": {"^x-": {}},
        "additionalProperties": False,
        "allOf": [
            # properties only on objects, items only on arrays (misplaced_keyword)
            {"if": _type_is(_kinds("object")), "else": {"properties": {"properties": dict(NEVER)}}},
            {"if": _type_is(_kinds("array")), "else": {"properties": {"items": dict(NEVER)}}},
            *_value_rules(),
        ],
    }
    if snippets:
        schema["defaultSnippets"] = _snippets(types)
    return schema


def _kinds(check_kind: str) -> list[str]:
    return [t.name for t in FIELD_TYPES.values() if t.check_kind == check_kind]


def _names(*, top_level: bool, field_ref: str) -> dict[str, Any]:
    """A ``properties`` object of field definitions, with the reader's rules on the names themselves."""
    # a refused name's definition is still checked, as the reader checks it
    refused = {"allOf": [{"$ref": field_ref}, dict(NEVER)]}
    forbidden: dict[str, Any] = {"": refused}
    if top_level:
        forbidden.update({name: refused for name in sorted(RESERVED_FIELD_NAMES)})
    return described(
        {
            "type": "object",
            "properties": forbidden,
            "patternProperties": {
                r"\.": refused,  # '.' separates path segments
                r"^\$": refused,  # '$' marks operators and references
                f"^[\\s\\S]{{{MAX_FIELD_NAME_LENGTH + 1},}}": refused,
            },
            "additionalProperties": {"$ref": field_ref},
        },
        FIELD_KEYWORD_DOCS["properties"],
    )


def _bucket_definitions(prefix: str) -> dict[str, Any]:
    ref = f"#/{prefix}/"
    return {
        "topField": _field(tuple(FIELD_TYPES), ref + "properties", ref + "topItem", True),
        # the items of a top-level array may be files (several blobs for one property)
        "topItem": _field(tuple(FIELD_TYPES), ref + "properties", ref + "field", False),
        "field": _field(METADATA_TYPES, ref + "properties", ref + "field", True),
        "topProperties": _names(top_level=True, field_ref=ref + "topField"),
        "properties": _names(top_level=False, field_ref=ref + "field"),
        "bucketSchema": described(
            {
                "type": "object",
                "required": ["properties"],
                "properties": {"properties": {"$ref": ref + "topProperties"}},
                "patternProperties": {"^x-": {}},
                "additionalProperties": False,
            },
            REQUEST_KEYWORD_DOCS["bucket_schema"],
        ),
        "uniqueKey": described(
            {
                "type": "object",
                "required": ["fields"],
                "properties": dict(
                    zip(
                        UNIQUE_KEY_KEYWORDS,
                        (
                            {"type": "array", "minItems": 1, "items": {"type": "string"}},
                            {"type": ["string", "null"], "enum": [*UNIQUE_KEY_POLICIES, None]},
                        ),
                        strict=True,
                    )
                ),
                "patternProperties": {"^x-": {}},
                "additionalProperties": False,
            },
            REQUEST_KEYWORD_DOCS["unique_key"],
        ),
        "bucketRequest": {
            "type": "object",
            "required": ["bucket_schema"],
            "properties": {
                "bucket_name": described({"type": "string"}, REQUEST_KEYWORD_DOCS["bucket_name"]),
                "description": described({"type": ["string", "null"]}, REQUEST_KEYWORD_DOCS["description"]),
                "bucket_schema": {"$ref": ref + "bucketSchema"},
                "unique_key": {"anyOf": [{"type": "null"}, {"$ref": ref + "uniqueKey"}]},
                "metadata": described({"type": ["object", "null"]}, REQUEST_KEYWORD_DOCS["metadata"]),
            },
            "patternProperties": {"^x-": {}},
            "additionalProperties": False,
        },
        # a bucket file holds a request, or a bare bucket_schema (schemakit.is_bucket_request's rule)
        "bucketFile": {
            "type": "object",
            "if": {
                "required": ["properties"],
                "properties": {"properties": {}},
                "not": {"required": ["bucket_schema"], "properties": {"bucket_schema": {}}},
            },
            "then": {"$ref": ref + "bucketSchema"},
            "else": {"$ref": ref + "bucketRequest"},
        },
    }


def _dialect(schema: dict[str, Any], draft: Draft) -> dict[str, Any]:
    """``schema`` (written with draft 7's ``definitions``) under ``draft``."""
    if draft not in DIALECTS:
        raise ValueError(f"draft must be one of {', '.join(DIALECTS)}, found {draft!r}")
    out = {"$schema": DIALECTS[draft], **schema}
    if draft == "7":
        return out
    defs = out.pop("definitions")

    def move(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: (v.replace("#/definitions/", "#/$defs/") if k == "$ref" and isinstance(v, str) else move(v))
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [move(v) for v in node]
        return node

    moved: dict[str, Any] = move(out)
    moved["$defs"] = move(defs)
    return moved


def bucket_file_schema(*, draft: Draft = "7") -> dict[str, Any]:
    """The JSON Schema of a bucket file: a BucketCreateRequest, or a bare ``bucket_schema``."""
    schema = {
        "$id": "https://schemakit.dev/schemas/bucket.json",
        "title": "schemakit bucket file",
        "description": "A bucket request (bucket_name, bucket_schema, unique_key) or a bare bucket_schema.",
        "definitions": _bucket_definitions("definitions"),
        "$ref": "#/definitions/bucketFile",
    }
    return _dialect(schema, draft)


# -- manifests --------------------------------------------------------------------------------------------

_KINDS: Mapping[type, str] = {dict: "object", list: "array", str: "string", bool: "boolean"}


def _prop_schema(prop: Any) -> dict[str, Any]:
    """A request property from the reader's table: its JSON types (and null when it reads as left out)."""
    if prop.kinds is None:
        return {}
    kinds = []
    for kind in prop.kinds:
        json_kind = _KINDS.get(kind) or ("object" if issubclass(dict, kind) else None)
        if json_kind is not None:
            kinds.append(json_kind)
    if prop.nullable:
        kinds.append("null")
    out: dict[str, Any] = {"type": kinds[0] if len(kinds) == 1 else kinds}
    if prop.nonempty:
        out["minLength"] = 1
    if prop.items is not None:
        out["items"] = {"type": _KINDS[prop.items]}
    return out


def _object(table: Mapping[str, Any], overrides: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    properties = {k: overrides.get(k, _prop_schema(p)) for k, p in table.items()}
    required = [k for k, p in table.items() if p.required]
    out: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = required
    return out


def _enum(values: Iterable[Any]) -> dict[str, Any]:
    found = list(dict.fromkeys(values))
    return {"enum": found} if found else dict(NEVER)


SourceFields = dict[str, str]
"""A collection's source paths and the field type each names (None where the source did not resolve)."""


def _paths_of(source_fields: SourceFields | None, types: Iterable[str] | None = None) -> dict[str, Any]:
    """A source path value: one of the source's paths (of ``types``), or any string when the source is unknown."""
    if source_fields is None:
        return {"type": "string"}
    wanted = set(types) if types is not None else None
    return {"type": "string", **_enum(p for p, t in source_fields.items() if wanted is None or t in wanted)}


def _extractor_rules(registry: Any, source_fields: SourceFields | None) -> list[dict[str, Any]]:
    """Per extractor name and version: its inputs (names, required ones, the field types each accepts) and
    the outputs a target may not take."""
    rules = []
    for definition in registry:
        name_is = {
            "required": ["feature_extractor_name", "version"],
            "properties": {
                "feature_extractor_name": {"const": definition.name},
                "version": {"const": definition.version},
            },
        }
        # object keywords for the object form, items for the list form: each passes over the other
        mapping: dict[str, Any] = {
            "type": ["object", "array"],
            "properties": {name: _paths_of(source_fields, i.accepts) for name, i in definition.inputs.items()},
            "additionalProperties": dict(NEVER),
            "items": {
                "type": "object",
                "allOf": [
                    {
                        # a payload mapping (source_type absent or payload) of this input
                        "if": {
                            "type": "object",
                            "required": ["input_key"],
                            "properties": {"input_key": {"const": name}, "source_type": {"const": "payload"}},
                        },
                        "then": {"properties": {"path": _paths_of(source_fields, i.accepts)}},
                    }
                    for name, i in definition.inputs.items()
                ],
            },
        }
        if definition.required_inputs:
            mapping["required"] = list(definition.required_inputs)
        outputs = [*definition.outputs.fields]
        rules.append(
            {
                "if": name_is,
                "then": {
                    "properties": {
                        "input_mappings": mapping,
                        "field_passthrough": {
                            "type": "array",
                            "items": {"type": "object", "properties": {"target_path": {"not": _enum(outputs)}}}
                            if outputs
                            else {},
                        },
                    }
                },
            }
        )
    return rules


def _collection(
    registry: Any, collection_ids: list[str] | None, source_fields: SourceFields | None, *, rules: bool
) -> dict[str, Any]:
    from schemakit.mappings._request import (
        COLLECTION_NAME,
        EXTRACTOR,
        PASSTHROUGH,
        REQUEST,
        SOURCE,
        SOURCE_TYPES,
    )
    from schemakit.mappings._resolver import SYSTEM_FIELDS, TARGET_NAME

    path_value = _paths_of(source_fields)
    names = registry.names()
    versions = sorted({d.version for d in registry})
    ids: dict[str, Any] = (
        {"type": "string", **_enum(collection_ids)} if collection_ids is not None else {"type": "string"}
    )
    source = _object(
        SOURCE,
        {
            "type": described({"type": "string", "enum": list(SOURCE_TYPES)}, "Where documents come from."),
            "bucket_ids": {"type": "array", "minItems": 1, "items": {"type": "string"}},
            "bucket_id": {"type": "string"},
            "collection_id": ids,
            "collection_ids": {"type": "array", "minItems": 1, "items": ids},
            "source_filters": {"type": ["object", "null"]},
        },
    )
    source["allOf"] = [
        {
            "if": {"required": ["type"], "properties": {"type": {"const": "collection"}}},
            "then": {"properties": {"bucket_ids": dict(NEVER), "bucket_id": dict(NEVER)}},
        },
        {
            "if": {"required": ["type"], "properties": {"type": {"const": "bucket"}}},
            "then": {"properties": {"collection_id": dict(NEVER), "collection_ids": dict(NEVER)}},
        },
    ]
    passthrough = _object(
        PASSTHROUGH,
        {
            "source_path": described(path_value, "The dotted path of a source field to copy into each document."),
            "target_path": described(
                {"type": "string", "pattern": f"^{TARGET_NAME.pattern}$", "not": {"enum": list(SYSTEM_FIELDS)}},
                "The document field it is copied to (default: the last segment of `source_path`).",
            ),
            "default": {},
            "description": {},
        },
    )
    extractor = _object(
        EXTRACTOR,
        {
            "feature_extractor_name": described(
                {"type": "string", "enum": names}, "The feature extractor that makes the collection's documents."
            ),
            "version": described({"type": "string", "enum": versions}, "The extractor's version."),
            "input_mappings": described(
                {
                    "type": ["object", "array"],
                    # the object form maps each input to a path; the list form's entries are InputMappings
                    "additionalProperties": path_value,
                    "items": {"$ref": "#/definitions/inputMapping"},
                },
                "Each extractor input, and the source field it reads.",
            ),
            "field_passthrough": described(
                {"type": "array", "items": passthrough}, "Source fields copied into every document."
            ),
        },
    )
    if rules:
        extractor["allOf"] = _extractor_rules(registry, source_fields)
    return _object(
        REQUEST,
        {
            "collection_name": described(
                {"type": "string", "pattern": f"^{COLLECTION_NAME.pattern}$"}, "3 to 100 letters, digits, `_` or `-`."
            ),
            "source": source,
            "input_schema": {"anyOf": [{"type": "null"}, {"$ref": "#/definitions/bucketSchema"}]},
            "feature_extractor": extractor,
        },
    ) | {"_input_mapping": _input_mapping(source_fields)}


def _input_mapping(source_fields: SourceFields | None) -> dict[str, Any]:
    from schemakit.mappings._request import INPUT_MAPPING, INPUT_SOURCE_TYPES
    from schemakit.mappings._resolver import VECTOR_SOURCE_TYPES

    schema = _object(
        INPUT_MAPPING,
        {
            "source_type": described(
                {"type": "string", "enum": list(INPUT_SOURCE_TYPES)}, "How the input is read (default payload)."
            ),
            "path": _paths_of(source_fields),
        },
    )
    # a vector mapping reads an array field (the contract checks nothing more of it)
    schema["allOf"] = [
        {
            "if": {"type": "object", "required": ["source_type"], "properties": {"source_type": {"const": "vector"}}},
            "then": {"properties": {"path": _paths_of(source_fields, VECTOR_SOURCE_TYPES)}},
        }
    ]
    return schema


def manifest_schema(*, draft: Draft = "7", extractors: Any = None, pipeline: Any = None) -> dict[str, Any]:
    """The JSON Schema of a pipeline manifest.

    ``extractors`` is an :class:`~schemakit.mappings.ExtractorRegistry`
    (default: the built-in one); ``pipeline`` a manifest (dict or path) whose
    collections get their own entries, with ``input_mappings`` and
    ``field_passthrough.source_path`` values enumerated from the real source
    paths of each collection's source.
    """
    from schemakit.mappings import ExtractorRegistry, resolve_pipeline
    from schemakit.mappings._pipeline import MANIFEST_KEYS

    registry = extractors if extractors is not None else ExtractorRegistry.builtin()
    collections: dict[str, Any] = {}
    collection_ids: list[str] | None = None
    if pipeline is not None:
        manifest = _load(pipeline)
        declared = manifest.get("extractors") if isinstance(manifest, Mapping) else None
        if declared is not None:
            # the manifest's own broken definitions are check-pipeline's to report
            with contextlib.suppress(SchemakitError):
                registry = registry.with_definitions(declared)
        resolution = resolve_pipeline(manifest, extractors=registry)
        raw = manifest.get("collections") if isinstance(manifest, Mapping) else None
        collection_ids = list(raw) if isinstance(raw, Mapping) else []
        for cid, found in resolution.collections.items():
            # a source that did not resolve has no known paths: its values stay any string
            source_fields = (
                {".".join(segments): f.type for segments, f in paths.walk(found.input_def)}
                if found.input_def is not None
                else None
            )
            collections[cid] = _collection(registry, collection_ids, source_fields, rules=True)
    generic = _collection(registry, collection_ids, None, rules=True)
    definitions = _bucket_definitions("definitions")
    definitions["inputMapping"] = generic.pop("_input_mapping")
    definitions["collection"] = generic
    refs: dict[str, str] = {}
    for i, (cid, schema) in enumerate(collections.items()):
        # a definition name that needs no escaping in a JSON pointer or a URI fragment
        label = cid if re.fullmatch(r"[A-Za-z0-9_-]{1,100}", cid) else str(i)
        while f"collection_{label}" in definitions:
            label += "_"
        # each collection's own input mapping: its path values are that collection's source paths
        mapping = schema.pop("_input_mapping")
        _retarget(schema, "#/definitions/inputMapping", f"#/definitions/inputMapping_{label}")
        definitions[f"inputMapping_{label}"] = mapping
        definitions[f"collection_{label}"] = schema
        refs[cid] = f"#/definitions/collection_{label}"
    buckets = described(
        {"type": "object", "additionalProperties": {"$ref": "#/definitions/bucketFile"}},
        "The buckets the collections read, by id: bucket requests (or bare bucket_schemas).",
    )
    collection_entries = described(
        {
            "type": "object",
            "properties": {cid: {"$ref": ref} for cid, ref in refs.items()},
            "additionalProperties": {"$ref": "#/definitions/collection"},
        },
        "The collections, by id: CreateCollectionRequest bodies.",
    )
    properties: dict[str, Any] = {
        "name": described({"type": "string"}, "The pipeline's name."),
        "description": described({"type": "string"}, "What the pipeline does."),
        "version": {"type": ["string", "number"]},
        "metadata": {"type": "object"},
        "buckets": buckets,
        "collections": collection_entries,
        "extractors": described(
            {"type": ["array", "object"]}, "Feature extractor definitions added to the built-in ones."
        ),
    }
    assert set(properties) == set(MANIFEST_KEYS)
    schema = {
        "$id": "https://schemakit.dev/schemas/pipeline.json",
        "title": "schemakit pipeline manifest",
        "description": "Buckets, collections and extractors of one pipeline, resolved by schemakit check-pipeline.",
        "type": "object",
        "properties": {k: properties[k] for k in MANIFEST_KEYS},
        "additionalProperties": False,
        "definitions": definitions,
    }
    return _dialect(schema, draft)


def _retarget(node: Any, old: str, new: str) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and v == old:
                node[k] = new
            else:
                _retarget(v, old, new)
    elif isinstance(node, list):
        for v in node:
            _retarget(v, old, new)


def _load(pipeline: Any) -> Any:
    if isinstance(pipeline, Mapping):
        return copy.deepcopy(dict(pipeline))
    from pathlib import Path

    path = Path(pipeline)
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        import json

        return json.loads(text)
    import yaml

    return yaml.safe_load(text)


# -- the catalog -------------------------------------------------------------------------------------------

FILE_MATCHES: Mapping[str, list[str]] = {
    "bucket": ["*.bucket.json", "*.bucket.yaml", "*.bucket.yml", "buckets/*.json", "buckets/*.yaml"],
    "manifest": ["*.pipeline.json", "*.pipeline.yaml", "*.pipeline.yml", "pipelines/*.yaml", "pipelines/*.json"],
}


def catalog(base_url: str = "https://schemakit.dev/schemas/") -> dict[str, Any]:
    """A SchemaStore-style catalog of the two editor schemas."""
    return {
        "$schema": "https://json.schemastore.org/schema-catalog.json",
        "version": 1.0,
        "schemas": [
            {
                "name": "schemakit bucket file",
                "description": "A bucket request or bucket_schema: field types, keywords and their rules.",
                "fileMatch": FILE_MATCHES["bucket"],
                "url": base_url + "bucket.json",
            },
            {
                "name": "schemakit pipeline manifest",
                "description": "Buckets, collections and feature extractors of a pipeline.",
                "fileMatch": FILE_MATCHES["manifest"],
                "url": base_url + "pipeline.json",
            },
        ],
    }


__all__ = [
    "DRAFTS",
    "EDITOR_KEYWORDS",
    "NOT_EXPRESSED",
    "bucket_file_schema",
    "catalog",
    "manifest_schema",
]
