"""Hypothesis generators of valid non-null values, one per scalar field type, named by its ``strategy``.

Reached only through :meth:`schemakit._contract.types.FieldType.generator`,
so the type table (and with it ``import schemakit``) never needs hypothesis;
this module needs it at its top. Each generator returns a fresh strategy;
callers that draw often build theirs once.

The values shrink toward the simplest valid value of the type (``""``, ``0``,
``False``, ``2000-01-01``, ``2000-01-01T00:00:00Z``), which is what a
minimal counterexample should read like.
"""

from __future__ import annotations

from hypothesis import strategies as st


def strings() -> st.SearchStrategy[str]:
    return st.text(max_size=20)


def integers() -> st.SearchStrategy[int | float]:
    """Integers, and integral floats (a valid integer too; exact up to 2**53)."""
    return st.one_of(st.integers(), st.integers(-(2**53), 2**53).map(float))


def numbers() -> st.SearchStrategy[int | float]:
    """Finite numbers: integers and floats, never NaN or an infinity."""
    return st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False))


def booleans() -> st.SearchStrategy[bool]:
    return st.booleans()


def dates() -> st.SearchStrategy[str]:
    """``YYYY-MM-DD`` calendar dates; shrink toward ``2000-01-01``."""
    return st.dates().map(lambda d: d.isoformat())


def datetimes() -> st.SearchStrategy[str]:
    """RFC 3339 date-times that always carry an offset; shrink toward ``2000-01-01T00:00:00Z``.

    RFC 3339 lets ``T`` and ``Z`` be lower case; that spelling turns up too.
    """
    return st.builds(
        lambda d, h, mi, s, frac, off, lower: _spell(f"{d.isoformat()}T{h:02d}:{mi:02d}:{s:02d}{frac}{off}", lower),
        st.dates(),
        st.integers(0, 23),
        st.integers(0, 59),
        st.integers(0, 59),
        _fraction(),
        _offset(),
        st.booleans(),
    )


def _fraction() -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), st.text(alphabet="0123456789", min_size=1, max_size=9).map(lambda d: "." + d))


def _offset() -> st.SearchStrategy[str]:
    signed = st.builds(
        lambda sign, h, m: f"{sign}{h:02d}:{m:02d}",
        st.sampled_from("+-"),
        st.integers(0, 23),
        st.integers(0, 59),
    )
    return st.one_of(st.just("Z"), signed)


def _spell(text: str, lower: bool) -> str:
    return text.replace("T", "t").replace("Z", "z") if lower else text
