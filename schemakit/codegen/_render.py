"""Spelling a :class:`~schemakit.codegen._model.ModuleSpec` in each target's idiom.

A target is a :class:`Target` entry in :data:`TARGETS`: how it spells a
class head, a slot, a coerced scalar, the blob union. The type expressions are
walked by one function, :func:`spell`, for every target.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from schemakit._contract.types import FIELD_TYPES
from schemakit.codegen import _helpers
from schemakit.codegen._model import BLOB_DATA_CLASS, ClassSpec, ModuleSpec, Slot, TypeExpr

BLOB_DATA_KEYS = ("base64", "url", "mime_type", "filename")


@dataclass(frozen=True)
class Target:
    name: str
    title: str
    imports: tuple[str, ...]
    coerces: bool
    """Whether decoded JSON passes the table's ``python_coerce`` conversions before the type check."""
    wrap: Callable[[str, str], str]
    """An annotation with a conversion applied before its check: ``wrap(annotation, helper)``."""
    tagged_blobs: bool
    """Whether blob classes carry ``property`` as a tag (msgspec) rather than as a Literal slot."""
    folds_blob_type: bool
    load_hint: str


def _pydantic_wrap(annotation: str, helper: str) -> str:
    return f"Annotated[{annotation}, BeforeValidator({helper})]"


def _dataclass_wrap(annotation: str, helper: str) -> str:
    return f"Annotated[{annotation}, {helper}]"


def _no_wrap(annotation: str, helper: str) -> str:
    return annotation


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target(
            "pydantic",
            "Pydantic models",
            ("import datetime", "from typing import Annotated, Any, Literal", "",
             "from pydantic import BaseModel, BeforeValidator, ConfigDict, Field"),
            True,
            _pydantic_wrap,
            False,
            True,
            "Load decoded JSON with ``{root}.model_validate(data)``.",
        ),
        Target(
            "typeddict",
            "TypedDicts",
            ("import datetime", "from typing import Any, Literal, NotRequired, TypedDict"),
            False,
            _no_wrap,
            False,
            False,
            "TypedDicts type code that builds or reads objects and convert nothing at run time: a date is a\n"
            "``datetime.date`` here, so convert decoded JSON first (with the pydantic or dataclass target).",
        ),
        Target(
            "msgspec",
            "msgspec Structs",
            ("import datetime", "from typing import Any, Literal", "", "import msgspec"),
            False,
            _no_wrap,
            True,
            False,
            "Load decoded JSON with ``msgspec.convert(data, {root})``. msgspec refuses an integer written\n"
            "as a float (``3.0``), which schemakit accepts; a blob's ``type`` is any string here.",
        ),
        Target(
            "dataclass",
            "Dataclasses",
            ("import dataclasses", "import datetime", "import math", "import re", "import types",
             "from dataclasses import dataclass, field",
             "from typing import Annotated, Any, Literal, TypeVar, Union, cast, get_args, get_origin, get_type_hints"),
            True,
            _dataclass_wrap,
            False,
            True,
            "Load decoded JSON with ``load({root}, data)`` (defined below, standard library only).",
        ),
    )
}  # fmt: skip


# -- text ---------------------------------------------------------------------------------------------

_PLAIN_TEXT = re.compile(r"[^\\\"\x00-\x09\x0b-\x1f\x7f\ud800-\udfff]*")


def docstring(text: str, indent: str) -> str:
    """``text`` as a docstring; a repr when a triple-quoted string could not hold it verbatim."""
    lines = text.split("\n")
    if _PLAIN_TEXT.fullmatch(text) and text.strip() == text and all(line.isprintable() for line in lines):
        if len(lines) > 1:
            return f'{indent}"""' + ("\n" + indent).join(lines) + f'\n{indent}"""'

        return f'{indent}"""{text}"""'
    return indent + repr(text)


def py(value: Any) -> str:
    """Python source for a JSON scalar: a string in double quotes where that needs no escape of its own."""
    text = repr(value)
    if isinstance(value, str) and text.startswith("'") and '"' not in value:
        return '"' + text[1:-1] + '"'
    return text


def comment(text: str) -> str:
    return " ".join(repr(text)[1:-1].split())


# -- types ----------------------------------------------------------------------------------------------


