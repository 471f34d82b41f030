"""Helpers for reader tests: read a fixture page the way the pipeline would."""

from __future__ import annotations

from pathlib import Path

from eventscout.scrapers import Event, Page, extract_page

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "pages"


def page(name: str, url: str = "https://assoc.example/events/", **kw) -> Page:
    return Page((FIXTURES / name).read_bytes(), url, **kw)


def by_title(events: list[Event]) -> dict[str, Event]:
    return {e.title: e for e in events}


def extract_fixture(name: str, url: str = "https://assoc.example/events/", **kw):
    return extract_page(page(name, url, **kw))
