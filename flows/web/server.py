"""`eventscout serve`: the feeds over HTTP, custom feeds built on request, and a page to find them.

Only fixed routes exist; a feed file is found by its id, never by a path, so
nothing outside the output folder can be read. Every answer carries an ETag
(and Last-Modified where there is one), honours conditional requests, and is
gzipped for clients that ask. Only GET and HEAD are served.

It faces the internet, so it holds under load: a bounded number of requests
at a time and queries of bounded length (eventscout.flows.web.guards); each
custom feed, JSON page and page computed once however many ask at once, and
kept by its canonical query (eventscout.flows.web.single_flight); bodies sent
in slices so a slow reader holds no copy of them; and subscribe links built
from the configured public URL or the listening address, never from the
request's Host header.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from eventscout.flows.config import Config, ConfigError, Feed, load_config
from eventscout.flows.web.guards import ConcurrencyLimit, QueryLengthLimit
from eventscout.flows.web.feed_query import (MAX_QUERY_LENGTH, Page, QueryError, feed_from_query, parse_query,
                                             query_string, split_page)
from eventscout.flows.web.single_flight import SingleFlight
from eventscout.flows.publishing.feeds import render_calendar
from eventscout.flows.publishing.filters import select, source_ids
from eventscout.flows.publishing.publish import feed_candidates
from eventscout.flows.store import Store, StoredEvent, StoreError
from eventscout.scrapers.event import Event

WEB = Path(__file__).with_name("assets")
CALENDAR = "text/calendar; charset=utf-8"
FEED_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
#: how long clients and proxies may reuse an answer without asking again
MAX_AGE = {"feed": 900, "page": 60, "asset": 3600}
NEXT_EVENTS = 5
MiB = 2**20
#: one /events.json page holds events whose JSON adds up to at most this (and at most `limit` events)
MAX_JSON_BYTES = 2 * MiB
#: bodies go to the socket in slices of this size, each sent when the client has taken the last
SLICE = 64 * 2**10
#: seconds an answer computed from the store is reused for (feeds themselves are cached for 900)
FRESH_FOR = 300
#: seconds between looks at the store for a newly finished run
FINISHED_CHECK = 1.0
#: answers rendered at once: on two cores and one GIL, more only slows each down and the event loop with them
COMPUTING = 2
LOG = logging.getLogger("eventscout.serve")
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


@dataclass(frozen=True)
class Body:
    """A response body with its digest, worked out once however often it is sent."""

    data: bytes
    digest: str

    @classmethod
    def of(cls, data: bytes) -> Body:
        return cls(data, hashlib.sha256(data).hexdigest()[:32])


#: compressed bodies by digest, so a popular feed is compressed once per change, by one request
_GZIP: SingleFlight[bytes] = SingleFlight(items=64, weight=64 * MiB, weigh=len)


class SlicedResponse(Response):
    """A Response whose body goes out in slices: uvicorn waits for the client between them,
    so a slow reader of a large feed holds no copy of it in the socket's buffer."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        body = memoryview(self.body)
        for start in range(0, len(body), SLICE):
            await send({"type": "http.response.body", "body": bytes(body[start:start + SLICE]), "more_body": True})
        await send({"type": "http.response.body", "body": b""})


def entity(request: Request, body: bytes | Body, media_type: str, *, kind: str,
           last_modified: datetime | None = None, status: int = 200) -> Response:
    """One representation with its validators: 304 when the client has it, gzip when asked."""
    body = body if isinstance(body, Body) else Body.of(body)
    plain, packed = f'"{body.digest}"', f'"{body.digest}-gzip"'
    compress = _accepts_gzip(request) and len(body.data) >= 200
    headers = {"ETag": packed if compress else plain, "Vary": "Accept-Encoding",
               "Cache-Control": f"public, max-age={MAX_AGE[kind]}", **SECURITY_HEADERS}
    if last_modified is not None:
        headers["Last-Modified"] = format_datetime(last_modified.astimezone(timezone.utc), usegmt=True)
    if status == 200 and _not_modified(request, {plain, packed}, last_modified):
        return Response(status_code=304, headers=headers)
    if compress:
        headers["Content-Encoding"] = "gzip"
    return SlicedResponse(gzipped(body) if compress else body.data, status_code=status, media_type=media_type,
                          headers=headers)


