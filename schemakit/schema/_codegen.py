"""Code generation: one bucket schema becomes three straight-line Python functions.

* ``is_valid(obj)`` returns False at the first problem and allocates nothing;
* ``collect(obj, issues)`` runs the same checks, appending an Issue for each;
* ``normalize(obj)`` copies a valid object, filling defaults and lower-casing blob types.

``is_valid`` and ``collect`` are one body, generated twice: every check is
written once, as a condition, and the two differ only in their
:class:`Failure` primitive, which says what failing a check emits (``return
False``, or an issue builder call after which the checks go on). So their
verdicts agree by construction.

Which check a field gets comes from the contract's type table
(:data:`schemakit._contract.types.FIELD_TYPES`): a ``simple`` type's check is
its ``inline_test`` expression, and the other check kinds have one emitter
each in :data:`KINDS`. Messages name the expected kind by the type's
``label``.

Safety: user strings reach the source only as ``repr()`` literals (field
names in ``.get()`` calls and paths). Every other value (enums, defaults, key
sets) is bound into the function's namespace under a generated name.

Debugging: local names follow the field path (``v_metadata_price``) and the
source is registered with :mod:`linecache` under a unique file name, so
tracebacks and debuggers show the generated line.
"""

from __future__ import annotations

import copy
import hashlib
import linecache
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from schemakit._contract.bucket import REQUEST_KEYS, RESERVED_FIELD_NAMES, FieldDef, SchemaDef
from schemakit._contract.sentinels import ABSENT
from schemakit._contract.types import FIELD_TYPES, CheckKind, FieldType
from schemakit.schema import _runtime as rt
from schemakit.schema._blobs import QUICK_BLOB_EXPR, blob_problems, good_url, upload_id_match

Mode = Literal["fast", "clean", "collect"]
"""``is_valid``; ``is_clean`` (valid and without warnings, for validate's shortcut); ``collect``."""

# Keys an object request may carry besides its schema fields (the ids are assigned by the server).
TOP_LEVEL_KEYS = frozenset(RESERVED_FIELD_NAMES)
# The boolean keys of CreateObjectRequest (the rest of REQUEST_KEYS get their own checks).
REQUEST_FLAGS = tuple(k for k in REQUEST_KEYS if k not in ("key_prefix", "blobs"))

# Python refuses more than 20 nested loops and 100 indentation levels; past these
# budgets a sub-tree moves into its own generated function.
_MAX_INLINE_LOOPS = 4
_MAX_INLINE_INDENT = 40

# Locals every generated function may use; path-derived names never take one of these.
_FIXED_LOCALS = frozenset(
    {"obj", "issues", "s", "p", "kp", "f", "bl", "seen", "i", "b", "spec", "ft", "t", "d", "u", "probs", "out"}
)


@dataclass(frozen=True)
class Options:
    strict: bool
    max_inline_bytes: int
    unique_key: tuple[str, ...]


_NOT_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]")
_MAX_STEM = 40


