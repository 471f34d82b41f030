"""What a run prints: each failure once with its reason on its line, grouped by cause, the offline hint,
a live progress line, tables that fit 80 columns and plain lines off a terminal.

The reading is real (a loopback site, the real fetcher; a resolver that fails as
an offline machine's does); the summary is rendered as `eventscout run` renders it.
"""

from __future__ import annotations

import asyncio
import io
import re
import socket
from datetime import datetime, timedelta, timezone

import pytest
from rich.console import Console

from eventscout.flows.cli import render
from eventscout.flows.cli.launcher import progress_line
from eventscout.flows.config import Source
from eventscout.flows.orchestration.discover import RunSummary
from eventscout.flows.reading import progress
from eventscout.flows.reading.errors import Cause
from eventscout.flows.reading.fetch import Fetcher, Limits
from eventscout.flows.reading.read import ReadStatus, read_sources, store_results
from eventscout.flows.store import Store


async def offline_resolver(host: str, port: int):
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def read(sources: list[Source], tmp_path, resolver=None) -> RunSummary:
    async def go():
        async with Fetcher(Limits(retries=0), allow_private=True, resolver=resolver) as fetcher:
            return await read_sources(sources, Limits(retries=0), {}, allow_private=True, fetcher=fetcher)

    results = asyncio.run(go())
    with Store(tmp_path / "store.db") as store:
        return RunSummary(output=str(tmp_path / "out"), sources=store_results(store, results), seconds=1.0)


def printed(summary: RunSummary, monkeypatch, *, terminal: bool) -> list[str]:
    buffer = io.StringIO()
    monkeypatch.setattr(render, "out", Console(file=buffer, width=80, force_terminal=terminal,
                                               color_system=None))
    render.print_summary(summary)
    return buffer.getvalue().splitlines()


def ical(title: str) -> bytes:
    start = (datetime.now(timezone.utc) + timedelta(days=3)).strftime("%Y%m%dT%H%M%SZ")
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:one@t\r\n"
            f"DTSTAMP:{start}\r\nDTSTART:{start}\r\nSUMMARY:{title}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n").encode()


@pytest.mark.parametrize("terminal", [True, False])
def test_offline_every_source_is_named_once_with_its_reason_and_the_demo_is_suggested(
        tmp_path, monkeypatch, terminal):
    sources = [Source(id=f"assoc-{n}", name=f"Association {n}", url=f"https://events{n}.example.org/calendar")
               for n in range(4)]
    summary = read(sources, tmp_path, offline_resolver)
    assert {r.cause for r in summary.sources} == {Cause.UNRESOLVED}
    lines = printed(summary, monkeypatch, terminal=terminal)
    for source in sources:
        naming = [line for line in lines if re.search(rf"\b{source.id}\b", line)]
        assert len(naming) == 1, lines
        assert naming[0].startswith(f"failed: {source.id}: cannot resolve events")
    assert "4 source(s) failed: the host name could not be resolved" in lines
    assert "no source could be reached: this machine may be offline; try `eventscout demo`" in lines
    assert lines[-1] == f"0 of 4 sources read, 4 failed; 0 new, 0 changed events; feeds in {tmp_path / 'out'} (1.0s)"


@pytest.mark.parametrize("terminal", [True, False])
def test_the_table_lists_what_was_read_and_fits_80_columns_failures_follow_grouped(
        loopback, tmp_path, monkeypatch, terminal):
    loopback.serve("/ok.ics", ical("Chapter meeting"), "text/calendar")
    loopback.serve("/gone", b"gone", "text/plain", status=404)
    loopback.serve("/empty", b"<html><body><p>Nothing planned.</p></body></html>")
    sources = [Source(id="a-chapter-with-a-long-identity", name="A", url=f"{loopback.url}/ok.ics"),
               Source(id="gone-one", name="B", url=f"{loopback.url}/gone"),
               Source(id="gone-two", name="C", url=f"{loopback.url}/gone?again"),
               Source(id="empty", name="D", url=f"{loopback.url}/empty")]
    summary = read(sources, tmp_path)
    assert [r.status for r in summary.sources] == [ReadStatus.OK, ReadStatus.FAILED, ReadStatus.FAILED, ReadStatus.FAILED]
    lines = printed(summary, monkeypatch, terminal=terminal)
    failures = [line for line in lines if line.startswith("failed: ")]
    assert len(lines) == len(set(lines)) or terminal  # a table's blank rows may repeat
    assert failures == ["failed: gone-one: HTTP 404", "failed: gone-two: HTTP 404",
                        f"failed: empty: {summary.sources[3].reason}"]
    assert lines.index("2 source(s) failed: the site answered with an HTTP error") < lines.index(failures[0])
    assert "1 source(s) failed: no events could be read from the page" in lines
    for source in ("gone-one", "gone-two", "empty"):
        assert sum(source in line for line in lines) == 1, "a failure is not repeated in the table"
    assert sum("a-chapter-with-a-long-identity" in line for line in lines) == 1, "never folded"
    if terminal:
        assert all(len(line) <= 80 for line in lines if not line.startswith(("failed: ", "1 of 4")))
    else:
        assert "ok: a-chapter-with-a-long-identity: status ok" not in lines
        assert any(line.startswith("a-chapter-with-a-long-identity: status ok, events 1, new 1")
                   for line in lines), lines
    assert "try `eventscout demo`" not in "\n".join(lines), "some sources answered: not offline"
    assert lines[-1].startswith("1 of 4 sources read, 3 failed; 1 new, 0 changed events; feeds in ")


def test_the_progress_line_counts_sources_and_events_and_names_the_slowest_in_flight(loopback, tmp_path):
    loopback.serve("/ok.ics", ical("Breakfast"), "text/calendar")
    sources = [Source(id=f"s{n}", name=f"S{n}", url=f"{loopback.url}/ok.ics?{n}") for n in range(3)]
    tally = progress.watch(len(sources))
    try:
        read(sources, tmp_path)
    finally:
        progress.unwatch()
    assert (tally.done, tally.events, tally.failed, tally.in_flight) == (3, 3, 0, {})
    line = progress_line(tally, 200).plain
    assert line == "Reading 3 sources: 3 done, 3 events found; storing them and writing the feeds in Prefect's flow"
    tally.started("a-slow-association")
    tally.started("another-slow-one")
    line = progress_line(tally, 200).plain
    assert line.startswith("Reading 3 sources: 3 done, 3 events found; slowest: a-slow-association ")
    assert "another-slow-one" in line
    rendered = io.StringIO()
    Console(file=rendered, width=40, color_system=None).print(progress_line(tally, 40))
    assert len(rendered.getvalue().splitlines()) == 1, "one line, cut to the terminal's width"
