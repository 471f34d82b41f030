"""Identity that survives unstable platforms, run after run against a loopback feed: an Outlook
published calendar that gives every event a new UID on each fetch keeps its events' identities (and
SEQUENCE); a Google feed whose DTSTAMP changes on every fetch raises no SEQUENCE."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import date, timedelta

from eventscout.flows.config import Source
from eventscout.flows.reading.fetch import Fetcher, Limits
from eventscout.flows.reading.identity import carry_identities
from eventscout.flows.reading.read import OK, read_source, store_results
from eventscout.flows.store import Store
from tests.support import send
from tests.test_store import upcoming_event

EVENTS = (("Mentoring Circle", 3, "1730"), ("Bar Review Lunch", 10, "1200"), ("Pro Bono Clinic", 17, "0900"))


def feed(uid_of, stamp: str, events=EVENTS) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:Microsoft Exchange Server 2010"]
    for title, days, hhmm in events:
        day = (date.today() + timedelta(days=days)).strftime("%Y%m%d")
        lines += ["BEGIN:VEVENT", f"UID:{uid_of(title)}", f"DTSTAMP:{stamp}",
                  f"DTSTART;TZID=America/New_York:{day}T{hhmm}00", f"SUMMARY:{title}", "END:VEVENT"]
    return "\r\n".join(lines + ["END:VCALENDAR", ""]).encode()


def serve_changing(loopback, path: str, *, churn_uids: bool, events=EVENTS) -> None:
    """Each request gets a new DTSTAMP; with `churn_uids`, new UIDs too (as Outlook publishes)."""
    fetches = itertools.count(1)

    def route(handler):
        n = next(fetches)
        uid_of = (lambda title: f"0400000082{n:04d}{abs(hash(title)) % 10**8:08d}") if churn_uids else (
            lambda title: f"{title.replace(' ', '-').lower()}@google.com")
        send(handler, 200, feed(uid_of, f"2026120{n}T0{n}0000Z", events), "text/calendar")

    loopback.routes[path] = route


def run(loopback, store: Store, path: str):
    source = Source(id="bar", name="Young Lawyers", url=f"{loopback.url}{path}", allow_private=True)

    async def go():
        async with Fetcher(Limits(retries=0), allow_private=True) as fetcher:
            return await read_source(source, fetcher, deadline=time.monotonic() + 10, allow_private=True)

    result = asyncio.run(go())
    assert result.status == OK, result.reason
    return store_results(store, [result])[0]


def stored(store: Store) -> dict[str, tuple[str, int]]:
    return {s.event.title: (s.event.id, s.sequence) for s in store.upcoming()}


def test_outlook_uids_that_change_on_every_fetch_keep_their_events_identity(loopback, tmp_path):
    serve_changing(loopback, "/owa/calendar/x/y/calendar.ics", churn_uids=True)
    with Store(tmp_path / "s.db") as store:
        first = run(loopback, store, "/owa/calendar/x/y/calendar.ics")
        before = stored(store)
        for _ in range(2):
            again = run(loopback, store, "/owa/calendar/x/y/calendar.ics")
            assert (again.new, again.changed, again.removed) == (0, 0, 0)
            assert again.reason == ("its UIDs changed for 3 events since the last run: they keep their identity "
                                    "by start and title")
        assert first.new == 3 and stored(store) == before
        assert all(sequence == 0 for _, sequence in before.values())


def test_a_new_event_in_a_churning_feed_is_new_and_a_dropped_one_is_removed(loopback, tmp_path):
    serve_changing(loopback, "/cal.ics", churn_uids=True)
    with Store(tmp_path / "s.db") as store:
        run(loopback, store, "/cal.ics")
        serve_changing(loopback, "/cal.ics", churn_uids=True, events=EVENTS[1:] + (("Gala", 24, "1900"),))
        report = run(loopback, store, "/cal.ics")
        assert (report.new, report.changed, report.removed) == (1, 0, 1)
        assert set(stored(store)) == {"Bar Review Lunch", "Pro Bono Clinic", "Gala"}


def test_a_google_feeds_changing_dtstamp_alone_raises_no_sequence(loopback, tmp_path):
    serve_changing(loopback, "/calendar/ical/club%40gmail.com/public/basic.ics", churn_uids=False)
    with Store(tmp_path / "s.db") as store:
        run(loopback, store, "/calendar/ical/club%40gmail.com/public/basic.ics")
        before = stored(store)
        again = run(loopback, store, "/calendar/ical/club%40gmail.com/public/basic.ics")
        assert (again.new, again.changed, again.removed, again.reason) == (0, 0, 0, None)
        assert stored(store) == before and {seq for _, seq in before.values()} == {0}


def test_one_event_matched_by_content_alone_is_no_churn():
    old = [upcoming_event("Mixer", "uid-1"), upcoming_event("Summit", "uid-2", days=5)]
    new = [upcoming_event("Mixer", "uid-9"), upcoming_event("Summit", "uid-2", days=6)]
    events, carried = carry_identities(old, new)
    assert carried == 0 and [e.key for e in events] == ["uid-9", "uid-2"]
    churned, carried = carry_identities(old, [upcoming_event("Mixer", "uid-8"), upcoming_event("Summit", "uid-7", days=5)])
    assert carried == 2 and [e.key for e in churned] == ["uid-1", "uid-2"]


def listing(next_day: date) -> bytes:
    """A board's page: on each date its committees meet, then the board, both under the day's one video link;
    and one hearing title held twice on a day."""
    day = next_day.strftime("%B %-d, %Y")
    return (f"<html><head><title>Meetings | Water District</title></head><body><h2>Board Meetings</h2>"
            f"<div class='meeting'><h3>{day}</h3><p>Committee meetings 8:15 a.m.</p><p>Board meeting 9:00 a.m.</p>"
            f"<p><a href='https://video.example/watch?v=1'>Watch</a></p></div>"
            f"<div class='meeting'><h3>{(next_day + timedelta(days=28)).strftime('%B %-d, %Y')}</h3>"
            f"<p>Public Hearing 4:30 p.m.</p><p>Public Hearing 6:30 p.m.</p></div>"
            f"<div class='meeting'><h3>{(next_day + timedelta(days=56)).strftime('%B %-d, %Y')}</h3>"
            f"<p>Board meeting 9:00 a.m.</p></div></body></html>").encode()


def test_events_a_page_gives_one_identity_are_each_stored_and_keep_their_ids_next_run(loopback, tmp_path):
    first = date.today() + timedelta(days=10)
    loopback.routes["/meetings"] = lambda handler: send(handler, 200, listing(first), "text/html")
    with Store(tmp_path / "s.db") as store:
        report = run(loopback, store, "/meetings")
        events = sorted(store.upcoming(), key=lambda s: s.event.start)
        assert [(s.event.title, s.event.start.strftime("%H:%M")) for s in events] == [
            ("Committee meetings", "08:15"), ("Board meeting", "09:00"),
            ("Public Hearing", "16:30"), ("Public Hearing", "18:30"), ("Board meeting", "09:00")]
        assert report.new == 5 and len({s.event.id for s in events}) == 5
        again = run(loopback, store, "/meetings")
        assert (again.new, again.changed, again.removed) == (0, 0, 0)
