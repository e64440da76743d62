"""Filters as SQL over a JSON document column: PostgreSQL (jsonb), DuckDB (JSON) and SQLite (JSON1).

One table, :data:`SQL_TABLE`, has a row per operator; the rows speak through
a :class:`Dialect` (one subclass per engine, chosen by name from
:data:`DIALECT_CLASSES`), which knows how its engine reads a JSON value (its
type, a member, the elements of an array, the scalar as text or number) and
its string functions. Every leaf comparison is wrapped so that SQL's NULL
becomes false (``COALESCE(..., FALSE)``): the expressions are two-valued, so
NOT is plain negation. Values and keys are always bound parameters.

A path is read as :func:`schemakit._contract.paths.read` reads it: a name
steps into an object, and into every object element of an array (fan-out, at
any step); the operators that test *candidates* also test the elements of
each list found.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, cast

import sqlglot
from sqlglot import exp

from schemakit._contract import semantics
from schemakit._contract.operators import FILTER_OPERATORS, missing_rows
from schemakit.backends._plan import Atom, Plan, Pushed, Refused, Row, build

DialectName = Literal["postgres", "duckdb", "sqlite"]
Kind = Literal["object", "array", "string", "number", "boolean", "null"]
Pred = Callable[["Handle"], exp.Expression]

MAX_SEGMENTS = 6
"""Longer paths go to the residual: each step that may fan out doubles the SQL written for it."""

_INT64 = 2**63


def _false() -> exp.Expression:
    return exp.false()


def _true() -> exp.Expression:
    return exp.true()


@functools.lru_cache(maxsize=64)
def _data_type(name: str, dialect: str | None, udt: bool) -> exp.DataType:
    return exp.DataType.build(name, dialect=dialect, udt=udt)


def data_type(name: str, dialect: str | None = None, *, udt: bool = False) -> exp.DataType:
    """A type node (parsing a type name costs more than the rest of a cast: built once, copied)."""
    return _data_type(name, dialect, udt).copy()


def truth(e: exp.Expression) -> exp.Expression:
    """``e`` with NULL read as false, so that NOT of it is its complement."""
    return exp.Coalesce(this=e, expressions=[exp.false()])


def fn(name: str, *args: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this=name, expressions=list(args))


def all_of(parts: list[exp.Expression]) -> exp.Expression:
    parts = [p for p in parts if not (isinstance(p, exp.Boolean) and p.this is True)]
    if any(isinstance(p, exp.Boolean) and p.this is False for p in parts):
        return _false()
    if not parts:
        return _true()
    return parts[0] if len(parts) == 1 else cast(exp.Expression, exp.and_(*parts, copy=False))


def any_of(parts: list[exp.Expression]) -> exp.Expression:
    parts = [p for p in parts if not (isinstance(p, exp.Boolean) and p.this is False)]
    if any(isinstance(p, exp.Boolean) and p.this is True for p in parts):
        return _true()
    if not parts:
        return _false()
    return parts[0] if len(parts) == 1 else cast(exp.Expression, exp.or_(*parts, copy=False))


def negation(e: exp.Expression) -> exp.Expression:
    if isinstance(e, exp.Boolean):
        return exp.Boolean(this=not e.this)
    return exp.not_(exp.paren(e, copy=False) if isinstance(e, (exp.And, exp.Or)) else e, copy=False)


@dataclass(frozen=True)
class Handle:
    """A JSON value in the query: ``root`` read at ``path`` (SQLite), or ``root`` itself (``path`` None)."""

    root: exp.Expression
    path: str | exp.Expression | tuple[str, ...] | None = None


@dataclass
class Dialect(ABC):
    """One engine's way of reading JSON and comparing strings; ``params`` collects the bound values.

    Each engine is a subclass that overrides only where it differs: what the base does is what at
    least two engines share, and what all three do differently is abstract here.
    """

    name: ClassVar[DialectName]
    kinds: ClassVar[Mapping[Kind, tuple[str, ...]]]
    """What the engine's JSON type function answers for each kind of JSON value."""
    marker: ClassVar[re.Pattern[str]]
    """How a named placeholder ``sk<n>`` reads once sqlglot has rendered it in the engine's SQL."""
    paramstyle: ClassVar[str]
    """The positional placeholder the engine's driver binds."""
    exact_int_bound: ClassVar[int | None] = _INT64
    """Integers outside ``[-bound, bound)`` do not compare exactly (None: any integer does)."""
    prefilters: ClassVar[bool] = False
    """Whether plans AND a cheap indexable superset in front of the exact test (see the prefilters below)."""
    regex_refusal: ClassVar[str | None] = None
    """Why the engine's regular expressions cannot stand for RE2's, or None where they can."""
    substring_function: ClassVar[str] = "strpos"
    reads_once: ClassVar[bool] = False
    """Whether a JSON document's paths are read once, up front, for the whole condition (see finish)."""
    fuses_ranges: ClassVar[bool] = False
    """Whether all_of tests a range's bounds together (see range_test)."""

    column: exp.Expression
    params: dict[str, Any] = field(default_factory=dict)
    counter: itertools.count[int] = field(default_factory=itertools.count)
    table: Mapping[str, Row] = field(default_factory=dict)
    read_once: dict[str, int] | None = None
    """With reads_once, on the JSON layout: each document path the condition reads, and its slot."""
    number_comparisons: dict[int, tuple[exp.Expression, Atom]] = field(default_factory=dict)
    """Each test ordering a path's numbers, by the id of its expression: all_of may fuse a range of them."""

    # -- plumbing --
    def param(self, value: Any, cast: str | None = None) -> exp.Expression:
        key = f"sk{next(self.counter)}"
        self.params[key] = value
        p: exp.Expression = exp.Placeholder(this=key)
        if cast is not None:
            p = exp.Cast(this=p, to=data_type(cast, dialect=self.name))
        return p

    def alias(self) -> str:
        return f"e{next(self.counter)}"

    def true(self) -> exp.Expression:
        return _true()

    def any_of(self, parts: list[exp.Expression]) -> exp.Expression:
        return any_of(parts)

    def none_of(self, parts: list[exp.Expression]) -> exp.Expression:
        return negation(any_of(parts))

    def all_of(self, parts: list[exp.Expression]) -> exp.Expression:
        return all_of(self._ranges_fused(parts) if self.fuses_ranges else parts)

    def _ranges_fused(self, parts: list[exp.Expression]) -> list[exp.Expression]:
        """``parts`` with each range (a lower and an upper bound on one path's numbers) as one range_test.

        Each bound reads the path again, through every fan-out branch, which is most of a range's cost,
        while the value is usually one number, read directly: where it is, comparing it is the whole
        answer. The group takes the place of its first bound (an AND's order is the engine's to choose).
        """
        groups: dict[tuple[str, ...], list[tuple[exp.Expression, Atom]]] = {}
        order: list[exp.Expression | tuple[str, ...]] = []
        for p in parts:
            got = self.number_comparisons.get(id(p))
            if got is None or got[0] is not p:
                order.append(p)
                continue
            segments = got[1].segments
            if segments not in groups:
                groups[segments] = []
                order.append(segments)
            groups[segments].append(got)
        ranges = {
            s for s, g in groups.items() if {FILTER_OPERATORS[a.operator].bound for _, a in g} == {"lower", "upper"}
        }
        if not ranges:
            return parts
        out: list[exp.Expression] = []
        for item in order:
            if not isinstance(item, tuple):
                out.append(item)
            elif item not in ranges:
                out.extend(q for q, _ in groups[item])
            else:
                group = groups[item]
                out.append(self.range_test(item, [a for _, a in group], all_of([q for q, _ in group])))
        return out

    def range_test(self, segments: tuple[str, ...], bounds: list[Atom], general: exp.Expression) -> exp.Expression:
        """The AND of ``bounds`` (``general``, their own tests AND-ed), cheaper where the value is one number."""
        return general

    def path_problem(self, segments: tuple[str, ...]) -> str | None:
        from schemakit._contract.paths import is_index

        if len(segments) > MAX_SEGMENTS:
            return f"a path of more than {MAX_SEGMENTS} segments"
        for s in segments:
            if is_index(s):
                return f"the list index {s!r} (an index reads differently from a key in the engine's JSON paths)"
            if "\x00" in s:
                return "a NUL character in a key"
            problem = self.key_problem(s)
            if problem is not None:
                return problem
        return None

    def key_problem(self, key: str) -> str | None:
        """Why the engine's JSON path cannot spell ``key``, or None."""
        if '"' in key or "\\" in key:
            return f"the key {key!r} holds a quote or backslash, which the engine's JSON path cannot spell"
        return None

    def value_problem(self, value: Any) -> str | None:
        """Why the engine cannot hold ``value`` as a parameter, or None."""
        bound = self.exact_int_bound
        stack = [value]
        while stack:
            v = stack.pop()
            if isinstance(v, str) and "\x00" in v:
                return "a NUL character in a value"
            if isinstance(v, int) and not isinstance(v, bool) and bound is not None and not -bound <= v < bound:
                return f"the integer {v} is beyond what the engine compares exactly"
            if isinstance(v, (list, tuple)):
                stack.extend(v)
            if isinstance(v, dict):
                stack.extend(v.values())
        return None

    # -- reading JSON --
    # A handle is a static path from the document (one engine call reads it, however deep), or an
    # array element the query is iterating (SQLite: its ``fullkey``; DuckDB and PostgreSQL: the value).
    def doc(self) -> Handle:
        return Handle(self.column, "$")

    def child(self, h: Handle, key: str) -> Handle:
        step = '."' + key + '"'
        if isinstance(h.path, str):
            return Handle(h.root, h.path + step)
        return self.element_child(h, step)

    @abstractmethod
    def element_child(self, h: Handle, step: str) -> Handle:
        """The member ``step`` (a JSON path step) of an array element the query is iterating."""

    def _path(self, h: Handle) -> exp.Expression:
        assert isinstance(h.path, (str, exp.Expression))
        return self.param(h.path) if isinstance(h.path, str) else h.path

    def node(self, h: Handle) -> exp.Expression:
        """The JSON value itself (PostgreSQL and DuckDB)."""
        return fn("json_extract", h.root, self._path(h)) if h.path is not None else h.root

    def type_name(self, h: Handle) -> exp.Expression:
        if h.path is None:
            return fn("json_type", h.root)
        return fn("json_type", h.root, self._path(h))

    def is_kind(self, h: Handle, kind: Kind) -> exp.Expression:
        names = self.kinds[kind]
        t = self.type_name(h)
        test: exp.Expression
        if len(names) == 1:
            test = exp.EQ(this=t, expression=exp.Literal.string(names[0]))
        else:
            test = exp.In(this=t, expressions=[exp.Literal.string(n) for n in names])
        return truth(test)

    def present(self, h: Handle) -> exp.Expression:
        """Whether the value exists (a JSON null exists)."""
        return exp.Not(this=exp.Is(this=self.type_name(h), expression=exp.Null()))

    def _guarded(self, h: Handle, kind: Kind, value: exp.Expression) -> exp.Expression:
        return exp.Case(ifs=[exp.If(this=self.is_kind(h, kind), true=value)])

    @abstractmethod
    def _scalar(self, h: Handle) -> exp.Expression:
        """The scalar as the engine's text (PostgreSQL, DuckDB) or SQL value (SQLite), unguarded."""

    def text(self, h: Handle) -> exp.Expression:
        """The string value (NULL when it is no string)."""
        return self._guarded(h, "string", self._scalar(h))

    def text_equals(self, h: Handle, s: str) -> exp.Expression:
        """Whether the value is the string ``s``."""
        return truth(exp.EQ(this=self.text(h), expression=self.string_param(s)))

    def number(self, h: Handle) -> exp.Expression:
        return self._guarded(h, "number", self._scalar(h))

    def number_param(self, value: int | float) -> exp.Expression:
        return self.param(value)

    def boolean(self, h: Handle) -> exp.Expression:
        """1 for true, 0 for false, NULL for anything else (so booleans order as Python's do)."""
        raw = self._scalar(h)
        return self._guarded(
            h,
            "boolean",
            exp.Case(
                ifs=[exp.If(this=exp.EQ(this=raw, expression=exp.Literal.string("true")), true=exp.Literal.number(1))],
                default=exp.Literal.number(0),
            ),
        )

    def elements(self, h: Handle, body: Pred) -> exp.Expression:
        """Whether some element of the array ``h`` satisfies ``body`` (false when ``h`` is no array).

        The element scan sits behind a CASE on the value's type, so a row whose value is no array
        never runs it: most values are scalars, and a scan per row would dominate the query.
        """
        scan = self._scan(h, self.alias(), body)
        return exp.Case(ifs=[exp.If(this=self.is_kind(h, "array"), true=scan)], default=exp.false())

    @abstractmethod
    def _scan(self, h: Handle, a: str, body: Pred) -> exp.Expression:
        """Whether some element of ``h`` (known to be an array) satisfies ``body``, the scan aliased ``a``."""

    # -- strings --
    def casefold(self, t: exp.Expression) -> exp.Expression | None:
        """The engine's exact ``str.casefold`` of ``t``, where it has one (SQLite, through register_sqlite)."""
        return None

    def is_ascii(self, t: exp.Expression) -> exp.Expression:
        return exp.EQ(this=fn("octet_length", t), expression=fn("length", t))

    def string_param(self, s: str) -> exp.Expression:
        return self.param(s)

    def ordered_text(self, t: exp.Expression) -> exp.Expression:
        """``t`` compared by code point, as Python compares strings."""
        return t

    def has_substring(self, t: exp.Expression, needle: exp.Expression) -> exp.Expression:
        return exp.GT(this=fn(self.substring_function, t, needle), expression=exp.Literal.number(0))

    def has_prefix(self, t: exp.Expression, needle: str) -> exp.Expression:
        return fn("starts_with", t, self.string_param(needle))

    @abstractmethod
    def has_suffix(self, t: exp.Expression, needle: str) -> exp.Expression: ...

    def regex(self, t: exp.Expression, pattern: str, fold: bool) -> exp.Expression | None:
        """An exact RE2 search, where the engine runs RE2 (DuckDB natively, SQLite through register_sqlite)."""
        return None

    def finish(self, where: exp.Expression) -> exp.Expression:
        """The plan's condition as the engine receives it (DuckDB reads the document's values once first)."""
        return where

    def path_test(
        self, segments: tuple[str, ...], test: str, value: Any = None, *, leaf: bool = True
    ) -> exp.Expression | None:
        """The whole condition as one engine path query, where the engine has one that reads as schemakit does.

        ``test`` is a JSON path predicate on ``@``: each candidate (``leaf``), or each object holding the
        last key (``leaf=False``), with ``$v`` bound to ``value``. None: build it from the reading steps.
        """
        return None

    # -- reading a path the way paths.read does --
    def found(self, segments: tuple[str, ...], pred: Pred, *, presence: bool = False) -> exp.Expression:
        """Whether some value found at ``segments`` (fan-out included) satisfies ``pred``.

        ``presence`` adds the test that the value exists, for a ``pred`` that a missing value could
        pass; every type test already fails on a missing value, so the others need none. No step
        tests that its parent is an object: a key (never a digit run, see ``path_problem``) read from
        anything else reads nothing in every dialect.
        """
        return self._steps(self.doc(), segments, pred, presence, top=True)

    def _steps(
        self, h: Handle, segments: tuple[str, ...], pred: Pred, presence: bool, top: bool = False
    ) -> exp.Expression:
        if not segments:
            return pred(h)
        if top:
            return self._into(h, segments, pred, presence)
        return any_of([self._into(h, segments, pred, presence), self._fanned(h, segments, pred, presence)])

    def _into(self, node: Handle, segments: tuple[str, ...], pred: Pred, presence: bool) -> exp.Expression:
        """The rest of the reading from the value at ``node``'s first key."""
        c = self.child(node, segments[0])
        rest = segments[1:]
        if rest or not presence:
            return self._steps(c, rest, pred, presence)
        return all_of([self.present(c), pred(c)])

    def _fanned(self, h: Handle, segments: tuple[str, ...], pred: Pred, presence: bool) -> exp.Expression:
        """The reading from each element of ``h``, where ``h`` is a list (false where it is not)."""
        return self.elements(h, lambda node: self._into(node, segments, pred, presence))

    def candidates(self, segments: tuple[str, ...], pred: Pred) -> exp.Expression:
        """Whether some candidate (each found value, and the elements of each found list) satisfies ``pred``."""
        return self.found(segments, lambda h: any_of([pred(h), self.elements(h, pred)]))


