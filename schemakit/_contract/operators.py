"""The filter operators: one entry each, holding everything any consumer needs to know about it.

The JSON and text front ends, the renderings, ``check_filter``, the compiled
matcher and its closure fallback, dynamic values and the filter strategies
dispatch from :data:`FILTER_OPERATORS`; none keeps a list or a ladder of
operators of its own. Adding an operator is one entry here (plus its grammar
rule in ``grammar/filter.lark``, which ``tests/test_contract_operators.py``
checks against the entry's spellings). A new evaluation backend (SQL, a vector
store, a dataframe) is one table with a row per operator, checked with
:func:`missing_rows`.

An entry holds:

* ``name``: the JSON name (``"starts_with"``);
* ``spellings``: the text-form spellings, canonical first (``=`` then ``==``).
  For a flag operator (one whose operand is true or false) they are the
  renderings of true, then of false (``EXISTS``, ``NOT EXISTS``), and no
  operand follows them in text;
* ``operand``: the :class:`OperandRule` that :func:`operand_problem` applies;
* ``predicate``: the semantic predicate factory ``(value, fold) -> predicate
  over a read path`` (from :mod:`schemakit._contract.semantics`);
* ``fast``: the compiled fast path, a :data:`FastPath` that writes the guarded
  Python expression the compiled matcher inlines;
* ``negation_of``: for ``ne`` and ``nin``, the operator they negate. A
  negation has no predicate and no fast path of its own: :func:`positive`
  is the one place that turns it into its partner plus a negation, for every
  evaluator (:func:`predicate`, :func:`compiled_condition`, and any backend);
* ``check``: the :class:`TypeRule` ``check_filter`` applies against a field's type;
* ``json_synonyms`` / ``text_synonyms``: words users carry over from other
  filter languages, for the did-you-mean of an unknown operator;
* ``strategy``: the :class:`Generation` rule of the filter strategies.
"""

from __future__ import annotations

import operator as _op
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, Protocol

from schemakit._contract import semantics
from schemakit._contract.semantics import Predicate
from schemakit._contract.types import FieldType

PredicateFactory = Callable[[Any, bool], Predicate]
"""``(operand as plain JSON, fold) -> predicate``: ``fold`` is true in a case-insensitive group."""


class Constants(Protocol):
    """What a fast path writes its constants with (the compiled matcher's emitter)."""

    def const(self, prefix: str, value: Any) -> str:
        """A source expression for ``value``: its literal for plain scalars, else a factory argument's name."""
        ...


FastPath = Callable[[Constants, Any, bool, str, str, str], str]
"""``(constants, value, fold, v, get, slow) -> expression``.

``get`` is the walrus that reads the path and binds it to the name ``v``;
``slow`` names the operator's general predicate (a factory argument). The
expression guards a fast test on the exact type of ``get`` and falls back to
``slow(v)`` for everything else; it may use ``M`` (:data:`ABSENT`) and ``NUM``
(the exact number types), which the compiled matcher binds.
"""


# -- operands ---------------------------------------------------------------------------------------


def _describe(value: Any) -> str:
    from schemakit._issues import describe

    return describe(value)


@dataclass(frozen=True, slots=True)
class OperandRule:
    """What an operator accepts as its value (checked when a filter is parsed)."""

    kind: str
    problem: Callable[[str, Any], str | None]
    """``(operator name, frozen JSON literal) -> why it cannot be the operand, or None``."""
    dynamic: bool = True
    """Whether a dynamic value (resolved from the context) may stand in for a literal."""
    takes: str = ""
    """How messages name what it takes, when that is not a dynamic value."""


def _any_value(name: str, value: Any) -> str | None:
    return None


def _orderable_scalar(name: str, value: Any) -> str | None:
    if value is None or not isinstance(value, (bool, int, float, str)):
        return f"'{name}' compares with a number, string, boolean or date, not {_describe(value)}"
    return None


def _list(name: str, value: Any) -> str | None:
    if not isinstance(value, (tuple, list)):
        return f"'{name}' takes a list of values, found {_describe(value)}"
    return None


def _flag(name: str, value: Any) -> str | None:
    if not isinstance(value, bool):
        return f"'{name}' takes true or false, found {_describe(value)}"
    return None


def _string(name: str, value: Any) -> str | None:
    if not isinstance(value, str):
        return f"'{name}' takes a string, found {_describe(value)}"
    return None


