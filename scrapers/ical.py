"""iCalendar feeds (RFC 5545): every occurrence in the page's window, as the feed states it.

`icalendar` parses, `recurring-ical-events` expands RRULE/RDATE/EXDATE and
RECURRENCE-ID overrides. Real feeds are often broken, so:

- a feed icalendar refuses is re-read block by block, dropping the blocks
  (typically a VTIMEZONE with two TZIDs) it cannot read, and, for an event
  block that still fails, reading its lines one by one;
- a zone icalendar had to build from a VTIMEZONE becomes the IANA zone its
  TZID names (Windows/Outlook names mapped), else the fixed offset it states,
  else the time is floating; floating times take X-WR-TIMEZONE when given;
- absurd recurrence rules (SECONDLY, MINUTELY, thousands a day) are not
  expanded, in events and in VTIMEZONE definitions alike (a zone's
  transitions are yearly; one "every second since 1601" would be walked on
  every time lookup);
- a series that began centuries before the window is moved ahead, by whole
  periods of its rule, to just before the window, instead of being iterated
  from its start;
- one feed's expansion has a budget of `MAX_OCCURRENCES` occurrences, drawn
  from all its series at once in start order, so when it is spent the feed
  keeps its soonest events from every series, not the whole of the first ones.
"""

from __future__ import annotations

import heapq
import re
import warnings
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from icalendar.timezone import tzp

from eventscout.scrapers.event import HYBRID, IN_PERSON, ONLINE, Event, Location
from eventscout.scrapers.dates import fixed_offset
from eventscout.scrapers.feed_fields import (absolute_url, iana_zone, location_from_text, online_mode, status_from,
                                  window)
from eventscout.scrapers.page import Page
from eventscout.scrapers.text import clean, html_to_text

#: occurrences drawn from one feed's series in all (its budget of expansion work)
MAX_OCCURRENCES = 20_000
#: at most this many observances (STANDARD/DAYLIGHT) and RDATE values per VTIMEZONE
MAX_ZONE_PARTS = 200
_ZONE_NOTE = (f"refused in part: time zone rules repeating more often than yearly (or past {MAX_ZONE_PARTS} "
              "changes) were not expanded")
_TIME_PROPERTIES = {"DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"}
_BAD_FREQ = re.compile(r"FREQ=(?:SECONDLY|MINUTELY)", re.I)
_UTC_LABEL = re.compile(r"\(?(?:UTC|GMT)\s*([+-]\d{1,2})(?::?(\d{2}))?\)?", re.I)
_VTIMEZONE = re.compile(r"^BEGIN:VTIMEZONE\r?\n.*?^END:VTIMEZONE[^\n]*\n?", re.M | re.S)
_TZID_LINE = re.compile(r"^TZID[:;](?:.*?:)?(.*?)\r?$", re.M)


def read(page: Page) -> list[Event]:
    """The events of an iCalendar feed, recurring ones expanded in [page.since, page.until]."""
    if not page.looks_like_ical:
        return []
    calendar = _parse(page.text, page.notes)
    if calendar is None:
        return []
    return list(_Reading(calendar, page).events())


# --- parsing -----------------------------------------------------------------------------

def _parse(text: str, notes: list[str] | None = None) -> icalendar.Calendar | None:
    text = _without_known_zones(text, notes)
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except Exception:  # noqa: BLE001 - icalendar raises many kinds on broken feeds
        return _parse_leniently(text)
    return calendar if isinstance(calendar, icalendar.Calendar) else None


def _without_known_zones(text: str, notes: list[str] | None = None) -> str:
    """Drop VTIMEZONE definitions of zones that have a known IANA name (Windows names too).

    The IANA rules are the better definition of such a zone, reading them is far
    faster than expanding a VTIMEZONE's rules from 1601, and a VTIMEZONE with
    two TZIDs (a known WordPress plugin bug) would make icalendar refuse the feed.
    """
    if "BEGIN:VTIMEZONE" not in text:
        return text

    def replace(block: re.Match[str]) -> str:
        tzids = _TZID_LINE.findall(block.group(0))
        known = tzids and all(_zone_for_tzid(tzid) is not None for tzid in tzids)
        if known:
            return ""
        screened = _screened_zone(block.group(0))
        if screened != block.group(0) and notes is not None and _ZONE_NOTE not in notes:
            notes.append(_ZONE_NOTE)
        return screened

    return _VTIMEZONE.sub(replace, text)


