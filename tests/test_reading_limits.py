"""Reading under limits, through `read_sources` against a loopback site: a page too costly to read
costs its own source, with its reason, and the source read after it keeps its whole budget."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone

from eventscout.flows.config import parse_config
from eventscout.flows.reading.fetch import Limits
from eventscout.flows.reading.page_readers import PageReaders
from eventscout.flows.reading.read import FAILED, OK, read_sources
from tests.support import send


def big_feed(events: int) -> bytes:
    soon = datetime.now(timezone.utc) + timedelta(days=3)
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//eventscout tests//EN\r\n" + "".join(
        f"BEGIN:VEVENT\r\nUID:e{i}@t\r\nDTSTAMP:20240101T000000Z\r\n"
        f"DTSTART:{(soon + timedelta(minutes=i)).strftime('%Y%m%dT%H%M%SZ')}\r\nSUMMARY:Meetup {i}\r\nEND:VEVENT\r\n"
        for i in range(events)) + "END:VCALENDAR\r\n").encode()


def test_costly_pages_are_refused_and_the_sources_queued_behind_them_keep_their_budget(loopback):
    """Three pages each hold the one reader for its 2 s limit; the budget is 3.5 s a source. The time
    a page queues for the reader is not its source's: every source gets its read."""
    hostile = ["huge1", "huge2", "huge3"]
    for name in hostile:
        loopback.serve(f"/{name}.ics", big_feed(40_000), "text/calendar")
    small = big_feed(3)

    def later(handler) -> None:
        time.sleep(0.5)  # the huge feed reaches the one reader first
        send(handler, 200, small, "text/calendar")

    loopback.routes["/small.ics"] = later
    config = parse_config("sources:\n" + "".join(
                          f"  - {{id: {name}, name: {name}, url: '{loopback.url}/{name}.ics', allow_private: true}}\n"
                          for name in hostile) +
                          f"  - {{id: small, name: Small, url: '{loopback.url}/small.ics', allow_private: true}}\n")

    async def scenario():
        async with PageReaders(processes=1, timeout=2) as readers:
            return await read_sources(config.sources, Limits(source_budget=3.5, per_host=4), {}, readers=readers)

    *refused, small_result = asyncio.run(scenario())
    for result in refused:
        assert result.status == FAILED and result.reason.startswith("reading took over 2 s: refused"), result
    assert small_result.status == OK, small_result.reason
    assert len(small_result.events) == 3
