"""Start reading sources while Prefect starts up.

Importing Prefect and starting its embedded API take seconds before the flow's
first line runs; the reading is network-bound and needs none of it. So
`eventscout run` starts the reading in a thread first, and the flow's tasks
then collect each batch's results. Nothing is written before the flow holds
the store's run lock: the thread only reads the store's health snapshot.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future
from pathlib import Path

from eventscout.flows.config import Config, Source
from eventscout.flows.reading.fetch import Fetcher
from eventscout.flows.reading.page_readers import PageReaders
from eventscout.flows.reading.read import SourceResult, read_sources, run_limits
from eventscout.flows.store import Store

_started: dict[tuple[str, str], Prefetch] = {}


class Prefetch:
    """Batches of sources being read in a background thread; `result(batch)` waits for one."""

    def __init__(self, config: Config, db_path: Path | str, groups: list[list[Source]],
                 readers: int | None = None) -> None:
        self.groups = groups
        self.readers = readers
        self.futures: list[Future[list[SourceResult]]] = [Future() for _ in groups]
        with Store(db_path) as store:
            self.health = {h.id: h for h in store.all_health()}
        self.limits, self.allow_private = run_limits(config)
        self.thread = threading.Thread(target=lambda: asyncio.run(self._read()), name="prefetch", daemon=True)
        self.thread.start()

    async def _read(self) -> None:
        async def one(group: list[Source], future: Future) -> None:
            try:
                future.set_result(await read_sources(group, self.limits, self.health,
                                                     allow_private=self.allow_private, fetcher=fetcher,
                                                     readers=readers))
            except BaseException as exc:  # noqa: BLE001 - handed to the flow, which reports it
                future.set_exception(exc)

        try:
            async with (Fetcher(self.limits, allow_private=self.allow_private) as fetcher,
                        PageReaders(self.readers) as readers):
                await asyncio.gather(*(one(g, f) for g, f in zip(self.groups, self.futures)))
        except BaseException as exc:  # noqa: BLE001 - the reading could not start (a bad setting):
            for future in self.futures:  # every batch says so, or the flow would wait for them forever
                if not future.done():
                    future.set_exception(exc)


def start(sources_path: Path | str, db_path: Path | str, config: Config,
          groups: list[list[Source]], readers: int | None = None) -> Prefetch:
    """Start reading `groups`, with `readers` reading processes (None: `default_processes()`)."""
    prefetch = Prefetch(config, db_path, groups, readers)
    _started[(str(sources_path), str(db_path))] = prefetch
    return prefetch


def take(sources_path: Path | str, db_path: Path | str) -> Prefetch | None:
    """The reading started for this run, once; None when the flow must read itself."""
    return _started.pop((str(sources_path), str(db_path)), None)
