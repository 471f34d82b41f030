"""Events in structured records of any shape: API answers, JSON a page embeds, XML event feeds.

The structured counterpart of the listing reader. Platforms put their events
in JSON or XML of their own design: Squarespace's ``?format=json`` collection
(``upcoming[]`` with epoch-millisecond ``startDate``), Wix's embedded warm-up
data (``events[]`` with ``scheduling.config.startDate`` and ``timeZoneId``),
GraphQL answers (``edges[].node``), ticketing APIs (``dates.start.localDate``),
Next.js ``__NEXT_DATA__``, ``window.__INITIAL_STATE__ = {...}`` blobs, and XML
``<events><event>`` feeds. No site has code of its own here: a record is any
object with a title-like field and a start-like field, judged by key names and
value shapes, and an array of them is a list of events.

From each record: the title (through the shared check in
`eventscout.scrapers.titles`), start and end (ISO strings, leniently; epoch
seconds or milliseconds; ``/Date(ms)/``; separate date and time fields; a zone
field), URL, venue and address, status and online/in-person, and a confidence
that says how event-like the record is.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from xml.etree.ElementTree import Element

from eventscout.scrapers.address import split_location
from eventscout.scrapers.dates import clock_time, iso_duration, parse_when, zone
from eventscout.scrapers.event import CANCELLED, HYBRID, ONLINE, POSTPONED, Event, Location
from eventscout.scrapers.feed_fields import absolute_url, coordinate, iana_zone, online_mode, status_from
from eventscout.scrapers.page import Page, read_json
from eventscout.scrapers.platforms import answer_site, event_page
from eventscout.scrapers.schemaorg import distinct_keys
from eventscout.scrapers.text import clean, html_to_text
from eventscout.scrapers.titles import distinct_titles, title_from_url

__all__ = ["read", "records_in"]

#: key names (lowercased, without "_" and "-") for each field, strongest first
TITLE_KEYS = ("title", "name", "eventname", "eventtitle", "headline", "displayname", "subject", "summary",
              "label", "topic", "meetingname", "meetingtitle", "eventbodyname", "bodyname", "committeename")
#: start keys that only an event has
START_KEYS = ("startdate", "startdatetime", "start", "starttime", "startsat", "startat", "startson",
              "starttimestamp", "startutc", "startlocal", "startdatelocal", "startdateutc", "begin", "begins",
              "beginsat", "begindate", "dtstart", "datestart", "eventdate", "eventstart", "eventdatetime",
              "fromdate", "occursat", "localstartdate")
#: start keys that posts and pages have too: they count only with other signs of an event
WEAK_START_KEYS = ("date", "datetime", "when", "from", "day", "localdate")
_SUFFIX = r"(?:s|ing)?(?:date)?(?:time)?(?:at|on)?(?:utc|local|iso|gmt|z|timestamp|unix|epoch|ms|string|text|value)?$"
#: other spellings of the same keys ("start_date_time_iso", "eventStartUtc", "date_time_iso")
KEY_PATTERNS = {
    "start": re.compile(r"^(?:event|local|utc|scheduled)?(?:start|begin|opening)" + _SUFFIX),
    "weak": re.compile(r"^(?:event|local|utc)?date(?:time)?(?:utc|local|iso|gmt|z|timestamp|unix|string|value)?$"),
    "end": re.compile(r"^(?:event|local|utc|scheduled)?(?:end|finish)" + _SUFFIX),
}
END_KEYS = ("enddate", "enddatetime", "end", "endtime", "endsat", "endat", "endson", "endtimestamp",
            "endutc", "endlocal", "enddatelocal", "enddateutc", "finish", "finishat", "dtend", "dateend",
            "eventend", "todate", "until", "to", "localenddate")
#: a clock time kept apart from its date
TIME_KEYS = ("starttime", "time", "eventtime", "localtime", "begintime", "timestart", "fromtime")
END_TIME_KEYS = ("endtime", "timeend", "totime", "localendtime")
ZONE_KEYS = ("timezone", "timezoneid", "tz", "tzid", "timezonename", "zone", "ianatimezone", "tzname", "ctz",
             "olsonpath")
URL_KEYS = ("url", "fullurl", "eventurl", "eventpageurl", "permalink", "link", "href", "weburl", "htmllink", "htmlurl",
            "detailsurl", "detailurl", "canonicalurl", "absoluteurl", "pageurl", "publicurl", "ticketurl",
            "registrationurl", "eventlink", "uri", "weblink", "contenturl", "shareurl", "eventinsiteurl", "insiteurl",
            "meetingurl")
PLACE_KEYS = ("location", "venue", "place", "address", "eventlocation", "eventvenue", "primaryvenue", "venuename",
              "locationname", "fulladdress", "geoaddressjson", "geoaddressinfo", "addressinfo", "site")
DESCRIPTION_KEYS = ("description", "excerpt", "summary", "body", "content", "details", "shortdescription",
                    "descriptiontext", "teaser", "about")
STATUS_KEYS = ("status", "eventstatus", "state", "statusname", "meetingstatus", "eventagendastatusname")
ORGANIZER_KEYS = ("organizer", "organiser", "host", "hostname", "organization", "organizername", "group")
ID_KEYS = ("id", "uid", "uuid", "eventid", "guid", "_id", "key")
#: wrappers whose one object is the record: GraphQL edges, JSON:API, CMS entries
WRAPPER_KEYS = ("node", "event", "item", "attributes", "fields", "properties", "_source", "record", "data")
#: nested objects where platforms keep an event's times (Wix scheduling.config, ticketing dates.start)
TIME_HOLDERS = ("scheduling", "schedule", "config", "dates", "timing", "time", "times", "when", "occurrence",
                "datetime", "eventdates", "period")
_EVENTISH_PATH = re.compile(r"event|calendar|meeting|session|occurrence|upcoming|webinar|program|agenda", re.I)
_ONLINE_WORDS = re.compile(r"online|virtual|webinar|remote|digital", re.I)
_MS_DATE = re.compile(r"/Date\((-?\d{9,14})(?:[+-]\d{4})?\)/")
#: a day written in numbers, month first as US sites write it ("04/22/2027", "4-22-27")
_NUMERIC_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b")
#: "= {" or "= [" in a script: where a `window.__STATE__ = {...}` blob may start
_ASSIGNMENT = re.compile(r"=\s*[{\[]")
#: what precedes an assignment's "=": a name, a property or an index (not "==", "<=", "=>")
_ASSIGNED = re.compile(r"[\w$\]'\"]\s*$")
#: text that start-like keys leave in JSON; a script without any holds no records (checked in C)
_KEY_HINTS = ('"start', "'start", "Start", "_start", '"begin', "Begin", "dtstart", '"date"', 'Date"', '"when"',
              "localDate")
_DECODER = json.JSONDecoder(strict=False)
#: script types a browser runs as JavaScript (where `window.__STATE__ = {...}` blobs are)
_SCRIPT_TYPES = ("", "text/javascript", "application/javascript", "module")
_MAX_NODES = 200_000
_MAX_DEPTH = 40
_MAX_SCRIPT = 20_000_000
_MAX_BLOBS = 20
_MAX_ATTEMPTS = 400
_MAX_RECORDS = 5_000


@lru_cache(maxsize=4096)
def _norm(key: str) -> str:
    return key.rsplit("}", 1)[-1].rsplit(":", 1)[-1].replace("_", "").replace("-", "").casefold()


_TITLE_NAMES = frozenset(TITLE_KEYS)
_WRAPPER_NAMES = frozenset(WRAPPER_KEYS)
_HOLDER_NAMES = frozenset(TIME_HOLDERS)
_LENT_NAMES = frozenset(URL_KEYS + DESCRIPTION_KEYS + PLACE_KEYS)
_URL_NAMES = frozenset(URL_KEYS)
#: where a part keeps the page its titled parent lent it (a key no answer writes)
_LENT_URL = "\x00lent-url"
#: objects with more keys than this are not worth a cache entry (a hostile answer's huge maps)
_CACHED_SHAPE = 64


def _shape(keys: tuple[Any, ...]) -> tuple[tuple[tuple[str, str], ...], bool]:
    """Each normalised name an object's keys give, with the first key giving it, and whether one
    names a title: worked out once per set of keys, as the objects of one list share theirs."""
    first: dict[str, str] = {}
    for key in keys:
        if isinstance(key, str):
            first.setdefault(_norm(key), key)
    return tuple((key, name) for name, key in first.items()), not _TITLE_NAMES.isdisjoint(first)


_cached_shape = lru_cache(maxsize=4096)(_shape)


def _shape_of(record: dict[str, Any]) -> tuple[tuple[tuple[str, str], ...], bool]:
    keys = tuple(record)
    return _cached_shape(keys) if len(keys) <= _CACHED_SHAPE else _shape(keys)


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    """The record's keys normalised ("start_date", "startDate", "ev:startdate" -> "startdate")."""
    return {name: record[key] for key, name in _shape_of(record)[0]}


