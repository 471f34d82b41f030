"""The platforms association sites run on, served on loopback from small responses written after each
platform's documented format (tests/fixtures/platforms): the probe recognises the platform from a home page
that only links to the events page, names it, and reads the feed the platform offers."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from eventscout.flows.config import Source
from eventscout.flows.onboarding.probe import ProbeReport, probe
from eventscout.flows.reading.fetch import Fetcher, Limits
from eventscout.flows.reading.read import OK, read_source
from eventscout.scrapers import Page
from eventscout.scrapers.platforms import PLATFORMS, recognise
from tests.support import LoopbackServer
from tests.probe_sites import render

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "platforms"
TODAY = date.today()
_MS = re.compile(r"\{\{MS:D([+-]\d+)T(\d\d):(\d\d)\}\}")
HTML, ICS, RSS, JSON = ("text/html; charset=utf-8", "text/calendar; charset=utf-8", "application/rss+xml",
                        "application/json")


@pytest.fixture(autouse=True)
def _allow_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTSCOUT_ALLOW_PRIVATE", "1")


def fill(text: str, base: str) -> str:
    """`render`'s placeholders, plus `{{MS:D+n:HH:MM}}`: that wall clock in Atlanta as epoch milliseconds."""
    def epoch_ms(m: re.Match[str]) -> str:
        day = TODAY + timedelta(days=int(m.group(1)))
        at = datetime(day.year, day.month, day.day, int(m.group(2)), int(m.group(3)), tzinfo=ZoneInfo("America/New_York"))
        return str(int(at.timestamp() * 1000))

    return render(_MS.sub(epoch_ms, text), base, TODAY)


def fixture(name: str, base: str) -> str:
    return fill((FIXTURES / name).read_text(encoding="utf-8"), base)


def ics(prodid: str, *events: tuple[str, str, int, str]) -> str:
    """An iCalendar feed as the platform publishes it: (uid, title, days from today, HHMM local start)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{prodid}"]
    for uid, title, days, hhmm in events:
        day = (TODAY + timedelta(days=days)).strftime("%Y%m%d")
        lines += ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z",
                  f"DTSTART;TZID=America/New_York:{day}T{hhmm}00",
                  f"DTEND;TZID=America/New_York:{day}T{int(hhmm[:2]) + 1:02d}{hhmm[2:]}00",
                  f"SUMMARY:{title}", "END:VEVENT"]
    return "\r\n".join(lines + ["END:VCALENDAR", ""])


def site(server: LoopbackServer, name: str, events_path: str, routes: dict[str, tuple[str, str]],
         head: str = "") -> None:
    """A home page that only links to the events page, plus the platform's own routes."""
    home = (FIXTURES / "home.html").read_text(encoding="utf-8")
    server.serve("/", home.replace("{{NAME}}", name).replace("{{HEAD}}", head).replace("{{EVENTS}}", events_path))
    for path, (body, kind) in routes.items():
        server.serve(path, body, kind)


def probe_home(server: LoopbackServer) -> tuple[ProbeReport, list[str]]:
    server.thread.start()
    try:
        report = asyncio.run(probe(server.url + "/"))
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
    return report, [hit[0] for hit in server.hits]


def platform_note(report: ProbeReport) -> str:
    return next(note for note in report.notes if note.startswith("platform:"))


def test_squarespace_events_collection_is_read_as_json():
    server = LoopbackServer()
    site(server, "Buckhead Marketing Guild", "/events", {
        "/events": (fixture("squarespace_events.html", server.url), HTML),
        "/events?format=json": (fixture("squarespace_events.json", server.url), JSON)})
    report, hits = probe_home(server)
    assert "/events?format=json" in hits
    assert (report.best.url, report.best.format) == (f"{server.url}/events?format=json", "records")
    first, second = report.best.events
    assert first.title == "Brand Strategy Breakfast"
    assert first.start.isoformat()[11:16] == "08:00" and first.timezone == "America/New_York"
    assert (first.location.city, first.location.region, first.location.postal_code) == ("Atlanta", "GA", "30326")
    assert first.url == f"{server.url}/events/brand-strategy-breakfast"
    assert second.status == "postponed"
    assert platform_note(report) == (f"platform: Squarespace; the feed chosen: {server.url}/events?format=json "
                                     "(records)")


