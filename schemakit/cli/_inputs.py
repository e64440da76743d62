"""Reading the command line's files: config documents (schemas, manifests) and data sources.

Config documents are small, so they are read whole, and their text is kept so
that an issue's path can be turned into a line number. Data sources are only
*described* here (which files, which format); the checker streams them.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from schemakit._issues import Issue
from schemakit._issues import Path as IssuePath
from schemakit.cli._errors import UserError

JSONL_SUFFIXES = (".jsonl", ".ndjson")
JSON_SUFFIXES = (".json",)
DATA_SUFFIXES = JSONL_SUFFIXES + JSON_SUFFIXES
YAML_SUFFIXES = (".yaml", ".yml")
STDIN = "-"

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class JsonTooDeep(ValueError):
    """JSON nested deeper than the parser can follow (the C scanner recurses once per level)."""

    def __init__(self) -> None:
        super().__init__(f"nested deeper than {max_json_depth()} levels")


def max_json_depth() -> int:
    # the scanner recurses once per level of nesting, within the interpreter's recursion limit,
    # less the frames of the caller's stack
    return max(sys.getrecursionlimit() - 100, 1)


def loads(text: str | bytes) -> Any:
    """``json.loads`` whose every failure is a ValueError: too deep (RecursionError) is :class:`JsonTooDeep`.

    Integers past Python's digit limit already raise ValueError from ``int()``.
    """
    try:
        return json.loads(text)
    except RecursionError:
        raise JsonTooDeep() from None


def json_error_message(exc: ValueError) -> tuple[int, int | None, str]:
    """``(line, column, problem)`` for any ValueError :func:`loads` raises; column None when it has none."""
    if isinstance(exc, json.JSONDecodeError):
        return exc.lineno, exc.colno, exc.msg
    return 1, None, plain_problem(exc)


_DIGITS = re.compile(r"value has (\d+) digits")


def plain_problem(exc: ValueError) -> str:
    """The problem in words a user can act on (Python's digit-limit message names an interpreter setting)."""
    text = str(exc)
    digits = _DIGITS.search(text)
    if "integer string conversion" in text and digits is not None:
        return f"an integer of {digits[1]} digits; at most {sys.get_int_max_str_digits()} digits can be read"
    return text


# --------------------------------------------------------------------------- data sources


@dataclass(frozen=True, slots=True)
class DataSource:
    """One input of ``validate``/``filter``: ``label`` is how reports name it (as given, ``-`` for stdin)."""

    label: str
    path: Path | None
    kind: Literal["jsonl", "json"]
    size: int | None


def discover_data(args: Sequence[str], *, skipped: list[str] | None = None) -> list[DataSource]:
    """Expand the DATA arguments into sources, in command-line order, directories sorted.

    Every problem with a path the user named (missing, an empty directory) is
    found before any output is written, so a typo fails fast with exit 2
    instead of after a long run. A file found inside a directory that cannot
    be read (a dangling symbolic link, no permission) is not the user's typo:
    with ``skipped`` given, its message goes there and the other files are
    still checked (the caller reports it and exits 2 at the end).
    """
    sources: list[DataSource] = []
    seen: set[str] = set()
    for arg in args:
        if arg == STDIN:
            if STDIN in seen:
                raise UserError("-: standard input can be given only once")
            seen.add(STDIN)
            sources.append(DataSource(STDIN, None, "jsonl", None))
            continue
        path = Path(arg)
        if path.is_dir():
            found = list(_walk_data_dir(arg))
            if not found:
                raise UserError(f"{arg}: directory holds no {', '.join(DATA_SUFFIXES)} files")
            candidates = found
        elif path.is_file():
            candidates = [arg]
        elif not path.exists():
            raise UserError(f"{arg}: no such file or directory")
        else:
            raise UserError(f"{arg}: not a regular file or directory")
        for label in candidates:
            # the same file named twice (a glob and a directory) would report every object twice
            # and turn each unique key into a duplicate of itself
            key = os.path.realpath(label)
            if key in seen:
                continue
            seen.add(key)
            try:
                sources.append(_source_for(label))
            except UserError as exc:
                if skipped is None or label == arg:
                    raise
                skipped.append(str(exc))
    return sources


def _walk_data_dir(root: str) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(root):
        # hidden directories are VCS or tool state (.git, .venv), never data
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.lower().endswith(DATA_SUFFIXES) and not name.startswith("."):
                yield os.path.join(dirpath, name)


def _source_for(label: str) -> DataSource:
    path = Path(label)
    if not path.exists():
        # a dangling symbolic link in a data directory: the file it names is missing
        raise UserError(f"{label}: no such file (a symbolic link to a missing file)")
    if not os.access(label, os.R_OK):
        raise UserError(f"{label}: permission denied")
    kind: Literal["jsonl", "json"] = "json" if label.lower().endswith(JSON_SUFFIXES) else "jsonl"
    return DataSource(label, path, kind, path.stat().st_size)


def stdin_binary() -> Any:
    stdin = sys.stdin
    if stdin is None:  # started with standard input closed (`<&-`)
        raise UserError("-: standard input is closed")
    return stdin.buffer


# --------------------------------------------------------------------------- config documents


@dataclass(slots=True)
class Document:
    """A parsed config file with its text, for locating issue paths as line numbers."""

    label: str
    data: Any
    text: str
    is_yaml: bool
    _yaml_root: Any = field(default=None, repr=False)

    def line_of(self, path: IssuePath) -> int:
        """The line of the deepest part of ``path`` that exists in the file (1 when nothing does)."""
        try:
            if self.is_yaml:
                return self._yaml_line(path)
            return json_line_of(self.text, path)
        except (ValueError, IndexError, RecursionError):
            # locating is a courtesy; a report must never fail because a path is odd or the text deep
            return 1

    def _yaml_line(self, path: IssuePath) -> int:
        import yaml

        if self._yaml_root is None:
            self._yaml_root = yaml.compose(self.text, Loader=_yaml_loader())
        node = self._yaml_root
        if node is None:
            return 1
        for seg in path:
            child = None
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.value == str(seg):
                        child = value
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(seg, int) and 0 <= seg < len(node.value):
                child = node.value[seg]
            if child is None:
                break
            node = child
        return int(node.start_mark.line) + 1


def _yaml_loader() -> Any:
    import yaml

    # the C loader is an optional build of PyYAML; the pure one gives the same data
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(label: str) -> str:
    """The UTF-8 text of a file, or a UserError naming it."""
    if label == STDIN:
        raise UserError("-: standard input is accepted only for data files")
    try:
        raw = Path(label).read_bytes()
    except FileNotFoundError:
        raise UserError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{label}: is a directory, expected a file") from None
    except PermissionError:
        raise UserError(f"{label}: permission denied") from None
    except OSError as exc:
        raise UserError(f"{label}: cannot read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{label}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None


def load_document(label: str, *, what: str) -> Document:
    """Parse a JSON or YAML config file (``what`` names it in errors: "bucket schema", "manifest")."""
    text = read_text(label)
    is_yaml = label.lower().endswith(YAML_SUFFIXES)
    if is_yaml:
        import yaml

        try:
            data = yaml.load(text, Loader=_yaml_loader())  # a safe loader, chosen above
        except RecursionError:
            # PyYAML composes recursively: a document nested thousands deep exhausts the stack
            problem = f"nested deeper than {max_json_depth()} levels"
            raise DocumentSyntaxError(label, what, "invalid_yaml", 1, None, problem) from None
        except ValueError as exc:  # an integer past Python's digit limit
            raise DocumentSyntaxError(label, what, "invalid_yaml", 1, None, plain_problem(exc)) from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise DocumentSyntaxError(label, what, "invalid_yaml", line, column, problem) from None
    else:
        try:
            data = loads(text)
        except ValueError as exc:
            raise DocumentSyntaxError(label, what, "invalid_json", *json_error_message(exc)) from None
    return Document(label, data, text, is_yaml)


class DocumentSyntaxError(UserError):
    """A config file that is not valid JSON/YAML: exit 2 where the command needs it, an issue where it checks it."""

    def __init__(self, label: str, what: str, code: str, line: int, column: int | None, problem: str) -> None:
        kind = "YAML" if code == "invalid_yaml" else "JSON"
        if column is None:  # a problem of the whole value (too deep, too many digits), not of a position
            super().__init__(f"{label}: {what} is not valid {kind}: {problem}")
            message = f"invalid {kind}: {problem}"
        else:
            super().__init__(f"{label}: {what} is not valid {kind} at line {line}, column {column}: {problem}")
            message = f"invalid {kind} at column {column}: {problem}"
        self.label = label
        self.line = line
        self.issue = Issue(code, (), message)


# --------------------------------------------------------------------------- JSON positions


def _skip_ws(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def json_line_of(text: str, path: IssuePath) -> int:
    """Line of the value at ``path`` in a JSON text, descending as far as the path exists.

    A hand-driven walk over ``raw_decode`` (the C scanner) that decodes only the
    siblings it must skip; cheap for config files, and exact where a regex is not.
    """
    pos = _skip_ws(text, 0)
    try:
        for seg in path:
            found = _child_position(text, pos, seg)
            if found is None:
                break
            pos = found
    except (ValueError, IndexError, RecursionError):
        pass
    return text.count("\n", 0, pos) + 1


def _child_position(text: str, pos: int, seg: str | int) -> int | None:
    opener = text[pos]
    closer = "}" if opener == "{" else "]" if opener == "[" else None
    if closer is None:
        return None
    p = _skip_ws(text, pos + 1)
    if text[p] == closer:
        return None
    index = 0
    while True:
        if opener == "{":
            key, p = _DECODER.raw_decode(text, p)
            p = _skip_ws(text, _skip_ws(text, p) + 1)  # past the ':'
            if key == seg or key == str(seg):
                return p
        elif index == seg:
            return p
        _, p = _DECODER.raw_decode(text, p)
        p = _skip_ws(text, p)
        if text[p] != ",":
            return None
        p = _skip_ws(text, p + 1)
        index += 1


@dataclass(frozen=True, slots=True)
class JsonItem:
    """One object found in a ``.json`` data file: where it starts, its path prefix, and the value."""

    line: int
    prefix: IssuePath
    value: Any


def iter_json_items(text: str) -> Iterator[JsonItem]:
    """The objects of a ``.json`` data file with the line each starts on.

    One object gives itself (prefix ``()``), a list gives its items (prefix
    ``(i,)``), a CreateObjectsBatchRequest (a mapping whose only key is
    ``objects``, a list) gives its objects (prefix ``("objects", i)``), so an
    issue's pointer addresses the file. Raises ValueError (see :func:`loads`)
    for a malformed file before yielding anything: the whole file is parsed first.
    """
    data = loads(text)
    start = _skip_ws(text, 0)
    if isinstance(data, list):
        yield from _array_items(text, start, data, ())
    elif is_batch_request(data):
        p = _skip_ws(text, start + 1)
        _, p = _DECODER.raw_decode(text, p)  # the "objects" key
        p = _skip_ws(text, _skip_ws(text, p) + 1)
        yield from _array_items(text, p, data["objects"], ("objects",))
    else:
        yield JsonItem(text.count("\n", 0, start) + 1, (), data)


def is_batch_request(data: Any) -> bool:
    # only-key check: a bucket may well define a top-level field named "objects"
    return isinstance(data, dict) and len(data) == 1 and isinstance(data.get("objects"), list)


def _array_items(text: str, pos: int, values: list[Any], prefix: IssuePath) -> Iterator[JsonItem]:
    p = _skip_ws(text, pos + 1)
    line = text.count("\n", 0, p) + 1
    counted = p
    for index, value in enumerate(values):
        line += text.count("\n", counted, p)
        counted = p
        yield JsonItem(line, (*prefix, index), value)
        _, p = _DECODER.raw_decode(text, p)
        p = _skip_ws(text, _skip_ws(text, p) + 1)  # past the ','
