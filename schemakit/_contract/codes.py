"""The registry of issue codes: one entry per code any part of schemakit emits.

The reference of issue codes in the docs (``docs/reference/codes.md``) is generated
from this table at build time, and ``tests/test_docs_codes.py`` holds it to the
code: it fails when ``schemakit/`` emits a code that has no entry here, when an
entry's example does not emit its code with its severity, or when two entries
share a code.

How to add a code (one :class:`CodeEntry` in the tuple of your pillar below)::

    CodeEntry(
        code="my_new_code",                 # the exact string your Issue carries
        pillars=("filters",),               # keys of PILLARS; several if several pillars emit it
        severity="error",                   # what the example emits: "error" or "warning"
        meaning="One sentence: what is wrong in the user's input.",
        fix="One sentence: what the user changes to make it go away.",
        example="schemakit.parse_filter('age ~ 1')",
    ),

``example`` is Python source. Every line but the last runs as statements; the
last line is an expression whose value holds its issues: a list of
:class:`~schemakit.Issue`, a result with ``issues`` (``ValidationResult``,
``CollectionResolution``...), an object with ``warnings`` (``Filter``), or a
call that raises :class:`~schemakit.SchemakitError`. The example must emit the
entry's code with the entry's severity; keep it minimal (the smallest input
that triggers the code) because it is printed in the docs as is. It runs with
the names of :func:`example_namespace` defined: ``schemakit``, ``buckets`` and
``request`` (a small valid collection setup, see below) and ``cli`` (runs a
command line in a temporary directory and returns its issues). Import anything
else inside the example itself. Keep each tuple sorted by code.

A code has exactly one entry (the test fails on a second one). If the code you
emit already has an entry, add your pillar to its ``pillars`` and your case to
its ``meaning`` (say there if your case has another severity than the entry's
default); the example stays the one of the first pillar.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemakit._issues import Issue, Severity

__all__ = ["CODES", "ENTRIES", "PILLARS", "CodeEntry", "example_namespace", "run_example"]

PILLARS: Mapping[str, str] = {
    "schema": "Bucket schemas",
    "objects": "Objects and batches",
    "filters": "Filters and queries",
    "collections": "Collections and pipelines",
    "cli": "Command line",
    "backends": "Backends",
    "compatibility": "Schema compatibility",
    "datasets": "Datasets",
}
"""Where a code comes from, in the order the reference lists them."""


@dataclass(frozen=True, slots=True)
class CodeEntry:
    """One issue code: where it comes from, what it means, an input that triggers it, and the fix."""

    code: str
    pillars: tuple[str, ...]
    severity: Severity
    meaning: str
    fix: str
    example: str


_SCHEMA: tuple[CodeEntry, ...] = (
    CodeEntry(
        code="invalid_default",
        pillars=("schema",),
        severity="error",
        meaning="A field's default is not a value of the field's type, or is not in its enum.",
        fix="Give a default of the field's type (and in the enum), or remove it.",
        example="schemakit.check_bucket({'properties': {'n': {'type': 'integer', 'default': 'x'}}})",
    ),
    CodeEntry(
        code="invalid_enum_value",
        pillars=("schema",),
        severity="error",
        meaning="A value listed in a field's enum is not a value of the field's type.",
        fix="List only values of the field's type, or change the type.",
        example="schemakit.check_bucket({'properties': {'n': {'type': 'integer', 'enum': ['x']}}})",
    ),
    CodeEntry(
        code="invalid_field_name",
        pillars=("schema",),
        severity="error",
        meaning="A field name is empty, contains '.', starts with '$' or is longer than 255 characters.",
        fix="Rename the field; nest an object field instead of writing a dotted name.",
        example="schemakit.check_bucket({'properties': {'a.b': {'type': 'string'}}})",
    ),
    CodeEntry(
        code="invalid_schema",
        pillars=("schema",),
        severity="error",
        meaning=(
            "The bucket schema is the wrong shape: not an object, no 'properties', a field without 'type', "
            "'required' not a boolean, 'enum' not a list, a bad unique_key or max_inline_bytes."
        ),
        fix="Write the keyword with the type the contract gives it (the message names it).",
        example="schemakit.check_bucket({'properties': {'a': {'type': 'string', 'required': 'yes'}}})",
    ),
    CodeEntry(
        code="misplaced_keyword",
        pillars=("schema",),
        severity="error",
        meaning="'items' on a field that is not an array, or 'properties' on one that is not an object.",
        fix="Set the field's type to array (object), or remove the keyword.",
        example="schemakit.check_bucket({'properties': {'a': {'type': 'string', 'items': {'type': 'string'}}}})",
    ),
    CodeEntry(
        code="nested_file_field",
        pillars=("schema",),
        severity="error",
        meaning="A file type (image, video, ...) below the top level, other than the items of a top-level array.",
        fix="Move the file field to the top level of the schema.",
        example=(
            "meta = {'type': 'object', 'properties': {'scan': {'type': 'image'}}}\n"
            "schemakit.check_bucket({'properties': {'meta': meta}})"
        ),
    ),
    CodeEntry(
        code="non_scalar_unique_key",
        pillars=("schema",),
        severity="error",
        meaning="A unique-key field that is not a string, integer, float, number, boolean, date or datetime.",
        fix="Key on a scalar field.",
        example="schemakit.check_bucket({'properties': {'tags': {'type': 'array'}}}, {'fields': ['tags']})",
    ),
    CodeEntry(
        code="reserved_field_name",
        pillars=("schema",),
        severity="error",
        meaning="A top-level field named like a key of the object request (blobs, key_prefix, object_id, ...).",
        fix="Rename the field.",
        example="schemakit.check_bucket({'properties': {'blobs': {'type': 'string'}}})",
    ),
    CodeEntry(
        code="schema_too_deep",
        pillars=("schema",),
        severity="error",
        meaning="Fields nest deeper than 32 levels.",
        fix="Flatten the structure.",
        example=(
            "field = {'type': 'string'}\n"
            "for _ in range(33):\n"
            "    field = {'type': 'object', 'properties': {'a': field}}\n"
            "schemakit.check_bucket({'properties': {'a': field}})"
        ),
    ),
    CodeEntry(
        code="unknown_keyword",
        pillars=("schema",),
        severity="warning",
        meaning=(
            "A key the contract does not define in a bucket schema or a field definition; it is ignored "
            "(an error under check-schema --strict)."
        ),
        fix="Correct the spelling the hint suggests, or remove the key.",
        example="schemakit.check_bucket({'properties': {'a': {'type': 'string', 'requird': True}}})",
    ),
    CodeEntry(
        code="unknown_type",
        pillars=("schema",),
        severity="error",
        meaning="A field type the contract does not have; the hint suggests the nearest one.",
        fix="Use one of the contract's field types.",
        example="schemakit.check_bucket({'properties': {'a': {'type': 'strng'}}})",
    ),
    CodeEntry(
        code="unknown_unique_key_field",
        pillars=("schema",),
        severity="error",
        meaning="A unique-key field that is not a top-level field of the schema (dotted paths included).",
        fix="Name a top-level field, or add it to the schema.",
        example="schemakit.check_bucket({'properties': {'sku': {'type': 'string'}}}, {'fields': ['skew']})",
    ),
)

_OBJECTS: tuple[CodeEntry, ...] = (
    CodeEntry(
        code="batch_too_large",
        pillars=("objects", "cli"),
        severity="error",
        meaning="A batch request holds more than 100 objects.",
        fix="Split it into batches of at most 100 objects.",
        example=(
            "v = schemakit.compile_schema({'properties': {'n': {'type': 'integer'}}})\n"
            "v.validate_batch({'objects': [{'n': i} for i in range(101)]})"
        ),
    ),
    CodeEntry(
        code="blob_too_large",
        pillars=("objects",),
        severity="error",
        meaning="Decoded inline data (or inline text, in UTF-8) above max_inline_bytes.",
        fix="Upload large files with a presigned upload and pass its upload_id.",
        example=(
            "v = schemakit.compile_schema({'properties': {'image': {'type': 'image'}}}, max_inline_bytes=1)\n"
            "v.validate({'blobs': [{'property': 'image', 'type': 'image', 'data': 'data:image/png;base64,AAAA'}]})"
        ),
    ),
    CodeEntry(
        code="blob_type_mismatch",
        pillars=("objects",),
        severity="error",
        meaning="A blob's type is not its field's type (compared case-insensitively).",
        fix="Set the blob's type to the field's type, or to 'auto'.",
        example=(
            "v = schemakit.compile_schema({'properties': {'image': {'type': 'image'}}})\n"
            "v.validate({'blobs': [{'property': 'image', 'type': 'video', 'data': 's3://b/x.jpg'}]})"
        ),
    ),
    CodeEntry(
        code="conflicting_blob_source",
        pillars=("objects",),
        severity="error",
        meaning="A blob has both 'data' and 'upload_id'.",
        fix="Keep 'upload_id' for a presigned upload, 'data' for a URL or inline content.",
        example=(
            "v = schemakit.compile_schema({'properties': {'image': {'type': 'image'}}})\n"
            "v.validate({'blobs': [{'property': 'image', 'data': 's3://b/x.jpg', 'upload_id': 'upl_1'}]})"
        ),
    ),
    CodeEntry(
        code="duplicate_blob_property",
        pillars=("objects",),
        severity="error",
        meaning="A second blob for a property that takes one file (reported on the later blob).",
        fix="Send one blob, or declare the field as an array of files.",
        example=(
            "v = schemakit.compile_schema({'properties': {'image': {'type': 'image'}}})\n"
            "blob = {'property': 'image', 'data': 's3://b/x.jpg'}\n"
            "v.validate({'blobs': [blob, blob]})"
        ),
    ),
    CodeEntry(
        code="duplicate_unique_key",
        pillars=("objects", "cli", "datasets"),
        severity="error",
        meaning=(
            "An object repeats the unique key of an earlier object of the same batch (or, on the command line, "
            "of an earlier line in the files checked together; for ``validate_dataset``, of an earlier row of "
            "any file of the dataset)."
        ),
        fix="Give each object its own unique-key value.",
        example=(
            "schema = {'properties': {'sku': {'type': 'string'}}}\n"
            "v = schemakit.compile_schema(schema, unique_key={'fields': ['sku']})\n"
            "v.validate_batch({'objects': [{'sku': 'a'}, {'sku': 'a'}]})"
        ),
    ),
    CodeEntry(
        code="enum_mismatch",
        pillars=("objects",),
        severity="error",
        meaning="A value that is not in the field's enum (did-you-mean for strings).",
        fix="Use one of the enum's values.",
        example=(
            "v = schemakit.compile_schema({'properties': {'status': {'type': 'string', 'enum': ['draft', 'live']}}})\n"
            "v.validate({'status': 'drafts'})"
        ),
    ),
    CodeEntry(
        code="file_field_not_blob",
        pillars=("objects",),
        severity="error",
        meaning="A file field given as a top-level key of the object instead of as a blob.",
        fix='Move it into "blobs": [{"property": <field>, "data": ...}].',
        example=(
            "v = schemakit.compile_schema({'properties': {'image': {'type': 'image'}}})\n"
            "v.validate({'image': 's3://b/x.jpg'})"
        ),
    ),
    CodeEntry(
        code="invalid_blob_data",
        pillars=("objects",),
        severity="error",
        meaning=(
            "Blob data that is not an http(s)/s3/gs URL, a data URI, {'base64': ...} or {'url': ...}; bad base64; "
            "inline text in a field that is not text."
        ),
        fix="Pass a URL, 'data:<mime>;base64,<data>', {'base64': ...} or {'url': ...}.",
        example=(
            "v = schemakit.compile_schema({'properties': {'image': {'type': 'image'}}})\n"
            "v.validate({'blobs': [{'property': 'image', 'data': 'ftp://host/x.jpg'}]})"
        ),
    ),
    CodeEntry(
        code="invalid_date",
        pillars=("objects",),
        severity="error",
        meaning="A date field's value is not a real YYYY-MM-DD date.",
        fix="Write the date as YYYY-MM-DD (2024-01-05).",
        example=(
            "v = schemakit.compile_schema({'properties': {'d': {'type': 'date'}}})\nv.validate({'d': '2024-02-30'})"
        ),
    ),
    CodeEntry(
        code="invalid_datetime",
        pillars=("objects",),
        severity="error",
        meaning=(
            "A datetime field's value is not an RFC 3339 date-time. The same code is a warning for a date-time "
            "without a UTC offset, which is accepted and read as UTC."
        ),
        fix="Write the date-time as 2024-01-05T10:30:00Z (with 'Z' or an offset).",
        example=(
            "v = schemakit.compile_schema({'properties': {'t': {'type': 'datetime'}}})\nv.validate({'t': '2024-02-03'})"
        ),
    ),
    CodeEntry(
        code="invalid_key_prefix",
        pillars=("objects",),
        severity="error",
        meaning="A key_prefix that is empty, over 1024 UTF-8 bytes, has a '..' segment or control characters.",
        fix="Use a relative prefix of plain segments, such as 'catalog/2024/'.",
        example=("v = schemakit.compile_schema({'properties': {}})\nv.validate({'key_prefix': '../x'})"),
    ),
    CodeEntry(
        code="invalid_request",
        pillars=("objects",),
        severity="error",
        meaning=(
            "The object request is the wrong shape: not an object, 'blobs' not a list, a flag not a boolean, a blob "
            "without 'property' or with a malformed type, upload_id or metadata."
        ),
        fix="Send the request as the contract writes it (the message names the key and its type).",
        example="schemakit.compile_schema({'properties': {}}).validate([])",
    ),
    CodeEntry(
        code="mime_type_mismatch",
        pillars=("objects",),
        severity="error",
        meaning="A declared or inferred MIME type that does not fit the field (a video/* in an image field).",
        fix="Send a file of the field's kind, or correct the declared MIME type.",
        example=(
            "v = schemakit.compile_schema({'properties': {'image': {'type': 'image'}}})\n"
            "v.validate({'blobs': [{'property': 'image', 'data': 'data:video/mp4;base64,AAAA'}]})"
        ),
    ),
    CodeEntry(
        code="missing_blob_source",
        pillars=("objects",),
        severity="error",
        meaning="A blob with neither 'data' nor 'upload_id'.",
        fix="Give the blob its data (a URL or inline content) or the upload_id of a presigned upload.",
        example=(
            "v = schemakit.compile_schema({'properties': {'image': {'type': 'image'}}})\n"
            "v.validate({'blobs': [{'property': 'image', 'type': 'image'}]})"
        ),
    ),
    CodeEntry(
        code="missing_required_field",
        pillars=("objects",),
        severity="error",
        meaning="A required field is absent or null; a required file field has no blob.",
        fix="Give the field a value (a blob, for a file field).",
        example=(
            "v = schemakit.compile_schema({'properties': {'title': {'type': 'string', 'required': True}}})\n"
            "v.validate({})"
        ),
    ),
    CodeEntry(
        code="missing_unique_key",
        pillars=("objects",),
        severity="error",
        meaning="A unique-key field that is absent, null or empty.",
        fix="Give every object a non-empty value for each unique-key field.",
        example=(
            "schema = {'properties': {'sku': {'type': 'string'}}}\n"
            "v = schemakit.compile_schema(schema, unique_key={'fields': ['sku']})\n"
            "v.validate({})"
        ),
    ),
    CodeEntry(
        code="type_mismatch",
        pillars=("objects",),
        severity="error",
        meaning="A value of the wrong JSON type (NaN and infinity are not numbers).",
        fix="Send a value of the field's type (the message says which).",
        example=(
            "v = schemakit.compile_schema({'properties': {'price': {'type': 'float'}}})\nv.validate({'price': '12.50'})"
        ),
    ),
    CodeEntry(
        code="unique_key_too_long",
        pillars=("objects",),
        severity="error",
        meaning="A unique-key string longer than 255 characters.",
        fix="Key on a shorter value.",
        example=(
            "schema = {'properties': {'sku': {'type': 'string'}}}\n"
            "v = schemakit.compile_schema(schema, unique_key={'fields': ['sku']})\n"
            "v.validate({'sku': 'x' * 256})"
        ),
    ),
    CodeEntry(
        code="unknown_blob_property",
        pillars=("objects",),
        severity="error",
        meaning="A blob names a property that is not a file field of the schema (did-you-mean hint).",
        fix="Name one of the schema's file fields.",
        example=(
            "v = schemakit.compile_schema({'properties': {'image': {'type': 'image'}}})\n"
            "v.validate({'blobs': [{'property': 'imgae', 'data': 's3://b/x.jpg'}]})"
        ),
    ),
    CodeEntry(
        code="unknown_field",
        pillars=("objects", "filters"),
        severity="error",
        meaning=(
            "In an object validated with strict=True, a key that is neither a request key nor a schema field; "
            "in check_filter, a field the bucket schema does not have."
        ),
        fix="Correct the name (the hint suggests the nearest field), or add the field to the schema.",
        example=(
            "v = schemakit.compile_schema({'properties': {'color': {'type': 'string'}}}, strict=True)\n"
            "v.validate({'colour': 'red'})"
        ),
    ),
)

_FILTERS: tuple[CodeEntry, ...] = (
    CodeEntry(
        code="filter_too_deep",
        pillars=("filters",),
        severity="error",
        meaning="Logical operators nest deeper than max_depth (16 by default).",
        fix="Flatten nested groups of the same kind, or raise max_depth.",
        example=(
            "leaf = {'field': 'a', 'operator': 'eq', 'value': 1}\n"
            "schemakit.parse_filter({'AND': [{'AND': [{'AND': [leaf]}]}]}, max_depth=2)"
        ),
    ),
    CodeEntry(
        code="invalid_argument",
        pillars=("filters", "collections", "compatibility"),
        severity="error",
        meaning=(
            "An argument of query or resolve_collection is the wrong kind (records that are not an iterable, "
            "buckets or collections that are not a mapping)."
        ),
        fix="Pass the argument as the API documents it.",
        example="schemakit.query(5)",
    ),
    CodeEntry(
        code="invalid_filter",
        pillars=("filters",),
        severity="error",
        meaning="A filter (or sort) that is the wrong shape: not a LogicalOperator object or a text expression.",
        fix='Write {"AND": [{"field": ..., "operator": ..., "value": ...}]} or a text expression.',
        example="schemakit.parse_filter(42)",
    ),
    CodeEntry(
        code="invalid_operand",
        pillars=("filters",),
        severity="error",
        meaning="A value the operator cannot take ('in' without a list, a malformed dynamic value, ...).",
        fix="Give the operator the kind of value it takes (the message says which).",
        example="schemakit.parse_filter({'AND': [{'field': 'age', 'operator': 'in', 'value': 1}]})",
    ),
    CodeEntry(
        code="invalid_pagination",
        pillars=("filters",),
        severity="error",
        meaning="A query limit outside 1..1000 or an offset that is not a non-negative integer.",
        fix="Pass limit from 1 to 1000 and offset of 0 or more.",
        example="schemakit.query([], limit=0)",
    ),
    CodeEntry(
        code="missing_value",
        pillars=("filters",),
        severity="error",
        meaning="A condition without a 'value' (only is_null and is_not_null take none).",
        fix="Add the value to compare with.",
        example="schemakit.parse_filter({'AND': [{'field': 'age', 'operator': 'eq'}]})",
    ),
    CodeEntry(
        code="operator_type_mismatch",
        pillars=("filters",),
        severity="error",
        meaning="An operator that does not apply to the field's type (contains on an integer field).",
        fix="Use an operator of the field's type.",
        example=(
            "schemakit.check_filter({'AND': [{'field': 'age', 'operator': 'contains', 'value': 'x'}]},\n"
            "                       {'properties': {'age': {'type': 'integer'}}})"
        ),
    ),
    CodeEntry(
        code="suspicious_field",
        pillars=("filters",),
        severity="warning",
        meaning=(
            "A key that reads as a field name but looks like a logical operator in the wrong case ('and'); "
            "it stays a condition on that field."
        ),
        fix="Write the logical operator in capitals (AND, OR, NOT).",
        example="schemakit.parse_filter({'and': [{'field': 'age', 'operator': 'eq', 'value': 1}]})",
    ),
    CodeEntry(
        code="syntax_error",
        pillars=("filters",),
        severity="error",
        meaning="Text that the filter grammar cannot parse; the message shows the line, column and a caret.",
        fix="Correct the text at the caret (the hint lists what may come there).",
        example="schemakit.parse_filter('age >= ')",
    ),
    CodeEntry(
        code="unknown_operator",
        pillars=("filters",),
        severity="error",
        meaning="An operator the contract does not define (did-you-mean hint).",
        fix="Use one of the contract's operators.",
        example="schemakit.parse_filter({'AND': [{'field': 'age', 'operator': 'gtx', 'value': 1}]})",
    ),
    CodeEntry(
        code="unresolved_dynamic_value",
        pillars=("filters",),
        severity="error",
        meaning="A dynamic value whose field is not in the context given at evaluation time.",
        fix="Pass context={...} holding that path to matches().",
        example=(
            "dynamic = {'type': 'dynamic', 'field': 'user.age'}\n"
            "f = schemakit.parse_filter({'AND': [{'field': 'age', 'operator': 'eq', 'value': dynamic}]})\n"
            "f.matches({'age': 1})"
        ),
    ),
    CodeEntry(
        code="value_type_mismatch",
        pillars=("filters",),
        severity="error",
        meaning="A value that can never compare with the field's values (a string against an integer field).",
        fix="Compare with a value of the field's type.",
        example="schemakit.check_filter(\"age = 'x'\", {'properties': {'age': {'type': 'integer'}}})",
    ),
)

_COLLECTIONS: tuple[CodeEntry, ...] = (
    CodeEntry(
        code="deprecated_alias",
        pillars=("collections",),
        severity="warning",
        meaning="'source.bucket_id', an older spelling; it is read as 'bucket_ids': [it].",
        fix='Write "bucket_ids": [<id>].',
        example=(
            "schemakit.resolve_collection(request(source={'type': 'bucket', 'bucket_id': 'bkt_products'}), "
            "buckets=buckets)"
        ),
    ),
    CodeEntry(
        code="incompatible_input_schema",
        pillars=("collections",),
        severity="error",
        meaning="A declared input_schema field is missing from the source or has another type.",
        fix="Declare only the source's fields, with the source's types, or remove input_schema.",
        example=(
            "schemakit.resolve_collection(request(input_schema={'properties': {'sku': {'type': 'string'}}}), "
            "buckets=buckets)"
        ),
    ),
    CodeEntry(
        code="incompatible_source_schemas",
        pillars=("collections",),
        severity="error",
        meaning="Several sources whose schemas differ (every difference from the first source is listed).",
        fix="Read from sources with the same field names, types and required flags.",
        example=(
            "eu = {'bucket_schema': {'properties': {'title': {'type': 'integer'}}}}\n"
            "two = {'type': 'bucket', 'bucket_ids': ['bkt_products', 'bkt_eu']}\n"
            "schemakit.resolve_collection(request(source=two), buckets={**buckets, 'bkt_eu': eu})"
        ),
    ),
    CodeEntry(
        code="input_type_mismatch",
        pillars=("collections",),
        severity="error",
        meaning="A mapped field whose type the extractor's input does not accept (or a vector that is not an array).",
        fix="Map a field of an accepted type (the hint lists them).",
        example=("schemakit.resolve_collection(request({'input_mappings': {'text': 'price'}}), buckets=buckets)"),
    ),
    CodeEntry(
        code="invalid_collection_request",
        pillars=("collections",),
        severity="error",
        meaning=(
            "A malformed collection request: not an object, a missing key, a name outside 3..100 characters of "
            "[A-Za-z0-9_-], a value of the wrong type, malformed mappings or filters."
        ),
        fix="Write the field with the type the contract gives it (the message names it).",
        example="schemakit.resolve_collection(request(collection_name='x'), buckets=buckets)",
    ),
    CodeEntry(
        code="invalid_extractor_definition",
        pillars=("collections",),
        severity="error",
        meaning="A custom extractor definition that is the wrong shape (no name, version or input_schema, ...).",
        fix="Give the definition a feature_extractor_name, a version and an input_schema with properties.",
        example="schemakit.ExtractorRegistry.builtin().with_definitions([{'feature_extractor_name': 'x'}])",
    ),
    CodeEntry(
        code="invalid_manifest",
        pillars=("collections", "compatibility"),
        severity="error",
        meaning=(
            "A pipeline manifest that cannot be read or parsed or is the wrong shape; an unknown top-level key "
            "is the same code as a warning."
        ),
        fix="Write the manifest as an object with 'buckets' and 'collections' (and optionally 'extractors').",
        example="schemakit.resolve_pipeline(5)",
    ),
    CodeEntry(
        code="invalid_source_object",
        pillars=("collections",),
        severity="error",
        meaning="map_object was given a source object that is not an object.",
        fix="Pass the source object as a mapping.",
        example="schemakit.resolve_collection(request(), buckets=buckets).map_object(5)",
    ),
    CodeEntry(
        code="invalid_target_name",
        pillars=("collections",),
        severity="error",
        meaning="An output field name (a passthrough's target_path) that is not a valid field name.",
        fix="Start the name with a letter or '_' and use only letters, digits, '_' and '-'.",
        example=(
            "passthrough = [{'source_path': 'title', 'target_path': 'a.b'}]\n"
            "schemakit.resolve_collection(request({'field_passthrough': passthrough}), buckets=buckets)"
        ),
    ),
    CodeEntry(
        code="missing_extractor_input",
        pillars=("collections",),
        severity="error",
        meaning="A required input of the extractor is not mapped; the hint suggests a field of an accepted type.",
        fix="Map the input to a source field.",
        example="schemakit.resolve_collection(request({'input_mappings': {}}), buckets=buckets)",
    ),
    CodeEntry(
        code="missing_source_value",
        pillars=("collections",),
        severity="error",
        meaning="map_object met a source object without a value for a mapped input or a required passthrough field.",
        fix="Give the source object the value, or make the passthrough optional.",
        example=(
            "passthrough = [{'source_path': 'price', 'required': True}]\n"
            "res = schemakit.resolve_collection(request({'field_passthrough': passthrough}), buckets=buckets)\n"
            "res.map_object({'title': 'Shoe'})"
        ),
    ),
    CodeEntry(
        code="pipeline_cycle",
        pillars=("collections",),
        severity="error",
        meaning="Collections that read, directly or through others, from themselves; one issue per member.",
        fix="Break the cycle: one of them must read from a bucket or from a collection outside it.",
        example=(
            "a = request(source={'type': 'collection', 'collection_id': 'col_b'})\n"
            "b = request(source={'type': 'collection', 'collection_id': 'col_a'})\n"
            "schemakit.resolve_pipeline({'buckets': buckets, 'collections': {'col_a': a, 'col_b': b}})"
        ),
    ),
    CodeEntry(
        code="source_field_not_found",
        pillars=("collections",),
        severity="error",
        meaning="A mapping or passthrough names a field the source schema does not have (did-you-mean hint).",
        fix="Name a field of the source schema.",
        example="schemakit.resolve_collection(request({'input_mappings': {'text': 'titel'}}), buckets=buckets)",
    ),
    CodeEntry(
        code="target_conflict",
        pillars=("collections",),
        severity="error",
        meaning="An output field name that collides with a system field, an extractor output or another passthrough.",
        fix="Set a different target_path.",
        example=(
            "passthrough = [{'source_path': 'title', 'target_path': 'text_extractor_v1_embedding'}]\n"
            "schemakit.resolve_collection(request({'field_passthrough': passthrough}), buckets=buckets)"
        ),
    ),
    CodeEntry(
        code="unknown_extractor",
        pillars=("collections",),
        severity="error",
        meaning="No feature extractor (or no version of it) with that name in the registry.",
        fix="Use a registered extractor and version (the hint lists them), or register your own definition.",
        example=("schemakit.resolve_collection(request({'feature_extractor_name': 'text_extractr'}), buckets=buckets)"),
    ),
    CodeEntry(
        code="unknown_extractor_input",
        pillars=("collections",),
        severity="error",
        meaning="input_mappings names an input the extractor does not have.",
        fix="Use one of the extractor's inputs (the hint suggests the nearest).",
        example=(
            "schemakit.resolve_collection(request({'input_mappings': {'text': 'title', 'txt': 'title'}}), "
            "buckets=buckets)"
        ),
    ),
    CodeEntry(
        code="unknown_key",
        pillars=("collections", "filters", "cli"),
        severity="warning",
        meaning=(
            "A key the contract does not define in a collection request, its source, feature_extractor, an "
            "InputMapping or a FieldPassthrough, or in a filter's dynamic value {'type': 'dynamic', 'field': ...}, "
            "or a key the CLI's configuration ([tool.schemakit], schemakit.toml, a bucket entry) does not define; "
            "it is ignored."
        ),
        fix="Correct the spelling the hint suggests, or remove the key.",
        example="schemakit.resolve_collection(request(descripton='titles'), buckets=buckets)",
    ),
    CodeEntry(
        code="unknown_source",
        pillars=("collections",),
        severity="error",
        meaning="No bucket or collection with that id (did-you-mean; notes ids of the other kind).",
        fix="Name an existing source, of the kind source.type says.",
        example=(
            "schemakit.resolve_collection(request(source={'type': 'bucket', 'bucket_ids': ['bkt_product']}), "
            "buckets=buckets)"
        ),
    ),
    CodeEntry(
        code="unresolved_source",
        pillars=("collections",),
        severity="error",
        meaning=(
            "The source exists but its output schema is unknown: its schema is unusable, or it is in or behind a cycle."
        ),
        fix="Fix the source's own issues first (they are reported at the source).",
        example=(
            "a = request(source={'type': 'collection', 'collection_id': 'col_b'})\n"
            "b = request(source={'type': 'collection', 'collection_id': 'col_a'})\n"
            "c = request(source={'type': 'collection', 'collection_id': 'col_a'})\n"
            "collections = {'col_a': a, 'col_b': b, 'col_c': c}\n"
            "schemakit.resolve_pipeline({'buckets': buckets, 'collections': collections})"
        ),
    ),
)

_CLI: tuple[CodeEntry, ...] = (
    CodeEntry(
        code="compression_mismatch",
        pillars=("cli",),
        severity="warning",
        meaning="A data file whose name and content disagree about compression (gzip data in data.jsonl, "
        "plain text in data.jsonl.gz); it is read as what its first bytes say.",
        fix="Name the file after what it holds (.gz, .bz2, .xz, .zst), or pass --input-format.",
        example=(
            "cli('validate', 'schema.json', 'data.jsonl.gz',\n"
            "    files={'schema.json': '{\"properties\": {}}', 'data.jsonl.gz': '{}\\n'})"
        ),
    ),
    CodeEntry(
        code="corrupt_input",
        pillars=("cli",),
        severity="error",
        meaning="Compressed data that stops decompressing part way (corrupt or truncated); "
        "the objects before that point are still checked.",
        fix="Recreate the file, or check that its download or copy completed.",
        example=(
            "cli('validate', 'schema.json', 'data.jsonl.bz2',\n"
            "    files={'schema.json': '{\"properties\": {}}', 'data.jsonl.bz2': 'BZh9 not bzip2 data'})"
        ),
    ),
    CodeEntry(
        code="empty_glob",
        pillars=("cli", "datasets"),
        severity="warning",
        meaning="A data glob of a configured bucket that matches no file.",
        fix="Correct the pattern (it is relative to the configuration file's directory), or remove it.",
        example=(
            "cli('validate', files={'schema.json': '{\"properties\": {}}', 'schemakit.toml':\n"
            '    \'[[buckets]]\\nschema = "schema.json"\\ndata = ["data/*.jsonl"]\\n\'})'
        ),
    ),
    CodeEntry(
        code="invalid_config",
        pillars=("cli",),
        severity="error",
        meaning="A setting of the configuration ([tool.schemakit] or schemakit.toml) with a value of the wrong "
        "type or out of its choices, or a bucket without schema or data.",
        fix="Give the setting a value it takes (see the configuration page); the flag's default applies meanwhile.",
        example="cli('validate', files={'schemakit.toml': 'jobs = \"two\"\\n'})",
    ),
    CodeEntry(
        code="invalid_json",
        pillars=("cli", "datasets"),
        severity="error",
        meaning="A line of a JSON Lines file (or a JSON file) that is not valid JSON, or is too deep or too large.",
        fix="Write one complete JSON object per line.",
        example=(
            "cli('validate', 'schema.json', 'data.jsonl',\n"
            "    files={'schema.json': '{\"properties\": {}}', 'data.jsonl': '{bad\\n'})"
        ),
    ),
    CodeEntry(
        code="invalid_yaml",
        pillars=("cli", "collections"),
        severity="error",
        meaning="A YAML manifest that cannot be parsed.",
        fix="Correct the YAML at the line and column shown.",
        example="cli('check-pipeline', 'pipeline.yaml', files={'pipeline.yaml': 'buckets: [\\n'})",
    ),
    CodeEntry(
        code="json_lines_in_json_file",
        pillars=("cli",),
        severity="warning",
        meaning="A .json data file that holds JSON Lines (one value a line) rather than one JSON document; "
        "it is read as JSON Lines.",
        fix="Name the file .jsonl, or pass --input-format jsonl.",
        example=(
            "cli('validate', 'schema.json', 'data.json',\n"
            "    files={'schema.json': '{\"properties\": {}}', 'data.json': '{}\\n{}\\n'})"
        ),
    ),
)

_BACKENDS: tuple[CodeEntry, ...] = (
    CodeEntry(
        code="pushdown_negated_residual",
        pillars=("backends",),
        severity="warning",
        meaning=(
            "A negated condition or NOT group whose inside the engine can only over-approximate: the negation of a "
            "superset is a subset, so the whole negation is checked in Python (the plan stays exact)."
        ),
        fix="Nothing is wrong; for speed, filter case-sensitively or on operators the engine runs exactly.",
        example="from schemakit.backends import to_sql\nto_sql('NOT name CONTAINS \"x\"', dialect='duckdb')",
    ),
    CodeEntry(
        code="pushdown_or_residual",
        pillars=("backends",),
        severity="warning",
        meaning=(
            "An OR group with a part the engine cannot run exactly: the engine keeps a superset and the whole OR is "
            "re-checked in Python (the plan stays exact)."
        ),
        fix="Nothing is wrong; for speed, use operators the engine runs exactly inside the OR.",
        example=(
            "from schemakit.backends import to_sql\nto_sql('tags CONTAINS \"x\" OR name ~ \"a+\"', dialect='duckdb')"
        ),
    ),
    CodeEntry(
        code="pushdown_residual",
        pillars=("backends",),
        severity="warning",
        meaning=(
            "A condition the engine cannot express at all (a list operand, a list index in a path, an operator the "
            "engine lacks); the engine does not filter on it and the plan's residual checks it in Python."
        ),
        fix="Nothing is wrong; for speed, rewrite the condition with operators and paths the engine supports.",
        example="from schemakit.backends import to_sql\nto_sql('x = [1, 2]', dialect='sqlite')",
    ),
    CodeEntry(
        code="pushdown_superset",
        pillars=("backends",),
        severity="warning",
        meaning=(
            "A condition the engine can only over-approximate (case folding, word search): the engine keeps a "
            "superset and the plan's residual re-checks those records in Python."
        ),
        fix="Nothing is wrong; for speed, make the group CASE SENSITIVE where exact case is acceptable.",
        example="from schemakit.backends import to_sql\nto_sql('name CONTAINS \"x\"', dialect='duckdb')",
    ),
)



def _compatibility() -> tuple[CodeEntry, ...]:
    # the compatibility rules table holds each code's text and example: written once, there
    from schemakit.schema._compat_rules import RULES

    return tuple(
        CodeEntry(
            code=r.code,
            pillars=("compatibility",),
            severity=r.severity,
            meaning=r.summary,
            fix=r.hint[:1].upper() + r.hint[1:] + ".",
            example=r.example,
        )
        for r in sorted(RULES.values(), key=lambda r: r.code)
    )


_COMPATIBILITY = _compatibility()

_DATASETS: tuple[CodeEntry, ...] = (
    CodeEntry(
        code="nested_field_in_csv",
        pillars=("datasets",),
        severity="error",
        meaning="A CSV file of a dataset whose schema has an object or array field: a CSV cell holds text, "
        "so the field's cells are read as strings (and are type mismatches).",
        fix="Keep objects and arrays in Parquet, Arrow IPC or JSON Lines files, or flatten the schema for CSV.",
        example=(
            "import os, tempfile\n"
            "path = os.path.join(tempfile.mkdtemp(), 'data.csv')\n"
            "_ = open(path, 'w').write('dims\\n')\n"
            "from schemakit.datasets import validate_dataset\n"
            "validate_dataset(path, {'properties': {'dims': {'type': 'object'}}})"
        ),
    ),
    CodeEntry(
        code="unreadable_file",
        pillars=("datasets",),
        severity="error",
        meaning="A dataset file that cannot be opened or read as its format (missing, truncated, not Parquet, "
        "Arrow IPC, CSV or JSON Lines); the other files are still checked.",
        fix="Check the path, and that the file was written completely in one of the formats.",
        example=(
            "from schemakit.datasets import validate_dataset\n"
            "validate_dataset('missing.parquet', {'properties': {}})"
        ),
    ),
)

ENTRIES: tuple[CodeEntry, ...] = (
    *_SCHEMA,
    *_OBJECTS,
    *_FILTERS,
    *_COLLECTIONS,
    *_CLI,
    *_BACKENDS,
    *_COMPATIBILITY,
    *_DATASETS,
)
"""Every entry, grouped by pillar (the order of the reference)."""

CODES: Mapping[str, CodeEntry] = {entry.code: entry for entry in ENTRIES}
"""The entries by code."""


# --- running the examples --------------------------------------------------------------------------------------

_BUCKETS: dict[str, Any] = {
    "bkt_products": {
        "bucket_schema": {
            "properties": {
                "image": {"type": "image"},
                "title": {"type": "string"},
                "price": {"type": "number"},
            }
        }
    }
}


def _request(feature_extractor: Mapping[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    """A valid request over ``bkt_products``, with ``feature_extractor`` keys and top-level keys replaced."""
    extractor: dict[str, Any] = {
        "feature_extractor_name": "text_extractor",
        "version": "v1",
        "input_mappings": {"text": "title"},
    }
    extractor.update(feature_extractor or {})
    request: dict[str, Any] = {
        "collection_name": "titles",
        "source": {"type": "bucket", "bucket_ids": ["bkt_products"]},
        "feature_extractor": extractor,
    }
    request.update(top)
    return request


@contextlib.contextmanager
def _cwd(path: str) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def _cli(*args: str, files: Mapping[str, str]) -> list[Issue]:
    """Run ``schemakit ARGS --format json`` in a temporary directory holding ``files``; its issues."""
    from schemakit.cli import main

    out = io.StringIO()
    with tempfile.TemporaryDirectory() as tmp, _cwd(tmp), contextlib.redirect_stdout(out):
        for name, text in files.items():
            Path(tmp, name).write_text(text, encoding="utf-8")
        main([args[0], "--format", "json", *args[1:]])
    report = json.loads(out.getvalue())
    return [
        Issue(i["code"], tuple(_unpointer(i["pointer"])), i["message"], i["hint"], i["severity"])
        for i in report["issues"]
    ]


def _unpointer(pointer: str) -> list[str | int]:
    parts = pointer.split("/")[1:] if pointer else []
    return [int(p) if p.isdigit() else p.replace("~1", "/").replace("~0", "~") for p in parts]


def example_namespace() -> dict[str, Any]:
    """The names an entry's example may use without importing them (a fresh copy per call)."""
    import copy

    import schemakit

    return {"schemakit": schemakit, "buckets": copy.deepcopy(_BUCKETS), "request": _request, "cli": _cli}


