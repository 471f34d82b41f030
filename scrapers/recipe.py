"""A source's declared CSS recipe, for pages with no structured events at all.

``page.recipe`` names a selector per field; ``selector@attr`` reads an
attribute instead of the text (``@href`` alone reads it from the event node
itself). Dates are free text, read with ``date_format`` when given, else as
ISO, else by dateparser in the recipe's ``language`` and the source's zone
(``page.timezone``, applied later by the pipeline). Never raises; matching
nothing is an empty list.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urljoin

from selectolax.lexbor import LexborNode

from eventscout.scrapers.address import split_location
from eventscout.scrapers.dates import parse_datetime
from eventscout.scrapers.event import Event
from eventscout.scrapers.page import Page
from eventscout.scrapers.text import clean, html_to_text

__all__ = ["read"]

_RANGE = re.compile(r"\s+(?:-|–|—|to|until|bis)\s+", re.I)
_CLOCK = re.compile(r"\b\d{1,2}(?::\d{2})\s*(?:[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\b|\bnoon\b|\bUhr\b", re.I)
_MAX_EVENTS = 2000


def _field(root: LexborNode, spec: Any) -> str:
    if not isinstance(spec, str) or not spec.strip():
        return ""
    selector, _, attr = spec.partition("@")
    selector = selector.strip()
    try:
        node = root.css_first(selector) if selector else root
    except Exception:  # noqa: BLE001 - a bad selector in a recipe matches nothing
        return ""
    if node is None:
        return ""
    if attr:
        return node.attributes.get(attr.strip()) or ""
    return node.text(deep=True, separator=" ")


def _when(text: str, recipe: dict[str, Any], page: Page, day: date | None = None) -> datetime | date | None:
    text = clean(text)
    if not text:
        return None
    fmt = recipe.get("date_format")
    if isinstance(fmt, str) and fmt:
        try:
            value = datetime.strptime(text, fmt)
        except ValueError:
            value = None
        if value is not None:
            return value if any(d in fmt for d in ("%H", "%I", "%M")) else value.date()
    value = parse_datetime(text)
    if value is not None:
        return value
    return _dateparser(text, recipe, page, day)


def _dateparser(text: str, recipe: dict[str, Any], page: Page, day: date | None) -> datetime | date | None:
    import dateparser

    language = recipe.get("language")
    settings: dict[str, Any] = {"RETURN_AS_TIMEZONE_AWARE": False}
    if page.timezone:
        settings["TIMEZONE"] = page.timezone
    if day is not None:
        settings["RELATIVE_BASE"] = datetime.combine(day, time())
    try:
        value = dateparser.parse(text, languages=[language] if isinstance(language, str) and language else None,
                                 settings=settings)
    except Exception:  # noqa: BLE001 - dateparser raises many things on odd text
        return None
    if value is None:
        return None
    has_clock = bool(_CLOCK.search(text))
    if day is not None and not re.search(r"\d{4}|\b\d{1,2}[./-]\d{1,2}\b|[A-Za-z]{3,}\.?\s+\d", text):
        return datetime.combine(day, value.time()) if has_clock else None
    return value.replace(tzinfo=None) if has_clock else value.date()


def _event(root: LexborNode, recipe: dict[str, Any], page: Page) -> Event | None:
    title = clean(_field(root, recipe.get("title")))
    start_text = clean(_field(root, recipe.get("start")))
    end_text = clean(_field(root, recipe.get("end")))
    if not end_text and (parts := _RANGE.split(start_text, maxsplit=1)) and len(parts) == 2:
        start_text, end_text = parts
    start = _when(start_text, recipe, page)
    if not title or start is None:
        return None
    day = start.date() if isinstance(start, datetime) else start
    end = _when(end_text, recipe, page, day) if end_text else None
    if end is not None and type(end) is not type(start):
        end = None
    href = _field(root, recipe.get("link")).strip()
    url = urljoin(page.url, href) if href and not href.startswith(("javascript:", "#")) else None
    place = clean(_field(root, recipe.get("location")))
    return Event(title=title, start=start, end=end, url=url,
                 description=html_to_text(_field(root, recipe.get("description"))),
                 location=split_location(place) if place else None,
                 source_format="recipe", key=url if url and url != page.url else None,
                 confidence=0.8)


def read(page: Page) -> list[Event]:
    """The events a declared recipe finds; an empty list when there is no recipe or no match."""
    recipe = page.recipe
    if not isinstance(recipe, dict) or not isinstance(recipe.get("event"), str) or not page.looks_like_html:
        return []
    try:
        roots = page.tree.css(recipe["event"])
    except Exception:  # noqa: BLE001 - a bad selector matches nothing
        return []
    events: list[Event] = []
    for root in roots[:_MAX_EVENTS]:
        event = _event(root, recipe, page)
        if event is not None:
            events.append(event)
    from eventscout.scrapers.schemaorg import distinct_keys

    return distinct_keys(events)
