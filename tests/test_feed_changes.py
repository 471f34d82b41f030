"""What subscribers see when a source changes an event: same UID, higher SEQUENCE, new time.

Two real runs against the demo sites: as published, then with TAG's page
edited: the summit moved two hours later, the talent mixer taken down and
the AI webinar cancelled. Every feed of every run must read the same in
icalendar, vobject and ical.js.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest

from eventscout.flows.onboarding.demo import DemoSites
from tests.ical_readers import read_agreed
from tests.serving import eventscout, shared_home

pytestmark = pytest.mark.slow

NY = ZoneInfo("America/New_York")
SUMMIT, WEBINAR, MIXER = "TAG Cybersecurity Summit", "AI for Product Teams (Webinar)", "Tech Talent Mixer"
_BLOCK = re.compile(rb'<script type="application/ld\+json">(.*?)</script>', re.S)


class ChangingSites(DemoSites):
    """The demo sites, with TAG's events page edited the way associations edit theirs."""

    summit_delay = timedelta(0)
    mixer_listed = True
    webinar_cancelled = False

    def jsonld_page(self) -> bytes:
        page = super().jsonld_page()
        blocks = []
        for match in _BLOCK.finditer(page):
            event = json.loads(match.group(1))
            if event["name"] == MIXER and not self.mixer_listed:
                continue
            if event["name"] == SUMMIT:
                for key in ("startDate", "endDate"):
                    event[key] = (datetime.fromisoformat(event[key]) + self.summit_delay).isoformat()
            if event["name"] == WEBINAR and self.webinar_cancelled:
                event["eventStatus"] = "https://schema.org/EventCancelled"
            blocks.append(f'<script type="application/ld+json">{json.dumps(event)}</script>'.encode())
        head, _, rest = page.partition(b"<script")
        return head + b"".join(blocks) + b"</head>" + rest.partition(b"</head>")[2]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("changes")
    home = shared_home(tmp_path_factory)
    outputs = []
    with ChangingSites() as sites:
        sources = sites.write_sources(root / "sources.yaml")
        for step in range(2):
            if step == 1:
                sites.summit_delay = timedelta(hours=2)
                sites.mixer_listed, sites.webinar_cancelled = False, True
            out = root / f"out{step + 1}"
            result = eventscout("run", "--sources", str(sources), "--output", str(out),
                                "--db", str(root / "store.db"), home=home)
            assert result.returncode == 0, result.stdout + result.stderr
            outputs.append(out)
    return sites, outputs


def by_title(path) -> dict[str, icalendar.Event]:
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    return {str(e["SUMMARY"]).removeprefix("CANCELLED: "): e for e in events}


def test_every_feed_of_every_run_reads_the_same_in_three_parsers(runs):
    sites, outputs = runs
    for out in outputs:
        feeds = sorted(out.glob("*.ics"))
        assert len(feeds) == len(sites.sources()["feeds"])
        for feed in feeds:
            read_agreed(feed)


def test_a_moved_event_keeps_its_uid_and_gets_a_higher_sequence_and_the_new_time(runs):
    _, (out1, out2) = runs
    before = by_title(out1 / "atlanta-tech.ics")[SUMMIT]
    after = by_title(out2 / "atlanta-tech.ics")[SUMMIT]
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.decoded("DTSTART") == before.decoded("DTSTART") + timedelta(hours=2)
    assert after.decoded("DTSTART").astimezone(NY).hour == 11
    assert after.decoded("LAST-MODIFIED") > before.decoded("LAST-MODIFIED")
    assert after.decoded("DTSTAMP") == after.decoded("LAST-MODIFIED")
    agreed = {e["summary"]: e for e in read_agreed(out2 / "atlanta-tech.ics")}
    assert agreed[SUMMIT]["sequence"] == before["SEQUENCE"] + 1
    assert agreed[SUMMIT]["start"] == (before.decoded("DTSTART") + timedelta(hours=2)).astimezone(
        timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_events_that_did_not_change_are_written_byte_for_byte_the_same(runs):
    _, (out1, out2) = runs
    assert (out1 / "hr-everywhere.ics").read_bytes() == (out2 / "hr-everywhere.ics").read_bytes()
    unchanged_before, unchanged_after = by_title(out1 / "atlanta-all.ics"), by_title(out2 / "atlanta-all.ics")
    for title, event in unchanged_before.items():
        if title not in (SUMMIT, MIXER, WEBINAR):
            assert unchanged_after[title].to_ical() == event.to_ical(), title


def test_a_removed_event_is_gone_and_a_cancelled_one_says_so_with_a_higher_sequence(runs):
    _, (out1, out2) = runs
    assert MIXER in by_title(out1 / "atlanta-tech.ics")
    feed = by_title(out2 / "atlanta-all.ics")
    assert MIXER not in feed and MIXER not in by_title(out2 / "atlanta-tech.ics")
    webinar, earlier = feed[WEBINAR], by_title(out1 / "atlanta-all.ics")[WEBINAR]
    assert webinar["UID"] == earlier["UID"]
    assert str(webinar["STATUS"]) == "CANCELLED" and str(earlier["STATUS"]) == "CONFIRMED"
    assert str(webinar["SUMMARY"]) == f"CANCELLED: {WEBINAR}"
    assert webinar["SEQUENCE"] == earlier["SEQUENCE"] + 1
    statuses = {e["summary"]: e["status"] for e in read_agreed(out2 / "atlanta-all.ics")}
    assert statuses[f"CANCELLED: {WEBINAR}"] == "CANCELLED"


def test_a_cancelled_event_stays_cancelled_in_the_feed_until_it_is_past(runs):
    _, (out1, out2) = runs
    webinar = by_title(out2 / "atlanta-all.ics")[WEBINAR]
    assert webinar.decoded("DTEND") > datetime.now(timezone.utc)
    mixer = by_title(out1 / "atlanta-tech.ics")[MIXER]
    assert str(mixer["STATUS"]) == "CANCELLED", "cancelled at the source the first time it was seen"
