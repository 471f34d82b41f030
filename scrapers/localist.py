"""Localist calendar API (``/api/2/events``): one event per ``event_instances[]`` entry.

An instance states ``start``/``end`` with their offset and ``all_day``; the
event gives the place (``location_name``, ``address``, ``geo{city, state,
zip, latitude, longitude}``), ``experience`` (inperson/virtual/hybrid) and
``status`` (live/canceled/postponed). ``localist_url`` is the event's own
page; ``url`` is an outside link and only used when there is no other.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from eventscout.scrapers.dates import parse_datetime
from eventscout.scrapers.event import CANCELLED, HYBRID, IN_PERSON, ONLINE, POSTPONED, SCHEDULED, Event, Location
from eventscout.scrapers.feed_fields import absolute_url, coordinate, location_from_text
from eventscout.scrapers.page import Page
from eventscout.scrapers.text import clean, html_to_text

_MODES = {"inperson": IN_PERSON, "in-person": IN_PERSON, "virtual": ONLINE, "online": ONLINE,
          "hybrid": HYBRID}
_STATUS = {"canceled": CANCELLED, "cancelled": CANCELLED, "postponed": POSTPONED}
_MAX_INSTANCES = 5_000


def read(page: Page) -> list[Event]:
    """The instances of every event in a Localist API payload (a list, or one event)."""
    if page.looks_like_html or '"event_instances"' not in page.text:
        return []
    data = page.json
    if not isinstance(data, dict):
        return []
    wrapped = data.get("events") if isinstance(data.get("events"), list) else [data]
    events: list[Event] = []
    for item in wrapped:
        event = item.get("event") if isinstance(item, dict) else None
        if isinstance(event, dict):
            events.extend(_instances(event, page.url))
        if len(events) >= _MAX_INSTANCES:
            break
    return events


def _instances(event: dict[str, Any], base: str) -> list[Event]:
    title = clean(event.get("title"))
    instances = event.get("event_instances")
    if not title or not isinstance(instances, list):
        return []
    location = _location(event)
    mode = _MODES.get(clean(event.get("experience")).casefold().replace(" ", ""), IN_PERSON)
    if mode == ONLINE:
        location = None
    url = absolute_url(base, event.get("localist_url")) or absolute_url(base, event.get("url"))
    common = dict(
        title=title,
        url=url,
        description=html_to_text(event.get("description_text") or event.get("description")),
        location=location,
        online=mode,
        status=_STATUS.get(clean(event.get("status")).casefold(), SCHEDULED),
        categories=_types(event),
        source_format="localist",
    )
    found: list[Event] = []
    for wrapper in instances[:_MAX_INSTANCES]:
        instance = wrapper.get("event_instance") if isinstance(wrapper, dict) else None
        if not isinstance(instance, dict):
            continue
        start, end = _when(instance.get("start"), instance), _when(instance.get("end"), instance)
        if start is None:
            continue
        key = clean(instance.get("id")) or f"{clean(event.get('id'))}#{start.isoformat()}"
        found.append(Event(start=start, end=end, key=f"localist:{key}", **common))
    return found


def _when(value: Any, instance: dict[str, Any]) -> datetime | date | None:
    when = parse_datetime(value)
    if instance.get("all_day") is True and isinstance(when, datetime):
        return when.date()
    return when


def _location(event: dict[str, Any]) -> Location | None:
    geo = event.get("geo") if isinstance(event.get("geo"), dict) else {}
    text = location_from_text(event.get("address"))
    location = Location(
        name=clean(event.get("location_name") or event.get("location")) or None,
        street=clean(geo.get("street")) or (text.street if text else None),
        city=clean(geo.get("city")) or (text.city if text else None),
        region=clean(geo.get("state")) or (text.region if text else None),
        postal_code=clean(geo.get("zip")) or (text.postal_code if text else None),
        country=clean(geo.get("country")) or None,
        lat=coordinate(geo.get("latitude")),
        lon=coordinate(geo.get("longitude")),
    )
    return None if location.is_empty() else location


def _types(event: dict[str, Any]) -> list[str]:
    filters = event.get("filters") if isinstance(event.get("filters"), dict) else {}
    kinds = filters.get("event_types")
    names = [clean(k.get("name")) for k in kinds if isinstance(k, dict)] if isinstance(kinds, list) else []
    return [name for name in names if name]

