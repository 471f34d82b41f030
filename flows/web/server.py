"""`eventscout serve`: the feeds over HTTP, custom feeds built on request, and a page to find them.

Only fixed routes exist; a feed file is found by its id, never by a path, so
nothing outside the output folder can be read. Every answer carries an ETag
(and Last-Modified where there is one), honours conditional requests, and is
gzipped for clients that ask. Only GET and HEAD are served.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from eventscout.flows.config import Config, ConfigError, Feed, load_config
from eventscout.flows.web.feed_query import QueryError, feed_from_query, query_string
from eventscout.flows.publishing.feeds import render_calendar
from eventscout.flows.publishing.filters import select, source_ids
from eventscout.flows.publishing.publish import feed_candidates
from eventscout.flows.store import Store, StoredEvent
from eventscout.scrapers.event import ONLINE, Event

WEB = Path(__file__).with_name("assets")
CALENDAR = "text/calendar; charset=utf-8"
FEED_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
#: how long clients and proxies may reuse an answer without asking again
MAX_AGE = {"feed": 900, "page": 60, "asset": 3600}
NEXT_EVENTS = 5
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
}


# -- HTTP caching ------------------------------------------------------------------


def _accepts_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "x-gzip"):
            q = params.strip()
            return not (q.startswith("q=") and _float(q[2:]) == 0.0)
    return False


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def _matches(if_none_match: str, tags: set[str]) -> bool:
    """Weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored."""
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") in tags:
            return True
    return False


def _not_modified(request: Request, tags: set[str], last_modified: datetime | None) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:  # it wins over If-Modified-Since (RFC 9110 13.2.2)
        return _matches(if_none_match, tags)
    since = request.headers.get("if-modified-since")
    if since and last_modified is not None:
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return last_modified.replace(microsecond=0) <= when
    return False


class _GzipCache:
    """Compressed bodies by ETag, so a popular feed is compressed once per change."""

    def __init__(self, size: int = 64) -> None:
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, tag: str, body: bytes) -> bytes:
        with self._lock:
            if tag in self._items:
                self._items.move_to_end(tag)
                return self._items[tag]
        packed = gzip.compress(body, compresslevel=6, mtime=0)
        with self._lock:
            self._items[tag] = packed
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return packed


_GZIP = _GzipCache()


def entity(request: Request, body: bytes, media_type: str, *, kind: str,
           last_modified: datetime | None = None, status: int = 200) -> Response:
    """One representation with its validators: 304 when the client has it, gzip when asked."""
    digest = hashlib.sha256(body).hexdigest()[:32]
    plain, packed = f'"{digest}"', f'"{digest}-gzip"'
    compress = _accepts_gzip(request) and len(body) >= 200
    headers = {"ETag": packed if compress else plain, "Vary": "Accept-Encoding",
               "Cache-Control": f"public, max-age={MAX_AGE[kind]}", **SECURITY_HEADERS}
    if last_modified is not None:
        headers["Last-Modified"] = format_datetime(last_modified.astimezone(timezone.utc), usegmt=True)
    if status == 200 and _not_modified(request, {plain, packed}, last_modified):
        return Response(status_code=304, headers=headers)
    if compress:
        headers["Content-Encoding"] = "gzip"
        body = _GZIP.get(packed, body)
    return Response(body, status_code=status, media_type=media_type, headers=headers)


def problem(message: str, status: int = 400) -> Response:
    return PlainTextResponse(f"{message}\n", status_code=status, headers=SECURITY_HEADERS)


# -- what the page shows ----------------------------------------------------------------


@dataclass
class FeedView:
    """One feed as the page shows it."""

    feed: Feed
    path: str
    events: list[StoredEvent]
    written: bool


class Publication:
    """What `serve` publishes: the sources file's feeds, the output folder and the store they come from."""

    def __init__(self, sources: Path, output: Path, db: Path) -> None:
        self.sources = sources
        self.output = output.resolve()
        self.db = db
        self._config: tuple[float, Config] | None = None
        self._events: tuple[tuple, list[StoredEvent]] | None = None
        self._lock = threading.Lock()

    def config(self) -> Config:
        """The sources file, read again when it changes; a broken edit keeps the last good one."""
        try:
            mtime = self.sources.stat().st_mtime
        except OSError:
            mtime = -1.0
        if self._config is None or self._config[0] != mtime:
            try:
                self._config = (mtime, load_config(self.sources))
            except ConfigError:
                if self._config is None:
                    raise
        return self._config[1]

    def events(self, now: datetime) -> tuple[list[StoredEvent], datetime | None]:
        """Upcoming events, merged as the feeds merge them; recomputed after each run and each minute."""
        with Store(self.db) as store:
            finished = store.last_finished_run()
            key = (finished, now.replace(second=0, microsecond=0))
            with self._lock:
                if self._events is not None and self._events[0] == key:
                    return self._events[1], finished
            events = feed_candidates(store, now)
        with self._lock:
            self._events = (key, events)
        return events, finished

    def chosen(self, feed: Feed, now: datetime) -> tuple[list[StoredEvent], datetime | None]:
        """The events a feed holds now (by the configured feeds' own filters) and when the store last changed."""
        events, finished = self.events(now)
        return select(feed, events, now, self.config().sources), finished

    def feed_file(self, feed_id: str) -> Path | None:
        """output/<id>.ics for a well-formed id, only if it really lies inside the output folder."""
        if not FEED_ID.match(feed_id):
            return None
        path = (self.output / f"{feed_id}.ics").resolve()
        if not path.is_relative_to(self.output) or not path.is_file():
            return None
        return path

    def views(self, now: datetime) -> list[FeedView]:
        return [FeedView(feed, f"/feeds/{feed.id}.ics", self.chosen(feed, now)[0], self.feed_file(feed.id) is not None)
                for feed in self.config().feeds]

    def cities(self) -> list[str]:
        config = self.config()
        places = [f.city for f in config.feeds] + [s.location for s in config.sources]
        return sorted({p for p in places if p})


