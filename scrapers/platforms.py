"""The platforms association sites run on, recognised from what a page shows, and the feed each offers.

Most chapters and chambers publish through a platform, and most platforms
serve something better than their HTML: a feed or the page's own data. Each
row of `PLATFORMS` says how a page shows the platform (generator meta, script
and asset hosts, link and embed patterns), what eventscout reads from it, and
where that is documented. `recognise` names the platforms a page shows and the
feed URLs the page itself points to (an embed's calendar ID, the events page
the platform serves as JSON or RSS); `probe` and `format: auto` fetch those
before guessing from the HTML. Pure: a `Page` in, URLs out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import SplitResult, parse_qs, quote, urlencode, urljoin, urlsplit, urlunsplit

from eventscout.scrapers.page import NO_PAGE_LINKS, Page

__all__ = ["Markers", "Platform", "Recognised", "PLATFORMS", "answer_site", "event_page", "recognise"]

#: per-event feeds one listing may send us to
MAX_EVENT_FEEDS = 10


@dataclass(frozen=True)
class Platform:
    """One platform: how a page shows it, what eventscout reads from it, and where that is documented."""

    name: str
    supplies: str
    documented: str
    #: what only this platform's pages carry
    markers: Markers
    #: the feed URLs a page of this platform points to, best first
    feeds: Callable[[Page], list[str]] = field(default=lambda page: [])
    #: where the platform serves an event's own page, from its slug ("/event-details/{slug}")
    event_path: str | None = None
    #: the site an answer of this platform's API links relative to, and how such an answer shows
    #: it (a saved answer names no site of its own)
    answer_site: str | None = None
    answer_markers: Markers | None = None


@dataclass(frozen=True)
class Recognised:
    platform: Platform
    feeds: list[str]


def _with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = parse_qs(parts.query, keep_blank_values=True)
    query.update({k: [v] for k, v in params.items()})
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, doseq=True, safe="-"), ""))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _hrefs(page: Page) -> list[str]:
    """Every link and embed address on the page, absolute, in page order (worked out once per page)."""
    if not page.looks_like_html:
        return []
    memo = vars(page).get("_platform_hrefs")
    if memo is not None:
        return memo
    found: list[str] = []
    for node in page.tree.css("a[href], iframe[src], link[href]"):
        href = (node.attributes.get("href") or node.attributes.get("src") or "").strip()
        if not href or href.startswith(NO_PAGE_LINKS):
            continue
        try:
            url = urljoin(page.url, href.replace("webcal://", "https://", 1))
        except ValueError:
            continue
        if url.startswith(("http://", "https://")):
            found.append(url)
    found = list(dict.fromkeys(found))
    vars(page)["_platform_hrefs"] = found
    return found


def _events_path(url: str) -> bool:
    return bool(re.search(r"event|calendar|meeting|program", urlsplit(url).path, re.I))


# --- site builders and association-management systems --------------------------------

def _squarespace(page: Page) -> list[str]:
    """An events collection page serves its items as JSON at ``?format=json``."""
    if b"eventlist" in page.body or b'"typeName":"events"' in page.body or _events_path(page.url):
        return [_with_query(page.url, format="json")]
    return []


def _wild_apricot(page: Page) -> list[str]:
    """The events list page's RSS: ``<events page>/RSS``."""
    if not _events_path(page.url):
        return []
    parts = urlsplit(page.url)
    return [urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + "/RSS", "", ""))]


_GZ_DETAIL = re.compile(r"/events/details/[^/?#]*\d[^/?#]*$", re.I)


def _growthzone(page: Page) -> list[str]:
    """Each event detail page of the list serves its iCalendar at ``?format=ICal``."""
    links = [link for link in _hrefs(page) if _GZ_DETAIL.search(urlsplit(link).path)
             and _origin(link) == _origin(page.url)]
    return [_with_query(link, format="ICal") for link in links[:MAX_EVENT_FEEDS]]


def _jevents(page: Page) -> list[str]:
    """JEvents' iCalendar export: the page's own export link (it carries the site's key), else the
    export of every category and year."""
    own = [link for link in _hrefs(page) if "icals.export" in link]
    return own[:1] or [f"{_origin(page.url)}/index.php?option=com_jevents&task=icals.export&format=ical"
                       "&catids=0&years=0"]


