"""Editor schemas: bucket files and pipeline manifests, checked by jsonschema (draft 7) and Ajv in strict mode.

A broken fixture must be refused exactly where ``check-schema`` or
``check-pipeline`` reports it, for every code whose rule JSON Schema can say
(:data:`EXPRESSED_BUCKET_CODES`, :data:`EXPRESSED_PIPELINE_CODES`), and the
editor schema must flag nothing those checks do not report.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator, ValidationError

from schemakit._contract.bucket import is_bucket_request, read_bucket_request
from schemakit.codegen._editor import EDITOR_KEYWORDS, bucket_file_schema, catalog, manifest_schema
from schemakit.mappings import ExtractorRegistry, resolve_pipeline
from schemakit.schema import check_bucket

ROOT = Path(__file__).resolve().parent.parent
BUCKETS = sorted((ROOT / "fixtures" / "buckets").glob("*.json"))
PIPELINES = sorted((ROOT / "fixtures" / "pipelines").glob("*_pipeline.*"))
GOOD_BUCKETS = [p for p in BUCKETS if p.stem != "broken_schema"]
GOOD_PIPELINES = [p for p in PIPELINES if p.stem != "broken_pipeline"]
AJV_SCRIPT = ROOT / "tests" / "editor" / "ajv_check.js"

# The codes whose rule the editor schemas state; the others need a look across values or files.
EXPRESSED_BUCKET_CODES = frozenset(
    {"unknown_type", "reserved_field_name", "invalid_field_name", "misplaced_keyword", "invalid_enum_value",
     "nested_file_field", "unknown_keyword", "invalid_schema"}
)  # fmt: skip
EXPRESSED_PIPELINE_CODES = EXPRESSED_BUCKET_CODES | {
    "invalid_manifest",
    "unknown_key",
    "source_field_not_found",
    "unknown_extractor",
    "unknown_extractor_input",
    "missing_extractor_input",
    "invalid_target_name",
    "unknown_source",
    "invalid_collection_request",
    "target_conflict",
    "input_type_mismatch",
}
# Structural keywords whose own error only repeats one of its members' errors.
_WRAPPERS = frozenset({"anyOf", "allOf", "oneOf", "if", "then", "else", "$ref"})


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text()) if path.suffix in (".yaml", ".yml") else json.loads(path.read_text())


def _jsonschema_errors(schema: dict[str, Any], document: Any, validator: Any = Draft7Validator) -> list[set[str]]:
    """Each place the schema refuses the document, as the pointers a check may name for it."""
    validator.check_schema(schema)
    return [
        _candidates(list(leaf.absolute_path), leaf.validator, leaf.validator_value, leaf.instance, leaf.schema)
        for error in validator(schema).iter_errors(document)
        for leaf in _leaves(error)
    ]


def _leaves(error: ValidationError) -> list[ValidationError]:
    if error.context:
        return [leaf for sub in error.context for leaf in _leaves(sub)]
    return [error]


def _candidates(path: list[Any], keyword: Any, value: Any, instance: Any, schema: Any) -> set[str]:
    """A missing or unknown key may be reported at the key or at the object that should (not) hold it."""
    pointer = "".join(f"/{p}" for p in path)
    if keyword == "required" and isinstance(instance, dict):
        return {pointer} | {f"{pointer}/{key}" for key in value if key not in instance}
    if keyword == "additionalProperties" and isinstance(instance, dict):
        declared = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        extra = [k for k in instance if k not in declared and not any(re.search(p, k) for p in patterns)]
        return {pointer} | {f"{pointer}/{key}" for key in extra}
    return {pointer}


def _explained(error: set[str], expected: set[str]) -> bool:
    if error & expected:
        return True
    # a key missing from an object and a misspelled one there are one defect (bucket_schema: {fields: ...}
    # without properties): the reader reports the missing key, the schema both
    return any(e.rsplit("/", 1)[0] in error for e in expected)


def _agree(errors: list[set[str]], expected: set[str]) -> None:
    """Every error is one the check reports, and every reported problem has an error."""
    assert [e for e in errors if not _explained(e, expected)] == []
    hit = set().union(*errors) if errors else set()
    assert expected - hit == set()


def _jsonschema_paths(schema: dict[str, Any], document: Any, validator: Any = Draft7Validator) -> set[str]:
    return {min(e) for e in _jsonschema_errors(schema, document, validator)}


def _reported(issues: list[Any], codes: frozenset[str]) -> set[str]:
    return {i.pointer for i in issues if i.code in codes and not _across_values(i)}


def _across_values(issue: Any) -> bool:
    """A target_conflict between two passthrough fields: a rule across entries, not one JSON Schema says."""
    return issue.code == "target_conflict" and "collides with field_passthrough" in issue.message


def check_schema(document: Any) -> list[Any]:
    """What ``schemakit check-schema`` reports for a bucket file: a request's issues located in the request."""
    return read_bucket_request(document).issues if is_bucket_request(document) else check_bucket(document)