def spell(t: TypeExpr, target: Target) -> str:
    return _SPELL[t.kind](t, target)


def _scalar(t: TypeExpr, target: Target) -> str:
    ftype = FIELD_TYPES[t.ftype]
    assert ftype.python_type is not None  # file fields become blobs or "any"
    if target.coerces and ftype.python_coerce:
        return "_" + ftype.python_coerce.capitalize()
    return ftype.python_type


def _literal(t: TypeExpr, target: Target) -> str:
    text = "Literal[" + ", ".join(py(v) for v in t.values) + "]"
    check = FIELD_TYPES[t.ftype].python_literal_check
    if target.coerces and check:
        return target.wrap(text, "_" + check)
    return text


def _blobs(t: TypeExpr, target: Target) -> str:
    union = " | ".join(t.members)
    if target.name == "pydantic" and len(t.members) > 1:
        return f'Annotated[{union}, Field(discriminator="property")]'
    return union


def _blob_type(t: TypeExpr, target: Target) -> str:
    if target.tagged_blobs:
        return "str"
    text = f'Literal[{py(t.ftype)}, "auto"]'
    return target.wrap(text, "_casefold") if target.folds_blob_type else text


_SPELL: dict[str, Callable[[TypeExpr, Target], str]] = {
    "scalar": _scalar,
    "literal": _literal,
    "class": lambda t, target: t.name,
    "list": lambda t, target: f"list[{spell(t.inner, target)}]" if t.inner else "list[Any]",
    "optional": lambda t, target: f"{spell(t.inner, target)} | None" if t.inner else "None",
    "any": lambda t, target: "Any",
    "blobs": _blobs,
    "blob_type": _blob_type,
    "blob_data": lambda t, target: f"str | {BLOB_DATA_CLASS}",
    "plain": lambda t, target: t.name,
}


def coercions(spec: ModuleSpec) -> tuple[list[str], list[str]]:
    """The table's conversions the module's types use: of scalars (each with an alias), then of Literals only."""
    scalars: set[str] = set()
    literals: set[str] = set()

    def visit(t: TypeExpr | None) -> None:
        if t is None:
            return
        entry = FIELD_TYPES[t.ftype] if t.ftype else None
        if entry is not None and t.kind == "scalar" and entry.python_coerce:
            scalars.add(entry.python_coerce)
        if entry is not None and t.kind == "literal" and entry.python_literal_check:
            literals.add(entry.python_literal_check)
        visit(t.inner)

    for c in spec.classes:
        for s in c.slots:
            visit(s.type)
    order = [n for t in FIELD_TYPES.values() for n in (t.python_coerce, t.python_literal_check) if n]
    order = list(dict.fromkeys(order))
    return [n for n in order if n in scalars], [n for n in order if n in literals - scalars]


# -- values (defaults) --------------------------------------------------------------------------------


Construct = Callable[[ClassSpec, Any], str]
"""Source building an instance of a generated class from a valid JSON object, in a target's idiom."""


def value_source(t: TypeExpr, value: Any, spec: ModuleSpec, construct: Construct) -> str:
    """Python source for a valid JSON ``value`` of ``t``, converted as loading would convert it."""
    if t.kind == "optional":
        return "None" if value is None or t.inner is None else value_source(t.inner, value, spec, construct)
    if t.kind in ("scalar", "literal"):
        coerce = FIELD_TYPES[t.ftype].python_coerce
        if coerce:
            value = getattr(_helpers, "_" + coerce)(value)
        return py(value)
    if t.kind == "list":
        assert t.inner is not None
        return "[" + ", ".join(value_source(t.inner, v, spec, construct) for v in value) + "]"
    if t.kind == "class":
        return construct(next(c for c in spec.classes if c.name == t.name), value)
    return repr(value)


def _validated(cls: ClassSpec, value: Any) -> str:
    # pydantic builds the instance from the JSON value itself (aliases, conversions)
    return f"{cls.name}.model_validate({value!r})"


def _keywords(spec: ModuleSpec, skip: Callable[[Slot], bool]) -> Construct:
    """A constructor call by attribute (dataclasses and Structs are ``kw_only``), leaving out ``skip``'s slots."""

    def construct(cls: ClassSpec, value: Any) -> str:
        args = [
            f"{s.attr}={value_source(s.type, value[s.key], spec, construct)}"
            for s in cls.slots
            if s.key in value and not skip(s)
        ]
        return f"{cls.name}({', '.join(args)})"

    return construct


