"""The whole path as a user runs it: `eventscout run` against five association sites on loopback.

The sites (flows/demo.py) speak JSON-LD, iCalendar, The Events Calendar REST
and microdata. The feeds must hold exactly the right events by industry and
city, each at the right instant with its place and an absolute URL, with the
same UIDs on every run, and lose nothing while two sites are down. The
national SHRM site lists events in several cities; between the runs its
Atlanta chapter starts posting the same breakfast under its own title, and
the feeds keep it once, with both links, under the UID of the first run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from eventscout.flows.onboarding.demo import DemoSites

NY = ZoneInfo("America/New_York")
CHICAGO = ZoneInfo("America/Chicago")


def eventscout(*args: str, env_home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, EVENTSCOUT_HOME=str(env_home), EVENTSCOUT_ALLOW_PRIVATE="1", COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "eventscout.flows.cli", *args], capture_output=True, text=True,
                          env=env, timeout=300)


def read_feed(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Run twice: once with every site up, once with TAG and SHRM answering 503 and the chapter
    reposting SHRM's breakfast."""
    root = tmp_path_factory.mktemp("e2e")
    with DemoSites() as sites:
        sources = sites.write_sources(root / "sources.yaml")
        sites.chapter_reposts_breakfast = False
        first = eventscout("run", "--sources", str(sources), "--output", str(root / "out1"),
                           "--db", str(root / "store.db"), env_home=root / "home")
        sites.down = {"tag", "shrm"}
        sites.chapter_reposts_breakfast = True
        second = eventscout("run", "--sources", str(sources), "--output", str(root / "out2"),
                            "--db", str(root / "store.db"), env_home=root / "home")
        yield sites, root, first, second


def test_the_run_completes_and_reports_every_source(runs):
    sites, root, first, _ = runs
    assert first.returncode == 0, first.stdout + first.stderr
    for source in ("tag", "pmi-atlanta", "shrm", "ama-atlanta", "shrm-atlanta"):
        assert source in first.stdout
    assert "5 of 5 sources read" in first.stdout


def test_feeds_hold_exactly_the_right_events_by_industry_and_city(runs):
    _, root, *_ = runs
    out = root / "out1"
    assert set(read_feed(out / "atlanta-tech.ics")) == {"TAG Cybersecurity Summit", "CANCELLED: Tech Talent Mixer"}
    assert set(read_feed(out / "hr-everywhere.ics")) == {
        "SHRM Atlanta HR Leaders Breakfast", "SHRM Chicago Talent Forum", "Employment Law Webinar",
        "State Council Roundtable", "Atlanta HR Career Fair"}
    assert set(read_feed(out / "atlanta-all.ics")) == {
        "TAG Cybersecurity Summit", "CANCELLED: Tech Talent Mixer", "AI for Product Teams (Webinar)",
        "PMI Atlanta Chapter Meeting", "PMP Exam Bootcamp", "SHRM Atlanta HR Leaders Breakfast",
        "Employment Law Webinar", "Brand Storytelling Workshop", "Atlanta HR Career Fair"}
    pm = icalendar.Calendar.from_ical((out / "pm-and-marketing.ics").read_bytes()).walk("VEVENT")
    titles = sorted(str(e["SUMMARY"]) for e in pm)
    assert titles.count("PMI Atlanta Chapter Meeting") == 2, "both weekly occurrences"
    assert "Brand Storytelling Workshop" in titles and "SHRM Chicago Talent Forum" not in titles


def test_each_event_is_at_the_right_instant_with_its_place_and_an_absolute_url(runs):
    sites, root, *_ = runs
    feed = read_feed(root / "out1" / "atlanta-all.ics")
    summit = feed["TAG Cybersecurity Summit"]
    assert summit.decoded("DTSTART") == datetime.combine(sites.day(10), datetime.min.time(), NY).replace(hour=9)
    assert "Georgia Tech Hotel" in str(summit["LOCATION"]) and "Atlanta" in str(summit["LOCATION"])
    assert str(summit["URL"]) == f"{sites.base_url}/tag/events/cyber-summit"
    breakfast = feed["SHRM Atlanta HR Leaders Breakfast"]
    assert breakfast.decoded("DTSTART") == datetime.combine(sites.day(7), datetime.min.time(), NY).replace(hour=8)
    workshop = feed["Brand Storytelling Workshop"]
    assert workshop.decoded("DTSTART") == datetime.combine(sites.day(14), datetime.min.time(), NY).replace(hour=18)
    assert str(workshop["URL"]) == f"{sites.base_url}/ama-atlanta/events/brand-storytelling"
    chicago = read_feed(root / "out1" / "hr-everywhere.ics")["SHRM Chicago Talent Forum"]
    assert chicago.decoded("DTSTART") == datetime.combine(sites.day(8), datetime.min.time(), CHICAGO).replace(hour=9)
    bootcamp = feed["PMP Exam Bootcamp"]
    assert bootcamp.decoded("DTSTART") == sites.day(20) and bootcamp.decoded("DTEND") == sites.day(22)
    for event in feed.values():
        assert str(event["URL"]).startswith("http://127.0.0.1:")
        start = event.decoded("DTSTART")
        assert not isinstance(start, datetime) or start.tzinfo is not None, "never floating"