class PostgresDialect(Dialect):
    """PostgreSQL's jsonb: a path is the tuple of its keys, bound as text; numbers compare as NUMERIC."""

    name = "postgres"
    kinds: ClassVar[Mapping[Kind, tuple[str, ...]]] = {
        "object": ("object",),
        "array": ("array",),
        "string": ("string",),
        "number": ("number",),
        "boolean": ("boolean",),
        "null": ("null",),
    }
    marker = re.compile(r"%\(sk(\d+)\)s")
    paramstyle = "%s"
    exact_int_bound = None
    prefilters = True
    regex_refusal = "the engine's regular expressions are not RE2 (PostgreSQL reads \\b as a backspace)"
    fuses_ranges = True

    def key_problem(self, key: str) -> str | None:
        return None  # keys are bound parameters of jsonb_extract_path, never spelled in a path

    def doc(self) -> Handle:
        return Handle(self.column, ())

    def child(self, h: Handle, key: str) -> Handle:
        assert isinstance(h.path, tuple)
        return Handle(h.root, (*h.path, key))

    def element_child(self, h: Handle, step: str) -> Handle:
        raise AssertionError("a PostgreSQL handle is always a tuple of keys")  # pragma: no cover

    def _keys(self, h: Handle) -> list[exp.Expression]:
        assert isinstance(h.path, tuple)
        return [self.param(k, "TEXT") for k in h.path]

    def node(self, h: Handle) -> exp.Expression:
        return fn("jsonb_extract_path", h.root, *self._keys(h)) if h.path else h.root

    def type_name(self, h: Handle) -> exp.Expression:
        return fn("jsonb_typeof", self.node(h))

    def present(self, h: Handle) -> exp.Expression:
        return exp.Not(this=exp.Is(this=self.node(h), expression=exp.Null()))

    def _scalar(self, h: Handle) -> exp.Expression:
        if h.path:
            return fn("jsonb_extract_path_text", h.root, *self._keys(h))
        return fn("jsonb_extract_path_text", fn("jsonb_build_array", h.root), exp.Literal.string("0"))

    def number(self, h: Handle) -> exp.Expression:
        return exp.Cast(this=super().number(h), to=data_type("NUMERIC", dialect="postgres"))

    def number_param(self, value: int | float) -> exp.Expression:
        return self.param(repr(value) if isinstance(value, float) else str(value), "NUMERIC")

    def _scan(self, h: Handle, a: str, body: Pred) -> exp.Expression:
        src = exp.Table(
            this=fn("jsonb_array_elements", self.node(h)),
            alias=exp.TableAlias(this=exp.to_identifier(a), columns=[exp.to_identifier("v")]),
        )
        return exp.Exists(
            this=sqlglot.select(exp.Literal.number(1))
            .from_(src, copy=False)
            .where(body(Handle(exp.column("v", table=a), ())), copy=False)
        )

    def string_param(self, s: str) -> exp.Expression:
        return self.param(s, "TEXT")

    def ordered_text(self, t: exp.Expression) -> exp.Expression:
        return exp.Collate(this=t, expression=exp.Identifier(this="C", quoted=True))

    def has_suffix(self, t: exp.Expression, needle: str) -> exp.Expression:
        return exp.EQ(this=fn("right", t, exp.Literal.number(len(needle))), expression=self.string_param(needle))

    def path_test(
        self, segments: tuple[str, ...], test: str, value: Any = None, *, leaf: bool = True
    ) -> exp.Expression | None:
        # Lax mode reads as paths.read does: a key step on a list reads each element's key, one level
        # deep, and a filter on a list tests its elements. Two lax habits go further, and the test guards
        # them: a comparison would unwrap a list candidate once more (so ``@.type()``, which never
        # unwraps, comes first), and a key step on a top-level list would read into it (so the document
        # must be an object). One engine call instead of a CASE ladder per fan-out branch: twice as fast.
        if len(segments) > _PREFILTER_SEGMENTS or not segments:
            return None
        steps = segments if leaf else segments[:-1]
        path = "lax $" + "".join("." + json.dumps(s) for s in steps) + f" ? ({test})"
        found = fn(
            "jsonb_path_exists",
            self.column,
            exp.Cast(this=self.param(path), to=data_type("jsonpath", "postgres", udt=True)),
            exp.Cast(this=self.param(json.dumps({"v": value})), to=data_type("JSONB", dialect="postgres")),
            exp.true(),  # silent, as the @? operator is
        )
        is_object = exp.EQ(this=fn("jsonb_typeof", self.column), expression=exp.Literal.string("object"))
        return all_of([truth(is_object), truth(found)])

    def range_test(self, segments: tuple[str, ...], bounds: list[Atom], general: exp.Expression) -> exp.Expression:
        # The value is read with jsonb_object_field at every step, which finds a value only where every
        # step met an object. jsonb orders null, the empty list, strings, numbers, booleans, lists and
        # objects in that order (and numbers as NUMERIC). So where the upper bounds hold, the value is a
        # number below them or lies on the far side of every lower bound (a string, null, []), and the
        # lower bounds answer; where they fail, a number or a boolean answers false, and only a list or
        # an object (at least [null]), or a path that reads nothing there (a list on the way, no such
        # key), needs the general test. Two reads of the value per row, whatever the data.
        def value() -> exp.Expression:
            node = self.column
            for key in segments:
                node = fn("jsonb_object_field", node, self.param(key, "TEXT"))
            return node

        def jsonb(v: Any) -> exp.Expression:
            return exp.Cast(this=self.param(json.dumps(v)), to=data_type("JSONB", dialect="postgres"))

        def holds(a: Atom) -> exp.Expression:
            return _COMPARE[a.operator](this=value(), expression=jsonb(a.value))

        below = all_of([holds(a) for a in bounds if FILTER_OPERATORS[a.operator].bound == "upper"])
        above = all_of([holds(a) for a in bounds if FILTER_OPERATORS[a.operator].bound == "lower"])
        scalar = exp.LT(this=value(), expression=jsonb([None]))
        return exp.Case(ifs=[exp.If(this=below, true=above), exp.If(this=scalar, true=_false())], default=general)