def _has_title_key(record: dict[str, Any]) -> bool:
    return _shape_of(record)[1]


# --- finding the records ------------------------------------------------------------

def records_in(data: Any) -> Iterator[tuple[dict[str, Any], str, list[str]]]:
    """Every event-like record in a JSON value, with the path of keys it was found under and its
    title candidates.

    A record is not looked into once found: its sessions or tickets are its own parts.
    A dated object with no title of its own under a titled one (a show's performances,
    a series' occurrences) takes its parent's titles.
    """
    # (value, path, depth, the nearest titles above, what their object lends its parts, whether
    # the value is an item of a list)
    stack: list[tuple[Any, str, int, list[str], dict[str, Any], bool]] = [(data, "", 0, [], {}, False)]
    seen = found = 0
    while stack and seen < _MAX_NODES and found < _MAX_RECORDS:
        node, path, depth, inherited, lent, in_list = stack.pop()
        seen += 1
        if isinstance(node, dict):
            record = _unwrap(node)
            if not _HOLDER_NAMES.isdisjoint(record):
                record = _with_one_reckoning(record)
            # most objects have no title key and inherit none: their fields are never needed
            fields = _fields(record) if _has_title_key(record) else None
            own = _title_candidates(fields) if fields is not None else []
            titles = own or (inherited if in_list else [])
            if titles and _is_record(fields if fields is not None else _fields(record), path, titles,
                                     strict_start=not own):
                if own and (listed := _occurrences(record)) is not None:
                    key, times = listed  # a series' dates, each an event of its own under its title
                    stack.extend([(item, f"{path}/{key}", depth + 1, own, _lendable(record), True)
                                  for item in reversed(times)])
                    continue
                found += 1
                yield (record if own or not lent else _borrowing(record, lent)), path, titles
                continue
            if depth < _MAX_DEPTH:
                below, lends = (own, _lendable(record)) if own else (inherited, lent)
                stack.extend([(value, f"{path}/{key}", depth + 1, below, lends, False)
                              for key, value in reversed(node.items()) if isinstance(value, (dict, list))])
        elif isinstance(node, list) and depth < _MAX_DEPTH:
            stack.extend([(value, path, depth + 1, inherited, lent, True) for value in reversed(node)
                          if isinstance(value, (dict, list))])