def gzipped(body: Body) -> bytes:
    """The body compressed, once per content however many ask at once."""
    return _GZIP.get(body.digest, lambda: gzip.compress(body.data, compresslevel=6, mtime=0))


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


class Version(NamedTuple):
    """What an answer was computed from; answers are kept under it, so a change makes new ones."""

    #: which merged events: the store's last finished run, and the day they were read
    events: tuple[datetime | None, date]
    #: the time, in steps of FRESH_FOR: events that end drop out of answers within that long
    now: datetime
    config: tuple[int, int] | None

    @property
    def finished(self) -> datetime | None:
        return self.events[0]


def _stamp(path: Path) -> tuple[int, int] | None:
    """What tells an edited file from the one read before: its mtime and size (None when it cannot be read)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class Publication:
    """What `serve` publishes: the sources file's feeds, the output folder and the store they come from.

    Everything worked out from the store is kept under a `Version`: the
    store's last finished run, the time in steps of FRESH_FOR and the sources
    file, so a new run, a later time or an edit gives new answers, while
    concurrent identical requests share one.
    """

    def __init__(self, sources: Path, output: Path, db: Path, public_url: str | None = None) -> None:
        self.sources = sources
        self.output = output.resolve()
        self.db = db
        #: the configured public URL (--public-url, else settings.public_url), without its last /
        self._public_url = public_url
        self._config: Config | None = None
        self._config_stamp: tuple[int, int] | None = None
        #: the stamp of the last file read, good or broken: a file is read once per change
        self._read_stamp: tuple[int, int] | None | str = "not read yet"
        self._config_lock = threading.Lock()
        #: when the store's last finished run was last looked up (monotonic seconds), and what it was
        self._finished: tuple[float, datetime | None] = (-1.0, None)
        self._merged: SingleFlight[list[StoredEvent]] = SingleFlight(items=3)
        #: the merged events ready to answer from, and those being worked out in the background
        self._ready: tuple[datetime | None, date] | None = None
        self._refreshing: set[tuple[datetime | None, date]] = set()
        self._refresh_lock = threading.Lock()
        self._selections: SingleFlight[list[StoredEvent]] = SingleFlight(items=256)
        #: each event's VEVENT, for the merged events and sources file it was rendered from
        self._texts: tuple[tuple, dict[tuple, str]] = ((), {})
        self._files: SingleFlight[Body] = SingleFlight(items=64, weight=256 * MiB, weigh=lambda b: len(b.data))
        #: rendered answers (custom feeds, JSON pages, the page) by what they were built from, COMPUTING at once
        self.answers: SingleFlight[Body] = SingleFlight(items=256, weight=256 * MiB, weigh=lambda b: len(b.data),
                                                        computing=COMPUTING)

    def config(self) -> Config:
        """The sources file, read again when it changes; a broken edit keeps the last good one.

        A broken file is read once: its stamp is remembered, and it is read
        again only when it changes again, not on every request.
        """
        stamp = _stamp(self.sources)
        if self._config is not None and stamp == self._read_stamp:
            return self._config
        with self._config_lock:
            if self._config is not None and stamp == self._read_stamp:
                return self._config
            self._read_stamp = stamp
            try:
                config = load_config(self.sources)
            except ConfigError as exc:
                if self._config is None:
                    raise
                LOG.warning("%s: the edited file has %d problem(s), so the version read before is still "
                            "served; fix it and it is read again: %s", self.sources, len(exc.problems),
                            "; ".join(exc.problems))
                return self._config
            self._config, self._config_stamp = config, stamp
            return config

    def link_base(self, request: Request) -> str:
        """The base of subscribe links: the configured public URL, else the address this connection reached.

        Never the Host header: the page is cached for everyone, so a forged Host would poison it.
        """
        configured = self._public_url or self.config().settings.public_url
        if configured:
            return configured
        host, port = request.scope.get("server") or ("127.0.0.1", 80)
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"

    def version(self, now: datetime) -> Version:
        """What every answer depends on now: the merged events, the time and the sources file."""
        finished = self._last_finished()
        self.config()
        seconds = int(now.timestamp()) // FRESH_FOR * FRESH_FOR
        return Version(self._events_to_use((finished, now.date())), datetime.fromtimestamp(seconds, timezone.utc),
                       self._config_stamp)

    def _last_finished(self) -> datetime | None:
        """The store's last finished run, looked up at most once a second however many requests ask."""
        checked, finished = self._finished
        if time.monotonic() - checked >= FINISHED_CHECK:
            with Store(self.db) as store:
                finished = store.last_finished_run()
            self._finished = (time.monotonic(), finished)
        return finished

    def _events_to_use(self, wanted: tuple[datetime | None, date]) -> tuple[datetime | None, date]:
        """`wanted` once it is ready; until then (after a run, or a new day), the events read before,
        while a background thread reads the new ones, so no request waits seconds for them."""
        ready = self._ready
        if ready is None or ready == wanted:
            return wanted
        with self._refresh_lock:
            if wanted not in self._refreshing:
                self._refreshing.add(wanted)
                threading.Thread(target=self._refresh, args=(wanted,), name="eventscout-refresh", daemon=True).start()
        return ready

    def _refresh(self, key: tuple[datetime | None, date]) -> None:
        try:
            self.events(key)
        except StoreError as exc:
            LOG.warning("%s", exc)
        finally:
            with self._refresh_lock:
                self._refreshing.discard(key)

    def events(self, key: tuple[datetime | None, date]) -> list[StoredEvent]:
        """Upcoming events, merged as the feeds merge them, read once per run and day (`Version.events`).

        Events that end in between stay here, and each feed's own upcoming
        check leaves them out.
        """

        def merged() -> list[StoredEvent]:
            with Store(self.db) as store:
                events = feed_candidates(store, _now())
            self._ready = key
            return events

        return self._merged.get(key, merged)

    def chosen(self, feed: Feed, version: Version) -> list[StoredEvent]:
        """The events a feed holds now (by its own filters), computed once per feed and version."""
        return self._selections.get(
            (version, feed.model_dump_json()),
            lambda: select(feed, self.events(version.events), version.now, self.config().sources))

    def vevent_texts(self, version: Version) -> dict[tuple, str]:
        """Each event's VEVENT, kept while the merged events and the sources file stay the same,
        so a custom feed is rendered by joining texts most of which are ready."""
        key = (version.events, version.config)
        if self._texts[0] != key:
            self._texts = (key, {})
        return self._texts[1]

    def warm_up(self) -> None:
        """Work out the merged events and each configured feed's events, and compress each feed file,
        before the first request needs them."""
        version = self.version(_now())
        for feed in self.config().feeds:
            self.chosen(feed, version)
            path = self.feed_file(feed.id)
            if path is not None:
                gzipped(self.file_body(path)[0])

    def feed_file(self, feed_id: str) -> Path | None:
        """output/<id>.ics for a well-formed id, only if it really lies inside the output folder."""
        if not FEED_ID.match(feed_id):
            return None
        path = (self.output / f"{feed_id}.ics").resolve()
        if not path.is_relative_to(self.output) or not path.is_file():
            return None
        return path

    def file_body(self, path: Path) -> tuple[Body, datetime]:
        """A feed file's bytes, read once per change of the file, and when it was written."""
        stat = path.stat()
        body = self._files.get((path, stat.st_mtime_ns, stat.st_size, stat.st_ino), lambda: Body.of(path.read_bytes()))
        return body, datetime.fromtimestamp(stat.st_mtime, timezone.utc)

    def views(self, version: Version) -> list[FeedView]:
        return [FeedView(feed, f"/feeds/{feed.id}.ics", self.chosen(feed, version), self.feed_file(feed.id) is not None)
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


def links(base: str, path: str) -> dict[str, str]:
    """Subscribe (webcal), Google Calendar and the plain URL for one feed."""
    https_url = base.rstrip("/") + path
    webcal = re.sub(r"^https?://", "webcal://", https_url)
    return {"url": https_url, "webcal": webcal,
            "google": "https://calendar.google.com/calendar/r?" + urlencode({"cid": webcal}, quote_via=quote)}


_TEMPLATES = Environment(loader=FileSystemLoader(WEB), autoescape=True, trim_blocks=True, lstrip_blocks=True)
_TEMPLATES.globals.update(when=when, safe_link=safe_link, links=links)


# -- the routes ----------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(timezone.utc)


def query_items(request: Request) -> list[tuple[str, str]]:
    """The request's query as pairs, at most MAX_VALUES of them (`QueryError` beyond).

    Its length is bounded before, by QueryLengthLimit."""
    return parse_query(request.scope["query_string"].decode("latin-1"))


def custom_feed_of(items: list[tuple[str, str]], publication: Publication) -> Feed:
    return feed_from_query(items, [s.id for s in publication.config().sources])


def event_json(stored: StoredEvent, source_names: dict[str, str]) -> dict:
    event = stored.event
    record = event.to_json()
    record.update(id=event.id, uid=f"{event.id}@eventscout", sequence=stored.sequence,
                  industries=list(event.industries), source=event.source_id,
                  source_name=source_names.get(event.source_id or ""),
                  changed_at=stored.changed_at.isoformat())
    return record


def json_page(feed: Feed, chosen: list[StoredEvent], page: Page, source_names: dict[str, str]) -> bytes:
    """One page of /events.json: at most `page.limit` events and MAX_JSON_BYTES of them, and the next page's path.

    Each event is serialised once and measured as it is added, so the body's
    size is known while it is built (a single event larger than the budget
    still makes a page of its own, so paging always moves on).
    """
    records: list[bytes] = []
    size = 0
    for stored in chosen[page.offset:page.offset + page.limit]:
        record = json.dumps(event_json(stored, source_names), ensure_ascii=False, separators=(",", ":")).encode()
        if records and size + len(record) > MAX_JSON_BYTES:
            break
        records.append(record)
        size += len(record) + 1
    end = page.offset + len(records)
    query = query_string(feed)
    following = (f"/events.json?{query}{'&' if query else ''}offset={end}&limit={page.limit}"
                 if end < len(chosen) else None)
    head = {"feed": {"title": feed.title, "query": query,
                     "filters": feed.model_dump(exclude={"id", "title", "description"})},
            "count": len(chosen), "offset": page.offset, "limit": page.limit, "next": following}
    # the head's closing brace makes way for the events, which are already serialised
    return (json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1].encode()
            + b',"events":[' + b",".join(records) + b"]}")