def _screened_zone(block: str) -> str:
    """A VTIMEZONE without what would make every time lookup iterate for ever.

    Real zones change offset at most a few times a year: a rule more frequent
    than yearly, or one with many times a day, is dropped (its observance keeps
    its single start); observances and RDATE values past `MAX_ZONE_PARTS` go.
    """
    kept: list[str] = []
    observances = dates = 0
    skipping = False
    for line in re.split(r"(?<=\n)", block):
        upper = line.upper()
        if upper.startswith(("BEGIN:STANDARD", "BEGIN:DAYLIGHT")):
            observances += 1
            skipping = observances > MAX_ZONE_PARTS
        if skipping:
            if upper.startswith(("END:STANDARD", "END:DAYLIGHT")):
                skipping = False
            continue
        if upper.startswith("RRULE") and _absurd_zone_rule(upper):
            continue
        if upper.startswith("RDATE"):
            dates += line.count(",") + 1
            if dates > MAX_ZONE_PARTS:
                continue
        kept.append(line)
    return "".join(kept)


def _absurd_zone_rule(rule: str) -> bool:
    frequency = re.search(r"FREQ=([A-Z]+)", rule)
    many = sum(len(part.split(",")) for part in re.findall(r"BY(?:SECOND|MINUTE|HOUR)=([^;\r\n]*)", rule))
    return frequency is None or frequency.group(1) != "YEARLY" or many > 3


def _unfold(text: str) -> list[str]:
    lines: list[str] = []
    for raw in re.split(r"\r\n|\n|\r", text):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw.strip():
            lines.append(raw)
    return lines


def _blocks(lines: list[str]) -> tuple[list[str], list[list[str]]]:
    """Calendar-level property lines, and each top-level component's lines (BEGIN..END)."""
    header: list[str] = []
    blocks: list[list[str]] = []
    current: list[str] | None = None
    depth = 0
    for line in lines:
        upper = line.upper()
        if upper.startswith("BEGIN:"):
            if upper.startswith("BEGIN:VCALENDAR"):
                continue
            depth += 1
            if depth == 1:
                current = []
        if upper.startswith("END:VCALENDAR"):
            continue
        if current is not None:
            current.append(line)
        elif depth == 0:
            header.append(line)
        if upper.startswith("END:") and depth > 0:
            depth -= 1
            if depth == 0 and current is not None:
                blocks.append(current)
                current = None
    return header, blocks


def _parse_leniently(text: str) -> icalendar.Calendar | None:
    """Whatever a broken feed still says: each block on its own, unreadable ones dropped."""
    header, blocks = _blocks(_unfold(text))
    calendar = icalendar.Calendar()
    for line in header:
        readable = _component_from_lines("VCALENDAR", [line])
        if readable is not None:
            for name, value in readable.property_items(recursive=False):
                if name not in ("BEGIN", "END"):
                    calendar.add(name, value)
    # time zones first: events refer to them while being parsed
    blocks.sort(key=lambda block: not block[0].upper().startswith("BEGIN:VTIMEZONE"))
    for block in blocks:
        component = _component_from_block(block)
        if component is not None:
            calendar.add_component(component)
    return calendar


def _component_from_block(block: list[str]) -> icalendar.cal.Component | None:
    kind = block[0].split(":", 1)[1].strip().upper() if ":" in block[0] else ""
    if kind not in ("VEVENT", "VTIMEZONE"):
        return None
    try:
        return icalendar.Component.from_ical("\r\n".join(block) + "\r\n")
    except Exception:  # noqa: BLE001
        pass
    if kind != "VEVENT":
        return None
    inner = [line for line in block[1:-1] if not line.upper().startswith(("BEGIN:", "END:"))]
    return _component_from_lines(kind, inner)


