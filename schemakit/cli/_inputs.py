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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, cast

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



def _fast_decoder() -> Callable[[bytes | str], Any] | None:
    try:
        import orjson
    except ImportError:  # a platform without an orjson wheel: the standard library decodes alone
        return None
    return orjson.loads


FAST_LOADS: Callable[[bytes | str], Any] | None = _fast_decoder()
"""orjson's decoder, or None without orjson; only for a hot loop that has checked :func:`needs_exact_decode`
and falls back to :func:`loads` when it raises."""

# orjson reads an integer past 64 bits as a float; the standard library keeps it exact. A run of 20
# digits is the only text where the two may differ, so a block holding one is decoded exactly. The
# scan maps every digit to "d" and looks for 20 in a row: two passes in C, about 1 ns a byte, where a
# regular expression backtracks at every digit.
_DIGIT_MAP = bytes(0x64 if 0x30 <= b <= 0x39 else 0x2E for b in range(256))
_DIGIT_RUN = b"d" * 20
_LONG_DIGITS_TEXT = re.compile(r"[0-9]{20}")


def needs_exact_decode(data: bytes | str) -> bool:
    """Whether ``data`` may hold an integer that orjson would not read exactly (one scan of the whole block)."""
    if FAST_LOADS is None:
        return True
    if isinstance(data, bytes):
        return _DIGIT_RUN in data.translate(_DIGIT_MAP)
    return _LONG_DIGITS_TEXT.search(data) is not None


def loads(text: str | bytes) -> Any:
    """The CLI's one JSON decoder: orjson when it reads ``text`` exactly as ``json.loads`` would, else ``json``.

    Every failure is a ValueError from ``json`` (its messages and positions,
    whatever orjson said): too deep (RecursionError) is :class:`JsonTooDeep`;
    integers past Python's digit limit already raise ValueError from ``int()``.
    What orjson refuses and ``json`` accepts (NaN, lone surrogate escapes,
    nesting past 1,024 levels) is decoded by ``json``, so both give one meaning.
    """
    if FAST_LOADS is not None and not needs_exact_decode(text):
        try:
            return FAST_LOADS(text)
        except ValueError:
            pass
    try:
        return json.loads(text)
    except RecursionError:
        raise JsonTooDeep() from None


def _fast_encoder() -> Callable[[Any], bytes] | None:
    try:
        import orjson
    except ImportError:
        return None
    return orjson.dumps


_FAST_DUMPS = _fast_encoder()


def dumps_line(value: Any) -> bytes:
    """``value`` as one line of JSON (no newline), keys in their order: what ``--write-normalized`` writes.

    orjson where it can write the value; ``json`` for what it cannot (an integer
    past 64 bits, a lone surrogate, which ``json`` escapes) so every value decoded is written back.
    A number JSON cannot write (``1e999`` reads as infinity) is refused by both: it is null, as in ``filter``.
    """
    if _FAST_DUMPS is not None:
        try:
            return _FAST_DUMPS(value)
        except TypeError:
            pass
    try:
        return json.dumps(value, separators=(",", ":"), allow_nan=False).encode("ascii")
    except ValueError:
        return json.dumps(_finite(value), separators=(",", ":"), allow_nan=False).encode("ascii")


def _finite(value: Any) -> Any:
    if isinstance(value, float) and value - value != 0.0:
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


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
class Compression:
    """A compressed container the data files may come in, recognised by its first bytes."""

    name: str
    magic: bytes
    suffix: str
    opener: Callable[[IO[bytes]], IO[bytes]]


def _gzip(raw: IO[bytes]) -> IO[bytes]:
    import gzip

    return cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb"))


def _bz2(raw: IO[bytes]) -> IO[bytes]:
    import bz2

    return bz2.BZ2File(raw, mode="rb")


def _xz(raw: IO[bytes]) -> IO[bytes]:
    import lzma

    return lzma.LZMAFile(raw, mode="rb")


