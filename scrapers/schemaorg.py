"""schema.org Event vocabulary → `Event`, shared by the JSON-LD and microdata readers.

Both readers turn their markup into the same nested dicts (``{"@type": ...,
"name": ..., "location": {...}}``); this module reads those dicts leniently:
any value may be a string, a list, a nested object or missing.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, time, timedelta
from dataclasses import replace
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule

from eventscout.scrapers.address import split_location
from eventscout.scrapers.dates import clock_time, iso_duration, parse_when
from eventscout.scrapers.event import CANCELLED, HYBRID, IN_PERSON, ONLINE, POSTPONED, SCHEDULED, Event, Location
from eventscout.scrapers.feed_fields import online_mode, status_from
from eventscout.scrapers.page import Page
from eventscout.scrapers.text import clean, html_to_text
from eventscout.scrapers.titles import best_title, distinct_titles, is_title, title_from_url

__all__ = ["is_event_type", "event_from_node", "events_from_nodes", "distinct_keys", "short_type"]

#: schema.org Event subtypes whose names do not end in "Event"
_EVENT_TYPES = {"festival", "hackathon", "courseinstance", "eventseries", "event"}


def short_type(value: Any) -> list[str]:
    """``@type``/``itemtype`` values without their vocabulary prefix, casefolded."""
    if isinstance(value, str):
        values = value.split()
    elif isinstance(value, list):
        values = [v for v in value if isinstance(v, str)]
    else:
        return []
    return [v.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1].casefold() for v in values]


def is_event_type(value: Any) -> bool:
    if isinstance(value, str) and len(value) <= 200:  # a type's name: worth a cache entry
        return _is_event_type_name(value)
    return any(t.endswith("event") or t in _EVENT_TYPES for t in short_type(value))


@lru_cache(maxsize=1024)
def _is_event_type_name(value: str) -> bool:
    """`is_event_type` of one ``@type``/``itemtype`` string: a page repeats a few (ListItem, Place) many times."""
    return any(t.endswith("event") or t in _EVENT_TYPES for t in short_type(value))


def first(value: Any) -> Any:
    while isinstance(value, list):
        if not value:
            return None
        value = value[0]
    return value


def text_of(value: Any) -> str:
    """A plain string out of a string, number, ``{"@value": ...}``/``{"name": ...}`` or a list."""
    if type(value) is str:  # the common case, first
        return value
    value = first(value)
    if isinstance(value, dict):
        value = value.get("@value", value.get("name"))
        value = first(value)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _clean_text(value: Any) -> str:
    """`clean` of `text_of`: one line of plain text; an absent property (the common case) costs nothing."""
    return "" if value is None else clean(text_of(value))


def _absolute(base: str, value: Any) -> str | None:
    if value is None:
        return None
    href = text_of(value).strip()
    if not href or href.startswith(("javascript:", "mailto:", "#")) or " " in href:
        return None
    if href.startswith(("https://", "http://")):  # already absolute: the common case, kept cheap
        return href
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def _float(value: Any) -> float | None:
    try:
        number = float(text_of(value))
    except ValueError:
        return None
    return number if number == number and abs(number) <= 180 else None


def _address(loc: Location, address: Any) -> None:
    address = first(address)
    if isinstance(address, str):
        parsed = split_location(clean(address))
        if parsed:
            for name in ("street", "city", "region", "postal_code", "country"):
                if getattr(loc, name) is None:
                    setattr(loc, name, getattr(parsed, name))
            if loc.name is None:
                loc.name = parsed.name
        return
    if not isinstance(address, dict):
        return
    loc.street = _clean_text(address.get("streetAddress")) or None
    loc.city = _clean_text(address.get("addressLocality")) or None
    loc.region = _clean_text(address.get("addressRegion")) or None
    loc.postal_code = _clean_text(address.get("postalCode")) or None
    loc.country = _clean_text(address.get("addressCountry")) or None
    if loc.city is None and loc.street and "," in loc.street:
        parsed = split_location(loc.street)
        if parsed and parsed.city:
            loc.street, loc.city = parsed.street or loc.street, parsed.city
            loc.region = loc.region or parsed.region
            loc.postal_code = loc.postal_code or parsed.postal_code


def _is_virtual(node: dict[str, Any]) -> bool:
    kind = node.get("@type")
    if isinstance(kind, str) and "virtual" not in kind.casefold():
        return False  # a Place: no need to split its type
    return any(t == "virtuallocation" for t in short_type(kind))


def read_location(value: Any, base: str) -> tuple[Location | None, bool, bool, list[str]]:
    """(physical place, has a physical place, has a virtual place, virtual URLs)."""
    items = value if isinstance(value, list) else [value]
    place: Location | None = None
    physical = virtual = False
    urls: list[str] = []
    for item in items[:10]:
        if isinstance(item, str) and item.strip():
            mode = online_mode(clean(item))  # "Online", "Zoom", a meeting link: no place to go
            virtual = virtual or mode != IN_PERSON
            if mode != ONLINE:
                physical = True
                place = place or split_location(clean(item))
        elif isinstance(item, dict):
            if _is_virtual(item):
                virtual = True
                if url := _absolute(base, item.get("url")):
                    urls.append(url)
                continue
            loc = Location(name=_clean_text(item.get("name")) or None)
            if "addressLocality" in item or "streetAddress" in item:
                _address(loc, item)
            else:
                _address(loc, item.get("address"))
            geo = first(item.get("geo"))
            if isinstance(geo, dict):
                loc.lat, loc.lon = _float(geo.get("latitude")), _float(geo.get("longitude"))
            if not loc.is_empty():
                physical = True
                place = place or loc
    return place, physical, virtual, urls


def _status(value: Any) -> tuple[str, bool]:
    """(status, moved online) from an eventStatus value."""
    if value is None:
        return SCHEDULED, False
    value = first(value)
    text = " ".join(short_type(value.get("@type"))) if isinstance(value, dict) else text_of(value)
    text = text.casefold()
    if "cancel" in text:
        return CANCELLED, False
    if "postpone" in text:
        return POSTPONED, False
    return SCHEDULED, "movedonline" in text


def _mode(value: Any) -> str | None:
    if value is None:
        return None
    value = first(value)
    text = " ".join(short_type(value.get("@type"))) if isinstance(value, dict) else text_of(value)
    text = text.casefold()
    if "mixed" in text:
        return HYBRID
    if "online" in text:
        return ONLINE
    if "offline" in text:
        return IN_PERSON
    return None


def title_candidates(node: dict[str, Any]) -> list[str]:
    """The texts that could be an Event object's title, in order of trust."""
    return [t for t in (_clean_text(node.get(k)) for k in ("name", "headline", "alternateName")) if t]


