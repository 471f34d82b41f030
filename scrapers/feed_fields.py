"""Field readers shared by the feed and API readers (iCal, Eventbrite, Meetup, Localist, RSS).

Online and status words, absolute URLs, place text (via `eventscout.scrapers.address`),
IANA zones (via `eventscout.scrapers.dates`) and the expansion window as datetimes.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from eventscout.scrapers.address import split_location
from eventscout.scrapers.dates import zone
from eventscout.scrapers.page import Page
from eventscout.scrapers.event import CANCELLED, HYBRID, IN_PERSON, ONLINE, POSTPONED, SCHEDULED, Location
from eventscout.scrapers.text import clean

_URLISH = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.I)
#: the words that say an event is attended online, in lower case (every reader's, the listing's too)
ONLINE_WORDS = (r"\b(?:online|virtual(?:ly)?|webinar|web\s*conference|livestream(?:ed)?|zoom|microsoft\s+teams|"
                r"teams\s+meeting|via\s+teams|google\s+meet|webex|gotomeeting|electronic\s+meeting|tele-?conference|"
                r"video\s*conference|remotely)\b")
_ONLINE_WORDS = re.compile(ONLINE_WORDS, re.I)
_FILLER_WORDS = re.compile(r"\b(?:meeting|event|call|link|only|via|session|platform|tbd|tba)\b", re.I)
_CONFERENCE_LINK = re.compile(
    r"(?:zoom\.us/|teams\.microsoft\.com/|meet\.google\.com/|webex\.com/|gotomeeting\.com/)", re.I)


def absolute_url(base: str, href: object) -> str | None:
    """An http(s) URL joined onto the page URL, or None for anything else."""
    text = clean(href)
    if not text:
        return None
    try:
        url = urljoin(base, text)
    except ValueError:  # "https://[" and other broken hosts
        return None
    return url if url.startswith(("http://", "https://")) else None


def is_urlish(text: str | None) -> bool:
    return bool(text) and bool(_URLISH.match(text or ""))


def online_mode(place: str | None, *texts: str | None, physical: bool | None = None) -> str:
    """In-person, online or hybrid from a place text and other hints (conference links, words).

    ``physical`` says whether a real address is known; by default a place that is
    not a URL and not just an online word counts as one.
    """
    place = (place or "").strip()
    hints = " ".join(t for t in texts if t)
    online = is_urlish(place) or bool(_CONFERENCE_LINK.search(place)) or bool(_ONLINE_WORDS.search(place))
    online = online or bool(_CONFERENCE_LINK.search(hints))
    if physical is None:
        stripped = _FILLER_WORDS.sub("", _ONLINE_WORDS.sub("", place)).strip(" ,;:-/()")
        physical = bool(stripped) and not is_urlish(place) and not _CONFERENCE_LINK.search(place)
    if online and physical:
        return HYBRID
    return ONLINE if online else IN_PERSON


def status_from(value: object, title: str = "") -> str:
    """scheduled/cancelled/postponed from a status value or a title that announces it."""
    word = clean(value).casefold()
    if word.startswith(("cancel", "canceled")):
        return CANCELLED
    if word.startswith(("postpon", "reschedul")):
        return POSTPONED
    head = title.casefold().lstrip("[( *")
    if head.startswith(("cancelled", "canceled")):
        return CANCELLED
    if head.startswith("postponed"):
        return POSTPONED
    return SCHEDULED


def location_from_text(text: object) -> Location | None:
    """A one-line place split into parts; a URL (a meeting link) is no place."""
    line = clean(text)
    if not line or is_urlish(line):
        return None
    return split_location(line)


def coordinate(value: Any) -> float | None:
    """A latitude/longitude number (or numeric string), None when missing or out of range."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number == number and abs(number) <= 180 else None


def iana_zone(name: object) -> ZoneInfo | None:
    """The IANA zone of that name, or None (fixed offsets and odd names are not zones)."""
    tz = zone(name) if isinstance(name, str) and len(name) <= 64 else None
    return tz if isinstance(tz, ZoneInfo) else None


def window(since: date, until: date) -> tuple[datetime, datetime]:
    """The expansion window as naive datetimes: since 00:00 up to the end of the until day."""
    return datetime.combine(since, time()), datetime.combine(until + timedelta(days=1), time())


def walk_dicts(value: Any, max_nodes: int = 50_000, max_depth: int = 40) -> Iterator[dict[str, Any]]:
    """Every JSON object inside a value, breadth first, bounded against hostile nesting."""
    queue: deque[tuple[Any, int]] = deque([(value, 0)])
    seen = 0
    while queue and seen < max_nodes:
        node, depth = queue.popleft()
        seen += 1
        if isinstance(node, dict):
            yield node
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth < max_depth:
            queue.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


def page_script_json(page: Page, marker: str) -> Any:
    """The JSON an HTML page's inline script holds under ``marker`` (its id, or a
    ``window.__X__ =`` assignment in its text), or None."""
    for script in page.scripts:
        if script.id == marker:
            return _json_at(script.text, script.text.find("{"))
        if marker in script.text:
            return script_json(script.text, marker)
    return None


def script_json(text: str, marker: str) -> Any:
    """The JSON value that follows ``marker`` in a page (``window.__X__ = {...}`` or a
    ``<script id="__X__">{...}</script>``), or None."""
    at = text.find(marker)
    if at < 0:
        return None
    brace = text.find("{", at)
    return _json_at(text, brace) if brace - at <= 200 else None


def _json_at(text: str, start: int) -> Any:
    """The JSON value that starts at ``start`` in ``text`` (None when there is none)."""
    if start < 0:
        return None
    try:
        value, _ = json.JSONDecoder(strict=False).raw_decode(text, start)
    except (ValueError, RecursionError):
        return None
    return value
