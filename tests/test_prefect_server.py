"""The run's own Prefect API server leans on two Prefect-internal variables: say so loudly when they change.

`TemporaryServer` starts what Prefect's embedded mode starts (`SubprocessASGIServer`:
its API app under uvicorn, with PREFECT__SERVER_EPHEMERAL and PREFECT__SERVER_FINAL set),
but from the run's first moment and without importing Prefect's server code into the
run's process (2.6-3.4 s of CPU here, far over the 0.3 s the public way was allowed).
These variables are not a public API: this test is the alarm for a Prefect upgrade.
"""

from __future__ import annotations

import inspect

import pytest

from eventscout.flows.orchestration import prefect_server


def test_prefect_still_starts_its_embedded_server_the_way_temporary_server_copies():
    from prefect.server.api import server

    starts = inspect.getsource(server.SubprocessASGIServer._run_uvicorn_command)
    reads = inspect.getsource(server.create_app)
    ours = inspect.getsource(prefect_server.TemporaryServer._start)
    for variable in ("PREFECT__SERVER_EPHEMERAL", "PREFECT__SERVER_FINAL"):
        assert f'"{variable}": "1"' in starts and f'os.getenv("{variable}")' in reads, (
            f"Prefect no longer starts its embedded API server with {variable}: update "
            "eventscout.flows.orchestration.prefect_server.TemporaryServer to what "
            "prefect.server.api.server.SubprocessASGIServer does now")
        assert f"{variable}=" in ours, f"TemporaryServer no longer sets {variable}"
    assert '"prefect.server.api.server:create_app"' in starts and \
        '"prefect.server.api.server:create_app"' in ours, "the API app factory moved"


@pytest.mark.slow
def test_the_schema_check_is_skipped_only_on_a_database_this_prefect_version_migrated(tmp_path, monkeypatch):
    """The second start on a home skips Prefect's migrations and still serves flows; a home whose
    database is gone, or a server on another database, migrates as before."""
    import json
    import urllib.request

    import psutil

    for name in ("PREFECT_SERVER_DATABASE_CONNECTION_URL", "PREFECT_API_DATABASE_CONNECTION_URL"):
        monkeypatch.delenv(name, raising=False)

    def start() -> tuple[bool, str]:
        server = prefect_server.TemporaryServer(tmp_path, startup_timeout=120)
        try:
            api = server.wait_ready()  # answering means it runs uvicorn: its environment is its own, not ours
            skipped = psutil.Process(server.process.pid).environ().get(
                "PREFECT_SERVER_DATABASE_MIGRATE_ON_START") == "false"
            request = urllib.request.Request(f"{api}/flows/", data=json.dumps({"name": "a-flow"}).encode(),
                                             headers={"Content-Type": "application/json"}, method="POST")
            with urllib.request.urlopen(request, timeout=30) as response:
                return skipped, json.load(response)["name"]
        finally:
            server.stop()

    assert start() == (False, "a-flow"), "a new home is migrated"
    assert list(tmp_path.glob(".eventscout-migrated-*"))
    assert start() == (True, "a-flow"), "the same version's database is not checked again, and works"
    for leftover in tmp_path.glob("prefect.db*"):
        leftover.unlink()
    assert start() == (False, "a-flow"), "a database made anew is migrated again"
    monkeypatch.setenv("PREFECT_SERVER_DATABASE_CONNECTION_URL", f"sqlite+aiosqlite:///{tmp_path / 'other.db'}")
    assert start() == (False, "a-flow"), "a database of the user's choosing is always checked"
