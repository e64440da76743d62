"""Generated models: they type-check under mypy --strict, import, and load what the validator accepts.

Every module of the run (each fixture bucket and a handful of generated bucket
schemas, in each target) is written to one directory and checked by a single
mypy run: one mypy start-up per suite instead of one per module.
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec
import pydantic
import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings

from schemakit import compile_schema
from schemakit._contract import paths
from schemakit._contract.bucket import read_bucket
from schemakit._issues import SchemaDefinitionError
from schemakit.codegen import TARGETS, generate_models
from schemakit.codegen._model import literal_values
from schemakit.codegen._render import msgspec_can_name
from schemakit.mappings import resolve_pipeline
from schemakit.strategies import bucket_schemas, invalid_objects, objects, records
from schemakit.strategies._invalid import possible_codes

ROOT = Path(__file__).resolve().parent.parent
BUCKETS = ROOT / "fixtures" / "buckets"
THOROUGH = settings().max_examples > 100
GENERATED_SCHEMAS = 50 if THOROUGH else 5


def _fixture_schemas() -> dict[str, dict[str, Any]]:
    out = {}
    for path in sorted(BUCKETS.glob("*.json")):
        document = json.loads(path.read_text())
        if path.stem != "broken_schema":
            out[path.stem] = document.get("bucket_schema", document)
    return out


def _generated_schemas(count: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    @seed(16)
    @settings(max_examples=count, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(bucket_schemas(max_fields=5))
    def collect(schema: dict[str, Any]) -> None:
        found.append(schema)

    collect()
    return found[:count]


@dataclass
class Case:
    name: str
    schema: dict[str, Any]


def _collection_schemas() -> dict[str, dict[str, Any]]:
    """Every collection's output schema in the fixture pipelines that resolve."""
    out = {}
    for path in sorted((ROOT / "fixtures" / "pipelines").glob("*_pipeline.yaml")):
        resolution = resolve_pipeline(str(path))
        for cid, collection in resolution.collections.items():
            if collection.ok:
                out[cid] = collection.output_schema
    return out


CASES = [Case(name, s) for name, s in _fixture_schemas().items()] + [
    Case(f"generated_{i}", s) for i, s in enumerate(_generated_schemas(GENERATED_SCHEMAS))
]
DOCUMENT_CASES = [Case(name, s) for name, s in _collection_schemas().items()]


@pytest.fixture(scope="module")
def module_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("codegen_models")
    kinds = [(case, "object") for case in CASES] + [(case, "document") for case in DOCUMENT_CASES]
    for case, kind in kinds:
        for target in TARGETS:
            source = generate_models(case.schema, target=target, kind=kind, source=case.name)
            (folder / f"m_{case.name}_{target}.py").write_text(source)
    sys.path.insert(0, str(folder))
    yield folder
    sys.path.remove(str(folder))


def _module(folder: Path, case: Case, target: str) -> ModuleType:
    assert str(folder) in sys.path
    return importlib.import_module(f"m_{case.name}_{target}")


def test_every_generated_module_passes_mypy_strict_and_its_field_paths_check_filters(
    module_dir: Path, tmp_path: Path
) -> None:
    files = sorted(module_dir.glob("m_*.py"))
    assert len(files) == (len(CASES) + len(DOCUMENT_CASES)) * len(TARGETS)
    # in the same run (one mypy start-up): a filter path written in code is checked against the alias
    user = tmp_path / "use_paths.py"
    user.write_text(
        "from m_product_catalog_pydantic import ObjectField\n\n"
        'good: ObjectField = "metadata.dimensions.width_cm"\n'
        'bad: ObjectField = "metadata.titel"\n'
    )
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), *map(str, files), str(user)],
        capture_output=True,
        text=True,
        cwd=module_dir,
        env={**os.environ, "MYPYPATH": str(module_dir)},
    )
    errors = [line for line in run.stdout.splitlines() if ": error: " in line]
    expected = "Incompatible types in assignment (expression has type \"Literal['metadata.titel']\""
    assert len(errors) == 1 and errors[0].startswith(f"{user}:4: error: {expected}"), run.stdout + run.stderr
    assert f"Found 1 error in 1 file (checked {len(files) + 1} source files)" in run.stdout


