"""Reading a ``bucket_schema`` into a checked, normalized field tree.

Every pillar starts here: the object validator compiles the tree, the filter
checker and the collection resolver look paths up in it, the strategies
generate from it. Reading never raises; it returns the tree (or None when the
structure is unusable) together with every definition issue found.

:func:`check_bucket` is the one definition check: a ``bucket_schema`` and its
unique key, read together, so no caller has to filter or merge what two
readers said about the same field.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from schemakit._contract import paths
from schemakit._contract.keywords import unknown_keys
from schemakit._contract.sentinels import NO_DEFAULT, NoDefaultType
from schemakit._contract.types import ALL_TYPES, FIELD_TYPES, FILE_TYPES, METADATA_TYPES, SCALAR_TYPES, TYPE_ALIASES
from schemakit._contract.values import plain
from schemakit._issues import Issue, Path, PathSegment, SchemaDefinitionError, describe, did_you_mean_hint, int_digits

__all__ = [
    "ALL_TYPES",
    "FILE_TYPES",
    "METADATA_TYPES",
    "SCALAR_TYPES",
    "BucketDefinition",
    "check_bucket",
    "read_bucket",
]

# Keys of CreateObjectRequest itself (plus ids the server assigns): a schema field may not shadow them.
REQUEST_KEYS = ("key_prefix", "blobs", "skip_duplicates", "canonicalize_source", "force_remirror")
RESERVED_FIELD_NAMES = frozenset({*REQUEST_KEYS, "object_id", "bucket_id"})

# UniqueKeyConfig.default_policy: what an upload does when the key exists (or does not).
UNIQUE_KEY_POLICIES = ("insert", "update", "upsert")

# The keys the contract (OpenAPI 0.81) defines on each object a bucket definition is made of. A key
# outside these is kept (the document allows additional properties) but reported as unknown_keyword:
# a misspelled "requird" would otherwise silently leave the field optional.
FIELD_KEYWORDS = ("type", "required", "default", "enum", "description", "examples", "properties", "items")
"""BucketSchemaField."""
SCHEMA_KEYWORDS = ("properties",)
"""BucketSchema."""
UNIQUE_KEY_KEYWORDS = ("fields", "default_policy")
"""UniqueKeyConfig."""
BUCKET_REQUEST_KEYWORDS = ("bucket_name", "description", "bucket_schema", "unique_key", "metadata")
"""BucketCreateRequest."""
EXTENSION_PREFIX = "x-"



def unknown_keywords(raw: Mapping[Any, Any], known: Collection[str], path: Path, obj: str) -> list[Issue]:
    """``unknown_keyword`` warnings for the keys of ``raw`` (a ``obj``) that the contract does not define.

    A key starting ``x-`` is a vendor extension, as in OpenAPI: kept and never reported.
    """
    message = f"{{key}} is not a {{what}} of a {obj}; it is ignored"
    keys = [k for k in raw if not (isinstance(k, str) and str.startswith(k, EXTENSION_PREFIX))]
    return unknown_keys(keys, known, path, what="keyword", message=message)


MAX_DEPTH = 32
MAX_FIELD_NAME_LENGTH = 255


@dataclass(frozen=True, slots=True, eq=False)
class FieldDef:
    """One field of a bucket schema, with its type normalized to lower case."""

    name: str
    type: str
    required: bool = False
    properties: Mapping[str, FieldDef] | None = None
    items: FieldDef | None = None
    enum: tuple[Any, ...] | None = None
    default: Any | NoDefaultType = NO_DEFAULT
    description: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_file(self) -> bool:
        return FIELD_TYPES[self.type].is_file

    @property
    def has_default(self) -> bool:
        return self.default is not NO_DEFAULT

    @property
    def element(self) -> FieldDef:
        """The innermost item below any arrays (the field itself when it is not an array)."""
        return paths.array_depth(self)[1]

    @property
    def file_items(self) -> bool:
        """A top-level array of files: several blobs for one property."""
        return self.items is not None and self.items.is_file  # only arrays have items

    def to_dict(self) -> dict[str, Any]:
        """The normalized definition as a bucket_schema field dict (unknown keys kept)."""
        out: dict[str, Any] = dict(self.extra)
        out["type"] = self.type
        if self.required:
            out["required"] = True
        if self.description is not None:
            out["description"] = self.description
        if self.enum is not None:
            out["enum"] = list(self.enum)
        if self.has_default:
            out["default"] = self.default
        if self.properties is not None:
            out["properties"] = {k: v.to_dict() for k, v in self.properties.items()}
        if self.items is not None:
            out["items"] = self.items.to_dict()
        return out


@dataclass(frozen=True, slots=True, eq=False)
class SchemaDef:
    """A whole bucket schema: its top-level fields in declaration order."""

    fields: Mapping[str, FieldDef]
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.extra)
        out["properties"] = {k: v.to_dict() for k, v in self.fields.items()}
        return out

    def walk(self) -> Iterator[tuple[tuple[str, ...], FieldDef]]:
        """Every field with its dotted path segments; array items share the array's path."""
        return paths.walk(self)

    def lookup(self, dotted: str) -> FieldDef | None:
        """The declared field a dotted path of names reaches (see :func:`schemakit._contract.paths.resolve`)."""
        found = paths.resolve(self, dotted)
        return found.field if found is not None and not found.indexed else None


