"""``compile_schema`` and what it returns: the compiled validator and its results."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from schemakit._contract.bucket import SchemaDef, read_bucket, read_bucket_request
from schemakit._contract.results import ResultShape
from schemakit._contract.sentinels import ABSENT
from schemakit._contract.types import FIELD_TYPES
from schemakit._dates import as_instant, parse_date, parse_datetime
from schemakit._issues import Issue, SchemaDefinitionError
from schemakit.schema import _runtime as rt
from schemakit.schema._blobs import describe
from schemakit.schema._codegen import Options, generate
from schemakit.schema._jsonschema import build_json_schema
from schemakit.schema._runtime import as_plain as _as_plain

if TYPE_CHECKING:
    from schemakit.datasets._table import TableReport

MAX_BATCH = 100
DEFAULT_MAX_INLINE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ValidationResult(ResultShape):
    """The verdict on one object: ``ok`` when no issue is an error; ``value`` is the normalized object then."""

    ok: bool
    issues: list[Issue] = field(default_factory=list)
    value: dict[str, Any] | None = None

    def _payload(self) -> dict[str, Any]:
        return {"value": self.value}


# validate() builds one result per object: setting the slots through their descriptors skips the frozen
# __init__'s object.__setattr__ calls, about half the cost of a result. The dataclass stays frozen.
_new_result = object.__new__
_set_ok = ValidationResult.__dict__["ok"].__set__
_set_issues = ValidationResult.__dict__["issues"].__set__
_set_value = ValidationResult.__dict__["value"].__set__


def _verdict(ok: bool, issues: list[Issue], value: dict[str, Any] | None) -> ValidationResult:
    """``ValidationResult(ok, issues, value)``, built for the hot path."""
    result = _new_result(ValidationResult)
    _set_ok(result, ok)
    _set_issues(result, issues)
    _set_value(result, value)
    return result


@dataclass(frozen=True, slots=True)
class BatchResult(ResultShape):
    """The verdict on a batch: batch-level issues and every object's issues, located under ``("objects", i)``."""

    ok: bool
    issues: list[Issue] = field(default_factory=list)
    results: list[ValidationResult] = field(default_factory=list)

    def _payload(self) -> dict[str, Any]:
        return {"results": [r.to_dict() for r in self.results]}


