"""Probe an association's site: find its events page, try every reader on it, pick the best
reading, and write the sources.yaml entry for it.

From a home page the probe follows what the page itself offers, in this order:
advertised iCalendar feeds, a WordPress site's Events Calendar REST endpoint,
links labelled events/calendar/meetings/programs, and only when none of those
yields events, the sitemap. Every request goes through `Fetcher` (robots.txt,
size and time limits), one at a time, at most `MAX_REQUESTS` of them.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from eventscout.flows.reading.address_guard import allow_private_from_env

from eventscout.flows.reading.fetch import Fetcher, FetchError, Limits
from eventscout.flows.onboarding.association_site import (Block, Link, SiteInfo, events_links, feed_links, most_common, repeated_blocks,
                        shared_name, site_info, sitemap_links, tribe_endpoint)
from eventscout.flows.knowledge.zones import zone_for
from eventscout.scrapers import READERS, Page, extract_page
from eventscout.scrapers.event import Event
from eventscout.scrapers.platforms import recognise
from eventscout.scrapers.sniff import no_events_reason

#: page requests one probe may make (robots.txt not counted)
MAX_REQUESTS = 10
#: seconds one probe may take in all
BUDGET_SECONDS = 60.0
#: readers that read a feed or an API: preferred, as they carry what a page only shows
FEED_READERS = ("ical", "tribe", "eventbrite", "meetup", "localist", "rss")
#: the generic reader: a guess from the page's layout, used when nothing structured is there
GUESS_READERS = ("listing",)
#: events listed beyond this many add nothing to a reading's score
_SCORE_CAP = 100
DEFAULT_ZONE = "America/New_York"

# Links are tried in this order of kind, then by how well they are labelled.
_FEED, _API, _LINK, _SITEMAP = 0, 1, 2, 3


def probe_readers() -> list[str]:
    """Every reader that needs no declaration, feeds first, then structured data, then listing."""
    names = [n for n in READERS if n != "recipe"]
    return sorted(names, key=lambda n: (n not in FEED_READERS, n in GUESS_READERS))


@dataclass
class Visit:
    """One request the probe made, and what came of it."""

    url: str
    why: str
    outcome: str


@dataclass
class Reading:
    """What one reader found on one page."""

    url: str
    format: str
    events: list[Event]
    found: int
    confidence: float
    why: str

    @property
    def upcoming(self) -> int:
        return len(self.events)

    @property
    def score(self) -> float:
        weight = 1.2 if self.format in FEED_READERS else 0.5 if self.format in GUESS_READERS else 1.0
        return min(self.upcoming, _SCORE_CAP) * self.confidence * weight


@dataclass
class ProbeReport:
    """Everything the probe saw, what it chose, and the entry it proposes."""

    url: str
    site: SiteInfo = field(default_factory=SiteInfo)
    visits: list[Visit] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    best: Reading | None = None
    blocks: list[tuple[str, Block]] = field(default_factory=list)
    entry: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    #: the platforms the pages showed (Squarespace, Google Calendar...), first seen first
    platforms: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.visits)


async def probe(url: str, *, location: str | None = None, industries: list[str] | None = None,
                fetcher: Fetcher | None = None, max_requests: int = MAX_REQUESTS,
                today: date | None = None) -> ProbeReport:
    """Probe `url` (a home page, events page or feed) within `max_requests` polite requests."""
    if fetcher is None:
        limits = replace(Limits.from_env(), retries=1)  # a person is waiting
        async with Fetcher(limits, allow_private=allow_private_from_env()) as own:
            return await probe(url, location=location, industries=industries, fetcher=own,
                               max_requests=max_requests, today=today)
    report = ProbeReport(url)
    explorer = _Explorer(report, fetcher, max_requests, today or date.today(), zone_for(location))
    await explorer.explore(Link(url, "the address given"))
    if not report.site.named:
        infos = [site_info(page) for page in explorer.pages if page.looks_like_html]
        self_named = next((info.name for info in infos if info.named), None)
        report.site.name = self_named or shared_name(
            [info.title for info in infos], [h for info in infos for h in info.headings]) or report.site.name
    report.best = best_reading(report.readings)
    if report.platforms:
        chosen = f"; the feed chosen: {report.best.url} ({report.best.format})" if report.best else ""
        report.notes.append(f"platform: {', '.join(report.platforms)}{chosen}")
    if report.best is None:
        for page in explorer.pages:
            why = no_events_reason(page)
            if why and f"{page.url}: {why}" not in report.notes:
                report.notes.append(f"{page.url}: {why}")
        report.blocks = candidate_blocks(explorer.pages)
        report.notes.extend(_advice(report, read_any=bool(explorer.pages)))
    else:
        report.entry = build_entry(report, location=location, industries=industries)
        report.notes.append(f"timezone {report.entry['timezone']}: {guess_timezone(report.best.events, location)[1]}")
        if industries is None:
            report.notes.append("industries: " + (", ".join(report.entry["industries"]) + " (from the site's "
                                "own words)" if report.entry["industries"] else "none recognised; pass --industries"))
    return report


class _Explorer:
    """The probe's walk over a site: a small priority queue of links, read one at a time."""

    def __init__(self, report: ProbeReport, fetcher: Fetcher, max_requests: int, today: date,
                 zone: str | None) -> None:
        self.report = report
        self.fetcher = fetcher
        self.max_requests = max_requests
        self.today = today
        self.zone = zone
        self.deadline = time.monotonic() + BUDGET_SECONDS
        self.queue: list[tuple[int, int, int, Link]] = []
        self.seen: set[str] = set()
        self.pages: list[Page] = []

    def push(self, kind: int, link: Link) -> None:
        if link.url in self.seen:
            return
        self.seen.add(link.url)
        self.queue.append((kind, -link.score, len(self.seen), link))
        self.queue.sort(key=lambda item: item[:3])

    async def explore(self, start: Link) -> None:
        self.push(_FEED, start)
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(start.url))
        sitemap_tried = False
        while self.report.requests < self.max_requests and time.monotonic() < self.deadline:
            if not self.queue:
                if sitemap_tried or self._found_upcoming() or not self.pages:
                    break
                sitemap_tried = True
                await self._read_sitemap(origin)
                continue
            kind, _, _, link = self.queue.pop(0)
            if kind == _SITEMAP and self._found_upcoming():
                continue
            page = await self._fetch(link)
            if page is None:
                continue
            if len(self.pages) == 1:
                self.report.site = site_info(page)
            self._read(page, link)
            self._discover(page, first=len(self.pages) == 1, via=link)

    def _found_upcoming(self) -> bool:
        return any(r.upcoming for r in self.report.readings)

    async def _fetch(self, link: Link) -> Page | None:
        try:
            response = await self.fetcher.get(link.url, deadline=self.deadline)
        except FetchError as exc:
            self.report.visits.append(Visit(link.url, link.why, exc.reason))
            return None
        kind = (response.content_type or "?").split(";")[0]
        self.report.visits.append(Visit(response.url, link.why, f"{kind}, {len(response.body):,} bytes"))
        self.seen.add(response.url)
        page = Page(response.body, response.url, response.content_type, since=self.today, timezone=self.zone)
        self.pages.append(page)
        return page

    def _read(self, page: Page, link: Link) -> None:
        for name in probe_readers():
            extraction = extract_page(page, name)
            if not extraction.events:
                continue
            upcoming = sorted((e for e in extraction.events if _day(e.start) >= self.today),
                              key=lambda e: e.start_utc())
            self.report.readings.append(Reading(page.url, name, upcoming, len(extraction.events),
                                                extraction.confidence, link.why))

    def _discover(self, page: Page, *, first: bool, via: Link) -> None:
        for found in recognise(page):
            if found.platform.name not in self.report.platforms:
                self.report.platforms.append(found.platform.name)
            for url in found.feeds[:3]:
                self.push(_FEED, Link(url, f"{found.platform.name}: {found.platform.supplies.split(' (')[0]}", 10))
        for feed in feed_links(page)[:3]:
            self.push(_FEED, feed)
        api = tribe_endpoint(page)
        if api is not None:
            self.push(_API, api)
        if first or via.why == "listed in the sitemap":
            for link in events_links(page, limit=3):
                self.push(_LINK, link)

    async def _read_sitemap(self, origin: str) -> None:
        for sitemap in (f"{origin}/sitemap.xml",):
            page = await self._fetch(Link(sitemap, "the site's sitemap"))
            if page is None:
                return
            pages, subs = sitemap_links(page.body, origin)
            if not pages and subs and self.report.requests < self.max_requests:
                sub = await self._fetch(Link(subs[0], "a sitemap the sitemap index names"))
                if sub is not None:
                    pages, _ = sitemap_links(sub.body, origin)
            for link in pages:
                self.push(_SITEMAP, link)


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def best_reading(readings: list[Reading]) -> Reading | None:
    """The reading with the most upcoming events, weighed by confidence; feeds before pages,
    structured data before the listing guess, and a feed or API before the page showing it."""
    scored = [r for r in readings if r.upcoming]
    if not scored:
        return None
    return max(scored, key=lambda r: (round(r.score, 6), not _is_html_url(r), -readings.index(r)))


