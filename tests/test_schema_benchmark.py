"""The validation benchmark stays runnable, and its peers judge its data as schemakit does."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import fastjsonschema
import jsonschema

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_validate.py"


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_validate", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_validate"] = module
    spec.loader.exec_module(module)
    return module


def test_peers_agree_on_the_benchmark_data() -> None:
    bench = load_bench()
    objects = bench.make_objects(300)
    v = bench.compile_bucket(bench.BUCKET)
    jsonschema.Draft7Validator.check_schema(bench.JSON_SCHEMA)
    js = jsonschema.Draft7Validator(bench.JSON_SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    fast = fastjsonschema.compile(bench.JSON_SCHEMA)

    def fast_ok(obj: object) -> bool:
        try:
            fast(obj)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    for i, obj in enumerate(objects):
        expected = i % 10 != 9
        assert v.is_valid(obj) is expected, (i, v.validate(obj).issues)
        assert js.is_valid(obj) is expected, i
        assert fast_ok(obj) is expected, i


def test_benchmark_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--objects", "200", "--repeat", "1"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "schemakit is_valid" in done.stdout and "target:" in done.stdout