class Emitter:
    """Lines at an indentation level, plus the namespace the code will run in.

    A statement after a ``return`` or ``continue`` in the same block is never
    run; the emitter leaves it out, so each mode's source reads as straight
    code although both come from one body.
    """

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.lines: list[str] = []
        self.level = 0
        self.namespace = namespace
        self.globals: set[str] = set(namespace)
        self.locals: set[str] = set(_FIXED_LOCALS)
        self.dead_from: int | None = None  # the level below which nothing more runs in the current block
        self._consts: dict[tuple[str, tuple[str, ...]], tuple[str, Any]] = {}

    def line(self, text: str) -> None:
        if self.dead_from is not None and self.level >= self.dead_from:
            return
        self.lines.append("    " * self.level + text)
        if text.startswith(("return", "continue")):
            self.dead_from = self.level

    def _leave(self) -> None:
        self.level -= 1
        if self.dead_from is not None and self.level < self.dead_from:
            self.dead_from = None

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
            self._leave()

    @contextmanager
    def optional(self, header: str) -> Iterator[None]:
        """A block that disappears, header and all, when nothing is emitted into it (an ``else:``)."""
        mark = len(self.lines)
        self.line(header)
        self.level += 1
        try:
            yield
        finally:
            self._leave()
            if len(self.lines) == mark + 1:
                del self.lines[mark]

    @contextmanager
    def function(self, name: str, params: str) -> Iterator[None]:
        """A top-level ``def``; path-derived local names start afresh in each function."""
        self.globals.add(name)
        self.locals = set(_FIXED_LOCALS)
        with self.block(f"def {name}({params}):"):
            yield

    def name(self, prefix: str, where: Sequence[str] = (), *, scope: str = "local") -> str:
        """A fresh identifier for the value at field path ``where``: ``v_metadata_price``.

        Only ASCII letters, digits and ``_`` survive (Python folds other identifier
        characters, which could make two names one); long paths are clipped; a
        number makes a name unique in its function (locals) or in the module.
        """
        stem = "_".join(_NOT_IDENTIFIER.sub("_", w) for w in where)[:_MAX_STEM]
        base = f"{prefix}_{stem}" if stem else prefix
        name, n = base, 1
        while name in self.globals or name in self.locals:
            n += 1
            name = f"{base}_{n}"
        (self.locals if scope == "local" else self.globals).add(name)
        return name

    def const(self, value: Any, prefix: str, where: Sequence[str] = ()) -> str:
        """Bind ``value`` into the namespace and return its name: values never become source text.

        The two modes ask for the same constants; an equal value under the same
        name stem is bound once.
        """
        key = (prefix, tuple(where))
        known = self._consts.get(key)
        if known is not None and type(known[1]) is type(value) and known[1] == value:
            return known[0]
        name = self.name(f"_{prefix}", where, scope="global")
        self.namespace[name] = value
        self._consts[key] = (name, value)
        return name

    def source(self) -> str:
        return "\n".join(self.lines) + "\n"


def path_expr(parts: tuple[str, ...]) -> str:
    """A tuple display from code fragments (``repr`` literals, index variables, ``*p``)."""
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def lit(segment: str | int) -> str:
    return repr(segment)


# -- the failure primitive: all that tells is_valid from collect ------------------------------------


class Failure(ABC):
    """What a failed check emits, and the little that reporting it needs (its issue list, indexes)."""

    function: str
    """The generated function's name, and the prefix of its helper functions' names."""

    @abstractmethod
    def params(self) -> str:
        """The parameters of the generated function, which checks the request ``obj``."""

    @abstractmethod
    def sub_params(self) -> str:
        """The parameters of a helper that checks the value ``s`` found at path ``p``."""

    @abstractmethod
    def fail(self, builder: str, args: Sequence[str]) -> str:
        """The line for a failed check; ``builder(issues, *args)`` (a :mod:`_runtime` function) says why."""

    @abstractmethod
    def warn(self, builder: str, args: Sequence[str]) -> str | None:
        """The line for a warning (no effect on the verdict), if this mode reports warnings."""

    @abstractmethod
    def reject(self) -> tuple[str, ...]:
        """The lines for a request that is not a dict: nothing else can be checked."""

    @abstractmethod
    def loop(self, index: str, item: str, sequence: str) -> str:
        """A loop header over a list; ``index`` names the position when failures need it for their path."""

    @abstractmethod
    def call(self, e: Emitter, name: str, value: str, path: str) -> None:
        """Check ``value`` at ``path`` with the helper ``name``."""

    @abstractmethod
    def finish(self) -> str | None:
        """The last line of a function whose checks all passed."""


class ReturnFalse(Failure):
    """``is_valid``: the first failed check returns False; ``is_clean`` returns False at a warning too."""

    def __init__(self, function: str, *, warnings_fail: bool) -> None:
        self.function = function
        self.warnings_fail = warnings_fail

    def params(self) -> str:
        return "obj"

    def sub_params(self) -> str:
        return "s"

    def fail(self, builder: str, args: Sequence[str]) -> str:
        return "return False"

    def warn(self, builder: str, args: Sequence[str]) -> str | None:
        return "return False" if self.warnings_fail else None

    def reject(self) -> tuple[str, ...]:
        # validate() judges a pydantic model by its dump; is_valid, called directly, does the same
        return (f"return plain_is_valid(obj, {self.function})",)

    def loop(self, index: str, item: str, sequence: str) -> str:
        return f"for {item} in {sequence}:"

    def call(self, e: Emitter, name: str, value: str, path: str) -> None:
        with e.block(f"if not {name}({value}):"):
            e.line("return False")

    def finish(self) -> str | None:
        return "return True"


