"""The Events Calendar (WordPress "tribe" plugin): its REST JSON and its list/month views.

REST (``/wp-json/tribe/events/v1/events``) states the wall clock in
``start_date`` with the IANA ``timezone``. The HTML views carry the same
events (and usually JSON-LD too: `eventscout.scrapers.merge_readings` keeps one each),
with the date in ``time[datetime]`` and the clock as text ("8:45 am").
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from selectolax.lexbor import LexborNode

from eventscout.scrapers.dates import parse_datetime, zone
from eventscout.scrapers.event import CANCELLED, HYBRID, IN_PERSON, ONLINE, POSTPONED, SCHEDULED, Event, Location
from eventscout.scrapers.page import Page
from eventscout.scrapers.schemaorg import distinct_keys
from eventscout.scrapers.text import clean, html_to_text

__all__ = ["read", "next_rest_url"]

_CLOCK = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s*m\b\.?|\b(\d{1,2}):(\d{2})\b", re.I)
_LIST_EVENT = ".tribe-events-calendar-list__event, .tribe-events-calendar-day__event"
_MONTH_EVENT = ".tribe-events-calendar-month__calendar-event"
_V1_EVENT = ".tribe-events-list .type-tribe_events, .tribe-events-loop .type-tribe_events"


# --- REST JSON ---------------------------------------------------------------

#: keys only The Events Calendar's REST answer has: other APIs also list "events" with a "start_date"
#: (Tito, Humanitix...), and those are the generic records reader's, which knows more shapes
_REST_EVENT_KEYS = ("utc_start_date", "start_date_details", "global_id", "rest_url")


def _is_rest_payload(data: Any) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        return False
    first = next((e for e in data["events"] if isinstance(e, dict)), None)
    return first is not None and ("start_date" in first or "utc_start_date" in first) and (
        any(key in first for key in _REST_EVENT_KEYS) or "rest_url" in data or "total_pages" in data)


def next_rest_url(page: Page) -> str | None:
    """The REST payload's next page (``next_rest_url``), for the pipeline to follow."""
    if b"next_rest_url" not in page.body:
        return None
    data = page.json
    if not _is_rest_payload(data):
        return None
    link = data.get("next_rest_url")
    return urljoin(page.url, link) if isinstance(link, str) and link.strip() else None


def _rest_when(ev: dict[str, Any], which: str) -> datetime | date | None:
    local = ev.get(f"{which}_date")
    tz = zone(ev.get("timezone")) if isinstance(ev.get("timezone"), str) else None
    value = parse_datetime(local, tz) if isinstance(local, str) else None
    if value is None and isinstance(ev.get(f"utc_{which}_date"), str):
        value = parse_datetime(ev[f"utc_{which}_date"], timezone.utc)
    if value is not None and ev.get("all_day") is True and isinstance(value, datetime):
        return value.date()
    return value


def _venue(venue: Any) -> Location | None:
    if isinstance(venue, list):
        venue = next((v for v in venue if isinstance(v, dict)), None)
    if not isinstance(venue, dict):
        return None

    def text(*names: str) -> str | None:
        for name in names:
            value = clean(venue.get(name)) if isinstance(venue.get(name), (str, int, float)) else ""
            if value:
                return value
        return None

    def number(name: str) -> float | None:
        try:
            return float(venue.get(name))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None

    loc = Location(name=text("venue"), street=text("address"), city=text("city"),
                   region=text("stateprovince", "state", "province"), postal_code=text("zip"),
                   country=text("country"), lat=number("geo_lat"), lon=number("geo_lng"))
    return None if loc.is_empty() else loc


