"""Reading a site's own pages: its name, its events links, its repeated blocks; and place → zone."""

from __future__ import annotations

from datetime import datetime

import pytest

from eventscout.flows.onboarding.probe import guess_timezone, slug
from eventscout.flows.onboarding.association_site import events_links, feed_links, name_from_title, shared_name, tribe_endpoint
from eventscout.flows.knowledge.zones import zone_for
from eventscout.scrapers.event import Event, Location
from eventscout.scrapers.page import Page


def html(body: str, url: str = "https://assoc.example.org/") -> Page:
    return Page(f"<!doctype html><html><head></head><body>{body}</body></html>".encode(), url)


@pytest.mark.parametrize(("title", "url", "name"), [
    ("Events | SHRM Atlanta", "https://shrmatlanta.org/events", "SHRM Atlanta"),
    ("PMI Atlanta Chapter | Home", "https://pmiatlanta.org/", "PMI Atlanta Chapter"),
    ("TAG – Where technology meets", "https://tagonline.org/", "TAG"),
    ("Home", "https://www.aiga.org/", "aiga.org"),
])
def test_the_site_name_comes_from_the_title(title, url, name):
    assert name_from_title(title, url) == name


def test_the_part_several_titles_share_is_the_site_name():
    assert shared_name(["Acme Guild – We build", "Events – Acme Guild"]) == "Acme Guild"
    assert shared_name(["Acme Guild"]) is None
    # two parts shared as often: titles end with the organisation
    assert shared_name(["Atlanta Chapter | Georgia Society of CPAs",
                        "Meetings | Atlanta Chapter | Georgia Society of CPAs"]) == "Georgia Society of CPAs"


def test_a_title_part_that_repeats_the_page_heading_names_the_page_not_the_site():
    assert name_from_title("Atlanta Chapter | Georgia Society of CPAs", "https://gscpa.example/",
                           ["Atlanta Chapter"]) == "Georgia Society of CPAs"
    assert name_from_title("AIGA Atlanta - Design community", "https://aiga.example/", ["AIGA Atlanta"]) \
        == "AIGA Atlanta"


def test_events_links_are_ranked_by_label_and_path_and_past_events_are_left_out():
    page = html("""<nav><a href="/about/">About</a><a href="/events/">Events</a></nav>
        <a href="/news/2024/05/events-recap/">Read the recap</a>
        <a href="/events/past/">Past events</a>
        <a href="/programs/">Programs</a>
        <a href="https://other.example.com/events/">Partner events</a>
        <a href="/calendar.ics">Subscribe</a>""")
    links = [link.url for link in events_links(page)]
    assert links == ["https://assoc.example.org/events/", "https://assoc.example.org/programs/"]


def test_advertised_feeds_and_webcal_links_are_found():
    page = html('<link rel="alternate" type="text/calendar" href="/feed.ics">'
                '<a href="webcal://assoc.example.org/cal.ics">Subscribe</a>')
    assert [link.url for link in feed_links(page)] == [
        "https://assoc.example.org/feed.ics", "https://assoc.example.org/cal.ics"]


def test_the_events_calendar_endpoint_only_on_wordpress_sites():
    wordpress = html('<link rel="https://api.w.org/" href="https://assoc.example.org/blog/wp-json/">')
    assert tribe_endpoint(wordpress).url == "https://assoc.example.org/blog/wp-json/tribe/events/v1/events"
    assert tribe_endpoint(html("<p>plain site</p>")) is None


@pytest.mark.parametrize(("place", "zone"), [
    ("Atlanta, GA", "America/New_York"),
    ("Phoenix, AZ", "America/Phoenix"),
    ("Indianapolis, IN", "America/Indiana/Indianapolis"),
    ("Denver, CO", "America/Denver"),
    ("Berlin, Germany", "Europe/Berlin"),
    ("TX", "America/Chicago"),
    ("Nowhere Special", None),
])
def test_a_place_gives_its_time_zone(place, zone):
    assert zone_for(place) == zone


def test_the_zone_is_guessed_from_the_location_then_the_events():
    chicago = [Event(f"E{i}", datetime(2030, 1, i + 1, 18),
                     location=Location(city="Chicago", region="IL")) for i in range(3)]
    assert guess_timezone(chicago, "Seattle, WA")[0] == "America/Los_Angeles"
    assert guess_timezone(chicago, None)[0] == "America/Chicago"
    assert guess_timezone([], None) == ("America/New_York",
                                        "a default: nothing on the site names a place or zone; check it")


def test_ids_are_short_slugs():
    assert slug("Society of HR Professionals of Georgia & Friends") == "society-of-hr-professionals-of-georgia"
    assert slug("AIGA Atlanta") == "aiga-atlanta"