#: the names a record lists its own dates under (Facebook's ``event_times``, a series' occurrences)
_OCCURRENCE_NAMES = frozenset({"eventtimes", "occurrences", "instances", "recurrences", "eventdates", "dates",
                               "times", "performances", "showings", "showtimes"})


def _occurrences(record: dict[str, Any]) -> tuple[str, list[dict[str, Any]]] | None:
    """The key and items of the record's list of its dates: two or more objects, each with a start
    and no title of its own (a list of titled sessions or tickets is the event's parts, not its dates)."""
    for key, value in record.items():
        if isinstance(value, list) and len(value) >= 2 and isinstance(key, str) and _norm(key) in _OCCURRENCE_NAMES \
                and all(isinstance(item, dict) and not (_has_title_key(item) and _title_candidates(_fields(item)))
                        and _start_field(_fields(item), START_KEYS) is not None for item in value):
            return key, value
    return None


def _lendable(record: dict[str, Any]) -> dict[str, Any]:
    """What a titled object's dated parts (a show's performances) take from it when they lack
    their own: its page, description and place."""
    return {key: record[key] for key, name in _shape_of(record)[0] if name in _LENT_NAMES}


def _borrowing(record: dict[str, Any], lent: dict[str, Any]) -> dict[str, Any]:
    """The record with what it lacks of `lent`; a lent page stays apart (`_LENT_URL`), as the
    part's own id, not the page all parts share, names it."""
    own = {name for _, name in _shape_of(record)[0]}
    borrowed: dict[str, Any] = {}
    for key, value in lent.items():
        name = _norm(key)
        if name in _URL_NAMES:
            if not own.intersection(_URL_NAMES):
                borrowed.setdefault(_LENT_URL, value)
        elif name not in own:
            borrowed[key] = value
    return {**borrowed, **record} if borrowed else record


#: how a list may give one time twice, in UTC and in local time (`<times type="utc">`, `<times type="local">`)
_RECKONINGS = frozenset({"utc", "gmt", "zulu", "local", "localtime", "local_time", "local-time"})


def _with_one_reckoning(record: dict[str, Any]) -> dict[str, Any]:
    """The record with each time holder that lists one time in several reckonings reduced to its
    local one: the same occurrence written twice, not two."""
    chosen = {key: local for key in _HOLDER_NAMES.intersection(record)
              if isinstance(items := record[key], list) and (local := _local_reckoning(items)) is not None}
    return {**record, **chosen} if chosen else record


def _local_reckoning(items: list[Any]) -> dict[str, Any] | None:
    if not 2 <= len(items) <= 3 or not all(isinstance(i, dict) and isinstance(i.get("type"), str) for i in items):
        return None
    kinds = [i["type"].strip().lower() for i in items]
    if len(set(kinds)) != len(kinds) or not _RECKONINGS.issuperset(kinds):
        return None
    return next((i for i, kind in zip(items, kinds) if "local" in kind), None)


def _unwrap(node: dict[str, Any]) -> dict[str, Any]:
    """The record inside a wrapper ({"node": {...}}, {"attributes": {...}, "id": 1}), the wrapper's
    own plain values kept; else the node itself."""
    if len(node) > 6 or _WRAPPER_NAMES.isdisjoint(node):
        return node
    for key in WRAPPER_KEYS:
        inner = node.get(key)
        if isinstance(inner, dict) and not _has_title_key(node):
            plain = {k: v for k, v in node.items() if not isinstance(v, (dict, list))}
            return {**plain, **inner}
    return node


def _is_record(fields: dict[str, Any], path: str, titles: list[str], *, strict_start: bool) -> bool:
    """Whether an object is an event: titles, and a start (a weak one only with other signs of an
    event; an inherited title needs its own start plainly named, or a date under an events path)."""
    if not titles:
        return False
    if _start_field(fields, START_KEYS) is not None or _epoch_time(fields, None) is not None:
        return True
    if _start_field(fields, WEAK_START_KEYS) is None:
        return False
    return bool(_EVENTISH_PATH.search(path)) if strict_start else _eventish(fields, path)


def _eventish(fields: dict[str, Any], path: str) -> bool:
    """Signs beyond a bare date that a record is an event, not a post: an end, a place, an event path."""
    return (any(k in fields for k in END_KEYS) or any(k in fields for k in PLACE_KEYS)
            or bool(_EVENTISH_PATH.search(path)))