def _integral_floats_as_ints(value: Any) -> Any:
    """msgspec refuses 3.0 for an int (schemakit accepts it): the documented difference, undone."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_integral_floats_as_ints(v) for v in value]
    if isinstance(value, dict):
        return {k: _integral_floats_as_ints(v) for k, v in value.items()}
    return value


Loader = Callable[[ModuleType, Any], Any]
LOADERS: dict[str, Loader] = {
    "pydantic": lambda m, data: m.Object.model_validate(data),
    "msgspec": lambda m, data: msgspec.convert(_integral_floats_as_ints(data), m.Object),
    "dataclass": lambda m, data: m.load(m.Object, data),
}
# TypedDicts convert nothing at run time: they are checked by mypy only.
REJECTIONS = (pydantic.ValidationError, msgspec.ValidationError, TypeError, ValueError)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_models_accept_every_object_the_validator_accepts(case: Case, module_dir: Path) -> None:
    compiled = compile_schema(case.schema)
    modules = {t: _module(module_dir, case, t) for t in LOADERS}

    @settings(max_examples=15, database=None)
    @given(objects(case.schema))
    def check(obj: dict[str, Any]) -> None:
        assert compiled.validate(obj).ok
        for target, load in LOADERS.items():
            load(modules[target], obj)

    check()


@pytest.mark.parametrize("case", DOCUMENT_CASES, ids=lambda c: c.name)
def test_document_models_load_the_records_of_a_collection_s_output_schema(case: Case, module_dir: Path) -> None:
    modules = {t: _module(module_dir, case, t) for t in LOADERS}

    sdef = read_bucket(case.schema).schema
    assert sdef is not None
    # records hold metadata only; a passed-through file is a value of any form in the document
    files = {name: f"s3://frames/{name}" for name, f in sdef.fields.items() if f.is_file}

    @settings(max_examples=10, database=None)
    @given(records(case.schema))
    def check(record: dict[str, Any]) -> None:
        record.update(files)
        for target, load in LOADERS.items():
            load(modules[target], record)

    check()
    assert "Blob" not in (module_dir / f"m_{case.name}_pydantic.py").read_text()


def _expressible(case: Case, obj: Any, code: str) -> bool:
    """Whether a type can say what the validator said: a metadata field's absence, a Literal's enum."""
    sdef = read_bucket(case.schema).schema
    assert sdef is not None
    issues = [i for i in compile_schema(case.schema).validate(obj).issues if i.code == code]
    assert issues, f"the validator does not report {code}"
    for issue in issues:
        found = paths.resolve(sdef, tuple(str(s) for s in issue.path))
        if found is None or found.field is None:
            return False
        if found.field.is_file or found.field.file_items:
            return False  # a required file is a blob the list does not hold: no type says so
        if code == "enum_mismatch" and literal_values(found.field) is None:
            return False  # an enum of numbers or dates is the plain type in the model
    return True


def _nameable_in_msgspec(case: Case, obj: Any, code: str) -> bool:
    """Whether every key on the way to the defect is a field of the msgspec Structs."""
    issues = [i for i in compile_schema(case.schema).validate(obj).issues if i.code == code]
    return all(msgspec_can_name(s) for i in issues for s in i.path if isinstance(s, str))


EXPRESSIBLE = ("type_mismatch", "enum_mismatch", "missing_required_field")


# a schema with no metadata field can produce none of the expressible codes: nothing to reject there
REJECTING = [c for c in CASES if set(possible_codes(c.schema)) & set(EXPRESSIBLE)]


@pytest.mark.parametrize("case", REJECTING, ids=lambda c: c.name)
def test_models_reject_what_a_type_can_express(case: Case, module_dir: Path) -> None:
    strategy = invalid_objects(case.schema, codes=EXPRESSIBLE)
    modules = {t: _module(module_dir, case, t) for t in LOADERS}
    checked: list[str] = []

    # derandomized: whether some drawn defect is one a type can express must not vary from run to run
    @settings(max_examples=15, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def check(pair: tuple[Any, str]) -> None:
        obj, code = pair
        if not _expressible(case, obj, code):
            return
        checked.append(code)
        for target, load in LOADERS.items():
            if target == "msgspec" and not _nameable_in_msgspec(case, obj, code):
                continue
            with pytest.raises(REJECTIONS):
                load(modules[target], obj)

    check()
    assert checked, "no drawn defect was one a type can express"


def _catalog() -> Case:
    return next(c for c in CASES if c.name == "product_catalog")


def test_loaded_objects_hold_python_types(module_dir: Path) -> None:
    case = _catalog()
    line = (ROOT / "fixtures" / "objects" / "product_catalog_valid.jsonl").read_text().splitlines()[0]
    obj = json.loads(line)
    obj["metadata"]["updated_at"] = "2024-03-01t10:30:00.123456z"
    obj["metadata"]["stock"] = 3.0
    assert compile_schema(case.schema).validate(obj).ok
    for target in ("pydantic", "dataclass", "msgspec"):
        loaded = LOADERS[target](_module(module_dir, case, target), obj)
        meta = loaded.metadata
        assert meta.released == datetime.date(2024, 3, 1)
        assert meta.updated_at == datetime.datetime(2024, 3, 1, 10, 30, 0, 123456, tzinfo=datetime.UTC)
        assert meta.stock == 3 and type(meta.stock) is int
        assert meta.currency == "USD"  # the default, filled
        assert loaded.blobs[0].type in ("image", "IMAGE")


def test_msgspec_refuses_an_integral_float_where_schemakit_accepts_it(module_dir: Path) -> None:
    case = _catalog()
    obj = json.loads((ROOT / "fixtures" / "objects" / "product_catalog_valid.jsonl").read_text().splitlines()[0])
    obj["metadata"]["stock"] = 3.0
    assert compile_schema(case.schema).validate(obj).ok
    with pytest.raises(msgspec.ValidationError, match=r"Expected `int \| null`, got `float` - at `\$.metadata.stock`"):
        msgspec.convert(obj, _module(module_dir, case, "msgspec").Object)
    module_text = (module_dir / "m_product_catalog_msgspec.py").read_text()
    assert "msgspec refuses an integer written\nas a float (``3.0``)" in module_text


def test_fixture_objects_load_or_fail_as_the_validator_says(module_dir: Path) -> None:
    case = _catalog()
    compiled = compile_schema(case.schema)
    model = _module(module_dir, case, "pydantic").Object
    verdicts = []
    for line in (ROOT / "fixtures" / "objects" / "product_catalog.jsonl").read_text().splitlines():
        obj = json.loads(line)
        result = compiled.validate(obj)
        try:
            model.model_validate(obj)
            loads = True
        except pydantic.ValidationError:
            loads = False
        codes = {i.code for i in result.errors}
        verdicts.append((obj["sku"], result.ok, loads))
        if result.ok:
            assert loads, obj["sku"]
        elif codes & {"type_mismatch", "enum_mismatch"}:
            assert not loads, obj["sku"]
    assert ("INVALID-price-is-a-string", False, False) in verdicts
    assert ("INVALID-category-not-in-enum", False, False) in verdicts
    assert ("INVALID-title-missing", False, False) in verdicts


def test_names_come_from_field_paths_and_odd_keys_keep_their_spelling() -> None:
    schema = {
        "properties": {
            "class": {"type": "string", "required": True},
            "two words": {"type": "object", "properties": {"é": {"type": "integer"}, "model_x": {"type": "date"}}},
            "items": {"type": "array", "items": {"type": "object", "properties": {"a": {"type": "boolean"}}}},
        }
    }
    source = generate_models(schema, target="pydantic", class_name="Thing")
    assert "class TwoWords(BaseModel):" in source
    assert "class ItemsItem(BaseModel):" in source
    assert '    class_: str = Field(alias="class")' in source
    assert '    f_: _Integral | None = Field(default=None, alias="é")' in source
    assert '    model_x_: _Date | None = Field(default=None, alias="model_x")' in source
    assert generate_models(schema, target="pydantic", class_name="Thing") == source  # deterministic
    module = _exec_module(source, "codegen_odd_names")
    thing = module.Thing.model_validate({"class": "x", "two words": {"é": 2.0, "model_x": "2024-01-05"}})
    assert thing.class_ == "x" and thing.two_words.f_ == 2
    assert thing.two_words.model_x_ == datetime.date(2024, 1, 5)


def _exec_module(source: str, name: str) -> ModuleType:
    """Run generated source as an importable module (pydantic resolves annotations in sys.modules)."""
    module = ModuleType(name)
    sys.modules[name] = module
    exec(compile(source, f"<{name}>", "exec"), module.__dict__)  # the module under test
    return module


def test_a_broken_schema_is_refused_with_its_issues() -> None:
    broken = json.loads((BUCKETS / "broken_schema.json").read_text())
    with pytest.raises(SchemaDefinitionError) as raised:
        generate_models(broken, target="pydantic")
    assert raised.value.issues and all(i.is_error for i in raised.value.issues)
    with pytest.raises(ValueError, match="target must be one of pydantic, typeddict, msgspec, dataclass"):
        generate_models({"properties": {}}, target="attrs")


def test_an_integer_enum_refuses_a_boolean_and_a_boolean_enum_an_integer() -> None:
    # pydantic's Literal alone takes True for 1 and 1 for True; the validator tells them apart
    schema = {
        "properties": {
            "n": {"type": "integer", "enum": [1, 2], "required": True},
            "b": {"type": "boolean", "enum": [True]},
        }
    }
    compiled = compile_schema(schema)
    assert compiled.validate({"n": 1.0, "b": True}).ok
    assert not compiled.validate({"n": True}).ok and not compiled.validate({"n": 1, "b": 1}).ok
    for target in ("pydantic", "dataclass"):
        module = _exec_module(generate_models(schema, target=target), f"codegen_literal_{target}")
        load = LOADERS[target]
        assert load(module, {"n": 1.0, "b": True}).n == 1
        for bad in ({"n": True}, {"n": 1, "b": 1}):
            with pytest.raises(REJECTIONS):
                load(module, bad)
