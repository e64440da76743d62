"""The shape of a generated module: classes of slots, built once from a bucket's field tree.

Every target renders the same shape, so the four modules of one schema agree on
class names, attribute names, optionality and defaults; only the spelling of
each differs (see :mod:`schemakit.codegen._render`).
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from schemakit._contract.bucket import FieldDef, SchemaDef
from schemakit._contract.sentinels import NO_DEFAULT
from schemakit._contract.types import FIELD_TYPES

Kind = Literal["object", "document"]

# The request keys of CreateObjectRequest besides the schema's fields and ``blobs``.
REQUEST_FLAGS = ("skip_duplicates", "canonicalize_source", "force_remirror")
# The keys of a blob (BlobInput) besides ``property``, ``type`` and ``data``.
BLOB_KEYS: tuple[tuple[str, str], ...] = (
    ("upload_id", "str"),
    ("key_prefix", "str"),
    ("metadata", "dict[str, Any]"),
    ("canonicalize_source", "bool"),
    ("force_remirror", "bool"),
)
BLOB_DATA_CLASS = "BlobData"


@dataclass(frozen=True, slots=True)
class TypeExpr:
    """A type in the module, before a target spells it.

    ``kind`` is one of: ``scalar`` (a field type's ``python_type``), ``literal``
    (an enum), ``class`` (a generated class), ``list``, ``optional``, ``any``
    (a file passed through to a document), ``blobs`` (the union of blob
    classes), ``blob_type`` (a blob's case-insensitive type), ``blob_data``
    and ``plain`` (an annotation written as is: ``str``, ``bool``).
    """

    kind: str
    ftype: str = ""
    values: tuple[Any, ...] = ()
    name: str = ""
    inner: TypeExpr | None = None
    members: tuple[str, ...] = ()


@dataclass(slots=True)
class Slot:
    """One key of a JSON object and the attribute that holds it."""

    key: str
    type: TypeExpr
    required: bool
    default: Any = NO_DEFAULT
    doc: str | None = None
    attr: str = ""

    @property
    def has_default(self) -> bool:
        return self.default is not NO_DEFAULT


@dataclass(slots=True)
class ClassSpec:
    name: str
    doc: str
    slots: list[Slot]
    path: str = ""
    """The dotted field path the class describes (empty for the object itself and for blobs)."""
    tag: str | None = None
    """For a blob class: its ``property``."""
    file_type: str | None = None


@dataclass(slots=True)
class ModuleSpec:
    classes: list[ClassSpec]
    root: str
    field_alias: str
    field_paths: list[str]
    kind: Kind
    file_fields: list[str] = field(default_factory=list)
    required_files: list[str] = field(default_factory=list)


# Names a generated module binds or reads at module level, in any target: a class or an
# attribute called one of these would shadow it in the class bodies' annotations.
MODULE_NAMES = frozenset(
    {
        "Annotated", "Any", "BaseModel", "BeforeValidator", "ConfigDict", "Field", "Literal", "NotRequired",
        "Required", "TypedDict", "TypeVar", "Union", "bool", "cast", "dataclass", "dataclasses", "datetime",
        "dict", "field", "fields", "float", "get_args", "get_origin", "get_type_hints", "int", "list", "load",
        "math", "msgspec", "re", "str", "types", "typing", BLOB_DATA_CLASS,
    }
)  # fmt: skip
# BaseModel's and Struct's own attributes (pydantic warns when a field shadows one).
MODEL_ATTRIBUTES = frozenset(
    {
        "construct", "copy", "dict", "fields", "from_orm", "json", "parse_file", "parse_obj", "parse_raw",
        "schema", "schema_json", "update_forward_refs", "validate",
    }
)  # fmt: skip


def camel(segment: str) -> str:
    """A class-name part from a field name: ASCII letters and digits, each word capitalized."""
    words = [w for w in re.split(r"[^0-9A-Za-z]+", segment) if w]
    text = "".join(w[0].upper() + w[1:] for w in words)
    if not text:
        return "Field"
    return "F" + text if text[0].isdigit() else text


def attribute(key: str) -> str:
    """A Python attribute name for a JSON key (ASCII: identifiers are NFKC-folded, keys are not)."""
    text = re.sub(r"[^0-9A-Za-z_]", "_", key).lstrip("_")
    if not text or text[0].isdigit():
        text = "f_" + text
    if keyword.iskeyword(text) or text in MODULE_NAMES or text in MODEL_ATTRIBUTES or text.startswith("model_"):
        text += "_"
    return text


class _Names:
    """Claims unique names from hints, deterministically: ``Tags``, then ``Tags2``."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken

    def claim(self, hint: str) -> str:
        name, n = hint, 2
        while name in self.taken:
            name, n = f"{hint}{n}", n + 1
        self.taken.add(name)
        return name


class Builder:
    def __init__(self, root: str, kind: Kind) -> None:
        self.kind = kind
        self.names = _Names(set(MODULE_NAMES) | {root, root + "Field"})
        self.classes: list[ClassSpec] = []

    # -- types ---------------------------------------------------------------------------------------

    def value_type(self, f: FieldDef, segments: tuple[str, ...]) -> TypeExpr:
        ftype = FIELD_TYPES[f.type]
        if ftype.is_file:
            return TypeExpr("any")  # a document's passed-through file: its stored form is the engine's
        members = _MEMBERS.get(ftype.check_kind)
        if members is not None:
            made = members(self, f, segments)
            if made is not None:
                return made
        values = literal_values(f)
        if values is not None:
            return TypeExpr("literal", ftype=f.type, values=values)
        return TypeExpr("scalar", ftype=f.type)

    def slot_type(self, f: FieldDef, segments: tuple[str, ...], *, nullable: bool) -> TypeExpr:
        t = self.value_type(f, segments)
        return TypeExpr("optional", inner=t) if nullable else t

    def slot(self, key: str, f: FieldDef, segments: tuple[str, ...]) -> Slot:
        # A default fills an absent key, so a required field with a default may be left out.
        required = f.required and not f.has_default
        t = self.slot_type(f, segments, nullable=not f.required)
        return Slot(key, t, required, f.default, f.description)

    def object_class(self, segments: tuple[str, ...], props: Mapping[str, FieldDef], doc: str | None) -> str:
        name = self.names.claim("".join(camel(s) for s in segments))
        slots = [self.slot(k, sub, (*segments, k)) for k, sub in props.items()]
        path = ".".join(s for s in segments if s is not _ITEM)
        self.classes.append(ClassSpec(name, doc or f"The value of ``{path}``.", slots, path))
        return name

    # -- the object request ----------------------------------------------------------------------------

    def request(self, schema: SchemaDef, root: str, doc: str) -> ModuleSpec:
        blob_classes: list[str] = []
        file_fields: list[str] = []
        required_files: list[str] = []
        slots: list[Slot] = []
        if self.kind == "object":
            slots.append(Slot("key_prefix", TypeExpr("optional", inner=TypeExpr("plain", name="str")), False))
        for name, f in schema.fields.items():
            if self.kind == "object" and (f.is_file or f.file_items):
                ftype = f.items.type if f.file_items and f.items is not None else f.type
                blob_classes.append(self.blob_class(name, ftype, f.description))
                file_fields.append(name)
                if f.required:
                    required_files.append(name)
                continue
            slots.append(self.slot(name, f, (name,)))
        if self.kind == "object":
            if blob_classes:
                blobs = TypeExpr("list", inner=TypeExpr("blobs", members=tuple(blob_classes)))
            else:
                # no file field: any blob is an unknown_blob_property
                blobs = TypeExpr("list", inner=TypeExpr("plain", name="dict[str, Any]"))
            slots.append(Slot("blobs", TypeExpr("optional", inner=blobs), False, doc="The files, one blob each."))
            for flag in REQUEST_FLAGS:
                slots.append(Slot(flag, TypeExpr("optional", inner=TypeExpr("plain", name="bool")), False))
        self.classes.append(ClassSpec(root, doc, slots))
        return ModuleSpec(self.classes, root, root + "Field", [], self.kind, file_fields, required_files)

    def blob_class(self, prop: str, ftype: str, doc: str | None) -> str:
        name = self.names.claim(camel(prop) + "Blob")
        optional = TypeExpr("optional", inner=TypeExpr("blob_type", ftype=ftype))
        slots = [
            Slot("property", TypeExpr("literal", ftype="string", values=(prop,)), True),
            Slot("type", optional, False, doc=f"``{ftype}`` or ``auto`` in any letter case, or absent."),
            Slot("data", TypeExpr("optional", inner=TypeExpr("blob_data")), False),
        ]
        slots += [Slot(k, TypeExpr("optional", inner=TypeExpr("plain", name=t)), False) for k, t in BLOB_KEYS]
        text = f"A blob of the {ftype} field ``{prop}``" + (f": {doc}" if doc else ".")
        self.classes.append(ClassSpec(name, text, slots, tag=prop, file_type=ftype))
        return name


_ITEM = "Item"


def _object_members(b: Builder, f: FieldDef, segments: tuple[str, ...]) -> TypeExpr | None:
    if not f.properties:
        return None  # undeclared members: the type's python_type (a dict of anything)
    return TypeExpr("class", name=b.object_class(segments, f.properties, f.description))


def _array_members(b: Builder, f: FieldDef, segments: tuple[str, ...]) -> TypeExpr | None:
    if f.items is None:
        return None
    inner = b.slot_type(f.items, (*segments, _ITEM), nullable=not f.items.required)
    return TypeExpr("list", inner=inner)


# What a container's declared members make of its type, by the type table's check kind.
_MEMBERS: dict[str, Callable[[Builder, FieldDef, tuple[str, ...]], TypeExpr | None]] = {
    "object": _object_members,
    "array": _array_members,
}


# mypy reads an int in a Literal as a 64-bit signed value
_LITERAL_INT = 2**63 - 1


def literal_values(f: FieldDef) -> tuple[Any, ...] | None:
    """An enum's values as Literal members (an integral float as its int, duplicates once), or None.

    None when the field has no enum or its type's values cannot stand in a
    ``Literal`` (numbers, dates; ints beyond 64 bits): the model then holds the plain type.
    """
    if f.enum is None or not FIELD_TYPES[f.type].python_literal:
        return None
    out: list[Any] = []
    for v in f.enum:
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if type(v) is int and abs(v) > _LITERAL_INT:
            return None
        if not any(type(v) is type(o) and v == o for o in out):
            out.append(v)
    return tuple(out)


def assign_attributes(spec: ModuleSpec) -> None:
    """Each slot's attribute: unique in its class, never a class name of the module."""
    class_names = {c.name for c in spec.classes} | {spec.field_alias}
    for c in spec.classes:
        taken: set[str] = set()
        for s in c.slots:
            base = attribute(s.key)
            if base in class_names:
                base += "_"
            name, n = base, 2
            while name in taken:
                name, n = f"{base}_{n}", n + 1
            taken.add(name)
            s.attr = name
