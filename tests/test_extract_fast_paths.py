"""The shortcuts that make `eventscout.scrapers.extract` fast must give what the long way gives."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from eventscout.scrapers import extract
from eventscout.scrapers.address import _STREETISH, _is_streetish, split_location
from eventscout.scrapers.microdata import item_properties
from eventscout.scrapers.microdata import read as read_microdata
from eventscout.scrapers.page import Page, decode, read_json
from eventscout.scrapers.sniff import _NOISE, _noise, not_an_events_page
from eventscout.scrapers.text import html_to_text

EMOJI = "\U0001F600".encode()


@pytest.mark.parametrize("body", [
    b"<p>plain ascii</p>",
    b"a" * 3 + EMOJI * 4100,  # four-byte characters across the 4096-character mark
    "<p>café ’quotes’</p>".encode() * 2000,
    codecs.BOM_UTF8 + "<p>é</p>".encode(),
    "<p>café</p>".encode("cp1252") * 3000,  # not UTF-8: the text is cp1252
    codecs.BOM_UTF16_LE + "<p>é</p>".encode("utf-16-le"),
    "<p>é</p>".encode() * 5000 + b"\xff",  # one stray byte at the very end
])
def test_the_start_of_the_text_is_the_start_of_the_whole_text(body):
    text, charset = decode(body)
    page = Page(body, "https://a.example/")
    assert page.plain_utf8 == (charset == "utf-8")
    assert page.text_start == text[:4096]


def test_a_utf8_page_is_parsed_without_decoding_it_whole():
    body = ('<html><body><script type="application/ld+json">{"@type":"Event","name":"Café night",'
            '"startDate":"2025-03-01T18:00"}</script></body></html>').encode() + "é".encode() * 50_000
    page = Page(body, "https://a.example/")
    assert not_an_events_page(page) is None
    assert page.tree.css_first("script") is not None
    assert "text" not in vars(page)
    assert [e.title for e in extract(body, "https://a.example/")] == ["Café night"]


@pytest.mark.parametrize("text", [
    '{"@type": "Event", "name": "Caf\\u00e9", "startDate": "2027-03-01", "n": [1, 2.5, true, null]}',
    '{"name": "Board", "capacity": NaN}',  # not JSON, but what Python's writer puts out
    '{"name": "Board\tMeeting"}',  # a raw tab inside a string
    '["\\ud800 lone surrogate"]',
    b'{"name": "Caf\xc3\xa9"}',
])
def test_json_is_read_as_the_lenient_reader_reads_it(text):
    lenient = json.JSONDecoder(strict=False).decode
    assert read_json(text) == lenient(text if isinstance(text, str) else text.decode())


@pytest.mark.parametrize("doctype", ["", "<!doctype html>"])
def test_one_query_hands_each_reader_the_nodes_its_own_query_would(doctype):
    body = (doctype + '<html><head><script src="/app.js"></script>'
            '<script type="application/ld+json">{"@type": "Event"}</script></head><body>'
            '<div itemscope itemtype="https://schema.org/Event"><span itemprop="name">A</span>'
            '<div itemprop="location" itemscope class="vevent"><script>var x = 1;</script></div></div>'
            '<section class="h-event other"><p class="VEVENT">quirks</p></section>'
            '<p class="vevent-like">not a root</p><SCRIPT ID="data" TYPE="Application/JSON">{}</SCRIPT>'
            '</body></html>')
    page = Page(body.encode(), "https://a.example/")
    tree = page.tree
    inline = [node for node in tree.css("script") if "src" not in node.attributes]
    assert page.scripts == [(( node.attributes.get("type") or "").lower(), node.attributes.get("id") or "",
                             node.text()) for node in inline]
    assert [node.mem_id for node in page.microdata_items] == [node.mem_id for node in tree.css("[itemscope]")]
    assert [node.mem_id for node in page.hcalendar_roots] == [
        node.mem_id for node in tree.css(".vevent, .h-event")]
    assert len(page.hcalendar_roots) == (3 if not doctype else 2)  # quirks mode: "VEVENT" is "vevent"


@pytest.mark.parametrize("head, name", [
    ('<meta name="application-name" content="Metro  HR App"><meta property="og:site_name" content="Metro HR">',
     "Metro HR"),
    ('<meta property="og:site_name" content=" "><meta name="application-name" content="Metro HR App">',
     "Metro HR App"),
    ('<meta property="og:title" content="Spring Mixer">', None),
])
def test_the_site_name_is_og_site_name_first_then_the_application_name(head, name):
    body = f"<html><head>{head}</head><body><p>Events</p></body></html>".encode()
    assert Page(body, "https://a.example/").site_name == name


def test_properties_of_a_nested_item_stay_with_it():
    body = b"""<div itemscope itemtype="https://schema.org/Event">
      <span itemprop="name">Board meeting</span><meta itemprop="startDate" content="2025-04-02T09:00">
      <div itemprop="location" itemscope itemtype="https://schema.org/Place"><span itemprop="name">Hall</span>
        <div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">
          <span itemprop="addressLocality">Akron</span></div></div></div>"""
    page = Page(body, "https://a.example/")
    event = page.tree.css_first("[itemscope]")
    props = item_properties(event)
    assert props["name"] == ["Board meeting"]
    assert props["location"][0]["name"] == ["Hall"]
    assert props["location"][0]["address"][0]["addressLocality"] == ["Akron"]
    [reading] = read_microdata(page)
    assert (reading.title, reading.location.name, reading.location.city) == ("Board meeting", "Hall", "Akron")


def test_a_page_with_very_many_properties_reads_the_same():
    filler = b'<span itemprop="keywords">x</span>' * 600  # past the one-query-for-all bound
    body = (b'<div itemscope itemtype="https://schema.org/Event"><span itemprop="name">Gala</span>'
            b'<meta itemprop="startDate" content="2025-05-05">' + filler + b"</div>")
    [reading] = read_microdata(Page(body, "https://a.example/"))
    assert reading.title == "Gala"


@pytest.mark.parametrize("text", ["3631 Perkins Ave.", "Main St", "CPOC March Virtual Town Hall", "Hauptstraße 5",
                                  "Bahnhofweg 3", "Hauptstr. 9", "Kelvin Court", "ſt Thing", "Cleveland OH 44114",
                                  "4th Floor", "Suite_9", "12b", "Rue de la Paix"])
def test_street_words_are_found_as_the_pattern_finds_them(text):
    assert _is_streetish(text) == (_STREETISH.search(text) is not None)
    assert split_location(text) is not None


@pytest.mark.parametrize("value, expected", [
    ("  a   b  ", "a b"),
    ("a\u00a0\u00a0b\t c", "a b c"),
    ("line one  \n \n  line two", "line one\nline two"),
    ("<p>one</p>\r\n<p>two</p>", "one\ntwo"),
])
def test_description_blanks_are_squeezed(value, expected):
    assert html_to_text(value) == expected


SQUARESPACE_LIST = b"""<!doctype html><html><body><div class="eventlist">
<article class="eventlist-event eventlist-event--upcoming">
  <h1 class="eventlist-title"><a href="/events/brand-breakfast" class="eventlist-title-link">Brand Breakfast</a></h1>
  <time class="event-date" datetime="2026-05-04">Monday, May 4, 2026</time>
  <time class="event-time-24hr-start" datetime="2026-05-04">08:00</time>
  <time class="event-time-24hr-end" datetime="2026-05-04">09:30</time>
</article></div></body></html>"""


@pytest.mark.parametrize("body", [(Path(__file__).parent / "fixtures" / "pages" / "tribe_views.html").read_bytes(),
                                  SQUARESPACE_LIST])
def test_readers_that_scan_the_bytes_for_their_classes_read_a_page_in_utf16_too(body):
    in_utf16 = codecs.BOM_UTF16_LE + body.decode("utf-8").encode("utf-16-le")
    as_utf8 = extract(body, "https://assoc.example/events/")
    assert as_utf8 and {e.source_format for e in as_utf8} & {"tribe", "squarespace"}
    assert extract(in_utf16, "https://assoc.example/events/") == as_utf8


@pytest.mark.parametrize("text", ["<p>plain</p>\n\t\r\x0c" * 10, "caf\u00e9 \u00a0 \u200b \x7f", "bad \ufffd byte",
                                  "ctl \x01\x02\x0b\x1f", "", "\x00" * 70])
def test_noise_is_counted_as_the_pattern_counts_it(text):
    assert _noise(text) == len(_NOISE.findall(text))