class Record(Failure):
    """``collect``: a failed check appends its issue, and the checks go on."""

    function = "collect"

    def params(self) -> str:
        return "obj, issues"

    def sub_params(self) -> str:
        return "s, p, issues"

    def fail(self, builder: str, args: Sequence[str]) -> str:
        return f"{builder}(issues, {', '.join(args)})"

    def warn(self, builder: str, args: Sequence[str]) -> str | None:
        return self.fail(builder, args)

    def reject(self) -> tuple[str, ...]:
        return ("add_not_an_object(issues, obj)", "return")

    def loop(self, index: str, item: str, sequence: str) -> str:
        return f"for {index}, {item} in enumerate({sequence}):"

    def call(self, e: Emitter, name: str, value: str, path: str) -> None:
        e.line(f"{name}({value}, {path}, issues)")

    def finish(self) -> str | None:
        return None


def failure_of(mode: Mode) -> Failure:
    """The one place a mode chooses its failure primitive."""
    if mode == "collect":
        return Record()
    return ReturnFalse("is_valid" if mode == "fast" else "is_clean", warnings_fail=mode == "clean")


# -- the checks, written once -------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """How the generator checks the values of one check kind (the type table names each type's kind)."""

    emit: Callable[[Generator, FieldDef, FieldType, str, tuple[str, ...], tuple[str, ...]], None]
    hashed_enum: bool
    """After the type check, an enum test is one frozenset lookup (exact classes, no bools among numbers)."""
    names_null_by_type: bool
    """A null where a value is required reads ``expected <type name>`` rather than the label (dates)."""