def event_from_node(node: dict[str, Any], page_url: str, source_format: str,
                    title: str | None = None) -> Event | None:
    """One schema.org Event object as an `Event`, or None without a title and a readable start.

    `title` is the one `distinct_titles` chose among the page's events; by default the
    first candidate that passes the shared title check, else the words of its URL.
    """
    url = _absolute(page_url, node.get("url"))
    if title is None:
        title = best_title(title_candidates(node))
    title = title or (title_from_url(url) if url and url != page_url else "")
    start, implied_end = parse_when(text_of(node.get("startDate")).strip())
    if not title or start is None:
        return None
    if type(start) is date and (doors := node.get("doorTime")) is not None \
            and (at := clock_time(text_of(doors))) is not None:
        start = datetime.combine(start, at)  # a day with only its doors' time: that is its time
    stated_end = node.get("endDate")
    end = (None if stated_end is None else parse_when(text_of(stated_end).strip())[0]) or implied_end
    if end is None and isinstance(start, datetime) and (length := iso_duration(text_of(node.get("duration")))):
        end = start + length
    place, physical, virtual, links = read_location(node.get("location"), page_url)
    status, moved_online = _status(node.get("eventStatus"))
    if status == SCHEDULED:
        status = status_from("", title)  # "CANCELLED: Spring Mixer" says it in the name
    online = _mode(node.get("eventAttendanceMode"))
    if moved_online:
        online = ONLINE
    elif online is None:
        online = HYBRID if physical and virtual else ONLINE if virtual else IN_PERSON
    elif online == IN_PERSON and virtual:
        online = HYBRID if physical else ONLINE
    offers = node.get("offers")
    for offer in (offers if isinstance(offers, list) else [offers] if offers else [])[:10]:
        if isinstance(offer, dict) and (link := _absolute(page_url, offer.get("url"))):
            if link not in links:
                links.append(link)
    organizer = _clean_text(node.get("organizer")) or None
    key = text_of(node.get("@id")).strip() or (url if url and url != page_url else None)
    return Event(
        title=title, start=start, end=end, url=url,
        description="" if (description := node.get("description")) is None else html_to_text(text_of(description)),
        location=place, online=online, status=status, organizer=organizer,
        source_format=source_format, key=key, links=links,
    )


def events_from_nodes(nodes: list[dict[str, Any]], page: Page, source_format: str) -> list[Event]:
    """The Event objects of one page as `Event`s, their titles checked together (`distinct_titles`)."""
    titles = distinct_titles([title_candidates(node) for node in nodes], site_name=page.site_name)
    if not all(titles) and page.looks_like_html:
        linked = _link_titles(page)
        titles = [title or linked.get(_path_of(_absolute(page.url, node.get("url")))) or ""
                  for node, title in zip(nodes, titles)]
    events = [event for node, title in zip(nodes, titles)
              for occurrence in _scheduled(node, page.fetched or date.today())
              if (event := event_from_node(occurrence, page.url, source_format, title)) is not None]
    return distinct_keys(events)


#: schema.org's days of the week ("https://schema.org/Tuesday", "Tuesday", "Tu")
_WEEKDAYS = {name[:2]: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday",
                                                     "saturday", "sunday"))}
_FREQUENCIES = {"P1D": DAILY, "DAILY": DAILY, "P1W": WEEKLY, "WEEKLY": WEEKLY, "P1M": MONTHLY, "MONTHLY": MONTHLY,
                "P1Y": YEARLY, "YEARLY": YEARLY, "ANNUALLY": YEARLY}
