"""Clear reasons when the answer is not events: a sign-in page, an HTML page where a feed was expected,
a JSON error served as text/plain, a waiting-room or redirect page. Each served on loopback and read as a
run reads it."""

from __future__ import annotations

import asyncio
import time

import pytest

from eventscout.flows.config import Source
from eventscout.flows.reading.fetch import Fetcher, Limits
from eventscout.flows.reading.read import FAILED, read_source
from eventscout.scrapers import Page, extract_page
from tests.support import send

SIGN_IN = b"""<!doctype html><html><head><title>Sign in - Google Accounts</title></head><body>
<form method="post" action="/signin/v2"><input type="email" name="identifier"><input type="password" name="Passwd">
<button>Next</button></form></body></html>"""


def run(loopback, path: str, fmt: str = "auto"):
    source = Source(id="s", name="S", url=f"{loopback.url}{path}", format=fmt, allow_private=True)

    async def go():
        async with Fetcher(Limits(retries=0), allow_private=True) as fetcher:
            return await read_source(source, fetcher, deadline=time.monotonic() + 10, allow_private=True)

    return asyncio.run(go())


def test_a_private_calendar_that_redirects_to_a_sign_in_page(loopback):
    def to_sign_in(handler):
        send(handler, 302, b"", "text/html", {"Location": "/accounts/ServiceLogin?continue=basic.ics"})

    loopback.routes["/calendar/ical/club%40example.org/private/basic.ics"] = to_sign_in
    loopback.serve("/accounts/ServiceLogin", SIGN_IN)
    result = run(loopback, "/calendar/ical/club%40example.org/private/basic.ics", "ical")
    assert result.status == FAILED
    assert result.reason.startswith("the calendar is private: ")
    assert "use its public address" in result.reason


def test_an_html_page_where_a_feed_was_expected(loopback):
    loopback.serve("/events.ics", "<html><head><title>Events</title></head><body><p>Our events</p></body></html>")
    result = run(loopback, "/events.ics")
    assert result.reason.startswith("an HTML page where a feed was expected")


def test_a_json_error_served_as_text_plain(loopback):
    loopback.serve("/api/events", '{"error": {"code": 401, "message": "API key missing or invalid"}}', "text/plain")
    result = run(loopback, "/api/events", "records")
    assert result.reason == ("the server answered with an error in JSON (served as text/plain): "
                             "API key missing or invalid")


@pytest.mark.parametrize("body, start", [
    (b"<html><head><title>Just a moment...</title></head><body>Checking your browser before accessing</body></html>",
     "a waiting-room or bot-check page"),
    (b"<html><body><p>You are now in line.</p><script src='https://static.queue-it.net/script/queueclient.js'>"
     b"</script></body></html>", "a waiting-room or bot-check page"),
    (b'<html><head><meta http-equiv="refresh" content="0; url=https://new.example.org/events/"></head></html>',
     "a redirect page, not the events: it sends readers on to https://new.example.org/events/"),
])
def test_waiting_room_and_redirect_pages(body, start):
    extraction = extract_page(Page(body, "https://example.org/events/", "text/html"))
    assert extraction.events == [] and extraction.reason.startswith(start)


def test_a_page_with_events_and_a_login_box_is_read_as_events():
    body = b"""<html><head><title>Events</title></head><body><form><input type="password"></form>
<script type="application/ld+json">{"@type": "Event", "name": "Spring Mixer", "startDate": "2026-04-01T18:00"}
</script></body></html>"""
    extraction = extract_page(Page(body, "https://example.org/events/", "text/html"))
    assert [e.title for e in extraction.events] == ["Spring Mixer"] and extraction.reason is None
