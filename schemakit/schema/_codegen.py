"""Code generation: one bucket schema becomes three straight-line Python functions.

* ``is_valid(obj)`` returns False at the first problem and allocates nothing;
* ``collect(obj, issues)`` runs the same checks, appending an Issue for each;
* ``normalize(obj)`` copies a valid object, filling defaults and lower-casing blob types.

``is_valid`` and ``collect`` come from one generator run in two modes, so
their verdicts cannot drift apart: a check is written once, as a condition, and
the mode decides whether failing it returns or records.

Safety: user strings reach the source only as ``repr()`` literals (field
names in ``.get()`` calls and paths). Every other value (enums, defaults, key
sets) is bound into the function's namespace under a generated name.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from schemakit.schema import _runtime as rt
from schemakit.schema._blobs import blob_problems, quick_blob
from schemakit._contract.bucket import REQUEST_KEYS, RESERVED_FIELD_NAMES, FieldDef, SchemaDef

Mode = Literal["fast", "collect"]

# Keys an object request may carry besides its schema fields (the ids are assigned by the server).
TOP_LEVEL_KEYS = frozenset(RESERVED_FIELD_NAMES)
# The boolean keys of CreateObjectRequest (the rest of REQUEST_KEYS get their own checks).
REQUEST_FLAGS = tuple(k for k in REQUEST_KEYS if k not in ("key_prefix", "blobs"))

# Python refuses more than 20 nested loops and 100 indentation levels; past these
# budgets a sub-tree moves into its own generated function.
_MAX_INLINE_LOOPS = 4
_MAX_INLINE_INDENT = 40

TYPE_NAMES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "float": "number (float)",
    "boolean": "boolean",
    "object": "object",
    "array": "array",
}


@dataclass(frozen=True)
class Options:
    strict: bool
    max_inline_bytes: int
    unique_key: tuple[str, ...]


class Emitter:
    """Lines at an indentation level, plus the namespace the code will run in."""

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.lines: list[str] = []
        self.level = 0
        self.namespace = namespace
        self._counter = 0

    def line(self, text: str) -> None:
        self.lines.append("    " * self.level + text)

    @contextmanager
    def block(self, header: str) -> Iterator[None]:
        self.line(header)
        self.level += 1
        mark = len(self.lines)
        try:
            yield
        finally:
            if len(self.lines) == mark:
                self.line("pass")
            self.level -= 1

    def var(self, prefix: str = "v") -> str:
        self._counter += 1
        return f"{prefix}{self._counter}"

    def const(self, value: Any, prefix: str = "K") -> str:
        """Bind ``value`` into the namespace and return its name: values never become source text."""
        name = f"_{prefix}{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def source(self) -> str:
        return "\n".join(self.lines) + "\n"


def path_expr(parts: tuple[str, ...]) -> str:
    """A tuple display from code fragments (``repr`` literals, index variables, ``*p``)."""
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def lit(segment: str | int) -> str:
    return repr(segment)


# A check for one field type: emit code for a non-null value ``v`` at ``path``; ``then`` emits the
# checks that only make sense once the type is right (enum, nested fields).
TypeCheck = Callable[["Generator", FieldDef, str, tuple[str, ...], Callable[[], None]], None]


class Generator:
    """Emits the checking function of one mode for one schema."""

    def __init__(self, schema: SchemaDef, options: Options, mode: Mode, emitter: Emitter) -> None:
        self.schema = schema
        self.options = options
        self.mode = mode
        self.e = emitter
        self.pending: list[Callable[[], None]] = []  # helper functions to emit after the current one
        self.loops = 0

    # -- failing, in the two modes --------------------------------------------------------

    def fail(self, builder: str, *args: str) -> None:
        """Report through ``rt.<builder>(issues, *args)`` in collect mode; return False in fast mode."""
        if self.mode == "fast":
            self.e.line("return False")
        else:
            self.e.line(f"{builder}(issues, {', '.join(args)})")

    # -- entry point ----------------------------------------------------------------------

    def emit_main(self, name: str) -> None:
        e = self.e
        args = "obj" if self.mode == "fast" else "obj, issues"
        with e.block(f"def {name}({args}):"):
            with e.block("if obj.__class__ is not dict and not isinstance(obj, dict):"):
                if self.mode == "fast":
                    e.line("return False")
                else:
                    e.line("add_not_an_object(issues, obj)")
                    e.line("return")
            self.emit_request_keys()
            self.emit_blobs()
            self.emit_fields(self.schema.fields, "obj", (), top_level=True)
            self.emit_unique_key()
            if self.options.strict:
                known = e.const(frozenset(TOP_LEVEL_KEYS | set(self.schema.fields)), "KNOWN")
                with e.block(f"if not {known}.issuperset(obj):"):
                    self.fail("add_unknown_fields", "()", "obj", known)
            if self.mode == "fast":
                e.line("return True")
        while self.pending:
            self.pending.pop(0)()

    def emit_request_keys(self) -> None:
        e = self.e
        e.line("kp = obj.get('key_prefix')")
        with e.block(
            "if kp is not None and not (kp.__class__ is str and kp and len(kp) <= 256 and '..' not in kp"
            " and kp.isascii() and kp.isprintable()) and not key_prefix_ok(kp):"
        ):
            self.fail("add_key_prefix_issue", "kp")
        # Flags and files-as-keys are rare: one set test keeps them off the common path.
        files = [(name, f) for name, f in self.schema.fields.items() if f.is_file or f.file_items]
        rare = e.const(frozenset(REQUEST_FLAGS) | {name for name, _ in files}, "RARE")
        with e.block(f"if not {rare}.isdisjoint(obj):"):
            for flag in REQUEST_FLAGS:
                e.line(f"f = obj.get({flag!r}, ABSENT)")
                with e.block("if f is not ABSENT and f is not True and f is not False:"):
                    self.fail("add_bad_flag", repr(flag), "f")
            for name, f in files:
                with e.block(f"if obj.get({name!r}) is not None:"):
                    kind = f"array of {f.items.type}" if f.file_items and f.items is not None else f.type
                    self.fail("add_file_not_blob", repr(name), repr(kind))

    def emit_blobs(self) -> None:
        e = self.e
        files = {name: f for name, f in self.schema.fields.items() if f.is_file or f.file_items}
        specs = {}
        for name, f in files.items():
            ftype = (f.items.type if f.items else f.type) if f.file_items else f.type
            # the spellings quick_blob accepts without the full check
            spellings = frozenset({ftype, ftype.upper(), ftype.capitalize()})
            specs[name] = (ftype, f.file_items, spellings)
        files_c = e.const(specs, "FILES")
        names_c = e.const(tuple(files), "FILENAMES")
        max_c = e.const(self.options.max_inline_bytes, "MAX")
        required = [name for name, f in files.items() if f.required]
        e.line("bl = obj.get('blobs', ABSENT)")
        e.line("seen = set()")
        with e.block("if bl is ABSENT:"):
            pass
        with e.block("elif bl.__class__ is not list and not isinstance(bl, list):"):
            self.fail("add_bad_blobs", "bl")
        with e.block("else:"):
            if self.mode == "fast":
                with e.block("for b in bl:"):
                    with e.block("if b.__class__ is not dict:"):
                        e.line("return False")
                    e.line("p = b.get('property')")
                    e.line(f"spec = {files_c}.get(p) if p.__class__ is str else None")
                    with e.block("if spec is None:"):
                        e.line("return False")
                    with e.block(f"if not quick_blob(b, spec[2]) and blob_problems(b, spec[0], {max_c}):"):
                        e.line("return False")
                    with e.block("if not spec[1]:"), e.block("if p in seen:"):
                        e.line("return False")
                    e.line("seen.add(p)")
            else:
                with e.block("for i, b in enumerate(bl):"):
                    with e.block("if not isinstance(b, dict):"):
                        e.line("add_blob_problems(issues, i, blob_problems(b, None, 0))")
                        e.line("continue")
                    e.line("p = b.get('property')")
                    e.line(f"spec = {files_c}.get(p) if isinstance(p, str) else None")
                    with e.block("if spec is None:"):
                        e.line(f"add_blob_property_issue(issues, i, p, {names_c})")
                        e.line("ft = None")
                    with e.block("else:"):
                        e.line("ft = spec[0]")
                        with e.block("if not spec[1] and p in seen:"):
                            e.line("add_duplicate_blob(issues, i, p)")
                        e.line("seen.add(p)")
                        with e.block("if quick_blob(b, spec[2]):"):
                            e.line("continue")
                    e.line(f"probs = blob_problems(b, ft, {max_c})")
                    with e.block("if probs:"):
                        e.line("add_blob_problems(issues, i, probs)")
        for name in required:
            with e.block(f"if {name!r} not in seen:"):
                self.fail("add_missing_blob", path_expr((lit(name),)))

    def emit_unique_key(self) -> None:
        e = self.e
        for name in self.options.unique_key:
            u = e.var("u")
            e.line(f"{u} = obj.get({name!r})")
            if self.mode == "fast":
                with e.block(f"if {u} is None or (isinstance({u}, str) and (not {u} or len({u}) > 255)):"):
                    e.line("return False")
            else:
                with e.block(f"if {u} is None or (isinstance({u}, str) and not {u}):"):
                    e.line(f"add_missing_unique(issues, {name!r})")
                with e.block(f"elif isinstance({u}, str) and len({u}) > 255:"):
                    e.line(f"add_unique_too_long(issues, {name!r}, {u})")

    # -- fields -----------------------------------------------------------------------------

    def emit_fields(self, fields: Mapping[str, FieldDef], obj: str, path: tuple[str, ...], *, top_level: bool) -> None:
        e = self.e
        for name, f in fields.items():
            if top_level and (f.is_file or f.file_items):
                continue  # supplied as blobs; a top-level key for it is checked with the request keys
            fpath = (*path, lit(name))
            v = e.var()
            e.line(f"{v} = {obj}.get({name!r})")
            if f.required:
                with e.block(f"if {v} is None:"):
                    self.fail("add_missing", path_expr(fpath))
                with e.block("else:"):
                    self.emit_value(f, v, fpath)
            else:
                with e.block(f"if {v} is not None:"):
                    self.emit_value(f, v, fpath)

    def emit_value(self, f: FieldDef, v: str, path: tuple[str, ...]) -> None:
        TYPE_CHECKS[f.type](self, f, v, path, lambda: self.emit_enum(f, v, path))

    def emit_enum(self, f: FieldDef, v: str, path: tuple[str, ...]) -> None:
        if f.enum is None:
            return
        e = self.e
        enum_c = e.const(f.enum, "ENUM")
        if f.type in ("string", "integer", "number", "float", "boolean"):
            # after the type check, hashing is exact: no bools among numbers, strings compare exactly
            set_c = e.const(frozenset(f.enum), "ENUMSET")
            cond = f"{v} not in {set_c}"
        else:
            cond = f"not in_enum({v}, {enum_c})"
        with e.block(f"if {cond}:"):
            self.fail("add_enum_mismatch", path_expr(path), v, enum_c)

    def mismatch(self, f: FieldDef, v: str, path: tuple[str, ...]) -> None:
        self.fail("add_type_mismatch", path_expr(path), repr(TYPE_NAMES.get(f.type, f.type)), v)

    def simple(self, cond: str, f: FieldDef, v: str, path: tuple[str, ...], then: Callable[[], None]) -> None:
        with self.e.block(f"if not ({cond}):"):
            self.mismatch(f, v, path)
        if f.enum is not None:
            with self.e.block("else:"):
                then()

    def emit_object(self, f: FieldDef, v: str, path: tuple[str, ...], then: Callable[[], None]) -> None:
        e = self.e
        with e.block(f"if {v}.__class__ is not dict and not isinstance({v}, dict):"):
            self.mismatch(f, v, path)
        with e.block("else:"):
            then()
            props = f.properties or {}
            if e.level > _MAX_INLINE_INDENT:
                self.call_sub(lambda name: self.emit_object_function(name, f), v, path)
                return
            self.emit_fields(props, v, path, top_level=False)
            if self.options.strict:
                known = e.const(frozenset(props), "KNOWN")
                with e.block(f"if not {known}.issuperset({v}):"):
                    self.fail("add_unknown_fields", path_expr(path), v, known)

    def emit_array(self, f: FieldDef, v: str, path: tuple[str, ...], then: Callable[[], None]) -> None:
        e = self.e
        with e.block(f"if {v}.__class__ is not list and not isinstance({v}, list):"):
            self.mismatch(f, v, path)
        with e.block("else:"):
            then()
            item = f.items
            if item is None:
                return
            if item.type in ("object", "array") or self.loops >= _MAX_INLINE_LOOPS or e.level > _MAX_INLINE_INDENT:
                self.call_sub(lambda name: self.emit_items_function(name, item), v, path)
                return
            self.emit_items_inline(item, v, path)

    def emit_items_inline(self, item: FieldDef, v: str, path: tuple[str, ...]) -> None:
        e = self.e
        x = e.var("x")
        i = e.var("i")
        self.loops += 1
        header = f"for {x} in {v}:" if self.mode == "fast" else f"for {i}, {x} in enumerate({v}):"
        with e.block(header):
            ipath = (*path, i)
            if item.required:
                with e.block(f"if {x} is None:"):
                    self.fail("add_type_mismatch", path_expr(ipath), repr(TYPE_NAMES.get(item.type, item.type)), x)
                with e.block("else:"):
                    self.emit_value(item, x, ipath)
            else:
                with e.block(f"if {x} is not None:"):
                    self.emit_value(item, x, ipath)
        self.loops -= 1

    def call_sub(self, emit_function: Callable[[str], None], v: str, path: tuple[str, ...]) -> None:
        """Check ``v`` in a separate generated function (keeps nesting within Python's limits)."""
        name = self.e.var("_sub")
        self.pending.append(lambda: emit_function(name))
        if self.mode == "fast":
            with self.e.block(f"if not {name}({v}):"):
                self.e.line("return False")
        else:
            self.e.line(f"{name}({v}, {path_expr(path)}, issues)")

    def _sub_function(self, name: str, body: Callable[[tuple[str, ...]], None]) -> None:
        e = self.e
        saved = (e.level, self.loops)
        e.level, self.loops = 0, 0
        e.line("")
        args = "s" if self.mode == "fast" else "s, p, issues"
        with e.block(f"def {name}({args}):"):
            body(("*p",))
            if self.mode == "fast":
                e.line("return True")
        e.level, self.loops = saved

    def emit_object_function(self, name: str, f: FieldDef) -> None:
        def body(path: tuple[str, ...]) -> None:
            props = f.properties or {}
            self.emit_fields(props, "s", path, top_level=False)
            if self.options.strict:
                known = self.e.const(frozenset(props), "KNOWN")
                with self.e.block(f"if not {known}.issuperset(s):"):
                    self.fail("add_unknown_fields", path_expr(path), "s", known)

        self._sub_function(name, body)

    def emit_items_function(self, name: str, item: FieldDef) -> None:
        self._sub_function(name, lambda path: self.emit_items_inline(item, "s", path))


def _check_string(g: Generator, f: FieldDef, v: str, path: tuple[str, ...], then: Callable[[], None]) -> None:
    g.simple(f"{v}.__class__ is str or isinstance({v}, str)", f, v, path, then)


def _check_integer(g: Generator, f: FieldDef, v: str, path: tuple[str, ...], then: Callable[[], None]) -> None:
    g.simple(f"{v}.__class__ is int or is_integer({v})", f, v, path, then)


def _check_number(g: Generator, f: FieldDef, v: str, path: tuple[str, ...], then: Callable[[], None]) -> None:
    # x - x == 0.0 is false exactly for NaN and the infinities
    g.simple(
        f"{v}.__class__ is int or ({v}.__class__ is float and {v} - {v} == 0.0) or is_number({v})", f, v, path, then
    )


def _check_boolean(g: Generator, f: FieldDef, v: str, path: tuple[str, ...], then: Callable[[], None]) -> None:
    g.simple(f"{v} is True or {v} is False", f, v, path, then)


def _check_date(g: Generator, f: FieldDef, v: str, path: tuple[str, ...], then: Callable[[], None]) -> None:
    e = g.e
    if g.mode == "fast":
        with e.block(f"if date_state({v}):"):
            e.line("return False")
        then()
        return
    st = e.var("st")
    e.line(f"{st} = date_state({v})")
    with e.block(f"if {st}:"):
        e.line(f"add_date_issue(issues, {path_expr(path)}, {st}, {v})")
    if f.enum is not None:
        with e.block("else:"):
            then()


def _check_datetime(g: Generator, f: FieldDef, v: str, path: tuple[str, ...], then: Callable[[], None]) -> None:
    e = g.e
    if g.mode == "fast":
        # a naive date-time is a warning, not an error
        with e.block(f"if datetime_state({v}) > 1:"):
            e.line("return False")
        then()
        return
    st = e.var("st")
    e.line(f"{st} = datetime_state({v})")
    with e.block(f"if {st}:"):
        e.line(f"add_datetime_issue(issues, {path_expr(path)}, {st}, {v})")
    if f.enum is not None:
        with e.block(f"if {st} < 2:"):
            then()


def _check_file(g: Generator, f: FieldDef, v: str, path: tuple[str, ...], then: Callable[[], None]) -> None:
    # Only reachable for file items of a top-level array given inline; definitions forbid other nesting.
    g.fail("add_type_mismatch", path_expr(path), repr(f"a {f.type} blob"), v)


TYPE_CHECKS: dict[str, TypeCheck] = {
    "string": _check_string,
    "integer": _check_integer,
    "number": _check_number,
    "float": _check_number,
    "boolean": _check_boolean,
    "date": _check_date,
    "datetime": _check_datetime,
    "object": Generator.emit_object,
    "array": Generator.emit_array,
    "text": _check_file,
    "image": _check_file,
    "audio": _check_file,
    "video": _check_file,
    "pdf": _check_file,
    "excel": _check_file,
}


# -- normalization ------------------------------------------------------------------------------


def _has_defaults(f: FieldDef) -> bool:
    if f.has_default:
        return True
    if f.properties and any(_has_defaults(sub) for sub in f.properties.values()):
        return True
    return f.items is not None and f.type == "array" and _has_children_defaults(f.items)


def _has_children_defaults(f: FieldDef) -> bool:
    """Whether values of ``f`` need copying because something below them has a default."""
    if f.type == "object":
        return bool(f.properties) and any(_has_defaults(sub) for sub in (f.properties or {}).values())
    if f.type == "array":
        return f.items is not None and _has_children_defaults(f.items)
    return False


class NormalizerGenerator:
    """Emits ``normalize(obj)``: runs only on valid objects, so it assumes their shape."""

    def __init__(self, schema: SchemaDef, emitter: Emitter) -> None:
        self.schema = schema
        self.e = emitter
        self.pending: list[Callable[[], None]] = []

    def emit_main(self, name: str) -> None:
        e = self.e
        with e.block(f"def {name}(obj):"):
            e.line("out = dict(obj)")
            e.line("bl = out.get('blobs')")
            with e.block("if bl:"):
                # most types are already lower case: copy only the blobs that change
                e.line(
                    "out['blobs'] = [b if (t := b.get('type')) is None or t.__class__ is not str or t.islower()"
                    " else lower_blob_type(b) for b in bl]"
                )
            self.emit_fields(self.schema.fields, "out")
            e.line("return out")
        while self.pending:
            self.pending.pop(0)()

    def default_expr(self, value: Any) -> str:
        c = self.e.const(value, "DEFAULT")
        if isinstance(value, (dict, list)):
            return f"deepcopy({c})"
        return c

    def emit_fields(self, fields: Mapping[str, FieldDef], container: str) -> None:
        e = self.e
        for name, f in fields.items():
            if f.is_file or f.file_items or not _has_defaults(f):
                continue
            if not _has_children_defaults(f):
                with e.block(f"if {name!r} not in {container}:"):
                    e.line(f"{container}[{name!r}] = {self.default_expr(f.default)}")
                continue
            v = e.var()
            e.line(f"{v} = {container}.get({name!r}, ABSENT)")
            if f.has_default:
                with e.block(f"if {v} is ABSENT:"):
                    e.line(f"{container}[{name!r}] = {self.default_expr(f.default)}")
            cond = f"elif {v} is not None:" if f.has_default else f"if {v} is not ABSENT and {v} is not None:"
            with e.block(cond):
                e.line(f"{container}[{name!r}] = {self.copy_value(f, v)}")

    def copy_value(self, f: FieldDef, v: str) -> str:
        """An expression for a copy of ``v`` (a valid value of ``f``) with defaults filled below it."""
        name = self.e.var("_norm")
        self.pending.append(lambda: self.emit_copy_function(name, f))
        return f"{name}({v})"

    def emit_copy_function(self, name: str, f: FieldDef) -> None:
        e = self.e
        saved = e.level
        e.level = 0
        e.line("")
        with e.block(f"def {name}(s):"):
            if f.type == "object":
                e.line("s = dict(s)")
                self.emit_fields(f.properties or {}, "s")
                e.line("return s")
            else:
                item = f.items
                assert item is not None
                x = e.var("x")
                inner = self.copy_value(item, x)
                e.line(f"return [None if {x} is None else {inner} for {x} in s]")
        e.level = saved


def lower_blob_type(b: dict[str, Any]) -> dict[str, Any]:
    t = b.get("type")
    if isinstance(t, str) and not t.islower():
        b = dict(b)
        b["type"] = t.lower()
    return b


# -- assembling -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    source: str
    is_valid: Callable[[Any], bool]
    collect: Callable[[Any, list[Any]], None]
    normalize: Callable[[dict[str, Any]], dict[str, Any]]


def _base_namespace() -> dict[str, Any]:
    ns: dict[str, Any] = {
        "ABSENT": rt.ABSENT,
        "blob_problems": blob_problems,
        "quick_blob": quick_blob,
        "lower_blob_type": lower_blob_type,
        "deepcopy": copy.deepcopy,
    }
    for name in dir(rt):
        if not name.startswith("_"):
            ns.setdefault(name, getattr(rt, name))
    return ns


def generate(schema: SchemaDef, options: Options) -> Generated:
    namespace = _base_namespace()
    e = Emitter(namespace)
    e.line("# generated by schemakit; constants (_K*, _ENUM*, _DEFAULT*, ...) are bound in the namespace")
    Generator(schema, options, "fast", e).emit_main("is_valid")
    e.line("")
    Generator(schema, options, "collect", e).emit_main("collect")
    e.line("")
    NormalizerGenerator(schema, e).emit_main("normalize")
    source = e.source()
    code = compile(source, "<schemakit generated validator>", "exec")
    exec(code, namespace)
    return Generated(source, namespace["is_valid"], namespace["collect"], namespace["normalize"])
