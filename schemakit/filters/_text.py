"""The text front end: the Lark LALR grammar in ``grammar/filter.lark`` to a Filter.

The parser is built once per process. Parse trees become AST nodes with a
non-recursive transformer, so neither deep NOT chains nor long AND chains can
exhaust the stack before the depth checks run.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from lark import Lark, Token, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError
from lark.visitors import Transformer_NonRecursive

from schemakit._issues import FilterError, Issue, did_you_mean_hint
from schemakit._resources import grammar_path
from schemakit.filters._ast import (
    MAX_NESTING,
    MAX_VALUE_DEPTH,
    TEXT_OPERATOR,
    And,
    Condition,
    DynamicRef,
    Node,
    Not,
    Or,
    freeze_operand,
    operand_problem,
    path_problem,
)

if TYPE_CHECKING:
    from schemakit.filters._filter import Filter

_PARSER: Lark | None = None


def parser() -> Lark:
    """The LALR parser, built on first use and shared afterwards."""
    global _PARSER
    if _PARSER is None:
        _PARSER = Lark(
            grammar_path("filter.lark").read_text(encoding="utf-8"),
            parser="lalr",
            maybe_placeholders=True,
            propagate_positions=False,
        )
    return _PARSER


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
_OPERATOR_TERMINALS = frozenset({"COMPARE", "TILDE", "MATCHES", "IN", "CONTAINS", "STARTS", "ENDS", "SEARCH", "EXISTS"})
_TEXT_OPERATORS = (
    *TEXT_OPERATOR.values(),
    "==",
    "<>",
    "~",
    "EXISTS",
    "NOT EXISTS",
    "IS NULL",
    "IS NOT NULL",
)
# JSON operator names and other habits, mapped to the text spelling.
_TEXT_SYNONYMS = {
    "eq": "=",
    "equals": "=",
    "ne": "!=",
    "neq": "!=",
    "gt": ">",
    "gte": ">=",
    "ge": ">=",
    "lt": "<",
    "lte": "<=",
    "le": "<=",
    "nin": "NOT IN",
    "like": "CONTAINS",
    "has": "CONTAINS",
    "includes": "CONTAINS",
    "starts_with": "STARTS WITH",
    "startswith": "STARTS WITH",
    "ends_with": "ENDS WITH",
    "endswith": "ENDS WITH",
    "regex": "MATCHES",
    "match": "MATCHES",
    "text": "SEARCH",
    "exist": "EXISTS",
    "is_null": "IS NULL",
    "isnull": "IS NULL",
}


def _readable(terminal: str) -> str:
    return _READABLE.get(terminal, terminal)


def _expected_hint(expected: set[str]) -> str:
    names = sorted({_readable(t) for t in expected if not t.startswith("__")})
    return "expected " + ", ".join(names) if names else "check the filter syntax"


def _excerpt(text: str, line: int, column: int) -> str:
    """The offending line with a caret under the column (long lines are clipped around it)."""
    lines = text.split("\n")
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    start = max(0, column - 1 - 40)
    snippet = source[start : start + 80]
    prefix = "..." if start else ""
    return f"{prefix}{snippet}\n{' ' * (len(prefix) + column - 1 - start)}^"


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _syntax_error(text: str, exc: UnexpectedInput) -> FilterError:
    if isinstance(exc, UnexpectedToken) and exc.token.type == "$END":
        line, column = _position(text, len(text.rstrip()))
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
            line, column = _position(text, getattr(exc, "pos_in_stream", 0) or 0)
    expected: set[str] = set()
    if isinstance(exc, UnexpectedToken):
        expected = set(exc.expected)
    elif isinstance(exc, UnexpectedCharacters):
        expected = set(exc.allowed or ())
    excerpt = _excerpt(text, line, column)
    where = f"line {line}, column {column}"
    if (
        isinstance(exc, UnexpectedToken)
        and exc.token.type in ("NAME", "QUOTED_NAME")
        and expected & _OPERATOR_TERMINALS
    ):
        word = str(exc.token)
        synonym = _TEXT_SYNONYMS.get(word.casefold())
        hint = f"did you mean '{synonym}'?" if synonym else did_you_mean_hint(word.upper(), _TEXT_OPERATORS)
        issue = Issue(
            "unknown_operator",
            (),
            f"unknown operator {word!r} at {where}\n{excerpt}",
            hint=hint or "operators: " + ", ".join(_TEXT_OPERATORS),
        )
    else:
        issue = Issue("syntax_error", (), f"unexpected {found} at {where}\n{excerpt}", hint=_expected_hint(expected))
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
    return int(text)


class _Chain:
    """``a AND b AND c`` before it is known whether parentheses make it a group of its own."""

    __slots__ = ("items", "kind")

    def __init__(self, kind: type[And] | type[Or], items: tuple[Node, ...]) -> None:
        self.kind = kind
        self.items = items


def _as_node(x: Any) -> Node:
    return x.kind(x.items) if isinstance(x, _Chain) else x  # type: ignore[no-any-return]


@v_args(inline=True)
class _ToAst(Transformer_NonRecursive):  # type: ignore[type-arg]
    """Parse tree -> raw AST (canonicalized later by Filter); problems are collected, not raised."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.source = text
        self.issues: list[Issue] = []
        self.first_position: tuple[int, int] | None = None

    def _problem(self, code: str, token: Any, message: str) -> None:
        line = getattr(token, "line", None) or 1
        column = getattr(token, "column", None) or 1
        if self.first_position is None:
            self.first_position = (line, column)
        where = f"line {line}, column {column}"
        self.issues.append(Issue(code, (), f"{message} at {where}\n{_excerpt(self.source, line, column)}"))

    # structure
    def start(self, expr: Any = None) -> Node:
        return self._group(expr, None)

    def disjunction(self, *children: Any) -> Any:
        items = [_as_node(c) for c in children if not isinstance(c, Token)]
        return items[0] if len(items) == 1 else _Chain(Or, tuple(items))

    def conjunction(self, *children: Any) -> Any:
        items = [c for c in children if not isinstance(c, Token)]
        return items[0] if len(items) == 1 else _Chain(And, tuple(items))

    def negation(self, _not: Token, term: Node) -> Node:
        return Not((term,))

    def _group(self, expr: Any, cs: bool | None) -> Node:
        if expr is None:
            return And((), cs)
        if isinstance(expr, _Chain):
            return expr.kind(expr.items, cs)
        return And((expr,), cs)

    def group(self, _l: Token, expr: Any, _r: Token) -> Node:
        return self._group(expr, None)

    def sensitive_group(self, _c: Token, _s: Token, _l: Token, expr: Any, _r: Token) -> Node:
        return self._group(expr, True)

    def insensitive_group(self, _c: Token, _s: Token, _l: Token, expr: Any, _r: Token) -> Node:
        return self._group(expr, False)

    # conditions
    def field(self, token: Token) -> Token:
        name = unquote_name(str(token)) if token.type == "QUOTED_NAME" else str(token)
        problem = path_problem(name)
        if problem:
            self._problem("invalid_filter", token, problem)
        return Token(token.type, name, start_pos=token.start_pos, line=token.line, column=token.column)

    def _condition(self, field: Token, operator: str, value: Any, at: Any) -> Condition | None:
        value = freeze_operand(value)
        problem = operand_problem(operator, value)
        if problem:
            self._problem("invalid_operand", at, problem)
            return None
        return Condition(str(field), operator, value)

    def compare(self, field: Token, op: Token, value: tuple[Any, Token]) -> Any:
        operator = {"=": "eq", "==": "eq", "!=": "ne", "<>": "ne", ">": "gt", ">=": "gte", "<": "lt", "<=": "lte"}
        return self._condition(field, operator[str(op)], *value)

    def regex(self, field: Token, _op: Token, value: tuple[Any, Token]) -> Any:
        return self._condition(field, "regex", *value)

    def in_(self, field: Token, _op: Token, value: tuple[Any, Token]) -> Any:
        return self._condition(field, "in", *value)

    def nin(self, field: Token, _not: Token, _in: Token, value: tuple[Any, Token]) -> Any:
        return self._condition(field, "nin", *value)

    def contains(self, field: Token, _op: Token, value: tuple[Any, Token]) -> Any:
        return self._condition(field, "contains", *value)

    def starts_with(self, field: Token, _a: Token, _b: Token, value: tuple[Any, Token]) -> Any:
        return self._condition(field, "starts_with", *value)

    def ends_with(self, field: Token, _a: Token, _b: Token, value: tuple[Any, Token]) -> Any:
        return self._condition(field, "ends_with", *value)

    def text(self, field: Token, _op: Token, value: tuple[Any, Token]) -> Any:
        return self._condition(field, "text", *value)

    def exists(self, field: Token, _op: Token) -> Condition:
        return Condition(str(field), "exists", True)

    def not_exists(self, field: Token, _not: Token, _op: Token) -> Condition:
        return Condition(str(field), "exists", False)

    def is_null(self, field: Token, _is: Token, _null: Token) -> Condition:
        return Condition(str(field), "is_null", True)

    def is_not_null(self, field: Token, _is: Token, _not: Token, _null: Token) -> Condition:
        return Condition(str(field), "is_null", False)

    # values: (python value, token for positions)
    def dynamic(self, token: Token) -> tuple[Any, Token]:
        body = str(token)[1:]
        name = unquote_name(body) if body.startswith("`") else body
        return DynamicRef(name), token

    def string(self, token: Token) -> tuple[Any, Token]:
        return unquote(str(token)), token

    def number(self, token: Token) -> tuple[Any, Token]:
        return _number(str(token)), token

    def true(self, token: Token) -> tuple[Any, Token]:
        return True, token

    def false(self, token: Token) -> tuple[Any, Token]:
        return False, token

    def null(self, token: Token) -> tuple[Any, Token]:
        return None, token

    def array(self, open_: Token, *children: Any) -> tuple[Any, Token]:
        return tuple(c[0] for c in children if isinstance(c, tuple)), open_

    def object(self, open_: Token, *children: Any) -> tuple[Any, Token]:
        out = {}
        for c in children:
            if isinstance(c, tuple) and len(c) == 2 and isinstance(c[0], str):
                out[c[0]] = c[1]
        return MappingProxyType(out), open_

    def pair(self, key: Token, _colon: Token, value: tuple[Any, Token]) -> tuple[str, Any]:
        return unquote(str(key)), value[0]