class Generator:
    """Emits the checking function of one failure primitive for one schema."""

    def __init__(self, schema: SchemaDef, options: Options, failure: Failure, emitter: Emitter) -> None:
        self.schema = schema
        self.options = options
        self.failure = failure
        self.e = emitter
        self.pending: list[Callable[[], None]] = []  # helper functions to emit after the current one
        self.loops = 0
        self.warns = False  # whether some check of this schema can warn

    def fail(self, builder: str, *args: str) -> None:
        self.e.line(self.failure.fail(builder, args))

    def warn(self, builder: str, *args: str) -> None:
        self.warns = True
        line = self.failure.warn(builder, args)
        if line is not None:
            self.e.line(line)

    # -- entry point ----------------------------------------------------------------------

    def emit_main(self) -> None:
        e = self.e
        with e.function(self.failure.function, self.failure.params()):
            with e.block("if obj.__class__ is not dict and not isinstance(obj, dict):"):
                for line in self.failure.reject():
                    e.line(line)
            self.emit_request_keys()
            self.emit_blobs()
            self.emit_fields(self.schema.fields, "obj", (), (), top_level=True)
            self.emit_unique_key()
            if self.options.strict:
                known = e.const(rt.Vocabulary(TOP_LEVEL_KEYS | set(self.schema.fields)), "KNOWN")
                with e.block(f"if not {known}.issuperset(obj):"):
                    self.fail("add_unknown_fields", "()", "obj", known)
            self.emit_finish()
        while self.pending:
            self.pending.pop(0)()

    def emit_finish(self) -> None:
        last = self.failure.finish()
        if last is not None:
            self.e.line(last)

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
            ftype = f.element.type
            # the spellings the quick path accepts without the full check
            spellings = frozenset({ftype, ftype.upper(), ftype.capitalize()})
            specs[name] = (ftype, f.file_items, spellings)
        files_c = e.const(specs, "FILES")
        names_c = e.const(tuple(files), "FILENAMES")
        max_c = e.const(self.options.max_inline_bytes, "MAX")
        e.line("bl = obj.get('blobs', ABSENT)")
        with e.block("if bl is ABSENT:"):
            e.line("seen = ()")
        with e.block("elif bl.__class__ is not list and not isinstance(bl, list):"):
            self.fail("add_bad_blobs", "bl")
            e.line("seen = ()")
        with e.block("else:"):
            e.line("seen = set()")
            with e.block(self.failure.loop("i", "b", "bl")):
                with e.block("if b.__class__ is not dict and not isinstance(b, dict):"):
                    self.fail("add_blob_problems", "i", "blob_problems(b, None, 0)")
                    e.line("continue")
                e.line("p = b.get('property')")
                # a str subclass is read as the plain text it holds (it might not even hash)
                e.line(
                    f"spec = {files_c}.get(p) if p.__class__ is str else"
                    f" ({files_c}.get(p := str.__str__(p)) if isinstance(p, str) else None)"
                )
                # CreateBlobRequest.property has maxLength 100, though a field name may be longer
                # (where none is, a name found is short enough)
                too_long = f" or len(p) > {rt.MAX_BLOB_PROPERTY_LENGTH}"
                if all(len(name) <= rt.MAX_BLOB_PROPERTY_LENGTH for name in files):
                    too_long = ""
                with e.block(f"if spec is None{too_long}:"):
                    self.fail("add_blob_property_issue", "i", "p", names_c)
                    e.line("ft = None")
                with e.block("else:"):
                    with e.block("if p in seen and not spec[1]:"):
                        self.fail("add_duplicate_blob", "i", "p")
                    e.line("seen.add(p)")
                    # the everyday blob (a type spelled exactly, a URL or an upload id), without a call
                    with e.block(f"if {QUICK_BLOB_EXPR.format(b='b', names='spec[2]')}:"):
                        e.line("continue")
                    e.line("ft = spec[0]")
                e.line(f"probs = blob_problems(b, ft, {max_c})")
                with e.block("if probs:"):
                    self.fail("add_blob_problems", "i", "probs")
        for name, f in files.items():
            if f.required:
                with e.block(f"if {name!r} not in seen:"):
                    self.fail("add_missing_blob", path_expr((lit(name),)))

    def emit_unique_key(self) -> None:
        e = self.e
        for name in self.options.unique_key:
            u = e.name("u", (name,))
            is_text = f"({u}.__class__ is str or isinstance({u}, str))"
            e.line(f"{u} = obj.get({name!r})")
            with e.block(f"if {u} is None or ({is_text} and not {u}):"):
                self.fail("add_missing_unique", repr(name))
            with e.block(f"elif {is_text} and len({u}) > 255:"):
                self.fail("add_unique_too_long", repr(name), u)

    # -- fields -----------------------------------------------------------------------------

    def emit_fields(
        self,
        fields: Mapping[str, FieldDef],
        obj: str,
        path: tuple[str, ...],
        where: tuple[str, ...],
        *,
        top_level: bool,
    ) -> None:
        e = self.e
        for name, f in fields.items():
            if top_level and (f.is_file or f.file_items):
                continue  # supplied as blobs; a top-level key for it is checked with the request keys
            fpath = (*path, lit(name))
            fwhere = (*where, name)
            v = e.name("v", fwhere)
            e.line(f"{v} = {obj}.get({name!r})")
            if f.required:
                with e.block(f"if {v} is None:"):
                    self.fail("add_missing", path_expr(fpath))
                with e.block("else:"):
                    self.emit_value(f, v, fpath, fwhere)
            else:
                with e.block(f"if {v} is not None:"):
                    self.emit_value(f, v, fpath, fwhere)

    def emit_value(self, f: FieldDef, v: str, path: tuple[str, ...], where: tuple[str, ...]) -> None:
        """Check the non-null value ``v`` of field ``f`` at ``path``: its type's check, then its enum."""
        ftype = FIELD_TYPES[f.type]
        KINDS[ftype.check_kind].emit(self, f, ftype, v, path, where)

    def emit_enum(self, f: FieldDef, v: str, path: tuple[str, ...], where: tuple[str, ...]) -> None:
        """The enum check of a value whose type is right (nothing for a field without an enum)."""
        if f.enum is None:
            return
        e = self.e
        enum_c = e.const(f.enum, "ENUM", where)
        if KINDS[FIELD_TYPES[f.type].check_kind].hashed_enum:
            cond = f"{v} not in {e.const(frozenset(f.enum), 'ENUMSET', where)}"
        else:
            cond = f"not in_enum({v}, {enum_c})"
        with e.block(f"if {cond}:"):
            self.fail("add_enum_mismatch", path_expr(path), v, enum_c)

    def mismatch(self, ftype: FieldType, v: str, path: tuple[str, ...]) -> None:
        self.fail("add_type_mismatch", path_expr(path), repr(ftype.label), v)

    @contextmanager
    def type_checked(self, ok: str, ftype: FieldType, v: str, path: tuple[str, ...]) -> Iterator[None]:
        """``if not (ok):`` a type mismatch; what the caller emits inside runs only for the right type."""
        with self.e.block(f"if not ({ok}):"):
            self.mismatch(ftype, v, path)
        with self.e.optional("else:"):
            yield

    def emit_simple(self, f: FieldDef, ftype: FieldType, v: str, path: tuple[str, ...], where: tuple[str, ...]) -> None:
        assert ftype.inline_test is not None, f"a simple type has an inline test: {ftype.name}"
        accepts = self.e.const(ftype.accepts, f"accepts_{ftype.name}")
        with self.type_checked(ftype.inline_test.format(v=v, accepts=accepts), ftype, v, path):
            self.emit_enum(f, v, path, where)

    def emit_date(self, f: FieldDef, ftype: FieldType, v: str, path: tuple[str, ...], where: tuple[str, ...]) -> None:
        e = self.e
        st = e.name("st", where)
        # the everyday date is one regex call; the rest, and dates that are not text, get their state
        with e.block(f"if not ({v}.__class__ is str and common_date({v}) is not None) and ({st} := date_state({v})):"):
            self.fail("add_date_issue", path_expr(path), st, v)
        with e.optional("else:"):
            self.emit_enum(f, v, path, where)

    def emit_datetime(
        self, f: FieldDef, ftype: FieldType, v: str, path: tuple[str, ...], where: tuple[str, ...]
    ) -> None:
        e = self.e
        st = e.name("st", where)
        e.line(f"{st} = 0 if {v}.__class__ is str and common_datetime({v}) is not None else datetime_state({v})")
        with e.block(f"if {st} > {rt.NAIVE}:"):
            self.fail("add_datetime_issue", path_expr(path), st, v)
        with e.optional("else:"):
            # a naive date-time is taken as UTC: a warning, and the value is still checked
            with e.optional(f"if {st}:"):
                self.warn("add_datetime_issue", path_expr(path), st, v)
            self.emit_enum(f, v, path, where)

    def emit_object(self, f: FieldDef, ftype: FieldType, v: str, path: tuple[str, ...], where: tuple[str, ...]) -> None:
        e = self.e
        with self.type_checked(f"{v}.__class__ is dict or isinstance({v}, dict)", ftype, v, path):
            self.emit_enum(f, v, path, where)
            if e.level > _MAX_INLINE_INDENT:
                self.call_sub(lambda name: self.emit_object_function(name, f, where), v, path, where)
                return
            self.emit_members(f, v, path, where)

    def emit_members(self, f: FieldDef, v: str, path: tuple[str, ...], where: tuple[str, ...]) -> None:
        props = f.properties or {}
        self.emit_fields(props, v, path, where, top_level=False)
        if self.options.strict:
            known = self.e.const(rt.Vocabulary(props), "KNOWN", where)
            with self.e.block(f"if not {known}.issuperset({v}):"):
                self.fail("add_unknown_fields", path_expr(path), v, known)

    def emit_array(self, f: FieldDef, ftype: FieldType, v: str, path: tuple[str, ...], where: tuple[str, ...]) -> None:
        e = self.e
        with self.type_checked(f"{v}.__class__ is list or isinstance({v}, list)", ftype, v, path):
            self.emit_enum(f, v, path, where)
            item = f.items
            if item is None:
                return
            item_kind = FIELD_TYPES[item.type].category
            if item_kind == "container" or self.loops >= _MAX_INLINE_LOOPS or e.level > _MAX_INLINE_INDENT:
                self.call_sub(lambda name: self.emit_items_function(name, item, where), v, path, where)
                return
            self.emit_items(item, v, path, where)

    def emit_items(self, item: FieldDef, v: str, path: tuple[str, ...], where: tuple[str, ...]) -> None:
        e = self.e
        x = e.name("x", where)
        i = e.name("i", where)
        self.loops += 1
        with e.block(self.failure.loop(i, x, v)):
            ipath = (*path, i)
            if item.required:
                with e.block(f"if {x} is None:"):
                    ftype = FIELD_TYPES[item.type]
                    expected = ftype.name if KINDS[ftype.check_kind].names_null_by_type else ftype.label
                    self.fail("add_type_mismatch", path_expr(ipath), repr(expected), x)
                with e.block("else:"):
                    self.emit_value(item, x, ipath, where)
            else:
                with e.block(f"if {x} is not None:"):
                    self.emit_value(item, x, ipath, where)
        self.loops -= 1

    def emit_file(self, f: FieldDef, ftype: FieldType, v: str, path: tuple[str, ...], where: tuple[str, ...]) -> None:
        # Only reachable for file items of a top-level array given inline; definitions forbid other nesting.
        self.mismatch(ftype, v, path)

    # -- helper functions, for sub-trees too deep to inline -------------------------------------------

    def call_sub(
        self, emit_function: Callable[[str], None], v: str, path: tuple[str, ...], where: tuple[str, ...]
    ) -> None:
        """Check ``v`` in a separate generated function (keeps nesting within Python's limits)."""
        name = self.e.name(f"_{self.failure.function}", where, scope="global")
        self.pending.append(lambda: emit_function(name))
        self.failure.call(self.e, name, v, path_expr(path))

    def _sub_function(self, name: str, body: Callable[[tuple[str, ...]], None]) -> None:
        e = self.e
        saved = (e.level, self.loops)
        e.level, self.loops = 0, 0
        e.line("")
        with e.function(name, self.failure.sub_params()):
            body(("*p",))
            self.emit_finish()
        e.level, self.loops = saved

    def emit_object_function(self, name: str, f: FieldDef, where: tuple[str, ...]) -> None:
        self._sub_function(name, lambda path: self.emit_members(f, "s", path, where))

    def emit_items_function(self, name: str, item: FieldDef, where: tuple[str, ...]) -> None:
        self._sub_function(name, lambda path: self.emit_items(item, "s", path, where))