#: requests handled at once (sending included), and how many more may wait for a turn (eventscout.flows.web.guards)
ACTIVE, WAITING = 32, 96


def build_app(publication: Publication, *, active: int = ACTIVE, waiting: int = WAITING) -> Starlette:
    """The Starlette application for one sources file, output folder and store.

    The handlers are plain functions: Starlette runs them in its thread pool
    (40 threads, more than `active`), so reading the store and rendering a
    feed never hold up other requests. Routes added later reuse the same
    bound (the middleware is over the whole app) and `publication.answers`
    to compute each answer once.
    """
    from eventscout.flows.web import events_page  # the page builds on this module's helpers
    from eventscout.flows.web.directory_page import associations_route  # it imports this module

    def home(request: Request) -> Response:
        if request.query_params:  # the custom-feed builder moved to /events; old links follow it
            return RedirectResponse(f"/events?{request.url.query}", status_code=301)
        version = publication.version(_now())
        base = publication.link_base(request)

        def render() -> Body:
            config = publication.config()
            views = publication.views(version)
            upcoming = publication.chosen(feed_from_query([]), version)
            with Store(publication.db) as store:
                read = events_page.associations(config, store)
            finished = version.finished
            page = _TEMPLATES.get_template("index.html").render(
                base=base, loopback=events_page.is_loopback(base), feeds=views, associations=read,
                behind={v.feed.id: sorted({i for s in v.events for i in source_ids(s)}) for v in views},
                ever_read=any(a.last_read for a in read.values()),
                read_count=sum(bool(a.last_read) for a in read.values()),
                last_run=f"{finished:%-d %b %Y at %H:%M} UTC" if finished else "never",
                form=events_page.form_values(request), industries=events_page.industry_counts(upcoming),
                types=events_page.type_counts(upcoming), cities=publication.cities(),
                next_events=NEXT_EVENTS, zones={s.id: s.timezone for s in config.sources})
            return Body.of(page.encode("utf-8"))

        body = publication.answers.get(("page", version, base), render)
        return entity(request, body, "text/html; charset=utf-8", kind="page")

    def feed_file(request: Request) -> Response:
        path = publication.feed_file(request.path_params["name"])
        if path is None:
            return problem("no such feed; the page at / lists them", 404)
        body, written = publication.file_body(path)
        return entity(request, body, CALENDAR, kind="feed", last_modified=written)

    def custom_feed(request: Request) -> Response:
        try:
            feed = custom_feed_of(query_items(request), publication)
        except QueryError as exc:
            return problem(str(exc))
        version = publication.version(_now())

        def render() -> Body:
            sources = publication.config().sources
            data = render_calendar(feed.title, feed.description, publication.chosen(feed, version),
                                   {s.id: s.name for s in sources}, {s.id: s.url for s in sources},
                                   publication.vevent_texts(version))
            return Body.of(data)

        body = publication.answers.get(("custom.ics", version, feed.model_dump_json()), render)
        return entity(request, body, CALENDAR, kind="feed", last_modified=version.finished)

    def events_json(request: Request) -> Response:
        try:
            items, page = split_page(query_items(request))
            feed = custom_feed_of(items, publication)
        except QueryError as exc:
            return problem(str(exc))
        version = publication.version(_now())

        def render() -> Body:
            names = {s.id: s.name for s in publication.config().sources}
            return Body.of(json_page(feed, publication.chosen(feed, version), page, names))

        body = publication.answers.get(("events.json", version, feed.model_dump_json(), page), render)
        return entity(request, body, "application/json", kind="feed", last_modified=version.finished)

    def asset(name: str, media_type: str):
        body = Body.of((WEB / name).read_bytes())

        async def serve_asset(request: Request) -> Response:
            return entity(request, body, media_type, kind="asset")

        return serve_asset

    routes = [
        Route("/", home, methods=["GET"]),
        Route("/feeds/custom.ics", custom_feed, methods=["GET"]),
        Route("/feeds/{name}.ics", feed_file, methods=["GET"]),
        Route("/events.json", events_json, methods=["GET"]),
        Route("/style.css", asset("style.css", "text/css; charset=utf-8"), methods=["GET"]),
        Route("/page.js", asset("page.js", "text/javascript; charset=utf-8"), methods=["GET"]),
        associations_route(publication.config),
    ]
    routes += events_page.routes(publication, _TEMPLATES)
    return Starlette(routes=routes, middleware=[Middleware(QueryLengthLimit, limit=MAX_QUERY_LENGTH),
                                                Middleware(ConcurrencyLimit, active=active, waiting=waiting)])


