"""The text front end: the Lark LALR grammar in ``grammar/filter.lark`` to a Filter.

The parser is built once per process with its callbacks inside, so rules
become AST nodes as they reduce and no parse tree is built. The LALR stack is
not Python's, so neither deep nesting nor long chains can exhaust it before
the depth checks run.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from schemakit._contract.operators import LOGICAL_KEYWORDS, SPELLINGS, TEXT_SPELLINGS, TEXT_SYNONYMS
from schemakit._contract.paths import path_problem
from schemakit._issues import FilterError, Issue, did_you_mean_hint
from schemakit._resources import grammar_path
from schemakit.filters._ast import MAX_NESTING, And, Condition, DynamicRef, Node, Not, Or, freeze_operand
from schemakit.filters._operand import operand_problem
from schemakit.filters._origin import Origin, TextPlaces, excerpt, position

if TYPE_CHECKING:
    from schemakit.filters._filter import Filter

# How expected terminals read in a syntax-error hint.
_READABLE = {
    "NAME": "a field name",
    "QUOTED_NAME": "a `quoted field name`",
    "DYNAMIC": "a $dynamic.value",
    "STRING": "a string",
    "NUMBER": "a number",
    "COMPARE": "a comparison (= != < <= > >=)",
    "TILDE": "'~'",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "COMMA": "','",
    "COLON": "':'",
    "STARTS": "STARTS WITH",
    "ENDS": "ENDS WITH",
    "IS": "IS [NOT] NULL",
    "CASE": "CASE SENSITIVE (...)",
    "$END": "the end of the filter",
}


def _readable(terminal: str) -> str:
    return _READABLE.get(terminal, terminal)


def _expected_hint(expected: set[str]) -> str:
    names = sorted({_readable(t) for t in expected if not t.startswith("__")})
    return "expected " + ", ".join(names) if names else "check the filter syntax"


_OPERATOR_TERMINALS: frozenset[str] | None = None


def operator_terminals() -> frozenset[str]:
    """The terminals that can start an operator after a field: each spelling's first word, lexed.

    Logical keywords are left out (``NOT`` also starts a term), so an unknown
    word is called an unknown operator only where an operator must follow.
    """
    global _OPERATOR_TERMINALS
    if _OPERATOR_TERMINALS is None:
        lex = parser().lex
        logical = {next(iter(lex(word))).type for word in LOGICAL_KEYWORDS}
        first = {next(iter(lex(spelling.split()[0]))).type for spelling in SPELLINGS}
        _OPERATOR_TERMINALS = frozenset(first - logical)
    return _OPERATOR_TERMINALS


def _syntax_error(text: str, exc: UnexpectedInput) -> FilterError:
    if isinstance(exc, UnexpectedToken) and exc.token.type == "$END":
        line, column = position(text, len(text.rstrip()))
        found = "the end of the filter"
    else:
        line, column = exc.line, exc.column
        if isinstance(exc, UnexpectedToken):
            found = repr(str(exc.token))
        elif isinstance(exc, UnexpectedCharacters):
            pos = exc.pos_in_stream or 0
            found = repr(text[pos]) if pos < len(text) else "the end"
        else:
            found = "input"
        if line is None or line < 1:
            line, column = position(text, getattr(exc, "pos_in_stream", 0) or 0)
    expected: set[str] = set()
    if isinstance(exc, UnexpectedToken):
        expected = set(exc.expected)
    elif isinstance(exc, UnexpectedCharacters):
        expected = set(exc.allowed or ())
    caret = excerpt(text, line, column)
    where = f"line {line}, column {column}"
    if (
        isinstance(exc, UnexpectedToken)
        and exc.token.type in ("NAME", "QUOTED_NAME")
        and expected & operator_terminals()
    ):
        word = str(exc.token)
        synonym = TEXT_SYNONYMS.get(word.casefold())
        hint = f"did you mean '{synonym}'?" if synonym else did_you_mean_hint(word.upper(), TEXT_SPELLINGS)
        issue = Issue(
            "unknown_operator",
            (),
            f"unknown operator {word!r} at {where}\n{caret}",
            hint=hint or "operators: " + ", ".join(TEXT_SPELLINGS),
        )
    else:
        issue = Issue("syntax_error", (), f"unexpected {found} at {where}\n{caret}", hint=_expected_hint(expected))
    return FilterError([issue], f"{issue.code} at {where}: unexpected {found}", line=line, column=column)


# -- literals -----------------------------------------------------------------

_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[\s\S])")
# \\b and \\f are left out on purpose: in a regex they mean a word boundary and a form feed class.
_SIMPLE_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "/": "/", "n": "\n", "r": "\r", "t": "\t"}
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def unquote(token: str) -> str:
    """A quoted literal's text: JSON escapes plus ``\\'``.

    Any other escape keeps its backslash, so regexes read naturally (``"\\d+"``).
    """

    def replace(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc[0] == "u" and len(esc) == 5:
            return chr(int(esc[1:], 16))
        return _SIMPLE_ESCAPES.get(esc, "\\" + esc)

    body = _ESCAPE.sub(replace, token[1:-1])
    if "\\u" in token:
        body = _SURROGATE_PAIR.sub(lambda m: m.group(0).encode("utf-16", "surrogatepass").decode("utf-16"), body)
    return body


def unquote_name(token: str) -> str:
    return token[1:-1].replace("``", "`")


def _number(text: str) -> int | float:
    if any(ch in text for ch in ".eE"):
        return float(text)
    try:
        return int(text)
    except ValueError:  # beyond int's digit limit: as a float it is rejected as not finite
        return float(text)


class _Chain:
    """``a AND b AND c`` before it is known whether parentheses make it a group of its own."""

    __slots__ = ("items", "kind")

    def __init__(self, kind: type[And] | type[Or], items: tuple[Node, ...]) -> None:
        self.kind = kind
        self.items = items


class _Problem:
    """A problem found while building, raised after the parse with its excerpt."""

    __slots__ = ("code", "message", "token")

    def __init__(self, code: str, message: str, token: Any) -> None:
        self.code, self.message, self.token = code, message, token


class _R:
    """A partial result: a raw node with its parenthesis and node nesting, and any problems below it.

    Parenthesis depth is counted so that the text form of a filter is exactly
    as deep as its JSON form: each group dict of the JSON form is one level,
    and in text each parenthesized group is one level, except where the text
    needs two pairs of parentheses for what JSON writes as one dict
    (``CASE SENSITIVE (NOT (a OR b))``: the case mode and a NOT of several
    items), and except the parentheses that spell the root dict itself
    (``CASE SENSITIVE (...)`` or ``NOT (...)`` as the whole filter), which JSON
    writes at level 1 like the rest of the root. ``grouped`` marks a result
    that is one such group; ``root_parens`` the parentheses that do not count
    when the result is the whole filter.
    """

    __slots__ = ("grouped", "nest", "node", "parens", "problems", "root_parens")

    def __init__(
        self,
        node: Any,
        parens: int = 0,
        nest: int = 0,
        problems: tuple[_Problem, ...] = (),
        *,
        grouped: bool = False,
        root_parens: int = 0,
    ) -> None:
        self.node, self.parens, self.nest, self.problems = node, parens, nest, problems
        self.grouped, self.root_parens = grouped, root_parens


def _merge(kind: type[And] | type[Or], parts: list[_R]) -> _R:
    if len(parts) == 1:
        return parts[0]
    nodes = tuple(p.node.kind(p.node.items) if isinstance(p.node, _Chain) else p.node for p in parts)
    problems = tuple(x for p in parts for x in p.problems)
    return _R(_Chain(kind, nodes), max(p.parens for p in parts), max(p.nest for p in parts), problems)


def _group(r: _R | None, cs: bool | None) -> _R:
    if r is None:
        return _R(And((), cs), 1, 1, grouped=True, root_parens=0 if cs is None else 1)
    node = r.node.kind(r.node.items, cs) if isinstance(r.node, _Chain) else And((r.node,), cs)
    if cs is not None and r.grouped:
        # CASE ... (NOT (a OR b)): one group dict in JSON, so one level
        return _R(node, r.parens, r.nest + 1, r.problems, grouped=True, root_parens=max(1, r.root_parens))
    return _R(node, r.parens + 1, r.nest + 1, r.problems, grouped=True, root_parens=0 if cs is None else 1)


# The places of each condition built by the parse in progress (one per thread or task): conditions
# reduce inside the parser, whose callbacks are shared and stateless, so the places go to the side.
_PLACES: ContextVar[dict[int, TextPlaces] | None] = ContextVar("schemakit_filter_text_places", default=None)


def _offset(token: Token) -> int:
    # the lexer sets every token's offset; a token made by hand would have none
    return token.start_pos if token.start_pos is not None else 0


def _condition(field: tuple[str, Token], words: list[Token], value: tuple[Any, ...] | None) -> _R:
    """A condition from its field, the words spelling its operator and its value (none for a flag)."""
    name, name_token = field
    problem = path_problem(name)
    if problem:
        return _R(None, problems=(_Problem("invalid_filter", problem, name_token),))
    spelling = str(words[0]).upper() if len(words) == 1 else " ".join(str(w).upper() for w in words)
    operator, flag = SPELLINGS[spelling]
    if value is None:
        value = (flag, words[0])
    literal = freeze_operand(value[0])
    problem = operand_problem(operator, literal)
    if problem:
        return _R(None, problems=(_Problem("invalid_operand", problem, value[1]),))
    c = Condition(name, operator, literal)
    places = _PLACES.get()
    if places is not None:
        elements = tuple(_offset(item[1]) for item in value[2]) if len(value) > 2 else ()
        places[id(c)] = TextPlaces(_offset(name_token), _offset(words[0]), _offset(value[1]), elements)
    return _R(c)


class _Callbacks(Transformer):  # type: ignore[type-arg]
    """Runs inside the LALR parser as rules reduce, so no parse tree is ever built.

    Stateless (one instance serves every parse): problems travel up inside
    the partial results instead of being collected on the instance.
    """

    def start(self, c: list[Any]) -> _R:
        r: _R | None = c[0]
        if r is None:
            return _R(And(()))
        top = _group(r, None)
        return _R(top.node, r.parens - r.root_parens, r.nest, r.problems)

    def disjunction(self, c: list[Any]) -> _R:
        return _merge(Or, [x for x in c if isinstance(x, _R)])

    def conjunction(self, c: list[Any]) -> _R:
        return _merge(And, [x for x in c if isinstance(x, _R)])

    def negation(self, c: list[Any]) -> _R:
        r: _R = c[1]
        return _R(
            Not((r.node,)), r.parens, r.nest + 1, r.problems, grouped=r.grouped, root_parens=1 if r.grouped else 0
        )

    def group(self, c: list[Any]) -> _R:
        return _group(c[1], None)

    def sensitive_group(self, c: list[Any]) -> _R:
        return _group(c[3], True)

    def insensitive_group(self, c: list[Any]) -> _R:
        return _group(c[3], False)

    def field(self, c: list[Token]) -> tuple[str, Token]:
        token = c[0]
        return (unquote_name(str(token)) if token.type == "QUOTED_NAME" else str(token)), token

    def condition(self, c: list[Any]) -> _R:
        # field, the operator's words, then the value unless the spelling is a flag's (EXISTS)
        last = c[-1]
        if type(last) is tuple:
            return _condition(c[0], c[1:-1], last)
        return _condition(c[0], c[1:], None)

    # literals are (python value, token) pairs so that problems can point at them; a list adds its items
    def dynamic(self, c: list[Token]) -> tuple[Any, Token]:
        body = str(c[0])[1:]
        return DynamicRef(unquote_name(body) if body.startswith("`") else body), c[0]

    def string(self, c: list[Token]) -> tuple[Any, Token]:
        return unquote(str(c[0])), c[0]

    def number(self, c: list[Token]) -> tuple[Any, Token]:
        return _number(str(c[0])), c[0]

    def true(self, c: list[Token]) -> tuple[Any, Token]:
        return True, c[0]

    def false(self, c: list[Token]) -> tuple[Any, Token]:
        return False, c[0]

    def null(self, c: list[Token]) -> tuple[Any, Token]:
        return None, c[0]

    def array(self, c: list[Any]) -> tuple[Any, Token, tuple[tuple[Any, ...], ...]]:
        items = tuple(x for x in c if isinstance(x, tuple))
        return tuple(x[0] for x in items), c[0], items

    def object(self, c: list[Any]) -> tuple[Any, Token]:
        return MappingProxyType({x[0]: x[1] for x in c if isinstance(x, tuple)}), c[0]

    def pair(self, c: list[Any]) -> tuple[str, Any]:
        return unquote(str(c[0])), c[2][0]


_PARSER: Lark | None = None


def parser() -> Lark:
    """The LALR parser with its callbacks, built on first use and shared afterwards."""
    global _PARSER
    if _PARSER is None:
        _PARSER = Lark(
            grammar_path("filter.lark").read_text(encoding="utf-8"),
            parser="lalr",
            maybe_placeholders=True,
            transformer=_Callbacks(),
        )
    return _PARSER


def _too_deep_at(text: str, max_depth: int) -> Token | None:
    """The opening parenthesis where nesting first exceeds ``max_depth`` (only on the error path)."""
    level = 1
    try:
        for token in parser().lex(text):
            if token.type == "LPAR":
                level += 1
                if level > max_depth:
                    return token
            elif token.type == "RPAR":
                level -= 1
    except UnexpectedInput:
        return None
    return None


def parse_text(text: str, *, max_depth: int) -> Filter:
    from schemakit.filters._filter import Filter

    places: dict[int, TextPlaces] = {}
    token = _PLACES.set(places)
    try:
        result: _R = parser().parse(text)  # type: ignore[assignment]
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from None
    finally:
        _PLACES.reset(token)
    if result.parens + 1 > max_depth or result.nest + 1 > MAX_NESTING:
        deep = result.parens + 1 > max_depth
        paren = _too_deep_at(text, max_depth) if deep else None
        what = f"parentheses nest deeper than max_depth={max_depth}" if deep else "the filter nests too deeply"
        raise FilterError(
            [Issue("filter_too_deep", (), what, hint="flatten nested groups of the same kind")],
            line=getattr(paren, "line", None),
            column=getattr(paren, "column", None),
        )
    if result.problems:
        issues = []
        for p in result.problems:
            line = getattr(p.token, "line", None) or 1
            column = getattr(p.token, "column", None) or 1
            where = f"line {line}, column {column}"
            issues.append(Issue(p.code, (), f"{p.message} at {where}\n{excerpt(text, line, column)}"))
        first = result.problems[0].token
        raise FilterError(issues, line=getattr(first, "line", None), column=getattr(first, "column", None))
    return Filter.from_checked(result.node, Origin(text, places))
