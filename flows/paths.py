"""Where eventscout keeps its own files: one data folder for the store, Prefect's home, caches and locks."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "EVENTSCOUT_HOME"


def data_dir() -> Path:
    """eventscout's own folder (`EVENTSCOUT_HOME`, default `.eventscout`)."""
    return Path(os.environ.get(DATA_DIR_ENV, ".eventscout")).resolve()
