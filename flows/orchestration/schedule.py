"""`eventscout schedule`: the discovery flow served by Prefect on a cron schedule.

Prefect's embedded API cannot schedule, so without PREFECT_API_URL a real
`prefect server start` is run alongside (eventscout.flows.orchestration.prefect_server) and stopped
with this process. Runs never overlap: the runner starts at most one run at a
time (a run due while one is going waits for it), and every run takes the
store's run lock, so a manual `eventscout run` waits too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from eventscout.flows.paths import data_dir
from eventscout.flows.orchestration.prefect_server import prefect_server

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


def serve_on_schedule(sources: Path, output: Path, db: Path, cron: str, *, dask: str | None = None,
                      say: Callable[[str], None] = print) -> None:
    """Serve the flow until interrupted, starting a Prefect server first when none is configured."""
    if os.environ.get("PREFECT_API_URL"):
        _serve(sources, output, db, cron, dask, say)
        return
    port = int(os.environ[PORT_ENV]) if os.environ.get(PORT_ENV) else None
    say("Starting a Prefect server for the schedule (Prefect's embedded API cannot schedule)…")
    with prefect_server(data_dir() / "prefect-server", port) as api_url:
        os.environ["PREFECT_API_URL"] = api_url
        say(f"Prefect server and UI: {api_url.removesuffix('/api')} (stopped with this command)")
        _serve(sources, output, db, cron, dask, say)


def _serve(sources: Path, output: Path, db: Path, cron: str, dask: str | None,
           say: Callable[[str], None]) -> None:
    from prefect.deployments.runner import EntrypointType
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from eventscout.flows.orchestration.discover import discovery

    parameters = {"sources_path": str(sources), "output_dir": str(output), "db_path": str(db), "dask": dask}
    say(f"Discovery runs on the schedule {cron!r} (deployment eventscout-discovery/{DEPLOYMENT}); "
        "press Ctrl-C to stop.")
    # Prefect may have read its settings before the server's URL was known
    with temporary_settings(updates={PREFECT_API_URL: os.environ["PREFECT_API_URL"]}):
        discovery.serve(name=DEPLOYMENT, cron=cron, parameters=parameters, limit=1,
                        entrypoint_type=EntrypointType.MODULE_PATH, print_starting_message=False,
                        description="eventscout discovery: fetch every source, update the store, write the feeds")
