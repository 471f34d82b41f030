"""A fast, lenient ISO-8601 reader shared by the structured-data readers.

Structured sources state times in ISO-8601 or something close to it
(``2024-5-28T16:30+0:00``, ``+0000`` offsets, a space instead of ``T``,
compact hCalendar ``20080228T173000``). One regex and the ``datetime``
constructor read them all, far faster than a general date parser.
"""

from __future__ import annotations

import re
from functools import lru_cache
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

__all__ = ["clock_time", "iso_duration", "parse_datetime", "fixed_offset", "zone"]

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


def _windows_zone(name: str) -> str | None:
    """The IANA zone of a Windows zone name ("Eastern Standard Time", as Microsoft Graph and
    Exchange write them), from icalendar's table of the CLDR mapping."""
    if not name.endswith("Time") or len(name) > 64:
        return None
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    return WINDOWS_TO_OLSON.get(name)


def zone(name: str | tzinfo | None) -> tzinfo | None:
    """An IANA zone name (or a Windows one, or a fixed ``UTC+2``-style offset) as a tzinfo, or None."""
    if name is None or isinstance(name, tzinfo):
        return name
    name = name.strip()
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        pass
    if (iana := _windows_zone(name)) is not None:
        return ZoneInfo(iana)
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


#: an ISO time written with one field too many ("18:00:00:00", "18:00:00.000:00"), before an offset
_EXTRA_FIELD = re.compile(r"(T?\d{1,2}:\d{2}:\d{2})(?:[:.]\d+){1,2}(?=$|Z|[+-]\d|\s)", re.I)
#: the separators of a range written in one field: ISO-8601 intervals ("A/B") and "A - B", "A to B"
_RANGE = re.compile(r"\s*/\s*|\s+(?:-|–|—|to|until)\s+|\s*[–—]\s*")
#: a 24-hour time range: "18:00-20:00", "18:00:00 – 24:00"
_CLOCK_RANGE = re.compile(r"(\d{1,2}:\d{2}(?::\d{2})?)\s*(?:-|–|—|to|until)\s*(\d{1,2}:\d{2}(?::\d{2})?)\s*$", re.I)
#: real zones lie within UTC-12 and UTC+14
_MAX_OFFSET = timedelta(hours=14)
_LEADING_DATE = re.compile(r"\s*(\d{4}-\d{1,2}-\d{1,2})(?:T|\s+)?(.*)$", re.I)


def parse_when(text: object, default_tz: str | tzinfo | None = None
               ) -> tuple[datetime | date | None, datetime | date | None]:
    """(start, end) from one field that may hold more than a start, read leniently.

    Sources put more in a date field than ISO allows: an extra time field
    (``2026-03-05T18:00:00:00-05:00``), a range (``2026-03-05T18:00/2026-03-05T20:00``,
    ``2026-03-05 6:00 PM - 8:00 PM``, ``2026-03-05T18:00-20:00``), a 24:00 end, a US zone's
    abbreviation (``2026-03-05 18:00 EST``), a date written out (``March 5, 2026 6:00 pm``,
    ``03/05/2026 6:00 PM``). The end is None when the field gives none; both are None when no
    start can be read.
    """
    value = parse_datetime(text, default_tz)
    if isinstance(value, datetime) and value.utcoffset() is not None and abs(value.utcoffset()) > _MAX_OFFSET:
        value = None  # "18:00-20:00" is a time range, not an offset of twenty hours
    if value is not None or not isinstance(text, str) or len(text) > 120 or not text.strip():
        return value, None
    fixed = _EXTRA_FIELD.sub(r"\1", text.strip())
    if fixed != text.strip() and (value := parse_datetime(fixed, default_tz)) is not None:
        return value, None
    if (abbreviated := _US_ZONE.search(fixed)) is not None:
        # "2027-01-15 18:00:00 EST": the abbreviation names the offset (the common US ones only)
        return parse_when(fixed[:abbreviated.start()], fixed_offset(_US_ZONES[abbreviated.group(1).upper()]))
    if not _LEADING_DATE.match(fixed):
        return _written_date(fixed, default_tz)
    parts = _RANGE.split(fixed, maxsplit=1)
    if len(parts) == 2:
        start, _ = parse_when(parts[0], default_tz)
        if start is not None:
            end = parse_datetime(parts[1], default_tz)
            if end is None and isinstance(start, datetime):
                end = _time_on(start, parts[1])
            return start, end
    return _date_then_clock(fixed, default_tz)


#: the zone abbreviations US sites write after a time, and their offsets
_US_ZONES = {"EST": "-05:00", "EDT": "-04:00", "CST": "-06:00", "CDT": "-05:00", "MST": "-07:00",
             "MDT": "-06:00", "PST": "-08:00", "PDT": "-07:00"}
