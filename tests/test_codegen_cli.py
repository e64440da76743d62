"""``schemakit codegen``: the module on stdout or in a file, collections' documents, errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

from schemakit.codegen import generate_models
from schemakit.mappings import resolve_pipeline
from tests.test_cli_support import FIXTURES, assert_no_traceback, run

CATALOG = FIXTURES / "buckets" / "product_catalog.json"
VIDEO = FIXTURES / "pipelines" / "video_pipeline.yaml"


def test_the_module_is_the_library_s_on_stdout_and_in_a_file(tmp_path: Path) -> None:
    expected = generate_models(
        json.loads(CATALOG.read_text()), target="pydantic", class_name="Product", source="product_catalog.json"
    )
    result = run("codegen", CATALOG, "--target", "pydantic", "--class-name", "Product")
    assert (result.code, result.err) == (0, "")
    assert result.out == expected
    target = tmp_path / "models.py"
    written = run("codegen", CATALOG, "--target", "pydantic", "--class-name", "Product", "-o", target)
    assert (written.code, written.out, written.err) == (0, "", "")
    assert target.read_text() == expected


def test_a_collection_s_documents_come_from_its_resolved_output_schema() -> None:
    output_schema = resolve_pipeline(str(VIDEO)).collections["col_video_scenes"].output_schema
    expected = generate_models(
        output_schema,
        target="msgspec",
        class_name="Scene",
        kind="document",
        source="collection col_video_scenes of video_pipeline.yaml",
    )
    result = run(
        "codegen",
        "--collection",
        "col_video_scenes",
        "--pipeline",
        VIDEO,
        "--target",
        "msgspec",
        "--class-name",
        "Scene",
    )
    assert (result.code, result.err) == (0, "")
    assert result.out == expected
    assert "class Scene(msgspec.Struct, kw_only=True):" in result.out
    assert "Blob" not in result.out  # documents carry no blobs


def test_a_broken_schema_exits_2_naming_the_first_problem_and_its_line() -> None:
    result = run("codegen", FIXTURES / "buckets" / "broken_schema.json", "--target", "dataclass")
    assert result.code == 2
    assert result.out == ""
    assert "broken_schema.json: invalid bucket schema: line " in result.err
    assert_no_traceback(result)


def test_an_unknown_collection_is_told_with_a_did_you_mean() -> None:
    result = run("codegen", "--collection", "col_video_frame", "--pipeline", VIDEO, "--target", "pydantic")
    assert result.code == 2
    assert "no collection 'col_video_frame' (did you mean 'col_video_frames' or 'col_video_scenes'?)" in result.err
    assert_no_traceback(result)


def test_usage_errors_exit_2() -> None:
    cases = [
        (("codegen", "--target", "pydantic"), "Missing argument 'SCHEMA'"),
        (("codegen", CATALOG, "--target", "attrs"), "Invalid value for '--target'"),
        (("codegen", "--collection", "x", "--target", "pydantic"), "--collection and --pipeline go together"),
        (("codegen", CATALOG, "--target", "pydantic", "--class-name", "my-model"), "class_name must be an ASCII"),
        (("codegen", CATALOG, "--target", "pydantic", "--pipeline", VIDEO, "--collection", "c"), "not both"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.code == 2, args
        assert message in result.err, (args, result.err)
        assert_no_traceback(result)


def test_an_unwritable_output_is_a_usage_problem(tmp_path: Path) -> None:
    result = run("codegen", CATALOG, "--target", "pydantic", "-o", tmp_path / "missing" / "models.py")
    assert result.code == 2
    assert "models.py: cannot write the module: No such file or directory" in result.err
    assert_no_traceback(result)


def test_export_jsonschema_prints_the_editor_schemas_of_the_library() -> None:
    from schemakit.codegen._editor import bucket_file_schema, catalog, manifest_schema
    from schemakit.mappings import ExtractorRegistry

    bucket = run("export-jsonschema", "--kind", "bucket")
    assert (bucket.code, bucket.err) == (0, "")
    assert json.loads(bucket.out) == bucket_file_schema()
    assert json.loads(bucket.out)["$schema"] == "http://json-schema.org/draft-07/schema#"
    later = run("export-jsonschema", "--kind", "bucket", "--draft", "2020-12")
    assert json.loads(later.out) == bucket_file_schema(draft="2020-12")
    manifest = run("export-jsonschema", "--kind", "manifest", "--pipeline", VIDEO)
    assert json.loads(manifest.out) == manifest_schema(pipeline=VIDEO)
    custom = FIXTURES / "pipelines" / "custom_extractors.json"
    with_custom = run("export-jsonschema", "--kind", "manifest", "--extractors", custom)
    registry = ExtractorRegistry.builtin().with_definitions(json.loads(custom.read_text()))
    assert json.loads(with_custom.out) == manifest_schema(extractors=registry)
    listed = run("export-jsonschema", "--catalog")
    assert json.loads(listed.out) == catalog()


def test_export_jsonschema_keeps_the_object_export_and_refuses_what_does_not_fit() -> None:
    plain = run("export-jsonschema", CATALOG)
    assert plain.code == 0
    assert json.loads(plain.out)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert run("export-jsonschema", "--kind", "object", CATALOG).out == plain.out
    cases = [
        (("export-jsonschema", "--draft", "7", CATALOG), "--kind object is 2020-12 only"),
        (("export-jsonschema", "--kind", "bucket", CATALOG), "takes no SCHEMA"),
        (("export-jsonschema", "--kind", "bucket", "--pipeline", VIDEO), "apply to --kind manifest"),
        (("export-jsonschema", "--catalog", "--kind", "bucket"), "--catalog takes no SCHEMA and no other option"),
        (("export-jsonschema",), "Missing argument 'SCHEMA'"),
        (("export-jsonschema", "--kind", "manifest", "--pipeline", "nowhere.yaml"), "nowhere.yaml: no such file"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.code == 2, args
        assert message in result.err, (args, result.err)
        assert_no_traceback(result)
