"""The store keeps every event a source ever listed until a good read says it is gone."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from eventscout.flows.store import Store
from eventscout.scrapers.event import CANCELLED, Event

NY = ZoneInfo("America/New_York")


def upcoming_event(title: str, key: str, days: int = 3, hour: int = 18) -> Event:
    start = datetime.now(NY).replace(hour=hour, minute=0, second=0, microsecond=0) + timedelta(days=days)
    return Event(title=title, start=start, end=start + timedelta(hours=2), key=key, timezone="America/New_York")


def test_a_failed_read_keeps_the_stored_events(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.save_source_events("tag", [upcoming_event("Mixer", "1"), upcoming_event("Summit", "2")])
        store.record_failure("tag", "HTTP 503")
        assert sorted(s.event.title for s in store.upcoming()) == ["Mixer", "Summit"]
        health = store.health("tag")
        assert health.consecutive_failures == 1 and health.last_error == "HTTP 503"


def test_a_good_read_drops_what_the_source_no_longer_lists(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.save_source_events("tag", [upcoming_event("Mixer", "1"), upcoming_event("Summit", "2")])
        result = store.save_source_events("tag", [upcoming_event("Summit", "2")])
        assert result.removed == 1
        assert [s.event.title for s in store.upcoming()] == ["Summit"]


def test_sequence_rises_when_time_or_status_changes_and_identity_stays(tmp_path):
    with Store(tmp_path / "s.db") as store:
        event = upcoming_event("Mixer", "uid-1")
        store.save_source_events("tag", [event])
        (first,) = store.upcoming()
        assert first.sequence == 0
        moved = upcoming_event("Mixer (moved)", "uid-1", days=4)
        result = store.save_source_events("tag", [moved])
        assert (result.new, result.changed) == (0, 1)
        (second,) = store.upcoming()
        assert second.event.id == first.event.id and second.sequence == 1
        moved.status = CANCELLED
        store.save_source_events("tag", [moved])
        (third,) = store.upcoming()
        assert third.sequence == 2 and third.event.status == CANCELLED


def test_unchanged_events_keep_their_sequence(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.save_source_events("tag", [upcoming_event("Mixer", "1")])
        result = store.save_source_events("tag", [upcoming_event("Mixer", "1")])
        assert (result.new, result.changed, result.removed) == (0, 0, 0)
        assert store.upcoming()[0].sequence == 0


def test_past_events_are_not_upcoming(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.save_source_events("tag", [upcoming_event("Old", "1", days=-3), upcoming_event("New", "2")])
        assert [s.event.title for s in store.upcoming(datetime.now(timezone.utc))] == ["New"]


def test_events_round_trip_with_their_wall_clock_and_offset(tmp_path):
    with Store(tmp_path / "s.db") as store:
        event = upcoming_event("Mixer", "1")
        store.save_source_events("tag", [event])
        (stored,) = store.upcoming()
        assert stored.event.start == event.start
        assert stored.event.start.utcoffset() == event.start.utcoffset()
        assert stored.event.start.isoformat() == event.start.isoformat()


def test_a_store_path_that_cannot_be_created_is_a_clear_store_error(tmp_path):
    from eventscout.flows.store import StoreError, run_lock

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot open the store"):
        with run_lock(blocker / "store.db"):
            pass
    with pytest.raises(StoreError, match="cannot open the store"):
        Store(blocker / "store.db")


def test_a_batch_of_writes_is_one_transaction_and_a_failing_write_leaves_the_others(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.save_source_events("ama", [upcoming_event("Mixer", "1")])
        with store.batch():
            store.save_source_events("ama", [upcoming_event("Summit", "2")])
            with pytest.raises(KeyError):
                store.confirm_empty("no-such-source")
            store.save_source_events("pmi", [upcoming_event("Forum", "3")])
            with Store(tmp_path / "s.db") as reader:  # another connection sees nothing until the end
                assert sorted(s.event.title for s in reader.upcoming()) == ["Mixer"]
        assert sorted(s.event.title for s in store.upcoming()) == ["Forum", "Summit"]


def test_the_event_handed_back_with_a_row_is_the_one_the_store_gives_back():
    """`stored_row` skips decoding the text it wrote; what it hands back must equal a decode of it."""
    from eventscout.flows.reading.hygiene import publishable
    from eventscout.flows.store import stored_form, stored_row
    from eventscout.scrapers.event import Location

    zone = ZoneInfo("America/New_York")
    events = [
        Event("Réunion « annuelle » \u2014 HR", datetime(2027, 3, 1, 18, 30, tzinfo=zone), timezone="America/New_York",
              location=Location(name="Hall", city="Atlanta", lat=33.749, lon=-84.38798), categories=["HR"],
              industry_reasons={"hr": "title mentions \"HR\""}, confidence=0.8125),
        Event("All day", datetime(2027, 3, 2).date(), url="https://example.org/e?x=1&y=é", source_id="s"),
        Event("Floating", datetime(2027, 3, 3, 9), end=datetime(2027, 3, 3, 10), status=CANCELLED),
        Event("Offset", datetime(2027, 3, 4, 9, tzinfo=timezone(timedelta(hours=5, minutes=30))),
              location=Location(lat=float("nan"), lon=1.0)),
    ]
    for event in map(publishable, events):
        row, given = stored_row(event)
        assert given == stored_form(row.data)
        assert given.start == event.start and given.id == event.id