def run_example(entry: CodeEntry) -> list[Issue]:
    """What ``entry.example`` reports (see the module docstring for what its last line may be)."""
    import ast

    from schemakit._issues import SchemakitError

    tree = ast.parse(entry.example)
    *body, last = tree.body
    if not isinstance(last, ast.Expr):
        raise ValueError(f"{entry.code}: the example's last line must be an expression")
    namespace = example_namespace()
    exec(compile(ast.Module(body=body, type_ignores=[]), f"<example {entry.code}>", "exec"), namespace)
    try:
        value = eval(compile(ast.Expression(last.value), f"<example {entry.code}>", "eval"), namespace)
    except SchemakitError as error:
        return list(error.issues)
    if isinstance(value, list):
        return value
    found = getattr(value, "issues", None)
    if found is None or (not found and hasattr(value, "warnings")):
        found = getattr(value, "warnings", None)
    if found is None:
        raise ValueError(f"{entry.code}: the example's value has no issues: {value!r}")
    return list(found)


# --- the reference page ----------------------------------------------------------------------------------------


def reference_markdown() -> str:
    """The reference of issue codes as Markdown: a section per pillar, an entry per code, with what its example emits.

    The docs build calls this (``docs/_hooks/codes.py``), so every example shown
    is run and its output printed as the code produces it today.
    """
    import inspect
    import pprint

    out: list[str] = [
        "The examples run with `schemakit` imported and three helpers defined: `buckets`, one bucket to read",
        "collections from, `request(...)`, a valid collection request over it with keys replaced, and",
        "`cli(*args, files=...)`, which runs `schemakit ARGS --format json` in a temporary directory holding",
        "`files` and returns what it reports.\n",
        "```python",
        "buckets = " + pprint.pformat(_BUCKETS, width=100, sort_dicts=False),
        "",
        inspect.getsource(_request).rstrip().replace("def _request(", "def request(", 1),
        "```\n",
    ]
    by_pillar: dict[str, list[CodeEntry]] = {}
    for entry in ENTRIES:
        by_pillar.setdefault(entry.pillars[0], []).append(entry)
    out.append("| code | severity | pillars | meaning |")
    out.append("|---|---|---|---|")
    for entry in sorted(ENTRIES, key=lambda e: e.code):
        pillars = ", ".join(PILLARS[p] for p in entry.pillars)
        out.append(f"| [`{entry.code}`](#{entry.code}) | {entry.severity} | {pillars} | {_cell(entry.meaning)} |")
    out.append("")
    for pillar, title in PILLARS.items():
        entries = by_pillar.get(pillar)
        if not entries:
            continue
        out.append(f"## {title}\n")
        for entry in entries:
            emitted = [str(i) for i in run_example(entry) if i.code == entry.code]
            also = [PILLARS[p] for p in entry.pillars[1:]]
            out.append(f"### `{entry.code}` {{#{entry.code}}}\n")
            line = f"**Severity:** {entry.severity}."
            if also:
                line += " Also emitted by: " + ", ".join(also) + "."
            out.append(line + "\n")
            out.append(f"**Meaning:** {entry.meaning}\n")
            out.append(f"**Fix:** {entry.fix}\n")
            out.append("**Minimal input:**\n")
            out.append("```python\n" + entry.example + "\n```\n")
            out.append("emits:\n")
            out.append("```text\n" + "\n".join(emitted) + "\n```\n")
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