def _is_html_url(reading: Reading) -> bool:
    path = urlsplit(reading.url).path
    return not (path.endswith((".ics", ".json", ".xml", ".rss")) or "/wp-json/" in path
                or "ical" in reading.url.lower())


# --- the sources.yaml entry ----------------------------------------------------

def build_entry(report: ProbeReport, *, location: str | None = None,
                industries: list[str] | None = None) -> dict[str, Any]:
    """The sources.yaml entry for the best reading, in the order a person would write it."""
    from eventscout.flows.knowledge.industries import canonical_industries

    best = report.best
    assert best is not None
    name = report.site.name or _host(report.url)
    zone, _ = guess_timezone(best.events, location)
    entry: dict[str, Any] = {
        "id": slug(name) or slug(_host(report.url)) or "new-source",
        "name": name,
        "url": best.url,
        "scope": "regional" if location else "national",
        "format": best.format,
        "timezone": zone,
        "industries": guess_industries(report.site, best.events) if industries is None
        else canonical_industries(industries),
    }
    if location:
        entry["location"] = location
    return entry


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def slug(text: str, limit: int = 40) -> str:
    """A source id out of a name: "PMI Atlanta Chapter" → "pmi-atlanta-chapter"."""
    words = re.sub(r"[^a-z0-9]+", " ", text.casefold().replace("&", " and ")).split()
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out


