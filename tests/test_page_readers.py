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


def test_workers_that_cannot_start_mean_reading_in_threads(monkeypatch):
    """A platform where worker processes die on start (here: their set-up fails) still reads pages."""
    import eventscout.flows.reading.page_readers as page_readers

    monkeypatch.setattr(page_readers, "_warm_up", _fail_to_start)

    async def scenario():
        async with PageReaders(processes=1) as readers:
            return [await readers.run(os.getpid) for _ in range(2)]

    assert asyncio.run(scenario()) == [os.getpid(), os.getpid()]