def _mutable(value: Any) -> bool:
    """Whether a default (a JSON value) is built fresh for each instance: objects and arrays are."""
    return isinstance(value, (dict, list))


# -- classes ------------------------------------------------------------------------------------------


def _slot_doc(s: Slot, lines: list[str]) -> None:
    if s.doc:
        lines.append(docstring(s.doc, "    "))


def _pydantic_class(c: ClassSpec, spec: ModuleSpec, target: Target) -> list[str]:
    lines = [f"class {c.name}(BaseModel):", docstring(c.doc, "    "), ""]
    lines.append('    model_config = ConfigDict(strict=True, extra="allow", validate_default=True)')
    lines.append("")
    for s in c.slots:
        annotation = spell(s.type, target)
        args: list[str] = []
        if s.has_default:
            source = value_source(s.type, s.default, spec, _validated)
            args.append(f"default_factory=lambda: {source}" if _mutable(s.default) else f"default={source}")
        elif not s.required:
            args.append("default=None")
        if s.attr != s.key:
            args.append(f"alias={py(s.key)}")
        if not args:
            lines.append(f"    {s.attr}: {annotation}")
        elif len(args) == 1 and args[0].startswith("default=") and not _mutable(s.default):
            lines.append(f"    {s.attr}: {annotation} = {args[0][8:]}")
        else:
            lines.append(f"    {s.attr}: {annotation} = Field({', '.join(args)})")
        _slot_doc(s, lines)
    return lines


def _dataclass_class(c: ClassSpec, spec: ModuleSpec, target: Target) -> list[str]:
    lines = ["@dataclass(kw_only=True)", f"class {c.name}:", docstring(c.doc, "    "), ""]
    for s in c.slots:
        rename = 'metadata={{"key": {key}}}'
        default = _field_default(s, spec, "field", rename, _keywords(spec, lambda s: False))
        lines.append(f"    {s.attr}: {spell(s.type, target)}{default}")
        _slot_doc(s, lines)
    return lines


def _msgspec_class(c: ClassSpec, spec: ModuleSpec, target: Target) -> list[str]:
    head = f"class {c.name}(msgspec.Struct, kw_only=True"
    if c.tag is not None:
        head += f', tag_field="property", tag={py(c.tag)}'
    lines = [head + "):", docstring(c.doc, "    "), ""]
    for s in c.slots:
        if c.tag is not None and s.key == "property":
            continue
        if not msgspec_can_name(s.key):
            why = "msgspec cannot rename a field to it (its data is ignored)"
            lines.append(f"    # {comment(repr(s.key))} is left out: {why}")
            continue
        construct = _keywords(spec, lambda s: not msgspec_can_name(s.key))
        default = _field_default(s, spec, "msgspec.field", "name={key}", construct)
        lines.append(f"    {s.attr}: {spell(s.type, target)}{default}")
        _slot_doc(s, lines)
    if len(lines) == 3:
        lines.append("    pass")
    return lines


_MSGSPEC_UNNAMEABLE = re.compile(r'[\\"\x00-\x1f]')


def msgspec_can_name(key: str) -> bool:
    """Whether a msgspec field can be renamed to ``key`` (never to one holding ``\\``, ``"`` or a control character)."""
    return _MSGSPEC_UNNAMEABLE.search(key) is None


def _field_default(s: Slot, spec: ModuleSpec, func: str, rename: str, construct: Construct) -> str:
    args: list[str] = []
    if s.has_default:
        source = value_source(s.type, s.default, spec, construct)
        args.append(f"default_factory=lambda: {source}" if _mutable(s.default) else f"default={source}")
    elif not s.required:
        args.append("default=None")
    if s.attr != s.key:
        args.append(rename.format(key=py(s.key)))
    if not args:
        return ""
    if len(args) == 1 and args[0].startswith("default="):
        return " = " + args[0][8:]
    return f" = {func}({', '.join(args)})"