def _advertised_rss(page: Page) -> list[str]:
    """The RSS the event list advertises (``<link rel=alternate type=application/rss+xml>``, RSS links)."""
    if not page.looks_like_html:
        return []
    found = []
    for node in page.tree.css('link[rel~="alternate"][type*="rss"], a[href*="rss" i]'):
        href = (node.attributes.get("href") or "").strip()
        if href:
            try:
                found.append(urljoin(page.url, href))
            except ValueError:
                continue
    return [url for url in dict.fromkeys(found) if url.startswith(("http://", "https://"))][:2]


def _events_manager(page: Page) -> list[str]:
    """Events Manager serves every event as iCalendar at ``/events.ics`` (older versions: ``/?em_ical=1``)."""
    return [f"{_origin(page.url)}/events.ics", f"{_origin(page.url)}/?em_ical=1"]


def _modern_events_calendar(page: Page) -> list[str]:
    """Modern Events Calendar's site-wide iCalendar feed: ``/?mec-ical-feed=1``."""
    return [f"{_origin(page.url)}/?mec-ical-feed=1"]


def _events_calendar(page: Page) -> list[str]:
    """The Events Calendar's list page serves its events as iCalendar at ``?ical=1``."""
    return [_with_query(page.url, ical="1")] if _events_path(page.url) else []


# --- hosted calendars, embedded or linked -------------------------------------------------

def _from_links(page: Page, derive: Callable[[SplitResult], list[str]]) -> list[str]:
    """The feeds `derive` makes of the page's own address and each address it links or embeds."""
    feeds = [feed for link in [page.url, *_hrefs(page)] for feed in derive(urlsplit(link))]
    return list(dict.fromkeys(feeds))


_GOOGLE_EMBED = re.compile(r"/calendar(?:/u/\d+)?/embed$")


def _google_calendar(page: Page) -> list[str]:
    """Each calendar an embed shows (``calendar/embed?src=ID``) has a public iCal address,
    ``calendar/ical/ID/public/basic.ics``, on the same host."""
    def derive(parts: SplitResult) -> list[str]:
        if not _GOOGLE_EMBED.search(parts.path):
            return []
        return [f"{parts.scheme}://{parts.netloc}/calendar/ical/{quote(calendar, safe='')}/public/basic.ics"
                for calendar in parse_qs(parts.query).get("src", [])]

    return _from_links(page, derive)


_OUTLOOK_HTML = re.compile(r"/owa/calendar/.+/(?:reach)?calendar\.html$", re.I)


def _outlook(page: Page) -> list[str]:
    """A published Outlook calendar's ``.../calendar.html`` has its iCalendar beside it, ``calendar.ics``."""
    def derive(parts: SplitResult) -> list[str]:
        if not _OUTLOOK_HTML.search(parts.path):
            return []
        path = re.sub(r"(?:reach)?calendar\.html$", "calendar.ics", parts.path, flags=re.I)
        return [urlunsplit((parts.scheme, parts.netloc, path, "", ""))]

    return _from_links(page, derive)


_TEAMUP_KEY = re.compile(r"^/(ks[a-z0-9]{8,})(?:/|$)", re.I)


def _teamup(page: Page) -> list[str]:
    """A Teamup calendar (``teamup.com/<key>``) publishes iCalendar at ``ics.teamup.com/feed/<key>/0.ics``."""
    def derive(parts: SplitResult) -> list[str]:
        m = _TEAMUP_KEY.match(parts.path) if (parts.hostname or "").endswith("teamup.com") else None
        return [f"https://ics.teamup.com/feed/{m.group(1)}/0.ics"] if m else []

    return _from_links(page, derive)


_LUMA_CALENDAR = re.compile(rb"\b(cal-[A-Za-z0-9]{10,20})\b")


def _luma(page: Page) -> list[str]:
    """A Luma calendar (its ``cal-...`` id, in the page or an embed) has an ICS subscription at
    ``api.lu.ma/ics/get?entity=calendar&id=<id>``."""
    ids = dict.fromkeys(m.group(1).decode() for m in _LUMA_CALENDAR.finditer(page.body[:2_000_000]))
    return [f"https://api.lu.ma/ics/get?entity=calendar&id={calendar}" for calendar in list(ids)[:2]]


