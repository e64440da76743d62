"""Keys a bucket definition's objects do not define: reported as unknown_keyword, never silently ignored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_cli_support import run

from schemakit import check_bucket, compile_schema
from schemakit._contract.bucket import BUCKET_REQUEST_KEYWORDS, FIELD_KEYWORDS, read_bucket_request
from schemakit._issues import Issue
from schemakit.schema import compile_bucket


def unknown(issues: list[Issue]) -> list[tuple[str, tuple[Any, ...], str | None, str]]:
    return [(i.pointer, i.path, i.hint, i.severity) for i in issues if i.code == "unknown_keyword"]


@pytest.mark.parametrize(
    ("key", "suggested"),
    [("requird", "required"), ("Required", "required"), ("defualt", "default"), ("item", "items"), ("enums", "enum")],
)
def test_a_misspelled_field_keyword_is_a_warning_with_the_keyword_it_meant(key: str, suggested: str) -> None:
    issues = check_bucket({"properties": {"sku": {"type": "string", key: True}}})
    assert unknown(issues) == [
        (f"/properties/sku/{key}", ("properties", "sku", key), f"did you mean '{suggested}'?", "warning")
    ]
    assert issues[0].message == f"'{key}' is not a keyword of a field definition; it is ignored"


def test_the_misspelled_keyword_still_leaves_the_field_optional_so_the_warning_is_what_tells() -> None:
    compiled = compile_schema({"properties": {"sku": {"type": "string", "requird": True}}})
    assert compiled.is_valid({"metadata": {}})


def test_every_keyword_the_contract_defines_on_a_field_is_accepted_silently() -> None:
    spec = {"type": "array", "required": True, "default": ["a"], "enum": [["a"]], "description": "d", "examples": []}
    spec["items"] = {"type": "string"}
    assert set(spec) == set(FIELD_KEYWORDS) - {"properties"}
    nested = {"type": "object", "properties": {"x": {"type": "string"}}}
    assert check_bucket({"properties": {"tags": spec, "dims": nested}}) == []


def test_keywords_are_checked_at_every_depth_and_in_array_items() -> None:
    schema = {
        "properties": {
            "dims": {"type": "object", "properties": {"w": {"type": "number", "defualt": 1}}},
            "tags": {"type": "array", "items": {"type": "string", "enums": ["a"]}},
        },
        "type": "object",
    }
    assert [i[0] for i in unknown(check_bucket(schema))] == [
        "/type",
        "/properties/dims/properties/w/defualt",
        "/properties/tags/items/enums",
    ]


def test_a_bucket_schema_key_besides_properties_lists_what_is_defined() -> None:
    (issue,) = check_bucket({"properties": {}, "title": "Products"})
    assert (issue.code, issue.path, issue.hint) == ("unknown_keyword", ("title",), "keywords: properties")


def test_a_unique_key_keyword_is_checked() -> None:
    issues = check_bucket({"properties": {"sku": {"type": "string"}}}, {"fields": ["sku"], "default_polcy": "upsert"})
    assert unknown(issues) == [
        ("/unique_key/default_polcy", ("unique_key", "default_polcy"), "did you mean 'default_policy'?", "warning")
    ]


def test_a_key_that_is_not_a_string_is_described() -> None:
    (issue,) = check_bucket({"properties": {"sku": {"type": "string", 7: True}}})
    assert (issue.code, issue.path) == ("unknown_keyword", ("properties", "sku", "integer 7"))


def test_a_bucket_request_with_misspelled_keys_is_read_as_a_request_and_told() -> None:
    request = {
        "bucket_name": "products",
        "bucket_schem": {"properties": {"sku": {"type": "string"}}},
        "unique_keys": {"fields": ["sku"]},
    }
    definition = read_bucket_request(request)
    assert [(i.code, i.path, i.hint, i.severity) for i in definition.issues] == [
        ("unknown_keyword", ("bucket_schem",), "did you mean 'bucket_schema'?", "warning"),
        ("unknown_keyword", ("unique_keys",), "did you mean 'unique_key'?", "warning"),
        ("invalid_schema", ("bucket_schema",), None, "error"),
    ]
    assert set(BUCKET_REQUEST_KEYWORDS) == {"bucket_name", "description", "bucket_schema", "unique_key", "metadata"}


def test_compile_bucket_locates_the_warnings_in_the_request_and_compiles() -> None:
    request = {"bucket_schema": {"properties": {"sku": {"type": "string", "Required": True}}}, "unique_keys": {}}
    assert compile_bucket(request).is_valid({"metadata": {}})
    assert unknown(read_bucket_request(request).issues) == [
        ("/unique_keys", ("unique_keys",), "did you mean 'unique_key'?", "warning"),
        ("/bucket_schema/properties/sku/Required", ("bucket_schema", "properties", "sku", "Required"),
         "did you mean 'required'?", "warning"),
    ]


def test_check_schema_warns_and_strict_makes_it_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bucket.json"
    path.write_text(json.dumps({"properties": {"sku": {"type": "string", "requird": True}}}, indent=2))
    relaxed = run("check-schema", path, "-f", "json")
    assert relaxed.code == 0, relaxed.out
    (issue,) = relaxed.json()["issues"]
    assert (issue["code"], issue["severity"], issue["pointer"], issue["line"]) == (
        "unknown_keyword",
        "warning",
        "/properties/sku/requird",
        5,
    )
    strict = run("check-schema", "--strict", path, "-f", "json")
    assert strict.code == 1, strict.out
    assert [(i["code"], i["severity"]) for i in strict.json()["issues"]] == [("unknown_keyword", "error")]


def test_check_schema_reads_a_request_whose_bucket_schema_is_misspelled(tmp_path: Path) -> None:
    path = tmp_path / "bucket.json"
    path.write_text(json.dumps({"bucket_name": "b", "bucket_schem": {"properties": {}}}))
    result = run("check-schema", path, "-f", "json")
    assert result.code == 1
    assert [(i["code"], i["pointer"]) for i in result.json()["issues"]] == [
        ("unknown_keyword", "/bucket_schem"),
        ("invalid_schema", "/bucket_schema"),
    ]


def test_a_vendor_extension_key_is_kept_and_not_reported() -> None:
    schema = {"properties": {"sku": {"type": "string", "x-ui": {"widget": "text"}}}, "x-owner": "catalog"}
    assert check_bucket(schema) == []
    assert compile_schema(schema).schema.fields["sku"].extra == {"x-ui": {"widget": "text"}}


def test_validate_says_on_stderr_which_schema_keys_it_ignores(tmp_path: Path) -> None:
    schema = tmp_path / "bucket.json"
    schema.write_text(json.dumps({"properties": {"sku": {"type": "string", "requird": True}}}, indent=2))
    data = tmp_path / "objects.jsonl"
    data.write_text('{"metadata": {}}\n')
    result = run("validate", schema, data)
    assert result.code == 0, result.out
    assert result.err.splitlines() == [
        f"schemakit: warning: {schema}: line 5: /properties/sku/requird: unknown_keyword: 'requird' is not a keyword"
        " of a field definition; it is ignored (did you mean 'required'?)"
    ]