_DOC_VALUES = "schemakit_values"  # the lambda parameter holding the document's values: no column's name
_WHOLE = exp.Literal.string("$")


class DuckDBDialect(Dialect):
    """DuckDB's JSON: array elements are JSON values of a lambda; numbers compare as DOUBLE, RE2 is native."""

    name = "duckdb"
    kinds: ClassVar[Mapping[Kind, tuple[str, ...]]] = {
        "object": ("OBJECT",),
        "array": ("ARRAY",),
        "string": ("VARCHAR",),
        "number": ("BIGINT", "UBIGINT", "DOUBLE", "HUGEINT"),
        "boolean": ("BOOLEAN",),
        "null": ("NULL",),
    }
    marker = re.compile(r"\$sk(\d+)")
    paramstyle = "?"
    exact_int_bound = 2**53  # compared as DOUBLE

    reads_once = True
    fuses_ranges = True

    def _from_document(self, h: Handle) -> bool:
        """Whether ``h`` is a document path that the condition reads once (a copy of the column is not)."""
        return self.read_once is not None and h.root is self.column and isinstance(h.path, str)

    def _read(self, h: Handle) -> Handle:
        # Every DuckDB JSON function parses the whole document again, and a condition reads each path
        # several times (its type, its value, the fan-out branches): one json_extract of every path the
        # condition reads parses it once, and the tests then read small values. Three times faster.
        if not self._from_document(h):
            return h
        assert self.read_once is not None and isinstance(h.path, str)
        # sqlglot numbers list elements from 0 and writes DuckDB's 1-based index
        slot = self.read_once.setdefault(h.path, len(self.read_once))
        return Handle(exp.Bracket(this=exp.column(_DOC_VALUES), expressions=[exp.Literal.number(slot)]), _WHOLE)

    def node(self, h: Handle) -> exp.Expression:
        read = self._read(h)
        return read.root if read.path is _WHOLE else super().node(read)

    def text_equals(self, h: Handle, s: str) -> exp.Expression:
        read = self._read(h)
        if read.path is not None and read.path is not _WHOLE:
            return super().text_equals(h, s)
        # DuckDB writes every JSON value it extracts anew, and a string always the same way (its
        # to_json's way): comparing that text is one string comparison, where a type test and an
        # extraction would parse the value twice
        spelled = fn("to_json", exp.Cast(this=self.param(s), to=data_type("VARCHAR")))
        return truth(
            exp.EQ(
                this=exp.Cast(this=read.root, to=data_type("VARCHAR")),
                expression=exp.Cast(this=spelled, to=data_type("VARCHAR")),
            )
        )

    def _fanned(self, h: Handle, segments: tuple[str, ...], pred: Pred, presence: bool) -> exp.Expression:
        if not self._from_document(h):
            return super()._fanned(h, segments, pred, presence)
        # A document path through a list reads nothing, so h can be a list to fan out through only
        # where h's key reads nothing: the fan-out is tested on those rows alone, and h is read there,
        # from the document (through a copy of the column, which _read leaves alone), never up front.
        lazily = Handle(self.column.copy(), h.path)
        key_read = self._read(self.child(h, segments[0])).root
        return exp.Case(
            ifs=[
                exp.If(
                    this=exp.Is(this=key_read, expression=exp.Null()),
                    true=super()._fanned(lazily, segments, pred, presence),
                )
            ],
            default=exp.false(),
        )

    def type_name(self, h: Handle) -> exp.Expression:
        return super().type_name(self._read(h))

    def finish(self, where: exp.Expression) -> exp.Expression:
        if not self.read_once:
            return where
        paths = exp.Array(expressions=[self.param(p) for p in self.read_once])
        values = exp.Array(expressions=[fn("json_extract", self.column, paths)])
        body = exp.Lambda(this=where, expressions=[exp.to_identifier(_DOC_VALUES)])
        read = exp.Bracket(this=fn("list_transform", values, body), expressions=[exp.Literal.number(0)])
        return truth(read)

    def element_child(self, h: Handle, step: str) -> Handle:
        return Handle(h.root, "$" + step)

    def is_kind(self, h: Handle, kind: Kind) -> exp.Expression:
        if kind == "null" and h.path is None:
            # DuckDB's JSON[] reads a null element as SQL NULL
            t = self.type_name(h)
            return truth(
                any_of(
                    [exp.Is(this=h.root, expression=exp.Null()), exp.EQ(this=t, expression=exp.Literal.string("NULL"))]
                )
            )
        return super().is_kind(h, kind)

    def present(self, h: Handle) -> exp.Expression:
        if h.path is None:
            return exp.Not(this=exp.Is(this=h.root, expression=exp.Null()))
        return super().present(h)

    def _scalar(self, h: Handle) -> exp.Expression:
        h = self._read(h)
        path = self._path(h) if h.path is not None else exp.Literal.string("$")
        return fn("json_extract_string", h.root, path)

    def number(self, h: Handle) -> exp.Expression:
        read = self._read(h)
        if read.path is None or read.path is _WHOLE:
            # a JSON value's own text casts to DOUBLE exactly where it is a number (DuckDB's json_type
            # says BIGINT, UBIGINT, HUGEINT or DOUBLE): one cast instead of a type test and an extraction
            return exp.TryCast(this=exp.Cast(this=read.root, to=data_type("VARCHAR")), to=data_type("DOUBLE"))
        return exp.Cast(this=super().number(h), to=data_type("DOUBLE"))

    def number_param(self, value: int | float) -> exp.Expression:
        return self.param(float(value), "DOUBLE")

    def range_test(self, segments: tuple[str, ...], bounds: list[Atom], general: exp.Expression) -> exp.Expression:
        h = self.doc()
        for key in segments:
            h = self.child(h, key)
        if not self._from_document(h):
            return general
        # a document path through a list reads nothing, so a number read there is the one candidate
        is_number = exp.Not(this=exp.Is(this=self.number(h), expression=exp.Null()))
        within = all_of(
            [_COMPARE[a.operator](this=self.number(h), expression=self.number_param(a.value)) for a in bounds]
        )
        return exp.Case(ifs=[exp.If(this=is_number, true=within)], default=general)

    def _scan(self, h: Handle, a: str, body: Pred) -> exp.Expression:
        # a lambda over the list, not a correlated subquery: DuckDB runs it vectorized
        items = exp.Cast(this=self.node(h), to=data_type("JSON[]", dialect="duckdb"))
        test = exp.Lambda(this=body(Handle(exp.column(a))), expressions=[exp.to_identifier(a)])
        return truth(fn("list_bool_or", fn("list_transform", items, test)))

    def is_ascii(self, t: exp.Expression) -> exp.Expression:
        return exp.EQ(this=fn("strlen", t), expression=fn("length", t))

    def has_suffix(self, t: exp.Expression, needle: str) -> exp.Expression:
        return fn("ends_with", t, self.param(needle))

    def regex(self, t: exp.Expression, pattern: str, fold: bool) -> exp.Expression | None:
        args = [t, self.param(pattern)]
        if fold:
            args.append(exp.Literal.string("i"))
        return fn("regexp_matches", *args)