def _rest_event(ev: dict[str, Any], page: Page) -> Event | None:
    title = clean(ev.get("title"))
    start = _rest_when(ev, "start")
    if not title or start is None:
        return None
    url = urljoin(page.url, ev["url"]) if isinstance(ev.get("url"), str) and ev["url"] else None
    organizers = ev.get("organizer") if isinstance(ev.get("organizer"), list) else []
    organizer = next((clean(o.get("organizer")) for o in organizers
                      if isinstance(o, dict) and clean(o.get("organizer"))), None)
    categories = [clean(c.get("name")) for c in ev.get("categories") or []
                  if isinstance(c, dict) and clean(c.get("name"))]
    links = [ev["website"]] if isinstance(ev.get("website"), str) and ev["website"].startswith("http") else []
    location = _venue(ev.get("venue"))
    online = IN_PERSON
    if ev.get("is_virtual") is True:
        online = HYBRID if location and (location.street or location.city) else ONLINE
    status_text = str(ev.get("event_status") or ev.get("tribe_events_status") or "").casefold()
    status = CANCELLED if "cancel" in status_text else POSTPONED if "postpone" in status_text else SCHEDULED
    description = html_to_text(ev.get("description"))
    cost = clean(ev.get("cost")) if isinstance(ev.get("cost"), str) else ""
    if cost:
        description = f"{description}\nCost: {cost}".strip()
    key = ev.get("global_id") or ev.get("id")
    return Event(
        title=title, start=start, end=_rest_when(ev, "end"),
        timezone=ev["timezone"] if isinstance(ev.get("timezone"), str) and zone(ev["timezone"]) else None,
        url=url, description=description, location=location, online=online, status=status,
        organizer=organizer, categories=categories, source_format="tribe",
        key=str(key) if key not in (None, "") else url, links=links,
    )


def _read_rest(page: Page) -> list[Event]:
    data = page.json
    if not _is_rest_payload(data):
        return []
    events = (_rest_event(ev, page) for ev in data["events"] if isinstance(ev, dict))
    return [e for e in events if e is not None]


# --- HTML views --------------------------------------------------------------

def _clock(text: str) -> time | None:
    m = _CLOCK.search(text)
    if not m:
        return None
    if m.group(3):
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m.group(3).lower() == "p" else 0)
    else:
        hour, minute = int(m.group(4)), int(m.group(5))
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _text(root: LexborNode, selector: str) -> str:
    node = root.css_first(selector)
    return node.text(deep=True, separator=" ") if node is not None else ""


def _title_link(root: LexborNode, page: Page) -> tuple[str, str | None]:
    node = root.css_first("h3 a, h2 a, .tribe-events-list-event-title a, a[rel=bookmark]")
    if node is None:
        return "", None
    href = node.attributes.get("href")
    title = clean(node.text(deep=True, separator=" "))
    try:
        return title, urljoin(page.url, href) if href else None
    except ValueError:  # "https://[host": no URL parser accepts it
        return title, None


def _at(day: date, text: str) -> datetime | date:
    clock = _clock(text.rpartition("@")[2] if "@" in text else text)
    return datetime.combine(day, clock) if clock else day


def _list_event(root: LexborNode, page: Page) -> Event | None:
    title, url = _title_link(root, page)
    stamp = root.css_first("time[datetime]")
    day = parse_datetime(stamp.attributes.get("datetime") or "") if stamp is not None else None
    if not title or day is None:
        return None
    if isinstance(day, datetime):
        day = day.date()
    start_text = _text(root, ".tribe-event-date-start")
    start = _at(day, start_text) if start_text else day
    end_text = _text(root, ".tribe-event-time")
    end = _at(day, end_text) if end_text and isinstance(start, datetime) else None
    venue = clean(_text(root, ".tribe-events-calendar-list__event-venue-title"))
    address = clean(_text(root, ".tribe-events-calendar-list__event-venue-address"))
    location = None
    if venue or address:
        from eventscout.scrapers.address import split_location

        location = split_location(", ".join(p for p in (venue, address) if p))
    return _html_event(title, start, end, url, location, root, page)


def _month_day(root: LexborNode) -> date | None:
    stamp = root.css_first(".tribe-events-calendar-month__calendar-event-tooltip-datetime time[datetime]")
    value = parse_datetime(stamp.attributes.get("datetime") or "") if stamp is not None else None
    node = root.parent
    while value is None and node is not None:
        cell_id = node.attributes.get("id") or ""
        if m := re.search(r"(\d{4}-\d{2}-\d{2})$", cell_id):
            value = parse_datetime(m.group(1))
        node = node.parent
    return value.date() if isinstance(value, datetime) else value


