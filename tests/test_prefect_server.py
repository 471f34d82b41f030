"""The run's own Prefect API server leans on two Prefect-internal variables: say so loudly when they change.

`TemporaryServer` starts what Prefect's embedded mode starts (`SubprocessASGIServer`:
its API app under uvicorn, with PREFECT__SERVER_EPHEMERAL and PREFECT__SERVER_FINAL set),
but from the run's first moment and without importing Prefect's server code into the
run's process (2.6-3.4 s of CPU here, far over the 0.3 s the public way was allowed).
These variables are not a public API: this test is the alarm for a Prefect upgrade.
"""

from __future__ import annotations

import inspect

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
