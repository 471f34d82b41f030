"""Shared test fixtures: a loopback HTTP server (tests/support.py) and an isolated data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import LoopbackServer


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def eventscout_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated eventscout data folder (store, Prefect home) that may read loopback sites."""
    home = tmp_path / "home"
    monkeypatch.setenv("EVENTSCOUT_HOME", str(home))
    monkeypatch.setenv("EVENTSCOUT_ALLOW_PRIVATE", "1")
    return home


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Prefect's console handler, set up while pytest captured stderr, writes to that capture stream,
    which pytest closes after the session; Prefect's exit handlers still log as they stop. Point it at
    the real stderr so those lines print instead of a "I/O operation on closed file" traceback."""
    import logging
    import sys

    if "prefect" not in sys.modules:
        return
    for logger in (logging.getLogger(), *logging.Logger.manager.loggerDict.values()):
        for handler in getattr(logger, "handlers", ()):
            if type(handler).__module__.startswith("prefect.") and isinstance(handler, logging.StreamHandler):
                handler.stream = sys.__stderr__  # not setStream: it flushes the old stream, which may be closed
                if hasattr(handler, "console"):  # PrefectConsoleHandler writes through a rich Console
                    handler.console.file = sys.__stderr__
