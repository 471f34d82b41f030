"""Eventbrite: API v3 payloads (``events[]`` or one event) and the ``__SERVER_DATA__`` of event pages.

An API event states its wall clock as ``start.local`` with an IANA
``start.timezone``; the venue (when expanded) has a structured address. Event
pages also carry JSON-LD, which the jsonld reader reads; the server data adds
what JSON-LD misses (status, online flag, venue coordinates) and the merge in
`eventscout.scrapers.extract_page` keeps the richer reading.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from eventscout.scrapers.dates import parse_datetime
from eventscout.scrapers.event import CANCELLED, HYBRID, IN_PERSON, ONLINE, POSTPONED, SCHEDULED, Event, Location
from eventscout.scrapers.feed_fields import absolute_url, coordinate, iana_zone, page_script_json, walk_dicts
from eventscout.scrapers.page import Page
from eventscout.scrapers.text import clean, html_to_text
from eventscout.scrapers.titles import best_title

_STATUS = {"canceled": CANCELLED, "cancelled": CANCELLED, "postponed": POSTPONED}


def read(page: Page) -> list[Event]:
    """Eventbrite-shaped events in an API payload or an event page's server data."""
    data: Any = None
    if page.looks_like_html:
        data = page_script_json(page, "__SERVER_DATA__")
    elif '"local"' in page.text[:1_000_000]:
        data = page.json
    if data is None:
        return []
    events: list[Event] = []
    seen: set[str] = set()
    for node in walk_dicts(data):
        event = _event(node, page.url) if _is_event(node) else None
        if event is None or event.key in seen:
            continue
        if event.key:
            seen.add(event.key)
        events.append(event)
    return events


def _is_event(node: dict[str, Any]) -> bool:
    start = node.get("start")
    return isinstance(start, dict) and ("local" in start or "utc" in start) and "name" in node


def _text(value: Any) -> str:
    """Eventbrite multipart text: {"text": ..., "html": ...} or a plain string."""
    if isinstance(value, dict):
        return clean(value.get("text") or value.get("html"))
    return clean(value)


def _when(value: Any) -> datetime | date | None:
    if not isinstance(value, dict):
        return None
    zone = iana_zone(value.get("timezone"))
    local = parse_datetime(value.get("local"), zone)
    if local is not None:
        return local
    utc = parse_datetime(value.get("utc"))
    return utc.astimezone(zone) if isinstance(utc, datetime) and utc.tzinfo and zone else utc


def _event(node: dict[str, Any], base: str) -> Event | None:
    title = best_title([_text(node.get("name"))])
    start = _when(node.get("start"))
    if not title or start is None:
        return None
    venue = node.get("venue") if isinstance(node.get("venue"), dict) else None
    online = bool(node.get("online_event"))
    location = _location(venue) if venue else None
    mode = ONLINE if online else IN_PERSON
    if online and location is not None and (location.street or location.city):
        mode = HYBRID
    status = _STATUS.get(clean(node.get("status")).casefold(), SCHEDULED)
    if node.get("is_postponed") is True:
        status = POSTPONED
    url = absolute_url(base, node.get("url"))
    event_id = clean(node.get("id"))
    return Event(
        title=title,
        start=start,
        end=_when(node.get("end")),
        timezone=getattr(getattr(start, "tzinfo", None), "key", None),
        url=url,
        description=html_to_text(_text(node.get("description")) or node.get("summary")),
        location=location,
        online=mode,
        status=status,
        organizer=_name_of(node.get("organizer")),
        categories=[name] if (name := _name_of(node.get("category"))) else [],
        source_format="eventbrite",
        key=f"eventbrite:{event_id}" if event_id else url,
    )


def _location(venue: dict[str, Any]) -> Location | None:
    address = venue.get("address") if isinstance(venue.get("address"), dict) else {}
    street = ", ".join(clean(address.get(k)) for k in ("address_1", "address_2") if clean(address.get(k)))
    location = Location(
        name=clean(venue.get("name")) or None,
        street=street or None,
        city=clean(address.get("city")) or None,
        region=clean(address.get("region")) or None,
        postal_code=clean(address.get("postal_code")) or None,
        country=clean(address.get("country")) or None,
        lat=coordinate(address.get("latitude", venue.get("latitude"))),
        lon=coordinate(address.get("longitude", venue.get("longitude"))),
    )
    return None if location.is_empty() else location


def _name_of(value: Any) -> str | None:
    return clean(value.get("name")) or None if isinstance(value, dict) else None