# The keywords that declare a container's contents, and the kind of field they belong to.
_CONTAINER_KEYWORDS = {"properties": "object", "items": "array"}


class _Reader:
    """Walks a raw bucket_schema once, building FieldDefs and collecting issues."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        # top-level names that were declared but left out of the tree for their own issues
        self.dropped: set[str] = set()

    def report(self, code: str, path: Path, message: str, hint: str | None = None) -> None:
        self.issues.append(Issue(code, path, message, hint))

    def read_schema(self, raw: Any) -> SchemaDef | None:
        if not isinstance(raw, Mapping):
            self.report("invalid_schema", (), f"a bucket_schema must be an object, found {describe(raw)}")
            return None
        if "properties" not in raw:
            self.report(
                "invalid_schema",
                ("properties",),
                "a bucket_schema needs 'properties', an object of field definitions",
                hint='write {"properties": {"field_name": {"type": "string"}}}',
            )
            return None
        self.issues.extend(unknown_keywords(raw, SCHEMA_KEYWORDS, (), "bucket_schema"))
        fields = self.read_properties(raw["properties"], ("properties",), depth=1, top_level=True)
        if fields is None:
            return None
        extra = {k: v for k, v in raw.items() if k != "properties"}
        return SchemaDef(fields=fields, extra=extra)

    def read_properties(self, raw: Any, path: Path, *, depth: int, top_level: bool) -> dict[str, FieldDef] | None:
        if not isinstance(raw, Mapping):
            self.report(
                "invalid_schema", path, f"'properties' must be an object of field definitions, found {describe(raw)}"
            )
            return None
        out: dict[str, FieldDef] = {}
        for name, spec in raw.items():
            seg = name_segment(name)
            fpath = (*path, seg)
            name_ok = self.check_name(name, fpath, top_level=top_level)
            fdef = self.read_field(str(seg), spec, fpath, depth=depth, top_level=top_level)
            if fdef is not None and name_ok:
                out[fdef.name] = fdef
            elif top_level and isinstance(name, str):
                self.dropped.add(name)
        return out

    def check_name(self, name: Any, path: Path, *, top_level: bool) -> bool:
        if not isinstance(name, str):
            self.report("invalid_field_name", path, f"a field name must be a string, found {describe(name)}")
            return False
        problem = None
        if name == "":
            problem = "a field name must not be empty"
        elif "." in name:
            problem = f"field name {name!r} contains '.', which separates path segments"
        elif name.startswith("$"):
            problem = f"field name {name!r} starts with '$', which marks operators and references"
        elif len(name) > MAX_FIELD_NAME_LENGTH:
            problem = f"field name is {len(name)} characters long; at most {MAX_FIELD_NAME_LENGTH} are allowed"
        if problem:
            self.report("invalid_field_name", path, problem)
            return False
        if top_level and name in RESERVED_FIELD_NAMES:
            self.report(
                "reserved_field_name",
                path,
                f"top-level field {name!r} collides with a key of the object request",
                hint="reserved names: " + ", ".join(sorted(RESERVED_FIELD_NAMES)),
            )
            return False
        return True

    def read_type(self, spec: Mapping[str, Any], path: Path) -> str | None:
        if "type" not in spec:
            self.report(
                "invalid_schema", path, "a field definition needs a 'type'", hint="valid types: " + ", ".join(ALL_TYPES)
            )
            return None
        raw_type = spec["type"]
        if not isinstance(raw_type, str):
            self.report("invalid_schema", (*path, "type"), f"'type' must be a string, found {describe(raw_type)}")
            return None
        ftype = raw_type.strip().lower()
        if ftype in ALL_TYPES:
            return ftype
        suggestion = TYPE_ALIASES.get(ftype)
        hint = f"did you mean '{suggestion}'?" if suggestion else did_you_mean_hint(ftype, ALL_TYPES)
        if hint is None:
            hint = "valid types: " + ", ".join(ALL_TYPES)
        self.report("unknown_type", (*path, "type"), f"unknown field type {raw_type!r}", hint=hint)
        return None

    def placed(self, keyword: str, ftype: str | None, path: Path) -> bool:
        """Whether ``keyword`` (``properties``/``items``) may stand on a field of ``ftype``; reports it if not."""
        kind = _CONTAINER_KEYWORDS[keyword]
        if ftype is None or FIELD_TYPES[ftype].check_kind == kind:
            return True
        self.report(
            "misplaced_keyword",
            (*path, keyword),
            f"'{keyword}' applies only to {kind} fields; this field is {ftype!r}",
            hint=f'set "type": "{kind}" or remove \'{keyword}\'',
        )
        return False

    def read_field(self, name: str, spec: Any, path: Path, *, depth: int, top_level: bool) -> FieldDef | None:
        if depth > MAX_DEPTH:
            self.report(
                "schema_too_deep",
                path,
                f"the schema nests deeper than {MAX_DEPTH} levels here",
                hint="flatten the structure",
            )
            return None
        if not isinstance(spec, Mapping):
            self.report("invalid_schema", path, f"a field definition must be an object, found {describe(spec)}")
            return None
        ftype = self.read_type(spec, path)
        self.issues.extend(unknown_keywords(spec, FIELD_KEYWORDS, path, "field definition"))
        required = spec.get("required", False)
        if required is None:
            required = False
        if not isinstance(required, bool):
            self.report(
                "invalid_schema", (*path, "required"), f"'required' must be true or false, found {describe(required)}"
            )
            required = False
        description = spec.get("description")
        if description is not None and not isinstance(description, str):
            self.report(
                "invalid_schema",
                (*path, "description"),
                f"'description' must be a string, found {describe(description)}",
            )
            description = None
        examples = spec.get("examples")
        if examples is not None and not isinstance(examples, list):
            self.report("invalid_schema", (*path, "examples"), f"'examples' must be a list, found {describe(examples)}")

        properties: dict[str, FieldDef] | None = None
        raw_props = spec.get("properties")
        if raw_props is not None and self.placed("properties", ftype, path):
            properties = self.read_properties(raw_props, (*path, "properties"), depth=depth + 1, top_level=False)
        items: FieldDef | None = None
        raw_items = spec.get("items")
        if raw_items is not None and self.placed("items", ftype, path):
            items = self.read_field(name, raw_items, (*path, "items"), depth=depth + 1, top_level=False)

        if ftype is None:
            return None
        if FIELD_TYPES[ftype].is_file and not top_level and not path_is_top_level_items(path):
            self.report(
                "nested_file_field",
                (*path, "type"),
                f"file type {ftype!r} is allowed only on top-level fields (or the items of a top-level array)",
                hint="move the file field to the top level of the schema",
            )
        enum: tuple[Any, ...] | None = None
        extra = {k: v for k, v in spec.items() if k not in _KNOWN_KEYWORDS}
        fdef = FieldDef(
            name=name,
            type=ftype,
            required=required,
            properties=properties,
            items=items,
            description=description,
            extra=extra,
        )
        if "enum" in spec and spec["enum"] is not None:
            raw_enum = spec["enum"]
            if not isinstance(raw_enum, list):
                self.report("invalid_schema", (*path, "enum"), f"'enum' must be a list, found {describe(raw_enum)}")
            else:
                for i, value in enumerate(raw_enum):
                    if not conforms(fdef, value):
                        self.report(
                            "invalid_enum_value",
                            (*path, "enum", i),
                            f"enum value {describe(value)} is not a valid {ftype}",
                        )
                enum = tuple(raw_enum)
        default: Any = NO_DEFAULT
        if "default" in spec and spec["default"] is not None:
            default = spec["default"]
            if not conforms(fdef, default):
                self.report(
                    "invalid_default", (*path, "default"), f"default {describe(default)} is not a valid {ftype}"
                )
            elif enum is not None and not _in_enum(default, enum):
                self.report(
                    "invalid_default", (*path, "default"), f"default {describe(default)} is not one of the enum values"
                )
        if enum is not None or default is not NO_DEFAULT:
            # the values were checked against the field without them; the field keeps them now
            fdef = replace(fdef, enum=enum, default=default)
        return fdef


_KNOWN_KEYWORDS = frozenset({"type", "properties", "items", "enum", "default", "required", "description"})


def name_segment(name: Any) -> PathSegment:
    """The path segment of a declared name: itself when it prints safely, else its description.

    A non-string name is an issue already; its segment must still render (an
    integer past the digit limit, or an object whose ``__repr__`` raises, does not).
    """
    if isinstance(name, str):
        return name
    if isinstance(name, int) and not isinstance(name, bool) and int_digits(name) <= _MAX_SHOWN_DIGITS:
        return name
    return describe(name)


# Python refuses to convert longer integers to text (sys.get_int_max_str_digits defaults to 4300).
_MAX_SHOWN_DIGITS = 4300


def path_is_top_level_items(path: Path) -> bool:
    """``("properties", name, "items")``: the items of a top-level array, where files are allowed."""
    return len(path) == 3 and path[0] == "properties" and path[2] == "items"


def _in_enum(value: Any, enum: tuple[Any, ...]) -> bool:
    return any(type_strict_equal(value, e) for e in enum)


def type_strict_equal(a: Any, b: Any) -> bool:
    """JSON equality: ``True`` is not ``1``, ``1`` is ``1.0``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a is b
    return bool(a == b)


