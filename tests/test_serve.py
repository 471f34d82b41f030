"""`eventscout serve` over a real socket: feeds with validators and gzip, custom feeds, the page.

One real run against the demo association sites (flows/demo.py) fills the
store and writes the feeds; one server answers every test. An event with
hostile text sits in the store too, filed under an industry no configured
feed takes, so only custom feeds show it.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import icalendar
import pytest

from eventscout.flows.config import load_config
from eventscout.flows.onboarding.demo import DemoSites
from eventscout.flows.store import Store
from eventscout.scrapers.event import Event, Location
from tests.ical_readers import read_agreed
from tests.serving import Published, eventscout, request, running_server, shared_home

pytestmark = pytest.mark.slow

HOSTILE_TITLE = '<script>alert("x")</script> Law & <b>Order</b> mixer'
ATLANTA_TECH = "industry=technology&city=Atlanta%2C+GA&radius_km=40&online=false"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Published:
    root = tmp_path_factory.mktemp("serve")
    home = shared_home(tmp_path_factory)
    with DemoSites() as sites:
        sources = sites.write_sources(root / "sources.yaml")
        result = eventscout("run", "--sources", str(sources), "--output", str(root / "out"),
                            "--db", str(root / "store.db"), home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=4)
    hostile = Event(HOSTILE_TITLE, start, key="hostile-1", url="javascript:alert(1)",
                    description="</textarea><img src=x onerror=alert(1)>",
                    location=Location(name="<img src=x onerror=alert(2)>", city="Paris", country="FR",
                                      lat=48.8566, lon=2.3522),
                    industries=["legal"])
    with Store(root / "store.db") as store:
        run = store.start_run()
        store.save_source_events("hostile", [hostile])
        store.finish_run(run, {})
    (root / "out" / "notes.txt").write_text("not a feed")
    os.symlink(root / "sources.yaml", root / "out" / "leak.ics")
    return Published(root, sources, root / "out", root / "store.db")


@pytest.fixture(scope="module")
def server(published, tmp_path_factory):
    with running_server("--sources", str(published.sources), "--output", str(published.output),
                        "--db", str(published.db), home=shared_home(tmp_path_factory)) as base:
        yield base


def uids(data: bytes) -> set[str]:
    return {str(e["UID"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def summaries(data: bytes) -> set[str]:
    return {str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


# -- configured feeds ---------------------------------------------------------------------


def test_a_feed_is_served_as_written_with_its_validators(server, published):
    reply = request(server, "/feeds/atlanta-tech.ics")
    assert reply.status == 200
    assert reply.headers["content-type"] == "text/calendar; charset=utf-8"
    assert reply.body == (published.output / "atlanta-tech.ics").read_bytes()
    assert reply.headers["etag"].startswith('"') and reply.headers["last-modified"].endswith("GMT")
    assert summaries(reply.body) == {"TAG Cybersecurity Summit", "CANCELLED: Tech Talent Mixer"}


def test_conditional_requests_get_304_without_a_body(server):
    first = request(server, "/feeds/atlanta-all.ics")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    for headers in ({"If-None-Match": etag}, {"If-None-Match": f"W/{etag}"}, {"If-None-Match": f'"x", {etag}'},
                    {"If-None-Match": "*"}, {"If-Modified-Since": modified}):
        reply = request(server, "/feeds/atlanta-all.ics", headers)
        assert reply.status == 304, headers
        assert reply.body == b"" and reply.headers["etag"] == etag
    earlier = format_datetime(datetime(2001, 1, 1, tzinfo=timezone.utc), usegmt=True)
    for headers in ({"If-None-Match": '"something-else"'}, {"If-Modified-Since": earlier},
                    {"If-Modified-Since": "not a date"},
                    {"If-None-Match": '"something-else"', "If-Modified-Since": modified}):
        reply = request(server, "/feeds/atlanta-all.ics", headers)
        assert reply.status == 200 and reply.body == first.body, headers


def test_gzip_when_asked_with_its_own_etag(server):
    plain = request(server, "/feeds/atlanta-all.ics")
    packed = request(server, "/feeds/atlanta-all.ics", {"Accept-Encoding": "br, gzip;q=0.8"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip" and packed.headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(packed.body) == plain.body and len(packed.body) < len(plain.body)
    assert packed.headers["etag"] != plain.headers["etag"], "each representation has its own tag"
    again = request(server, "/feeds/atlanta-all.ics",
                    {"Accept-Encoding": "gzip", "If-None-Match": packed.headers["etag"]})
    assert again.status == 304
    refused = request(server, "/feeds/atlanta-all.ics", {"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers and refused.body == plain.body


def test_head_has_the_headers_and_no_body_and_only_get_and_head_are_allowed(server):
    get = request(server, "/feeds/hr-everywhere.ics")
    head = request(server, "/feeds/hr-everywhere.ics", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-length"] == str(len(get.body))
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        for path in ("/", "/feeds/hr-everywhere.ics", "/feeds/custom.ics", "/events.json"):
            reply = request(server, path, {"Content-Length": "0"}, method=method)
            assert reply.status == 405, (method, path)


@pytest.mark.parametrize("path", [
    "/feeds/../sources.yaml", "/feeds/..%2Fsources.yaml", "/feeds/..%2F..%2F..%2Fetc%2Fpasswd.ics",
    "/feeds/%2e%2e%2fstore.db.ics", "/feeds/..%5Csources.yaml.ics", "/../../../../etc/passwd",
    "/feeds/atlanta-all.ics/../../sources.yaml", "/feeds/%00.ics", "/feeds/.ics", "/feeds/..ics",
    "/feeds/notes.txt", "/feeds/leak.ics", "//etc/passwd", "/style.css/../sources.yaml",
    "/feeds/ATLANTA-ALL.ics", "/feeds/%2fetc%2fpasswd.ics", "/sources.yaml", "/store.db",
])
def test_nothing_outside_the_feeds_can_be_read(server, path):
    reply = request(server, path)
    assert reply.status in (400, 404), path
    assert b"sources:" not in reply.body and b"root:" not in reply.body and b"SQLite" not in reply.body


# -- custom feeds and JSON -------------------------------------------------------------------


def test_a_custom_feed_uses_the_same_filters_as_a_configured_one(server, tmp_path):
    configured = request(server, "/feeds/atlanta-tech.ics").body
    custom = request(server, f"/feeds/custom.ics?{ATLANTA_TECH}")
    assert custom.status == 200 and custom.headers["content-type"] == "text/calendar; charset=utf-8"
    assert uids(custom.body) == uids(configured)
    synonym = request(server, "/feeds/custom.ics?industry=Tech&city=Atlanta,%20GA&online=no")
    assert uids(synonym.body) == uids(configured), "industry synonyms and city spellings are read alike"
    path = tmp_path / "custom.ics"
    path.write_bytes(custom.body)
    assert {e["summary"] for e in read_agreed(path)} == {"TAG Cybersecurity Summit", "CANCELLED: Tech Talent Mixer"}
    calendar = icalendar.Calendar.from_ical(custom.body)
    assert str(calendar["X-WR-CALNAME"]) == "Technology events within 40 km of Atlanta, GA"
    assert request(server, f"/feeds/custom.ics?{ATLANTA_TECH}",
                   {"If-None-Match": custom.headers["etag"]}).status == 304


def test_a_custom_feed_without_a_city_takes_events_from_everywhere(server, tmp_path):
    hr = request(server, "/feeds/custom.ics?industry=human-resources").body
    assert uids(hr) == uids(request(server, "/feeds/hr-everywhere.ics").body)
    legal = tmp_path / "legal.ics"
    legal.write_bytes(request(server, "/feeds/custom.ics?industry=legal").body)
    (hostile,) = read_agreed(legal)
    assert hostile["summary"] == HOSTILE_TITLE and hostile["status"] == "CONFIRMED"


def test_every_served_feed_reads_the_same_in_three_parsers(server, published, tmp_path):
    feeds = [p for p in sorted(published.output.glob("*.ics")) if not p.is_symlink()]
    assert len(feeds) == len(load_config(published.sources).feeds)
    for feed in feeds:
        served = tmp_path / feed.name
        served.write_bytes(request(server, f"/feeds/{feed.name}").body)
        assert read_agreed(served), feed.name


@pytest.mark.parametrize(("query", "reason"), [
    ("radius_km=abc", "radius_km: Input should be a valid number"),
    ("radius_km=-5", "radius_km: Input should be greater than 0"),
    ("city=Nowhereville%20Zzyzx", "city: cannot place 'Nowhereville Zzyzx'"),
    ("industry=basketweaving", "industry: unknown industry 'basketweaving'; did you mean"),
    ("online=maybe", "online: Input should be a valid boolean"),
    ("colour=red", "unknown parameter 'colour'; use cities, city, days_ahead,"),
    ("source=nosuch", "source: unknown source 'nosuch'; did you mean"),
    ("city=Atlanta&city=Boston", "city: given more than once"),
    ("city=" + "x" * 300, "longer than 200 characters"),
])
def test_a_bad_parameter_is_a_400_that_says_why(server, query, reason):
    for path in ("/feeds/custom.ics", "/events.json"):
        reply = request(server, f"{path}?{query}")
        assert reply.status == 400, (path, query)
        assert reason in reply.text(), reply.text()


def test_events_json_lists_the_same_events_for_other_tools(server):
    reply = request(server, f"/events.json?{ATLANTA_TECH}")
    assert reply.status == 200 and reply.headers["content-type"] == "application/json"
    data = json.loads(reply.body)
    assert data["count"] == 2 and data["feed"]["query"] == "city=Atlanta%2C+GA&industry=technology&online=false"
    assert {e["uid"] for e in data["events"]} == uids(request(server, "/feeds/atlanta-tech.ics").body)
    mixer = next(e for e in data["events"] if e["title"] == "Tech Talent Mixer")
    assert mixer["status"] == "cancelled" and mixer["location"]["city"] == "Atlanta"
    assert "technology" in mixer["industries"] and mixer["source"] == "tag"
    everything = json.loads(request(server, "/events.json").body)
    assert everything["count"] > data["count"]


# -- the page --------------------------------------------------------------------------------


class Links(HTMLParser):
    """Every href, every copy button's URL, and all text, as the browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.copy_urls: list[str] = []
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.append(tag)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"])
        if tag == "button" and values.get("data-url"):
            self.copy_urls.append(values["data-url"])

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_page(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def test_the_page_lists_each_feed_with_subscribe_google_and_copy_links_in_the_html(server, published):
    reply = request(server, "/")
    assert reply.status == 200 and reply.headers["content-type"] == "text/html; charset=utf-8"
    page = parse_page(reply.text())
    text = " ".join(page.text)
    for feed in load_config(published.sources).feeds:
        count = len(uids((published.output / f"{feed.id}.ics").read_bytes()))
        assert f"{count} upcoming event{'' if count == 1 else 's'}" in text, feed.id
        assert feed.title in text
        url = f"{server}/feeds/{feed.id}.ics"
        webcal = url.replace("http://", "webcal://")
        assert webcal in page.hrefs
        assert f"https://calendar.google.com/calendar/r?cid={quote(webcal, safe='')}" in page.hrefs
        assert url in page.copy_urls
    assert "TAG Cybersecurity Summit" in text and "SHRM Chicago Talent Forum" in text
    assert page.tags.count("script") == 1, "only the page's own script, loaded from /page.js"


def test_everything_from_sources_is_escaped_on_the_page(server):
    reply = request(server, "/events?industry=legal")
    assert reply.status == 200
    html = reply.text()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Law &amp; &lt;b&gt;Order&lt;/b&gt; mixer" in html
    assert "<script>alert" not in html and "<img" not in html and "<b>Order" not in html
    page = parse_page(html)
    assert HOSTILE_TITLE in " ".join(page.text)
    assert not any(h.lower().startswith("javascript:") for h in page.hrefs), "only http(s) links reach an href"
    assert reply.headers["content-security-policy"].startswith("default-src 'none'")


def test_a_bad_form_value_shows_the_reason_on_the_page(server):
    reply = request(server, "/events?industry=basketweaving&city=Atlanta%2C+GA")
    assert reply.status == 400
    assert "unknown industry &#39;basketweaving&#39;" in reply.text()
    assert 'value="Atlanta, GA"' in reply.text(), "the form keeps what was typed"


def results(html: str) -> list[tuple[str, str]]:
    """(title, .ics link) of each event listed on an /events page, in order."""
    class Results(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[list[str]] = []
            self.in_title = False

        def handle_starttag(self, tag, attrs):
            values = dict(attrs)
            if tag == "li" and "result" in (values.get("class") or "").split():
                self.found.append(["", ""])
            elif tag == "h3" and values.get("class") == "title" and self.found:
                self.in_title = True
            elif tag == "a" and "ics" in (values.get("class") or "").split():
                self.found[-1][1] = values["href"]

        def handle_endtag(self, tag):
            if tag == "h3":
                self.in_title = False

        def handle_data(self, data):
            if self.in_title and data.strip() not in ("", "Cancelled", "Postponed"):
                self.found[-1][0] += data.strip()

    parser = Results()
    parser.feed(html)
    return [(title, ics) for title, ics in parser.found]


def matching(published: Published, word: str) -> set[str]:
    """Worked out apart from the page: the upcoming stored events whose title, description, venue,
    organiser or association name has a word starting with `word`, merged as the feeds merge them."""
    from eventscout.flows.publishing.publish import feed_candidates

    names = {s.id: s.name for s in load_config(published.sources).sources}
    now = datetime.now(timezone.utc)
    with Store(published.db) as store:
        events = feed_candidates(store, now)
    found = set()
    for stored in events:
        e = stored.event
        posted = [e, *stored.duplicates]
        text = " ".join([e.title, e.description or "", e.location.one_line() if e.location else "",
                         e.organizer or "", *(names.get(p.source_id or "", "") for p in posted)]).casefold()
        if re.search(rf"(?<!\w){re.escape(word.casefold())}", text):
            found.add(e.title)
    return found


@pytest.mark.parametrize("word", ["breakfast", "Break", "Marquis", "SHRM", "HR", "webinar", "Order", "zzzunknown"])
def test_events_q_shows_exactly_the_upcoming_events_that_mention_the_word(server, published, word):
    reply = request(server, f"/events?q={quote(word)}")
    assert reply.status == 200
    listed = [title for title, _ in results(reply.text())]
    assert len(listed) == len(set(listed))
    assert set(listed) == matching(published, word)
    assert (not listed) == (word == "zzzunknown")


def test_each_listed_event_has_its_own_ics_holding_that_one_event_under_the_feeds_uid(server, published, tmp_path):
    listed = results(request(server, "/events").text())
    assert len(listed) == 13, "the demo's twelve upcoming events and the hostile one"
    feed_uids = set()
    for feed in published.output.glob("*.ics"):
        if not feed.is_symlink():
            feed_uids |= uids(feed.read_bytes())
    for title, link in listed:
        reply = request(server, link)
        assert reply.status == 200 and reply.headers["content-type"] == "text/calendar; charset=utf-8"
        assert reply.headers["content-disposition"].startswith("attachment; filename=")
        (event,) = icalendar.Calendar.from_ical(reply.body).walk("VEVENT")
        assert str(event["SUMMARY"]).removeprefix("CANCELLED: ") == title
        assert str(event["UID"]) == link.removeprefix("/events/").removesuffix(".ics") + "@eventscout"
        assert title == HOSTILE_TITLE or str(event["UID"]) in feed_uids, "the UID the feeds use"
        path = tmp_path / "one.ics"
        path.write_bytes(reply.body)
        assert len(read_agreed(path)) == 1
    assert request(server, "/events/nosuchevent.ics").status == 404
    assert request(server, "/events/..%2Fsources.ics").status == 404


def test_the_form_turns_radius_and_unit_into_the_feed_vocabulary_and_the_search_into_its_feed(server):
    reply = request(server, "/events?q=&industry=technology&city=Atlanta%2C+GA&radius=25&unit=mi&online=false"
                            "&from=&to=")
    assert reply.status == 303
    assert reply.headers["location"] == "/events?city=Atlanta%2C+GA&radius_mi=25&industry=technology&online=false"
    page = request(server, reply.headers["location"]).text()
    assert {t for t, _ in results(page)} == {"TAG Cybersecurity Summit", "Tech Talent Mixer"}
    assert "Technology events within 25 mi of Atlanta, GA" in page
    feed = "/feeds/custom.ics?city=Atlanta%2C+GA&radius_mi=25&industry=technology&online=false"
    assert f'href="{server.replace("http://", "webcal://")}{feed.replace("&", "&amp;")}"' in page
    assert {s.removeprefix("CANCELLED: ") for s in summaries(request(server, feed).body)} == \
        {"TAG Cybersecurity Summit", "Tech Talent Mixer"}
    assert request(server, "/?industry=technology").headers["location"] == "/events?industry=technology"


def test_dates_are_read_on_the_events_own_clock_and_bad_ones_are_refused(server, published):
    sites = DemoSites()  # the same relative days the published run used
    day = sites.day(7).isoformat()
    on_day = {t for t, _ in results(request(server, f"/events?from={day}&to={day}").text())}
    assert on_day == {"SHRM Atlanta HR Leaders Breakfast"}
    refused = request(server, f"/events?from={day}&to={sites.day(1).isoformat()}")
    assert refused.status == 400 and "is before from_date" in refused.text()
    assert request(server, "/events?from=soon").status == 400


def test_the_page_is_honest_about_loopback_and_names_the_associations_with_their_health(server, published):
    home = request(server, "/").text()
    assert "this page is on a loopback address" in home and "public address" in home
    names = parse_page(home)
    text = " ".join(" ".join(names.text).split())
    for source in load_config(published.sources).sources:
        assert source.name in text
    assert "Calendars of networking events from 5 of 5 professional associations" in text
    assert "#source-pmi-atlanta" in names.hrefs, "each feed names the associations behind it"
    assert "No source has been read yet" not in text


def test_an_unread_store_says_so_and_a_public_address_gets_no_loopback_warning(tmp_path):
    from starlette.testclient import TestClient

    from eventscout.flows.web.server import Publication, build_app

    sources = tmp_path / "sources.yaml"
    DemoSites().write_sources(sources)
    published = build_app(Publication(sources, tmp_path / "out", tmp_path / "empty.db", "https://events.example.org"))
    with TestClient(published, base_url="http://127.0.0.1:8000") as client:  # on loopback, published elsewhere
        for path in ("/", "/events"):
            page = client.get(path).text
            assert "No source has been read yet" in page, path
            assert "loopback" not in page
            assert "professional associations, read" not in page
        assert "No upcoming events yet, so no industries to choose from." in client.get("/events").text
    local = build_app(Publication(sources, tmp_path / "out", tmp_path / "empty.db"))
    with TestClient(local, base_url="http://127.0.0.1:8000") as client:
        for path in ("/", "/events"):  # the Host header names no address a calendar service could reach
            assert "this page is on a loopback address" in client.get(
                path, headers={"Host": "events.example.org"}).text, path


def test_a_long_search_is_paginated(tmp_path):
    from starlette.testclient import TestClient

    from eventscout.flows.web.events_page import PAGE_SIZE
    from eventscout.flows.web.server import Publication, build_app

    sources = tmp_path / "sources.yaml"
    DemoSites().write_sources(sources)
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=2)
    events = [Event(f"Breakfast number {n:02d}", start + timedelta(hours=n), key=f"b{n}", online="online")
              for n in range(PAGE_SIZE * 2 + 5)]
    with Store(tmp_path / "store.db") as store:
        run = store.start_run()
        store.save_source_events("tag", events)
        store.finish_run(run, {})
    with TestClient(build_app(Publication(sources, tmp_path / "out", tmp_path / "store.db"))) as client:
        seen = []
        for page in (1, 2, 3):
            html = client.get(f"/events?q=breakfast&page={page}").text
            seen += [t for t, _ in results(html)]
            assert f"Page {page} of 3" in html
        assert seen == [e.title for e in events], "every event once, in order of start"
        assert 'rel="next"' not in html and "page=2" in html


# -- in a real browser -----------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SIZES = {"desktop": {"viewport": {"width": 1280, "height": 900}},
         "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}}


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(SIZES))
def page(request, browser, server):
    context = browser.new_context(accept_downloads=True, **SIZES[request.param])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    yield page
    width = SIZES[request.param]["viewport"]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scrolling"
    context.close()


