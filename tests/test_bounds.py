"""Bounds on what one source and one feed may hold: over them the soonest events are kept, and the
run says so in a plain line naming the source or feed (a real loopback site, a real store)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import icalendar

from eventscout.flows.cli import render
from eventscout.flows.config import Feed, parse_config
from eventscout.flows.publishing.publish import write_feeds
from eventscout.flows.reading.fetch import Limits
from eventscout.flows.reading.page_jobs import soonest
from eventscout.flows.reading.read import OK, read_sources
from eventscout.flows.store import Store
from eventscout.scrapers.event import Event

TODAY = datetime.now(timezone.utc).replace(hour=17, minute=0, second=0, microsecond=0)


def daily_feed(days: int) -> str:
    first = (TODAY + timedelta(days=1)).strftime("%Y%m%dT%H%M%SZ")
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//eventscout tests//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:daily@t\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:{first}\r\nDURATION:PT1H\r\n"
            f"RRULE:FREQ=DAILY;COUNT={days}\r\nSUMMARY:Daily Engineers Coffee\r\nEND:VEVENT\r\n"
            "BEGIN:VEVENT\r\nUID:gala@t\r\nDTSTAMP:20240101T000000Z\r\n"
            f"DTSTART:{(TODAY + timedelta(days=2)).strftime('%Y%m%dT%H%M%SZ')}\r\nDURATION:PT3H\r\n"
            "SUMMARY:Annual Engineers Gala\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def test_the_defaults_keep_the_pipeline_benchmarks_feeds_whole():
    assert Limits().max_events_per_source >= 5_000
    assert Feed(id="all", title="All").max_events >= 50_000


def test_a_source_over_its_cap_keeps_its_soonest_events_and_says_so(loopback):
    loopback.serve("/coffee.ics", daily_feed(60), "text/calendar")
    config = parse_config(f"sources:\n  - {{id: coffee, name: Coffee, url: '{loopback.url}/coffee.ics', "
                          "allow_private: true}\n")
    (result,) = asyncio.run(read_sources(config.sources, Limits(max_events_per_source=10), {}))
    assert result.status == OK
    assert len(result.events) == 10
    assert "capped: it listed over 10 events; the soonest 10 were kept" in result.reason
    starts = sorted(e.start for e in result.events)
    assert starts[0] == TODAY + timedelta(days=1)
    assert starts[-1] == TODAY + timedelta(days=9)
    assert "Annual Engineers Gala" in {e.title for e in result.events}


def test_soonest_puts_past_events_after_those_to_come():
    now = datetime(2026, 5, 1, tzinfo=timezone.utc)
    past = Event("Past", now - timedelta(days=3), key="p")
    later = Event("Later", now + timedelta(days=30), key="l")
    soon = Event("Soon", now + timedelta(days=1), key="s")
    assert [e.title for e in soonest([past, later, soon], 2, now)] == ["Soon", "Later"]
    assert soonest([past, later], None, now) == [past, later]


def test_a_feed_over_its_max_events_keeps_the_soonest_and_the_summary_says_so(tmp_path, capsys):
    config = parse_config("sources:\n  - {id: eng, name: Eng, url: 'https://eng.example/'}\n"
                          "feeds:\n  - {id: few, title: Few, max_events: 5}\n  - {id: all, title: All}\n")
    events = [Event(f"Meetup {i}", TODAY + timedelta(days=i + 1), key=str(i)) for i in range(8)]
    with Store(tmp_path / "s.db") as store:
        store.save_source_events("eng", events)
        reports, _ = write_feeds(config, store, tmp_path / "out")
    few, everything = reports
    assert (few.events, few.capped) == (5, 3) and (everything.events, everything.capped) == (8, 0)
    titles = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(
        (tmp_path / "out" / "few.ics").read_bytes()).walk("VEVENT")]
    assert sorted(titles) == [f"Meetup {i}" for i in range(5)]

    from eventscout.flows.orchestration.discover import RunSummary  # it loads Prefect

    render.print_summary(RunSummary.from_dict({
        "sources": [{"source": "coffee", "status": "ok", "events": 10, "new": 10, "changed": 0, "removed": 0,
                     "reader": "ical", "reason": "capped: it listed over 10 events; the soonest 10 were kept"}],
        "feeds": [{"feed": "few", "events": 5, "capped": 3, "path": "few.ics", "written": True}]}))
    printed = capsys.readouterr().out
    assert "capped: feed few: matched 8 events, kept the soonest 5" in printed
    assert "ok: coffee: capped: it listed over 10 events; the soonest 10 were kept" in printed


def test_a_feed_cap_is_checked_in_the_sources_file():
    from eventscout.flows.config import ConfigError

    try:
        parse_config("feeds:\n  - {id: few, title: Few, max_events: 0}\n")
    except ConfigError as exc:
        assert "max_events" in exc.problems[0]
    else:
        raise AssertionError("max_events: 0 was accepted")


def test_an_explicit_window_is_read_whole_by_extract(tmp_path):
    """`eventscout extract --since/--until` is not held to the run's per-source cap."""
    import json
    import subprocess
    import sys

    feed = tmp_path / "coffee.ics"
    feed.write_text(daily_feed(7000))
    since = (TODAY + timedelta(days=1)).date()
    done = subprocess.run([sys.executable, "-m", "eventscout.flows.cli", "extract", str(feed), "--json",
                           "--since", since.isoformat(), "--until", (since + timedelta(days=7100)).isoformat()],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 7001