class CompiledSchema:
    """A bucket schema compiled to Python functions; build it with :func:`compile_schema`.

    ``is_valid(obj)`` is whether ``obj`` is a valid object request: the verdict
    of :meth:`validate`, without building issues. It is the generated function
    itself (no method call in between), and accepts pydantic models like
    ``validate`` does.
    """

    __slots__ = (
        "_collect",
        "_generated",
        "_is_clean",
        "_key_kinds",
        "_normalize",
        "_options",
        "_schema",
        "_unique_key",
        "is_valid",
    )

    is_valid: Callable[[Any], bool]

    def __init__(self, schema: SchemaDef, *, unique_key: tuple[str, ...], strict: bool, max_inline_bytes: int) -> None:
        self._schema = schema
        self._unique_key = unique_key
        self._options = Options(strict=strict, max_inline_bytes=max_inline_bytes, unique_key=unique_key)
        self._generated = generate(schema, self._options)
        self.is_valid = self._generated.is_valid
        self._collect = self._generated.collect
        self._normalize = self._generated.normalize
        self._is_clean = self._generated.is_clean
        self._key_kinds = tuple((name, FIELD_TYPES[schema.fields[name].type].check_kind) for name in unique_key)

    # -- the pinned API -----------------------------------------------------------------------

    def validate(self, obj: Any) -> ValidationResult:
        """Every issue of ``obj``, and the normalized object (defaults filled, blob types lower-cased) when ok."""
        if obj.__class__ is not dict:
            obj = _as_plain(obj)
        if self._is_clean(obj):  # most objects: no issue to build, so no collect pass
            return _verdict(True, [], self._normalize(obj))
        issues: list[Issue] = []
        self._collect(obj, issues)
        if not issues:
            return _verdict(True, issues, self._normalize(obj))
        if rt.has_error(issues):
            return _verdict(False, issues, None)
        return _verdict(True, issues, self._normalize(obj))

    def validate_batch(self, request: Any) -> BatchResult:
        """Check a CreateObjectsBatchRequest: its shape, its size, each object, and duplicate unique keys."""
        request = _as_plain(request)
        issues: list[Issue] = []
        results: list[ValidationResult] = []
        if not isinstance(request, dict):
            issues.append(Issue("invalid_request", (), f"a batch request must be an object, found {describe(request)}"))
            return BatchResult(False, issues, results)
        objects = request.get("objects", ABSENT)
        if objects is ABSENT or not isinstance(objects, list):
            found = "nothing" if objects is ABSENT else describe(objects)
            issues.append(
                Issue("invalid_request", ("objects",), f"'objects' must be a list of object requests, found {found}")
            )
            return BatchResult(False, issues, results)
        if len(objects) > MAX_BATCH:
            issues.append(
                Issue(
                    "batch_too_large",
                    ("objects",),
                    f"a batch holds at most {MAX_BATCH} objects; this one has {len(objects)}",
                    hint=f"split it into batches of {MAX_BATCH}",
                )
            )
        first_seen: dict[Any, int] = {}
        for i, obj in enumerate(objects):
            result = self.validate(obj)
            if self._unique_key:
                key = self.unique_key_value(obj)
                if key is not None:
                    first = first_seen.setdefault(key, i)
                    if first != i:
                        result = ValidationResult(False, [*result.issues, self._duplicate_issue(key, first)], None)
            results.append(result)
            issues.extend(issue.prefixed("objects", i) for issue in result.issues)
        ok = not rt.has_error(issues)
        return BatchResult(ok, issues, results)

    def validate_table(self, table: Any, *, max_issues: int = 1000) -> TableReport:
        """Every row of a ``pyarrow.Table``, ``RecordBatch`` or ``polars.DataFrame``: a ``TableReport``.

        Row ``i`` is valid exactly when ``is_valid`` says so of the row as a dict, with exactly the
        issues of ``validate`` (located under the row index); see :mod:`schemakit.datasets`.
        """
        from schemakit.datasets._table import validate_table

        return validate_table(self, table, max_issues=max_issues)

    def json_schema(self) -> dict[str, Any]:
        """A JSON Schema (2020-12) for an object request of this bucket, as far as JSON Schema can say it."""
        return build_json_schema(self._schema, self._options)

    # -- for the CLI and tooling (pinned) -----------------------------------------------------------

    @property
    def schema(self) -> SchemaDef:
        return self._schema

    @property
    def unique_key_fields(self) -> tuple[str, ...]:
        return self._unique_key

    @property
    def strict(self) -> bool:
        return self._options.strict

    @property
    def max_inline_bytes(self) -> int:
        return self._options.max_inline_bytes

    @property
    def source(self) -> str:
        """The generated Python source, for debugging."""
        return self._generated.source

    def unique_key_value(self, obj: Any) -> tuple[Any, ...] | None:
        """The object's unique key as a hashable tuple (equal keys compare equal), or None when incomplete.

        Date and date-time values are normalized to ISO text (date-times as UTC instants),
        integral floats to ints, and values of the wrong kind to a JSON text, so the key of
        any object can go into a set.
        """
        if not self._unique_key:
            return None
        obj = _as_plain(obj)
        if not isinstance(obj, dict):
            return None
        parts: list[Any] = []
        for name, kind in self._key_kinds:
            v = obj.get(name)
            if v is None or (isinstance(v, str) and not v):
                return None
            parts.append(_key_part(v, kind))
        return tuple(parts)

    def _duplicate_issue(self, key: tuple[Any, ...], first: int) -> Issue:
        fields = self._unique_key
        shown = ", ".join(f"{n}={describe(v).split(' ', 1)[-1]}" for n, v in zip(fields, key, strict=True))
        path: tuple[str, ...] = (fields[0],) if len(fields) == 1 else ()
        return Issue(
            "duplicate_unique_key",
            path,
            f"unique key ({shown}) repeats object {first} of this batch",
            hint="each object of a batch needs its own unique key",
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Generated functions do not pickle; a worker process recompiles from the normalized schema.
        key = {"fields": list(self._unique_key)} if self._unique_key else None
        return (_recompile, (self._schema.to_dict(), key, self._options.strict, self._options.max_inline_bytes))

    def __repr__(self) -> str:
        return f"<CompiledSchema fields={list(self._schema.fields)} unique_key={list(self._unique_key)}>"


def _recompile(schema: dict[str, Any], unique_key: Any, strict: bool, max_inline_bytes: int) -> CompiledSchema:
    return compile_schema(schema, unique_key=unique_key, strict=strict, max_inline_bytes=max_inline_bytes)


def _date_key(v: Any) -> Any:
    if isinstance(v, str):
        d = parse_date(v)
        return d.isoformat() if d is not None else v
    if isinstance(v, date) and not isinstance(v, datetime):
        return v.isoformat()
    return _NOT_TEMPORAL


def _datetime_key(v: Any) -> Any:
    if isinstance(v, str):
        parsed = parse_datetime(v)
        return parsed[0].astimezone(UTC).isoformat() if parsed is not None else v
    if isinstance(v, datetime):
        return as_instant(v).astimezone(UTC).isoformat()
    return _NOT_TEMPORAL


_NOT_TEMPORAL = object()
# Key values of these check kinds compare as instants, whatever text or object spells them.
_TEMPORAL_KEYS: dict[str, Callable[[Any], Any]] = {"date": _date_key, "datetime": _datetime_key}


def _key_part(v: Any, kind: str) -> Any:
    temporal = _TEMPORAL_KEYS.get(kind)
    if temporal is not None:
        part = temporal(v)
        if part is not _NOT_TEMPORAL:
            return part
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, (str, int, float)):
        return v
    try:
        hash(v)
        return v
    except TypeError:  # an unhashable value (a list, a dict): keyed by its JSON text below
        pass
    try:
        return json.dumps(v, sort_keys=True, default=repr)
    except (TypeError, ValueError, RecursionError):
        # keys that are not all strings and cannot be sorted (TypeError), a circular value (ValueError)
        # or one nested past the recursion limit: a key equal to nothing else
        return ("unhashable", id(v))


