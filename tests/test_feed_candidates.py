"""One event posted by several sources is one feed entry, under the UID it was first published with.

The national association lists a breakfast; later its Atlanta chapter posts
the same breakfast under its own title. The feed keeps one entry with both
links, and its UID stays the one subscribers already have, even though the
chapter's reading has the id that sorts first.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import icalendar

from eventscout.flows.config import parse_config
from eventscout.flows.reading.dedup import duplicate_groups
from eventscout.flows.reading.enrich import enrich
from eventscout.flows.publishing.publish import feed_candidates, write_feeds
from eventscout.flows.store import Store
from eventscout.scrapers.event import Event, Location

CONFIG = parse_config("""\
sources:
  - {id: shrm, name: SHRM, url: "https://shrm.example.org/events/", scope: national,
     industries: [human-resources]}
  - {id: shrm-atlanta, name: SHRM Atlanta, url: "https://atl.example.org/events/",
     industries: [human-resources], location: "Atlanta, GA"}
feeds:
  - {id: hr, title: HR, industries: [HR], city: "Atlanta, GA"}
""")
START = (datetime.now(timezone.utc) + timedelta(days=7)).replace(hour=13, minute=0, second=0, microsecond=0)
VENUE = Location(name="Atlanta Marriott Marquis", street="265 Peachtree Center Ave", city="Atlanta", region="GA")


def national() -> Event:
    return Event("SHRM Atlanta HR Leaders Breakfast", START, url="https://shrm.example.org/e/101", key="101",
                 location=VENUE)


def chapter_sorting_first() -> Event:
    """The chapter's reading, with a key chosen so that its id sorts before the national one's."""
    national_id = replace(national(), source_id="shrm").id
    for n in range(10_000):
        event = Event("HR Leaders Breakfast (Atlanta)", START, url=f"https://atl.example.org/e/{n}", key=str(n),
                      location=VENUE)
        if replace(event, source_id="shrm-atlanta").id < national_id:
            return event
    raise AssertionError("no key found")


def uids(path) -> list[str]:
    return [str(e["UID"]) for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")]


def test_a_source_added_later_keeps_the_uid_first_published(tmp_path):
    with Store(tmp_path / "store.db") as store:
        store.save_source_events("shrm", enrich(CONFIG.source("shrm"), [national()]))
        write_feeds(CONFIG, store, tmp_path / "run1")
        (first_uid,) = uids(tmp_path / "run1" / "hr.ics")

        store.save_source_events("shrm-atlanta", enrich(CONFIG.source("shrm-atlanta"), [chapter_sorting_first()]))
        (group,) = duplicate_groups([s.event for s in store.upcoming()])
        assert group[0].source_id == "shrm-atlanta", "without the remembered id the chapter's would win"
        write_feeds(CONFIG, store, tmp_path / "run2")
        assert uids(tmp_path / "run2" / "hr.ics") == [first_uid]

        (merged,) = feed_candidates(store, datetime.now(timezone.utc))
        assert merged.event.title == "SHRM Atlanta HR Leaders Breakfast"
        assert merged.event.links == ["https://shrm.example.org/e/101", merged.duplicates[0].url]
        text = (tmp_path / "run2" / "hr.ics").read_bytes().decode().replace("\r\n ", "")  # unfolded
        assert "Also posted by SHRM Atlanta: https://atl.example.org/e/" in text

        # and on every later run, whichever order the store returns them in
        write_feeds(CONFIG, store, tmp_path / "run3")
        assert uids(tmp_path / "run3" / "hr.ics") == [first_uid]


def test_read_together_the_lowest_id_is_published_and_then_kept(tmp_path):
    with Store(tmp_path / "store.db") as store:
        store.save_source_events("shrm", enrich(CONFIG.source("shrm"), [national()]))
        store.save_source_events("shrm-atlanta", enrich(CONFIG.source("shrm-atlanta"), [chapter_sorting_first()]))
        write_feeds(CONFIG, store, tmp_path / "run1")
        (uid,) = uids(tmp_path / "run1" / "hr.ics")
        assert uid.startswith(min(s.event.id for s in store.upcoming()))
        write_feeds(CONFIG, store, tmp_path / "run2")
        assert uids(tmp_path / "run2" / "hr.ics") == [uid]


def test_reasons_and_types_survive_the_store(tmp_path):
    (event,) = enrich(CONFIG.source("shrm"), [national()])
    assert event.industry_reasons == {"human-resources": "source shrm lists it"}
    assert event.event_type_reasons == {"meetup": 'title mentions "Breakfast"'}
    assert Event.from_record(event.to_record()) == event


def test_the_runs_own_events_are_not_decoded_again_and_give_the_same_feeds(tmp_path):
    """`prepare` hands back each event as the store will give it back, with what dedup compares,
    so the feeds may use both as they are: the same groups, the same bytes."""
    from eventscout.flows.reading.page_jobs import prepare
    from eventscout.flows.reading.read import OK, SourceResult, fresh_events, store_results

    results = []
    for source_id, event in (("shrm", national()), ("shrm-atlanta", chapter_sorting_first())):
        events, rows, comparisons = prepare(CONFIG.source(source_id), [event])
        results.append(SourceResult(source_id, OK, events=events, rows=rows, comparisons=comparisons))
    now = datetime.now(timezone.utc)
    with Store(tmp_path / "store.db") as store:
        store_results(store, results)
        assert all(not r.rows and len(r.digests) == len(r.events) for r in results), "rows let go once stored"
        fresh = fresh_events(results)
        reused = store.upcoming(now, fresh)
        decoded = store.upcoming(now)
        assert [s.event for s in reused] == [s.event for s in decoded]
        assert all(s.event is fresh[s.event.id][1] for s in reused), "nothing was decoded again"
        assert len(feed_candidates(store, now, fresh=fresh)) == len(feed_candidates(store, now)) == 1
        write_feeds(CONFIG, store, tmp_path / "fresh", now=now, fresh=fresh)
        write_feeds(CONFIG, store, tmp_path / "decoded", now=now)
    assert (tmp_path / "fresh" / "hr.ics").read_bytes() == (tmp_path / "decoded" / "hr.ics").read_bytes()