def _re2_pattern(name: str, value: Any) -> str | None:
    problem = _string(name, value)
    if problem:
        return problem
    error = semantics.compile_regex(value, case_sensitive=True)[1]
    if error is not None:
        return f"RE2 rejects the pattern {value!r}: {error}"
    return None


def _text_query(name: str, value: Any) -> str | None:
    problem = _string(name, value)
    if problem:
        return problem
    if semantics.text_query(value) == (frozenset(), ()):
        return "a text search needs at least one word (a run of letters or digits)"
    return None


ANY_VALUE = OperandRule("any JSON value", _any_value)
ORDERABLE_SCALAR = OperandRule("a number, string or boolean", _orderable_scalar)
LIST = OperandRule("a list", _list)
FLAG = OperandRule("true or false", _flag, dynamic=False, takes="true or false")
STRING = OperandRule("a string", _string)
RE2_PATTERN = OperandRule("a string RE2 accepts", _re2_pattern)
TEXT_QUERY = OperandRule("a string with at least one word", _text_query)


# -- field types (check_filter) ------------------------------------------------------------------------

Mismatch = tuple[tuple[int, ...], FieldType]
"""A value that can never compare with a field: where in the operand (``()`` or an element index) and the type."""


@dataclass(frozen=True, slots=True)
class TypeRule:
    """Which field types an operator applies to, and which operand values ``check_filter`` checks.

    ``field`` is the field's type; ``scalar`` is the type its values are
    compared as: the items' type for an array with declared items, else the
    field's own. An array without declared items is not checked at all.
    """

    applies: Callable[[FieldType, FieldType], bool]
    hint: str
    """The hint of ``operator_type_mismatch``; ``{op}`` is the operator's name."""
    mismatches: Callable[[FieldType, FieldType, Any], Iterable[Mismatch]]
    """``(field, scalar, frozen literal) -> the values that can never compare`` (``value_type_mismatch``)."""


def _anywhere(field: FieldType, scalar: FieldType) -> bool:
    return True


def _orderable(field: FieldType, scalar: FieldType) -> bool:
    return scalar.orderable


def _textual(field: FieldType, scalar: FieldType) -> bool:
    return scalar.textual


def _strings(field: FieldType, scalar: FieldType) -> bool:
    return scalar.filter_kind == "string"


def _strings_or_arrays(field: FieldType, scalar: FieldType) -> bool:
    return field.filter_kind in ("string", "array")


def _nothing_checked(field: FieldType, scalar: FieldType, value: Any) -> Iterable[Mismatch]:
    return ()


def _scalar_fits(field: FieldType, scalar: FieldType, value: Any) -> Iterable[Mismatch]:
    if value is not None and not scalar.fits_filter_value(value):
        yield (), scalar


def _each_element_fits(field: FieldType, scalar: FieldType, value: Any) -> Iterable[Mismatch]:
    for i, v in enumerate(value):
        if v is not None and not scalar.fits_filter_value(v):
            yield (i,), scalar


def _equal_fits(field: FieldType, scalar: FieldType, value: Any) -> Iterable[Mismatch]:
    # a list compared with an array field compares element by element
    if field.filter_kind == "array" and isinstance(value, tuple):
        return _each_element_fits(field, scalar, value)
    return _scalar_fits(field, scalar, value)


def _contained_fits(field: FieldType, scalar: FieldType, value: Any) -> Iterable[Mismatch]:
    # a substring of a string field must be a string (null included); a member of an array fits its items
    if field.filter_kind == "string":
        return () if field.fits_filter_value(value) else [((), field)]
    return _scalar_fits(field, scalar, value)


EQUALITY_CHECK = TypeRule(_anywhere, "", _equal_fits)
MEMBERSHIP_CHECK = TypeRule(_anywhere, "", _each_element_fits)
ORDERING_CHECK = TypeRule(_orderable, "ordering applies to numbers, strings, dates and datetimes", _scalar_fits)
CONTAINS_CHECK = TypeRule(
    _strings_or_arrays, "'{op}' is substring on strings and membership on arrays", _contained_fits
)
AFFIX_CHECK = TypeRule(_textual, "'{op}' applies to string fields", _nothing_checked)
TEXT_CHECK = TypeRule(_strings, "'{op}' searches string fields", _nothing_checked)
PRESENCE_CHECK = TypeRule(_anywhere, "", _nothing_checked)


# -- strategies -------------------------------------------------------------------------------------------