def listed_titles(page) -> list[str]:
    return [re.sub(r"\s*(Cancelled|Postponed)$", "", " ".join(t.split()))
            for t in page.locator(".result .title").all_inner_texts()]


def test_in_a_browser_the_builder_is_at_the_top_and_offers_only_industries_with_events(page, server):
    page.goto(server + "/")
    viewport = page.viewport_size
    assert page.locator("form.builder").bounding_box()["y"] < viewport["height"], "in the first screen"
    offered = page.locator("form.builder input[name=industry]")
    values = [offered.nth(i).get_attribute("value") for i in range(offered.count())]
    assert "technology" in values and "legal" in values and "accounting" not in values
    assert page.get_by_role("checkbox", name="Human resources (5)").count() == 1
    assert page.get_by_role("combobox", name="Unit").locator("option").all_inner_texts() == ["km", "miles"]


def test_in_a_browser_a_search_lists_exactly_the_matching_events(page, server, published):
    page.goto(server + "/")
    page.get_by_role("searchbox", name="Search").fill("breakfast")
    page.get_by_role("button", name="Find events").click()
    page.wait_for_url("**/events?q=breakfast")
    assert set(listed_titles(page)) == matching(published, "breakfast")
    assert page.get_by_role("heading", level=2).first.inner_text().startswith("1 upcoming event")