def _heights(tree: Tree[Token]) -> tuple[int, int, int]:
    """Parenthesis nesting, overall node nesting and literal nesting, bottom-up without recursion."""
    paren: dict[int, int] = {}
    nest: dict[int, int] = {}
    lit: dict[int, int] = {}
    for sub in tree.iter_subtrees():
        kids = [c for c in sub.children if isinstance(c, Tree)]
        p = max((paren[id(k)] for k in kids), default=0)
        n = max((nest[id(k)] for k in kids), default=0)
        v = max((lit[id(k)] for k in kids), default=0)
        if sub.data in _GROUPS:
            p += 1
        if sub.data in _GROUPS or sub.data == "negation":
            n += 1
        if sub.data in ("array", "object"):
            v += 1
        paren[id(sub)], nest[id(sub)], lit[id(sub)] = p, n, v
    return paren[id(tree)], nest[id(tree)], lit[id(tree)]


_GROUPS = frozenset({"group", "sensitive_group", "insensitive_group"})


def _first_too_deep(tree: Tree[Token], max_depth: int) -> Token | None:
    """The opening parenthesis at which the nesting first exceeds ``max_depth``."""
    parens = sorted(
        (
            c
            for sub in tree.iter_subtrees()
            for c in sub.children
            if isinstance(c, Token) and c.type in ("LPAR", "RPAR")
        ),
        key=lambda t: t.start_pos or 0,
    )
    level = 1
    for token in parens:
        if token.type == "LPAR":
            level += 1
            if level > max_depth:
                return token
        else:
            level -= 1
    return None


def parse_text(text: str, *, max_depth: int) -> Filter:
    from schemakit.filters._filter import Filter

    try:
        tree = parser().parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from None
    parens, nesting, literals = _heights(tree)
    if parens + 1 > max_depth or nesting + 1 > MAX_NESTING or literals > MAX_VALUE_DEPTH:
        token = _first_too_deep(tree, max_depth) if parens + 1 > max_depth else None
        line = getattr(token, "line", None)
        column = getattr(token, "column", None)
        what = (
            f"parentheses nest deeper than max_depth={max_depth}"
            if parens + 1 > max_depth
            else "the filter nests too deeply"
        )
        raise FilterError(
            [Issue("filter_too_deep", (), what, hint="flatten nested groups of the same kind")],
            line=line,
            column=column,
        )
    builder = _ToAst(text)
    try:
        root = builder.transform(tree)
    except VisitError as exc:  # a bug in a callback, reported with the rule it happened in
        raise FilterError([Issue("syntax_error", (), f"cannot build rule {exc.rule}: {exc.orig_exc}")]) from exc
    if builder.issues:
        line, column = builder.first_position or (None, None)
        raise FilterError(builder.issues, line=line, column=column)
    return Filter(root)