DrawKind = Literal["value", "ordered", "list", "contained", "affix", "pattern", "search", "flag"]
"""How the filter strategies draw an operand; ``schemakit.strategies`` has one drawer per kind."""


@dataclass(frozen=True, slots=True)
class Generation:
    """Where the filter strategies generate an operator against a typed schema, and how they draw its operand."""

    on: Callable[[FieldType], bool]
    """For a field of this type."""
    on_items: Callable[[FieldType], bool]
    """For an array field whose declared items are of this type (the operator tests its elements)."""
    operand: DrawKind


def _always(t: FieldType) -> bool:
    return True


def _never(t: FieldType) -> bool:
    return False


def _scalar(t: FieldType) -> bool:
    return t.is_scalar


def _ordered(t: FieldType) -> bool:
    return t.orderable


def _string_type(t: FieldType) -> bool:
    return t.filter_kind == "string"


# -- compiled fast paths -----------------------------------------------------------------------------------


def _plain_string(value: Any) -> bool:
    """A string operand that is no date: equal strings are then exactly equal (or casefold-equal)."""
    return isinstance(value, str) and semantics.instant(value) is None


def _fast_equals(em: Constants, value: Any, fold: bool, v: str, get: str, slow: str) -> str:
    if value is None:
        return f"(True if {get} is None else {slow}({v}))"
    if isinstance(value, bool):
        return f"({v} is {em.const('x', value)} if type({get}) is bool else {slow}({v}))"
    if isinstance(value, (int, float)):
        return f"({v} == {em.const('x', value)} if type({get}) in NUM else {slow}({v}))"
    if _plain_string(value):
        if fold:
            return f"({v}.casefold() == {em.const('x', value.casefold())} if type({get}) is str else {slow}({v}))"
        return f"({v} == {em.const('x', value)} if type({get}) is str else {slow}({v}))"
    return f"{slow}({get})"


def _fast_one_of(em: Constants, value: Any, fold: bool, v: str, get: str, slow: str) -> str:
    strings = [x for x in value if isinstance(x, str)]
    numbers = [x for x in value if isinstance(x, (int, float)) and not isinstance(x, bool)]
    if any(semantics.instant(s) is not None for s in strings):
        return f"{slow}({get})"
    sset = em.const("s", frozenset(s.casefold() for s in strings) if fold else frozenset(strings))
    nset = em.const("n", frozenset(numbers))
    probe = f"{v}.casefold()" if fold else v
    return f"({probe} in {sset} if type({get}) is str else ({v} in {nset} if type({v}) in NUM else {slow}({v})))"


def _fast_ordering(symbol: str) -> FastPath:
    def fast(em: Constants, value: Any, fold: bool, v: str, get: str, slow: str) -> str:
        x = em.const("x", value)
        if isinstance(value, bool):
            return f"({v} {symbol} {x} if type({get}) is bool else {slow}({v}))"
        if isinstance(value, (int, float)):
            return f"({v} {symbol} {x} if type({get}) in NUM else {slow}({v}))"
        if _plain_string(value):
            return f"({v} {symbol} {x} if type({get}) is str else {slow}({v}))"
        return f"{slow}({get})"

    return fast


def _fast_contains(em: Constants, value: Any, fold: bool, v: str, get: str, slow: str) -> str:
    if not isinstance(value, str):
        return f"{slow}({get})"
    needle = em.const("x", value.casefold() if fold else value)
    probe = f"{v}.casefold()" if fold else v
    return f"({needle} in {probe} if type({get}) is str else {slow}({v}))"


def _fast_affix(method: str) -> FastPath:
    def fast(em: Constants, value: Any, fold: bool, v: str, get: str, slow: str) -> str:
        if not isinstance(value, str):
            return f"{slow}({get})"
        needle = em.const("x", value.casefold() if fold else value)
        probe = f"{v}.casefold()" if fold else v
        return f"({probe}.{method}({needle}) if type({get}) is str else {slow}({v}))"

    return fast


def _fast_regex(em: Constants, value: Any, fold: bool, v: str, get: str, slow: str) -> str:
    program, _ = semantics.compile_regex(value, case_sensitive=not fold)
    if program is None:
        return f"{slow}({get})"
    search = em.const("f", semantics.regex_searcher(program))
    return f"({search}({v}) if type({get}) is str else {slow}({v}))"


def _fast_text(em: Constants, value: Any, fold: bool, v: str, get: str, slow: str) -> str:
    search = em.const("f", semantics.text_matcher(value))
    return f"({search}({v}) if type({get}) is str else {slow}({v}))"