def _component_from_lines(kind: str, lines: list[str]) -> icalendar.cal.Component | None:
    """A component from the property lines that icalendar can read one at a time."""
    good: list[str] = []
    for line in lines:
        try:
            icalendar.Component.from_ical(f"BEGIN:{kind}\r\n{line}\r\nEND:{kind}\r\n")
        except Exception:  # noqa: BLE001
            continue
        good.append(line)
    try:
        return icalendar.Component.from_ical("\r\n".join([f"BEGIN:{kind}", *good, f"END:{kind}"]) + "\r\n")
    except Exception:  # noqa: BLE001
        return None


# --- reading -----------------------------------------------------------------------------

class _Reading:
    """One calendar read into events: zones normalised, recurrences expanded."""

    def __init__(self, calendar: icalendar.Calendar, page: Page) -> None:
        if absurd := _prepare(calendar):
            page.notes.append(f"refused in part: {absurd} recurrence rule(s) repeating every second or minute, "
                              "or many times a day, were not expanded (each left as one event)")
        self.calendar = calendar
        self.page = page
        self.default_zone = iana_zone(clean(_get(calendar, "X-WR-TIMEZONE")))
        self.recurring_uids: set[str] = set()
        self.uids_with_end: set[str] = set()
        #: (UID, property) -> TZID: expansion rewrites DTSTART/DTEND and loses their parameters
        self.tzids: dict[tuple[str, str], str] = {}
        for c in calendar.walk("VEVENT"):
            uid = str(_get(c, "UID"))
            if "RRULE" in c or "RDATE" in c or "RECURRENCE-ID" in c:
                self.recurring_uids.add(uid)
            if "DTEND" in c or "DURATION" in c:
                self.uids_with_end.add(uid)
            for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
                tzid = getattr(_get(c, name), "params", {}).get("TZID")
                if isinstance(tzid, str):
                    self.tzids.setdefault((uid, name), tzid)

    def events(self) -> Iterator[Event]:
        start, stop = window(self.page.since, self.page.until)
        for component in self._occurrences(start, stop):
            try:
                event = self._event(component)
            except Exception:  # noqa: BLE001 - one undecodable occurrence must not end the feed
                continue
            if event is not None:
                yield event

    def _occurrences(self, start: datetime, stop: datetime) -> Iterator[icalendar.cal.Component]:
        """At most `MAX_OCCURRENCES` (or the page's `max_events`) occurrences in [start, stop), the
        soonest of every series first."""
        if unwalked := _skip_ahead(self.calendar, start):
            self.page.notes.append(f"refused in part: {unwalked} series starting long before the window were not "
                                   f"expanded (walking to the window would pass the feed's budget of "
                                   f"{MAX_OCCURRENCES:,} steps)")
        try:
            query = recurring_ical_events.of(self.calendar, skip_bad_series=True)
        except Exception:  # noqa: BLE001 - e.g. a non-Gregorian CALSCALE
            yield from self._masters_in_window()
            return
        merged = heapq.merge(*(_series_occurrences(series, start, stop) for series in query.series),
                             key=lambda occurrence: _sort_key(occurrence.start))
        budget = min(MAX_OCCURRENCES, self.page.max_events or MAX_OCCURRENCES)
        for drawn, occurrence in enumerate(merged):
            if drawn >= budget:
                if budget == MAX_OCCURRENCES:
                    self.page.notes.append(f"capped: expansion stopped at the feed's budget of {budget:,} "
                                           "occurrences; the soonest were kept")
                return
            try:
                yield occurrence.as_component(True)
            except Exception:  # noqa: BLE001 - one broken occurrence must not hide the others
                continue

    def _masters_in_window(self) -> Iterator[icalendar.cal.Component]:
        for component in self.calendar.walk("VEVENT"):
            start = _value(component, "DTSTART")
            day = start.date() if isinstance(start, datetime) else start
            if isinstance(day, date) and self.page.since <= day <= self.page.until:
                yield component

    def _event(self, c: icalendar.cal.Component) -> Event | None:
        start = self._when(c, "DTSTART")
        if start is None:
            return None
        end = self._when(c, "DTEND")
        if end is None and isinstance(duration := _value(c, "DURATION"), timedelta):
            end = start + duration
        if end is not None and (str(_get(c, "UID")) not in self.uids_with_end or not _after(end, start)):
            end = None  # expansion gives an event without DTEND a zero-length one
        title = clean(_get(c, "SUMMARY"))
        place = clean(_get(c, "LOCATION"))
        description = html_to_text(_get(c, "DESCRIPTION") or _get(c, "X-ALT-DESC"))
        location = location_from_text(place)
        geo = _get(c, "GEO")
        if geo is not None and hasattr(geo, "latitude"):
            location = location or Location()
            location.lat, location.lon = float(geo.latitude), float(geo.longitude)
        own_url = absolute_url(self.page.url, _get(c, "URL"))
        conference = " ".join(clean(_get(c, k)) for k in ("X-GOOGLE-CONFERENCE", "CONFERENCE") if _get(c, k))
        online = online_mode(place, conference, description[:2000] if not place else None)
        if conference and online == IN_PERSON:
            online = HYBRID if location and (location.street or location.city) else ONLINE
        if online == ONLINE and location and not (location.street or location.city or location.lat):
            location = None  # "Online", "Zoom": no place
        return Event(
            title=title,
            start=start,
            end=end,
            timezone=start.tzinfo.key if isinstance(start, datetime) and isinstance(start.tzinfo, ZoneInfo) else None,
            url=own_url,
            description=description,
            location=location,
            online=online,
            status=status_from(_get(c, "STATUS"), title),
            organizer=_organizer(_get(c, "ORGANIZER")),
            categories=_categories(c),
            source_format="ical",
            key=self._key(c, start) or own_url,
        )

    def _key(self, c: icalendar.cal.Component, start: datetime | date) -> str | None:
        uid = clean(_get(c, "UID"))
        if not uid:
            return None
        if uid not in self.recurring_uids:
            return uid
        rid = self._when(c, "RECURRENCE-ID") or start
        return f"{uid}#{rid.isoformat()}"

    def _when(self, c: icalendar.cal.Component, name: str) -> datetime | date | None:
        value = _value(c, name)
        if isinstance(value, datetime):
            return self._normalise(value, self.tzids.get((str(_get(c, "UID")), name)))
        return value if isinstance(value, date) else None

    def _normalise(self, value: datetime, tzid: str | None) -> datetime:
        """Wall clock as stated, with an IANA zone, a sane fixed offset, or floating."""
        tz = value.tzinfo
        if tz is None:
            stated = _offset_in_label(tzid) if tzid else None
            zone = stated or self.default_zone
            return value.replace(tzinfo=zone) if zone else value
        if isinstance(tz, ZoneInfo) or tz is timezone.utc:
            return value
        zone = _zone_for_tzid(tzid) if tzid else None
        if zone is not None:
            return value.replace(tzinfo=zone)
        try:
            offset = value.utcoffset()
        except Exception:  # noqa: BLE001 - broken VTIMEZONE rules
            offset = None
        if offset is not None and abs(offset) <= timedelta(hours=14):
            if offset == timedelta(0) and tzid is None:
                return value.replace(tzinfo=timezone.utc)
            return value.replace(tzinfo=timezone(offset))
        naive = value.replace(tzinfo=None)
        return naive.replace(tzinfo=self.default_zone) if self.default_zone else naive