def _typeddict_class(c: ClassSpec, spec: ModuleSpec, target: Target) -> list[str]:
    def entry(s: Slot) -> str:
        annotation = spell(s.type, target)
        return annotation if s.required else f"NotRequired[{annotation}]"

    if all(s.attr == s.key for s in c.slots):
        lines = [f"class {c.name}(TypedDict):", docstring(c.doc, "    ")]
        for s in c.slots:
            if s.doc:
                lines.append(f"    # {comment(s.doc)}")
            if s.has_default:
                lines.append(f"    # absent: {comment(repr(s.default))}")
            lines.append(f"    {s.attr}: {entry(s)}")
        return lines
    # keys that are not identifiers: the functional form holds any string
    lines = [f"# {comment(c.doc)}", f"{c.name} = TypedDict(", f"    {py(c.name)},", "    {"]
    lines += [f"        {py(s.key)}: {entry(s)}," for s in c.slots]
    lines += ["    },", ")"]
    return lines


_CLASS: dict[str, Callable[[ClassSpec, ModuleSpec, Target], list[str]]] = {
    "pydantic": _pydantic_class,
    "typeddict": _typeddict_class,
    "msgspec": _msgspec_class,
    "dataclass": _dataclass_class,
}


def _blob_data_class() -> ClassSpec:
    optional = TypeExpr("optional", inner=TypeExpr("plain", name="str"))
    return ClassSpec(
        BLOB_DATA_CLASS,
        "A blob's inline data (``base64``, optional ``mime_type`` and ``filename``) or its ``url``.",
        [Slot(k, optional, False, attr=k) for k in BLOB_DATA_KEYS],
    )


# -- the module -------------------------------------------------------------------------------------------


def render(spec: ModuleSpec, target_name: str, header: str) -> str:
    target = TARGETS[target_name]
    used, literal_only = coercions(spec) if target.coerces else ([], [])
    imports = list(target.imports)
    if target.name == "pydantic" and {"date", "datetime"} & set(used):
        imports.insert(1, "import re")
    if not spec.field_paths:
        imports.append("from typing import Never")
    out: list[str] = [header, "", "from __future__ import annotations", "", *imports, ""]
    sources: list[str] = []
    if {"date", "datetime"} & set(used) or target.name == "dataclass":
        sources.append(f"_DATE = re.compile({py(_helpers._DATE.pattern)})")
        sources.append(f"_DATETIME = re.compile(\n    {py(_helpers._DATETIME.pattern)}\n)")
    sources += [inspect.getsource(getattr(_helpers, "_" + name)) for name in (*used, *literal_only)]
    if target.folds_blob_type and spec.file_fields:
        sources.append(inspect.getsource(_helpers._casefold))
    for name in used:
        python_type = next(t.python_type for t in FIELD_TYPES.values() if t.python_coerce == name)
        sources.append(f"_{name.capitalize()} = {target.wrap(str(python_type), '_' + name)}")
    if target.name == "dataclass":
        sources.append('_T = TypeVar("_T")')
        sources.append(_helpers_source("_PLAIN", "def load"))
        sources += [inspect.getsource(f) for f in (_helpers.load, _helpers._load, _helpers._load_dataclass)]
    for chunk in sources:
        out += ["", "", chunk.rstrip("\n")]
    classes = list(spec.classes)
    if spec.file_fields:
        classes.insert(0, _blob_data_class())
    for c in classes:
        out += ["", "", *_CLASS[target.name](c, spec, target)]
    out += ["", ""]
    if spec.field_paths:
        out.append(f"{spec.field_alias} = Literal[")
        out += [f"    {py(p)}," for p in spec.field_paths]
        out.append("]")
    else:
        out.append(f"{spec.field_alias} = Never")
    what = "document" if spec.kind == "document" else "bucket"
    out.append(f'"""Every field path of the {what}\'s schema, as a filter names it."""')
    # two blank lines between top-level statements, never more
    return re.sub(r"\n{4,}", "\n\n\n", "\n".join(out)).rstrip("\n") + "\n"


def _helpers_source(start: str, stop: str) -> str:
    """The lines of the helpers module from the one starting ``start`` up to the one starting ``stop``."""
    text = inspect.getsource(_helpers)
    begin = text.index("\n" + start) + 1
    return text[begin : text.index("\n" + stop, begin)].rstrip() + "\n"
