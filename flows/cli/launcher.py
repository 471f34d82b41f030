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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from eventscout.flows.reading.progress import Tally

if TYPE_CHECKING:
    from eventscout.flows.config import Config
    from eventscout.flows.orchestration.discover import RunSummary


class LaunchError(Exception):
    """The run could not start or finish: its message names the cause and the fix."""


def run_discovery(sources: Path, output: Path, db: Path, config: Config, dask: str | None = None,
                  console: Console | None = None, verbose: bool = False) -> RunSummary:
    """Run the Prefect flow in this process and return its summary.

    Reading starts before Prefect does (eventscout.flows.orchestration.prefetch).
    On a terminal a live line shows sources done of total, events found and
    the slowest sources in flight. Prefect's own log lines stay in Prefect
    unless `verbose`.
    """
    from eventscout.flows.orchestration.prefect_server import ServerError
    from eventscout.flows.reading import progress
    from eventscout.flows.reading.env_numbers import SettingError
    from eventscout.flows.reading.process_tuning import collect_garbage_less_often
    from eventscout.flows.store import RunLocked, StoreError

    started = time.monotonic()
    stop_on_signals()
    quiet_prefect(verbose)
    collect_garbage_less_often()
    server = _start_prefect_api()
    enabled = [s for s in config.sources if s.enabled]
    dask = dask or os.environ.get("EVENTSCOUT_DASK") or config.settings.dask
    tally = progress.watch(len(enabled))
    if not dask:
        from eventscout.flows.orchestration import prefetch
        from eventscout.flows.reading.page_readers import default_processes
        from eventscout.flows.reading.read import batches

        try:
            prefetch.start(str(sources), str(db), config, batches(enabled),
                           default_processes(beside_a_starting_server=server is not None))
        except SettingError as exc:
            raise LaunchError(str(exc)) from None
        except (StoreError, ValueError):
            pass  # the flow reads itself and reports the problem
    console = console or Console(stderr=True)
    try:
        with _live_progress(console, tally, on_dask=bool(dask)):
            from eventscout.flows.orchestration.discover import discovery

            collect_garbage_less_often()  # Prefect is loaded: its modules leave the collector's walks
            if server is not None:
                server.wait_ready()
            summary = asyncio.run(discovery(str(sources), str(output), str(db), dask=dask))
    except ServerError as exc:
        raise LaunchError(str(exc)) from None
    except (StoreError, RunLocked, SettingError) as exc:
        raise LaunchError(str(exc)) from None
    finally:
        progress.unwatch()
    summary.seconds = time.monotonic() - started
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


def quiet_prefect(verbose: bool) -> None:
    """Prefect's log lines off the console (they still reach its API and UI), or all of them on it.

    Must run before Prefect is imported; it reads its logging settings then.
    """
    if verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    else:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")


@contextmanager
def _live_progress(console: Console, tally: Tally, *, on_dask: bool) -> Iterator[None]:
    """A live line on a terminal, redrawn four times a second; one plain line otherwise."""
    where = " on Dask" if on_dask else ""
    if not console.is_terminal:
        console.print(f"Reading {tally.total} sources{where}…", highlight=False)
        yield
        return
    from rich.live import Live

    with Live(get_renderable=lambda: progress_line(tally, console.width, where), console=console,
              transient=True, refresh_per_second=4):
        yield


def progress_line(tally: Tally, width: int, where: str = "") -> Text:
    """"Reading 16 sources: 3 done, 42 events found; slowest: shrm 12s, pmi 8s", cut to `width`."""
    line = f"Reading {tally.total} sources{where}: {tally.done} done, {tally.events} events found"
    if tally.failed:
        line += f", {tally.failed} failed"
    slowest = tally.slowest()
    if slowest:
        line += "; slowest: " + ", ".join(f"{source} {seconds:.0f}s" for source, seconds in slowest)
    elif tally.total and tally.done == tally.total:
        line += "; storing them and writing the feeds in Prefect's flow"
    text = Text(line, no_wrap=True)
    text.truncate(width - 1, overflow="ellipsis")
    return text


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