def guess_timezone(events: list[Event], location: str | None) -> tuple[str, str]:
    """The source's zone and why: from the location given, the events' own zones, or their places."""
    if location and (zone := zone_for(location)):
        return zone, f"from the location {location!r}"
    zones = [e.timezone or getattr(getattr(e.start, "tzinfo", None), "key", None) for e in events]
    if zone := most_common([z for z in zones if z]):
        return zone, "the zone the events state"
    places = [", ".join(p for p in (e.location.city, e.location.region, e.location.country) if p)
              for e in events if e.location and e.location.city]
    if (place := most_common(places)) and (zone := zone_for(place)):
        return zone, f"the events are in {place}"
    return DEFAULT_ZONE, "a default: nothing on the site names a place or zone; check it"


def guess_industries(site: SiteInfo, events: list[Event]) -> list[str]:
    """Industries from the site's own words: its title and headings, else its description, else its events."""
    from eventscout.flows.knowledge.industries import infer_industries

    for words in ("\n".join([site.title, *site.headings]), site.description):
        found = [i for i, _ in infer_industries(words, "", [])]
        if found:
            return found[:4]
    counts: Counter[str] = Counter()
    for event in events[:50]:
        counts.update({i for i, _ in infer_industries(event.title, "", event.categories)})
    return [i for i, n in counts.most_common(3) if n >= 2]


# --- when nothing works ---------------------------------------------------------

def _advice(report: ProbeReport, *, read_any: bool) -> list[str]:
    notes: list[str] = []
    past = [r for r in report.readings if r.found]
    if past:
        r = max(past, key=lambda r: r.found)
        notes.append(f"The {r.format} reader found {r.found} event(s) on {r.url}, but none upcoming: "
                     "the site may not have published its next events yet; probe again later.")
    if not read_any:
        notes.append("No page could be read at all: check the address, and that the site answers.")
    notes.append("Give the events page itself (not the home page) if you know it, or write a CSS "
                 "recipe for it (format: recipe; see README, Adding a source).")
    return notes


def candidate_blocks(pages: list[Page]) -> list[tuple[str, Block]]:
    """The repeated blocks worth a CSS recipe across the pages read, best first."""
    found: list[tuple[str, Block]] = []
    for page in pages:
        found.extend((page.url, block) for block in repeated_blocks(page, limit=3))
    found.sort(key=lambda item: (-(item[1].dated * 2 >= item[1].count), -item[1].dated, -item[1].count))
    return found[:5]
