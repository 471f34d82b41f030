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
    bad = len(_NOISE.findall(text))
    if len(text) > 64 and bad > len(text) * 0.1:
        return "not an events page: the body is binary noise, not text"
    return None