def _series_occurrences(series: Any, start: datetime, stop: datetime) -> Iterator[Any]:
    """One series' occurrences in the window; a series that breaks midway ends there."""
    try:
        yield from series.between(start, stop)
    except Exception:  # noqa: BLE001 - one broken series must not hide the others
        return


def _sort_key(when: datetime | date) -> float:
    """Occurrence starts made comparable: dates at midnight UTC, floating times read as UTC."""
    if not isinstance(when, datetime):
        when = datetime.combine(when, datetime.min.time())
    if when.tzinfo is None or when.utcoffset() is None:
        when = when.replace(tzinfo=timezone.utc)
    try:
        return when.timestamp()
    except (OverflowError, OSError, ValueError):
        return float("inf")


#: the length of one period of each frequency whose periods are all alike
_FIXED_PERIODS = {"HOURLY": timedelta(hours=1), "DAILY": timedelta(days=1), "WEEKLY": timedelta(weeks=1)}
#: months in one period of the frequencies counted in months
_MONTH_PERIODS = {"MONTHLY": 1, "YEARLY": 12}


def _skip_ahead(calendar: icalendar.Calendar, window_start: datetime) -> int:
    """Move each series that starts long before the window ahead by whole periods of its rule.

    Iterating an hourly series from year 1 to today takes millions of steps.
    A rule's occurrences repeat from one period to the next (hours, days and
    weeks are alike; months and years keep their day of the month), so moving
    DTSTART (and DTEND with it) by whole periods, to one period before the
    window, leaves every occurrence in the window as it was. A COUNT counts
    from the start, so such a series moves only when each period holds exactly
    one occurrence (no BY parts), its COUNT reduced by the periods skipped.

    A series that cannot move is walked from its start: those walks share a
    budget of `MAX_OCCURRENCES` periods per feed, and a series past it is not
    expanded (its occurrences before the window would cost more than the feed);
    returns how many were not.
    """
    budget = MAX_OCCURRENCES
    unwalked = 0
    for component in calendar.walk("VEVENT"):
        try:
            walk = _move_ahead(component, window_start)
        except Exception:  # noqa: BLE001 - a broken series is left as it was read
            continue
        budget -= walk
        if walk and budget < 0:
            del component["RRULE"]  # left as its first occurrence, long before the window
            unwalked += 1
    return unwalked


