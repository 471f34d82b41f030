"""iCalendar feeds (RFC 5545), written directly and atomically.

Lines are produced by hand rather than through icalendar's object model: it
is several times faster on feeds of thousands of events, and the output is
checked in the tests by icalendar, vobject and ical.js. VTIMEZONE blocks come
from eventscout.flows.publishing.vtimezone, once per zone.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, MutableMapping, Sequence
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from eventscout.scrapers.event import CANCELLED, ONLINE, POSTPONED, Event, default_end
from eventscout.flows.knowledge.places import venue_point
from eventscout.flows.reading.dedup import street_key
from eventscout.flows.store import StoredEvent
from eventscout.flows.publishing.vtimezone import vtimezone
from eventscout.scrapers.text import plain

PRODID = "-//eventscout//eventscout 0.1//EN"
UID_DOMAIN = "eventscout"
REFRESH = "PT6H"


#: control characters RFC 5545 forbids in values (3.1: all but HTAB); newlines are escaped instead
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Unicode's other line breaks (NEL, LINE and PARAGRAPH SEPARATOR): calendar apps show them as
#: stray glyphs or break lines where the feed did not, so they become plain line breaks
_LINE_BREAKS = str.maketrans({"\x85": "\n", "\u2028": "\n", "\u2029": "\n"})
#: what a URI keeps as it is; spaces, quotes and non-ASCII letters are percent-encoded (RFC 3986)
_URI_SAFE = ":/?#[]@!$&'()*+,;=%~"


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11); CRs dropped, newlines (Unicode's too) as \\n, no control
    characters."""
    printable = value.isprintable()  # no controls and no line breaks of any kind: nearly all text
    if not printable:
        value = _CONTROL.sub("", plain(value).translate(_LINE_BREAKS))
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    if printable:
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def uri(value: str | None) -> str | None:
    """An http(s) link fit for a URI value (percent-encoded where it must be), or None."""
    value = _CONTROL.sub("", value or "").strip()
    if not value.lower().startswith(("http://", "https://")):
        return None
    return quote(value, safe=_URI_SAFE)


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    if len(line) <= 75 and line.isascii():
        return line + "\r\n"
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    limit = 75
    while raw:
        cut = min(limit, len(raw))
        while cut < len(raw) and (raw[cut] & 0xC0) == 0x80:
            cut -= 1
        parts.append(raw[:cut].decode("utf-8"))
        raw = raw[cut:]
        limit = 74
    return "\r\n ".join(parts) + "\r\n"


@lru_cache(maxsize=4096)
def _utc(value: datetime) -> str:
    """An instant as UTC; cached, as a run stamps thousands of events with the same few instants."""
    return value.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _zone_name(value: datetime) -> str | None:
    tz = value.tzinfo
    return tz.key if isinstance(tz, ZoneInfo) else None


def _time_prop(name: str, value: datetime | date) -> str:
    if not isinstance(value, datetime):
        return f"{name};VALUE=DATE:{value.strftime('%Y%m%d')}"
    if value.tzinfo is None:  # floating should not reach feeds; read it as UTC rather than float
        value = value.replace(tzinfo=timezone.utc)
    zone = _zone_name(value)
    if zone and zone not in ("UTC", "Etc/UTC"):
        return f"{name};TZID={zone}:{value.strftime('%Y%m%dT%H%M%S')}"
    return f"{name}:{_utc(value)}"


def feed_end(event: Event) -> datetime | date:
    """DTEND as clients expect: exclusive dates for all-day events, never before the start."""
    start, end = event.start, event.end
    if end is None or type(end) is not type(start):
        if isinstance(start, datetime) and isinstance(end, date) and not isinstance(end, datetime):
            end = None
        elif not isinstance(start, datetime) and isinstance(end, datetime):
            end = end.date()
    if end is None:
        return default_end(start)
    if not isinstance(start, datetime):
        # iCalendar DTEND is already exclusive; other sources state the last day.
        if not event.source_format.startswith("ical"):
            end = end + timedelta(days=1)
        return end if end > start else start + timedelta(days=1)
    try:
        return end if end > start else default_end(start)
    except TypeError:  # aware start, naive end
        return default_end(start)


def description(event: Event, source_name: str | None, source_page: str | None = None,
                also: Sequence[tuple[str | None, str]] = ()) -> str:
    """The event text, the organising association, the registration link, the source and the other
    sources that posted the same event (`also`: their name and link)."""
    parts = [event.description.strip()] if event.description.strip() else []
    organiser = event.organizer or source_name
    if organiser:
        parts.append(f"Organised by: {organiser}")
    other_pages = {link for _, link in also}
    registration = next((link for link in event.links if link != event.url and link not in other_pages), None)
    if registration:
        parts.append(f"Register: {registration}")
    if event.url:
        parts.append(f"Details: {event.url}")
    if source_name:
        where = f" {source_page}" if source_page else ""
        parts.append(f"Source: {source_name}{where} (via eventscout)")
    for name, link in also:
        parts.append(f"Also posted by {name}: {link}" if name else f"Also posted at: {link}")
    return "\n\n".join(parts)


_STATUS = {CANCELLED: "CANCELLED", POSTPONED: "TENTATIVE"}
#: a title that says so already ("Board Meeting – CANCELLED") is not marked a second time
_SAYS_CANCELLED = re.compile(r"\bcancell?ed\b", re.I)
_SAYS_POSTPONED = re.compile(r"\b(?:postponed|rescheduled)\b", re.I)


