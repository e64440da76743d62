"""The light benchmark workload: every peer, the hand-written function included, judges its data as schemakit does."""

from __future__ import annotations

import fastjsonschema
import jsonschema
from test_schema_benchmark import load_bench


def test_peers_agree_on_the_light_data() -> None:
    bench = load_bench()
    objects = bench.make_light_objects(400)
    v = bench.compile_schema(bench.LIGHT_BUCKET)
    jsonschema.Draft7Validator.check_schema(bench.LIGHT_JSON_SCHEMA)
    js = jsonschema.Draft7Validator(bench.LIGHT_JSON_SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    fast = fastjsonschema.compile(bench.LIGHT_JSON_SCHEMA)

    def fast_ok(obj: object) -> bool:
        try:
            fast(obj)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    broken = set()
    for i, obj in enumerate(objects):
        expected = i % 10 != 9
        result = v.validate(obj)
        assert v.is_valid(obj) is expected is result.ok, (i, result.issues)
        assert js.is_valid(obj) is expected, i
        assert fast_ok(obj) is expected, i
        assert bench.light_by_hand(obj) is expected, i
        if not expected:
            broken.add(result.issues[0].code)
    assert broken == {"type_mismatch", "missing_required_field", "enum_mismatch", "blob_type_mismatch"}
