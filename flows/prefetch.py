"""Start reading sources while Prefect starts up, in a process of its own.

Importing Prefect and starting its API take seconds before the flow's first
line runs; the reading is network-bound and needs none of it. So `eventscout
run` starts the reading first, and the flow's tasks then collect each batch's
results. The reading runs in a separate process (its event loop fetching, its
worker processes reading pages), so Prefect's own work in the flow's process
does not hold up the requests. Nothing is written before the flow holds the
store's run lock: the reading only gets the store's health snapshot.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from concurrent.futures import Future
from multiprocessing.connection import Connection
from pathlib import Path

from flows.config import Config, Source
from flows.fetch import Fetcher, Limits
from flows.page_readers import PageReaders, default_processes
from flows.pipeline import SourceResult, read_sources, run_limits
from flows.store import SourceHealth, Store

_started: dict[tuple[str, str], Prefetch] = {}


class Prefetch:
    """Batches of sources being read in the background; `futures[i]` holds batch i's results."""

    def __init__(self, config: Config, db_path: Path | str, groups: list[list[Source]]) -> None:
        self.groups = groups
        self.futures: list[Future[list[SourceResult]]] = [Future() for _ in groups]
        with Store(db_path) as store:
            self.health = {h.id: h for h in store.all_health()}
        self.limits, self.allow_private = run_limits(config)
        if default_processes() > 0:
            self._start_process()
        else:  # one core: read in a thread of this process
            threading.Thread(target=lambda: self._deliver(asyncio.run(read_groups(
                self.groups, self.limits, self.health, self.allow_private))), name="prefetch", daemon=True).start()

    def _start_process(self) -> None:
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_read_in_process, name="eventscout-reading",
                                  args=(sender, self.groups, self.limits, self.health, self.allow_private))
        process.start()
        sender.close()

        def collect() -> None:
            try:
                outcomes = receiver.recv()
            except (EOFError, OSError):
                process.join()
                outcomes = [RuntimeError(f"the reading process stopped (exit code {process.exitcode}) "
                                         "before handing back its results")] * len(self.groups)
            self._deliver(outcomes)
            process.join()

        threading.Thread(target=collect, name="prefetch", daemon=True).start()

    def _deliver(self, outcomes: list[list[SourceResult] | BaseException]) -> None:
        for future, outcome in zip(self.futures, outcomes):
            if isinstance(outcome, BaseException):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)


async def read_groups(groups: list[list[Source]], limits: Limits, health: dict[str, SourceHealth],
                      allow_private: bool) -> list[list[SourceResult] | BaseException]:
    """Every batch at once on one client, pages read by worker processes; a batch's failure is its outcome."""
    async with Fetcher(limits, allow_private=allow_private) as fetcher, PageReaders() as readers:
        return await asyncio.gather(*(
            read_sources(group, limits, health, allow_private=allow_private, fetcher=fetcher, readers=readers)
            for group in groups), return_exceptions=True)


def _read_in_process(sender: Connection, groups: list[list[Source]], limits: Limits,
                     health: dict[str, SourceHealth], allow_private: bool) -> None:
    outcomes = asyncio.run(read_groups(groups, limits, health, allow_private))
    sender.send([o if not isinstance(o, BaseException) else RuntimeError(f"{type(o).__name__}: {o}")
                 for o in outcomes])
    sender.close()


def start(sources_path: Path | str, db_path: Path | str, config: Config,
          groups: list[list[Source]]) -> Prefetch:
    prefetch = Prefetch(config, db_path, groups)
    _started[(str(sources_path), str(db_path))] = prefetch
    return prefetch


def take(sources_path: Path | str, db_path: Path | str) -> Prefetch | None:
    """The reading started for this run, once; None when the flow must read itself."""
    return _started.pop((str(sources_path), str(db_path)), None)