def test_a_cancelled_event_is_published_cancelled_the_first_time_it_is_seen(runs):
    _, root, *_ = runs
    mixer = read_feed(root / "out1" / "atlanta-tech.ics")["CANCELLED: Tech Talent Mixer"]
    assert str(mixer["STATUS"]) == "CANCELLED"


def test_no_event_is_lost_while_two_sites_are_down_and_uids_stay_the_same(runs):
    _, root, _, second = runs
    assert second.returncode == 0, second.stdout + second.stderr
    assert "3 of 5 sources read, 2 failed" in second.stdout
    assert "HTTP 503" in second.stdout
    for name in ("atlanta-all", "atlanta-tech", "hr-everywhere", "pm-and-marketing", "georgia-hr-meetups"):
        before = icalendar.Calendar.from_ical((root / "out1" / f"{name}.ics").read_bytes()).walk("VEVENT")
        after = icalendar.Calendar.from_ical((root / "out2" / f"{name}.ics").read_bytes()).walk("VEVENT")
        assert sorted(str(e["UID"]) for e in before) == sorted(str(e["UID"]) for e in after), name
        assert sorted(e.decoded("DTSTART").isoformat() for e in before) == \
            sorted(e.decoded("DTSTART").isoformat() for e in after), name


def test_the_chapters_repost_is_merged_into_the_national_event_with_both_links(runs):
    sites, root, *_ = runs
    for name in ("atlanta-all", "hr-everywhere", "georgia-hr-meetups"):
        before = read_feed(root / "out1" / f"{name}.ics")
        after = icalendar.Calendar.from_ical((root / "out2" / f"{name}.ics").read_bytes()).walk("VEVENT")
        breakfasts = [e for e in after if "Breakfast" in str(e["SUMMARY"])]
        assert [str(e["SUMMARY"]) for e in breakfasts] == ["SHRM Atlanta HR Leaders Breakfast"], name
        (breakfast,) = breakfasts
        assert str(breakfast["UID"]) == str(before["SHRM Atlanta HR Leaders Breakfast"]["UID"]), name
        text = str(breakfast["DESCRIPTION"])
        assert f"Details: {sites.base_url}/shrm/event/hr-breakfast-atl/" in text
        assert f"Also posted by SHRM Atlanta: {sites.base_url}/shrm-atlanta/events/leaders-breakfast" in text


def test_a_feed_by_region_event_type_and_days_ahead(runs):
    _, root, *_ = runs
    assert set(read_feed(root / "out1" / "georgia-hr-meetups.ics")) == {
        "SHRM Atlanta HR Leaders Breakfast", "Atlanta HR Career Fair"}


def test_the_summary_names_per_feed_the_in_person_events_it_could_not_place(runs):
    _, root, first, _ = runs
    printed = " ".join(first.stdout.split())
    for feed in ("atlanta-all", "georgia-hr-meetups"):
        assert (f"{feed}: left out 1 in-person event(s) whose place could not be resolved "
                f"(see `eventscout explain --feed {feed} --sources {root / 'sources.yaml'} --db "
                f"{root / 'store.db'}`): State Council Roundtable") in printed
    assert "hr-everywhere: left out" not in printed, "a feed without a place filter judges no place"