_EVERY = re.compile(r"P(\d{1,3})([DWMY])")
#: how far past the reading day a schedule with no end or count is followed, and at most how many dates
_SCHEDULE_DAYS, _SCHEDULE_MAX = 366, 200


def _scheduled(node: dict[str, Any], today: date) -> list[dict[str, Any]]:
    """The node itself, or, for an Event that gives its dates as a schema.org ``eventSchedule``
    (a Schedule: startDate, endDate, repeatFrequency, byDay, startTime, endTime, scheduleTimezone),
    one copy per date it names, each with its own startDate and endDate."""
    schedules = node.get("eventSchedule")
    if node.get("startDate") or not schedules:
        return [node]
    found: list[dict[str, Any]] = []
    for schedule in schedules if isinstance(schedules, list) else [schedules]:
        if isinstance(schedule, dict):
            found.extend({**node, "startDate": start, "endDate": end}
                         for start, end in _schedule_dates(schedule, today))
    return found or [node]


def _schedule_dates(schedule: dict[str, Any], today: date) -> list[tuple[str, str | None]]:
    """(start, end) of each date a Schedule names, from a month before `today` (the reading day) on."""
    first, last = (_day_of(schedule.get(key)) for key in ("startDate", "endDate"))
    step = text_of(schedule.get("repeatFrequency")).strip().upper()
    frequency, interval = _FREQUENCIES.get(step), 1
    if frequency is None and (every := _EVERY.fullmatch(step)) is not None:  # "P2W", "P3M", "P14D"
        frequency, interval = _FREQUENCIES[f"P1{every.group(2)}"], max(1, min(int(every.group(1)), 366))
    if first is None or (frequency is None and last is not None and last != first):
        return []
    days_of = [first]
    if frequency is not None:
        days = schedule.get("byDay")
        weekdays = sorted({_WEEKDAYS[key] for day in (days if isinstance(days, list) else [days] if days else [])
                           if (key := text_of(day).rsplit("/", 1)[-1].strip().lower()[:2]) in _WEEKDAYS})
        month_days = schedule.get("byMonthDay")
        month_days = [int(d) for d in (month_days if isinstance(month_days, list) else [month_days])
                      if str(d).strip().lstrip("-").isdigit()] if month_days is not None else []
        count = schedule.get("repeatCount")
        count = min(count, _SCHEDULE_MAX) if isinstance(count, int) and count > 0 else None
        since = datetime.combine(max(first, today - timedelta(days=31)), time())
        if count is None and frequency in (DAILY, WEEKLY) and first < since.date():
            # a rule begun long ago starts whole periods later, in step, so it is not walked from then
            period = interval * (7 if frequency == WEEKLY else 1)
            first += timedelta(days=(since.date() - first).days // period * period)
        elif count is None and first < today - timedelta(days=3660):
            return []  # a monthly or yearly rule begun over ten years ago is no event list
        rule = rrule(frequency, dtstart=datetime.combine(first, time()), interval=interval,
                     until=None if count else datetime.combine(last or today + timedelta(days=_SCHEDULE_DAYS), time()),
                     count=count, byweekday=weekdays or None, bymonthday=month_days or None)
        days_of = [d.date() for d in rule.xafter(since, count=_SCHEDULE_MAX, inc=True)]
    start_at, end_at = (clock_time(text_of(schedule.get(key))) for key in ("startTime", "endTime"))
    length = iso_duration(text_of(schedule.get("duration")))
    try:
        zone = ZoneInfo(text_of(schedule.get("scheduleTimezone")).strip()) if schedule.get("scheduleTimezone") else None
    except (ValueError, KeyError):
        zone = None
    dates: list[tuple[str, str | None]] = []
    for day in days_of:
        if start_at is None:
            dates.append((day.isoformat(), None))
            continue
        start = datetime.combine(day, start_at, tzinfo=zone)
        end = datetime.combine(day, end_at, tzinfo=zone) if end_at is not None else start + length if length else None
        dates.append((start.isoformat(), end.isoformat() if end is not None and end > start else None))
    return dates


def _day_of(value: Any) -> date | None:
    day, _ = parse_when(text_of(value).strip()) if value is not None else (None, None)
    return day.date() if isinstance(day, datetime) else day


def _path_of(url: str | None) -> str:
    return urlsplit(url).path.rstrip("/") if url else ""


def _link_titles(page: Page) -> dict[str, str]:
    """Link texts that are titles, by the path they link to: where a page shows the name its
    structured data left out (every event named after the site, a control's text)."""
    found: dict[str, str] = {}
    for node in page.tree.css("a[href]")[:5000]:
        path = _path_of(_absolute(page.url, node.attributes.get("href")))
        text = clean(node.text(deep=True, separator=" "))
        if path and path not in found and is_title(text, site_name=page.site_name):
            found[path] = text
    return found


def distinct_keys(events: list[Event]) -> list[Event]:
    """Occurrences sharing a key (one URL for a recurring series) get ``key#start``."""
    counts = Counter(e.key for e in events if e.key)
    return [replace(e, key=f"{e.key}#{e.start.isoformat()}") if e.key and counts[e.key] > 1 else e
            for e in events]