def test_in_a_browser_filters_narrow_the_list_and_the_subscription_holds_what_is_listed(page, server):
    page.goto(server + "/events")
    page.get_by_role("checkbox", name="Technology (3)").check()
    page.get_by_role("combobox", name="City").fill("Atlanta, GA")
    page.get_by_role("spinbutton", name="Within").fill("25")
    page.get_by_role("combobox", name="Unit").select_option("mi")
    page.get_by_label("Online events").select_option("false")
    page.get_by_role("button", name="Find events").click()
    page.wait_for_url("**/events?city=Atlanta*radius_mi=25*")
    listed = listed_titles(page)
    assert sorted(listed) == ["TAG Cybersecurity Summit", "Tech Talent Mixer"]
    assert page.locator(".result.cancelled").count() == 1
    subscribe = page.locator(".subscribe a", has_text="Subscribe").get_attribute("href")
    query = page.url.split("?", 1)[1]
    assert subscribe == server.replace("http://", "webcal://") + "/feeds/custom.ics?" + query
    feed = page.request.get(server + "/feeds/custom.ics?" + query)
    assert {s.removeprefix("CANCELLED: ") for s in summaries(feed.body())} == set(listed)
    page.locator(".subscribe button.copy").click()
    assert page.evaluate("navigator.clipboard.readText()") == server + "/feeds/custom.ics?" + query


def test_in_a_browser_one_event_is_added_to_a_calendar(page, server, tmp_path):
    page.goto(server + "/events?q=storytelling")
    (title,) = listed_titles(page)
    with page.expect_download() as download:
        page.locator(".result a.ics").click()
    path = tmp_path / "event.ics"
    download.value.save_as(path)
    (event,) = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == title == "Brand Storytelling Workshop"
    assert read_agreed(path)[0]["summary"] == title
    google = page.locator(".result a.google").get_attribute("href")
    assert google.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE&text=Brand+Storytelling")