def test_a_broken_sources_file_stops_the_run_before_fetching(tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_text("sources:\n  - id: x\n    name: X\n    url: not a url\n")
    result = eventscout("run", "--sources", str(bad), "--output", str(tmp_path / "out"),
                        env_home=tmp_path / "home")
    assert result.returncode == 2
    assert "sources.yaml:4: sources[0].url" in result.stderr and "http(s) URL" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("setting, value", [("EVENTSCOUT_READ_TIMEOUT", "many"), ("EVENTSCOUT_CONCURRENCY", "0"),
                                            ("EVENTSCOUT_READ_PROCESSES", "two")])
def test_a_bad_reading_setting_stops_the_run_with_one_line_naming_it(tmp_path, setting, value):
    """Not a traceback, and not a run waiting forever for readers that never started (a bad
    EVENTSCOUT_READ_TIMEOUT used to leave the flow waiting on the reading thread's batches)."""
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - id: chapter\n    name: Chapter\n    url: http://127.0.0.1:9/events\n")
    env = dict(os.environ, EVENTSCOUT_HOME=str(tmp_path / "home"), EVENTSCOUT_ALLOW_PRIVATE="1", COLUMNS="200",
               **{setting: value})
    result = subprocess.run([sys.executable, "-m", "eventscout.flows.cli", "run", "--sources", str(sources),
                             "--output", str(tmp_path / "out"), "--db", str(tmp_path / "store.db")],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert f"error: {setting}={value!r}" in result.stderr
    assert "Traceback" not in result.stderr


def test_each_good_run_keeps_a_copy_of_the_store(runs):
    import sqlite3

    _, root, _, second = runs
    assert second.returncode == 0
    with sqlite3.connect(root / "store.db.backup") as copy, sqlite3.connect(root / "store.db") as live:
        query = "SELECT COUNT(*), MAX(finished) FROM runs"
        assert copy.execute(query).fetchone() == live.execute(query).fetchone()
        assert copy.execute("SELECT COUNT(*) FROM events").fetchone()[0] > 0


@pytest.mark.slow
def test_a_batch_is_stored_as_soon_as_it_is_read_while_another_host_is_still_answering(tmp_path):
    """The run writes each batch of sources to the store when it is read, not after the slowest
    host: a large run holds fewer rows at once, and the writing overlaps the waiting. Here one
    host does not answer until the other's events are seen in the store file."""
    import sqlite3
    import threading
    import time

    from tests.support import LoopbackServer, send

    def page(title: str) -> str:
        return ('<html><body><script type="application/ld+json">{"@context": "https://schema.org", '
                f'"@type": "Event", "name": "{title}", "startDate": "2031-05-01T18:00:00-04:00", '
                '"location": {"@type": "Place", "name": "Hall", "address": "1 Main St, Atlanta, GA"}}'
                '</script></body></html>')

    fast, slow = LoopbackServer(), LoopbackServer()
    fast.serve("/events", page("Fast Mixer"))
    released = threading.Event()

    def held(handler) -> None:
        released.wait(100)
        send(handler, 200, page("Slow Summit").encode(), "text/html; charset=utf-8")

    slow.routes["/events"] = held
    for server in (fast, slow):
        server.thread.start()
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"""feeds:
  - id: all
    title: Everything
sources:
  - id: fast
    name: Fast Chapter
    url: {fast.url}/events
  - id: slow
    name: Slow Chapter
    url: {slow.url}/events
""")
    db = tmp_path / "store.db"
    env = dict(os.environ, EVENTSCOUT_HOME=str(tmp_path / "home"), EVENTSCOUT_ALLOW_PRIVATE="1",
               EVENTSCOUT_REQUEST_TIMEOUT="150", EVENTSCOUT_SOURCE_BUDGET="200")
    run = subprocess.Popen([sys.executable, "-m", "eventscout.flows.cli", "run", "--sources", str(sources),
                            "--output", str(tmp_path / "out"), "--db", str(db)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    seen_while_held = False
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and run.poll() is None and not released.is_set():
            if db.exists():
                try:
                    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as connection:
                        titles = {row[0] for row in connection.execute(
                            "SELECT json_extract(data, '$.title') FROM events")}
                except sqlite3.Error:
                    titles = set()
                if "Fast Mixer" in titles:
                    seen_while_held = True
                    break
            time.sleep(0.2)
    finally:
        released.set()
        output, _ = run.communicate(timeout=300)
    assert run.returncode == 0, output
    assert seen_while_held, "the fast host's events reached the store only after the slow host answered"
    feed = read_feed(tmp_path / "out" / "all.ics")
    assert set(feed) == {"Fast Mixer", "Slow Summit"}
