"""The discovery flow: sources → fetch → extract → store → filter → feeds, on Prefect.

Reading is one Prefect task per batch of sources, all batches running in the
flow's event loop on one shared HTTP client, so the global and per-host limits
hold across the whole run. No Prefect task per request or per event: task
runs cost milliseconds each in the flow and more in the API's writer.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flows.prefect_env import configure_prefect

configure_prefect()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_table_artifact  # noqa: E402
from prefect.cache_policies import NONE  # noqa: E402

from flows.config import Config, Source, load_config  # noqa: E402
from flows.fetch import Fetcher, Limits  # noqa: E402
from flows.pipeline import (FeedReport, SourceReport, SourceResult, read_sources, run_limits,  # noqa: E402
                            store_results, write_feeds)
from flows.store import Store, run_lock  # noqa: E402

#: at most this many Prefect task runs per flow run; sources are batched beyond it
MAX_TASKS = 64


@dataclass
class RunSummary:
    sources: list[SourceReport] = field(default_factory=list)
    feeds: list[FeedReport] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@task(name="read-sources", cache_policy=NONE, persist_result=False,
      task_run_name="read {label}")
async def read_batch(sources: list[Source], limits: Limits, health: dict, allow_private: bool,
                     fetcher: Fetcher, label: str) -> list[SourceResult]:
    """Fetch and extract one batch of sources; writes nothing."""
    return await read_sources(sources, limits, health, allow_private=allow_private, fetcher=fetcher)


def batches(sources: list[Source], max_tasks: int = MAX_TASKS) -> list[list[Source]]:
    size = max(1, math.ceil(len(sources) / max_tasks))
    return [sources[i:i + size] for i in range(0, len(sources), size)]


@flow(name="eventscout-discovery", log_prints=False, persist_result=False)
async def discovery(sources_path: str, output_dir: str, db_path: str) -> dict:
    """One discovery run over every enabled source; returns the run summary."""
    import asyncio

    logger = get_run_logger()
    config: Config = load_config(sources_path)
    limits, allow_private = run_limits(config)
    output = Path(output_dir)
    with run_lock(db_path), Store(db_path) as store:
        run_id = store.start_run()
        enabled = [s for s in config.sources if s.enabled]
        health = {h.id: h for h in store.all_health()}
        async with Fetcher(limits, allow_private=allow_private) as fetcher:
            groups = batches(enabled)
            results_nested = await asyncio.gather(*(
                read_batch(group, limits, {s.id: health.get(s.id) for s in group if s.id in health},
                           allow_private, fetcher, label=group[0].id if len(group) == 1
                           else f"{group[0].id} +{len(group) - 1}")
                for group in groups))
        results = [r for group in results_nested for r in group]
        summary = RunSummary(sources=store_results(store, results))
        summary.feeds, summary.unplaced = write_feeds(config, store, output)
        store.finish_run(run_id, summary.to_dict())
    for report in summary.sources:
        if report.status != "ok":
            logger.warning("%s: %s (%s)", report.source, report.status, report.reason)
    await create_table_artifact(
        key="discovery-summary",
        table=[{"source": r.source, "status": r.status, "events": r.events, "new": r.new,
                "changed": r.changed, "removed": r.removed, "reader": r.reader or "",
                "reason": r.reason or "", "seconds": round(r.seconds, 2)} for r in summary.sources],
        description="Per-source results of this eventscout discovery run")
    return summary.to_dict()
