"""`/events`: every upcoming event, searched and filtered with the custom feeds' own vocabulary.

A search is a custom feed (eventscout.flows.web.feed_query): the page lists what
`/feeds/custom.ics` with the same query holds, so "Subscribe to this search"
gives exactly the events shown. Each event can be added on its own, as
`/events/<id>.ics` (under the UID the feeds use) or to Google Calendar.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from jinja2 import Environment

from eventscout.flows.config import Config, Source
from eventscout.flows.knowledge.event_types import EVENT_TYPES
from eventscout.flows.knowledge.industries import VOCABULARY
from eventscout.flows.publishing.feeds import feed_end, render_calendar
from eventscout.flows.publishing.filters import source_ids
from eventscout.flows.store import SourceHealth, Store, StoredEvent
from eventscout.flows.web.feed_query import QueryError, feed_from_query, query_string
from eventscout.flows.web.server import CALENDAR, Body, Publication, entity, links, problem
from eventscout.scrapers.text import plain

PAGE_SIZE = 20
EXCERPT = 220
#: form fields the page turns into the feed vocabulary (radius_km or radius_mi) before searching
FORM_ONLY = ("radius", "unit", "page")


@dataclass(frozen=True)
class Count:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Association:
    """A source as the page names it: who, where, what, when last read and how it is doing."""

    source: Source
    last_read: str | None
    health: str
    upcoming: int


def is_loopback(base: str) -> bool:
    """Whether the page is answered on an address only this machine reaches."""
    host = urlsplit(base).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def associations(config: Config, store: Store) -> dict[str, Association]:
    """Each configured source with its health from the store."""
    health: dict[str, SourceHealth] = {h.id: h for h in store.all_health()}
    out = {}
    for source in config.sources:
        h = health.get(source.id)
        if h is None or not h.last_run:
            state = "not read yet"
        elif h.flagged:
            state = f"needs a look: {h.flagged}"
        elif h.consecutive_failures:
            state = f"failing ({h.consecutive_failures} run{'s' if h.consecutive_failures > 1 else ''})"
        else:
            state = "ok"
        out[source.id] = Association(source, h.last_success if h else None, state,
                                     store.upcoming_count(source.id) if h else 0)
    return out


def industry_counts(events: list[StoredEvent]) -> list[Count]:
    """The industries upcoming events have, with how many each, most first."""
    counts = Counter(i for s in events for i in set(s.event.industries))
    return sorted((Count(i, VOCABULARY.labels.get(i, i), n) for i, n in counts.items()),
                  key=lambda c: (-c.count, c.label))


def type_counts(events: list[StoredEvent]) -> list[Count]:
    counts = Counter(t for s in events for t in set(s.event.event_types))
    return sorted((Count(t, EVENT_TYPES.types[t].label if t in EVENT_TYPES.types else t, n)
                   for t, n in counts.items()), key=lambda c: (-c.count, c.label))


def google_link(stored: StoredEvent, association: str | None) -> str:
    """Google Calendar's "add this event" template, filled with the event."""
    event = stored.event
    end = feed_end(event)
    if isinstance(event.start, datetime):
        dates = f"{_utc(event.start)}/{_utc(end)}"
    else:
        dates = f"{event.start:%Y%m%d}/{end:%Y%m%d}"
    details = " ".join(plain(event.description or "").split())[:900]
    if event.url:
        details = f"{details}\n\n{event.url}".strip()
    if association:
        details += f"\n\nFrom {association} (via eventscout)"
    query = {"action": "TEMPLATE", "text": event.title, "dates": dates, "details": details,
             "location": event.place_line()}
    if event.timezone:
        query["ctz"] = event.timezone
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def _utc(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def excerpt(text: str | None) -> str:
    words = " ".join(plain(text or "").split())
    return words if len(words) <= EXCERPT else words[:EXCERPT].rsplit(" ", 1)[0] + "…"


def form_query(items: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """The page form's radius and unit as the feed vocabulary's radius_km or radius_mi; None when the
    query holds neither (nothing to turn)."""
    if not any(key in ("radius", "unit") for key, _ in items):
        return None
    given = dict(items)
    unit = "mi" if given.get("unit") == "mi" else "km"
    out = [(k, v) for k, v in items if k not in FORM_ONLY and v.strip()]
    if given.get("radius", "").strip():
        out.append((f"radius_{unit}", given["radius"].strip()))
    return out


def routes(publication: Publication, templates: Environment) -> list[Route]:
    """The page's routes, for `build_app`, rendered with its templates."""

    def listing(request: Request) -> Response:
        items = request.query_params.multi_items()
        turned = form_query(items)
        if turned is not None:  # a submitted form: to the canonical address, the one to share
            try:
                feed = feed_from_query(turned, [s.id for s in publication.config().sources])
            except QueryError:
                return RedirectResponse(f"/events?{urlencode(turned)}", status_code=303)
            return RedirectResponse(f"/events?{query_string(feed)}".rstrip("?"), status_code=303)
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            page = 1
        version = publication.version(datetime.now(timezone.utc))
        base = publication.link_base(request)  # never the Host header: the page is cached for everyone

        error, feed = None, None
        try:
            feed = feed_from_query([(k, v) for k, v in items if k != "page"],
                                   [s.id for s in publication.config().sources])
        except QueryError as exc:
            error = str(exc)

        def render() -> Body:
            config = publication.config()
            upcoming = publication.chosen(feed_from_query([]), version)
            chosen = [] if feed is None else sorted(publication.chosen(feed, version),
                                                    key=lambda s: s.event.start_utc())
            with Store(publication.db) as store:
                ever_read = any(a.last_read for a in associations(config, store).values())
            pages = max(1, -(-len(chosen) // PAGE_SIZE))
            shown_page = min(page, pages)
            query = query_string(feed) if feed is not None else ""
            names = {s.id: s.name for s in config.sources}
            shown = [{"stored": s, "associations": [names.get(i, i) for i in source_ids(s)],
                      "ics": f"/events/{s.event.id}.ics",
                      "google": google_link(s, names.get(s.event.source_id or "")),
                      "excerpt": excerpt(s.event.description)}
                     for s in chosen[(shown_page - 1) * PAGE_SIZE: shown_page * PAGE_SIZE]]
            html = templates.get_template("events.html").render(
                base=base, loopback=is_loopback(base), feed=feed, error=error, events=shown, total=len(chosen),
                page=shown_page, pages=pages, page_link=lambda n: "/events?" + urlencode(
                    [*[(k, v) for k, v in items if k != "page"], ("page", str(n))]),
                subscribe=links(base, f"/feeds/custom.ics?{query}".rstrip("?")),
                custom_path=f"/feeds/custom.ics?{query}".rstrip("?"),
                json_path=f"/events.json?{query}".rstrip("?"), ever_read=ever_read, upcoming=len(upcoming),
                form=form_values(request), industries=industry_counts(upcoming), types=type_counts(upcoming),
                cities=publication.cities(), zones={s.id: s.timezone for s in config.sources})
            return Body.of(html.encode("utf-8"))

        body = publication.answers.get(("events", version, base, tuple(items)), render)
        return entity(request, body, "text/html; charset=utf-8", kind="page", status=400 if error else 200)

    def one_event(request: Request) -> Response:
        wanted = request.path_params["event_id"]
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,100}", wanted):
            return problem("no such event; /events lists them", 404)
        version = publication.version(datetime.now(timezone.utc))
        events = publication.events(version.events)
        found = next((s for s in events if s.event.id == wanted or any(d.id == wanted for d in s.duplicates)),
                     None)
        if found is None:
            return problem("no such upcoming event; it may be over or withdrawn (see /events)", 404)
        sources = publication.config().sources
        data = render_calendar(found.event.title, None, [found], {s.id: s.name for s in sources},
                               {s.id: s.url for s in sources})
        response = entity(request, data, CALENDAR, kind="feed", last_modified=version.finished)
        response.headers["Content-Disposition"] = f'attachment; filename="{found.event.id}.ics"'
        return response

    return [Route("/events", listing, methods=["GET"]),
            Route("/events/{event_id}.ics", one_event, methods=["GET"])]


def form_values(request: Request) -> dict:
    """What the form shows: the search as asked, in the units asked."""
    params = request.query_params
    unit = "mi" if params.get("radius_mi") else "km"
    return {"q": params.get("q", ""), "industries": params.getlist("industry") or params.getlist("industries"),
            "city": params.get("city", ""), "radius": params.get(f"radius_{unit}", ""), "unit": unit,
            "online": params.get("online", "true"), "from": params.get("from", ""), "to": params.get("to", ""),
            "types": params.getlist("type") or params.getlist("event_type") or params.getlist("event_types")}