def _present(fields: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, ...]:
    """The keys of `fields` that name this field: the listed ones in their order, then other spellings."""
    kind = "start" if keys is START_KEYS else "weak" if keys is WEAK_START_KEYS else "end" if keys is END_KEYS else None
    if kind is None:
        return tuple(k for k in keys if k in fields)
    names = tuple(fields)
    return _cached_spellings(names, kind) if len(names) <= _CACHED_SHAPE else _spellings(names, kind)


def _spellings(names: tuple[str, ...], kind: str) -> tuple[str, ...]:
    """The `names` that spell a start, weak start or end (`kind`): the listed keys first, in their order."""
    listed = [k for k in _SPELLED[kind] if k in names]
    pattern = KEY_PATTERNS[kind]
    return (*listed, *(k for k in names if k not in listed and pattern.match(k)))


_SPELLED = {"start": START_KEYS, "weak": WEAK_START_KEYS, "end": END_KEYS}
_cached_spellings = lru_cache(maxsize=4096)(_spellings)


def _start_field(fields: dict[str, Any], keys: tuple[str, ...]) -> Any:
    """The value of the first start-like key that reads as a time, looking into time holders too."""
    for key in _present(fields, keys):
        if _instant(fields[key], None)[0] is not None:
            return fields[key]
    if _HOLDER_NAMES.isdisjoint(fields):
        return None
    for holder in TIME_HOLDERS:
        inner = fields.get(holder)
        if isinstance(inner, dict):
            found = _start_field(_fields(inner), keys)
            if found is not None:
                return found
    return None


# --- reading values -------------------------------------------------------------------

