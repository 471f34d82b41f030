"""RSS 2.0, RSS 1.0 and Atom event feeds, as Wild Apricot and YourMembership publish them.

An item is an event only when it states an event date: the RSS event module
(``xmlns:ev="http://purl.org/rss/1.0/modules/event/"``: ev:startdate,
ev:enddate, ev:location, ev:organizer) first, or xCal's dtstart and dtend
(Trumba), or CivicPlus's calendarEvent:EventDates and EventTimes, else a date
written in the title or the description ("May 12, 2024 6:00 PM", "2024-05-12", "5/12/2024").
``pubDate`` is when the item was posted, not when the event is, so a news feed
yields nothing. Parsing goes through defusedxml: entity bombs and external
entities are refused and the feed reads as empty.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from eventscout.scrapers.dates import parse_datetime
from eventscout.scrapers.event import Event
from eventscout.scrapers.feed_fields import absolute_url, location_from_text, online_mode, status_from
from eventscout.scrapers.humandates import MONTHS
from eventscout.scrapers.page import Page
from eventscout.scrapers.text import clean, html_to_text

EVENT_NS = "http://purl.org/rss/1.0/modules/event/"
_ITEM_NAMES = ("item", "entry")
_MAX_ITEMS = 5_000

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = r"(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?"
_DATE_FORMS = [
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})", re.I),
    re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})", re.I),
    re.compile(r"(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})"),
    re.compile(r"\b(?P<mnum>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})\b"),
]
_TIME_AFTER = re.compile(r"^[\s,;|@-]*(?:at|from|@|,)?\s*" + _TIME + r"\b", re.I)
_END_TIME = re.compile(r"^\s*(?:-|–|—|to|until)\s*" + _TIME + r"\b", re.I)


def read(page: Page) -> list[Event]:
    """The dated items of an RSS/Atom feed; undated items (news) are skipped."""
    if not page.looks_like_xml:
        return []
    root = _parse(page)
    if root is None or _local(root.tag) not in ("rss", "feed", "RDF", "channel"):
        return []
    events: list[Event] = []
    for item in root.iter():
        if _local(item.tag) in _ITEM_NAMES:
            event = _event(item, page.url)
            if event is not None:
                events.append(event)
            if len(events) >= _MAX_ITEMS:
                break
    return events


def _parse(page: Page) -> Element | None:
    for source in (page.body, page.text.encode("utf-8")):
        try:
            return fromstring(source)
        except (DefusedXmlException, ValueError):
            return None  # an entity bomb or external entity: refuse the whole feed
        except (ParseError, RecursionError, LookupError):
            continue
    return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(item: Element) -> dict[str, list[Element]]:
    found: dict[str, list[Element]] = {}
    for child in item:
        if isinstance(child.tag, str):
            ns = child.tag[1:].split("}", 1)[0] if child.tag.startswith("{") else ""
            name = _local(child.tag).lower()  # "startDate", CivicPlus's "EventDates"
            found.setdefault(("ev:" if ns == EVENT_NS else "") + name, []).append(child)
    return found


def _text(fields: dict[str, list[Element]], *names: str) -> str:
    for name in names:
        for element in fields.get(name, []):
            text = "".join(element.itertext()).strip()
            if text:
                return text
    return ""


def _link(fields: dict[str, list[Element]], base: str) -> str | None:
    for element in fields.get("link", []):
        href = element.get("href")
        if href is not None:  # Atom
            if element.get("rel", "alternate") == "alternate":
                return absolute_url(base, href)
        elif (element.text or "").strip():
            return absolute_url(base, element.text)
    return None


def _event(item: Element, base: str) -> Event | None:
    fields = _children(item)
    title = clean(_text(fields, "title"))
    raw_description = _text(fields, "encoded", "description", "content", "summary")
    description = html_to_text(raw_description)
    # the event module's, else xCal's (Trumba's xCal:dtstart)
    start = parse_datetime(_text(fields, "ev:startdate", "startdate", "dtstart"))
    end = parse_datetime(_text(fields, "ev:enddate", "enddate", "dtend"))
    if start is None and (days := _text(fields, "eventdates")):
        # CivicPlus's calendarEvent:EventDates and EventTimes ("January 13, 2027", "06:00 PM - 07:30 PM")
        start, end = _date_in_text(f"{days} {_text(fields, 'eventtimes')}") or (None, None)
    if start is None:
        start, end = _date_in_text(title) or _date_in_text(description[:3000]) or (None, None)
        if type(start) is date and (times := _times_in_text(start, description[:3000])):
            start, end = times  # the title names the day, the description the hours
    if not title or start is None:
        return None
    place = _text(fields, "ev:location", "location")
    # an address in lines ("City Hall<br>100 Main St<br>Springfield, IL 62701") is one line of parts
    place = ", ".join(html_to_text(place).splitlines()) if "<" in place else clean(place)
    url = _link(fields, base)
    return Event(
        title=title,
        start=start,
        end=end,
        url=url,
        description=description,
        location=location_from_text(place),
        online=online_mode(place, raw_description[:3000] if not place else None),
        status=status_from(_text(fields, "ev:status"), title),
        organizer=clean(_text(fields, "ev:organizer")) or None,
        categories=[c for c in (clean("".join(e.itertext()) or e.get("term")) for e in fields.get("category", []))
                    if c],
        source_format="rss",
        key=clean(_text(fields, "guid", "id")) or url,
    )


def _date_in_text(text: str) -> tuple[datetime | date, datetime | None] | None:
    """The first full date written in a text, with its time and end time when they follow."""
    best: re.Match[str] | None = None
    for form in _DATE_FORMS:
        m = form.search(text)
        if m and (best is None or m.start() < best.start()):
            best = m
    if best is None:
        return None
    parts = best.groupdict()
    month = MONTHS.get((parts.get("month") or "").casefold().rstrip(".")) or int(parts.get("mnum") or 0)
    try:
        day = date(int(parts["year"]), month, int(parts["day"]))
    except ValueError:
        return None
    rest = text[best.end():best.end() + 60]
    start_time = _TIME_AFTER.match(rest)
    if start_time is None:
        return day, None
    start = _at(day, start_time)
    if start is None:
        return day, None
    end_time = _END_TIME.match(rest[start_time.end():])
    end = _at(day, end_time, start_time.group("ampm")) if end_time else None
    return start, end if end and end > start else None


def _times_in_text(day: date, text: str) -> tuple[datetime, datetime | None] | None:
    """The first clock time in a text ("at 6:30 pm - 8 pm"), on the given day."""
    for m in re.finditer(_TIME, text, re.I):
        start = _at(day, m) if m.group("ampm") else None
        if start is not None:
            end_time = _END_TIME.match(text[m.end():m.end() + 30])
            end = _at(day, end_time, m.group("ampm")) if end_time else None
            return start, end if end and end > start else None
    return None


def _at(day: date, m: re.Match[str], default_ampm: str | None = None) -> datetime | None:
    hour, minute = int(m.group("h")), int(m.group("m") or 0)
    ampm = (m.group("ampm") or default_ampm or "").lower().replace(".", "")
    if not ampm and m.group("m") is None:
        return None  # a bare number is no time
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return datetime(day.year, day.month, day.day, hour, minute)