KINDS: Mapping[CheckKind, Kind] = {
    "simple": Kind(Generator.emit_simple, hashed_enum=True, names_null_by_type=False),
    "date": Kind(Generator.emit_date, hashed_enum=False, names_null_by_type=True),
    "datetime": Kind(Generator.emit_datetime, hashed_enum=False, names_null_by_type=True),
    "object": Kind(Generator.emit_object, hashed_enum=False, names_null_by_type=False),
    "array": Kind(Generator.emit_array, hashed_enum=False, names_null_by_type=False),
    "file": Kind(Generator.emit_file, hashed_enum=False, names_null_by_type=True),
}
"""The generator's emitter of each check kind of the type table."""


# -- normalization ------------------------------------------------------------------------------


def _has_defaults(f: FieldDef) -> bool:
    if f.has_default:
        return True
    if f.properties and any(_has_defaults(sub) for sub in f.properties.values()):
        return True
    return f.items is not None and _has_children_defaults(f.items)


def _has_children_defaults(f: FieldDef) -> bool:
    """Whether values of ``f`` need copying because something below them has a default."""
    if f.properties:
        return any(_has_defaults(sub) for sub in f.properties.values())
    return f.items is not None and _has_children_defaults(f.items)


class NormalizerGenerator:
    """Emits ``normalize(obj)``: runs only on valid objects, so it assumes their shape."""

    def __init__(self, schema: SchemaDef, emitter: Emitter) -> None:
        self.schema = schema
        self.e = emitter
        self.pending: list[Callable[[], None]] = []

    def emit_main(self, name: str) -> None:
        e = self.e
        with e.function(name, "obj"):
            e.line("out = dict(obj)")
            e.line("bl = out.get('blobs')")
            with e.block("if bl:"):
                # a new list, whose blobs are copied only where the type needs lower-casing (rarely)
                e.line("out['blobs'] = bl = list(bl)")
                lowered = "if (t := b.get('type')) is not None and t.__class__ is str and not t.islower():"
                with e.block("for b in bl:"), e.block(lowered):
                    e.line("out['blobs'] = [lower_blob_type(b) for b in bl]")
                    e.line("break")
            self.emit_fields(self.schema.fields, "out", ())
            e.line("return out")
        while self.pending:
            self.pending.pop(0)()

    def default_expr(self, value: Any, where: tuple[str, ...]) -> str:
        c = self.e.const(value, "DEFAULT", where)
        if isinstance(value, (dict, list)):
            return f"deepcopy({c})"
        return c

    def emit_fields(self, fields: Mapping[str, FieldDef], container: str, where: tuple[str, ...]) -> None:
        e = self.e
        for name, f in fields.items():
            if f.is_file or f.file_items or not _has_defaults(f):
                continue
            fwhere = (*where, name)
            if not _has_children_defaults(f):
                with e.block(f"if {name!r} not in {container}:"):
                    e.line(f"{container}[{name!r}] = {self.default_expr(f.default, fwhere)}")
                continue
            v = e.name("v", fwhere)
            e.line(f"{v} = {container}.get({name!r}, ABSENT)")
            if f.has_default:
                with e.block(f"if {v} is ABSENT:"):
                    e.line(f"{container}[{name!r}] = {self.default_expr(f.default, fwhere)}")
            cond = f"elif {v} is not None:" if f.has_default else f"if {v} is not ABSENT and {v} is not None:"
            with e.block(cond):
                e.line(f"{container}[{name!r}] = {self.copy_value(f, v, fwhere)}")

    def copy_value(self, f: FieldDef, v: str, where: tuple[str, ...]) -> str:
        """An expression for a copy of ``v`` (a valid value of ``f``) with defaults filled below it."""
        name = self.e.name("_normalize", where, scope="global")
        self.pending.append(lambda: self.emit_copy_function(name, f, where))
        return f"{name}({v})"

    def emit_copy_function(self, name: str, f: FieldDef, where: tuple[str, ...]) -> None:
        e = self.e
        saved = e.level
        e.level = 0
        e.line("")
        with e.function(name, "s"):
            if f.items is None:  # an object: the reader gives items only to arrays
                e.line("s = dict(s)")
                self.emit_fields(f.properties or {}, "s", where)
                e.line("return s")
            else:
                x = e.name("x", where)
                inner = self.copy_value(f.items, x, where)
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
    filename: str
    is_valid: Callable[[Any], bool]
    collect: Callable[[Any, list[Any]], None]
    normalize: Callable[[dict[str, Any]], dict[str, Any]]
    is_clean: Callable[[Any], bool]
    """Whether ``collect`` would find no issue at all: ``is_valid`` itself when no check of the schema warns."""