def vevent(stored: StoredEvent, source_name: str | None = None, source_page: str | None = None,
           also: Sequence[tuple[str | None, str]] = (), geo: tuple[float, float] | None = None) -> str:
    """One VEVENT; URL falls back to the source's page when the event has no page of its own.

    GEO is `geo`, the venue's own point (`venue_points`), never a city centre.
    """
    event = stored.event
    title = event.title
    if event.status == CANCELLED and not _SAYS_CANCELLED.search(title):
        title = f"CANCELLED: {title}"
    elif event.status == POSTPONED and not _SAYS_POSTPONED.search(title):
        title = f"POSTPONED: {title}"
    changed = _utc(stored.changed_at)
    # UID, the stamps, SEQUENCE, STATUS and TRANSP are short ASCII: written without folding
    lines = [
        f"BEGIN:VEVENT\r\nUID:{event.id}@{UID_DOMAIN}\r\nDTSTAMP:{changed}\r\n"
        f"CREATED:{_utc(stored.first_seen)}\r\nLAST-MODIFIED:{changed}\r\nSEQUENCE:{stored.sequence}\r\n",
        fold(_time_prop("DTSTART", event.start)),
        fold(_time_prop("DTEND", feed_end(event))),
        fold(f"SUMMARY:{escape_text(title)}"),
    ]
    text = description(event, source_name, source_page, also)
    if text:
        lines.append(fold(f"DESCRIPTION:{escape_text(text)}"))
    if place := event.place_line():
        lines.append(fold(f"LOCATION:{escape_text(place)}"))
    if geo is not None:
        lines.append(f"GEO:{geo[0]:.6f};{geo[1]:.6f}\r\n")
    if link := uri(event.url) or uri(source_page):
        lines.append(fold(f"URL:{link}"))
    if event.industries:
        lines.append(fold("CATEGORIES:" + ",".join(escape_text(i) for i in event.industries)))
    lines.append(f"STATUS:{_STATUS.get(event.status, 'CONFIRMED')}\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\n")
    return "".join(lines)


def venue_points(events: Sequence[StoredEvent]) -> dict[str, tuple[float, float]]:
    """Each event's GEO point: only a venue placed itself, never its city's centre, and never a point
    that venues at different street addresses share (a site's default pin says nothing of either)."""
    points: dict[str, tuple[float, float]] = {}
    streets: dict[tuple[float, float], set[str]] = {}
    for stored in events:
        loc = stored.event.location
        point = venue_point(loc)
        if point is None or stored.event.online == ONLINE:
            continue
        point = (round(point[0], 6), round(point[1], 6))
        points[stored.event.id] = point
        if street := street_key(loc):
            streets.setdefault(point, set()).add(street)
    return {eid: point for eid, point in points.items() if len(streets.get(point, ())) < 2}


def render_calendar(name: str, description_text: str | None, events: Iterable[StoredEvent],
                    source_names: dict[str, str] | None = None,
                    source_pages: dict[str, str] | None = None,
                    texts: MutableMapping[tuple[str, tuple[float, float] | None], str] | None = None) -> bytes:
    """A whole VCALENDAR: header, one VTIMEZONE per zone used, then the events.

    `source_names` and `source_pages` map source ids to the association's name
    and the page its events were read from. `texts`, when given, keeps each
    event's VEVENT by event id and GEO point for the next calendar made from the same
    events and sources (`serve` renders many custom feeds from one store).
    """
    source_names, source_pages = source_names or {}, source_pages or {}
    body: list[bytes] = []  # each VEVENT encoded as it is made: a large feed is held once, as bytes
    zones: set[str] = set()
    events = list(events)
    points = venue_points(events)
    for stored in events:
        for value in (stored.event.start, stored.event.end):
            if isinstance(value, datetime) and (zone := _zone_name(value)) and zone not in ("UTC", "Etc/UTC"):
                zones.add(zone)
        point = points.get(stored.event.id)
        key = (stored.event.id, point)  # a point depends on the feed's other venues
        text = texts.get(key) if texts is not None else None
        if text is None:
            source = stored.event.source_id or ""
            also = [(source_names.get(d.source_id or "", d.source_id), d.url) for d in stored.duplicates
                    if d.url and d.url != stored.event.url]
            text = vevent(stored, source_names.get(source), source_pages.get(source), also, point)
            if texts is not None:
                texts[key] = text
        body.append(text.encode("utf-8"))
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", f"X-WR-CALNAME;VALUE=TEXT:{escape_text(name)}"]
    if description_text:  # VALUE=TEXT: ical.js and icalendar read X- properties raw unless told they are text
        head.append(f"X-WR-CALDESC;VALUE=TEXT:{escape_text(description_text)}")
    head += [f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}", f"X-PUBLISHED-TTL:{REFRESH}"]
    top = "".join(fold(line) for line in head) + "".join(vtimezone(z) for z in sorted(zones))
    return b"".join([top.encode("utf-8"), *body, b"END:VCALENDAR\r\n"])


def write_atomically(path: Path, data: bytes) -> bool:
    """Replace `path` with `data` via a temp file and rename; False when it already held it."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
