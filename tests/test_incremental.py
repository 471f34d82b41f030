"""Incremental, polite runs: conditional requests only after a good read, and source health.

A 304 keeps a source's stored events without reading it again, but only when
the last read fully succeeded: after a failed or suspect read the validators
could make the server skip the very read the source needs.
"""

from __future__ import annotations

import asyncio
import time

from eventscout.flows.config import Source
from eventscout.flows.reading.fetch import Fetcher, Limits
from eventscout.flows.reading.read import FAILED, NOT_MODIFIED, OK, SUSPECT, conditional_validators, read_source, store_results
from eventscout.flows.store import Store
from tests.support import send
from tests.test_store import upcoming_event


def _conditional_site(loopback, etag: str) -> None:
    """A page that answers 304 to its own ETag and an empty page (no events) otherwise."""

    def route(handler):
        if handler.headers.get("If-None-Match") == etag:
            send(handler, 304, b"", "text/html", {"ETag": etag})
        else:
            send(handler, 200, b"<html><body><p>Nothing here yet.</p></body></html>", "text/html", {"ETag": etag})

    loopback.routes["/events/"] = route


def _read(loopback, store: Store, source_id: str = "tag"):
    source = Source(id=source_id, name="TAG", url=f"{loopback.url}/events/", allow_private=True)

    async def go():
        async with Fetcher(Limits(retries=0), allow_private=True) as fetcher:
            return await read_source(source, fetcher, deadline=time.monotonic() + 10,
                                     health=store.health(source_id), allow_private=True)

    result = asyncio.run(go())
    return result, store_results(store, [result])[0]


def _sent_etags(loopback) -> list[str | None]:
    return [headers.get("If-None-Match") for path, headers in loopback.hits if path == "/events/"]


def test_a_304_keeps_the_stored_events_and_marks_the_source_healthy(loopback, tmp_path):
    _conditional_site(loopback, '"v1"')
    with Store(tmp_path / "s.db") as store:
        store.save_source_events("tag", [upcoming_event("Mixer", "1")], etag='"v1"')
        result, report = _read(loopback, store)
        assert result.status == NOT_MODIFIED and report.events == 1
        assert _sent_etags(loopback) == ['"v1"']
        assert [s.event.title for s in store.upcoming()] == ["Mixer"]
        assert store.health("tag").consecutive_failures == 0


def test_after_a_suspect_read_no_validators_are_sent_and_events_are_kept(loopback, tmp_path):
    _conditional_site(loopback, '"v2"')
    with Store(tmp_path / "s.db") as store:
        store.save_source_events("tag", [upcoming_event("Mixer", "1")], etag='"v1"')
        first, report = _read(loopback, store)  # the page changed and now lists nothing
        assert first.status == SUSPECT and "kept its 1 upcoming events" in report.reason
        health = store.health("tag")
        assert health.etag == '"v1"', "a validator is stored only with the events it belongs to"
        assert health.flagged and conditional_validators(health) == (None, None)
        second, _ = _read(loopback, store)  # "v2" would be a 304 if it had been stored and sent
        assert second.status == SUSPECT
        assert _sent_etags(loopback) == ['"v1"', None]
        assert [s.event.title for s in store.upcoming()] == ["Mixer"]


def test_a_person_confirms_a_source_is_empty_and_its_events_go(loopback, tmp_path):
    _conditional_site(loopback, '"v2"')
    with Store(tmp_path / "s.db") as store:
        store.save_source_events("tag", [upcoming_event("Mixer", "1"), upcoming_event("Gala", "2")])
        assert _read(loopback, store)[0].status == SUSPECT
        assert store.confirm_empty("tag") == 2
        assert store.upcoming() == []
        result, report = _read(loopback, store)
        assert result.status == OK and report.events == 0
        health = store.health("tag")
        assert health.counts == [2, 0, 0] and health.flagged is None and health.consecutive_failures == 0


def test_a_new_source_that_lists_nothing_fails_rather_than_succeeds(loopback, tmp_path):
    _conditional_site(loopback, '"v1"')
    with Store(tmp_path / "s.db") as store:
        result, _ = _read(loopback, store)
        assert result.status == FAILED
        assert store.health("tag").etag is None


def test_status_and_confirm_empty_on_the_command_line(tmp_path):
    from typer.testing import CliRunner

    from eventscout.flows.cli.commands import app

    db = tmp_path / "s.db"
    with Store(db) as store:
        store.save_source_events("tag", [upcoming_event("Mixer", "1")])
        store.record_failure("tag", "no events found", flag="yielded no events")
    runner = CliRunner()
    status = runner.invoke(app, ["status", "--db", str(db)], env={"COLUMNS": "200"})
    assert status.exit_code == 0, status.output
    assert "flagged: yielded no events" in status.output and "confirm-empty tag" in status.output
    confirmed = runner.invoke(app, ["sources", "confirm-empty", "tag", "--db", str(db)])
    assert confirmed.exit_code == 0 and "1 event(s) withdrawn" in confirmed.output
    unknown = runner.invoke(app, ["sources", "confirm-empty", "nope", "--db", str(db)])
    assert unknown.exit_code == 1
