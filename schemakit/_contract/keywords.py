"""Keys a contract object does not define: one report for every reader of the contract's objects.

A misspelled key (``requird``, ``input_mapping``, ``colections``) is the
silent failure users trip over most: the reader ignores it and the default
applies. Every reader that walks a contract object (a collection request, a
pipeline manifest, a bucket schema's field) reports such keys here, the same
way: one issue per key, at ``(*path, key)``, with a did-you-mean hint.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from schemakit._issues import Issue, Path, Severity, Suggester, describe, suggestion_hint

DEFAULT_MESSAGE = "{key} is not a {what} of this object; it is ignored"


def unknown_keys(
    mapping: Iterable[Any],
    known: Collection[str],
    path: Path,
    *,
    code: str = "unknown_keyword",
    severity: Severity = "warning",
    what: str = "key",
    message: str = DEFAULT_MESSAGE,
    list_known: bool = True,
) -> list[Issue]:
    """One issue per key of ``mapping`` (a mapping, or its keys) that is not in ``known``, in their order.

    ``message`` is a template of ``{key}`` (the key quoted, or, for a key
    that is not a string, :func:`~schemakit._issues.describe` of it) and
    ``{what}``. The hint suggests the closest known key (a case-insensitive
    match first: ``Required`` -> ``required``, then the nearest spelling:
    ``requird`` -> ``required``); failing a suggestion, with ``list_known``,
    it lists the known keys (``"keys: a, b"``). ``known`` is indexed once per
    call, and only the first :data:`~schemakit._issues.MAX_SUGGESTED`
    unknown keys get a fuzzy suggestion, so a mapping of thousands of
    unknown keys costs a dictionary lookup per key.

    A key that is not a string is always unknown (a contract object's keys
    are strings) and is never hashed or compared: a caller's odd object is
    described, not run. Its path segment is its description.
    """
    known_set = frozenset(known)
    suggester: Suggester | None = None
    fallback = f"{what}s: " + ", ".join(known) if list_known and known else None
    out: list[Issue] = []
    for key in mapping:
        if isinstance(key, str):
            # the base class's methods: a str subclass's own __hash__/__eq__/__repr__ are never run
            plain = str.__str__(key)
            if plain in known_set:
                continue
            if suggester is None:
                suggester = Suggester(known)
            segment: str = plain
            label = str.__repr__(plain)
            hint = suggestion_hint(suggester.nearest(plain)) or fallback
        else:
            segment = label = describe(key)
            hint = fallback
        out.append(Issue(code, (*path, segment), message.format(key=label, what=what), hint, severity))
    return out