def compile_schema(
    bucket_schema: Any,
    *,
    unique_key: Any = None,
    strict: bool = False,
    max_inline_bytes: int = DEFAULT_MAX_INLINE_BYTES,
) -> CompiledSchema:
    """Compile a bucket_schema (dict or :class:`BucketSchema`) into a validator for object requests.

    Raises :class:`SchemaDefinitionError` listing every problem of the schema and the unique key.
    """
    definition = read_bucket(bucket_schema, unique_key)
    issues = list(definition.issues)
    if isinstance(max_inline_bytes, bool) or not isinstance(max_inline_bytes, int) or max_inline_bytes < 0:
        issues.append(
            Issue(
                "invalid_schema",
                ("max_inline_bytes",),
                f"max_inline_bytes must be a non-negative integer, found {describe(max_inline_bytes)}",
            )
        )
    schema = definition.schema
    if schema is None or any(i.is_error for i in issues):
        raise SchemaDefinitionError(issues)
    return CompiledSchema(
        schema, unique_key=definition.unique_key, strict=bool(strict), max_inline_bytes=max_inline_bytes
    )


def compile_bucket(request: Mapping[str, Any] | Any, *, strict: bool = False) -> CompiledSchema:
    """Compile a whole BucketCreateRequest (its ``bucket_schema`` and ``unique_key``).

    Issues are located in the request: ``("bucket_schema", "properties", ...)``.
    """
    request = _as_plain(request)
    definition = read_bucket_request(request)
    if definition.schema is None or any(i.is_error for i in definition.issues):
        raise SchemaDefinitionError(definition.issues)
    return compile_schema(request["bucket_schema"], unique_key=request.get("unique_key"), strict=strict)
