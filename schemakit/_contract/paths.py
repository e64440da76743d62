"""Field paths: parsed once, resolved against a bucket schema, read from records, rendered.

A path is written dotted (``metadata.dimensions.width``). Its segments are
names; a segment of ASCII digits that follows an array names a list index
(``tags.0``), and ``a[0].b`` is accepted as another spelling of ``a.0.b``.
Every pillar goes through this module, under one semantics:

Against a schema (:func:`resolve`)
    A name steps into an object's declared ``properties``. Arrays are
    transparent: a name after an array of objects steps into its items'
    properties (the path *fans out*: one record gives one value per element),
    and a digit segment after an array steps into its items by index.
    Below a file field, an object with no declared properties or an array
    with no declared items, every path exists and its type is unknown: the
    result is *open* (``field is None``). A path that names nothing declared
    resolves to None. Consumers refuse the outcomes they cannot use (a
    collection's source field cannot be open or indexed) but never reinterpret
    the walk.

On a record (:func:`read`)
    A name is a dict key; a digit segment is a key on a dict and an index on
    a list; a name on a list of objects fans out over the elements that hold
    it, collecting a :class:`FanOut` (never empty). A path that names nothing
    reads :data:`ABSENT`.

Rendered
    :func:`dotted` joins segments back; :func:`json_pointer` gives RFC 6901.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from schemakit._contract.sentinels import ABSENT, Absent

if TYPE_CHECKING:
    from schemakit._contract.bucket import FieldDef, SchemaDef

Segments = tuple[str, ...]


# -- parsing and rendering ------------------------------------------------------------------------


def path_problem(text: Any) -> str | None:
    """Why ``text`` is not a dotted path, or None."""
    if not isinstance(text, str):
        # imported here, on the error path only: an import statement costs every parsed condition ~3 µs
        from schemakit._issues import describe

        return f"a field must be a string, found {describe(text)}"
    if text == "":
        return "a field must not be empty"
    if "" in text.split("."):
        return f"field {text!r} has an empty path segment"
    return None


_BRACKET_INDEX = re.compile(r"\[([0-9]+)\](?=$|[.\[])")


def parse(text: str) -> Segments:
    """The segments of a dotted path; ``a[0].b`` and ``a.0.b`` give the same segments.

    Only a bracketed run of ASCII digits is an index: ``a[b]`` stays one name,
    since field names may hold brackets. Parsing never fails: validity is
    :func:`path_problem`'s question, asked once by the front ends, so a checked
    path is split here without re-checking.
    """
    if "[" in text:
        text = _BRACKET_INDEX.sub(lambda m: ("." if m.start() else "") + m[1], text)
    return tuple(text.split("."))


def is_index(segment: str) -> bool:
    """Whether a segment can name a list index (ASCII digits only: ``"٣"`` is a name)."""
    return segment.isdigit() and segment.isascii()


def dotted(segments: Sequence[str | int]) -> str:
    return ".".join(str(s) for s in segments)


def json_pointer(path: Sequence[str | int]) -> str:
    """RFC 6901 pointer for a path: ``("blobs", 0, "type")`` -> ``"/blobs/0/type"``."""
    if not path:
        return ""
    return "".join("/" + _segment_text(seg).replace("~", "~0").replace("/", "~1") for seg in path)


# Python refuses to print longer integers (sys.get_int_max_str_digits defaults to 4300)
_MAX_PRINTED_INT_BITS = 14_000


def _segment_text(seg: str | int) -> str:
    if isinstance(seg, str):
        return str.__str__(seg)
    if isinstance(seg, int) and seg.bit_length() > _MAX_PRINTED_INT_BITS:
        return f"an integer of {seg.bit_length()} bits"
    return str(seg)


# -- against a schema -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One resolved segment: the field it names and how many array levels that field wraps."""

    key: str
    field: FieldDef | None
    arrays: int
    index: bool = False
    """True when the segment was a list index into the previous field's items."""


@dataclass(frozen=True, slots=True)
class Resolved:
    """A path that exists in a schema."""

    dotted: str
    steps: tuple[Step, ...]
    field: FieldDef | None
    """The field the path names; None when it is *open* (below an undeclared structure)."""

    @property
    def open(self) -> bool:
        return self.field is None

    @property
    def indexed(self) -> bool:
        return any(s.index for s in self.steps)

    @property
    def fans_out(self) -> bool:
        """True when the path crosses an array of objects before its last segment."""
        return any(s.arrays for s in self.steps[:-1])

    @property
    def last(self) -> str:
        return self.steps[-1].key