def _base_namespace() -> dict[str, Any]:
    ns: dict[str, Any] = {
        "ABSENT": ABSENT,
        "blob_problems": blob_problems,
        "good_url": good_url,
        "upload_id_match": upload_id_match,
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
    e.line("# generated by schemakit; constants (_KNOWN*, _ENUM*, _DEFAULT*, ...) are bound in the namespace")
    Generator(schema, options, failure_of("fast"), e).emit_main()
    e.line("")
    collect = Generator(schema, options, failure_of("collect"), e)
    collect.emit_main()
    e.line("")
    if collect.warns:
        Generator(schema, options, failure_of("clean"), e).emit_main()
        e.line("")
    NormalizerGenerator(schema, e).emit_main("normalize")
    source = e.source()
    filename = register_source(source)
    exec(compile(source, filename, "exec"), namespace)
    is_valid = namespace["is_valid"]
    return Generated(
        source, filename, is_valid, namespace["collect"], namespace["normalize"], namespace.get("is_clean", is_valid)
    )


def register_source(source: str) -> str:
    """Put ``source`` in :mod:`linecache` under a name of its own, as attrs does, and return the name.

    The name is derived from the text, so equal schemas share one entry; an
    entry with no modification time is never dropped by ``linecache.checkcache``.
    """
    digest = hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    filename = f"<schemakit validator {digest}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    return filename
