"""Where fetched pages are read: worker processes under hard limits, so the run's event loop only fetches.

Reading a page (parse, extract, clean, enrich) is CPU work. In the fetching
process it holds the GIL while hundreds of requests wait for their answers to
be taken in, so a large run ends up paced by parsing instead of the network.
A small pool of worker processes reads pages on the machine's other cores.

Each page is read under two hard limits, so a hostile page costs its own
source and nothing else:

- wall time (`EVENTSCOUT_READ_TIMEOUT`, 10 s): a worker still reading then is
  killed and replaced, and the page is refused. On 2 cores there are two
  reading processes, so every second one page holds one is a second half the
  reading stands still; the slowest real page of the corpus reads in well under 2 s.
- memory (`EVENTSCOUT_READ_MEMORY_MB`, 768): the worker's address space
  (RLIMIT_AS); a page that needs more raises MemoryError in the worker, which
  then is replaced. A warmed-up worker maps about 160 MB; a 10 MB page's parse
  tree fits well within the rest.

Workers die with the process that started them (a parent-death signal), so a
run killed outright leaves none behind. With one core, or
`EVENTSCOUT_READ_PROCESSES=0`, pages are read in threads of the fetching
process instead: a thread cannot be stopped, so there only the readers' own
bounds hold (the iCalendar expansion budget, the body size cap, the
per-source event cap), and the source's time budget stops waiting for it.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from eventscout.flows.reading.env_numbers import SettingError, positive_number
from eventscout.flows.reading.process_tuning import keep_freed_memory
from eventscout.flows.reading.reader_process import warm_up as _warm_up

PROCESSES_ENV = "EVENTSCOUT_READ_PROCESSES"
TIMEOUT_ENV = "EVENTSCOUT_READ_TIMEOUT"
MEMORY_ENV = "EVENTSCOUT_READ_MEMORY_MB"
DEFAULT_TIMEOUT = 10.0
DEFAULT_MEMORY_MB = 768
#: a fresh worker imports the readers and loads the gazetteer before its first page
START_TIMEOUT = 60.0

T = TypeVar("T")


def default_processes(beside_a_starting_server: bool = False) -> int:
    """$EVENTSCOUT_READ_PROCESSES, else one per core (at most 4), and none on one core; one fewer
    (but one at least) `beside_a_starting_server`.

    One per core, not one per core beside the fetching process: fetching is
    mostly waiting, so on 2 cores one reader left the second core half idle
    while pages queued for it (1,000 pages, `benchmarks/crawl.py`: 0.80-0.85x
    Scrapy's time with two readers, 0.92-0.95x with one; about 70 MB more).
    A run that starts its own Prefect server has that server's start-up on a
    core for about 10 CPU seconds while it reads: there a second reader on 2
    cores gained nothing (1.05-1.11x against 1.04-1.07x) and cost the memory.
    """
    configured = os.environ.get(PROCESSES_ENV, "").strip()
    if configured:
        try:
            return max(0, int(configured))
        except ValueError:
            raise SettingError(f"{PROCESSES_ENV}={configured!r} is not a number; set it to 0 (read in "
                             "threads) or the number of worker processes") from None
    cores = os.cpu_count() or 1
    if cores == 1:
        return 0
    return max(1, min(4, cores) - beside_a_starting_server)


class ReaderCrashed(Exception):
    """A page could not be read within the reading limits: it killed, outran or outgrew its worker."""


#: what a worker runs: `-P` keeps the current folder off its path (its path is the run's, sent first)
_WORKER_CODE = "from eventscout.flows.reading.reader_process import main; main({fd})  # eventscout-reader"


class _Worker:
    """One reading process and its end of the pipe.

    A plain subprocess rather than multiprocessing's spawn: that also starts a
    resource-tracker process for the run (13 MB) and imports the run's main
    module into every worker, none of which reading needs.
    """

    def __init__(self, memory_bytes: int) -> None:
        ours, theirs = socket.socketpair()
        self.connection = Connection(ours.detach())
        fd = theirs.fileno()
        try:
            self.process = subprocess.Popen([sys.executable, "-P", "-c", _WORKER_CODE.format(fd=fd)],
                                            pass_fds=(fd,), stdin=subprocess.DEVNULL)
        except BaseException:
            self.connection.close()
            raise
        finally:
            theirs.close()
        self.connection.send(sys.path)
        self.connection.send((_warm_up, memory_bytes))
        self.ready = False
        self._watched: tuple[asyncio.AbstractEventLoop, int] | None = None

    def wait_ready(self) -> bool:
        """Block until the worker has warmed up; False when it died or never answered."""
        try:
            if not self.connection.poll(START_TIMEOUT):
                return False
            self.ready = self.connection.recv()[0] == "ready"
        except (EOFError, OSError):
            return False
        return self.ready

    def call(self, function: Callable[..., Any], args: tuple) -> asyncio.Future[tuple[str, Any]]:
        """Send one job; its answer, ("died", None) when the process ended first, comes to the future.

        The answer is taken in by the event loop when the pipe turns readable,
        not by a thread blocked on it: a thread hop per page cost the loop more
        than reading the answer does.
        """
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[tuple[str, Any]] = loop.create_future()
        try:
            self.connection.send((function, args))
        except (OSError, BrokenPipeError):
            answer.set_result(("died", None))
            return answer
        fd = self.connection.fileno()

        def readable() -> None:
            self.unwatch()
            try:
                result = self.connection.recv()
            except (EOFError, OSError):
                result = ("died", None)
            if not answer.done():
                answer.set_result(result)

        loop.add_reader(fd, readable)
        self._watched = (loop, fd)
        return answer

    def unwatch(self) -> None:
        """Stop watching the pipe for an answer, in the loop's thread, before `stop` closes it:
        the loop must never hold a closed fd."""
        if self._watched is not None:
            loop, fd = self._watched
            self._watched = None
            loop.remove_reader(fd)

    def stop(self, *, kill: bool = False) -> None:
        """End the process: asked to, or killed; waits for it either way, so none is left behind."""
        if not kill:
            try:
                self.connection.send(None)
            except OSError:
                kill = True
            else:
                try:
                    self.process.wait(1.0)
                except subprocess.TimeoutExpired:
                    kill = True
        if self.process.poll() is None:
            self.process.kill()
            try:
                self.process.wait(5.0)
            except subprocess.TimeoutExpired:
                pass
        self.connection.close()


class PageReaders:
    """Runs reading functions in worker processes (or, with `processes=0`, in threads).

    Use as an async context manager; `await readers.run(fn, *args)` runs one
    module-level function on picklable arguments, within the time and memory
    limits, and raises ReaderCrashed when the page overran them.
    """

    def __init__(self, processes: int | None = None, *, timeout: float | None = None,
                 memory_mb: float | None = None) -> None:
        self.processes = default_processes() if processes is None else processes
        self.timeout = positive_number(TIMEOUT_ENV, DEFAULT_TIMEOUT) if timeout is None else timeout
        self.memory_mb = positive_number(MEMORY_ENV, DEFAULT_MEMORY_MB) if memory_mb is None else memory_mb
        self._idle: asyncio.Queue[_Worker] | None = None
        self._workers: set[_Worker] = set()
        #: pages read in threads: asked for (no processes), or worker processes cannot start here
        self._in_threads = self.processes <= 0

    async def __aenter__(self) -> PageReaders:
        if not self._in_threads:
            self._idle = asyncio.Queue()
            try:
                for _ in range(self.processes):
                    self._idle.put_nowait(self._start_worker())
            except OSError:  # no process support here (no semaphores, say)
                await self._read_in_threads()
        if self._in_threads:
            keep_freed_memory()  # pages are read in this process
        return self

    async def __aexit__(self, *exc: object) -> None:
        workers, self._workers = list(self._workers), set()
        self._idle = None
        for worker in workers:
            worker.unwatch()
        await asyncio.gather(*(asyncio.to_thread(w.stop) for w in workers))

    def _start_worker(self) -> _Worker:
        worker = _Worker(int(self.memory_mb * 1024 * 1024))
        self._workers.add(worker)
        return worker

    def _retire(self, worker: _Worker, *, kill: bool) -> None:
        """Stop a worker (killing it when it overran), and put a fresh one in its place."""
        self._workers.discard(worker)
        worker.unwatch()
        worker.stop(kill=kill)
        if self._idle is not None:
            self._idle.put_nowait(self._start_worker())

    async def _read_in_threads(self) -> None:
        self._in_threads = True
        workers, self._workers = list(self._workers), set()
        for worker in workers:
            worker.unwatch()
            await asyncio.to_thread(worker.stop, kill=True)
        keep_freed_memory()

    async def run(self, function: Callable[..., T], *args: Any,
                  queued: Callable[[], AbstractContextManager[object]] | None = None) -> T:
        """`function(*args)` in a worker; the wait for a free (or warmed-up) worker runs inside `queued()`."""
        if self._in_threads or self._idle is None:
            return await asyncio.to_thread(function, *args)
        with queued() if queued is not None else nullcontext():
            worker = await self._idle.get()
            ready = worker.ready or await asyncio.to_thread(worker.wait_ready)
        if not ready:
            # a fresh worker that cannot even start means this platform cannot run them
            self._workers.discard(worker)
            await asyncio.to_thread(worker.stop, kill=True)
            await self._read_in_threads()
            return await asyncio.to_thread(function, *args)
        answer = worker.call(function, args)
        try:
            done, _ = await asyncio.wait([answer], timeout=self.timeout)
        except asyncio.CancelledError:  # the source's budget ended: the worker's page is not wanted
            self._retire(worker, kill=True)
            raise
        if not done:
            self._retire(worker, kill=True)
            raise ReaderCrashed(f"reading took over {self.timeout:g} s: refused (the page is too "
                                "costly to read; EVENTSCOUT_READ_TIMEOUT sets the limit)")
        kind, value = answer.result()
        if kind == "ok":
            self._idle.put_nowait(worker)
            return value
        if kind == "error":
            self._idle.put_nowait(worker)
            raise value
        self._retire(worker, kill=True)
        if kind == "memory":
            raise ReaderCrashed(f"reading needed over {self.memory_mb:g} MB of memory: refused "
                                "(EVENTSCOUT_READ_MEMORY_MB sets the limit)")
        raise ReaderCrashed("the page crashed the process reading it; its reader cannot read this "
                            "page: pin another `format:` or a CSS recipe for this source")