class SQLiteDialect(Dialect):
    """SQLite's JSON1: an array element is its ``fullkey`` path; casefold and RE2 come from register_sqlite."""

    name = "sqlite"
    kinds: ClassVar[Mapping[Kind, tuple[str, ...]]] = {
        "object": ("object",),
        "array": ("array",),
        "string": ("text",),
        "number": ("integer", "real"),
        "boolean": ("true", "false"),
        "null": ("null",),
    }
    marker = re.compile(r":sk(\d+)")
    paramstyle = "?"
    substring_function = "instr"

    def key_problem(self, key: str) -> str | None:
        if not (key.isascii() and key.isprintable()):
            # SQLite before 3.45 compares keys as written: json.dumps spells "é" as "\\u00e9"
            return (
                f"the key {key!r} may be stored escaped (non-ASCII or control characters), "
                "which SQLite's JSON path does not match"
            )
        return super().key_problem(key)

    def element_child(self, h: Handle, step: str) -> Handle:
        assert h.path is not None
        return Handle(h.root, exp.DPipe(this=h.path, expression=self.param(step)))

    def _scalar(self, h: Handle) -> exp.Expression:
        return fn("json_extract", h.root, self._path(h))

    def boolean(self, h: Handle) -> exp.Expression:
        t = self.type_name(h)
        return exp.Case(
            ifs=[
                exp.If(this=exp.EQ(this=t, expression=exp.Literal.string("true")), true=exp.Literal.number(1)),
                exp.If(this=exp.EQ(this=t, expression=exp.Literal.string("false")), true=exp.Literal.number(0)),
            ]
        )

    def _scan(self, h: Handle, a: str, body: Pred) -> exp.Expression:
        src = exp.Table(this=fn("json_each", h.root, self._path(h)), alias=exp.TableAlias(this=exp.to_identifier(a)))
        inner = Handle(h.root, exp.column("fullkey", table=a))
        return exp.Exists(
            this=sqlglot.select(exp.Literal.number(1)).from_(src, copy=False).where(body(inner), copy=False)
        )

    def casefold(self, t: exp.Expression) -> exp.Expression | None:
        return fn("sk_casefold", t)

    def has_prefix(self, t: exp.Expression, needle: str) -> exp.Expression:
        return exp.EQ(
            this=fn("substr", t, exp.Literal.number(1), exp.Literal.number(len(needle))),
            expression=self.param(needle),
        )

    def has_suffix(self, t: exp.Expression, needle: str) -> exp.Expression:
        return exp.EQ(this=fn("substr", t, exp.Literal.number(-len(needle))), expression=self.param(needle))

    def regex(self, t: exp.Expression, pattern: str, fold: bool) -> exp.Expression | None:
        return fn("sk_iregexp" if fold else "regexp", self.param(pattern), t)


