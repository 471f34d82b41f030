"""`eventscout.flows.onboarding.probe` against small association sites on loopback, one per way a site shows its events.

Each test says what a person would see: which page the probe settles on, which
reader reads it, and the sources.yaml entry it proposes.
"""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from eventscout.flows.onboarding.probe import MAX_REQUESTS, ProbeReport, Reading, best_reading, probe, probe_readers
from eventscout.scrapers.event import Event
from tests.probe_sites import running_sites


@pytest.fixture(autouse=True)
def _allow_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTSCOUT_ALLOW_PRIVATE", "1")


def probe_site(name: str, path: str = "/", **options) -> tuple[ProbeReport, list[str], str]:
    with running_sites(name) as servers:
        server = servers[name]
        report = asyncio.run(probe(server.url + path, **options))
        return report, [hit[0] for hit in server.hits], server.url


def test_readers_are_tried_feeds_first_then_structured_data_then_the_listing_guess():
    order = probe_readers()
    assert "recipe" not in order
    assert order.index("ical") < order.index("jsonld") < order.index("listing") == len(order) - 1


def test_a_home_page_that_links_to_its_events_page():
    report, hits, base = probe_site("linked", location="Atlanta, GA")
    assert report.best is not None
    assert (report.best.url, report.best.format, report.best.upcoming) == (f"{base}/events/", "jsonld", 3)
    assert [e.title for e in report.best.events][0] == "Agile Delivery Lunch & Learn"
    assert report.entry == {
        "id": "atlanta-project-management-association",
        "name": "Atlanta Project Management Association",
        "url": f"{base}/events/",
        "scope": "regional",
        "format": "jsonld",
        "timezone": "America/New_York",
        "industries": ["project-management"],
        "location": "Atlanta, GA",
    }
    # The "Past events" and "Sponsor an event" links are not events listings: never requested.
    assert "/events/past/" not in hits and "/sponsors/" not in hits
    assert report.requests <= MAX_REQUESTS


def test_the_events_page_given_directly_is_read_as_it_is():
    report, hits, base = probe_site("linked", path="/events/", industries=["Project Management"])
    assert (report.best.url, report.best.format) == (f"{base}/events/", "jsonld")
    assert report.entry["industries"] == ["project-management"]
    assert report.entry["scope"] == "national" and "location" not in report.entry
    assert report.entry["timezone"] == "America/New_York"  # the events' -04:00 offsets and Atlanta places


def test_a_home_page_that_only_advertises_an_icalendar_feed():
    report, hits, base = probe_site("icalonly")
    assert (report.best.url, report.best.format) == (f"{base}/feeds/meetings.ics", "ical")
    assert report.best.upcoming == 4  # three monthly occurrences and the roundtable
    assert report.entry["name"] == "Georgia Cybersecurity Forum"
    assert report.entry["industries"] == ["cybersecurity"]
    assert report.entry["timezone"] == "America/New_York"


def test_a_wordpress_site_with_the_events_calendar_is_read_through_its_rest_endpoint():
    report, hits, base = probe_site("tribe")
    assert "/wp-json/tribe/events/v1/events" in hits
    assert (report.best.url, report.best.format, report.best.upcoming) == (
        f"{base}/wp-json/tribe/events/v1/events", "tribe", 3)
    # The events page's JSON-LD shows only one of them: seen, and not chosen.
    assert any(r.format == "jsonld" and r.upcoming == 1 for r in report.readings)
    assert report.entry["name"] == "Society of HR Professionals of Georgia"
    assert report.entry["industries"] == ["human-resources"]


def test_a_listing_page_with_no_structured_data_is_read_by_the_listing_reader():
    report, hits, base = probe_site("listing", location="Atlanta, GA")
    assert (report.best.url, report.best.format) == (f"{base}/calendar/", "listing")
    assert [e.title for e in report.best.events] == [
        "Portfolio Review Night", "Type Talk: Variable Fonts", "UX Designers Social"]
    assert report.entry["name"] == "AIGA Atlanta"
    assert report.entry["industries"] == ["media-and-design"]


def test_a_chapter_site_is_named_after_its_organisation_not_its_page_heading():
    report, hits, base = probe_site("chapter", location="Atlanta, GA")
    assert (report.best.url, report.best.format) == (f"{base}/meetings/", "listing")
    assert [(e.title, e.status) for e in report.best.events] == [
        ("Annual Tax Update", "scheduled"), ("Ethics CPE – CANCELLED / Online", "cancelled"),
        ("Spring Mixer", "scheduled")]
    assert report.entry["name"] == "Georgia Society of CPAs"
    assert report.entry["id"] == "georgia-society-of-cpas"


def test_a_site_found_through_its_sitemap():
    report, hits, base = probe_site("sitemap")
    assert hits[:4] == ["/robots.txt", "/", "/sitemap.xml", "/programs/calendar/"]
    assert (report.best.url, report.best.format) == (f"{base}/programs/calendar/", "microdata")
    assert report.entry["name"] == "Women in Engineering Society"
    # Once events are found, the sitemap's other pages (an old event) are not requested.
    assert "/programs/calendar/2019-holiday-party/" not in hits


def test_a_site_with_no_events_says_so_and_shows_the_blocks_a_recipe_could_use():
    report, hits, base = probe_site("empty")
    assert report.best is None and report.entry is None
    assert hits == ["/robots.txt", "/", "/events/", "/sitemap.xml"]
    assert any("CSS recipe" in note for note in report.notes)
    page, block = report.blocks[0]
    assert page == f"{base}/events/"
    assert (block.selector, block.count) == ("li.post", 3)
    assert block.recipe == {"event": "li.post", "title": "span.post-title"}


def test_an_unreachable_site_is_reported_not_raised():
    report = asyncio.run(probe("http://127.0.0.1:9/"))
    assert report.best is None
    assert len(report.visits) == 1 and report.visits[0].outcome.startswith("cannot connect")
    assert any("No page could be read" in note for note in report.notes)


def test_the_best_reading_prefers_a_feed_to_a_page_showing_the_same_events():
    events = [Event("A", date(2030, 1, 1)), Event("B", date(2030, 1, 2))]
    page = Reading("https://x.org/events/", "jsonld", events, 2, 1.0, "link")
    feed = Reading("https://x.org/events.ics", "ical", events, 2, 1.0, "feed")
    guess = Reading("https://x.org/events/", "listing", events * 2, 4, 0.6, "link")
    assert best_reading([page, guess, feed]) is feed
    assert best_reading([page, guess]) is page
    assert best_reading([]) is None
