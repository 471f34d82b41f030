"""Small association sites on loopback for the directory tests, each on its own server (its own origin).

The pages are written here, not copied from anywhere: a home page that links its
events page (JSON-LD events on it) or advertises its iCalendar feed, with events
dated from today so they are always upcoming. `directory_yaml` writes a directory
file whose entries point at the servers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import yaml

from tests.conftest import LoopbackServer


@dataclass(frozen=True)
class SiteEvent:
    title: str
    days: int
    venue: str
    street: str
    city: str
    region: str
    zone: str = "America/New_York"

    def start(self) -> datetime:
        return datetime.combine(date.today() + timedelta(days=self.days), time(18, 0), ZoneInfo(self.zone))


def serve_jsonld_site(server: LoopbackServer, name: str, events: list[SiteEvent], prefix: str = "") -> str:
    """A home page whose menu links its events page, where the events are JSON-LD; returns the home's URL.

    `prefix` puts the site under a path of the server, as demo.py serves its sites."""
    home, listing = f"{prefix}/", f"{prefix}/events/"
    server.serve(home, f"<!doctype html><html><head><title>{name}</title>"
                       f'<meta property="og:site_name" content="{name}"></head><body>'
                       f'<nav><a href="{home}">Home</a> <a href="{prefix}/about/">About us</a> '
                       f'<a href="{listing}">Events</a></nav>'
                       f"<h1>{name}</h1><p>Welcome, members and guests.</p></body></html>")
    items = [{"@context": "https://schema.org", "@type": "Event", "name": e.title,
              "@id": f"{server.url}{listing}#{i}", "url": f"{server.url}{listing}{i}/",
              "startDate": e.start().isoformat(), "endDate": (e.start() + timedelta(hours=2)).isoformat(),
              "location": {"@type": "Place", "name": e.venue,
                           "address": {"@type": "PostalAddress", "streetAddress": e.street,
                                       "addressLocality": e.city, "addressRegion": e.region}}}
             for i, e in enumerate(events)]
    server.serve(listing, f"<!doctype html><html><head><title>Events | {name}</title>"
                          f'<script type="application/ld+json">{json.dumps(items)}</script></head>'
                          "<body><h1>Upcoming events</h1></body></html>")
    return server.url + home


def serve_ical_site(server: LoopbackServer, name: str, events: list[SiteEvent]) -> None:
    """A home page that advertises its calendar feed in a <link>, and the feed."""
    server.serve("/", f"<!doctype html><html><head><title>{name}</title>"
                      f'<link rel="alternate" type="text/calendar" title="Events" href="/calendar.ics">'
                      f"</head><body><h1>{name}</h1><p>Our programs and meetings.</p></body></html>")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//{name}//Calendar//EN"]
    for i, e in enumerate(events):
        start = e.start().astimezone(ZoneInfo("UTC"))
        lines += ["BEGIN:VEVENT", f"UID:event-{i}@{name.lower().replace(' ', '-')}.test",
                  f"DTSTAMP:{start:%Y%m%dT%H%M%SZ}", f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
                  f"DTEND:{start + timedelta(hours=2):%Y%m%dT%H%M%SZ}", f"SUMMARY:{e.title}",
                  f"LOCATION:{e.venue}\\, {e.street}\\, {e.city}\\, {e.region}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    server.serve("/calendar.ics", "\r\n".join(lines) + "\r\n", "text/calendar; charset=utf-8")


def serve_chapter_list(server: LoopbackServer, chapters: dict[str, str]) -> None:
    """A national association's home page and its chapter list: one list item per chapter."""
    server.serve("/", "<!doctype html><html><head><title>National Society of Testers</title></head>"
                      '<body><h1>National Society of Testers</h1><a href="/chapters/">Find a chapter</a></body></html>')
    items = "".join(f'<li><strong>{place}</strong> <a href="{url}">Visit website</a></li>'
                    for place, url in chapters.items())
    server.serve("/chapters/", "<!doctype html><html><head><title>Chapters</title></head><body>"
                               f"<h1>Find your chapter</h1><ul>{items}</ul></body></html>")


@contextmanager
def servers(*names: str) -> Iterator[dict[str, LoopbackServer]]:
    """One started loopback server per name, shut down afterwards."""
    running: dict[str, LoopbackServer] = {}
    try:
        for name in names:
            server = running[name] = LoopbackServer()
            server.thread.start()
        yield running
    finally:
        for server in running.values():
            server.httpd.shutdown()
            server.httpd.server_close()


def directory_yaml(entries: list[dict]) -> str:
    """A directory file of these entries, each marked as taken from the test's own sites."""
    full = [{"source": "the test's own loopback site", "verified": False, **e} for e in entries]
    return "# A career coach's own directory (test sites on loopback).\n" + yaml.safe_dump(
        {"associations": full}, sort_keys=False)


ATLANTA_TECH = [SiteEvent("Cloud Native Builders Meetup", 5, "Atlanta Tech Village", "3423 Piedmont Rd NE",
                          "Atlanta", "GA"),
                SiteEvent("Developer Careers Night", 12, "Ponce City Market", "675 Ponce De Leon Ave NE",
                          "Atlanta", "GA")]
ATLANTA_MARKETING = [SiteEvent("Brand Strategy Breakfast", 8, "The Westin Peachtree Plaza", "210 Peachtree St NW",
                               "Atlanta", "GA"),
                     SiteEvent("Social Media Marketing Roundtable", 15, "Colony Square", "1197 Peachtree St NE",
                               "Atlanta", "GA")]
DENVER_TECH = [SiteEvent("Rocky Mountain Software Mixer", 6, "Galvanize", "1062 Delaware St", "Denver", "CO",
                         "America/Denver")]