DIALECT_CLASSES: Mapping[DialectName, type[Dialect]] = {
    "postgres": PostgresDialect,
    "duckdb": DuckDBDialect,
    "sqlite": SQLiteDialect,
}
"""The engine each ``dialect=`` name plans for."""
DIALECTS: tuple[DialectName, ...] = tuple(DIALECT_CLASSES)


# -- what a candidate equals --------------------------------------------------------------------------


def _jsonpath_kind(value: Any, fold: bool) -> str | None:
    """The JSON path type of a value that a path query compares as schemakit does, or None.

    Numbers compare as NUMERIC, as the CASE ladder casts them; strings by their UTF-8 bytes, which is
    code point order, as Python compares them. Not dates (instants in any spelling), not folded text.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str) and not fold and semantics.instant(value) is None:
        return "string"
    return None


_JSONPATH_OPERATORS = {"eq": "==", "gt": ">", "lt": "<", "gte": ">=", "lte": "<="}


def _compared(d: Dialect, a: Atom) -> exp.Expression | None:
    """``eq``, ``gt``, ``gte``, ``lt`` or ``lte`` as one path query, where the dialect has an exact one."""
    kind = _jsonpath_kind(a.value, a.fold)
    if kind is None:
        return None
    return d.path_test(a.segments, f'@.type() == "{kind}" && @ {_JSONPATH_OPERATORS[a.operator]} $v', a.value)


def _literal_pattern(needle: str) -> str:
    # in PostgreSQL's regular expressions a backslash before a non-alphanumeric character is that character
    return "".join(c if c.isalnum() else "\\" + c for c in needle)


def _equals(d: Dialect, value: Any, fold: bool) -> tuple[Pred, bool, str] | str:
    """``(per-candidate test, exact, why not)`` of ``json_eq(candidate, value)``, or why it cannot be pushed."""
    if value is None:
        return (lambda h: d.is_kind(h, "null")), True, ""
    if isinstance(value, bool):
        n = 1 if value else 0
        return (lambda h: truth(exp.EQ(this=d.boolean(h), expression=exp.Literal.number(n)))), True, ""
    if isinstance(value, (int, float)):
        return (lambda h: truth(exp.EQ(this=d.number(h), expression=d.number_param(value)))), True, ""
    if isinstance(value, str):
        if semantics.instant(value) is not None:
            return (lambda h: d.is_kind(h, "string")), False, "a date compares as an instant in any spelling"
        if not fold:
            return (lambda h: d.text_equals(h, value)), True, ""
        folded = value.casefold()

        def engine_fold(h: Handle) -> exp.Expression:
            cf = d.casefold(d.text(h))
            assert cf is not None
            return truth(exp.EQ(this=cf, expression=d.param(folded)))

        if d.casefold(exp.null()) is not None:
            return engine_fold, True, ""
        return _ascii_superset(d, lambda t: exp.EQ(this=exp.Lower(this=t), expression=d.string_param(folded)), folded)
    return "a list or object operand compares element by element"


def _ascii_superset(
    d: Dialect, test: Callable[[exp.Expression], exp.Expression], folded: str
) -> tuple[Pred, bool, str]:
    """A case-insensitive test as a superset: exact on ASCII strings (where lower() is casefold()), true on the rest."""

    def pred(h: Handle) -> exp.Expression:
        t = d.text(h)
        ascii_part = truth(all_of([d.is_ascii(t), test(t)])) if folded.isascii() else _false()
        return any_of([ascii_part, truth(negation(d.is_ascii(t)))])

    return pred, False, "no engine function folds case as str.casefold() does (Straße is strasse)"


# -- PostgreSQL prefilters ----------------------------------------------------------------------------
#
# A prefilter is a superset of a condition, cheap to test and, for containment, answered by a GIN index
# (jsonb_path_ops): it is AND-ed in front of the exact expression, so the answer stays exact and most
# rows never reach the longer test. PostgreSQL evaluates an AND left to right.

_PREFILTER_SEGMENTS = 3


def _containments(segments: tuple[str, ...], value: Any) -> list[Any]:
    """Every document that ``doc @>`` tests for ``segments = value``: object or [object] at each inner step,
    value or [value] at the last (containment finds a value in an array only at the top level)."""
    head, rest = segments[0], segments[1:]
    inner = [value, [value]] if not rest else _containments(rest, value)
    return [{head: i} for i in inner] + [{head: [i]} for i in inner]


def _plain_scalar(value: Any, fold: bool) -> bool:
    if value is None or isinstance(value, (bool, int, float)):
        return True
    return isinstance(value, str) and not fold and semantics.instant(value) is None


def _contained(d: Dialect, segments: tuple[str, ...], values: list[Any], fold: bool) -> exp.Expression | None:
    """``doc @> ...`` OR-ed over every spelling of ``segments = v`` for each of ``values``, or None."""
    if not d.prefilters or len(segments) > _PREFILTER_SEGMENTS or not values:
        return None
    if not all(_plain_scalar(v, fold) for v in values):
        return None
    jsonb = data_type("JSONB", dialect="postgres")
    # a list's one-element spelling arises twice (as the value, and as the key's list of one object)
    docs = dict.fromkeys(json.dumps(doc) for v in values for doc in _containments(segments, v))
    return any_of(
        [exp.ArrayContainsAll(this=d.column, expression=exp.Cast(this=d.param(doc), to=jsonb.copy())) for doc in docs]
    )


def _prefix_exists(d: Dialect, segments: tuple[str, ...], prefix: str) -> exp.Expression | None:
    """``jsonb_path_exists`` in lax mode: it steps through objects and arrays and unwraps at least as far
    as schemakit reads, so a string starting with ``prefix`` there is a superset of the condition."""
    if not d.prefilters or len(segments) > _PREFILTER_SEGMENTS:
        return None
    path = "lax $" + "".join("." + json.dumps(s) for s in segments) + " ? (@ starts with $v)"
    return fn(
        "jsonb_path_exists",
        d.column,
        exp.Cast(this=d.param(path), to=data_type("jsonpath", "postgres", udt=True)),
        exp.Cast(this=d.param(json.dumps({"v": prefix})), to=data_type("JSONB", dialect="postgres")),
    )


def _prefiltered(pre: exp.Expression | None, expr: exp.Expression) -> exp.Expression:
    return expr if pre is None else all_of([pre, expr])


def _row_eq(d: Dialect, a: Atom) -> Pushed[exp.Expression] | Refused:
    got = _equals(d, a.value, a.fold)
    if isinstance(got, str):
        return Refused(got)
    pred, exact, why = got
    pre = _contained(d, a.segments, [a.value], a.fold)
    query = _compared(d, a)
    if query is not None:
        return Pushed(_prefiltered(pre, query))
    return Pushed(_prefiltered(pre, d.candidates(a.segments, pred)), exact, why)


def _row_in(d: Dialect, a: Atom) -> Pushed[exp.Expression] | Refused:
    tests = []
    whys = []
    for option in a.value:
        got = _equals(d, option, a.fold)
        if isinstance(got, str):
            return Refused(got)
        tests.append(got[0])
        if not got[1]:
            whys.append(got[2])
    pre = _contained(d, a.segments, list(a.value), a.fold)
    found = d.candidates(a.segments, lambda h: any_of([t(h) for t in tests]))
    return Pushed(_prefiltered(pre, found), not whys, "; ".join(dict.fromkeys(whys)))


_COMPARE: dict[str, type[exp.Expression]] = {"gt": exp.GT, "lt": exp.LT, "gte": exp.GTE, "lte": exp.LTE}


def _row_ordering(d: Dialect, a: Atom) -> Pushed[exp.Expression] | Refused:
    op = _COMPARE[a.operator]
    v = a.value
    if isinstance(v, bool):
        n = 1 if v else 0
        return Pushed(
            d.candidates(a.segments, lambda h: truth(op(this=d.boolean(h), expression=exp.Literal.number(n))))
        )
    query = _compared(d, a)
    if query is None and isinstance(v, (int, float)):
        query = d.candidates(a.segments, lambda h: truth(op(this=d.number(h), expression=d.number_param(v))))
    if query is not None:
        if isinstance(v, (int, float)):
            d.number_comparisons[id(query)] = (query, a)
        return Pushed(query)
    if isinstance(v, str):
        if semantics.instant(v) is not None:
            return Pushed(
                d.candidates(a.segments, lambda h: d.is_kind(h, "string")),
                False,
                "a date orders as an instant against dates, by code point against other strings",
            )
        return Pushed(
            d.candidates(a.segments, lambda h: truth(op(this=d.ordered_text(d.text(h)), expression=d.string_param(v))))
        )
    return Refused("no ordering of this operand")


def _row_contains(d: Dialect, a: Atom) -> Pushed[exp.Expression] | Refused:
    needle = a.value
    member = _equals(d, needle, a.fold)
    if isinstance(member, str):
        return Refused(member)
    elem_pred, exact, why = member
    sub: Callable[[Handle], exp.Expression] | None = None
    if isinstance(needle, str):
        if not a.fold:
            sub = lambda h: truth(d.has_substring(d.text(h), d.string_param(needle)))  # noqa: E731
        else:
            folded = needle.casefold()
            cf = d.casefold(exp.null())
            if cf is not None:
                sub = lambda h: truth(d.has_substring(d.casefold(d.text(h)) or exp.null(), d.param(folded)))  # noqa: E731
            else:
                pred, _, w = _ascii_superset(
                    d, lambda t: d.has_substring(exp.Lower(this=t), d.string_param(folded)), folded
                )
                sub = pred
                exact, why = False, w

    def test(h: Handle) -> exp.Expression:
        parts = [d.elements(h, elem_pred)]
        if sub is not None:
            parts.insert(0, sub(h))
        return any_of(parts)

    if isinstance(needle, str) and not a.fold:
        # tested on the object holding the key, so that a list value is not unwrapped into substring
        # tests: a string holding the needle (a literal pattern), or a list with the needle as an element
        k = "@." + json.dumps(a.segments[-1])
        pattern = json.dumps(_literal_pattern(needle))
        member = (
            f'@.type() == "object" && (({k}.type() == "string" && {k} like_regex {pattern})'
            f' || ({k}.type() == "array" && {k} == $v))'
        )
        query = d.path_test(a.segments, member, needle, leaf=False)
        if query is not None:
            return Pushed(query)
    return Pushed(d.found(a.segments, test), exact, why)


def _affix(kind: Literal["prefix", "suffix"]) -> Row:
    def row(d: Dialect, a: Atom) -> Pushed[exp.Expression] | Refused:
        needle: str = a.value
        if needle == "":
            return Pushed(d.candidates(a.segments, lambda h: d.is_kind(h, "string")))
        check = d.has_prefix if kind == "prefix" else d.has_suffix
        if not a.fold:
            found = d.candidates(a.segments, lambda h: truth(check(d.text(h), needle)))
            pre = _prefix_exists(d, a.segments, needle) if kind == "prefix" else None
            return Pushed(_prefiltered(pre, found))
        folded = needle.casefold()
        if d.casefold(exp.null()) is not None:
            return Pushed(d.candidates(a.segments, lambda h: truth(check(d.casefold(d.text(h)) or exp.null(), folded))))
        pred, _, why = _ascii_superset(d, lambda t: check(exp.Lower(this=t), folded), folded)
        return Pushed(d.candidates(a.segments, pred), False, why)

    return row


def _row_regex(d: Dialect, a: Atom) -> Pushed[exp.Expression] | Refused:
    if d.regex_refusal is not None:
        return Pushed(d.candidates(a.segments, lambda h: d.is_kind(h, "string")), False, d.regex_refusal)
    return Pushed(d.candidates(a.segments, lambda h: truth(d.regex(d.text(h), a.value, a.fold) or exp.null())))


def _row_text(d: Dialect, a: Atom) -> Pushed[exp.Expression] | Refused:
    return Pushed(
        d.candidates(a.segments, lambda h: d.is_kind(h, "string")),
        False,
        "word search splits on str.isalnum(), which no engine function does",
    )


def _row_exists(d: Dialect, a: Atom) -> Pushed[exp.Expression] | Refused:
    found = d.found(a.segments, lambda h: _true(), presence=True)
    return Pushed(found if a.value else negation(found))


def _row_is_null(d: Dialect, a: Atom) -> Pushed[exp.Expression] | Refused:
    present = d.found(a.segments, lambda h: _true(), presence=True)
    a_null = d.found(a.segments, lambda h: d.is_kind(h, "null"))
    if a.value:
        return Pushed(any_of([negation(present), a_null]))
    return Pushed(all_of([present, negation(a_null)]))


SQL_TABLE: Mapping[str, Row] = {
    "eq": _row_eq,
    "gt": _row_ordering,
    "lt": _row_ordering,
    "gte": _row_ordering,
    "lte": _row_ordering,
    "in": _row_in,
    "contains": _row_contains,
    "starts_with": _affix("prefix"),
    "ends_with": _affix("suffix"),
    "regex": _row_regex,
    "exists": _row_exists,
    "is_null": _row_is_null,
    "text": _row_text,
}
assert not missing_rows(SQL_TABLE), missing_rows(SQL_TABLE)


def _checked_row(row: Row) -> Row:
    def checked(d: Dialect, a: Atom) -> Pushed[exp.Expression] | Refused:
        problem = d.value_problem(a.value)
        if problem is not None:
            return Refused(problem)
        return row(d, a)

    return checked


def _json_layout(cls: type[Dialect], column: exp.Expression, schema: Any) -> Dialect:
    d = cls(column)
    d.table = {name: _checked_row(row) for name, row in SQL_TABLE.items()}
    if cls.reads_once:
        d.read_once = {}
    return d


def _columns_layout(cls: type[Dialect], column: exp.Expression, schema: Any) -> Dialect:
    if cls is not DuckDBDialect or schema is None:
        raise ValueError("layout='columns' is DuckDB's typed columns: it needs dialect='duckdb' and a schema")
    from schemakit.backends._columns import COLUMNS_TABLE, Columns
    from schemakit.backends._polars import _schema_def

    d = Columns(column)
    d.schema = _schema_def(schema)
    d.table = COLUMNS_TABLE
    return d


_LAYOUTS: Mapping[str, Callable[[type[Dialect], exp.Expression, Any], Dialect]] = {
    "json": _json_layout,
    "columns": _columns_layout,
}


def to_sql(
    f: Any,
    *,
    dialect: DialectName,
    column: str = "doc",
    schema: Any = None,
    context: Any = None,
    layout: Literal["json", "columns"] = "json",
) -> Plan:
    """A SQL plan for ``f`` over the JSON document column ``column`` (see ``docs/backends.md``)."""
    if dialect not in DIALECTS:  # a tuple test, so that an unhashable argument is refused the same way
        raise ValueError(f"dialect must be one of {', '.join(DIALECTS)}, found {dialect!r}")
    make = _LAYOUTS.get(layout) if isinstance(layout, str) else None
    if make is None:
        raise ValueError(f"layout must be 'json' or 'columns', found {layout!r}")
    d = make(DIALECT_CLASSES[dialect], exp.column(column, quoted=True), schema)
    where: exp.Expression
    where, residual, issues, parts = build(d, f, context)
    where = d.finish(where)
    sql = where.sql(dialect=d.name, copy=False)  # the tree is ours alone: copying it doubles the cost
    order: list[Any] = []

    def marker(m: re.Match[str]) -> str:
        order.append(d.params[f"sk{m[1]}"])
        return d.paramstyle

    sql = d.marker.sub(marker, sql)
    target = f"sql:{dialect}" + (":columns" if layout == "columns" else "")
    return Plan(target, residual, issues, parts, where=sql, params=tuple(order))
