"""Recognise bytes that cannot be an events page, whatever the Content-Type claims."""

from __future__ import annotations

import re

from eventscout.scrapers.page import Page

_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\x1f\x8b", "gzip-compressed bytes"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"RIFF", "a media file"),
    (b"\x00\x00\x01\x00", "an icon"),
)


_NOISE = re.compile("[\ufffd\x00-\x08\x0b\x0e-\x1f]")


def not_an_events_page(page: Page) -> str | None:
    """A reason the page holds no events at all, or None when readers should look."""
    body = page.body
    if not body[:256].strip() and not body.strip():  # the slice spares copying a big body
        return "not an events page: the response was empty"
    for magic, what in _MAGIC:
        if body.startswith(magic):
            return f"not an events page: the body is {what}"
    sample = body[:4096]
    if sample.count(0) > 0 and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "not an events page: the body is binary data"
    text = page.text_start
    if len(text) > 64 and _noise(text) > len(text) * 0.1:
        return "not an events page: the body is binary noise, not text"
    return None


def _noise(text: str) -> int:
    """How many characters of `text` are control characters or U+FFFD; none, answered without a
    pattern, when all but its line breaks and tabs are printable (as in nearly every page)."""
    if "\ufffd" not in text and text.replace("\n", "").replace("\r", "").replace("\t", "").replace(
            "\x0c", "").isprintable():
        return 0
    return len(_NOISE.findall(text))


#: readers whose address should answer with a feed or an API payload, not a web page
FEED_FORMATS = ("ical", "rss", "records", "tribe", "eventbrite", "meetup", "localist")
_FEED_URL = re.compile(r"\.(?:ics|ical|ifb|rss|xml|json)(?:$|\?)|[?&](?:ical|ics)=1|[?&]format=(?:json|ical|rss)|"
                       r"/ical/?(?:$|\?)|/feed/?(?:$|\?)|/wp-json/|/api/|basic\.ics|/rss(?:$|\?|/)", re.I)
_SIGN_IN_URL = re.compile(r"/(?:login|log-in|signin|sign-in|sign_in|auth|oauth2?|sso|account/login|users/sign_in)"
                          r"(?:[/?.]|$)|accounts\.google\.com|login\.microsoftonline\.com|login\.live\.com", re.I)
_SIGN_IN_WORDS = re.compile(rb"<title>[^<]{0,80}\b(?:sign[ -]?in|log[ -]?in|login|authenticat\w*)\b", re.I)
_PASSWORD = re.compile(rb"<input[^>]+type\s*=\s*[\"']?password", re.I)
_WAITING_ROOM = re.compile(
    rb"queue-it\.net|you are (?:now )?in (?:the )?(?:line|queue)|waiting room|checking your browser|"
    rb"just a moment\.\.\.|cf-browser-verification|challenge-platform|please wait while (?:we|you are) redirect", re.I)
_REDIRECT = re.compile(rb"<meta[^>]+http-equiv\s*=\s*[\"']?refresh[^>]*url\s*=\s*[\"']?([^\"'>\s]+)", re.I)
_SCRIPT_REDIRECT = re.compile(rb"(?:window\.|document\.)?location(?:\.href)?\s*=\s*[\"']([^\"']+)[\"']|"
                              rb"location\.replace\(\s*[\"']([^\"']+)[\"']", re.I)
_ERROR_KEYS = ("error", "errors", "error_description", "fault")


def no_events_reason(page: Page, format: str = "auto") -> str | None:
    """Why a page that yielded no events is not the events, when the page says so itself.

    A sign-in page where a calendar was expected, an HTML page where a feed was
    expected, a JSON error (whatever Content-Type it came with), a waiting-room or
    redirect page. None when nothing marks the page as any of these.
    """
    body = page.body[:200_000]
    if page.looks_like_html:
        if _SIGN_IN_URL.search(page.url) or (_PASSWORD.search(body) and _SIGN_IN_WORDS.search(body)) or (
                _PASSWORD.search(body) and body.count(b"<a ") < 40):
            return ("the calendar is private: the address answers with a sign-in page; publish the calendar "
                    "(or share it publicly) or use its public address")
        if _WAITING_ROOM.search(body):
            return ("a waiting-room or bot-check page, not the events: the site held the request back; "
                    "try again later, or use the site's feed")
        target = _REDIRECT.search(body) or (len(body) < 4_000 and _SCRIPT_REDIRECT.search(body))
        if target:
            link = next(g for g in target.groups() if g).decode("utf-8", "replace")
            return f"a redirect page, not the events: it sends readers on to {link}; use that address instead"
        if format in FEED_FORMATS or _FEED_URL.search(page.url):
            what = f"the {format} feed" if format in FEED_FORMATS else "a feed"
            return (f"an HTML page where {what} was expected: the address gives a web page; use the feed's own "
                    "address (the page may link to it), or format: auto to read the page")
        return None
    data = page.json
    if isinstance(data, dict):
        message = _json_error(data)
        if message is not None:
            served = f" (served as {page.content_type})" if page.content_type and "json" not in page.content_type else ""
            return f"the server answered with an error in JSON{served}: {message}"
    return None


def _json_error(data: dict) -> str | None:
    """The message of a JSON error answer ({"error": ...}, {"errors": [...]}, {"status": 404, "message": ...})."""
    for key in _ERROR_KEYS:
        value = data.get(key)
        if value:
            return _message(value)
    status = data.get("status", data.get("code", data.get("statusCode")))
    if isinstance(status, int) and status >= 400 or isinstance(status, str) and status.lower() in ("error", "fail"):
        return _message(data.get("message") or data.get("detail") or data.get("title") or status)
    return None


def _message(value: object) -> str:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("message") or value.get("detail") or value.get("title") or value.get("code") or value
    return " ".join(str(value).split())[:200]
