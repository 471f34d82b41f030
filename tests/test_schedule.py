"""`eventscout schedule --now` starts its own Prefect server, runs once, serves the flow, and a run is visible there.

Prefect's embedded API cannot schedule, so the command supervises a real
`prefect server start`; this test triggers the served deployment through the
Prefect client and reads back the flow run, its task runs and the summary
artifact, then stops the command and checks the server went with it.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from eventscout.flows.onboarding.demo import DemoSites
from eventscout.flows.orchestration.prefect_server import free_port, healthy

pytestmark = pytest.mark.slow


async def _deployment_id(client, deadline: float):
    from prefect.exceptions import ObjectNotFound

    while time.monotonic() < deadline:
        try:
            return (await client.read_deployment_by_name("eventscout-discovery/eventscout-schedule")).id
        except (ObjectNotFound, Exception):  # noqa: BLE001 - the server may still be starting
            await asyncio.sleep(0.5)
    raise AssertionError("the schedule command never registered its deployment")


async def _run_once(api_url: str, deadline: float) -> tuple:
    from prefect.client.orchestration import PrefectClient
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async with PrefectClient(api=api_url) as client:
        deployment = await client.read_deployment(await _deployment_id(client, deadline))
        assert deployment.schedules and deployment.schedules[0].schedule.cron == "0 6 * * *"
        assert deployment.schedules[0].schedule.timezone == "America/New_York"
        run = await client.create_flow_run_from_deployment(deployment.id)
        while time.monotonic() < deadline:
            run = await client.read_flow_run(run.id)
            if run.state and run.state.is_final():
                break
            await asyncio.sleep(0.5)
        only_this = FlowRunFilter(id=FlowRunFilterId(any_=[run.id]))
        tasks = await client.read_task_runs(flow_run_filter=only_this)
        artifacts = await client.read_artifacts(flow_run_filter=only_this)
        return run, tasks, artifacts


def test_schedule_serves_the_flow_on_its_own_prefect_server(tmp_path):
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update({"EVENTSCOUT_HOME": str(tmp_path / "home"), "EVENTSCOUT_ALLOW_PRIVATE": "1",
                "EVENTSCOUT_PREFECT_PORT": str(port)})
    with DemoSites() as sites:
        sources = sites.write_sources(tmp_path / "sources.yaml")
        source_ids = sorted(s["id"] for s in sites.sources()["sources"])
        command = subprocess.Popen(
            [sys.executable, "-m", "eventscout.flows.cli", "schedule", "--sources", str(sources),
             "--output", str(tmp_path / "out"), "--db", str(tmp_path / "store.db"), "--now",
             "--timezone", "America/New_York"],
            env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            run, tasks, artifacts = asyncio.run(_run_once(api_url, time.monotonic() + 150))
        finally:
            command.send_signal(signal.SIGINT)
            try:
                output = command.communicate(timeout=40)[0].decode(errors="replace")
            except subprocess.TimeoutExpired:
                command.kill()
                output = command.communicate()[0].decode(errors="replace")
    assert run.state.is_completed(), (run.state, output[-3000:])
    assert tasks and all(t.state.is_completed() for t in tasks)
    # every demo site is on one host: one batch, one task run
    assert [t.name for t in tasks] == [f"read tag +{len(source_ids) - 1}"]
    (summary,) = [a for a in artifacts if a.key == "discovery-summary"]
    rows = json.loads(summary.data) if isinstance(summary.data, str) else summary.data
    assert sorted(row["source"] for row in rows) == source_ids
    assert "Prefect server and UI" in output
    assert "on the schedule '0 6 * * *' in the time zone America/New_York" in output
    # one line per run, the one `--now` started and the one triggered above, and no Prefect log lines
    finished = [line for line in output.splitlines() if " run finished: " in line]
    assert len(finished) == 2, output[-3000:]
    assert all(line.endswith(f"5 of 5 sources read, 0 failed; {new} new, 0 changed events; feeds in "
                             f"{tmp_path / 'out'}") for line, new in zip(finished, (13, 0))), finished
    assert " | WARNING | " not in output and " | INFO " not in output
    assert not healthy(api_url), "the Prefect server must stop with the schedule command"
