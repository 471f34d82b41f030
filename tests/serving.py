"""Helpers for the tests that run eventscout for real: the CLI in a subprocess, a server, HTTP calls."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_home(factory: pytest.TempPathFactory) -> Path:
    """One eventscout home (so one Prefect database) for every test module of the session:
    Prefect's first start in a fresh home costs 10-13 s, later ones about 5 s."""
    return factory.getbasetemp() / "eventscout-home"


def environment(home: Path) -> dict[str, str]:
    return dict(os.environ, EVENTSCOUT_HOME=str(home), EVENTSCOUT_ALLOW_PRIVATE="1", COLUMNS="200")


def eventscout(*args: str, home: Path) -> subprocess.CompletedProcess:
    """`eventscout ARGS` as a user runs it."""
    return subprocess.run([sys.executable, "-m", "eventscout.flows.cli", *args], capture_output=True, text=True,
                          env=environment(home), timeout=300)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_listening(process: subprocess.Popen, port: int, seconds: float = 60) -> None:
    """Until `process` listens on `port`; fails when it exits first or takes longer than `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise AssertionError(f"exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(f"not listening on {port} within {seconds:.0f} s") from None
            time.sleep(0.1)


@contextmanager
def serve_process(*args: str, home: Path, log: Path | None = None) -> Iterator[tuple[subprocess.Popen, str]]:
    """`eventscout serve ARGS --port P` in a subprocess until the block ends; yields it and its base URL.

    What it prints goes to `log` (by default a file beside its home), never to a pipe nobody reads.
    """
    port = free_port()
    log = log or home.parent / f"serve-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "eventscout.flows.cli", "serve", *args, "--port", str(port)],
                                   env=environment(home), stdout=out, stderr=subprocess.STDOUT)
    try:
        try:
            wait_listening(process, port)
        except AssertionError as exc:
            raise AssertionError(f"serve {exc}: {log.read_text()}") from None
        yield process, f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_server(*args: str, home: Path) -> Iterator[str]:
    """`eventscout serve ARGS --port P` in a subprocess until the block ends; yields its base URL."""
    with serve_process(*args, home=home) as (_, base):
        yield base


@dataclass
class Published:
    """What a test serves: a sources file, the feeds written from it and the store they come from."""

    root: Path
    sources: Path
    output: Path
    db: Path

    def args(self, *more: str) -> tuple[str, ...]:
        """`serve`'s arguments for it."""
        return ("--sources", str(self.sources), "--output", str(self.output), "--db", str(self.db), *more)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8")


def request(base: str, path: str, headers: dict[str, str] | None = None, method: str = "GET") -> Reply:
    """One request sent exactly as written (no path clean-up, no automatic decompression)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True,
                              skip_host=any(k.lower() == "host" for k in headers or {}))
        for key, value in (headers or {}).items():
            connection.putheader(key, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        connection.close()
