"""Where fetched pages are read: worker processes, so the run's event loop only fetches.

Reading a page (parse, extract, clean, enrich) is CPU work. In the fetching
process it holds the GIL while hundreds of requests wait for their answers to
be taken in, so a large run ends up paced by parsing instead of the network.
A small pool of worker processes reads pages on the machine's other cores,
and a reader that kills its process (a parser crash on a hostile page) costs
that page, not the run. With one core, or `EVENTSCOUT_READ_PROCESSES=0`, pages
are read in threads of the fetching process instead.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from eventscout.flows.reading.process_tuning import collect_garbage_less_often, keep_freed_memory

PROCESSES_ENV = "EVENTSCOUT_READ_PROCESSES"

T = TypeVar("T")


def default_processes() -> int:
    """$EVENTSCOUT_READ_PROCESSES, else one per core beyond the fetching process's own (at most 4)."""
    configured = os.environ.get(PROCESSES_ENV, "").strip()
    if configured:
        try:
            return max(0, int(configured))
        except ValueError:
            raise ValueError(f"{PROCESSES_ENV}={configured!r} is not a number; set it to 0 (read in "
                             "threads) or the number of worker processes") from None
    return min(4, (os.cpu_count() or 1) - 1)


class ReaderCrashed(Exception):
    """A page killed the worker process reading it, twice."""


def _warm_up() -> None:
    """Import the readers and load the gazetteer before the first page arrives."""
    keep_freed_memory()
    import eventscout.flows.reading.dedup  # noqa: F401
    import eventscout.flows.reading.enrich  # noqa: F401
    from eventscout.flows.knowledge.places import _gazetteer

    _gazetteer()
    collect_garbage_less_often()


class PageReaders:
    """Runs reading functions in worker processes (or, with `processes=0`, in threads).

    Use as an async context manager; `await readers.run(fn, *args)` runs one
    module-level function on picklable arguments.
    """

    def __init__(self, processes: int | None = None) -> None:
        self.processes = default_processes() if processes is None else processes
        self._pool: Executor | None = None
        self._retry_lock = asyncio.Lock()
        #: whether a worker ever answered: workers that cannot start at all mean threads instead
        self._answered = False

    def _new_pool(self) -> Executor:
        return ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_warm_up)

    async def __aenter__(self) -> PageReaders:
        if self.processes > 0:
            try:
                self._pool = self._new_pool()
            except (OSError, NotImplementedError):  # no process support here (no semaphores, say)
                self._pool = None
        if self._pool is None:
            keep_freed_memory()  # pages are read in this process
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        if self._pool is None:
            return await asyncio.to_thread(function, *args)
        pool = self._pool
        try:
            return await self._in_worker(pool, function, *args)
        except BrokenProcessPool:
            self._replace(pool)
        # Every page in flight failed with the one that crashed: each is tried again alone,
        # so only the page that crashes a fresh worker by itself is given up.
        async with self._retry_lock:
            if not self._answered and self._pool is not None:
                await self._check_workers_start()
            pool = self._pool
            if pool is None:
                return await asyncio.to_thread(function, *args)
            try:
                return await self._in_worker(pool, function, *args)
            except BrokenProcessPool:
                self._replace(pool)
        raise ReaderCrashed("the page crashed the process reading it; its reader cannot read this "
                            "page: pin another `format:` or a CSS recipe for this source")

    async def _in_worker(self, pool: Executor, function: Callable[..., T], *args: Any) -> T:
        result = await asyncio.get_running_loop().run_in_executor(pool, function, *args)
        self._answered = True
        return result

    async def _check_workers_start(self) -> None:
        """No worker has answered yet: when a fresh one cannot even answer, read in threads."""
        pool = self._pool
        try:
            await self._in_worker(pool, os.getpid)
        except BrokenProcessPool:
            pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
            keep_freed_memory()

    def _replace(self, broken: Executor) -> None:
        if self._pool is broken:
            broken.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
