"""Pages are read in worker processes: a page that kills its worker costs that page, not the run."""

from __future__ import annotations

import asyncio
import os

import pytest

from eventscout.flows.reading.page_readers import PageReaders, ReaderCrashed, default_processes
from tests.crashing_reader import double_or_die, fail_to_start as _fail_to_start


def test_a_page_that_kills_its_worker_fails_alone_and_the_pool_recovers():
    async def scenario():
        async with PageReaders(processes=1) as readers:
            outcomes = await asyncio.gather(*(readers.run(double_or_die, v) for v in ("ab", "die", "cd")),
                                            return_exceptions=True)
            after = await readers.run(double_or_die, "ef")
            worker_pids = {await readers.run(os.getpid) for _ in range(3)}
        return outcomes, after, worker_pids

    outcomes, after, worker_pids = asyncio.run(scenario())
    assert outcomes[0] == "abab" and outcomes[2] == "cdcd"
    assert isinstance(outcomes[1], ReaderCrashed) and "format:" in str(outcomes[1])
    assert after == "efef"
    assert os.getpid() not in worker_pids, "the reading ran in another process"


def test_without_worker_processes_pages_are_read_in_threads():
    async def scenario():
        async with PageReaders(processes=0) as readers:
            return await readers.run(os.getpid)

    assert asyncio.run(scenario()) == os.getpid()


def test_the_number_of_workers_is_settable_and_checked(monkeypatch):
    monkeypatch.setenv("EVENTSCOUT_READ_PROCESSES", "2")
    assert default_processes() == 2
    monkeypatch.setenv("EVENTSCOUT_READ_PROCESSES", "many")
    with pytest.raises(ValueError, match="EVENTSCOUT_READ_PROCESSES='many' is not a number"):
        default_processes()


def test_one_reader_per_core_and_none_on_one_core_and_one_fewer_beside_a_starting_server(monkeypatch):
    """Fetching is mostly waiting: on 2 cores a second reader uses the core one reader left half idle."""
    monkeypatch.delenv("EVENTSCOUT_READ_PROCESSES", raising=False)
    for cores, readers, beside_a_server in ((1, 0, 0), (2, 2, 1), (3, 3, 2), (16, 4, 3)):
        monkeypatch.setattr(os, "cpu_count", lambda: cores)
        assert default_processes() == readers
        # a run starting its own Prefect server leaves that server's start-up a core
        assert default_processes(beside_a_starting_server=True) == beside_a_server
    monkeypatch.setenv("EVENTSCOUT_READ_PROCESSES", "3")
    assert default_processes(beside_a_starting_server=True) == 3, "what the user set holds"


def test_workers_that_cannot_start_mean_reading_in_threads(monkeypatch):
    """A platform where worker processes die on start (here: their set-up fails) still reads pages."""
    import eventscout.flows.reading.page_readers as page_readers

    monkeypatch.setattr(page_readers, "_warm_up", _fail_to_start)

    async def scenario():
        async with PageReaders(processes=1) as readers:
            return [await readers.run(os.getpid) for _ in range(2)]

    assert asyncio.run(scenario()) == [os.getpid(), os.getpid()]


def test_a_page_that_reads_too_long_is_refused_its_worker_killed_and_replaced():
    import psutil

    from tests.crashing_reader import spin_forever

    async def scenario():
        async with PageReaders(processes=1, timeout=1.0) as readers:
            first = await readers.run(os.getpid)
            outcome = await asyncio.gather(readers.run(spin_forever, "ab"), return_exceptions=True)
            after = await readers.run(double_or_die, "ef")
            second = await readers.run(os.getpid)
        return first, outcome[0], after, second

    first, outcome, after, second = asyncio.run(scenario())
    assert isinstance(outcome, ReaderCrashed) and "reading took over 1 s: refused" in str(outcome)
    assert after == "efef"
    assert first != second, "the worker that overran was replaced"
    assert not psutil.pid_exists(first) and not psutil.pid_exists(second), "no worker is left running"
    assert not [c for c in psutil.Process().children(recursive=True) if c.is_running()
                and c.status() != psutil.STATUS_ZOMBIE and "eventscout-reader" in " ".join(c.cmdline())]


def test_a_page_that_needs_too_much_memory_is_refused_and_the_next_page_is_read():
    from tests.crashing_reader import allocate

    async def scenario():
        async with PageReaders(processes=1, memory_mb=400) as readers:
            small = await readers.run(allocate, 10)
            outcome = await asyncio.gather(readers.run(allocate, 2000), return_exceptions=True)
            return small, outcome[0], await readers.run(allocate, 10)

    small, outcome, after = asyncio.run(scenario())
    assert small == after == 10 * 1024 * 1024
    assert isinstance(outcome, ReaderCrashed) and "over 400 MB of memory" in str(outcome)