def test_wix_events_page_is_read_from_its_embedded_data():
    server = LoopbackServer()
    site(server, "Midtown Women in Tech", "/events", {"/events": (fixture("wix_events.html", server.url), HTML)})
    report, _ = probe_home(server)
    assert (report.best.url, report.best.format) == (f"{server.url}/events", "records")
    meetup, qa = report.best.events
    day = TODAY + timedelta(days=6)
    assert meetup.title == "Women in Cloud Meetup"
    assert meetup.start == datetime(day.year, day.month, day.day, 22, 30, tzinfo=ZoneInfo("UTC"))
    assert meetup.timezone == "America/New_York"  # shown on the zone the data names
    assert meetup.location.city == "Atlanta" and meetup.online == "in-person"
    assert qa.status == "cancelled" and qa.online == "online"
    # each event's own page, which the embedded data names by its slug only
    assert (meetup.url, qa.url) == (f"{server.url}/event-details/women-in-cloud-meetup",
                                    f"{server.url}/event-details/career-switchers")
    assert "Wix" in platform_note(report)


def test_wild_apricot_events_rss():
    server = LoopbackServer()
    site(server, "Peachtree HR Association", "/events", {
        "/events": (fixture("wildapricot_events.html", server.url), HTML),
        "/events/RSS": (fixture("wildapricot_events.rss", server.url), RSS)})
    report, hits = probe_home(server)
    assert (report.best.url, report.best.format) == (f"{server.url}/events/RSS", "rss")
    assert [e.title for e in report.best.events] == ["Employment Law Update", "HR Happy Hour"]
    assert report.best.events[1].start.isoformat()[11:16] == "17:30"
    assert "Wild Apricot" in platform_note(report)


def test_a_civicplus_sites_calendar_rss_is_chosen_from_its_home_page():
    server = LoopbackServer()
    day = TODAY + timedelta(days=12)
    rss = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:calendarEvent="https://www.civicplus.com/Calendar"><channel><title>Calendar</title>
<item><title>Small Business Resource Fair</title><link>{server.url}/Calendar.aspx?EID=311</link>
<description>Event date: {day:%B %d, %Y}</description><guid isPermaLink="false">{server.url}/Calendar.aspx?EID=311</guid>
<calendarEvent:EventDates>{day:%B %d, %Y}</calendarEvent:EventDates><calendarEvent:EventTimes>09:00 AM - 12:00 PM
</calendarEvent:EventTimes><calendarEvent:Location>Civic Center&lt;br&gt;100 Main St&lt;br&gt;Marietta, GA 30060
</calendarEvent:Location></item></channel></rss>"""
    calendar = ("<html><body><h1>Calendar</h1><p>Select a calendar.</p>"
                '<a href="https://www.civicplus.com/">Government Websites by CivicPlus</a></body></html>')
    site(server, "City of Marietta", "/Calendar.aspx", {
        "/Calendar.aspx": (calendar, HTML), "/RSSFeed.aspx?ModID=58&CID=All-calendar.xml": (rss, RSS)},
         head='<link rel="preconnect" href="https://www.civicplus.com">')
    report, hits = probe_home(server)
    assert (report.best.url, report.best.format) == (f"{server.url}/RSSFeed.aspx?ModID=58&CID=All-calendar.xml", "rss")
    (fair,) = report.best.events
    assert (fair.title, fair.start.hour, fair.end.hour) == ("Small Business Resource Fair", 9, 12)
    assert (fair.location.name, fair.location.city) == ("Civic Center", "Marietta")
    assert "CivicPlus" in platform_note(report)


def test_memberclicks_jevents_export_link_is_chosen():
    server = LoopbackServer()
    feed = ics("-//JEvents 3.6//EN", ("jev-1", "Tax Season Kickoff", 6, "0730"), ("jev-2", "Ethics CPE", 13, "1200"))
    site(server, "Georgia Society of CPAs Chapter", "/calendar/", {
        "/calendar/": (fixture("jevents_events.html", server.url), HTML),
        "/index.php?option=com_jevents&task=icals.export&format=ical&catids=0&years=0&k=4f1a2b": (feed, ICS)})
    report, _ = probe_home(server)
    assert report.best.format == "ical" and "icals.export" in report.best.url
    assert [e.title for e in report.best.events] == ["Tax Season Kickoff", "Ethics CPE"]
    assert "MemberClicks (JEvents)" in platform_note(report)


def test_yourmembership_event_list_rss():
    server = LoopbackServer()
    rss = fill("""<?xml version="1.0"?><rss version="2.0"><channel><title>Events</title>
