"""Dates and times as people write them on event listings, read with regular expressions.

"January 25, 2024", "Jan. 25", "Thu 1/25/24", "25 January 2024", "2024-01-25",
"January 25-27, 2024", "Jan 30 - Feb 2", "6 p.m.", "6:00 - 8:00 PM", "Noon".
A year the text leaves out is inferred by the caller (`infer_year`); dateutil
reads only the short, date-looking strings the expressions cannot.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TypeVar

T = TypeVar("T")
MONTHS: dict[str, int] = {}
for _n, _names in enumerate(("january jan", "february feb", "march mar", "april apr", "may",
                             "june jun", "july jul", "august aug", "september sep sept",
                             "october oct", "november nov", "december dec"), start=1):
    for _name in _names.split():
        MONTHS[_name] = _n

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary|urary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[7-9]\d|20\d\d)"
_DASH = r"\s*(?:-|–|—|to|through|thru|until)\s*"


def _date_re(month: str, first: str, flags: int = re.I, *, day_first: bool = False) -> re.Pattern[str]:
    """The date expression with ``month`` for a month name and ``first`` for where a date may start;
    ``day_first`` reads "15/01/2025" and "15-01-2025" as most of the world writes them (the groups
    keep their names)."""
    m3, d3 = r"(?P<m3>1[0-2]|0?[1-9])", r"(?P<d3>[12]\d|3[01]|0?[1-9])"
    m5, d5 = r"(?P<m5>1[0-2]|0?[1-9])", r"(?P<d5>[12]\d|3[01]|0?[1-9])"
    first3, second3, first5, second5 = (d3, m3, d5, m5) if day_first else (m3, d3, m5, d5)
    return re.compile(
        rf"""(?=[{first}])(?<![\w/.-])(?:
      (?P<m1>{month})(?:\.?\s+|-(?=\d\d?-(?:19|20)\d\d))(?P<d1>{_DAY})(?![\d:])
          (?:{_DASH}(?:(?P<m1b>{month})\.?\s+)?(?P<d1b>{_DAY})(?![\d:]))?
          (?:(?:\s*,?\s*|-)(?P<y1>{_YEAR})(?!\d))?
    | (?P<d2>{_DAY})(?:{_DASH}(?P<d2b>{_DAY}))?(?:\s+(?:of\s+)?|-(?=[a-z]{{3,9}}-(?:19|20)\d\d))(?P<m2>{month})(?![a-z])\.?
          (?:(?:\s*,?\s+|-)(?P<y2>{_YEAR})(?!\d))?
    | {first3}[/.]{second3}(?:[/.](?P<y3>(?:19|20)?\d\d))?(?![\d/])
    | (?P<y4>{_YEAR})[-/](?P<m4>1[0-2]|0[1-9])[-/](?P<d4>[12]\d|3[01]|0[1-9])(?![\d/])
    | {first5}-{second5}-(?P<y5>{_YEAR})(?!\d)
    )""", flags | re.X)


#: one alternation, so a text is scanned once; the group names say which form matched
DATE_RE = _date_re(_MONTH, "0-9jfmasondJFMASOND")
#: the same for a text that names no month (most do not): only the numeric forms can match, and
#: only digits need trying (same groups; the month-name forms cannot match)
_NUMERIC_DATE_RE = _date_re("(?!)", "0-9")
#: the two for ASCII text lower-cased (the same places and groups): matching case is twice as fast
_LOWER_DATE_RE = _date_re(_MONTH, "0-9jfmasond", 0)
_LOWER_NUMERIC_DATE_RE = _date_re("(?!)", "0-9", 0)
#: the four, day first: (named, lower-cased) -> expression
_DAY_FIRST_RE = {(True, False): _date_re(_MONTH, "0-9jfmasondJFMASOND", day_first=True),
                 (False, False): _date_re("(?!)", "0-9", day_first=True),
                 (True, True): _date_re(_MONTH, "0-9jfmasond", 0, day_first=True),
                 (False, True): _date_re("(?!)", "0-9", 0, day_first=True)}
#: a numeric date only a day-first reading makes a date ("15/01/2025"), and one only a month-first
#: reading does ("01/15/2025"): which of them a page writes says how it writes the others
DAY_FIRST_DATE = re.compile(r"(?<![\w/.-])(?:1[3-9]|2\d|3[01])[/.](?:0?[1-9]|1[0-2])[/.](?:19|20)?\d\d(?![\d/])")
MONTH_FIRST_DATE = re.compile(r"(?<![\w/.-])(?:0?[1-9]|1[0-2])[/.](?:1[3-9]|2\d|3[01])[/.](?:19|20)?\d\d(?![\d/])")
#: what every numeric date holds: a digit, a separator, a digit ("1/5", "2024-01", "1-5-2024")
_NUMERIC_HINT = re.compile(r"\d[/.-]\d")
#: every month name starts with one of these: a lower-cased text holding none names no month
_MONTH_STEM = re.compile("jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec")

#: "January 2024", "January, 2023": a month heading that gives later dates their year
MONTH_YEAR_RE = re.compile(rf"(?<!\w)(?P<m>{_MONTH})\.?,?\s+(?P<y>{_YEAR})(?!\d)", re.I)
YEAR_RE = re.compile(rf"(?<![\d/.-]){_YEAR}(?![\d/])")

_AMPM = r"(?P<{}>a\.?\s?m\.?|p\.?\s?m\.?)(?![a-z])"
#: minutes may be typed "oo", seconds may follow, and a stray colon may stand before the meridiem ("3:pm")
_CLOCK = r"(?P<{h}>[01]?\d|2[0-3])(?:[:.](?P<{m}>[0-5]\d|oo)(?::[0-5]\d)?)?:?"  # seconds: "7:00:00 PM"


def _time_re(named: str, ends: str, first: str, flags: int = re.I) -> re.Pattern[str]:
    """The time expression with ``named`` for noon and midnight (``ends`` where a range ends) and
    ``first`` for where a time may start."""
    return re.compile(
        rf"""(?=[{first}])(?<![\w:/.])(?:
      (?:12(?::00)?\s*)?(?P<noon>{named})(?:{_DASH}(?:{_CLOCK.format(h="h5", m="n5")}\s*{_AMPM.format("ap5")}
                                  |(?P<h8>1[0-2]|0?[1-9])[:.](?P<n8>[0-5]\d)(?![\d:])))?
    | {_CLOCK.format(h="h1", m="n1")}\s*(?:{_AMPM.format("ap1")})?
      {_DASH}
      (?:(?:12(?::00)?\s*)?(?P<noon2>{ends})|{_CLOCK.format(h="h2", m="n2")}\s*{_AMPM.format("ap2")})
    | {_CLOCK.format(h="h3", m="n3")}\s*{_AMPM.format("ap3")}
    | (?P<h6>[01]?\d|2[0-3]):(?P<n6>[0-5]\d)(?::[0-5]\d)?{_DASH}(?P<h7>[01]?\d|2[0-4]):(?P<n7>[0-5]\d)(?::00)?(?![\d:])
    | (?P<h4>[01]?\d|2[0-3]):(?P<n4>[0-5]\d)(?::[0-5]\d)?(?![\d:])(?!\s*(?:-|/))
    )""", flags | re.X)


TIME_RE = _time_re("noon|midday|midnight", "noon|midnight", "0-9nmNM")
#: the same for a text that names neither noon nor midnight (most): only clock times can match
_CLOCK_TIME_RE = _time_re("(?!)", "(?!)", "0-9")
#: the two for ASCII text lower-cased, as for dates
_LOWER_TIME_RE = _time_re("noon|midday|midnight", "noon|midnight", "0-9nm", 0)
_LOWER_CLOCK_TIME_RE = _time_re("(?!)", "(?!)", "0-9", 0)


#: cheap tests that rule most text out before the full expressions run
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class DateMention:
    """A calendar date written in a text; ``year`` is None when the text leaves it out."""

    start: int
    end: int
    month: int
    day: int
    year: int | None
    #: a span's last day, when the text gives one ("Jan 25-27", "Jan 30 - Feb 2")
    last_month: int | None = None
    last_day: int | None = None
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class TimeMention:
    start: int
    end: int
    at: time
    until: time | None = None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _valid(year: int | None, month: int, day: int) -> bool:
    if day <= 28:  # every month has these (the expressions only read months 1 to 12)
        return True
    try:
        date(year or 2024, month, day)  # 2024 is a leap year: Feb 29 stays possible
    except ValueError:
        return False
    return True


def _month(name: str) -> int:
    return MONTHS[name.lower()[:3]]


def _num(text: str) -> int:
    """A day as written ("7", "07", "1st", "22nd")."""
    return int(text[:2]) if text[1:2].isdigit() else int(text[:1])


def find_dates(text: str, day_first: bool = False) -> list[DateMention]:
    """Every calendar date written in ``text``, in order; ``day_first`` for a page that writes
    "15/01/2025" (numeric dates day before month)."""
    found: list[DateMention] = []
    if not _DIGIT.search(text):
        return found
    lowered = text.lower()
    named = _MONTH_STEM.search(lowered) is not None
    if not named and _NUMERIC_HINT.search(text) is None:
        return found  # the numeric forms all have a digit beside a "/", "." or "-" ("8:30 AM" has none)
    if text.isascii():  # lower-casing ASCII keeps every place: match the lower-cased text
        expression, text = (_LOWER_DATE_RE if named else _LOWER_NUMERIC_DATE_RE), lowered
        if day_first:
            expression = _DAY_FIRST_RE[named, True]
    else:
        expression = _DAY_FIRST_RE[named, False] if day_first else DATE_RE if named else _NUMERIC_DATE_RE
    for m in expression.finditer(text):
        (m1, d1, m1b, d1b, y1, d2, d2b, m2, y2, m3, d3, y3, y4, m4, d4, m5, d5, y5) = m.groups()
        if day_first:  # the groups by position: the day's came first
            m3, d3, m5, d5 = d3, m3, d5, m5
        last_month = last_day = None
        numeric = False
        if m1:
            month, day, year = _month(m1), _num(d1), _year(y1)
            if d1b:
                last_month = _month(m1b) if m1b else month
                last_day = _num(d1b)
            elif y1 is None and (listed := _listed_days(text, m.end(), day)) is not None:
                # "January 8 & 22, 2027", "Jan. 12, 19 and 26": meetings of the month, the year
                # written once after them all
                spans, year = listed
                if all(_valid(year, month, d) for _, _, d in [(0, 0, day), *spans]):
                    found.append(DateMention(m.start(), m.end(), month, day, year))
                    found.extend(DateMention(start, end, month, d, year) for start, end, d in spans)
                    continue
        elif m2:
            month, day, year = _month(m2), _num(d2), _year(y2)
            if d2b:
                last_month, last_day = month, _num(d2b)
        elif m3:
            month, day, year, numeric = int(m3), int(d3), _year(y3), True
            if year is None and "." in m.group(0):
                continue  # "6.30" is a time or a price, not a date
        elif m4:
            month, day, year, numeric = int(m4), int(d4), int(y4), True
        else:
            month, day, year, numeric = int(m5), int(d5), int(y5), True
        if not _valid(year, month, day):
            continue
        if last_day is not None and (last_month is None or not _valid(year, last_month, last_day)):
            last_month = last_day = None
        found.append(DateMention(m.start(), m.end(), month, day, year, last_month, last_day, numeric))
    return _spans(found, text) if len(found) > 1 else found


#: a further day of the month a date names, after a comma, "&" or "and" (not an hour: "January 5, 7 pm"):
#: "January 8 & 22 2027", "Jan. 12, 19 and 26"
_LISTED_DAY = re.compile(rf"\s*(?P<sep>,\s*(?:and\b|&)?|&|and\b)\s*(?P<d>{_DAY})(?![\d:])"
                         rf"(?!\s*(?:[ap]\.?m\b|noon|o.clock|(?:st|nd|rd|th)?\s*floor))"
                         rf"(?:\s*,?\s*(?P<y>{_YEAR})(?!\d))?", re.I)


def _listed_days(text: str, at: int, first: int) -> tuple[list[tuple[int, int, int]], int | None] | None:
    """The later days of a month listed after its first (each day's span), and the year written after
    the last; None unless they rise and are joined by "&"/"and" somewhere, are three days in all or
    more, or have the year after them ("August 3, 10, 2027")."""
    spans: list[tuple[int, int, int]] = []
    joined = False
    year = None
    while (nxt := _LISTED_DAY.match(text, at)) is not None and (day := _num(nxt.group("d"))) > (
            spans[-1][2] if spans else first):
        joined = joined or nxt.group("sep").strip(" ,") != ""
        spans.append((nxt.start("d"), nxt.end("d"), day))
        at = nxt.end()
        if nxt.group("y"):
            year = _year(nxt.group("y"))
            break
    if not spans or not (joined or len(spans) >= 2 or year is not None):
        return None
    return spans, year


#: what joins the two ends of a span written in full: "Feb 6, 2027 - Feb 7, 2027", "02/06/2027 to 02/08/2027",
#: "Sat, March 20, 2027 - Sun, March 21, 2027"
SPAN_JOIN = r"\s*(?:[-–—]|to|through|thru|until)\s*" \
    r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?\.?,?\s*)?"
#: the same after the first end's time: "19 Feb 2027 6:30 PM - 20 Feb 2027 12:00 AM", "January 30, 9 a.m. to"
SPAN_JOIN_AFTER_TIME = r"(?:,?\s*(?:at|@)?\s*\d{1,2}(?:[:.]\d\d)?\s*(?:[ap]\.?\s?m\.?)?)?" + SPAN_JOIN
_SPAN_JOIN = re.compile(SPAN_JOIN_AFTER_TIME, re.I)
#: the longest span read as one event; dates further apart joined by a dash are a list of meetings
MAX_SPAN_DAYS = 7


def joined_pairs(items: list[T], joined: Callable[[int], T | None]) -> list[T]:
    """`items` with each neighbouring pair that ``joined(i)`` (the i-th and the next) makes one
    replaced by what it returns: the ends of spans made into one."""
    out: list[T] = []
    i = 0
    while i < len(items):
        one = joined(i) if i + 1 < len(items) else None
        out.append(items[i] if one is None else one)
        i += 1 if one is None else 2
    return out


def _spans(found: list[DateMention], text: str) -> list[DateMention]:
    """Two full dates joined by a dash or "to", a few days apart and not part of a longer run of
    such dates, as one span: the first with the second as its last day."""
    dashed = [i + 1 < len(found) and _SPAN_JOIN.fullmatch(text, found[i].end, found[i + 1].start) is not None
              for i in range(len(found))]

    def span(i: int) -> DateMention | None:
        first, last = found[i], found[i + 1]
        if (dashed[i] and not (i and dashed[i - 1]) and not dashed[i + 1]
                and first.last_day is None and last.last_day is None
                and (days := days_apart(first, last)) is not None and 0 < days <= MAX_SPAN_DAYS):
            year = first.year if first.year is not None or last.year is None else _year_before(first, last)
            return DateMention(first.start, last.end, first.month, first.day, year, last.month, last.day,
                               first.numeric)
        return None

    return joined_pairs(found, span)


def _year_before(first: DateMention, last: DateMention) -> int:
    """The year of a span's first end written without one, from the second's ("Dec 30 – Jan 2, 2027")."""
    assert last.year is not None
    return last.year if (first.month, first.day) <= (last.month, last.day) else last.year - 1


def days_apart(first: DateMention, last: DateMention) -> int | None:
    """Days from one date to a later one, the year the same or the next (or both unstated, or
    written once after the second: "April 12 – April 14, 2027")."""
    year = first.year if first.year is not None else 2001  # a year that is no leap year, as most
    if first.year is None and last.year is not None:
        year = _year_before(first, last)
    later = last.year if last.year is not None else (year if (last.month, last.day) >= (first.month, first.day)
                                                     else year + 1)
    if first.year is not None and last.year is None or not 0 <= later - year <= 1:
        return None
    try:
        return (date(later, last.month, last.day) - date(year, first.month, first.day)).days
    except ValueError:
        return None


def _clock(hour: str, minute: str | None, ampm: str | None) -> time | None:
    h, mi = int(hour), int(minute) if minute and minute.isdigit() else 0
    if ampm:
        if h == 0 or h > 12:
            return None
        pm = ampm.lower().startswith("p")
        h = h % 12 + (12 if pm else 0)
    return time(h, mi)


_NAMED = {"noon": time(12), "midday": time(12), "midnight": time(0)}


#: a month's name or its abbreviation ("jan", "Sept", "February"), for patterns built on it
MONTH_NAME = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
#: a month name just before a number: the number is a day, not an hour
_MONTH_BEFORE = re.compile(rf"(?<![a-z]){MONTH_NAME}\.?\s*$", re.I)


def find_times(text: str) -> list[TimeMention]:
    """Every clock time (or time range) written in ``text``, in order."""
    found: list[TimeMention] = []
    lowered = text.lower()
    if "noon" in lowered or "midday" in lowered or "midnight" in lowered:
        named = True
    elif _DIGIT.search(text):
        named = False
    else:
        return found
    if text.isascii():  # as for dates
        expression, text = (_LOWER_TIME_RE if named else _LOWER_CLOCK_TIME_RE), lowered
    else:
        expression = TIME_RE if named else _CLOCK_TIME_RE
    for m in expression.finditer(text):
        (noon, h5, n5, ap5, h8, n8, h1, n1, ap1, noon2, h2, n2, ap2, h3, n3, ap3, h6, n6, h7, n7, h4, n4) = m.groups()
        at = until = None
        if noon:
            at = _NAMED[noon.lower()]
            # "noon to 1:30": an end after noon with no meridiem is in the afternoon
            until = _clock(h5, n5, ap5) if h5 else _clock(h8, n8, "pm") if h8 else None
        elif h1 is not None:
            if not n1 and not ap1 and _MONTH_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                # "January 12 - 7:00 p.m.": the 12 is the date's day, the time is what follows it
                second = m.start("h2") if h2 is not None else m.start("noon2")
                at = _NAMED[noon2.lower()] if noon2 else _clock(h2, n2, ap2)
                if at is not None:
                    found.append(TimeMention(second, m.end(), at, None))
                continue
            until = _NAMED[noon2.lower()] if noon2 else _clock(h2, n2, ap2)
            first_ampm = ap1
            if not first_ampm and ap2:
                # "6-8 pm" shares the meridiem; "11-1 pm" crosses noon
                hour1, hour2 = int(h1), int(h2)
                first_ampm = ap2 if hour1 <= hour2 or hour2 == 12 else ("am" if ap2.lower().startswith("p") else "pm")
                if hour2 == 12 and hour1 < 12:
                    first_ampm = "am"
                if hour1 == 12 and hour2 < 12:
                    first_ampm = ap2  # "12 - 2 pm" starts at noon, "12 - 6 am" at midnight
            elif not first_ampm and noon2:
                first_ampm = "am"
            if not first_ampm and not n1:
                continue
            at = _clock(h1, n1, first_ampm)
        elif h3 is not None:
            at = _clock(h3, n3, ap3)
        elif h6 is not None:  # "18:00–20:00", the 24-hour clock's range
            at, until = _clock(h6, n6, None), time(0) if h7 == "24" else _clock(h7, n7, None)
            if at is not None and until is not None and not h6.startswith("0") and not h7.startswith("0") \
                    and h7 != "24" and at.hour <= 12 and until.hour <= 12:
                # a 12-hour range with no meridiem: "11:30 - 1:00" ends after noon, "6:00 - 8:00" is an evening's
                if 1 <= at.hour <= 6 and until.hour < 12:
                    at, until = at.replace(hour=at.hour + 12), until.replace(hour=until.hour + 12)
                elif until < at:
                    until = until.replace(hour=until.hour + 12)
        else:
            at = _clock(h4, n4, None)
            if at is not None and 1 <= at.hour <= 6 and not h4.startswith("0"):
                at = at.replace(hour=at.hour + 12)  # "6:30" with no meridiem: no one meets before dawn ("06:30" does)
        if at is not None:
            found.append(TimeMention(m.start(), m.end(), at, until))
    return found


_WEEKDAY_NAMES = re.compile(r"(?<![a-z])(mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?(?![a-z])", re.I)
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
#: the weekday words longer than their three-letter stem ("Mondays" and "Sunset" are not one)
_FULL_WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                            "tues", "thur", "thurs"})


def weekday_near(text: str, start: int, end: int) -> int | None:
    """The weekday (Monday 0) written just before or after a date ("Tue, Jan 9", "Jan 9 (Tue)"),
    or None: it tells a year-less date's year."""
    for piece in (text[max(0, start - 12):start], text[end:end + 10]):
        found = _WEEKDAY_NAMES.search(piece)
        if found and (found.group(0).lower().rstrip(".") in _FULL_WEEKDAYS or len(found.group(0).rstrip(".")) <= 4):
            return _WEEKDAYS[found.group(1).lower()]
    return None



def infer_year(month: int, day: int, context_year: int | None, previous: date | None,
               today: date, descending: bool = False) -> int:
    """The year of a date written without one.

    The nearest stated year wins (a heading, the page); after a December date a
    January one rolls into the next year (in a list written newest first, after a
    January date a December one is the year before); with nothing to go on, the date
    is the next one to come within a year's window around today (one just past stays).
    """
    if previous is not None:
        year = previous.year
        if descending:
            return year - 1 if month - previous.month >= 9 else year  # Jan/Feb then Nov/Dec
        if previous.month - month >= 9:  # Nov/Dec then Jan/Feb; not a table read row by row
            year += 1
        return year
    if context_year is not None:
        return context_year
    year = today.year
    if (month, day) < (today.month, today.day) and today.month - month > 6:
        year += 1
    elif month - today.month > 6:
        year -= 1
    return year


def loose_datetime(text: str) -> datetime | None:
    """A short date-looking string the expressions missed, read by dateutil (slow path)."""
    if len(text) > 40 or not re.search(r"\d", text):
        return None
    from dateutil import parser

    try:
        return parser.parse(text, fuzzy=False, default=datetime(1900, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None