# -- formatting helpers for the page ------------------------------------------------------


def safe_link(url: str | None) -> str | None:
    """Only http(s) links reach an href; anything else (javascript:, data:) is dropped."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def when(event: Event, source_zone: str | None = None) -> str:
    """The start as people read it, on the event's own clock, named by its zone where one is known."""
    start = event.start
    if not isinstance(start, datetime):
        end = event.end
        if isinstance(end, date) and not isinstance(end, datetime) and end > start:
            return f"{start:%a %-d %b %Y} – {end:%a %-d %b %Y}"
        return f"{start:%a %-d %b %Y} (all day)"
    zone = event.timezone or source_zone
    if not isinstance(start.tzinfo, ZoneInfo) and start.tzinfo is not None and zone:
        try:
            named = start.astimezone(ZoneInfo(zone))
        except (KeyError, ValueError):
            named = start
        if named.utcoffset() == start.utcoffset():
            start = named
    return f"{start:%a %-d %b %Y, %H:%M} {start.tzname() or ''}".strip()


def where(event: Event) -> str:
    place = event.location.one_line() if event.location else ""
    if event.online == ONLINE:
        return "Online"
    if event.online == "hybrid":
        return f"{place} and online" if place else "In person and online"
    return place


def links(base: str, path: str) -> dict[str, str]:
    """Subscribe (webcal), Google Calendar and the plain URL for one feed."""
    https_url = base.rstrip("/") + path
    webcal = re.sub(r"^https?://", "webcal://", https_url)
    return {"url": https_url, "webcal": webcal,
            "google": "https://calendar.google.com/calendar/r?" + urlencode({"cid": webcal}, quote_via=quote)}


_TEMPLATES = Environment(loader=FileSystemLoader(WEB), autoescape=True, trim_blocks=True, lstrip_blocks=True)
_TEMPLATES.globals.update(when=when, where=where, safe_link=safe_link, links=links)


# -- the routes ----------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _custom_feed(request: Request, publication: Publication) -> Feed:
    return feed_from_query(request.query_params.multi_items(), [s.id for s in publication.config().sources])


def event_json(stored: StoredEvent, source_names: dict[str, str]) -> dict:
    event = stored.event
    record = event.to_json()
    record.update(id=event.id, uid=f"{event.id}@eventscout", sequence=stored.sequence,
                  industries=list(event.industries), source=event.source_id,
                  source_name=source_names.get(event.source_id or ""),
                  changed_at=stored.changed_at.isoformat())
    return record