def test_a_read_cancelled_by_its_source_budget_stops_its_worker():
    import psutil

    from tests.crashing_reader import spin_forever

    async def scenario():
        async with PageReaders(processes=1, timeout=60) as readers:
            pid = await readers.run(os.getpid)
            try:
                async with asyncio.timeout(0.5):
                    await readers.run(spin_forever, "ab")
            except TimeoutError:
                pass
            return pid, await readers.run(double_or_die, "gh")

    pid, after = asyncio.run(scenario())
    assert after == "ghgh"
    assert not psutil.pid_exists(pid)


def test_reading_limits_from_the_environment_are_checked(monkeypatch):
    monkeypatch.setenv("EVENTSCOUT_READ_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="EVENTSCOUT_READ_TIMEOUT='soon' is not a number"):
        PageReaders(processes=1)
    monkeypatch.setenv("EVENTSCOUT_READ_TIMEOUT", "3")
    monkeypatch.setenv("EVENTSCOUT_READ_MEMORY_MB", "512")
    readers = PageReaders(processes=1)
    assert (readers.timeout, readers.memory_mb) == (3.0, 512.0)


def test_a_reading_process_loads_only_what_its_pages_need():
    """A worker imports `page_jobs`, not the HTTP client nor the config's pydantic models; an HTML page
    loads no iCalendar parser, a feed does (each costs every reading process megabytes)."""
    import json
    import subprocess
    import sys

    code = """
import json, sys
from datetime import datetime, timedelta
from eventscout.flows.reading.page_jobs import SourceSettings
from eventscout.flows.reading.page_jobs import read_page
source = SourceSettings("a", "https://assoc.example/events/", "auto", "America/New_York", None, None, [])
html = b'''<html><body><script type="application/ld+json">{"@type": "Event", "name": "Spring Mixer",
 "startDate": "DAYT18:00:00-04:00", "location": "Atlanta, GA"}</script></body></html>'''
day = datetime.now() + timedelta(days=30)
html = html.replace(b"DAY", day.strftime("%Y-%m-%d").encode())
feed = ("BEGIN:VCALENDAR\\r\\nVERSION:2.0\\r\\nBEGIN:VEVENT\\r\\nUID:1@a\\r\\nDTSTART:" + day.strftime("%Y%m%d")
        + "T180000Z\\r\\nSUMMARY:Feed Mixer\\r\\nEND:VEVENT\\r\\nEND:VCALENDAR\\r\\n").encode()
seen = []
for body, kind in ((html, "text/html"), (feed, "text/calendar")):
    _, prepared, _ = read_page(source, body, source.url, kind, 100)
    seen.append([[e.title for e in prepared.events], "httpx" in sys.modules, "icalendar" in sys.modules,
                 "pydantic" in sys.modules])
print(json.dumps(seen))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(out.stdout) == [[["Spring Mixer"], False, False, False], [["Feed Mixer"], False, True, False]]


def test_readers_start_one_process_each_and_nothing_beside_them():
    """Two readers are two processes, named for what they are: no resource tracker or other helper
    process (multiprocessing's spawn starts one per run, 13 MB) comes with them."""
    import psutil

    me = psutil.Process()
    before = {c.pid for c in me.children(recursive=True)}

    async def scenario():
        async with PageReaders(processes=2) as readers:
            pids = set(await asyncio.gather(readers.run(os.getpid), readers.run(os.getpid)))
            started = [c for c in me.children(recursive=True) if c.pid not in before]
            return pids, {c.pid: " ".join(c.cmdline()) for c in started}

    pids, started = asyncio.run(scenario())
    assert len(pids) == 2 and set(started) == pids, started
    assert all("eventscout-reader" in command for command in started.values())


def test_a_job_its_worker_cannot_load_is_an_error_and_the_worker_reads_on():
    from tests.crashing_reader import Unloadable

    async def scenario():
        async with PageReaders(processes=1) as readers:
            first = await readers.run(os.getpid)
            outcome = await asyncio.gather(readers.run(double_or_die, Unloadable()), return_exceptions=True)
            return first, outcome[0], await readers.run(os.getpid)

    first, outcome, after = asyncio.run(scenario())
    assert isinstance(outcome, RuntimeError) and "a reading process cannot load this job" in str(outcome)
    assert first == after, "the same worker read on"