def _fast_exists(em: Constants, value: Any, fold: bool, v: str, get: str, slow: str) -> str:
    return f"({get} is not M)" if value else f"({get} is M)"


def _fast_is_null(em: Constants, value: Any, fold: bool, v: str, get: str, slow: str) -> str:
    if value:
        return f"(True if {get} is None or {v} is M else {slow}({v}))"
    return f"{slow}({get})"


# -- the entries ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Operator:
    """One filter operator (see the module docstring for what each attribute is for)."""

    name: str
    spellings: tuple[str, ...]
    operand: OperandRule
    check: TypeRule
    strategy: Generation
    predicate: PredicateFactory | None = None
    fast: FastPath | None = None
    negation_of: str | None = None
    json_synonyms: tuple[str, ...] = ()
    """Unknown JSON operator words that mean this one (``"=="``, ``"not_in"``): the did-you-mean hint."""
    text_synonyms: tuple[str, ...] = ()
    """Unknown words in the text form that mean this one (``gte``, ``like``): the hint names ``spellings[0]``."""
    bound: Literal["lower", "upper"] | None = None
    """For an ordering, the side of a range it bounds: backends test a range's bounds on one path together."""

    @property
    def is_flag(self) -> bool:
        """Whether its operand is true or false and its text spellings stand for operator and value together."""
        return self.operand is FLAG

    @property
    def keywords(self) -> tuple[str, ...]:
        """The grammar keyword terminals its spellings use (``STARTS``, ``WITH``), in order of first use."""
        found = [w for s in self.spellings for w in s.split() if w.isalpha()]
        return tuple(dict.fromkeys(found))

    def spelled(self, value: Any) -> str:
        """Its text spelling in a rendered condition: the canonical one, or for a flag the one for ``value``."""
        if self.is_flag:
            return self.spellings[0] if value else self.spellings[1]
        return self.spellings[0]


