"""The small association sites of tests/fixtures/probe, served on loopback, one server per site."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from tests.support import LoopbackServer

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "probe"

#: site -> URL path -> fixture file
SITES: dict[str, dict[str, str]] = {
    "linked": {"/": "home.html", "/events/": "events.html"},
    "icalonly": {"/": "home.html", "/feeds/meetings.ics": "meetings.ics"},
    "tribe": {"/": "home.html", "/events/": "events.html", "/wp-json/tribe/events/v1/events": "events.json"},
    "listing": {"/": "home.html", "/calendar/": "calendar.html"},
    "chapter": {"/": "home.html", "/meetings/": "meetings.html"},
    "empty": {"/": "home.html", "/events/": "events.html"},
    "sitemap": {"/": "home.html", "/sitemap.xml": "sitemap.xml", "/programs/calendar/": "calendar.html"},
}
_TYPES = {".html": "text/html; charset=utf-8", ".ics": "text/calendar; charset=utf-8",
          ".json": "application/json; charset=UTF-8", ".xml": "application/xml"}
_PLACEHOLDER = re.compile(r"\{\{(BASE|D([+-]\d+)(?::(compact|long))?)\}\}")


def render(text: str, base: str, today: date) -> str:
    """Fill `{{BASE}}` and `{{D+n}}` / `{{D+n:compact}}` / `{{D+n:long}}` dates."""
    def fill(match: re.Match[str]) -> str:
        if match.group(1) == "BASE":
            return base
        day = today + timedelta(days=int(match.group(2)))
        style = match.group(3)
        if style == "compact":
            return day.strftime("%Y%m%d")
        if style == "long":
            return f"{day:%B} {day.day}, {day.year}"
        return day.isoformat()

    return _PLACEHOLDER.sub(fill, text)


def serve_site(server: LoopbackServer, name: str, today: date | None = None) -> None:
    today = today or date.today()
    for path, file in SITES[name].items():
        source = FIXTURES / name / file
        server.serve(path, render(source.read_text(encoding="utf-8"), server.url, today),
                     _TYPES[source.suffix])


@contextmanager
def running_sites(*names: str) -> Iterator[dict[str, LoopbackServer]]:
    """Each named site on its own loopback server (its own origin, robots.txt and sitemap)."""
    servers: dict[str, LoopbackServer] = {}
    try:
        for name in names:
            server = servers[name] = LoopbackServer()
            server.thread.start()
            serve_site(server, name)
        yield servers
    finally:
        for server in servers.values():
            server.httpd.shutdown()
            server.httpd.server_close()