def build_app(publication: Publication) -> Starlette:
    """The Starlette application for one sources file, output folder and store.

    The handlers are plain functions: Starlette runs them in its thread pool, so
    reading the store and rendering a feed never hold up other requests.
    """
    from eventscout.flows.web import events_page  # the page builds on this module's helpers

    def home(request: Request) -> Response:
        if request.query_params:  # the custom-feed builder moved to /events; old links follow it
            return RedirectResponse(f"/events?{request.url.query}", status_code=301)
        now = _now()
        config = publication.config()
        views = publication.views(now)
        upcoming = publication.chosen(feed_from_query([]), now)[0]
        with Store(publication.db) as store:
            read = events_page.associations(config, store)
            finished = store.last_finished_run()
        base = str(request.base_url)
        page = _TEMPLATES.get_template("index.html").render(
            base=base, loopback=events_page.is_loopback(base), feeds=views, associations=read,
            behind={v.feed.id: sorted({i for s in v.events for i in source_ids(s)}) for v in views},
            ever_read=any(a.last_read for a in read.values()), read_count=sum(bool(a.last_read) for a in read.values()),
            last_run=f"{finished:%-d %b %Y at %H:%M} UTC" if finished else "never",
            form=events_page.form_values(request), industries=events_page.industry_counts(upcoming),
            types=events_page.type_counts(upcoming), cities=publication.cities(),
            next_events=NEXT_EVENTS, zones={s.id: s.timezone for s in config.sources})
        return entity(request, page.encode("utf-8"), "text/html; charset=utf-8", kind="page")

    def feed_file(request: Request) -> Response:
        path = publication.feed_file(request.path_params["name"])
        if path is None:
            return problem("no such feed; the page at / lists them", 404)
        stat = path.stat()
        return entity(request, path.read_bytes(), CALENDAR, kind="feed",
                      last_modified=datetime.fromtimestamp(stat.st_mtime, timezone.utc))

    def custom_feed(request: Request) -> Response:
        try:
            feed = _custom_feed(request, publication)
        except QueryError as exc:
            return problem(str(exc))
        now = _now()
        chosen, finished = publication.chosen(feed, now)
        sources = publication.config().sources
        data = render_calendar(feed.title, feed.description, chosen,
                               {s.id: s.name for s in sources}, {s.id: s.url for s in sources})
        return entity(request, data, CALENDAR, kind="feed", last_modified=finished)

    def events_json(request: Request) -> Response:
        try:
            feed = _custom_feed(request, publication)
        except QueryError as exc:
            return problem(str(exc))
        now = _now()
        chosen, finished = publication.chosen(feed, now)
        names = {s.id: s.name for s in publication.config().sources}
        body = {"feed": {"title": feed.title, "query": query_string(feed),
                         "filters": feed.model_dump(exclude={"id", "title", "description"})},
                "count": len(chosen), "events": [event_json(s, names) for s in chosen]}
        data = json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")
        return entity(request, data, "application/json", kind="feed", last_modified=finished)

    def asset(name: str, media_type: str):
        data = (WEB / name).read_bytes()

        async def serve_asset(request: Request) -> Response:
            return entity(request, data, media_type, kind="asset")

        return serve_asset

    routes = [
        Route("/", home, methods=["GET"]),
        Route("/feeds/custom.ics", custom_feed, methods=["GET"]),
        Route("/feeds/{name}.ics", feed_file, methods=["GET"]),
        Route("/events.json", events_json, methods=["GET"]),
        Route("/style.css", asset("style.css", "text/css; charset=utf-8"), methods=["GET"]),
        Route("/page.js", asset("page.js", "text/javascript; charset=utf-8"), methods=["GET"]),
    ]
    routes += events_page.routes(publication, _TEMPLATES)
    return Starlette(routes=routes)


def serve(publication: Publication, host: str, port: int) -> None:
    """Run the server until interrupted."""
    import uvicorn

    publication.config()  # a broken sources file stops here, not on the first request
    uvicorn.run(build_app(publication), host=host, port=port, log_level="warning", server_header=False)
