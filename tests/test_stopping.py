"""A run stopped by SIGTERM or Ctrl-C stops every process it started: a real `eventscout run`, watched
with psutil, against a loopback site that answers only after the run has been stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from eventscout.flows.store import run_lock
from tests.support import send

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def wait_for(condition, limit: float) -> bool:
    """Poll `condition` until it holds or `limit` seconds pass (a bounded loop)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stopped_run_stops_itself_and_every_process_it_started_within_10_s(loopback, tmp_path, stop_signal):
    released = threading.Event()
    loopback.serve("/fast", "<html><body><h1>Chapter</h1></body></html>")

    def slow(handler) -> None:
        released.wait(60)  # holds the run in its reading until the test is done
        send(handler, 200, b"<html></html>", "text/html")

    loopback.routes["/slow"] = slow
    sources = tmp_path / "sources.yaml"
    sources.write_text("settings:\n  allow_private: true\nsources:\n"
                       f"  - {{id: slow, name: Slow, url: '{loopback.url}/slow'}}\n"
                       f"  - {{id: fast, name: Fast, url: '{loopback.url}/fast'}}\n"
                       "feeds:\n  - {id: all, title: All}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVENTSCOUT_", "PREFECT_"))}
    env.update(EVENTSCOUT_HOME=str(tmp_path / "home"), EVENTSCOUT_READ_PROCESSES="1",
               PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="90")
    db = tmp_path / "store.db"
    run = subprocess.Popen([sys.executable, "-m", "eventscout.flows.cli", "run", "--sources", str(sources),
                            "--output", str(tmp_path / "out"), "--db", str(db)],
                           cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        parent = psutil.Process(run.pid)
        in_progress = wait_for(lambda: any(path == "/slow" for path, _ in loopback.hits)
                               and len(parent.children(recursive=True)) >= 2, 120)
        assert in_progress, "the run reached its reading, with its Prefect server and a reading worker"
        started = parent.children(recursive=True)
        names = " ".join(" ".join(p.cmdline()) for p in started)
        assert "uvicorn" in names and "eventscout-reader" in names, names
        run.send_signal(stop_signal)
        stopped_at = time.monotonic()
        gone = wait_for(lambda: run.poll() is not None and not [p for p in started if _alive(p)], 10)
        assert gone, f"still running {time.monotonic() - stopped_at:.1f}s after the signal: " \
                     f"{[p.pid for p in started if _alive(p)]} (run exit {run.poll()})"
        with run_lock(db, wait=0):
            pass  # the store's run lock was let go
    finally:
        released.set()
        if run.poll() is None:
            run.kill()
            run.wait(10)
        for process in psutil.Process().children(recursive=True):
            if process.pid != os.getpid() and "eventscout" in " ".join(process.cmdline()):
                process.kill()


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