_ENTRIES = (
    Operator(
        "eq",
        ("=", "=="),
        ANY_VALUE,
        EQUALITY_CHECK,
        Generation(_scalar, _scalar, "value"),
        predicate=semantics.equals,
        fast=_fast_equals,
        json_synonyms=("=", "==", "equals"),
        text_synonyms=("eq", "equals"),
    ),
    Operator(
        "ne",
        ("!=", "<>"),
        ANY_VALUE,
        EQUALITY_CHECK,
        Generation(_scalar, _scalar, "value"),
        negation_of="eq",
        json_synonyms=("!=", "<>", "neq", "not_equals"),
        text_synonyms=("ne", "neq"),
    ),
    Operator(
        "gt",
        (">",),
        ORDERABLE_SCALAR,
        ORDERING_CHECK,
        Generation(_ordered, _ordered, "ordered"),
        predicate=semantics.ordering(_op.gt),
        fast=_fast_ordering(">"),
        json_synonyms=(">",),
        text_synonyms=("gt",),
        bound="lower",
    ),
    Operator(
        "lt",
        ("<",),
        ORDERABLE_SCALAR,
        ORDERING_CHECK,
        Generation(_ordered, _ordered, "ordered"),
        predicate=semantics.ordering(_op.lt),
        fast=_fast_ordering("<"),
        json_synonyms=("<",),
        text_synonyms=("lt",),
        bound="upper",
    ),
    Operator(
        "gte",
        (">=",),
        ORDERABLE_SCALAR,
        ORDERING_CHECK,
        Generation(_ordered, _ordered, "ordered"),
        predicate=semantics.ordering(_op.ge),
        fast=_fast_ordering(">="),
        json_synonyms=(">=", "ge"),
        text_synonyms=("gte", "ge"),
        bound="lower",
    ),
    Operator(
        "lte",
        ("<=",),
        ORDERABLE_SCALAR,
        ORDERING_CHECK,
        Generation(_ordered, _ordered, "ordered"),
        predicate=semantics.ordering(_op.le),
        fast=_fast_ordering("<="),
        json_synonyms=("<=", "le"),
        text_synonyms=("lte", "le"),
        bound="upper",
    ),
    Operator(
        "in",
        ("IN",),
        LIST,
        MEMBERSHIP_CHECK,
        Generation(_scalar, _scalar, "list"),
        predicate=semantics.one_of,
        fast=_fast_one_of,
    ),
    Operator(
        "nin",
        ("NOT IN",),
        LIST,
        MEMBERSHIP_CHECK,
        Generation(_scalar, _scalar, "list"),
        negation_of="in",
        json_synonyms=("not_in", "notin"),
        text_synonyms=("nin",),
    ),
    Operator(
        "contains",
        ("CONTAINS",),
        ANY_VALUE,
        CONTAINS_CHECK,
        Generation(_string_type, _scalar, "contained"),
        predicate=semantics.contains,
        fast=_fast_contains,
        json_synonyms=("like", "includes", "has"),
        text_synonyms=("like", "has", "includes"),
    ),
    Operator(
        "starts_with",
        ("STARTS WITH",),
        STRING,
        AFFIX_CHECK,
        Generation(_string_type, _string_type, "affix"),
        predicate=semantics.starts_with,
        fast=_fast_affix("startswith"),
        json_synonyms=("startswith", "prefix"),
        text_synonyms=("starts_with", "startswith"),
    ),
    Operator(
        "ends_with",
        ("ENDS WITH",),
        STRING,
        AFFIX_CHECK,
        Generation(_string_type, _string_type, "affix"),
        predicate=semantics.ends_with,
        fast=_fast_affix("endswith"),
        json_synonyms=("endswith", "suffix"),
        text_synonyms=("ends_with", "endswith"),
    ),
    Operator(
        "regex",
        ("MATCHES", "~"),
        RE2_PATTERN,
        AFFIX_CHECK,
        Generation(_string_type, _string_type, "pattern"),
        predicate=semantics.matches_regex,
        fast=_fast_regex,
        json_synonyms=("matches", "match", "~"),
        text_synonyms=("regex", "match"),
    ),
    Operator(
        "exists",
        ("EXISTS", "NOT EXISTS"),
        FLAG,
        PRESENCE_CHECK,
        Generation(_always, _always, "flag"),
        predicate=semantics.exists,
        fast=_fast_exists,
        json_synonyms=("exist",),
        text_synonyms=("exist",),
    ),
    Operator(
        "is_null",
        ("IS NULL", "IS NOT NULL"),
        FLAG,
        PRESENCE_CHECK,
        Generation(_always, _always, "flag"),
        predicate=semantics.is_null,
        fast=_fast_is_null,
        json_synonyms=("isnull", "null"),
        text_synonyms=("is_null", "isnull"),
    ),
    Operator(
        "text",
        ("SEARCH",),
        TEXT_QUERY,
        TEXT_CHECK,
        Generation(_string_type, _never, "search"),
        predicate=semantics.matches_text,
        fast=_fast_text,
        json_synonyms=("search",),
        text_synonyms=("text",),
    ),
)


def _checked(entries: tuple[Operator, ...]) -> Mapping[str, Operator]:
    """The table by name, refusing a half-done entry or a clash between entries at import."""
    table = {e.name: e for e in entries}
    problems = []
    for e in entries:
        if e.negation_of is None:
            if e.predicate is None or e.fast is None:
                problems.append(f"{e.name!r} needs a predicate and a fast path, or a negation_of")
        else:
            partner = table.get(e.negation_of)
            if partner is None or partner.negation_of is not None or e.predicate or e.fast:
                problems.append(f"{e.name!r} must negate an operator that is not itself a negation, and add nothing")
        if not e.spellings or (e.is_flag and len(e.spellings) != 2):
            problems.append(f"{e.name!r} needs its text spellings (a flag: the true one, then the false one)")
    for what, words in (
        ("spelling", [s for e in entries for s in e.spellings]),
        ("JSON synonym", [*table, *(w for e in entries for w in e.json_synonyms)]),
        ("text synonym", [w for e in entries for w in e.text_synonyms]),
    ):
        repeated = sorted({w for w in words if words.count(w) > 1})
        if repeated:
            problems.append(f"{what}s used twice: {repeated}")
    if problems:
        raise AssertionError("; ".join(problems))
    return MappingProxyType(table)


FILTER_OPERATORS: Mapping[str, Operator] = _checked(_ENTRIES)
"""Every filter operator by JSON name, in the contract's order."""

OPERATOR_NAMES: tuple[str, ...] = tuple(FILTER_OPERATORS)

DEFAULT_OPERATOR = "eq"
"""The operator of a condition that names none, and of shorthand equality (``{"title": "x"}``)."""

LOGICAL_KEYWORDS: tuple[str, ...] = ("AND", "OR", "NOT", "CASE", "SENSITIVE", "INSENSITIVE", "TRUE", "FALSE", "NULL")
"""The text form's keywords that are not operator spellings: logic, case groups and literals."""