def _month_event(root: LexborNode, page: Page) -> Event | None:
    title, url = _title_link(root, page)
    day = _month_day(root)
    if not title or day is None:
        return None
    clocks = [t.attributes.get("datetime") or "" for t in
              root.css(".tribe-events-calendar-month__calendar-event-datetime time[datetime]")]
    start: datetime | date = day
    end = None
    if clocks and (clock := _clock(clocks[0])):
        start = datetime.combine(day, clock)
        if len(clocks) > 1 and (clock := _clock(clocks[1])):
            end = datetime.combine(day, clock)
    return _html_event(title, start, end, url, None, root, page)


def _v1_event(root: LexborNode, page: Page) -> Event | None:
    title, url = _title_link(root, page)
    start_text = _text(root, ".tribe-event-date-start")
    stamp = root.css_first(".value-title[title], abbr[title], time[datetime]")
    when = None
    if stamp is not None:
        when = parse_datetime(stamp.attributes.get("title") or stamp.attributes.get("datetime") or "")
    if when is None and start_text:
        when = _free_text_date(start_text, page)
    if not title or when is None:
        return None
    end_text = _text(root, ".tribe-event-time, .tribe-event-date-end")
    day = when.date() if isinstance(when, datetime) else when
    end = _at(day, end_text) if end_text and isinstance(when, datetime) else None
    parts = [clean(_text(root, s)) for s in (".tribe-events-venue-details .author, .tribe-venue",
                                              ".tribe-street-address", ".tribe-locality",
                                              ".tribe-region", ".tribe-postal-code")]
    location = Location(*(p or None for p in parts)) if any(parts) else None
    return _html_event(title, when, end, url, location, root, page)


def _free_text_date(text: str, page: Page) -> datetime | date | None:
    """v1 list views write "March 13 @ 1:00 pm"; dateparser reads it (year from context)."""
    import dateparser

    text = clean(text).replace("@", " ")
    try:
        value = dateparser.parse(text, settings={"PREFER_DATES_FROM": "future",
                                                 "RETURN_AS_TIMEZONE_AWARE": False})
    except Exception:  # noqa: BLE001 - dateparser raises many things on odd text
        return None
    if value is None:
        return None
    return value if _clock(text) else value.date()


def _html_event(title: str, start: datetime | date, end: datetime | date | None, url: str | None,
                location: Location | None, root: LexborNode, page: Page) -> Event:
    classes = root.attributes.get("class") or ""
    status = CANCELLED if "tribe-events-status--canceled" in classes or root.css_first(
        ".tribe-events-status-label--canceled, .tribe-events-c-small-cta__sold-out--canceled") else SCHEDULED
    return Event(title=title, start=start, end=end, url=url, location=location, status=status,
                 source_format="tribe", key=url if url and url != page.url else None)


_ANY_VIEW_EVENT = f"{_LIST_EVENT}, {_MONTH_EVENT}, {_V1_EVENT}"


def _view_reader(root: LexborNode) -> Callable[[LexborNode, Page], Event | None]:
    classes = root.attributes.get("class") or ""
    if "tribe-events-calendar-month__calendar-event" in classes:
        return _month_event
    if "tribe-events-calendar-list__event" in classes or "tribe-events-calendar-day__event" in classes:
        return _list_event
    return _v1_event


def _read_html(roots: list[LexborNode], page: Page, known_urls: set[str]) -> list[Event]:
    """The view's events, skipping those the page's JSON-LD already states (it gives the offset)."""
    events: list[Event] = []
    for root in roots[:2000]:
        if known_urls and _title_link(root, page)[1] in known_urls:
            continue
        event = _view_reader(root)(root, page)
        if event is not None:
            events.append(event)
    return events


def read(page: Page) -> list[Event]:
    """Events from a Tribe REST payload or a Tribe list/month view (no-op for other pages)."""
    data = page.json
    if _is_rest_payload(data):
        return distinct_keys(_read_rest(page))
    # every view's event class starts "tribe-events": a scan of the bytes spares a query of the tree
    if not page.looks_like_html or not page.may_contain(b"tribe-events"):
        return []
    roots = page.tree.css(_ANY_VIEW_EVENT)
    if not roots:
        return []
    from eventscout.scrapers import jsonld

    # the views repeat their events as JSON-LD, which states the offset: let that reading win
    stated = {e.url for e in jsonld.read(page) if e.url}
    return distinct_keys(_read_html(roots, page, stated))