def _zstd(raw: IO[bytes]) -> IO[bytes]:
    import io

    import zstandard

    # read_across_frames: a file of several frames (zstd -c a b > c) is one stream, as gzip's members are
    reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
    return io.BufferedReader(cast(Any, reader), 1 << 20)


COMPRESSIONS: tuple[Compression, ...] = (
    Compression("gzip", b"\x1f\x8b", ".gz", _gzip),
    Compression("bzip2", b"BZh", ".bz2", _bz2),
    Compression("xz", b"\xfd7zXZ\x00", ".xz", _xz),
    Compression("zstd", b"\x28\xb5\x2f\xfd", ".zst", _zstd),
)
"""The one table of compressions: ``validate`` and ``filter`` read each transparently."""

COMPRESSED_SUFFIXES = tuple(c.suffix for c in COMPRESSIONS)
MAGIC_BYTES = max(len(c.magic) for c in COMPRESSIONS)
INPUT_FORMATS = ("auto", "jsonl", "json")


def sniff_compression(head: bytes) -> Compression | None:
    """The compression whose magic bytes start ``head``, or None for plain data."""
    for comp in COMPRESSIONS:
        if head.startswith(comp.magic):
            return comp
    return None


def named_compression(label: str) -> Compression | None:
    """The compression the file name announces by its last suffix (``x.jsonl.gz``: gzip)."""
    lower = label.lower()
    for comp in COMPRESSIONS:
        if lower.endswith(comp.suffix):
            return comp
    return None


def data_name(label: str) -> str:
    """The file name without its compression suffix: what says JSON Lines or JSON."""
    comp = named_compression(label)
    return label[: -len(comp.suffix)] if comp is not None else label


class InputReadError(Exception):
    """A data stream that stops being readable part way (corrupt or truncated compressed data)."""


@dataclass(frozen=True, slots=True)
class DataSource:
    """One input of ``validate``/``filter``: ``label`` is how reports name it (as given, ``-`` for stdin).

    ``kind`` is how its objects are read; ``auto`` is whether that came from
    the name (``--input-format auto``), so a ``.json`` file that holds JSON
    Lines may still be read as lines. ``compression`` is what the first bytes
    say (None for stdin until it is opened), ``named`` what the name says.
    """

    label: str
    path: Path | None
    kind: Literal["jsonl", "json"]
    size: int | None
    compression: Compression | None = None
    named: Compression | None = None
    auto: bool = True

    @property
    def splittable(self) -> bool:
        """Whether workers can read byte ranges of it themselves (a plain JSON Lines file)."""
        return self.path is not None and self.kind == "jsonl" and self.compression is None

    def source_issues(self) -> list[Issue]:
        """Issues about the file itself, reported before its objects: compressed data under a plain name."""
        if self.path is None:
            return []
        comp, named = self.compression, self.named
        if comp is not None and named is None and self.auto:
            return [
                Issue(
                    "compression_mismatch",
                    (),
                    f"{comp.name} data in a file not named {comp.suffix}; it was decompressed",
                    hint=f"name it {comp.suffix} or pass --input-format",
                    severity="warning",
                )
            ]
        if named is not None and comp is not named:
            found = f"{comp.name} data" if comp is not None else "data that is not compressed"
            return [
                Issue(
                    "compression_mismatch",
                    (),
                    f"the name says {named.name} ({named.suffix}) but the file holds {found}; read as {found}",
                    hint="name the file after what it holds",
                    severity="warning",
                )
            ]
        return []


def open_source(source: DataSource) -> IO[bytes]:
    """The decompressed bytes of a source (stdin's compression is recognised here, by peeking)."""
    if source.path is None:
        raw: IO[bytes] = stdin_binary()
        peek = getattr(raw, "peek", None)
        head = peek(MAGIC_BYTES)[:MAGIC_BYTES] if peek is not None else b""
        comp = sniff_compression(head)
    else:
        try:
            raw = open(source.path, "rb")  # noqa: SIM115 - the caller closes what it gets
        except OSError as exc:
            raise UserError(f"{source.label}: cannot read: {exc.strerror or exc}") from None
        comp = source.compression
    return comp.opener(raw) if comp is not None else raw