def _move_ahead(component: icalendar.cal.Component, window_start: datetime) -> int:
    """Move one series ahead to just before the window; else the periods a walk to it will take."""
    rules = _get(component, "RRULE")
    if rules is None or isinstance(rules, list) or "RECURRENCE-ID" in component:
        return 0
    start_prop = _get(component, "DTSTART")
    first = getattr(start_prop, "dt", None)
    if not isinstance(first, date):
        return 0
    target = window_start - _duration(component) - timedelta(days=2)
    moved, periods = _moved_start(first, rules, target)
    if not periods:
        return _periods_before(first, rules, target)
    end_prop = _get(component, "DTEND")
    end = getattr(end_prop, "dt", None)
    moved_end = moved + (end - first) if isinstance(end, date) and type(end) is type(first) else None
    if "COUNT" in rules:  # everything worked out before anything changes: a series moves whole or not
        if int(rules["COUNT"][0]) <= periods:
            del component["RRULE"]  # the series ended before the window
            return 0
        rules["COUNT"] = [int(rules["COUNT"][0]) - periods]
    if moved_end is not None:
        end_prop.dt = moved_end
    start_prop.dt = moved
    return 0


def _periods_before(first: datetime | date, rule: Any, target: datetime) -> int:
    """About how many periods of `rule` a walk from `first` to `target` steps through (COUNT bounds it)."""
    frequency = str((rule.get("FREQ") or [""])[0]).upper()
    interval = int((rule.get("INTERVAL") or [1])[0]) or 1
    wall = first.replace(tzinfo=None) if isinstance(first, datetime) else datetime.combine(first, datetime.min.time())
    if frequency in _FIXED_PERIODS:
        periods = (target - wall) // (_FIXED_PERIODS[frequency] * interval)
    elif frequency in _MONTH_PERIODS:
        periods = ((target.year - wall.year) * 12 + target.month - wall.month) // (_MONTH_PERIODS[frequency] * interval)
    else:
        return 0
    if "COUNT" in rule:
        periods = min(periods, int(rule["COUNT"][0]))
    return max(0, periods)


def _duration(component: icalendar.cal.Component) -> timedelta:
    start, end = _value(component, "DTSTART"), _value(component, "DTEND")
    try:
        stated = end - start if end is not None else _value(component, "DURATION")
    except TypeError:
        return timedelta(0)
    return stated if isinstance(stated, timedelta) and stated > timedelta(0) else timedelta(0)


