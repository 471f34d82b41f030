"""A real Prefect server started and stopped by eventscout, for schedules.

Prefect's embedded (ephemeral) API cannot schedule flows and drops task-run
records at exit, so `eventscout schedule` without PREFECT_API_URL runs
`prefect server start` itself: its own Prefect home and port on 127.0.0.1,
stopped when eventscout stops. Importing this module does not import Prefect.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from eventscout.flows.reading.process_tuning import die_with_parent

DEFAULT_PORT = 4200


class ServerError(Exception):
    """The Prefect server did not come up; the message says what to check."""


def free_port(preferred: int | None = None) -> int:
    """`preferred` when nothing listens on it, else any free port on 127.0.0.1."""
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise ServerError("no free port on 127.0.0.1")


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def prefect_server(home: Path, port: int | None = None, *, ui: bool = True,
                   startup_timeout: float = 120.0, log_path: Path | None = None) -> Iterator[str]:
    """Run `prefect server start` with its own home; yields its API URL, stops it on exit."""
    home.mkdir(parents=True, exist_ok=True)
    port = port or free_port(DEFAULT_PORT)
    api_url = f"http://127.0.0.1:{port}/api"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update({"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "DO_NOT_TRACK": "1", "PREFECT_SERVER_UI_ENABLED": "true" if ui else "false",
                "PREFECT_UI_API_URL": api_url, "PREFECT_SERVER_LOGGING_LEVEL": "WARNING"})
    log_path = log_path or home / "server.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
             "--port", str(port), "--no-background"] + ([] if ui else ["--no-ui"]),
            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, preexec_fn=die_with_parent)
    try:
        deadline = time.monotonic() + startup_timeout
        while not healthy(api_url):
            if process.poll() is not None:
                raise ServerError(f"`prefect server start` exited with code {process.returncode}; "
                                  f"see {log_path}")
            if time.monotonic() >= deadline:
                raise ServerError(f"the Prefect server on port {port} was not healthy after "
                                  f"{startup_timeout:.0f}s; see {log_path}")
            time.sleep(0.3)
        yield api_url
    finally:
        _stop(process, grace=15.0)


def _stop(process: subprocess.Popen, grace: float = 5.0) -> None:
    """SIGTERM the server's process group (uvicorn and its services), SIGKILL if it lingers.

    `grace` is short: a run stopped by SIGTERM must be gone, children and all, within 10 s.
    """
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


class TemporaryServer:
    """The Prefect API of one `eventscout run` when no PREFECT_API_URL is set.

    What Prefect's embedded mode starts (its API app under uvicorn, in a
    subprocess, on eventscout's Prefect home), but started the moment the run
    starts, so its seconds of start-up overlap the reading instead of
    preceding the flow, and without loading Prefect's server code into the
    run's own process. Stopped when the process exits.

    Once it has brought its database up to this Prefect version's schema, later
    runs skip that check (an Alembic import and walk: 9 MB of the server's
    memory, which counts in the run's).
    """

    def __init__(self, home: Path, startup_timeout: float = 90.0) -> None:
        self.port = free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.startup_timeout = startup_timeout
        self.log_path = home / "temporary-server.log"
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        self.migrating = not self._migrated()
        self.process = self._start()

    def _migrated_marker(self) -> Path:
        from importlib.metadata import version

        return self.home / f".eventscout-migrated-{version('prefect')}"

    def _migrated(self) -> bool:
        """Whether this Prefect version's server brought the home's own database up to date before."""
        own_database = not any(os.environ.get(f"PREFECT_{part}_DATABASE_CONNECTION_URL") for part in ("SERVER", "API"))
        return own_database and (self.home / "prefect.db").is_file() and self._migrated_marker().is_file()

    def _start(self) -> subprocess.Popen:
        env = dict(os.environ, PREFECT_HOME=str(self.home), PREFECT_UI_ENABLED="0", PREFECT__SERVER_EPHEMERAL="1",
                   PREFECT__SERVER_FINAL="1", PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
        env.pop("PREFECT_API_URL", None)
        if not self.migrating:
            env["PREFECT_SERVER_DATABASE_MIGRATE_ON_START"] = "false"
        with open(self.log_path, "ab") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
                 "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "error", "--lifespan", "on"],
                env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                preexec_fn=die_with_parent)  # gone with the run, even one killed outright

    def wait_ready(self) -> str:
        """Its API URL once it answers; ServerError naming the log when it does not come up.

        A start-up that fails (uvicorn's exit code 3) is tried again: two runs starting at once
        on a new Prefect home both set up its database, and one of them loses that race.
        """
        deadline = time.monotonic() + self.startup_timeout
        tries = 1
        while not healthy(self.api_url, timeout=1.0):
            if self.process.poll() == 3 and tries < 3:
                tries += 1
                time.sleep(0.5)
                self.process = self._start()
                continue
            if self.process.poll() is not None:
                raise ServerError(f"Prefect's API server exited with code {self.process.returncode} while "
                                  f"starting; see {self.log_path}, or set PREFECT_API_URL to a running server")
            if time.monotonic() >= deadline:
                self.stop()
                raise ServerError(f"Prefect's API server was not up after {self.startup_timeout:.0f}s; see "
                                  f"{self.log_path}, or set PREFECT_API_URL to a running server")
            time.sleep(0.05)
        if self.migrating:  # healthy means its start-up migrated the database
            self.migrating = False
            for old in self.home.glob(".eventscout-migrated-*"):
                old.unlink(missing_ok=True)
            try:
                self._migrated_marker().touch()
            except OSError:
                pass  # the next run checks the schema again
        return self.api_url

    def stop(self) -> None:
        _stop(self.process)