def conforms(f: FieldDef, value: Any) -> bool:
    """Whether ``value`` is a valid (non-null) value of field ``f``: the plain reference rules.

    Used for enum values and defaults at definition time; the type table holds
    each type's rule, and the compiled validator states the same rules as
    straight-line code.
    """
    ok = FIELD_TYPES[f.type].accepts(value)
    # the reader gives properties only to objects and items only to arrays
    if ok and f.properties is not None:
        ok = _object_conforms(f, value)
    elif ok and f.items is not None:
        item = f.items
        ok = all((v is None and not item.required) or (v is not None and conforms(item, v)) for v in value)
    if ok and f.enum is not None:
        ok = _in_enum(value, f.enum)
    return ok


def _object_conforms(f: FieldDef, value: dict[Any, Any]) -> bool:
    for name, sub in (f.properties or {}).items():
        v = value.get(name)
        if v is None:
            if sub.required:
                return False
            continue
        if not conforms(sub, v):
            return False
    return True


def read_bucket_schema(raw: Any) -> tuple[SchemaDef | None, list[Issue]]:
    """Read a bucket_schema dict (or a pydantic BucketSchema) without raising."""
    definition = read_bucket(raw)
    return definition.schema, definition.issues


def check_unique_key(
    schema: SchemaDef, unique_key: Any, *, dropped: Collection[str] = ()
) -> tuple[tuple[str, ...], list[Issue]]:
    """Validate a UniqueKeyConfig against a schema; returns the key fields and any issues.

    ``dropped`` names fields the schema declared but whose definitions were
    broken: their issues are reported already, so a key naming one is not
    also an unknown field (it is left out of the key fields).
    """
    if hasattr(unique_key, "model_dump"):
        unique_key = unique_key.model_dump(mode="python", exclude_unset=True)
    issues: list[Issue] = []
    if not isinstance(unique_key, Mapping):
        issues.append(
            Issue("invalid_schema", ("unique_key",), f"unique_key must be an object, found {describe(unique_key)}")
        )
        return (), issues
    issues.extend(unknown_keywords(unique_key, UNIQUE_KEY_KEYWORDS, ("unique_key",), "unique_key"))
    policy = unique_key.get("default_policy")
    if policy is not None and not (isinstance(policy, str) and policy in UNIQUE_KEY_POLICIES):
        hint = did_you_mean_hint(policy, UNIQUE_KEY_POLICIES) if isinstance(policy, str) and len(policy) < 300 else None
        issues.append(
            Issue(
                "invalid_schema",
                ("unique_key", "default_policy"),
                f"unique_key.default_policy must be one of {', '.join(UNIQUE_KEY_POLICIES)}, found {describe(policy)}",
                hint=hint or "omit it to give ?policy= on each upload",
            )
        )
    names = unique_key.get("fields")
    if not isinstance(names, list) or not names:
        issues.append(
            Issue(
                "invalid_schema", ("unique_key", "fields"), "unique_key.fields must be a non-empty list of field names"
            )
        )
        return (), issues
    good: list[str] = []
    for i, name in enumerate(names):
        path = ("unique_key", "fields", i)
        if not isinstance(name, str):
            issues.append(
                Issue("invalid_schema", path, f"a unique key field name must be a string, found {describe(name)}")
            )
            continue
        f = schema.fields.get(name)
        if f is None and name in dropped:
            continue
        if f is None:
            what = "nested path" if "." in name else "field"
            issues.append(
                Issue(
                    "unknown_unique_key_field",
                    path,
                    f"unique key {what} {name!r} is not a top-level field of the schema",
                    hint=did_you_mean_hint(name, schema.fields),
                )
            )
            continue
        if not FIELD_TYPES[f.type].is_scalar:
            issues.append(
                Issue(
                    "non_scalar_unique_key",
                    path,
                    f"unique key field {name!r} is {f.type!r}; unique key fields must be scalar",
                    hint="use a string, integer, float, number, boolean, date or datetime field",
                )
            )
            continue
        good.append(name)
    return tuple(good), issues