def array_depth(f: FieldDef) -> tuple[int, FieldDef]:
    """How many array levels wrap ``f``'s innermost item, and that item (``f`` itself for a non-array)."""
    depth = 0
    node = f
    while node.type == "array" and node.items is not None:
        depth += 1
        node = node.items
    return depth, node


def _open_below(f: FieldDef) -> bool:
    """Whether everything below ``f`` exists undeclared (so a path into it is open)."""
    _, inner = array_depth(f)
    if inner.type == "array":  # an array whose items are not declared
        return True
    return inner.is_file or (inner.type == "object" and not inner.properties)


def resolve(schema: SchemaDef, path: str | Segments) -> Resolved | None:
    """Resolve a path against ``schema`` under the module's semantics; None when it names nothing."""
    segments = parse(path) if isinstance(path, str) else path
    if not segments or "" in segments:
        return None
    text = path if isinstance(path, str) else dotted(path)
    found = schema.fields.get(segments[0])
    if found is None:
        return None
    steps = [Step(segments[0], found, array_depth(found)[0])]
    current = found
    for i in range(1, len(segments)):
        seg = segments[i]
        if current.type == "array" and current.items is not None and is_index(seg):
            current = current.items
            steps.append(Step(seg, current, array_depth(current)[0], index=True))
            continue
        if _open_below(current):
            steps.extend(Step(s, None, 0) for s in segments[i:])
            return Resolved(text, tuple(steps), None)
        props = array_depth(current)[1].properties
        nxt = props.get(seg) if props else None
        if nxt is None:
            return None
        current = nxt
        steps.append(Step(seg, current, array_depth(current)[0]))
    return Resolved(text, tuple(steps), current)


def walk(schema: SchemaDef) -> Iterator[tuple[Segments, FieldDef]]:
    """Every declared field with its segments, in declaration order; array items share the array's path."""
    stack: list[tuple[Segments, FieldDef]] = [((name,), f) for name, f in reversed(list(schema.fields.items()))]
    while stack:
        segments, f = stack.pop()
        yield segments, f
        inner = array_depth(f)[1]
        if inner.properties:
            stack.extend(((*segments, k), v) for k, v in reversed(list(inner.properties.items())))


def all_paths(schema: SchemaDef) -> Iterator[str]:
    """Every declared field's dotted path (what did-you-mean hints choose from)."""
    for segments, _ in walk(schema):
        yield ".".join(segments)


# -- on a record ------------------------------------------------------------------------------------


class FanOut:
    """The values a path collected by fanning out over a list of objects (never empty)."""

    __slots__ = ("values",)

    def __init__(self, values: list[Any]) -> None:
        self.values = values

    def __repr__(self) -> str:
        return f"FanOut({self.values!r})"


def step(node: Any, key: str) -> Any:
    """One segment on a record: a dict key, a list index, or a fan-out over a list of objects."""
    if node is ABSENT:
        return ABSENT
    if isinstance(node, dict):
        return node.get(key, ABSENT)
    if isinstance(node, list):
        if is_index(key):
            # no list holds 10**18 elements, and int() refuses a string of more than 4300 digits
            digits = key.lstrip("0")
            if len(digits) > 18:
                return ABSENT
            index = int(digits or "0")
            return node[index] if index < len(node) else ABSENT
        found = [e[key] for e in node if isinstance(e, dict) and key in e]
        return FanOut(found) if found else ABSENT
    if isinstance(node, FanOut):
        collected: list[Any] = []
        for value in node.values:
            got = step(value, key)
            if isinstance(got, FanOut):
                collected.extend(got.values)
            elif got is not ABSENT:
                collected.append(got)
        return FanOut(collected) if collected else ABSENT
    return ABSENT


def read(record: Any, segments: Segments) -> Any | Absent | FanOut:
    """The value at ``segments`` in ``record``: a value, a :class:`FanOut`, or :data:`ABSENT`."""
    node: Any = record if isinstance(record, dict) else ABSENT
    for key in segments:
        node = step(node, key)
    return node


def found_values(v: Any) -> tuple[Any, ...] | list[Any]:
    """What :func:`read` found, as a sequence: empty for ABSENT, the values of a FanOut, else the value."""
    if v is ABSENT:
        return ()
    if isinstance(v, FanOut):
        return v.values
    return (v,)


def candidates(v: Any) -> Iterator[Any]:
    """Each found value, and the elements of each found list (one level, as document databases do)."""
    for f in found_values(v):
        yield f
        if isinstance(f, list):
            yield from f
