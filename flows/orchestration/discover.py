"""The discovery flow: sources → fetch → extract → store → filter → feeds, on Prefect.

Reading is one Prefect task per batch of sources (a host's sources never
split), all batches running in the flow's event loop on one shared HTTP
client, so the global and per-host limits hold across the whole run; or, with
Dask, batches on stateless workers that hand their events back to the flow,
which alone writes the store. No Prefect task per request or per event: task
runs cost milliseconds each in the flow and more in the API's writer.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from eventscout.flows.orchestration.prefect_env import configure_prefect

configure_prefect()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_table_artifact  # noqa: E402
from prefect.cache_policies import NONE  # noqa: E402

from eventscout.flows.config import Config, Source, load_config  # noqa: E402
from eventscout.flows.orchestration import prefetch as prefetching  # noqa: E402
from eventscout.flows.publishing.publish import FeedReport, write_feeds  # noqa: E402
from eventscout.flows.reading.fetch import Fetcher, Limits  # noqa: E402
from eventscout.flows.reading.page_readers import PageReaders  # noqa: E402
from eventscout.flows.reading.errors import Cause  # noqa: E402
from eventscout.flows.reading.read import (ReadStatus, SourceReport, SourceResult, batches,  # noqa: E402
                                           fresh_events, read_sources, run_limits, store_results)
from eventscout.flows.store import Store, StoreError, run_lock  # noqa: E402

#: how to reach a Dask cluster: "local" starts a LocalCluster of worker processes
DASK_ENV = "EVENTSCOUT_DASK"


@dataclass
class RunSummary:
    """What one run did: each source's report, each feed's, and where the feeds went.

    The flow returns it as it is, so the command line renders typed reports;
    the store keeps `to_dict()`.
    """

    output: str = ""
    sources: list[SourceReport] = field(default_factory=list)
    feeds: list[FeedReport] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    #: the run's wall-clock time, Prefect's start included, when the launcher measured it
    seconds: float | None = None

    @property
    def failed(self) -> list[SourceReport]:
        return [r for r in self.sources if not r.status.read]

    @property
    def new(self) -> int:
        return sum(r.new for r in self.sources)

    @property
    def changed(self) -> int:
        return sum(r.changed for r in self.sources)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> RunSummary:
        """The summary a run stored (`to_dict`), typed again."""
        def source(row: dict) -> SourceReport:
            return SourceReport(**{**row, "status": ReadStatus(row["status"]),
                                   "cause": Cause(row["cause"]) if row.get("cause") else None})

        return cls(output=data.get("output", ""), sources=[source(r) for r in data.get("sources", [])],
                   feeds=[FeedReport(**f) for f in data.get("feeds", [])], unplaced=data.get("unplaced", []),
                   seconds=data.get("seconds"))


@task(name="read-sources", cache_policy=NONE, persist_result=False,
      task_run_name="read {label}", retries=0)
async def read_batch(sources: list[Source], limits: Limits, health: dict, allow_private: bool,
                     label: str, fetcher: Fetcher | None = None,
                     readers: PageReaders | None = None) -> list[SourceResult]:
    """Fetch and extract one batch of sources; writes nothing.

    Without a shared `fetcher` (on a Dask worker) the batch opens its own
    client and reads pages in threads (the worker is the process); batches
    never split a host, so per-host limits still hold.
    """
    return await read_sources(sources, limits, health, allow_private=allow_private, fetcher=fetcher,
                              readers=readers)


def _label(group: list[Source]) -> str:
    return group[0].id if len(group) == 1 else f"{group[0].id} +{len(group) - 1}"


def dask_runner(address: str):
    """A DaskTaskRunner on `address` (tcp://host:8786) or, for "local", a LocalCluster of processes."""
    from prefect_dask import DaskTaskRunner

    if address == "local":
        workers = max(2, min(4, os.cpu_count() or 2))
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": ":0"})
    return DaskTaskRunner(address=address)


@task(name="read-sources", cache_policy=NONE, persist_result=False,
      task_run_name="read {label}", retries=0)
async def collect_batch(prefetch: prefetching.Prefetch, index: int, label: str) -> list[SourceResult]:
    """The results of one batch whose reading began before Prefect was up (eventscout.flows.orchestration.prefetch)."""
    return await asyncio.wrap_future(prefetch.futures[index])


async def _read_and_store(enabled: list[Source], limits: Limits, health: dict, allow_private: bool, store: Store,
                          dask: str | None, prefetch: prefetching.Prefetch | None = None
                          ) -> tuple[list[SourceResult], list[SourceReport]]:
    """Every batch read, and stored the moment it is: its rows (much of a large run's memory) are let
    go while other batches are still being read, and the writing overlaps the waiting for pages.
    The results and reports come back in the sources' order."""
    groups = batches(enabled)
    nested: list[list[SourceResult]] = [[] for _ in groups]
    reports: list[list[SourceReport]] = [[] for _ in groups]

    def stored(index: int, results: list[SourceResult]) -> None:
        nested[index], reports[index] = results, store_results(store, results)

    async def kept(index: int, reading) -> None:
        stored(index, await reading)

    if prefetch is not None and [[s.id for s in g] for g in prefetch.groups] == [[s.id for s in g] for g in groups]:
        await asyncio.gather(*(kept(i, collect_batch(prefetch, i, _label(group))) for i, group in enumerate(groups)))
    elif dask:
        with dask_runner(dask) as runner:
            futures = [runner.submit(read_batch, parameters={
                "sources": group, "limits": limits, "allow_private": allow_private, "label": _label(group),
                "health": {s.id: health[s.id] for s in group if s.id in health}}) for group in groups]
            for i, future in enumerate(futures):
                stored(i, future.result())
    else:
        async with Fetcher(limits, allow_private=allow_private) as fetcher, PageReaders() as readers:
            await asyncio.gather(*(
                kept(i, read_batch(group, limits, {s.id: health[s.id] for s in group if s.id in health},
                                   allow_private, _label(group), fetcher, readers)) for i, group in enumerate(groups)))
    return [r for group in nested for r in group], [r for group in reports for r in group]


@flow(name="eventscout-discovery", log_prints=False, persist_result=False)
async def discovery(sources_path: str, output_dir: str, db_path: str, dask: str | None = None) -> RunSummary:
    """One discovery run over every enabled source; returns the run summary.

    `dask` ("local" or a scheduler address; default: $EVENTSCOUT_DASK or the
    sources file's settings.dask) runs the reading on a Dask cluster; the
    store is written here, in the flow, either way.
    """
    logger = get_run_logger()
    config: Config = load_config(sources_path)
    limits, allow_private = run_limits(config)
    dask = dask or os.environ.get(DASK_ENV) or config.settings.dask
    output = Path(output_dir)
    with run_lock(db_path), Store(db_path) as store:
        run_id = store.start_run()
        enabled = [s for s in config.sources if s.enabled]
        health = {h.id: h for h in store.all_health()}
        logger.info("reading %d sources%s", len(enabled), f" on Dask ({dask})" if dask else "")
        prefetch = prefetching.take(sources_path, db_path)
        results, reports = await _read_and_store(enabled, limits, health, allow_private, store, dask,
                                                 None if dask else prefetch)
        summary = RunSummary(output=str(output), sources=reports)
        summary.feeds, summary.unplaced = write_feeds(config, store, output, fresh=fresh_events(results))
        store.finish_run(run_id, summary.to_dict())
        try:
            store.keep_backup()
        except StoreError as exc:  # the run itself went well: say so, and why there is no fresh copy
            logger.warning("no copy of the store was kept after this run: %s", exc)
    for report in summary.sources:
        if report.status.read:
            logger.info("%s: %s, %d events (%d new, %d changed)", report.source, report.status,
                        report.events, report.new, report.changed)
        else:
            logger.warning("%s: %s (%s)", report.source, report.status, report.reason)
    for feed in summary.feeds:
        logger.info("feed %s: %d events%s", feed.feed, feed.events, "" if feed.written else " (unchanged)")
    await create_table_artifact(
        key="discovery-summary",
        table=[{"source": r.source, "status": r.status, "events": r.events, "new": r.new,
                "changed": r.changed, "removed": r.removed, "reader": r.reader or "",
                "reason": r.reason or "", "seconds": round(r.seconds, 2)} for r in summary.sources],
        description="Per-source results of this eventscout discovery run")
    return summary