# -- bucket files -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", GOOD_BUCKETS, ids=lambda p: p.stem)
def test_the_bucket_schema_accepts_every_fixture_bucket(path: Path) -> None:
    assert _jsonschema_paths(bucket_file_schema(), _load(path)) == set()


def test_the_bucket_schema_refuses_the_broken_fixture_where_check_schema_reports() -> None:
    broken = _load(ROOT / "fixtures" / "buckets" / "broken_schema.json")
    issues = check_schema(broken)
    expected = _reported(issues, EXPRESSED_BUCKET_CODES)
    assert expected == {
        "/properties/photo/type",
        "/properties/blobs",
        "/properties/meta.data",
        "/properties/meta.data/items",
        "/properties/status/enum/1",
        "/properties/info/properties/scan/type",
    }
    _agree(_jsonschema_errors(bucket_file_schema(), broken), expected)
    # the one the schema cannot say: a default outside the enum
    assert {i.code for i in issues if i.pointer not in expected} == {"invalid_default"}


def test_the_2020_12_dialect_says_the_same() -> None:
    broken = _load(ROOT / "fixtures" / "buckets" / "broken_schema.json")
    schema = bucket_file_schema(draft="2020-12")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "definitions" not in schema and "$defs" in schema
    assert "#/definitions/" not in json.dumps(schema)
    seven = _jsonschema_errors(bucket_file_schema(), broken)
    assert _jsonschema_errors(schema, broken, Draft202012Validator) == seven


def test_field_types_and_keywords_carry_descriptions_and_snippets() -> None:
    schema = bucket_file_schema()
    field = schema["definitions"]["topField"]
    type_schema = field["properties"]["type"]
    assert type_schema["anyOf"][0]["enum"][:3] == ["string", "number", "integer"]
    assert type_schema["markdownEnumDescriptions"][9] == "`text`: a file field, supplied as a text blob."
    for keyword, sub in field["properties"].items():
        if keyword != "properties":
            assert sub["description"] and sub["markdownDescription"], keyword
    labels = [s["label"] for s in field["defaultSnippets"]]
    assert "image field" in labels and "object field" in labels
    nested_labels = [s["label"] for s in schema["definitions"]["field"]["defaultSnippets"]]
    assert "image field" not in nested_labels  # files only at the top level


def test_a_type_in_any_letter_case_is_a_type_as_the_reader_reads_it() -> None:
    schema = bucket_file_schema()
    document = {"properties": {"photo": {"type": "Image"}, "n": {"type": " INTEGER ", "default": 3}}}
    assert check_schema(document) == []
    assert _jsonschema_paths(schema, document) == set()
    wrong = {"properties": {"n": {"type": "integer", "default": "3"}}}
    _agree(
        _jsonschema_errors(schema, wrong), _reported(check_schema(wrong), EXPRESSED_BUCKET_CODES | {"invalid_default"})
    )


# -- manifests ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", GOOD_PIPELINES, ids=lambda p: p.name)
def test_the_manifest_schema_accepts_every_fixture_manifest(path: Path) -> None:
    document = _load(path)
    assert _jsonschema_errors(manifest_schema(pipeline=path), document) == []
    if "extractors" not in document:  # without the pipeline, only the registry's extractors are known
        assert _jsonschema_errors(manifest_schema(), document) == []


def _pipeline_issues(path: Path) -> list[Any]:
    resolution = resolve_pipeline(str(path))
    return list(resolution.issues)


def test_the_manifest_schema_refuses_the_broken_fixture_where_check_pipeline_reports() -> None:
    path = ROOT / "fixtures" / "pipelines" / "broken_pipeline.yaml"
    issues = _pipeline_issues(path)
    expected = _reported(issues, EXPRESSED_PIPELINE_CODES)
    _agree(_jsonschema_errors(manifest_schema(pipeline=path), _load(path)), expected)
    assert {i.code for i in issues if i.pointer in expected} >= {
        "source_field_not_found",
        "unknown_extractor",
        "unknown_extractor_input",
        "missing_extractor_input",
        "invalid_target_name",
        "unknown_source",
        "invalid_collection_request",
        "input_type_mismatch",
    }