#: seconds SIGTERM leaves open connections to finish before they are cut
STOP_GRACE = 3
#: open connections (idle keep-alive ones too) beyond which uvicorn itself answers 503
MAX_CONNECTIONS = 1024
#: a request's line and headers may be this long: queries up to it get eventscout's own 400 naming the limit
MAX_REQUEST_HEAD = 64 * 2**10


def serve(publication: Publication, host: str, port: int, *, active: int = ACTIVE, waiting: int = WAITING) -> None:
    """Run the server until interrupted (Ctrl-C or SIGTERM)."""
    import uvicorn

    publication.warm_up()  # a broken sources file or store stops here, and the first requests need not wait
    config = uvicorn.Config(build_app(publication, active=active, waiting=waiting), host=host, port=port,
                            log_level="warning", server_header=False, timeout_graceful_shutdown=STOP_GRACE,
                            limit_concurrency=MAX_CONNECTIONS, h11_max_incomplete_event_size=MAX_REQUEST_HEAD)
    logging.getLogger("uvicorn.error").addFilter(_not_a_stopped_answer)
    uvicorn.Server(config).run()


def _not_a_stopped_answer(record: logging.LogRecord) -> bool:
    """Answers cut off when SIGTERM's grace ran out are meant to stop: uvicorn says so once, not one
    traceback per connection."""
    return not (record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError))
