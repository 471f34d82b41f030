"""Reading on a Dask cluster gives the same feeds as reading in the flow's own event loop.

Workers are stateless: they fetch and extract and hand events back; the flow
alone writes the store and the feeds.
"""

from __future__ import annotations

import asyncio
import re

import pytest

from eventscout.flows.onboarding.demo import DemoSites

pytestmark = pytest.mark.slow


def _feeds(folder) -> dict[str, str]:
    # DTSTAMP/CREATED/LAST-MODIFIED carry the second each store first saw an event
    return {p.name: re.sub(r"^(DTSTAMP|CREATED|LAST-MODIFIED):.*$", r"\1:-", p.read_text(), flags=re.M)
            for p in sorted(folder.glob("*.ics"))}


def test_a_local_dask_cluster_of_two_workers_writes_the_same_feeds(tmp_path, eventscout_home, monkeypatch):
    """As `eventscout run` runs it: one Prefect API server for the flow and every worker.

    In embedded mode each worker process would start its own API server on the same
    fresh database, and on a busy machine one of them times out.
    """
    pytest.importorskip("prefect_dask")
    from distributed import LocalCluster
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from eventscout.flows.orchestration.discover import discovery
    from eventscout.flows.orchestration.prefect_server import TemporaryServer

    # a fresh Prefect home sets up its database first: 10-13 s here, minutes on a loaded 2-core machine
    server = TemporaryServer(eventscout_home / "prefect", startup_timeout=600)
    try:
        api_url = server.wait_ready()
        monkeypatch.setenv("PREFECT_API_URL", api_url)  # the workers started below inherit it
        with temporary_settings(updates={PREFECT_API_URL: api_url}), DemoSites() as sites, \
                LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
            sources = sites.write_sources(tmp_path / "sources.yaml")
            plain = asyncio.run(discovery(str(sources), str(tmp_path / "plain"), str(tmp_path / "plain.db")))
            on_dask = asyncio.run(discovery(str(sources), str(tmp_path / "dask"), str(tmp_path / "dask.db"),
                                            dask=cluster.scheduler_address))
            assert len(cluster.workers) == 2
    finally:
        server.stop()
    assert [(r.source, r.status, r.events) for r in on_dask.sources] == \
        [(r.source, r.status, r.events) for r in plain.sources]
    assert _feeds(tmp_path / "dask") == _feeds(tmp_path / "plain") != {}
