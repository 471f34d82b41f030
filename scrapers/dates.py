"""A fast, lenient ISO-8601 reader shared by the structured-data readers.

Structured sources state times in ISO-8601 or something close to it
(``2024-5-28T16:30+0:00``, ``+0000`` offsets, a space instead of ``T``,
compact hCalendar ``20080228T173000``). One regex and the ``datetime``
constructor read them all, far faster than a general date parser.
"""

from __future__ import annotations

import re
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

__all__ = ["parse_datetime", "fixed_offset", "zone"]

_ISO = re.compile(
    r"\s*(\d{4})-?(\d{1,2})-?(\d{1,2})"
    r"(?:(?:T|\s+|T\s*)(\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?\s*$",
    re.I,
)


@lru_cache(maxsize=512)
def fixed_offset(text: str) -> timezone | None:
    """``Z``, ``+0000``, ``+0:00``, ``-05``, ``+05:30`` as a fixed offset (None when absurd)."""
    text = text.strip()
    if text.upper() in ("Z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text.lstrip("+-")
    if ":" in digits:
        hours, _, minutes = digits.partition(":")
    elif len(digits) > 2:
        hours, minutes = digits[:-2], digits[-2:]
    else:
        hours, minutes = digits, "0"
    try:
        delta = timedelta(hours=int(hours), minutes=int(minutes))
    except ValueError:
        return None
    if delta >= timedelta(hours=24):
        return None
    return timezone.utc if not delta else timezone(sign * delta)


def zone(name: str | tzinfo | None) -> tzinfo | None:
    """An IANA zone name (or a fixed ``UTC+2``-style offset) as a tzinfo, or None."""
    if name is None or isinstance(name, tzinfo):
        return name
    name = name.strip()
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        pass
    m = re.fullmatch(r"(?:UTC|GMT)?\s*([+-]\d{1,2}(?::?\d{2})?)", name, re.I)
    return fixed_offset(m.group(1)) if m else None


def parse_datetime(text: object, default_tz: str | tzinfo | None = None) -> datetime | date | None:
    """An ISO-8601-ish value as a datetime (aware when it states an offset), a date, or None.

    ``default_tz`` is given to times that state no offset; without it they stay naive.
    """
    if not isinstance(text, str) or len(text) > 64:
        return None
    m = _ISO.match(text)
    if m is None:
        return None
    year, month, day, hour, minute, second, offset = m.groups()
    try:
        if hour is None:
            return date(int(year), int(month), int(day))
        tz = fixed_offset(offset) if offset else zone(default_tz)
        if offset and tz is None:
            return None
        hour_i = int(hour)
        value = datetime(int(year), int(month), int(day), 0 if hour_i == 24 else hour_i,
                         int(minute), int(second or 0), tzinfo=tz)
        return value + timedelta(days=1) if hour_i == 24 else value
    except (ValueError, OverflowError):
        return None
