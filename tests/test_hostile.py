"""Hostile input: no markup reaches a subscriber, and no page makes a reader raise, hang or blow up.

Property-based (hypothesis) over text and bytes, plus hand-made hostile pages:
deep nesting, enormous attributes, megabyte JSON-LD, billion laughs in RSS,
invalid UTF-8.
"""

from __future__ import annotations

import importlib
import json
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventscout.flows.publishing.feeds import render_calendar
from eventscout.flows.reading.hygiene import publishable, web_link
from eventscout.flows.store import StoredEvent
from eventscout.scrapers import READERS, Page, extract_page
from eventscout.scrapers.event import Event, Location
from eventscout.scrapers.text import clean, html_to_text
from tests.support import assert_well_formed

#: a `<` that an HTML parser would read as the start of a tag, comment or declaration
TAG_START = re.compile(r"<[A-Za-z/!?]")
UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

HOSTILE = [
    "<script>alert(1)</script>Annual Gala",
    "&lt;script&gt;alert(1)&lt;/script&gt;Gala",
    "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;Gala",
    "<img src=x onerror=alert(1)>Gala",
    "Gala <img src=x onerror=alert(1)",
    "<scr<script>ipt>alert(1)</script>",
    "<svg/onload=alert(1)>",
    "<!--<script>x</script>-->Gala",
    "<style>body{display:none}</style>Gala",
    "Gala\r\nBEGIN:VEVENT\r\nSUMMARY:injected",
    "Gala\x00\x1b[31m\ud800",
    "<a href='javascript:alert(1)'>Gala</a>",
    "<<<<<<<<script>>>>>>>>",
]

markupish = st.lists(st.sampled_from(["<", ">", "/", "script", "style", "img", "&lt;", "&gt;", "&amp;", "&#60;",
                                      "&#x3c;", "<!--", "-->", "<?", " ", "a", "\n", "\x00", "\ud800", "é",
                                      "onerror=", "'", '"', "=", "</", "<b>", "<br>"]), max_size=40).map("".join)


def assert_plain(text: str) -> None:
    assert not TAG_START.search(text), text
    assert not UNSAFE.search(text), text


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_strings_come_out_as_plain_text(value):
    assert_plain(clean(value))
    assert_plain(html_to_text(value))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), markupish))
def test_clean_and_html_to_text_never_leave_markup_or_control_characters(value):
    assert_plain(clean(value))
    assert_plain(html_to_text(value))


def test_clean_keeps_ordinary_text():
    assert clean("Tom &amp; Jerry&#39;s  <b>Gala</b>") == "Tom & Jerry's Gala"
    assert clean("Salary < $50k and > $20k") == "Salary < $50k and > $20k"
    assert html_to_text("<p>One</p><p>Two<br>Three</p>") == "One\nTwo\nThree"


@pytest.mark.parametrize("text", ["<" * 500_000, "<script" * 100_000, "<a " * 300_000, "&" * 500_000,
                                  "<!--" * 200_000])
def test_text_cleaning_of_pathological_input_leaves_plain_text(text):
    """How fast (linear) is measured by benchmarks/stage_speed.py."""
    assert_plain(clean(text))
    assert_plain(html_to_text(text))


def hostile_event(title: str) -> Event:
    return Event(title=title, start=datetime(2030, 5, 1, 9, tzinfo=ZoneInfo("America/New_York")),
                 url="javascript:alert(1)", description=f"<p>{title}</p><script>steal()</script>",
                 location=Location(name=title, city="Atlanta\r\nX-INJECTED:1"),
                 organizer=title, categories=[title], links=["javascript:alert(2)", "https://ok.example/r"],
                 key=f"id-{title}", source_id="hostile")


def test_no_hostile_string_reaches_a_feed_raw():
    now = datetime.now(timezone.utc)
    stored = [StoredEvent(publishable(hostile_event(t)), 0, now, now) for t in HOSTILE]
    data = render_calendar("Hostile", None, stored, {"hostile": "Hostile"}).decode()
    assert "<script" not in data.lower() and "<img" not in data.lower() and "<svg" not in data.lower()
    assert "javascript:" not in data
    assert not any(line.startswith("X-INJECTED") for line in data.split("\r\n"))
    calendar = icalendar.Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == len(HOSTILE), "a title with CRLF must not add a VEVENT"
    for event in events:
        assert_plain(str(event["SUMMARY"]))
        assert_plain(str(event.get("DESCRIPTION", "")))
        assert "URL" not in event


