"""The unique keys of a ``validate`` run: the one state that grows with the input, kept compact.

A dict of a million key tuples to their locations costs about 150 bytes a key
(the tuple, its strings, the location int, the dict slot). Here a key is a
64-bit digest in an open-addressing table of two ``array('Q')`` columns (the
digest, and where it was first seen packed as ``file << 40 | line``): 16 bytes
a slot, kept between 3/8 and 3/4 full, so 21 to 43 bytes a key, 64 while the
table doubles.

Two different keys share a digest with probability about n²/2⁶⁵ for n keys
(3 in 100 million at a million keys); the report would then call the second a
duplicate of the first. The digest is Python's own string hash (SipHash, keyed
per process) of the key's ``repr`` after the library's normalisation
(``unique_key_value``), so equal keys (``1`` and ``1.0``, two spellings of one
instant) share it. Its key changes from one process to the next, which does not
matter: only the parent process of a run records keys. (Hashing the tuple itself
would not do: ``hash(-1) == hash(-2)``.)
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable

LINE_BITS = 40
LINE_MASK = (1 << LINE_BITS) - 1
_EMPTY = 0
_MIN_SLOTS = 1 << 12


_MASK64 = (1 << 64) - 1


def key_digest(key: Hashable) -> int:
    """A non-zero 64-bit digest of a normalized key (0 marks an empty slot)."""
    return (hash(repr(key)) & _MASK64) or 1


class KeyStore:
    """Where each unique key was first seen, at 16 bytes a slot."""

    __slots__ = ("_digests", "_label_ids", "_labels", "_mask", "_used", "_where")

    def __init__(self) -> None:
        self._digests = array("Q", bytes(8 * _MIN_SLOTS))
        self._where = array("Q", bytes(8 * _MIN_SLOTS))
        self._mask = _MIN_SLOTS - 1
        self._used = 0
        self._labels: list[str] = []
        self._label_ids: dict[str, int] = {}

    def __len__(self) -> int:
        return self._used

    @property
    def nbytes(self) -> int:
        """The table's size in bytes (both columns)."""
        return 16 * (self._mask + 1)

    def first_seen(self, key: Hashable, label: str, line: int) -> tuple[str, int] | None:
        """Where ``key`` was first seen, or None after recording it as seen at ``label:line``."""
        digest = key_digest(key)
        digests = self._digests
        mask = self._mask
        i = digest & mask
        while True:
            found = digests[i]
            if found == _EMPTY:
                break
            if found == digest:
                where = self._where[i]
                return self._labels[where >> LINE_BITS], where & LINE_MASK
            i = (i + 1) & mask
        label_id = self._label_ids.get(label)
        if label_id is None:
            label_id = self._label_ids[label] = len(self._labels)
            self._labels.append(label)
        digests[i] = digest
        self._where[i] = (label_id << LINE_BITS) | min(line, LINE_MASK)
        self._used += 1
        if 4 * self._used > 3 * (mask + 1):
            self._grow()
        return None

    def _grow(self) -> None:
        old_digests, old_where = self._digests, self._where
        size = 2 * (self._mask + 1)
        mask = size - 1
        digests = array("Q", bytes(8 * size))
        where = array("Q", bytes(8 * size))
        for digest, at in zip(old_digests, old_where, strict=True):
            if digest == _EMPTY:
                continue
            i = digest & mask
            while digests[i] != _EMPTY:
                i = (i + 1) & mask
            digests[i] = digest
            where[i] = at
        self._digests, self._where, self._mask = digests, where, mask