def _text(value: Any) -> str:
    """Plain text out of a string, a number or a localised/rendered wrapper ({"rendered": ...})."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        for key in ("text", "rendered", "value", "html", "en", "en-us", "default", "raw", "plain", "#text"):
            if key in value:
                return _text(value[key])
        return ""
    if isinstance(value, list) and value:
        return _text(value[0])
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _title_candidates(fields: dict[str, Any]) -> list[str]:
    return [t for t in (_text(fields.get(k)) for k in TITLE_KEYS if k in fields) if t]


def _epoch(number: float, tz: tzinfo | None) -> datetime | None:
    """Epoch seconds or milliseconds (told apart by size) as an aware datetime."""
    if 1e9 <= abs(number) < 1e11:
        seconds = number
    elif 1e11 <= abs(number) < 1e14:
        seconds = number / 1000
    else:
        return None
    try:
        value = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return value.astimezone(tz) if tz is not None else value


def _instant(value: Any, tz: tzinfo | None) -> tuple[datetime | date | None, datetime | date | None]:
    """(start, end-if-the-value-holds-one) from any time-like value."""
    if isinstance(value, bool) or value is None:
        return None, None
    if isinstance(value, (int, float)):
        return _epoch(value, tz), None
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit() and len(text) in (10, 13):
            return _epoch(int(text), tz), None
        if (m := _MS_DATE.fullmatch(text)) is not None:
            return _epoch(int(m.group(1)), tz), None
        start, end = parse_when(text, tz)
        if start is None and 6 <= len(text) <= 40 and re.search(r"\d", text) and (
                re.search(r"[A-Za-z]{3}", text) or _NUMERIC_DATE.match(text)):
            from eventscout.scrapers.humandates import find_times, loose_datetime

            start = loose_datetime(text)
            if start is not None and start.year < 1970:
                start = None
            elif start is not None and start.time() == time(0) and not find_times(text):
                start = start.date()  # "May 20, 2027", "04/22/2027": a day, not its midnight
            elif start is not None and tz is not None:
                start = start.replace(tzinfo=tz)
        return _in_zone(start, tz), _in_zone(end, tz)
    if isinstance(value, dict):
        fields = _fields(value)
        own = iana_zone(_text(next((fields[k] for k in ZONE_KEYS if k in fields), None))) or tz
        day = next((fields[k] for k in ("localdate", "date") if isinstance(fields.get(k), str)), None)
        clock = next((fields[k] for k in ("localtime", "time") if isinstance(fields.get(k), str)), None)
        if day and clock:
            return _combine(day, clock, own), None
        for key in ("datetime", "local", "iso", "value", "date", "utc", "timestamp", "start", "dt", "time"):
            if key in fields and not isinstance(fields[key], dict):
                start, end = _instant(fields[key], own)
                if start is not None:
                    return start, end
    return None, None


def _in_zone(value: datetime | date | None, tz: tzinfo | None) -> datetime | date | None:
    """A time stated with an offset shown on the record's own zone's clock (the same instant)."""
    if isinstance(value, datetime) and tz is not None and value.tzinfo is not None:
        return value.astimezone(tz)
    return value


def _combine(day: Any, clock: Any, tz: tzinfo | None) -> datetime | date | None:
    """A date field and a separate time field ("2026-03-05" + "18:30" / "6:30 PM") as one time."""
    start, _ = _instant(day, tz)
    if not isinstance(start, date) or isinstance(start, datetime):
        return start
    at = clock_time(_text(clock))
    return datetime.combine(start, at, tzinfo=tz) if at is not None else start


def _when(fields: dict[str, Any], keys: tuple[str, ...], clock_keys: tuple[str, ...],
          tz: tzinfo | None) -> tuple[datetime | date | None, datetime | date | None]:
    """A start (or end) from the first key that reads, joined with a separate time field."""
    for key in _present(fields, keys):
        start, end = _instant(fields[key], tz)
        if start is None:
            continue
        # a day, or a day at a midnight that only fills the field's format (Legistar's "EventDate":
        # "2027-01-12T00:00:00" beside "EventTime": "6:00 PM"), joined with its time field
        if type(start) is date or (start.time() == time() and start.tzinfo is None):
            clock = next((fields[k] for k in clock_keys if k in fields and k != key
                          and isinstance(fields[k], str)), None)
            if clock is not None and (at := clock_time(clock)) is not None:
                day = start if type(start) is date else start.date()
                start = datetime.combine(day, at, tzinfo=tz)
        return start, end
    for holder in TIME_HOLDERS:
        inner = fields.get(holder)
        if isinstance(inner, dict):
            inner_fields = _fields(inner)
            inner_tz = _zone_of(inner_fields) or tz
            start, end = _when(inner_fields, keys, clock_keys, inner_tz)
            if start is not None:
                return start, end
    return None, None


def _zone_of(fields: dict[str, Any]) -> tzinfo | None:
    for key in ZONE_KEYS:
        if key in fields and (tz := iana_zone(_text(fields[key]))) is not None:
            return tz
    return _utc_offset(fields.get("utcoffset"))


def _utc_offset(value: Any) -> tzinfo | None:
    """A fixed zone from a numeric UTC offset (Meetup's ``utc_offset``): minutes up to 14 hours' worth,
    then seconds, then milliseconds."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    size = abs(value)
    seconds = value * 60 if size <= 840 else value if size <= 50_400 else value / 1000
    if abs(seconds) > 50_400:
        return None
    return timezone(timedelta(seconds=seconds))


def _epoch_time(fields: dict[str, Any], tz: tzinfo | None) -> datetime | None:
    """A start given as epoch seconds or milliseconds under a plain ``time`` key (Meetup's v2 API)."""
    value = fields.get("time")
    return _epoch(value, tz) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _duration_end(fields: dict[str, Any], start: datetime | date) -> datetime | None:
    """The end a ``duration`` gives: ISO 8601 ("PT2H"), or a number of seconds, or of milliseconds
    when seconds would make it over a week long."""
    value = fields.get("duration")
    if not isinstance(start, datetime) or value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        # milliseconds when seconds would be over a week; minutes when seconds would be under a quarter
        # of an hour (Zoom's "duration": 60)
        length = timedelta(milliseconds=value) if value > 7 * 86_400 else timedelta(minutes=value) \
            if value < 900 else timedelta(seconds=value)
        return start + length if timedelta(0) < length <= timedelta(days=31) else None
    length = iso_duration(value)
    return start + length if length is not None else None


def _page_zone(data: Any) -> tzinfo | None:
    """A zone the whole answer states (Squarespace's website.timeZone), for records that state none."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    seen = 0
    while stack and seen < 2_000:
        node, depth = stack.pop()
        seen += 1
        if isinstance(node, dict):
            fields = _fields(node)
            if (tz := _zone_of(fields)) is not None:
                return tz
            if depth < 3:
                stack.extend((v, depth + 1) for v in node.values() if isinstance(v, dict))
    return None


#: where an answer names its site ("website": {"baseUrl": ...} in Squarespace's JSON)
_SITE_KEYS = ("baseurl", "siteurl", "websiteurl", "siteaddress")


def _site_address(data: Any) -> str | None:
    """The site an answer saved to a file says it is from, near its top, for its relative links."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            fields = _fields(node)
            for key in _SITE_KEYS:
                value = fields.get(key)
                if isinstance(value, str) and value.startswith(("http://", "https://")) and " " not in value:
                    return value.rstrip("/") + "/"
            if depth < 2:
                stack.extend((v, depth + 1) for v in node.values() if isinstance(v, dict))
    return None


# --- places, status, mode ---------------------------------------------------------------

_LOCATION_PARTS = {
    "name": ("name", "title", "addresstitle", "venuename", "placename", "locationname", "label", "displayname",
             "place"),
    "street": ("streetaddress", "street", "address1", "addressline1", "line1", "address", "street1",
               "formattedaddress"),
    "city": ("city", "locality", "addresslocality", "town", "cityname"),
    "region": ("region", "state", "statecode", "province", "addressregion", "subdivision", "statename"),
    "postal_code": ("postalcode", "zip", "zipcode", "postcode", "postal"),
    "country": ("country", "countrycode", "addresscountry", "countryname"),
}
_SECOND_LINES = ("address2", "addressline2", "line2", "street2", "cityline")


def _location(value: Any, depth: int = 0) -> Location | None:
    if isinstance(value, str):
        return split_location(clean(value)) if clean(value) and not value.lstrip().startswith("http") else None
    if isinstance(value, list):
        return _location(value[0], depth) if value and depth < 3 else None
    if not isinstance(value, dict) or depth > 3:
        return None
    fields = _fields(value)
    loc = Location()
    for part, keys in _LOCATION_PARTS.items():
        for key in keys:
            text = fields.get(key)
            if isinstance(text, (str, int)) and not isinstance(text, bool) and (text := clean(text)):
                setattr(loc, part, text)
                break
    loc.lat = coordinate(next((fields[k] for k in ("lat", "latitude", "maplat", "markerlat") if k in fields), None))
    loc.lon = coordinate(next((fields[k] for k in ("lng", "lon", "long", "longitude", "maplng", "markerlng")
                               if k in fields), None))
    second = next((clean(fields[k]) for k in _SECOND_LINES if isinstance(fields.get(k), str) and clean(fields[k])),
                  None)
    if second and not loc.city:
        parsed = split_location(f"{loc.street}, {second}" if loc.street else second)
        if parsed is not None:
            loc.city = loc.city or parsed.city or (parsed.name if not loc.street else None)
            loc.region = loc.region or parsed.region
            loc.postal_code = loc.postal_code or parsed.postal_code
    if loc.street and not loc.city and "," in loc.street:
        parsed = split_location(loc.street)
        if parsed is not None and parsed.city:
            loc.street, loc.city = parsed.street or loc.street, parsed.city
            loc.region, loc.postal_code = loc.region or parsed.region, loc.postal_code or parsed.postal_code
            loc.name = loc.name or parsed.name
    for key, inner in fields.items():  # an address nested in the venue: {"address": {"city": ...}}
        if isinstance(inner, dict) and key not in ("geo", "coordinates"):
            nested = _location(inner, depth + 1)
            if nested is not None:
                for part in ("street", "city", "region", "postal_code", "country", "lat", "lon"):
                    if getattr(loc, part) is None:
                        setattr(loc, part, getattr(nested, part))
    if not any((loc.name, loc.street, loc.city, loc.region, loc.postal_code)):
        return None  # coordinates alone are a map widget's default, not a place the source states
    return loc


def _status(fields: dict[str, Any], title: str) -> str:
    for key in ("cancelled", "canceled", "iscancelled", "iscanceled"):
        if _true(fields.get(key)):
            return CANCELLED
    for key in ("postponed", "ispostponed"):
        if _true(fields.get(key)):
            return POSTPONED
    value = next((_text(fields[k]) for k in STATUS_KEYS if k in fields), "")
    return status_from(value, title)


def _true(flag: Any) -> bool:
    """A flag that is set: JSON's true, or the 1 or text an XML element or a loosely typed API gives
    it (Ticket Tailor's "online_event": "true", Timely's "allday": 1)."""
    return flag is True or type(flag) is int and flag == 1 or isinstance(flag, str) and flag.strip().casefold() in (
        "true", "yes", "1")


def _false(flag: Any) -> bool:
    """A flag that is unset, written as `_true` reads a set one."""
    return flag is False or type(flag) is int and flag == 0 or isinstance(flag, str) and flag.strip().casefold() in (
        "false", "no", "0")


def _mode(fields: dict[str, Any], place: Any, location: Location | None) -> str:
    flags = [fields.get(k) for k in ("isonline", "online", "onlineevent", "isvirtual", "virtual",
                                     "isonlineevent", "onlineonly", "isonlinemeeting")]
    kind = " ".join(_text(fields.get(k)) for k in ("attendancemode", "eventattendancemode", "eventtype",
                                                    "locationtype", "format", "type") if k in fields)
    if isinstance(place, dict):
        kind += " " + " ".join(_text(v) for k, v in place.items() if isinstance(k, str)
                               and _norm(k) in ("type", "locationtype", "kind"))
    physical = location is not None and bool(location.street or location.city)
    if "hybrid" in kind.casefold() or "mixed" in kind.casefold():
        return HYBRID
    if any(_true(flag) for flag in flags) or _ONLINE_WORDS.search(kind):
        return HYBRID if physical and "online" not in kind.casefold() else ONLINE
    place_text = _text(place) if not isinstance(place, dict) else (location.one_line() if location else "")
    return online_mode(place_text, _text(fields.get("onlineurl") or fields.get("meetingurl")
                                         or fields.get("joinurl")), physical=physical or None)


# --- records to events ---------------------------------------------------------------------

def _confidence(fields: dict[str, Any], path: str, strong: bool, has_time: bool, end: Any, url: str | None,
                location: Location | None) -> float:
    score = 0.5 + 0.15 * strong + 0.1 * has_time
    score += 0.05 * (end is not None) + 0.05 * bool(url) + 0.05 * (location is not None)
    score += 0.1 * bool(_EVENTISH_PATH.search(path))
    return round(min(1.0, score), 2)


def _event(record: dict[str, Any], path: str, page: Page, page_tz: tzinfo | None, title: str,
           base: str) -> Event | None:
    fields = _fields(record)
    tz = _zone_of(fields) or page_tz
    if _unlisted(fields):
        return None
    start, end = _when(fields, START_KEYS, TIME_KEYS, tz)
    if start is None and (start := _epoch_time(fields, tz)) is not None:
        end = None
    strong = start is not None
    if start is None:
        start, end = _when(fields, WEAK_START_KEYS, TIME_KEYS, tz)
    if start is None:
        return None
    stated_end, _ = _when(fields, END_KEYS, END_TIME_KEYS, tz)
    if stated_end is not None:
        end = stated_end
    elif end is None and (lasting := _duration_end(fields, start)) is not None:
        end = lasting
    elif end is None and isinstance(start, datetime):
        clock = next((fields[k] for k in END_TIME_KEYS if isinstance(fields.get(k), str)), None)
        if clock is not None and (at := clock_time(clock)) is not None:
            end = datetime.combine(start.date(), at, tzinfo=start.tzinfo)
    start, end = _days_when_all_day(fields, start, end)
    if type(end) is date and type(start) is date and fields.get("kind") == "calendar#event":
        end = end - timedelta(days=1) if end - start > timedelta(days=1) else None  # (Google's is the day after)
    if type(end) is date and isinstance(start, datetime):
        end = None
    if isinstance(end, datetime) and isinstance(start, datetime) and (end.tzinfo is None) != (start.tzinfo is None):
        end = None
    if end is not None and _sort_key(end) < _sort_key(start):
        end = None
    url = next((u for u in (absolute_url(base, _url_text(fields[k])) for k in URL_KEYS
                            if k in fields and isinstance(fields[k], (str, dict))) if u), None)
    if url is None and isinstance(slug := fields.get("slug"), str):
        url = event_page(page, slug)  # a Wix event's page, which its embedded data leaves out
    shared_url = None
    if url is None and (lent := record.get(_LENT_URL)) is not None:
        url = shared_url = absolute_url(base, _url_text(lent))  # the show's page, for each performance
    title = title or (title_from_url(url) if url else "")
    if not title:
        return None
    place = next((fields[k] for k in PLACE_KEYS if k in fields and fields[k]), None)
    location = _location(place) if place is not None else None
    if location is None:
        location = _location({k: v for k, v in record.items() if not isinstance(v, (dict, list))})
        if location is not None and not location.city:
            location = None  # a record's own "name" is not a place without a city beside it
    online = _mode(fields, place, location)
    if online == ONLINE and location is not None and not (location.street or location.city):
        location = None
    ident = next((_text(fields[k]) for k in ID_KEYS if k in fields and _text(fields[k])), "")
    key = f"id:{ident}" if shared_url and ident else url if url and url != page.url else (
        f"id:{ident}" if ident else None)
    description = next((html_to_text(_text(fields[k])) for k in DESCRIPTION_KEYS
                        if k in fields and _text(fields[k]) and _text(fields[k]) != title), "")
    organizer = next((_text(fields[k]) for k in ORGANIZER_KEYS if k in fields and _text(fields[k])), None)
    return Event(
        title=title,
        start=start,
        end=end,
        timezone=getattr(getattr(start, "tzinfo", None), "key", None),
        url=url,
        description=description,
        location=location,
        online=online,
        status=_status(fields, title),
        organizer=organizer,
        source_format="records",
        key=key,
        confidence=_confidence(fields, path, strong, isinstance(start, datetime), end, url, location),
    )


#: flags and states of a record the platform does not show: a draft, a hidden or archived event,
#: one whose date is still to be fixed (Wix's ``scheduleTbd``)
_UNLISTED_STATES = frozenset({"draft", "unpublished", "deleted", "hidden", "private", "trashed"})
_TBD_KEYS = ("scheduletbd", "datetbd", "istbd", "tbd", "dateistbd")


def _unlisted(fields: dict[str, Any]) -> bool:
    """Whether the record is one its platform does not list publicly (Ticket Tailor's drafts,
    TicketSource's archived or non-public events, Wix's events with their date to be announced)."""
    if fields.get("archived") is True or fields.get("public") is False or fields.get("published") is False \
            or fields.get("ispublished") is False:
        return True
    state = next((_text(fields[k]).casefold() for k in STATUS_KEYS if k in fields), "")
    if state in _UNLISTED_STATES:
        return True
    holders = [fields, *(_fields(v) for k in TIME_HOLDERS if isinstance(v := fields.get(k), dict))]
    for holder in list(holders[1:]):
        holders.extend(_fields(v) for k in TIME_HOLDERS if isinstance(v := holder.get(k), dict))
    return any(holder.get(k) is True for holder in holders for k in _TBD_KEYS)


_ALL_DAY_KEYS = ("isallday", "allday", "alldayevent", "isalldayevent")
_TIME_UNSTATED_KEYS = ("starttimespecified", "hasstarttime", "timespecified")


def _days_when_all_day(fields: dict[str, Any], start: datetime | date,
                       end: datetime | date | None) -> tuple[datetime | date, datetime | date | None]:
    """A record flagged all-day ("isAllDay": true, as Microsoft Graph and FullCalendar write it, its
    end the next midnight) or with its time unstated ("StartTimeSpecified": false, Wild Apricot's,
    its end the last day) is a span of days: its midnights are no times."""
    if not isinstance(start, datetime):
        return start, end
    exclusive = any(_true(fields.get(k)) for k in _ALL_DAY_KEYS)
    if not exclusive and not any(_false(fields.get(k)) for k in _TIME_UNSTATED_KEYS):
        return start, end
    first = start.date()
    if not isinstance(end, datetime):
        return first, end if type(end) is date and end >= first else None
    last = end.date()
    if exclusive and end.time() == time() and last > first:
        last -= timedelta(days=1)  # the next day's midnight ends the last day
    return first, last if last > first else None


def _url_text(value: Any) -> str:
    """A URL field: a string, or a platform's {"base": ..., "path": ...} / {"href": ...} object."""
    if isinstance(value, dict):
        fields = _fields(value)
        if isinstance(fields.get("base"), str) and isinstance(fields.get("path"), str):
            return fields["base"].rstrip("/") + "/" + fields["path"].lstrip("/")
        return next((fields[k] for k in ("href", "url", "full", "absolute") if isinstance(fields.get(k), str)), "")
    return _text(value)


def _sort_key(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
    return datetime.combine(value, time())


def events_in(data: Any, page: Page) -> list[Event]:
    """The events in one JSON value (or an XML tree turned into one)."""
    found = list(records_in(data))
    if not found:
        return []
    page_tz = _page_zone(data) or zone(page.timezone)
    base = page.url if page.url.startswith(("http://", "https://")) else (
        _site_address(data) or answer_site(page) or page.url)
    titles = distinct_titles([candidates for _, _, candidates in found], site_name=page.site_name)
    events = [event for (record, path, _), title in zip(found, titles)
              if (event := _event(record, path, page, page_tz, title, base)) is not None]
    return distinct_keys(events)


# --- where records are ------------------------------------------------------------------

def _script_values(page: Page) -> Iterator[Any]:
    """The JSON values an HTML page embeds: JSON script elements and assignment blobs."""
    blobs = attempts = 0
    for script in page.scripts:
        text = script.text
        if not text or len(text) > _MAX_SCRIPT or "ld+json" in script.type:
            continue
        is_json = script.type in ("application/json", "text/json") or script.id == "__NEXT_DATA__"
        # the cheap tests first: a script neither JSON nor run as JavaScript, or with no key a
        # JSON object could have (keys are followed by a colon), holds no records
        if not is_json and script.type not in _SCRIPT_TYPES or '":' not in text and '" :' not in text:
            continue
        if not any(hint in text for hint in _KEY_HINTS):
            continue
        if is_json:
            try:
                yield read_json(text)
            except (ValueError, RecursionError):
                pass
            continue
        for m in _ASSIGNMENT.finditer(text):
            if blobs >= _MAX_BLOBS or attempts >= _MAX_ATTEMPTS:
                return
            before = text[max(0, m.start() - 1):m.start()]
            if before in ("=", "!", "<", ">") or not _ASSIGNED.search(text, max(0, m.start() - 80), m.start()):
                continue
            attempts += 1
            try:
                value, end = _DECODER.raw_decode(text, m.end() - 1)
            except (ValueError, RecursionError):
                continue
            if end - m.end() < 40:  # "x = {}", "y = [1]": no list of events
                continue
            blobs += 1
            yield value


def _xml_value(page: Page) -> Any:
    """An XML document as nested dicts (attributes and child elements as keys, repeats as lists);
    None for RSS and Atom (the rss reader's) and for what is not XML."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(page.body)
    except (DefusedXmlException, ParseError, ValueError, SyntaxError):
        return None
    if _norm(root.tag) in ("rss", "feed", "rdf", "channel", "urlset", "sitemapindex", "html", "vcalendar"):
        return None
    budget = [_MAX_NODES]
    return {_norm(root.tag): _element_value(root, budget, 0)}


def _element_value(element: Element, budget: list[int], depth: int) -> Any:
    budget[0] -= 1
    children = list(element) if depth < _MAX_DEPTH and budget[0] > 0 else []
    if not children and not element.attrib:
        return (element.text or "").strip()
    grouped: dict[str, list[Any]] = {}
    for child in children:
        if isinstance(child.tag, str):
            grouped.setdefault(child.tag.rsplit("}", 1)[-1], []).append(_element_value(child, budget, depth + 1))
    value: dict[str, Any] = dict(element.attrib)
    # a container's one item is still an item of a list: "<events><event>...</event></events>"
    listed = len(grouped) == 1 and _holds_a_list(element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str)
                                                 else "", next(iter(grouped)))
    value.update({name: items[0] if len(items) == 1 and not listed else items for name, items in grouped.items()})
    if (text := (element.text or "").strip()):
        value.setdefault("#text", text)
    return value


def _holds_a_list(parent: str, child: str) -> bool:
    """Whether an element named `parent` is a list of `child` elements by its name ("events" of
    "event", "entries" of "entry", "showList" of "show")."""
    parent, child = parent.casefold(), child.casefold()
    return parent in (f"{child}s", f"{child}es", f"{child}list", f"{child}collection") or (
        child.endswith("y") and parent == f"{child[:-1]}ies")


def read(page: Page) -> list[Event]:
    """Events in the page's structured records: a JSON or XML body, or the JSON an HTML page embeds."""
    if page.looks_like_ical:
        return []
    if page.looks_like_html:
        events: list[Event] = []
        for value in _script_values(page):
            events.extend(events_in(value, page))
        return events
    data = page.json
    if data is not None:
        return events_in(data, page)
    if page.looks_like_xml or "xml" in page.content_type:
        data = _xml_value(page)
        return events_in(data, page) if data is not None else []
    return []