def test_only_http_links_survive():
    assert web_link("https://example.org/e?id=1") == "https://example.org/e?id=1"
    for bad in ("javascript:alert(1)", "data:text/html,<script>", "//evil.example/x", "http://a b/",
                "vbscript:x", "file:///etc/passwd", " "):
        assert web_link(bad) is None, bad


# -- readers on hostile pages ---------------------------------------------------------------

def every_reader() -> dict[str, object]:
    return {name: importlib.import_module(module).read for name, module in READERS.items()}


def _jsonld_page(payload: str) -> bytes:
    return f'<html><head><script type="application/ld+json">{payload}</script></head><body></body></html>'.encode()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><pubDate>Mon, 01 Jun 2030 10:00:00 GMT</pubDate>
<description>&lol9;</description></item></channel></rss>"""

_EVENT = {"@context": "https://schema.org", "@type": "Event", "name": "Big", "startDate": "2030-06-01T10:00:00-04:00"}

HOSTILE_PAGES = {
    "deep nesting": ("<html><body>" + "<div><span>" * 100_000 + "x" + "</span></div>" * 100_000).encode(),
    "unclosed deep nesting": ("<html><body>" + "<div>" * 200_000).encode(),
    "deep JSON-LD": _jsonld_page("[" * 200_000 + "]" * 200_000),
    "deep JSON": ("{\"a\":" * 100_000 + "1" + "}" * 100_000).encode(),
    "enormous attribute": ('<html><body><div class="' + "x" * 5_000_000 + '">'
                           '<a href="' + "y" * 2_000_000 + '.ics">feed</a></div></body></html>').encode(),
    "megabyte JSON-LD": _jsonld_page(json.dumps([dict(_EVENT, description="d" * 1000, name=f"E{n}")
                                                 for n in range(1500)])),
    "megabyte JSON-LD string": _jsonld_page(json.dumps(dict(_EVENT, name="n" * 3_000_000))),
    "billion laughs RSS": BILLION_LAUGHS,
    "invalid UTF-8": (b"<html><head><meta charset=utf-8></head><body>\xff\xfe\xc3\x28\xa0\xa1 \xed\xa0\x80"
                      + _jsonld_page('{"@type": "Event", "name": "Caf\\ud800\\udfff\\u0000", '
                                     '"startDate": "2030-06-01T10:00:00-04:00"}')
                      + b"\xf0\x28\x8c\x28</body></html>"),
    "iCalendar bomb": ("BEGIN:VCALENDAR\r\n" + "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20300101T000000Z\r\n"
                       "RRULE:FREQ=SECONDLY\r\nSUMMARY:every second\r\nEND:VEVENT\r\n" * 50
                       + "END:VCALENDAR\r\n").encode(),
    "many tags": ("<html><body>" + "<p><a href='/e'>Event 1 June 2030</a></p>" * 100_000).encode(),
    # words a title's end is cut of, repeated: a pattern that repeats a group of them backtracks for ever
    "document words": ("<html><body><ul>" + "<li><a href='/a.pdf'>June 2, 2030 Board Meeting "
                       + "Agenda " * 40 + "x</a></li>" * 3 + "</ul></body></html>").encode(),
}


@pytest.mark.parametrize("name", list(HOSTILE_PAGES))
def test_every_reader_survives_hostile_pages(name):
    body = HOSTILE_PAGES[name]
    readers = every_reader()
    for reader_name, read in readers.items():
        page = Page(body, "https://assoc.example/events", "text/html",
                    since=datetime(2030, 1, 1).date(), until=datetime(2030, 12, 31).date())
        events = read(page)  # a reader must not raise, whatever the page (benchmarks/stage_speed.py times it)
        assert isinstance(events, list), reader_name
    extraction = extract_page(Page(body, "https://assoc.example/events", "text/html",
                                   since=datetime(2030, 1, 1).date(), until=datetime(2030, 12, 31).date()))
    assert_well_formed(extraction.events)
    for event in extraction.events:
        assert "lollollol" not in event.title, "XML entities must not be expanded"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_extract_page_never_raises_on_any_bytes(body):
    extraction = extract_page(Page(body, "https://assoc.example/events"))
    assert isinstance(extraction.events, list)
    assert extraction.events or extraction.reason


json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                                     st.text(max_size=30)),
                           lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                   st.dictionaries(st.sampled_from(
                                                       ["@type", "@id", "name", "startDate", "endDate", "location",
                                                        "address", "url", "eventStatus", "@graph", "offers",
                                                        "organizer", "description", "addressLocality"]),
                                                       inner, max_size=6)),
                           max_leaves=25)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values, st.sampled_from(["Event", "BusinessEvent", ["Event", "Thing"], None, 7]))
def test_structured_readers_survive_arbitrary_json_ld(value, kind):
    if isinstance(value, dict):
        value = dict(value, **{"@type": kind})
    page_body = _jsonld_page(json.dumps(value, allow_nan=True).replace("</", "<\\/"))
    for reader_name, read in every_reader().items():
        assert isinstance(read(Page(page_body, "https://assoc.example/events")), list), reader_name
        assert isinstance(read(Page(json.dumps(value).encode(), "https://assoc.example/api", "application/json")),
                          list), reader_name


def test_a_reader_at_the_limits_still_reads_something_sensible():
    """The survivors are not just silent: a plain event next to hostile markup is still found."""
    body = ("<html><head>" + _jsonld_page(json.dumps(dict(_EVENT, name="<script>x</script>Real Event")).replace("</", "<\\/")).decode()
            + "</head><body>" + "<div>" * 5000 + "</body></html>").encode()
    extraction = extract_page(Page(body, "https://assoc.example/events"))
    assert [clean(e.title) for e in extraction.events] == ["Real Event"]


def test_the_feed_window_stays_bounded_for_a_secondly_rule():
    """An RRULE firing every second must not expand into millions of occurrences."""
    body = HOSTILE_PAGES["iCalendar bomb"]
    events = extract_page(Page(body, "https://assoc.example/cal.ics", "text/calendar",
                               since=datetime(2030, 1, 1).date(),
                               until=(datetime(2030, 1, 1) + timedelta(days=366)).date())).events
    assert 0 < len(events) < 200_000


# -- encodings: undeclared, wrongly declared, broken ---------------------------------------

@pytest.mark.parametrize("body, content_type, expected", [
    ("Café — Gala".encode("cp1252"), "text/html; charset=utf-8", "Café — Gala"),  # cp1252 sent as UTF-8
    ("Café — Gala".encode("utf-8"), "text/html; charset=iso-8859-1", "Café — Gala"),  # UTF-8 sent as Latin-1
    ("Café — Gala".encode("cp1252"), None, "Café — Gala"),  # undeclared
    ('<meta charset="shift_jis"><p>東京セミナー</p>'.encode("shift_jis"), "text/html", "東京セミナー"),
    ("Séminaire à Montréal".encode("utf-16"), None, "Séminaire à Montréal"),  # BOM
    ("Café".encode("cp1252"), "text/html; charset=no-such-charset", "Café"),
    ("Résumé clinic — São Paulo, Zürich".encode("utf-8") + b"\x93quoted\x94", None, "São Paulo, Zürich"),
])
def test_text_survives_undeclared_and_wrong_encodings(body, content_type, expected):
    assert expected in Page(body, "https://a.example/", content_type).text


def test_invalid_bytes_in_a_page_do_not_cost_its_events():
    body = _jsonld_page(json.dumps(dict(_EVENT, name="Café Gala"), ensure_ascii=False)).replace(
        b"<body>", b"<body>\xff\xfe\x81 broken \xc3\x28")
    page = Page(body, "https://a.example/", "text/html; charset=utf-8")
    assert [e.title for e in extract_page(page).events] == ["Café Gala"]


def test_coordinates_that_place_nothing_are_dropped():
    """"GEO:nan;inf" reads as floats; the store writes JSON, and no feed should say GEO:nan."""
    start = datetime(2027, 3, 1, 18, tzinfo=timezone.utc)
    for lat, lon in ((float("nan"), 1.0), (float("inf"), float("-inf")), (400.0, 2.0)):
        event = publishable(Event("Gala", start, location=Location(city="Atlanta", lat=lat, lon=lon)))
        assert event.location.city == "Atlanta"
        assert event.location.lat is None or event.location.lon is None, (lat, lon)
    kept = publishable(Event("Gala", start, location=Location(lat=33.75, lon=-84.39))).location
    assert (kept.lat, kept.lon) == (33.75, -84.39)