@dataclass(frozen=True, slots=True, eq=False)
class BucketDefinition:
    """A bucket_schema and its unique key, read together by :func:`read_bucket`."""

    schema: SchemaDef | None
    """The field tree, or None when the structure is unusable."""
    unique_key: tuple[str, ...]
    """The unique key's fields that name usable scalar fields (empty without a key)."""
    issues: list[Issue]
    """Every definition issue: the schema's, in reading order, then the unique key's."""

    @property
    def ok(self) -> bool:
        return self.schema is not None and not any(i.is_error for i in self.issues)


def read_bucket(bucket_schema: Any, unique_key: Any = None) -> BucketDefinition:
    """Read a bucket_schema (dict or pydantic ``BucketSchema``) and its unique key without raising.

    A unique key is checked only against a usable schema. A key field whose own
    definition is broken is reported once, by the schema reader, and not again
    as an unknown key field.
    """
    if hasattr(bucket_schema, "model_dump"):
        bucket_schema = bucket_schema.model_dump(mode="python", exclude_unset=True, by_alias=True)
    bucket_schema, unique_key = plain(bucket_schema), plain(unique_key)
    reader = _Reader()
    schema = reader.read_schema(bucket_schema)
    issues = reader.issues
    key_fields: tuple[str, ...] = ()
    if unique_key is not None and schema is not None:
        key_fields, key_issues = check_unique_key(schema, unique_key, dropped=reader.dropped)
        issues.extend(key_issues)
    return BucketDefinition(schema, key_fields, issues)