_MEETUP_GROUP = re.compile(r"^/([A-Za-z0-9][\w-]{2,})(?:/(?:events/?)?)?$")
_MEETUP_NOT_GROUP = {"find", "topics", "cities", "apps", "help", "login", "register", "pro", "lp", "blog",
                     "about", "meetup-pro", "start", "home", "members"}


def _meetup(page: Page) -> list[str]:
    """A Meetup group (``meetup.com/<group>``) publishes its events as iCalendar at ``/<group>/events/ical/``."""
    def derive(parts: SplitResult) -> list[str]:
        m = _MEETUP_GROUP.match(parts.path) if (parts.hostname or "").endswith("meetup.com") else None
        if m is None or m.group(1).casefold() in _MEETUP_NOT_GROUP:
            return []
        return [f"https://www.meetup.com/{m.group(1)}/events/ical/"]

    return _from_links(page, derive)[:2]


def _calendar_names(page: Page, embedded: re.Pattern[bytes], host: str, path: re.Pattern[str],
                    not_names: tuple[str, ...] = ()) -> list[str]:
    """The names of the hosted calendars a page embeds (`embedded`'s group in its bytes) or links to
    (`path`'s group in a link to `host` or its subdomains), in page order, at most two."""
    names = [m.group(1).decode() for m in embedded.finditer(page.body[:2_000_000])]
    for link in _hrefs(page):
        parts = urlsplit(link)
        hostname = parts.hostname or ""
        if (hostname == host or hostname.endswith("." + host)) and (m := path.match(parts.path)) \
                and m.group(1) not in not_names:
            names.append(m.group(1))
    return list(dict.fromkeys(names))[:2]


_TOCKIFY_EMBED = re.compile(rb"""data-tockify-calendar\s*=\s*["']([\w.-]{2,64})["']""")
_TOCKIFY_PATH = re.compile(r"^/([\w.-]{2,64})/?$")


def _tockify(page: Page) -> list[str]:
    """A Tockify calendar (an embed's ``data-tockify-calendar`` name, or a link to ``tockify.com/<name>``)
    publishes iCalendar at ``tockify.com/api/feeds/ics/<name>``."""
    names = _calendar_names(page, _TOCKIFY_EMBED, "tockify.com", _TOCKIFY_PATH,
                            ("api", "pricing", "help", "login", "signup", "features", "blog"))
    return [f"https://tockify.com/api/feeds/ics/{name}" for name in names]


_TRUMBA_SPUD = re.compile(rb"""webName\s*:\s*["']([\w.-]{2,64})["']""")
_TRUMBA_PATH = re.compile(r"^/calendars/([\w.-]{2,64}?)(?:\.(?:ics|rss|json))?/?$")


def _trumba(page: Page) -> list[str]:
    """A Trumba calendar (a spud's ``webName``, or a link to ``trumba.com/calendars/<name>``) publishes
    iCalendar at ``www.trumba.com/calendars/<name>.ics``."""
    return [f"https://www.trumba.com/calendars/{name}.ics"
            for name in _calendar_names(page, _TRUMBA_SPUD, "trumba.com", _TRUMBA_PATH)]


def _civicplus(page: Page) -> list[str]:
    """A CivicPlus (CivicEngage) site's calendar module serves all its calendars as RSS at
    ``/RSSFeed.aspx?ModID=58&CID=All-calendar.xml``, with each event's dates, times and place.

    Offered for the calendar page showing every calendar, or the home page that links to it; not
    for one calendar (``?CID=24``) or another module's page (AgendaCenter), whose source would
    take in the whole site's calendar."""
    parts = urlsplit(page.url)
    path = parts.path.lower()
    if path.endswith("/calendar.aspx"):
        chosen = [c.casefold() for c in parse_qs(parts.query).get("CID", [])]
        if chosen and not all(c.startswith("all") for c in chosen):
            return []
    elif path.rstrip("/") not in ("", "/default.aspx", "/home", "/index.aspx") or not any(
            urlsplit(link).path.lower().endswith("/calendar.aspx") for link in _hrefs(page)):
        return []
    return [f"{_origin(page.url)}/RSSFeed.aspx?ModID=58&CID=All-calendar.xml"]


