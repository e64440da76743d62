"""Strict calendar dates and RFC 3339 date-times, shared by the validator and the filters."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z", re.ASCII)
_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?\Z",
    re.ASCII,
)


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD`` naming a real calendar day, else None (``20240105`` and ``2024-02-30`` are None)."""
    m = _DATE.match(text)
    if m is None:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def parse_datetime(text: str) -> tuple[datetime, bool] | None:
    """An RFC 3339 date-time as ``(aware datetime, was_naive)``; a naive one is taken as UTC."""
    m = _DATETIME.match(text)
    if m is None:
        return None
    offset = m[8]
    if offset is None or offset in ("Z", "z"):
        tz = UTC
    else:
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        if hours > 23 or minutes > 59:
            return None
        delta = timedelta(hours=hours, minutes=minutes)
        tz = timezone(-delta if offset[0] == "-" else delta)
    fraction = m[7]
    micro = int((fraction[1:] + "000000")[:6]) if fraction else 0
    try:
        value = datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6]), micro, tzinfo=tz)
    except ValueError:
        return None
    return value, offset is None


def as_instant(value: date | datetime) -> datetime:
    """A date or datetime as an aware UTC instant: a date is its midnight UTC, a naive datetime is UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)
