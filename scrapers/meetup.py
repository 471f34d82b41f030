"""Meetup: GraphQL payloads, the older REST v3 shape, and the ``__NEXT_DATA__`` of event pages.

GraphQL events state ``dateTime`` with its offset (``2020-01-11T23:59-04:00``),
``eventType`` ONLINE/PHYSICAL/HYBRID and a ``venue`` (or ``venues[]``). Pages
embed the same objects in Next.js data, often as an Apollo cache where
``"Event:123"`` refers to ``{"__ref": "Venue:456"}``; references are resolved.
Any event-shaped object anywhere in the JSON is read, so payload wrappers
(``groupByUrlname.upcomingEvents.edges[].node``, ``events``, ``self``...) need
no list of paths.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from eventscout.scrapers.dates import parse_datetime
from eventscout.scrapers.event import CANCELLED, HYBRID, IN_PERSON, ONLINE, POSTPONED, SCHEDULED, Event, Location
from eventscout.scrapers.feed_fields import absolute_url, coordinate, page_script_json, walk_dicts
from eventscout.scrapers.page import Page
from eventscout.scrapers.text import clean, html_to_text
from eventscout.scrapers.titles import best_title

_MODES = {"online": ONLINE, "physical": IN_PERSON, "hybrid": HYBRID}
_STATUS = {"cancelled": CANCELLED, "canceled": CANCELLED, "postponed": POSTPONED}


def read(page: Page) -> list[Event]:
    """Meetup-shaped events in a JSON payload or an event page's Next.js data."""
    data: Any = None
    if page.looks_like_html:
        data = page_script_json(page, "__NEXT_DATA__")
    elif '"dateTime"' in page.text or '"local_date"' in page.text:
        data = page.json
    if data is None:
        return []
    nodes = list(walk_dicts(data))
    refs = {key: value for node in nodes for key, value in node.items()
            if isinstance(value, dict) and ":" in key and "__typename" in value}
    events: list[Event] = []
    seen: set[str] = set()
    payload_group = _payload_group(data)
    for node in nodes:
        event = _event(node, refs, page.url, payload_group)
        if event is None or event.key in seen:
            continue
        if event.key:
            seen.add(event.key)
        events.append(event)
    return events


def _payload_group(data: Any) -> dict[str, Any] | None:
    """The group a GraphQL group query is about (``data.groupByUrlname``), the events' organizer."""
    inner = data.get("data") if isinstance(data, dict) else None
    group = inner.get("groupByUrlname") or inner.get("group") if isinstance(inner, dict) else None
    return group if isinstance(group, dict) else None


def _resolve(value: Any, refs: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, dict) and isinstance(value.get("__ref"), str):
        return refs.get(value["__ref"])
    return value


def _start(node: dict[str, Any]) -> datetime | None:
    if isinstance(node.get("dateTime"), str):
        start = parse_datetime(node["dateTime"])
        return start if isinstance(start, datetime) else None
    # REST v3: local_date + local_time, with utc_offset in milliseconds
    if isinstance(node.get("local_date"), str):
        start = parse_datetime(f"{node['local_date']}T{node.get('local_time') or '00:00'}")
        offset = node.get("utc_offset")
        if isinstance(start, datetime) and isinstance(offset, int) and abs(offset) <= 14 * 3_600_000:
            start = start.replace(tzinfo=timezone(timedelta(milliseconds=offset)))
        return start if isinstance(start, datetime) else None
    return None


def _end(node: dict[str, Any], start: datetime) -> datetime | None:
    end = parse_datetime(node.get("endTime"))
    if isinstance(end, datetime):
        return end
    duration = node.get("duration")
    if isinstance(duration, int) and 0 < duration < 90 * 86_400_000:  # REST: milliseconds
        return start + timedelta(milliseconds=duration)
    return None


def _event(node: dict[str, Any], refs: dict[str, dict[str, Any]], base: str,
           payload_group: dict[str, Any] | None) -> Event | None:
    title = best_title([clean(node.get("title")), clean(node.get("name"))])
    if not title or not ("dateTime" in node or "local_date" in node):
        return None
    start = _start(node)
    if start is None:
        return None
    venue = _resolve(node.get("venue"), refs)
    if venue is None and isinstance(node.get("venues"), list) and node["venues"]:
        venue = _resolve(node["venues"][0], refs)
    location = _location(venue) if isinstance(venue, dict) else None
    mode = _MODES.get(clean(node.get("eventType")).casefold())
    if mode is None:
        online = node.get("isOnline") is True or node.get("is_online_event") is True
        mode = ONLINE if online else IN_PERSON
    if mode == ONLINE and location is not None and not (location.street or location.city):
        location = None
    group = _resolve(node.get("group"), refs) or payload_group
    url = absolute_url(base, node.get("eventUrl") or node.get("link"))
    event_id = clean(node.get("id"))
    return Event(
        title=title,
        start=start,
        end=_end(node, start),
        url=url,
        description=html_to_text(node.get("description")),
        location=location,
        online=mode,
        status=_STATUS.get(clean(node.get("status")).casefold(), SCHEDULED),
        organizer=clean(group.get("name")) or None if isinstance(group, dict) else None,
        source_format="meetup",
        key=f"meetup:{event_id}" if event_id else url,
    )


def _location(venue: dict[str, Any]) -> Location | None:
    if clean(venue.get("venueType")).casefold() == "online" or clean(venue.get("name")).casefold() == "online event":
        return None
    location = Location(
        name=clean(venue.get("name")) or None,
        street=clean(venue.get("address") or venue.get("address_1")) or None,
        city=clean(venue.get("city")) or None,
        region=clean(venue.get("state")) or None,
        postal_code=clean(venue.get("postalCode") or venue.get("zip")) or None,
        country=clean(venue.get("country")).upper() or None,
        lat=coordinate(venue.get("lat")),
        lon=coordinate(venue.get("lng", venue.get("lon"))),
    )
    return None if location.is_empty() else location

