"""Sample association sites served on loopback, one per common format.

`eventscout demo` runs the real flow against them; the end-to-end tests use
them too. Dates are relative to today so the events are always upcoming.
"""

from __future__ import annotations

import json
import threading
from html import escape
from datetime import date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import yaml

EASTERN = ZoneInfo("America/New_York")
CENTRAL = ZoneInfo("America/Chicago")


def _at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = EASTERN) -> datetime:
    return datetime.combine(day, time(hour, minute), zone)


class DemoSites:
    """A threaded HTTP server on 127.0.0.1 with five association sites.

    `down` holds the site ids that answer 503, to show that a site being down
    never empties a feed. The national SHRM site lists events in several
    cities; its Atlanta chapter posts the same breakfast under its own title
    while `chapter_reposts_breakfast` is set, to show one event from two
    sources published once.

    With `link_base` (the address `eventscout serve` will answer on), each
    event links to its search on that page instead of to these sites, which
    stop when the demo does.
    """

    def __init__(self, today: date | None = None, link_base: str | None = None) -> None:
        self.today = today or date.today()
        self.link_base = link_base
        self.down: set[str] = set()
        self.chapter_reposts_breakfast = True
        self.requests: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> DemoSites:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- the sites ---------------------------------------------------------------

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def link(self, path: str, title: str) -> str:
        """An event's page here, or with `link_base` its search on the served demo page."""
        if self.link_base:
            return f"{self.link_base}/events?{urlencode({'q': title})}"
        return f"{self.base_url}{path}"

    def pages(self) -> dict[str, tuple[str, str, bytes]]:
        """path -> (site id, content type, body)."""
        return {
            "/tag/events/": ("tag", "text/html; charset=utf-8", self.jsonld_page()),
            "/pmi-atlanta/calendar.ics": ("pmi-atlanta", "text/calendar; charset=utf-8", self.ical_feed()),
            "/shrm/wp-json/tribe/events/v1/events": ("shrm", "application/json", self.tribe_json()),
            "/ama-atlanta/events/": ("ama-atlanta", "text/html; charset=utf-8", self.microdata_page()),
            "/shrm-atlanta/events/": ("shrm-atlanta", "text/html; charset=utf-8", self.chapter_page()),
        }

    def jsonld_page(self) -> bytes:
        events = [
            {"@context": "https://schema.org", "@type": "BusinessEvent", "@id": f"{self.base_url}/tag/events/#cyber",
             "name": "TAG Cybersecurity Summit", "url": self.link("/tag/events/cyber-summit", "TAG Cybersecurity Summit"),
             "startDate": _at(self.day(10), 9).isoformat(), "endDate": _at(self.day(10), 17).isoformat(),
             "eventStatus": "https://schema.org/EventScheduled",
             "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
             "description": "<p>Security leaders &amp; practitioners meet in Midtown.</p>",
             "location": {"@type": "Place", "name": "Georgia Tech Hotel",
                          "address": {"@type": "PostalAddress", "streetAddress": "800 Spring St NW",
                                      "addressLocality": "Atlanta", "addressRegion": "GA",
                                      "postalCode": "30308", "addressCountry": "US"}},
             "organizer": {"@type": "Organization", "name": "Technology Association of Georgia"}},
            {"@context": "https://schema.org", "@type": "Event", "@id": f"{self.base_url}/tag/events/#mixer",
             "name": "Tech Talent Mixer", "url": self.link("/tag/events/talent-mixer", "Tech Talent Mixer"),
             "startDate": _at(self.day(5), 18).isoformat(), "endDate": _at(self.day(5), 20).isoformat(),
             "eventStatus": "https://schema.org/EventCancelled",
             "location": {"@type": "Place", "name": "Ponce City Market",
                          "address": {"@type": "PostalAddress", "streetAddress": "675 Ponce De Leon Ave NE",
                                      "addressLocality": "Atlanta", "addressRegion": "GA"}}},
            {"@context": "https://schema.org", "@type": "EducationEvent", "@id": f"{self.base_url}/tag/events/#ai",
             "name": "AI for Product Teams (Webinar)", "url": self.link("/tag/events/ai-webinar", "AI for Product Teams"),
             "startDate": _at(self.day(12), 12).isoformat(), "endDate": _at(self.day(12), 13).isoformat(),
             "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
             "location": {"@type": "VirtualLocation", "url": "https://example.org/webinar"}},
        ]
        blocks = "\n".join(f'<script type="application/ld+json">{json.dumps(e)}</script>' for e in events)
        return (f"<!doctype html><html><head><title>TAG Events</title>{blocks}</head>"
                "<body><h1>Upcoming events</h1><p>See the cards below.</p></body></html>").encode()

    def ical_feed(self) -> bytes:
        def stamp(value: datetime) -> str:
            return value.strftime("%Y%m%dT%H%M%S")

        first = _at(self.day(3), 18, 30)
        lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//PMI Atlanta//Calendar//EN", "X-WR-CALNAME:PMI Atlanta",
            "BEGIN:VTIMEZONE", "TZID:America/New_York",
            "BEGIN:STANDARD", "DTSTART:19701101T020000", "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
            "TZOFFSETFROM:-0400", "TZOFFSETTO:-0500", "TZNAME:EST", "END:STANDARD",
            "BEGIN:DAYLIGHT", "DTSTART:19700308T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
            "TZOFFSETFROM:-0500", "TZOFFSETTO:-0400", "TZNAME:EDT", "END:DAYLIGHT", "END:VTIMEZONE",
            "BEGIN:VEVENT", "UID:pmi-chapter-meeting@pmiatlanta.example", f"DTSTAMP:{stamp(first)}Z",
            f"DTSTART;TZID=America/New_York:{stamp(first)}",
            f"DTEND;TZID=America/New_York:{stamp(first + timedelta(hours=2))}",
            "SUMMARY:PMI Atlanta Chapter Meeting", "RRULE:FREQ=WEEKLY;COUNT=2",
            "LOCATION:Buckhead Club\\, 3344 Peachtree Rd NE\\, Atlanta\\, GA 30326",
            "DESCRIPTION:Project managers network and hear a talk on agile delivery.",
            f"URL:{self.link('/pmi-atlanta/chapter-meeting', 'PMI Atlanta Chapter Meeting')}", "END:VEVENT",
            "BEGIN:VEVENT", "UID:pmp-bootcamp@pmiatlanta.example", f"DTSTAMP:{stamp(first)}Z",
            f"DTSTART;VALUE=DATE:{self.day(20).strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{self.day(22).strftime('%Y%m%d')}",
            "SUMMARY:PMP Exam Bootcamp", "LOCATION:Kennesaw State University\\, Marietta\\, GA",
            *([f"URL:{self.link('', 'PMP Exam Bootcamp')}"] if self.link_base else []),
            "END:VEVENT", "END:VCALENDAR",
        ]
        return ("\r\n".join(lines) + "\r\n").encode()

    def tribe_json(self) -> bytes:
        def tribe_event(eid: int, title: str, start: datetime, hours: int, venue: dict,
                        zone: str, slug: str) -> dict:
            end = start + timedelta(hours=hours)
            return {
                "id": eid, "title": title, "url": self.link(f"/shrm/event/{slug}/", title),
                "description": f"<p>{title} for HR professionals.</p>",
                "start_date": start.strftime("%Y-%m-%d %H:%M:%S"), "end_date": end.strftime("%Y-%m-%d %H:%M:%S"),
                "utc_start_date": start.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S"),
                "utc_end_date": end.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S"),
                "timezone": zone, "all_day": False, "venue": venue,
                "categories": [{"name": "Human Resources"}], "organizer": [{"organizer": "SHRM"}],
            }

        events = [
            tribe_event(101, "SHRM Atlanta HR Leaders Breakfast", _at(self.day(7), 8), 2,
                        {"venue": "Atlanta Marriott Marquis", "address": "265 Peachtree Center Ave",
                         "city": "Atlanta", "state": "GA", "zip": "30303", "country": "United States"},
                        "America/New_York", "hr-breakfast-atl"),
            tribe_event(102, "SHRM Chicago Talent Forum", _at(self.day(8), 9, zone=CENTRAL), 3,
                        {"venue": "Hyatt Regency", "address": "151 E Wacker Dr", "city": "Chicago",
                         "state": "IL", "zip": "60601", "country": "United States"},
                        "America/Chicago", "talent-forum-chi"),
            tribe_event(103, "Employment Law Webinar", _at(self.day(9), 14), 1, {"venue": "Online (Zoom)"},
                        "America/New_York", "employment-law-webinar"),
            tribe_event(104, "State Council Roundtable", _at(self.day(15), 10), 2, {"venue": "Venue TBA"},
                        "America/New_York", "state-council-roundtable"),
        ]
        return json.dumps({"events": events, "total": len(events), "total_pages": 1}).encode()

    def microdata_page(self) -> bytes:
        day = self.day(14)
        return f"""<!doctype html><html><head><title>AMA Atlanta events</title></head><body>
<div itemscope itemtype="https://schema.org/Event">
  <a itemprop="url" href="{escape(self.link('/ama-atlanta/events/brand-storytelling', 'Brand Storytelling Workshop'))}"><span itemprop="name">Brand Storytelling Workshop</span></a>
  <meta itemprop="startDate" content="{day.isoformat()}T18:00">
  <meta itemprop="endDate" content="{day.isoformat()}T20:00">
  <div itemprop="location" itemscope itemtype="https://schema.org/Place">
    <span itemprop="name">Atlanta Tech Village</span>
    <div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">
      <span itemprop="streetAddress">3423 Piedmont Rd NE</span>,
      <span itemprop="addressLocality">Atlanta</span>, <span itemprop="addressRegion">GA</span>
    </div>
  </div>
  <p itemprop="description">Marketers share how brands tell stories.</p>
</div>
</body></html>""".encode()

    def chapter_page(self) -> bytes:
        """SHRM Atlanta's own page: its career fair, and the national breakfast under its own title."""
        # Ids free of the demo server's port (a new one each run), as a real site's stay the same; the
        # breakfast's sorts after the national one's, so the merged event is SHRM's on every run.
        b = "urn:eventscout-demo:shrm-atlanta"
        marquis = {"@type": "Place", "name": "Atlanta Marriott Marquis",
                   "address": {"@type": "PostalAddress", "streetAddress": "265 Peachtree Center Avenue NE",
                               "addressLocality": "Atlanta", "addressRegion": "GA", "postalCode": "30303"}}
        events = [
            {"@context": "https://schema.org", "@type": "Event", "@id": f"{b}:career-fair",
             "name": "Atlanta HR Career Fair", "url": self.link("/shrm-atlanta/events/career-fair", "Atlanta HR Career Fair"),
             "startDate": _at(self.day(21), 10).isoformat(), "endDate": _at(self.day(21), 15).isoformat(),
             "description": "Employers hiring HR professionals meet job seekers.",
             "location": {"@type": "Place", "name": "Georgia World Congress Center",
                          "address": {"@type": "PostalAddress",
                                      "streetAddress": "285 Andrew Young International Blvd NW",
                                      "addressLocality": "Atlanta", "addressRegion": "GA"}}},
        ]
        if self.chapter_reposts_breakfast:
            events.append(
                {"@context": "https://schema.org", "@type": "Event", "@id": f"{b}:leaders-breakfast",
                 "name": "HR Leaders Breakfast (Atlanta)",
                 "url": self.link("/shrm-atlanta/events/leaders-breakfast", "HR Leaders Breakfast"),
                 "startDate": _at(self.day(7), 8).isoformat(), "endDate": _at(self.day(7), 10).isoformat(),
                 "description": "Our chapter hosts SHRM's breakfast for HR leaders.", "location": marquis})
        blocks = "\n".join(f'<script type="application/ld+json">{json.dumps(e)}</script>' for e in events)
        return (f"<!doctype html><html><head><title>SHRM Atlanta events</title>{blocks}</head>"
                "<body><h1>Chapter events</h1></body></html>").encode()

    # -- serving -----------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        sites = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                sites.requests.append(self.path)
                path = self.path.split("?", 1)[0]
                if path == "/robots.txt":
                    self._send(200, "text/plain", b"User-agent: *\nAllow: /\n")
                    return
                page = sites.pages().get(path)
                if page is None:
                    self._send(404, "text/plain", b"not found")
                elif page[0] in sites.down:
                    self._send(503, "text/plain", b"down for maintenance")
                else:
                    self._send(200, page[1], page[2])

            def _send(self, status: int, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def sources(self) -> dict:
        """A sources document for these sites, with feeds by industry and city."""
        b = self.base_url
        return {
            "settings": {"allow_private": True},
            "sources": [
                {"id": "tag", "name": "Technology Association of Georgia", "url": f"{b}/tag/events/",
                 "scope": "regional", "industries": ["technology"], "location": "Atlanta, GA"},
                {"id": "pmi-atlanta", "name": "PMI Atlanta", "url": f"{b}/pmi-atlanta/calendar.ics",
                 "scope": "regional", "industries": ["project-management"], "location": "Atlanta, GA"},
                {"id": "shrm", "name": "SHRM", "url": f"{b}/shrm/wp-json/tribe/events/v1/events",
                 "scope": "national", "industries": ["human-resources"]},
                {"id": "ama-atlanta", "name": "AMA Atlanta", "url": f"{b}/ama-atlanta/events/",
                 "scope": "regional", "industries": ["marketing"], "location": "Atlanta, GA"},
                {"id": "shrm-atlanta", "name": "SHRM Atlanta", "url": f"{b}/shrm-atlanta/events/",
                 "scope": "regional", "industries": ["human-resources"], "location": "Atlanta, GA"},
            ],
            "feeds": [
                {"id": "atlanta-all", "title": "Atlanta professional events", "city": "Atlanta, GA",
                 "radius_km": 40, "include_online": True},
                {"id": "atlanta-tech", "title": "Atlanta tech networking", "industries": ["technology"],
                 "city": "Atlanta, GA", "radius_km": 40, "include_online": False},
                {"id": "hr-everywhere", "title": "HR events everywhere", "industries": ["human-resources"]},
                {"id": "pm-and-marketing", "title": "Project management and marketing",
                 "industries": ["project-management", "marketing"], "city": "Atlanta, GA", "radius_km": 40},
                {"id": "georgia-hr-meetups", "title": "HR meetups and career fairs in Georgia, next 30 days",
                 "industries": ["human-resources"], "regions": ["GA"], "event_types": ["meetup", "career fair"],
                 "days_ahead": 30},
            ],
        }

    def write_sources(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# Sample sources served by `eventscout demo` on loopback.\n"
                        + yaml.safe_dump(self.sources(), sort_keys=False))
        return path
