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