@dataclass(frozen=True)
class Markers:
    """Strings only one platform's pages carry, matched case-insensitively.

    Plain substrings, plus patterns each tried only where its literal part
    occurs: a page costs one lowering and a few `in` scans per platform,
    where case-insensitive regular expressions cost milliseconds a page.
    """

    literals: tuple[bytes, ...]
    patterns: tuple[tuple[bytes, re.Pattern[bytes]], ...] = ()

    def found_in(self, lowered: bytes) -> bool:
        """Whether `lowered` (bytes already lower-cased) carries one of the markers."""
        return (any(literal in lowered for literal in self.literals)
                or any(literal in lowered and pattern.search(lowered) for literal, pattern in self.patterns))


def _markers(*literals: str, patterns: dict[str, str] | None = None) -> Markers:
    """Markers from `literals` and `patterns` ({literal part: regular expression})."""
    return Markers(tuple(m.lower().encode() for m in literals),
                   tuple((part.lower().encode(), re.compile(regex.lower().encode()))
                         for part, regex in (patterns or {}).items()))


PLATFORMS: tuple[Platform, ...] = (
    Platform("Squarespace", "the events collection as JSON (?format=json): titles, epoch-ms start/end, "
             "address, the site's zone",
             "Squarespace developers: \"JSON data\" (any collection URL with ?format=json)",
             _markers("<!-- This is Squarespace. -->", "static1.squarespace.com", "SQUARESPACE_CONTEXT",
                      'name="generator" content="Squarespace'), _squarespace),
    Platform("Wix", "the events data the page embeds (warm-up JSON): title, scheduling start/end, "
             "timeZoneId, location, status; each event's page at /event-details/<slug>",
             "Wix Events API: the Event object (dev.wix.com, Events v1: slug, eventPageUrl)",
             _markers("static.wixstatic.com", "static.parastorage.com", "wix-warmup-data",
                      'content="Wix.com Website Builder'), event_path="/event-details/{slug}"),
    Platform("Wild Apricot", "the events list's RSS (<events page>/RSS), then event detail pages",
             "Wild Apricot help: \"RSS feeds\" for event lists",
             _markers("wildapricot.org", "wildapricot.com", "Wild Apricot"), _wild_apricot),
    Platform("GrowthZone / ChamberMaster", "the event list, then each event's iCalendar (?format=ICal)",
             "GrowthZone support: \"Events: add to calendar (iCal)\"",
             _markers("growthzone", "chambermaster", "micronetonline", "gz-event"), _growthzone),
    Platform("MemberClicks (JEvents)", "the JEvents iCalendar export (task=icals.export&format=ical)",
             "JEvents documentation: \"iCal export\" (com_jevents)",
             _markers("memberclicks", "com_jevents"), _jevents),
    Platform("YourMembership", "the event list's RSS, as the page advertises it",
             "YourMembership help: \"Event calendar RSS\"", _markers("yourmembership", "ymcdn.com"),
             _advertised_rss),
    Platform("Luma", "the calendar's ICS subscription (api.lu.ma/ics/get?entity=calendar&id=cal-...)",
             "Luma help: \"Add iCal subscription\"", _markers("lu.ma/", "luma.com/", "api.lu.ma"), _luma),
    Platform("Meetup", "the group's iCalendar (meetup.com/<group>/events/ical/); a group's "
             "__NEXT_DATA__ and GraphQL answers through the meetup reader",
             "Meetup help: \"Exporting events to your calendar\" (the group's iCal link)",
             _markers("meetup.com/"), _meetup),
    Platform("Eventbrite", "an organiser page's embedded server data (window.__SERVER_DATA__): events "
             "with start.local, start.timezone, venue", "Eventbrite API v3: the Event object",
             _markers("__SERVER_DATA__", "evbuc.com", patterns={"eventbrite.": r"eventbrite\.[a-z.]+/o/"})),
    Platform("Resident Advisor", "a promoter's or club's events from RA's GraphQL API: title, startTime, "
             "endTime, venue address; each event's page is its contentUrl on ra.co",
             "RA's GraphQL (ra.co/graphql), as PlaceCal's importer queries it",
             _markers(patterns={"ra.co/": r"//(?:www\.)?ra\.co/(?:events|clubs|promoters)/\d"}),
             answer_site="https://ra.co/",
             answer_markers=_markers(patterns={'"contenturl"': r'"contenturl"\s*:\s*"/events/\d'})),
    Platform("Google Calendar", "the public iCal address of each embedded calendar "
             "(calendar/ical/<ID>/public/basic.ics)",
             "Google Calendar help: \"Get your calendar's public address in iCal format\"",
             _markers(patterns={"/embed?": r"/calendar(?:/u/\d+)?/embed\?"}), _google_calendar),
    Platform("Outlook published calendar", "the .ics published beside the calendar.html",
             "Microsoft support: \"Publish your calendar\" (HTML and ICS links)",
             _markers("/owa/calendar/"), _outlook),
    Platform("Teamup", "the calendar's iCalendar feed (ics.teamup.com/feed/<key>/0.ics)",
             "Teamup support: \"iCalendar feeds\"", _markers("teamup.com/ks"), _teamup),
    Platform("Tockify", "the calendar's iCalendar feed (tockify.com/api/feeds/ics/<name>)",
             "no Tockify page checked: the feed address public integrations fetch",
             _markers("tockify.com", "data-tockify-"), _tockify),
    Platform("Trumba", "the calendar's iCalendar feed (www.trumba.com/calendars/<webName>.ics); its RSS "
             "(xCal dtstart/dtend) through the RSS reader",
             "no Trumba page checked: its spud embed ($Trumba.addSpud({webName})) and feed addresses "
             "as public code uses them",
             _markers("trumba.com/", "$Trumba"), _trumba),
    Platform("CivicPlus (CivicEngage)", "the calendar module's RSS (/RSSFeed.aspx?ModID=58&CID=All-calendar.xml): "
             "calendarEvent:EventDates, EventTimes and Location",
             "no CivicPlus page checked: the feed address as public code fetches it; the element names "
             "written from what the feed is known to carry",
             _markers("civicplus.com", "CivicEngage", "/common/modules/iCalendar/"), _civicplus),
    Platform("WordPress Events Manager", "the plugin's iCalendar feed (/events.ics)",
             "Events Manager documentation: \"iCal feeds\"",
             _markers("/wp-content/plugins/events-manager/", 'class="em-event-', 'class="em-events-'), _events_manager),
    Platform("WordPress Modern Events Calendar", "the plugin's iCalendar feed (/?mec-ical-feed=1)",
             "Modern Events Calendar settings: \"iCal feed\" (its ICS URL)",
             _markers("/wp-content/plugins/modern-events-calendar", 'class="mec-wrap'), _modern_events_calendar),
    Platform("WordPress The Events Calendar", "the REST listing (/wp-json/tribe/events/v1/events) and ?ical=1",
             "The Events Calendar developer docs: REST API; iCal export",
             _markers("/wp-content/plugins/the-events-calendar/", "tribe-events-calendar"), _events_calendar),
)