def _moved_start(first: datetime | date, rule: Any, target: datetime) -> tuple[datetime | date, int]:
    """`first` moved by whole periods of `rule` to before `target` (a naive wall time), and how many."""
    frequency = str((rule.get("FREQ") or [""])[0]).upper()
    interval = int((rule.get("INTERVAL") or [1])[0]) or 1
    by_parts = any(name.startswith("BY") for name in rule)
    counted = "COUNT" in rule
    wall = first.replace(tzinfo=None) if isinstance(first, datetime) else datetime.combine(first, datetime.min.time())
    if frequency in _FIXED_PERIODS:
        period = _FIXED_PERIODS[frequency] * interval
        if not isinstance(first, datetime) and period < timedelta(days=1):
            return first, 0
        if counted and by_parts:
            return first, 0
        periods = (target - wall) // period - 1
        if periods <= 0:
            return first, 0
        return first + period * periods, periods
    if frequency in _MONTH_PERIODS and not counted:
        step = _MONTH_PERIODS[frequency] * interval
        months_behind = (target.year - wall.year) * 12 + target.month - wall.month
        periods = months_behind // step - 1
        for _ in range(60):  # the 29th of February, the 31st: back a period until the day exists
            if periods <= 0:
                return first, 0
            total = wall.year * 12 + wall.month - 1 + periods * step
            try:
                return first.replace(year=total // 12, month=total % 12 + 1), periods
            except ValueError:
                periods -= 1
    return first, 0


def _after(end: datetime | date, start: datetime | date) -> bool:
    try:
        return end >= start
    except TypeError:  # a date against a datetime, naive against aware: keep what was stated
        return True


@lru_cache(maxsize=512)
def _zone_for_tzid(tzid: str) -> ZoneInfo | None:
    """IANA zone for a TZID as icalendar resolves it: IANA, Windows and vendor-prefixed names."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "globally unique TZID guessed": the guess is what we want
        try:
            zone = tzp.timezone(tzid.strip().strip('"'))
        except Exception:  # noqa: BLE001
            return None
    return zone if isinstance(zone, ZoneInfo) else None


def _offset_in_label(tzid: str) -> timezone | None:
    """The offset an Outlook display name states: "(UTC-03:00) Brasília" -> -03:00."""
    m = _UTC_LABEL.search(tzid)
    if not m:
        return None
    return fixed_offset(f"{m.group(1)}:{m.group(2) or '00'}")


def _get(c: icalendar.cal.Component, name: str) -> Any:
    """A property, or None when it is missing or icalendar cannot decode it (parsing is lazy)."""
    try:
        return c.get(name)
    except Exception:  # noqa: BLE001
        return None


def _value(c: icalendar.cal.Component, name: str) -> object:
    prop = _get(c, name)
    if isinstance(prop, list):
        prop = prop[0] if prop else None
    try:
        return getattr(prop, "dt", None)
    except Exception:  # noqa: BLE001
        return None


def _organizer(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    params = getattr(value, "params", {}) or {}
    name = clean(params.get("CN")) if isinstance(params.get("CN"), str) else ""
    if name:
        return name
    text = clean(value)
    return re.sub(r"^mailto:", "", text, flags=re.I) or None


def _categories(c: icalendar.cal.Component) -> list[str]:
    found: list[str] = []
    values = _get(c, "CATEGORIES")
    for value in values if isinstance(values, list) else [values]:
        if value is None:
            continue
        cats = getattr(value, "cats", None)
        for cat in cats if cats is not None else str(value).split(","):
            text = clean(cat)
            if text and text not in found:
                found.append(text)
    return found


def _prepare(calendar: icalendar.Calendar) -> int:
    """Make a broken calendar expandable: unreadable time properties and absurd rules go.

    Rules that would make thousands of occurrences a day leave a single event
    (returns how many); an X-WR-TIMEZONE that names no zone is dropped
    (recurring-ical-events would refuse the whole calendar).
    """
    absurd = 0
    if "X-WR-TIMEZONE" in calendar and iana_zone(clean(_get(calendar, "X-WR-TIMEZONE"))) is None:
        del calendar["X-WR-TIMEZONE"]
    for component in calendar.walk("VEVENT"):
        for name, _ in getattr(component, "errors", []):
            if name in _TIME_PROPERTIES and name in component:
                del component[name]
        rules = _get(component, "RRULE")
        for rule in rules if isinstance(rules, list) else [rules]:
            if rule is None:
                continue
            text = rule.to_ical().decode("ascii", "replace") if hasattr(rule, "to_ical") else str(rule)
            many = sum(len(part.split(",")) for part in re.findall(r"BY(?:SECOND|MINUTE)=([^;]*)", text, re.I))
            if _BAD_FREQ.search(text) or many > 8:
                del component["RRULE"]
                absurd += 1
                break
    return absurd
