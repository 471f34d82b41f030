"""The last check before anything a source wrote is stored or published.

Readers already clean what they read; this makes it a guarantee whatever a
reader does: titles and texts are plain text with no markup, every string is
valid Unicode without control characters, coordinates are finite, and links are http(s) only (a
`javascript:` URL never reaches a feed or the web page).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from urllib.parse import urlsplit

from eventscout.scrapers.event import Event, Location
from eventscout.scrapers.text import clean, html_to_text, plain


_SPACE = re.compile(r"\s")


def web_link(value: str | None) -> str | None:
    """`value` when it is an absolute http(s) URL without spaces or controls, else None."""
    if not value:
        return None
    value = plain(value).strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or _SPACE.search(value):
        return None
    return value


def _location(location: Location | None) -> Location | None:
    if location is None:
        return None
    return Location(*((clean(v) or None) if isinstance(v := getattr(location, name), str)
                      else _coordinate(v) if isinstance(v, float) else v
                      for name in location.__slots__))


def _coordinate(value: float) -> float | None:
    """A latitude or longitude a feed can carry: "GEO:nan;inf" reads as floats, but places nothing."""
    return value if math.isfinite(value) and abs(value) <= 180 else None


def publishable(event: Event) -> Event:
    """The event with every text field made safe to store, to write into a feed and to show."""
    return replace(
        event,
        title=clean(event.title),
        description=html_to_text(event.description),
        url=web_link(event.url),
        location=_location(event.location),
        organizer=clean(event.organizer) or None,
        categories=[c for c in (clean(c) for c in event.categories) if c],
        links=[link for link in (web_link(x) for x in event.links) if link],
        key=plain(event.key) if event.key else None,
        timezone=plain(event.timezone) if event.timezone else None,
    )