_US_ZONE = re.compile(r"(?<=[\dmM.])\s*\b([ECMP][SD]T)\s*$", re.I)


def _written_date(text: str, default_tz: str | tzinfo | None
                  ) -> tuple[datetime | date | None, datetime | date | None]:
    """A date written out rather than in ISO form, as hand-written structured data has it:
    "January 14, 2027 6:00 pm", "01/16/2027 09:00 AM", "January 14, 2027 6-8 pm"; the year
    must be stated (a field has no page around it to tell one)."""
    from eventscout.scrapers.humandates import find_dates, find_times

    dates = find_dates(text)
    if len(dates) != 1 or dates[0].year is None:
        return None, None
    found = dates[0]
    try:
        day = date(found.year, found.month, found.day)
    except ValueError:
        return None, None
    rest = text[:found.start] + " " * (found.end - found.start) + text[found.end:]
    times = find_times(rest)
    if not times:
        # a number beside the date may be a time written another way ("20 May 2027 1830"): not a bare day
        return (day, None) if not any(c.isdigit() for c in rest) else (None, None)
    tz = zone(default_tz)
    start = datetime.combine(day, times[0].at, tzinfo=tz)
    until = times[0].until or (times[1].at if len(times) > 1 else None)
    end = datetime.combine(day, until, tzinfo=tz) if until else None
    if end is not None and end <= start:
        end += timedelta(days=1)
    return start, end


def _time_on(day: datetime, text: str) -> datetime | None:
    """A clock time ("20:00", "8:00 PM", "24:00") on the day of `day`, in its zone."""
    from eventscout.scrapers.humandates import find_times

    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})(?::\d{2})?\s*", text)
    if m and int(m.group(1)) <= 24 and int(m.group(2)) < 60:
        hour = int(m.group(1))
        at = day.replace(hour=0 if hour == 24 else hour, minute=int(m.group(2)), second=0)
        return at + timedelta(days=1) if hour == 24 else at
    times = find_times(text)
    if not times:
        return None
    return day.replace(hour=times[0].at.hour, minute=times[0].at.minute, second=0)


def _date_then_clock(text: str, default_tz: str | tzinfo | None
                     ) -> tuple[datetime | date | None, datetime | date | None]:
    """An ISO date followed by a written time or time range: "2026-03-05 6:00 PM - 8:00 PM"."""
    from eventscout.scrapers.humandates import find_times

    m = _LEADING_DATE.match(text)
    if m is None:
        return None, None
    day = parse_datetime(m.group(1))
    if not isinstance(day, date) or not m.group(2):
        return (day, None) if isinstance(day, date) and not m.group(2) else (None, None)
    tz = zone(default_tz)
    clocks = _CLOCK_RANGE.match(m.group(2))
    if clocks:
        start = _time_on(datetime.combine(day, datetime.min.time(), tzinfo=tz), clocks.group(1))
        end = _time_on(datetime.combine(day, datetime.min.time(), tzinfo=tz), clocks.group(2))
        if start is None:
            return None, None
    else:
        times = find_times(m.group(2))
        if not times:
            return None, None
        start = datetime.combine(day, times[0].at, tzinfo=tz)
        end = datetime.combine(day, times[0].until, tzinfo=tz) if times[0].until else None
    if end is not None and end <= start:
        end += timedelta(days=1)
    return start, end


_CLOCK = re.compile(r"\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(?:([ap])\.?\s*m\.?)?\s*", re.I)
_CLOCK_HOUR = re.compile(r"\s*(\d{1,2})()()\s*([ap])\.?\s*m\.?\s*", re.I)


def clock_time(text: str) -> time | None:
    """A time of day written alone, as a separate field or element gives it: "18:30", "18:30:15",
    "6:30 PM", "6:30 p. m.", "7pm"; None for anything else (a bare "7" is no time)."""
    m = _CLOCK.fullmatch(text) or _CLOCK_HOUR.fullmatch(text)
    if m is None:
        return None
    hour, minute, second = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    if m.group(4):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m.group(4).lower() == "p" else 0)
    return time(hour, minute, second) if hour < 24 and minute < 60 and second < 60 else None


_DURATION = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", re.I)


def iso_duration(text: object) -> timedelta | None:
    """An ISO 8601 duration of days, hours, minutes and seconds ("PT2H30M", "P1DT2H"), as
    schema.org's ``duration`` gives it; None for anything else, or for no length at all."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    m = _DURATION.fullmatch(text.strip())
    if m is None or not any(m.groups()):
        return None
    days, hours, minutes, seconds = (int(g or 0) for g in m.groups())
    length = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    return length if timedelta(0) < length <= timedelta(days=31) else None