_READ_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError)


def read_errors() -> tuple[type[BaseException], ...]:
    """What a decompressing read raises on corrupt or truncated data (zstandard's own error included)."""
    import lzma

    import zstandard

    return (*_READ_ERRORS, lzma.LZMAError, zstandard.ZstdError)


def corrupt_message(source: DataSource, exc: BaseException) -> str:
    what = f"{source.compression.name} data" if source.compression is not None else "the input"
    return f"{what} is corrupt or truncated: {exc}"


def read_source_bytes(source: DataSource) -> bytes:
    """The whole decompressed content of a source (a ``.json`` document is parsed whole)."""
    stream = open_source(source)
    try:
        return stream.read()
    except read_errors() as exc:
        raise InputReadError(corrupt_message(source, exc)) from None
    finally:
        if source.path is not None:
            stream.close()


def decode_text(label: str, raw: bytes) -> str:
    """UTF-8 text of a file's bytes (a byte order mark dropped), or a UserError naming the file."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{label}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None


def discover_data(
    args: Sequence[str], *, skipped: list[str] | None = None, input_format: str = "auto", exclude: Sequence[str] = ()
) -> list[DataSource]:
    """Expand the DATA arguments into sources, in command-line order, directories sorted.

    Every problem with a path the user named (missing, an empty directory) is
    found before any output is written, so a typo fails fast with exit 2
    instead of after a long run. A file found inside a directory that cannot
    be read (a dangling symbolic link, no permission) is not the user's typo:
    with ``skipped`` given, its message goes there and the other files are
    still checked (the caller reports it and exits 2 at the end). Files in
    ``exclude`` (the schema of the run, when a hook passes it among the data) are left out.
    """
    sources: list[DataSource] = []
    seen: set[str] = {os.path.realpath(e) for e in exclude}
    for arg in args:
        if arg == STDIN:
            if STDIN in seen:
                raise UserError("-: standard input can be given only once")
            seen.add(STDIN)
            kind: Literal["jsonl", "json"] = "json" if input_format == "json" else "jsonl"
            sources.append(DataSource(STDIN, None, kind, None, auto=input_format == "auto"))
            continue
        path = Path(arg)
        if path.is_dir():
            found = list(_walk_data_dir(arg))
            if not found:
                raise UserError(f"{arg}: directory holds no {', '.join(DATA_SUFFIXES)} files (compressed or not)")
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
                sources.append(source_for(label, input_format))
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
            if data_name(name).lower().endswith(DATA_SUFFIXES) and not name.startswith("."):
                yield os.path.join(dirpath, name)


def source_for(label: str, input_format: str = "auto") -> DataSource:
    """Describe one data file: its format (from ``input_format`` or its name) and its compression."""
    path = Path(label)
    if not path.exists():
        # a dangling symbolic link in a data directory: the file it names is missing
        raise UserError(f"{label}: no such file (a symbolic link to a missing file)")
    if not os.access(label, os.R_OK):
        raise UserError(f"{label}: permission denied")
    try:
        with open(label, "rb") as f:
            head = f.read(MAGIC_BYTES)
    except OSError as exc:
        raise UserError(f"{label}: cannot read: {exc.strerror or exc}") from None
    if input_format == "auto":
        kind: Literal["jsonl", "json"] = "json" if data_name(label).lower().endswith(JSON_SUFFIXES) else "jsonl"
    else:
        kind = "json" if input_format == "json" else "jsonl"
    return DataSource(
        label,
        path,
        kind,
        path.stat().st_size,
        compression=sniff_compression(head),
        named=named_compression(label),
        auto=input_format == "auto",
    )


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