def is_bucket_request(document: Any) -> bool:
    """Whether a bucket file holds a BucketCreateRequest rather than a bare ``bucket_schema``.

    A bare schema has ``properties``; a request has ``bucket_schema``, or at
    least one of the request's other keys (so a request whose
    ``bucket_schema`` is misspelled is still read, and told so, as a request).
    """
    if not isinstance(document, Mapping):
        return False
    if "bucket_schema" in document:
        return True
    return "properties" not in document and any(k in document for k in BUCKET_REQUEST_KEYWORDS)


def read_bucket_request(request: Any) -> BucketDefinition:
    """Read a BucketCreateRequest (its ``bucket_schema`` and ``unique_key``); issues located in the request.

    The request's own keys are checked too: ``bucket_schem`` or ``unique_keys``
    is an ``unknown_keyword`` with a did-you-mean hint, and a request without
    a ``bucket_schema`` is an ``invalid_schema`` error.
    """
    if hasattr(request, "model_dump"):
        request = request.model_dump(mode="python", exclude_unset=True, by_alias=True)
    request = plain(request)
    if not isinstance(request, Mapping):
        issue = Issue("invalid_schema", (), f"a bucket request must be an object, found {describe(request)}")
        return BucketDefinition(None, (), [issue])
    issues = unknown_keywords(request, BUCKET_REQUEST_KEYWORDS, (), "bucket request")
    if "bucket_schema" not in request:
        issues.append(Issue("invalid_schema", ("bucket_schema",), "a bucket request needs a 'bucket_schema'"))
        return BucketDefinition(None, (), issues)
    inner = read_bucket(request["bucket_schema"], request.get("unique_key"))
    issues += [i if i.path[:1] == ("unique_key",) else i.prefixed("bucket_schema") for i in inner.issues]
    return BucketDefinition(inner.schema, inner.unique_key, issues)


def check_bucket(bucket_schema: Any, unique_key: Any = None, *, strict: bool = False) -> list[Issue]:
    """Every definition issue of a bucket_schema and its unique key, warnings included: the one definition check.

    ``compile_schema`` raises with exactly these issues (plus its own options'),
    and ``schemakit check-schema`` reports exactly these. With ``strict``, a
    key the contract does not define (``unknown_keyword``) is an error.
    """
    issues = read_bucket(bucket_schema, unique_key).issues
    return strictly(issues) if strict else issues


def strictly(issues: list[Issue]) -> list[Issue]:
    """These issues with ``unknown_keyword`` warnings made errors: a definition check under ``--strict``."""
    return [replace(i, severity="error") if i.code == "unknown_keyword" else i for i in issues]


def load_bucket_schema(raw: Any) -> SchemaDef:
    """Read a bucket_schema or raise SchemaDefinitionError listing every problem."""
    schema, issues = read_bucket_schema(raw)
    if schema is None or any(i.is_error for i in issues):
        raise SchemaDefinitionError(issues)
    return schema
