"""Starting a run from the command line: Prefect's API server, prefetch and the collector tuned, then the flow.

The launcher is what `eventscout run` and `eventscout demo` share; the flow
itself (`eventscout.flows.orchestration.discover`) knows nothing of terminals.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from pathlib import Path

from rich.console import Console


class LaunchError(Exception):
    """The run could not start or finish: its message names the cause and the fix."""


def run_discovery(sources: Path, output: Path, db: Path, dask: str | None = None, config=None,
                  console: Console | None = None) -> dict:
    """Run the Prefect flow in this process and return its summary.

    With the validated `config` at hand, reading starts before Prefect does (eventscout.flows.orchestration.prefetch).
    """
    from eventscout.flows.orchestration.prefect_server import ServerError
    from eventscout.flows.reading.process_tuning import collect_garbage_less_often
    from eventscout.flows.store import RunLocked, StoreError

    started = time.monotonic()
    stop_on_signals()
    collect_garbage_less_often()
    server = _start_prefect_api()
    if config is not None and not (dask or os.environ.get("EVENTSCOUT_DASK") or config.settings.dask):
        from eventscout.flows.orchestration import prefetch
        from eventscout.flows.reading.read import batches

        try:
            prefetch.start(str(sources), str(db), config, batches([s for s in config.sources if s.enabled]))
        except (StoreError, ValueError):
            pass  # the flow reads itself and reports the problem
    with (console or Console(stderr=True)).status("Starting Prefect and reading sources…", spinner="dots"):
        from eventscout.flows.orchestration.discover import discovery

        collect_garbage_less_often()  # Prefect is loaded: its modules leave the collector's walks

        try:
            if server is not None:
                server.wait_ready()
            summary = asyncio.run(discovery(str(sources), str(output), str(db), dask=dask))
        except ServerError as exc:
            raise LaunchError(str(exc)) from None
        except (StoreError, RunLocked) as exc:
            raise LaunchError(str(exc)) from None
    summary["seconds"] = time.monotonic() - started
    return summary


#: seconds a run stopped by SIGTERM or Ctrl-C has to unwind before it exits regardless
STOP_GRACE = 6.0


def stop_on_signals() -> None:
    """SIGTERM (`timeout`, `systemctl stop`, `kill`) and Ctrl-C stop the process within seconds.

    The first signal unwinds the run (readers stop, the store's transaction and
    lock are let go, Prefect's API server is stopped on exit); if that takes
    longer than `STOP_GRACE`, the process exits anyway, and its children, which
    die with it (`die_with_parent`), go too. Only the main thread can take signals.
    """
    if threading.current_thread() is not threading.main_thread():
        return

    def stop(signum: int, frame: object) -> None:
        threading.Thread(target=_exit_after_grace, args=(signum,), name="stop-deadline", daemon=True).start()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second signal ends the process at once
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def _exit_after_grace(signum: int) -> None:
    time.sleep(STOP_GRACE)
    os._exit(128 + signum)


def _start_prefect_api():
    """Without PREFECT_API_URL, start Prefect's API server now, beside the reading (eventscout.flows.orchestration.prefect_server).

    It stops when this process exits, after Prefect's own exit handlers have sent what they hold.
    """
    import atexit

    from eventscout.flows.orchestration.prefect_env import configure_prefect
    from eventscout.flows.orchestration.prefect_server import TemporaryServer

    configure_prefect()
    if os.environ.get("PREFECT_API_URL") or "prefect" in sys.modules:
        return None  # a server to use, or Prefect already loaded with its settings (tests)
    server = TemporaryServer(Path(os.environ["PREFECT_HOME"]))
    atexit.register(server.stop)  # registered before Prefect is imported, so it runs after Prefect's
    os.environ["PREFECT_API_URL"] = server.api_url
    return server