<item><title>Logistics Leaders Lunch</title><link>{{BASE}}/events/event_details.asp?id=77</link>
<description>{{D+9:long}} 11:30 AM - 1:00 PM</description></item></channel></rss>""", server.url)
    site(server, "Atlanta Supply Chain Council", "/events/calendar.asp", {
        "/events/calendar.asp": (fixture("yourmembership_events.html", server.url), HTML),
        "/general/rss/events.xml": (rss, RSS)})
    report, _ = probe_home(server)
    assert (report.best.url, report.best.format) == (f"{server.url}/general/rss/events.xml", "rss")
    assert report.best.events[0].title == "Logistics Leaders Lunch"
    assert "YourMembership" in platform_note(report)


@pytest.mark.parametrize("page, feed_path, platform", [
    ("events_manager_events.html", "/events.ics", "WordPress Events Manager"),
    ("mec_events.html", "/?mec-ical-feed=1", "WordPress Modern Events Calendar"),
])
def test_wordpress_event_plugins_serve_icalendar(page, feed_path, platform):
    server = LoopbackServer()
    feed = ics("-//Plugin//EN", ("wp-1", "Portfolio Review Night", 5, "1900"), ("wp-2", "Studio Tour", 19, "1000"))
    site(server, "Design Society", "/events/", {"/events/": (fixture(page, server.url), HTML), feed_path: (feed, ICS)})
    report, hits = probe_home(server)
    assert feed_path in hits
    assert (report.best.url, report.best.format) == (server.url + feed_path, "ical")
    assert report.best.upcoming == 2
    assert platform in platform_note(report)


@pytest.mark.parametrize("page, events_path, feed_path, prodid, platform", [
    ("google_embed_events.html", "/calendar/", "/calendar/ical/apm.atlanta%40gmail.com/public/basic.ics",
     "-//Google Inc//Google Calendar 70.9054//EN", "Google Calendar"),
    ("outlook_events.html", "/meetings/", "/owa/calendar/7c1e@fultonbar.org/2b9f0aa1c3/calendar.ics",
     "Microsoft Exchange Server 2010", "Outlook published calendar"),
])
def test_a_calendar_the_events_page_embeds_or_links_is_read_through_its_icalendar(page, events_path, feed_path,
                                                                                  prodid, platform):
    server = LoopbackServer()
    feed = ics(prodid, ("040000008200E00074C5B7101A82E008", "Roadmapping Workshop", 7, "1800"))
    site(server, "Atlanta Product Managers", events_path, {
        events_path: (fixture(page, server.url), HTML), feed_path: (feed, ICS)})
    report, _ = probe_home(server)
    assert report.best.url == server.url + feed_path
    assert report.best.events[0].title == "Roadmapping Workshop"
    assert platform in platform_note(report)


def test_eventbrite_organiser_page_is_read_from_its_server_data_not_its_price_cards():
    server = LoopbackServer()
    site(server, "Atlanta UX Collective", "/o/atlanta-ux-collective-3001",
         {"/o/atlanta-ux-collective-3001": (fixture("eventbrite_organiser.html", server.url), HTML)})
    report, _ = probe_home(server)
    titles = [e.title for e in report.best.events]
    assert titles == ["Design Systems Night", "Research Ops Roundtable"]
    assert report.best.events[1].online == "online"
    assert "Eventbrite" in platform_note(report)


def test_growthzone_list_is_read_through_each_events_icalendar():
    server = LoopbackServer()
    server.serve("/events", fixture("growthzone_events.html", server.url))
    server.serve("/events/details/small-business-expo-10421?format=ICal",
                 ics("-//GrowthZone//EN", ("gz-10421", "Small Business Expo", 10, "0900")), ICS)
    server.serve("/events/details/ribbon-cutting-acme-10422?format=ICal",
                 ics("-//GrowthZone//EN", ("gz-10422", "Ribbon Cutting: Acme", 17, "1100")), ICS)
    server.thread.start()
    source = Source(id="cobb", name="Cobb Chamber", url=f"{server.url}/events", allow_private=True)

    async def go():
        async with Fetcher(Limits(retries=0), allow_private=True) as fetcher:
            return await read_source(source, fetcher, deadline=time.monotonic() + 20, allow_private=True)

    try:
        result = asyncio.run(go())
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
    assert result.status == OK
    assert sorted(e.title for e in result.events) == ["Ribbon Cutting: Acme", "Small Business Expo"]
    assert "ical" in result.reader


@pytest.mark.parametrize("url, body, platform, feed", [
    ("https://example.org/calendar", '<iframe src="https://teamup.com/ksab12cd34ef56gh"></iframe>', "Teamup",
     "https://ics.teamup.com/feed/ksab12cd34ef56gh/0.ics"),
    ("https://example.org/events", '<iframe src="https://lu.ma/embed/calendar/cal-Ab3dE6gH9jK/events"></iframe>',
     "Luma", "https://api.lu.ma/ics/get?entity=calendar&id=cal-Ab3dE6gH9jK"),
    ("https://example.org/", '<a href="https://www.meetup.com/atlanta-data-science/">Our Meetup</a>', "Meetup",
     "https://www.meetup.com/atlanta-data-science/events/ical/"),
    ("https://example.org/events", '<div data-tockify-component="calendar" data-tockify-calendar="pmiatl"></div>'
     '<script src="https://public.tockify.com/browser/embed.js"></script>', "Tockify",
     "https://tockify.com/api/feeds/ics/pmiatl"),
    ("https://example.edu/events", '<script src="https://www.trumba.com/scripts/spuds.js"></script><script>'
     '$Trumba.addSpud({webName: "example-events", spudType: "main"});</script>', "Trumba",
     "https://www.trumba.com/calendars/example-events.ics"),
    ("https://example.org/cal", '<iframe src="https://calendar.google.com/calendar/embed?src=c_9f%40group.calendar.'
     'google.com&amp;src=en.usa%23holiday%40group.v.calendar.google.com"></iframe>', "Google Calendar",
     "https://calendar.google.com/calendar/ical/c_9f%40group.calendar.google.com/public/basic.ics"),
])
def test_hosted_calendars_are_recognised_from_their_embeds_and_links(url, body, platform, feed):
    page = Page(f"<html><body>{body}</body></html>".encode(), url, "text/html")
    found = {r.platform.name: r.feeds for r in recognise(page)}
    assert feed == found[platform][0]


@pytest.mark.parametrize("prodid, title", [("-//Teamup Solutions AG//Teamup Calendar//EN", "Volunteer Shift"),
                                           ("-//Luma//Calendar//EN", "Founders Coffee"),
                                           ("-//Meetup//RemoteApi//EN", "Data Science Night")])
def test_hosted_calendar_feeds_are_read_on_loopback(prodid, title):
    server = LoopbackServer()
    server.serve("/feed.ics", ics(prodid, ("h-1", title, 4, "1800")), ICS)
    server.thread.start()
    try:
        report = asyncio.run(probe(f"{server.url}/feed.ics"))
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
    assert (report.best.format, [e.title for e in report.best.events]) == ("ical", [title])


def test_a_page_with_no_platform_names_none():
    page = Page(b"<html><body><a href='/about'>About</a></body></html>", "https://example.org/", "text/html")
    assert recognise(page) == []
    # a host that only ends like a platform's is none of it
    page = Page(b"<html><body><a href='https://extra.co/events/12'>Gig</a></body></html>", "https://example.org/",
                "text/html")
    assert recognise(page) == []
    page = Page(b"<html><body><a href='https://ra.co/events/1900001'>Gig</a></body></html>", "https://example.org/",
                "text/html")
    assert [r.platform.name for r in recognise(page)] == ["Resident Advisor"]


def test_every_platform_row_says_what_it_supplies_and_where_that_is_documented():
    assert len({p.name for p in PLATFORMS}) == len(PLATFORMS) >= 14
    for platform in PLATFORMS:
        assert platform.supplies and platform.documented, platform.name


def test_a_squarespace_events_page_is_read_from_its_event_list_markup():
    from eventscout.scrapers import extract_page

    base = "https://guild.example"
    extraction = extract_page(Page(fixture("squarespace_list.html", base).encode(), f"{base}/events", "text/html"))
    breakfast, summit = extraction.events
    assert extraction.format == "squarespace"
    assert (breakfast.title, breakfast.start.isoformat()[11:16], breakfast.end.isoformat()[11:16]) == (
        "Brand Strategy Breakfast", "08:00", "09:30")
    assert (breakfast.url, breakfast.location.city) == (f"{base}/events/brand-strategy-breakfast", "Atlanta")
    assert summit.start.date() == TODAY + timedelta(days=20) and summit.end.date() == TODAY + timedelta(days=21)
    assert (summit.start.hour, summit.end.hour) == (9, 17)
    # the collection's JSON is the feed the page's platform offers
    assert extraction.follow[0] == f"{base}/events?format=json"


def test_eventscout_probe_names_the_platform_and_the_feed_it_chose(tmp_path):
    from tests.serving import eventscout

    server = LoopbackServer()
    site(server, "Buckhead Marketing Guild", "/events", {
        "/events": (fixture("squarespace_events.html", server.url), HTML),
        "/events?format=json": (fixture("squarespace_events.json", server.url), JSON)})
    server.thread.start()
    try:
        done = eventscout("probe", server.url + "/", home=tmp_path)
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert f"platform: Squarespace; the feed chosen: {server.url}/events?format=json (records)" in out
    assert "format: records" in out


def test_a_saved_wix_page_links_its_events_where_it_was_saved_from(tmp_path):
    """`extract FILE` of a saved page resolves links against the address the page declares
    (its canonical link), as `--base-url` would; the flag still wins."""
    html = fixture("wix_events.html", "https://midtown.example").replace(
        "<title>", '<link rel="canonical" href="https://www.midtownwit.example/events"><title>', 1)
    page = tmp_path / "events.html"
    page.write_text(html, encoding="utf-8")

    def urls(*options: str) -> list[str]:
        done = subprocess.run([sys.executable, "-m", "eventscout.flows.cli", "extract", str(page), "--json",
                               *options], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return [e["url"] for e in json.loads(done.stdout)]

    assert urls() == ["https://www.midtownwit.example/event-details/women-in-cloud-meetup",
                      "https://www.midtownwit.example/event-details/career-switchers"]
    assert urls("--base-url", "https://other.example/e") == [
        "https://other.example/event-details/women-in-cloud-meetup",
        "https://other.example/event-details/career-switchers"]