def test_the_source_paths_of_each_collection_complete_input_mappings() -> None:
    path = ROOT / "fixtures" / "pipelines" / "video_pipeline.yaml"
    schema = manifest_schema(pipeline=path)
    ref = schema["properties"]["collections"]["properties"]["col_video_frames"]["$ref"]
    frames = schema["definitions"][ref.rsplit("/", 1)[1]]
    mapping_value = frames["properties"]["feature_extractor"]["properties"]["input_mappings"]["additionalProperties"]
    assert "metadata.title" in mapping_value["enum"]
    source_path = frames["properties"]["feature_extractor"]["properties"]["field_passthrough"]["items"]
    assert "metadata.title" in source_path["properties"]["source_path"]["enum"]
    document = _load(path)
    document["collections"]["col_video_frames"]["feature_extractor"]["input_mappings"]["text"] = "metadata.titel"
    assert "/collections/col_video_frames/feature_extractor/input_mappings/text" in _jsonschema_paths(schema, document)


def test_extractor_names_and_versions_come_from_the_registry_and_extractors_file() -> None:
    custom = json.loads((ROOT / "fixtures" / "pipelines" / "custom_extractors.json").read_text())
    registry = ExtractorRegistry.builtin().with_definitions(custom)
    schema = manifest_schema(extractors=registry)
    names = schema["definitions"]["collection"]["properties"]["feature_extractor"]["properties"]
    assert names["feature_extractor_name"]["enum"] == registry.names()
    assert set(registry.names()) - set(ExtractorRegistry.builtin().names())
    assert set(names["version"]["enum"]) == {d.version for d in registry}


def test_the_catalog_lists_both_file_kinds() -> None:
    entries = catalog()["schemas"]
    assert [e["name"] for e in entries] == ["schemakit bucket file", "schemakit pipeline manifest"]
    for entry in entries:
        assert set(entry) == {"name", "description", "fileMatch", "url"}
        assert entry["fileMatch"] and entry["url"].startswith("https://")


# -- Ajv, strict, as SchemaStore validates ---------------------------------------------------------------


def _ajv_dir() -> str:
    configured = os.environ.get("SCHEMAKIT_AJV_DIR")
    if configured:
        return configured  # CI installed it: a missing one must fail, not skip
    local = ROOT / ".ci" / "node" / "node_modules"
    if not (local / "ajv").is_dir() or shutil.which("node") is None:
        pytest.skip("Ajv is not installed: source .ci/setup.d/40-ajv.sh")
    return str(local)


def _ajv(schema: dict[str, Any], documents: list[Any], draft: str = "7") -> list[dict[str, Any]]:
    payload = {"schema": schema, "draft": draft, "keywords": list(EDITOR_KEYWORDS), "documents": documents}
    run = subprocess.run(
        ["node", str(AJV_SCRIPT)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env={**os.environ, "NODE_PATH": _ajv_dir()},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert "compileError" not in out, out
    return list(out["results"])


def _ajv_errors(result: dict[str, Any]) -> list[set[str]]:
    out: list[set[str]] = []
    for e in result["errors"]:
        if e["keyword"] in _WRAPPERS:
            continue
        pointer = e["instancePath"]
        if e["keyword"] == "required":
            out.append({pointer, pointer + "/" + e["params"]["missingProperty"]})
        elif e["keyword"] == "additionalProperties":
            out.append({pointer, pointer + "/" + e["params"]["additionalProperty"]})
        else:
            out.append({pointer})
    return out


@pytest.mark.parametrize("draft", ["7", "2020-12"])
def test_ajv_strict_compiles_the_bucket_schema_and_agrees(draft: str) -> None:
    documents = [_load(p) for p in BUCKETS]
    results = _ajv(bucket_file_schema(draft=draft), documents, draft)  # type: ignore[arg-type]
    for path, result in zip(BUCKETS, results, strict=True):
        if path.stem == "broken_schema":
            _agree(_ajv_errors(result), _reported(check_schema(_load(path)), EXPRESSED_BUCKET_CODES))
        else:
            assert result == {"valid": True, "errors": []}, path.stem


def test_ajv_strict_compiles_the_manifest_schema_and_agrees() -> None:
    broken = ROOT / "fixtures" / "pipelines" / "broken_pipeline.yaml"
    for path in PIPELINES:
        (result,) = _ajv(manifest_schema(pipeline=path), [_load(path)])
        if path == broken:
            _agree(_ajv_errors(result), _reported(_pipeline_issues(path), EXPRESSED_PIPELINE_CODES))
        else:
            assert result == {"valid": True, "errors": []}, path.name
