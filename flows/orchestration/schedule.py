"""`eventscout schedule`: the discovery flow served by Prefect on a cron schedule.

Prefect's embedded API cannot schedule, so without PREFECT_API_URL a real
`prefect server start` is run alongside (eventscout.flows.orchestration.prefect_server) and stopped
with this process. Runs never overlap: the runner starts at most one run at a
time (a run due while one is going waits for it), and every run takes the
store's run lock, so a manual `eventscout run` waits too.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from eventscout.flows.orchestration.prefect_server import prefect_server
from eventscout.flows.paths import data_dir

if TYPE_CHECKING:
    from eventscout.flows.orchestration.discover import RunSummary

DEPLOYMENT = "eventscout-schedule"
PORT_ENV = "EVENTSCOUT_PREFECT_PORT"


def check_cron(cron: str) -> str:
    """The cron text, or ValueError saying what is wrong with it."""
    from pydantic import ValidationError

    from eventscout.flows.orchestration.prefect_env import configure_prefect

    configure_prefect()
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValidationError:
        raise ValueError(f"{cron!r} is not a cron schedule; use five fields such as '0 6 * * *' (06:00 daily)")
    return cron


def serve_on_schedule(sources: Path, output: Path, db: Path, cron: str, *, timezone: str = "UTC",
                      now: bool = False, dask: str | None = None, say: Callable[[str], None] = print,
                      report: Callable[[RunSummary], None] | None = None) -> None:
    """Serve the flow until interrupted, starting a Prefect server first when none is configured.

    `now` runs discovery once at the start, then on the cron. `report` is
    given each run's summary as the run finishes, whichever process ran it
    (Prefect's runner starts scheduled runs in their own), read from the store.
    """
    with _reporting_runs(db, report):
        if os.environ.get("PREFECT_API_URL"):
            _serve(sources, output, db, cron, timezone, now, dask, say)
            return
        port = int(os.environ[PORT_ENV]) if os.environ.get(PORT_ENV) else None
        say("Starting a Prefect server for the schedule (Prefect's embedded API cannot schedule)…")
        with prefect_server(data_dir() / "prefect-server", port) as api_url:
            os.environ["PREFECT_API_URL"] = api_url
            say(f"Prefect server and UI: {api_url.removesuffix('/api')} (stopped with this command)")
            _serve(sources, output, db, cron, timezone, now, dask, say)


@contextmanager
def _reporting_runs(db: Path, report: Callable[[RunSummary], None] | None,
                    every: float = 1.0) -> Iterator[None]:
    """While the block runs, hand `report` the summary of each run the store records as finished."""
    if report is None:
        yield
        return
    from eventscout.flows.orchestration.discover import RunSummary
    from eventscout.flows.store import Store

    def last_id() -> int:
        if not db.exists():
            return 0
        with Store(db) as store:
            runs = store.finished_runs()
        return runs[-1][0] if runs else 0

    seen = last_id()
    stop = threading.Event()

    def watch() -> None:
        nonlocal seen
        while not stop.wait(every):
            if not db.exists():
                continue
            with Store(db) as store:
                finished = store.finished_runs(seen)
            for run_id, data in finished:
                seen = run_id
                report(RunSummary.from_dict(data))

    watcher = threading.Thread(target=watch, name="run-reports", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join(timeout=5)


def _serve(sources: Path, output: Path, db: Path, cron: str, timezone: str, now: bool, dask: str | None,
           say: Callable[[str], None]) -> None:
    import asyncio

    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from eventscout.flows.orchestration.discover import discovery

    parameters = {"sources_path": str(sources), "output_dir": str(output), "db_path": str(db), "dask": dask}
    # Prefect may have read its settings before the server's URL was known
    with temporary_settings(updates={PREFECT_API_URL: os.environ["PREFECT_API_URL"]}):
        if now:
            say("Running discovery now, before the schedule takes over…")
            asyncio.run(discovery(**parameters))
        say(f"Discovery runs on the schedule {cron!r} in the time zone {timezone} (deployment "
            f"eventscout-discovery/{DEPLOYMENT}); press Ctrl-C to stop.")
        discovery.serve(name=DEPLOYMENT, schedules=[Cron(cron, timezone=timezone)], parameters=parameters,
                        limit=1, entrypoint_type=EntrypointType.MODULE_PATH, print_starting_message=False,
                        description="eventscout discovery: fetch every source, update the store, write the feeds")