KEYWORDS: frozenset[str] = frozenset(
    w.casefold() for w in (*LOGICAL_KEYWORDS, *(k for e in _ENTRIES for k in e.keywords))
)
"""Every keyword of the text form, case-folded: a field named like one needs backticks."""

SPELLINGS: Mapping[str, tuple[str, bool | None]] = MappingProxyType(
    {s: (e.name, (i == 0) if e.is_flag else None) for e in _ENTRIES for i, s in enumerate(e.spellings)}
)
"""Text spelling (keywords upper case, single spaces) -> (operator, the flag value it stands for or None)."""

TEXT_SPELLINGS: tuple[str, ...] = (
    *(e.spellings[0] for e in _ENTRIES if not e.is_flag),
    *(s for e in _ENTRIES if not e.is_flag for s in e.spellings[1:]),
    *(s for e in _ENTRIES if e.is_flag for s in e.spellings),
)
"""Every text spelling, canonical ones first: the candidates of a text did-you-mean."""

JSON_SYNONYMS: Mapping[str, str] = MappingProxyType({w: e.name for e in _ENTRIES for w in e.json_synonyms})
"""An unknown JSON operator word (case-folded) -> the operator it most likely means."""

TEXT_SYNONYMS: Mapping[str, str] = MappingProxyType({w: e.spellings[0] for e in _ENTRIES for w in e.text_synonyms})
"""An unknown word in an operator's place in text (case-folded) -> the text spelling it most likely means."""

FLAG_OPERATORS: tuple[str, ...] = tuple(e.name for e in _ENTRIES if e.is_flag)


def is_operator(name: object) -> bool:
    """Whether ``name`` (any value a user wrote) names an operator."""
    return isinstance(name, str) and name in FILTER_OPERATORS


# -- evaluating through the table ----------------------------------------------------------------------------


def positive(name: str) -> tuple[Operator, bool]:
    """The operator whose predicate and fast path evaluate ``name``, and whether to negate its result.

    The one place a negation (``ne``, ``nin``) becomes its partner: every
    evaluator goes through here, so ``ne`` is exactly ``not eq`` everywhere.
    """
    entry = FILTER_OPERATORS[name]
    if entry.negation_of is None:
        return entry, False
    return FILTER_OPERATORS[entry.negation_of], True


def predicate(name: str, value: Any, fold: bool) -> Predicate:
    """The full meaning of ``name value`` over a read path; ``value`` is plain JSON (lists and dicts)."""
    entry, negate = positive(name)
    assert entry.predicate is not None  # guaranteed by the table's own check
    test = entry.predicate(value, fold)
    if negate:
        return lambda v: not test(v)
    return test


def compiled_condition(em: Constants, name: str, value: Any, fold: bool, v: str, get: str) -> str:
    """The compiled matcher's inline expression for ``name value``, its general predicate as the fallback."""
    entry, negate = positive(name)
    assert entry.predicate is not None and entry.fast is not None  # guaranteed by the table's own check
    slow = em.const("g", entry.predicate(value, fold))
    expr = entry.fast(em, value, fold, v, get, slow)
    return f"(not {expr})" if negate else expr


def operand_problem(name: str, value: Any) -> str | None:
    """Why the frozen JSON literal ``value`` cannot be the operand of operator ``name``, or None."""
    return FILTER_OPERATORS[name].operand.problem(name, value)


def dynamic_operand_problem(name: str) -> str | None:
    """Why operator ``name`` cannot take a dynamic value, or None."""
    rule = FILTER_OPERATORS[name].operand
    return None if rule.dynamic else f"'{name}' takes {rule.takes}, not a dynamic value"


def missing_rows(table: Mapping[str, object], *, derive_negations: bool = True) -> list[str]:
    """What an evaluation backend's table (one row per operator name) lacks or has too many, as messages.

    With ``derive_negations`` a backend may leave out ``ne`` and ``nin`` and
    evaluate them as the negation of their partner (see :func:`positive`).
    A backend asserts ``missing_rows(ITS_TABLE) == []`` in its tests.
    """
    needed = [e.name for e in _ENTRIES if not (derive_negations and e.negation_of is not None)]
    problems = [f"no row for operator {n!r}" for n in needed if n not in table]
    problems += [f"row {k!r} is no operator" for k in table if k not in FILTER_OPERATORS]
    return problems