def event_page(page: Page, slug: str) -> str | None:
    """The address of an event's own page on the platform the page shows, from the event's slug
    (a Wix event at /event-details/<slug>), or None where no platform says."""
    if not page.looks_like_html or not slug.strip() or "/" in slug.strip("/"):
        return None
    paths = vars(page).get("_platform_event_paths")
    if paths is None:
        body = page.body[:3_000_000].lower()
        paths = vars(page)["_platform_event_paths"] = [
            p.event_path for p in PLATFORMS if p.event_path and p.markers.found_in(body)]
    if not paths or not page.url.startswith(("http://", "https://")):
        return None
    return _origin(page.url) + paths[0].format(slug=quote(slug.strip("/")))


def answer_site(page: Page) -> str | None:
    """The site a platform's API answer (not a page) links relative to, when the answer shows
    which platform it is from (Resident Advisor's contentUrl "/events/1900001" is on ra.co)."""
    if page.looks_like_html:
        return None
    body = page.body[:3_000_000].lower()
    return next((p.answer_site for p in PLATFORMS if p.answer_markers and p.answer_markers.found_in(body)), None)


def recognise(page: Page) -> list[Recognised]:
    """The platforms this page shows, each with the feeds the page points to (best first)."""
    if not page.looks_like_html:
        return []
    body, url = page.body[:3_000_000].lower(), page.url.lower().encode("utf-8", "ignore")
    found = []
    for platform in PLATFORMS:
        if platform.markers.found_in(body) or platform.markers.found_in(url):
            feeds = [url for url in platform.feeds(page) if url != page.url]
            found.append(Recognised(platform, feeds))
    return found
